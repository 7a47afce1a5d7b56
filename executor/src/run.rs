//! `run`, `diff` and `destroy`: the commands that talk to AWS.
//!
//! Each reads and checks the plan and `--region` before any call, connects, and finds what the
//! plan owns. `run` and `destroy` then show what they will change and ask; only then do they
//! take the plan's lock, find what the plan owns again (another run may have changed it while
//! the user was asked) and, if that is still what was shown, change it. A re-run with nothing
//! to do therefore makes no mutating call, not even for the lock.

use std::collections::BTreeMap;
use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;
use std::sync::Arc;

use planner_core::resource::ResourceType;
use planner_core::{diag::has_errors, Plan};

use crate::apply::context::Cx;
use crate::apply::discover::discover;
use crate::apply::engine;
use crate::apply::model::{Change, Live, LiveRes};
use crate::aws::{Aws, Target};
use crate::cli::{AwsArgs, DestroyArgs, Format, RunArgs};
use crate::events::{Event, JsonLines, Reporter, Text};
use crate::exclusive::{exclusively, force_unlock};
use crate::input::{read_plan, Failure};
use crate::trace;

/// Reads a plan and refuses it, before any AWS call, if it has error findings or `--region`
/// is not the region of its zones.
pub(crate) fn checked_plan(file: &Path, region: Option<&str>) -> Result<Plan, Failure> {
    let plan = read_plan(file)?;
    let findings = planner_core::validate(&plan).map_err(|e| Failure::from_plan_error(file, e))?;
    if has_errors(&findings) {
        let first = findings
            .iter()
            .find(|d| d.severity == planner_core::Severity::Error)
            .expect("has_errors");
        return Err(Failure::BadInput {
            file: file.to_owned(),
            reason: format!("the plan has errors (executor validate lists them), first: {first}"),
        });
    }
    crate::region::check(&plan, region).map_err(|reason| Failure::Refused { reason })?;
    Ok(plan)
}

pub(crate) fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime starts")
}

pub(crate) fn reporter(args: &AwsArgs) -> Arc<dyn Reporter> {
    match args.output {
        Format::Json => Arc::new(JsonLines::new()),
        Format::Text => Arc::new(Text::new(
            !args.no_progress && std::io::stderr().is_terminal(),
        )),
    }
}

/// A connection to the account.
pub(crate) struct Session {
    pub cx: Arc<Cx>,
    /// The caller's ARN, which the lock names as its holder.
    pub caller: String,
}

/// Connects, learns the account and finds what the plan owns.
pub(crate) async fn connect(
    args: &AwsArgs,
    plan: Arc<Plan>,
    events: Arc<dyn Reporter>,
) -> Result<(Session, Live), Failure> {
    let target = Target {
        region: args.region.clone(),
        profile: args.profile.clone(),
        endpoint_url: args.endpoint_url.clone(),
    };
    let aws_failure = |reason: String| Failure::Aws { reason };
    let aws = Aws::connect(&target, &plan.design.region, usize::from(args.concurrency))
        .await
        .map_err(aws_failure)?;
    let me = trace::labelled("identity", aws.identify())
        .await
        .map_err(aws_failure)?;
    let cx = Arc::new(Cx::new(aws, plan, me.account, events));
    let live = rediscover(&cx).await?;
    Ok((Session { cx, caller: me.arn }, live))
}

/// Finds what the plan owns.
pub(crate) async fn rediscover(cx: &Arc<Cx>) -> Result<Live, Failure> {
    discover(cx).await.map_err(|e| Failure::Aws {
        reason: e.to_string(),
    })
}

/// The refusal when the account changed between the listing the user said yes to and the
/// lock.
fn changed_meanwhile() -> Failure {
    Failure::Refused {
        reason: "the account changed after the changes above were listed (another run or destroy?): nothing was changed; run the same command again to see what it would do now".to_owned(),
    }
}

