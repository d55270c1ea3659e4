//! Places (issue 13) over real HTTP on SQLite and PostgreSQL: the widget's "bei …" and search,
//! the address a report gets, the office's search and pin correction, and `civickit places
//! import` run as the operator runs it, beside the running server.

mod common;

use civickit_model::api::widget::{ReverseAnswer, SearchAnswer};
use common::process::civickit;
use common::{audit_actions, good_report, TestServer};
use serde_json::json;

backend_tests!(
    the_widget_names_the_nearest_address_else_the_street_else_nothing,
    search_finds_addresses_by_prefix_without_case_or_accents,
    a_report_without_an_address_gets_the_nearest_one_and_keeps_a_typed_one,
    officials_search_and_correct_a_position_which_is_audited,
    an_import_replaces_the_places_at_once_and_a_bad_file_changes_nothing,
);

async fn reverse(s: &TestServer, lat: f64, lng: f64) -> ReverseAnswer {
    let (status, body) = s
        .get_json(&format!(
            "/api/v1/musterstadt/places/reverse?lat={lat}&lng={lng}"
        ))
        .await;
    assert_eq!(status, 200, "{body}");
    serde_json::from_value(body).expect("a ReverseAnswer")
}

async fn search(s: &TestServer, q: &str) -> Vec<String> {
    let (status, body) = s
        .get_json(&format!(
            "/api/v1/musterstadt/places/search?q={}",
            urlencode(q)
        ))
        .await;
    assert_eq!(status, 200, "{body}");
    let answer: SearchAnswer = serde_json::from_value(body).expect("a SearchAnswer");
    answer.places.into_iter().map(|p| p.label).collect()
}

fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("", s)]).unwrap()[1..].to_string()
}

/// Where the demo has this address.
async fn position_of(s: &TestServer, label: &str) -> (f64, f64) {
    let (_, body) = s
        .get_json(&format!(
            "/api/v1/musterstadt/places/search?q={}&limit=1",
            urlencode(label)
        ))
        .await;
    let place = &body["places"][0];
    assert_eq!(place["label"], label, "{body}");
    (
        place["lat"].as_f64().unwrap(),
        place["lng"].as_f64().unwrap(),
    )
}

async fn the_widget_names_the_nearest_address_else_the_street_else_nothing(s: TestServer) {
    let (lat, lng) = position_of(&s, "Lindenstraße 14").await;
    // Ten metres off, as a thumb on a phone would tap.
    let near = reverse(&s, lat + 0.00009, lng)
        .await
        .place
        .expect("a place");
    assert_eq!(near.place.label, "Lindenstraße 14");
    assert_eq!(near.place.housenumber.as_deref(), Some("14"));
    assert!(near.distance_m <= 15.0, "{}", near.distance_m);

    // West of the built-up centre the streets run through fields: the street, no number.
    let street = reverse(&s, 50.5520, 9.6550).await.place.expect("a street");
    assert_eq!(street.place.housenumber, None);
    assert!(!street.place.label.is_empty());
    assert!(street.distance_m > 75.0 || street.distance_m <= 150.0);

    // Far from everything: an empty answer, not an error.
    let (status, body) = s
        .get_json("/api/v1/musterstadt/places/reverse?lat=51.2&lng=9.1")
        .await;
    assert_eq!((status, body), (200, json!({})));

    for bad in ["lat=abc&lng=9.6", "lat=50.5", "lat=95&lng=9.6"] {
        let (status, body) = s
            .get_json(&format!("/api/v1/musterstadt/places/reverse?{bad}"))
            .await;
        assert_eq!(status, 422, "{bad}: {body}");
        assert_eq!(body["error"], "validation", "{body}");
        assert!(body["fields"][0]["field"].is_string(), "{body}");
    }
    let (status, _) = s
        .get_json("/api/v1/nowhere/places/reverse?lat=50.5&lng=9.6")
        .await;
    assert_eq!(status, 404);
    // A town that imported nothing answers nothing.
    let other = s.add_other_tenant().await;
    let (status, body) = s
        .get_json(&format!(
            "/api/v1/{}/places/reverse?lat=50.552&lng=9.677",
            other.slug
        ))
        .await;
    assert_eq!((status, body), (200, json!({})));
    let (status, body) = s
        .get_json(&format!("/api/v1/{}/places/search?q=linden", other.slug))
        .await;
    assert_eq!((status, body), (200, json!({"places": []})));
}

