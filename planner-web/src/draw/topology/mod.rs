//! The topology diagram: the VPC, one column per availability zone with its subnets in tier
//! rows, the gateways, NATs and instances where they sit, each subnet's default routes, and a
//! badge naming its network ACL (or saying that its default ACL denies everything).
//!
//! [`topology_svg`] is a pure function to a standalone SVG document (inline attributes only,
//! since it is also downloaded as a file); the same plan gives the same bytes.

mod scene;
mod svg;
#[cfg(test)]
mod tests;

use std::fmt::Display;
use std::rc::Rc;

use planner_core::{Plan, Planned, ResourceKind, TierKind};
use yew::prelude::*;

use super::labels::{kind_name, thousands, tier_kind, SubnetAcl};
use crate::markup;
use scene::{Cell, Gateway, Scene, ThingKind};
use svg::{fit, Svg};

const PAD: u32 = 16;
const COL_W: u32 = 250;
const GAP: u32 = 12;
const TIER_W: u32 = 92;
const LINE: u32 = 15;
const THING_H: u32 = 32;
const GATEWAY_W: u32 = 170;
const GATEWAYS_Y: u32 = PAD + 22;
const COLUMN_HEAD: u32 = 34;
/// Stroke and fill of gateways, NATs and instances.
const GATEWAY: (&str, &str) = ("#0e7490", "#ecfeff");
const NAT: (&str, &str) = ("#c2410c", "#fff7ed");
const INSTANCE: (&str, &str) = ("#475569", "#ffffff");
const ENDPOINT: (&str, &str) = ("#0f766e", "#f0fdfa");
/// Stroke and fill of a subnet's network ACL badge, and of one on a default ACL denying all.
const ACL: (&str, &str) = ("#b54708", "#fffaeb");
const DENY_ALL: (&str, &str) = ("#b42318", "#fef3f2");
/// Average advance of an 11px character, to cut text to a box without measuring it.
const CHAR_W: f64 = 6.4;
const SANS: &str = "system-ui, -apple-system, Segoe UI, Roboto, sans-serif";
const MONO: &str = "ui-monospace, Menlo, Consolas, monospace";
const MUTED: &str = "#5b6575";

/// Stroke and fill of a tier kind.
const fn colours(kind: Option<TierKind>) -> (&'static str, &'static str) {
    match kind {
        Some(TierKind::Public) => ("#16a34a", "#f0fdf4"),
        Some(TierKind::Private) => ("#2563eb", "#eff6ff"),
        Some(TierKind::Isolated) => ("#7c3aed", "#f5f3ff"),
        None => ("#6b7280", "#f9fafb"),
    }
}

/// Characters of text that fit `width` pixels.
fn chars(width: u32) -> usize {
    (f64::from(width) / CHAR_W) as usize
}

/// The drawn height of a subnet's box.
fn height(cell: &Cell) -> u32 {
    10 + (2 + cell.lines.len() as u32) * LINE + cell.things.len() as u32 * (THING_H + 6) + 4
}

/// Where the parts of the diagram go.
struct Frame {
    width: u32,
    height: u32,
    vpc_y: u32,
    vpc_w: u32,
    vpc_h: u32,
    /// Top of the AZ columns.
    grid_y: u32,
    /// Height of each tier's row.
    rows: Vec<u32>,
    /// The legend's entries, each at its place.
    legend: Vec<Placed>,
}

/// A legend entry at (`x`, `y`): its words, stroke and fill.
type Placed = (u32, u32, &'static str, (&'static str, &'static str));

impl Frame {
    fn new(scene: &Scene) -> Self {
        let rows: Vec<u32> = scene
            .grid
            .iter()
            .map(|row| row.iter().flatten().map(height).max().unwrap_or(0))
            .collect();
        let columns = scene.azs.len().max(1) as u32;
        let vpc_w = (24 + TIER_W + columns * COL_W + (columns - 1) * GAP)
            .max(LEGEND.len() as u32 * LEGEND_W);
        let vpc_y = GATEWAYS_Y + 44;
        let vpc_h = 40 + Frame::columns_h(&rows) + 8;
        let legend = place_legend(&legend_items(scene), vpc_w, vpc_y + vpc_h + 22);
        let legend_h = legend.last().map_or(0, |e| e.1 - (vpc_y + vpc_h + 22));
        Frame {
            width: vpc_w + 2 * PAD,
            height: vpc_y + vpc_h + 40 + legend_h,
            vpc_y,
            vpc_w,
            vpc_h,
            grid_y: vpc_y + 40,
            rows,
            legend,
        }
    }

    /// Height of an AZ column: its heading, then the tier rows.
    fn columns_h(rows: &[u32]) -> u32 {
        COLUMN_HEAD + rows.iter().map(|h| h + GAP).sum::<u32>().max(30)
    }

    /// The top of each tier's row.
    fn row_tops(&self) -> impl Iterator<Item = u32> + '_ {
        self.rows.iter().scan(self.grid_y + COLUMN_HEAD, |y, h| {
            let top = *y;
            *y += h + GAP;
            Some(top)
        })
    }
}

