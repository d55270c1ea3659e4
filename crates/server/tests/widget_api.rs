//! The widget API as the citizen widgets use it, over real HTTP, on SQLite and PostgreSQL.

mod common;

use civickit_model::{CloseReason, Status};
use common::{good_report, TestServer};
use serde_json::{json, Value};

backend_tests!(
    config_has_everything_the_widget_needs,
    created_report_is_red_on_the_map_and_in_the_list,
    bad_input_gets_field_errors_and_stores_nothing,
    honeypot_and_unknown_fields_are_refused,
    malformed_report_bodies_get_the_documented_400_and_store_nothing,
    map_queries_filter_by_area_state_and_category,
    reports_placed_in_words_are_listed_apart_from_the_map,
    supporters_are_counted_once_and_only_on_open_reports,
    tracking_link_shows_the_report_with_escaped_text,
    state_changes_appear_with_their_notes,
    premoderated_reports_stay_invisible,
    reporter_email_never_appears_in_public_answers,
    tenants_are_isolated_in_the_widget_api,
    cors_follows_the_tenants_allowed_origins,
    concurrent_reports_get_unique_consecutive_references,
    unknown_tenant_and_report_are_404,
    open_data_has_every_public_report_and_nothing_personal,
    external_tiles_come_through_the_caching_proxy,
    answers_are_gzipped_for_slow_connections,
);

async fn config_has_everything_the_widget_needs(s: TestServer) {
    let (status, c) = s.get_json("/api/v1/musterstadt/config").await;
    assert_eq!(status, 200);
    assert_eq!(c["name"], "Musterstadt");
    let codes: Vec<&str> = c["categories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        [
            "strassenbeleuchtung",
            "verkehrszeichen",
            "muell",
            "spielplaetze",
            "strassenschaeden",
            "sonstiges"
        ]
    );
    let states = c["states"].as_array().unwrap();
    assert_eq!(states.len(), 4);
    assert_eq!(states[0]["state"], "received");
    assert_eq!(states[0]["color"], "red");
    assert_eq!(states[0]["label"], "eingegangen");
    let tiles = c["tiles"]["url"].as_str().unwrap();
    assert!(
        tiles.starts_with(&s.url) && tiles.ends_with("/tiles/{z}/{x}/{y}.svg"),
        "{tiles}"
    );
    assert!(
        c["map"]["area"]["polygons"][0]["outer"]
            .as_array()
            .unwrap()
            .len()
            >= 3
    );
    // English on request.
    let (_, en) = s.get_json("/api/v1/musterstadt/config?lang=en").await;
    assert_eq!(en["states"][0]["label"], "received");
    // The demo tiles are really there.
    let tile = tiles
        .replace("{z}", "15")
        .replace("{x}", "17262")
        .replace("{y}", "11017");
    let r = s.http.get(tile).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "image/svg+xml");
}