async fn search_finds_addresses_by_prefix_without_case_or_accents(s: TestServer) {
    let found = search(&s, "lindenstr 1").await;
    assert_eq!(found.len(), 8, "{found:?}");
    assert_eq!(found[0], "Lindenstraße 1");
    assert!(
        found[1..].iter().all(|l| l.starts_with("Lindenstraße 1")),
        "{found:?}"
    );
    assert_eq!(search(&s, "MUHLENWEG").await, ["Mühlenweg"]);
    assert_eq!(search(&s, "Mühlenweg 3").await[0], "Mühlenweg 3");
    // A word inside a name counts too.
    assert_eq!(search(&s, "rathaus").await, ["Am Rathaus"]);
    assert!(search(&s, "").await.is_empty());
    assert!(search(&s, "12").await.is_empty());
    assert!(search(&s, "Zzz").await.is_empty());
    let (_, body) = s
        .get_json("/api/v1/musterstadt/places/search?q=s&limit=3")
        .await;
    assert_eq!(body["places"].as_array().unwrap().len(), 3);
    let (_, body) = s
        .get_json("/api/v1/musterstadt/places/search?q=s%202&limit=500")
        .await;
    assert_eq!(body["places"].as_array().unwrap().len(), 20);
    // The widget embeds on other origins.
    let r = s
        .http
        .get(s.at("/api/v1/musterstadt/places/search?q=linden"))
        .header("origin", "https://www.musterstadt.de")
        .send()
        .await
        .unwrap();
    assert!(r.headers().contains_key("access-control-allow-origin"));
}

async fn a_report_without_an_address_gets_the_nearest_one_and_keeps_a_typed_one(s: TestServer) {
    let (lat, lng) = position_of(&s, "Lindenstraße 14").await;
    let mut report = good_report();
    report["position"] = json!({"lat": lat, "lng": lng + 0.00005});
    let (status, created) = s.post_json("/api/v1/musterstadt/reports", &report).await;
    assert_eq!(status, 201, "{created}");
    let reference = created["ref"].as_str().unwrap().to_string();
    let (_, public) = s
        .get_json(&format!("/api/v1/musterstadt/reports/{reference}"))
        .await;
    assert_eq!(public["address"], "Lindenstraße 14", "{public}");
    let (_, open311) = s
        .get_json(&format!("/open311/v2/requests/{reference}.json"))
        .await;
    assert_eq!(open311[0]["address"], "Lindenstraße 14", "{open311}");
    // GeoReport v2 answers the address as `address`; `address_string` is only the name it is
    // posted under (tests/open311.rs keeps the output to the spec).
    assert!(open311[0].get("address_string").is_none(), "{open311}");

    report["address"] = json!("Hinter dem Feuerwehrhaus");
    let (_, created) = s.post_json("/api/v1/musterstadt/reports", &report).await;
    let (_, public) = s
        .get_json(&format!(
            "/api/v1/musterstadt/reports/{}",
            created["ref"].as_str().unwrap()
        ))
        .await;
    assert_eq!(public["address"], "Hinter dem Feuerwehrhaus");
}

