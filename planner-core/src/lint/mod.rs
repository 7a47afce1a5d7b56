//! Linting one file as IAM Access Analyzer validates a policy: a bare policy document (an
//! identity, trust or resource policy), a design or a plan, judged by the planner's own IAM
//! checks (`checks::run_iam`), so every check applies here too. Findings carry JSON paths
//! inside the file (`Statement[0].Action` for a bare document, `design.iam.…` for a plan) and
//! the line and column they are at ([`locate`]).
//!
//! A bare document is judged inside a minimal design that holds it: an identity policy as a
//! customer managed policy attached to nothing (its holder is unknown), a trust policy as a
//! role's, a resource policy as a document of its own kind beside an empty design. Only
//! findings about the document itself come back; what only the wrapper has (its name, its
//! role) is dropped.
//!
//! ```
//! use planner_core::lint::{lint, Kind};
//! let text = r#"{"Version": "2012-10-17",
//!   "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}"#;
//! let linted = lint(text).unwrap();
//! assert_eq!(linted.kind, Kind::Identity);
//! let f = &linted.findings[0];
//! assert_eq!((f.code, f.path.as_str(), f.line, f.column), ("IAM007", "Statement[0].Action", 2, 37));
//! ```

pub mod locate;

use std::fmt;

use serde::Serialize;

use crate::checks::iam::context::Context;
use crate::checks::run_iam;
use crate::design::iam::document::PolicyDocument;
use crate::design::iam::model::{ManagedPolicy, Role};
use crate::design::iam::walk::{Doc, DocKind};
use crate::design::network::Design;
use crate::diag::{Diagnostic, Severity};
use crate::error::PlanError;
use crate::parse::{from_json, parse_for_editing};
use crate::planner::plan;

/// What a linted file is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// An identity policy: what its holder may do (no `Principal`).
    Identity,
    /// A role's trust policy: who may assume it (`sts:AssumeRole…` granted to a `Principal`).
    Trust,
    /// A resource policy: who may act on the resource holding it (any other `Principal`).
    Resource,
    /// A design: its IAM section.
    Design,
    /// A plan: its design's IAM section, as `validate` judges it (its design planned again
    /// with its allocation).
    Plan,
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Kind::Identity => "identity policy",
            Kind::Trust => "trust policy",
            Kind::Resource => "resource policy",
            Kind::Design => "design",
            Kind::Plan => "plan",
        })
    }
}

/// One finding in a linted file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Stable code, `IAM…`.
    pub code: &'static str,
    /// How much it matters.
    pub severity: Severity,
    /// What is wrong, why, and what to do.
    pub message: String,
    /// JSON path inside the file; empty for the whole document.
    pub path: String,
    /// 1-based line of the path in the file.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

/// A linted file: what it is and its findings, in the order of the file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Linted {
    /// What the file is.
    pub kind: Kind,
    /// The findings, by line and column.
    pub findings: Vec<Finding>,
}

/// Lints the JSON text of one file: a policy document (an object with `Statement`), a design
/// or a plan. Malformed input is an `InputError` with its path, as `parse_input` gives; a
/// design that cannot be planned is the `PlanError` `plan` gives.
///
/// A plan is read as an editor reads one ([`parse_for_editing`]): its design and allocation,
/// its resources checked to be there but not read. Its findings are those `validate` gives,
/// its design's planned again with its allocation; whether the resources are still what the
/// design plans to (`EXE001`) is not an IAM finding, and `executor validate` judges it. Not
/// reading them keeps the resources' deserializers out of the browser bundle.
pub fn lint(text: &str) -> Result<Linted, PlanError> {
    // Malformed JSON is read again as a value, whose error names the innermost path.
    let top: TopKeys =
        from_json(text).map_err(|e| from_json::<serde_json::Value>(text).err().unwrap_or(e))?;
    let (kind, diagnostics, prefix) = if top.statement {
        let doc: PolicyDocument = from_json(text)?;
        let kind = kind_of(&doc);
        (kind, lint_document(&doc, kind), "")
    } else {
        match parse_for_editing(text)? {
            (d, None) => (Kind::Design, iam_only(plan(&d, None)?.diagnostics), ""),
            (d, Some(a)) => (
                Kind::Plan,
                iam_only(plan(&d, Some(&a))?.diagnostics),
                "design",
            ),
        }
    };
    let mut locator = locate::Locator::new(text);
    let mut findings: Vec<Finding> = diagnostics
        .into_iter()
        .map(|d| {
            let path = match (prefix, d.path.as_str()) {
                ("", p) => p.to_owned(),
                (pre, "") => pre.to_owned(),
                (pre, p) => format!("{pre}.{p}"),
            };
            let (line, column) = locator.locate(&path);
            Finding {
                code: d.code,
                severity: d.severity,
                message: d.message,
                path,
                line,
                column,
            }
        })
        .collect();
    findings.sort_by(|a, b| {
        (a.line, a.column, a.code, &a.message).cmp(&(b.line, b.column, b.code, &b.message))
    });
    Ok(Linted { kind, findings })
}

