//! `import` and `adopt`: bringing an existing VPC under a plan.
//!
//! `import` reads the VPC with describe calls only ([`read`]), turns it into a plan with
//! `planner_core::import` and writes it, ending with what was mapped, kept as it is, and not
//! expressed. `adopt` reads the VPC again, checks that every live resource the plan's
//! `imports` name is still in it (and the plan's, or no plan's), shows them, asks, and under
//! the plan's lock sets the plan's tags on exactly those ([`adopt`]).

mod adopt;
mod read;

use std::io::Write;
use std::sync::Arc;

use planner_core::import::{Imported, NoteKind};

use crate::aws::{Aws, Target};
use crate::cli::{DestroyArgs, Format, ImportArgs};
use crate::exclusive::{exclusively, force_unlock};
use crate::input::Failure;
use crate::run::{
    checked_plan, confirm, connect, rediscover, reported, reporter, runtime, show_changes,
};

/// A valid plan name from a VPC's `Name` tag.
fn plan_name(tag: Option<&String>) -> String {
    let n: String = tag
        .map(|t| {
            t.chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || c == '_' {
                        c
                    } else {
                        '-'
                    }
                })
                .take(64)
                .collect()
        })
        .unwrap_or_default();
    let n = n.trim_matches('-').to_owned();
    if n.is_empty() {
        "imported".to_owned()
    } else {
        n
    }
}

/// The region `import` reads: `--region`, or the environment's.
fn region(args: &ImportArgs) -> Result<String, Failure> {
    args.aws
        .region
        .clone()
        .or_else(|| std::env::var("AWS_REGION").ok())
        .or_else(|| std::env::var("AWS_DEFAULT_REGION").ok())
        .filter(|r| !r.is_empty())
        .ok_or_else(|| Failure::Refused {
            reason: "import needs a region: pass --region (or set AWS_REGION)".to_owned(),
        })
}

/// `executor import`.
pub fn import(args: &ImportArgs) -> Result<u8, Failure> {
    reported(args.aws.output, import_vpc(args))
}

fn import_vpc(args: &ImportArgs) -> Result<u8, Failure> {
    if !args.vpc_id.starts_with("vpc-") {
        return Err(Failure::Refused {
            reason: format!(
                "--vpc-id expects an id like vpc-0abc…, got {:?}",
                args.vpc_id
            ),
        });
    }
    let region = region(args)?;
    let target = Target {
        region: Some(region.clone()),
        profile: args.aws.profile.clone(),
        endpoint_url: args.aws.endpoint_url.clone(),
    };
    let aws_failure = |reason: String| Failure::Aws { reason };
    let snap = runtime().block_on(async {
        let aws = Aws::connect(&target, &region, usize::from(args.aws.concurrency))
            .await
            .map_err(aws_failure)?;
        aws.identify().await.map_err(aws_failure)?;
        read::snapshot(&aws, &args.vpc_id, &args.roles)
            .await
            .map_err(aws_failure)
    })?;
    let name = args
        .name
        .clone()
        .unwrap_or_else(|| plan_name(snap.vpc.tags.get("Name")));
    let imported = planner_core::import::import(&snap, &name).map_err(|e| Failure::CannotPlan {
        file: args.out.clone(),
        reason: format!("{} cannot be imported: {e}", args.vpc_id),
    })?;
    std::fs::write(&args.out, imported.planned.plan.to_json()).map_err(|e| Failure::Write {
        file: args.out.clone(),
        reason: e.to_string(),
    })?;
    summary(args, &imported);
    Ok(0)
}

