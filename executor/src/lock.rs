//! The plan's lock, so that two runs of one plan never apply it at once (which duplicated
//! every resource: two VPCs, twice the subnets).
//!
//! The lock is one SSM parameter per plan and region, `planner_core::ids::lock_parameter`,
//! created by `PutParameter` without overwrite: AWS refuses it with `ParameterAlreadyExists`
//! when the parameter exists, so creating it is an atomic create-if-absent. Its value says who
//! took it, when and for what. `run` and `destroy` take it after the user said yes and before
//! their first mutating call, and release it at the end, after a failure or Ctrl-C too, if it
//! still names them (one forced open and retaken meanwhile is the new holder's). A lock whose
//! holder is gone (killed, crashed) stays until `--force-unlock` deletes it, as Terraform's
//! `force-unlock` does. The executor's derived policy grants exactly these calls
//! on this parameter.

use std::time::SystemTime;

use aws_sdk_ssm::types::ParameterType;
use aws_smithy_types::date_time::Format;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use aws_smithy_types::DateTime;
use serde::{Deserialize, Serialize};

use crate::aws::Aws;
use crate::aws_error::one_line;

/// What the lock says about its holder.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Holder {
    /// Who: the caller's ARN, process id and host.
    pub holder: String,
    /// Since when (RFC 3339, UTC).
    pub since: String,
    /// The plan's name.
    pub plan: String,
    /// The command that holds it (`run`, `destroy`).
    pub command: String,
}

impl Holder {
    /// This process, as `caller` (an ARN), running `command` on `plan`, from now.
    pub fn this_process(caller: &str, plan: &str, command: &str) -> Holder {
        let now = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Holder {
            holder: format!("{caller} (pid {} on {})", std::process::id(), host()),
            since: stamp(&DateTime::from_secs(i64::try_from(now).unwrap_or(0))),
            plan: plan.to_owned(),
            command: command.to_owned(),
        }
    }
}

/// The machine's name, for telling people where the holder runs.
fn host() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "an unknown host".to_owned())
}

fn stamp(t: &DateTime) -> String {
    t.fmt(Format::DateTime)
        .unwrap_or_else(|_| t.secs().to_string())
}

/// A lock this process holds; [`Lock::release`] gives it back.
pub struct Lock {
    aws: Aws,
    name: String,
    /// What this process wrote into it: released only while it still says so.
    me: Holder,
}

/// The lock's parameter in `aws`'s region, for messages.
fn place(aws: &Aws, name: &str) -> String {
    format!("SSM parameter {name} in {}", aws.region)
}

/// Takes the lock of `plan` for `me`, or says who holds it, since when, and how to force it.
pub async fn acquire(aws: &Aws, plan: &str, me: &Holder) -> Result<Lock, String> {
    let name = planner_core::ids::lock_parameter(plan);
    let value = serde_json::to_string(me).expect("a holder serializes");
    // Twice: the holder may release it between our create and our read.
    for _ in 0..2 {
        let put = aws
            .ssm(|c| {
                c.put_parameter()
                    .name(&name)
                    .value(&value)
                    .r#type(ParameterType::String)
                    .overwrite(false)
                    .description("vpc-planner: held while a run or destroy applies this plan")
                    .send()
            })
            .await;
        match put {
            Ok(_) => {
                return Ok(Lock {
                    aws: aws.clone(),
                    name,
                    me: me.clone(),
                })
            }
            Err(e) if e.code() == Some("ParameterAlreadyExists") => {}
            Err(e) => {
                return Err(format!(
                    "cannot take the lock ({}): {}",
                    place(aws, &name),
                    one_line(&e)
                ))
            }
        }
        if let Some(held) = read(aws, &name).await? {
            return Err(format!(
                "plan {plan} is locked by {held}: another run or destroy is applying it; \
                 if that one is gone (killed, crashed), run again with --force-unlock ({})",
                place(aws, &name)
            ));
        }
    }
    Err(format!(
        "cannot take the lock ({}): it is taken and released over and over",
        place(aws, &name)
    ))
}

/// Who holds the lock `name`: `holder (command) since time`; `None` when nobody does.
async fn read(aws: &Aws, name: &str) -> Result<Option<String>, String> {
    Ok(read_holder(aws, name).await?.map(|(_, said)| said))
}

/// The lock `name`'s holder as written (when it is the executor's) and as said in messages;
/// `None` when nobody holds it.
async fn read_holder(aws: &Aws, name: &str) -> Result<Option<(Option<Holder>, String)>, String> {
    let got = aws.ssm(|c| c.get_parameter().name(name).send()).await;
    let parameter = match got {
        Ok(out) => out.parameter,
        Err(e) if e.code() == Some("ParameterNotFound") => return Ok(None),
        Err(e) => {
            return Err(format!(
                "cannot read the lock ({}): {}",
                place(aws, name),
                one_line(&e)
            ))
        }
    };
    let Some(p) = parameter else {
        return Ok(None);
    };
    let said = p
        .value()
        .and_then(|v| serde_json::from_str::<Holder>(v).ok());
    let text = match &said {
        Some(h) => format!("{} (executor {}) since {}", h.holder, h.command, h.since),
        None => format!(
            "someone else (its value is not the executor's) since {}",
            p.last_modified_date()
                .map_or_else(|| "an unknown time".to_owned(), stamp)
        ),
    };
    Ok(Some((said, text)))
}

/// Deletes the lock of `plan` whoever holds it; returns who did, if anyone.
pub async fn force_unlock(aws: &Aws, plan: &str) -> Result<Option<String>, String> {
    let name = planner_core::ids::lock_parameter(plan);
    let Some(held) = read(aws, &name).await? else {
        return Ok(None);
    };
    delete(aws, &name).await?;
    Ok(Some(held))
}

async fn delete(aws: &Aws, name: &str) -> Result<(), String> {
    match aws.ssm(|c| c.delete_parameter().name(name).send()).await {
        Ok(_) => Ok(()),
        Err(e) if e.code() == Some("ParameterNotFound") => Ok(()),
        Err(e) => Err(format!(
            "cannot release the lock ({}): {}; the next run needs --force-unlock",
            place(aws, name),
            one_line(&e)
        )),
    }
}

impl Lock {
    /// Gives the lock back, if it is still this process's: one forced open meanwhile
    /// (`--force-unlock`) and taken by another run is that run's, and is left to it. Returns
    /// what to tell the user when it was not ours any more.
    pub async fn release(self) -> Result<Option<String>, String> {
        match read_holder(&self.aws, &self.name).await? {
            None => Ok(Some(format!(
                "the lock was removed by someone else meanwhile (--force-unlock?) ({})",
                place(&self.aws, &self.name)
            ))),
            Some((Some(h), _)) if h.holder == self.me.holder && h.since == self.me.since => {
                delete(&self.aws, &self.name).await.map(|()| None)
            }
            Some((_, said)) => Ok(Some(format!(
                "the lock was taken over by {said} (after a --force-unlock); it is left to them \
                 ({})",
                place(&self.aws, &self.name)
            ))),
        }
    }
}
