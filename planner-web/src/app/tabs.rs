//! The editor's tabs: their buttons, DOM ids and panels.

use yew::prelude::*;

use crate::acl::AclPanel;
use crate::editor::Editor;
use crate::iam::IamPanel;
use crate::instances::InstancesPanel;
use crate::jsonedit::JsonPanel;
use crate::network::NetworkPanel;
use crate::sg::SgPanel;
use crate::state::{Action, Tab};

/// The id part of a tab: `tab-<slug>` is its button's DOM id.
pub fn tab_slug(tab: Tab) -> &'static str {
    match tab {
        Tab::Network => "network",
        Tab::NetworkAcls => "acl",
        Tab::SecurityGroups => "sg",
        Tab::Iam => "iam",
        Tab::Instances => "instances",
        Tab::Json => "json",
    }
}

/// One button per tab, the shown one selected.
pub fn tab_buttons(editor: &Editor) -> Html {
    let tab = editor.tab;
    let tabs = Tab::ALL.iter().map(|&t| {
        let editor = editor.clone();
        let id = format!("tab-{}", tab_slug(t));
        html! {
            <button type="button" role="tab" id={id} aria-selected={(t == tab).to_string()}
                aria-controls="tabpanel" class={classes!("tab", (t == tab).then_some("active"))}
                onclick={Callback::from(move |_| editor.dispatch(Action::Tab(t)))}>{ t.label() }</button>
        }
    });
    tabs.collect()
}

/// The editor of a tab.
pub fn tab_panel(tab: Tab) -> Html {
    match tab {
        Tab::Network => html! { <NetworkPanel /> },
        Tab::NetworkAcls => html! { <AclPanel /> },
        Tab::SecurityGroups => html! { <SgPanel /> },
        Tab::Iam => html! { <IamPanel /> },
        Tab::Instances => html! { <InstancesPanel /> },
        Tab::Json => html! { <JsonPanel /> },
    }
}
