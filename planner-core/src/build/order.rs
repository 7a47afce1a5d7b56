//! Resources in dependency order: every resource after the ones it depends on, and otherwise
//! in the order the planner emitted them, so the order is stable and readable.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};

use crate::resource::Resource;

/// Sorts `resources` so each comes after everything in its `depends_on`, keeping emission
/// order among those that are free to go. Dependencies on ids not in the list are ignored;
/// resources caught in a cycle keep their emission order at the end.
pub(crate) fn dependency_order(resources: Vec<Resource>) -> Vec<Resource> {
    let index: BTreeMap<&str, usize> = resources
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    let mut waiting = vec![0usize; resources.len()];
    let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); resources.len()];
    for (i, r) in resources.iter().enumerate() {
        for d in &r.depends_on {
            if let Some(&j) = index.get(d.as_str()) {
                if j != i {
                    waiting[i] += 1;
                    dependents[j].push(i);
                }
            }
        }
    }
    let mut ready: BinaryHeap<Reverse<usize>> = (0..resources.len())
        .filter(|&i| waiting[i] == 0)
        .map(Reverse)
        .collect();
    let mut order = Vec::with_capacity(resources.len());
    let mut placed = vec![false; resources.len()];
    while let Some(Reverse(i)) = ready.pop() {
        order.push(i);
        placed[i] = true;
        for &k in &dependents[i] {
            waiting[k] -= 1;
            if waiting[k] == 0 {
                ready.push(Reverse(k));
            }
        }
    }
    order.extend((0..resources.len()).filter(|&i| !placed[i]));
    let mut slots: Vec<Option<Resource>> = resources.into_iter().map(Some).collect();
    order
        .into_iter()
        .map(|i| slots[i].take().expect("each index once"))
        .collect()
}
