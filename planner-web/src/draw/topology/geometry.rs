//! Where the parts of the topology diagram go: the gateways above the VPC, one column per
//! availability zone, one row per tier (its heading, its subnets' boxes, then a band per thing
//! its security groups are attached to), and the default routes' arrows, which run up the
//! right edge of their column and between rows, never through a heading.
//!
//! Columns are narrow enough that four AZs scale to a laptop's panel with their text legible;
//! text is measured ([`crate::draw::labels::text_width`]) rather than counted.

use super::scene::{Cell, Member, RouteTo, Scene};
use crate::draw::labels::{text_width, thousands};

/// The diagram's font size, and the smaller one of badges and route tables.
pub(super) const FONT: f64 = 11.0;
/// See [`FONT`].
pub(super) const SMALL: f64 = 10.0;
pub(super) const PAD: u32 = 12;
/// Between the VPC's edge and its columns.
pub(super) const VPC_IN: u32 = 10;
/// An AZ column's width.
pub(super) const COL_W: u32 = 184;
/// Between two columns, and between two rows.
pub(super) const GAP: u32 = 10;
/// Between a column's edge and its subnets' boxes.
pub(super) const INSET: u32 = 8;
/// A subnet box's width.
pub(super) const CELL_W: u32 = COL_W - 2 * INSET;
pub(super) const LINE: u32 = 15;
/// A NAT's, instance's or endpoint's box in a subnet.
pub(super) const THING_H: u32 = 30;
const THING_GAP: u32 = 5;
/// A route table's box in a subnet.
pub(super) const CHIP_H: u32 = 16;
/// Left of a route table's box: the arrow from the subnet to it.
pub(super) const CHIP_X: u32 = 20;
/// A tier's heading above its row.
pub(super) const TIER_HEAD: u32 = 20;
/// An AZ's heading at the top of its column.
pub(super) const COLUMN_HEAD: u32 = 28;
/// A band across a row (something a security group is attached to): one line's height.
pub(super) const BAND_LINE: u32 = 14;
const BAND_GAP: u32 = 5;
/// The internet gateway's bar across the VPC's top edge.
pub(super) const IGW_H: u32 = 28;
/// The line above the VPC: the internet and any egress-only gateway.
pub(super) const TOP_H: u32 = 34;
/// The width of a legend's smallest entry.
const LEGEND_W: u32 = 86;

/// The width of a network ACL badge holding `text`.
pub(super) fn badge_width(text: &str) -> u32 {
    (text_width(text, SMALL, false) + 12.0).ceil() as u32
}

/// The width of a route table's box naming `table`, at most what its subnet leaves.
pub(super) fn chip_width(table: &str) -> u32 {
    ((text_width(&chip_text(table), SMALL, false) + 12.0).ceil() as u32).min(CELL_W - CHIP_X - 8)
}

/// The words in a route table's box.
pub(super) fn chip_text(table: &str) -> String {
    format!("route table {table}")
}

/// A subnet's CIDR and usable addresses: `10.0.0.0/20 · 4,091 usable`.
pub(super) fn cidr_text(cell: &Cell) -> String {
    let s = cell.subnet;
    format!("{} · {} usable", s.cidr, thousands(s.usable_addresses))
}

/// Whether `cell`'s CIDR and usable addresses are too long for one line.
fn needs_split(cell: &Cell) -> bool {
    text_width(&cidr_text(cell), FONT, false) > f64::from(CELL_W - 16)
}

/// The left edge of AZ column `i`.
pub(super) fn col_x(i: usize) -> u32 {
    PAD + VPC_IN + i as u32 * (COL_W + GAP)
}

/// Where the lines of a subnet's box go, each from the box's top.
pub(super) struct CellGeom {
    /// Whether the network ACL badge has a line of its own (the name leaves it no room).
    pub badge_below: bool,
    /// The CIDR line's baseline.
    pub cidr_y: u32,
    /// Whether the usable addresses go on a line of their own under the CIDR.
    pub cidr_split: bool,
    /// The route table's box's top (or the baseline of "no route table").
    pub chip_y: u32,
    /// The first route's baseline.
    pub routes_y: u32,
    /// Each NAT's, instance's or endpoint's top.
    pub things_y: Vec<u32>,
    /// The box's height.
    pub height: u32,
}