async fn created_report_is_red_on_the_map_and_in_the_list(s: TestServer) {
    let before = s.report_count().await;
    let (status, created) = s
        .post_json("/api/v1/musterstadt/reports", &good_report())
        .await;
    assert_eq!(status, 201, "{created}");
    let reference = created["ref"].as_str().unwrap();
    let year = time::OffsetDateTime::now_utc().year();
    assert!(
        reference.starts_with(&format!("M-{year}-")) && reference.len() == 12,
        "{reference}"
    );
    assert_eq!(created["status"], "received");
    assert!(created["tracking_url"]
        .as_str()
        .unwrap()
        .starts_with(&format!("{}/track/", s.url)));
    assert_eq!(s.report_count().await, before + 1);

    let (_, map) = s
        .get_json("/api/v1/musterstadt/reports?bbox=9.678,50.552,9.680,50.554")
        .await;
    let on_map = map["reports"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ref"] == reference)
        .expect("the new report is in its viewport");
    assert_eq!(on_map["status"], "received");
    assert_eq!(on_map["lat"], 50.553);

    let (_, list) = s.get_json("/api/v1/musterstadt/reports").await;
    assert_eq!(list["reports"][0]["ref"], reference, "newest first");

    let (status, one) = s
        .get_json(&format!("/api/v1/musterstadt/reports/{reference}"))
        .await;
    assert_eq!(status, 200);
    assert_eq!(one["description"], "Die Laterne an der Ecke ist dunkel.");
    assert_eq!(one["category_name"], "Straßenbeleuchtung");
    assert_eq!(one["notes"].as_array().unwrap().len(), 1);
    assert_eq!(one["notes"][0]["status"], "received");
}

async fn bad_input_gets_field_errors_and_stores_nothing(s: TestServer) {
    let before = s.report_count().await;
    let bad = json!({
        "category": "nope",
        "position": { "lat": 52.52, "lng": 13.40 },
        "description": "x".repeat(4001),
        "email": "kein-at-zeichen",
    });
    let (status, err) = s.post_json("/api/v1/musterstadt/reports", &bad).await;
    assert_eq!(status, 422, "{err}");
    assert_eq!(err["error"], "validation");
    let fields: Vec<(&str, &str)> = err["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["field"].as_str().unwrap(), f["code"].as_str().unwrap()))
        .collect();
    assert_eq!(
        fields,
        [
            ("category", "unknown_category"),
            ("description", "too_long"),
            ("position", "outside_area"),
            ("email", "invalid_email"),
        ]
    );
    let desc = err["fields"][1]["message"].as_str().unwrap();
    assert!(
        desc.contains("4000") && desc.contains("Beschreibung"),
        "{desc}"
    );
    // English messages on request.
    let (_, en) = s
        .post_json(
            "/api/v1/musterstadt/reports?lang=en",
            &json!({"description": "", "category": ""}),
        )
        .await;
    assert!(en["fields"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["message"] == "Please describe the problem."));
    // Malformed JSON is a clear 400, not a crash.
    let r = s
        .http
        .post(s.at("/api/v1/musterstadt/reports"))
        .header("content-type", "application/json")
        .body("{\"category\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"], "bad_request");
    assert_eq!(s.report_count().await, before, "nothing half-written");
}

async fn honeypot_and_unknown_fields_are_refused(s: TestServer) {
    let before = s.report_count().await;
    let mut bot = good_report();
    bot["website"] = json!("http://spam.example");
    let (status, err) = s.post_json("/api/v1/musterstadt/reports", &bot).await;
    assert_eq!(status, 422);
    assert_eq!(err["fields"][0]["field"], "website");
    let mut typo = good_report();
    typo["descripton"] = json!("typo");
    let (status, _) = s.post_json("/api/v1/musterstadt/reports", &typo).await;
    assert_eq!(status, 400);
    assert_eq!(s.report_count().await, before);
}

/// POSTs `body` as it is, labelled as JSON, the way a careless integration might.
async fn post_raw(s: &TestServer, path: &str, body: &str) -> (u16, Value) {
    let r = s
        .http
        .post(s.at(path))
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap())
}

/// The documented `{error: "bad_request", message}`, with the message naming what is wrong.
fn assert_bad_request(status: u16, err: &Value, names: &str) {
    assert_eq!(status, 400, "{err}");
    let body: civickit_model::api::ErrorBody = serde_json::from_value(err.clone()).unwrap();
    assert_eq!(body.error, civickit_model::api::ErrorKind::BadRequest);
    assert!(
        body.fields.is_empty() && err.get("fields").is_none(),
        "{err}"
    );
    assert!(body.message.contains(names), "{names}: {err}");
}

async fn malformed_report_bodies_get_the_documented_400_and_store_nothing(s: TestServer) {
    let before = s.report_count().await;
    let path = "/api/v1/musterstadt/reports";
    let (status, err) = post_raw(&s, path, "Laterne kaputt, Ecke Kirchweg").await;
    assert_bad_request(status, &err, "JSON");
    let mut wrong_type = good_report();
    wrong_type["description"] = json!(42);
    let (status, err) = s.post_json(path, &wrong_type).await;
    assert_bad_request(status, &err, "description");
    let mut no_position_type = good_report();
    no_position_type["position"] = json!("50.553, 9.679");
    let (status, err) = s.post_json(path, &no_position_type).await;
    assert_bad_request(status, &err, "position");
    let mut missing = good_report();
    missing.as_object_mut().unwrap().remove("description");
    let (status, err) = s.post_json(path, &missing).await;
    assert_eq!(
        status, 422,
        "a left-out text is a field error like an empty one: {err}"
    );
    assert_eq!(err["fields"][0]["field"], "description", "{err}");
    assert_eq!(err["fields"][0]["code"], "required", "{err}");
    let (status, err) =
        post_raw(&s, "/api/v1/musterstadt/reports/M-2026-00001/support", "[]").await;
    assert_bad_request(status, &err, "invalid body");
    assert_eq!(s.report_count().await, before, "nothing stored");
}

