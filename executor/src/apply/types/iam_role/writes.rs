//! A role's inline policies put and managed policies attached, retried while IAM does not
//! show a role or policy made a moment ago.

use planner_core::design::iam::PolicyDocument;
use planner_core::resource::iam::RoleResource;

use crate::apply::context::Cx;
use crate::apply::model::ApplyError;
use crate::apply::shared::iam::{has_code, render_for, settle, NOT_FOUND};

/// Puts the inline policy `name`; with `just_created`, retried while IAM does not show the
/// role yet.
pub(super) async fn put_inline(
    cx: &Cx,
    id: &str,
    role: &RoleResource,
    (name, doc): (&str, &PolicyDocument),
    just_created: bool,
) -> Result<(), ApplyError> {
    let text = render_for(cx, id, doc)?;
    settle(
        cx,
        id,
        "the new role to become visible in IAM",
        |e| just_created && has_code(e, NOT_FOUND),
        || {
            cx.aws.iam(|c| {
                c.put_role_policy()
                    .role_name(&role.name)
                    .policy_name(name)
                    .policy_document(&text)
                    .send()
            })
        },
    )
    .await
    .map_err(|e| ApplyError::sdk(id, e))?;
    Ok(())
}

/// Attaches `arn` to `role`; with `just_created` (the role, or the plan's policy, was made a
/// moment ago), retried while IAM does not show either yet.
pub(super) async fn attach(
    cx: &Cx,
    id: &str,
    role: &str,
    arn: &str,
    just_created: bool,
) -> Result<(), ApplyError> {
    settle(
        cx,
        id,
        "IAM to show the policy to attach",
        |e| just_created && has_code(e, NOT_FOUND),
        || {
            cx.aws.iam(|c| {
                c.attach_role_policy()
                    .role_name(role)
                    .policy_arn(arn)
                    .send()
            })
        },
    )
    .await
    .map_err(|e| ApplyError::sdk(id, e))?;
    Ok(())
}
