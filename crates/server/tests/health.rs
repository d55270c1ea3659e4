//! `/healthz`, `/readyz` and `/metrics` on a real server over both databases.

mod common;

use civickit_server::db::Backend;
use common::{good_report, TestServer};
use serde_json::Value;
use std::collections::BTreeMap;

backend_tests!(
    liveness_and_readiness_answer_with_schema_and_mail_queue,
    readiness_turns_503_when_the_database_is_gone,
    metrics_parse_as_prometheus_text_and_count_routes_not_paths,
    metrics_are_refused_to_forwarded_requests,
);

async fn liveness_and_readiness_answer_with_schema_and_mail_queue(s: TestServer) {
    let (status, _, body) = s.get_text("/healthz").await;
    assert_eq!((status, body.as_str()), (200, "ok"));
    // A report queues its confirmation mail; no SMTP server runs here, so it waits.
    let mut report = good_report();
    report["email"] = "buerger@example.org".into();
    let (status, _) = s.post_json("/api/v1/musterstadt/reports", &report).await;
    assert_eq!(status, 201);
    let (status, ready) = s.get_json("/readyz").await;
    assert_eq!(status, 200, "{ready}");
    assert_eq!(ready["ready"], true);
    assert!(ready.get("reason").is_none(), "{ready}");
    assert_eq!(ready["schema_version"], ready["expected_schema_version"]);
    assert!(ready["expected_schema_version"].as_i64().unwrap() >= 8);
    assert_eq!(ready["outbox_unsent"], 1, "{ready}");
    assert!(ready["outbox_oldest_unsent_seconds"].as_i64().unwrap() >= 0);
}

async fn readiness_turns_503_when_the_database_is_gone(s: TestServer) {
    assert_eq!(s.get_json("/readyz").await.0, 200);
    use sqlx::Row;
    match s.backend {
        Backend::Sqlite => {
            // The file moved away under the running server (a cleanup script, a botched
            // restore): SQLite would go on writing into the unlinked file.
            let file: String =
                sqlx::query("SELECT file FROM pragma_database_list WHERE name = 'main'")
                    .fetch_one(&s.db.pool)
                    .await
                    .unwrap()
                    .get(0);
            let moved = format!("{file}.moved");
            std::fs::rename(&file, &moved).unwrap();
            let (status, body) = s.get_json("/readyz").await;
            assert_eq!(status, 503, "{body}");
            assert_eq!(body["ready"], false);
            let reason = body["reason"].as_str().unwrap();
            assert!(reason.contains("is gone"), "{reason}");
            // Replaced by another file of the same name: still not the database we write to.
            std::fs::copy(&moved, &file).unwrap();
            let (status, body) = s.get_json("/readyz").await;
            assert_eq!(status, 503, "{body}");
            assert!(
                body["reason"].as_str().unwrap().contains("replaced"),
                "{body}"
            );
            std::fs::rename(&moved, &file).unwrap();
            assert_eq!(
                s.get_json("/readyz").await.0,
                200,
                "ready again when it is back"
            );
        }
        Backend::Postgres => {
            let name: String = sqlx::query("SELECT CAST(current_database() AS TEXT)")
                .fetch_one(&s.db.pool)
                .await
                .unwrap()
                .get(0);
            let admin = civickit_server::db::Db::connect(&common::postgres_admin_url())
                .await
                .unwrap();
            // Terminates every connection of the server, then removes the database.
            sqlx::query(&format!("DROP DATABASE {name} WITH (FORCE)"))
                .execute(&admin.pool)
                .await
                .unwrap();
            admin.pool.close().await;
            let started = std::time::Instant::now();
            let (status, body) = s.get_json("/readyz").await;
            assert_eq!(status, 503, "{body}");
            assert_eq!(body["ready"], false);
            assert!(
                body["reason"].as_str().unwrap().contains("database"),
                "{body}"
            );
            assert!(
                started.elapsed().as_secs() < 5,
                "answers within its timeout"
            );
        }
    }
    let (status, _, body) = s.get_text("/healthz").await;
    assert_eq!(
        (status, body.as_str()),
        (200, "ok"),
        "the process itself lives"
    );
    if s.backend == Backend::Postgres {
        // Metrics still answer, and say what is wrong.
        let (status, _, text) = s.get_text("/metrics").await;
        assert_eq!(status, 200);
        let samples = parse_exposition(&text);
        assert_eq!(
            value_of(&samples, "civickit_database_up", &[]),
            Some(0.0),
            "{text}"
        );
    }
}

