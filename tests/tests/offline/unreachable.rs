//! The executor against endpoints that do not work, with no emulator: one that accepts
//! connections and never answers, one that refuses them, and a URL that is not one. Each ends
//! with one clear line and exit 2, never a hang or a dump of the SDK's request.

use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

/// Far longer than the executor's own timeouts; a run still going then hangs and is killed.
const HANG_GUARD: Duration = Duration::from_secs(150);

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn plan_file() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("unreachable");
    std::fs::create_dir_all(&dir).unwrap();
    let design = planner_core::presets::build("informatica", &[]).unwrap();
    let path = dir.join("informatica.plan.json");
    std::fs::write(
        &path,
        planner_core::plan(&design, None).unwrap().plan.to_json(),
    )
    .unwrap();
    path
}

/// `executor diff PLAN` against `endpoint`, killed (and the test failed) after [`HANG_GUARD`].
fn diff_against(endpoint: &str) -> Output {
    let plan = plan_file();
    let mut cmd = tests::executor::command();
    cmd.arg("diff").arg(&plan);
    tests::moto::apply_aws_env(&mut cmd, endpoint);
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > HANG_GUARD {
            let _ = child.kill();
            let out = child.wait_with_output().unwrap();
            panic!(
                "diff against {endpoint} hung for {HANG_GUARD:?}: {}",
                text(&out.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

/// One line, exit 2, naming the endpoint, with none of the SDK's debug structures.
fn assert_one_clear_line(out: &Output, endpoint: &str, says: &str) {
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(err.starts_with("error: "), "{err}");
    assert!(
        err.contains(endpoint) && err.contains(says),
        "the message names {endpoint} and says {says:?}: {err}"
    );
    assert!(
        !err.contains('{') && !err.contains("SdkBody") && !err.contains("DispatchFailure"),
        "a dump, not a message: {err}"
    );
}

#[test]
fn an_endpoint_that_never_answers_times_out() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    // Accepts every connection and holds it open without a word.
    std::thread::spawn(move || {
        let mut held: Vec<TcpStream> = Vec::new();
        for stream in listener.incoming().flatten() {
            held.push(stream);
        }
    });
    let out = diff_against(&endpoint);
    assert_one_clear_line(&out, &endpoint, "no answer");
}

#[test]
fn a_refused_connection_fails_with_one_line() {
    let endpoint = format!("http://127.0.0.1:{}", tests::moto::free_port());
    let out = diff_against(&endpoint);
    assert_one_clear_line(&out, &endpoint, "refused");
}

#[test]
fn an_invalid_endpoint_url_is_one_line() {
    let endpoint = "not a url";
    let out = diff_against(endpoint);
    assert_one_clear_line(&out, endpoint, "URL");
}
