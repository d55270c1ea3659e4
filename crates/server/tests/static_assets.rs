//! One binary: the widget bundle, the demo page and the office are built into `civickit` and
//! served from memory (brotli, gzip or identity by `Accept-Encoding`, strong ETags, caching by
//! kind of URL); `--dist` overrides them for development. The database plays no part in static
//! files, so these run on SQLite only.
//!
//! Which binary: the one cargo builds for these tests (`CARGO_BIN_EXE_civickit`, dev profile)
//! with the bundle embedded, not a release build. Its static files are the same bytes through
//! the same code; only the optimisation level differs. A cold release build of the server took
//! 24 minutes on the shared 2-core development machine (1453 s, measured for this decision),
//! which would more than double a fresh CI run (~20 of its 45 minutes today) for no bytes that
//! the dev build does not serve the same way. `cargo xtask bench` runs the release binary
//! against nginx.

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_civickit");

struct Server {
    child: Child,
    url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `civickit serve` in `cwd` with its database elsewhere; waits for its "listening" line.
fn start(cwd: &std::path::Path, db_dir: &std::path::Path, extra: &[&str]) -> Server {
    let db = format!("sqlite://{}", db_dir.join("static.db").display());
    let child = Command::new(BIN)
        .current_dir(cwd)
        .env_remove("CIVICKIT_DIST")
        .args(["serve", "--listen", "127.0.0.1:0", "--database", &db])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start civickit");
    let mut server = Server {
        child,
        url: String::new(),
    };
    let stdout = server.child.stdout.take().unwrap();
    for line in BufReader::new(stdout).lines() {
        if let Some(url) = line.unwrap().strip_prefix("civickit listening on ") {
            server.url = url.to_string();
            return server;
        }
    }
    panic!("civickit exited before listening");
}

struct Answer {
    status: u16,
    headers: reqwest::header::HeaderMap,
    body: Vec<u8>,
}

impl Answer {
    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .map(|v| v.to_str().unwrap())
            .unwrap_or("")
    }
}

/// A GET without automatic decompression (reqwest is built without it here), so the test
/// sees the bytes on the wire.
async fn get(url: &str, headers: &[(&str, &str)]) -> Answer {
    let mut request = reqwest::Client::new().get(url);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let r = request.send().await.unwrap();
    Answer {
        status: r.status().as_u16(),
        headers: r.headers().clone(),
        body: r.bytes().await.unwrap().to_vec(),
    }
}

fn unbrotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    brotli::Decompressor::new(bytes, 4096)
        .read_to_end(&mut out)
        .expect("valid brotli");
    out
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .expect("valid gzip");
    out
}

/// Checks one file in all three codings, its ETags and 304, and returns its identity bytes.
async fn check_file(base: &str, path: &str, content_type: &str, cache: &str) -> Vec<u8> {
    let url = format!("{base}{path}");
    let plain = get(&url, &[]).await;
    assert_eq!(plain.status, 200, "{path}");
    assert!(!plain.body.is_empty(), "{path} is empty");
    assert!(
        plain.header("content-type").starts_with(content_type),
        "{path}: {}",
        plain.header("content-type")
    );
    assert_eq!(plain.header("content-encoding"), "", "{path}");
    assert_eq!(
        plain.header("content-length"),
        plain.body.len().to_string(),
        "{path}"
    );
    assert_eq!(plain.header("cache-control"), cache, "{path}");
    assert_eq!(plain.header("vary"), "accept-encoding", "{path}");

    let br = get(&url, &[("accept-encoding", "gzip, deflate, br, zstd")]).await;
    assert_eq!(
        br.header("content-encoding"),
        "br",
        "{path}: a browser gets brotli"
    );
    assert_eq!(
        unbrotli(&br.body),
        plain.body,
        "{path}: brotli decodes to the file"
    );
    assert!(br.body.len() < plain.body.len(), "{path}");
    let gz = get(&url, &[("accept-encoding", "gzip, br;q=0")]).await;
    assert_eq!(
        gz.header("content-encoding"),
        "gzip",
        "{path}: br;q=0 is honoured"
    );
    assert_eq!(
        gunzip(&gz.body),
        plain.body,
        "{path}: gzip decodes to the file"
    );

    let etags = [&plain, &br, &gz].map(|a| a.header("etag").to_string());
    for etag in &etags {
        assert!(
            etag.starts_with('"') && etag.len() > 10,
            "{path}: strong ETag {etag}"
        );
    }
    assert!(
        etags[0] != etags[1] && etags[1] != etags[2] && etags[0] != etags[2],
        "{path}: one ETag per representation: {etags:?}"
    );
    let again = get(
        &url,
        &[("accept-encoding", "br"), ("if-none-match", &etags[1])],
    )
    .await;
    assert_eq!(again.status, 304, "{path}: If-None-Match");
    assert!(again.body.is_empty(), "{path}");
    assert_eq!(again.header("etag"), etags[1], "{path}");
    assert_eq!(again.header("cache-control"), cache, "{path}");
    // Another representation's ETag does not match this one.
    let other = get(
        &url,
        &[("accept-encoding", "br"), ("if-none-match", &etags[2])],
    )
    .await;
    assert_eq!(other.status, 200, "{path}");
    plain.body
}

