//! What every IAM check reads: the design, its documents with their paths, and stand-ins for
//! apply-time values.

use crate::design::iam::reference::{Reference, Value};
use crate::design::iam::values::ApplyValues;
use crate::design::iam::walk::{documents, Doc};
use crate::design::network::Design;

/// What every IAM check reads.
pub(crate) struct Context<'a> {
    /// The design.
    pub design: &'a Design,
    /// Its documents with their paths.
    pub docs: Vec<Doc<'a>>,
    /// Stand-ins for apply-time values.
    pub stand_in: ApplyValues,
}

impl<'a> Context<'a> {
    /// The context of `design`.
    pub fn new(design: &'a Design) -> Self {
        Context {
            design,
            docs: documents(&design.iam),
            stand_in: ApplyValues::stand_in(design),
        }
    }

    /// A value as AWS would receive it, with stand-ins for apply-time values.
    pub fn render(&self, v: &Value) -> Option<String> {
        v.resolve(&|r: &Reference| self.stand_in.resolve(self.design, r))
    }
}

/// Up to `n` items joined with ", ", and how many more.
pub(crate) fn list(items: &[String], n: usize) -> String {
    let mut s = items[..items.len().min(n)].join(", ");
    if items.len() > n {
        s.push_str(&format!(" and {} more", items.len() - n));
    }
    s
}

/// A resource ARN pattern as tokens: what a data ARN format (`${BucketName}`) or a policy's
/// resource (`*`, `?`, `${aws:username}`) stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tok {
    Lit(char),
    /// A placeholder of an ARN format: any text (without `/` for a bucket name, which is
    /// what tells a bucket from its objects). In the resource part it may hold `:`: AWS
    /// authorizes a log group as `log-group:NAME:*` though its format ends at the name.
    Var {
        slash: bool,
        colon: bool,
    },
    /// A policy's `*` (or a policy variable): any text.
    Star,
    /// A policy's `?`: one character.
    One,
}

