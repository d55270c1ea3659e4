//! Several instances on one PostgreSQL (issue 14): two real `civickit serve` processes on one
//! fresh database behind a real nginx that sends requests to them in turn, as a municipal IT
//! provider runs them. What must happen once happens once (mail, the daily retention job),
//! what is counted is counted together (a citizen's report limit, the login throttle), what
//! one instance changes the other shows at once (the map), and a hard kill of one loses no
//! acknowledged write.
//!
//! PostgreSQL only (SQLite serves one process per file): without a PostgreSQL server this says
//! it skipped, and fails under `CIVICKIT_REQUIRE_POSTGRES=1`. Needs nginx and the SMTP sink
//! (`cargo xtask setup`).

mod common;

use civickit_server::db::{Backend, Db};
use civickit_server::limits::{KeyedLimit, Rate};
use common::nginx::{nginx_binary, Nginx};
use common::process::{civickit, start_with, Running};
use common::{good_report, Office, SmtpSink};
use serde_json::{json, Value};
use sqlx::Row;
use std::net::IpAddr;
use std::path::Path;
use std::time::{Duration, Instant};

/// The citizen's own address; nginx (127.0.0.1, trusted) names it in `X-Forwarded-For`.
const CITIZEN: &str = "127.0.0.2";
/// Small limits in the servers' settings file, so the test reaches them quickly.
const SETTINGS: &str = r#"trusted_proxies = ["127.0.0.1"]
[limits]
reports_per_address = "3/10m"
login_failures_per_address = "3/15m"
login_failures_per_account = "100/15m"
"#;
const REPORT_LIMIT: usize = 3;
const LOGIN_LIMIT: usize = 3;
/// Mails queued before both instances start, so that their workers race for them.
const QUEUED_MAILS: usize = 24;
/// How soon a change made through one instance must show on the other's map.
const PROPAGATION: Duration = Duration::from_secs(1);

struct Cluster {
    a: Running,
    b: Running,
    nginx: Nginx,
    db: Db,
    db_url: String,
    tenant_id: i64,
    admin: (String, String),
    logs: tempfile::TempDir,
    sink: SmtpSink,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_on_one_postgres_behind_nginx() {
    let Some(nginx) = nginx_binary() else { return };
    let Some((db_url, _guard)) = common::fresh_database(Backend::Postgres).await else {
        return;
    };
    let c = Cluster::start(&nginx, &db_url).await;
    the_retention_job_runs_once_between_them(&c).await;
    each_queued_mail_goes_out_once(&c).await;
    let reference = a_citizens_report_limit_holds_across_both(&c).await;
    the_login_throttle_holds_across_both(&c).await;
    a_change_through_one_shows_on_the_others_map(&c, &reference).await;
    a_hard_kill_loses_no_acknowledged_write(c).await;
}

/// Two `Db` pools on one database stand for two instances: concurrent events of one key are
/// counted once each, whichever pool they reach, and swept once their time has passed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shared_limits_count_concurrent_events_once() {
    let Some((db_url, _guard)) = common::fresh_database(Backend::Postgres).await else {
        return;
    };
    let one = Db::connect(&db_url).await.unwrap();
    one.migrate().await.unwrap();
    let two = Db::connect(&db_url).await.unwrap();
    let rate = Rate::new(5, 600);
    let limits = [
        KeyedLimit::<IpAddr>::shared(rate, one.clone(), "reports"),
        KeyedLimit::<IpAddr>::shared(rate, two.clone(), "reports"),
    ];
    let key: IpAddr = "203.0.113.7".parse().unwrap();
    let results = futures_util::future::join_all((0..20).map(|i| limits[i % 2].check(&key))).await;
    let allowed = results.iter().filter(|r| r.is_ok()).count();
    assert_eq!(allowed, 5, "{results:?}");
    for wait in results.iter().filter_map(|r| r.err()) {
        // One comes back every 600 s / 5.
        assert!(
            wait > Duration::from_secs(110) && wait <= Duration::from_secs(120),
            "{wait:?}"
        );
    }
    let other: IpAddr = "203.0.113.8".parse().unwrap();
    assert!(
        limits[1].check(&other).await.is_ok(),
        "keys are independent"
    );

    let brief = KeyedLimit::<IpAddr>::shared(Rate::new(1, 1), one.clone(), "brief");
    brief.check(&key).await.unwrap();
    assert!(brief.check(&key).await.is_err());
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(
        one.sweep_shared_limits().await.unwrap(),
        1,
        "only the brief key is idle"
    );
    assert!(brief.check(&key).await.is_ok(), "a swept key starts afresh");
}

