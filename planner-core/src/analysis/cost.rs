//! Monthly cost of the network's metered parts, from a small, dated price table: NAT (hours
//! and data processed, for the design's own strategy and every other), VPC endpoints (gateway
//! endpoints are free; interface endpoints cost per hour in each AZ and per GB) and flow-log
//! delivery, at the GB-a-month figures of the design's `traffic` (which the user sets).
//!
//! Prices are AWS's published on-demand list prices in USD as of [`PRICES_AS_OF`]; they change
//! rarely but they do change, so the table is dated and every figure says what it assumes.
//! `planner-core/prices/refresh.py` reads AWS's public price-list files and prints the table
//! with the date it read them. Data transfer out to the internet costs the same whichever NAT
//! is used and is left out.

use serde::Serialize;

use crate::design::endpoint::EndpointKind;
use crate::design::flow_logs::FlowLogDestination;
use crate::design::network::{Design, NatStrategy, TierKind};
use crate::design::traffic::Traffic;

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
    /// An interface endpoint, per hour in each AZ.
    pub interface_endpoint_az_hour: f64,
    /// Data processed by an interface endpoint, per GB (the first PB a month).
    pub interface_endpoint_gb: f64,
    /// Flow-log records delivered to CloudWatch Logs (vended logs), per GB (the first 10 TB).
    pub flow_logs_cloudwatch_gb: f64,
    /// Flow-log records delivered to S3 (vended logs), per GB (the first 10 TB), when the
    /// table has the region's price.
    pub flow_logs_s3_gb: Option<f64>,
}

// prices: begin (written by planner-core/prices/refresh.py)
/// When the table's prices were taken.
pub const PRICES_AS_OF: &str = "2024-06";

/// The price table.
pub const PRICES: &[RegionPrices] = &[
    RegionPrices {
        region: "us-east-1",
        nat_gateway_hour: 0.045,
        nat_gateway_gb: 0.045,
        public_ipv4_hour: 0.005,
        nat_instance_hour: 0.0042,
        interface_endpoint_az_hour: 0.01,
        interface_endpoint_gb: 0.01,
        flow_logs_cloudwatch_gb: 0.5,
        flow_logs_s3_gb: Some(0.25),
    },
    RegionPrices {
        region: "us-west-2",
        nat_gateway_hour: 0.045,
        nat_gateway_gb: 0.045,
        public_ipv4_hour: 0.005,
        nat_instance_hour: 0.0042,
        interface_endpoint_az_hour: 0.01,
        interface_endpoint_gb: 0.01,
        flow_logs_cloudwatch_gb: 0.5,
        flow_logs_s3_gb: Some(0.25),
    },
    RegionPrices {
        region: "eu-west-1",
        nat_gateway_hour: 0.048,
        nat_gateway_gb: 0.048,
        public_ipv4_hour: 0.005,
        nat_instance_hour: 0.0046,
        interface_endpoint_az_hour: 0.011,
        interface_endpoint_gb: 0.01,
        flow_logs_cloudwatch_gb: 0.57,
        flow_logs_s3_gb: None,
    },
];
// prices: end

/// The prices of `region`, when the table has them.
pub fn prices(region: &str) -> Option<&'static RegionPrices> {
    PRICES.iter().find(|p| p.region == region)
}

/// The estimate for one strategy.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NatCost {
    /// The strategy.
    pub strategy: NatStrategy,
    /// NAT gateways or instances it runs.
    pub nat_count: usize,
    /// Hourly charges for a month: gateways or instances plus their public addresses.
    pub hourly_usd: f64,
    /// Data processing charges for the traffic through NAT.
    pub processing_usd: f64,
    /// The sum.
    pub total_usd: f64,
}

/// One line of the design's own monthly cost.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CostItem {
    /// What it is, e.g. `NAT gateways (2)` or `interface endpoint ecr.api (2 AZs)`.
    pub what: String,
    /// Hourly charges for a month.
    pub hourly_usd: f64,
    /// Per-GB charges at the assumed traffic.
    pub data_usd: f64,
    /// GB a month the line assumes.
    pub gb_per_month: u32,
    /// How the line was priced, when that needs saying (a free endpoint, a price the table
    /// lacks).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// An interface endpoint against sending its traffic through NAT gateways.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BreakEven {
    /// The service.
    pub service: String,
    /// AZs the endpoint has an interface in.
    pub azs: usize,
    /// Its hourly charges for a month.
    pub hourly_usd: f64,
    /// What each GB saves against a NAT gateway (NAT's per-GB price less the endpoint's).
    pub saving_per_gb_usd: f64,
    /// The GB a month above which the endpoint costs less than NAT.
    pub break_even_gb: f64,
    /// The GB a month the design assumes for the service.
    pub gb_per_month: u32,
}

