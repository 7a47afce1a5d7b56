//! A small HCL writer: blocks, attributes, and expressions whose string literals are always
//! escaped (`"`, `\`, control characters, and the template sequences `${` and `%{`), so
//! nothing from a plan is ever read by Terraform as an interpolation or a directive. No
//! heredocs: a multi-line string is one quoted line with `\n` escapes.

/// One piece of a quoted template: literal text, or an interpolated expression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Part {
    /// Text, escaped when written.
    Lit(String),
    /// An expression written inside `${…}`.
    Interp(String),
}

/// An expression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expr {
    /// A quoted template.
    Str(Vec<Part>),
    /// An expression written as is: a reference, a function call, a number.
    Raw(String),
    /// `true` or `false`.
    Bool(bool),
    /// `[a, b]`, one element a line.
    List(Vec<Expr>),
    /// `{ key = value }`, one entry a line; keys that are not identifiers are quoted.
    Object(Vec<(String, Expr)>),
    /// A function call with one argument: `jsonencode({…})`.
    Call(&'static str, Box<Expr>),
}

impl Expr {
    /// A plain string literal.
    pub fn lit(s: impl Into<String>) -> Expr {
        Expr::Str(vec![Part::Lit(s.into())])
    }

    /// A reference or other bare expression.
    pub fn raw(s: impl Into<String>) -> Expr {
        Expr::Raw(s.into())
    }
}

/// One item of a body.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Item {
    Attr(String, Expr),
    Block(Block),
    Comment(String),
}

/// A block: `type "label" "label" { … }`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    kind: String,
    labels: Vec<String>,
    items: Vec<Item>,
}

impl Block {
    /// An empty block.
    pub fn new(kind: &str, labels: &[&str]) -> Block {
        Block {
            kind: kind.to_owned(),
            labels: labels.iter().map(|l| (*l).to_owned()).collect(),
            items: Vec::new(),
        }
    }

    /// Adds `name = value`.
    pub fn attr(&mut self, name: &str, value: Expr) -> &mut Block {
        self.items.push(Item::Attr(name.to_owned(), value));
        self
    }

    /// Adds a nested block.
    pub fn block(&mut self, b: Block) -> &mut Block {
        self.items.push(Item::Block(b));
        self
    }

    /// Adds a `#` comment line (its line breaks become separate comment lines).
    pub fn comment(&mut self, text: &str) -> &mut Block {
        self.items.push(Item::Comment(text.to_owned()));
        self
    }

    /// The block as text, ending with a newline.
    pub fn render(&self) -> String {
        let mut out = String::new();
        self.write(&mut out, 0);
        out
    }

    fn write(&self, out: &mut String, indent: usize) {
        pad(out, indent);
        out.push_str(&self.kind);
        for l in &self.labels {
            out.push(' ');
            write_lit(out, l);
        }
        if self.items.is_empty() {
            out.push_str(" {}\n");
            return;
        }
        out.push_str(" {\n");
        let mut i = 0;
        while i < self.items.len() {
            match &self.items[i] {
                Item::Attr(..) => {
                    if i > 0 && matches!(self.items[i - 1], Item::Block(_)) {
                        out.push('\n');
                    }
                    // A run of attributes, their `=` aligned as `terraform fmt` does.
                    let run: Vec<(&String, &Expr)> = self.items[i..]
                        .iter()
                        .map_while(|it| match it {
                            Item::Attr(k, v) => Some((k, v)),
                            _ => None,
                        })
                        .collect();
                    let width = run.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
                    for (k, v) in &run {
                        pad(out, indent + 1);
                        out.push_str(k);
                        out.push_str(&" ".repeat(width - k.len()));
                        out.push_str(" = ");
                        write_expr(out, v, indent + 1);
                        out.push('\n');
                    }
                    i += run.len();
                }
                Item::Block(b) => {
                    if i > 0 {
                        out.push('\n');
                    }
                    b.write(out, indent + 1);
                    i += 1;
                }
                Item::Comment(c) => {
                    for line in c.lines() {
                        pad(out, indent + 1);
                        out.push_str("# ");
                        out.push_str(line);
                        out.push('\n');
                    }
                    i += 1;
                }
            }
        }
        pad(out, indent);
        out.push_str("}\n");
    }
}

fn pad(out: &mut String, indent: usize) {
    out.push_str(&"  ".repeat(indent));
}

