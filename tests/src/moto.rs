//! A moto server (`moto_server` from Python's `moto[server]`) on a free loopback port, for
//! tests that run the executor against a fake AWS. Never real AWS.
//!
//! `tests/setup-moto.sh` installs it into `<workspace>/target/moto-venv`.

use std::ffi::OsString;
use std::fs::File;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long `Moto::start` waits for the server to answer.
const START_TIMEOUT: Duration = Duration::from_secs(30);

/// Environment variables removed from a child process's environment by [`apply_aws_env`],
/// so that nothing from the developer's own AWS setup leaks into a test.
pub const UNSET_ENV: &[&str] = &[
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_DEFAULT_REGION",
    "AWS_ROLE_ARN",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "ALL_PROXY",
    "all_proxy",
];

/// The environment that points the AWS SDK of a child process at `endpoint` (moto, or a
/// [`crate::proxy::Proxy`] in front of it) with moto's fake credentials.
///
/// Also set: `AWS_CONFIG_FILE` and `AWS_SHARED_CREDENTIALS_FILE` to `/dev/null` (an empty
/// file, read without a warning), so the developer's `~/.aws` is never read. Use [`apply_aws_env`] to also remove
/// [`UNSET_ENV`] (notably `AWS_PROFILE`) and any service-specific `AWS_ENDPOINT_URL_*`.
pub fn aws_env(endpoint: &str) -> Vec<(&'static str, String)> {
    vec![
        ("AWS_ENDPOINT_URL", endpoint.to_owned()),
        ("AWS_ACCESS_KEY_ID", "testing".to_owned()),
        ("AWS_SECRET_ACCESS_KEY", "testing".to_owned()),
        ("AWS_REGION", "us-east-1".to_owned()),
        ("AWS_EC2_METADATA_DISABLED", "true".to_owned()),
        ("AWS_CONFIG_FILE", "/dev/null".to_owned()),
        ("AWS_SHARED_CREDENTIALS_FILE", "/dev/null".to_owned()),
        ("NO_PROXY", "127.0.0.1,localhost".to_owned()),
    ]
}

/// Sets [`aws_env`] on `cmd` and removes [`UNSET_ENV`] and every `AWS_ENDPOINT_URL_*`
/// (service-specific endpoints would win over `AWS_ENDPOINT_URL`).
pub fn apply_aws_env<'a>(cmd: &'a mut Command, endpoint: &str) -> &'a mut Command {
    for name in UNSET_ENV {
        cmd.env_remove(name);
    }
    let inherited = std::env::vars_os().map(|(name, _)| name);
    let explicit: Vec<OsString> = cmd.get_envs().map(|(name, _)| name.to_owned()).collect();
    for name in inherited.chain(explicit) {
        if name.to_string_lossy().starts_with("AWS_ENDPOINT_URL_") {
            cmd.env_remove(name);
        }
    }
    cmd.envs(aws_env(endpoint))
}

/// A running `moto_server`; killed on drop.
pub struct Moto {
    child: Child,
    port: u16,
    log: PathBuf,
}

impl Moto {
    /// Starts `moto_server -H 127.0.0.1 -p <free port>` and waits (at most 30 s) until
    /// `GET /moto-api/` answers. Panics with the reason (and the server's log) if it cannot.
    ///
    /// The binary is `$MOTO_SERVER` if set, else `<workspace>/target/moto-venv/bin/moto_server`
    /// (made by `tests/setup-moto.sh`), else `moto_server` on `PATH`.
    pub fn start() -> Moto {
        let bin = moto_server_binary();
        let mut last_error = String::new();
        // The port is free when picked but another process could take it before moto binds:
        // try a few ports.
        for _ in 0..3 {
            match Moto::try_start(&bin) {
                Ok(moto) => return moto,
                Err(e) => last_error = e,
            }
        }
        panic!(
            "moto_server ({}) did not start: {last_error}",
            bin.display()
        );
    }

