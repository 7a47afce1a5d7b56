//! The network ACLs on a reachability path: the hops they add when traffic gets through, and
//! the [`Block`] naming the rule (or final deny) that drops it when it does not.
//!
//! - Between the internet and a member: the member's subnet's ACL, the request one way and the
//!   reply the other. The internet is many addresses: it gets through when some internet
//!   address gets both its request and its reply through. So an allow for part of the
//!   internet admits it, and a deny stops it only when it covers every address the allows
//!   would admit; when nothing gets through, the message names what drops the most of it.
//!   The ACL of the subnet a NAT lives in is not evaluated.
//! - Between two groups: every pair of subnets their members' tiers have (members may be in
//!   any of them) must pass the source's ACL outbound, the destination's inbound, and the
//!   reply through the destination's outbound and the source's inbound. Two members in one
//!   subnet cross no ACL; two subnets of one tier in different zones do. Addresses between
//!   groups are the subnets' IPv4 blocks, as the security-group graph's are.
//!
//! Every port asked must get through (a question without a port asks for every port), and
//! every port of the reply's range ([`EPHEMERAL`](super::acl::EPHEMERAL) for TCP and UDP).

use std::collections::BTreeSet;

use super::acl::{internet_spans, Acl, Span, TRAFFIC};
use super::acl_eval::{flip, reply_of, Crossing, Dropped, InternetCrossing};
use super::explain::{Block, Code};
use super::sg_graph::Graph;
use crate::design::sg::{PortRange, Protocol};
use crate::resource::Direction;

/// The hops the ACLs add to a path that gets through: the request's, then the reply's.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct AclHops {
    pub request: Vec<String>,
    pub reply: Vec<String>,
}

/// The kinds of traffic a question asks about, each with its ports.
fn asked(protocol: Protocol, ports: PortRange) -> Vec<(Protocol, PortRange)> {
    if protocol == Protocol::All {
        TRAFFIC.iter().map(|&p| (p, PortRange::ALL)).collect()
    } else {
        vec![(protocol, ports)]
    }
}

/// `tcp 5432`, `tcp 1024-65535`, or `all traffic`.
pub(crate) fn flow_text(p: Protocol, ports: PortRange) -> String {
    match p {
        Protocol::All => "all traffic".to_owned(),
        _ => format!("{p} {ports}"),
    }
}

fn what(protocol: Protocol, ports: PortRange, reply: bool) -> String {
    let request = match protocol {
        Protocol::All => "all traffic".to_owned(),
        p if ports == PortRange::ALL => format!("all {p}"),
        p => format!("{p} {ports}"),
    };
    if !reply {
        return request;
    }
    match reply_of(protocol) {
        Some((p, ports)) if protocol != Protocol::All => {
            format!("the reply ({})", flow_text(p, ports))
        }
        _ => "the replies".to_owned(),
    }
}

/// `from 0.0.0.0/0 into tier data` or `to tier app out of tier web`.
fn edge(dir: Direction, remote: &str, tier: &str) -> String {
    match dir {
        Direction::Ingress => format!("from {remote} into tier {tier}"),
        Direction::Egress => format!("to {remote} out of tier {tier}"),
    }
}

fn allow_hop(acl: &Acl, rules: &BTreeSet<u32>, traffic: &str, edge: &str) -> String {
    let numbers: Vec<String> = rules.iter().map(u32::to_string).collect();
    let (rule, verb) = if numbers.len() == 1 {
        ("rule", "allows")
    } else {
        ("rules", "allow")
    };
    format!(
        "{} {rule} {} {verb} {traffic} {edge}",
        acl.label(),
        numbers.join(", ")
    )
}

/// The block for `dropped`, met crossing `acl` of `tier` in `dir`; `remote` names the other
/// side when no rule matches (the internet, or a subnet).
pub(crate) fn acl_block(
    acl: &Acl,
    dir: Direction,
    tier: &str,
    reply: bool,
    d: &Dropped,
    remote: &str,
) -> Block {
    let traffic = flow_text(d.protocol, d.ports);
    let traffic = if reply {
        format!("the reply ({traffic})")
    } else {
        traffic
    };
    let message = match d.rule {
        Some(i) => {
            let rule = &acl.rules(dir)[i];
            format!(
                "{} rule {} denies {traffic} {}",
                acl.label(),
                rule.number,
                edge(dir, &rule.block.to_string(), tier)
            )
        }
        None => format!(
            "{} has no rule allowing {traffic} {} (its final deny rule * drops it)",
            acl.label(),
            edge(dir, remote, tier)
        ),
    };
    Block::new(Code::SubnetAclRestriction, message)
}

fn numbers<'a>(acl: &'a Acl, dir: Direction, rules: &'a [usize]) -> impl Iterator<Item = u32> + 'a {
    let list = acl.rules(dir);
    rules.iter().map(move |&i| list[i].number)
}

