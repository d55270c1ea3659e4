//! The deployment files of docs/ as an operator uses them: the systemd unit passes
//! `systemd-analyze verify`, the nginx site `nginx -t`. Tools that are missing fail the test
//! under `CI=true` (`cargo xtask setup` installs them) and skip it loudly elsewhere.

use std::path::Path;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_civickit");

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// A fenced block of docs/operations.md by its language.
fn documented(language: &str) -> String {
    let doc = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/operations.md"
    ))
    .unwrap();
    let fence = format!("```{language}\n");
    let start = doc.find(&fence).expect(&fence) + fence.len();
    let len = doc[start..].find("```").unwrap();
    doc[start..start + len].to_string()
}

/// A tool a test needs: under CI a missing one fails, elsewhere it skips loudly.
fn tool(path: &str, installed_by: &str) -> Option<std::path::PathBuf> {
    let found = Path::new(path).exists().then(|| path.into());
    if found.is_none() {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("{path} is missing: run `cargo xtask setup` (installs {installed_by})");
        }
        eprintln!(
            "\n!!! SKIPPED: {path} is missing (`cargo xtask setup` installs {installed_by}) !!!\n"
        );
    }
    found
}

/// The nginx site of docs/operations.md is valid nginx as written (with a throw-away
/// certificate in place of Let's Encrypt's).
#[test]
fn the_documented_nginx_site_passes_nginx_t() {
    let (Some(nginx), Some(openssl)) = (
        tool("/usr/sbin/nginx", "nginx-light"),
        tool("/usr/bin/openssl", "openssl"),
    ) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().display().to_string();
    let out = Command::new(openssl)
        .args([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
        ])
        .args(["-subj", "/CN=beteiligung.example.de"])
        .args([
            "-keyout",
            &format!("{d}/key.pem"),
            "-out",
            &format!("{d}/cert.pem"),
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let site = documented("nginx")
        .replace(
            "/etc/letsencrypt/live/beteiligung.example.de/fullchain.pem",
            &format!("{d}/cert.pem"),
        )
        .replace(
            "/etc/letsencrypt/live/beteiligung.example.de/privkey.pem",
            &format!("{d}/key.pem"),
        );
    assert!(site.contains("client_max_body_size 12m;") && site.contains("gzip off;"));
    assert!(site.contains("location = /metrics { return 404; }"));
    let conf = format!(
        "pid {d}/nginx.pid;\nerror_log {d}/error.log;\nevents {{}}\nhttp {{\n\
         access_log off;\nclient_body_temp_path {d}/body;\nproxy_temp_path {d}/proxy;\n\
         {site}\n}}\n"
    );
    std::fs::write(dir.path().join("nginx.conf"), conf).unwrap();
    let out = Command::new(nginx)
        .args(["-t", "-p", &d, "-c", &format!("{d}/nginx.conf")])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    // The photo limit in the docs covers the server's own.
    const { assert!(civickit_server::http::MAX_UPLOAD_BYTES < 12_000_000) };
}

/// The unit in docs/ as an operator installs it, with ExecStart pointing at the real binary.
#[test]
fn the_systemd_unit_passes_systemd_analyze_verify() {
    let analyze = Path::new("/usr/bin/systemd-analyze");
    if !analyze.exists() {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("systemd-analyze is missing: run `cargo xtask setup` (installs systemd)");
        }
        eprintln!(
            "\n!!! SKIPPED: systemd-analyze is missing (cargo xtask setup installs it) !!!\n"
        );
        return;
    }
    let unit = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/civickit.service"
    ))
    .unwrap();
    assert!(
        unit.contains("ExecStart=/usr/local/bin/civickit serve"),
        "{unit}"
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("civickit.service");
    std::fs::write(&path, unit.replace("/usr/local/bin/civickit", BIN)).unwrap();
    let out = Command::new(analyze)
        .arg("verify")
        .arg(&path)
        .env("SYSTEMD_LOG_LEVEL", "notice")
        .output()
        .unwrap();
    let said = text(&out);
    assert!(out.status.success(), "{said}");
    assert!(
        !said.contains("civickit.service:"),
        "warnings about the unit: {said}"
    );
}
