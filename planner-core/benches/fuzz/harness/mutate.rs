//! Mutations: structure-aware ones on JSON values (numbers at the edges, strings that are
//! empty, huge, unicode, other names of the same document or CIDRs at the edges, type swaps,
//! array entries and object fields deleted, duplicated, swapped or renamed), and raw byte-level
//! ones on the text.
//!
//! Two things a `serde_json::Value` cannot hold are written through markers replaced after
//! serialization: a duplicated object key (`DUP` before the key) and a raw number literal that
//! no `f64`/`u64` spells, such as `18446744073709551616` or `1e400` (`RAW` around it).

use serde_json::{Map, Number, Value};

use super::rng::Rng;

const DUP: &str = "\u{1}dup:";
const RAW: &str = "\u{2}raw:";

/// Numbers at the edges of every integer type the model uses, and floats.
fn edge_number(rng: &mut Rng) -> Value {
    let ints: [i128; 26] = [
        0,
        1,
        -1,
        2,
        5,
        6,
        7,
        15,
        16,
        17,
        24,
        28,
        29,
        32,
        33,
        64,
        127,
        255,
        256,
        65535,
        65536,
        1 << 31,
        (1 << 31) - 1,
        1 << 32,
        (1 << 32) - 1,
        2_000_000_000,
    ];
    match rng.below(8) {
        0 => Value::from(u64::MAX),
        1 => Value::from(i64::MIN),
        2 => Value::from(*rng.pick(&[1e308, -1e308, 0.5, 2.5, -0.0, 24.0, 1e-300, 4294967296.5])),
        3 => Value::String(format!(
            "{RAW}{}",
            rng.pick(&[
                "18446744073709551616",
                "1e400",
                "-0",
                "24.0",
                "1E2",
                "-9223372036854775809"
            ])
        )),
        _ => {
            let n = *rng.pick(&ints);
            match u64::try_from(n) {
                Ok(u) => Value::from(u),
                Err(_) => Value::from(n as i64),
            }
        }
    }
}

/// Strings that break assumptions: empty, huge, unicode, CIDRs and names at the edges.
fn edge_string(rng: &mut Rng, pool: &[String]) -> String {
    const FIXED: &[&str] = &[
        "",
        " ",
        "a",
        "é",
        "日本語",
        "🦀",
        "\u{0}",
        "\u{202e}",
        "a\nb",
        "\"",
        "\\",
        "-",
        "*",
        "0.0.0.0/0",
        "0.0.0.0/1",
        "10.0.0.0/1",
        "10.0.0.0/8",
        "10.0.0.0/16",
        "10.0.0.0/28",
        "10.0.0.0/31",
        "10.0.0.0/32",
        "255.255.255.255/32",
        "128.0.0.0/1",
        "169.254.0.0/16",
        "172.17.0.0/16",
        "10.0.0.0/33",
        "10.0.0.1/16",
        "::/0",
        "::/128",
        "2001:db8::/32",
        "fe80::/10",
        "us-east-1",
        "us-east-1a",
        "eu-west-1",
        "internet",
        "self",
        "vpc",
        "0-65535",
        "1-0",
        "65535-65536",
        "22",
        "-1",
        "arn:aws:iam::*:role/x",
        "arn:aws:iam::123456789012:root",
        "arn:aws:iam::aws:policy/AdministratorAccess",
        "iam:PassRole",
        "s3:*",
        "iam:*",
        "ec2:RunInstances",
        "sts:AssumeRole",
        "ec2.amazonaws.com",
        "2012-10-17",
        "Allow",
        "Deny",
        "StringEquals",
        "al2023-x86_64",
        "/aws/service/ami",
        "/",
        "//",
        "public",
        "private",
        "isolated",
        "none",
        "single_gateway",
        "gateway_per_az",
        "instance_per_az",
        "single_instance",
        "tcp",
        "udp",
        "icmp",
        "icmpv6",
        "all",
        "bastion",
        "nat_instance",
        "load_balancer",
    ];
    match rng.below(10) {
        0 if rng.one_in(20) => "a".repeat(rng.below(70_000)),
        0 => "a".repeat(rng.below(300)),
        1 => "é".repeat(rng.below(1_000)),
        2 | 3 if !pool.is_empty() => rng.pick(pool).clone(),
        4 if !pool.is_empty() => format!("{}{}", rng.pick(pool), rng.pick(&["", "-2", "x", "A"])),
        _ => (*rng.pick(FIXED)).to_owned(),
    }
}

/// Every string, object key and subtree of `v`, for splicing one part of a document into
/// another.
pub struct Pool {
    strings: Vec<String>,
    keys: Vec<String>,
    subtrees: Vec<Value>,
}