impl Graph {
    /// The ACL of a member's `tier` on traffic between it and the internet: `dir` is
    /// [`Direction::Ingress`] for traffic from the internet, over IPv4 when `v4`.
    pub(crate) fn acl_internet(
        &self,
        tier: &str,
        v4: bool,
        dir: Direction,
        protocol: Protocol,
        ports: PortRange,
    ) -> Result<AclHops, Block> {
        let acl = &self.acls.acls[self.acls.acl_of(tier)];
        if acl.allows_everything() {
            return Ok(AclHops::default());
        }
        let internet = internet_spans(!v4, &self.vpc);
        let (mut request, mut reply) = (BTreeSet::new(), BTreeSet::new());
        for (p, range) in asked(protocol, ports) {
            match acl.check_internet(dir, p, range, &internet) {
                InternetCrossing::Pass {
                    request: q,
                    reply: r,
                } => {
                    request.extend(numbers(acl, dir, &q));
                    reply.extend(numbers(acl, flip(dir), &r));
                }
                InternetCrossing::Drop {
                    reply: back,
                    dropped,
                } => {
                    let at = if back { flip(dir) } else { dir };
                    return Err(acl_block(acl, at, tier, back, &dropped, "the internet"));
                }
            }
        }
        let mut hops = AclHops::default();
        if !request.is_empty() {
            let e = edge(dir, "the internet", tier);
            hops.request
                .push(allow_hop(acl, &request, &what(protocol, ports, false), &e));
        }
        if !reply.is_empty() {
            let e = edge(flip(dir), "the internet", tier);
            hops.reply
                .push(allow_hop(acl, &reply, &what(protocol, ports, true), &e));
        }
        Ok(hops)
    }

    /// The ACLs between the members of groups `f` and `t`: every pair of their subnets.
    pub(crate) fn acl_between(
        &self,
        f: usize,
        t: usize,
        protocol: Protocol,
        ports: PortRange,
    ) -> Result<AclHops, Block> {
        self.acl_between_subnets(
            &self.group_subnets(f),
            &self.group_subnets(t),
            protocol,
            ports,
        )
    }

    /// The subnets group `g`'s members may be in: every subnet of their tiers, in order.
    pub(crate) fn group_subnets(&self, g: usize) -> Vec<usize> {
        let tiers: BTreeSet<&str> = self.groups[g]
            .members
            .iter()
            .map(|m| m.tier.as_str())
            .collect();
        let mut out: Vec<usize> = tiers
            .into_iter()
            .flat_map(|tier| self.acls.subnets_of(tier).map(|(i, _)| i))
            .collect();
        out.sort_unstable();
        out
    }

    /// The ACLs between members in the subnets `from` and members in the subnets `to`.
    pub(crate) fn acl_between_subnets(
        &self,
        from: &[usize],
        to: &[usize],
        protocol: Protocol,
        ports: PortRange,
    ) -> Result<AclHops, Block> {
        // (acl, its tier, direction, reply, the other tier) → the rules allowing it.
        type Key = (usize, String, bool, bool, String);
        let mut seen: Vec<(Key, BTreeSet<u32>)> = Vec::new();
        let mut note = |key: Key, rules: &[usize], acl: &Acl, dir: Direction| {
            let set = match seen.iter_mut().find(|(k, _)| *k == key) {
                Some((_, s)) => s,
                None => {
                    seen.push((key, BTreeSet::new()));
                    &mut seen.last_mut().expect("pushed").1
                }
            };
            set.extend(numbers(acl, dir, rules));
        };
        let describe = |i: usize| {
            let s = &self.acls.subnets[i];
            format!("{} (tier {}, {})", s.cidr, s.tier, s.zone)
        };
        for &a in from {
            for &b in to {
                if a == b {
                    continue;
                }
                let (sa, sb) = (&self.acls.subnets[a], &self.acls.subnets[b]);
                let (x, y) = (&self.acls.acls[sa.acl], &self.acls.acls[sb.acl]);
                let (span_a, span_b) = (Span::v4(sa.cidr), Span::v4(sb.cidr));
                for (p, range) in asked(protocol, ports) {
                    let reply = reply_of(p);
                    // The source's ACL out, the destination's in; the reply back the other way.
                    let mut crossings = vec![
                        (
                            sa.acl,
                            x,
                            Direction::Egress,
                            false,
                            p,
                            range,
                            span_b,
                            b,
                            sa,
                            sb,
                        ),
                        (
                            sb.acl,
                            y,
                            Direction::Ingress,
                            false,
                            p,
                            range,
                            span_a,
                            a,
                            sb,
                            sa,
                        ),
                    ];
                    if let Some((rp, rports)) = reply {
                        crossings.push((
                            sb.acl,
                            y,
                            Direction::Egress,
                            true,
                            rp,
                            rports,
                            span_a,
                            a,
                            sb,
                            sa,
                        ));
                        crossings.push((
                            sa.acl,
                            x,
                            Direction::Ingress,
                            true,
                            rp,
                            rports,
                            span_b,
                            b,
                            sa,
                            sb,
                        ));
                    }
                    for (ai, acl, dir, back, p, range, remote, remote_i, own, other) in crossings {
                        if acl.allows_everything() {
                            continue;
                        }
                        match acl.check_all(dir, p, range, remote) {
                            Crossing::Pass(rules) => note(
                                (
                                    ai,
                                    own.tier.clone(),
                                    dir == Direction::Egress,
                                    back,
                                    other.tier.clone(),
                                ),
                                &rules,
                                acl,
                                dir,
                            ),
                            Crossing::Drop(d) => {
                                return Err(acl_block(
                                    acl,
                                    dir,
                                    &own.tier,
                                    back,
                                    &d,
                                    &describe(remote_i),
                                ))
                            }
                        }
                    }
                }
            }
        }
        let mut hops = AclHops::default();
        for ((ai, tier, out, back, other), rules) in seen {
            if rules.is_empty() {
                continue;
            }
            let acl = &self.acls.acls[ai];
            let dir = if out {
                Direction::Egress
            } else {
                Direction::Ingress
            };
            let hop = allow_hop(
                acl,
                &rules,
                &what(protocol, ports, back),
                &edge(dir, &format!("tier {other}"), &tier),
            );
            if back {
                hops.reply.push(hop);
            } else {
                hops.request.push(hop);
            }
        }
        Ok(hops)
    }
}
