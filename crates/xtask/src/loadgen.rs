//! The load generator and the yardstick of `cargo xtask bench`: `wrk` (Debian) against
//! civickit and against nginx on loopback serving the same bytes, with the same connections
//! and duration, so the ratio says how far civickit is from a dedicated web server.

use crate::util::{note, which, Result};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// Bounded: 3 seconds per round on 2 wrk threads (the machine's two cores, shared with the
/// server under test, on both sides alike), two rounds per side taken in turn.
const THREADS: &str = "2";
const DURATION: &str = "3s";
const ROUNDS: usize = 2;
/// File descriptors wanted for 500 connections on each side, with room to spare.
const OPEN_FILES: u32 = 4096;

/// What wrk measured.
pub struct Load {
    pub requests_per_s: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    /// Socket errors (connect, read, write, timeout) and answers other than 2xx/3xx.
    pub errors: u64,
}

/// `program` started through `sh` with the soft limit of open files raised (the usual 1024 is
/// too few for 500 connections plus the server's own files): to the hard limit, or, if that
/// is lower, to 4096 where allowed (as root); otherwise it refuses to start, saying why.
pub fn with_open_files(program: &Path) -> Command {
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(format!(
            "ulimit -Sn $(ulimit -Hn); [ $(ulimit -n) = unlimited ] || [ $(ulimit -n) -ge {OPEN_FILES} ] \
             || ulimit -n {OPEN_FILES} \
             || {{ echo \"open files: hard limit $(ulimit -Hn) < {OPEN_FILES}\" >&2; exit 1; }}; \
             exec \"$0\" \"$@\""
        ))
        .arg(program);
    cmd
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

/// `wrk --latency` with `connections` keep-alive connections for `url`, sending
/// `Accept-Encoding: gzip` (what nginx-light can answer precompressed; brotli needs an extra
/// nginx module, so gzip keeps the bytes identical). Errors are counted, not fatal.
fn wrk(wrk: &Path, url: &str, connections: u32) -> Result<Load> {
    let out = with_open_files(wrk)
        .args(["-t", THREADS, "-d", DURATION, "--latency"])
        .args(["-c", &connections.to_string()])
        .args(["-H", "Accept-Encoding: gzip"])
        .arg(url)
        .output()
        .map_err(|e| format!("running wrk: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        return Err(format!(
            "wrk {url} failed:\n{text}{}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let field = |prefix: &str| {
        text.lines()
            .find_map(|l| l.trim().strip_prefix(prefix))
            .map(str::trim)
    };
    let unparsable = |what: &str| format!("no {what} in wrk's output:\n{text}");
    let requests_per_s = field("Requests/sec:")
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| unparsable("Requests/sec"))?;
    let p50_ms = field("50%")
        .and_then(milliseconds)
        .ok_or_else(|| unparsable("50% latency"))?;
    let p99_ms = field("99%")
        .and_then(milliseconds)
        .ok_or_else(|| unparsable("99% latency"))?;
    // "Socket errors: connect 0, read 3, write 0, timeout 12" and "Non-2xx or 3xx responses: 5"
    let socket: u64 = field("Socket errors:")
        .map(|v| {
            v.split(',')
                .filter_map(|part| part.split_whitespace().nth(1)?.parse::<u64>().ok())
                .sum()
        })
        .unwrap_or(0);
    let non_2xx: u64 = field("Non-2xx or 3xx responses:")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    Ok(Load {
        requests_per_s,
        p50_ms,
        p99_ms,
        errors: socket + non_2xx,
    })
}

/// Both sides under the same load, in turns (ours, theirs, ours, theirs), each side's best
/// round by req/s: the machine is shared, and another process's burst should not decide the
/// ratio. Errors are added up over all rounds, never hidden by the choice.
pub fn wrk_pair(
    wrk_bin: &Path,
    ours: &str,
    theirs: &str,
    connections: u32,
) -> Result<(Load, Load)> {
    let mut rounds: [Vec<Load>; 2] = [Vec::new(), Vec::new()];
    for _ in 0..ROUNDS {
        rounds[0].push(wrk(wrk_bin, ours, connections)?);
        rounds[1].push(wrk(wrk_bin, theirs, connections)?);
    }
    let [a, b] = rounds.map(|side| {
        let errors = side.iter().map(|l| l.errors).sum();
        let best = side
            .into_iter()
            .max_by(|x, y| x.requests_per_s.total_cmp(&y.requests_per_s))
            .expect("at least one round");
        Load { errors, ..best }
    });
    Ok((a, b))
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
             worker_rlimit_nofile {OPEN_FILES};\n\
             events {{ worker_connections {OPEN_FILES}; }}\n\
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
        let child = with_open_files(nginx)
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
pub fn compare(what: &str, connections: u32, ours: &Load, theirs: &Load) {
    let side = |l: &Load| {
        format!(
            "{:>8.0} {:>7.2} {:>7.2} {:>6}",
            l.requests_per_s, l.p50_ms, l.p99_ms, l.errors
        )
    };
    println!(
        "  {what:<28} {connections:>5}  {}   {}  {:>5.2}",
        side(ours),
        side(theirs),
        ours.requests_per_s / theirs.requests_per_s
    );
}

pub fn compare_header(ours: &str, theirs: &str) {
    println!(
        "\nwrk -t{THREADS} -d{DURATION} --latency, Accept-Encoding: gzip, same bytes on both sides, \
         best of {ROUNDS} rounds in turn\n  \
         {:<28} {:>5}  {:<31}   {:<31}  {:>5}\n  {:<28} {:>5}  {h}   {h}  {:>5}",
        "",
        "",
        ours,
        theirs,
        "ratio",
        "answer",
        "conns",
        "req/s",
        h = format!("{:>8} {:>7} {:>7} {:>6}", "req/s", "p50 ms", "p99 ms", "errors"),
    );
}
