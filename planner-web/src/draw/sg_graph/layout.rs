//! Where the graph's boxes and arrows go: a layered drawing, top to bottom, that fits the
//! editor's narrow column. Deterministic: the same diagram gives the same numbers.
//!
//! 1. Layers: the internet and outside blocks on top (layer 0); every other node one layer
//!    below the lowest node that reaches it (longest path), so arrows point down and the
//!    layers read as hops from the internet. Arrows that close a cycle (found by a depth-first
//!    search from the top, in node order) point up instead.
//! 2. An arrow spanning several layers passes through a thin placeholder in each layer between,
//!    so it runs between boxes rather than through them.
//! 3. Within a layer, boxes follow the mean position of what reaches them from the layer above.

use super::diagram::{Diagram, NodeKind};
use crate::draw::labels::text_width;

/// The narrowest a node's box is.
pub const NODE_W: f64 = 150.0;
/// The widest a node's box grows to hold its name and detail; longer ones are cut.
pub const MAX_NODE_W: f64 = 320.0;
/// Room left and right of a node's text inside its box.
pub const NODE_PAD: f64 = 10.0;
/// The sizes of a node's name (bold) and detail lines.
pub const NAME_SIZE: f64 = 13.0;
/// See [`NAME_SIZE`].
pub const DETAIL_SIZE: f64 = 11.0;
/// Height of a node's box.
pub const NODE_H: f64 = 46.0;
const GAP_X: f64 = 34.0;
const GAP_Y: f64 = 66.0;
const PASS_W: f64 = 20.0;
const LOOP_W: f64 = 34.0;
const MARGIN: f64 = 24.0;
/// Roughly how wide a label's character is, to keep labels apart and inside the drawing.
pub const CHAR_W: f64 = 6.2;
const LABEL_H: f64 = 14.0;

/// One arrow's curve and where its label goes.
#[derive(Clone, Debug, PartialEq)]
pub struct Route {
    /// SVG path data.
    pub d: String,
    /// The label's centre.
    pub label: (f64, f64),
    /// The largest x and y the curve reaches.
    pub reach: (f64, f64),
}

/// Where everything is drawn.
#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    /// The drawing's width and height.
    pub size: (f64, f64),
    /// The width of every node's box: wide enough for the longest name and detail.
    pub node_w: f64,
    /// Each node's layer.
    pub layers: Vec<usize>,
    /// Each node box's top-left corner.
    pub boxes: Vec<(f64, f64)>,
    /// Each link's route, in link order.
    pub routes: Vec<Route>,
}

/// Each node's layer, and which links close a cycle (and so point up).
pub fn layers(n: usize, sources: &[usize], links: &[(usize, usize)]) -> (Vec<usize>, Vec<bool>) {
    let mut succ: Vec<Vec<(usize, usize)>> = vec![Vec::new(); n];
    for (i, &(f, t)) in links.iter().enumerate() {
        if f != t {
            succ[f].push((i, t));
        }
    }
    let mut state = vec![0u8; n]; // 0 new, 1 on the stack, 2 done
    let mut back = vec![false; links.len()];
    let mut post = Vec::with_capacity(n);
    let mut roots: Vec<usize> = sources.to_vec();
    loop {
        for root in roots.drain(..) {
            if state[root] != 0 {
                continue;
            }
            state[root] = 1;
            let mut stack = vec![(root, 0usize)];
            while let Some(top) = stack.len().checked_sub(1) {
                let (u, i) = stack[top];
                if let Some(&(li, v)) = succ[u].get(i) {
                    stack[top].1 += 1;
                    match state[v] {
                        0 => {
                            state[v] = 1;
                            stack.push((v, 0));
                        }
                        1 => back[li] = true,
                        _ => {}
                    }
                } else {
                    state[u] = 2;
                    post.push(u);
                    stack.pop();
                }
            }
        }
        let new = |v: usize| state[v] == 0;
        let next = (0..n)
            .filter(|&v| new(v))
            .find(|&v| !links.iter().any(|&(f, t)| t == v && f != v && new(f)))
            .or_else(|| (0..n).find(|&v| new(v)));
        match next {
            Some(r) => roots.push(r),
            None => break,
        }
    }
    let mut layer = vec![0usize; n];
    for &v in post.iter().rev() {
        if sources.contains(&v) {
            continue;
        }
        layer[v] = links
            .iter()
            .zip(&back)
            .filter(|&(&(f, t), &b)| t == v && f != v && !b)
            .map(|(&(f, _), _)| layer[f] + 1)
            .fold(1, usize::max);
    }
    (layer, back)
}