async fn map_queries_filter_by_area_state_and_category(s: TestServer) {
    let (_, all) = s.get_json("/api/v1/musterstadt/reports").await;
    let all = all["reports"].as_array().unwrap().clone();
    assert_eq!(all.len(), 12, "the demo has a dozen reports");
    for state in Status::PUBLIC {
        assert!(
            all.iter().any(|r| r["status"] == state.as_str()),
            "demo shows {state:?}"
        );
    }
    let (_, open) = s
        .get_json("/api/v1/musterstadt/reports?status=received,in_progress")
        .await;
    let open = open["reports"].as_array().unwrap();
    assert!(!open.is_empty());
    assert!(open
        .iter()
        .all(|r| r["status"] == "received" || r["status"] == "in_progress"));
    let (_, lamps) = s
        .get_json("/api/v1/musterstadt/reports?category=strassenbeleuchtung")
        .await;
    assert_eq!(lamps["reports"].as_array().unwrap().len(), 3);
    // A small viewport holds only what lies inside it.
    let (_, small) = s
        .get_json("/api/v1/musterstadt/reports?bbox=9.6765,50.5515,9.6775,50.5525")
        .await;
    let small = small["reports"].as_array().unwrap();
    assert_eq!(small.len(), 1, "{small:?}");
    let (_, limited) = s.get_json("/api/v1/musterstadt/reports?limit=5").await;
    assert_eq!(limited["reports"].as_array().unwrap().len(), 5);
    assert_eq!(limited["truncated"], true);
    let (status, err) = s.get_json("/api/v1/musterstadt/reports?bbox=1,2,3").await;
    assert_eq!(status, 400);
    assert!(err["message"].as_str().unwrap().contains("bbox"));
    let (status, _) = s
        .get_json("/api/v1/musterstadt/reports?status=pending_review")
        .await;
    assert_eq!(status, 400, "internal states cannot be asked for");
    // The duplicate hint: open lamp reports near the first demo lamp.
    let (_, near) = s
        .get_json("/api/v1/musterstadt/reports/nearby?lat=50.5532&lng=9.6749&category=strassenbeleuchtung")
        .await;
    let near = near["reports"].as_array().unwrap();
    assert_eq!(near.len(), 1, "{near:?}");
    assert_eq!(near[0]["distance_m"], 0.0);
}

async fn reports_placed_in_words_are_listed_apart_from_the_map(s: TestServer) {
    let mut words = good_report();
    words.as_object_mut().unwrap().remove("position");
    words["address"] = json!("Parkplatz hinter dem Rathaus");
    let (status, created) = s.post_json("/api/v1/musterstadt/reports", &words).await;
    assert_eq!(status, 201, "{created}");
    let reference = created["ref"].as_str().unwrap();
    let refs = |list: &Value| -> Vec<String> {
        list["reports"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["ref"].as_str().unwrap().to_string())
            .collect()
    };
    // The whole world as a box still misses it: it has no position.
    let (_, world) = s
        .get_json("/api/v1/musterstadt/reports?bbox=-180,-90,180,90")
        .await;
    assert!(!refs(&world).contains(&reference.to_string()));
    let (status, unplaced) = s.get_json("/api/v1/musterstadt/reports?located=no").await;
    assert_eq!(status, 200);
    assert_eq!(refs(&unplaced), vec![reference.to_string()], "{unplaced}");
    assert_eq!(
        unplaced["reports"][0]["address"],
        "Parkplatz hinter dem Rathaus"
    );
    assert!(unplaced["reports"][0].get("lat").is_none());
    let (_, placed) = s.get_json("/api/v1/musterstadt/reports?located=yes").await;
    assert_eq!(placed["reports"].as_array().unwrap().len(), 12);
    assert!(!refs(&placed).contains(&reference.to_string()));
    let (status, _) = s
        .get_json("/api/v1/musterstadt/reports?located=maybe")
        .await;
    assert_eq!(status, 400);
}

