//! serde's messages in the user's words: `invalid type: string "-1", expected u8` at
//! `tiers[0].size.prefix` reads `expected a prefix length from 16 to 28, got "-1"`.
//!
//! Rust type names (`u8`, `a sequence`, `struct Tier`) and serde's backquotes never reach a
//! message; a field whose range the planner knows says it, whatever its Rust type.

/// What the field at `path` holds, in words, when the planner knows better than its type.
fn field_words(path: &str) -> Option<&'static str> {
    let last = path.rsplit(['.', '[']).next().unwrap_or(path);
    let in_size = path == format!("size.{last}") || path.ends_with(&format!(".size.{last}"));
    Some(match last {
        "prefix" if in_size => "a prefix length from 16 to 28",
        "hosts" if in_size => "a number of usable addresses from 11 to 65,531",
        "reserved_az_slots" => "a number of AZ slots to keep free, from 0 to 255",
        "reserve" => "a number of blocks to keep free for the tier's growth, from 0 to 255",
        "max_azs" => "a number of AZs from 1 to 6",
        "availability_zones" => "a number of AZs from 1 to 6, or a list of AZ names",
        "from_port" | "to_port" | "port" => "a port from 0 to 65535",
        "rule_number" => "a rule number from 1 to 32766",
        _ => return None,
    })
}

/// A Rust type's or serde's word for what was expected, as a user reads it.
fn expected_words(expected: &str) -> String {
    let word = match expected {
        "u8" => "a whole number from 0 to 255",
        "u16" => "a whole number from 0 to 65535",
        "u32" => "a whole number from 0 to 4294967295",
        "u64" | "u128" | "usize" => "a whole number",
        "i8" | "i16" | "i32" | "i64" | "i128" | "isize" => "a whole number (may be negative)",
        "f32" | "f64" => "a number",
        "a boolean" | "bool" => "true or false",
        "a sequence" | "a tuple" => "a list",
        "a map" => "an object",
        "unit" => "null",
        "a string" | "a borrowed string" | "string" => "a string",
        "a character" | "char" => "one character",
        other if other.starts_with("struct ") || other.starts_with("tuple struct ") => "an object",
        other if other.starts_with("enum ") => "one of its allowed values",
        other => return unquote(other),
    };
    word.to_owned()
}

/// serde's word for what it got: `string "-1"` → `"-1"`, `integer `5`` → `5`.
fn got_words(got: &str) -> String {
    for prefix in [
        "integer ",
        "floating point ",
        "boolean ",
        "character ",
        "string ",
    ] {
        if let Some(rest) = got.strip_prefix(prefix) {
            return unquote(rest);
        }
    }
    match got {
        "sequence" => "a list".to_owned(),
        "map" => "an object".to_owned(),
        "unit value" | "null" => "null".to_owned(),
        "newtype struct" | "unit variant" | "newtype variant" | "tuple variant"
        | "struct variant" | "enum" => "an object".to_owned(),
        other => unquote(other),
    }
}

/// serde's backquotes as double quotes: `` `a`, `b` `` → `"a", "b"`; a number keeps none.
fn unquote(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('`') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let Some(j) = after.find('`') else {
            out.push_str(&rest[i..]);
            return out;
        };
        let inner = &after[..j];
        if inner.parse::<f64>().is_ok() || inner == "true" || inner == "false" {
            out.push_str(inner);
        } else {
            out.push('"');
            out.push_str(inner);
            out.push('"');
        }
        rest = &after[j + 1..];
    }
    out.push_str(rest);
    out
}

