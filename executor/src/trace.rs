//! Which AWS call each call waited for: with `VPC_PLANNER_CALL_TRACE=FILE` in the environment,
//! every attempt of an AWS call is written to FILE as one JSON line, with the call it was
//! started after, so the apply benchmark can find the longest chain of calls each of which
//! could only start once the one before had answered.
//!
//! The executor's work is a tree of *strands*: sequential code, in which each call follows the
//! calls made before it. A strand that starts concurrent work gives each branch its own strand
//! ([`fork`], [`branch`], [`branch_from`]), starting where it is; when the branches are joined,
//! the strand follows the furthest of them ([`follow`]). The dependency walk starts each
//! resource's strand after the strands of the resources it depends on, not after whatever
//! happened to finish first. Each strand keeps its *frontier*: the longest chain of calls it
//! follows so far (its length and its last call).
//!
//! Without the variable nothing is written and no interceptor is installed: the strands cost a
//! task-local per branch.
//!
//! Each line: `{"id", "after", "service", "operation", "strand", "start_ms", "end_ms"}`, where
//! `after` is the id of the last call of the longest chain the call followed (`null` at the
//! start), `strand` the label of the work it belongs to (a plan id, `discovery`, …), and the
//! times are milliseconds since the first call was traced.

use std::fs::File;
use std::future::Future;
use std::io::Write;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Instant;

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::{
    BeforeTransmitInterceptorContextRef, FinalizerInterceptorContextRef,
};
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::{ConfigBag, Storable, StoreReplace};

/// The environment variable naming the file the trace is written to.
pub const TRACE_ENV: &str = "VPC_PLANNER_CALL_TRACE";

/// The longest chain of calls a strand follows: how many calls, and the last one.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Frontier {
    depth: u32,
    last: Option<u64>,
}

impl Frontier {
    /// The longer of two chains.
    #[must_use]
    pub fn max(self, other: Frontier) -> Frontier {
        if other.depth > self.depth {
            other
        } else {
            self
        }
    }
}

/// One strand of work: its label and its frontier.
#[derive(Debug)]
struct Strand {
    label: Arc<str>,
    at: Mutex<Frontier>,
}

tokio::task_local! {
    static STRAND: Arc<Strand>;
}

/// The current strand's label and frontier; outside any strand, the start.
fn here() -> (Arc<str>, Frontier) {
    STRAND
        .try_with(|s| (s.label.clone(), *s.at.lock().expect("strand lock")))
        .unwrap_or_else(|_| (Arc::from("-"), Frontier::default()))
}

/// The current strand's frontier.
pub fn current() -> Frontier {
    here().1
}

/// Makes the current strand follow `f` as well (after joining a branch).
pub fn follow(f: Frontier) {
    let _ = STRAND.try_with(|s| {
        let mut at = s.at.lock().expect("strand lock");
        *at = at.max(f);
    });
}

/// Runs `fut` as a strand labelled `label` (the current label when `None`) starting from
/// `from`; answers its output and the frontier it ended at. The label and the current
/// frontier are read when this is called, so the future can be spawned on another task.
///
/// Boxed: branches wrap whole phases (discovery's families), and in debug builds every move
/// of such a future costs its full size on the stack of the function polling it.
pub fn branch_from<F: Future>(
    label: Option<&str>,
    from: Frontier,
    fut: F,
) -> Pin<Box<impl Future<Output = (F::Output, Frontier)>>> {
    let label = label.map_or_else(|| here().0, Arc::from);
    let strand = Arc::new(Strand {
        label,
        at: Mutex::new(from),
    });
    let end = strand.clone();
    Box::pin(async move {
        let out = STRAND.scope(strand, fut).await;
        let at = *end.at.lock().expect("strand lock");
        (out, at)
    })
}

/// [`branch_from`] the current strand, keeping its label.
pub fn branch<F: Future>(fut: F) -> impl Future<Output = (F::Output, Frontier)> {
    branch_from(None, current(), fut)
}

/// Runs `fut` as a branch of the current strand and follows it when it ends: for futures
/// joined in one task (`try_join!`). The branch starts where the strand is when this is
/// called, not when it is first polled (after a sibling may have ended).
pub fn fork<F: Future>(fut: F) -> impl Future<Output = F::Output> {
    joined(branch(fut))
}

/// [`fork`] under another label.
pub fn labelled<F: Future>(label: &str, fut: F) -> impl Future<Output = F::Output> {
    joined(branch_from(Some(label), current(), fut))
}

