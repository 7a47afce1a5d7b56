//! IAM privilege escalation, by principal: a catalogue of the known paths (Rhino Security
//! Labs' methods as parliament checks them, and the newer ones of the public catalogues:
//! SSM, EC2 Instance Connect, SageMaker, CodeBuild, CloudFormation updates), each a list of
//! steps (an action on a kind of resource), and their evaluation against every policy a
//! principal holds together, with IAM's own rules ([`super::iam_eval`]): a `Deny` cancels,
//! resources and conditions count, so a path split over two policies of one role is found and
//! one an account cannot use (`iam:CreatePolicyVersion` on AWS managed policies only) is not.
//!
//! Each step is asked of a stand-in resource of its kind in the principal's account: another
//! role (`role/escalation-target`), an instance, a function, a stack… A policy that grants
//! the step on every such resource (a wildcard) grants it on the stand-in; one that names its
//! own resources exactly does not, and is taken as meant.

use serde_json::Value;

use super::iam_eval::{evaluate, Decision, Request};

/// What a step acts on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// The principal's own role.
    Own,
    /// Another role of the account, passed to `service` (`iam:PassedToService`), or just acted
    /// on when `None`.
    Role(Option<&'static str>),
    /// A customer managed policy of the account (AWS managed ones cannot be changed).
    CustomerPolicy,
    /// An IAM user of the account.
    User,
    /// An IAM group of the account.
    Group,
    /// A resource of a service in the principal's region and account: `(service, resource
    /// part)`, e.g. `("ec2", "instance/i-0escalation")`.
    Resource(&'static str, &'static str),
    /// An AWS-owned resource of a service in the region (`ssm`, `document/AWS-RunShellScript`).
    AwsOwned(&'static str, &'static str),
}

/// One step: an action on a target.
#[derive(Clone, Copy, Debug)]
pub struct Step {
    /// `service:Action`.
    pub action: &'static str,
    /// What it acts on.
    pub target: Target,
}

/// One way to escalate.
#[derive(Clone, Copy, Debug)]
pub struct Path {
    /// Its name, e.g. `PassRole to EC2`.
    pub name: &'static str,
    /// Every step it needs.
    pub steps: &'static [Step],
    /// Why it escalates.
    pub why: &'static str,
}

const fn s(action: &'static str, target: Target) -> Step {
    Step { action, target }
}

use Target::{AwsOwned, CustomerPolicy, Group, Own, Resource, Role, User};

