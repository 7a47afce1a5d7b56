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

use cycles::strongly_connected;
pub use references::ModPath;
use references::{module_of, References};

mod cycles;
mod references;

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
    /// The importing file, e.g. `src/analysis/sg_graph.rs`.
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
}
