//! An image as the design spells it (`planner_core::design::instances::AmiSpec`): a
//! well-known image by alias, an AMI id, or a public SSM parameter holding one. Instances and
//! NAT instances share it.

use planner_core::design::instances::AmiAlias;
use serde_json::{json, Value};
use yew::prelude::*;

use super::notes::Notes;
use super::select::Select;
use super::text_field::TextField;
use crate::editor::use_editor;
use crate::path::field_id;
use crate::state::Action;

/// Every well-known image, in the order the editor offers them.
pub const ALIASES: [AmiAlias; 4] = [
    AmiAlias::Al2023X86_64,
    AmiAlias::Al2023Arm64,
    AmiAlias::Ubuntu2404Amd64,
    AmiAlias::Ubuntu2404Arm64,
];

/// A well-known image in the user's words.
pub fn alias_label(alias: AmiAlias) -> &'static str {
    match alias {
        AmiAlias::Al2023X86_64 => "Amazon Linux 2023 (x86_64)",
        AmiAlias::Al2023Arm64 => "Amazon Linux 2023 (arm64, Graviton)",
        AmiAlias::Ubuntu2404Amd64 => "Ubuntu 24.04 LTS (amd64)",
        AmiAlias::Ubuntu2404Arm64 => "Ubuntu 24.04 LTS (arm64, Graviton)",
    }
}

/// A well-known image's JSON spelling, e.g. `al2023-x86_64`.
///
/// ```
/// use planner_core::design::instances::AmiAlias;
/// use planner_web::fields::ami::alias_key;
/// assert_eq!(alias_key(AmiAlias::Ubuntu2404Arm64), "ubuntu-24.04-arm64");
/// ```
pub fn alias_key(alias: AmiAlias) -> String {
    match serde_json::to_value(alias) {
        Ok(Value::String(s)) => s,
        _ => String::new(),
    }
}

/// How an image is named.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AmiKind {
    /// `{"alias": "al2023-x86_64"}`.
    Alias,
    /// `{"id": "ami-…"}`.
    Id,
    /// `{"ssm_parameter": "/aws/service/…"}`.
    SsmParameter,
}

impl AmiKind {
    /// Every kind, in the order the editor offers them.
    pub const ALL: [AmiKind; 3] = [AmiKind::Alias, AmiKind::Id, AmiKind::SsmParameter];

    /// The JSON member naming it.
    pub fn key(self) -> &'static str {
        match self {
            AmiKind::Alias => "alias",
            AmiKind::Id => "id",
            AmiKind::SsmParameter => "ssm_parameter",
        }
    }

    /// In the user's words.
    pub fn label(self) -> &'static str {
        match self {
            AmiKind::Alias => "Well-known image",
            AmiKind::Id => "AMI id",
            AmiKind::SsmParameter => "SSM parameter",
        }
    }

    /// The kind of the image `value`; `None` for what is not one (the core says why).
    ///
    /// ```
    /// use planner_web::fields::ami::AmiKind;
    /// use serde_json::json;
    /// assert_eq!(AmiKind::of(&json!({"id": "ami-1"})), Some(AmiKind::Id));
    /// assert_eq!(AmiKind::of(&json!({"id": "ami-1", "alias": "x"})), None);
    /// ```
    pub fn of(value: &Value) -> Option<AmiKind> {
        let map = value.as_object().filter(|m| m.len() == 1)?;
        let key = map.keys().next()?;
        AmiKind::ALL.into_iter().find(|k| k.key() == key)
    }

    /// The image of this kind: `current` when it is one already, else a starting value
    /// (Amazon Linux 2023 for `arm64` or not; an empty id, for the user to fill in; the
    /// alias's SSM parameter).
    ///
    /// ```
    /// use planner_web::fields::ami::AmiKind;
    /// use serde_json::json;
    /// let v = AmiKind::SsmParameter.value(&json!({"alias": "al2023-arm64"}), false);
    /// assert_eq!(v, json!({"ssm_parameter": "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64"}));
    /// assert_eq!(AmiKind::Alias.value(&json!({"id": "ami-1"}), true), json!({"alias": "al2023-arm64"}));
    /// ```
    pub fn value(self, current: &Value, arm64: bool) -> Value {
        if AmiKind::of(current) == Some(self) {
            return current.clone();
        }
        let current_alias = current
            .get("alias")
            .and_then(|a| serde_json::from_value::<AmiAlias>(a.clone()).ok());
        let alias = current_alias.unwrap_or(if arm64 {
            AmiAlias::Al2023Arm64
        } else {
            AmiAlias::Al2023X86_64
        });
        match self {
            AmiKind::Alias => json!({"alias": alias_key(alias)}),
            AmiKind::Id => json!({"id": ""}),
            AmiKind::SsmParameter => json!({"ssm_parameter": alias.ssm_parameter()}),
        }
    }
}