/// The catalogue.
pub const PATHS: &[Path] = &[
    Path { name: "new policy version", steps: &[s("iam:CreatePolicyVersion", CustomerPolicy)], why: "writes a new default version of a customer managed policy, its own included, granting anything" },
    Path { name: "default policy version", steps: &[s("iam:SetDefaultPolicyVersion", CustomerPolicy)], why: "makes an older, broader version of a customer managed policy the one in force" },
    Path { name: "attach a policy to itself", steps: &[s("iam:AttachRolePolicy", Own)], why: "attaches AdministratorAccess to its own role" },
    Path { name: "inline policy on itself", steps: &[s("iam:PutRolePolicy", Own)], why: "writes itself an inline policy granting anything" },
    Path { name: "rewrite another role's trust", steps: &[s("iam:UpdateAssumeRolePolicy", Role(None))], why: "lets itself assume a more powerful role" },
    Path { name: "attach a policy to a user", steps: &[s("iam:AttachUserPolicy", User)], why: "gives a user it controls any managed policy" },
    Path { name: "inline policy on a user", steps: &[s("iam:PutUserPolicy", User)], why: "gives a user it controls any permission" },
    Path { name: "attach a policy to a group", steps: &[s("iam:AttachGroupPolicy", Group)], why: "gives a group, and its users, any managed policy" },
    Path { name: "inline policy on a group", steps: &[s("iam:PutGroupPolicy", Group)], why: "gives a group, and its users, any permission" },
    Path { name: "join a group", steps: &[s("iam:AddUserToGroup", Group)], why: "puts a user it controls in a more powerful group" },
    Path { name: "access keys for a user", steps: &[s("iam:CreateAccessKey", User)], why: "mints credentials of a more powerful user" },
    Path { name: "console password for a user", steps: &[s("iam:CreateLoginProfile", User)], why: "signs in as a more powerful user" },
    Path { name: "reset a user's password", steps: &[s("iam:UpdateLoginProfile", User)], why: "signs in as a more powerful user" },
    Path { name: "replace a function's code", steps: &[s("lambda:UpdateFunctionCode", Resource("lambda", "function:escalation-target"))], why: "runs its code with the function's role" },
    Path { name: "update a Glue dev endpoint", steps: &[s("glue:UpdateDevEndpoint", Resource("glue", "devEndpoint/escalation-target"))], why: "logs in to an endpoint that runs with a role" },
    Path { name: "PassRole to EC2", steps: &[s("iam:PassRole", Role(Some("ec2.amazonaws.com"))), s("ec2:RunInstances", Resource("ec2", "instance/*"))], why: "launches an instance with a more powerful role and uses its credentials" },
    Path { name: "PassRole to a running instance", steps: &[s("iam:PassRole", Role(Some("ec2.amazonaws.com"))), s("ec2:AssociateIamInstanceProfile", Resource("ec2", "instance/i-0escalation"))], why: "gives an instance it controls a more powerful role" },
    Path { name: "PassRole to Lambda, invoked", steps: &[s("iam:PassRole", Role(Some("lambda.amazonaws.com"))), s("lambda:CreateFunction", Resource("lambda", "function:escalation-target")), s("lambda:InvokeFunction", Resource("lambda", "function:escalation-target"))], why: "runs its code as a more powerful role" },
    Path { name: "PassRole to Lambda, by an event source", steps: &[s("iam:PassRole", Role(Some("lambda.amazonaws.com"))), s("lambda:CreateFunction", Resource("lambda", "function:escalation-target")), s("lambda:CreateEventSourceMapping", Resource("lambda", "event-source-mapping:escalation-target"))], why: "runs its code as a more powerful role" },
    Path { name: "PassRole to a Glue dev endpoint", steps: &[s("iam:PassRole", Role(Some("glue.amazonaws.com"))), s("glue:CreateDevEndpoint", Resource("glue", "devEndpoint/escalation-target"))], why: "logs in to an endpoint running as a more powerful role" },
    Path { name: "PassRole to CloudFormation", steps: &[s("iam:PassRole", Role(Some("cloudformation.amazonaws.com"))), s("cloudformation:CreateStack", Resource("cloudformation", "stack/escalation-target/*"))], why: "has a stack with a more powerful role create anything" },
    Path { name: "update a stack that runs with a role", steps: &[s("cloudformation:UpdateStack", Resource("cloudformation", "stack/escalation-target/*"))], why: "has a stack's service role change anything the role may" },
    Path { name: "PassRole to Data Pipeline", steps: &[s("iam:PassRole", Role(Some("datapipeline.amazonaws.com"))), s("datapipeline:CreatePipeline", Resource("datapipeline", "pipeline/escalation-target")), s("datapipeline:PutPipelineDefinition", Resource("datapipeline", "pipeline/escalation-target"))], why: "runs commands as a more powerful role" },
    Path { name: "PassRole to an ECS task", steps: &[s("iam:PassRole", Role(Some("ecs-tasks.amazonaws.com"))), s("ecs:RegisterTaskDefinition", Resource("ecs", "task-definition/escalation-target:1")), s("ecs:RunTask", Resource("ecs", "task-definition/escalation-target:1"))], why: "runs a container as a more powerful role" },
    Path { name: "SSM command on an instance", steps: &[s("ssm:SendCommand", Resource("ec2", "instance/i-0escalation")), s("ssm:SendCommand", AwsOwned("ssm", "document/AWS-RunShellScript"))], why: "runs commands on an instance and takes the credentials of the role it carries" },
    Path { name: "SSM session on an instance", steps: &[s("ssm:StartSession", Resource("ec2", "instance/i-0escalation"))], why: "opens a shell on an instance and takes the credentials of the role it carries" },
    Path { name: "EC2 Instance Connect", steps: &[s("ec2-instance-connect:SendSSHPublicKey", Resource("ec2", "instance/i-0escalation"))], why: "logs in to an instance over SSH and takes the credentials of the role it carries" },
    Path { name: "PassRole to a SageMaker notebook", steps: &[s("iam:PassRole", Role(Some("sagemaker.amazonaws.com"))), s("sagemaker:CreateNotebookInstance", Resource("sagemaker", "notebook-instance/escalation-target")), s("sagemaker:CreatePresignedNotebookInstanceUrl", Resource("sagemaker", "notebook-instance/escalation-target"))], why: "opens a notebook running as a more powerful role" },
    Path { name: "SageMaker notebook URL", steps: &[s("sagemaker:CreatePresignedNotebookInstanceUrl", Resource("sagemaker", "notebook-instance/escalation-target"))], why: "opens an existing notebook and acts with its role" },
    Path { name: "PassRole to a SageMaker processing job", steps: &[s("iam:PassRole", Role(Some("sagemaker.amazonaws.com"))), s("sagemaker:CreateProcessingJob", Resource("sagemaker", "processing-job/escalation-target"))], why: "runs a container as a more powerful role" },
    Path { name: "PassRole to a SageMaker training job", steps: &[s("iam:PassRole", Role(Some("sagemaker.amazonaws.com"))), s("sagemaker:CreateTrainingJob", Resource("sagemaker", "training-job/escalation-target"))], why: "runs a container as a more powerful role" },
    Path { name: "PassRole to CodeBuild", steps: &[s("iam:PassRole", Role(Some("codebuild.amazonaws.com"))), s("codebuild:CreateProject", Resource("codebuild", "project/escalation-target")), s("codebuild:StartBuild", Resource("codebuild", "project/escalation-target"))], why: "runs a build as a more powerful role" },
];

