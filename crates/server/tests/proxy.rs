//! Behind a real nginx on loopback: the server trusts nginx (127.0.0.1) and nobody else, nginx
//! appends the client to `X-Forwarded-For`, and citizens connect from their own loopback
//! addresses (127.0.0.2, 127.0.0.3, …; all of 127/8 is local on Linux). Each citizen gets their
//! own report, message and login limits; a forged header counts for nothing.
//!
//! Runs on both backends: the login throttle counts failures in the database.
//! Needs nginx (`cargo xtask setup` installs nginx-light): without it the tests fail under
//! `CI=true` and are skipped with a loud notice otherwise.

mod common;

use civickit_server::http::{ForwardedHeader, TrustedProxies};
use civickit_server::limits::{Limits, Rate};
use common::nginx::{nginx_binary, Nginx};
use common::{good_report, ServerSettings, TestServer};
use serde_json::{json, Value};
use std::net::IpAddr;

const CITIZEN_A: &str = "127.0.0.2";
const CITIZEN_B: &str = "127.0.0.3";
/// Talks to the server directly: not a trusted proxy.
const STRAIGHT: &str = "127.0.0.4";

/// Small limits, so the tests reach them quickly; the per-account login limit is high so that
/// only the per-address one can lock.
fn limits() -> Limits {
    Limits {
        reports_per_address: Rate::new(3, 600),
        messages_per_address: Rate::new(2, 600),
        login_failures_per_account: Rate::new(100, 900),
        login_failures_per_address: Rate::new(3, 900),
        ..Limits::default()
    }
}

macro_rules! proxy_tests {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    if let Some(setup) = super::Setup::start(civickit_server::db::Backend::Sqlite).await {
                        super::$name(setup).await;
                    }
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    if let Some(setup) = super::Setup::start(civickit_server::db::Backend::Postgres).await {
                        super::$name(setup).await;
                    }
                }
            )*
        }
    };
}

proxy_tests!(
    each_citizen_behind_the_proxy_has_their_own_limits,
    forged_forwarded_for_headers_count_for_nothing,
    the_login_throttle_locks_one_address_not_all,
);

async fn each_citizen_behind_the_proxy_has_their_own_limits(t: Setup) {
    let a = t.citizen(CITIZEN_A);
    let b = t.citizen(CITIZEN_B);
    let seeded = t.server.report_count().await;
    for _ in 0..3 {
        assert_eq!(
            a.post("/api/v1/musterstadt/reports", &good_report())
                .await
                .0,
            201
        );
    }
    let refused = a.post("/api/v1/musterstadt/reports", &good_report()).await;
    assert_rate_limited(&refused, "Meldungen");
    assert_eq!(
        t.server.report_count().await,
        seeded + 3,
        "a refused report is not stored"
    );
    // The neighbour behind the same proxy is not punished for it.
    assert_eq!(
        b.post("/api/v1/musterstadt/reports", &good_report())
            .await
            .0,
        201
    );

    let message = message(&t.server).await;
    for _ in 0..2 {
        assert_eq!(
            a.post("/api/v1/musterstadt/messages", &message).await.0,
            201
        );
    }
    let refused = a.post("/api/v1/musterstadt/messages", &message).await;
    assert_rate_limited(&refused, "Nachrichten");
    assert_eq!(
        b.post("/api/v1/musterstadt/messages", &message).await.0,
        201
    );
}

async fn forged_forwarded_for_headers_count_for_nothing(t: Setup) {
    // Straight to the server from an untrusted peer: the header is ignored, the peer counts.
    let seeded = t.server.report_count().await;
    let straight = Citizen::new(STRAIGHT, &t.server.url);
    for i in 0..3 {
        let forged = format!("198.51.100.{i}");
        let r = straight
            .post_as("/api/v1/musterstadt/reports", &good_report(), Some(&forged))
            .await;
        assert_eq!(r.0, 201, "{}", r.2);
    }
    let refused = straight
        .post_as(
            "/api/v1/musterstadt/reports",
            &good_report(),
            Some("198.51.100.99"),
        )
        .await;
    assert_rate_limited(&refused, "Meldungen");
    // Through nginx, a client's own entry stays left of the one nginx appends; the walk from
    // the right stops at the real address.
    let a = t.citizen(CITIZEN_A);
    for i in 0..3 {
        let forged = format!("203.0.113.{i}");
        let r = a
            .post_as("/api/v1/musterstadt/reports", &good_report(), Some(&forged))
            .await;
        assert_eq!(r.0, 201, "{}", r.2);
    }
    let refused = a
        .post_as(
            "/api/v1/musterstadt/reports",
            &good_report(),
            Some("203.0.113.99"),
        )
        .await;
    assert_rate_limited(&refused, "Meldungen");
    assert_eq!(t.server.report_count().await, seeded + 6);
}

