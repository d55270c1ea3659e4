//! The operator's endpoints: `/healthz` (the process answers), `/readyz` (it can serve:
//! database reachable, schema current; the mail backlog is reported) and `/metrics`
//! (Prometheus), plus the middleware that counts every request for the latter.

use super::{ApiError, State};
use axum::extract::{ConnectInfo, MatchedPath, Request};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long `/readyz` waits for the database. Load balancers probe every few seconds with a
/// timeout of their own; a database that needs longer than this is not fit to serve anyway.
const READY_TIMEOUT: Duration = Duration::from_secs(2);

pub(super) fn routes() -> Router<Arc<super::AppState>> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
}

/// Liveness: the process runs and its HTTP stack answers. Touches nothing else on purpose, so
/// a slow database never gets the process restarted by a liveness probe.
async fn healthz() -> &'static str {
    "ok"
}

/// The body of `/readyz`, 200 when `ready`, else 503 with the `reason` (docs/operations.md).
#[derive(Debug, Serialize, Deserialize)]
pub struct Readiness {
    pub ready: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Newest migration applied in the database (absent when it cannot be read).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schema_version: Option<i64>,
    /// Newest migration this binary knows.
    pub expected_schema_version: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outbox_unsent: Option<i64>,
    /// Age of the oldest mail still to be sent, in seconds; reported, never a reason to be
    /// unready (see `readyz`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outbox_oldest_unsent_seconds: Option<i64>,
}

/// Readiness. Not ready (503) when the database does not answer within [`READY_TIMEOUT`],
/// when its schema is not the one this binary expects (a rolling upgrade in progress: another
/// instance is migrating, or this binary is older than the database), or when the SQLite file
/// was removed or replaced under the running process.
///
/// The mail backlog is only reported: an SMTP outage is not fixed by taking instances out of
/// the load balancer, which would stop citizens from reporting too. Alert on
/// `civickit_outbox_oldest_unsent_age_seconds` instead (docs/operations.md suggests 30 minutes).
async fn readyz(state: State) -> (StatusCode, Json<Readiness>) {
    let db = &state.db;
    let mut answer = Readiness {
        ready: false,
        reason: None,
        schema_version: None,
        expected_schema_version: db.expected_schema_version(),
        outbox_unsent: None,
        outbox_oldest_unsent_seconds: None,
    };
    let unready = |mut answer: Readiness, reason: String| {
        tracing::warn!("not ready: {reason}");
        answer.reason = Some(reason);
        (StatusCode::SERVICE_UNAVAILABLE, Json(answer))
    };
    if let Some(problem) = db.sqlite_file_problem() {
        return unready(answer, problem);
    }
    let checks = async {
        Ok::<_, crate::db::DbError>((db.schema_state().await?, db.outbox_backlog().await?))
    };
    let (schema, backlog) = match tokio::time::timeout(READY_TIMEOUT, checks).await {
        Ok(Ok(found)) => found,
        Ok(Err(e)) => return unready(answer, format!("database unreachable: {e}")),
        Err(_) => {
            let reason = format!("database did not answer within {READY_TIMEOUT:?}");
            return unready(answer, reason);
        }
    };
    answer.schema_version = Some(schema.applied);
    answer.outbox_unsent = Some(backlog.unsent);
    answer.outbox_oldest_unsent_seconds = backlog.oldest_unsent_seconds;
    if !schema.is_current() {
        let reason = format!(
            "database schema is at migration {}, this binary expects {}",
            schema.applied, schema.expected
        );
        return unready(answer, reason);
    }
    answer.ready = true;
    (StatusCode::OK, Json(answer))
}

