//! The `civickit` binary itself: durability across a hard kill, the admin subcommands, and the
//! settings file. Runs the real executable as an operator would.

mod common;

use common::process::{civickit, start, BIN};
use serde_json::{json, Value};
use std::process::{Command, Stdio};

#[tokio::test]
async fn an_acknowledged_report_survives_a_hard_kill() {
    let dir = tempfile::tempdir().unwrap();
    let db_url = format!("sqlite://{}", dir.path().join("crash.db").display());
    let mut server = start(&db_url, &["--demo", "--demo-history", "off"]);
    assert!(
        !server.api_key.is_empty(),
        "--demo prints an Open311 API key"
    );
    let http = reqwest::Client::new();
    let r = http
        .post(format!("{}/api/v1/musterstadt/reports", server.url))
        .json(
            &common::pow::with_altcha(
                &http,
                &server.url,
                "/api/v1/musterstadt/reports",
                &json!({
                    "category": "muell",
                    "position": {"lat": 50.553, "lng": 9.679},
                    "description": "Meldung kurz vor dem Absturz",
                }),
            )
            .await,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let created: Value = r.json().await.unwrap();
    // SIGKILL: no shutdown hook, no checkpoint, nothing flushed after the 201.
    server.child.kill().unwrap();
    server.child.wait().unwrap();

    let server = start(&db_url, &[]);
    let reference = created["ref"].as_str().unwrap();
    let r = http
        .get(format!(
            "{}/api/v1/musterstadt/reports/{reference}",
            server.url
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let back: Value = r.json().await.unwrap();
    assert_eq!(back["description"], "Meldung kurz vor dem Absturz");
    drop(server);
}

#[tokio::test]
async fn sqlite_runs_in_wal_mode_with_full_sync() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("p.db").display());
    let db = civickit_server::db::Db::connect(&url).await.unwrap();
    use sqlx::Row;
    let mode: String = sqlx::query("PRAGMA journal_mode")
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .get(0);
    let sync: i64 = sqlx::query("PRAGMA synchronous")
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .get(0);
    let fk: i64 = sqlx::query("PRAGMA foreign_keys")
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .get(0);
    assert_eq!((mode.as_str(), sync, fk), ("wal", 2, 1));
}

#[test]
fn admin_subcommands_manage_tenants_keys_and_reports() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("admin.db").display());
    let (ok, out, _) = civickit(&db, &["migrate"]);
    assert!(ok && out.contains("up to date"), "{out}");

    let (ok, out, err) = civickit(
        &db,
        &[
            "tenant",
            "add",
            "--slug",
            "kleinhausen",
            "--name",
            "Kleinhausen",
            "--center",
            "51.0,10.0",
            "--area",
            "50.99,9.99;50.99,10.01;51.01,10.01;51.01,9.99",
            "--origins",
            "https://www.kleinhausen.de",
        ],
    );
    assert!(ok, "{out}{err}");
    assert!(out.contains("added tenant kleinhausen"));
    // Bad input gets a clear error and changes nothing.
    let (ok, _, err) = civickit(
        &db,
        &[
            "tenant",
            "add",
            "--slug",
            "Klein Hausen",
            "--name",
            "X",
            "--center",
            "51,10",
            "--area",
            "1,1;2,2;3,1",
        ],
    );
    assert!(!ok && err.contains("slug"), "{err}");
    let (ok, _, err) = civickit(
        &db,
        &[
            "tenant", "add", "--slug", "zwei", "--name", "X", "--center", "51,10", "--area",
            "1,1;2,2",
        ],
    );
    assert!(!ok && err.contains("three distinct corners"), "{err}");
    let (_, list, _) = civickit(&db, &["tenant", "list"]);
    assert_eq!(list.trim(), "kleinhausen\tKleinhausen");

    let (ok, out, _) = civickit(&db, &["apikey", "add", "--tenant", "kleinhausen"]);
    assert!(ok);
    let key = out.trim().rsplit(' ').next().unwrap();
    assert!(key.len() >= 32, "{out}");
    let (ok, _, err) = civickit(&db, &["apikey", "add", "--tenant", "gibtsnicht"]);
    assert!(!ok && err.contains("gibtsnicht"));

    // The report command changes state with a public note.
    let server = start(&db, &["--demo", "--demo-history", "off"]);
    let rt = tokio::runtime::Runtime::new().unwrap();
    let reference = rt.block_on(async {
        let http = reqwest::Client::new();
        let body =
            json!({"category": "muell", "address": "Am Bach", "description": "Unrat am Bachufer"});
        let body =
            common::pow::with_altcha(&http, &server.url, "/api/v1/musterstadt/reports", &body)
                .await;
        let created: Value = http
            .post(format!("{}/api/v1/musterstadt/reports", server.url))
            .json(&body)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        created["ref"].as_str().unwrap().to_string()
    });
    let (ok, out, err) = civickit(
        &db,
        &[
            "report",
            "set-status",
            "--tenant",
            "musterstadt",
            "--ref",
            &reference,
            "--status",
            "in_progress",
            "--note",
            "Wird erledigt.",
        ],
    );
    assert!(ok, "{err}");
    assert!(out.contains("in_progress"));
    let (ok, _, err) = civickit(
        &db,
        &[
            "report",
            "set-status",
            "--tenant",
            "musterstadt",
            "--ref",
            &reference,
            "--status",
            "closed",
            "--note",
            "zu",
        ],
    );
    assert!(!ok && err.contains("reason"), "{err}");
    let detail: Value = rt.block_on(async {
        reqwest::Client::new()
            .get(format!(
                "{}/api/v1/musterstadt/reports/{reference}",
                server.url
            ))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    });
    assert_eq!(detail["status"], "in_progress");
    assert_eq!(detail["notes"][1]["text"], "Wird erledigt.");
}