impl Cluster {
    async fn start(nginx: &Path, db_url: &str) -> Cluster {
        let sink = SmtpSink::start();
        let db = Db::connect(db_url).await.unwrap();
        db.migrate().await.unwrap();
        let tenant = civickit_server::demo::seed(&db).await.unwrap();
        let logins = civickit_server::demo::officials(&db, &tenant)
            .await
            .unwrap();
        // A reporter's address whose time is up: a resolved demo report, closed 400 days ago
        // (the town keeps addresses 180 days).
        let due = sqlx::query(
            "UPDATE reports SET email = 'frueher@example.org', closed_at = $1 WHERE id = \
             (SELECT id FROM reports WHERE tenant_id = $2 AND status = 'resolved' ORDER BY id LIMIT 1)",
        )
        .bind(civickit_server::db::now() - 400 * 86_400)
        .bind(tenant.id)
        .execute(&db.pool)
        .await
        .unwrap();
        assert_eq!(
            due.rows_affected(),
            1,
            "the demo town has a resolved report"
        );
        for n in 0..QUEUED_MAILS {
            sqlx::query(
                "INSERT INTO outbox (tenant_id, recipient, subject, body, created_at, next_attempt_at) \
                 VALUES ($1, $2, $3, 'Hallo', $4, $4)",
            )
            .bind(tenant.id)
            .bind(format!("empfaenger{n}@example.org"))
            .bind(format!("Nachricht {n}"))
            .bind(civickit_server::db::now())
            .execute(&db.pool)
            .await
            .unwrap();
        }
        let logs = tempfile::tempdir().unwrap();
        let settings = logs.path().join("civickit.toml");
        std::fs::write(&settings, SETTINGS).unwrap();
        let args = [
            "--config",
            settings.to_str().unwrap(),
            "--smtp-url",
            &sink.url,
        ];
        // Both at once, as after a deployment: their mail workers and retention jobs race.
        let (a, b) = std::thread::scope(|s| {
            let start = |name: &str| {
                let log = logs.path().join(format!("{name}.log"));
                s.spawn(move || start_with(db_url, &args, &[("NO_COLOR", "1")], Some(&log)))
            };
            let (a, b) = (start("a"), start("b"));
            (a.join().unwrap(), b.join().unwrap())
        });
        let nginx = Nginx::start(&nginx.to_path_buf(), &[&a.addr, &b.addr]);
        Cluster {
            a,
            b,
            nginx,
            db,
            db_url: db_url.to_string(),
            tenant_id: tenant.id,
            admin: (logins[0].0.clone(), logins[0].2.clone()),
            logs,
            sink,
        }
    }

    fn log(&self, name: &str) -> String {
        std::fs::read_to_string(self.logs.path().join(format!("{name}.log"))).unwrap_or_default()
    }

    /// A client whose connections come from the citizen's own address.
    fn citizen(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .local_address(CITIZEN.parse::<IpAddr>().unwrap())
            .build()
            .unwrap()
    }

