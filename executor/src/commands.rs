//! The subcommands. Each returns its exit code or the failure that stopped it.

use planner_core::{diag::has_errors, Input, Planned};

use crate::cli::{
    CostArgs, ExportArgs, ExportFormat, ExposureArgs, Format, LintArgs, LintFormat, PlanArgs,
    PolicyArgs, PresetArgs, ReachArgs, SchemaArgs, SchemaKind, ValidateArgs,
};
use crate::input::{read_input, read_plan, read_text, write_output, Failure};
use crate::lint_report::{self, LintedFile};
use crate::report;

/// `executor plan`: a design (or a plan's design) in, plan.json out.
pub fn plan(args: &PlanArgs) -> Result<u8, Failure> {
    let input = read_input(&args.input)?;
    let previous = match &args.previous {
        Some(file) => Some(read_plan(file)?.allocation),
        None => match &input {
            Input::Plan(p) => Some(p.allocation.clone()),
            Input::Design(_) => None,
        },
    };
    let planned = planner_core::plan(input.design(), previous.as_ref())
        .map_err(|e| Failure::from_plan_error(&args.input, e))?;
    write_output(args.output.as_deref(), &planned.plan.to_json())?;
    if !args.quiet {
        eprint!("{}", report::plan_summary(&planned));
    }
    Ok(0)
}

/// `executor validate`: findings, and exit 1 when any is an error.
pub fn validate(args: &ValidateArgs) -> Result<u8, Failure> {
    let diagnostics = match read_input(&args.input)? {
        Input::Design(d) => planner_core::plan(&d, None).map(|p: Planned| p.diagnostics),
        Input::Plan(p) => planner_core::validate(&p),
    }
    .map_err(|e| Failure::from_plan_error(&args.input, e))?;
    let text = match args.output {
        Format::Text => report::diagnostics_text(&diagnostics),
        Format::Json => report::diagnostics_json(&diagnostics),
    };
    write_output(None, &text)?;
    Ok(u8::from(has_errors(&diagnostics)))
}

/// `executor lint`: every file's IAM findings, and exit 1 when any is an error. A file that
/// cannot be read, parsed or planned gets its one line on standard error and nothing is
/// printed on standard output: exit 2 (1 when every such file is a design that cannot be
/// planned, as `validate`).
pub fn lint(args: &LintArgs) -> Result<u8, Failure> {
    let mut linted = Vec::new();
    let mut failures = Vec::new();
    for file in &args.files {
        let outcome = read_text(file).and_then(|text| {
            let linted =
                planner_core::lint::lint(&text).map_err(|e| Failure::from_plan_error(file, e))?;
            // The core lints a plan as the editor reads one, without its resources; here a
            // plan is read whole, so malformed resources are refused as `validate` refuses them.
            if linted.kind == planner_core::lint::Kind::Plan {
                planner_core::parse_plan(&text).map_err(|e| Failure::bad_input(file, &e))?;
            }
            Ok(linted)
        });
        match outcome {
            Ok(l) => linted.push(LintedFile { file, linted: l }),
            Err(f) => failures.push(f),
        }
    }
    if let Some(worst) = failures.iter().map(Failure::exit_code).max() {
        for f in &failures {
            eprintln!("error: {f}");
        }
        return Ok(worst);
    }
    let text = match args.output {
        LintFormat::Text => lint_report::text(&linted),
        LintFormat::Json => lint_report::json(&linted),
        LintFormat::Sarif => lint_report::sarif(&linted),
    };
    write_output(None, &text)?;
    let errors = linted.iter().flat_map(|l| &l.linted.findings);
    Ok(u8::from(
        errors
            .into_iter()
            .any(|d| d.severity == planner_core::Severity::Error),
    ))
}

/// `executor cost`: the design's network cost line by line, every NAT strategy priced for its
/// AZs, and each interface endpoint against NAT, at the design's traffic figures or the flags'.
pub fn cost(args: &CostArgs) -> Result<u8, Failure> {
    let input = read_input(&args.input)?;
    let design = input.design();
    let mut traffic = design.traffic.clone();
    if let Some(gb) = args.gb {
        traffic.internet_gb_per_month = gb;
    }
    for (service, gb) in &args.service_gb {
        traffic.services_gb_per_month.insert(service.clone(), *gb);
    }
    if let Some(gb) = args.flow_log_gb {
        traffic.flow_logs_gb_per_month = gb;
    }
    let Some(estimate) = planner_core::analysis::cost::estimate(design, &traffic) else {
        let known: Vec<&str> = planner_core::analysis::cost::PRICES
            .iter()
            .map(|p| p.region)
            .collect();
        return Err(Failure::CannotPlan {
            file: args.input.clone(),
            reason: format!(
                "no prices for region {}: the table has {}",
                design.region,
                known.join(", ")
            ),
        });
    };
    let text = match args.output {
        Format::Text => report::cost_text(&estimate),
        Format::Json => report::json(&estimate),
    };
    write_output(None, &text)?;
    Ok(0)
}

/// `executor schema`: the generated JSON Schema.
pub fn schema(args: &SchemaArgs) -> Result<u8, Failure> {
    let text = match args.kind {
        SchemaKind::Plan => planner_core::plan_schema(),
        SchemaKind::Design => planner_core::design_schema(),
    };
    write_output(None, &text)?;
    Ok(0)
}

/// The plan of a design or plan file: a plan file's own resources, a design planned afresh.
fn planned(input: Input, file: &std::path::Path) -> Result<planner_core::Plan, Failure> {
    match input {
        Input::Plan(p) => Ok(*p),
        Input::Design(d) => planner_core::plan(&d, None)
            .map(|p| p.plan)
            .map_err(|e| Failure::from_plan_error(file, e)),
    }
}

