//! What the browser tests share below the page and the driver: timeouts, the window size,
//! where screenshots go, and where the tools `tests/setup-web.sh` installs are found.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

use crate::moto::workspace_dir;

/// How long a wait polls before it fails.
pub const TIMEOUT: Duration = Duration::from_secs(60);

/// Between two polls of a wait.
pub(super) const POLL: Duration = Duration::from_millis(100);

/// The browser window's size in CSS pixels.
pub(super) const WINDOW: (u32, u32) = (1440, 1000);

pub(super) const SETUP_HINT: &str = "run `bash tests/setup-web.sh` (installs trunk, wasm-bindgen, \
     wasm-opt, chromium and chromedriver)";

/// Where screenshots and reports go: `<workspace>/target/test-output/web/`, created (and rid
/// of the `*-timeout.png` of earlier runs) on first use.
pub fn output_dir() -> PathBuf {
    static CLEAN: OnceLock<()> = OnceLock::new();
    let dir = workspace_dir().join("target/test-output/web");
    CLEAN.get_or_init(|| {
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            if entry
                .file_name()
                .to_string_lossy()
                .ends_with("-timeout.png")
            {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    });
    dir
}

/// `PATH` with the folders `tests/setup-web.sh` installs into put first:
/// `target/web-tools/node_modules/.bin` (wasm-opt) and `~/.cargo/bin` (trunk, wasm-bindgen).
pub fn tool_path() -> OsString {
    let mut dirs = vec![workspace_dir().join("target/web-tools/node_modules/.bin")];
    if let Some(home) = std::env::var_os("CARGO_HOME") {
        dirs.push(PathBuf::from(home).join("bin"));
    } else if let Some(home) = std::env::var_os("HOME") {
        dirs.push(PathBuf::from(home).join(".cargo/bin"));
    }
    if let Some(path) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&path));
    }
    std::env::join_paths(dirs).expect("PATH entries have no separator in them")
}

/// A program in [`tool_path`], or a panic naming the setup script.
pub(super) fn tool(name: &str) -> PathBuf {
    std::env::split_paths(&tool_path())
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
        .unwrap_or_else(|| panic!("{name} not found on PATH; {SETUP_HINT}"))
}

/// The Chromium binary: `$CHROME`, else Debian's `/usr/lib/chromium/chromium` (without the
/// `/usr/bin/chromium` wrapper script), else `chromium` on the PATH.
pub(super) fn chromium() -> PathBuf {
    if let Some(path) = std::env::var_os("CHROME").filter(|p| !p.is_empty()) {
        return PathBuf::from(path);
    }
    let debian = Path::new("/usr/lib/chromium/chromium");
    if debian.is_file() {
        return debian.to_path_buf();
    }
    tool("chromium")
}

/// The last `n` lines of `text`.
pub(super) fn tail(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}