/// A serde message at `path` in the user's words; any other message unchanged but for
/// backquotes.
///
/// ```
/// use planner_core::error::words::humanize;
/// assert_eq!(
///     humanize("tiers[0].size.prefix", r#"invalid type: string "-1", expected u8"#),
///     r#"expected a prefix length from 16 to 28, got "-1""#
/// );
/// assert_eq!(
///     humanize("nat", "unknown variant `nat`, expected `none` or `single_gateway`"),
///     r#"expected "none" or "single_gateway", got "nat""#
/// );
/// ```
pub fn humanize(path: &str, message: &str) -> String {
    let expected = |serde_word: &str| {
        field_words(path).map_or_else(|| expected_words(serde_word), str::to_owned)
    };
    for head in ["invalid type: ", "invalid value: "] {
        if let Some(rest) = message.strip_prefix(head) {
            if let Some((got, want)) = rest.split_once(", expected ") {
                return format!("expected {}, got {}", expected(want), got_words(got));
            }
        }
    }
    if let Some(rest) = message.strip_prefix("invalid length ") {
        if let Some((n, want)) = rest.split_once(", expected ") {
            let items = if n == "1" { "item" } else { "items" };
            return format!("expected {}, got {n} {items}", expected_words(want));
        }
    }
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        return match rest.split_once(", expected ") {
            Some((got, want)) => format!("expected {}, got {}", unquote(want), unquote(got)),
            None => match rest.split_once(", there are no variants") {
                Some((got, _)) => format!("{} is not allowed here", unquote(got)),
                None => unquote(message),
            },
        };
    }
    if let Some(rest) = message.strip_prefix("unknown field ") {
        return match rest.split_once(", expected ") {
            Some((got, want)) => {
                format!("unknown field {}: expected {}", unquote(got), unquote(want))
            }
            None => match rest.split_once(", there are no fields") {
                Some((got, _)) => format!("unknown field {}: this takes no fields", unquote(got)),
                None => unquote(message),
            },
        };
    }
    if let Some(field) = message.strip_prefix("missing field ") {
        return format!("missing field {}", unquote(field));
    }
    if let Some(field) = message.strip_prefix("duplicate field ") {
        return format!("field {} given twice", unquote(field));
    }
    unquote(message)
}

#[cfg(test)]
mod tests {
    use super::humanize;

    #[test]
    fn types_become_words() {
        let cases = [
            (
                "tiers[0].size.prefix",
                r#"invalid type: string "-1", expected u8"#,
                r#"expected a prefix length from 16 to 28, got "-1""#,
            ),
            (
                "tiers[0].size.prefix",
                "invalid value: integer `300`, expected u8",
                "expected a prefix length from 16 to 28, got 300",
            ),
            (
                "tiers[2].reserve",
                r#"invalid type: string "x", expected u8"#,
                r#"expected a number of blocks to keep free for the tier's growth, from 0 to 255, got "x""#,
            ),
            (
                "name",
                "invalid type: integer `7`, expected a string",
                "expected a string, got 7",
            ),
            (
                "tiers",
                "invalid type: map, expected a sequence",
                "expected a list, got an object",
            ),
            (
                "vpc",
                "invalid type: sequence, expected struct Vpc",
                "expected an object, got a list",
            ),
            (
                "vpc.ipv6",
                "invalid type: string \"yes\", expected a boolean",
                "expected true or false, got \"yes\"",
            ),
            (
                "x.count",
                "invalid type: floating point `1.5`, expected u32",
                "expected a whole number from 0 to 4294967295, got 1.5",
            ),
            (
                "x",
                "invalid type: null, expected a string",
                "expected a string, got null",
            ),
        ];
        for (path, serde, want) in cases {
            assert_eq!(humanize(path, serde), want, "{path}: {serde}");
        }
    }

    #[test]
    fn fields_and_variants_lose_their_backquotes() {
        let cases = [
            (
                "tiers[0].kinds",
                "unknown field `kinds`, expected one of `name`, `kind`",
                r#"unknown field "kinds": expected one of "name", "kind""#,
            ),
            (
                "x.y",
                "unknown field `y`, there are no fields",
                r#"unknown field "y": this takes no fields"#,
            ),
            (
                "nat",
                "unknown variant `x`, expected one of `none`, `single_gateway`",
                r#"expected one of "none", "single_gateway", got "x""#,
            ),
            (
                "tiers[0]",
                "missing field `size`",
                r#"missing field "size""#,
            ),
            (
                "vpc",
                "duplicate field `cidr`",
                r#"field "cidr" given twice"#,
            ),
            (
                "p",
                "invalid length 1, expected a tuple of size 2",
                "expected a tuple of size 2, got 1 item",
            ),
            (
                "vpc.cidr",
                "expected an IPv4 CIDR such as 10.0.0.0/16, got \"x\"",
                "expected an IPv4 CIDR such as 10.0.0.0/16, got \"x\"",
            ),
        ];
        for (path, serde, want) in cases {
            assert_eq!(humanize(path, serde), want, "{path}: {serde}");
        }
    }

    #[test]
    fn no_rust_word_survives() {
        for t in [
            "u8",
            "u16",
            "u32",
            "u64",
            "usize",
            "i64",
            "f64",
            "a sequence",
            "a map",
            "struct Design",
        ] {
            let m = humanize("a.b", &format!("invalid type: string \"x\", expected {t}"));
            assert!(!m.contains(t), "{m}");
            assert!(!m.contains('`'), "{m}");
        }
    }
}
