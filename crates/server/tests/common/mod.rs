//! Test harness: a real civickit server on a free loopback port, over a real database, once on
//! SQLite (a temporary file) and once on PostgreSQL (a database of its own, dropped afterwards).
//!
//! `backend_tests!(a, b, …)` turns each `async fn a(s: TestServer)` into `sqlite::a` and
//! `postgres::a`. When no PostgreSQL server answers, the postgres tests say so loudly on stderr
//! and pass without running (`cargo xtask test` also prints a banner before the run), so a
//! laptop without PostgreSQL can still run the suite. With `CIVICKIT_REQUIRE_POSTGRES=1` (CI
//! sets it in `.ci/run`) they fail instead: there a green run must mean both backends passed.

#![allow(dead_code)]

pub mod grep;
pub mod nginx;
pub mod pow;
pub mod process;

use civickit_model::{Area, LatLng};
use civickit_server::db::tenants::{NewTenant, Tenant};
use civickit_server::db::{Backend, Db};
use civickit_server::http::AppState;
use serde_json::Value;
use std::sync::Arc;

pub const DEFAULT_POSTGRES: &str = "postgres://postgres@127.0.0.1:5432/postgres";

pub struct TestServer {
    pub url: String,
    pub db: Db,
    /// The database's URL, for running the `civickit` binary on it beside the server.
    pub db_url: String,
    pub http: reqwest::Client,
    pub tenant: Tenant,
    pub api_key: String,
    pub backend: Backend,
    /// (e-mail, password) of the demo admin and the demo editor (Bauhof).
    pub admin: (String, String),
    pub editor: (String, String),
    pub mail_wake: Arc<tokio::sync::Notify>,
    _guard: DbGuard,
}

/// Removes the test's database when the test ends, however it ends.
pub struct DbGuard {
    postgres_admin_url: Option<String>,
    postgres_db: Option<String>,
    _dir: Option<tempfile::TempDir>,
}

impl Drop for DbGuard {
    fn drop(&mut self) {
        if let (Some(admin), Some(name)) = (self.postgres_admin_url.take(), self.postgres_db.take())
        {
            // The test's runtime is going away; drop the database from a runtime of our own.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                rt.block_on(async {
                    if let Ok(db) = Db::connect(&admin).await {
                        let _ =
                            sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                                .execute(&db.pool)
                                .await;
                    }
                });
            })
            .join();
        }
    }
}

/// A new, empty database of its own for one test: an SQLite file in a temporary folder, or a
/// PostgreSQL database created on `CIVICKIT_TEST_POSTGRES`. The guard removes it when dropped.
/// `None` means PostgreSQL is not reachable (and not required).
pub async fn fresh_database(backend: Backend) -> Option<(String, DbGuard)> {
    let mut guard = DbGuard {
        postgres_admin_url: None,
        postgres_db: None,
        _dir: None,
    };
    let url = match backend {
        Backend::Sqlite => {
            let dir = tempfile::tempdir().unwrap();
            let url = format!("sqlite://{}", dir.path().join("test.db").display());
            guard._dir = Some(dir);
            url
        }
        Backend::Postgres => {
            let admin_url = postgres_admin_url();
            let admin = match tokio::time::timeout(
                std::time::Duration::from_secs(5),
                Db::connect(&admin_url),
            )
            .await
            {
                Ok(Ok(db)) => db,
                Ok(Err(e)) if postgres_required() => panic!(
                    "CIVICKIT_REQUIRE_POSTGRES is set, but PostgreSQL at {admin_url} refused: {e}"
                ),
                Err(_) if postgres_required() => panic!(
                    "CIVICKIT_REQUIRE_POSTGRES is set, but PostgreSQL at {admin_url} did not answer within 5 s"
                ),
                _ => {
                    eprintln!(
                        "\n!!! SKIPPED on PostgreSQL: no server answers at {admin_url} \
                         (set CIVICKIT_TEST_POSTGRES) !!!\n"
                    );
                    return None;
                }
            };
            let name = unique_name();
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&admin.pool)
                .await
                .expect("CREATE DATABASE");
            admin.pool.close().await;
            guard.postgres_admin_url = Some(admin_url.clone());
            guard.postgres_db = Some(name.clone());
            let (base, _) = admin_url
                .rsplit_once('/')
                .expect("a database URL with a path");
            format!("{base}/{name}")
        }
    };
    Some((url, guard))
}

