//! Command-line flags.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Turns a network design into a plan, checks it, and prices its NAT.
#[derive(Debug, Parser)]
#[command(name = "executor", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Plan a design (or re-plan a plan) and write plan.json.
    Plan(PlanArgs),
    /// Print a design's or plan's findings. Exit 0 without errors, 1 with, 2 on bad input.
    Validate(ValidateArgs),
    /// Check IAM policy documents (identity, trust or resource policies), designs or plans as
    /// IAM Access Analyzer validates a policy: findings with codes, JSON paths, lines and
    /// columns. Exit 0 without errors, 1 with, 2 on unreadable input.
    Lint(LintArgs),
    /// Compare the monthly cost of every NAT strategy for a design.
    Cost(CostArgs),
    /// Print the JSON Schema of plan.json or of a design.
    Schema(SchemaArgs),
    /// Can one side reach the other? Exit 0 reachable, 1 not, 2 bad input.
    Reach(ReachArgs),
    /// Every security group and port the internet reaches.
    Exposure(ExposureArgs),
    /// The least-privilege IAM policy the executor needs to apply, diff and destroy a plan.
    Policy(PolicyArgs),
    /// Write a plan (or a design, planned first) as another tool's input: `--format
    /// cloudformation` writes one JSON template. Refused, as `run` refuses it, when the plan
    /// has error findings.
    Export(ExportArgs),
    /// Print a vendor guide's design: `preset --list`, or `preset NAME [--set key=value …]`.
    Preset(PresetArgs),
    /// Apply a plan: show what will change, ask, then create, repair and delete.
    Run(RunArgs),
    /// What `run` would do against the live account, including drift. Exit 0 in sync, 1 not.
    Diff(RunArgs),
    /// Delete exactly the resources this plan owns.
    Destroy(DestroyArgs),
    /// Read an existing VPC (describe calls only) and write a plan whose design reproduces
    /// it, every subnet pinned where it is; ends with what was mapped, kept and not expressed.
    Import(ImportArgs),
    /// Tag the live resources an imported plan describes as the plan's, so `run`, `diff` and
    /// `destroy` manage them: shows them and asks first, as `run` does.
    Adopt(DestroyArgs),
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The VPC to read, `vpc-…`.
    #[arg(long)]
    pub vpc_id: String,
    /// IAM roles to bring in with their policies and instance profiles (repeatable, or
    /// several after one flag). No other role is read or ever touched.
    #[arg(long, num_args = 1..)]
    pub roles: Vec<String>,
    /// The plan's name (default: the VPC's `Name` tag, made a valid plan name).
    #[arg(long)]
    pub name: Option<String>,
    /// Where to write plan.json (`-o`; `--output` says how to print the summary).
    #[arg(short = 'o', long = "out", value_name = "PLAN")]
    pub out: PathBuf,
    #[command(flatten)]
    pub aws: AwsArgs,
}

/// Flags shared by the commands that talk to AWS.
#[derive(Clone, Debug, Args)]
pub struct AwsArgs {
    /// The region: the plan's (the default), or refused.
    #[arg(long)]
    pub region: Option<String>,
    /// A named profile of the AWS config files.
    #[arg(long)]
    pub profile: Option<String>,
    /// Send every request here (also read from AWS_ENDPOINT_URL).
    #[arg(long)]
    pub endpoint_url: Option<String>,
    /// AWS calls in flight at once.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub concurrency: u16,
    /// Lines for people, or JSON lines of events for machines.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub output: Format,
    /// No progress bar, even on a terminal.
    #[arg(long)]
    pub no_progress: bool,
}

#[derive(Clone, Debug, Args)]
pub struct RunArgs {
    /// The plan.json to apply.
    pub plan: PathBuf,
    /// Do not ask.
    #[arg(long, short)]
    pub yes: bool,
    /// Show what would change and stop (exit 0 in sync, 1 not).
    #[arg(long)]
    pub dry_run: bool,
    /// After the refusals and the yes, delete the plan's lock: for a lock left by a run or
    /// destroy that was killed or crashed (the message for a held lock names its holder).
    #[arg(long)]
    pub force_unlock: bool,
    #[command(flatten)]
    pub aws: AwsArgs,
}

#[derive(Clone, Debug, Args)]
pub struct DestroyArgs {
    /// The plan.json whose resources to delete.
    pub plan: PathBuf,
    /// Do not ask.
    #[arg(long, short)]
    pub yes: bool,
    /// After the refusals and the yes, delete the plan's lock: for a lock left by a run or
    /// destroy that was killed or crashed (the message for a held lock names its holder).
    #[arg(long)]
    pub force_unlock: bool,
    #[command(flatten)]
    pub aws: AwsArgs,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// A plan or a design.
    pub input: PathBuf,
    /// What to write.
    #[arg(long, value_enum)]
    pub format: ExportFormat,
    /// Where to write it: a file for CloudFormation (default: standard output), a folder for
    /// Terraform (required; made if missing).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
}

