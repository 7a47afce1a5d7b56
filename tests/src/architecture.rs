//! The layer check behind `ARCHITECTURE.md`'s architecture invariant: every import of a crate's
//! `src/` points to a lower layer or stays inside its own entry, never at the crate root, and
//! never in a cycle.
//!
//! [`LayerTable::from_markdown`] reads a crate's table from between `<!-- layers: NAME -->` and
//! `<!-- /layers -->`; [`check`] parses every file of the crate with `syn`, resolves its `use`
//! declarations and inline `crate::`/`super::`/`self::` paths to the files that define them, and
//! returns every [`Violation`] and cycle. Code in `#[cfg(test)]` items and files named
//! `tests.rs` is exempt: tests may reach anywhere.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

use syn::visit::Visit;

/// A module path inside one crate (`["checks", "net"]`); the crate root is empty.
pub type ModPath = Vec<String>;

/// One row's entry: a module path, and whether each child of it is a unit of its own (`a::*`).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Entry {
    path: ModPath,
    per_child: bool,
    layer: u32,
}

/// A crate's layer table.
#[derive(Clone, Debug, Default)]
pub struct LayerTable {
    entries: Vec<Entry>,
}

/// Where a file sits: its layer and its unit (the entry, or the child of a `::*` entry).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Place {
    layer: u32,
    unit: ModPath,
}

impl LayerTable {
    /// The table of `krate` in `markdown`: the rows between `<!-- layers: krate -->` and
    /// `<!-- /layers -->`, each `| layer | `a`, `b::*` | … |`.
    pub fn from_markdown(markdown: &str, krate: &str) -> Result<LayerTable, String> {
        let start = format!("<!-- layers: {krate} -->");
        let begin = markdown
            .find(&start)
            .ok_or_else(|| format!("ARCHITECTURE.md has no `{start}` table"))?;
        let rest = &markdown[begin + start.len()..];
        let end = rest
            .find("<!-- /layers -->")
            .ok_or_else(|| format!("the `{krate}` table has no `<!-- /layers -->` end"))?;
        let mut entries = Vec::new();
        for line in rest[..end].lines() {
            let cells: Vec<&str> = line.trim().trim_matches('|').split('|').collect();
            let Some(Ok(layer)) = cells.first().map(|c| c.trim().parse::<u32>()) else {
                continue; // the header and the separator row
            };
            let modules = cells.get(1).copied().unwrap_or_default();
            for name in modules.split('`').skip(1).step_by(2) {
                let (base, per_child) = match name.strip_suffix("::*") {
                    Some(base) => (base, true),
                    None => (name, false),
                };
                entries.push(Entry {
                    path: base.split("::").map(str::to_owned).collect(),
                    per_child,
                    layer,
                });
            }
        }
        if entries.is_empty() {
            return Err(format!("the `{krate}` table has no rows"));
        }
        Ok(LayerTable { entries })
    }

    /// The layer and unit of `module`, from the longest entry covering it.
    fn place(&self, module: &[String]) -> Option<Place> {
        let entry = self
            .entries
            .iter()
            .filter(|e| module.starts_with(&e.path))
            .max_by_key(|e| e.path.len())?;
        let mut unit = entry.path.clone();
        if entry.per_child {
            if let Some(child) = module.get(entry.path.len()) {
                unit.push(child.clone());
            }
        }
        Some(Place {
            layer: entry.layer,
            unit,
        })
    }
}

/// One file of a crate.
#[derive(Clone, Debug)]
struct SourceFile {
    /// Relative to the crate's directory, e.g. `src/checks/mod.rs`.
    shown: String,
    module: ModPath,
}

/// An import from one file to another that the table forbids.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// The importing file, e.g. `src/sg/graph.rs`.
    pub from: String,
    /// The imported file.
    pub to: String,
    /// The names imported, as written after the module's path.
    pub names: BTreeSet<String>,
    /// Why it is refused.
    pub why: &'static str,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.names.iter().map(String::as_str).collect();
        write!(
            f,
            "{} → {}: {} ({})",
            self.from,
            self.to,
            names.join(", "),
            self.why
        )
    }
}

