//! The load generator and the yardstick of `cargo xtask bench`: `wrk` (Debian) against
//! civickit and against nginx on loopback serving the same files, with the same connections
//! and duration, so the ratio says how far our static path is from a dedicated web server.

use crate::util::{note, which, Result};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// Bounded: 5 seconds per case with 64 keep-alive connections on 2 wrk threads.
const CONNECTIONS: &str = "64";
const THREADS: &str = "2";
const DURATION: &str = "5s";

/// What wrk measured.
pub struct Load {
    pub requests_per_s: f64,
    pub p99_ms: f64,
}

/// Both tools, or a message that says how to get them.
pub fn tools() -> Result<(PathBuf, PathBuf)> {
    let wrk = which("wrk").ok_or(
        "the static-asset benchmark needs `wrk`: install it with `apt-get install wrk` (Debian)",
    )?;
    let nginx = which("nginx")
        .or_else(|| Some(PathBuf::from("/usr/sbin/nginx")).filter(|p| p.is_file()))
        .ok_or(
            "the static-asset benchmark compares with nginx: install it with \
             `apt-get install nginx-light` (Debian)",
        )?;
    Ok((wrk, nginx))
}

/// `wrk --latency` for `url` with `Accept-Encoding: gzip` (what nginx-light can answer
/// precompressed; brotli needs an extra nginx module, so gzip keeps the bytes identical).
pub fn wrk(wrk: &Path, url: &str) -> Result<Load> {
    let out = Command::new(wrk)
        .args([
            "-t",
            THREADS,
            "-c",
            CONNECTIONS,
            "-d",
            DURATION,
            "--latency",
        ])
        .args(["-H", "Accept-Encoding: gzip"])
        .arg(url)
        .output()
        .map_err(|e| format!("running wrk: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() || text.contains("Non-2xx") || text.contains("Socket errors") {
        return Err(format!("wrk {url} did not run cleanly:\n{text}"));
    }
    let requests_per_s = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("Requests/sec:"))
        .and_then(|v| v.trim().parse().ok())
        .ok_or_else(|| format!("no Requests/sec in wrk's output:\n{text}"))?;
    let p99_ms = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("99%"))
        .and_then(|v| milliseconds(v.trim()))
        .ok_or_else(|| format!("no 99% latency in wrk's output:\n{text}"))?;
    Ok(Load {
        requests_per_s,
        p99_ms,
    })
}

/// wrk prints `812.00us`, `2.31ms` or `1.02s`.
fn milliseconds(v: &str) -> Option<f64> {
    let (number, factor) = if let Some(n) = v.strip_suffix("us") {
        (n, 1e-3)
    } else if let Some(n) = v.strip_suffix("ms") {
        (n, 1.0)
    } else if let Some(n) = v.strip_suffix('s') {
        (n, 1e3)
    } else {
        return None;
    };
    number.parse::<f64>().ok().map(|n| n * factor)
}

/// An nginx with its own configuration in `dir`, serving `root` on a free loopback port with
/// `gzip_static on`, so that it sends the same `.gz` files civickit has built in.
pub struct Nginx {
    child: Child,
    pub base: String,
}

impl Drop for Nginx {
    /// SIGTERM, so that the master takes its workers along: SIGKILL left them running,
    /// orphaned, with the benchmark's port still bound, after every `cargo xtask bench`.
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let asked = std::time::Instant::now();
        while matches!(self.child.try_wait(), Ok(None)) {
            if asked.elapsed() > Duration::from_secs(5) {
                let _ = self.child.kill();
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.wait();
    }
}

impl Nginx {
    pub fn start(nginx: &Path, dir: &Path, root: &Path) -> Result<Nginx> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| e.to_string())?
            .port();
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let d = dir.display();
        // Tuned as a town's admin would for static files: sendfile, long keep-alive, no
        // access log (civickit writes none either). `user` only matters when run as root.
        let config = format!(
            "worker_processes auto;\nuser root root;\ndaemon off;\npid {d}/nginx.pid;\n\
             error_log {d}/error.log warn;\n\
             events {{ worker_connections 1024; }}\n\
             http {{\n  include /etc/nginx/mime.types;\n\
               default_type application/octet-stream;\n  access_log off;\n  sendfile on;\n\
               tcp_nopush on;\n  keepalive_requests 1000000;\n  gzip_static on;\n\
               client_body_temp_path {d}/body;\n  proxy_temp_path {d}/proxy;\n\
               fastcgi_temp_path {d}/fastcgi;\n  uwsgi_temp_path {d}/uwsgi;\n\
               scgi_temp_path {d}/scgi;\n\
               server {{\n    listen 127.0.0.1:{port};\n    root {root};\n  }}\n}}\n",
            root = root.display()
        );
        let conf = dir.join("nginx.conf");
        std::fs::write(&conf, config).map_err(|e| format!("{}: {e}", conf.display()))?;
        let child = Command::new(nginx)
            .arg("-c")
            .arg(&conf)
            .arg("-p")
            .arg(dir)
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("starting nginx: {e}"))?;
        let server = Nginx {
            child,
            base: format!("http://127.0.0.1:{port}"),
        };
        for _ in 0..50 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                note(&format!("nginx on {}", server.base));
                return Ok(server);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Err(format!("nginx did not listen on {port}; see {d}/error.log"))
    }
}

/// One row of the comparison table.
pub fn compare(what: &str, ours: &Load, theirs: &Load) {
    println!(
        "{what:<40} {:>10.0} {:>9.2} {:>10.0} {:>9.2} {:>7.2}×",
        ours.requests_per_s,
        ours.p99_ms,
        theirs.requests_per_s,
        theirs.p99_ms,
        ours.requests_per_s / theirs.requests_per_s
    );
}

pub fn compare_header(ours: &str, theirs: &str) {
    println!(
        "\n{:<40} {:>20} {:>20} {:>8}\n{:<40} {:>10} {:>9} {:>10} {:>9} {:>8}",
        format!("wrk -t{THREADS} -c{CONNECTIONS} -d{DURATION}, gzip"),
        ours,
        theirs,
        "ratio",
        "",
        "req/s",
        "p99 ms",
        "req/s",
        "p99 ms",
        "req/s"
    );
}
