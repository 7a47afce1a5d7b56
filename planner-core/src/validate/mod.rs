//! The rules serde cannot express, above the model they judge: [`Design::check`] runs the
//! network's, the network ACLs', the endpoints' and flow log's, the security groups', the
//! instances' and IAM's, and returns the first broken one with its JSON path. Findings a plan
//! can live with are `checks`, not these.

pub(crate) mod acl;
pub(crate) mod endpoint;
pub(crate) mod iam;
pub(crate) mod instances;
pub(crate) mod network;
pub(crate) mod sg;

use crate::design::network::Design;
use crate::error::InputError;

impl Design {
    /// Rules serde cannot express. The first broken one is returned with its JSON path.
    pub fn check(&self) -> Result<(), InputError> {
        network::check(self)?;
        acl::check(self)?;
        endpoint::check(self)?;
        sg::check(self)?;
        instances::check(self)?;
        iam::check(self)
    }
}
