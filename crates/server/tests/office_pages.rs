//! The office page's URLs: `/office` and every page below it (`/office/reports/M-2026-00042`,
//! `/office/settings`…, links officials get by mail) answer the page; its files stay files and
//! unknown API paths stay JSON 404s. The database plays no part, so SQLite only.

use civickit_server::db::Db;
use civickit_server::http::AppState;
use serde_json::Value;
use std::sync::Arc;

const PAGE: &str = "<!doctype html><title>office test page</title>";

/// A server whose dist folder holds a stand-in office page and stylesheet.
async fn server_with_office_page() -> (String, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let office = dir.path().join("dist/office");
    std::fs::create_dir_all(&office).unwrap();
    std::fs::write(office.join("index.html"), PAGE).unwrap();
    std::fs::write(office.join("office.css"), "body{margin:0}").unwrap();
    let db = Db::connect(&format!(
        "sqlite://{}",
        dir.path().join("test.db").display()
    ))
    .await
    .unwrap();
    db.migrate().await.unwrap();
    let state = Arc::new(AppState {
        db,
        assets: civickit_server::http::assets::Assets::from_dir(&dir.path().join("dist")).unwrap(),
        public_url: None,
        mail_wake: Arc::new(tokio::sync::Notify::new()),
        limiter: Default::default(),
        trusted_proxies: Default::default(),
        form_key: "test".into(),
        pow: Default::default(),
        metrics: Default::default(),
        stats: Default::default(),
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let app = civickit_server::http::router(state)
        .into_make_service_with_connect_info::<std::net::SocketAddr>();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, dir)
}

async fn get(url: &str) -> (u16, String, String) {
    let r = reqwest::get(url).await.unwrap();
    let status = r.status().as_u16();
    let kind = r
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (status, kind, r.text().await.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_url_answers_the_office_page() {
    let (url, _dir) = server_with_office_page().await;
    for page in [
        "/office",
        "/office/reports",
        "/office/reports/M-2026-00042",
        "/office/messages/B-2026-00017",
        "/office/polls/spielplatz-2026",
        "/office/settings",
        "/office/audit",
        "/office/mailbox",
        "/office/admin",
    ] {
        let (status, kind, body) = get(&format!("{url}{page}")).await;
        assert_eq!((status, body.as_str()), (200, PAGE), "{page}");
        assert!(kind.starts_with("text/html"), "{page}: {kind}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_stay_files_and_unknown_api_paths_stay_json_404s() {
    let (url, _dir) = server_with_office_page().await;
    let (status, kind, body) = get(&format!("{url}/office/assets/office.css")).await;
    assert_eq!((status, body.as_str()), (200, "body{margin:0}"));
    assert!(kind.starts_with("text/css"), "{kind}");
    let (status, _, body) = get(&format!("{url}/office/assets/missing.js")).await;
    assert_eq!(status, 404, "a missing file is not the page: {body}");

    for path in [
        "/office/api",
        "/office/api/nothing-here",
        "/office/api/reports/M-1/nothing",
    ] {
        let (status, kind, body) = get(&format!("{url}{path}")).await;
        assert_eq!(status, 404, "{path}");
        assert!(kind.starts_with("application/json"), "{path}: {kind}");
        let body: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(body["error"], "not_found", "{path}");
    }
    let (status, _, _) = get(&format!("{url}/office/api/me")).await;
    assert_eq!(status, 401, "the API itself still answers");
    let r = reqwest::Client::new()
        .post(format!("{url}/office/settings"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 404, "pages are only read");
}