async fn supporters_are_counted_once_and_only_on_open_reports(s: TestServer) {
    let (_, created) = s
        .post_json("/api/v1/musterstadt/reports", &good_report())
        .await;
    let reference = created["ref"].as_str().unwrap();
    let path = format!("/api/v1/musterstadt/reports/{reference}/support");
    let (status, r) = s
        .post_json(&path, &json!({"supporter": "browser-aaaaaaaa"}))
        .await;
    assert_eq!(
        (status, r["supporters"].as_i64(), r["counted"].as_bool()),
        (200, Some(1), Some(true))
    );
    let (_, r) = s
        .post_json(&path, &json!({"supporter": "browser-aaaaaaaa"}))
        .await;
    assert_eq!(
        (r["supporters"].as_i64(), r["counted"].as_bool()),
        (Some(1), Some(false))
    );
    let (_, r) = s
        .post_json(&path, &json!({"supporter": "browser-bbbbbbbb"}))
        .await;
    assert_eq!(r["supporters"], 2);
    let (status, _) = s.post_json(&path, &json!({"supporter": "x"})).await;
    assert_eq!(status, 400);
    s.db.change_status(s.tenant.id, reference, Status::Resolved, None, "Repariert.")
        .await
        .unwrap();
    let (status, r) = s
        .post_json(&path, &json!({"supporter": "browser-cccccccc"}))
        .await;
    assert_eq!(status, 409, "{r}");
    let (_, one) = s
        .get_json(&format!("/api/v1/musterstadt/reports/{reference}"))
        .await;
    assert_eq!(one["supporters"], 2);
}

async fn tracking_link_shows_the_report_with_escaped_text(s: TestServer) {
    let mut body = good_report();
    body["description"] = json!("<script>alert(1)</script><img src=x onerror=alert(2)> Lampe");
    let (_, created) = s.post_json("/api/v1/musterstadt/reports", &body).await;
    let tracking = created["tracking_url"].as_str().unwrap();
    let token = tracking.rsplit('/').next().unwrap();
    let (status, ct, html) = s.get_text(&format!("/track/{token}")).await;
    assert_eq!(status, 200);
    assert_eq!(ct, "text/html; charset=utf-8");
    assert!(html.contains(created["ref"].as_str().unwrap()));
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;")
    );
    // The page's own images (the map's tiles) are there; the citizen's markup never is.
    assert!(!html.contains("<script>") && !html.contains("<img src=x"));
    let (status, json) = s.get_json(&format!("/api/v1/track/{token}")).await;
    assert_eq!(status, 200);
    assert_eq!(json["ref"], created["ref"]);
    // The JSON API gives the text back as typed: escaping is the renderer's job.
    assert_eq!(json["description"], body["description"]);
    let (status, _, _) = s.get_text("/track/not-a-real-token").await;
    assert_eq!(status, 404);
}

async fn state_changes_appear_with_their_notes(s: TestServer) {
    let (_, created) = s
        .post_json("/api/v1/musterstadt/reports", &good_report())
        .await;
    let reference = created["ref"].as_str().unwrap();
    let tid = s.tenant.id;
    s.db.change_status(
        tid,
        reference,
        Status::InProgress,
        None,
        "Der Bauhof ist informiert.",
    )
    .await
    .unwrap();
    let (_, one) = s
        .get_json(&format!("/api/v1/musterstadt/reports/{reference}"))
        .await;
    assert_eq!(one["status"], "in_progress");
    let notes = one["notes"].as_array().unwrap();
    assert_eq!(notes.len(), 2);
    assert_eq!(notes[1]["text"], "Der Bauhof ist informiert.");
    // The same state again is refused, closing needs a reason.
    assert!(s
        .db
        .change_status(tid, reference, Status::InProgress, None, "again")
        .await
        .is_err());
    assert!(s
        .db
        .change_status(tid, reference, Status::Closed, None, "zu")
        .await
        .is_err());
    s.db.change_status(
        tid,
        reference,
        Status::Closed,
        Some(CloseReason::NotFixable),
        "Nicht behebbar.",
    )
    .await
    .unwrap();
    let (_, one) = s
        .get_json(&format!("/api/v1/musterstadt/reports/{reference}"))
        .await;
    assert_eq!(one["status"], "closed");
    assert_eq!(one["close_reason"], "not_fixable");
    let (_, map) = s
        .get_json("/api/v1/musterstadt/reports?status=closed")
        .await;
    assert!(map["reports"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["ref"] == reference));
}