fn tokens(s: &str, format: bool, colons_in_resource: bool) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut rest = s;
    // A placeholder holds `:` only in the resource part, after the ARN's fifth `:`.
    let mut colons = 0;
    while let Some(c) = rest.chars().next() {
        if rest.starts_with("${") {
            let end = rest.find('}').map_or(rest.len(), |i| i + 1);
            let name = &rest[2..end.saturating_sub(1).max(2)];
            // Names hold `/` in many services (log groups, parameters, role paths); an S3
            // bucket's never does, which is what tells a bucket from its objects.
            let slash = name != "BucketName";
            out.push(if format {
                Tok::Var {
                    slash,
                    colon: colons_in_resource && colons >= 5,
                }
            } else {
                Tok::Star
            });
            rest = &rest[end..];
            continue;
        }
        if c == ':' {
            colons += 1;
        }
        out.push(match c {
            '*' if !format => Tok::Star,
            '?' if !format => Tok::One,
            c => Tok::Lit(c),
        });
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Whether a policy's resource (`arn:aws:s3:::b/*`) can name a resource of the ARN format
/// `format` (`arn:${Partition}:s3:::${BucketName}/${ObjectName}`): some ARN matches both.
///
/// Letters compare without case, and a placeholder may span `:`, so the answer errs toward
/// "may": a check built on it reports only what no reading of the policy can grant.
pub(crate) fn arn_may_match(format: &str, resource: &str) -> bool {
    meet(format, resource, true)
}

/// Whether `resource` has the shape of `format`, placeholders holding no `:` (which resource
/// type an ARN is; [`arn_may_match`] is the looser question of what a policy can grant).
pub(crate) fn arn_has_shape(format: &str, resource: &str) -> bool {
    meet(format, resource, false)
}

fn meet(format: &str, resource: &str, colons_in_resource: bool) -> bool {
    let (a, b) = (
        tokens(format, true, colons_in_resource),
        tokens(resource, false, false),
    );
    // seen[i][j]: the rest from a[i..] and b[j..] was already explored.
    let mut seen = vec![vec![false; b.len() + 1]; a.len() + 1];
    let mut stack = vec![(0, 0)];
    while let Some((i, j)) = stack.pop() {
        if seen[i][j] {
            continue;
        }
        seen[i][j] = true;
        if i == a.len() && j == b.len() {
            return true;
        }
        let mut go = |x: usize, y: usize| stack.push((x, y));
        let fits = |tok: Tok, c: char| match tok {
            Tok::Lit(l) => l.eq_ignore_ascii_case(&c),
            Tok::Var { slash, colon } => (slash || c != '/') && (colon || c != ':'),
            _ => true,
        };
        match (a.get(i).copied(), b.get(j).copied()) {
            (Some(Tok::Var { .. }), _) => go(i + 1, j),
            (_, Some(Tok::Star)) => go(i, j + 1),
            _ => {}
        }
        match (a.get(i).copied(), b.get(j).copied()) {
            // ARNs as policies write them: AWS's own write `statemachine` for `stateMachine`.
            (Some(Tok::Lit(x)), Some(Tok::Lit(y))) if x.eq_ignore_ascii_case(&y) => {
                go(i + 1, j + 1)
            }
            (Some(Tok::Lit(_)), Some(Tok::One)) => go(i + 1, j + 1),
            (Some(v @ Tok::Var { .. }), Some(Tok::Lit(c))) if fits(v, c) => go(i, j + 1),
            (Some(Tok::Var { .. }), Some(Tok::One)) => go(i, j + 1),
            (Some(Tok::Var { .. }), Some(Tok::Star)) => {
                go(i + 1, j);
                go(i, j + 1);
            }
            (Some(_), Some(Tok::Star)) => go(i + 1, j),
            _ => {}
        }
    }
    false
}

/// The actions a statement's `Action` names, each pattern expanded through the catalogue, as
/// (service, name); `None` for `NotAction` or `*`, which name too much to say.
pub(crate) fn named_actions(
    s: &crate::design::iam::document::Statement,
) -> Option<Vec<(String, String)>> {
    let patterns = s.action.as_ref()?;
    let mut out = Vec::new();
    for p in patterns.as_slice() {
        let (service, name) = p.split_once(':')?;
        for a in crate::analysis::iam_catalogue::matching(service, name) {
            out.push((a.service, a.name));
        }
    }
    Some(out)
}

#[cfg(test)]
mod arn_tests {
    use super::arn_may_match;

    #[test]
    fn formats_and_resources_meet_where_some_arn_is_both() {
        let object = "arn:${Partition}:s3:::${BucketName}/${ObjectName}";
        let bucket = "arn:${Partition}:s3:::${BucketName}";
        assert!(arn_may_match(object, "arn:aws:s3:::logs/*"));
        assert!(!arn_may_match(object, "arn:aws:s3:::logs"));
        assert!(arn_may_match(bucket, "arn:aws:s3:::logs"));
        assert!(!arn_may_match(bucket, "arn:aws:s3:::logs/*"));
        assert!(arn_may_match(bucket, "arn:aws:s3:::*"));
        assert!(arn_may_match(object, "arn:aws:s3:::*"));
        assert!(arn_may_match(object, "arn:aws:s3:::home/${aws:username}/*"));
        let role = "arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}";
        assert!(arn_may_match(
            role,
            "arn:aws:iam::123456789012:role/app/web"
        ));
        assert!(!arn_may_match(role, "arn:aws:iam::123456789012:user/ana"));
        let stream = "arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}:log-stream:${LogStreamName}";
        assert!(arn_may_match(
            stream,
            "arn:aws:logs:us-east-1:1:log-group:/vpc-planner/demo/flow-logs:*"
        ));
        let subnet = "arn:${Partition}:ec2:${Region}:${Account}:subnet/${SubnetId}";
        assert!(arn_may_match(subnet, "arn:aws:ec2:us-east-1:*:subnet/*"));
        assert!(arn_may_match(subnet, "*"));
    }
}