/// What [`check`] found in one crate.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// Files no table entry covers.
    pub unplaced: Vec<String>,
    /// Upward, sideways and crate-root imports.
    pub violations: Vec<Violation>,
    /// Every set of files that import each other in a circle, each sorted.
    pub cycles: Vec<Vec<String>>,
    /// How many file-to-file imports there are in all.
    pub imports: usize,
    /// Files read.
    pub files: usize,
}

impl Report {
    /// True when the crate keeps its table.
    pub fn is_clean(&self) -> bool {
        self.unplaced.is_empty() && self.violations.is_empty() && self.cycles.is_empty()
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for file in &self.unplaced {
            writeln!(f, "{file}: in no layer of the table")?;
        }
        for v in &self.violations {
            writeln!(f, "{v}")?;
        }
        for cycle in &self.cycles {
            writeln!(f, "cycle of {} files: {}", cycle.len(), cycle.join(" ⇄ "))?;
        }
        write!(
            f,
            "{} files, {} imports between files: {} against the layers, {} cycles (largest {} files), {} files in no layer",
            self.files,
            self.imports,
            self.violations.len(),
            self.cycles.len(),
            self.cycles.iter().map(Vec::len).max().unwrap_or(0),
            self.unplaced.len()
        )
    }
}

/// Checks the crate in `crate_dir` (holding `src/`) against `table`.
pub fn check(crate_dir: &Path, table: &LayerTable) -> Result<Report, String> {
    let src = crate_dir.join("src");
    let mut paths = Vec::new();
    collect_rs(&src, &mut paths)?;
    paths.sort();

    let mut files: BTreeMap<ModPath, SourceFile> = BTreeMap::new();
    let mut parsed = BTreeMap::new();
    for path in &paths {
        let rel = path.strip_prefix(crate_dir).unwrap_or(path);
        let shown = rel.to_string_lossy().replace('\\', "/");
        let name = path.file_name().unwrap_or_default();
        // A `main.rs` beside a `lib.rs` is a crate of its own that uses the library by name.
        let second_root =
            name == "main.rs" && path.parent() == Some(&src) && src.join("lib.rs").exists();
        if name == "tests.rs" || second_root {
            continue;
        }
        let module = module_of(path.strip_prefix(&src).unwrap_or(path));
        let text = std::fs::read_to_string(path).map_err(|e| format!("{shown}: {e}"))?;
        let ast = syn::parse_file(&text).map_err(|e| format!("{shown}: {e}"))?;
        parsed.insert(module.clone(), ast);
        files.insert(module.clone(), SourceFile { shown, module });
    }

    let mut report = Report {
        files: files.len(),
        ..Report::default()
    };
    // Edges between files, with the names each import names.
    let mut edges: BTreeMap<(ModPath, ModPath), BTreeSet<String>> = BTreeMap::new();
    for (file, ast) in files.values().zip(parsed.values()) {
        let mut refs = References {
            module: file.module.clone(),
            found: Vec::new(),
        };
        refs.visit_file(ast);
        for path in refs.found {
            let target = files
                .keys()
                .filter(|m| path.starts_with(m))
                .max_by_key(|m| m.len())
                .cloned()
                .unwrap_or_default();
            if target == file.module {
                continue;
            }
            let name = path[target.len()..].join("::");
            let name = if name.is_empty() {
                target.last().cloned().unwrap_or_else(|| "crate".into())
            } else {
                name
            };
            edges
                .entry((file.module.clone(), target))
                .or_default()
                .insert(name);
        }
    }
    report.imports = edges.len();

    for file in files.values() {
        if !file.module.is_empty() && table.place(&file.module).is_none() {
            report.unplaced.push(file.shown.clone());
        }
    }
    for ((from, to), names) in &edges {
        if from.is_empty() {
            continue; // the crate root declares and re-exports everything
        }
        let why = if to.is_empty() {
            Some("imports the crate root: import from the defining module")
        } else {
            match (table.place(from), table.place(to)) {
                (Some(a), Some(b)) if a.unit == b.unit || b.layer < a.layer => None,
                (Some(a), Some(b)) if b.layer > a.layer => Some("upward"),
                (Some(_), Some(_)) => Some("sideways: another entry of the same layer"),
                _ => None, // reported as unplaced
            }
        };
        if let Some(why) = why {
            report.violations.push(Violation {
                from: files[from].shown.clone(),
                to: files[to].shown.clone(),
                names: names.clone(),
                why,
            });
        }
    }

    let graph: BTreeMap<&ModPath, Vec<&ModPath>> =
        edges.keys().fold(BTreeMap::new(), |mut g, (a, b)| {
            g.entry(a).or_default().push(b);
            g
        });
    for component in strongly_connected(&graph) {
        if component.len() > 1 {
            let mut shown: Vec<String> =
                component.iter().map(|m| files[*m].shown.clone()).collect();
            shown.sort();
            report.cycles.push(shown);
        }
    }
    report.cycles.sort();
    Ok(report)
}