impl Pool {
    /// The pool of the given documents (subtrees only up to a size, to keep mutants small).
    pub fn of<'a>(docs: impl IntoIterator<Item = &'a Value>) -> Pool {
        let mut pool = Pool {
            strings: Vec::new(),
            keys: Vec::new(),
            subtrees: Vec::new(),
        };
        for d in docs {
            pool.walk(d);
        }
        pool.strings.sort();
        pool.strings.dedup();
        pool.keys.sort();
        pool.keys.dedup();
        pool
    }

    fn walk(&mut self, v: &Value) {
        if v.to_string().len() < 2_000 {
            self.subtrees.push(v.clone());
        }
        match v {
            Value::String(s) => self.strings.push(s.clone()),
            Value::Array(a) => a.iter().for_each(|x| self.walk(x)),
            Value::Object(o) => {
                for (k, x) in o {
                    self.keys.push(k.clone());
                    self.walk(x);
                }
            }
            _ => {}
        }
    }
}

impl Pool {
    /// A string at an edge, or one of the documents' own.
    pub fn edge_string(&self, rng: &mut Rng) -> String {
        edge_string(rng, &self.strings)
    }
}

/// The number of nodes of `v`.
fn count(v: &Value) -> usize {
    1 + match v {
        Value::Array(a) => a.iter().map(count).sum(),
        Value::Object(o) => o.values().map(count).sum(),
        _ => 0,
    }
}

/// The `n`th node of `v` in pre-order, by walking to it.
fn nth_path(v: &mut Value, mut n: usize) -> &mut Value {
    let mut cur = v;
    loop {
        if n == 0 {
            return cur;
        }
        n -= 1;
        let children: Vec<usize> = match cur {
            Value::Array(a) => a.iter().map(count).collect(),
            Value::Object(o) => o.values().map(count).collect(),
            _ => return cur,
        };
        let mut idx = 0;
        while idx < children.len() && n >= children[idx] {
            n -= children[idx];
            idx += 1;
        }
        if idx == children.len() {
            return cur;
        }
        cur = match cur {
            Value::Array(a) => &mut a[idx],
            Value::Object(o) => o.values_mut().nth(idx).expect("counted"),
            _ => unreachable!(),
        };
    }
}

/// One structure-aware mutation of `doc` in place.
pub fn mutate_value(doc: &mut Value, rng: &mut Rng, pool: &Pool) {
    let n = count(doc);
    let target = nth_path(doc, rng.below(n));
    match rng.below(12) {
        // Replace by a value of the same kind, at an edge.
        0..=3 => match target {
            Value::Number(_) => *target = edge_number(rng),
            Value::String(_) => *target = Value::String(edge_string(rng, &pool.strings)),
            Value::Bool(b) => *b = !*b,
            Value::Array(a) => mutate_array(a, rng, pool),
            Value::Object(o) => mutate_object(o, rng, pool),
            Value::Null => *target = edge_number(rng),
        },
        // Arrays and objects: their entries and fields.
        4..=6 => match target {
            Value::Array(a) => mutate_array(a, rng, pool),
            Value::Object(o) => mutate_object(o, rng, pool),
            other => *other = edge_number(rng),
        },
        // Type swaps.
        7 => {
            *target = match rng.below(8) {
                0 => Value::Null,
                1 => Value::Bool(rng.one_in(2)),
                2 => Value::Array(Vec::new()),
                3 => Value::Object(Map::new()),
                4 => edge_number(rng),
                5 => Value::String(edge_string(rng, &pool.strings)),
                6 => match &*target {
                    Value::Number(x) => Value::String(x.to_string()),
                    Value::String(s) => s
                        .parse::<u64>()
                        .map(Value::from)
                        .unwrap_or_else(|_| Value::Array(vec![Value::String(s.clone())])),
                    other => Value::Array(vec![other.clone()]),
                },
                _ => Value::Array(vec![target.clone(), target.clone()]),
            }
        }
        // Splice a subtree of any seed in.
        8 | 9 if !pool.subtrees.is_empty() => *target = rng.pick(&pool.subtrees).clone(),
        // Numbers near the current value.
        _ => {
            if let Value::Number(x) = target {
                let v = x.as_i64().unwrap_or(0);
                let d = *rng.pick(&[-2i64, -1, 1, 2, 8, -8, 1000, -1000]);
                *target = Value::Number(Number::from(v.saturating_add(d)));
            } else if let Value::String(s) = target {
                if !s.is_empty() {
                    let mut chars: Vec<char> = s.chars().collect();
                    let i = rng.below(chars.len());
                    match rng.below(3) {
                        0 => {
                            chars.remove(i);
                        }
                        1 => chars
                            .insert(i, *rng.pick(&['-', '/', '.', ':', '*', 'A', '0', '9', 'é'])),
                        _ => chars.truncate(i),
                    }
                    *s = chars.into_iter().collect();
                }
            }
        }
    }
}

