//! Human- and machine-readable renderings of plans, findings and costs.

use std::fmt::Write;

use planner_core::analysis::cost::NatCostEstimate;
use planner_core::{Diagnostic, Planned, Severity};

/// The subnet table, resource counts and findings printed after `executor plan`.
pub fn plan_summary(planned: &Planned) -> String {
    let plan = &planned.plan;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{:<16} {:<16} {:<18} {:>7}  usable range",
        "tier", "zone", "cidr", "usable"
    );
    for a in &plan.allocation.subnets {
        let range = match (a.first_usable, a.last_usable) {
            (Some(f), Some(l)) => format!("{f} - {l}"),
            _ => "-".to_owned(),
        };
        let _ = writeln!(
            s,
            "{:<16} {:<16} {:<18} {:>7}  {range}",
            a.tier,
            a.availability_zone,
            a.cidr.to_string(),
            a.usable_addresses
        );
    }
    for r in &plan.allocation.reserved {
        let _ = writeln!(
            s,
            "{:<16} {:<16} {:<18} {:>7}  (reserved)",
            r.tier,
            "-",
            r.cidr.to_string(),
            "-"
        );
    }
    let mut counts = std::collections::BTreeMap::<&str, usize>::new();
    for r in &plan.resources {
        *counts.entry(r.kind.type_name()).or_default() += 1;
    }
    let counts: Vec<String> = counts.iter().map(|(t, n)| format!("{n} {t}")).collect();
    let _ = writeln!(
        s,
        "\n{} resources: {}",
        plan.resources.len(),
        counts.join(", ")
    );
    if let Some(e) = planner_core::analysis::cost::estimate(&plan.design, &plan.design.traffic) {
        if !e.items.is_empty() {
            let _ = writeln!(
                s,
                "network: about {:.2} USD a month at {} GB through NAT (executor cost itemizes it and compares every NAT strategy)",
                e.total_usd, e.gb_per_month
            );
        }
    }
    s.push_str(&diagnostics_text(&planned.diagnostics));
    s
}

/// One line per finding and a tally.
pub fn diagnostics_text(diagnostics: &[Diagnostic]) -> String {
    let mut s = String::new();
    for d in diagnostics {
        let _ = writeln!(s, "{d}");
    }
    let count = |sev| diagnostics.iter().filter(|d| d.severity == sev).count();
    let _ = writeln!(
        s,
        "{} errors, {} warnings, {} notes",
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info)
    );
    s
}

/// `{"diagnostics": [...], "errors": n, "warnings": n}` with a trailing newline.
pub fn diagnostics_json(diagnostics: &[Diagnostic]) -> String {
    let count = |sev| diagnostics.iter().filter(|d| d.severity == sev).count();
    let value = serde_json::json!({
        "diagnostics": diagnostics,
        "errors": count(Severity::Error),
        "warnings": count(Severity::Warning),
    });
    let mut s = serde_json::to_string_pretty(&value).expect("serializes");
    s.push('\n');
    s
}

/// The NAT cost comparison as a table.
pub fn cost_text(e: &NatCostEstimate) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "NAT cost per month in {} (list prices as of {}, {} h, {} GB through NAT; data transfer out excluded)",
        e.region, e.prices_as_of, e.hours_per_month, e.gb_per_month
    );
    let _ = writeln!(
        s,
        "  {:<16} {:>5} {:>10} {:>11} {:>10}",
        "strategy", "nats", "hourly", "processing", "total"
    );
    for c in &e.strategies {
        let mark = if c.strategy == e.chosen { "*" } else { " " };
        let _ = writeln!(
            s,
            "{mark} {:<16} {:>5} {:>10.2} {:>11.2} {:>10.2}",
            c.strategy.as_str(),
            c.nat_count,
            c.hourly_usd,
            c.processing_usd,
            c.total_usd
        );
    }
    let _ = writeln!(s, "(* = this design's choice; USD)");
    if !e.items.is_empty() {
        let _ = writeln!(s, "\nThis design per month (USD):");
        let _ = writeln!(
            s,
            "  {:<40} {:>8} {:>10} {:>8} {:>10}",
            "item", "GB", "hourly", "data", "total"
        );
        for i in &e.items {
            let _ = write!(
                s,
                "  {:<40} {:>8} {:>10.2} {:>8.2} {:>10.2}",
                i.what,
                i.gb_per_month,
                i.hourly_usd,
                i.data_usd,
                i.hourly_usd + i.data_usd
            );
            match &i.note {
                Some(note) => {
                    let _ = writeln!(s, "  ({note})");
                }
                None => s.push('\n'),
            }
        }
        let _ = writeln!(s, "  {:<40} {:>39.2}", "total", e.total_usd);
    }
    for b in &e.break_even {
        let verdict = if f64::from(b.gb_per_month) >= b.break_even_gb {
            "cheaper than NAT"
        } else {
            "dearer than NAT"
        };
        let _ = writeln!(
            s,
            "interface endpoint {}: {:.2} USD a month for {} AZs, saves {:.3} USD per GB against a NAT gateway, so it pays off above {} GB a month; at {} GB it is {verdict}",
            b.service, b.hourly_usd, b.azs, b.saving_per_gb_usd, b.break_even_gb, b.gb_per_month
        );
    }
    s
}

