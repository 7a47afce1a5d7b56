//! The subnet map's geometry, as a visual subnet calculator draws it: each VPC block is cut
//! into rows that each hold the same number of addresses, and every subnet, reserved block,
//! range in use elsewhere and free block is placed by its addresses.
//!
//! **Invariant: the blocks of a section cover its CIDR exactly, in address order, and a
//! block's drawn area is proportional to its addresses** (`span` addresses in each of `rows`
//! rows), with one exception: a free block longer than two rows is drawn
//! [`compressed`] so a mostly empty VPC does not push its subnets off screen. Its label still
//! gives its real size.

use planner_core::cidr::FreeSpace;
use planner_core::{Cidr, Plan};

/// Rows a VPC block is cut into unless its blocks are all larger or some much smaller.
const BASE_ROWS: u64 = 16;
/// Rows get longer (fewer of them), down to this many, until the smallest block fits one.
const MIN_ROWS: u64 = 4;
/// At most this many rows, however small the subnets.
const MAX_ROWS: u64 = 64;
/// Rows get shorter (more of them) until the smallest block is at least this share of one.
const MIN_SHARE: u64 = 32;

/// What a block is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockKind {
    /// `plan.allocation.subnets[i]`.
    Subnet(usize),
    /// `plan.allocation.reserved[i]`.
    Reserved(usize),
    /// `plan.design.cidrs_in_use[i]`, clipped to the section.
    InUse(usize),
    /// Free space.
    Free,
}

/// One block of the map.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Block {
    /// What it is.
    pub kind: BlockKind,
    /// Its addresses.
    pub cidr: Cidr,
    /// The first address row it lies in.
    pub row: u64,
    /// How many address rows it spans: 1, or its size over the row size.
    pub rows: u64,
    /// Where it starts in its row, in addresses from the row's start.
    pub col: u64,
    /// How many of its addresses lie in each row it spans.
    pub span: u64,
    /// Where it is drawn, in row heights from the section's top.
    pub top: u32,
    /// How tall it is drawn, in row heights.
    pub height: u32,
}

impl Block {
    /// Its left edge as a share of the row's width.
    pub fn left(&self, row_size: u64) -> f64 {
        self.col as f64 / row_size as f64
    }

    /// Its width as a share of the row's width.
    pub fn width(&self, row_size: u64) -> f64 {
        self.span as f64 / row_size as f64
    }

    /// Whether it is drawn shorter than its addresses would make it.
    pub fn is_compressed(&self) -> bool {
        u64::from(self.height) < self.rows
    }
}

/// One VPC CIDR block, cut into rows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Section {
    /// The block.
    pub cidr: Cidr,
    /// Whether it is the VPC's primary block.
    pub primary: bool,
    /// Addresses per row.
    pub row_size: u64,
    /// Drawn height in row heights.
    pub height: u32,
    /// Its blocks in address order.
    pub blocks: Vec<Block>,
}

/// The drawn height, in rows, of a free block spanning `rows` rows: proportional up to two
/// rows, then one more row per doubling.
pub fn compressed(rows: u64) -> u32 {
    if rows <= 2 {
        rows as u32
    } else {
        1 + rows.ilog2()
    }
}

/// The map of a plan: one section per VPC CIDR block, primary first; none without a VPC.
pub fn layout(plan: &Plan) -> Vec<Section> {
    let Some(vpc) = &plan.design.vpc else {
        return Vec::new();
    };
    let allocation = &plan.allocation;
    let mut sections: Vec<Section> = Vec::new();
    let blocks = std::iter::once(vpc.cidr).chain(vpc.secondary_cidrs.iter().copied());
    for (i, cidr) in blocks.enumerate() {
        if sections.iter().any(|s| s.cidr.overlaps(cidr)) {
            continue;
        }
        let subnets = allocation.subnets.iter().enumerate();
        let reserved = allocation.reserved.iter().enumerate();
        let in_use = plan.design.cidrs_in_use.iter().enumerate();
        let items = subnets
            .map(|(j, s)| (s.cidr, BlockKind::Subnet(j)))
            .chain(reserved.map(|(j, r)| (r.cidr, BlockKind::Reserved(j))))
            .chain(in_use.filter_map(|(j, u)| {
                let clipped = if u.cidr.contains(cidr) { cidr } else { u.cidr };
                Some((clipped, BlockKind::InUse(j))).filter(|(c, _)| cidr.contains(*c))
            }));
        sections.push(section(cidr, i == 0, items));
    }
    sections
}

