//! What `adopt` tags, checked against the VPC as it is now, and the tagging itself.
//!
//! **Invariant: adopt tags only what the plan describes.** A target is a plan id of the plan
//! whose `imports` entry names a live resource of the imported VPC (or an IAM entity the plan
//! has by that name); a resource another plan owns stops the whole adopt before any tag.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

use aws_sdk_ec2::types::Filter;
use planner_core::ids::{block_tag, PLAN_TAG, VPC_ID};
use planner_core::ResourceKind;

use super::read;
use crate::apply::context::Cx;
use crate::apply::shared::ec2::retag;
use crate::apply::shared::iam::{iam_arn, iam_tags, tags_of};
use crate::apply::shared::pages::all_pages;
use crate::aws_error::one_line;
use crate::cli::Format;
use crate::events::Event;

/// How one target is tagged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum How {
    /// EC2 tags on the resource.
    Ec2,
    /// The block tag on the VPC (a secondary block's association is not taggable).
    VpcBlock {
        vpc: String,
        cidr: String,
    },
    /// IAM tags on a role, a policy (by ARN) or an instance profile.
    Role,
    Policy {
        arn: String,
    },
    Profile,
}

/// One resource to adopt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    /// Its plan id.
    pub id: String,
    /// Its AWS id (or IAM name).
    pub aws_id: String,
    pub how: How,
    /// Its `Name` tag now and the plan's, when they differ.
    pub rename: Option<(String, String)>,
}

/// What `adopt` will do.
#[derive(Debug, Default)]
pub struct Targets {
    /// What it tags.
    pub adopt: Vec<Target>,
    /// Already the plan's.
    pub already: Vec<String>,
    /// `imports` entries it skips, and why.
    pub skipped: Vec<(String, String)>,
}

/// Every tag of EC2 resources `ids`, by resource id.
async fn ec2_tags(
    cx: &Cx,
    ids: &[String],
) -> Result<BTreeMap<String, BTreeMap<String, String>>, String> {
    let mut out: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for chunk in ids.chunks(200) {
        let f = Filter::builder()
            .name("resource-id")
            .set_values(Some(chunk.to_vec()))
            .build();
        let tags = all_pages(|token| {
            let f = f.clone();
            async move {
                let page = cx
                    .aws
                    .ec2(|c| c.describe_tags().filters(f).set_next_token(token).send())
                    .await
                    .map_err(|e| one_line(&e))?;
                Ok::<_, String>((page.tags().to_vec(), page.next_token().map(str::to_owned)))
            }
        })
        .await?;
        for t in tags {
            out.entry(t.resource_id().unwrap_or_default().to_owned())
                .or_default()
                .insert(
                    t.key().unwrap_or_default().to_owned(),
                    t.value().unwrap_or_default().to_owned(),
                );
        }
    }
    Ok(out)
}

/// The live resources of the VPC the plan imports, read again now: every AWS id in it.
fn members(snap: &planner_core::import::Snapshot) -> BTreeSet<String> {
    let mut m: BTreeSet<String> = BTreeSet::new();
    m.insert(snap.vpc.id.clone());
    m.extend(snap.vpc.secondary_cidrs.iter().map(|(_, a)| a.clone()));
    m.extend(snap.subnets.iter().map(|s| s.id.clone()));
    m.extend(snap.route_tables.iter().map(|t| t.id.clone()));
    m.extend(snap.internet_gateway.clone());
    m.extend(snap.egress_only_internet_gateway.clone());
    for n in &snap.nat_gateways {
        m.insert(n.id.clone());
        m.extend(n.allocation_id.clone());
    }
    for g in &snap.security_groups {
        m.insert(g.id.clone());
        m.extend(g.rules.iter().map(|r| r.id.clone()));
    }
    m.extend(snap.network_acls.iter().map(|a| a.id.clone()));
    m.extend(snap.endpoints.iter().map(|e| e.id.clone()));
    m.extend(snap.instances.iter().map(|i| i.id.clone()));
    m
}