/// Opens the root element of a `width` × `height` document titled `title`.
fn open_root(svg: &mut Svg, class: &str, (width, height): (u32, u32), title: &str) {
    svg.open(
        "svg",
        &[
            ("xmlns", &"http://www.w3.org/2000/svg"),
            ("class", &class),
            ("width", &width),
            ("height", &height),
            ("viewBox", &format!("0 0 {width} {height}")),
            ("font-family", &SANS),
            ("font-size", &11),
            ("fill", &"#1d2430"),
        ],
    );
    svg.text("title", &[], title);
}

/// The topology diagram of a plan as a standalone SVG document.
pub fn topology_svg(planned: &Planned) -> String {
    let plan = &planned.plan;
    let title = format!("{}: network topology", plan.design.name);
    let mut svg = Svg::new();
    let Some(vpc) = &plan.design.vpc else {
        no_vpc(&mut svg, plan, &title);
        return svg.finish();
    };
    let scene = Scene::new(plan);
    let frame = Frame::new(&scene);
    open_root(
        &mut svg,
        "topology-svg",
        (frame.width, frame.height),
        &title,
    );
    svg.rect((0, 0, frame.width, frame.height), &[("fill", &"#ffffff")]);
    draw_gateways(&mut svg, &scene.gateways);

    let blocks: Vec<String> = std::iter::once(vpc.cidr)
        .chain(vpc.secondary_cidrs.iter().copied())
        .map(|c| c.to_string())
        .collect();
    svg.open("g", &[("class", &"vpc"), ("data-cidr", &vpc.cidr)]);
    let (vpc_y, vpc_w) = (frame.vpc_y, frame.vpc_w);
    let stroke = [
        ("rx", &6 as &dyn Display),
        ("fill", &"#f8fafc"),
        ("stroke", &"#334155"),
    ];
    svg.rect((PAD, vpc_y, vpc_w, frame.vpc_h), &stroke);
    let v6 = if vpc.ipv6 { " · IPv6 /56" } else { "" };
    let header = format!(
        "VPC {} · {}{v6} · {} subnets",
        plan.design.name,
        blocks.join(" + "),
        plan.allocation.subnets.len()
    );
    let bold = [("font-size", &13 as &dyn Display), ("font-weight", &600)];
    let header = fit(&header, chars(vpc_w - 24) * 11 / 13);
    svg.text_at(PAD + 12, vpc_y + 26, &bold, &header);
    draw_tier_labels(&mut svg, plan, &scene, &frame);
    let column_h = Frame::columns_h(&frame.rows);
    for (ai, az) in scene.azs.iter().enumerate() {
        let x = PAD + 12 + TIER_W + ai as u32 * (COL_W + GAP);
        svg.open("g", &[("class", &"az"), ("data-az", az)]);
        let dashed = [
            ("rx", &4 as &dyn Display),
            ("fill", &"none"),
            ("stroke", &"#94a3b8"),
            ("stroke-dasharray", &"4 3"),
        ];
        svg.rect((x, frame.grid_y, COL_W, column_h), &dashed);
        let heading = [
            ("text-anchor", &"middle" as &dyn Display),
            ("font-weight", &600),
        ];
        svg.text_at(
            x + COL_W / 2,
            frame.grid_y + 17,
            &heading,
            &fit(az, chars(COL_W - 16)),
        );
        for (row, y) in scene.grid.iter().zip(frame.row_tops()) {
            if let Some(cell) = &row[ai] {
                draw_cell(&mut svg, cell, x + 8, y);
            }
        }
        svg.close("g");
    }
    svg.close("g");

    legend(&mut svg, &frame.legend);
    svg.close("svg");
    svg.finish()
}

