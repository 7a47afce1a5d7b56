//! The topology diagram's parts written as SVG where [`super::geometry`] places them: the
//! gateways, the AZ columns and tier headings, each subnet's box, the bands of what security
//! groups are attached to, the default routes' arrows and the legend.

use std::fmt::Display;

use planner_core::resource::InstanceRole;
use planner_core::{Plan, TierKind};

use super::geometry::{
    arrowhead, badge_width, chip_text, chip_width, cidr_text, col_x, thing_height, title_lines,
    Band, CellGeom, Dir, Frame, Placed, BAND_LINE, CELL_W, CHIP_H, CHIP_X, COLUMN_HEAD, COL_W,
    FONT, IGW_H, INSET, LINE, PAD, SMALL, VPC_IN,
};
use super::scene::{Cell, Gateway, Member, Scene, ThingKind};
use super::svg::Svg;
use crate::draw::labels::{fit_width, kind_name, text_width, thousands, tier_kind, SubnetAcl};

/// Stroke and fill of gateways, NATs, instances, endpoints, front ends and other members.
pub(super) const GATEWAY: (&str, &str) = ("#0e7490", "#ecfeff");
pub(super) const NAT: (&str, &str) = ("#c2410c", "#fff7ed");
pub(super) const INSTANCE: (&str, &str) = ("#475569", "#ffffff");
pub(super) const ENDPOINT: (&str, &str) = ("#0f766e", "#f0fdfa");
pub(super) const FRONT_END: (&str, &str) = ("#be185d", "#fdf2f8");
pub(super) const MEMBER: (&str, &str) = ("#4b5563", "#f3f4f6");
/// Stroke and fill of a subnet's network ACL badge, and of one on a default ACL denying all.
pub(super) const ACL: (&str, &str) = ("#b54708", "#fffaeb");
pub(super) const DENY_ALL: (&str, &str) = ("#b42318", "#fef3f2");
pub(super) const MUTED: &str = "#5b6575";

/// Stroke and fill of a tier kind.
pub(super) const fn colours(kind: Option<TierKind>) -> (&'static str, &'static str) {
    match kind {
        Some(TierKind::Public) => ("#16a34a", "#f0fdf4"),
        Some(TierKind::Private) => ("#2563eb", "#eff6ff"),
        Some(TierKind::Isolated) => ("#7c3aed", "#f5f3ff"),
        None => ("#6b7280", "#f9fafb"),
    }
}

/// `text` cut to `width` pixels at the diagram's font.
fn fit(text: &str, width: u32, bold: bool) -> String {
    fit_width(text, FONT, bold, f64::from(width)).into_owned()
}

/// The internet, the egress-only gateway beside it, the VPC's heading, and the internet
/// gateway's bar across the VPC's top edge with the line from the internet to it.
pub(super) fn gateways(svg: &mut Svg, scene: &Scene, frame: &Frame, header: &str) {
    let right = PAD + frame.vpc_w;
    let words = [
        ("text-anchor", &"end" as &dyn Display),
        ("font-weight", &600),
    ];
    svg.text_at(right - 4, PAD + 14, &words, "Internet");
    let mut x = PAD;
    if scene.gateways.is_empty() {
        let none = "no internet gateway: nothing in the VPC reaches the internet";
        svg.text_at(
            PAD,
            PAD + 14,
            &[("fill", &MUTED)],
            &fit(none, frame.vpc_w - 70, false),
        );
    }
    for g in scene.gateways.iter().filter(|g| g.class != "igw") {
        let w = (text_width(&g.name, FONT, false).max(150.0) + 16.0) as u32;
        svg.open("g", &[("class", &format!("gateway {}", g.class))]);
        gateway_box(svg, g, (x, PAD, w, 30));
        svg.close("g");
        x += w + 12;
    }
    let bold = [("font-size", &13 as &dyn Display), ("font-weight", &600)];
    let header = fit_width(header, 13.0, true, f64::from(frame.vpc_w - 30));
    svg.text_at(PAD, frame.header_y, &bold, &header);
    let Some(igw) = scene.gateways.iter().find(|g| g.class == "igw") else {
        return;
    };
    svg.open("g", &[("class", &"gateway igw")]);
    let (top, wire) = (frame.vpc_y - IGW_H / 2, right - 24);
    let line = [
        ("x1", &wire as &dyn Display),
        ("y1", &(PAD + 20)),
        ("x2", &wire),
        ("y2", &top),
        ("stroke", &GATEWAY.0),
        ("stroke-width", &1.5),
    ];
    svg.leaf("line", &line);
    let x = col_x(0);
    gateway_box(svg, igw, (x, top, right - VPC_IN - x, IGW_H));
    svg.close("g");
}

