//! `executor`: plans, validates and prices designs from the command line.
//!
//! This file parses flags, dispatches and maps outcomes to exit codes: 0 success, 1 findings
//! or a design that cannot be planned, 2 input that cannot be read or parsed (or AWS refused,
//! or the plan is locked), 130 interrupted.

mod apply;
mod aws;
mod aws_error;
mod brownfield;
mod cli;
mod commands;
mod events;
mod exclusive;
mod input;
mod lint_report;
mod lock;
mod region;
mod report;
mod run;
mod trace;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    let outcome = match args.command {
        cli::Command::Plan(a) => commands::plan(&a),
        cli::Command::Validate(a) => commands::validate(&a),
        cli::Command::Lint(a) => commands::lint(&a),
        cli::Command::Cost(a) => commands::cost(&a),
        cli::Command::Schema(a) => commands::schema(&a),
        cli::Command::Reach(a) => commands::reach(&a),
        cli::Command::Exposure(a) => commands::exposure(&a),
        cli::Command::Policy(a) => commands::policy(&a),
        cli::Command::Export(a) => commands::export(&a),
        cli::Command::Preset(a) => commands::preset(&a),
        cli::Command::Run(a) => run::run(&a),
        cli::Command::Diff(a) => run::diff(&a),
        cli::Command::Destroy(a) => run::destroy(&a),
        cli::Command::Import(a) => brownfield::import(&a),
        cli::Command::Adopt(a) => brownfield::adopt(&a),
    };
    match outcome {
        Ok(code) => ExitCode::from(code),
        Err(failure) => {
            eprintln!("error: {failure}");
            ExitCode::from(failure.exit_code())
        }
    }
}