/// Follows `branch` once it ends.
async fn joined<T>(branch: impl Future<Output = (T, Frontier)>) -> T {
    let (out, at) = branch.await;
    follow(at);
    out
}

/// The open trace file, when the variable names one.
struct Sink {
    file: Mutex<File>,
    start: Instant,
    next: AtomicU64,
}

fn sink() -> Option<&'static Sink> {
    static SINK: OnceLock<Option<Sink>> = OnceLock::new();
    SINK.get_or_init(|| {
        let path = std::env::var_os(TRACE_ENV)?;
        let file = File::create(&path)
            .map_err(|e| eprintln!("warning: {TRACE_ENV}: cannot write {path:?}: {e}"))
            .ok()?;
        Some(Sink {
            file: Mutex::new(file),
            start: Instant::now(),
            next: AtomicU64::new(0),
        })
    })
    .as_ref()
}

/// Whether calls are traced (the variable names a file that could be created).
pub fn enabled() -> bool {
    sink().is_some()
}

/// One attempt in flight, kept in the SDK's configuration bag between its hooks.
#[derive(Clone, Debug)]
struct Attempt {
    id: u64,
    after: Frontier,
    label: Arc<str>,
    start_ms: f64,
}

impl Storable for Attempt {
    type Storer = StoreReplace<Self>;
}

/// The SDK interceptor that records each attempt; installed on every client when
/// [`enabled`].
#[derive(Debug)]
pub struct Tracer;

impl Intercept for Tracer {
    fn name(&self) -> &'static str {
        "vpc-planner call trace"
    }

    fn read_before_transmit(
        &self,
        _context: &BeforeTransmitInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let Some(sink) = sink() else { return Ok(()) };
        let (label, after) = here();
        let attempt = Attempt {
            id: sink.next.fetch_add(1, Ordering::Relaxed),
            after,
            label,
            start_ms: sink.start.elapsed().as_secs_f64() * 1000.0,
        };
        cfg.interceptor_state().store_put(attempt);
        Ok(())
    }

    fn read_after_attempt(
        &self,
        _context: &FinalizerInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let Some(sink) = sink() else { return Ok(()) };
        let Some(attempt) = cfg.load::<Attempt>().cloned() else {
            return Ok(()); // failed before it was sent
        };
        cfg.interceptor_state().unset::<Attempt>();
        follow(Frontier {
            depth: attempt.after.depth + 1,
            last: Some(attempt.id),
        });
        let (service, operation) = cfg
            .load::<Metadata>()
            .map_or(("?", "?"), |m| (m.service(), m.name()));
        let line = serde_json::json!({
            "id": attempt.id,
            "after": attempt.after.last,
            "service": service,
            "operation": operation,
            "strand": &*attempt.label,
            "start_ms": attempt.start_ms,
            "end_ms": sink.start.elapsed().as_secs_f64() * 1000.0,
        });
        let mut file = sink.file.lock().expect("trace file lock");
        let _ = writeln!(file, "{line}");
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A pretend call of the current strand (what the interceptor does around an attempt).
    fn call(id: u64) {
        let after = current();
        follow(Frontier {
            depth: after.depth + 1,
            last: Some(id),
        });
    }

    #[tokio::test]
    async fn branches_are_followed_by_their_longest_chain() {
        let ((), end) = branch_from(Some("root"), Frontier::default(), async {
            call(0);
            let ((), ()) = tokio::join!(
                fork(async {
                    call(1);
                    call(2);
                    call(3);
                }),
                fork(async {
                    call(4);
                }),
            );
            // The short branch ended last, yet the strand follows the long one.
            assert_eq!(current().depth, 4);
            assert_eq!(current().last, Some(3));
            let from = current();
            let ((), other) = branch_from(Some("x"), Frontier::default(), async { call(5) }).await;
            assert_eq!(other.depth, 1, "a branch from the start follows nothing");
            assert_eq!(current(), from, "an unfollowed branch changes nothing");
            call(6);
        })
        .await;
        assert_eq!(
            end,
            Frontier {
                depth: 5,
                last: Some(6)
            }
        );
    }

    #[test]
    fn outside_a_strand_calls_start_chains() {
        assert_eq!(current(), Frontier::default());
        follow(Frontier {
            depth: 3,
            last: Some(1),
        });
        assert_eq!(current(), Frontier::default());
    }
}
