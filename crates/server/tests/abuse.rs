//! Proof-of-work and limits on anonymous writes (issue 15), as a scripted client meets them:
//! every refusal has its own code and stores nothing; a proper solution after the minimum fill
//! time is taken. Timing is tested with the REAL default fill times (report 3 s, vote 2 s,
//! support 1 s); only the expiry test shortens the challenge's lifetime.

mod common;

use civickit_server::db::Backend;
use civickit_server::pow::AbuseSettings;
use common::pow::{challenge, payload, solve, solve_number};
use common::{good_report, ServerSettings, TestServer};
use serde_json::{json, Value};
use sqlx::Row;
use std::time::Duration;

/// Like `backend_tests!`, with the `[abuse]` settings each test names.
macro_rules! abuse_tests {
    ($($name:ident => $settings:expr),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let s = super::server(civickit_server::db::Backend::Sqlite, { use super::*; $settings })
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
                    if let Some(s) = super::server(civickit_server::db::Backend::Postgres, { use super::*; $settings }).await {
                        super::$name(s).await;
                    }
                }
            )*
        }
    };
}

abuse_tests!(
    a_report_is_refused_without_a_proper_solution_and_taken_with_one => real_fill_times(),
    a_vote_is_refused_without_a_proper_solution_and_taken_with_one => real_fill_times(),
    a_support_is_refused_without_a_proper_solution_and_taken_with_one => real_fill_times(),
    expired_challenges_are_refused_for_every_write => AbuseSettings {
        min_fill_seconds: Some(0),
        challenge_lifetime_seconds: 1,
        ..Default::default()
    },
    the_challenge_endpoint_names_its_purposes_and_is_never_cached => real_fill_times(),
    a_hundred_supports_from_one_address_count_at_most_the_limit => common::pow::test_abuse_settings(),
    the_difficulty_rises_when_a_towns_writes_spike => AbuseSettings {
        min_fill_seconds: Some(0),
        spike_writes: 2,
        ..Default::default()
    },
);

fn real_fill_times() -> AbuseSettings {
    AbuseSettings::default()
}

async fn server(backend: Backend, abuse: AbuseSettings) -> Option<TestServer> {
    TestServer::start_with(
        backend,
        ServerSettings {
            abuse: Some(abuse),
            ..Default::default()
        },
    )
    .await
}

/// One kind of write under test: where it goes, a body a person would send, and how many
/// rows it stores.
struct Write {
    purpose: &'static str,
    path: String,
    count_sql: &'static str,
}

impl Write {
    async fn count(&self, s: &TestServer) -> i64 {
        sqlx::query(self.count_sql)
            .fetch_one(&s.db.pool)
            .await
            .unwrap()
            .get::<i64, _>(0)
    }
}

/// POSTs `body` with `altcha` as given (`None`: no field at all): status, Retry-After, body.
async fn post(
    s: &TestServer,
    path: &str,
    body: &Value,
    altcha: Option<&str>,
) -> (u16, Option<u64>, Value) {
    let mut body = body.clone();
    body["altcha"] = altcha.map_or(Value::Null, |a| json!(a));
    let r = s.http.post(s.at(path)).json(&body).send().await.unwrap();
    let status = r.status().as_u16();
    let retry = r
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().parse().unwrap());
    (status, retry, r.json().await.unwrap())
}

