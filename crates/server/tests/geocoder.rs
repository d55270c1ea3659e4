//! The optional geocoder (issue 13) on SQLite and PostgreSQL: off by default; when a town that
//! imported no places names one, the server asks it (never the citizen's browser), sends only
//! the rounded position or the search text, caches the answer, and survives its failure.
//!
//! The geocoder here is a stand-in on 127.0.0.1 that answers as Nominatim and Photon do: the
//! real public servers may not be reached from tests, and neither can run on this machine.

mod common;

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::routing::get;
use axum::{Json, Router};
use common::TestServer;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

backend_tests!(
    a_town_without_places_asks_its_geocoder_only_when_it_named_one,
    photon_works_too_and_a_failing_geocoder_costs_only_the_address,
);

/// What the stand-in was asked: path, query, headers.
type Log = Arc<Mutex<Vec<(String, HashMap<String, String>, HeaderMap)>>>;

async fn nominatim_reverse(
    State(log): State<Log>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Json<Value> {
    log.lock().unwrap().push(("/reverse".into(), q, headers));
    Json(json!({"lat": "48.00010", "lon": "11.00010",
        "address": {"road": "Dorfstraße", "house_number": "7", "village": "Nachbardorf"}}))
}

async fn nominatim_search(
    State(log): State<Log>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Json<Value> {
    log.lock().unwrap().push(("/search".into(), q, headers));
    Json(json!([
        {"lat": "48.0001", "lon": "11.0001", "address": {"road": "Dorfstraße", "house_number": "7"}},
        {"lat": "52.5", "lon": "13.4", "address": {"road": "Dorfstraße", "house_number": "9"}}
    ]))
}

async fn photon_reverse(
    State(log): State<Log>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Json<Value> {
    log.lock()
        .unwrap()
        .push(("/photon/reverse".into(), q, headers));
    Json(
        json!({"type": "FeatureCollection", "features": [{"type": "Feature",
        "geometry": {"type": "Point", "coordinates": [11.0003, 48.0003]},
        "properties": {"street": "Kirchweg", "housenumber": "2", "osm_key": "building"}}]}),
    )
}

async fn photon_search(
    State(log): State<Log>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Json<Value> {
    log.lock().unwrap().push(("/photon/api".into(), q, headers));
    Json(
        json!({"type": "FeatureCollection", "features": [{"type": "Feature",
        "geometry": {"type": "Point", "coordinates": [11.0003, 48.0003]},
        "properties": {"street": "Kirchweg", "housenumber": "2"}}]}),
    )
}

async fn stand_in() -> (String, Log) {
    let log: Log = Default::default();
    let app = Router::new()
        .route("/reverse", get(nominatim_reverse))
        .route("/search", get(nominatim_search))
        .route("/photon/reverse", get(photon_reverse))
        .route("/photon/api", get(photon_search))
        .with_state(log.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, log)
}

/// A citizen's browser asking, with everything a browser sends.
async fn citizen_get(s: &TestServer, path: &str) -> Value {
    let r = s
        .http
        .get(s.at(path))
        .header("origin", "https://www.nachbardorf.example")
        .header("referer", "https://www.nachbardorf.example/maengelmelder")
        .header("cookie", "citizen=secret")
        .header("user-agent", "CitizenPhone/1.0")
        .header("x-forwarded-for", "203.0.113.9")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    r.json().await.unwrap()
}

async fn a_town_without_places_asks_its_geocoder_only_when_it_named_one(s: TestServer) {
    let (url, log) = stand_in().await;
    let (_, admin) = s.neighbour_admin().await;
    let reverse = "/api/v1/nachbardorf/places/reverse?lat=48.000123&lng=11.000087";
    // Off by default: nobody is asked.
    assert_eq!(citizen_get(&s, reverse).await, json!({}));
    assert!(log.lock().unwrap().is_empty());

    let (status, body) = admin
        .post("/office/api/town", &json!({"geocoder_url": "ftp://x"}))
        .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["fields"][0]["field"], "geocoder_url");
    let (status, town) = admin
        .post("/office/api/town", &json!({"geocoder_url": url}))
        .await;
    assert_eq!(status, 200, "{town}");
    assert_eq!(town["geocoder_url"], url.as_str());

    let answer = citizen_get(&s, reverse).await;
    assert_eq!(answer["place"]["label"], "Dorfstraße 7", "{answer}");
    {
        let log = log.lock().unwrap();
        assert_eq!(log.len(), 1);
        let (path, q, headers) = &log[0];
        assert_eq!(path, "/reverse");
        // Rounded to 4 decimals; nothing of the citizen's request goes along.
        assert_eq!(
            (q["lat"].as_str(), q["lon"].as_str()),
            ("48.0001", "11.0001")
        );
        assert_eq!(q["format"], "jsonv2");
        assert!(headers["user-agent"]
            .to_str()
            .unwrap()
            .starts_with("civickit/"));
        for private in [
            "origin",
            "referer",
            "cookie",
            "x-forwarded-for",
            "forwarded",
        ] {
            assert!(
                !headers.contains_key(private),
                "{private} was sent: {headers:?}"
            );
        }
    }
    // Asked once: the same place again comes from the cache.
    citizen_get(
        &s,
        "/api/v1/nachbardorf/places/reverse?lat=48.000110&lng=11.000090",
    )
    .await;
    assert_eq!(log.lock().unwrap().len(), 1);

    // A report without an address gets the geocoder's.
    let (status, created) = s
        .post_json(
            "/api/v1/nachbardorf/reports",
            &json!({"category": "strassenbeleuchtung", "position": {"lat": 48.000123, "lng": 11.000087},
                    "description": "Die Laterne vor der Kirche ist dunkel."}),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    let (_, report) = s
        .get_json(&format!(
            "/api/v1/nachbardorf/reports/{}",
            created["ref"].as_str().unwrap()
        ))
        .await;
    assert_eq!(report["address"], "Dorfstraße 7");

    // Search: bounded to the town's box, answers outside its area dropped.
    let found = citizen_get(&s, "/api/v1/nachbardorf/places/search?q=Dorfstr").await;
    assert_eq!(
        found,
        json!({"places": [{"label": "Dorfstraße 7", "street": "Dorfstraße",
        "housenumber": "7", "lat": 48.0001, "lng": 11.0001}]})
    );
    let log = log.lock().unwrap();
    let (path, q, _) = log.last().unwrap();
    assert_eq!(path, "/search");
    assert_eq!((q["q"].as_str(), q["bounded"].as_str()), ("Dorfstr", "1"));
    assert_eq!(q["viewbox"], "10.99,48.01,11.01,47.99");
    // The demo town, with imported places, never asks anyone.
    drop(log);
    citizen_get(
        &s,
        "/api/v1/musterstadt/places/reverse?lat=50.552&lng=9.677",
    )
    .await;
}

async fn photon_works_too_and_a_failing_geocoder_costs_only_the_address(s: TestServer) {
    let (url, log) = stand_in().await;
    let (_, admin) = s.neighbour_admin().await;
    let photon = format!("{url}/photon/api");
    let (status, _) = admin
        .post("/office/api/town", &json!({"geocoder_url": photon}))
        .await;
    assert_eq!(status, 200);
    let near = citizen_get(
        &s,
        "/api/v1/nachbardorf/places/reverse?lat=48.0002&lng=11.0002",
    )
    .await;
    assert_eq!(near["place"]["label"], "Kirchweg 2", "{near}");
    let found = citizen_get(&s, "/api/v1/nachbardorf/places/search?q=kirch").await;
    assert_eq!(found["places"][0]["label"], "Kirchweg 2");
    let paths: Vec<String> = log
        .lock()
        .unwrap()
        .iter()
        .map(|(p, _, _)| p.clone())
        .collect();
    assert_eq!(paths, ["/photon/reverse", "/photon/api"]);

    // Nobody answers at this port: no address, but the citizen's report goes through.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let (status, _) = admin
        .post("/office/api/town", &json!({"geocoder_url": dead}))
        .await;
    assert_eq!(status, 200);
    let near = citizen_get(
        &s,
        "/api/v1/nachbardorf/places/reverse?lat=48.0005&lng=11.0005",
    )
    .await;
    assert_eq!(near, json!({}));
    let (status, created) = s
        .post_json(
            "/api/v1/nachbardorf/reports",
            &json!({"category": "strassenbeleuchtung", "position": {"lat": 48.0005, "lng": 11.0005},
                    "description": "Die Laterne am Dorfplatz flackert."}),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    // Empty turns it off again.
    let (status, town) = admin
        .post("/office/api/town", &json!({"geocoder_url": ""}))
        .await;
    assert_eq!((status, town["geocoder_url"].as_str()), (200, Some("")));
}
