//! IAM policy documents as compared: AWS returns them URL-encoded and may lay them out
//! differently, so both sides are read as canonical JSON. A one-element array and its single
//! element count as the same (IAM reads them alike).

use serde_json::Value;

/// Decodes `%XX` escapes (RFC 3986, as IAM encodes documents); `None` if malformed.
pub fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Sorted keys, and a one-element array read as its element.
fn canonical(v: Value) -> Value {
    match v {
        Value::Array(a) if a.len() == 1 => canonical(a.into_iter().next().expect("one element")),
        Value::Array(a) => Value::Array(a.into_iter().map(canonical).collect()),
        Value::Object(m) => {
            let mut pairs: Vec<(String, Value)> =
                m.into_iter().map(|(k, v)| (k, canonical(v))).collect();
            pairs.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Object(pairs.into_iter().collect())
        }
        other => other,
    }
}

/// IAM shows an account principal given as a bare id (`"123456789012"`) as the account's
/// root ARN: write it that way on both sides.
fn account_principals(mut doc: Value, partition: &str) -> Value {
    let fix = |v: &mut Value| {
        if let Value::String(s) = v {
            if s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit()) {
                *s = format!("arn:{partition}:iam::{s}:root");
            }
        }
    };
    let statements = match doc.get_mut("Statement") {
        Some(Value::Array(a)) => a.iter_mut().collect(),
        Some(s @ Value::Object(_)) => vec![s],
        _ => Vec::new(),
    };
    for st in statements {
        for key in ["Principal", "NotPrincipal"] {
            match st.get_mut(key).and_then(|p| p.get_mut("AWS")) {
                Some(Value::Array(a)) => a.iter_mut().for_each(fix),
                Some(v) => fix(v),
                None => {}
            }
        }
    }
    doc
}

/// A document as compact canonical JSON, whether AWS sent it plain or URL-encoded; the text
/// itself when it is not JSON either way.
pub fn document_text(text: &str, partition: &str) -> String {
    let parsed = serde_json::from_str::<Value>(text)
        .ok()
        .or_else(|| percent_decode(text).and_then(|t| serde_json::from_str::<Value>(&t).ok()));
    match parsed {
        Some(v) => canonical(account_principals(v, partition)).to_string(),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_compare_as_json() {
        let plain = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject"],"Resource":"*"}]}"#;
        let encoded = "%7B%22Statement%22%3A%20%7B%22Resource%22%3A%20%22%2A%22%2C%20%22Action%22%3A%20%22s3%3AGetObject%22%2C%20%22Effect%22%3A%20%22Allow%22%7D%2C%20%22Version%22%3A%20%222012-10-17%22%7D";
        assert_eq!(document_text(plain, "aws"), document_text(encoded, "aws"));
        let other = plain.replace("GetObject", "PutObject");
        assert_ne!(document_text(plain, "aws"), document_text(&other, "aws"));
    }

    #[test]
    fn account_ids_read_as_root_arns() {
        let bare = r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":["111122223333","arn:aws:iam::444455556666:role/x"]},"Action":"sts:AssumeRole"}]}"#;
        let shown = r#"{"Statement":{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:root","arn:aws:iam::444455556666:role/x"]},"Action":"sts:AssumeRole"}}"#;
        assert_eq!(document_text(bare, "aws"), document_text(shown, "aws"));
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("a%20b%2Fc").as_deref(), Some("a b/c"));
        assert_eq!(percent_decode("%E2%82%AC").as_deref(), Some("€"));
        assert_eq!(percent_decode("bad%2"), None);
        assert_eq!(percent_decode("bad%zz"), None);
    }
}
