//! Layout tests on the module's small design.

use super::*;
use crate::draw::sg_graph::fixture::graph;

#[test]
fn boxes_are_as_wide_as_the_longest_name() {
    let design = planner_core::presets::build("titus", &[]).unwrap();
    let plan = planner_core::plan(&design, None).unwrap().plan;
    let d = Diagram::of(&planner_core::analysis::sg_graph::Graph::new(&plan));
    let l = layout(&d);
    assert!(d.nodes.iter().any(|n| n.label == "titusmaster-mainvpc"));
    let name = text_width("titusmaster-mainvpc", NAME_SIZE, true) + 2.0 * NODE_PAD;
    assert!(l.node_w >= name, "{} < {name}", l.node_w);
    check(&d, &l);
}

fn drawn() -> (Diagram, Layout) {
    let d = Diagram::of(&graph());
    let l = layout(&d);
    (d, l)
}

#[test]
fn layers_count_the_longest_way_from_the_internet() {
    let (d, l) = drawn();
    let layer = |k: &str| l.layers[d.nodes.iter().position(|n| n.key == k).unwrap()];
    assert_eq!((layer("internet"), layer("block:192.168.0.0/16")), (0, 0));
    assert_eq!((layer("group:alb"), layer("group:bastion")), (1, 1));
    assert_eq!(
        layer("group:app"),
        2,
        "behind alb, though the office reaches it directly"
    );
    assert_eq!(layer("group:db"), 3, "behind app");
    assert_eq!(layer("group:spare"), 1, "unreached: a top of its own");
}

#[test]
fn cycles_point_up_and_unreached_chains_start_at_their_head() {
    // 0 is the internet; 2 → 1 → 3 and nothing reaches 2; 4 and 5 reach each other only;
    // 0 → 6 → 7 → 6 is a cycle below the internet.
    let links = [
        (1, 3),
        (2, 1),
        (4, 5),
        (5, 4),
        (0, 6),
        (6, 7),
        (7, 6),
        (6, 6),
    ];
    let (layer, back) = layers(8, &[0], &links);
    assert_eq!(layer, [0, 2, 1, 3, 1, 2, 1, 2]);
    assert_eq!(back, [false, false, false, true, false, false, true, false]);
}

#[test]
fn layout_is_deterministic_and_nothing_overlaps() {
    let (d, l) = drawn();
    assert_eq!(l, layout(&d));
    check(&d, &l);
}

/// Every preset's graph, with each of its choices, lays out cleanly.
#[test]
fn every_preset_lays_out_cleanly() {
    use planner_core::presets::{self, ParamKind};
    for info in presets::list() {
        let mut variants: Vec<Vec<(&str, &str)>> = vec![vec![]];
        for p in info.params {
            let values: &[&str] = match p.kind {
                ParamKind::Bool => &["true"],
                ParamKind::OneOf(choices) => choices,
                _ => &[],
            };
            variants.extend(values.iter().map(|v| vec![(p.key, *v)]));
        }
        for params in variants {
            let doc = crate::state::preset(info.name, &params).unwrap();
            let design = planner_core::parse_design(&doc.to_string()).unwrap();
            let plan = planner_core::plan(&design, None).unwrap().plan;
            let d = Diagram::of(&planner_core::analysis::sg_graph::Graph::new(&plan));
            check(&d, &layout(&d));
        }
    }
}

