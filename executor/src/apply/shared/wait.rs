//! Waiting for AWS to settle: the one backoff every poll and retry loop uses, and retrying a
//! call while its error says AWS has not caught up yet.

use std::future::Future;
use std::time::{Duration, Instant};

use crate::apply::context::Cx;
use crate::events::Event;

/// How the pause grows from one attempt to the next.
#[derive(Clone, Copy, Debug)]
enum Growth {
    /// Doubles up to a cap.
    Double { cap: Duration },
    /// `step × attempt number`.
    Linear { step: Duration },
}

/// Pauses between polls: grows, says once (as a `waiting` event) what it waits for, and
/// knows how long it has been waiting and how often it paused.
pub struct Backoff<'a> {
    cx: &'a Cx,
    id: &'a str,
    /// What it waits for; `None` says nothing.
    what: Option<String>,
    delay: Duration,
    growth: Growth,
    /// The pause from which on it says what it waits for.
    say_from: Duration,
    said: bool,
    start: Instant,
    pauses: u32,
}

/// How long [`retry_while`] keeps trying.
#[derive(Clone, Copy, Debug)]
pub enum Limit {
    /// While less than this has passed since the first try.
    Time(Duration),
    /// At most this many tries in all.
    Attempts(u32),
}

impl<'a> Backoff<'a> {
    /// Pauses of `first`, doubling up to `cap`; says `what` at the first pause.
    pub fn doubling(
        cx: &'a Cx,
        id: &'a str,
        what: impl Into<String>,
        first: Duration,
        cap: Duration,
    ) -> Self {
        Backoff {
            cx,
            id,
            what: Some(what.into()),
            delay: first,
            growth: Growth::Double { cap },
            say_from: first,
            said: false,
            start: Instant::now(),
            pauses: 0,
        }
    }

    /// Pauses of `step`, `2 × step`, `3 × step`…, saying nothing.
    pub fn linear(cx: &'a Cx, id: &'a str, step: Duration) -> Self {
        Backoff {
            cx,
            id,
            what: None,
            delay: step,
            growth: Growth::Linear { step },
            say_from: step,
            said: false,
            start: Instant::now(),
            pauses: 0,
        }
    }

    /// Says what it waits for only once a pause is at least `d` long.
    pub fn say_from(mut self, d: Duration) -> Self {
        self.say_from = d;
        self
    }

    /// Time since the backoff was made.
    pub fn elapsed(&self) -> Duration {
        self.start.elapsed()
    }

    /// How many pauses it has made.
    pub fn pauses(&self) -> u32 {
        self.pauses
    }

    /// Whether `limit` allows another try.
    pub fn within(&self, limit: Limit) -> bool {
        match limit {
            Limit::Time(budget) => self.elapsed() < budget,
            Limit::Attempts(n) => self.pauses + 1 < n,
        }
    }

    /// Says (once) what it waits for, sleeps, and grows the next pause.
    pub async fn pause(&mut self) {
        if !self.said && self.delay >= self.say_from {
            if let Some(what) = &self.what {
                self.cx.events.event(Event::Waiting {
                    id: self.id.to_owned(),
                    what: what.clone(),
                });
                self.said = true;
            }
        }
        tokio::time::sleep(self.delay).await;
        self.pauses += 1;
        self.delay = match self.growth {
            Growth::Double { cap } => (self.delay * 2).min(cap),
            Growth::Linear { step } => step * (self.pauses + 1),
        };
    }
}

/// Sends `call` again, pausing per `backoff`, while `retry` says its error is AWS catching up
/// and `limit` allows; answers the first other outcome (or the last error).
pub async fn retry_while<T, E, F, Fut>(
    mut backoff: Backoff<'_>,
    limit: Limit,
    retry: impl Fn(&E) -> bool,
    mut call: F,
) -> Result<T, E>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, E>>,
{
    loop {
        match call().await {
            Err(e) if backoff.within(limit) && retry(&e) => backoff.pause().await,
            other => return other,
        }
    }
}
