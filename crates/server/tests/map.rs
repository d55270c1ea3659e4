//! The public map from the index in memory (`GET /api/v1/{tenant}/map`): it agrees with the
//! database after every write path, counts add up, answers are served like files (ETag, 304,
//! brief caching, compressed), bad requests are named; on SQLite and PostgreSQL.

mod common;

use civickit_model::api::widget::{MapAnswer, MapPoint, ReportList};
use civickit_model::{Lang, LatLng, NewReport, Status};
use civickit_server::db::tenants::Tenant;
use civickit_server::db::{listen, Backend, Db};
use civickit_server::intake::submit_report;
use civickit_server::mapindex::grid::tile_of;
use common::{good_report, Office, TestServer};
use serde_json::json;
use std::time::{Duration, Instant};

backend_tests!(
    the_index_agrees_with_the_database_after_every_write_path,
    clusters_and_points_add_up_to_the_reports_in_view,
    a_view_is_served_like_a_file,
    bad_views_are_refused_with_the_reason,
    another_towns_reports_never_appear,
);

/// The tiles at `zoom` covering the box from `nw` to `se`, as a query.
fn tiles(zoom: u8, nw: LatLng, se: LatLng) -> String {
    let (x0, y0) = tile_of(nw, zoom);
    let (x1, y1) = tile_of(se, zoom);
    format!("z={zoom}&x={x0}-{x1}&y={y0}-{y1}")
}

/// Musterstadt as a whole, at zoom 13.
fn town_view() -> String {
    tiles(13, LatLng::new(50.60, 9.60), LatLng::new(50.50, 9.75))
}

async fn map(s: &TestServer, slug: &str, query: &str) -> MapAnswer {
    let (status, body) = s.get_json(&format!("/api/v1/{slug}/map?{query}")).await;
    assert_eq!(status, 200, "map?{query}: {body}");
    serde_json::from_value(body).expect("a MapAnswer")
}

/// The map's point for `reference` in `view` of Musterstadt.
async fn point_of(s: &TestServer, view: &str, reference: &str) -> MapPoint {
    let answer = map(s, "musterstadt", view).await;
    let found = answer.points.into_iter().find(|p| p.reference == reference);
    found.unwrap_or_else(|| panic!("{reference} is not on the map"))
}

/// An official's change through the office API, which must succeed.
async fn change(admin: &Office, path: &str, body: serde_json::Value) {
    let (status, answer) = admin.post(path, &body).await;
    assert_eq!(status, 200, "{path}: {answer}");
}

fn shows(answer: &MapAnswer, reference: &str) -> bool {
    answer.points.iter().any(|p| p.reference == reference)
}

async fn agrees(s: &TestServer, step: &str) {
    assert!(
        s.db.map_agrees_with_database(s.tenant.id).await.unwrap(),
        "after {step} the map index differs from the database"
    );
}

async fn report_at(s: &TestServer, tenant: &Tenant, at: LatLng) -> String {
    let new = NewReport {
        category: "strassenbeleuchtung".into(),
        position: Some(at),
        address: None,
        description: "Eine Meldung für die Karte.".into(),
        email: None,
    };
    match submit_report(&s.db, tenant, &new, "", Lang::De).await {
        Ok(c) => c.report.reference,
        Err(_) => panic!("the test report is valid"),
    }
}