/// Every refusal for one kind of write, then the proper write, then its reuse. `body` makes
/// a fresh body a person would send (a vote needs a fresh voter token each time).
async fn refusals_then_success(s: &TestServer, write: Write, body: impl AsyncFn() -> Value) {
    let before = write.count(s).await;
    let refused = |expected_status: u16, expected: &'static str| {
        move |(status, _, err): (u16, Option<u64>, Value)| {
            assert_eq!(
                (status, err["error"].as_str().unwrap_or_default()),
                (expected_status, expected),
                "{}: {err}",
                write.purpose
            );
            assert!(err["message"].as_str().is_some_and(|m| !m.is_empty()));
        }
    };
    // Without a solution.
    refused(400, "challenge_required")(post(s, &write.path, &body().await, None).await);
    // A wrong number.
    let c = challenge(&s.http, &s.url, "musterstadt", write.purpose).await;
    let right = solve_number(&c);
    let wrong = payload(&c, if right == 0 { 1 } else { right - 1 });
    refused(400, "challenge_invalid")(post(s, &write.path, &body().await, Some(&wrong)).await);
    // Garbage.
    refused(400, "challenge_invalid")(
        post(s, &write.path, &body().await, Some("kein base64!")).await,
    );
    // Solved, but for another purpose.
    let other = if write.purpose == "report" {
        "message"
    } else {
        "report"
    };
    let elsewhere = solve(&s.http, &s.url, "musterstadt", other).await;
    refused(400, "challenge_invalid")(post(s, &write.path, &body().await, Some(&elsewhere)).await);
    // Solved, but for another town.
    let neighbour = solve(&s.http, &s.url, "nachbardorf", write.purpose).await;
    refused(400, "challenge_invalid")(post(s, &write.path, &body().await, Some(&neighbour)).await);
    // Solved at once: faster than a person, told when to come back.
    let c = challenge(&s.http, &s.url, "musterstadt", write.purpose).await;
    assert!(c.min_fill_seconds >= 1, "{}: real fill time", write.purpose);
    let solved = payload(&c, solve_number(&c));
    let (status, retry, err) = post(s, &write.path, &body().await, Some(&solved)).await;
    assert_eq!(
        (status, err["error"].as_str()),
        (429, Some("too_fast")),
        "{err}"
    );
    let retry = retry.expect("Retry-After on too_fast");
    assert!(
        (1..=c.min_fill_seconds as u64).contains(&retry),
        "{}: Retry-After {retry}",
        write.purpose
    );
    assert_eq!(
        write.count(s).await,
        before,
        "{}: refusals store nothing",
        write.purpose
    );
    // After the fill time the same solution is taken (too_fast did not spend it)…
    tokio::time::sleep(Duration::from_secs(retry) + Duration::from_millis(1100)).await;
    let (status, _, created) = post(s, &write.path, &body().await, Some(&solved)).await;
    assert!(
        status == 200 || status == 201,
        "{}: {status} {created}",
        write.purpose
    );
    assert_eq!(write.count(s).await, before + 1, "{}", write.purpose);
    // …once.
    refused(409, "challenge_used")(post(s, &write.path, &body().await, Some(&solved)).await);
    assert_eq!(
        write.count(s).await,
        before + 1,
        "{}: a reuse stores nothing",
        write.purpose
    );
}

async fn a_report_is_refused_without_a_proper_solution_and_taken_with_one(s: TestServer) {
    s.add_other_tenant().await;
    let write = Write {
        purpose: "report",
        path: "/api/v1/musterstadt/reports".into(),
        count_sql: "SELECT COUNT(*) FROM reports",
    };
    refusals_then_success(&s, write, async || good_report()).await;
}

async fn a_vote_is_refused_without_a_proper_solution_and_taken_with_one(s: TestServer) {
    s.add_other_tenant().await;
    let write = Write {
        purpose: "vote",
        path: "/api/v1/musterstadt/polls/sitzbaenke/votes".into(),
        count_sql: "SELECT COUNT(*) FROM poll_voters",
    };
    let ballot = async || {
        let (status, p) = s.get_json("/api/v1/musterstadt/polls/sitzbaenke").await;
        assert_eq!(status, 200, "{p}");
        let question = &p["questions"][0];
        json!({
            "voter_token": p["voter_token"],
            "answers": [{"question": question["id"], "options": [question["options"][0]["id"]]}],
        })
    };
    refusals_then_success(&s, write, ballot).await;
}

/// A report to support, through the ordinary (solved) path.
async fn a_report(s: &TestServer) -> String {
    let (status, created) = s
        .post_json("/api/v1/musterstadt/reports", &good_report())
        .await;
    assert_eq!(status, 201, "{created}");
    created["ref"].as_str().unwrap().to_string()
}

async fn a_support_is_refused_without_a_proper_solution_and_taken_with_one(s: TestServer) {
    s.add_other_tenant().await;
    let reference = {
        let c = challenge(&s.http, &s.url, "musterstadt", "report").await;
        let solved = payload(&c, solve_number(&c));
        tokio::time::sleep(Duration::from_secs(c.min_fill_seconds as u64)).await;
        let (status, _, created) = post(
            &s,
            "/api/v1/musterstadt/reports",
            &good_report(),
            Some(&solved),
        )
        .await;
        assert_eq!(status, 201, "{created}");
        created["ref"].as_str().unwrap().to_string()
    };
    let write = Write {
        purpose: "support",
        path: format!("/api/v1/musterstadt/reports/{reference}/support"),
        count_sql: "SELECT COUNT(*) FROM report_supporters",
    };
    let fresh = async || json!({"supporter": format!("unterstuetzer-{}", rand::random::<u64>())});
    refusals_then_success(&s, write, fresh).await;
}

