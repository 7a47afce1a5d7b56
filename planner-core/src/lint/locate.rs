//! Where a JSON path (`Statement[0].Action`, in the core's spelling) lies in JSON text, as a
//! 1-based line and column, for reports that point at a file (SARIF, `file:line:col`).
//! serde_json keeps no spans, so this walks the text itself: an object member is found at
//! its key, an array element at its value. Keys may hold dots (`aws:ResourceTag/k8s.io/x`):
//! at each object the longest key the rest of the path starts with wins. A path that leaves
//! the text (or text that is not JSON) gives the deepest place it reached.

use std::borrow::Cow;
use std::collections::BTreeMap;

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
    Locator::new(text).locate(path)
}

/// Locates many paths in one text: the array elements earlier walks reached or stepped over
/// are remembered, and lines are found by binary search, so a document with
/// thousands of findings is walked about once.
pub struct Locator<'a> {
    text: &'a str,
    /// The offset of every line's start.
    lines: Vec<usize>,
    /// Array element (a path prefix ending in `]`, never ambiguous as a key with dots may be)
    /// → the offsets it is reported at and its value starts at.
    known: BTreeMap<String, (usize, usize)>,
}

impl<'a> Locator<'a> {
    /// A locator for `text`.
    pub fn new(text: &'a str) -> Self {
        let lines = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Locator {
            text,
            lines,
            known: BTreeMap::new(),
        }
    }

    /// What [`locate`] gives for `path`.
    pub fn locate(&mut self, path: &str) -> (usize, usize) {
        let offset = self.offset(path);
        let line = self.lines.partition_point(|&start| start <= offset);
        let start = self.lines[line - 1];
        let column = self
            .text
            .get(start..offset)
            .map_or(0, |t| t.chars().count());
        (line, column + 1)
    }

    /// The byte offset of `path`, walking on from the longest prefix walked before.
    fn offset(&mut self, path: &str) -> usize {
        let mut s = Scan {
            b: self.text.as_bytes(),
            i: 0,
        };
        s.ws();
        let mut best = s.i;
        let mut rest = path;
        let cut = (1..=path.len())
            .rev()
            .filter(|&i| path[..i].ends_with(']'))
            .find_map(|i| Some((i, *self.known.get(&path[..i])?)));
        if let Some((i, (at, value))) = cut {
            (best, s.i) = (at, value);
            rest = path[i..].strip_prefix('.').unwrap_or(&path[i..]);
        }
        while !rest.is_empty() {
            let done = &path[..path.len() - rest.len()];
            let step = match s.peek() {
                Some(b'{') if !rest.starts_with('[') => s.member(rest),
                Some(b'[') if rest.starts_with('[') => s.element(rest, done, &mut self.known),
                _ => None,
            };
            let Some((at, value, after)) = step else {
                break;
            };
            (best, s.i) = (at, value);
            rest = after.strip_prefix('.').unwrap_or(after);
            let walked = &path[..path.len() - after.len()];
            if walked.ends_with(']') {
                self.known.insert(walked.to_owned(), (at, value));
            }
        }
        best
    }
}

struct Scan<'a> {
    b: &'a [u8],
    i: usize,
}

impl<'a> Scan<'a> {
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
                .strip_prefix(key.as_ref())
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
    /// Each element stepped over is remembered in `known` under `done[i]`.
    fn element<'p>(
        &mut self,
        rest: &'p str,
        done: &str,
        known: &mut BTreeMap<String, (usize, usize)>,
    ) -> Option<(usize, usize, &'p str)> {
        let (index, after) = rest[1..].split_once(']')?;
        let index: usize = index.parse().ok()?;
        self.i += 1;
        for j in 0..index {
            self.ws();
            if self.peek() != Some(b']') {
                known.insert(format!("{done}[{j}]"), (self.i, self.i));
            }
            self.skip()?;
            self.eat(b',')?;
        }
        self.ws();
        (self.peek().is_some() && self.peek() != Some(b']')).then_some((self.i, self.i, after))
    }

    /// A string at the cursor, unescaped (borrowed when it has no escapes); the cursor ends
    /// after its closing quote.
    fn string(&mut self) -> Option<Cow<'a, str>> {
        let raw = self.raw_string()?;
        let raw = std::str::from_utf8(raw).ok()?;
        if raw.contains('\\') {
            serde_json::from_str(&format!("\"{raw}\""))
                .ok()
                .map(Cow::Owned)
        } else {
            Some(Cow::Borrowed(raw))
        }
    }

    /// The bytes between the quotes of a string at the cursor, escapes as written.
    fn raw_string(&mut self) -> Option<&'a [u8]> {
        if self.peek() != Some(b'"') {
            return None;
        }
        self.i += 1;
        let start = self.i;
        while self.peek()? != b'"' {
            self.i += if self.peek()? == b'\\' { 2 } else { 1 };
        }
        self.i += 1;
        self.b.get(start..self.i - 1)
    }

    /// Steps over one value of any kind.
    fn skip(&mut self) -> Option<()> {
        self.ws();
        match self.peek()? {
            b'"' => self.raw_string().map(drop),
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
    use super::{locate, Locator};

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

    #[test]
    fn a_locator_remembers_without_changing_the_answers() {
        let paths = [
            "Statement[1].Condition.StringEquals.aws:ResourceTag/k8s",
            "Statement[0].Action[1]",
            "Statement[1]",
            "Statement[0].Action[0]",
            "Statement[1].Condition.StringEquals.aws:ResourceTag/k8s.io/cluster",
            "Statement[0]",
            "Statement[2].Action",
            "Statement[0].Action[5]",
            "Id",
            "",
        ];
        let mut once = Locator::new(DOC);
        for round in 0..2 {
            for p in paths.iter().chain(paths.iter().rev()) {
                assert_eq!(once.locate(p), locate(DOC, p), "{p} (round {round})");
            }
        }
    }
}