pub fn postgres_admin_url() -> String {
    std::env::var("CIVICKIT_TEST_POSTGRES").unwrap_or_else(|_| DEFAULT_POSTGRES.into())
}

/// Whether a missing PostgreSQL fails the tests instead of skipping them.
pub fn postgres_required() -> bool {
    std::env::var("CIVICKIT_REQUIRE_POSTGRES").is_ok_and(|v| !v.is_empty() && v != "0")
}

fn unique_name() -> String {
    format!("civickit_test_{:016x}", rand::random::<u64>())
}

/// A second, simple tenant for isolation tests: a square around (48.0, 11.0).
pub fn other_tenant() -> NewTenant {
    NewTenant {
        slug: "nachbardorf".into(),
        name: "Nachbardorf".into(),
        center: LatLng::new(48.0, 11.0),
        zoom: 15,
        area: Area::new(vec![
            LatLng::new(47.99, 10.99),
            LatLng::new(47.99, 11.01),
            LatLng::new(48.01, 11.01),
            LatLng::new(48.01, 10.99),
        ]),
        tile_url: "/tiles/{z}/{x}/{y}.svg".into(),
        tile_attribution: "test".into(),
        privacy_url: "https://nachbardorf.example/datenschutz".into(),
        imprint_url: String::new(),
        allowed_origins: "https://www.nachbardorf.example".into(),
        premoderation: false,
        response_days: 5,
    }
}

/// What a test may choose about its server; the default is what `start` runs with.
#[derive(Default)]
pub struct ServerSettings {
    pub smtp_url: Option<String>,
    pub limits: civickit_server::limits::Limits,
    pub trusted_proxies: civickit_server::http::TrustedProxies,
    /// `None`: [`pow::test_abuse_settings`] (no minimum fill time), so ordinary tests post at once.
    pub abuse: Option<civickit_server::pow::AbuseSettings>,
}

impl TestServer {
    /// Starts a server seeded with the demo town. `None` means PostgreSQL is not reachable.
    pub async fn start(backend: Backend) -> Option<TestServer> {
        Self::start_with_smtp(backend, None).await
    }

    /// Like `start`, with the mail worker sending to `smtp_url`.
    pub async fn start_with_smtp(backend: Backend, smtp_url: Option<&str>) -> Option<TestServer> {
        Self::start_with(
            backend,
            ServerSettings {
                smtp_url: smtp_url.map(str::to_string),
                ..Default::default()
            },
        )
        .await
    }