async fn premoderated_reports_stay_invisible(s: TestServer) {
    s.db.set_premoderation(s.tenant.id, true).await.unwrap();
    let (status, created) = s
        .post_json("/api/v1/musterstadt/reports", &good_report())
        .await;
    assert_eq!(status, 201);
    assert_eq!(created["status"], "pending_review");
    let reference = created["ref"].as_str().unwrap();
    let (_, list) = s.get_json("/api/v1/musterstadt/reports").await;
    assert!(!list["reports"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["ref"] == reference));
    let (status, _) = s
        .get_json(&format!("/api/v1/musterstadt/reports/{reference}"))
        .await;
    assert_eq!(status, 404);
    let (_, _, open311) = s
        .get_text(&format!("/open311/v2/requests/{reference}.json"))
        .await;
    assert!(open311.contains("not found"), "{open311}");
    // The reporter can still follow it through the tracking link.
    let token = created["tracking_url"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap();
    let (status, _) = s.get_json(&format!("/api/v1/track/{token}")).await;
    assert_eq!(status, 200);
    // Released, it shows.
    s.db.change_status(
        s.tenant.id,
        reference,
        Status::Received,
        None,
        "Freigegeben.",
    )
    .await
    .unwrap();
    let (status, _) = s
        .get_json(&format!("/api/v1/musterstadt/reports/{reference}"))
        .await;
    assert_eq!(status, 200);
}

async fn reporter_email_never_appears_in_public_answers(s: TestServer) {
    let mut body = good_report();
    body["email"] = json!("buerger.geheim@example.org");
    let (status, created) = s.post_json("/api/v1/musterstadt/reports", &body).await;
    assert_eq!(status, 201);
    let reference = created["ref"].as_str().unwrap();
    assert!(!created.to_string().contains("geheim"));
    for path in [
        "/api/v1/musterstadt/reports".to_string(),
        format!("/api/v1/musterstadt/reports/{reference}"),
        "/open311/v2/requests.json?extensions=true".to_string(),
        "/open311/v2/requests.xml?extensions=true".to_string(),
        format!("/open311/v2/requests/{reference}.json?extensions=true"),
    ] {
        let (status, _, text) = s.get_text(&path).await;
        assert_eq!(status, 200, "{path}");
        assert!(text.contains(reference), "{path} lists the report");
        assert!(!text.contains("geheim"), "{path} leaks the e-mail address");
    }
    // But it is stored, for status mails.
    let stored =
        s.db.report_by_ref(s.tenant.id, reference)
            .await
            .unwrap()
            .unwrap();
    assert_eq!(stored.email.as_deref(), Some("buerger.geheim@example.org"));
}

async fn tenants_are_isolated_in_the_widget_api(s: TestServer) {
    let other = s.add_other_tenant().await;
    let (_, created) = s
        .post_json("/api/v1/musterstadt/reports", &good_report())
        .await;
    let reference = created["ref"].as_str().unwrap();
    // The same reference under the other tenant is not found, nor listed.
    let (status, _) = s
        .get_json(&format!("/api/v1/nachbardorf/reports/{reference}"))
        .await;
    assert_eq!(status, 404);
    let (_, list) = s.get_json("/api/v1/nachbardorf/reports").await;
    assert_eq!(list["reports"].as_array().unwrap().len(), 0);
    let (status, _) = s
        .post_json(
            &format!("/api/v1/nachbardorf/reports/{reference}/support"),
            &json!({"supporter": "browser-12345678"}),
        )
        .await;
    assert_eq!(status, 404);
    // A Musterstadt position is outside Nachbardorf.
    let (status, err) = s
        .post_json("/api/v1/nachbardorf/reports", &good_report())
        .await;
    assert_eq!(status, 422);
    assert_eq!(err["fields"][0]["code"], "outside_area");
    // Reference numbers count per tenant.
    let mut inside = good_report();
    inside["position"] = json!({"lat": 48.0, "lng": 11.0});
    let (status, theirs) = s.post_json("/api/v1/nachbardorf/reports", &inside).await;
    assert_eq!(status, 201, "{theirs}");
    assert!(theirs["ref"].as_str().unwrap().ends_with("-00001"));
    assert_eq!(s.db.count_reports(other.id).await.unwrap(), 1);
}

async fn cors_follows_the_tenants_allowed_origins(s: TestServer) {
    s.add_other_tenant().await;
    let preflight = |path: &str, origin: &str| {
        s.http
            .request(reqwest::Method::OPTIONS, s.at(path))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "content-type")
            .send()
    };
    // The demo tenant allows every origin.
    let r = preflight("/api/v1/musterstadt/reports", "https://any.example")
        .await
        .unwrap();
    assert_eq!(
        r.headers()["access-control-allow-origin"],
        "https://any.example"
    );
    // Nachbardorf allows only its own site.
    let r = preflight(
        "/api/v1/nachbardorf/reports",
        "https://www.nachbardorf.example",
    )
    .await
    .unwrap();
    assert_eq!(
        r.headers()["access-control-allow-origin"],
        "https://www.nachbardorf.example"
    );
    let r = preflight("/api/v1/nachbardorf/reports", "https://evil.example")
        .await
        .unwrap();
    assert!(r.headers().get("access-control-allow-origin").is_none());
    let r = s
        .http
        .get(s.at("/api/v1/nachbardorf/config"))
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert!(r.headers().get("access-control-allow-origin").is_none());
    assert!(
        r.headers().get("set-cookie").is_none(),
        "no cookies in the widget API"
    );
}