/// `executor reach`: the path, or the hop that blocks it.
pub fn reach(args: &ReachArgs) -> Result<u8, Failure> {
    use planner_core::analysis::sg_graph::Graph;
    let plan = planned(read_input(&args.input)?, &args.input)?;
    let graph = Graph::new(&plan);
    let answer = graph
        .reach(
            &graph.endpoint(&args.from),
            &graph.endpoint(&args.to),
            args.protocol.into(),
            args.port,
        )
        .map_err(|e| Failure::BadInput {
            file: args.input.clone(),
            reason: format!("{e}: the plan's groups are {}", {
                let names: Vec<&str> = plan
                    .design
                    .security_groups
                    .iter()
                    .map(|g| g.name.as_str())
                    .collect();
                names.join(", ")
            }),
        })?;
    let text = match args.output {
        Format::Text => format!("{}\n", answer.message),
        Format::Json => report::json(&answer),
    };
    write_output(None, &text)?;
    Ok(u8::from(!answer.reachable))
}

/// `executor exposure`: what the internet reaches, and what the groups open but network ACLs
/// stop.
pub fn exposure(args: &ExposureArgs) -> Result<u8, Failure> {
    let plan = planned(read_input(&args.input)?, &args.input)?;
    let exposure = planner_core::analysis::sg_graph::Graph::new(&plan).exposure_report();
    let text = match args.output {
        Format::Text => report::exposure_text(&exposure),
        Format::Json => report::json(&exposure),
    };
    write_output(None, &text)?;
    Ok(0)
}

/// `executor policy`: the IAM policy this plan needs, derived from its resources: one document,
/// or, when it is over what a managed policy may hold, a JSON array of documents each within
/// it, and a line on stderr saying so.
pub fn policy(args: &PolicyArgs) -> Result<u8, Failure> {
    use planner_core::analysis::executor_policy::{counted_size, policies, policy, Target};
    let plan = planned(read_input(&args.input)?, &args.input)?;
    let account = match &args.account {
        Some(a) if a.len() == 12 && a.bytes().all(|b| b.is_ascii_digit()) => a.clone(),
        Some(a) => {
            return Err(Failure::BadInput {
                file: "--account".into(),
                reason: format!("expected a 12-digit AWS account id, got {a:?}"),
            })
        }
        None => "*".to_owned(),
    };
    let target = Target {
        partition: args.partition.clone(),
        account,
    };
    let parts = policies(&plan, &target);
    match parts.as_slice() {
        [one] => write_output(None, &report::json(one))?,
        _ => {
            write_output(None, &report::json(&parts))?;
            eprintln!(
                "{}",
                report::policy_split_note(counted_size(&policy(&plan, &target)), &parts)
            );
        }
    }
    Ok(0)
}

/// `executor export`: the plan (a design planned first) as another tool's input, refused
/// as `run` refuses a plan with error findings.
pub fn export(args: &ExportArgs) -> Result<u8, Failure> {
    let file = args.input.as_path();
    let (plan, findings) = match read_input(file)? {
        Input::Design(d) => planner_core::plan(&d, None).map(|p| (p.plan, p.diagnostics)),
        Input::Plan(p) => planner_core::validate(&p).map(|f| (*p, f)),
    }
    .map_err(|e| Failure::from_plan_error(file, e))?;
    if let Some(first) = findings
        .iter()
        .find(|d| d.severity == planner_core::Severity::Error)
    {
        return Err(Failure::BadInput {
            file: file.to_owned(),
            reason: format!("the plan has errors (executor validate lists them), first: {first}"),
        });
    }
    let cannot = |format: &str, e: planner_core::export::ExportError| Failure::CannotPlan {
        file: file.to_owned(),
        reason: format!("cannot export as {format}: {e}"),
    };
    match args.format {
        ExportFormat::Cloudformation => {
            let text = planner_core::export::cloudformation::template(&plan)
                .map_err(|e| cannot("CloudFormation", e))?;
            write_output(args.output.as_deref(), &text)?;
        }
        ExportFormat::Terraform => {
            let Some(dir) = args.output.as_deref() else {
                return Err(Failure::Refused {
                    reason: "Terraform configuration is several files: give the folder to write them to with -o DIR".to_owned(),
                });
            };
            let files =
                planner_core::export::terraform::files(&plan).map_err(|e| Failure::CannotPlan {
                    file: file.to_owned(),
                    reason: format!("cannot export as Terraform: {e}"),
                })?;
            std::fs::create_dir_all(dir).map_err(|e| Failure::Write {
                file: dir.to_owned(),
                reason: e.to_string(),
            })?;
            for (name, text) in &files {
                write_output(Some(&dir.join(name)), text)?;
            }
        }
    }
    Ok(0)
}

/// `executor preset`: the presets, or one preset's design JSON.
pub fn preset(args: &PresetArgs) -> Result<u8, Failure> {
    use planner_core::presets;
    let Some(name) = args.name.as_deref().filter(|_| !args.list) else {
        write_output(None, &report::presets_text(&presets::list()))?;
        return Ok(0);
    };
    let bad = |reason: String| Failure::BadInput {
        file: "--set".into(),
        reason,
    };
    let mut set = Vec::new();
    for kv in &args.set {
        let (k, v) = kv
            .split_once('=')
            .ok_or_else(|| bad(format!("expected key=value, got {kv:?}")))?;
        set.push((k, v));
    }
    let design = presets::build(name, &set).map_err(|e| Failure::BadInput {
        file: format!("preset {name}").into(),
        reason: e.to_string(),
    })?;
    write_output(None, &report::json(&design))?;
    Ok(0)
}
