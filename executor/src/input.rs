//! Reading input files, and the failures that end a command.

use std::fmt;
use std::path::{Path, PathBuf};

use planner_core::{Input, InputError, Plan};

/// Why a command stopped.
#[derive(Debug)]
pub enum Failure {
    /// A file could not be read or parsed (exit 2).
    BadInput { file: PathBuf, reason: String },
    /// The design is well-formed but cannot be planned (exit 1).
    CannotPlan { file: PathBuf, reason: String },
    /// Writing output failed (exit 2).
    Write { file: PathBuf, reason: String },
    /// AWS could not be reached or answered with an error before anything changed (exit 2:
    /// `diff` keeps 1 for differences).
    Aws { reason: String },
    /// The user was not asked and did not say yes, the plan is locked, or the flags do not fit
    /// the plan (exit 2).
    Refused { reason: String },
    /// Ctrl-C (or SIGTERM) stopped the command (exit 130, as shells report SIGINT).
    Interrupted { reason: String },
}

impl Failure {
    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::CannotPlan { .. } => 1,
            Failure::Interrupted { .. } => 130,
            Failure::BadInput { .. }
            | Failure::Write { .. }
            | Failure::Refused { .. }
            | Failure::Aws { .. } => 2,
        }
    }

    pub fn bad_input(file: &Path, e: &InputError) -> Self {
        Failure::BadInput {
            file: file.to_owned(),
            reason: e.to_string(),
        }
    }

    /// Maps a planning error: format errors are bad input, the rest cannot be planned.
    pub fn from_plan_error(file: &Path, e: planner_core::PlanError) -> Self {
        match e {
            planner_core::PlanError::Input(e) => Failure::bad_input(file, &e),
            other => Failure::CannotPlan {
                file: file.to_owned(),
                reason: other.to_string(),
            },
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::BadInput { file, reason } | Failure::CannotPlan { file, reason } => {
                write!(f, "{}: {reason}", file.display())
            }
            Failure::Write { file, reason } => {
                write!(f, "{}: cannot write: {reason}", file.display())
            }
            Failure::Aws { reason }
            | Failure::Refused { reason }
            | Failure::Interrupted { reason } => f.write_str(reason),
        }
    }
}

/// Reads a file's text.
pub fn read_text(file: &Path) -> Result<String, Failure> {
    std::fs::read_to_string(file).map_err(|e| Failure::BadInput {
        file: file.to_owned(),
        reason: format!("cannot read: {e}"),
    })
}

/// Reads a design or a plan.
pub fn read_input(file: &Path) -> Result<Input, Failure> {
    planner_core::parse_input(&read_text(file)?).map_err(|e| Failure::bad_input(file, &e))
}

/// Reads a plan.
pub fn read_plan(file: &Path) -> Result<Plan, Failure> {
    planner_core::parse_plan(&read_text(file)?).map_err(|e| Failure::bad_input(file, &e))
}

/// Writes `text` to `file`, or to standard output when there is no file.
pub fn write_output(file: Option<&Path>, text: &str) -> Result<(), Failure> {
    match file {
        Some(file) => std::fs::write(file, text).map_err(|e| Failure::Write {
            file: file.to_owned(),
            reason: e.to_string(),
        }),
        None => {
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())
                .and_then(|()| out.flush())
                .map_err(|e| Failure::Write {
                    file: "standard output".into(),
                    reason: e.to_string(),
                })
        }
    }
}