    /// Like `start`, with the settings a test chooses.
    pub async fn start_with(backend: Backend, settings: ServerSettings) -> Option<TestServer> {
        let smtp_url = settings.smtp_url.as_deref();
        let (url, guard) = fresh_database(backend).await?;
        let db = Db::connect(&url).await.expect("connect");
        db.migrate().await.expect("migrate");
        let mut tenant = civickit_server::demo::seed(&db).await.expect("seed");
        // Cheap challenges for the ordinary tests; abuse.rs sets what it tests.
        db.set_pow_max_number(
            tenant.id,
            pow::TEST_POW_MAX_NUMBER,
            &civickit_server::db::audit::Actor::cli(),
        )
        .await
        .unwrap();
        tenant.pow_max_number = pow::TEST_POW_MAX_NUMBER;
        let api_key = db.create_api_key(tenant.id, "test").await.unwrap();
        let logins = civickit_server::demo::officials(&db, &tenant)
            .await
            .unwrap();
        let mail_wake = Arc::new(tokio::sync::Notify::new());
        if let Some(url) = smtp_url {
            let mailer = civickit_server::mail::Mailer::new(
                url,
                "Musterstadt <noreply@musterstadt.example>",
            )
            .unwrap();
            tokio::spawn(civickit_server::mail::run_worker(
                db.clone(),
                mailer,
                mail_wake.clone(),
                Default::default(),
            ));
        }
        let state = Arc::new(AppState {
            db: db.clone(),
            assets: civickit_server::http::assets::Assets::embedded(),
            public_url: None,
            mail_wake: mail_wake.clone(),
            limiter: civickit_server::limits::RateLimiter::for_db(settings.limits, &db),
            trusted_proxies: settings.trusted_proxies,
            form_key: db.server_secret("form-token-key").await.unwrap(),
            pow: civickit_server::pow::Pow::new(
                settings.abuse.unwrap_or_else(pow::test_abuse_settings),
            ),
            metrics: Default::default(),
            stats: Default::default(),
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let app = civickit_server::http::router(state)
            .into_make_service_with_connect_info::<std::net::SocketAddr>();
        tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        Some(TestServer {
            url: format!("http://{addr}"),
            db,
            db_url: url,
            http: reqwest::Client::new(),
            tenant,
            api_key,
            backend,
            admin: (logins[0].0.clone(), logins[0].2.clone()),
            editor: (logins[1].0.clone(), logins[1].2.clone()),
            mail_wake,
            _guard: guard,
        })
    }

    pub fn at(&self, path: &str) -> String {
        format!("{}{}", self.url, path)
    }

    pub async fn get_json(&self, path: &str) -> (u16, Value) {
        let r = self.http.get(self.at(path)).send().await.unwrap();
        let status = r.status().as_u16();
        let body = r.text().await.unwrap();
        let v = serde_json::from_str(&body)
            .unwrap_or_else(|e| panic!("GET {path}: not JSON ({e}): {body}"));
        (status, v)
    }

    pub async fn get_text(&self, path: &str) -> (u16, String, String) {
        let r = self.http.get(self.at(path)).send().await.unwrap();
        let status = r.status().as_u16();
        let ct = r
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        (status, ct, r.text().await.unwrap())
    }

    /// POSTs `body`; a citizen's write (report, message, vote, support, flag) gets a solved
    /// challenge first, as the widget sends it, unless the body names `altcha` itself (tests of
    /// the proof-of-work set it, or `null` to send none).
    pub async fn post_json(&self, path: &str, body: &Value) -> (u16, Value) {
        let body = pow::with_altcha(&self.http, &self.url, path, body).await;
        let r = self
            .http
            .post(self.at(path))
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        let text = r.text().await.unwrap();
        let v = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("POST {path}: not JSON ({e}): {text}"));
        (status, v)
    }

    pub async fn post_form(&self, path: &str, form: &[(&str, &str)]) -> (u16, String, String) {
        let r = self
            .http
            .post(self.at(path))
            .form(form)
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        let ct = r
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        (status, ct, r.text().await.unwrap())
    }

    pub async fn add_other_tenant(&self) -> Tenant {
        let t = self.db.create_tenant(&other_tenant()).await.unwrap();
        let dept = self.db.add_department(t.id, "Bauamt", None).await.unwrap();
        self.db
            .add_category(
                t.id,
                "strassenbeleuchtung",
                "Straßenlampen",
                "",
                "",
                Some(dept),
                0,
            )
            .await
            .unwrap();
        t
    }

    pub async fn report_count(&self) -> i64 {
        self.db.count_reports(self.tenant.id).await.unwrap()
    }
}

/// An official's browser: the session cookie and the CSRF token from the login answer.
pub struct Office {
    pub http: reqwest::Client,
    pub base: String,
    pub cookie: String,
    pub csrf: String,
    pub me: Value,
}

impl TestServer {
    /// Logs in; Err carries the status and body of a refused login.
    pub async fn login(&self, email: &str, password: &str) -> Result<Office, (u16, Value)> {
        self.login_to(None, email, password).await
    }

    pub async fn login_to(
        &self,
        tenant: Option<&str>,
        email: &str,
        password: &str,
    ) -> Result<Office, (u16, Value)> {
        Office::login(&self.http, &self.url, tenant, email, password).await
    }

