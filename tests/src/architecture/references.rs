//! What a file refers to: its `use` declarations and inline `crate::`/`super::`/`self::`
//! paths, made absolute module paths, with code in `#[cfg(test)]` items left out.

use std::path::Path;

use syn::visit::Visit;

/// A module path inside one crate (`["checks", "net"]`); the crate root is empty.
pub type ModPath = Vec<String>;

/// `checks/mod.rs` → `checks`; `lib.rs` and `main.rs` → the root.
pub fn module_of(rel: &Path) -> ModPath {
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().unwrap_or_default();
    let stem = last.trim_end_matches(".rs");
    let is_root = parts.is_empty() && (stem == "lib" || stem == "main");
    if stem != "mod" && !is_root {
        parts.push(stem.to_owned());
    }
    parts
}

/// Collects the absolute module paths a file refers to.
pub struct References {
    /// The module the visitor is in (the file's, or an inline module inside it).
    pub module: ModPath,
    /// The absolute paths found so far.
    pub found: Vec<ModPath>,
}

impl References {
    /// `segments` made absolute, if they start with `crate`, `super` or `self`.
    fn absolute(&self, segments: &[String]) -> Option<ModPath> {
        let mut base = match segments.first()?.as_str() {
            "crate" => Vec::new(),
            "super" | "self" => self.module.clone(),
            _ => return None,
        };
        let mut rest = segments;
        if rest[0] == "crate" {
            rest = &rest[1..];
        } else {
            while let Some(first) = rest.first() {
                match first.as_str() {
                    "self" => {}
                    "super" => {
                        base.pop()?;
                    }
                    _ => break,
                }
                rest = &rest[1..];
            }
        }
        base.extend(rest.iter().cloned());
        Some(base)
    }

    fn use_tree(&mut self, prefix: &mut Vec<String>, tree: &syn::UseTree, children: &[String]) {
        match tree {
            syn::UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                self.use_tree(prefix, &p.tree, children);
                prefix.pop();
            }
            syn::UseTree::Name(n) => self.use_path(prefix, Some(n.ident.to_string()), children),
            syn::UseTree::Rename(r) => self.use_path(prefix, Some(r.ident.to_string()), children),
            syn::UseTree::Glob(_) => self.use_path(prefix, None, children),
            syn::UseTree::Group(g) => {
                for item in &g.items {
                    self.use_tree(prefix, item, children);
                }
            }
        }
    }

    fn use_path(&mut self, prefix: &[String], last: Option<String>, children: &[String]) {
        let mut segments = prefix.to_vec();
        segments.extend(last.filter(|l| l != "self"));
        let Some(first) = segments.first() else {
            return;
        };
        let absolute = if children.contains(first) {
            // `use child::Item` in a module that declares `mod child`.
            let mut m = self.module.clone();
            m.extend(segments.iter().cloned());
            Some(m)
        } else {
            self.absolute(&segments)
        };
        if let Some(a) = absolute {
            self.found.push(a);
        }
    }
}

/// True for `#[cfg(test)]` (and `#[cfg(all(test, …))]`): code only tests compile.
fn is_test_only(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("cfg") && {
            let tokens = a.meta.require_list().map(|l| l.tokens.to_string());
            tokens.is_ok_and(|t| {
                let words: Vec<&str> = t
                    .split(|c: char| !c.is_alphanumeric() && c != '_')
                    .collect();
                words.contains(&"test") && !words.contains(&"not")
            })
        }
    })
}

/// The modules `items` declare, inline or in their own files.
fn declared_modules(items: &[syn::Item]) -> Vec<String> {
    items
        .iter()
        .filter_map(|i| match i {
            syn::Item::Mod(m) => Some(m.ident.to_string()),
            _ => None,
        })
        .collect()
}

impl<'ast> Visit<'ast> for References {
    fn visit_item(&mut self, item: &'ast syn::Item) {
        self.item(item, &[]);
    }

    fn visit_file(&mut self, file: &'ast syn::File) {
        let children = declared_modules(&file.items);
        for item in &file.items {
            self.item(item, &children);
        }
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        if segments.len() > 1 {
            if let Some(a) = self.absolute(&segments) {
                self.found.push(a);
            }
        }
        syn::visit::visit_path(self, path);
    }
}

impl References {
    fn item(&mut self, item: &syn::Item, children: &[String]) {
        let attrs = match item {
            syn::Item::Use(u) => &u.attrs,
            syn::Item::Mod(m) => &m.attrs,
            syn::Item::Fn(f) => &f.attrs,
            syn::Item::Impl(i) => &i.attrs,
            syn::Item::Struct(s) => &s.attrs,
            syn::Item::Enum(e) => &e.attrs,
            syn::Item::Const(c) => &c.attrs,
            syn::Item::Static(s) => &s.attrs,
            syn::Item::Trait(t) => &t.attrs,
            syn::Item::Type(t) => &t.attrs,
            syn::Item::Macro(m) => &m.attrs,
            _ => return syn::visit::visit_item(self, item),
        };
        if is_test_only(attrs) {
            return;
        }
        match item {
            syn::Item::Use(u) => self.use_tree(&mut Vec::new(), &u.tree, children),
            syn::Item::Mod(m) => {
                if let Some((_, items)) = &m.content {
                    let inner = declared_modules(items);
                    self.module.push(m.ident.to_string());
                    for i in items {
                        self.item(i, &inner);
                    }
                    self.module.pop();
                }
            }
            _ => syn::visit::visit_item(self, item),
        }
    }
}

#[cfg(test)]
mod unit {
    use super::*;

    #[test]
    fn module_paths_come_from_file_paths() {
        assert_eq!(module_of(Path::new("lib.rs")), Vec::<String>::new());
        assert_eq!(module_of(Path::new("checks/mod.rs")), vec!["checks"]);
        assert_eq!(
            module_of(Path::new("checks/net/net001.rs")),
            vec!["checks", "net", "net001"]
        );
    }

    #[test]
    fn test_only_attributes_are_recognised() {
        let f: syn::File = syn::parse_str(
            "#[cfg(test)] mod a {} #[cfg(all(test, feature = \"x\"))] mod b {} #[cfg(feature = \"testing\")] mod c {} #[cfg(not(test))] mod d {}",
        )
        .expect("parse");
        let flags: Vec<bool> = f
            .items
            .iter()
            .map(|i| match i {
                syn::Item::Mod(m) => is_test_only(&m.attrs),
                _ => false,
            })
            .collect();
        assert_eq!(flags, [true, true, false, false]);
    }

    #[test]
    fn paths_resolve_from_the_file_module() {
        let f: syn::File = syn::parse_str(
            "mod child; use super::model::{Rule, Peer}; use crate::ids::*; use child::Thing; \
             fn f() { let _ = crate::diag::Severity::Error; } #[cfg(test)] mod tests { use crate::hidden::X; }",
        )
        .expect("parse");
        let mut r = References {
            module: vec!["sg".into(), "graph".into()],
            found: Vec::new(),
        };
        r.visit_file(&f);
        let found: Vec<String> = r.found.iter().map(|p| p.join("::")).collect();
        assert_eq!(
            found,
            [
                "sg::model::Rule",
                "sg::model::Peer",
                "ids",
                "sg::graph::child::Thing",
                "diag::Severity::Error",
            ]
        );
    }
}
