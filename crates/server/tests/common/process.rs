//! The real `civickit` executable, as an operator runs it: `serve` in the background (killed
//! and reaped when dropped) and one-shot admin commands.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

pub const BIN: &str = env!("CARGO_BIN_EXE_civickit");

/// A running `civickit serve`.
pub struct Running {
    pub child: Child,
    /// `http://127.0.0.1:PORT`
    pub url: String,
    /// `127.0.0.1:PORT`, for an nginx upstream or a raw socket.
    pub addr: String,
    /// The Open311 API key `--demo` printed (empty without `--demo`).
    pub api_key: String,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `civickit serve` with the given extra arguments and waits for its "listening" line.
pub fn start(db_url: &str, extra: &[&str]) -> Running {
    start_with(db_url, extra, &[], None)
}

/// Like [`start`], with environment variables, and the server's log (stderr) in `log` if given.
pub fn start_with(
    db_url: &str,
    extra: &[&str],
    env: &[(&str, &str)],
    log: Option<&Path>,
) -> Running {
    let stderr = match log {
        Some(path) => Stdio::from(std::fs::File::create(path).expect("a log file for civickit")),
        None => Stdio::null(),
    };
    let child = Command::new(BIN)
        .args(["serve", "--listen", "127.0.0.1:0", "--database", db_url])
        .args(extra)
        // Scripted clients post at once; the tests of the fill time run in-process (abuse.rs).
        .env("CIVICKIT_ABUSE_MIN_FILL_SECONDS", "0")
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .expect("start civickit");
    // Owned by `Running` at once, so that its Drop kills and reaps the process on any path.
    let mut running = Running {
        child,
        url: String::new(),
        addr: String::new(),
        api_key: String::new(),
    };
    let mut lines = BufReader::new(running.child.stdout.take().unwrap()).lines();
    loop {
        let line = lines
            .next()
            .expect("civickit exited before listening")
            .unwrap();
        if let Some(key) = line.strip_prefix("Open311 API key for musterstadt: ") {
            running.api_key = key.to_string();
        }
        if let Some(url) = line.strip_prefix("civickit listening on ") {
            running.url = url.to_string();
            running.addr = url.trim_start_matches("http://").to_string();
            return running;
        }
    }
}

/// `civickit --database URL ARGS…`: (success, stdout, stderr).
pub fn civickit(db_url: &str, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(BIN)
        .arg("--database")
        .arg(db_url)
        .args(args)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
