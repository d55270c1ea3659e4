//! What an operator does with the real `civickit` executable: back up a running town and
//! restore it, stop the service with SIGTERM, scrape metrics with a token.

mod common;

use civickit_server::db::Backend;
use common::process::{start_with, Running, BIN};
use serde_json::Value;
use std::collections::HashSet;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Output};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// `civickit serve --demo` on a database, killed when dropped.
fn serve(db_url: &str, extra: &[&str], env: &[(&str, &str)]) -> Running {
    start_with(
        db_url,
        &[&["--demo", "--demo-history", "off"], extra].concat(),
        env,
        None,
    )
}

fn civickit(db_url: &str, args: &[&str]) -> Output {
    Command::new(BIN)
        .arg("--database")
        .arg(db_url)
        .args(args)
        .output()
        .unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn open311_form(api_key: &str, n: usize) -> Vec<(&'static str, String)> {
    vec![
        ("api_key", api_key.to_string()),
        ("service_code", "strassenbeleuchtung".to_string()),
        ("lat", "50.5530".to_string()),
        ("long", "9.6790".to_string()),
        ("description", format!("Laterne Nummer {n} ist dunkel")),
        // Queues a confirmation mail, so the outbox and the mail worker have work.
        ("email", format!("buerger{n}@example.org")),
    ]
}

async fn references_in(db_url: &str) -> HashSet<String> {
    let db = civickit_server::db::Db::connect(db_url).await.unwrap();
    use sqlx::Row;
    let refs = sqlx::query("SELECT ref FROM reports")
        .fetch_all(&db.pool)
        .await
        .unwrap()
        .iter()
        .map(|r| r.get::<String, _>(0))
        .collect();
    db.pool.close().await;
    refs
}

/// The stored JPEG bytes of a report's photos.
async fn photos_of(db_url: &str, reference: &str) -> Vec<Vec<u8>> {
    let db = civickit_server::db::Db::connect(db_url).await.unwrap();
    use sqlx::Row;
    let photos = sqlx::query(
        "SELECT p.jpeg FROM photos p JOIN reports r ON r.id = p.report_id WHERE r.ref = $1 ORDER BY p.id",
    )
    .bind(reference)
    .fetch_all(&db.pool)
    .await
    .unwrap()
    .iter()
    .map(|r| r.get::<Vec<u8>, _>(0))
    .collect::<Vec<_>>();
    db.pool.close().await;
    assert!(!photos.is_empty(), "{reference} has a photo");
    photos
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backup_of_a_busy_town_holds_every_acknowledged_report_and_restores() {
    let dir = tempfile::tempdir().unwrap();
    let live = format!("sqlite://{}", dir.path().join("live.db").display());
    let server = serve(&live, &[], &[]);
    let http = reqwest::Client::new();

    // A report with a photo: photos are rows, so the backup must carry them.
    let photo_report = {
        let mut png = Vec::new();
        image::DynamicImage::ImageRgb8(image::RgbImage::from_fn(320, 240, |x, y| {
            image::Rgb([x as u8, y as u8, 90])
        }))
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
        let mut form = reqwest::multipart::Form::new();
        for (name, value) in open311_form(&server.api_key, 0) {
            form = form.text(name, value);
        }
        let form = form.part(
            "media",
            reqwest::multipart::Part::bytes(png)
                .file_name("lampe.png")
                .mime_str("image/png")
                .unwrap(),
        );
        let r = http
            .post(format!("{}/open311/v2/requests.json", server.url))
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let v: Value = r.json().await.unwrap();
        v[0]["service_request_id"].as_str().unwrap().to_string()
    };

    // 50 clients post reports without pause, before, during and after the backup.
    let stop = Arc::new(AtomicBool::new(false));
    let acknowledged = Arc::new(Mutex::new(Vec::<(String, Instant)>::new()));
    let mut clients = Vec::new();
    for client in 0..50 {
        let (http, url, key) = (http.clone(), server.url.clone(), server.api_key.clone());
        let (stop, acknowledged) = (stop.clone(), acknowledged.clone());
        clients.push(tokio::spawn(async move {
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                n += 1;
                let r = http
                    .post(format!("{url}/open311/v2/requests.json"))
                    .form(&open311_form(&key, client * 10_000 + n))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status(), 200, "Open311 acknowledges a stored report");
                let v: Value = r.json().await.unwrap();
                let reference = v[0]["service_request_id"].as_str().unwrap().to_string();
                acknowledged
                    .lock()
                    .unwrap()
                    .push((reference, Instant::now()));
            }
        }));
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let backup_file = dir.path().join("backup.db");
    let backup_started = Instant::now();
    let out = {
        let (live, to) = (live.clone(), backup_file.display().to_string());
        tokio::task::spawn_blocking(move || civickit(&live, &["backup", "--to", &to]))
            .await
            .unwrap()
    };
    let backup_finished = Instant::now();
    tokio::time::sleep(Duration::from_millis(300)).await;
    stop.store(true, Ordering::Relaxed);
    for c in clients {
        c.await.unwrap();
    }
    assert!(out.status.success(), "{}", text(&out));
    let said = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        said.contains("backed up") && said.contains(" reports, "),
        "{said}"
    );
    eprintln!("{said}");

    let acknowledged = acknowledged.lock().unwrap().clone();
    let before: Vec<&String> = acknowledged
        .iter()
        .filter(|(_, at)| *at < backup_started)
        .map(|(r, _)| r)
        .collect();
    let during = acknowledged
        .iter()
        .filter(|(_, at)| *at >= backup_started && *at < backup_finished)
        .count();
    assert!(
        before.len() >= 50,
        "only {} reports before the backup",
        before.len()
    );
    eprintln!(
        "{} reports acknowledged before the backup, {during} while it ran, {} in all",
        before.len(),
        acknowledged.len()
    );

    // Restore into a fresh file; every report acknowledged before the backup is in it.
    let restored = format!("sqlite://{}", dir.path().join("restored.db").display());
    let backup_path = backup_file.display().to_string();
    let out = civickit(&restored, &["restore", "--from", &backup_path]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("restored"),
        "{}",
        text(&out)
    );
    let in_backup = references_in(&restored).await;
    let missing: Vec<_> = before.iter().filter(|r| !in_backup.contains(**r)).collect();
    assert!(
        missing.is_empty(),
        "acknowledged but not in the backup: {missing:?}"
    );
    assert!(said.contains(", 1 photos,"), "{said}");
    assert_eq!(
        photos_of(&restored, &photo_report).await,
        photos_of(&live, &photo_report).await,
        "the photo came along, byte for byte"
    );
    drop(server);

    // The restored town serves: the real binary on it answers a report.
    let server = serve(&restored, &[], &[]);
    let r = http
        .get(format!(
            "{}/api/v1/musterstadt/reports/{}",
            server.url, before[0]
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let report: Value = r.json().await.unwrap();
    assert!(report["description"]
        .as_str()
        .unwrap()
        .starts_with("Laterne Nummer"));
    drop(server);

    // Refusals: each says why, and nothing changes.
    let out = civickit(&live, &["backup", "--to", &backup_path]);
    assert!(!out.status.success());
    assert!(text(&out).contains("never overwrites"), "{}", text(&out));
    assert_eq!(references_in(&restored).await, in_backup);

    let out = civickit(&restored, &["restore", "--from", &backup_path]);
    assert!(!out.status.success());
    assert!(
        text(&out).contains("already holds tenants (musterstadt)"),
        "{}",
        text(&out)
    );
    assert_eq!(references_in(&restored).await, in_backup);

    let elsewhere = format!("sqlite://{}", dir.path().join("other.db").display());
    let notes = dir.path().join("notes.txt");
    std::fs::write(&notes, "not a database").unwrap();
    let out = civickit(
        &elsewhere,
        &["restore", "--from", &notes.display().to_string()],
    );
    assert!(!out.status.success());
    assert!(
        text(&out).contains("not a civickit backup"),
        "{}",
        text(&out)
    );

    let out = civickit(
        "postgres://postgres@127.0.0.1:5432/nowhere",
        &["restore", "--from", &backup_path],
    );
    assert!(!out.status.success());
    assert!(
        text(&out).contains("across database kinds"),
        "{}",
        text(&out)
    );

    // A backup from a newer civickit (a migration this binary does not know) is refused.
    let newer = dir.path().join("newer.db");
    std::fs::copy(&backup_file, &newer).unwrap();
    {
        let db = civickit_server::db::Db::connect(&format!("sqlite://{}", newer.display()))
            .await
            .unwrap();
        sqlx::query(
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
             VALUES (9999, 'from the future', TRUE, x'00', 0)",
        )
        .execute(&db.pool)
        .await
        .unwrap();
        db.pool.close().await;
    }
    let out = civickit(
        &elsewhere,
        &["restore", "--from", &newer.display().to_string()],
    );
    assert!(!out.status.success());
    assert!(text(&out).contains("newer civickit"), "{}", text(&out));
    assert!(
        !dir.path().join("other.db").exists(),
        "a refused restore creates nothing"
    );
}

#[test]
fn postgres_backup_names_pg_dump_without_the_password() {
    let url = "postgres://civickit:geheim@db.example:5432/town";
    let out = civickit(url, &["backup", "--to", "/tmp/never-written.db"]);
    assert!(!out.status.success(), "advice is not a backup");
    let said = text(&out);
    assert!(!said.contains("geheim"), "{said}");
    assert!(
        said.contains("pg_dump --format=custom --file=civickit-$(date +%F).dump 'postgres://civickit@db.example:5432/town'"),
        "{said}"
    );
    assert!(
        said.contains("pg_restore --exit-on-error --no-owner"),
        "{said}"
    );
    assert!(!Path::new("/tmp/never-written.db").exists());
}

/// The pg_dump and pg_restore lines that `civickit backup` prints work as printed: dump a live
/// town, restore it into a new database, serve it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_printed_pg_dump_lines_back_up_and_restore_a_town() {
    let Some((live, _guard)) = common::fresh_database(Backend::Postgres).await else {
        return;
    };
    let Some((target, _guard2)) = common::fresh_database(Backend::Postgres).await else {
        return;
    };
    let server = serve(&live, &[], &[]);
    let http = reqwest::Client::new();
    let r = http
        .post(format!("{}/open311/v2/requests.json", server.url))
        .form(&open311_form(&server.api_key, 1))
        .send()
        .await
        .unwrap();
    let v: Value = r.json().await.unwrap();
    let reference = v[0]["service_request_id"].as_str().unwrap().to_string();

    let advice = text(&civickit(&live, &["backup", "--to", "x"]));
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("town.dump");
    let dump_line = advice
        .lines()
        .find(|l| l.trim_start().starts_with("pg_dump"))
        .unwrap()
        .replace("civickit-$(date +%F).dump", &dump.display().to_string());
    let restore_line = advice
        .lines()
        .find(|l| l.trim_start().starts_with("pg_restore"))
        .unwrap()
        .replace(&live, &target)
        .replace("civickit-YYYY-MM-DD.dump", &dump.display().to_string());
    for line in [&dump_line, &restore_line] {
        let out = Command::new("sh").arg("-c").arg(line).output().unwrap();
        assert!(out.status.success(), "{line}: {}", text(&out));
    }
    drop(server);
    let server = serve(&target, &[], &[]);
    let r = http
        .get(format!(
            "{}/api/v1/musterstadt/reports/{reference}",
            server.url
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}

/// Sends the head and half the body of an Open311 POST; the rest comes later.
fn half_sent_request(addr: &str, api_key: &str, n: usize) -> (TcpStream, Vec<u8>) {
    let body = serde_urlencoded::to_string(open311_form(api_key, n)).unwrap();
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    write!(
        stream,
        "POST /open311/v2/requests.json HTTP/1.1\r\nHost: {addr}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .unwrap();
    let (first, rest) = body.as_bytes().split_at(body.len() / 2);
    stream.write_all(first).unwrap();
    stream.flush().unwrap();
    (stream, rest.to_vec())
}

fn sigterm(child: &Child) {
    let ok = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap()
        .success();
    assert!(ok, "kill -TERM");
}

fn wait_for_exit(child: &mut Child, within: Duration) -> std::process::ExitStatus {
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        assert!(started.elapsed() < within, "still running after {within:?}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

async fn sigterm_lets_requests_in_flight_finish(backend: Backend) {
    let Some((db_url, _guard)) = common::fresh_database(backend).await else {
        return;
    };
    // With a mail worker running (its SMTP server refuses), which has to stop as well.
    let mut server = serve(&db_url, &["--smtp-url", "smtp://127.0.0.1:9"], &[]);
    // 20 uploads in flight: their bodies have begun, the rest is still on its way.
    let in_flight: Vec<_> = (0..20)
        .map(|n| half_sent_request(&server.addr, &server.api_key, n))
        .collect();
    std::thread::sleep(Duration::from_millis(200));
    sigterm(&server.child);
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        TcpStream::connect(&server.addr).is_err(),
        "a stopping server accepts no new connections"
    );
    let mut references = Vec::new();
    for (mut stream, rest) in in_flight {
        stream.write_all(&rest).unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        let key = "\"service_request_id\":\"";
        let start = answer.find(key).expect(&answer) + key.len();
        let len = answer[start..].find('"').unwrap();
        references.push(answer[start..start + len].to_string());
    }
    let status = wait_for_exit(&mut server.child, Duration::from_secs(10));
    assert_eq!(status.code(), Some(0), "a clean stop exits 0");
    let stored = references_in(&db_url).await;
    for r in &references {
        assert!(
            stored.contains(r),
            "{r} was acknowledged and must be stored"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_sigterm_lets_requests_in_flight_finish_and_exits_zero() {
    sigterm_lets_requests_in_flight_finish(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_sigterm_lets_requests_in_flight_finish_and_exits_zero() {
    sigterm_lets_requests_in_flight_finish(Backend::Postgres).await;
}

#[test]
fn a_stalled_request_holds_up_the_stop_only_as_long_as_the_shutdown_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let db_url = format!("sqlite://{}", dir.path().join("t.db").display());
    let mut server = serve(&db_url, &["--shutdown-timeout", "1"], &[]);
    let (_stalled, _never_sent) = half_sent_request(&server.addr, &server.api_key, 1);
    std::thread::sleep(Duration::from_millis(200));
    let started = Instant::now();
    sigterm(&server.child);
    let status = wait_for_exit(&mut server.child, Duration::from_secs(8));
    assert_eq!(status.code(), Some(0));
    let took = started.elapsed();
    assert!(
        took >= Duration::from_millis(900),
        "waited for the request: {took:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_with_a_token_need_it_even_from_loopback() {
    let dir = tempfile::tempdir().unwrap();
    let db_url = format!("sqlite://{}", dir.path().join("m.db").display());
    let token = "metrics-0123456789abcdef";
    let server = serve(&db_url, &[], &[("CIVICKIT_METRICS_TOKEN", token)]);
    let http = reqwest::Client::new();
    let get = |auth: Option<String>| {
        let mut req = http.get(format!("{}/metrics", server.url));
        if let Some(a) = auth {
            req = req.header("authorization", a);
        }
        async move { req.send().await.unwrap().status().as_u16() }
    };
    assert_eq!(
        get(None).await,
        404,
        "loopback alone is not enough with a token"
    );
    assert_eq!(get(Some("Bearer wrong-token-0123456789".into())).await, 404);
    assert_eq!(get(Some(format!("Basic {token}"))).await, 404);
    assert_eq!(get(Some(format!("Bearer {token}"))).await, 200);
    drop(server);

    // A token too short to be safe stops the start with a clear message.
    let out = Command::new(BIN)
        .args(["serve", "--listen", "127.0.0.1:0", "--database", &db_url])
        .env("CIVICKIT_METRICS_TOKEN", "short")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        text(&out).contains("metrics_token: use at least 16 characters"),
        "{}",
        text(&out)
    );
}