impl CellGeom {
    /// The lines of `cell`'s box; `split` puts every subnet's usable addresses under its CIDR
    /// (so that all boxes read alike when one needs it).
    pub(super) fn of(cell: &Cell, split: bool) -> CellGeom {
        let name = text_width(&cell.name, FONT, true);
        let badge = cell.acl.badge().map_or(0, |b| badge_width(&b) + 6);
        let badge_below = badge > 0 && name + f64::from(badge) > f64::from(CELL_W - 16);
        let cidr_y = 15 + LINE + if badge_below { LINE + 2 } else { 0 };
        let cidr_split = split || needs_split(cell);
        let lines = cell.notes.len() as u32 + u32::from(cidr_split);
        let chip_y = cidr_y + LINE * lines + 6;
        let (routes_y, lines) = match cell.table {
            Some(_) => (chip_y + CHIP_H + 12, cell.routes.len() as u32),
            None => (chip_y + 10, 1),
        };
        let mut y = routes_y + lines.saturating_sub(1) * LINE + 8;
        let things_y: Vec<u32> = cell
            .things
            .iter()
            .map(|t| {
                let top = y;
                y += thing_height(&t.title) + THING_GAP;
                top
            })
            .collect();
        CellGeom {
            badge_below,
            cidr_y,
            cidr_split,
            chip_y,
            routes_y,
            things_y,
            height: y + 2,
        }
    }
}

/// The lines of a NAT's, instance's or endpoint's title: one, or its first word and the rest
/// when that is too long (`bastion` / `tinystacks-bastion`).
pub(super) fn title_lines(title: &str) -> Vec<&str> {
    let room = f64::from(CELL_W - 32);
    match title.rsplit_once(" ") {
        Some((what, name)) if text_width(title, FONT, true) > room => vec![what, name],
        _ => vec![title],
    }
}

/// The height of a NAT's, instance's or endpoint's box titled `title`.
pub(super) fn thing_height(title: &str) -> u32 {
    THING_H + (title_lines(title).len() as u32 - 1) * (LINE - 2)
}

/// A tier's row.
pub(super) struct Row {
    /// The top of its heading.
    pub top: u32,
    /// The top of its subnets' boxes.
    pub cells_y: u32,
    /// Its bands, in the scene's order of its members.
    pub bands: Vec<Band>,
    /// Its height, heading to last band.
    pub height: u32,
}

/// A band across a row's AZs: something the design's security groups are attached to.
pub(super) struct Band {
    /// Left, top, width and height.
    pub at: (u32, u32, u32, u32),
    /// Its title, on one line or two (`master node` / `titus-master`).
    pub title: Vec<String>,
    /// Its groups' line, and whether it fits beside a one-line title.
    pub groups: String,
    pub inline: bool,
}

impl Band {
    fn new(m: &Member, (x, y, w): (u32, u32, u32)) -> Band {
        let room = f64::from(w - 16);
        let title = match m.what() {
            "" => m.name.clone(),
            what if what == m.name.replace('_', " ") => what.to_owned(),
            what => format!("{what} {}", m.name),
        };
        let groups = format!(
            "{} {}",
            if m.groups.len() == 1 {
                "group"
            } else {
                "groups"
            },
            m.groups.join(", ")
        );
        let title_w = text_width(&title, FONT, true);
        let inline = title_w + 12.0 + text_width(&groups, FONT, false) <= room;
        let title: Vec<String> = match title.rsplit_once(' ') {
            Some((what, name)) if title_w > room => vec![what.to_owned(), name.to_owned()],
            _ => vec![title],
        };
        let lines = title.len() as u32 + u32::from(!inline);
        Band {
            at: (x, y, w, 6 + lines * BAND_LINE),
            title,
            groups,
            inline,
        }
    }
}