/// Whether `s` can be an object key or attribute name without quotes.
pub fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn write_expr(out: &mut String, e: &Expr, indent: usize) {
    match e {
        Expr::Str(parts) => write_template(out, parts),
        Expr::Raw(s) => out.push_str(s),
        Expr::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Expr::List(items) if items.is_empty() => out.push_str("[]"),
        Expr::List(items) => {
            out.push_str("[\n");
            for item in items {
                pad(out, indent + 1);
                write_expr(out, item, indent + 1);
                out.push_str(",\n");
            }
            pad(out, indent);
            out.push(']');
        }
        Expr::Object(entries) if entries.is_empty() => out.push_str("{}"),
        Expr::Object(entries) => {
            out.push_str("{\n");
            let key = |k: &str| {
                if is_identifier(k) {
                    k.to_owned()
                } else {
                    let mut s = String::new();
                    write_lit(&mut s, k);
                    s
                }
            };
            let width = entries.iter().map(|(k, _)| key(k).len()).max().unwrap_or(0);
            for (k, v) in entries {
                let k = key(k);
                pad(out, indent + 1);
                out.push_str(&k);
                out.push_str(&" ".repeat(width - k.len()));
                out.push_str(" = ");
                write_expr(out, v, indent + 1);
                out.push('\n');
            }
            pad(out, indent);
            out.push('}');
        }
        Expr::Call(f, arg) => {
            out.push_str(f);
            out.push('(');
            write_expr(out, arg, indent);
            out.push(')');
        }
    }
}

/// A literal string, quoted and escaped.
fn write_lit(out: &mut String, s: &str) {
    write_template(out, &[Part::Lit(s.to_owned())]);
}

fn write_template(out: &mut String, parts: &[Part]) {
    out.push('"');
    for (i, part) in parts.iter().enumerate() {
        match part {
            Part::Lit(s) => {
                let before_interp = matches!(parts.get(i + 1), Some(Part::Interp(_)));
                let mut chars = s.chars().peekable();
                while let Some(c) = chars.next() {
                    let next = chars.peek().copied();
                    match c {
                        '"' => out.push_str("\\\""),
                        '\\' => out.push_str("\\\\"),
                        '\n' => out.push_str("\\n"),
                        '\r' => out.push_str("\\r"),
                        '\t' => out.push_str("\\t"),
                        '$' | '%' if next == Some('{') => {
                            // `$${` and `%%{` are the literal `${` and `%{`.
                            out.push(c);
                            out.push(c);
                        }
                        '$' | '%' if next.is_none() && before_interp => {
                            // A `$` right before `${…}` would turn it into the escape `$${`.
                            out.push_str("${\"");
                            out.push(c);
                            out.push_str("\"}");
                        }
                        c if c.is_control() => {
                            out.push_str(&format!("\\u{:04x}", u32::from(c)));
                        }
                        c => out.push(c),
                    }
                }
            }
            Part::Interp(e) => {
                out.push_str("${");
                out.push_str(e);
                out.push('}');
            }
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(parts: &[Part]) -> String {
        let mut s = String::new();
        write_template(&mut s, parts);
        s
    }

    #[test]
    fn literals_never_interpolate() {
        assert_eq!(
            text(&[Part::Lit("a ${b} %{if} \"q\" \\ \n".into())]),
            r#""a $${b} %%{if} \"q\" \\ \n""#
        );
        assert_eq!(text(&[Part::Lit("$$ 100%".into())]), r#""$$ 100%""#);
    }

    #[test]
    fn a_dollar_before_an_interpolation_stays_a_dollar() {
        assert_eq!(
            text(&[Part::Lit("x$".into()), Part::Interp("var.y".into())]),
            r#""x${"$"}${var.y}""#
        );
    }

    #[test]
    fn blocks_align_attributes_and_quote_keys() {
        let mut b = Block::new("resource", &["aws_vpc", "main"]);
        b.attr("cidr_block", Expr::lit("10.0.0.0/16")).attr(
            "tags",
            Expr::Object(vec![
                ("Name".into(), Expr::lit("demo")),
                ("vpc-planner:plan".into(), Expr::lit("demo")),
            ]),
        );
        assert_eq!(
            b.render(),
            "resource \"aws_vpc\" \"main\" {\n  cidr_block = \"10.0.0.0/16\"\n  tags       = {\n    Name               = \"demo\"\n    \"vpc-planner:plan\" = \"demo\"\n  }\n}\n"
        );
    }
}
