//! Walking a design's policy documents and statements with their JSON paths, and matching
//! action patterns.

use super::document::{Effect, OneOrMany, PolicyDocument, Statement};
use super::model::{Iam, ManagedPolicy, ManagedPolicyRef};

/// What a document is for, which decides the elements it may have.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum DocKind {
    /// A role's trust (assume-role) policy: Principal, no Resource.
    Trust,
    /// An identity policy (inline or managed): Resource, no Principal.
    Identity,
    /// A resource policy (a bucket's, a key's, a queue's, …): a Principal, and a Resource
    /// where the service asks for one. No design holds one; `lint` judges them.
    Resource,
}

/// One document of the design.
#[derive(Clone)]
pub(crate) struct Doc<'a> {
    /// JSON path of the document, e.g. `iam.roles[0].trust_policy`.
    pub path: String,
    /// Trust or identity.
    pub kind: DocKind,
    /// The document.
    pub doc: &'a PolicyDocument,
    /// For messages: `the trust policy of role app`.
    pub what: String,
}

impl<'a> Doc<'a> {
    /// The statements with their JSON paths.
    pub fn statements(&self) -> Vec<(String, &'a Statement)> {
        self.doc
            .statement
            .with_paths(&format!("{}.Statement", self.path))
    }
}

/// Every document: for each role its trust policy then its inline policies, then every
/// customer managed policy.
pub(crate) fn documents(iam: &Iam) -> Vec<Doc<'_>> {
    let mut out = Vec::new();
    for (i, r) in iam.roles.iter().enumerate() {
        out.push(Doc {
            path: format!("iam.roles[{i}].trust_policy"),
            kind: DocKind::Trust,
            doc: &r.trust_policy,
            what: format!("the trust policy of role {}", r.name),
        });
        for (j, p) in r.inline_policies.iter().enumerate() {
            out.push(Doc {
                path: format!("iam.roles[{i}].inline_policies[{j}].document"),
                kind: DocKind::Identity,
                doc: &p.document,
                what: format!("inline policy {} of role {}", p.name, r.name),
            });
        }
    }
    for (k, p) in iam.policies.iter().enumerate() {
        out.push(policy_doc(k, p));
    }
    out
}

fn policy_doc(k: usize, p: &ManagedPolicy) -> Doc<'_> {
    Doc {
        path: format!("iam.policies[{k}].document"),
        kind: DocKind::Identity,
        doc: &p.document,
        what: format!("policy {}", p.name),
    }
}

/// The identity documents whose permissions a role holds: its inline policies and the
/// design's managed policies it attaches (AWS managed policies are not known offline).
pub(crate) fn role_permissions(iam: &Iam, i: usize) -> Vec<Doc<'_>> {
    let role = &iam.roles[i];
    let mut out: Vec<Doc> = documents(iam)
        .into_iter()
        .filter(|d| {
            d.kind == DocKind::Identity
                && d.path
                    .starts_with(&format!("iam.roles[{i}].inline_policies["))
        })
        .collect();
    for m in &role.managed_policies {
        if let ManagedPolicyRef::Policy { policy } = m {
            if let Some(k) = iam.policies.iter().position(|p| &p.name == policy) {
                out.push(policy_doc(k, &iam.policies[k]));
            }
        }
    }
    out
}

/// Whether `pattern` (with `*` for any run and `?` for one character) matches `text`,
/// ignoring ASCII case, as IAM matches actions.
pub(crate) fn glob(pattern: &str, text: &str) -> bool {
    let (p, t) = (pattern.as_bytes(), text.as_bytes());
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == b'?' || p[pi].eq_ignore_ascii_case(&t[ti])) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == b'*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == b'*')
}

/// Whether an `Allow` statement grants `action` (`service:Name`), reading `Action` patterns,
/// or `NotAction` as "everything but".
pub(crate) fn allows(s: &Statement, action: &str) -> bool {
    if s.effect != Effect::Allow {
        return false;
    }
    let any = |v: &OneOrMany<String>| v.as_slice().iter().any(|p| glob(p, action));
    match (&s.action, &s.not_action) {
        (Some(a), _) => any(a),
        (None, Some(n)) => !any(n),
        (None, None) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::glob;

    #[test]
    fn globbing() {
        assert!(glob("iam:*", "iam:PassRole"));
        assert!(glob("*", "ec2:RunInstances"));
        assert!(glob("IAM:pass*", "iam:PassRole"));
        assert!(glob("iam:Pass?ole", "iam:PassRole"));
        assert!(glob("iam:*Role*", "iam:PassRole"));
        assert!(!glob("iam:Put*", "iam:PassRole"));
        assert!(!glob("iam:PassRol", "iam:PassRole"));
        assert!(glob("a*b*c", "aXbYbZc"));
    }
}
