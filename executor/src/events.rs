//! What the engine reports as it goes: a progress bar on a terminal, plain lines otherwise,
//! or JSON lines for machines. Credentials never reach any of these.
//!
//! With JSON lines, standard output holds nothing else: every line is one event, and a
//! command that fails says so with a `failed` event. Errors also go to standard error as
//! `error: …` lines in both formats, one per error.

use std::io::Write;
use std::sync::Mutex;

use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;

/// One event of a run, diff or destroy.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    /// A resource was created.
    Created {
        id: String,
        aws_id: String,
        arn: Option<String>,
    },
    /// A resource was repaired in place.
    Updated {
        id: String,
        aws_id: String,
        changes: Vec<String>,
    },
    /// A resource was deleted.
    Deleted { id: String, aws_id: String },
    /// Waiting for AWS (a NAT gateway to become available, an instance to run…).
    Waiting { id: String, what: String },
    /// Something worth saying that is not about one resource.
    Note { message: String },
    /// One error: about a plan resource (its id), or about the command (`lock`, …).
    Error { id: String, message: String },
    /// The command failed, with the exit code it ends with.
    Failed { message: String, exit_code: u8 },
}

/// Where events go.
pub trait Reporter: Send + Sync {
    /// Reports one event.
    fn event(&self, e: Event);
    /// Sets how many steps the bar counts to.
    fn start(&self, _total: u64) {}
    /// Ends the bar.
    fn finish(&self) {}
}

/// Plain lines, or lines above a progress bar.
pub struct Text {
    bar: Option<ProgressBar>,
    out: Mutex<std::io::Stdout>,
}

impl Text {
    /// Lines on standard output; a bar on standard error when `progress` is set.
    pub fn new(progress: bool) -> Text {
        let bar = progress.then(|| {
            let b = ProgressBar::new(0);
            b.set_style(
                ProgressStyle::with_template("{bar:40.cyan/blue} {pos}/{len} {wide_msg}")
                    .expect("valid template"),
            );
            b
        });
        Text {
            bar,
            out: Mutex::new(std::io::stdout()),
        }
    }

    fn line(&self, s: &str) {
        match &self.bar {
            Some(b) => b.println(s),
            None => {
                let mut out = self.out.lock().expect("stdout lock");
                let _ = writeln!(out, "{s}");
            }
        }
    }
}

/// `created subnet.app.a (subnet-0abc…)`.
pub fn describe(e: &Event) -> String {
    match e {
        Event::Created { id, aws_id, arn } => match arn {
            Some(arn) => format!("created {id} ({aws_id}, {arn})"),
            None => format!("created {id} ({aws_id})"),
        },
        Event::Updated {
            id,
            aws_id,
            changes,
        } => {
            format!("updated {id} ({aws_id}): {}", changes.join("; "))
        }
        Event::Deleted { id, aws_id } => format!("deleted {id} ({aws_id})"),
        Event::Waiting { id, what } => format!("waiting for {id}: {what}"),
        Event::Note { message } => message.clone(),
        Event::Error { id, message } => format!("error: {id}: {message}"),
        Event::Failed { message, .. } => format!("error: {message}"),
    }
}

/// Whether `e` goes to standard error as well (in text, only there).
fn is_error(e: &Event) -> bool {
    matches!(e, Event::Error { .. } | Event::Failed { .. })
}

impl Reporter for Text {
    fn event(&self, e: Event) {
        if is_error(&e) {
            match &self.bar {
                Some(b) => b.suspend(|| eprintln!("{}", describe(&e))),
                None => eprintln!("{}", describe(&e)),
            }
            return;
        }
        let done = !matches!(e, Event::Waiting { .. } | Event::Note { .. });
        self.line(&describe(&e));
        if let (Some(b), true) = (&self.bar, done) {
            b.inc(1);
        }
    }

    fn start(&self, total: u64) {
        if let Some(b) = &self.bar {
            b.set_length(total);
        }
    }

    fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

/// One JSON object per line.
pub struct JsonLines(Mutex<std::io::Stdout>);

impl JsonLines {
    /// On standard output.
    pub fn new() -> JsonLines {
        JsonLines(Mutex::new(std::io::stdout()))
    }
}

impl Reporter for JsonLines {
    fn event(&self, e: Event) {
        if is_error(&e) {
            eprintln!("{}", describe(&e));
        }
        let mut out = self.0.lock().expect("stdout lock");
        let _ = writeln!(
            out,
            "{}",
            serde_json::to_string(&e).expect("events serialize")
        );
    }
}