    /// The upstreams nginx sent the `n` requests `POST path` to; nginx logs a request just
    /// after its answer, so this waits a moment for the last line.
    async fn upstreams_of(&self, path: &str, n: usize) -> Vec<String> {
        let prefix = format!("POST {path} ");
        let deadline = Instant::now() + Duration::from_secs(2);
        loop {
            let upstreams: Vec<String> = self
                .nginx
                .access_log()
                .iter()
                .filter(|l| l.starts_with(&prefix))
                .map(|l| l.rsplit(' ').next().unwrap().to_string())
                .collect();
            if upstreams.len() >= n || Instant::now() > deadline {
                assert_eq!(upstreams.len(), n, "{upstreams:?}");
                return upstreams;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

async fn the_retention_job_runs_once_between_them(c: &Cluster) {
    let retention_lines = |log: String| -> Vec<String> {
        log.lines()
            .filter(|l| l.contains("retention:"))
            .map(str::to_string)
            .collect()
    };
    let deadline = Instant::now() + Duration::from_secs(10);
    let (a, b) = loop {
        let (a, b) = (retention_lines(c.log("a")), retention_lines(c.log("b")));
        if !a.is_empty() && !b.is_empty() {
            break (a, b);
        }
        assert!(
            Instant::now() < deadline,
            "both instances try the day's retention at start: {a:?} {b:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let lines: Vec<&String> = a.iter().chain(&b).collect();
    assert_eq!(lines.len(), 2, "one retention line each: {lines:?}");
    let ran: Vec<_> = lines.iter().filter(|l| l.contains("ran for")).collect();
    let skipped: Vec<_> = lines
        .iter()
        .filter(|l| l.contains("already run by another instance"))
        .collect();
    assert_eq!((ran.len(), skipped.len()), (1, 1), "{lines:?}");
    assert!(ran[0].contains("report_contact 1,"), "{}", ran[0]);
    let runs = sqlx::query("SELECT day, finished_at FROM job_runs WHERE name = 'retention'")
        .fetch_all(&c.db.pool)
        .await
        .unwrap();
    assert_eq!(runs.len(), 1);
    let today = time::OffsetDateTime::now_utc().date().to_string();
    assert_eq!(runs[0].get::<String, _>("day"), today);
    let erasures: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM audit_log WHERE tenant_id = $1 AND action = 'retention.erase'",
    )
    .bind(c.tenant_id)
    .fetch_one(&c.db.pool)
    .await
    .unwrap()
    .get("n");
    assert_eq!(erasures, 1, "erased (and audited) once");
}

async fn each_queued_mail_goes_out_once(c: &Cluster) {
    c.sink.wait_for(QUEUED_MAILS).await;
    // Give a second copy, were one sent, the time to arrive too.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mails = c.sink.messages();
    for n in 0..QUEUED_MAILS {
        let to = format!("empfaenger{n}@example.org");
        let copies = mails
            .iter()
            .filter(|m| m.contains(&format!("To: {to}")))
            .count();
        assert_eq!(copies, 1, "{to} got {copies} copies");
    }
    // Each was claimed by one worker, once: a second claim would have counted an attempt.
    let rows = sqlx::query(
        "SELECT COUNT(*) AS n FROM outbox WHERE recipient LIKE 'empfaenger%' \
         AND sent_at IS NOT NULL AND attempts = 1",
    )
    .fetch_one(&c.db.pool)
    .await
    .unwrap()
    .get::<i64, _>("n");
    assert_eq!(rows, QUEUED_MAILS as i64);
}

/// Returns the reference of the citizen's first report.
async fn a_citizens_report_limit_holds_across_both(c: &Cluster) -> String {
    let citizen = c.citizen();
    let url = format!("{}/api/v1/musterstadt/reports", c.nginx.url());
    let mut first = None;
    // Challenges straight from instance A: through nginx the GETs would take every other
    // upstream and leave all POSTs to one. A's challenges are good at B too (one key in the
    // database).
    let solved = async || {
        common::pow::with_altcha(
            &citizen,
            &c.a.url,
            "/api/v1/musterstadt/reports",
            &good_report(),
        )
        .await
    };
    let mut last = Value::Null;
    for _ in 0..REPORT_LIMIT {
        let body = solved().await;
        let r = citizen.post(&url).json(&body).send().await.unwrap();
        last = body;
        assert_eq!(r.status(), 201);
        let created: Value = r.json().await.unwrap();
        first.get_or_insert(created["ref"].as_str().unwrap().to_string());
    }
    let body = solved().await;
    let r = citizen.post(&url).json(&body).send().await.unwrap();
    assert_eq!(r.status(), 429, "the limit counts both instances' reports");
    assert!(r.headers().contains_key("retry-after"));
    let upstreams = c
        .upstreams_of("/api/v1/musterstadt/reports", REPORT_LIMIT + 1)
        .await;
    for addr in [&c.a.addr, &c.b.addr] {
        assert!(
            upstreams.contains(addr),
            "nginx sent reports to {addr} too: {upstreams:?}"
        );
    }
    // A challenge spent on one instance is spent on both.
    for instance in [&c.a, &c.b] {
        let r = citizen
            .post(format!("{}/api/v1/musterstadt/reports", instance.url))
            .json(&last)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 409, "{}", instance.url);
        let err: Value = r.json().await.unwrap();
        assert_eq!(err["error"], "challenge_used");
    }
    first.unwrap()
}

async fn the_login_throttle_holds_across_both(c: &Cluster) {
    let citizen = c.citizen();
    let url = format!("{}/office/api/login", c.nginx.url());
    let wrong = json!({"email": c.admin.0, "password": "falsch geraten"});
    for _ in 0..LOGIN_LIMIT {
        let r = citizen.post(&url).json(&wrong).send().await.unwrap();
        assert_eq!(r.status(), 401);
    }
    let r = citizen.post(&url).json(&wrong).send().await.unwrap();
    assert_eq!(
        r.status(),
        429,
        "the failures of both instances count together"
    );
    let upstreams = c.upstreams_of("/office/api/login", LOGIN_LIMIT + 1).await;
    assert!(
        upstreams.contains(&c.a.addr) && upstreams.contains(&c.b.addr),
        "{upstreams:?}"
    );
}

async fn a_change_through_one_shows_on_the_others_map(c: &Cluster, reference: &str) {
    let http = reqwest::Client::new();
    assert_eq!(map_status(&http, &c.b, reference).await, "received");
    // Through instance A's office API…
    let office = Office::login(&http, &c.a.url, None, &c.admin.0, &c.admin.1)
        .await
        .unwrap();
    let (status, body) = office
        .post(
            &format!("/office/api/reports/{reference}/status"),
            &json!({"status": "in_progress", "public_note": "Ein Elektriker ist beauftragt."}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    shows_within(&http, &c.b, reference, "in_progress").await;
    // …and through the command line, a third process: both instances learn of it.
    let (ok, _, err) = civickit(
        &c.db_url,
        &[
            "report",
            "set-status",
            "--tenant",
            "musterstadt",
            "--ref",
            reference,
            "--status",
            "resolved",
            "--note",
            "Repariert.",
        ],
    );
    assert!(ok, "{err}");
    for instance in [&c.a, &c.b] {
        shows_within(&http, instance, reference, "resolved").await;
    }
    // Both listening connections cut (a database restart, a network blip) and a change made
    // at once: each instance reconnects and reads its index afresh, missing nothing.
    let cut: i64 = sqlx::query(
        "SELECT COUNT(pg_terminate_backend(pid)) AS n FROM pg_stat_activity \
         WHERE datname = current_database() AND query LIKE 'LISTEN %'",
    )
    .fetch_one(&c.db.pool)
    .await
    .unwrap()
    .get("n");
    assert_eq!(cut, 2, "one listening connection per instance");
    let (ok, _, err) = civickit(
        &c.db_url,
        &[
            "report",
            "set-status",
            "--tenant",
            "musterstadt",
            "--ref",
            reference,
            "--status",
            "in_progress",
            "--note",
            "Doch noch nicht fertig.",
        ],
    );
    assert!(ok, "{err}");
    for (name, instance) in [("a", &c.a), ("b", &c.b)] {
        shows_within(&http, instance, reference, "in_progress").await;
        let listening = c
            .log(name)
            .matches("INFO civickit_server::db::listen: listening for")
            .count();
        assert_eq!(listening, 2, "{name} listened again: {}", c.log(name));
    }
}

async fn a_hard_kill_loses_no_acknowledged_write(mut c: Cluster) {
    let http = reqwest::Client::new();
    let mut report = good_report();
    report["description"] = json!("Gemeldet kurz vor dem Absturz");
    let report =
        common::pow::with_altcha(&http, &c.a.url, "/api/v1/musterstadt/reports", &report).await;
    let r = http
        .post(format!("{}/api/v1/musterstadt/reports", c.a.url))
        .json(&report)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let created: Value = r.json().await.unwrap();
    // SIGKILL right after the 201: no shutdown hook runs.
    c.a.child.kill().unwrap();
    c.a.child.wait().unwrap();
    let reference = created["ref"].as_str().unwrap();
    // Through the survivor, and through nginx, which now sends everything there.
    for base in [c.b.url.clone(), c.nginx.url(), c.nginx.url()] {
        let r = http
            .get(format!("{base}/api/v1/musterstadt/reports/{reference}"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{base}");
        let back: Value = r.json().await.unwrap();
        assert_eq!(back["description"], "Gemeldet kurz vor dem Absturz");
    }
    shows_within(&http, &c.b, reference, "received").await;
}

/// Waits until `instance`'s map shows `reference` in `status`; fails after [`PROPAGATION`].
async fn shows_within(http: &reqwest::Client, instance: &Running, reference: &str, status: &str) {
    let started = Instant::now();
    loop {
        let now = map_status(http, instance, reference).await;
        if now == status {
            return;
        }
        assert!(
            started.elapsed() < PROPAGATION,
            "{} still shows {reference} as {now:?} after {PROPAGATION:?}, not {status}",
            instance.url
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// The state `instance`'s map shows for `reference` ("" if it is not there), over the tiles
/// around the demo reports' corner at zoom 14.
async fn map_status(http: &reqwest::Client, instance: &Running, reference: &str) -> String {
    let (x, y) = tile(50.5530, 9.6790, 14);
    let url = format!(
        "{}/api/v1/musterstadt/map?z=14&x={}-{}&y={}-{}",
        instance.url,
        x - 1,
        x + 1,
        y - 1,
        y + 1
    );
    let r = http.get(&url).send().await.unwrap();
    assert_eq!(r.status(), 200, "{url}");
    let answer: Value = r.json().await.unwrap();
    answer["points"]
        .as_array()
        .unwrap_or_else(|| panic!("{answer}"))
        .iter()
        .find(|p| p[0] == reference)
        .map(|p| p[1].as_str().unwrap().to_string())
        .unwrap_or_default()
}

/// The slippy-map tile holding a position.
fn tile(lat: f64, lng: f64, zoom: u8) -> (u32, u32) {
    let n = f64::from(1u32 << zoom);
    let x = (lng + 180.0) / 360.0 * n;
    let lat = lat.to_radians();
    let y = (1.0 - (lat.tan() + 1.0 / lat.cos()).ln() / std::f64::consts::PI) / 2.0 * n;
    (x as u32, y as u32)
}