/// The design's monthly network cost, and every NAT strategy's, with the assumptions stated.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NatCostEstimate {
    /// The region priced.
    pub region: &'static str,
    /// The price table's date.
    pub prices_as_of: &'static str,
    /// Hours assumed per month.
    pub hours_per_month: f64,
    /// GB per month assumed to go through NAT: to the internet, and to AWS services no
    /// endpoint serves.
    pub gb_per_month: f64,
    /// The design's own strategy.
    pub chosen: NatStrategy,
    /// Every strategy, in [`NatStrategy::ALL`] order.
    pub strategies: Vec<NatCost>,
    /// The design's own cost, line by line: NAT, endpoints, flow logs.
    pub items: Vec<CostItem>,
    /// The sum of `items`.
    pub total_usd: f64,
    /// Each interface endpoint against NAT.
    pub break_even: Vec<BreakEven>,
}

/// Estimates the network cost of `design` at the traffic `traffic` assumes, or `None` when
/// the region is not in the table.
///
/// ```
/// use planner_core::{analysis::cost::estimate, parse_design, NatStrategy};
/// let d = parse_design(r#"{"name": "x", "region": "us-east-1", "vpc": {"cidr": "10.0.0.0/16"},
///   "availability_zones": 3, "nat": "instance_per_az",
///   "tiers": [{"name": "pub", "kind": "public", "size": {"prefix": 24}},
///             {"name": "app", "kind": "private", "size": {"prefix": 24}}]}"#).unwrap();
/// let e = estimate(&d, &d.traffic).unwrap();
/// let per_az = e.strategies.iter().find(|c| c.strategy == NatStrategy::GatewayPerAz).unwrap();
/// // 3 × 730 h × (0.045 + 0.005) + 100 GB × 0.045
/// assert!((per_az.total_usd - 114.0).abs() < 0.01);
/// ```
pub fn estimate(design: &Design, traffic: &Traffic) -> Option<NatCostEstimate> {
    let prices = prices(&design.region)?;
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
    let endpoint = |service: &str, kind: EndpointKind| {
        design
            .endpoints
            .iter()
            .find(|e| e.service == service && e.kind == kind)
    };
    // Traffic to a service with an endpoint bypasses NAT; the rest goes through it.
    let mut nat_gb = u64::from(traffic.internet_gb_per_month);
    for (service, &gb) in &traffic.services_gb_per_month {
        let served = endpoint(service, EndpointKind::Gateway).is_some()
            || endpoint(service, EndpointKind::Interface).is_some();
        if !served {
            nat_gb += u64::from(gb);
        }
    }
    let nat_gb = nat_gb as f64;
    let strategies: Vec<NatCost> = NatStrategy::ALL
        .iter()
        .map(|&strategy| nat_cost(strategy, private_azs, nat_gb, prices))
        .collect();

    let mut items = Vec::new();
    if let Some(nat) = strategies
        .iter()
        .find(|c| c.strategy == design.nat)
        .filter(|c| c.nat_count > 0)
    {
        let what = if design.nat.uses_instances() {
            "NAT instances"
        } else {
            "NAT gateways"
        };
        items.push(CostItem {
            what: format!("{what} ({})", nat.nat_count),
            hourly_usd: nat.hourly_usd,
            data_usd: nat.processing_usd,
            gb_per_month: nat_gb as u32,
            note: None,
        });
    }
    let mut break_even = Vec::new();
    for e in &design.endpoints {
        let gb = traffic.to_service(&e.service);
        match e.kind {
            EndpointKind::Gateway => items.push(CostItem {
                what: format!("gateway endpoint {}", e.service),
                hourly_usd: 0.0,
                data_usd: 0.0,
                gb_per_month: gb,
                note: Some("gateway endpoints are free".to_owned()),
            }),
            EndpointKind::Interface => {
                let zones = interface_azs(design, &e.tiers, &azs);
                let hourly_usd =
                    round_cents(zones as f64 * prices.interface_endpoint_az_hour * HOURS_PER_MONTH);
                // A gateway endpoint for the same service takes the traffic first.
                let gb_here = if endpoint(&e.service, EndpointKind::Gateway).is_some() {
                    0
                } else {
                    gb
                };
                items.push(CostItem {
                    what: format!("interface endpoint {} ({zones} AZs)", e.service),
                    hourly_usd,
                    data_usd: round_cents(f64::from(gb_here) * prices.interface_endpoint_gb),
                    gb_per_month: gb_here,
                    note: None,
                });
                let saving_per_gb_usd = prices.nat_gateway_gb - prices.interface_endpoint_gb;
                break_even.push(BreakEven {
                    service: e.service.clone(),
                    azs: zones,
                    hourly_usd,
                    saving_per_gb_usd,
                    break_even_gb: (hourly_usd / saving_per_gb_usd).ceil(),
                    gb_per_month: gb,
                });
            }
        }
    }
    if let Some(f) = &design.flow_logs {
        let gb = traffic.flow_logs_gb_per_month;
        let (per_gb, where_) = match f.destination {
            FlowLogDestination::CloudwatchLogs => {
                (Some(prices.flow_logs_cloudwatch_gb), "CloudWatch Logs")
            }
            FlowLogDestination::S3 => (prices.flow_logs_s3_gb, "S3"),
        };
        items.push(CostItem {
            what: format!("flow logs to {where_}"),
            hourly_usd: 0.0,
            data_usd: round_cents(f64::from(gb) * per_gb.unwrap_or(0.0)),
            gb_per_month: gb,
            note: match per_gb {
                Some(_) => None,
                None => Some(format!(
                    "the price table has no price for flow-log delivery to {where_} in {}",
                    prices.region
                )),
            },
        });
    }
    let total_usd = round_cents(items.iter().map(|i| i.hourly_usd + i.data_usd).sum());
    Some(NatCostEstimate {
        region: prices.region,
        prices_as_of: PRICES_AS_OF,
        hours_per_month: HOURS_PER_MONTH,
        gb_per_month: nat_gb,
        chosen: design.nat,
        strategies,
        items,
        total_usd,
        break_even,
    })
}