/// A gateway's box: what it is, then its name.
fn gateway_box(svg: &mut Svg, g: &Gateway, (x, y, w, h): (u32, u32, u32, u32)) {
    let style = [
        ("rx", &4 as &dyn Display),
        ("fill", &GATEWAY.1),
        ("stroke", &GATEWAY.0),
    ];
    svg.rect((x, y, w, h), &style);
    if h < 30 {
        let what = text_width(g.what, FONT, true).ceil() as u32;
        svg.text_at(x + 8, y + h / 2 + 4, &[("font-weight", &600)], g.what);
        let name = fit(&g.name, w.saturating_sub(what + 24), false);
        svg.text_at(x + 16 + what, y + h / 2 + 4, &[("fill", &MUTED)], &name);
    } else {
        svg.text_at(x + 8, y + 13, &[("font-weight", &600)], g.what);
        svg.text_at(
            x + 8,
            y + 26,
            &[("fill", &MUTED)],
            &fit(&g.name, w - 16, false),
        );
    }
}

/// Each AZ's dashed column with its heading.
pub(super) fn columns(svg: &mut Svg, scene: &Scene, frame: &Frame) {
    for (ai, az) in scene.azs.iter().enumerate() {
        let x = col_x(ai);
        svg.open("g", &[("class", &"az"), ("data-az", az)]);
        let dashed = [
            ("rx", &4 as &dyn Display),
            ("fill", &"none"),
            ("stroke", &"#94a3b8"),
            ("stroke-dasharray", &"4 3"),
        ];
        svg.rect((x, frame.grid_y, COL_W, frame.column_h), &dashed);
        let heading = [
            ("text-anchor", &"middle" as &dyn Display),
            ("font-weight", &600),
        ];
        let y = frame.grid_y + COLUMN_HEAD / 2 + 5;
        svg.text_at(x + COL_W / 2, y, &heading, &fit(az, COL_W - 16, true));
        svg.close("g");
    }
}

/// Each tier's name (and kind, when the name does not say it) above its row.
pub(super) fn tier_labels(svg: &mut Svg, plan: &Plan, scene: &Scene, frame: &Frame) {
    for (tier, row) in scene.tiers.iter().zip(&frame.rows) {
        let kind = tier_kind(&plan.design, tier);
        svg.open("g", &[("class", &"tier-label"), ("data-tier", tier)]);
        let style = [
            ("font-weight", &600 as &dyn Display),
            ("fill", &colours(kind).0),
        ];
        let label = if *tier == kind_name(kind) {
            tier.to_string()
        } else {
            format!("{tier} · {}", kind_name(kind))
        };
        svg.text_at(
            col_x(0) + INSET,
            row.top + 14,
            &style,
            &fit(&label, frame.vpc_w - 40, true),
        );
        svg.close("g");
    }
    if scene.tiers.is_empty() {
        let none = "no tiers: the VPC has no subnets";
        let y = frame.grid_y + COLUMN_HEAD + 16;
        svg.text_at(col_x(0) + INSET, y, &[("fill", &MUTED)], none);
    }
}