/// A legend entry at (`x`, `y`): its words, stroke and fill.
pub(super) type Placed = (u32, u32, &'static str, (&'static str, &'static str));

/// Where the parts of the diagram go.
pub(super) struct Frame {
    pub width: u32,
    pub height: u32,
    /// The VPC's heading's baseline, above its box.
    pub header_y: u32,
    /// Whether the plan has an internet gateway (a bar across the VPC's top edge).
    pub igw: bool,
    pub vpc_y: u32,
    pub vpc_w: u32,
    pub vpc_h: u32,
    /// Top of the AZ columns, and their height.
    pub grid_y: u32,
    pub column_h: u32,
    /// One per tier.
    pub rows: Vec<Row>,
    /// `cells[tier][az]`, as the scene's grid.
    pub cells: Vec<Vec<Option<CellGeom>>>,
    /// The legend's entries, each at its place.
    pub legend: Vec<Placed>,
}

impl Frame {
    /// The frame of `scene` with `legend`.
    pub(super) fn new(
        scene: &Scene,
        legend: &[(&'static str, (&'static str, &'static str))],
    ) -> Self {
        let split = scene.grid.iter().flatten().flatten().any(needs_split);
        let cells: Vec<Vec<Option<CellGeom>>> = scene
            .grid
            .iter()
            .map(|row| {
                row.iter()
                    .map(|c| c.as_ref().map(|c| CellGeom::of(c, split)))
                    .collect()
            })
            .collect();
        let columns = scene.azs.len().max(1) as u32;
        // At least two columns wide: room for the VPC's heading and the legend.
        let wide = columns.max(2);
        let vpc_w = 2 * VPC_IN + wide * COL_W + (wide - 1) * GAP;
        let igw = scene.gateways.iter().any(|g| g.class == "igw");
        let header_y = PAD + TOP_H + 16;
        let vpc_y = header_y + 8 + if igw { IGW_H / 2 } else { 0 };
        let grid_y = vpc_y + if igw { IGW_H / 2 + 8 } else { VPC_IN };
        let mut y = grid_y + COLUMN_HEAD;
        let mut rows = Vec::with_capacity(cells.len());
        for (row, members) in cells.iter().zip(&scene.members) {
            let cells_h = row.iter().flatten().map(|c| c.height).max().unwrap_or(0);
            let cells_y = y + TIER_HEAD;
            let used: Vec<usize> = (0..row.len()).filter(|&ai| row[ai].is_some()).collect();
            let (first, last) = (used.first().copied(), used.last().copied());
            let (x, right) = (
                col_x(first.unwrap_or(0)) + INSET,
                col_x(last.unwrap_or(0)) + COL_W - INSET,
            );
            let mut band_y = cells_y + cells_h + 6;
            let bands: Vec<Band> = members
                .iter()
                .map(|m| {
                    let band = Band::new(m, (x, band_y, right - x));
                    band_y += band.at.3 + BAND_GAP;
                    band
                })
                .collect();
            let height = match bands.last() {
                Some(b) => b.at.1 + b.at.3 - y,
                None => TIER_HEAD + cells_h,
            };
            rows.push(Row {
                top: y,
                cells_y,
                bands,
                height,
            });
            y += height + GAP;
        }
        let column_h = (y - grid_y).max(COLUMN_HEAD + 30);
        let vpc_h = grid_y - vpc_y + column_h + VPC_IN;
        let legend_y = vpc_y + vpc_h + 22;
        let legend = place_legend(legend, vpc_w, legend_y);
        let legend_h = legend.last().map_or(0, |e| e.1 - legend_y);
        Frame {
            width: vpc_w + 2 * PAD,
            height: legend_y + legend_h + 12,
            header_y,
            igw,
            vpc_y,
            vpc_w,
            vpc_h,
            grid_y,
            column_h,
            rows,
            cells,
            legend,
        }
    }

    /// Where the NAT (or anything drawn in a subnet) `id` is: its tier's and AZ's index, its
    /// box's right edge and middle.
    fn thing_at(&self, scene: &Scene, id: &str) -> Option<(usize, usize, u32, u32)> {
        for (ti, row) in scene.grid.iter().enumerate() {
            for (ai, cell) in row.iter().enumerate() {
                let Some(k) = cell
                    .as_ref()
                    .and_then(|c| c.things.iter().position(|t| t.id == id))
                else {
                    continue;
                };
                let geom = self.cells[ti][ai].as_ref()?;
                let right = col_x(ai) + INSET + CELL_W - 8;
                let mid = self.rows[ti].cells_y + geom.things_y[k] + THING_H / 2;
                return Some((ti, ai, right, mid));
            }
        }
        None
    }

    /// The default route's arrow of the subnet at (`ti`, `ai`): SVG path data from its route
    /// table's box to the internet gateway's bar or into its NAT's box, where the arrowhead
    /// goes and which way it points.
    pub(super) fn route(&self, scene: &Scene, ti: usize, ai: usize) -> Option<Arrow> {
        let cell = scene.grid[ti][ai].as_ref()?;
        let geom = self.cells[ti][ai].as_ref()?;
        let table = cell.table.as_deref()?;
        let row = &self.rows[ti];
        let start = col_x(ai) + INSET + CHIP_X + chip_width(table);
        let mid = row.cells_y + geom.chip_y + CHIP_H / 2;
        let lane = col_x(ai) + COL_W - 4;
        let mut d = format!("M{start},{mid} H{lane}");
        match cell.default.as_ref()? {
            RouteTo::Igw if self.igw => {
                let end = self.vpc_y + IGW_H / 2;
                d.push_str(&format!(" V{end}"));
                Some(Arrow {
                    d,
                    head: (lane, end, Dir::Up),
                    nat: false,
                })
            }
            RouteTo::Igw => None,
            RouteTo::Nat(id) => {
                let (tt, ta, right, end) = self.thing_at(scene, id)?;
                if ta != ai {
                    let via = if tt <= ti {
                        row.top - GAP / 2
                    } else {
                        row.top + row.height + GAP / 2
                    };
                    let target_lane = col_x(ta) + COL_W - 4;
                    d.push_str(&format!(" V{via} H{target_lane}"));
                    d.push_str(&format!(" V{end} H{right}"));
                } else {
                    d.push_str(&format!(" V{end} H{right}"));
                }
                Some(Arrow {
                    d,
                    head: (right, end, Dir::Left),
                    nat: true,
                })
            }
        }
    }
}

/// Which way an arrowhead points.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Dir {
    Up,
    Left,
    Right,
}

/// A route's arrow: its path, its head, and whether it goes to a NAT (else the internet
/// gateway).
pub(super) struct Arrow {
    pub d: String,
    pub head: (u32, u32, Dir),
    pub nat: bool,
}

/// The path of an arrowhead whose tip is at (`x`, `y`).
pub(super) fn arrowhead((x, y, dir): (u32, u32, Dir)) -> String {
    let (x, y) = (i64::from(x), i64::from(y));
    match dir {
        Dir::Up => format!("M{},{} L{x},{y} L{},{} Z", x - 4, y + 7, x + 4, y + 7),
        Dir::Left => format!("M{},{} L{x},{y} L{},{} Z", x + 7, y - 4, x + 7, y + 4),
        Dir::Right => format!("M{},{} L{x},{y} L{},{} Z", x - 7, y - 4, x - 7, y + 4),
    }
}

/// The width of one legend entry.
fn entry_width(label: &str) -> u32 {
    LEGEND_W.max(17 + text_width(label, FONT, false).ceil() as u32 + 12)
}

/// Places the legend's entries in rows at most `width` wide, the first at `y`.
fn place_legend(
    items: &[(&'static str, (&'static str, &'static str))],
    width: u32,
    y: u32,
) -> Vec<Placed> {
    let (mut x, mut y) = (0, y);
    let mut placed = Vec::with_capacity(items.len());
    for &(label, colours) in items {
        let w = entry_width(label);
        if x > 0 && x + w > width {
            (x, y) = (0, y + 18);
        }
        placed.push((PAD + x, y, label, colours));
        x += w;
    }
    placed
}