fn nat_cost(
    strategy: NatStrategy,
    private_azs: usize,
    gb_per_month: f64,
    prices: &RegionPrices,
) -> NatCost {
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
}

/// The AZs an interface endpoint over `tiers` has an interface in.
fn interface_azs(design: &Design, tiers: &[String], azs: &[String]) -> usize {
    azs.iter()
        .filter(|az| {
            design
                .tiers
                .iter()
                .filter(|t| tiers.contains(&t.name))
                .any(|t| design.tier_azs(t, azs).contains(az))
        })
        .count()
}

fn round_cents(usd: f64) -> f64 {
    (usd * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn design(extra: &str) -> Design {
        crate::parse_design(&format!(
            r#"{{"name": "x", "region": "us-east-1", "vpc": {{"cidr": "10.0.0.0/16"}},
                "availability_zones": 2, "nat": "gateway_per_az",
                "tiers": [{{"name": "pub", "kind": "public", "size": {{"prefix": 24}}}},
                          {{"name": "app", "kind": "private", "size": {{"prefix": 24}}}}]
                {extra}}}"#
        ))
        .expect("valid")
    }

    #[test]
    fn a_gateway_endpoint_takes_its_service_off_nat() {
        let traffic =
            r#", "traffic": {"internet_gb_per_month": 100, "services_gb_per_month": {"s3": 1000}}"#;
        let without = design(traffic);
        let e = estimate(&without, &without.traffic).expect("priced");
        assert_eq!(e.gb_per_month, 1100.0);
        let nat = &e.items[0];
        // 2 × 730 × 0.05 + 1,100 × 0.045
        assert_eq!((nat.hourly_usd, nat.data_usd), (73.0, 49.5));

        let with = design(&format!(
            r#"{traffic}, "endpoints": [{{"service": "s3", "kind": "gateway", "tiers": ["app"]}}]"#
        ));
        let e = estimate(&with, &with.traffic).expect("priced");
        assert_eq!(e.gb_per_month, 100.0);
        assert_eq!(e.items[0].data_usd, 4.5);
        assert_eq!(e.items[1].what, "gateway endpoint s3");
        assert_eq!(e.total_usd, 77.5);
    }

    #[test]
    fn an_interface_endpoint_is_priced_per_az_with_its_break_even() {
        let d = design(
            r#", "security_groups": [{"name": "https", "description": "endpoints"}],
                "endpoints": [{"service": "ecr.api", "kind": "interface", "tiers": ["app"]}],
                "traffic": {"services_gb_per_month": {"ecr.api": 500}}"#,
        );
        let e = estimate(&d, &d.traffic).expect("priced");
        let item = e
            .items
            .iter()
            .find(|i| i.what.starts_with("interface"))
            .expect("item");
        // 2 AZs × 730 h × 0.01; 500 GB × 0.01
        assert_eq!((item.hourly_usd, item.data_usd), (14.6, 5.0));
        let b = &e.break_even[0];
        // 14.60 / (0.045 - 0.01) = 417.1 GB
        assert_eq!(b.break_even_gb, 418.0);
        assert_eq!(b.gb_per_month, 500);
    }

    #[test]
    fn flow_logs_are_priced_by_destination_and_a_missing_price_is_said() {
        let d = design(
            r#", "flow_logs": {"destination": "cloudwatch_logs"},
                "traffic": {"flow_logs_gb_per_month": 20}"#,
        );
        let e = estimate(&d, &d.traffic).expect("priced");
        let item = e.items.last().expect("flow logs");
        assert_eq!(
            (item.what.as_str(), item.data_usd),
            ("flow logs to CloudWatch Logs", 10.0)
        );

        let mut d = design(
            r#", "flow_logs": {"destination": "s3", "bucket_arn": "arn:aws:s3:::logs-1"},
                "traffic": {"flow_logs_gb_per_month": 20}"#,
        );
        d.region = "eu-west-1".into();
        let e = estimate(&d, &d.traffic).expect("priced");
        let item = e.items.last().expect("flow logs");
        assert!(
            item.note.as_deref().unwrap_or("").contains("no price"),
            "{item:?}"
        );
    }
}