fn collect_rs(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            collect_rs(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    Ok(())
}

/// `checks/mod.rs` → `checks`; `lib.rs` and `main.rs` → the root.
fn module_of(rel: &Path) -> ModPath {
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
struct References {
    /// The module the visitor is in (the file's, or an inline module inside it).
    module: ModPath,
    found: Vec<ModPath>,
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

/// Tarjan's strongly connected components of `graph`.
fn strongly_connected<'a>(
    graph: &BTreeMap<&'a ModPath, Vec<&'a ModPath>>,
) -> Vec<Vec<&'a ModPath>> {
    struct State<'a> {
        index: BTreeMap<&'a ModPath, usize>,
        low: BTreeMap<&'a ModPath, usize>,
        stack: Vec<&'a ModPath>,
        on_stack: BTreeSet<&'a ModPath>,
        out: Vec<Vec<&'a ModPath>>,
    }
    fn visit<'a>(v: &'a ModPath, g: &BTreeMap<&'a ModPath, Vec<&'a ModPath>>, s: &mut State<'a>) {
        let i = s.index.len();
        s.index.insert(v, i);
        s.low.insert(v, i);
        s.stack.push(v);
        s.on_stack.insert(v);
        for &w in g.get(v).map(Vec::as_slice).unwrap_or_default() {
            if !s.index.contains_key(w) {
                visit(w, g, s);
                let lw = s.low[w];
                let lv = s.low.get_mut(v).expect("visited");
                *lv = (*lv).min(lw);
            } else if s.on_stack.contains(w) {
                let iw = s.index[w];
                let lv = s.low.get_mut(v).expect("visited");
                *lv = (*lv).min(iw);
            }
        }
        if s.low[v] == s.index[v] {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                component.push(w);
                if w == v {
                    break;
                }
            }
            s.out.push(component);
        }
    }
    let mut s = State {
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        out: Vec::new(),
    };
    for &v in graph.keys() {
        if !s.index.contains_key(v) {
            visit(v, graph, &mut s);
        }
    }
    s.out
}

#[cfg(test)]
mod unit {
    use super::*;

    fn table(md: &str) -> LayerTable {
        LayerTable::from_markdown(md, "demo").expect("table")
    }

    #[test]
    fn rows_give_layers_and_units() {
        let t = table(
            "<!-- layers: demo -->\n| layer | modules | what |\n| ---: | --- | --- |\n| 0 | `cidr`, `ids` | x |\n| 2 | `apply::types::*` | y |\n<!-- /layers -->",
        );
        let p = |m: &str| t.place(&m.split("::").map(str::to_owned).collect::<Vec<_>>());
        assert_eq!(p("cidr").map(|p| p.layer), Some(0));
        assert_eq!(
            p("apply::types::vpc::x").map(|p| p.unit.join("::")),
            Some("apply::types::vpc".into())
        );
        assert_eq!(p("apply"), None);
    }

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
        let f: syn::File = syn::parse_str("#[cfg(test)] mod a {} #[cfg(all(test, feature = \"x\"))] mod b {} #[cfg(feature = \"testing\")] mod c {}").expect("parse");
        let flags: Vec<bool> = f
            .items
            .iter()
            .map(|i| match i {
                syn::Item::Mod(m) => is_test_only(&m.attrs),
                _ => false,
            })
            .collect();
        assert_eq!(flags, [true, true, false]);
    }
}