/// One subnet's box at (`x`, `y`).
pub(super) fn cell(svg: &mut Svg, cell: &Cell, geom: &CellGeom, (x, y): (u32, u32)) {
    let s = cell.subnet;
    let w = CELL_W;
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
    svg.rect((x, y, w, geom.height), &style);
    let badge_w = match geom.badge_below {
        true => badge(svg, &cell.acl, (x + 8, y + 15 + 2), false),
        false => badge(svg, &cell.acl, (x + w - 6, y), true),
    };
    let room = if geom.badge_below {
        w - 16
    } else {
        w - 16 - badge_w
    };
    svg.text_at(
        x + 8,
        y + 15,
        &[("font-weight", &600)],
        &fit(&cell.name, room, true),
    );
    let mut ny = y + geom.cidr_y;
    if geom.cidr_split {
        svg.text_at(x + 8, ny, &[], &fit(&s.cidr.to_string(), w - 16, false));
        ny += LINE;
        let usable = format!("{} usable", thousands(s.usable_addresses));
        svg.text_at(x + 8, ny, &[("fill", &MUTED)], &usable);
    } else {
        svg.text_at(x + 8, ny, &[], &cidr_text(cell));
    }
    for note in &cell.notes {
        ny += LINE;
        svg.text_at(x + 8, ny, &[("fill", &MUTED)], &fit(note, w - 16, false));
    }
    match &cell.table {
        Some(table) => route_table(svg, table, geom, (x, y)),
        None => {
            let ny = y + geom.routes_y;
            svg.text_at(x + 8, ny, &[("fill", &MUTED)], "no route table");
        }
    }
    for (i, line) in cell.routes.iter().enumerate() {
        let ly = y + geom.routes_y + LINE * i as u32;
        let line = fit(line, w - CHIP_X - 8, false);
        svg.text_at(x + CHIP_X, ly, &[("class", &"route")], &line);
    }
    for (k, thing) in cell.things.iter().enumerate() {
        let (class, (stroke, fill)) = match thing.kind {
            ThingKind::Nat => ("nat", NAT),
            ThingKind::Instance => match thing.role {
                Some(InstanceRole::Bastion | InstanceRole::JumpHost) => {
                    ("instance bastion", INSTANCE)
                }
                _ => ("instance", INSTANCE),
            },
            ThingKind::Endpoint => ("endpoint", ENDPOINT),
        };
        svg.open("g", &[("class", &class), ("data-az", &thing.az)]);
        let style = [
            ("rx", &3 as &dyn Display),
            ("fill", &fill),
            ("stroke", &stroke),
        ];
        let ty = y + geom.things_y[k];
        svg.rect((x + 8, ty, w - 16, thing_height(&thing.title)), &style);
        let mut ly = ty + 12;
        for line in title_lines(&thing.title) {
            svg.text_at(
                x + 16,
                ly,
                &[("font-weight", &600)],
                &fit(line, w - 32, true),
            );
            ly += LINE - 2;
        }
        let detail = fit(&thing.detail, w - 32, false);
        svg.text_at(x + 16, ly, &[("fill", &MUTED)], &detail);
        svg.close("g");
    }
    svg.close("g");
}

/// The subnet's route table as a box, with the arrow from the subnet's CIDR to it.
fn route_table(svg: &mut Svg, table: &str, geom: &CellGeom, (x, y): (u32, u32)) {
    let (top, cw) = (y + geom.chip_y, chip_width(table));
    let mid = top + CHIP_H / 2;
    svg.open(
        "g",
        &[("class", &"route-table"), ("data-route-table", &table)],
    );
    let wire = format!("M{},{} V{mid} H{}", x + 11, top - 3, x + CHIP_X - 1);
    let line = [
        ("class", &"route-arrow to-table" as &dyn Display),
        ("d", &wire),
        ("fill", &"none"),
        ("stroke", &MUTED),
    ];
    svg.leaf("path", &line);
    let head = [
        (
            "d",
            &arrowhead((x + CHIP_X, mid, Dir::Right)) as &dyn Display,
        ),
        ("fill", &MUTED),
    ];
    svg.leaf("path", &head);
    let style = [
        ("rx", &3 as &dyn Display),
        ("fill", &"#ffffff"),
        ("stroke", &MUTED),
    ];
    svg.rect((x + CHIP_X, top, cw, CHIP_H), &style);
    let text = fit_width(&chip_text(table), SMALL, false, f64::from(cw - 10)).into_owned();
    svg.text_at(x + CHIP_X + 6, top + 12, &[("font-size", &10)], &text);
    svg.close("g");
}

/// The bands of each tier's row: what the design's security groups are attached to there,
/// across the AZs the tier has subnets in.
pub(super) fn members(svg: &mut Svg, scene: &Scene, frame: &Frame) {
    for ((members, row), tier) in scene.members.iter().zip(&frame.rows).zip(&scene.tiers) {
        for (m, b) in members.iter().zip(&row.bands) {
            band(svg, m, tier, b);
        }
    }
}

