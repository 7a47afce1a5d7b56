//! The part of `run` and `destroy` that changes the account: under the plan's lock, stopped by
//! Ctrl-C, SIGTERM or SIGHUP, and the lock released however it ends (success, failure, interrupt).
//!
//! The signal handlers are installed before the lock is taken, so an interrupt can never leave
//! the lock behind; before that, Ctrl-C ends the process as usual, with nothing changed yet.

use std::future::Future;

use crate::aws::Aws;
use crate::events::{Event, Reporter};
use crate::input::Failure;
use crate::lock::{self, Holder};
use crate::trace;

/// Ctrl-C, SIGTERM or SIGHUP, once installed.
struct Interrupts {
    #[cfg(unix)]
    int: tokio::signal::unix::Signal,
    #[cfg(unix)]
    term: tokio::signal::unix::Signal,
    /// The terminal closed (an SSH session dropped): stopping cleanly releases the lock.
    #[cfg(unix)]
    hup: tokio::signal::unix::Signal,
}

impl Interrupts {
    fn install() -> Result<Interrupts, Failure> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            let fail = |e: std::io::Error| Failure::Refused {
                reason: format!("cannot catch Ctrl-C, so cannot release the lock on it: {e}"),
            };
            Ok(Interrupts {
                int: signal(SignalKind::interrupt()).map_err(fail)?,
                term: signal(SignalKind::terminate()).map_err(fail)?,
                hup: signal(SignalKind::hangup()).map_err(fail)?,
            })
        }
        #[cfg(not(unix))]
        Ok(Interrupts {})
    }

    async fn wait(&mut self) {
        #[cfg(unix)]
        tokio::select! {
            _ = self.int.recv() => {}
            _ = self.term.recv() => {}
            _ = self.hup.recv() => {}
        }
        #[cfg(not(unix))]
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// Runs `work` (ending with the command's exit code, 0 when all went well) holding the lock of `plan` for `caller` (an ARN) running `command`.
///
/// Refuses when another holds the lock; stops `work` on Ctrl-C, SIGTERM or SIGHUP (calls in flight
/// are dropped: what they created is tagged and found by the next run); always releases the
/// lock, reporting a failure to release as an error.
pub async fn exclusively(
    aws: &Aws,
    events: &dyn Reporter,
    (plan, caller, command): (&str, &str, &str),
    work: impl Future<Output = Result<u8, Failure>>,
) -> Result<u8, Failure> {
    let mut interrupts = Interrupts::install()?;
    let me = Holder::this_process(caller, plan, command);
    let held = trace::labelled("lock", lock::acquire(aws, plan, &me))
        .await
        .map_err(|reason| Failure::Refused { reason })?;
    let outcome = tokio::select! {
        r = work => r,
        () = interrupts.wait() => Err(Failure::Interrupted {
            reason: format!(
                "interrupted: {command} stopped; what it created is tagged and will be found: run the same command again to continue"
            ),
        }),
    };
    events.finish();
    let released = trace::labelled("lock", held.release()).await;
    if let Ok(Some(message)) = &released {
        events.event(Event::Note {
            message: message.clone(),
        });
    }
    if let Err(message) = released {
        events.event(Event::Error {
            id: "lock".to_owned(),
            message,
        });
        // A failed or interrupted apply keeps its own failure (it has its one `failed`
        // event already or gets it from the caller); only a clean one becomes a failure
        // about the lock.
        return match outcome {
            Ok(0) => Err(Failure::Aws {
                reason: "the changes were made, but the lock is still held".to_owned(),
            }),
            other => other,
        };
    }
    outcome
}

/// `--force-unlock`: deletes the plan's lock, saying whose it was.
pub async fn force_unlock(aws: &Aws, events: &dyn Reporter, plan: &str) -> Result<(), Failure> {
    let whose = lock::force_unlock(aws, plan)
        .await
        .map_err(|reason| Failure::Aws { reason })?;
    let message = match whose {
        Some(held) => format!("--force-unlock: removed the lock held by {held}"),
        None => "--force-unlock: the plan was not locked".to_owned(),
    };
    events.event(Event::Note { message });
    Ok(())
}
