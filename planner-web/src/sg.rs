//! Security groups: the editor, the graph of who reaches whom, and the reachability question.

use yew::prelude::*;

/// The security-group tab.
#[function_component]
pub fn SgPanel() -> Html {
    html! { <div class="panel sg"></div> }
}