/// Prometheus metrics, for a scraper on this host or one that presents the token.
async fn metrics(
    state: State,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    if !may_scrape(state.metrics.token.as_deref(), peer, &headers) {
        // The same answer as for a path that does not exist: whoever may not scrape learns
        // nothing, not even that there is something to scrape.
        return Err(ApiError::NotFound);
    }
    let text = state
        .metrics
        .render(&state.db)
        .await
        .map_err(ApiError::Internal)?;
    Ok(([(header::CONTENT_TYPE, crate::metrics::CONTENT_TYPE)], text).into_response())
}

/// Who may read `/metrics`.
/// - With a token configured: exactly the requests that present it (`Authorization: Bearer`),
///   compared in constant time; loopback alone is not enough then, as the operator chose.
/// - Without: only a loopback peer whose request names no forwarded client. A reverse proxy on
///   the same host is a loopback peer too, and it adds `X-Forwarded-For` or `Forwarded` (the
///   configurations in docs/operations.md do): so the internet does not see our metrics
///   through the proxy even if its configuration passes `/metrics` on.
fn may_scrape(token: Option<&str>, peer: SocketAddr, headers: &HeaderMap) -> bool {
    if let Some(expected) = token {
        let presented = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or("");
        return crate::secrets::constant_time_eq(presented.as_bytes(), expected.as_bytes());
    }
    let forwarded = ["forwarded", "x-forwarded-for", "x-real-ip"]
        .iter()
        .any(|h| headers.contains_key(*h));
    peer.ip().is_loopback() && !forwarded
}

/// Counts every request by the route pattern it matched, its method and status class, and
/// times it to the answer's headers.
pub(super) async fn count_request(state: State, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let route = match request.extensions().get::<MatchedPath>() {
        Some(p) => Some(p.as_str().to_string()),
        None => static_mount(request.uri().path()).map(str::to_string),
    };
    let response = next.run(request).await;
    state.metrics.record_request(
        method.as_str(),
        route.as_deref(),
        response.status().as_u16(),
        started.elapsed(),
    );
    response
}

/// The static files are served by nested services, for which axum records no matched path;
/// they are counted under their mount, so that the widget bundle does not look `unmatched`.
fn static_mount(path: &str) -> Option<&'static str> {
    const MOUNTS: [(&str, &str); 2] = [("/widgets/", "/widgets/*"), ("/demo/", "/demo/*")];
    MOUNTS
        .iter()
        .find(|(prefix, _)| path.starts_with(prefix))
        .map(|(_, label)| *label)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn static_files_count_under_their_mount() {
        assert_eq!(static_mount("/widgets/civic.js"), Some("/widgets/*"));
        assert_eq!(static_mount("/demo/index.html"), Some("/demo/*"));
        assert_eq!(static_mount("/wp-login.php"), None);
    }

    #[test]
    fn loopback_without_forwarding_may_scrape() {
        let local: SocketAddr = "127.0.0.1:40000".parse().unwrap();
        let remote: SocketAddr = "192.0.2.7:40000".parse().unwrap();
        assert!(may_scrape(None, local, &headers(&[])));
        assert!(may_scrape(None, "[::1]:1".parse().unwrap(), &headers(&[])));
        assert!(!may_scrape(None, remote, &headers(&[])));
        assert!(!may_scrape(
            None,
            local,
            &headers(&[("x-forwarded-for", "198.51.100.1")])
        ));
        assert!(!may_scrape(
            None,
            local,
            &headers(&[("forwarded", "for=x")])
        ));
    }

    #[test]
    fn a_configured_token_is_required_from_everywhere() {
        let local: SocketAddr = "127.0.0.1:40000".parse().unwrap();
        let remote: SocketAddr = "192.0.2.7:40000".parse().unwrap();
        let token = Some("s3cret-token-of-some-length");
        assert!(!may_scrape(token, local, &headers(&[])));
        assert!(!may_scrape(
            token,
            remote,
            &headers(&[("authorization", "Bearer wrong")])
        ));
        assert!(may_scrape(
            token,
            remote,
            &headers(&[("authorization", "Bearer s3cret-token-of-some-length")])
        ));
    }
}