/// Is the bundle built into this build? Without `cargo xtask build` it is not; CI must not
/// pass without it, a developer's `cargo test` gets a loud notice.
fn bundle_built_in() -> bool {
    if civickit_server::http::assets::Assets::embedded().has_bundle() {
        return true;
    }
    assert!(
        std::env::var("CI").is_err(),
        "the widget bundle is not built into this build: run `cargo xtask build` first"
    );
    eprintln!(
        "\n!!! no widget bundle built in (run `cargo xtask build`): the embedded-bundle test is \
         SKIPPED !!!\n"
    );
    false
}

const SHORT: &str = "public, max-age=300";
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_alone_serves_demo_widgets_and_office_from_memory() {
    if !bundle_built_in() {
        return;
    }
    let empty = tempfile::tempdir().unwrap();
    let db_dir = tempfile::tempdir().unwrap();
    let server = start(empty.path(), db_dir.path(), &[]);
    let base = &server.url;

    let page = check_file(base, "/", "text/html", SHORT).await;
    assert!(String::from_utf8_lossy(&page).contains("/widgets/civic.js"));
    check_file(base, "/demo/town.css", "text/css", SHORT).await;
    let loader = check_file(base, "/widgets/civic.js", "text/javascript", SHORT).await;
    let loader = String::from_utf8(loader).unwrap();
    check_file(base, "/widgets/civic.css", "text/css", SHORT).await;
    check_file(base, "/widgets/leaflet.js", "text/javascript", SHORT).await;

    // The loader names each widget's wasm and glue with the hash the server computes: those
    // URLs are immutable, the bare names are not (an old loader may still ask for them).
    for widget in ["reports", "mailbox", "poll"] {
        for (file, kind) in [
            (format!("civic_{widget}.js"), "text/javascript"),
            (format!("civic_{widget}_bg.wasm"), "application/wasm"),
        ] {
            let version = loader
                .split(&format!("\"{file}\":\""))
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .unwrap_or_else(|| panic!("civic.js names no version of {file}"));
            let versioned = format!("/widgets/{file}?v={version}");
            let bytes = check_file(base, &versioned, kind, IMMUTABLE).await;
            check_file(base, &format!("/widgets/{file}"), kind, SHORT).await;
            let stale = get(&format!("{base}/widgets/{file}?v=0000000000000000"), &[]).await;
            assert_eq!(stale.header("cache-control"), SHORT, "a wrong version");
            assert_eq!(stale.body, bytes);
        }
    }

    let office = check_file(base, "/office", "text/html", "no-cache").await;
    let deep = get(&format!("{base}/office/reports/M-2026-00042"), &[]).await;
    assert_eq!((deep.status, &deep.body), (200, &office), "deep link");
    check_file(
        base,
        "/office/assets/office.js",
        "text/javascript",
        "no-cache",
    )
    .await;
    check_file(
        base,
        "/office/assets/civickit_office_ui_bg.wasm",
        "application/wasm",
        "no-cache",
    )
    .await;

    // Files that do not shrink are sent as they are, without Vary.
    let png = get(
        &format!("{base}/widgets/images/marker-icon.png"),
        &[("accept-encoding", "br")],
    )
    .await;
    assert_eq!((png.status, png.header("content-type")), (200, "image/png"));
    assert_eq!(
        (png.header("content-encoding"), png.header("vary")),
        ("", "")
    );

    // The WordPress plugin, as the office's embed page links it: a download, sent as built.
    let plugin = get(
        &format!("{base}/integrations/civickit-wordpress.zip"),
        &[("accept-encoding", "gzip, br")],
    )
    .await;
    assert_eq!(plugin.status, 200);
    assert_eq!(plugin.header("content-type"), "application/zip");
    assert_eq!(plugin.header("content-disposition"), "attachment");
    assert_eq!(plugin.header("content-encoding"), "");
    assert!(plugin.body.starts_with(b"PK\x03\x04"), "a zip archive");
    let names = String::from_utf8_lossy(&plugin.body);
    for file in [
        "civickit/civickit.php",
        "civickit/languages/civickit-de_DE.mo",
    ] {
        assert!(names.contains(file), "the zip holds {file}");
    }

    // Towns embed the widgets from their own origin.
    let cors = get(
        &format!("{base}/widgets/civic.js"),
        &[("origin", "https://www.example.de")],
    )
    .await;
    assert_eq!(cors.header("access-control-allow-origin"), "*");

    // HEAD: the headers of a GET, no body.
    let head = reqwest::Client::new()
        .head(format!("{base}/widgets/civic.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(head.status(), 200);
    assert_eq!(
        head.headers()["content-length"].to_str().unwrap(),
        loader.len().to_string()
    );
    assert!(head.bytes().await.unwrap().is_empty());

    for missing in [
        "/widgets/nothing.js",
        "/widgets/../Cargo.toml",
        "/demo/nothing.html",
        "/office/assets/nothing.js",
        "/integrations/nothing.zip",
    ] {
        assert_eq!(
            get(&format!("{base}{missing}"), &[]).await.status,
            404,
            "{missing}"
        );
    }
    assert_eq!(
        std::fs::read_dir(empty.path()).unwrap().count(),
        0,
        "nothing was read from or written to the working directory"
    );
}

/// A `--dist` folder as a developer has it: no precompressed files, one stale `.gz`.
fn dev_dist() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let widgets = dir.path().join("widgets");
    std::fs::create_dir_all(&widgets).unwrap();
    std::fs::create_dir_all(dir.path().join("demo")).unwrap();
    let loader = "/* development loader */\n".repeat(200);
    std::fs::write(
        widgets.join("civic.js.gz"),
        b"left over from an older build",
    )
    .unwrap();
    let stale = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    std::fs::File::options()
        .write(true)
        .open(widgets.join("civic.js.gz"))
        .unwrap()
        .set_modified(stale)
        .unwrap();
    std::fs::write(widgets.join("civic.js"), loader).unwrap();
    std::fs::write(dir.path().join("demo/index.html"), "<!doctype html><p>dev").unwrap();
    dir
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dist_overrides_the_built_in_bundle_and_is_compressed_at_start() {
    let dist = dev_dist();
    let dist_arg = dist.path().to_str().unwrap();
    let db_dir = tempfile::tempdir().unwrap();
    let server = start(db_dir.path(), db_dir.path(), &["--dist", dist_arg]);
    let loader = check_file(&server.url, "/widgets/civic.js", "text/javascript", SHORT).await;
    assert_eq!(
        loader,
        "/* development loader */\n".repeat(200).into_bytes()
    );
    let page = get(&format!("{}/", server.url), &[]).await;
    assert_eq!(page.body, b"<!doctype html><p>dev");
    // Only what the folder holds: the built-in office is not mixed in.
    assert_eq!(
        get(&format!("{}/office", server.url), &[]).await.status,
        404
    );
    drop(server);

    // The same from the environment, as the browser tests start it.
    let mut child = Command::new(BIN)
        .current_dir(db_dir.path())
        .env("CIVICKIT_DIST", dist.path())
        .args(["serve", "--listen", "127.0.0.1:0", "--database"])
        .arg(format!(
            "sqlite://{}",
            db_dir.path().join("env.db").display()
        ))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let line = BufReader::new(child.stdout.take().unwrap())
        .lines()
        .find_map(|l| {
            l.unwrap()
                .strip_prefix("civickit listening on ")
                .map(String::from)
        });
    let server = Server {
        child,
        url: line.expect("listening"),
    };
    let page = get(&format!("{}/", server.url), &[]).await;
    assert_eq!(page.body, b"<!doctype html><p>dev");
}

#[test]
fn a_missing_dist_folder_is_refused_before_anything_is_created() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("never.db");
    let out = Command::new(BIN)
        .args(["serve", "--listen", "127.0.0.1:0", "--database"])
        .arg(format!("sqlite://{}", db.display()))
        .args(["--dist", "/nonexistent/dist"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--dist /nonexistent/dist: no such folder"),
        "{stderr}"
    );
    assert!(!db.exists(), "the database was not created");
}