/// Places `items` (in priority order; one overlapping an earlier item is left out) and the
/// free space around them in `cidr`.
fn section(cidr: Cidr, primary: bool, items: impl Iterator<Item = (Cidr, BlockKind)>) -> Section {
    let mut free = FreeSpace::new([cidr]);
    let mut placed: Vec<(Cidr, BlockKind)> = Vec::new();
    for (c, kind) in items {
        if cidr.contains(c) && free.covers(c) {
            free.remove(c);
            placed.push((c, kind));
        }
    }
    placed.extend(free.blocks().map(|c| (c, BlockKind::Free)));
    placed.sort_by_key(|(c, _)| c.network());

    let size = cidr.size();
    let smallest = placed
        .iter()
        .filter(|(_, k)| *k != BlockKind::Free)
        .map(|(c, _)| c.size())
        .min()
        .unwrap_or(size);
    let floor = size.min(16);
    let mut row_size = (size / BASE_ROWS).max(floor);
    while row_size < smallest && size / row_size > MIN_ROWS {
        row_size *= 2;
    }
    while row_size > floor && row_size > smallest * MIN_SHARE && size / row_size < MAX_ROWS {
        row_size /= 2;
    }

    let start = u64::from(u32::from(cidr.network()));
    let mut top = 0u32;
    let blocks = placed
        .into_iter()
        .map(|(c, kind)| {
            let offset = u64::from(u32::from(c.network())) - start;
            let rows = (c.size() / row_size).max(1);
            let span = c.size().min(row_size);
            let height = match kind {
                BlockKind::Free => compressed(rows),
                _ => rows as u32,
            };
            let block = Block {
                kind,
                cidr: c,
                row: offset / row_size,
                rows,
                col: offset % row_size,
                span,
                top,
                height,
            };
            if block.col + span == row_size {
                top += height;
            }
            block
        })
        .collect();
    Section {
        cidr,
        primary,
        row_size,
        height: top,
        blocks,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use planner_core::alloc::{Allocation, ReservedBlock, SubnetAllocation};

    fn cidr(s: &str) -> Cidr {
        s.parse().unwrap()
    }

    fn subnet(tier: &str, az: &str, c: &str) -> SubnetAllocation {
        let c = cidr(c);
        SubnetAllocation {
            tier: tier.into(),
            availability_zone: az.into(),
            cidr: c,
            ipv6_index: None,
            usable_addresses: c.aws_usable(),
            first_usable: None,
            last_usable: None,
        }
    }

    /// Every check the invariant names, for every section of `plan`.
    fn check(plan: &Plan) -> Vec<Section> {
        let sections = layout(plan);
        for s in &sections {
            let mut next = u64::from(u32::from(s.cidr.network()));
            let mut drawn_top = 0;
            for b in &s.blocks {
                let at = u64::from(u32::from(b.cidr.network()));
                assert_eq!(at, next, "{}: gap or overlap before {}", s.cidr, b.cidr);
                next = at + b.cidr.size();
                assert_eq!(
                    b.rows * b.span,
                    b.cidr.size(),
                    "{} not proportional",
                    b.cidr
                );
                assert!(b.col + b.span <= s.row_size, "{} overflows its row", b.cidr);
                assert!(
                    b.rows == 1 || b.col == 0,
                    "{} spans rows from mid-row",
                    b.cidr
                );
                assert_eq!(
                    (b.row * s.row_size + b.col),
                    at - u64::from(u32::from(s.cidr.network()))
                );
                assert!(
                    b.top >= drawn_top,
                    "{} drawn above an earlier block",
                    b.cidr
                );
                drawn_top = b.top;
                if b.kind == BlockKind::Free {
                    assert_eq!(b.height, compressed(b.rows));
                } else {
                    assert_eq!(u64::from(b.height), b.rows, "{} not to scale", b.cidr);
                }
            }
            assert_eq!(next, u64::from(u32::from(s.cidr.network())) + s.cidr.size());
            assert!(s.cidr.size() / s.row_size <= MAX_ROWS);
            let last = s.blocks.last().unwrap();
            assert_eq!(s.height, last.top + last.height);
        }
        for (i, sub) in plan.allocation.subnets.iter().enumerate() {
            let drawn = sections
                .iter()
                .flat_map(|s| &s.blocks)
                .filter(|b| b.kind == BlockKind::Subnet(i))
                .count();
            assert_eq!(drawn, 1, "subnet {} drawn {drawn} times", sub.cidr);
        }
        sections
    }

    fn plan_of(preset: &str) -> Plan {
        let design = planner_core::presets::build(preset, &[]).unwrap();
        planner_core::plan(&design, None).unwrap().plan
    }

    #[test]
    fn every_preset_is_covered_without_overlap() {
        for info in planner_core::presets::list() {
            let plan = plan_of(info.name);
            let sections = check(&plan);
            assert_eq!(
                sections.is_empty(),
                plan.design.vpc.is_none(),
                "{}",
                info.name
            );
        }
    }

    #[test]
    fn a_few_large_subnets_fill_whole_rows() {
        let sections = check(&plan_of("tinystacks"));
        let s = &sections[0];
        assert_eq!(s.row_size, 4096, "a /16 in 16 rows of /20");
        let private = s
            .blocks
            .iter()
            .find(|b| b.cidr == cidr("10.0.0.0/20"))
            .unwrap();
        assert_eq!((private.width(s.row_size), private.rows), (1.0, 1));
        let public = s
            .blocks
            .iter()
            .find(|b| b.cidr == cidr("10.0.52.0/22"))
            .unwrap();
        assert_eq!(
            (public.left(s.row_size), public.width(s.row_size)),
            (0.25, 0.25)
        );
        let tail = s.blocks.last().unwrap();
        assert_eq!(
            (tail.cidr, tail.kind),
            (cidr("10.0.128.0/17"), BlockKind::Free)
        );
        assert!(tail.is_compressed());
    }

    #[test]
    fn many_small_subnets_get_more_rows_and_stay_visible() {
        let mut plan = plan_of("tinystacks");
        plan.allocation.subnets = (0..180)
            .map(|i| {
                let c = format!("10.0.{}.{}/26", i / 4, (i % 4) * 64);
                subnet(&format!("t{}", i / 6), &format!("us-east-1{}", i % 6), &c)
            })
            .collect();
        let sections = check(&plan);
        let s = &sections[0];
        let smallest = s
            .blocks
            .iter()
            .map(|b| b.width(s.row_size))
            .fold(1.0, f64::min);
        assert!(smallest >= 1.0 / 32.0, "a /26 is {smallest} of a row");
        assert!(s.height <= 32, "{} rows drawn", s.height);
    }

    #[test]
    fn secondary_blocks_reserved_and_in_use_ranges_are_sections_and_blocks() {
        let mut plan = plan_of("titus");
        let vpc = plan.design.vpc.as_mut().unwrap();
        vpc.secondary_cidrs = vec![cidr("10.1.0.0/20"), cidr("10.0.0.0/24")];
        plan.design.cidrs_in_use = serde_json::from_value(serde_json::json!([
            {"cidr": "10.0.64.0/18"}, {"cidr": "10.1.0.0/16"}
        ]))
        .unwrap();
        plan.allocation = Allocation {
            subnets: vec![subnet("public", "us-east-1a", "10.0.16.0/24")],
            reserved: vec![ReservedBlock {
                tier: "public".into(),
                cidr: cidr("10.0.17.0/24"),
            }],
        };
        let sections = check(&plan);
        assert_eq!(
            sections.len(),
            2,
            "the overlapping secondary block is left out"
        );
        assert!(sections[0].primary && !sections[1].primary);
        let kinds = |s: &Section| s.blocks.iter().map(|b| b.kind).collect::<Vec<_>>();
        assert!(kinds(&sections[0]).contains(&BlockKind::Reserved(0)));
        assert!(kinds(&sections[0]).contains(&BlockKind::InUse(0)));
        assert_eq!(
            kinds(&sections[1]),
            [BlockKind::InUse(1)],
            "clipped to the block"
        );
        assert_eq!(sections[1].blocks[0].cidr, cidr("10.1.0.0/20"));
    }

    #[test]
    fn large_subnets_get_fewer_rows() {
        let mut plan = plan_of("titus");
        plan.allocation = Allocation {
            subnets: (0..3)
                .map(|i| subnet("private", "us-east-1a", &format!("10.0.{}.0/18", i * 64)))
                .collect(),
            reserved: vec![],
        };
        let s = &check(&plan)[0];
        assert_eq!((s.row_size, s.height), (16384, 4), "one /18 a row");
        let mut plan = plan_of("titus");
        plan.allocation.subnets = vec![subnet("private", "us-east-1a", "10.0.0.0/17")];
        let s = &check(&plan)[0];
        assert_eq!(s.cidr.size() / s.row_size, MIN_ROWS);
    }

    #[test]
    fn tiny_vpcs_have_one_row() {
        let mut plan = plan_of("titus");
        plan.design.vpc.as_mut().unwrap().cidr = cidr("10.0.0.0/28");
        plan.allocation = Allocation {
            subnets: vec![subnet("public", "us-east-1a", "10.0.0.0/28")],
            reserved: vec![],
        };
        let s = &check(&plan)[0];
        assert_eq!((s.row_size, s.height, s.blocks.len()), (16, 1, 1));
    }

    #[test]
    fn compression_keeps_short_runs_to_scale() {
        let got: Vec<u32> = [1, 2, 4, 8, 16, 32, 64].map(compressed).into();
        assert_eq!(got, [1, 2, 3, 4, 5, 6, 7]);
    }
}