async fn the_login_throttle_locks_one_address_not_all(t: Setup) {
    let a = t.citizen(CITIZEN_A);
    let b = t.citizen(CITIZEN_B);
    let (admin, password) = t.server.admin.clone();
    let wrong = json!({"email": admin, "password": "guessing-wrong"});
    let right = json!({"email": admin, "password": password});
    for _ in 0..3 {
        assert_eq!(a.post("/office/api/login", &wrong).await.0, 401);
    }
    let refused = a.post("/office/api/login", &wrong).await;
    assert_rate_limited(&refused, "Anmeldungen");
    // Locked out: even the right password from that address, before it is looked at.
    assert_rate_limited(&a.post("/office/api/login", &right).await, "15 Minuten");
    // The same official from another address gets in.
    let (status, _, body) = b.post("/office/api/login", &right).await;
    assert_eq!(status, 200, "{body}");
}

/// 429 with a `Retry-After` in seconds and the API's error body naming the cause.
fn assert_rate_limited((status, retry_after, body): &(u16, Option<u64>, Value), words: &str) {
    assert_eq!(*status, 429, "{body}");
    let seconds = retry_after.expect("a Retry-After header in seconds");
    assert!((1..=900).contains(&seconds), "Retry-After: {seconds}");
    assert_eq!(body["error"], "rate_limited", "{body}");
    let message = body["message"].as_str().unwrap();
    assert!(message.contains(words), "{message}");
}

async fn message(s: &TestServer) -> Value {
    let key = s.db.server_secret("form-token-key").await.unwrap();
    json!({
        "kind": "idee",
        "subject": "Sitzbank am Dorfplatz",
        "message": "Eine Sitzbank im Schatten am Dorfplatz wäre schön.",
        "form_token": civickit_server::abuse::form_token(&key, "mailbox", civickit_server::db::now() - 10),
    })
}

/// The server (trusting only 127.0.0.1) and nginx in front of it.
struct Setup {
    server: TestServer,
    nginx: Nginx,
}

impl Setup {
    async fn start(backend: civickit_server::db::Backend) -> Option<Setup> {
        let binary = nginx_binary()?;
        let trusted = TrustedProxies::new(
            vec![TrustedProxies::parse_range("127.0.0.1").unwrap()],
            ForwardedHeader::XForwardedFor,
        );
        let settings = ServerSettings {
            limits: limits(),
            trusted_proxies: trusted,
            ..Default::default()
        };
        let server = TestServer::start_with(backend, settings).await?;
        let upstream = server.url.trim_start_matches("http://").to_string();
        let nginx = Nginx::start(&binary, &[&upstream]);
        Some(Setup { server, nginx })
    }

    /// A citizen whose connections to nginx come from `source`.
    fn citizen(&self, source: &str) -> Citizen {
        Citizen::new(source, &self.nginx.url())
    }
}

struct Citizen {
    http: reqwest::Client,
    base: String,
}

impl Citizen {
    fn new(source: &str, base: &str) -> Citizen {
        let http = reqwest::Client::builder()
            .local_address(source.parse::<IpAddr>().unwrap())
            .build()
            .unwrap();
        Citizen {
            http,
            base: base.to_string(),
        }
    }

    async fn post(&self, path: &str, body: &Value) -> (u16, Option<u64>, Value) {
        self.post_as(path, body, None).await
    }

    /// Posts JSON, with an `X-Forwarded-For` of the client's own making if given.
    async fn post_as(
        &self,
        path: &str,
        body: &Value,
        forged_for: Option<&str>,
    ) -> (u16, Option<u64>, Value) {
        // A citizen's write carries a solved challenge, fetched from the same address.
        let body = common::pow::with_altcha(&self.http, &self.base, path, body).await;
        let mut request = self.http.post(format!("{}{path}", self.base)).json(&body);
        if let Some(forged) = forged_for {
            request = request.header("x-forwarded-for", forged);
        }
        let r = request.send().await.unwrap();
        let status = r.status().as_u16();
        let retry_after = r.headers().get("retry-after").map(|v| {
            v.to_str()
                .unwrap()
                .parse()
                .expect("Retry-After in whole seconds")
        });
        let text = r.text().await.unwrap();
        let body = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("POST {path}: not JSON ({e}): {text}"));
        (status, retry_after, body)
    }
}
