//! What the security-group checks read: the plan and its security-group graph.

use crate::analysis::sg_graph::{Edge, Graph};
use crate::effective::Effective;
use crate::plan::Plan;

/// What the checks read.
pub(crate) struct Context<'a> {
    pub plan: &'a Plan,
    pub graph: Graph,
}

impl<'a> Context<'a> {
    /// The context of `plan`, whose design completes to `effective`, with its graph built once.
    pub fn new(plan: &'a Plan, effective: &Effective) -> Self {
        Context {
            plan,
            graph: Graph::of(plan, effective),
        }
    }
}

/// Ingress rules whose peer is part of the internet, with their group's index.
pub(crate) fn internet_ingress<'a>(
    cx: &'a Context,
) -> impl Iterator<Item = (usize, &'a Edge)> + 'a {
    cx.graph.groups.iter().enumerate().flat_map(move |(gi, g)| {
        g.ingress
            .iter()
            .filter(move |e| e.from_internet(&cx.graph.vpc))
            .map(move |e| (gi, e))
    })
}
