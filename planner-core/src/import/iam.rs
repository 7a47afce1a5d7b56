//! The roles named on the command line, their customer managed policies and instance
//! profiles, as the design writes them.

use super::snapshot::Snapshot;
use super::{Note, NoteKind};
use crate::design::iam::document::PolicyDocument;
use crate::design::iam::model::{
    Iam, InlinePolicy, InstanceProfile, ManagedPolicy, ManagedPolicyRef, Role,
};
use crate::ids::{ID_TAG, PLAN_TAG, REGION_TAG};

/// A policy document as the design types it, or why it cannot be.
fn document(text: &str) -> Result<PolicyDocument, String> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    serde_json::from_value(value).map_err(|e| e.to_string())
}

/// The IAM part of an imported design.
pub(super) fn iam(snap: &Snapshot, notes: &mut Vec<Note>) -> Iam {
    let mut out = Iam::default();
    for p in &snap.policies {
        match document(&p.document) {
            Ok(document) => out.policies.push(ManagedPolicy {
                name: p.name.clone(),
                path: p.path.clone(),
                description: p.description.clone(),
                document,
            }),
            Err(why) => notes.push(Note::new(
                "IMP012",
                NoteKind::Kept,
                &p.arn,
                format!("policy document: {why}; the policy is attached by ARN and left alone"),
            )),
        }
    }
    for r in &snap.roles {
        let trust = match document(&r.trust_policy) {
            Ok(d) => d,
            Err(why) => {
                notes.push(Note::new(
                    "IMP012",
                    NoteKind::Kept,
                    &r.name,
                    format!("role's trust policy: {why}; the role is not imported and left alone"),
                ));
                continue;
            }
        };
        let mut inline = Vec::new();
        let mut readable = true;
        for (name, text) in &r.inline_policies {
            match document(text) {
                Ok(document) => inline.push(InlinePolicy {
                    name: name.clone(),
                    document,
                }),
                Err(why) => {
                    notes.push(Note::new(
                        "IMP012",
                        NoteKind::Kept,
                        &r.name,
                        format!(
                            "inline policy {name}: {why}; the role is not imported and left alone"
                        ),
                    ));
                    readable = false;
                }
            }
        }
        if !readable {
            continue;
        }
        let managed = r
            .managed_policies
            .iter()
            .map(|arn| match snap.policies.iter().find(|p| p.arn == *arn) {
                Some(p) if out.policy(&p.name).is_some() => ManagedPolicyRef::Policy {
                    policy: p.name.clone(),
                },
                _ => ManagedPolicyRef::Arn(arn.clone()),
            })
            .collect();
        let tags = r
            .tags
            .iter()
            .filter(|(k, _)| {
                !k.starts_with("aws:") && ![PLAN_TAG, ID_TAG, REGION_TAG].contains(&k.as_str())
            })
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        out.roles.push(Role {
            name: r.name.clone(),
            path: r.path.clone(),
            description: r.description.clone(),
            trust_policy: trust,
            inline_policies: inline,
            managed_policies: managed,
            max_session_duration: r.max_session_duration.filter(|d| *d != 3600),
            tags,
        });
    }
    for p in &snap.instance_profiles {
        match p.roles.as_slice() {
            [role] if out.role(role).is_some() => out.instance_profiles.push(InstanceProfile {
                name: p.name.clone(),
                path: p.path.clone(),
                role: role.clone(),
            }),
            _ => notes.push(Note::new(
                "IMP012",
                NoteKind::Kept,
                &p.name,
                "instance profile without exactly one imported role; left alone".to_owned(),
            )),
        }
    }
    out
}
