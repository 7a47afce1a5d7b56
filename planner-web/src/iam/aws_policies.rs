//! AWS managed policies by name: the names suggested while typing one, and the ARN a name
//! stands for.

use serde_json::Value;
use yew::prelude::*;

/// Common AWS managed policies for instance roles, offered while typing a name.
const SUGGESTED: [&str; 6] = [
    "AmazonSSMManagedInstanceCore",
    "AmazonSSMManagedEC2InstanceDefaultPolicy",
    "CloudWatchAgentServerPolicy",
    "AmazonEC2ContainerRegistryReadOnly",
    "AmazonS3ReadOnlyAccess",
    "AmazonEKSWorkerNodePolicy",
];

/// The DOM id of the suggestions' `<datalist>`.
pub(super) const SUGGESTIONS_ID: &str = "aws-managed-policies";

/// The suggestions for AWS managed policy names, once per page.
pub(super) fn suggestions() -> Html {
    html! {
        <datalist id={SUGGESTIONS_ID}>
            { for SUGGESTED.iter().map(|s| html! { <option value={*s} /> }) }
        </datalist>
    }
}

/// The attachment an AWS managed policy field's text means: an ARN as typed, or for a bare
/// name the ARN of the AWS managed policy of that name in `partition`.
///
/// ```
/// use planner_web::iam::aws_policies::attachment_value;
/// assert_eq!(attachment_value("AmazonS3ReadOnlyAccess", "aws"), "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess");
/// assert_eq!(attachment_value(" ReadOnlyAccess ", "aws-cn"), "arn:aws-cn:iam::aws:policy/ReadOnlyAccess");
/// assert_eq!(attachment_value("arn:aws:iam::111122223333:policy/x", "aws"), "arn:aws:iam::111122223333:policy/x");
/// assert_eq!(attachment_value("", "aws"), "");
/// ```
pub fn attachment_value(text: &str, partition: &str) -> Value {
    let name = text.trim();
    if name.is_empty() || name.starts_with("arn:") || name.contains(':') {
        Value::String(text.to_owned())
    } else {
        Value::String(format!("arn:{partition}:iam::aws:policy/{name}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::json_field::synced_text;
    use serde_json::json;

    fn shown(own: Option<&str>, current: &Value) -> String {
        synced_text(
            own,
            None,
            Some(current),
            |t| Some(attachment_value(t, "aws")),
            |v| v.and_then(Value::as_str).unwrap_or_default().to_owned(),
        )
    }

    #[test]
    fn a_name_stays_a_name_while_the_design_holds_its_arn() {
        let arn = json!("arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore");
        assert_eq!(
            shown(Some("AmazonSSMManagedInstanceCore"), &arn),
            "AmazonSSMManagedInstanceCore"
        );
        assert_eq!(shown(None, &arn), arn.as_str().unwrap());
        assert_eq!(shown(Some("Other"), &arn), arn.as_str().unwrap());
    }

    #[test]
    fn a_typed_arn_is_kept_as_typed() {
        let typed = "arn:aws:iam::111122223333:policy/team/x";
        assert_eq!(attachment_value(typed, "aws"), json!(typed));
        assert_eq!(shown(Some(typed), &json!(typed)), typed);
    }
}
