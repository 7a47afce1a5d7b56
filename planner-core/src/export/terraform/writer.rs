//! The writer every area shares: addresses of plan resources recorded as referenced, tags,
//! data sources, images, and the text by file.

use std::collections::{BTreeMap, BTreeSet};

use super::addresses::tf_name;
use super::error::{err, TerraformError};
use super::hcl::Expr;
use crate::ids;
use crate::plan::Plan;
use crate::resource::{Ami, Resource, ResourceKind};

/// The data sources a configuration reads.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Data {
    CallerIdentity,
    Partition,
    Region,
    Ssm(String),
}

/// What writing a plan gathers: the addresses, the data sources read, and the text by file.
pub(super) struct Writer<'a> {
    pub(super) plan: &'a Plan,
    pub(super) addrs: BTreeMap<String, String>,
    pub(super) data: BTreeSet<Data>,
    /// Plan ids the resource being written refers to in its attributes.
    pub(super) referenced: BTreeSet<String>,
    /// Chunks of text by file.
    pub(super) out: BTreeMap<&'static str, Vec<String>>,
}

impl Writer<'_> {
    pub(super) fn push(&mut self, file: &'static str, chunk: String) {
        self.out.entry(file).or_default().push(chunk);
    }

    /// `<address>.<attr>` of plan resource `id`, recorded as referenced.
    pub(super) fn r(&mut self, from: &str, id: &str, attr: &str) -> Result<Expr, TerraformError> {
        Ok(Expr::raw(self.reference(from, id, attr)?))
    }

    pub(super) fn reference(
        &mut self,
        from: &str,
        id: &str,
        attr: &str,
    ) -> Result<String, TerraformError> {
        let address = self.addrs.get(id).ok_or_else(|| {
            err(
                from,
                format!("refers to {id}, which has no Terraform resource"),
            )
        })?;
        self.referenced.insert(id.to_owned());
        Ok(format!("{address}.{attr}"))
    }

    pub(super) fn list_of(
        &mut self,
        from: &str,
        ids: &[String],
        attr: &str,
    ) -> Result<Expr, TerraformError> {
        Ok(Expr::List(
            ids.iter()
                .map(|id| self.r(from, id, attr))
                .collect::<Result<_, _>>()?,
        ))
    }

    /// The tags the executor sets on `r`.
    pub(super) fn tags(&self, r: &Resource, name: Option<&str>) -> Expr {
        let mut t = BTreeMap::new();
        t.insert(ids::PLAN_TAG.to_owned(), self.plan.design.name.clone());
        t.insert(ids::ID_TAG.to_owned(), r.id.clone());
        if let Some(n) = name {
            t.insert("Name".to_owned(), n.to_owned());
        }
        if let ResourceKind::RouteTable { tags, .. } = &r.kind {
            t.extend(tags.clone());
        }
        tag_object(t)
    }

    /// The tags the executor sets on an IAM resource: the plan's, its region, and a role's own.
    pub(super) fn iam_tags(&self, r: &Resource, own: &BTreeMap<String, String>) -> Expr {
        let mut t = BTreeMap::new();
        t.insert(ids::PLAN_TAG.to_owned(), self.plan.design.name.clone());
        t.insert(ids::ID_TAG.to_owned(), r.id.clone());
        t.insert(ids::REGION_TAG.to_owned(), self.plan.design.region.clone());
        for (k, v) in own {
            t.entry(k.clone()).or_insert_with(|| v.clone());
        }
        tag_object(t)
    }

    pub(super) fn data_ref(&mut self, d: Data) -> String {
        let s = match &d {
            Data::CallerIdentity => "data.aws_caller_identity.current.account_id".to_owned(),
            Data::Partition => "data.aws_partition.current.partition".to_owned(),
            Data::Region => "data.aws_region.current.region".to_owned(),
            Data::Ssm(p) => format!("data.aws_ssm_parameter.{}.insecure_value", ssm_name(p)),
        };
        self.data.insert(d);
        s
    }

    pub(super) fn ami(&mut self, ami: &Ami) -> Expr {
        match ami {
            Ami::Id(id) => Expr::lit(id.clone()),
            Ami::SsmParameter(p) => Expr::raw(self.data_ref(Data::Ssm(p.clone()))),
        }
    }
}

/// The data source name of SSM parameter `p`: its path without the leading `/`.
pub(super) fn ssm_name(p: &str) -> String {
    tf_name(p.trim_start_matches('/'))
}

pub(super) fn tag_object(t: BTreeMap<String, String>) -> Expr {
    Expr::Object(t.into_iter().map(|(k, v)| (k, Expr::lit(v))).collect())
}

/// The error an area's writer gives a resource of another area; the one dispatch in
/// `resource.rs` never sends it one.
pub(super) fn not_in_area(r: &Resource, area: &str) -> TerraformError {
    err(
        &r.id,
        format!("a {} is not a {area} resource", r.kind.type_name()),
    )
}