async fn the_index_agrees_with_the_database_after_every_write_path(s: TestServer) {
    let admin = s.login_admin().await;
    let view = town_view();
    let before = map(&s, "musterstadt", &view).await;
    agrees(&s, "loading").await;

    let (status, created) = s
        .post_json("/api/v1/musterstadt/reports", &good_report())
        .await;
    assert_eq!(status, 201, "{created}");
    let reference = created["ref"].as_str().unwrap().to_string();
    let after = map(&s, "musterstadt", &view).await;
    assert_eq!(after.total, before.total + 1);
    assert!(
        shows(&after, &reference),
        "a new report is on the map at once"
    );
    agrees(&s, "a citizen's report").await;

    let path = |what: &str| format!("/office/api/reports/{reference}/{what}");
    change(
        &admin,
        &path("status"),
        json!({"status": "in_progress", "public_note": "Wir kümmern uns."}),
    )
    .await;
    let point = point_of(&s, &view, &reference).await;
    assert_eq!(point.status.as_str(), "in_progress");
    agrees(&s, "a status change").await;

    change(&admin, &path("category"), json!({"category": "muell"})).await;
    let point = point_of(&s, &view, &reference).await;
    assert_eq!(point.category, "muell");
    agrees(&s, "re-categorising").await;

    change(
        &admin,
        &path("position"),
        json!({"lat": 50.5541, "lng": 9.6801}),
    )
    .await;
    let point = point_of(&s, &view, &reference).await;
    assert_eq!((point.lat, point.lng), (50.5541, 9.6801));
    agrees(&s, "moving the pin").await;

    change(&admin, &path("hidden"), json!({"hidden": true})).await;
    assert!(!shows(&map(&s, "musterstadt", &view).await, &reference));
    agrees(&s, "hiding").await;
    change(&admin, &path("hidden"), json!({"hidden": false})).await;
    assert!(shows(&map(&s, "musterstadt", &view).await, &reference));
    agrees(&s, "showing again").await;

    // Pre-moderation: a new report stays off the map until an official releases it.
    change(
        &admin,
        "/office/api/settings",
        json!({"premoderation": true}),
    )
    .await;
    let (_, pending) = s
        .post_json("/api/v1/musterstadt/reports", &good_report())
        .await;
    let pending = pending["ref"].as_str().unwrap().to_string();
    assert!(!shows(&map(&s, "musterstadt", &view).await, &pending));
    agrees(&s, "a report awaiting moderation").await;
    change(
        &admin,
        &format!("/office/api/reports/{pending}/status"),
        json!({"status": "received", "public_note": "Freigegeben."}),
    )
    .await;
    assert!(shows(&map(&s, "musterstadt", &view).await, &pending));
    agrees(&s, "releasing it").await;

    change(
        &admin,
        &path("status"),
        json!({"status": "closed", "reason": "duplicate", "duplicate_of": pending,
                    "public_note": "Doppelt."}),
    )
    .await;
    agrees(&s, "closing as a duplicate").await;

    s.db.run_retention(i64::MAX / 2).await.unwrap();
    agrees(&s, "the retention job").await;

    // What another process writes (the CLI, another instance) arrives through the change log
    // (SQLite) or a notification (PostgreSQL), as `serve` follows them.
    let stop = tokio_util::sync::CancellationToken::new();
    let follower = match s.db.backend {
        Backend::Sqlite => tokio::spawn(listen::follow_log(s.db.clone(), stop.clone())),
        Backend::Postgres => {
            tokio::spawn(listen::run(s.db.clone(), s.db_url.clone(), stop.clone()))
        }
    };
    tokio::time::sleep(Duration::from_millis(500)).await;
    let cli = Db::connect(&s.db_url).await.unwrap();
    cli.change_status(s.tenant.id, &pending, Status::InProgress, None, "")
        .await
        .unwrap();
    let started = Instant::now();
    loop {
        let answer = map(&s, "musterstadt", &view).await;
        let point = answer
            .points
            .iter()
            .find(|p| p.reference == pending)
            .unwrap();
        if point.status == Status::InProgress {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "another process's change did not reach the map"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    agrees(&s, "a change from another process").await;
    stop.cancel();
    follower.await.unwrap();
}

async fn clusters_and_points_add_up_to_the_reports_in_view(s: TestServer) {
    s.db.bench_seed(&s.tenant, 1500).await.unwrap();
    let placed = s.db.count_reports(s.tenant.id).await.unwrap();
    let view = town_view();
    let far = map(&s, "musterstadt", &view).await;
    assert!(
        far.total as i64 >= 1500 && far.total as i64 <= placed,
        "{}",
        far.total
    );
    assert!(
        !far.clusters.is_empty(),
        "1500 reports over a town at zoom 13 are clustered"
    );
    let drawn = far.points.len() as u64
        + far
            .clusters
            .iter()
            .map(|c| u64::from(c.count()))
            .sum::<u64>();
    assert_eq!(drawn, far.total);
    // One state only: the counts follow.
    let received = map(&s, "musterstadt", &format!("{view}&status=received")).await;
    let in_clusters: u64 = far.clusters.iter().map(|c| u64::from(c.counts[0])).sum();
    let in_points = far
        .points
        .iter()
        .filter(|p| p.status.as_str() == "received")
        .count() as u64;
    assert_eq!(received.total, in_clusters + in_points);
    // Close in, few enough to be drawn one by one.
    let near = map(
        &s,
        "musterstadt",
        &tiles(
            18,
            LatLng::new(50.5535, 9.6785),
            LatLng::new(50.5530, 9.6795),
        ),
    )
    .await;
    assert!(near.clusters.is_empty() && near.points.len() as u64 == near.total);

    // The list beside the map: the newest in the box, a page at a time.
    let bbox = "9.60,50.50,9.75,50.60";
    let (status, first) = s
        .get_json(&format!("/api/v1/musterstadt/reports?bbox={bbox}&limit=20"))
        .await;
    assert_eq!(status, 200);
    let first: ReportList = serde_json::from_value(first).unwrap();
    let (_, second) = s
        .get_json(&format!(
            "/api/v1/musterstadt/reports?bbox={bbox}&limit=20&offset=20"
        ))
        .await;
    let second: ReportList = serde_json::from_value(second).unwrap();
    assert_eq!((first.reports.len(), second.reports.len()), (20, 20));
    assert!(first.truncated && second.truncated);
    let page: Vec<_> = first.reports.iter().chain(&second.reports).collect();
    assert!(
        page.windows(2).all(|w| w[0].created >= w[1].created),
        "newest first"
    );
    let refs: std::collections::BTreeSet<_> = page.iter().map(|r| &r.reference).collect();
    assert_eq!(refs.len(), 40, "no report on both pages");
}

async fn a_view_is_served_like_a_file(s: TestServer) {
    let url = s.at(&format!("/api/v1/musterstadt/map?{}", town_view()));
    let client = reqwest::Client::new();
    let get = |etag: Option<String>| {
        let mut req = client.get(&url).header("accept-encoding", "gzip");
        if let Some(tag) = etag {
            req = req.header("if-none-match", tag);
        }
        req.send()
    };
    let first = get(None).await.unwrap();
    assert_eq!(first.status(), 200);
    let headers = first.headers().clone();
    assert_eq!(headers["cache-control"], "public, max-age=30");
    assert_eq!(headers["content-encoding"], "gzip");
    assert_eq!(headers["content-type"], "application/json");
    let etag = headers["etag"].to_str().unwrap().to_string();
    assert!(etag.starts_with('"'), "a strong ETag: {etag}");
    let again = get(Some(etag.clone())).await.unwrap();
    assert_eq!(again.status(), 304, "unchanged: not sent again");
    // A change in the town gives a new answer.
    let (status, _) = s
        .post_json("/api/v1/musterstadt/reports", &good_report())
        .await;
    assert_eq!(status, 201);
    let changed = get(Some(etag.clone())).await.unwrap();
    assert_eq!(changed.status(), 200);
    assert_ne!(changed.headers()["etag"].to_str().unwrap(), etag);
}

async fn bad_views_are_refused_with_the_reason(s: TestServer) {
    for (query, says) in [
        ("x=1-2&y=1-2", "z must be"),
        ("z=20&x=1&y=1", "z must be"),
        ("z=13&x=4300-4299&y=2760", "x must be"),
        ("z=13&x=4000-4100&y=2760", "at most 24"),
        ("z=2&x=0-4&y=0", "x must be"),
        ("z=13&x=4300&y=abc", "y must be"),
        ("z=13&x=4300&y=2760&status=pending_review", "unknown status"),
    ] {
        let (status, body) = s
            .get_json(&format!("/api/v1/musterstadt/map?{query}"))
            .await;
        assert_eq!(status, 400, "{query}: {body}");
        assert!(
            body["message"].as_str().unwrap().contains(says),
            "{query}: {body}"
        );
    }
    let (status, _) = s
        .get_json(&format!("/api/v1/nowhere/map?{}", town_view()))
        .await;
    assert_eq!(status, 404);
}

async fn another_towns_reports_never_appear(s: TestServer) {
    let other = s.add_other_tenant().await;
    let here = report_at(&s, &s.tenant, LatLng::new(50.5531, 9.6791)).await;
    let there_at = other.center;
    let there = report_at(&s, &other, there_at).await;
    // Both towns asked for the same tiles around the other town's centre and ours.
    let view = tiles(
        10,
        LatLng::new(
            there_at.lat.max(50.56) + 0.01,
            there_at.lng.min(9.67) - 0.01,
        ),
        LatLng::new(
            there_at.lat.min(50.55) - 0.01,
            there_at.lng.max(9.68) + 0.01,
        ),
    );
    let ours = map(&s, "musterstadt", &view).await;
    let theirs = map(&s, &other.slug, &view).await;
    // References count per town, so the other town's first report may share one of ours:
    // tell them apart by place.
    let near_there = |a: &MapAnswer| {
        a.points
            .iter()
            .any(|p| LatLng::new(p.lat, p.lng).distance_m(&there_at) < 1.0)
            || a.clusters
                .iter()
                .any(|c| LatLng::new(c.lat, c.lng).distance_m(&there_at) < 1000.0)
    };
    assert!(ours.points.iter().any(|p| p.reference == here));
    assert!(!near_there(&ours), "{ours:?}");
    assert_eq!(theirs.total, 1, "{theirs:?}");
    assert_eq!(theirs.points[0].reference, there);
    assert!(near_there(&theirs));
}