/// One sample of the text format: name, labels, value.
type Sample = (String, BTreeMap<String, String>, f64);

/// A small parser of the Prometheus/OpenMetrics text format, strict enough to catch a broken
/// exposition: every line is a comment (`# HELP`, `# TYPE`, `# UNIT`, `# EOF`) or a sample
/// `name{label="value",…} number`, and every sample belongs to a declared family.
fn parse_exposition(text: &str) -> Vec<Sample> {
    let valid_name = |n: &str| {
        !n.is_empty()
            && !n.starts_with(|c: char| c.is_ascii_digit())
            && n.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
    };
    let mut families = Vec::new();
    let mut samples = Vec::new();
    assert!(text.ends_with("# EOF\n"), "ends with # EOF");
    for line in text.lines() {
        if let Some(comment) = line.strip_prefix("# ") {
            let mut parts = comment.splitn(3, ' ');
            match parts.next().unwrap() {
                "TYPE" => {
                    let name = parts.next().unwrap();
                    let kind = parts.next().unwrap();
                    assert!(valid_name(name), "{line}");
                    assert!(
                        [
                            "counter",
                            "gauge",
                            "histogram",
                            "summary",
                            "info",
                            "unknown"
                        ]
                        .contains(&kind),
                        "{line}"
                    );
                    families.push(name.to_string());
                }
                "HELP" | "UNIT" => assert!(valid_name(parts.next().unwrap()), "{line}"),
                "EOF" => {}
                other => panic!("unknown comment {other}: {line}"),
            }
            continue;
        }
        let (series, value) = line.rsplit_once(' ').expect(line);
        let value: f64 = match value {
            "+Inf" => f64::INFINITY,
            v => v.parse().unwrap_or_else(|_| panic!("bad value in {line}")),
        };
        let (name, labels) = match series.split_once('{') {
            None => (series, BTreeMap::new()),
            Some((name, rest)) => {
                let rest = rest.strip_suffix('}').expect(line);
                let mut labels = BTreeMap::new();
                let mut chars = rest.chars().peekable();
                while chars.peek().is_some() {
                    let key: String = chars.by_ref().take_while(|c| *c != '=').collect();
                    assert!(valid_name(&key), "{line}");
                    assert_eq!(chars.next(), Some('"'), "{line}");
                    let mut value = String::new();
                    loop {
                        match chars.next().expect(line) {
                            '\\' => value.push(chars.next().expect(line)),
                            '"' => break,
                            c => value.push(c),
                        }
                    }
                    labels.insert(key, value);
                    if chars.peek() == Some(&',') {
                        chars.next();
                    }
                }
                (name, labels)
            }
        };
        assert!(valid_name(name), "{line}");
        assert!(
            families.iter().any(|f| name.starts_with(f.as_str())),
            "sample of an undeclared family: {line}"
        );
        samples.push((name.to_string(), labels, value));
    }
    samples
}

fn value_of(samples: &[Sample], name: &str, labels: &[(&str, &str)]) -> Option<f64> {
    samples
        .iter()
        .find(|(n, l, _)| {
            n == name
                && labels
                    .iter()
                    .all(|(k, v)| l.get(*k).map(String::as_str) == Some(*v))
        })
        .map(|(_, _, v)| *v)
}

