//! Prometheus metrics of one server process, on `prometheus-client` (the Prometheus project's
//! own Rust client): a registry per process instead of a global recorder, so that tests can run
//! many servers in one process, each with its own figures.
//!
//! Cardinality stays bounded: requests are labelled by the route *pattern* axum matched
//! (`/api/v1/{tenant}/reports/{reference}`), never the raw path, by a fixed set of methods and
//! by status class; reports by tenant slug, of which there are as many as towns.
//! The database figures (outbox, pool) are read when Prometheus scrapes, not kept up to date
//! on every change; with several instances on one PostgreSQL each reports the same outbox.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;
use std::time::Duration;

/// The content type of the answer: OpenMetrics text, which Prometheus asks for first and which
/// reads as its classic text format too (`# EOF` and `# UNIT` are comments there).
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: &'static str,
    route: String,
    status: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: &'static str,
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct TenantLabels {
    tenant: String,
}

type LatencyFamily = Family<RouteLabels, Histogram, fn() -> Histogram>;

/// Latency buckets in seconds: from a cached map query (about a millisecond) to a slow photo
/// upload over a village line.
fn latency_histogram() -> Histogram {
    Histogram::new([
        0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
    ])
}

pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: LatencyFamily,
    reports_created: Family<TenantLabels, Counter>,
    database_up: Gauge,
    outbox_unsent: Gauge,
    outbox_given_up: Gauge,
    outbox_oldest_age: Gauge,
    pool_connections: Gauge,
    pool_idle: Gauge,
    pool_max: Gauge,
    /// Bearer token that opens `/metrics` from anywhere (else loopback only).
    pub token: Option<String>,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new(None)
    }
}

impl Metrics {
    pub fn new(token: Option<String>) -> Metrics {
        let mut registry = Registry::default();
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "civickit_http_requests",
            "HTTP requests answered, by method, route pattern and status class",
            requests.clone(),
        );
        let latency = LatencyFamily::new_with_constructor(latency_histogram);
        registry.register(
            "civickit_http_request_duration_seconds",
            "Time from the request to the answer's headers, by method and route pattern",
            latency.clone(),
        );
        let reports_created = Family::<TenantLabels, Counter>::default();
        registry.register(
            "civickit_reports_created",
            "Reports taken in by this process (widget and Open311), by tenant slug",
            reports_created.clone(),
        );
        let mut gauge = |name: &str, help: &str| {
            let g = Gauge::default();
            registry.register(name, help, g.clone());
            g
        };
        let database_up = gauge(
            "civickit_database_up",
            "1 when the database answered this scrape within 2 s, else 0",
        );
        let outbox_unsent = gauge(
            "civickit_outbox_unsent",
            "Mails in the outbox still to be sent (all tenants)",
        );
        let outbox_given_up = gauge(
            "civickit_outbox_given_up",
            "Mails given up after repeated failures (all tenants)",
        );
        let outbox_oldest_age = gauge(
            "civickit_outbox_oldest_unsent_age_seconds",
            "Age of the oldest mail still to be sent; 0 when none waits",
        );
        let pool_connections = gauge(
            "civickit_db_pool_connections",
            "Open database connections of this process",
        );
        let pool_idle = gauge(
            "civickit_db_pool_idle_connections",
            "Open database connections not in use",
        );
        let pool_max = gauge(
            "civickit_db_pool_max_connections",
            "The most database connections this process opens",
        );
        Metrics {
            registry,
            requests,
            latency,
            reports_created,
            database_up,
            outbox_unsent,
            outbox_given_up,
            outbox_oldest_age,
            pool_connections,
            pool_idle,
            pool_max,
            token,
        }
    }

    /// Counts one answered request. `route` is axum's matched pattern, `None` for requests no
    /// route matched (counted together, so scanners cannot inflate the label set).
    pub fn record_request(&self, method: &str, route: Option<&str>, status: u16, took: Duration) {
        let method = known_method(method);
        let route = route.unwrap_or("unmatched").to_string();
        self.requests
            .get_or_create(&RequestLabels {
                method,
                route: route.clone(),
                status: status_class(status),
            })
            .inc();
        self.latency
            .get_or_create(&RouteLabels { method, route })
            .observe(took.as_secs_f64());
    }

    pub fn report_created(&self, tenant_slug: &str) {
        self.reports_created
            .get_or_create(&TenantLabels {
                tenant: tenant_slug.to_string(),
            })
            .inc();
    }

    /// Reads the database figures and writes everything in the OpenMetrics text format. A
    /// database that does not answer still gives an answer (with `civickit_database_up 0` and
    /// the outbox figures of the last good scrape), so monitoring sees the process and why.
    pub async fn render(&self, db: &crate::db::Db) -> Result<String, String> {
        let backlog = tokio::time::timeout(Duration::from_secs(2), db.outbox_backlog()).await;
        match backlog {
            Ok(Ok(backlog)) => {
                self.database_up.set(1);
                self.outbox_unsent.set(backlog.unsent);
                self.outbox_given_up.set(backlog.given_up);
                self.outbox_oldest_age
                    .set(backlog.oldest_unsent_seconds.unwrap_or(0));
            }
            Ok(Err(e)) => {
                tracing::warn!("metrics: reading the outbox: {e}");
                self.database_up.set(0);
            }
            Err(_) => {
                tracing::warn!("metrics: the database did not answer within 2 s");
                self.database_up.set(0);
            }
        }
        self.pool_connections.set(i64::from(db.pool.size()));
        self.pool_idle.set(db.pool.num_idle() as i64);
        self.pool_max
            .set(i64::from(db.pool.options().get_max_connections()));
        let mut out = String::new();
        prometheus_client::encoding::text::encode(&mut out, &self.registry)
            .map_err(|e| e.to_string())?;
        Ok(out)
    }
}

/// The method as a label: the standard ones by name, anything else as `other`.
fn known_method(method: &str) -> &'static str {
    const KNOWN: [&str; 7] = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];
    KNOWN.into_iter().find(|m| *m == method).unwrap_or("other")
}

fn status_class(status: u16) -> &'static str {
    match status {
        100..=199 => "1xx",
        200..=299 => "2xx",
        300..=399 => "3xx",
        400..=499 => "4xx",
        _ => "5xx",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_stay_bounded() {
        assert_eq!(known_method("GET"), "GET");
        assert_eq!(known_method("PROPFIND"), "other");
        assert_eq!(status_class(201), "2xx");
        assert_eq!(status_class(404), "4xx");
        assert_eq!(status_class(503), "5xx");
    }
}