/// What `adopt` tags, read from the account now.
pub async fn targets(cx: &Cx) -> Result<Targets, String> {
    let plan = &cx.plan;
    let imports = &plan.design.imports;
    let vpc = imports
        .get(VPC_ID)
        .ok_or_else(|| format!("imports names no {VPC_ID}: nothing to adopt"))?;
    let roles: Vec<String> = plan
        .resources
        .iter()
        .filter_map(|r| match &r.kind {
            ResourceKind::IamRole(role) if imports.get(&r.id) == Some(&role.name) => {
                Some(role.name.clone())
            }
            _ => None,
        })
        .collect();
    let snap = read::snapshot(&cx.aws, vpc, &roles).await?;
    let members = members(&snap);
    let mut out = Targets::default();
    let mut ec2: Vec<(String, String)> = Vec::new();
    for (id, aws_id) in imports {
        let Some(r) = plan.resource(id) else {
            out.skipped
                .push((id.clone(), "the plan no longer has it".to_owned()));
            continue;
        };
        let how = match &r.kind {
            ResourceKind::IamRole(role) if role.name == *aws_id => How::Role,
            ResourceKind::IamPolicy(p) if p.name == *aws_id => How::Policy {
                arn: iam_arn(cx, "policy", &p.path, &p.name),
            },
            ResourceKind::IamInstanceProfile(p) if p.name == *aws_id => How::Profile,
            ResourceKind::IamRole(_)
            | ResourceKind::IamPolicy(_)
            | ResourceKind::IamInstanceProfile(_) => {
                return Err(format!(
                    "imports[{id:?}] is {aws_id:?}, but the plan names it otherwise: adopt tags only what the plan describes"
                ))
            }
            ResourceKind::VpcCidrBlock { cidr_block, .. } => How::VpcBlock {
                vpc: vpc.clone(),
                cidr: cidr_block.to_string(),
            },
            _ => How::Ec2,
        };
        if matches!(how, How::Ec2 | How::VpcBlock { .. }) {
            if !members.contains(aws_id) {
                return Err(format!(
                    "imports[{id:?}] is {aws_id}, which is not in {vpc} (or is gone): adopt tags only what the plan describes"
                ));
            }
            if how == How::Ec2 {
                ec2.push((id.clone(), aws_id.clone()));
            }
        }
        out.adopt.push(Target {
            id: id.clone(),
            aws_id: aws_id.clone(),
            how,
            rename: None,
        });
    }
    // Whose they are now.
    let ids: Vec<String> = ec2.iter().map(|(_, a)| a.clone()).collect();
    let tags = ec2_tags(cx, &ids).await?;
    let mut iam_owner: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for t in &out.adopt {
        let listed = match &t.how {
            How::Role => Some(
                cx.aws
                    .iam(|c| c.list_role_tags().role_name(&t.aws_id).send())
                    .await
                    .map(|o| o.tags().to_vec())
                    .map_err(|e| one_line(&e)),
            ),
            How::Policy { arn } => Some(
                cx.aws
                    .iam(|c| c.get_policy().policy_arn(arn).send())
                    .await
                    .map(|o| o.policy().map(|p| p.tags().to_vec()).unwrap_or_default())
                    .map_err(|e| one_line(&e)),
            ),
            // Read as `GetInstanceProfile` answers them (moto has no `ListInstanceProfileTags`).
            How::Profile => Some(
                cx.aws
                    .iam(|c| {
                        c.get_instance_profile()
                            .instance_profile_name(&t.aws_id)
                            .send()
                    })
                    .await
                    .map(|o| {
                        o.instance_profile()
                            .map(|p| p.tags().to_vec())
                            .unwrap_or_default()
                    })
                    .map_err(|e| one_line(&e)),
            ),
            How::Ec2 | How::VpcBlock { .. } => None,
        };
        if let Some(listed) = listed {
            let listed = listed.map_err(|e| format!("{}: {e}", t.id))?;
            // By plan id: a role and its instance profile often share a name.
            iam_owner.insert(
                t.id.clone(),
                listed
                    .iter()
                    .map(|x| (x.key().to_owned(), x.value().to_owned()))
                    .collect(),
            );
        }
    }
    let name = &plan.design.name;
    let mut keep = Vec::new();
    for mut t in std::mem::take(&mut out.adopt) {
        let now = match &t.how {
            How::Ec2 => tags.get(&t.aws_id),
            How::VpcBlock { .. } => None,
            _ => iam_owner.get(&t.id),
        };
        let owner = now.and_then(|m| m.get(PLAN_TAG));
        if let Some(o) = owner.filter(|o| *o != name) {
            return Err(format!(
                "{} ({}) is plan {o}'s: adopt tags nothing another plan owns",
                t.id, t.aws_id
            ));
        }
        let r = plan.resource(&t.id).expect("checked above");
        let want = match &t.how {
            How::Ec2 => cx.tags_for(r),
            How::VpcBlock { .. } => BTreeMap::new(),
            _ => tags_of(cx, r),
        };
        let now = now.cloned().unwrap_or_default();
        let missing = want.iter().any(|(k, v)| now.get(k) != Some(v));
        if owner.is_some() && !missing {
            out.already.push(t.id);
            continue;
        }
        if let (Some(w), n) = (want.get("Name"), now.get("Name")) {
            if n != Some(w) {
                t.rename = Some((n.cloned().unwrap_or_default(), w.clone()));
            }
        }
        keep.push(t);
    }
    out.adopt = keep;
    Ok(out)
}

