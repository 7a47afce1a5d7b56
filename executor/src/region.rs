//! `--region` against the plan's zones.
//!
//! A plan is for one region: its zones are there, and its IAM entities carry that region's
//! `vpc-planner:region` tag (IAM is global, so another region's run would meet them). A
//! `--region` the plan's zones are not in is refused before any AWS call, rather than failing
//! half-way on zones that region does not have.

use std::collections::BTreeSet;

use planner_core::Plan;

/// Whether availability zone `zone` (`us-east-1a`, or a Local Zone `us-east-1-bos-1a`) is in
/// `region`.
fn in_region(zone: &str, region: &str) -> bool {
    zone.strip_prefix(region)
        .and_then(|rest| rest.chars().next())
        .is_some_and(|c| c.is_ascii_lowercase() || c == '-')
}

/// `Ok` when `asked` (the `--region` flag) is absent or is the region of every zone of the
/// plan; else the one-line reason.
pub fn check(plan: &Plan, asked: Option<&str>) -> Result<(), String> {
    let Some(asked) = asked else {
        return Ok(());
    };
    let planned = plan.design.region.as_str();
    let zones: BTreeSet<&str> = plan
        .allocation
        .subnets
        .iter()
        .map(|s| s.availability_zone.as_str())
        .collect();
    if asked == planned && zones.iter().all(|z| in_region(z, asked)) {
        return Ok(());
    }
    let zones: Vec<&str> = zones.into_iter().collect();
    let of = if zones.is_empty() {
        format!("the plan is for {planned}")
    } else {
        format!("the plan's zones ({}) are in {planned}", zones.join(", "))
    };
    Err(format!(
        "--region {asked} does not match the plan: {of}; drop --region, or plan the design again for {asked}"
    ))
}

#[cfg(test)]
mod tests {
    use super::in_region;

    #[test]
    fn zones_belong_to_their_region_only() {
        assert!(in_region("us-east-1a", "us-east-1"));
        assert!(in_region("us-east-1-bos-1a", "us-east-1"));
        assert!(!in_region("eu-west-1a", "us-east-1"));
        assert!(!in_region("us-east-1", "us-east-1"));
        assert!(!in_region("ap-southeast-10a", "ap-southeast-1"));
    }
}
