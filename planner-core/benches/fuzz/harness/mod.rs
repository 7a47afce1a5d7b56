//! The fuzzing harness shared by the long run (`cargo bench -p planner-core --bench fuzz`) and
//! the quick seeded run in the test suite (`tests/fuzz.rs`).
//!
//! Each execution takes a seed input (fixtures, preset plans, the designs in them, presets),
//! stacks one to four structure-aware mutations on its JSON (or, one time in six, byte-level
//! mutations on its text, or one time in twenty a preset with fuzzed parameters), and runs it
//! through [`pipeline`] twice under `catch_unwind`. A panic, a second run that differs, or a
//! written plan that does not read back is a crash: it is minimised (fields and entries
//! removed while the same crash remains) and handed to the caller. Mutants that parse join the
//! corpus now and then, so mutations compound. Everything is drawn from one seeded [`rng::Rng`]:
//! a run is repeated exactly by its seed and count.

pub mod mutate;
pub mod pipeline;
pub mod rng;
pub mod seeds;

use std::cell::RefCell;
use std::panic::{self, AssertUnwindSafe};

use serde_json::Value;

use mutate::Pool;
use rng::Rng;

/// What one input is.
#[derive(Clone, Debug)]
pub enum Case {
    /// A document's text.
    Text(String),
    /// A preset and its `--set` parameters.
    Preset(String, Vec<(String, String)>),
}

impl Case {
    /// The case as a file: the text, or the preset as a JSON object.
    pub fn to_file(&self) -> String {
        match self {
            Case::Text(t) => t.clone(),
            Case::Preset(name, set) => serde_json::json!({"preset": name, "set": set}).to_string(),
        }
    }
}

/// A crash: what went wrong, where, and the (minimised) input.
#[derive(Clone, Debug)]
pub struct Crash {
    /// `panic at file:line: message`, `nondeterministic`, …: what identifies the bug.
    pub signature: String,
    /// The input as generated.
    pub input: Case,
    /// The smallest input found that crashes the same way.
    pub minimal: Case,
}

