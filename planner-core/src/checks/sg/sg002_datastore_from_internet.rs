//! ## What it does
//! Flags database and cache ports admitted from the internet: MySQL 3306, PostgreSQL 5432,
//! SQL Server 1433, Redis 6379, Elasticsearch 9200, MongoDB 27017, Memcached 11211.
//!
//! ## Why is this bad?
//! Data stores are built to sit behind an application. Exposed ones are found by scanners and
//! emptied or ransomed; Memcached and Redis have no authentication by default.
//!
//! ## Example
//! ```json
//! {"name": "db", "ingress": [{"protocol": "tcp", "ports": 5432, "peer": "internet"}]}
//! ```
//! Admit 5432 from the application's group: `{"group": "ecs"}`.

use super::context::{internet_ingress, Context};
use crate::design::sg::{PortRange, Protocol};
use crate::diag::CheckInfo;
use crate::diag::{Diagnostic, Severity};

pub(crate) const INFO: CheckInfo = CheckInfo {
    code: "SG002",
    name: "datastore-from-internet",
    severity: Severity::Warning,
    summary: "a database or cache port admitted from the internet",
};

const PORTS: [(u16, &str); 7] = [
    (3306, "MySQL"),
    (5432, "PostgreSQL"),
    (1433, "SQL Server"),
    (6379, "Redis"),
    (9200, "Elasticsearch"),
    (27017, "MongoDB"),
    (11211, "Memcached"),
];

pub(crate) fn check(cx: &Context, out: &mut Vec<Diagnostic>) {
    for (gi, e) in internet_ingress(cx) {
        // Every port or protocol at once is SG003's finding.
        if e.protocol == Protocol::All || e.ports == PortRange::ALL {
            continue;
        }
        let open: Vec<String> = PORTS
            .iter()
            .filter(|(p, _)| e.admits(e.protocol, Some(*p)) && e.protocol != Protocol::Icmp)
            .map(|(p, what)| format!("{what} {p}"))
            .collect();
        if !open.is_empty() {
            out.push(Diagnostic::new(
                INFO.code,
                Severity::Warning,
                e.path.clone(),
                format!(
                    "group {} admits {} from {}: admit data store ports only from the groups that use them",
                    cx.graph.groups[gi].name,
                    open.join(", "),
                    cx.graph.describe_peer(gi, &e.origin)
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::sg::test_support::findings;

    #[test]
    fn postgres_from_anywhere() {
        let d = findings(
            r#"[{"name": "db", "description": "d", "attached_to": [{"role": "database", "tier": "private"}],
                "ingress": [{"protocol": "tcp", "ports": "5000-6000", "peer": {"cidr": "0.0.0.0/0"}}]}]"#,
            "SG002",
        );
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("PostgreSQL 5432"));
    }

    #[test]
    fn quiet_when_only_the_vpc_is_admitted() {
        let d = findings(
            r#"[{"name": "db", "description": "d", "attached_to": [{"role": "database", "tier": "private"}],
                "ingress": [{"protocol": "tcp", "ports": 5432, "peer": "vpc"}]}]"#,
            "SG002",
        );
        assert!(d.is_empty());
    }
}
