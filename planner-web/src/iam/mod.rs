//! IAM: roles, trust and permission documents as JSON with live findings, managed policy
//! attachments, the design's own managed policies, instance profiles, and the executor's
//! derived least-privilege policy.
//!
//! Every editor here is bound to a design path (`iam.roles[0].trust_policy`, …) and carries the
//! DOM id `field-<path>`, so a click on a finding lands on the nearest enclosing editor. Each
//! part lists the findings about it ([`crate::fields::DocFindings`]); a finding is listed once,
//! under the innermost editor that covers its path.
//!
//! Code map: [`panel`] (the tab); [`roles`], [`role_card`], [`inline_policies`],
//! [`attachments`], [`attachment_row`], [`arn_field`], [`own_policy_pick`], [`policies`] and
//! [`profiles`] (the editors, one component each; [`props`] the properties they share);
//! [`aws_policies`] (AWS managed policy names and ARNs); [`executor`] (the executor's policy);
//! [`lint_box`] (any pasted policy linted as `executor lint` does); [`items`] (what the lists
//! share).

pub mod arn_field;
pub mod attachment_row;
pub mod attachments;
pub mod aws_policies;
pub mod executor;
pub mod inline_policies;
pub mod items;
pub mod lint_box;
pub mod own_policy_pick;
pub mod panel;
pub mod policies;
pub mod profiles;
pub mod props;
pub mod role_card;
pub mod roles;

pub use panel::IamPanel;
