//! A small SVG writer: every attribute value and text is escaped for XML, and the output is
//! the same bytes for the same calls.

use std::borrow::Cow;
use std::fmt::{Display, Write};

/// `&`, `<`, `>`, `"` and `'` as entities.
pub(super) fn escape(s: &str) -> Cow<'_, str> {
    if !s.contains(['&', '<', '>', '"', '\'']) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// An attribute list: names and values (escaped when written).
pub(super) type Attrs<'a> = &'a [(&'a str, &'a dyn Display)];

/// An SVG document being written.
pub(super) struct Svg {
    out: String,
    depth: usize,
}

impl Svg {
    /// A document with no elements yet.
    pub(super) fn new() -> Self {
        Svg {
            out: String::with_capacity(16 * 1024),
            depth: 0,
        }
    }

    fn start(&mut self, name: &str, attrs: Attrs) {
        for _ in 0..self.depth {
            self.out.push_str("  ");
        }
        self.out.push('<');
        self.out.push_str(name);
        self.attrs(attrs);
    }

    fn attrs(&mut self, attrs: Attrs) {
        let mut value = String::new();
        for (key, v) in attrs {
            value.clear();
            let _ = write!(value, "{v}");
            let _ = write!(self.out, " {key}=\"{}\"", escape(&value));
        }
    }

    /// Opens `<name …>`; [`Svg::close`] closes it.
    pub(super) fn open(&mut self, name: &str, attrs: Attrs) {
        self.start(name, attrs);
        self.out.push_str(">\n");
        self.depth += 1;
    }

    /// Closes the element `name` opened last.
    pub(super) fn close(&mut self, name: &str) {
        self.depth = self.depth.saturating_sub(1);
        for _ in 0..self.depth {
            self.out.push_str("  ");
        }
        let _ = writeln!(self.out, "</{name}>");
    }

    /// An empty element `<name … />`.
    pub(super) fn leaf(&mut self, name: &str, attrs: Attrs) {
        self.start(name, attrs);
        self.out.push_str(" />\n");
    }

    /// An element holding only `text`: `<name …>text</name>`.
    pub(super) fn text(&mut self, name: &str, attrs: Attrs, text: &str) {
        self.start(name, attrs);
        let _ = writeln!(self.out, ">{}</{name}>", escape(text));
    }

    /// `<text x y …>text</text>`.
    pub(super) fn text_at(&mut self, x: u32, y: u32, attrs: Attrs, text: &str) {
        self.start("text", &[("x", &x), ("y", &y)]);
        self.attrs(attrs);
        let _ = writeln!(self.out, ">{}</text>", escape(text));
    }

    /// `<rect x y width height …/>`.
    pub(super) fn rect(&mut self, (x, y, width, height): (u32, u32, u32, u32), attrs: Attrs) {
        self.start(
            "rect",
            &[("x", &x), ("y", &y), ("width", &width), ("height", &height)],
        );
        self.attrs(attrs);
        self.out.push_str(" />\n");
    }

    /// The document.
    pub(super) fn finish(self) -> String {
        self.out
    }
}

/// Checks that `xml` is one balanced element tree whose text and attributes hold no raw
/// `<` or stray `&`: enough to catch an unescaped name or an unclosed group.
#[cfg(test)]
pub(super) fn check_well_formed(xml: &str) -> Result<(), String> {
    let mut stack: Vec<&str> = Vec::new();
    let mut rest = xml;
    let mut roots = 0;
    let entity_ok = |s: &str| {
        s.match_indices('&').all(|(i, _)| {
            let tail = &s[i..];
            ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"]
                .iter()
                .any(|e| tail.starts_with(e))
        })
    };
    while let Some(open) = rest.find('<') {
        let text = &rest[..open];
        if !entity_ok(text) {
            return Err(format!("bad entity in text {text:?}"));
        }
        if stack.is_empty() && !text.trim().is_empty() {
            return Err(format!("text outside the root: {text:?}"));
        }
        let close = rest[open..].find('>').ok_or("unterminated tag")? + open;
        let tag = &rest[open + 1..close];
        if tag.contains('<') {
            return Err(format!("'<' inside tag {tag:?}"));
        }
        if tag.matches('"').count() % 2 != 0 || !entity_ok(tag) {
            return Err(format!("bad attributes in {tag:?}"));
        }
        if let Some(name) = tag.strip_prefix('/') {
            match stack.pop() {
                Some(open) if open == name.trim() => {}
                other => return Err(format!("</{name}> closes {other:?}")),
            }
        } else {
            let name = tag.split_whitespace().next().ok_or("empty tag")?;
            let name = name.trim_end_matches('/');
            if stack.is_empty() {
                roots += 1;
            }
            if !tag.ends_with('/') {
                stack.push(name);
            }
        }
        rest = &rest[close + 1..];
    }
    if !rest.trim().is_empty() {
        return Err(format!("text after the root: {rest:?}"));
    }
    match (stack.as_slice(), roots) {
        ([], 1) => Ok(()),
        ([], n) => Err(format!("{n} root elements")),
        (open, _) => Err(format!("unclosed: {open:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(escape("a-b_c"), "a-b_c");
        assert_eq!(
            escape(r#"<b a="x">&'"#),
            "&lt;b a=&quot;x&quot;&gt;&amp;&apos;"
        );
    }

    #[test]
    fn writes_escaped_balanced_documents() {
        let mut svg = Svg::new();
        svg.open("svg", &[("class", &"a&b")]);
        svg.leaf("rect", &[("width", &10)]);
        svg.text("text", &[("x", &1.5)], "<script>");
        svg.text_at(1, 2, &[("fill", &"a'b")], "&");
        svg.rect((1, 2, 3, 4), &[]);
        svg.close("svg");
        let out = svg.finish();
        assert_eq!(
            out,
            "<svg class=\"a&amp;b\">\n  <rect width=\"10\" />\n  <text x=\"1.5\">&lt;script&gt;</text>\n  <text x=\"1\" y=\"2\" fill=\"a&apos;b\">&amp;</text>\n  <rect x=\"1\" y=\"2\" width=\"3\" height=\"4\" />\n</svg>\n"
        );
        check_well_formed(&out).unwrap();
    }

    #[test]
    fn the_check_rejects_broken_documents() {
        for bad in [
            "<svg><g></svg>",
            "<svg></g>",
            "<svg><text>a & b</text></svg>",
            "<svg><text>a < b</text></svg>",
            "<svg/><svg/>",
            "<svg a=\"x></svg>",
        ] {
            assert!(check_well_formed(bad).is_err(), "{bad}");
        }
        check_well_formed("<svg><g a=\"1\"/><text>&amp;</text></svg>").unwrap();
    }
}
