//! The security-group graph of the last good plan, shared by the views that read it.

use std::rc::Rc;

use planner_core::analysis::sg_graph::Graph;

/// A graph shared by the views; equal when it is the same one (built from the same plan).
#[derive(Clone, Debug)]
pub struct SharedGraph(pub Rc<Graph>);

impl PartialEq for SharedGraph {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}