async fn metrics_parse_as_prometheus_text_and_count_routes_not_paths(s: TestServer) {
    let (status, created) = s
        .post_json("/api/v1/musterstadt/reports", &good_report())
        .await;
    assert_eq!(status, 201);
    let reference = created["ref"].as_str().unwrap();
    for _ in 0..3 {
        let (status, _) = s
            .get_json(&format!("/api/v1/musterstadt/reports/{reference}"))
            .await;
        assert_eq!(status, 200);
    }
    let (status, _) = s.get_json("/api/v1/musterstadt/reports/M-2026-99999").await;
    assert_eq!(status, 404);
    assert_eq!(s.get_text("/no/such/page").await.0, 404);

    let r = s.http.get(s.at("/metrics")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let content_type = r.headers()["content-type"].to_str().unwrap().to_string();
    assert!(
        content_type.starts_with("application/openmetrics-text"),
        "{content_type}"
    );
    let text = r.text().await.unwrap();
    let samples = parse_exposition(&text);

    let requests = "civickit_http_requests_total";
    let one = "/api/v1/{tenant}/reports/{reference}";
    assert_eq!(
        value_of(
            &samples,
            requests,
            &[("method", "GET"), ("route", one), ("status", "2xx")]
        ),
        Some(3.0),
        "{text}"
    );
    assert_eq!(
        value_of(
            &samples,
            requests,
            &[("method", "GET"), ("route", one), ("status", "4xx")]
        ),
        Some(1.0),
        "{text}"
    );
    assert_eq!(
        value_of(
            &samples,
            requests,
            &[
                ("method", "POST"),
                ("route", "/api/v1/{tenant}/reports"),
                ("status", "2xx")
            ]
        ),
        Some(1.0),
        "{text}"
    );
    assert_eq!(
        value_of(
            &samples,
            requests,
            &[("route", "unmatched"), ("status", "4xx")]
        ),
        Some(1.0),
        "{text}"
    );
    assert!(
        !text.contains(reference) && !text.contains("M-2026-99999") && !text.contains("/no/such"),
        "raw paths must not become labels:\n{text}"
    );
    assert_eq!(
        value_of(
            &samples,
            "civickit_http_request_duration_seconds_count",
            &[("method", "GET"), ("route", one)]
        ),
        Some(4.0),
        "{text}"
    );
    assert_eq!(
        value_of(
            &samples,
            "civickit_reports_created_total",
            &[("tenant", "musterstadt")]
        ),
        Some(1.0),
        "{text}"
    );
    assert_eq!(value_of(&samples, "civickit_database_up", &[]), Some(1.0));
    for gauge in [
        "civickit_outbox_unsent",
        "civickit_outbox_given_up",
        "civickit_outbox_oldest_unsent_age_seconds",
        "civickit_db_pool_connections",
        "civickit_db_pool_idle_connections",
    ] {
        assert!(
            value_of(&samples, gauge, &[]).is_some(),
            "{gauge} in\n{text}"
        );
    }
    let max = value_of(&samples, "civickit_db_pool_max_connections", &[]).unwrap();
    let open = value_of(&samples, "civickit_db_pool_connections", &[]).unwrap();
    assert!(open >= 1.0 && open <= max, "{open} of {max}");
}

async fn metrics_are_refused_to_forwarded_requests(s: TestServer) {
    // A reverse proxy on this host is a loopback peer; what it forwards names the client.
    for (header, value) in [
        ("x-forwarded-for", "203.0.113.9"),
        ("forwarded", "for=203.0.113.9;proto=https"),
        ("x-real-ip", "203.0.113.9"),
    ] {
        let r = s
            .http
            .get(s.at("/metrics"))
            .header(header, value)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 404, "{header}");
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["error"], "not_found");
    }
    let r = s.http.get(s.at("/metrics")).send().await.unwrap();
    assert_eq!(r.status(), 200, "straight from loopback");
}