/// Prints what `adopt` will tag.
pub fn show(cx: &Cx, t: &Targets, format: Format) {
    match format {
        Format::Json => {
            let adopt: Vec<serde_json::Value> = t
                .adopt
                .iter()
                .map(|a| serde_json::json!({"id": a.id, "aws_id": a.aws_id, "name": a.rename.as_ref().map(|r| &r.1)}))
                .collect();
            let skipped: Vec<serde_json::Value> = t
                .skipped
                .iter()
                .map(|(id, why)| serde_json::json!({"id": id, "why": why}))
                .collect();
            println!(
                "{}",
                serde_json::json!({"event": "adopt", "plan": cx.plan.design.name, "adopt": adopt, "already": t.already, "skipped": skipped})
            );
        }
        Format::Text => {
            let mut out = std::io::stdout().lock();
            let _ = writeln!(
                out,
                "plan {} in {}: {} to adopt, {} already the plan's",
                cx.plan.design.name,
                cx.aws.region,
                t.adopt.len(),
                t.already.len()
            );
            for a in &t.adopt {
                let rename = a
                    .rename
                    .as_ref()
                    .map(|(from, to)| format!(" (Name {from:?} → {to:?})"))
                    .unwrap_or_default();
                let _ = writeln!(out, "  ⇐ {} {}{rename}", a.id, a.aws_id);
            }
            for (id, why) in &t.skipped {
                let _ = writeln!(out, "  skipped {id}: {why}");
            }
        }
    }
}

/// Tags every target as the plan's, one call each; the first failure stops it.
pub async fn tag(cx: &Cx, t: &Targets) -> Result<(), String> {
    for a in &t.adopt {
        let r = cx.plan.resource(&a.id).expect("targets are plan ids");
        let done = match &a.how {
            How::Ec2 => retag(cx, r, &a.aws_id).await.map_err(|e| e.to_string()),
            How::VpcBlock { vpc, cidr } => {
                let tag = aws_sdk_ec2::types::Tag::builder()
                    .key(block_tag(cidr))
                    .value(&a.id)
                    .build();
                cx.aws
                    .ec2(|c| c.create_tags().resources(vpc).tags(tag).send())
                    .await
                    .map(|_| ())
                    .map_err(|e| one_line(&e))
            }
            How::Role => cx
                .aws
                .iam(|c| {
                    c.tag_role()
                        .role_name(&a.aws_id)
                        .set_tags(Some(iam_tags(&tags_of(cx, r))))
                        .send()
                })
                .await
                .map(|_| ())
                .map_err(|e| one_line(&e)),
            How::Policy { arn } => cx
                .aws
                .iam(|c| {
                    c.tag_policy()
                        .policy_arn(arn)
                        .set_tags(Some(iam_tags(&tags_of(cx, r))))
                        .send()
                })
                .await
                .map(|_| ())
                .map_err(|e| one_line(&e)),
            How::Profile => cx
                .aws
                .iam(|c| {
                    c.tag_instance_profile()
                        .instance_profile_name(&a.aws_id)
                        .set_tags(Some(iam_tags(&tags_of(cx, r))))
                        .send()
                })
                .await
                .map(|_| ())
                .map_err(|e| one_line(&e)),
        };
        done.map_err(|e| format!("{} ({}): {e}", a.id, a.aws_id))?;
        cx.events.event(Event::Note {
            message: format!("adopted {} ({})", a.id, a.aws_id),
        });
    }
    Ok(())
}