/// Any report as pretty JSON with a trailing newline.
pub fn json<T: serde::Serialize>(value: &T) -> String {
    let mut s = serde_json::to_string_pretty(value).expect("reports serialize");
    s.push('\n');
    s
}

/// What `executor policy` says on stderr when the policy is split: its size, the limit, how
/// many parts and each part's size.
pub fn policy_split_note(
    whole: usize,
    parts: &[planner_core::design::iam::PolicyDocument],
) -> String {
    use planner_core::analysis::executor_policy::{counted_size, MANAGED_POLICY_LIMIT};
    let sizes: Vec<String> = parts.iter().map(|p| counted_size(p).to_string()).collect();
    format!(
        "note: the policy is {whole} characters (whitespace not counted), over the {MANAGED_POLICY_LIMIT} a managed policy may hold: printed as a JSON array of {} managed policies ({} characters), to be attached together",
        parts.len(),
        sizes.join(", ")
    )
}

/// The exposure report: a line per group and port the internet reaches, then one per group and
/// port its rules open that a network ACL stops, with the blocking hop and AWS's code.
pub fn exposure_text(report: &planner_core::analysis::matrix::ExposureReport) -> String {
    let mut s = String::new();
    let at = |path: &str| {
        if path.is_empty() {
            String::new()
        } else {
            format!(" at {path}")
        }
    };
    if report.exposed.is_empty() {
        s.push_str("nothing is reachable from the internet\n");
    }
    for x in &report.exposed {
        let _ = writeln!(
            s,
            "{} {} {} from {} ({}){}",
            x.group,
            x.protocol,
            x.ports,
            x.from,
            x.members.join(", "),
            at(&x.path)
        );
    }
    for x in &report.blocked {
        let code = x
            .blocked_by
            .code
            .map_or(String::new(), |c| format!(" [{c}]"));
        let _ = writeln!(
            s,
            "blocked: {} {} {} from {} ({}){}: {}{code}",
            x.group,
            x.protocol,
            x.ports,
            x.from,
            x.members.join(", "),
            at(&x.path),
            x.blocked_by.message
        );
    }
    s
}

/// One line per preset, then its parameters with their defaults.
pub fn presets_text(presets: &[planner_core::presets::PresetInfo]) -> String {
    use planner_core::presets::ParamKind;
    let mut s = String::new();
    for p in presets {
        let _ = writeln!(s, "{p}");
        for param in p.params {
            let values = match param.kind {
                ParamKind::Bool => "true|false".to_owned(),
                ParamKind::OneOf(words) => words.join("|"),
                ParamKind::Cidr => "CIDR".to_owned(),
                ParamKind::Count { min, max } => format!("{min}-{max}"),
                ParamKind::Region => "REGION".to_owned(),
                ParamKind::AccountId => "ACCOUNT".to_owned(),
                ParamKind::Name => "NAME".to_owned(),
            };
            let _ = writeln!(
                s,
                "    {:<28} {} (default {})",
                format!("{}={values}", param.key),
                param.help,
                param.default
            );
        }
    }
    s
}
