//! The topology diagram: the internet gateway across the VPC's top edge, one column per
//! availability zone with its subnets in tier rows, the NATs and instances where they sit,
//! bands across a tier for what the design's security groups are attached to there (the front
//! end, app hosts, databases, bastions), each subnet's route table with arrows for its default
//! route to the internet gateway or its NAT, and a badge naming its network ACL (or saying that
//! its default ACL denies everything).
//!
//! [`topology_svg`] is a pure function to a standalone SVG document (inline attributes only,
//! since it is also downloaded as a file); the same plan gives the same bytes. On the page the
//! drawing scales to its panel (`draw.css`), and [`Topology`]'s buttons zoom it.

mod geometry;
mod paint;
mod scene;
mod svg;
#[cfg(test)]
mod tests;

use std::fmt::Display;
use std::rc::Rc;

use planner_core::{Plan, Planned, ResourceKind, TierKind};
use yew::prelude::*;

use geometry::{col_x, Frame, FONT, INSET};
use paint::{colours, ACL, DENY_ALL, ENDPOINT, FRONT_END, GATEWAY, INSTANCE, MEMBER, MUTED, NAT};
use scene::Scene;
use svg::Svg;

const SANS: &str = "system-ui, -apple-system, Segoe UI, Roboto, sans-serif";

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
    drawing(planned).0
}

/// The topology diagram of a plan and its natural width in pixels.
fn drawing(planned: &Planned) -> (String, u32) {
    let plan = &planned.plan;
    let title = format!("{}: network topology", plan.design.name);
    let mut svg = Svg::new();
    let Some(vpc) = &plan.design.vpc else {
        let width = no_vpc(&mut svg, plan, &title);
        return (svg.finish(), width);
    };
    let scene = Scene::new(plan);
    let blocks: Vec<String> = std::iter::once(vpc.cidr)
        .chain(vpc.secondary_cidrs.iter().copied())
        .map(|c| c.to_string())
        .collect();
    let v6 = if vpc.ipv6 { " · IPv6 /56" } else { "" };
    let header = format!(
        "VPC {} · {}{v6} · {} subnets",
        plan.design.name,
        blocks.join(" + "),
        plan.allocation.subnets.len()
    );
    let frame = Frame::new(&scene, &legend_items(&scene));
    open_root(
        &mut svg,
        "topology-svg",
        (frame.width, frame.height),
        &title,
    );
    svg.rect((0, 0, frame.width, frame.height), &[("fill", &"#ffffff")]);
    svg.open("g", &[("class", &"vpc"), ("data-cidr", &vpc.cidr)]);
    let stroke = [
        ("rx", &6 as &dyn Display),
        ("fill", &"#f8fafc"),
        ("stroke", &"#334155"),
    ];
    svg.rect(
        (geometry::PAD, frame.vpc_y, frame.vpc_w, frame.vpc_h),
        &stroke,
    );
    paint::gateways(&mut svg, &scene, &frame, &header);
    paint::columns(&mut svg, &scene, &frame);
    paint::tier_labels(&mut svg, plan, &scene, &frame);
    for (ti, row) in scene.grid.iter().enumerate() {
        for (ai, cell) in row.iter().enumerate() {
            if let (Some(cell), Some(geom)) = (cell, &frame.cells[ti][ai]) {
                let at = (col_x(ai) + INSET, frame.rows[ti].cells_y);
                paint::cell(&mut svg, cell, geom, at);
            }
        }
    }
    paint::members(&mut svg, &scene, &frame);
    paint::routes(&mut svg, &scene, &frame);
    svg.close("g");
    paint::legend(&mut svg, &frame.legend);
    svg.close("svg");
    (svg.finish(), frame.width)
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

/// The legend of a scene: the colours, then the bands and ACL badges it shows.
fn legend_items(scene: &Scene) -> Vec<(&'static str, (&'static str, &'static str))> {
    let (named, deny_all) = scene.marks;
    let members = || scene.members.iter().flatten();
    LEGEND
        .into_iter()
        .chain(
            members()
                .any(|m| m.front_end())
                .then_some(("front end", FRONT_END)),
        )
        .chain(
            members()
                .any(|m| !m.front_end())
                .then_some(("attached group", MEMBER)),
        )
        .chain(named.then_some(("network ACL", ACL)))
        .chain(deny_all.then_some(("default: deny all", DENY_ALL)))
        .collect()
}

/// The diagram of a design without a VPC: what it holds instead; returns its width.
fn no_vpc(svg: &mut Svg, plan: &Plan, title: &str) -> u32 {
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
    let what = paint::fit_to(&what, 13.0, width - 32);
    svg.text_at(16, 32, &[("font-size", &13), ("font-weight", &600)], &what);
    let holds = format!("IAM only: {}.", iam.join(", "));
    let holds = paint::fit_to(&holds, FONT, width - 32);
    svg.text_at(16, 56, &[("fill", &MUTED)], &holds);
    svg.close("svg");
    width
}

/// Properties of [`Topology`].
#[derive(Properties, PartialEq, Clone)]
pub struct TopologyProps {
    /// The plan drawn.
    pub planned: Rc<Planned>,
}

/// The zoom levels of the buttons, the panel's width being 1.
const ZOOMS: [f64; 7] = [0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 4.0];
/// The index of "fit" in [`ZOOMS`].
const FIT: usize = 2;

/// The topology diagram: scaled to its panel's width (never beyond its own size), and zoomed
/// by buttons, zoomed in scrolling inside the panel.
#[function_component]
pub fn Topology(props: &TopologyProps) -> Html {
    let drawn = use_memo(props.planned.clone(), |p| {
        let (svg, width) = drawing(p);
        (AttrValue::from(svg), width)
    });
    let zoom = use_state(|| FIT);
    let (svg, width) = (*drawn).clone();
    let step = |to: usize| {
        let zoom = zoom.clone();
        Callback::from(move |_: MouseEvent| zoom.set(to))
    };
    let z = *zoom;
    // As nodes, so a new plan patches what changed (see `markup`); built here rather than
    // memoized, so Yew takes them without copying.
    let picture = crate::markup::svg_html(&svg).unwrap_or_else(|| Html::from_html_unchecked(svg));
    let style = format!("--natural-width: {width}px; --zoom: {}", ZOOMS[z]);
    html! {
        <section class="topology" aria-labelledby="topology-title">
            <div class="topology-head">
                <h2 id="topology-title">{ "Topology" }</h2>
                <div class="topology-zoom" role="group" aria-label="Zoom the topology">
                    <button type="button" id="topology-zoom-out" aria-label="Zoom out"
                        disabled={z == 0} onclick={step(z.saturating_sub(1))}>{ "−" }</button>
                    <button type="button" id="topology-fit" aria-label="Fit to the panel"
                        aria-pressed={(z == FIT).to_string()} onclick={step(FIT)}>{ "Fit" }</button>
                    <button type="button" id="topology-zoom-in" aria-label="Zoom in"
                        disabled={z + 1 == ZOOMS.len()} onclick={step((z + 1).min(ZOOMS.len() - 1))}>{ "+" }</button>
                    <span class="zoom-level" aria-live="polite">{ format!("{:.0}%", ZOOMS[z] * 100.0) }</span>
                </div>
            </div>
            <div class="topology-drawing" {style} tabindex="0" aria-label="Topology drawing">
                { picture }
            </div>
        </section>
    }
}
