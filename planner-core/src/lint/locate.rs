//! Where a JSON path (`Statement[0].Action`, in the core's spelling) lies in JSON text, as a
//! 1-based line and column, for reports that point at a file (SARIF, `file:line:col`).
//! serde_json keeps no spans, so this walks the text itself: an object member is found at
//! its key, an array element at its value. Keys may hold dots (`aws:ResourceTag/k8s.io/x`):
//! at each object the longest key the rest of the path starts with wins. A path that leaves
//! the text (or text that is not JSON) gives the deepest place it reached.

/// The 1-based line and column (in characters) of `path` in `text`: the key of an object
/// member, the start of an array element; the document's first value for `""`.
///
/// ```
/// use planner_core::lint::locate::locate;
/// let text = "{\n  \"Statement\": [\n    {\"Action\": \"s3:*\"}\n  ]\n}";
/// assert_eq!(locate(text, "Statement"), (2, 3));
/// assert_eq!(locate(text, "Statement[0]"), (3, 5));
/// assert_eq!(locate(text, "Statement[0].Action"), (3, 6));
/// assert_eq!(locate(text, ""), (1, 1));
/// ```
pub fn locate(text: &str, path: &str) -> (usize, usize) {
    position(text, offset(text, path))
}

/// The byte offset [`locate`] reports.
fn offset(text: &str, path: &str) -> usize {
    let mut s = Scan {
        b: text.as_bytes(),
        i: 0,
    };
    s.ws();
    let mut best = s.i;
    let mut rest = path;
    while !rest.is_empty() {
        let step = match s.peek() {
            Some(b'{') if !rest.starts_with('[') => s.member(rest),
            Some(b'[') if rest.starts_with('[') => s.element(rest),
            _ => None,
        };
        let Some((at, value, after)) = step else {
            break;
        };
        best = at;
        s.i = value;
        rest = after.strip_prefix('.').unwrap_or(after);
    }
    best
}

/// 1-based line and column (in characters) of a byte offset.
fn position(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[start..].chars().count() + 1)
}

struct Scan<'a> {
    b: &'a [u8],
    i: usize,
}

impl Scan<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }

    /// Steps past `c` (after whitespace), or fails.
    fn eat(&mut self, c: u8) -> Option<()> {
        self.ws();
        (self.peek() == Some(c)).then(|| self.i += 1)
    }

    /// At `{`: the member the path `rest` goes into (the longest key it starts with): its key's
    /// offset, its value's offset, and the path after the key.
    fn member<'p>(&mut self, rest: &'p str) -> Option<(usize, usize, &'p str)> {
        self.i += 1;
        let mut found: Option<(usize, usize, &'p str)> = None;
        loop {
            self.ws();
            if self.peek() == Some(b'}') {
                return found;
            }
            let at = self.i;
            let key = self.string()?;
            self.eat(b':')?;
            self.ws();
            let value = self.i;
            let after = rest
                .strip_prefix(key.as_str())
                .filter(|a| a.is_empty() || a.starts_with(['.', '[']));
            if let Some(after) = after {
                if found.is_none_or(|(_, _, f)| after.len() < f.len()) {
                    found = Some((at, value, after));
                }
            }
            if self.skip().is_none() {
                return found;
            }
            self.ws();
            if self.peek() == Some(b',') {
                self.i += 1;
            }
        }
    }

    /// At `[`, with `rest` starting `[n]`: element n's offset (twice) and the path after it.
    fn element<'p>(&mut self, rest: &'p str) -> Option<(usize, usize, &'p str)> {
        let (index, after) = rest[1..].split_once(']')?;
        let index: usize = index.parse().ok()?;
        self.i += 1;
        for _ in 0..index {
            self.ws();
            self.skip()?;
            self.eat(b',')?;
        }
        self.ws();
        (self.peek().is_some() && self.peek() != Some(b']')).then_some((self.i, self.i, after))
    }

    /// A string at the cursor, unescaped; the cursor ends after its closing quote.
    fn string(&mut self) -> Option<String> {
        if self.peek() != Some(b'"') {
            return None;
        }
        self.i += 1;
        let start = self.i;
        while self.peek()? != b'"' {
            self.i += if self.peek()? == b'\\' { 2 } else { 1 };
        }
        let raw = std::str::from_utf8(self.b.get(start..self.i)?).ok()?;
        self.i += 1;
        if raw.contains('\\') {
            serde_json::from_str(&format!("\"{raw}\"")).ok()
        } else {
            Some(raw.to_owned())
        }
    }

    /// Steps over one value of any kind.
    fn skip(&mut self) -> Option<()> {
        self.ws();
        match self.peek()? {
            b'"' => self.string().map(drop),
            open @ (b'{' | b'[') => {
                let close = if open == b'{' { b'}' } else { b']' };
                self.i += 1;
                loop {
                    self.ws();
                    match self.peek()? {
                        c if c == close => {
                            self.i += 1;
                            return Some(());
                        }
                        b',' | b':' => self.i += 1,
                        _ => self.skip()?,
                    }
                }
            }
            _ => {
                while !matches!(
                    self.peek()?,
                    b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r'
                ) {
                    self.i += 1;
                }
                Some(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::locate;

    const DOC: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "A", "Effect": "Allow", "Action": ["s3:GetObject", "s3:*"], "Resource": "*"},
    {
      "Effect": "Deny",
      "Action": "*",
      "Resource": "*",
      "Condition": {"StringEquals": {"aws:ResourceTag/k8s.io/cluster": "x",
                                     "aws:ResourceTag/k8s": "y"}}
    }
  ],
  "Id": "caf\u00e9 \"quoted\""
}"#;

    #[test]
    fn members_are_found_at_their_keys_and_elements_at_their_values() {
        assert_eq!(locate(DOC, "Version"), (2, 3));
        assert_eq!(locate(DOC, "Statement[0]"), (4, 5));
        assert_eq!(locate(DOC, "Statement[0].Action"), (4, 37));
        assert_eq!(locate(DOC, "Statement[0].Action[1]"), (4, 64));
        assert_eq!(locate(DOC, "Statement[0].Resource"), (4, 73));
        assert_eq!(locate(DOC, "Statement[1]"), (5, 5));
        assert_eq!(locate(DOC, "Statement[1].Action"), (7, 7));
        assert_eq!(locate(DOC, "Id"), (13, 3));
    }

    #[test]
    fn keys_with_dots_take_the_longest_match() {
        let c = "Statement[1].Condition.StringEquals";
        assert_eq!(
            locate(DOC, &format!("{c}.aws:ResourceTag/k8s.io/cluster")),
            (9, 38)
        );
        assert_eq!(locate(DOC, &format!("{c}.aws:ResourceTag/k8s")), (10, 38));
    }

    #[test]
    fn a_path_that_leaves_the_text_stops_at_the_deepest_place() {
        assert_eq!(locate(DOC, "Statement[0].Principal"), (4, 5));
        assert_eq!(locate(DOC, "Statement[7].Action"), (3, 3));
        assert_eq!(locate(DOC, "Nope.x"), (1, 1));
        assert_eq!(locate("{\"a\": [1, 2", "a[1]"), (1, 11));
        assert_eq!(locate("{\"a\": ", "a"), (1, 2));
        assert_eq!(locate("", "a"), (1, 1));
    }

    #[test]
    fn columns_count_characters_and_escaped_keys_match() {
        let text = "{\"é\": 1, \"a\\\"b\": {\"c\": 2}}";
        assert_eq!(locate(text, "a\"b.c"), (1, 19));
        assert_eq!(locate("\r\n  [0, {\"x\": 1}]", "[1].x"), (2, 8));
    }
}