/// The point halfway along a cubic Bézier curve.
fn midpoint(p: [(f64, f64); 4]) -> (f64, f64) {
    let at = |i: fn((f64, f64)) -> f64| (i(p[0]) + 3.0 * i(p[1]) + 3.0 * i(p[2]) + i(p[3])) / 8.0;
    (at(|q| q.0), at(|q| q.1))
}

/// The largest x and y of `points`: a Bézier curve stays within its control points.
fn reach(points: &[(f64, f64)]) -> (f64, f64) {
    points
        .iter()
        .fold((0.0, 0.0), |(x, y), p| (f64::max(x, p.0), f64::max(y, p.1)))
}

fn c(p: [(f64, f64); 4]) -> String {
    format!(
        " C{:.1},{:.1} {:.1},{:.1} {:.1},{:.1}",
        p[1].0, p[1].1, p[2].0, p[2].1, p[3].0, p[3].1
    )
}

/// The width of the boxes of `d`: the longest name or detail with room either side, between
/// [`NODE_W`] and [`MAX_NODE_W`].
pub fn node_width(d: &Diagram) -> f64 {
    d.nodes
        .iter()
        .map(|n| {
            let name = text_width(&n.label, NAME_SIZE, true);
            name.max(text_width(&n.detail, DETAIL_SIZE, false)) + 2.0 * NODE_PAD
        })
        .fold(NODE_W, f64::max)
        .min(MAX_NODE_W)
        .ceil()
}

/// Places the nodes of `d` and routes its links.
pub fn layout(d: &Diagram) -> Layout {
    let node_w = node_width(d);
    let n = d.nodes.len();
    let sources: Vec<usize> = (0..n)
        .filter(|&i| d.nodes[i].kind != NodeKind::Group)
        .collect();
    let pairs: Vec<(usize, usize)> = d.links.iter().map(|l| (l.from, l.to)).collect();
    let (layer, back) = layers(n, &sources, &pairs);
    let mut room = vec![0.0; n];
    for l in d.links.iter().filter(|l| l.from == l.to) {
        let loop_w = LOOP_W + l.label.chars().count() as f64 * CHAR_W + 6.0;
        room[l.from] = f64::max(room[l.from], loop_w);
    }
    let grid = Grid::new(&layer, &pairs, &back, room, node_w);
    let (start_x, end_x) = grid.anchors();
    let mut routes: Vec<Route> = (0..pairs.len())
        .map(|ci| {
            let half = d.links[ci].label.chars().count() as f64 * CHAR_W / 2.0;
            grid.route(ci, pairs[ci], (start_x[ci], end_x[ci]), half)
        })
        .collect();
    separate_labels(&mut routes, d);
    let (mut right, mut low) = reach(&grid.at[..n]);
    (right, low) = (right + node_w, low + NODE_H);
    for (r, l) in routes.iter().zip(&d.links) {
        let half = l.label.chars().count() as f64 * CHAR_W / 2.0;
        right = right.max(r.reach.0).max(r.label.0 + half);
        low = low.max(r.reach.1).max(r.label.1 + LABEL_H / 2.0);
    }
    Layout {
        size: (right + MARGIN, low + MARGIN),
        node_w,
        layers: layer,
        boxes: grid.at[..n].to_vec(),
        routes,
    }
}

/// The boxes and the placeholders arrows pass through ("items": the nodes first), and where
/// each is.
struct Grid {
    /// How many items are nodes.
    nodes: usize,
    /// Per node, the room its self-loop and label take right of its box.
    room: Vec<f64>,
    /// Each item's layer.
    layer: Vec<usize>,
    /// Per link, the items its arrow passes, top to bottom whichever way it points.
    chains: Vec<Vec<usize>>,
    /// Each item's top-left corner.
    at: Vec<(f64, f64)>,
    /// The width of a node's box.
    node_w: f64,
}