/// Properties of [`AmiField`].
#[derive(Properties, PartialEq, Clone)]
pub struct AmiFieldProps {
    /// The design path of the image (`instances[0].ami`).
    pub path: AttrValue,
    /// Its label.
    pub label: AttrValue,
    /// For an optional image, the label of the choice that removes it (the design's default).
    #[prop_or_default]
    pub unset: Option<AttrValue>,
    /// Whether a new image should be for arm64 (Graviton) instance types.
    #[prop_or_default]
    pub arm64: bool,
}

/// An image: how it is named (a select), then the alias (a select of the well-known images),
/// the AMI id or the SSM parameter.
#[function_component]
pub fn AmiField(props: &AmiFieldProps) -> Html {
    let editor = use_editor();
    let path = props.path.to_string();
    let at = |k: AmiKind| format!("{path}.{}", k.key());
    let current = editor.value(&path).cloned();
    let kind = current.as_ref().and_then(AmiKind::of);
    let onchange = {
        let editor = editor.clone();
        let path = path.clone();
        let current = current.clone().unwrap_or(Value::Null);
        let arm64 = props.arm64;
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            let chosen = select.value();
            let value = AmiKind::ALL
                .into_iter()
                .find(|k| k.key() == chosen)
                .map_or(Value::Null, |k| k.value(&current, arm64));
            editor.dispatch(Action::Set {
                path: path.clone(),
                value,
            });
        })
    };
    let invalid = editor.error_at(&path).is_some();
    let unknown = current.is_some() && kind.is_none();
    let detail = match kind {
        Some(AmiKind::Alias) => {
            let chosen = editor.text(&at(AmiKind::Alias));
            let mut options: Vec<(AttrValue, AttrValue)> = ALIASES
                .iter()
                .map(|a| (alias_key(*a).into(), alias_label(*a).into()))
                .collect();
            if !options.iter().any(|(v, _)| *v == chosen) {
                options.insert(0, (chosen.clone().into(), chosen.into()));
            }
            html! { <Select path={at(AmiKind::Alias)} label="Image" {options} /> }
        }
        Some(AmiKind::Id) => html! {
            <TextField path={at(AmiKind::Id)} label="AMI id" placeholder="ami-0abcdef1234567890" class="ami-text" />
        },
        Some(AmiKind::SsmParameter) => html! {
            <TextField path={at(AmiKind::SsmParameter)} label="SSM parameter"
                placeholder="/aws/service/…" class="ami-text" />
        },
        None => html! {},
    };
    let claimed = AmiKind::ALL.map(at).to_vec();
    html! {
        <div class="ami-field">
            <div class="row">
                <label class={classes!("field", invalid.then_some("invalid"))}>
                    <span class="label">{ &props.label }</span>
                    <select id={field_id(&path)} {onchange}>
                        if let Some(label) = &props.unset {
                            <option value="" selected={current.is_none()}>{ label }</option>
                        }
                        if unknown {
                            <option value="?" selected=true>{ "(not an image)" }</option>
                        }
                        { for AmiKind::ALL.iter().map(|k| html! {
                            <option value={k.key()} selected={kind == Some(*k)}>{ k.label() }</option>
                        }) }
                    </select>
                </label>
                { detail }
            </div>
            <Notes path={props.path.clone()} {claimed} />
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use planner_core::design::instances::AmiSpec;

    #[test]
    fn every_alias_and_kind_is_the_cores_spelling() {
        for a in ALIASES {
            let spec: AmiSpec = serde_json::from_value(json!({"alias": alias_key(a)})).unwrap();
            assert_eq!(spec, AmiSpec::Alias(a));
            assert!(!alias_label(a).is_empty());
        }
        for k in AmiKind::ALL {
            for from in [
                json!({"alias": "al2023-arm64"}),
                json!({"id": "ami-0123"}),
                Value::Null,
            ] {
                let v = k.value(&from, false);
                assert_eq!(AmiKind::of(&v), Some(k), "{v}");
                let spec: Result<AmiSpec, _> = serde_json::from_value(v.clone());
                assert!(spec.is_ok(), "{v}");
            }
        }
        assert_eq!(
            AmiKind::Alias.value(&Value::Null, false),
            json!({"alias": "al2023-x86_64"})
        );
        assert_eq!(AmiKind::of(&json!("al2023-arm64")), None);
    }
}