    fn try_start(bin: &Path) -> Result<Moto, String> {
        let port = free_port();
        let log =
            std::env::temp_dir().join(format!("moto-server-{}-{port}.log", std::process::id()));
        let log_file = File::create(&log).map_err(|e| format!("{}: {e}", log.display()))?;
        let log_err = log_file
            .try_clone()
            .map_err(|e| format!("{}: {e}", log.display()))?;
        let child = Command::new(bin)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            // AWS managed policies (AmazonSSMManagedEC2InstanceDefaultPolicy…) exist in AWS.
            .env("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
            .stdin(Stdio::null())
            .stdout(log_file)
            .stderr(log_err)
            .spawn()
            .map_err(|e| {
                let _ = std::fs::remove_file(&log);
                format!("cannot run {}: {e}. {INSTALL_HINT}", bin.display())
            })?;
        let mut moto = Moto { child, port, log };
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            if let Ok(Some(status)) = moto.child.try_wait() {
                return Err(format!("exited with {status}; log:\n{}", moto.log_tail()));
            }
            if let Ok((200, _)) = http(port, "GET", "/moto-api/") {
                return Ok(moto);
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "no answer on port {port} after {START_TIMEOUT:?}; log:\n{}",
                    moto.log_tail()
                ));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The port moto listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Forgets every resource moto holds (`POST /moto-api/reset`). Panics if moto refuses.
    pub fn reset(&self) {
        match http(self.port, "POST", "/moto-api/reset") {
            Ok((200, _)) => {}
            Ok((status, body)) => panic!("moto reset answered {status}: {body}"),
            Err(e) => panic!("moto reset: {e}"),
        }
    }

    /// The environment for a child process that should talk to this moto directly:
    /// see [`aws_env`]. [`Moto::apply_env`] also removes `AWS_PROFILE` and the like.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        aws_env(&self.endpoint())
    }

    /// Points `cmd` at this moto: [`apply_aws_env`] with [`Moto::endpoint`].
    pub fn apply_env<'a>(&self, cmd: &'a mut Command) -> &'a mut Command {
        apply_aws_env(cmd, &self.endpoint())
    }

    /// The last lines moto wrote (its request log and errors).
    pub fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(40)..].join("\n")
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.log);
    }
}

const INSTALL_HINT: &str = "Install moto with `tests/setup-moto.sh` (makes target/moto-venv with \
     moto[server]), or set MOTO_SERVER to a moto_server binary";

/// Where `moto_server` is: see [`Moto::start`].
pub fn moto_server_binary() -> PathBuf {
    if let Some(path) = std::env::var_os("MOTO_SERVER").filter(|p| !p.is_empty()) {
        return PathBuf::from(path);
    }
    let venv = workspace_dir().join("target/moto-venv/bin/moto_server");
    if venv.is_file() {
        return venv;
    }
    if let Some(found) = on_path(OsString::from("moto_server")) {
        return found;
    }
    panic!(
        "moto_server not found (not in $MOTO_SERVER, {}, nor on PATH). {INSTALL_HINT}",
        venv.display()
    );
}

/// The workspace root (the parent of this crate).
pub fn workspace_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate is inside the workspace")
        .to_path_buf()
}

fn on_path(name: OsString) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(&name))
        .find(|p| p.is_file())
}

/// A port that was free on 127.0.0.1 a moment ago.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("bind a free loopback port")
        .port()
}

/// A minimal blocking HTTP/1.0 request to 127.0.0.1:port: (status, body).
fn http(port: u16, method: &str, path: &str) -> Result<(u16, String), String> {
    let timeout = Duration::from_secs(10);
    let mut stream = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    stream
        .set_read_timeout(Some(timeout))
        .and_then(|()| stream.set_write_timeout(Some(timeout)))
        .map_err(|e| e.to_string())?;
    write!(
        stream,
        "{method} {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )
    .map_err(|e| e.to_string())?;
    let mut response = Vec::new();
    stream
        .read_to_end(&mut response)
        .map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&response);
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("not an HTTP response: {text:.200}"))?;
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    Ok((status, body))
}
