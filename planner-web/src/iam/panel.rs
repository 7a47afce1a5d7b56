//! The IAM tab: roles, managed policies, instance profiles, the executor's policy and the
//! "Lint a policy" box, with the findings about IAM as a whole.

use yew::prelude::*;

use super::aws_policies::suggestions;
use super::executor::ExecutorPolicy;
use super::lint_box::LintBox;
use super::policies::ManagedPolicies;
use super::profiles::InstanceProfiles;
use super::roles::Roles;
use crate::fields::DocFindings;

/// The IAM tab.
#[function_component]
pub fn IamPanel() -> Html {
    let exclude = ["iam.roles", "iam.policies", "iam.instance_profiles"].map(String::from);
    html! {
        <div class="panel iam" id="field-iam" tabindex="-1">
            <p class="help">{ "Roles, their trust and permission policies, managed policies and \
                instance profiles. Documents are edited as IAM policy JSON; ARNs and ids known \
                only at apply time are written as references such as {\"ref\": \"account_id\"} \
                or {\"ref\": \"role_arn\", \"role\": \"<name>\"}." }</p>
            <p class="help catalogue">{ catalogue_line() }</p>
            <DocFindings path="iam" exclude={exclude.to_vec()} />
            <Roles />
            <ManagedPolicies />
            <InstanceProfiles />
            <ExecutorPolicy />
            <LintBox />
            { suggestions() }
        </div>
    }
}

/// Which IAM catalogue the checks use, and whether it and its details (resource types,
/// condition keys) have arrived.
fn catalogue_line() -> String {
    if !planner_core::analysis::iam_catalogue::loaded() {
        return "IAM catalogue: loading… (unknown actions, resource types and condition keys are checked once it arrives).".to_owned();
    }
    let source = planner_core::analysis::iam_catalogue::source();
    let deeper = if planner_core::analysis::iam_details::details().is_some() {
        "resource types and condition keys checked"
    } else {
        "loading resource types and condition keys…"
    };
    format!("IAM catalogue: {source} ({deeper}).")
}