/// One member's band.
fn band(svg: &mut Svg, m: &Member, tier: &str, b: &Band) {
    let (class, (stroke, fill)) = if m.front_end() {
        ("member front-end", FRONT_END)
    } else if m.role.is_remote_access_host() {
        ("member bastion", MEMBER)
    } else {
        ("member", MEMBER)
    };
    svg.open(
        "g",
        &[
            ("class", &class),
            ("data-role", &m.role.as_str()),
            ("data-name", &m.name),
            ("data-tier", &tier),
        ],
    );
    let style = [
        ("rx", &3 as &dyn Display),
        ("fill", &fill),
        ("stroke", &stroke),
    ];
    let (x, y, w, h) = b.at;
    svg.rect((x, y, w, h), &style);
    let bold = [("font-weight", &600 as &dyn Display), ("fill", &stroke)];
    let mut ly = y + 14;
    for line in &b.title {
        svg.text_at(x + 8, ly, &bold, &fit(line, w - 16, true));
        ly += BAND_LINE;
    }
    if b.inline {
        let title_w = text_width(&b.title[0], FONT, true).ceil() as u32;
        svg.text_at(x + 20 + title_w, y + 14, &[("fill", &MUTED)], &b.groups);
    } else {
        svg.text_at(
            x + 8,
            ly,
            &[("fill", &MUTED)],
            &fit(&b.groups, w - 16, false),
        );
    }
    svg.close("g");
}

/// The default routes' arrows: from each subnet's route table up to the internet gateway or
/// into its NAT's box.
pub(super) fn routes(svg: &mut Svg, scene: &Scene, frame: &Frame) {
    svg.open("g", &[("class", &"routes")]);
    for (ti, row) in scene.grid.iter().enumerate() {
        for (ai, cell) in row.iter().enumerate() {
            let (Some(cell), Some(arrow)) = (cell, frame.route(scene, ti, ai)) else {
                continue;
            };
            let (class, colour) = match arrow.nat {
                true => ("route-arrow to-nat", NAT.0),
                false => ("route-arrow to-igw", GATEWAY.0),
            };
            let path = [
                ("class", &class as &dyn Display),
                ("data-cidr", &cell.subnet.cidr),
                ("d", &arrow.d),
                ("fill", &"none"),
                ("stroke", &colour),
                ("stroke-width", &1.5),
                ("stroke-linejoin", &"round"),
            ];
            svg.leaf("path", &path);
            let head = [
                ("d", &arrowhead(arrow.head) as &dyn Display),
                ("fill", &colour),
            ];
            svg.leaf("path", &head);
        }
    }
    svg.close("g");
}

/// The key to colours, as placed.
pub(super) fn legend(svg: &mut Svg, placed: &[Placed]) {
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

/// The badge of a subnet's network ACL, right-aligned at `x` on the box's first line (or
/// left-aligned on a line of its own); returns the width it takes (none for the default ACL).
fn badge(svg: &mut Svg, acl: &SubnetAcl, (x, y): (u32, u32), right: bool) -> u32 {
    let Some(text) = acl.badge() else {
        return 0;
    };
    let text = fit_width(&text, SMALL, false, f64::from(CELL_W - 28)).into_owned();
    let w = badge_width(&text);
    let (class, (stroke, fill), name) = match acl {
        SubnetAcl::Named(name) => ("acl-badge", ACL, name.as_str()),
        _ => ("acl-badge deny-all", DENY_ALL, ""),
    };
    let left = if right { x - w } else { x };
    svg.open("g", &[("class", &class), ("data-acl", &name)]);
    let style = [
        ("rx", &7 as &dyn Display),
        ("fill", &fill),
        ("stroke", &stroke),
    ];
    svg.rect((left, y + 4, w, 15), &style);
    let words = [("font-size", &10 as &dyn Display), ("fill", &stroke)];
    svg.text_at(left + 6, y + 15, &words, &text);
    svg.close("g");
    w + 6
}

/// `text` cut to `width` pixels at `size` (bold from 13 pixels up).
pub(super) fn fit_to(text: &str, size: f64, width: u32) -> String {
    fit_width(text, size, size >= 13.0, f64::from(width)).into_owned()
}