async fn concurrent_reports_get_unique_consecutive_references(s: TestServer) {
    let before = s.report_count().await;
    let tasks: Vec<_> = (0..20)
        .map(|i| {
            let http = s.http.clone();
            let (base, path) = (s.url.clone(), "/api/v1/musterstadt/reports");
            let mut body = good_report();
            body["description"] = json!(format!("Gleichzeitige Meldung Nummer {i}"));
            tokio::spawn(async move {
                let body = common::pow::with_altcha(&http, &base, path, &body).await;
                let r = http
                    .post(format!("{base}{path}"))
                    .json(&body)
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status(), 201);
                let v: Value = r.json().await.unwrap();
                v["ref"].as_str().unwrap().to_string()
            })
        })
        .collect();
    let mut seqs = Vec::new();
    for t in tasks {
        let reference = t.await.unwrap();
        seqs.push(
            reference
                .rsplit('-')
                .next()
                .unwrap()
                .parse::<i64>()
                .unwrap(),
        );
    }
    seqs.sort();
    let expected: Vec<i64> = (before + 1..=before + 20).collect();
    assert_eq!(seqs, expected);
    assert_eq!(s.report_count().await, before + 20);
}

async fn unknown_tenant_and_report_are_404(s: TestServer) {
    let (status, err) = s.get_json("/api/v1/nirgendwo/config").await;
    assert_eq!(status, 404);
    assert_eq!(err["error"], "not_found");
    let (status, _) = s.get_json("/api/v1/musterstadt/reports/M-1999-00001").await;
    assert_eq!(status, 404);
    let (status, _) = s
        .post_json("/api/v1/nirgendwo/reports", &good_report())
        .await;
    assert_eq!(status, 404);
}

async fn open_data_has_every_public_report_and_nothing_personal(s: TestServer) {
    let mut body = good_report();
    body["email"] = json!("privat@example.org");
    body["description"] = json!("Komma, \"Zitat\" und\nZeilenumbruch");
    let (_, created) = s.post_json("/api/v1/musterstadt/reports", &body).await;
    let reference = created["ref"].as_str().unwrap();
    s.db.set_premoderation(s.tenant.id, true).await.unwrap();
    let (_, pending) = s
        .post_json("/api/v1/musterstadt/reports", &good_report())
        .await;
    let (status, ct, geojson) = s
        .get_text("/api/v1/musterstadt/opendata/reports.geojson")
        .await;
    assert_eq!(status, 200);
    assert_eq!(ct, "application/geo+json; charset=utf-8");
    let g: Value = serde_json::from_str(&geojson).unwrap();
    assert_eq!(g["type"], "FeatureCollection");
    let features = g["features"].as_array().unwrap();
    assert_eq!(features.len(), 13, "the dozen demo reports and the new one");
    let mine = features.iter().find(|f| f["id"] == reference).unwrap();
    assert_eq!(
        mine["geometry"]["coordinates"],
        json!([9.679, 50.553]),
        "GeoJSON is lng, lat"
    );
    assert_eq!(mine["properties"]["status"], "received");
    assert!(
        !features.iter().any(|f| f["id"] == pending["ref"]),
        "pre-moderated stays out"
    );
    let (status, ct, csv) = s.get_text("/api/v1/musterstadt/opendata/reports.csv").await;
    assert_eq!((status, ct.as_str()), (200, "text/csv; charset=utf-8"));
    assert!(csv.starts_with(
        "ref,status,category,created,updated,lat,lng,address,description,supporters\n"
    ));
    assert!(
        csv.contains("\"Komma, \"\"Zitat\"\" und\nZeilenumbruch\""),
        "{csv}"
    );
    for text in [&geojson, &csv] {
        assert!(!text.contains("privat@"), "no personal data");
    }
    assert_eq!(
        s.get_text("/api/v1/musterstadt/opendata/reports.xlsx")
            .await
            .0,
        404
    );
}