fn mutate_array(a: &mut Vec<Value>, rng: &mut Rng, pool: &Pool) {
    let len = a.len();
    match rng.below(7) {
        0 if len > 0 => {
            a.remove(rng.below(len));
        }
        1 if len > 0 => {
            let x = a[rng.below(len)].clone();
            a.insert(rng.below(len + 1), x);
        }
        2 if len > 1 => a.swap(rng.below(len), rng.below(len)),
        3 => a.clear(),
        4 if len > 0 => {
            // Many copies: the limits of counts (tiers, rules, groups).
            let x = a[rng.below(len)].clone();
            let times = *rng.pick(&[7usize, 60, 61, 256, 300]);
            a.extend(std::iter::repeat_n(x, times));
        }
        5 if !pool.subtrees.is_empty() => {
            a.insert(rng.below(len + 1), rng.pick(&pool.subtrees).clone())
        }
        _ => a.reverse(),
    }
}

fn mutate_object(o: &mut Map<String, Value>, rng: &mut Rng, pool: &Pool) {
    let keys: Vec<String> = o.keys().cloned().collect();
    match rng.below(6) {
        0 if !keys.is_empty() => {
            o.remove(rng.pick(&keys));
        }
        1 if !keys.is_empty() => {
            // A duplicated key, written twice in the text.
            let k = rng.pick(&keys).clone();
            let v = o[&k].clone();
            o.insert(format!("{DUP}{k}"), v);
        }
        2 if !keys.is_empty() => {
            // Renamed to another known field (or a near miss).
            let k = rng.pick(&keys).clone();
            let v = o.remove(&k).unwrap_or(Value::Null);
            let to = if rng.one_in(4) {
                format!("{k}s")
            } else {
                rng.pick(&pool.keys).clone()
            };
            o.insert(to, v);
        }
        3 if keys.len() > 1 => {
            // Two fields' values swapped.
            let a = rng.pick(&keys).clone();
            let b = rng.pick(&keys).clone();
            let va = o[&a].clone();
            let vb = std::mem::replace(o.get_mut(&b).expect("a key"), va);
            o.insert(a, vb);
        }
        4 if !pool.keys.is_empty() && !pool.subtrees.is_empty() => {
            // A field from elsewhere added.
            o.insert(
                rng.pick(&pool.keys).clone(),
                rng.pick(&pool.subtrees).clone(),
            );
        }
        _ if !keys.is_empty() => {
            let k = rng.pick(&keys).clone();
            o.insert(k, edge_number(rng));
        }
        _ => {}
    }
}

/// The text of a mutated value, with the markers turned into a duplicated key or a raw number.
pub fn to_text(doc: &Value, rng: &mut Rng) -> String {
    let text = if rng.one_in(2) {
        serde_json::to_string(doc)
    } else {
        serde_json::to_string_pretty(doc)
    }
    .expect("a value serializes");
    let text = text.replace("\"\\u0001dup:", "\"");
    if !text.contains("\\u0002raw:") {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(i) = rest.find("\"\\u0002raw:") {
        out.push_str(&rest[..i]);
        let after = &rest[i + "\"\\u0002raw:".len()..];
        let end = after.find('"').unwrap_or(after.len());
        out.push_str(&after[..end]);
        rest = after.get(end + 1..).unwrap_or("");
    }
    out.push_str(rest);
    out
}

/// Raw byte-level mutations of `text`; the result is made valid UTF-8 (the readers take text).
pub fn mutate_bytes(text: &str, rng: &mut Rng) -> String {
    const BYTES: &[u8] = b"{}[]\",:\\0123456789-+.eEtfnul \n\t/\xff\xc3\x80";
    let mut b = text.as_bytes().to_vec();
    for _ in 0..1 + rng.below(4) {
        let len = b.len();
        let i = rng.below(len + 1);
        match rng.below(7) {
            0 if len > 0 => b[i.min(len - 1)] ^= 1 << rng.below(8),
            1 => b.insert(i, *rng.pick(BYTES)),
            2 if len > 0 => {
                let j = (i + rng.below(16)).min(len);
                b.drain(i.min(j)..j);
            }
            3 if len > 0 => {
                let j = (i + 1 + rng.below(64)).min(len);
                let chunk = b[i.min(j)..j].to_vec();
                let at = rng.below(b.len() + 1);
                b.splice(at..at, chunk);
            }
            4 => b.truncate(i),
            5 if len > 0 => b[i.min(len - 1)] = *rng.pick(BYTES),
            _ => {
                let at = rng.below(len + 1);
                b.splice(
                    at..at,
                    rng.pick(&[
                        "null",
                        "-0",
                        "1e400",
                        "\"\"",
                        "[]",
                        "{}",
                        "99999999999999999999",
                    ])
                    .bytes(),
                );
            }
        }
    }
    String::from_utf8_lossy(&b).into_owned()
}