impl Grid {
    fn new(
        layer: &[usize],
        pairs: &[(usize, usize)],
        back: &[bool],
        room: Vec<f64>,
        node_w: f64,
    ) -> Grid {
        let nodes = layer.len();
        let mut item_layer = layer.to_vec();
        let mut chains: Vec<Vec<usize>> = Vec::with_capacity(pairs.len());
        for (&(f, t), &b) in pairs.iter().zip(back) {
            let (top, bottom) = if b || layer[t] < layer[f] {
                (t, f)
            } else {
                (f, t)
            };
            let mut chain = vec![top];
            if f != t {
                for l in layer[top] + 1..layer[bottom] {
                    item_layer.push(l);
                    chain.push(item_layer.len() - 1);
                }
            }
            chain.push(bottom);
            chains.push(chain);
        }
        let mut grid = Grid {
            nodes,
            room,
            at: vec![(0.0, 0.0); item_layer.len()],
            layer: item_layer,
            chains,
            node_w,
        };
        let rows = grid.rows();
        grid.place(&rows);
        grid
    }

    /// The items of each layer, in order: each follows the mean position of the items above
    /// that lead to it; those with none go last, boxes before placeholders.
    fn rows(&self) -> Vec<Vec<usize>> {
        let items = self.layer.len();
        let depth = self.layer.iter().max().map_or(1, |m| m + 1);
        let mut pos = vec![0.0f64; items];
        let mut rows: Vec<Vec<usize>> = vec![Vec::new(); depth];
        for (l, row) in rows.iter_mut().enumerate() {
            let mut members: Vec<(f64, bool, usize)> = (0..items)
                .filter(|&i| self.layer[i] == l)
                .map(|i| {
                    let above: Vec<f64> = self
                        .chains
                        .iter()
                        .flat_map(|c| c.windows(2))
                        .filter(|w| w[1] == i && w[0] != i && self.layer[w[0]] + 1 == l)
                        .map(|w| pos[w[0]])
                        .collect();
                    let mean = match above.len() {
                        0 => f64::MAX,
                        k => above.iter().sum::<f64>() / k as f64,
                    };
                    (mean, i >= self.nodes, i)
                })
                .collect();
            members.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
            for (k, &(_, _, i)) in members.iter().enumerate() {
                pos[i] = k as f64;
            }
            *row = members.into_iter().map(|(_, _, i)| i).collect();
        }
        rows
    }

    /// Lays the rows out left to right, each centred under the widest.
    fn place(&mut self, rows: &[Vec<usize>]) {
        let (nodes, room, node_w) = (self.nodes, &self.room, self.node_w);
        let width = |i: usize| if i < nodes { node_w + room[i] } else { PASS_W };
        let row_width = |row: &[usize]| -> f64 {
            row.iter().map(|&i| width(i)).sum::<f64>() + GAP_X * row.len().saturating_sub(1) as f64
        };
        let widest = rows.iter().map(|r| row_width(r)).fold(0.0, f64::max);
        for (l, row) in rows.iter().enumerate() {
            let mut x = MARGIN + (widest - row_width(row)) / 2.0;
            for &i in row {
                self.at[i] = (x, MARGIN + l as f64 * (NODE_H + GAP_Y));
                x += width(i) + GAP_X;
            }
        }
    }

    /// Where each chain leaves its top box and enters its bottom box: the arrows at one edge
    /// of a box spread along it in the order of their other ends, so they do not cross there.
    fn anchors(&self) -> (Vec<f64>, Vec<f64>) {
        let mut bottom: Vec<Vec<(f64, usize)>> = vec![Vec::new(); self.nodes];
        let mut top: Vec<Vec<(f64, usize)>> = vec![Vec::new(); self.nodes];
        for (ci, chain) in self.chains.iter().enumerate() {
            let (first, last) = (chain[0], chain[chain.len() - 1]);
            if first != last {
                bottom[first].push((self.at[chain[1]].0, ci));
                top[last].push((self.at[chain[chain.len() - 2]].0, ci));
            }
        }
        let mut start = vec![0.0; self.chains.len()];
        let mut end = vec![0.0; self.chains.len()];
        for (ends, out) in [(&mut bottom, &mut start), (&mut top, &mut end)] {
            for (v, ends) in ends.iter_mut().enumerate() {
                ends.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
                let k = ends.len() as f64;
                for (j, &(_, ci)) in ends.iter().enumerate() {
                    out[ci] = self.at[v].0 + self.node_w * (j as f64 + 1.0) / (k + 1.0);
                }
            }
        }
        (start, end)
    }

