//! Monthly cost of the NAT choice, from a small, dated price table.
//!
//! Prices are AWS's published on-demand list prices in USD as of [`PRICES_AS_OF`]; they change
//! rarely but they do change, so the table is dated and every figure says what it assumes.
//! To refresh: update the rows from the VPC pricing page (NAT gateway hour and GB processed,
//! public IPv4 address hour) and the EC2 on-demand page (`t4g.nano` hour), then the date.
//! Data transfer out to the internet costs the same whichever NAT is used and is left out.

use serde::Serialize;

use crate::design::network::{Design, NatStrategy, TierKind};

/// When the table's prices were taken.
pub const PRICES_AS_OF: &str = "2024-06";
/// Hours in the month the estimate assumes (365 × 24 / 12).
pub const HOURS_PER_MONTH: f64 = 730.0;

/// One region's prices, USD.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct RegionPrices {
    /// The region.
    pub region: &'static str,
    /// A NAT gateway, per hour.
    pub nat_gateway_hour: f64,
    /// Data processed by a NAT gateway, per GB.
    pub nat_gateway_gb: f64,
    /// A public IPv4 address (every NAT's Elastic IP or public address), per hour.
    pub public_ipv4_hour: f64,
    /// A `t4g.nano` NAT instance, per hour.
    pub nat_instance_hour: f64,
}

/// The price table.
pub const PRICES: &[RegionPrices] = &[
    RegionPrices {
        region: "us-east-1",
        nat_gateway_hour: 0.045,
        nat_gateway_gb: 0.045,
        public_ipv4_hour: 0.005,
        nat_instance_hour: 0.0042,
    },
    RegionPrices {
        region: "us-west-2",
        nat_gateway_hour: 0.045,
        nat_gateway_gb: 0.045,
        public_ipv4_hour: 0.005,
        nat_instance_hour: 0.0042,
    },
    RegionPrices {
        region: "eu-west-1",
        nat_gateway_hour: 0.048,
        nat_gateway_gb: 0.048,
        public_ipv4_hour: 0.005,
        nat_instance_hour: 0.0046,
    },
];

/// The estimate for one strategy.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NatCost {
    /// The strategy.
    pub strategy: NatStrategy,
    /// NAT gateways or instances it runs.
    pub nat_count: usize,
    /// Hourly charges for a month: gateways or instances plus their public addresses.
    pub hourly_usd: f64,
    /// Data processing charges for the assumed traffic.
    pub processing_usd: f64,
    /// The sum.
    pub total_usd: f64,
}

/// Every strategy's monthly cost for this design's AZs, with the assumptions stated.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NatCostEstimate {
    /// The region priced.
    pub region: &'static str,
    /// The price table's date.
    pub prices_as_of: &'static str,
    /// Hours assumed per month.
    pub hours_per_month: f64,
    /// GB per month assumed to leave through NAT.
    pub gb_per_month: f64,
    /// The design's own strategy.
    pub chosen: NatStrategy,
    /// Every strategy, in [`NatStrategy::ALL`] order.
    pub strategies: Vec<NatCost>,
}

/// Estimates NAT cost for `design` assuming `gb_per_month` leave through NAT, or `None` when
/// the region is not in the table.
///
/// ```
/// use planner_core::{analysis::cost::estimate, parse_design, NatStrategy};
/// let d = parse_design(r#"{"name": "x", "region": "us-east-1", "vpc": {"cidr": "10.0.0.0/16"},
///   "availability_zones": 3, "nat": "instance_per_az",
///   "tiers": [{"name": "pub", "kind": "public", "size": {"prefix": 24}},
///             {"name": "app", "kind": "private", "size": {"prefix": 24}}]}"#).unwrap();
/// let e = estimate(&d, 100.0).unwrap();
/// let per_az = e.strategies.iter().find(|c| c.strategy == NatStrategy::GatewayPerAz).unwrap();
/// // 3 × 730 h × (0.045 + 0.005) + 100 GB × 0.045
/// assert!((per_az.total_usd - 114.0).abs() < 0.01);
/// ```
pub fn estimate(design: &Design, gb_per_month: f64) -> Option<NatCostEstimate> {
    let prices = PRICES.iter().find(|p| p.region == design.region)?;
    let azs = design.az_names();
    let private_azs = azs
        .iter()
        .filter(|az| {
            design
                .tiers
                .iter()
                .any(|t| t.kind == TierKind::Private && design.tier_azs(t, &azs).contains(az))
        })
        .count();
    let strategies = NatStrategy::ALL
        .iter()
        .map(|&strategy| {
            let nat_count = match strategy {
                NatStrategy::None => 0,
                _ if private_azs == 0 => 0,
                s if s.is_single() => 1,
                _ => private_azs,
            };
            let per_hour = if strategy.uses_instances() {
                prices.nat_instance_hour
            } else {
                prices.nat_gateway_hour
            } + prices.public_ipv4_hour;
            let hourly_usd = round_cents(nat_count as f64 * per_hour * HOURS_PER_MONTH);
            let processing_usd = if nat_count > 0 && !strategy.uses_instances() {
                round_cents(gb_per_month * prices.nat_gateway_gb)
            } else {
                0.0
            };
            NatCost {
                strategy,
                nat_count,
                hourly_usd,
                processing_usd,
                total_usd: round_cents(hourly_usd + processing_usd),
            }
        })
        .collect();
    Some(NatCostEstimate {
        region: prices.region,
        prices_as_of: PRICES_AS_OF,
        hours_per_month: HOURS_PER_MONTH,
        gb_per_month,
        chosen: design.nat,
        strategies,
    })
}

fn round_cents(usd: f64) -> f64 {
    (usd * 100.0).round() / 100.0
}
