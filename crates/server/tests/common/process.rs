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
    /// What `--demo` printed.
    pub api_key: Option<String>,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `civickit serve` with the given extra arguments and waits for its "listening" line.
pub fn start(db_url: &str, extra: &[&str]) -> Running {
    spawn(db_url, extra, &[], Stdio::null())
}

/// Like [`start`], with environment variables and the server's log (stderr) in `log`.
pub fn start_logged(db_url: &str, extra: &[&str], env: &[(&str, &str)], log: &Path) -> Running {
    let file = std::fs::File::create(log).expect("a log file for civickit");
    spawn(db_url, extra, env, Stdio::from(file))
}

fn spawn(db_url: &str, extra: &[&str], env: &[(&str, &str)], stderr: Stdio) -> Running {
    let child = Command::new(BIN)
        .args(["serve", "--listen", "127.0.0.1:0", "--database", db_url])
        .args(extra)
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
        api_key: None,
    };
    let mut lines = BufReader::new(running.child.stdout.take().unwrap()).lines();
    loop {
        let line = lines
            .next()
            .expect("civickit exited before listening")
            .unwrap();
        if let Some(key) = line.strip_prefix("Open311 API key for musterstadt: ") {
            running.api_key = Some(key.to_string());
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