#[test]
fn settings_come_from_file_and_environment() {
    let dir = tempfile::tempdir().unwrap();
    let file_db = dir.path().join("from-file.db");
    let env_db = dir.path().join("from-env.db");
    let config = dir.path().join("civickit.toml");
    std::fs::write(
        &config,
        format!("database_url = \"sqlite://{}\"\n", file_db.display()),
    )
    .unwrap();
    let run = |envs: &[(&str, String)]| {
        let mut cmd = Command::new(BIN);
        cmd.args(["--config", config.to_str().unwrap(), "migrate"]);
        cmd.env_remove("CIVICKIT_DATABASE_URL");
        for (k, v) in envs {
            cmd.env(k, v);
        }
        let out = cmd.output().unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert!(run(&[]).contains("from-file.db"));
    assert!(file_db.exists());
    let out = run(&[(
        "CIVICKIT_DATABASE_URL",
        format!("sqlite://{}", env_db.display()),
    )]);
    assert!(
        out.contains("from-env.db"),
        "the environment wins over the file: {out}"
    );
    // A typo in the file is an error that names it.
    std::fs::write(&config, "databse_url = \"x\"\n").unwrap();
    let out = Command::new(BIN)
        .args(["--config", config.to_str().unwrap(), "migrate"])
        .env_remove("CIVICKIT_DATABASE_URL")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("databse_url"));
}

/// Malformed limits or proxy ranges stop `serve` before it listens, naming what is wrong;
/// well-formed ones are taken (the server comes up).
#[test]
fn malformed_limits_and_proxies_are_refused_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("t.db").display());
    let config = dir.path().join("civickit.toml");
    let serve = |extra: &[&str]| {
        let out = Command::new(BIN)
            .args(["--config", config.to_str().unwrap(), "--database", &db])
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(extra)
            .env_remove("CIVICKIT_TRUSTED_PROXIES")
            .stdout(Stdio::null())
            .output()
            .unwrap();
        assert!(!out.status.success());
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    std::fs::write(&config, "[limits]\nreports_per_address = \"30 per 10m\"\n").unwrap();
    let err = serve(&[]);
    assert!(
        err.contains("reports_per_address") && err.contains("COUNT/PERIOD"),
        "{err}"
    );
    std::fs::write(&config, "trusted_proxies = [\"10.0.0.0/33\"]\n").unwrap();
    let err = serve(&[]);
    assert!(err.contains("10.0.0.0/33"), "{err}");
    std::fs::write(&config, "[limits]\nreports_per_address = \"10/5m\"\n").unwrap();
    let err = serve(&["--trusted-proxy", "proxy.local"]);
    assert!(err.contains("proxy.local") && err.contains("CIDR"), "{err}");
    // Well-formed settings start a server.
    std::fs::write(
        &config,
        "trusted_proxies = [\"127.0.0.1\", \"fd00::/8\"]\n[limits]\nreports_per_address = \"10/5m\"\n",
    )
    .unwrap();
    let _running = start(
        &db,
        &[
            "--config",
            config.to_str().unwrap(),
            "--trusted-proxy",
            "10.0.0.1",
        ],
    );
}

fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS in /proc")
}

#[tokio::test]
async fn photo_bombs_and_broken_files_do_not_grow_memory() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("bomb.db").display());
    let server = start(&db, &["--demo", "--demo-history", "off"]);
    let http = reqwest::Client::new();
    let body = json!({"category": "muell", "address": "Am Bach", "description": "Müll mit Foto"});
    let body =
        common::pow::with_altcha(&http, &server.url, "/api/v1/musterstadt/reports", &body).await;
    let created: Value = http
        .post(format!("{}/api/v1/musterstadt/reports", server.url))
        .json(&body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let upload = format!(
        "{}/api/v1/musterstadt/reports/{}/photos?token={}",
        server.url,
        created["ref"].as_str().unwrap(),
        created["tracking_token"].as_str().unwrap()
    );
    let mut jpeg = Vec::new();
    image::DynamicImage::ImageRgb8(image::RgbImage::from_fn(2000, 1500, |x, y| {
        image::Rgb([(x % 251) as u8, (y % 241) as u8, ((x + y) % 239) as u8])
    }))
    .write_to(
        &mut std::io::Cursor::new(&mut jpeg),
        image::ImageFormat::Jpeg,
    )
    .unwrap();
    let truncated = jpeg[..jpeg.len() / 2].to_vec();
    let before = rss_kib(server.child.id());
    for _ in 0..5 {
        for (body, expected) in [(common::png_bomb(), 422), (truncated.clone(), 422)] {
            let r = http.post(&upload).body(body).send().await.unwrap();
            assert_eq!(r.status().as_u16(), expected);
        }
    }
    let after = rss_kib(server.child.id());
    // A 20000×20000 RGB image would need 1.2 GB; the refusals must not come near that.
    assert!(
        after.saturating_sub(before) < 64 * 1024,
        "resident memory grew from {before} KiB to {after} KiB"
    );
}

/// `cargo xtask demo`'s town comes with a year of history, so `<civic-stats>` on the demo page
/// shows figures like a real town's: every month has reports, most are reacted to within the
/// promise, the mailbox has answers; a second start does not add another year.
#[tokio::test]
async fn the_demo_town_has_a_year_of_history_for_its_statistics() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("demo.db").display());
    let figures = |url: String| async move {
        reqwest::get(format!("{url}/api/v1/musterstadt/stats"))
            .await
            .unwrap()
            .json::<Value>()
            .await
            .unwrap()
    };
    let server = start(&db, &["--demo"]);
    let stats = figures(server.url.clone()).await;
    let received = stats["total"]["received"].as_u64().unwrap();
    assert!((100..=250).contains(&received), "{}", stats["total"]);
    let within = stats["total"]["within_promise"].as_f64().unwrap();
    assert!((50.0..=95.0).contains(&within), "{}", stats["total"]);
    assert!(stats["total"]["resolution"]["median"].as_f64().unwrap() > 1.0);
    let months = stats["by_month"].as_array().unwrap();
    assert_eq!(months.len(), 12);
    assert!(
        months.iter().all(|m| m["figures"]["received"] != json!(0)),
        "every month has reports: {months:?}"
    );
    assert!(stats["mailbox"]["answer"]["median"].as_f64().is_some());
    drop(server);
    let server = start(&db, &["--demo"]);
    let again = figures(server.url.clone()).await;
    assert_eq!(again["total"]["received"], received);
}
