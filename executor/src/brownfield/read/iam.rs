//! The roles `import --roles` names, their inline and customer managed policies, and the
//! instance profiles that hold them.

use planner_core::import::snapshot::{LiveInstanceProfile, LivePolicy, LiveRole};

use crate::apply::shared::iam_document::percent_decode;
use crate::aws::Aws;
use crate::aws_error::one_line;

/// A document as IAM returns it (URL-encoded JSON).
fn decoded(text: &str) -> String {
    percent_decode(text).unwrap_or_else(|| text.to_owned())
}

type IamPart = (Vec<LiveRole>, Vec<LivePolicy>, Vec<LiveInstanceProfile>);

pub(super) async fn iam(aws: &Aws, names: &[String]) -> Result<IamPart, String> {
    let mut roles = Vec::new();
    let mut policies: Vec<LivePolicy> = Vec::new();
    let mut profiles: Vec<LiveInstanceProfile> = Vec::new();
    for name in names {
        let got = aws
            .iam(|c| c.get_role().role_name(name).send())
            .await
            .map_err(|e| {
                if aws_sdk_iam::error::ProvideErrorMetadata::code(&e) == Some("NoSuchEntity") {
                    format!("there is no role {name} (--roles names roles of this account)")
                } else {
                    one_line(&e)
                }
            })?;
        let r = got
            .role()
            .ok_or_else(|| format!("IAM answered no role {name}"))?;
        let (tags, inline_names, attached, held_by) = tokio::join!(
            aws.iam(|c| c.list_role_tags().role_name(name).send()),
            aws.iam(|c| c.list_role_policies().role_name(name).send()),
            aws.iam(|c| c.list_attached_role_policies().role_name(name).send()),
            aws.iam(|c| c.list_instance_profiles_for_role().role_name(name).send()),
        );
        let tags = tags.map_err(|e| one_line(&e))?;
        let mut inline = Vec::new();
        for p in inline_names.map_err(|e| one_line(&e))?.policy_names() {
            let doc = aws
                .iam(|c| c.get_role_policy().role_name(name).policy_name(p).send())
                .await
                .map_err(|e| one_line(&e))?;
            inline.push((p.clone(), decoded(doc.policy_document())));
        }
        let attached: Vec<String> = attached
            .map_err(|e| one_line(&e))?
            .attached_policies()
            .iter()
            .filter_map(|p| p.policy_arn().map(str::to_owned))
            .collect();
        for arn in attached.iter().filter(|a| !a.contains(":iam::aws:policy/")) {
            if policies.iter().any(|p| p.arn == *arn) {
                continue;
            }
            let p = aws
                .iam(|c| c.get_policy().policy_arn(arn).send())
                .await
                .map_err(|e| one_line(&e))?;
            let Some(p) = p.policy() else { continue };
            let version = aws
                .iam(|c| {
                    c.get_policy_version()
                        .policy_arn(arn)
                        .version_id(p.default_version_id().unwrap_or("v1"))
                        .send()
                })
                .await
                .map_err(|e| one_line(&e))?;
            policies.push(LivePolicy {
                arn: arn.clone(),
                name: p.policy_name().unwrap_or_default().to_owned(),
                path: p.path().unwrap_or("/").to_owned(),
                description: p.description().unwrap_or_default().to_owned(),
                document: decoded(
                    version
                        .policy_version()
                        .and_then(|v| v.document())
                        .unwrap_or_default(),
                ),
            });
        }
        for ip in held_by.map_err(|e| one_line(&e))?.instance_profiles() {
            if profiles
                .iter()
                .any(|p| p.name == ip.instance_profile_name())
            {
                continue;
            }
            profiles.push(LiveInstanceProfile {
                name: ip.instance_profile_name().to_owned(),
                path: ip.path().to_owned(),
                roles: ip
                    .roles()
                    .iter()
                    .map(|r| r.role_name().to_owned())
                    .collect(),
            });
        }
        roles.push(LiveRole {
            name: r.role_name().to_owned(),
            path: r.path().to_owned(),
            description: r.description().unwrap_or_default().to_owned(),
            trust_policy: decoded(r.assume_role_policy_document().unwrap_or_default()),
            inline_policies: inline,
            managed_policies: attached,
            max_session_duration: r.max_session_duration().and_then(|d| u32::try_from(d).ok()),
            tags: tags
                .tags()
                .iter()
                .map(|t| (t.key().to_owned(), t.value().to_owned()))
                .collect(),
        });
    }
    Ok((roles, policies, profiles))
}