/// Whether a top-level object has `Statement`, read without building it; anything but an
/// object fails.
struct TopKeys {
    statement: bool,
}

impl<'de> serde::Deserialize<'de> for TopKeys {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = TopKeys;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a policy document (an object with Statement), a design or a plan")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<TopKeys, A::Error> {
                let mut statement = false;
                while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                    statement |= key == "Statement";
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
                Ok(TopKeys { statement })
            }
        }
        d.deserialize_map(Visitor)
    }
}

fn iam_only(diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diagnostics
        .into_iter()
        .filter(|d| d.code.starts_with("IAM"))
        .collect()
}

/// What a bare document is: a trust policy when its actions are all `sts:AssumeRole…`,
/// `sts:TagSession` or `sts:SetSourceIdentity` and it names a principal; a resource policy
/// when it names a principal otherwise; an identity policy when it names none.
///
/// ```
/// use planner_core::lint::{kind_of, Kind};
/// let doc = |s: &str| serde_json::from_str(s).unwrap();
/// let trust = doc(r#"{"Statement": {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"},
///                     "Action": ["sts:AssumeRole", "sts:TagSession"]}}"#);
/// assert_eq!(kind_of(&trust), Kind::Trust);
/// let bucket = doc(r#"{"Statement": {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
///                      "Resource": "arn:aws:s3:::b/*"}}"#);
/// assert_eq!(kind_of(&bucket), Kind::Resource);
/// ```
pub fn kind_of(doc: &PolicyDocument) -> Kind {
    let statements = doc.statements();
    if !statements
        .iter()
        .any(|s| s.principal.is_some() || s.not_principal.is_some())
    {
        return Kind::Identity;
    }
    let assumes = |a: &String| {
        let a = a.to_ascii_lowercase();
        a.starts_with("sts:assumerole") || a == "sts:tagsession" || a == "sts:setsourceidentity"
    };
    let trust = statements.iter().all(|s| {
        s.not_action.is_none()
            && s.action
                .as_ref()
                .is_none_or(|a| a.as_slice().iter().all(assumes))
    }) && statements.iter().any(|s| {
        s.action
            .as_ref()
            .is_some_and(|a| a.as_slice().iter().any(assumes))
    });
    if trust {
        Kind::Trust
    } else {
        Kind::Resource
    }
}

/// The name of the role or policy a bare document is wrapped in.
const WRAPPER: &str = "linted";

/// The findings about a bare document of `kind` (`Identity`, `Trust` or `Resource`), with
/// paths inside it. `Design` and `Plan` are read as `Identity`.
pub fn lint_document(doc: &PolicyDocument, kind: Kind) -> Vec<Diagnostic> {
    // Read as a design file is (one deserializer for designs in the browser bundle).
    let mut design: Design = from_json(&format!(
        r#"{{"name": "{WRAPPER}", "region": "us-east-1"}}"#
    ))
    .expect("the wrapper design is valid");
    let (at, what, resource) = match kind {
        Kind::Trust => {
            design.iam.roles.push(Role {
                name: WRAPPER.to_owned(),
                path: "/".to_owned(),
                description: String::new(),
                trust_policy: doc.clone(),
                inline_policies: Vec::new(),
                managed_policies: Vec::new(),
                max_session_duration: None,
                tags: Default::default(),
            });
            ("iam.roles[0].trust_policy", "the trust policy", false)
        }
        Kind::Resource => ("document", "the resource policy", true),
        Kind::Identity | Kind::Design | Kind::Plan => {
            design.iam.policies.push(ManagedPolicy {
                name: WRAPPER.to_owned(),
                path: "/".to_owned(),
                description: String::new(),
                document: doc.clone(),
            });
            ("iam.policies[0].document", "the policy", false)
        }
    };
    let mut cx = Context::new(&design);
    if resource {
        cx.docs.push(Doc {
            path: at.to_owned(),
            kind: DocKind::Resource,
            doc,
            what: String::new(),
        });
    }
    for d in &mut cx.docs {
        what.clone_into(&mut d.what);
    }
    let mut out = Vec::new();
    run_iam(&cx, &mut out);
    let mut kept: Vec<Diagnostic> = out
        .into_iter()
        .filter_map(|mut d| {
            let inside = match d.path.strip_prefix(at)? {
                "" => "",
                rest => rest.strip_prefix('.')?,
            };
            d.path = inside.to_owned();
            d.message = d
                .message
                .replace(&format!("policy {WRAPPER}"), "the policy")
                .replace(&format!("role {WRAPPER}"), "the role");
            Some(d)
        })
        .collect();
    kept.sort();
    kept.dedup();
    kept
}

#[cfg(test)]
mod tests;