async fn expired_challenges_are_refused_for_every_write(s: TestServer) {
    let reference = a_report(&s).await;
    let p = s.get_json("/api/v1/musterstadt/polls/sitzbaenke").await.1;
    let question = &p["questions"][0];
    let ballot = json!({
        "voter_token": p["voter_token"],
        "answers": [{"question": question["id"], "options": [question["options"][0]["id"]]}],
    });
    let writes = [
        (
            "report",
            "/api/v1/musterstadt/reports".to_string(),
            good_report(),
        ),
        (
            "vote",
            "/api/v1/musterstadt/polls/sitzbaenke/votes".to_string(),
            ballot,
        ),
        (
            "support",
            format!("/api/v1/musterstadt/reports/{reference}/support"),
            json!({"supporter": "abgelaufen-123456"}),
        ),
    ];
    let mut solved = Vec::new();
    for (purpose, _, _) in &writes {
        let c = challenge(&s.http, &s.url, "musterstadt", purpose).await;
        assert_eq!(c.expires_in, 1);
        solved.push(payload(&c, solve_number(&c)));
    }
    let reports = s.report_count().await;
    tokio::time::sleep(Duration::from_millis(2200)).await;
    for ((purpose, path, body), altcha) in writes.iter().zip(&solved) {
        let (status, _, err) = post(&s, path, body, Some(altcha)).await;
        assert_eq!(
            (status, err["error"].as_str()),
            (400, Some("challenge_expired")),
            "{purpose}: {err}"
        );
    }
    assert_eq!(s.report_count().await, reports);
    let (status, detail) = s
        .get_json(&format!("/api/v1/musterstadt/reports/{reference}"))
        .await;
    assert_eq!(status, 200);
    assert_eq!(detail["supporters"], 0, "{detail}");
    // Spent challenges are kept until they expire, then the daily retention run sweeps them.
    let spent = |s: &TestServer| {
        let pool = s.db.pool.clone();
        async move {
            sqlx::query("SELECT COUNT(*) FROM spent_challenges")
                .fetch_one(&pool)
                .await
                .unwrap()
                .get::<i64, _>(0)
        }
    };
    assert_eq!(spent(&s).await, 1, "the report's");
    let run =
        s.db.run_retention(civickit_server::db::now())
            .await
            .unwrap();
    assert_eq!(run.challenges_swept, 1);
    assert_eq!(spent(&s).await, 0);
}

