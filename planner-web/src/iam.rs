//! IAM: roles, trust and permission documents as JSON with live findings, managed policy
//! attachments, instance profiles, and the executor's derived least-privilege policy.

use yew::prelude::*;

/// The IAM tab.
#[function_component]
pub fn IamPanel() -> Html {
    html! { <div class="panel iam"></div> }
}
