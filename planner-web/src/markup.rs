//! SVG text as Yew nodes, so that drawing a new version of a diagram patches only the
//! attributes and texts that changed instead of parsing the whole document again and laying
//! out every element anew (`innerHTML`).
//!
//! The drawings write standalone SVG documents (the page also downloads them): elements with
//! quoted attributes, escaped text, indentation between elements. [`svg_html`] reads exactly
//! that; anything it does not understand (an unclosed element, a stray `<`) gives `None`, and
//! the caller falls back to raw HTML.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use yew::virtual_dom::{
    AttrValue, AttributeOrProperty, Attributes, Listeners, VList, VNode, VTag, VText,
};
use yew::{Html, NodeRef};

thread_local! {
    /// Every list of attribute names read so far, by a digest of the names.
    static KEYS: RefCell<BTreeMap<u64, Vec<&'static [&'static str]>>> = const {
        RefCell::new(BTreeMap::new())
    };
}

/// The one `'static` copy of a list of attribute names. Yew compares the attributes of two
/// versions of an element by position, without hashing, when their name lists are the same
/// pointer; a drawing has a few dozen such lists, kept for the page's life.
fn keys(names: &[&str]) -> &'static [&'static str] {
    // FNV-1a over the names, each ended by a byte no name holds.
    let digest = names
        .iter()
        .flat_map(|n| n.bytes().chain([0]))
        .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
        });
    KEYS.with(|k| {
        let mut k = k.borrow_mut();
        let known = k.entry(digest).or_default();
        if let Some(keys) = known.iter().find(|keys| keys.iter().eq(names.iter())) {
            return *keys;
        }
        let owned: Vec<&'static str> = names
            .iter()
            .map(|n| &*Box::leak(n.to_string().into_boxed_str()))
            .collect();
        let keys: &'static [&'static str] = Box::leak(owned.into_boxed_slice());
        known.push(keys);
        keys
    })
}

/// The SVG document `text` as Yew nodes; `None` when it is not well formed as far as this
/// reader goes. Whitespace between elements (the writer's indentation) is dropped, as SVG
/// rendering ignores it; comments, processing instructions and doctypes are skipped.
pub fn svg_html(text: &str) -> Option<Html> {
    let mut rest = text;
    // Open elements, innermost last, each with its children so far.
    let mut open: Vec<Open> = Vec::new();
    let mut roots: Vec<VNode> = Vec::new();
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            push_text(&mut open, rest)?;
            break;
        };
        push_text(&mut open, &rest[..lt])?;
        rest = &rest[lt..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = &after[after.find("-->")? + 3..];
        } else if rest.starts_with("<?") || rest.starts_with("<!") {
            rest = &rest[rest.find('>')? + 1..];
        } else if let Some(after) = rest.strip_prefix("</") {
            let gt = after.find('>')?;
            let (tag, attributes, children) = open.pop()?;
            if tag != after[..gt].trim() {
                return None;
            }
            rest = &after[gt + 1..];
            let node = finish(tag, attributes, children);
            match open.last_mut() {
                Some((_, _, siblings)) => siblings.push(node),
                None => roots.push(node),
            }
        } else {
            let (tag, attributes, leaf, after) = start_tag(&rest[1..])?;
            rest = after;
            if leaf {
                let node = finish(tag, attributes, Vec::new());
                match open.last_mut() {
                    Some((_, _, siblings)) => siblings.push(node),
                    None => roots.push(node),
                }
            } else {
                open.push((tag, attributes, Vec::new()));
            }
        }
    }
    if !open.is_empty() {
        return None;
    }
    Some(match roots.len() {
        1 => roots.pop()?,
        _ => roots.into_iter().collect(),
    })
}

/// Adds the text between two tags to the element open innermost; indentation (whitespace
/// with a line break) is dropped. Text outside every element must be whitespace.
fn push_text(open: &mut [Open], raw: &str) -> Option<()> {
    if raw.is_empty() || (raw.contains('\n') && raw.trim().is_empty()) {
        return Some(());
    }
    match open.last_mut() {
        Some((_, _, children)) => children.push(VNode::VText(VText::new(unescape(raw)))),
        None if raw.trim().is_empty() => {}
        None => return None,
    }
    Some(())
}