/// The internet above the VPC and its gateways on the VPC's edge.
fn draw_gateways(svg: &mut Svg, gateways: &[Gateway]) {
    svg.text_at(PAD, PAD + 12, &[("font-weight", &600)], "Internet");
    if gateways.is_empty() {
        let none = "no internet gateway: nothing in the VPC reaches the internet";
        svg.text_at(PAD + 64, PAD + 12, &[("fill", &MUTED)], none);
    }
    for (i, g) in gateways.iter().enumerate() {
        let x = PAD + 12 + i as u32 * (GATEWAY_W + 16);
        let mid = x + GATEWAY_W / 2;
        svg.open("g", &[("class", &format!("gateway {}", g.class))]);
        // From the internet, through the gateway, to the VPC's edge.
        let (y1, y2) = (PAD + 16, GATEWAYS_Y + 44);
        let line = [
            ("x1", &mid as &dyn Display),
            ("y1", &y1),
            ("x2", &mid),
            ("y2", &y2),
            ("stroke", &GATEWAY.0),
        ];
        svg.leaf("line", &line);
        let style = [
            ("rx", &4 as &dyn Display),
            ("fill", &GATEWAY.1),
            ("stroke", &GATEWAY.0),
        ];
        svg.rect((x, GATEWAYS_Y, GATEWAY_W, 34), &style);
        svg.text_at(x + 8, GATEWAYS_Y + 14, &[("font-weight", &600)], g.what);
        let name = fit(&g.name, chars(GATEWAY_W - 16));
        svg.text_at(x + 8, GATEWAYS_Y + 27, &[("fill", &MUTED)], &name);
        svg.close("g");
    }
}

/// Each tier's name (and kind, when the name does not say it) left of its row.
fn draw_tier_labels(svg: &mut Svg, plan: &Plan, scene: &Scene, frame: &Frame) {
    for (tier, y) in scene.tiers.iter().zip(frame.row_tops()) {
        let kind = tier_kind(&plan.design, tier);
        svg.open("g", &[("class", &"tier-label"), ("data-tier", tier)]);
        let style = [
            ("font-weight", &600 as &dyn Display),
            ("fill", &colours(kind).0),
        ];
        svg.text_at(PAD + 12, y + 16, &style, &fit(tier, chars(TIER_W - 8)));
        if *tier != kind_name(kind) {
            svg.text_at(PAD + 12, y + 30, &[("fill", &MUTED)], kind_name(kind));
        }
        svg.close("g");
    }
    if scene.tiers.is_empty() {
        let none = "no tiers: the VPC has no subnets";
        svg.text_at(PAD + 12, frame.grid_y + 56, &[("fill", &MUTED)], none);
    }
}

/// One subnet's box at (`x`, `y`).
fn draw_cell(svg: &mut Svg, cell: &Cell, x: u32, y: u32) {
    let s = cell.subnet;
    let w = COL_W - 16;
    let (stroke, fill) = colours(cell.kind);
    svg.open(
        "g",
        &[
            ("class", &"subnet"),
            ("data-cidr", &s.cidr),
            ("data-tier", &s.tier),
            ("data-az", &s.availability_zone),
            ("data-kind", &kind_name(cell.kind)),
        ],
    );
    let style = [
        ("rx", &4 as &dyn Display),
        ("fill", &fill),
        ("stroke", &stroke),
    ];
    svg.rect((x, y, w, height(cell)), &style);
    let badge_w = badge(svg, &cell.acl, x + w, y);
    let name = fit(&cell.name, chars(w - 16 - badge_w));
    svg.text_at(x + 8, y + 16, &[("font-weight", &600)], &name);
    let cidr = format!("{} · {} usable", s.cidr, thousands(s.usable_addresses));
    let cidr = fit(&cidr, chars(w - 16));
    svg.text_at(x + 8, y + 16 + LINE, &[("font-family", &MONO)], &cidr);
    let mut ly = y + 16 + 2 * LINE;
    for (line, route) in &cell.lines {
        let line = fit(line, chars(w - 24));
        if *route {
            svg.text_at(x + 16, ly, &[("font-family", &MONO)], &line);
        } else {
            svg.text_at(x + 8, ly, &[("fill", &MUTED)], &line);
        }
        ly += LINE;
    }
    let mut ty = y + 10 + (2 + cell.lines.len() as u32) * LINE;
    for thing in &cell.things {
        let (class, (stroke, fill)) = match thing.kind {
            ThingKind::Nat => ("nat", NAT),
            ThingKind::Instance => ("instance", INSTANCE),
            ThingKind::Endpoint => ("endpoint", ENDPOINT),
        };
        svg.open("g", &[("class", &class), ("data-az", &thing.az)]);
        let style = [
            ("rx", &3 as &dyn Display),
            ("fill", &fill),
            ("stroke", &stroke),
        ];
        svg.rect((x + 8, ty, w - 16, THING_H), &style);
        let title = fit(&thing.title, chars(w - 32));
        svg.text_at(x + 16, ty + 13, &[("font-weight", &600)], &title);
        let detail = fit(&thing.detail, chars(w - 32));
        svg.text_at(x + 16, ty + 26, &[("fill", &MUTED)], &detail);
        svg.close("g");
        ty += THING_H + 6;
    }
    svg.close("g");
}

/// The key to colours: words with their stroke and fill.
const LEGEND: [(&str, (&str, &str)); 7] = [
    ("public", colours(Some(TierKind::Public))),
    ("private", colours(Some(TierKind::Private))),
    ("isolated", colours(Some(TierKind::Isolated))),
    ("NAT", NAT),
    ("instance", INSTANCE),
    ("endpoint", ENDPOINT),
    ("gateway", GATEWAY),
];
const LEGEND_W: u32 = 86;