    pub async fn login_admin(&self) -> Office {
        self.login(&self.admin.0, &self.admin.1).await.unwrap()
    }

    pub async fn login_editor(&self) -> Office {
        self.login(&self.editor.0, &self.editor.1).await.unwrap()
    }
}

impl TestServer {
    /// A second town, Nachbardorf, with an admin logged in: for proving tenant isolation.
    pub async fn neighbour_admin(&self) -> (Tenant, Office) {
        let other = self.add_other_tenant().await;
        let office = self.nachbardorf_admin(&other).await;
        (other, office)
    }

    /// Nachbardorf's admin (`admin@nachbardorf.example`), made and logged in.
    pub async fn nachbardorf_admin(&self, nachbardorf: &Tenant) -> Office {
        self.db
            .create_user(
                nachbardorf.id,
                "admin@nachbardorf.example",
                "N",
                "nachbardorf-passwort",
                civickit_server::db::users::Role::Admin,
                None,
            )
            .await
            .unwrap();
        self.login_to(
            Some("nachbardorf"),
            "admin@nachbardorf.example",
            "nachbardorf-passwort",
        )
        .await
        .unwrap()
    }
}

/// The actions in the audit log, newest first, as an admin sees them.
pub async fn audit_actions(admin: &Office) -> Vec<String> {
    let (_, audit) = admin.get("/office/api/audit").await;
    audit["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_string())
        .collect()
}

impl Office {
    /// Logs in at the server `base` (`http://…`); Err carries the status and body of a
    /// refused login.
    pub async fn login(
        http: &reqwest::Client,
        base: &str,
        tenant: Option<&str>,
        email: &str,
        password: &str,
    ) -> Result<Office, (u16, Value)> {
        let r = http
            .post(format!("{base}/office/api/login"))
            .json(&serde_json::json!({"tenant": tenant, "email": email, "password": password}))
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        let cookie = r
            .headers()
            .get("set-cookie")
            .map(|v| v.to_str().unwrap().to_string());
        let body: Value = r.json().await.unwrap();
        if status != 200 {
            return Err((status, body));
        }
        let cookie = cookie.expect("a session cookie");
        Ok(Office {
            http: http.clone(),
            base: base.to_string(),
            csrf: body["csrf_token"].as_str().unwrap().to_string(),
            cookie,
            me: body,
        })
    }

    /// `name=value` of the session cookie, as the browser sends it back.
    pub fn cookie_pair(&self) -> String {
        self.cookie.split(';').next().unwrap().to_string()
    }

    pub async fn get(&self, path: &str) -> (u16, Value) {
        let r = self
            .http
            .get(format!("{}{path}", self.base))
            .header("cookie", self.cookie_pair())
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        let text = r.text().await.unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    pub async fn post(&self, path: &str, body: &Value) -> (u16, Value) {
        self.post_with(path, body, Some(&self.csrf.clone()), None)
            .await
    }

    /// A change that must succeed: its 200 answer.
    pub async fn post_ok(&self, path: &str, body: Value) -> Value {
        let (status, answer) = self.post(path, &body).await;
        assert_eq!(status, 200, "{path}: {answer}");
        answer
    }

    pub async fn post_with(
        &self,
        path: &str,
        body: &Value,
        csrf: Option<&str>,
        origin: Option<&str>,
    ) -> (u16, Value) {
        let mut req = self
            .http
            .post(format!("{}{path}", self.base))
            .header("cookie", self.cookie_pair())
            .json(body);
        if let Some(t) = csrf {
            req = req.header("x-csrf-token", t);
        }
        if let Some(o) = origin {
            req = req.header("origin", o);
        }
        let r = req.send().await.unwrap();
        let status = r.status().as_u16();
        let text = r.text().await.unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }
}

/// A real SMTP server on loopback (Debian's aiosmtpd) that stores every mail in a maildir.
pub struct SmtpSink {
    pub url: String,
    dir: tempfile::TempDir,
    child: std::process::Child,
}

impl SmtpSink {
    pub fn start() -> SmtpSink {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let dir = tempfile::tempdir().unwrap();
        let child = std::process::Command::new("/usr/bin/python3")
            .args([
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                &format!("127.0.0.1:{port}"),
                "-c",
                "aiosmtpd.handlers.Mailbox",
            ])
            .arg(dir.path().join("maildir"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("python3-aiosmtpd (cargo xtask setup installs it)");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                std::time::Instant::now() < deadline,
                "the SMTP sink did not start"
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        SmtpSink {
            url: format!("smtp://127.0.0.1:{port}"),
            dir,
            child,
        }
    }

    /// Every mail received so far, as raw text (headers and body, quoted-printable decoded).
    pub fn messages(&self) -> Vec<String> {
        let mut out = Vec::new();
        for sub in ["new", "cur"] {
            let Ok(entries) = std::fs::read_dir(self.dir.path().join("maildir").join(sub)) else {
                continue;
            };
            for e in entries.flatten() {
                let raw = std::fs::read_to_string(e.path()).unwrap();
                out.push(decode_qp(&raw));
            }
        }
        out
    }

    /// Waits until `n` mails have arrived (the worker sends in the background).
    pub async fn wait_for(&self, n: usize) -> Vec<String> {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        loop {
            let got = self.messages();
            if got.len() >= n {
                return got;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "expected {n} mails, got {}: {got:?}",
                got.len()
            );
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Undoes quoted-printable soft line breaks and =XX escapes, enough to search mail text.
fn decode_qp(raw: &str) -> String {
    let joined = raw.replace("=\r\n", "").replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'='
            && i + 2 < bytes.len()
            && bytes[i + 1].is_ascii_hexdigit()
            && bytes[i + 2].is_ascii_hexdigit()
        {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
            out.push(u8::from_str_radix(hex, 16).unwrap());
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A report body that the demo tenant accepts.
pub fn good_report() -> Value {
    serde_json::json!({
        "category": "strassenbeleuchtung",
        "position": { "lat": 50.5530, "lng": 9.6790 },
        "description": "Die Laterne an der Ecke ist dunkel.",
    })
}

#[macro_export]
macro_rules! backend_tests {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let s = $crate::common::TestServer::start(civickit_server::db::Backend::Sqlite)
                        .await
                        .expect("SQLite always works");
                    super::$name(s).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    if let Some(s) = $crate::common::TestServer::start(civickit_server::db::Backend::Postgres).await {
                        super::$name(s).await;
                    }
                }
            )*
        }
    };
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A PNG that claims 20000×20000 pixels (1.2 GB as RGB) in a few dozen bytes.
/// A `w`×`h` JPEG with a colour gradient, as a phone's camera would hand one over.
pub fn jpeg(w: u32, h: u32) -> Vec<u8> {
    use image::{DynamicImage, ImageFormat, Rgb, RgbImage};
    let img = RgbImage::from_fn(w, h, |x, y| {
        Rgb([(x * 255 / w) as u8, (y * 255 / h) as u8, 90])
    });
    let mut out = Vec::new();
    DynamicImage::ImageRgb8(img)
        .write_to(&mut std::io::Cursor::new(&mut out), ImageFormat::Jpeg)
        .unwrap();
    out
}

pub fn png_bomb() -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut chunk = |kind: &[u8], data: &[u8]| {
        out.extend((data.len() as u32).to_be_bytes());
        let mut c = kind.to_vec();
        c.extend(data);
        out.extend(&c);
        out.extend(crc32(&c).to_be_bytes());
    };
    let mut ihdr = Vec::new();
    ihdr.extend(20_000u32.to_be_bytes());
    ihdr.extend(20_000u32.to_be_bytes());
    ihdr.extend([8, 2, 0, 0, 0]);
    chunk(b"IHDR", &ihdr);
    chunk(
        b"IDAT",
        &[
            0x78, 0x01, 0x01, 0x00, 0x00, 0xff, 0xff, 0x00, 0x00, 0x00, 0x01,
        ],
    );
    chunk(b"IEND", &[]);
    out
}