async fn external_tiles_come_through_the_caching_proxy(s: TestServer) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Arc, Mutex};
    // A stand-in for a third-party tile server, on loopback, that records what reaches it.
    let hits = Arc::new(AtomicUsize::new(0));
    let seen_headers = Arc::new(Mutex::new(Vec::<String>::new()));
    let app = {
        let (hits, seen) = (hits.clone(), seen_headers.clone());
        axum::Router::new().route(
            "/osm/{z}/{x}/{file}",
            axum::routing::get(move |headers: axum::http::HeaderMap| {
                let (hits, seen) = (hits.clone(), seen.clone());
                async move {
                    hits.fetch_add(1, Ordering::SeqCst);
                    seen.lock()
                        .unwrap()
                        .extend(headers.keys().map(|k| k.to_string()));
                    (
                        [("content-type", "image/png")],
                        b"\x89PNG fake tile".to_vec(),
                    )
                }
            }),
        )
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let upstream = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let mut t = common::other_tenant();
    t.tile_url = format!("http://{upstream}/osm/{{z}}/{{x}}/{{y}}.png");
    t.allowed_origins = "*".into();
    s.db.create_tenant(&t).await.unwrap();
    let (_, config) = s.get_json("/api/v1/nachbardorf/config").await;
    let template = config["tiles"]["url"].as_str().unwrap();
    assert_eq!(
        template,
        format!("{}/tiles/nachbardorf/{{z}}/{{x}}/{{y}}", s.url),
        "the browser asks us, not them"
    );
    let url = template
        .replace("{z}", "14")
        .replace("{x}", "8736")
        .replace("{y}", "5700");
    for expected in ["miss", "hit"] {
        let r = s
            .http
            .get(&url)
            .header("cookie", "session=citizen-secret")
            .header("referer", "https://www.nachbardorf.example/maengel")
            .header("x-forwarded-for", "203.0.113.7")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        assert_eq!(r.headers()["x-civickit-tile-cache"], expected);
        assert_eq!(r.headers()["content-type"], "image/png");
        assert_eq!(r.bytes().await.unwrap().as_ref(), b"\x89PNG fake tile");
    }
    assert_eq!(
        hits.load(Ordering::SeqCst),
        1,
        "the second came from the cache"
    );
    let seen = seen_headers.lock().unwrap().clone();
    for private in ["cookie", "referer", "x-forwarded-for"] {
        assert!(
            !seen.iter().any(|h| h == private),
            "{private} reached the tile server: {seen:?}"
        );
    }
    assert!(seen.iter().any(|h| h == "user-agent"));
    // Out-of-range tiles and the demo town's own tiles are not proxied.
    assert_eq!(
        s.http
            .get(s.at("/tiles/nachbardorf/3/9/1"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    assert_eq!(
        s.http
            .get(s.at("/tiles/musterstadt/14/8736/5700"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
}

async fn answers_are_gzipped_for_slow_connections(s: TestServer) {
    for path in ["/api/v1/musterstadt/reports", "/open311/v2/requests.json"] {
        let r = s
            .http
            .get(s.at(path))
            .header("accept-encoding", "gzip")
            .send()
            .await
            .unwrap();
        assert_eq!(r.headers()["content-encoding"], "gzip", "{path}");
        let body = r.bytes().await.unwrap();
        assert_eq!(&body[..2], &[0x1f, 0x8b], "{path}");
        // Without Accept-Encoding, plain JSON.
        let plain = s.http.get(s.at(path)).send().await.unwrap();
        assert!(plain.headers().get("content-encoding").is_none());
        assert!(body.len() < plain.bytes().await.unwrap().len());
    }
}
