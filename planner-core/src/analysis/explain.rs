//! Why traffic does not get through: a blocking hop ([`Block`]) is our sentence beside the
//! explanation code AWS's Reachability Analyzer gives for the same cause ([`Code`]), so a
//! reader of `executor reach --json` (or of the exposure report and the matrix) can match our
//! answer against an analysis of the deployed VPC.

use std::fmt;

use serde::Serialize;

/// The explanation codes of AWS's Reachability Analyzer that the planner's answers use, with
/// the code's spelling as AWS writes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Code {
    /// A subnet's network ACL drops the traffic or its reply (`SUBNET_ACL_RESTRICTION`).
    SubnetAclRestriction,
    /// No security group rule admits the traffic in or lets it out (`ENI_SG_RULES_MISMATCH`).
    EniSgRulesMismatch,
    /// The route table has no route that gets the traffic there: a tier without a route from
    /// the internet gateway, no route to the internet, or no route for the address family
    /// (`NO_ROUTE_TO_DESTINATION`).
    NoRouteToDestination,
    /// The internet gateway drops traffic to an interface without a public address
    /// (`IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS`).
    IgwPrivateIpAssociationForIngress,
}

impl Code {
    /// AWS's spelling, e.g. `SUBNET_ACL_RESTRICTION`.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::SubnetAclRestriction => "SUBNET_ACL_RESTRICTION",
            Code::EniSgRulesMismatch => "ENI_SG_RULES_MISMATCH",
            Code::NoRouteToDestination => "NO_ROUTE_TO_DESTINATION",
            Code::IgwPrivateIpAssociationForIngress => "IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One hop that blocks the traffic: AWS's explanation code, when one fits, and our sentence.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Block {
    /// AWS's explanation code; `None` where none fits (a group attached to nothing has no
    /// network interface for a path to start or end at).
    pub code: Option<Code>,
    /// What blocks it, e.g. `network ACL data rule 90 denies tcp 5432 from 0.0.0.0/0 into
    /// tier private`.
    pub message: String,
}

impl Block {
    /// A block with `code`.
    pub fn new(code: Code, message: String) -> Block {
        Block {
            code: Some(code),
            message,
        }
    }

    /// A block no AWS code explains.
    pub fn uncoded(message: String) -> Block {
        Block {
            code: None,
            message,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_serialize_as_aws_spells_them() {
        for code in [
            Code::SubnetAclRestriction,
            Code::EniSgRulesMismatch,
            Code::NoRouteToDestination,
            Code::IgwPrivateIpAssociationForIngress,
        ] {
            assert_eq!(
                serde_json::to_value(code).unwrap(),
                serde_json::Value::String(code.as_str().to_owned())
            );
        }
    }
}