async fn officials_search_and_correct_a_position_which_is_audited(s: TestServer) {
    let admin = s.login_admin().await;
    let (status, body) = admin
        .get("/office/api/places/search?q=lindenstrasse%2014")
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["places"][0]["label"], "Lindenstraße 14");
    let (status, _) = s.get_json("/office/api/places/search?q=linden").await;
    assert_eq!(status, 401, "the office search needs a login");

    let (lat, lng) = position_of(&s, "Lindenstraße 14").await;
    let mut report = good_report();
    report["position"] = json!({"lat": lat, "lng": lng});
    let (_, created) = s.post_json("/api/v1/musterstadt/reports", &report).await;
    let reference = created["ref"].as_str().unwrap().to_string();
    let (to_lat, to_lng) = position_of(&s, "Mühlenweg 3").await;
    let path = format!("/office/api/reports/{reference}/position");

    // Outside the town: refused by field, nothing moves.
    let (status, body) = admin.post(&path, &json!({"lat": 51.2, "lng": 9.1})).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["fields"][0]["field"], "position");
    assert_eq!(body["fields"][0]["code"], "outside_area");
    let (status, body) = admin.post(&path, &json!({"lat": "x"})).await;
    assert_eq!(status, 400, "{body}");

    let (status, moved) = admin
        .post(&path, &json!({"lat": to_lat, "lng": to_lng}))
        .await;
    assert_eq!(status, 200, "{moved}");
    assert_eq!(moved["address"], "Mühlenweg 3", "{moved}");
    assert_eq!(moved["lat"].as_f64(), Some(to_lat), "{moved}");
    let (_, public) = s
        .get_json(&format!("/api/v1/musterstadt/reports/{reference}"))
        .await;
    assert_eq!(public["address"], "Mühlenweg 3");
    assert_eq!(public["lat"].as_f64(), Some(to_lat), "{public}");
    assert_eq!(audit_actions(&admin).await[0], "report.position");

    // A typed address is the citizen's: moving the pin keeps it.
    report["address"] = json!("Hinter dem Feuerwehrhaus");
    let (_, created) = s.post_json("/api/v1/musterstadt/reports", &report).await;
    let typed = created["ref"].as_str().unwrap();
    let (_, moved) = admin
        .post(
            &format!("/office/api/reports/{typed}/position"),
            &json!({"lat": to_lat, "lng": to_lng}),
        )
        .await;
    assert_eq!(moved["address"], "Hinter dem Feuerwehrhaus", "{moved}");

    // The Bauhof editor cannot move a street light (Tiefbauamt's); another town's admin
    // cannot see the report at all.
    let editor = s.login_editor().await;
    let (status, _) = editor.post(&path, &json!({"lat": lat, "lng": lng})).await;
    assert_eq!(status, 404);
    let (_, neighbour) = s.neighbour_admin().await;
    let (status, _) = neighbour
        .post(&path, &json!({"lat": to_lat, "lng": to_lng}))
        .await;
    assert_eq!(status, 404);
}

/// `civickit places import --tenant musterstadt ARGS…`, as the operator types it.
fn import(s: &TestServer, args: &[&str]) -> (bool, String, String) {
    let mut all = vec!["places", "import", "--tenant", "musterstadt"];
    all.extend_from_slice(args);
    civickit(&s.db_url, &all)
}