/// An element being read: its name, attributes and children so far.
type Open = (&'static str, Attributes, Vec<VNode>);

/// An element with its attributes and children.
fn finish(tag: &'static str, attributes: Attributes, children: Vec<VNode>) -> VNode {
    let children = match children.is_empty() {
        true => VNode::default(),
        false => VNode::VList(Rc::new(VList::with_children(children, None))),
    };
    VNode::from(VTag::__new_other(
        AttrValue::Static(tag),
        NodeRef::default(),
        None,
        attributes,
        Listeners::None,
        children,
    ))
}

/// A start tag after its `<`: the element's name and attributes, whether it closes itself,
/// and the text after its `>`.
fn start_tag(s: &str) -> Option<(&'static str, Attributes, bool, &str)> {
    let end = s
        .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
        .unwrap_or(s.len());
    let name = &s[..end];
    if name.is_empty() {
        return None;
    }
    let tag = keys(&[name])[0];
    let mut names = Vec::new();
    let mut values = Vec::new();
    let mut rest = &s[end..];
    loop {
        rest = rest.trim_start();
        let (leaf, after) = if let Some(after) = rest.strip_prefix("/>") {
            (true, after)
        } else if let Some(after) = rest.strip_prefix('>') {
            (false, after)
        } else {
            let eq = rest.find('=')?;
            let key = rest[..eq].trim();
            let after = rest[eq + 1..].trim_start();
            let quote = after.chars().next().filter(|q| *q == '"' || *q == '\'')?;
            let close = after[1..].find(quote)?;
            if key.is_empty() || key.contains(['<', '>', '"', '\'']) {
                return None;
            }
            names.push(key);
            values.push(Some(AttributeOrProperty::Attribute(unescape(
                &after[1..1 + close],
            ))));
            rest = &after[close + 2..];
            continue;
        };
        let attributes = match names.is_empty() {
            true => Attributes::Static(&[]),
            false => Attributes::Dynamic {
                keys: keys(&names),
                values: values.into_boxed_slice(),
            },
        };
        return Some((tag, attributes, leaf, after));
    }
}

/// Text with XML's entities and character references replaced; an unknown one is kept as
/// written.
fn unescape(s: &str) -> AttrValue {
    if !s.contains('&') {
        return AttrValue::from(Rc::<str>::from(s));
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let decoded = rest.find(';').and_then(|semi| {
            let c = match &rest[1..semi] {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "apos" => '\'',
                n => {
                    let code = match n.strip_prefix("#x").or_else(|| n.strip_prefix("#X")) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => n.strip_prefix('#')?.parse().ok()?,
                    };
                    char::from_u32(code)?
                }
            };
            Some((c, semi))
        });
        match decoded {
            Some((c, semi)) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    AttrValue::from(Rc::<str>::from(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The nodes as markup again, to compare with what went in.
    fn markup(node: &VNode) -> String {
        match node {
            VNode::VTag(t) => {
                let mut s = format!("<{}", t.tag());
                for (k, v) in t.attributes.iter() {
                    s.push_str(&format!(" {k}=\"{v}\""));
                }
                s.push('>');
                if let Some(VNode::VList(children)) = t.children() {
                    for c in children.iter() {
                        s.push_str(&markup(c));
                    }
                }
                s + &format!("</{}>", t.tag())
            }
            VNode::VText(t) => t.text.to_string(),
            VNode::VList(l) => l.iter().map(markup).collect(),
            _ => "?".to_owned(),
        }
    }

    #[test]
    fn reads_what_the_svg_writer_writes() {
        let text = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"topology-svg\" viewBox=\"0 0 10 10\">\n  <title>a &amp; b: &lt;net&gt;</title>\n  <g data-cidr=\"10.0.0.0/24\" data-name=\"&quot;x&apos;\">\n    <rect x=\"1\" y=\"2\" />\n    <text x=\"3\">tier &#8212; &#x41;</text>\n  </g>\n</svg>\n";
        let node = svg_html(text).expect("well formed");
        assert_eq!(
            markup(&node),
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"topology-svg\" viewBox=\"0 0 10 10\">\
             <title>a & b: <net></title><g data-cidr=\"10.0.0.0/24\" data-name=\"\"x'\">\
             <rect x=\"1\" y=\"2\"></rect><text x=\"3\">tier — A</text></g></svg>"
        );
    }

    #[test]
    fn refuses_what_it_cannot_read() {
        for bad in [
            "<svg><g></svg>",
            "<svg>",
            "</svg>",
            "<svg x=1></svg>",
            "text<svg></svg>",
        ] {
            assert!(svg_html(bad).is_none(), "{bad}");
        }
        assert!(svg_html("<?xml version=\"1.0\"?>\n<!-- c -->\n<svg></svg>").is_some());
    }
}
