//! One input through everything a user or the executor can run it through, written down as a
//! transcript: the readers (`parse_input`, and `parse_for_editing` as the editor reads a file),
//! `plan()` of a design, `validate()` of a plan (which re-plans it against its own allocation),
//! the checks, reachability for a few endpoint pairs, the exposure report and matrix, the
//! executor's policy and the NAT cost. A plan file's own resources go through the analyses as
//! given (as `executor reach`, `exposure` and `policy` do), hand edits and all.
//!
//! Two properties besides "no panic": the transcript is the same on a second run (byte for
//! byte), and a plan the planner writes reads back as itself.

use std::fmt::Write as _;

use planner_core::analysis::cost;
use planner_core::analysis::executor_policy::{policy, Target};
use planner_core::analysis::reach::Endpoint;
use planner_core::analysis::sg_graph::Graph;
use planner_core::design::sg::Protocol;
use planner_core::parse::parse_for_editing;
use planner_core::{parse_input, parse_plan, plan, validate, Input, Plan, Planned};

/// The transcript of `text` through every stage.
pub fn transcript(text: &str) -> String {
    let mut out = String::new();
    match parse_for_editing(text) {
        Ok((_, allocation)) => {
            let _ = writeln!(out, "editing: ok, allocation {}", allocation.is_some());
        }
        Err(e) => {
            let _ = writeln!(out, "editing: {e}");
        }
    }
    let input = match parse_input(text) {
        Ok(input) => input,
        Err(e) => {
            let _ = writeln!(out, "input: {e}");
            return out;
        }
    };
    match input {
        Input::Design(design) => planned(&mut out, "fresh", plan(&design, None)),
        Input::Plan(given) => {
            let _ = writeln!(out, "given plan:");
            analyse(&mut out, &given);
            match validate(&given) {
                Ok(d) => {
                    let _ = writeln!(out, "validate: {d:?}");
                }
                Err(e) => {
                    let _ = writeln!(out, "validate: {e}");
                }
            }
        }
    }
    out
}

fn planned(out: &mut String, what: &str, result: Result<Planned, planner_core::PlanError>) {
    match result {
        Ok(p) => {
            let json = p.plan.to_json();
            let back = parse_plan(&json)
                .unwrap_or_else(|e| panic!("a plan the planner wrote does not read back: {e}"));
            assert!(
                back == p.plan,
                "a plan the planner wrote reads back different"
            );
            let _ = writeln!(out, "{what}: {json}\nfindings: {:?}", p.diagnostics);
            analyse(out, &p.plan);
        }
        Err(e) => {
            let _ = writeln!(out, "{what}: {e}");
        }
    }
}

/// Reachability for a few endpoint pairs, exposure, the matrix, the executor's policy, cost.
fn analyse(out: &mut String, plan: &Plan) {
    let graph = Graph::new(plan);
    let mut ends = vec![
        Endpoint::Internet,
        Endpoint::Group("no-such-group".to_owned()),
    ];
    ends.extend(
        plan.design
            .security_groups
            .iter()
            .take(3)
            .map(|g| Endpoint::Group(g.name.clone())),
    );
    let questions = [
        (Protocol::Tcp, Some(22)),
        (Protocol::Tcp, Some(443)),
        (Protocol::Udp, Some(0)),
        (Protocol::Icmp, Some(8)),
        (Protocol::All, None),
    ];
    for (i, from) in ends.iter().enumerate() {
        for (j, to) in ends.iter().enumerate() {
            let (protocol, port) = questions[(i + j) % questions.len()];
            let _ = writeln!(
                out,
                "reach {from} {to}: {:?}",
                graph.reach(from, to, protocol, port)
            );
        }
    }
    let _ = writeln!(out, "exposure: {:?}", graph.exposure());
    let _ = writeln!(out, "matrix: {:?}", graph.matrix());
    let doc = policy(plan, &Target::default());
    let _ = writeln!(
        out,
        "policy: {}",
        serde_json::to_string(&doc).unwrap_or_else(|e| e.to_string())
    );
    let _ = writeln!(
        out,
        "cost: {:?}",
        cost::estimate(&plan.design, &plan.design.traffic)
    );
}

/// A preset built with parameters from the fuzzer: the `executor preset NAME --set k=v` path.
pub fn preset_transcript(name: &str, set: &[(&str, &str)]) -> String {
    match planner_core::presets::build(name, set) {
        Ok(design) => {
            let mut out = String::new();
            planned(&mut out, "preset", plan(&design, None));
            out
        }
        Err(e) => format!("preset: {e}\n"),
    }
}