async fn an_import_replaces_the_places_at_once_and_a_bad_file_changes_nothing(s: TestServer) {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("hauskoordinaten.csv");
    std::fs::write(
        &csv,
        "strasse;hausnummer;zusatz;lat;lng\n\
         Probeweg;1;;50,55200;9,67700\n\
         Probeweg;2;a;50,55210;9,67710\n\
         Probeweg;drei;;50,55x;9,677\n\
         Probeweg;4;;9,677;50,552\n\
         Probeweg;;;50,552;9,677\n\
         Probeweg;6;;95,0;9,677\n",
    )
    .unwrap();
    let file = csv.to_str().unwrap();
    let (ok, _, err) = import(&s, &[file]);
    assert!(!ok);
    assert!(
        err.contains("line 4: lat: \"50,55x\" is not a number"),
        "{err}"
    );
    assert!(
        err.contains("line 5: ") && err.contains("outside the town's area"),
        "{err}"
    );
    assert!(err.contains("line 6: housenumber is empty"), "{err}");
    assert!(
        err.contains("line 7: 95,9.677 is no WGS84 position"),
        "{err}"
    );
    assert!(
        err.contains("4 of 6 rows are malformed; nothing was imported"),
        "{err}"
    );
    let before = reverse(&s, 50.552, 9.677).await.place.unwrap();
    assert_ne!(before.place.street, "Probeweg");

    let (ok, out, err) = import(&s, &["--skip-invalid", file]);
    assert!(ok, "{err}");
    assert!(out.contains("imported 2 addresses and 0 streets"), "{out}");
    assert!(out.contains("skipped 4 malformed rows"), "{out}");
    // The running server sees the new set at once, and only it.
    let near = reverse(&s, 50.55201, 9.67701).await.place.unwrap();
    assert_eq!(near.place.label, "Probeweg 1");
    assert_eq!(search(&s, "probeweg 2").await, ["Probeweg 2a"]);
    assert!(search(&s, "lindenstr").await.is_empty());
    let (ok, out, _) = civickit(
        &s.db_url,
        &[
            "places",
            "show",
            "--tenant",
            "musterstadt",
            "--near",
            "50.5521,9.6771",
        ],
    );
    assert!(ok);
    assert!(out.contains("2 addresses and 0 streets"), "{out}");
    assert!(out.contains("Probeweg 2a"), "{out}");

    // The documented examples import as they are.
    let examples = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/examples");
    let geojson = format!("{examples}/places-example.geojson");
    let (ok, out, err) = import(&s, &[&geojson]);
    assert!(ok, "{err}");
    assert!(
        out.contains("imported 3 addresses and 1 street from"),
        "{out}"
    );
    assert!(out.contains("ignored 1 row with neither"), "{out}");
    let lines = reverse(&s, 50.5545, 9.6740).await.place.unwrap();
    assert_eq!(lines.place.label, "Am Sportplatz");
    let csv = format!("{examples}/places-example.csv");
    let (ok, out, err) = import(&s, &[&csv]);
    assert!(ok, "{err}");
    assert!(out.contains("imported 3 addresses"), "{out}");

    // Tabs where the header promised commas: the columns are not found, nothing changes.
    let tabs = dir.path().join("tabs.csv");
    std::fs::write(
        &tabs,
        "street\thousenumber\tlat\tlng\nProbeweg\t9\t50.552\t9.677\n",
    )
    .unwrap();
    let (ok, _, err) = import(&s, &[tabs.to_str().unwrap()]);
    assert!(!ok);
    assert!(err.contains("line 1: no street column"), "{err}");
    // 50 MB of junk (not UTF-8): one clear error, at once, nothing changes.
    let junk = dir.path().join("junk.csv");
    let bytes: Vec<u8> = (0..50_000_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    std::fs::write(&junk, bytes).unwrap();
    let (ok, _, err) = import(&s, &[junk.to_str().unwrap()]);
    assert!(!ok);
    assert!(err.contains("the file must be UTF-8"), "{err}");
    // …and 50 MB of text junk: refused as a whole, before any row is read.
    let text_junk = dir.path().join("junk.geojson");
    std::fs::write(&text_junk, "x".repeat(50_000_000)).unwrap();
    let (ok, _, err) = import(&s, &[text_junk.to_str().unwrap()]);
    assert!(!ok);
    assert!(err.contains("not a GeoJSON FeatureCollection"), "{err}");

    // Not a collection at all: refused, the places stay.
    let broken = dir.path().join("broken.geojson");
    std::fs::write(&broken, "{\"type\": \"Feature\"").unwrap();
    let (ok, _, err) = import(&s, &[broken.to_str().unwrap()]);
    assert!(!ok);
    assert!(err.contains("not a GeoJSON FeatureCollection"), "{err}");
    assert_eq!(search(&s, "hauptstr 1").await.len(), 1);
}
