//! What the engine reports as it goes: a progress bar on a terminal, plain lines otherwise,
//! or JSON lines for machines. Credentials never reach any of these.

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
    }
}

impl Reporter for Text {
    fn event(&self, e: Event) {
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
        let mut out = self.0.lock().expect("stdout lock");
        let _ = writeln!(
            out,
            "{}",
            serde_json::to_string(&e).expect("events serialize")
        );
    }
}
