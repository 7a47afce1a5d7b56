//! [`Lookup`] reading the account from moto directly (not through the proxy, so the reads are
//! not recorded), blocking: meant for a [`crate::proxy::Proxy::on_call`] hook, which runs
//! off the proxy's thread while the call waits.

use aws_sdk_ec2::types::Filter;

use super::model::{IamEntity, Lookup, Tags};

/// The account in moto, read on demand.
pub struct MotoState {
    /// Taken out on drop, to be shut down without blocking wherever the drop happens.
    runtime: Option<tokio::runtime::Runtime>,
    ec2: aws_sdk_ec2::Client,
    iam: aws_sdk_iam::Client,
    logs: aws_sdk_cloudwatchlogs::Client,
    autoscaling: aws_sdk_autoscaling::Client,
}

impl MotoState {
    /// Clients for moto at `endpoint` (`http://127.0.0.1:PORT`).
    pub fn new(endpoint: &str) -> MotoState {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("a runtime for reading moto");
        let config = runtime.block_on(crate::account::sdk_config(endpoint));
        MotoState {
            ec2: aws_sdk_ec2::Client::new(&config),
            iam: aws_sdk_iam::Client::new(&config),
            logs: aws_sdk_cloudwatchlogs::Client::new(&config),
            autoscaling: aws_sdk_autoscaling::Client::new(&config),
            runtime: Some(runtime),
        }
    }

    fn block_on<F: std::future::Future>(&self, f: F) -> F::Output {
        self.runtime.as_ref().expect("not dropped yet").block_on(f)
    }
}

impl Drop for MotoState {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

fn iam_tags(tags: &[aws_sdk_iam::types::Tag]) -> Tags {
    tags.iter()
        .map(|t| (t.key().to_owned(), t.value().to_owned()))
        .collect()
}

impl Lookup for MotoState {
    fn ec2_tags(&self, id: &str) -> Tags {
        let filter = Filter::builder().name("resource-id").values(id).build();
        let out = self.block_on(self.ec2.describe_tags().filters(filter).send());
        out.map(|o| {
            o.tags()
                .iter()
                .filter(|t| t.resource_id() == Some(id))
                .filter_map(|t| Some((t.key()?.to_owned(), t.value()?.to_owned())))
                .collect()
        })
        .unwrap_or_default()
    }

    fn association(&self, id: &str) -> Option<String> {
        self.block_on(async {
            if id.starts_with("rtbassoc-") {
                let out = self.ec2.describe_route_tables().send().await.ok()?;
                return out.route_tables().iter().find_map(|t| {
                    t.associations()
                        .iter()
                        .any(|a| a.route_table_association_id() == Some(id))
                        .then(|| t.route_table_id().map(str::to_owned))?
                });
            }
            if id.starts_with("aclassoc-") {
                let out = self.ec2.describe_network_acls().send().await.ok()?;
                return out.network_acls().iter().find_map(|acl| {
                    acl.associations()
                        .iter()
                        .find(|a| a.network_acl_association_id() == Some(id))
                        .and_then(|a| a.subnet_id().map(str::to_owned))
                });
            }
            if id.starts_with("subnet-cidr-assoc-") {
                let out = self.ec2.describe_subnets().send().await.ok()?;
                return out.subnets().iter().find_map(|s| {
                    s.ipv6_cidr_block_association_set()
                        .iter()
                        .any(|a| a.association_id() == Some(id))
                        .then(|| s.subnet_id().map(str::to_owned))?
                });
            }
            let out = self.ec2.describe_vpcs().send().await.ok()?;
            out.vpcs().iter().find_map(|v| {
                let v6 = v
                    .ipv6_cidr_block_association_set()
                    .iter()
                    .any(|a| a.association_id() == Some(id));
                let v4 = v
                    .cidr_block_association_set()
                    .iter()
                    .any(|a| a.association_id() == Some(id));
                (v6 || v4).then(|| v.vpc_id().map(str::to_owned))?
            })
        })
    }

    fn role(&self, name: &str) -> Option<IamEntity> {
        self.block_on(async {
            let role = self.iam.get_role().role_name(name).send().await.ok()?;
            let role = role.role()?;
            let tags = self
                .iam
                .list_role_tags()
                .role_name(name)
                .send()
                .await
                .ok()?;
            Some(IamEntity {
                arn: role.arn().to_owned(),
                tags: iam_tags(tags.tags()),
                roles: Vec::new(),
            })
        })
    }

    fn instance_profile(&self, name: &str) -> Option<IamEntity> {
        self.block_on(async {
            let out = self
                .iam
                .get_instance_profile()
                .instance_profile_name(name)
                .send()
                .await
                .ok()?;
            let p = out.instance_profile()?;
            Some(IamEntity {
                arn: p.arn().to_owned(),
                tags: iam_tags(p.tags()),
                roles: p.roles().iter().map(|r| r.role_name().to_owned()).collect(),
            })
        })
    }

    fn policy_tags(&self, arn: &str) -> Tags {
        let out = self.block_on(self.iam.list_policy_tags().policy_arn(arn).send());
        out.map(|o| iam_tags(o.tags())).unwrap_or_default()
    }

    fn launch_template_profile(&self, id: &str) -> Option<String> {
        self.block_on(async {
            let out = self
                .ec2
                .describe_launch_template_versions()
                .launch_template_id(id)
                .versions("$Latest")
                .send()
                .await
                .ok()?;
            let data = out
                .launch_template_versions()
                .first()?
                .launch_template_data()?;
            let profile = data.iam_instance_profile()?;
            profile.name().or(profile.arn()).map(str::to_owned)
        })
    }

    fn log_group_tags(&self, name: &str) -> Tags {
        self.block_on(async {
            let groups = self
                .logs
                .describe_log_groups()
                .log_group_name_prefix(name)
                .send()
                .await
                .ok();
            let arn = groups.and_then(|g| {
                g.log_groups()
                    .iter()
                    .find(|g| g.log_group_name() == Some(name))
                    .and_then(|g| g.arn().map(|a| a.trim_end_matches(":*").to_owned()))
            });
            let Some(arn) = arn else {
                return Tags::new();
            };
            let out = self
                .logs
                .list_tags_for_resource()
                .resource_arn(arn)
                .send()
                .await;
            out.ok()
                .and_then(|o| o.tags().cloned())
                .map(|t| t.into_iter().collect())
                .unwrap_or_default()
        })
    }

    fn autoscaling_group_tags(&self, name: &str) -> Tags {
        self.block_on(async {
            let out = self
                .autoscaling
                .describe_auto_scaling_groups()
                .auto_scaling_group_names(name)
                .send()
                .await
                .ok();
            out.and_then(|o| {
                o.auto_scaling_groups().first().map(|g| {
                    g.tags()
                        .iter()
                        .filter_map(|t| Some((t.key()?.to_owned(), t.value()?.to_owned())))
                        .collect()
                })
            })
            .unwrap_or_default()
        })
    }
}