/// The legend of a scene: the colours, then the ACL badges it shows.
fn legend_items(scene: &Scene) -> Vec<(&'static str, (&'static str, &'static str))> {
    let (named, deny_all) = scene.marks;
    LEGEND
        .into_iter()
        .chain(named.then_some(("network ACL", ACL)))
        .chain(deny_all.then_some(("default: deny all", DENY_ALL)))
        .collect()
}

/// The width of one legend entry.
fn entry_width(label: &str) -> u32 {
    LEGEND_W.max(17 + (label.chars().count() as f64 * CHAR_W) as u32 + 12)
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

/// The key to colours, as placed.
fn legend(svg: &mut Svg, placed: &[Placed]) {
    svg.open("g", &[("class", &"legend")]);
    for (x, y, label, (stroke, fill)) in placed {
        let style = [
            ("rx", &2 as &dyn Display),
            ("fill", fill),
            ("stroke", stroke),
        ];
        svg.rect((*x, y - 10, 12, 12), &style);
        svg.text_at(x + 17, *y, &[], label);
    }
    svg.close("g");
}

/// The badge of a subnet's network ACL, right-aligned at `right` on the box's first line;
/// returns the width it takes (none for the default ACL).
fn badge(svg: &mut Svg, acl: &SubnetAcl, right: u32, y: u32) -> u32 {
    let Some(text) = acl.badge() else {
        return 0;
    };
    let text = fit(&text, chars(COL_W / 2));
    let w = (text.chars().count() as f64 * CHAR_W * 10.0 / 11.0) as u32 + 12;
    let (class, (stroke, fill), name) = match acl {
        SubnetAcl::Named(name) => ("acl-badge", ACL, name.as_str()),
        _ => ("acl-badge deny-all", DENY_ALL, ""),
    };
    svg.open("g", &[("class", &class), ("data-acl", &name)]);
    let style = [
        ("rx", &7 as &dyn Display),
        ("fill", &fill),
        ("stroke", &stroke),
    ];
    svg.rect((right - w - 6, y + 5, w, 15), &style);
    let words = [("font-size", &10 as &dyn Display), ("fill", &stroke)];
    svg.text_at(right - w, y + 16, &words, &text);
    svg.close("g");
    w + 6
}

/// The diagram of a design without a VPC: what it holds instead.
fn no_vpc(svg: &mut Svg, plan: &Plan, title: &str) {
    let count = |one: &str, many: &str, f: fn(&ResourceKind) -> bool| {
        let n = plan.resources.iter().filter(|r| f(&r.kind)).count();
        format!("{n} {}", if n == 1 { one } else { many })
    };
    let iam = [
        count("role", "roles", |k| matches!(k, ResourceKind::IamRole(_))),
        count("policy", "policies", |k| {
            matches!(k, ResourceKind::IamPolicy(_))
        }),
        count("instance profile", "instance profiles", |k| {
            matches!(k, ResourceKind::IamInstanceProfile(_))
        }),
    ];
    let (width, height) = (520, 84);
    open_root(svg, "topology-svg no-vpc", (width, height), title);
    let dashed = [
        ("rx", &6 as &dyn Display),
        ("fill", &"#f8fafc"),
        ("stroke", &"#94a3b8"),
        ("stroke-dasharray", &"4 3"),
    ];
    svg.rect((1, 1, width - 2, height - 2), &dashed);
    let what = format!("{}: no VPC", plan.design.name);
    let what = fit(&what, chars(width - 32) * 11 / 13);
    svg.text_at(16, 32, &[("font-size", &13), ("font-weight", &600)], &what);
    let holds = format!("IAM only: {}.", iam.join(", "));
    svg.text_at(16, 56, &[("fill", &MUTED)], &fit(&holds, chars(width - 32)));
    svg.close("svg");
}

/// Properties of [`Topology`].
#[derive(Properties, PartialEq, Clone)]
pub struct TopologyProps {
    /// The plan drawn.
    pub planned: Rc<Planned>,
}

/// The topology diagram.
#[function_component]
pub fn Topology(props: &TopologyProps) -> Html {
    let svg = use_memo(props.planned.clone(), |p| AttrValue::from(topology_svg(p)));
    // As nodes, so a new plan patches what changed (see `markup`); built here rather than
    // memoized, so Yew takes them without copying.
    let drawing =
        markup::svg_html(&svg).unwrap_or_else(|| Html::from_html_unchecked((*svg).clone()));
    html! {
        <section class="topology" aria-labelledby="topology-title">
            <h2 id="topology-title">{ "Topology" }</h2>
            <div class="topology-drawing">{ drawing }</div>
        </section>
    }
}
