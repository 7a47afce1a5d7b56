//! Sets of files that import each other in a circle: Tarjan's strongly connected components.

use std::collections::{BTreeMap, BTreeSet};

use super::references::ModPath;

/// Tarjan's strongly connected components of `graph`.
pub fn strongly_connected<'a>(
    graph: &BTreeMap<&'a ModPath, Vec<&'a ModPath>>,
) -> Vec<Vec<&'a ModPath>> {
    struct State<'a> {
        index: BTreeMap<&'a ModPath, usize>,
        low: BTreeMap<&'a ModPath, usize>,
        stack: Vec<&'a ModPath>,
        on_stack: BTreeSet<&'a ModPath>,
        out: Vec<Vec<&'a ModPath>>,
    }
    fn visit<'a>(v: &'a ModPath, g: &BTreeMap<&'a ModPath, Vec<&'a ModPath>>, s: &mut State<'a>) {
        let i = s.index.len();
        s.index.insert(v, i);
        s.low.insert(v, i);
        s.stack.push(v);
        s.on_stack.insert(v);
        for &w in g.get(v).map(Vec::as_slice).unwrap_or_default() {
            if !s.index.contains_key(w) {
                visit(w, g, s);
                let lw = s.low[w];
                let lv = s.low.get_mut(v).expect("visited");
                *lv = (*lv).min(lw);
            } else if s.on_stack.contains(w) {
                let iw = s.index[w];
                let lv = s.low.get_mut(v).expect("visited");
                *lv = (*lv).min(iw);
            }
        }
        if s.low[v] == s.index[v] {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                component.push(w);
                if w == v {
                    break;
                }
            }
            s.out.push(component);
        }
    }
    let mut s = State {
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        out: Vec::new(),
    };
    for &v in graph.keys() {
        if !s.index.contains_key(v) {
            visit(v, graph, &mut s);
        }
    }
    s.out
}

#[cfg(test)]
mod unit {
    use super::*;

    #[test]
    fn a_circle_is_one_component_and_a_chain_is_not() {
        let [a, b, c, d]: [ModPath; 4] = [
            vec!["a".into()],
            vec!["b".into()],
            vec!["c".into()],
            vec!["d".into()],
        ];
        let graph = BTreeMap::from([(&a, vec![&b]), (&b, vec![&c]), (&c, vec![&a, &d])]);
        let mut sizes: Vec<usize> = strongly_connected(&graph).iter().map(Vec::len).collect();
        sizes.sort();
        assert_eq!(sizes, [1, 3]);
    }
}