thread_local! {
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Installs a panic hook that records the panic's location and message instead of printing.
pub fn quiet_panics() {
    panic::set_hook(Box::new(|info| {
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let at = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let first = message.lines().next().unwrap_or("").to_owned();
        LAST_PANIC.with(|p| *p.borrow_mut() = Some(format!("panic at {at}: {first}")));
    }));
}

fn once(case: &Case) -> Result<String, String> {
    let run = || match case {
        Case::Text(t) => pipeline::transcript(t),
        Case::Preset(name, set) => {
            let set: Vec<(&str, &str)> =
                set.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            pipeline::preset_transcript(name, &set)
        }
    };
    panic::catch_unwind(AssertUnwindSafe(run)).map_err(|_| {
        LAST_PANIC
            .with(|p| p.borrow_mut().take())
            .unwrap_or_else(|| "panic".to_owned())
    })
}

/// Runs `case` twice: the transcript when it ran cleanly and the same both times, else the
/// crash's signature.
pub fn run_twice(case: &Case) -> Result<String, String> {
    let first = once(case)?;
    match once(case) {
        Ok(second) if second == first => Ok(first),
        Ok(_) => Err("nondeterministic: a second run gave a different transcript".to_owned()),
        Err(sig) => Err(format!("panic on the second run only: {sig}")),
    }
}

/// The crash's signature, or `None` when `case` ran cleanly and the same twice.
pub fn check(case: &Case) -> Option<String> {
    run_twice(case).err()
}

/// Counts of a run.
#[derive(Clone, Debug, Default)]
pub struct Stats {
    /// Inputs run (each through the pipeline twice).
    pub execs: u64,
    /// Inputs that crashed.
    pub crashes: u64,
    /// Inputs that parsed as a design or plan.
    pub parsed: u64,
}

/// The fuzzer: seeds, the growing corpus, the splice pool and the generator.
pub struct Fuzzer {
    rng: Rng,
    texts: Vec<String>,
    corpus: Vec<Value>,
    base: usize,
    pool: Pool,
    /// Counts so far.
    pub stats: Stats,
}

/// How many mutants the corpus keeps beyond the seeds.
const CORPUS_EXTRA: usize = 2_000;
/// Mutants longer than this are cut back to a seed: size is not what is being tested.
const MAX_TEXT: usize = 100_000;

impl Fuzzer {
    /// A fuzzer drawing from `seed`.
    pub fn new(seed: u64) -> Fuzzer {
        let seeds = seeds::seeds();
        let pool = Pool::of(&seeds.values);
        Fuzzer {
            rng: Rng::new(seed),
            base: seeds.values.len(),
            texts: seeds.texts,
            corpus: seeds.values,
            pool,
            stats: Stats::default(),
        }
    }

    /// The next input.
    pub fn next_case(&mut self) -> Case {
        let roll = self.rng.below(20);
        if roll == 0 {
            return self.preset_case();
        }
        if roll <= 3 {
            let text = if self.rng.one_in(2) {
                self.rng.pick(&self.texts).clone()
            } else {
                let v = self.rng.pick(&self.corpus).clone();
                mutate::to_text(&v, &mut self.rng)
            };
            return Case::Text(mutate::mutate_bytes(&text, &mut self.rng));
        }
        // Plans cost ten times what designs do (their resources are read, re-planned and
        // analysed): half of the picks that land on one pick again.
        let mut picked = self.rng.pick(&self.corpus);
        if picked.get("resources").is_some() && self.rng.one_in(2) {
            picked = self.rng.pick(&self.corpus);
        }
        let mut v = picked.clone();
        for _ in 0..1 + self.rng.below(4) {
            mutate::mutate_value(&mut v, &mut self.rng, &self.pool);
        }
        let text = mutate::to_text(&v, &mut self.rng);
        if text.len() > MAX_TEXT {
            return Case::Text(self.rng.pick(&self.texts).clone());
        }
        // Mutants that still parse are worth mutating further.
        if self.rng.one_in(8) && planner_core::parse_input(&text).is_ok() {
            if self.corpus.len() < self.base + CORPUS_EXTRA {
                self.corpus.push(v);
            } else {
                let i = self.base + self.rng.below(CORPUS_EXTRA);
                self.corpus[i] = v;
            }
        }
        Case::Text(text)
    }

    fn preset_case(&mut self) -> Case {
        let presets = planner_core::presets::list();
        let info = self.rng.pick(&presets);
        let mut set = Vec::new();
        for _ in 0..self.rng.below(4) {
            if info.params.is_empty() {
                break;
            }
            let key = if self.rng.one_in(8) {
                "no_such_key".to_owned()
            } else {
                self.rng.pick(info.params).key.to_owned()
            };
            let value = match self.rng.below(4) {
                0 => self.rng.pick(info.params).default.to_owned(),
                1 => mutate::mutate_bytes(self.rng.pick(info.params).default, &mut self.rng),
                _ => self.pool.edge_string(&mut self.rng),
            };
            set.push((key, value));
        }
        Case::Preset(info.name.to_owned(), set)
    }

    /// Generates and checks one input; a crash comes back minimised.
    pub fn step(&mut self) -> Option<Crash> {
        let case = self.next_case();
        self.stats.execs += 1;
        let signature = match run_twice(&case) {
            Ok(transcript) => {
                if !transcript.contains("\ninput: ") {
                    self.stats.parsed += 1;
                }
                return None;
            }
            Err(signature) => signature,
        };
        self.stats.crashes += 1;
        let minimal = minimise(&case, &signature);
        Some(Crash {
            signature,
            input: case,
            minimal,
        })
    }
}

/// The smallest input found that still crashes with `signature`: JSON fields and array entries
/// removed one at a time while the crash remains, then (for text that is not JSON) chunks cut.
pub fn minimise(case: &Case, signature: &str) -> Case {
    let Case::Text(text) = case else {
        return case.clone();
    };
    let same = |t: &str| check(&Case::Text(t.to_owned())).as_deref() == Some(signature);
    let mut budget = 3_000usize;
    if let Ok(mut v) = serde_json::from_str::<Value>(text) {
        if same(&v.to_string()) {
            loop {
                let mut progress = false;
                let mut i = 0;
                while budget > 0 {
                    let Some(smaller) = without_nth_child(&v, i) else {
                        break;
                    };
                    budget -= 1;
                    if same(&smaller.to_string()) {
                        v = smaller;
                        progress = true;
                    } else {
                        i += 1;
                    }
                }
                if !progress || budget == 0 {
                    return Case::Text(serde_json::to_string_pretty(&v).unwrap_or_default());
                }
            }
        }
    }
    let mut bytes = text.as_bytes().to_vec();
    let mut chunk = bytes.len() / 2;
    while chunk > 0 && budget > 0 {
        let mut at = 0;
        while at < bytes.len() && budget > 0 {
            budget -= 1;
            let mut cut = bytes.clone();
            cut.drain(at..(at + chunk).min(bytes.len()));
            if same(&String::from_utf8_lossy(&cut)) {
                bytes = cut;
            } else {
                at += chunk;
            }
        }
        chunk /= 2;
    }
    Case::Text(String::from_utf8_lossy(&bytes).into_owned())
}

/// `v` without its `n`th removable child (object fields and array entries, in pre-order).
fn without_nth_child(v: &Value, n: usize) -> Option<Value> {
    fn go(v: &mut Value, n: &mut usize) -> bool {
        match v {
            Value::Array(a) => {
                for i in 0..a.len() {
                    if *n == 0 {
                        a.remove(i);
                        return true;
                    }
                    *n -= 1;
                    if go(&mut a[i], n) {
                        return true;
                    }
                }
                false
            }
            Value::Object(o) => {
                let keys: Vec<String> = o.keys().cloned().collect();
                for k in keys {
                    if *n == 0 {
                        o.remove(&k);
                        return true;
                    }
                    *n -= 1;
                    if go(o.get_mut(&k).expect("a key"), n) {
                        return true;
                    }
                }
                false
            }
            _ => false,
        }
    }
    let mut out = v.clone();
    let mut k = n;
    go(&mut out, &mut k).then_some(out)
}