/// What `import` says at the end: what was mapped, kept as it is, and not expressed.
fn summary(args: &ImportArgs, imported: &Imported) {
    let plan = &imported.planned.plan;
    let count = |k: NoteKind| imported.notes.iter().filter(|n| n.kind == k).count();
    let mapped = plan.design.imports.len();
    let errors = imported
        .planned
        .diagnostics
        .iter()
        .filter(|d| d.severity == planner_core::Severity::Error)
        .count();
    match args.aws.output {
        Format::Json => {
            let v = serde_json::json!({
                "event": "imported",
                "vpc": args.vpc_id,
                "plan": plan.design.name,
                "file": args.out,
                "mapped": mapped,
                "pinned_subnets": imported.pinned_subnets,
                "kept": count(NoteKind::Kept),
                "changes": count(NoteKind::Changes),
                "not_expressible": count(NoteKind::NotExpressible),
                "to_create": imported.to_create,
                "notes": imported.notes,
                "error_findings": errors,
            });
            println!("{v}");
        }
        Format::Text => {
            let mut out = std::io::stdout().lock();
            let d = &plan.design;
            let _ = writeln!(
                out,
                "imported {} as plan {}: {} tiers in {} zones, nat {}, {} security groups, {} roles",
                args.vpc_id,
                d.name,
                d.tiers.len(),
                d.az_names().len(),
                d.nat,
                d.security_groups.len(),
                d.iam.roles.len()
            );
            for n in &imported.notes {
                let _ = writeln!(out, "  {n}");
            }
            if !imported.to_create.is_empty() {
                let _ = writeln!(out, "  run would create: {}", imported.to_create.join(", "));
            }
            let _ = writeln!(
                out,
                "mapped: {mapped} resources (adopt tags them as the plan's); pinned as is: {} subnets at their live blocks, {} kept outside the plan; run would change: {}; not expressible: {}",
                imported.pinned_subnets,
                count(NoteKind::Kept),
                count(NoteKind::Changes),
                count(NoteKind::NotExpressible),
            );
            if errors > 0 {
                let _ = writeln!(
                    out,
                    "the design has {errors} error finding(s) (executor validate lists them): run and adopt refuse it until they are fixed"
                );
            }
            let _ = writeln!(out, "wrote {}", args.out.display());
        }
    }
}

/// `executor adopt`.
pub fn adopt(args: &DestroyArgs) -> Result<u8, Failure> {
    reported(args.aws.output, adopt_plan(args))
}

fn adopt_plan(args: &DestroyArgs) -> Result<u8, Failure> {
    let plan = Arc::new(checked_plan(&args.plan, args.aws.region.as_deref())?);
    if plan.design.imports.is_empty() {
        return Err(Failure::BadInput {
            file: args.plan.clone(),
            reason: "at imports: expected the live resources to adopt (executor import writes them); this plan has none".to_owned(),
        });
    }
    let events = reporter(&args.aws);
    runtime().block_on(async {
        let (s, _) = connect(&args.aws, plan, events.clone()).await?;
        let cx = &s.cx;
        let targets = adopt::targets(cx).await.map_err(|reason| Failure::Refused { reason })?;
        adopt::show(cx, &targets, args.aws.output);
        if targets.adopt.is_empty() {
            return Ok(0);
        }
        if !confirm(args.yes, "tag these resources as the plan's")? {
            return Ok(1);
        }
        if args.force_unlock {
            force_unlock(&cx.aws, events.as_ref(), &cx.plan.design.name).await?;
        }
        let who = (cx.plan.design.name.as_str(), s.caller.as_str(), "adopt");
        exclusively(&cx.aws, events.as_ref(), who, async {
            let now = adopt::targets(cx).await.map_err(|reason| Failure::Refused { reason })?;
            if now.adopt != targets.adopt {
                return Err(Failure::Refused {
                    reason: "the VPC changed after the list above was shown: nothing was tagged; run adopt again".to_owned(),
                });
            }
            adopt::tag(cx, &now).await.map_err(|e| Failure::Aws {
                reason: format!("adopt stopped: {e} (what was tagged is the plan's; adopt again to finish)"),
            })?;
            // What run makes of the account now, as `diff` would show it.
            let live = rediscover(cx).await?;
            let changes = crate::apply::engine::changes(cx, &live);
            if args.aws.output == Format::Text {
                println!("adopted {} resources; run would now:", now.adopt.len());
            }
            show_changes(cx, &changes, args.aws.output);
            Ok(0)
        })
        .await
    })
}