/// Where a principal is: what stand-in ARNs are built from.
#[derive(Clone, Debug)]
pub struct Principal {
    /// The principal's own role ARN (a stand-in one for a policy no role holds).
    pub role_arn: String,
    /// The role a path passes or acts on: a stand-in for any other role of the account
    /// (`None`), or one role by ARN.
    pub other_role: Option<String>,
    /// Its partition, region and account.
    pub partition: String,
    pub region: String,
    pub account: String,
}

impl Principal {
    /// The request a step makes.
    fn request(&self, step: &Step) -> Request {
        let (p, r, a) = (&self.partition, &self.region, &self.account);
        let iam = |what: &str| format!("arn:{p}:iam::{a}:{what}");
        let (resource, passed) = match step.target {
            Own => (self.role_arn.clone(), None),
            Role(to) => (
                self.other_role
                    .clone()
                    .unwrap_or_else(|| iam("role/escalation-target")),
                to,
            ),
            CustomerPolicy => (iam("policy/escalation-target"), None),
            User => (iam("user/escalation-target"), None),
            Group => (iam("group/escalation-target"), None),
            Resource(service, part) => (format!("arn:{p}:{service}:{r}:{a}:{part}"), None),
            AwsOwned(service, part) => (format!("arn:{p}:{service}:{r}::{part}"), None),
        };
        let request = Request::new(step.action, resource).with("aws:RequestedRegion", &[r]);
        match passed {
            Some(service) => request.with("iam:PassedToService", &[service]),
            None => request,
        }
    }
}

/// The paths `policies` (every identity policy of one principal, rendered) open.
pub fn paths(policies: &[&Value], who: &Principal) -> Vec<&'static Path> {
    PATHS
        .iter()
        .filter(|path| {
            path.steps
                .iter()
                .all(|step| evaluate(policies, &who.request(step)) == Decision::Allowed)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn who() -> Principal {
        Principal {
            role_arn: "arn:aws:iam::123456789012:role/app".into(),
            other_role: None,
            partition: "aws".into(),
            region: "us-east-1".into(),
            account: "123456789012".into(),
        }
    }

    fn names(docs: &[Value]) -> Vec<&'static str> {
        let refs: Vec<&Value> = docs.iter().collect();
        paths(&refs, &who()).iter().map(|p| p.name).collect()
    }

    #[test]
    fn a_path_split_over_two_policies_is_found() {
        let pass =
            json!({"Statement": {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}});
        let run = json!({"Statement": {"Effect": "Allow", "Action": "ec2:RunInstances", "Resource": "*"}});
        assert_eq!(names(std::slice::from_ref(&pass)), Vec::<&str>::new());
        assert_eq!(names(&[pass, run]), ["PassRole to EC2"]);
    }

    #[test]
    fn a_deny_or_a_resource_constraint_closes_a_path() {
        let all = json!({"Statement": [
            {"Effect": "Allow", "Action": ["iam:PassRole", "ec2:RunInstances"], "Resource": "*"},
            {"Effect": "Deny", "Action": "iam:PassRole", "Resource": "*"}]});
        assert_eq!(names(&[all]), Vec::<&str>::new());
        let scoped = json!({"Statement": [
            {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::123456789012:role/web"},
            {"Effect": "Allow", "Action": "ec2:RunInstances", "Resource": "*"}]});
        assert_eq!(names(std::slice::from_ref(&scoped)), Vec::<&str>::new());
        let web = Principal {
            other_role: Some("arn:aws:iam::123456789012:role/web".into()),
            ..who()
        };
        let named: Vec<&str> = paths(&[&scoped], &web).iter().map(|p| p.name).collect();
        assert_eq!(named, ["PassRole to EC2"], "passing the one role it names");
        let managed_only = json!({"Statement": {"Effect": "Allow", "Action": "iam:CreatePolicyVersion",
            "Resource": "arn:aws:iam::aws:policy/*"}});
        assert_eq!(names(&[managed_only]), Vec::<&str>::new());
        let other_service = json!({"Statement": [
            {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*",
             "Condition": {"StringEquals": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}}},
            {"Effect": "Allow", "Action": "ec2:RunInstances", "Resource": "*"}]});
        assert_eq!(names(&[other_service]), Vec::<&str>::new());
    }

    #[test]
    fn the_newer_paths_are_known() {
        let ssm = json!({"Statement": {"Effect": "Allow", "Action": ["ssm:SendCommand", "ssm:StartSession"], "Resource": "*"}});
        assert_eq!(
            names(&[ssm]),
            ["SSM command on an instance", "SSM session on an instance"]
        );
        let build = json!({"Statement": {"Effect": "Allow", "Action": ["iam:PassRole", "codebuild:CreateProject", "codebuild:StartBuild"], "Resource": "*"}});
        assert_eq!(names(&[build]), ["PassRole to CodeBuild"]);
        let own = json!({"Statement": {"Effect": "Allow", "Action": "iam:PutRolePolicy", "Resource": "arn:aws:iam::123456789012:role/app"}});
        assert_eq!(names(&[own]), ["inline policy on itself"]);
    }
}