/// The formats `export` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// One CloudFormation template (JSON); the stack needs `CAPABILITY_NAMED_IAM`.
    Cloudformation,
    /// Terraform configuration for the `hashicorp/aws` provider, one file per area.
    Terraform,
}

#[derive(Debug, Args)]
pub struct PresetArgs {
    /// The preset (see --list).
    #[arg(required_unless_present = "list")]
    pub name: Option<String>,
    /// Name each preset with one line, and its parameters.
    #[arg(long)]
    pub list: bool,
    /// Override a parameter, e.g. --set nat=none (repeatable).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
}

#[derive(Debug, Args)]
pub struct PolicyArgs {
    /// A plan or a design.
    pub input: PathBuf,
    /// The account the plan is applied in (default: any, written `*` in ARNs).
    #[arg(long)]
    pub account: Option<String>,
    /// The AWS partition.
    #[arg(long, default_value = "aws")]
    pub partition: String,
}

#[derive(Debug, Args)]
pub struct ReachArgs {
    /// A plan or a design.
    pub input: PathBuf,
    /// `internet` or a security group name.
    #[arg(long)]
    pub from: String,
    /// `internet`, a security group name, or an AWS service (`s3`, `dynamodb`, `ecr.api`, …):
    /// the answer says whether traffic leaves through a gateway endpoint, an interface endpoint
    /// or the internet (NAT).
    #[arg(long)]
    pub to: String,
    /// The destination port (or ICMP type); omit for every port.
    #[arg(long)]
    pub port: Option<u16>,
    /// The protocol.
    #[arg(long, value_enum, default_value_t = ProtocolArg::Tcp)]
    pub protocol: ProtocolArg,
    /// How to print the answer.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub output: Format,
}

#[derive(Debug, Args)]
pub struct ExposureArgs {
    /// A plan or a design.
    pub input: PathBuf,
    /// How to print the report.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub output: Format,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ProtocolArg {
    Tcp,
    Udp,
    Icmp,
    Icmpv6,
    All,
}

impl From<ProtocolArg> for planner_core::design::sg::Protocol {
    fn from(p: ProtocolArg) -> Self {
        use planner_core::design::sg::Protocol;
        match p {
            ProtocolArg::Tcp => Protocol::Tcp,
            ProtocolArg::Udp => Protocol::Udp,
            ProtocolArg::Icmp => Protocol::Icmp,
            ProtocolArg::Icmpv6 => Protocol::Icmpv6,
            ProtocolArg::All => Protocol::All,
        }
    }
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    /// A design, or a plan whose design is planned again keeping its allocation.
    pub input: PathBuf,
    /// A previous plan whose subnets must not move.
    #[arg(long)]
    pub previous: Option<PathBuf>,
    /// Where to write plan.json (default: standard output).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Do not print the subnet table and findings on standard error.
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// A plan or a design.
    pub input: PathBuf,
    /// How to print findings.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub output: Format,
}

#[derive(Debug, Args)]
pub struct LintArgs {
    /// Policy documents (an object with `Statement`), designs or plans.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// How to print findings: `file:line:col` lines, JSON, or SARIF 2.1.0 for code scanning.
    #[arg(long, value_enum, default_value_t = LintFormat::Text)]
    pub output: LintFormat,
}

/// The formats `lint` prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LintFormat {
    Text,
    Json,
    Sarif,
}

#[derive(Debug, Args)]
pub struct CostArgs {
    /// A plan or a design.
    pub input: PathBuf,
    /// GB a month the private tiers send to the internet through NAT (default: the design's
    /// `traffic.internet_gb_per_month`, 100 if unset).
    #[arg(long, value_name = "GB")]
    pub gb: Option<u32>,
    /// GB a month the private tiers send to an AWS service, as SERVICE=GB (`s3=2000`,
    /// `ecr.api=300`); repeat for several. Replaces the design's figure for that service.
    #[arg(long = "service-gb", value_name = "SERVICE=GB", value_parser = service_gb)]
    pub service_gb: Vec<(String, u32)>,
    /// GB a month of flow-log records (default: the design's
    /// `traffic.flow_logs_gb_per_month`).
    #[arg(long = "flow-log-gb", value_name = "GB")]
    pub flow_log_gb: Option<u32>,
    /// How to print the estimate.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub output: Format,
}

fn service_gb(s: &str) -> Result<(String, u32), String> {
    let (service, gb) = s
        .split_once('=')
        .ok_or_else(|| format!("expected SERVICE=GB such as s3=2000, got {s:?}"))?;
    let gb = gb
        .parse()
        .map_err(|_| format!("expected a whole number of GB after '=', got {gb:?}"))?;
    Ok((service.to_owned(), gb))
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Which document.
    #[arg(value_enum, default_value_t = SchemaKind::Plan)]
    pub kind: SchemaKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SchemaKind {
    Plan,
    Design,
}