    /// The route of link `ci` from `f` to `t`, leaving and entering at `ends`; `half` is half
    /// its label's width.
    fn route(&self, ci: usize, (f, t): (usize, usize), ends: (f64, f64), half: f64) -> Route {
        let chain = &self.chains[ci];
        let (x, y) = self.at[f];
        if f == t {
            let p = [
                (x + self.node_w, y + NODE_H * 0.3),
                (x + self.node_w + LOOP_W, y - 8.0),
                (x + self.node_w + LOOP_W, y + NODE_H + 8.0),
                (x + self.node_w, y + NODE_H * 0.7),
            ];
            return Route {
                d: format!("M{:.1},{:.1}{}", p[0].0, p[0].1, c(p)),
                label: (x + self.node_w + LOOP_W + 2.0 + half, y + NODE_H / 2.0),
                reach: reach(&p),
            };
        }
        let (a, b) = (chain[0], chain[chain.len() - 1]);
        if self.layer[a] == self.layer[b] {
            let below = |i: usize| (self.at[i].0 + self.node_w / 2.0, self.at[i].1 + NODE_H);
            let (s, e) = (below(f), below(t));
            let p = [s, (s.0, s.1 + 40.0), (e.0, e.1 + 40.0), e];
            return Route {
                d: format!("M{:.1},{:.1}{}", s.0, s.1, c(p)),
                label: midpoint(p),
                reach: reach(&p),
            };
        }
        // Down the chain: the top box's bottom, each placeholder's top and bottom, the bottom
        // box's top; reversed for an arrow that points up.
        let mut points = vec![(ends.0, self.at[a].1 + NODE_H)];
        for &i in &chain[1..chain.len() - 1] {
            points.push((self.at[i].0 + PASS_W / 2.0, self.at[i].1));
            points.push((self.at[i].0 + PASS_W / 2.0, self.at[i].1 + NODE_H));
        }
        points.push((ends.1, self.at[b].1));
        if a != f {
            points.reverse();
        }
        let mut d = format!("M{:.1},{:.1}", points[0].0, points[0].1);
        let mut label = None;
        for (k, w) in points.windows(2).enumerate() {
            let (p, q) = (w[0], w[1]);
            if k % 2 == 1 {
                d.push_str(&format!(" L{:.1},{:.1}", q.0, q.1));
                continue;
            }
            let mid = (p.1 + q.1) / 2.0;
            let curve = [p, (p.0, mid), (q.0, mid), q];
            d.push_str(&c(curve));
            label.get_or_insert_with(|| midpoint(curve));
        }
        Route {
            d,
            label: label.unwrap_or(points[0]),
            reach: reach(&points),
        }
    }
}

/// Moves labels down until no two overlap, in reading order.
fn separate_labels(routes: &mut [Route], d: &Diagram) {
    let mut order: Vec<usize> = (0..routes.len()).collect();
    order.sort_by(|&a, &b| {
        let (p, q) = (routes[a].label, routes[b].label);
        p.1.total_cmp(&q.1)
            .then(p.0.total_cmp(&q.0))
            .then(a.cmp(&b))
    });
    let half = |i: usize| d.links[i].label.chars().count() as f64 * CHAR_W / 2.0 + 2.0;
    for (k, &i) in order.iter().enumerate() {
        for _ in 0..order.len() {
            let clash = order[..k].iter().any(|&j| {
                let (p, q) = (routes[i].label, routes[j].label);
                (p.1 - q.1).abs() < LABEL_H && (p.0 - q.0).abs() < half(i) + half(j)
            });
            if !clash {
                break;
            }
            routes[i].label.1 += LABEL_H;
        }
    }
}

#[cfg(test)]
mod tests;