/// No two boxes overlap, nor two labels, nor a label and a box; arrows start on a box; all
/// of it lies inside the drawing.
fn check(d: &Diagram, l: &Layout) {
    assert_eq!(l.routes.len(), d.links.len());
    for n in &d.nodes {
        let name = text_width(&n.label, NAME_SIZE, true) + 2.0 * NODE_PAD;
        let detail = text_width(&n.detail, DETAIL_SIZE, false) + 2.0 * NODE_PAD;
        assert!(
            name.max(detail) <= l.node_w || l.node_w == MAX_NODE_W,
            "{} / {} cut in a box {} wide",
            n.label,
            n.detail,
            l.node_w
        );
    }
    for (i, a) in l.boxes.iter().enumerate() {
        assert!(a.0 >= 0.0 && a.1 >= 0.0);
        assert!(
            a.0 + l.node_w <= l.size.0 && a.1 + NODE_H <= l.size.1,
            "{a:?} in {:?}",
            l.size
        );
        for b in &l.boxes[i + 1..] {
            let apart = (a.0 - b.0).abs() >= l.node_w || (a.1 - b.1).abs() >= NODE_H;
            assert!(apart, "{a:?} overlaps {b:?}");
        }
    }
    let half = |i: usize| d.links[i].label.chars().count() as f64 * CHAR_W / 2.0;
    let on_a_label = |b: &(f64, f64), r: &Route, i: usize| {
        (r.label.0 - b.0 - l.node_w / 2.0).abs() < l.node_w / 2.0 + half(i)
            && (r.label.1 - b.1 - NODE_H / 2.0).abs() < NODE_H / 2.0 + LABEL_H / 2.0
    };
    for (i, r) in l.routes.iter().enumerate() {
        assert!(r.d.starts_with('M') && r.d.contains(" C"), "{}", r.d);
        let start: Vec<f64> = r.d[1..]
            .split([',', ' '])
            .take(2)
            .map(|v| v.parse().unwrap())
            .collect();
        let on_a_box = l.boxes.iter().any(|b| {
            (b.0..=b.0 + l.node_w).contains(&start[0]) && (b.1..=b.1 + NODE_H).contains(&start[1])
        });
        assert!(on_a_box, "{} starts off its box", d.links[i].title);
        for b in &l.boxes {
            assert!(
                !on_a_label(b, r, i),
                "label {} on the box at {b:?}",
                d.links[i].label
            );
        }
        assert!(
            r.label.0 - half(i) > 0.0 && r.label.0 + half(i) <= l.size.0,
            "{r:?}"
        );
        assert!(r.reach.0 <= l.size.0 && r.reach.1 <= l.size.1, "{r:?}");
        for (j, q) in l.routes.iter().enumerate().skip(i + 1) {
            let apart = (r.label.1 - q.label.1).abs() >= LABEL_H
                || (r.label.0 - q.label.0).abs() >= half(i) + half(j);
            assert!(
                apart,
                "labels {} and {} overlap",
                d.links[i].label, d.links[j].label
            );
        }
    }
}

#[test]
fn arrows_run_down_between_layers() {
    let (d, l) = drawn();
    let at = |k: &str| d.nodes.iter().position(|n| n.key == k).unwrap();
    let i = d
        .links
        .iter()
        .position(|k| k.from == at("internet") && k.to == at("group:alb"))
        .unwrap();
    let (alb, internet) = (l.boxes[at("group:alb")], l.boxes[at("internet")]);
    let r = &l.routes[i];
    let start: Vec<f64> = r.d[1..]
        .split([',', ' '])
        .take(2)
        .map(|v| v.parse().unwrap())
        .collect();
    assert!(
        internet.0 < start[0] && start[0] < internet.0 + l.node_w,
        "{}",
        r.d
    );
    assert_eq!(
        start[1],
        internet.1 + NODE_H,
        "leaves the internet's bottom"
    );
    assert!(r.d.ends_with(&format!("{:.1}", alb.1)), "{}", r.d);
    assert!(internet.1 < r.label.1 && r.label.1 < alb.1);
}

#[test]
fn a_graph_without_groups_is_the_internet_alone() {
    let d = Diagram {
        nodes: vec![Diagram::of(&graph()).nodes[0].clone()],
        links: vec![],
    };
    let l = layout(&d);
    assert_eq!(l.layers, [0]);
    assert_eq!(l.size, (NODE_W + 2.0 * MARGIN, NODE_H + 2.0 * MARGIN));
}