async fn the_challenge_endpoint_names_its_purposes_and_is_never_cached(s: TestServer) {
    let r = s
        .http
        .get(s.at("/api/v1/musterstadt/challenge?purpose=report"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["cache-control"], "no-store");
    let c: Value = r.json().await.unwrap();
    assert_eq!(c["algorithm"], "SHA-256");
    assert_eq!(c["maxnumber"], common::pow::TEST_POW_MAX_NUMBER);
    assert_eq!(c["min_fill_seconds"], 3);
    assert_eq!(c["expires_in"], 7200);
    let salt = c["salt"].as_str().unwrap();
    for param in ["expires=", "issued=", "purpose=report", "tenant="] {
        assert!(salt.contains(param), "{salt}");
    }
    for (purpose, seconds) in [("message", 3), ("vote", 2), ("support", 1), ("flag", 2)] {
        let c = challenge(&s.http, &s.url, "musterstadt", purpose).await;
        assert_eq!(c.min_fill_seconds, seconds, "{purpose}");
    }
    let (status, err) = s
        .get_json("/api/v1/musterstadt/challenge?purpose=lottery")
        .await;
    assert_eq!((status, err["error"].as_str()), (400, Some("bad_request")));
    let message = err["message"].as_str().unwrap();
    for purpose in ["report", "message", "vote", "support", "flag"] {
        assert!(message.contains(purpose), "{message}");
    }
    let (status, _) = s.get_json("/api/v1/musterstadt/challenge").await;
    assert_eq!(status, 400);
    let (status, err) = s
        .get_json("/api/v1/nirgendwo/challenge?purpose=report")
        .await;
    assert_eq!((status, err["error"].as_str()), (404, Some("not_found")));
}

async fn a_hundred_supports_from_one_address_count_at_most_the_limit(s: TestServer) {
    let reference = a_report(&s).await;
    let path = format!("/api/v1/musterstadt/reports/{reference}/support");
    let limit = civickit_server::limits::Limits::default()
        .supports_per_address
        .count as usize;
    let mut statuses = Vec::new();
    for i in 0..100 {
        let body = json!({"supporter": format!("frische-id-{i:04}-{}", rand::random::<u32>())});
        let (status, answer) = s.post_json(&path, &body).await;
        if status == 429 {
            assert_eq!(answer["error"], "rate_limited", "{answer}");
        }
        statuses.push(status);
    }
    let counted = statuses.iter().filter(|s| **s == 200).count();
    assert_eq!(counted, limit, "{statuses:?}");
    assert!(statuses[limit..].iter().all(|s| *s == 429), "{statuses:?}");
    let (_, detail) = s
        .get_json(&format!("/api/v1/musterstadt/reports/{reference}"))
        .await;
    assert_eq!(detail["supporters"], limit as i64, "{detail}");
}

async fn the_difficulty_rises_when_a_towns_writes_spike(s: TestServer) {
    let base = common::pow::TEST_POW_MAX_NUMBER as u64;
    let maxnumber = async || {
        challenge(&s.http, &s.url, "musterstadt", "support")
            .await
            .maxnumber
    };
    assert_eq!(maxnumber().await, base);
    let reference = a_report(&s).await;
    let path = format!("/api/v1/musterstadt/reports/{reference}/support");
    let support = async |n: u32| {
        for i in 0..n {
            let body = json!({"supporter": format!("spitze-{i}-{}", rand::random::<u32>())});
            let (status, answer) = s.post_json(&path, &body).await;
            assert_eq!(status, 200, "{answer}");
        }
    };
    // 1 report + 2 supports = 3 writes > spike_writes (2): four times as hard, once the few
    // seconds' cached count is renewed.
    support(2).await;
    tokio::time::sleep(Duration::from_millis(5500)).await;
    assert_eq!(maxnumber().await, 4 * base);
    // 3 + 6 = 9 > 4 × 2: sixteen times.
    support(6).await;
    tokio::time::sleep(Duration::from_millis(5500)).await;
    assert_eq!(maxnumber().await, 16 * base);
}

/// The limits without a challenge of their own: photo uploads and open polls' voter tokens,
/// here with a limit of 2 per address.
async fn photo_uploads_and_poll_tokens_have_limits_per_address(backend: Backend) {
    let limits = civickit_server::limits::Limits {
        photos_per_address: "2/10m".parse().unwrap(),
        poll_tokens_per_address: "2/10m".parse().unwrap(),
        ..Default::default()
    };
    let Some(s) = TestServer::start_with(
        backend,
        ServerSettings {
            limits,
            ..Default::default()
        },
    )
    .await
    else {
        return;
    };
    // Two reports, so that the photo limit (3 per report) is not what refuses.
    let mut uploads = Vec::new();
    for _ in 0..2 {
        let (status, created) = s
            .post_json("/api/v1/musterstadt/reports", &good_report())
            .await;
        assert_eq!(status, 201, "{created}");
        let (reference, token) = (
            created["ref"].as_str().unwrap(),
            created["tracking_token"].as_str().unwrap(),
        );
        for _ in 0..2 {
            let r = s
                .http
                .post(s.at(&format!(
                    "/api/v1/musterstadt/reports/{reference}/photos?token={token}"
                )))
                .header("content-type", "image/jpeg")
                .body(common::jpeg(64, 48))
                .send()
                .await
                .unwrap();
            let status = r.status().as_u16();
            let retry = r.headers().contains_key("retry-after");
            uploads.push((
                status,
                retry,
                r.json::<Value>().await.unwrap()["error"].clone(),
            ));
        }
    }
    assert_eq!(uploads[0].0, 201, "{uploads:?}");
    assert_eq!(uploads[1].0, 201, "{uploads:?}");
    for (status, retry, error) in &uploads[2..] {
        assert_eq!(
            (*status, *retry, error.as_str()),
            (429, true, Some("rate_limited"))
        );
    }
    let photos: i64 = sqlx::query("SELECT COUNT(*) FROM photos")
        .fetch_one(&s.db.pool)
        .await
        .unwrap()
        .get(0);
    assert_eq!(photos, 2, "a refused upload stores nothing");
    // Poll tokens: the poll is always shown, over the limit without a token.
    let mut tokens = Vec::new();
    for _ in 0..3 {
        let (status, p) = s.get_json("/api/v1/musterstadt/polls/sitzbaenke").await;
        assert_eq!(status, 200, "{p}");
        assert_eq!(p["slug"], "sitzbaenke");
        tokens.push(p["voter_token"].as_str().map(str::to_string));
    }
    assert!(tokens[0].is_some() && tokens[1].is_some(), "{tokens:?}");
    assert_eq!(
        tokens[2], None,
        "the third token in 10 minutes is not minted"
    );
    // A token already held is still recognised (nothing new is minted for it).
    let held = tokens[0].clone().unwrap();
    let (_, p) = s
        .get_json(&format!(
            "/api/v1/musterstadt/polls/sitzbaenke?voter_token={held}"
        ))
        .await;
    assert_eq!(p["voter_token"].as_str(), Some(held.as_str()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn photo_uploads_and_poll_tokens_have_limits_per_address_sqlite() {
    photo_uploads_and_poll_tokens_have_limits_per_address(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn photo_uploads_and_poll_tokens_have_limits_per_address_postgres() {
    photo_uploads_and_poll_tokens_have_limits_per_address(Backend::Postgres).await;
}