fn summary_line(counts: &BTreeMap<&str, usize>) -> String {
    ["create", "update", "delete", "in sync"]
        .iter()
        .map(|k| {
            format!("{} to {k}", counts.get(k).copied().unwrap_or(0))
                .replace("to in sync", "in sync")
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Prints what will change; returns whether anything will.
pub(crate) fn show_changes(cx: &Cx, changes: &BTreeMap<String, Change>, format: Format) -> bool {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    let mut lines = Vec::new();
    for r in &cx.plan.resources {
        match &changes[&r.id] {
            Change::Create => {
                *counts.entry("create").or_default() += 1;
                lines.push(format!("  + {} ({})", r.id, r.kind.type_name()));
            }
            Change::Update(drift) => {
                *counts.entry("update").or_default() += 1;
                for d in drift {
                    lines.push(format!("  ~ {}: {d}", r.id));
                }
            }
            Change::InSync => *counts.entry("in sync").or_default() += 1,
            Change::Delete => {}
        }
    }
    for (id, c) in changes {
        if *c == Change::Delete {
            *counts.entry("delete").or_default() += 1;
            lines.push(format!("  - {id} (not in the plan any more)"));
        }
    }
    let differs = counts.keys().any(|k| *k != "in sync");
    let account = cx.apply_values().account_id;
    match format {
        Format::Text => {
            let mut out = std::io::stdout().lock();
            let _ = writeln!(
                out,
                "plan {} in account {account}, {}: {}",
                cx.plan.design.name,
                cx.aws.region,
                summary_line(&counts)
            );
            for l in lines {
                let _ = writeln!(out, "{l}");
            }
        }
        Format::Json => {
            let changes: Vec<serde_json::Value> = changes
                .iter()
                .filter(|(_, c)| **c != Change::InSync)
                .map(|(id, c)| {
                    let (kind, drift) = match c {
                        Change::Create => ("create", vec![]),
                        Change::Update(d) => {
                            ("update", d.iter().map(ToString::to_string).collect())
                        }
                        Change::Delete => ("delete", vec![]),
                        Change::InSync => ("in_sync", vec![]),
                    };
                    serde_json::json!({"id": id, "change": kind, "drift": drift})
                })
                .collect();
            let v = serde_json::json!({"event": "plan", "account": account, "region": cx.aws.region, "counts": counts, "changes": changes});
            println!("{v}");
        }
    }
    differs
}

/// Asks `Proceed? (y/N)`; without a terminal and without `--yes`, refuses.
pub(crate) fn confirm(yes: bool, what: &str) -> Result<bool, Failure> {
    if yes {
        return Ok(true);
    }
    if !std::io::stdin().is_terminal() {
        return Err(Failure::Refused {
            reason: format!(
                "no terminal to ask whether to {what}: pass --yes to proceed without asking"
            ),
        });
    }
    eprint!("Proceed? (y/N) ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    let _ = std::io::stdin().lock().read_line(&mut answer);
    Ok(matches!(answer.trim(), "y" | "Y" | "yes"))
}

fn finish(events: &dyn Reporter, outcome: &engine::Outcome, verb: &str) -> u8 {
    let mut summary = format!(
        "{verb}: {} created, {} updated, {} deleted, {} already as planned",
        outcome.created, outcome.updated, outcome.deleted, outcome.in_sync
    );
    if !outcome.kept.is_empty() {
        let kept: Vec<&str> = outcome.kept.iter().map(|e| e.resource.as_str()).collect();
        summary.push_str(&format!(
            "; not deleted (held outside this plan): {}",
            kept.join(", ")
        ));
    }
    events.event(Event::Note { message: summary });
    if outcome.errors.is_empty() {
        return 0;
    }
    for e in &outcome.errors {
        events.event(Event::Error {
            id: e.resource.clone(),
            message: e.message.clone(),
        });
    }
    events.event(Event::Failed {
        message: format!(
            "stopped after {} failure(s); what was created is tagged and will be found: fix the cause and run the same command again to continue",
            outcome.errors.len()
        ),
        exit_code: 1,
    });
    1
}

/// With `--output json`, a failure that ends the command is a `failed` event on standard
/// output too (standard error has its `error:` line either way).
pub(crate) fn reported(format: Format, outcome: Result<u8, Failure>) -> Result<u8, Failure> {
    if let (Format::Json, Err(f)) = (format, &outcome) {
        let event = Event::Failed {
            message: f.to_string(),
            exit_code: f.exit_code(),
        };
        println!(
            "{}",
            serde_json::to_string(&event).expect("events serialize")
        );
    }
    outcome
}

/// `executor run` (and `run --dry-run`).
pub fn run(args: &RunArgs) -> Result<u8, Failure> {
    reported(args.aws.output, apply_plan(args))
}

fn apply_plan(args: &RunArgs) -> Result<u8, Failure> {
    let plan = Arc::new(checked_plan(&args.plan, args.aws.region.as_deref())?);
    let events = reporter(&args.aws);
    runtime().block_on(trace::labelled("run", async {
        let (s, live) = connect(&args.aws, plan, events.clone()).await?;
        let cx = &s.cx;
        if !live.foreign.is_empty() {
            let all: Vec<String> = live.foreign.iter().map(ToString::to_string).collect();
            return Err(Failure::Aws {
                reason: all.join("; "),
            });
        }
        let changes = engine::changes(cx, &live);
        let differs = show_changes(cx, &changes, args.aws.output);
        if args.dry_run {
            return Ok(u8::from(differs));
        }
        let refused = engine::refusals(cx, &changes);
        if !refused.is_empty() {
            return Err(Failure::Refused {
                reason: format!("nothing changed: {}", refused.join("; ")),
            });
        }
        if !differs {
            events.event(Event::Note {
                message: "nothing to do: the account matches the plan".to_owned(),
            });
            return Ok(0);
        }
        if !confirm(args.yes, "apply these changes")? {
            events.event(Event::Note {
                message: "nothing changed".to_owned(),
            });
            return Ok(1);
        }
        // Only now, after the refusals and the user's yes: a refused or declined run leaves
        // the lock (and whoever may still hold it) alone.
        if args.force_unlock {
            force_unlock(&cx.aws, events.as_ref(), &cx.plan.design.name).await?;
        }
        let who = (cx.plan.design.name.as_str(), s.caller.as_str(), "run");
        exclusively(&cx.aws, events.as_ref(), who, async {
            let live = rediscover(cx).await?;
            if !live.foreign.is_empty() || engine::changes(cx, &live) != changes {
                return Err(changed_meanwhile());
            }
            let outcome = engine::apply(cx.clone(), &live, &changes).await;
            Ok(finish(events.as_ref(), &outcome, "applied"))
        })
        .await
    }))
}

/// `executor diff`: exit 0 in sync, 1 with differences.
pub fn diff(args: &RunArgs) -> Result<u8, Failure> {
    let dry = RunArgs {
        dry_run: true,
        ..args.clone()
    };
    run(&dry)
}

/// What `destroy` deletes: plan id, type, live resource.
type Targets = Vec<(String, ResourceType, LiveRes)>;

/// Prints what `destroy` will delete.
fn show_targets(cx: &Cx, targets: &Targets, foreign: &[String], format: Format) {
    let account = cx.apply_values().account_id;
    match format {
        Format::Text => {
            let mut out = std::io::stdout().lock();
            let _ = writeln!(
                out,
                "plan {} in account {account}, {}: {} to delete",
                cx.plan.design.name,
                cx.aws.region,
                targets.len()
            );
            for (id, _, l) in targets {
                let _ = writeln!(out, "  - {id} ({})", l.aws_id);
            }
            for f in foreign {
                let _ = writeln!(out, "  ! {f}");
            }
        }
        Format::Json => {
            let changes: Vec<serde_json::Value> = targets
                .iter()
                .map(|(id, _, l)| serde_json::json!({"id": id, "change": "delete", "aws_id": l.aws_id}))
                .collect();
            let v = serde_json::json!({"event": "plan", "account": account, "region": cx.aws.region, "counts": {"delete": targets.len()}, "changes": changes, "not_the_plans": foreign});
            println!("{v}");
        }
    }
}

/// `executor destroy`: deletes exactly what the plan owns.
pub fn destroy(args: &DestroyArgs) -> Result<u8, Failure> {
    reported(args.aws.output, destroy_plan(args))
}

fn destroy_plan(args: &DestroyArgs) -> Result<u8, Failure> {
    let plan = Arc::new(checked_plan(&args.plan, args.aws.region.as_deref())?);
    let events = reporter(&args.aws);
    runtime().block_on(trace::labelled("run", async {
        let (s, live) = connect(&args.aws, plan, events.clone()).await?;
        let cx = &s.cx;
        let targets = engine::destroy_targets(cx, &live);
        let foreign: Vec<String> = live.foreign.iter().map(ToString::to_string).collect();
        show_targets(cx, &targets, &foreign, args.aws.output);
        if targets.is_empty() {
            return Ok(0);
        }
        if !confirm(args.yes, "delete these resources")? {
            return Ok(1);
        }
        if args.force_unlock {
            force_unlock(&cx.aws, events.as_ref(), &cx.plan.design.name).await?;
        }
        let who = (cx.plan.design.name.as_str(), s.caller.as_str(), "destroy");
        exclusively(&cx.aws, events.as_ref(), who, async {
            let live = rediscover(cx).await?;
            let now = engine::destroy_targets(cx, &live);
            if now != targets {
                return Err(changed_meanwhile());
            }
            cx.events.start(targets.len() as u64);
            let outcome = engine::delete_all(cx.clone(), now).await;
            cx.events.finish();
            Ok(finish(events.as_ref(), &outcome, "destroyed"))
        })
        .await
    }))
}
