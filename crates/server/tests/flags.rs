//! "Meldung melden" (issue 15): citizens flag public reports and photos; at the tenant's
//! threshold of distinct addresses the item leaves every public view (map, list, detail,
//! Open311, open data) until an official keeps, hides or redacts it in the moderation queue.
//! Citizens come from their own loopback addresses (127.0.0.2, …; all of 127/8 is local on
//! Linux), so the server sees distinct clients without a proxy. On SQLite and PostgreSQL.

mod common;

use common::{audit_actions, good_report, Office, TestServer};
use serde_json::{json, Value};
use sqlx::Row;
use std::net::IpAddr;

backend_tests!(
    three_addresses_hide_a_report_everywhere_until_kept,
    one_address_counts_once_and_hears_the_same,
    redact_replaces_the_description_and_shows_the_report,
    a_flagged_photo_leaves_the_public_photos,
    another_tenant_sees_nothing_and_bad_flags_store_nothing,
    open_data_csv_writes_a_formula_as_text,
    the_threshold_is_a_town_setting,
);

/// A citizen's flag from `addr` (a loopback address). Every citizen POST of this file goes
/// through here, so a solved challenge (issue 15's proof-of-work) is added in one place.
async fn flag(s: &TestServer, reference: &str, addr: &str, body: Value) -> (u16, Value) {
    let http = reqwest::Client::builder()
        .local_address(addr.parse::<IpAddr>().unwrap())
        .build()
        .unwrap();
    let r = http
        .post(s.at(&format!("/api/v1/musterstadt/reports/{reference}/flags")))
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap())
}

async fn new_report(s: &TestServer, description: &str) -> (String, String) {
    let mut body = good_report();
    body["description"] = json!(description);
    let (status, created) = s.post_json("/api/v1/musterstadt/reports", &body).await;
    assert_eq!(status, 201, "{created}");
    (
        created["ref"].as_str().unwrap().to_string(),
        created["tracking_token"].as_str().unwrap().to_string(),
    )
}

async fn flag_count(s: &TestServer) -> i64 {
    sqlx::query("SELECT COUNT(*) AS n FROM flags")
        .fetch_one(&s.db.pool)
        .await
        .unwrap()
        .get("n")
}

/// Where the public sees `reference`: (detail, list, map, Open311, open data CSV, GeoJSON).
async fn public_views(s: &TestServer, reference: &str) -> [bool; 6] {
    let detail = s
        .get_json(&format!("/api/v1/musterstadt/reports/{reference}"))
        .await
        .0
        == 200;
    let (_, list) = s.get_json("/api/v1/musterstadt/reports?limit=5000").await;
    let listed = list.to_string().contains(reference);
    // Musterstadt as a whole at zoom 13 (as tests/map.rs views it): few enough reports that
    // every one is drawn as a point with its reference.
    let (_, m) = s
        .get_json(&format!("/api/v1/musterstadt/map?{}", town_view()))
        .await;
    let on_map = m["points"].to_string().contains(reference);
    let (_, _, open311) = s
        .get_text("/open311/v2/requests.json?jurisdiction_id=musterstadt")
        .await;
    let (_, _, csv) = s.get_text("/api/v1/musterstadt/opendata/reports.csv").await;
    let (_, _, geojson) = s
        .get_text("/api/v1/musterstadt/opendata/reports.geojson")
        .await;
    [
        detail,
        listed,
        on_map,
        open311.contains(reference),
        csv.contains(reference),
        geojson.contains(reference),
    ]
}

fn town_view() -> String {
    use civickit_model::LatLng;
    use civickit_server::mapindex::grid::tile_of;
    let (x0, y0) = tile_of(LatLng::new(50.60, 9.60), 13);
    let (x1, y1) = tile_of(LatLng::new(50.50, 9.75), 13);
    format!("z=13&x={x0}-{x1}&y={y0}-{y1}")
}

async fn map_total(s: &TestServer) -> u64 {
    let (status, m) = s
        .get_json(&format!("/api/v1/musterstadt/map?{}", town_view()))
        .await;
    assert_eq!(status, 200, "{m}");
    m["total"].as_u64().unwrap()
}

async fn three_addresses_hide_a_report_everywhere_until_kept(s: TestServer) {
    let (reference, _) = new_report(&s, "Hier steht der volle Name meines Nachbarn.").await;
    assert_eq!(public_views(&s, &reference).await, [true; 6]);
    let total = map_total(&s).await;
    let reasons = ["personal_data", "personal_data", "offensive"];
    for (i, reason) in reasons.iter().enumerate() {
        let addr = format!("127.0.0.{}", i + 2);
        let text = if i == 0 { "Name des Nachbarn" } else { "" };
        let (status, answer) = flag(
            &s,
            &reference,
            &addr,
            json!({"reason": reason, "text": text}),
        )
        .await;
        assert_eq!((status, &answer), (201, &json!({"received": true})));
        let hidden_now = i == 2;
        assert_eq!(
            public_views(&s, &reference).await,
            [!hidden_now; 6],
            "after {} flags",
            i + 1
        );
    }
    assert_eq!(map_total(&s).await, total - 1, "the map counts it no more");

    let admin = s.login_admin().await;
    let (status, queue) = admin.get("/office/api/flags").await;
    assert_eq!(status, 200, "{queue}");
    let items = queue["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{queue}");
    let item = &items[0];
    assert_eq!(item["ref"], reference);
    assert_eq!(item["hidden"], true);
    assert_eq!(item["flags"], 3);
    assert_eq!(
        item["description"],
        "Hier steht der volle Name meines Nachbarn."
    );
    assert_eq!(
        item["reasons"],
        json!([{"reason": "personal_data", "count": 2}, {"reason": "offensive", "count": 1}])
    );
    assert_eq!(item["notes"].as_array().unwrap().len(), 1);
    assert_eq!(item["notes"][0]["text"], "Name des Nachbarn");
    assert_eq!(item["notes"][0]["reason"], "personal_data");
    assert!(item.get("photo").is_none());
    // Nothing in the queue names a flagger.
    assert!(!queue.to_string().contains("127.0.0"));

    let (status, queue) = admin
        .post(
            "/office/api/flags/decide",
            &json!({"ref": reference, "decision": "keep"}),
        )
        .await;
    assert_eq!(status, 200, "{queue}");
    assert_eq!(queue, json!({"items": []}));
    assert_eq!(public_views(&s, &reference).await, [true; 6], "shown again");
    assert_eq!(map_total(&s).await, total);
    // Deciding twice is a clear conflict, not a second change.
    let (status, err) = admin
        .post(
            "/office/api/flags/decide",
            &json!({"ref": reference, "decision": "hide"}),
        )
        .await;
    assert_eq!((status, err["error"].as_str()), (409, Some("conflict")));

    let actions = audit_actions(&admin).await;
    for action in ["flag.add", "report.hide", "flag.decide"] {
        assert!(
            actions.iter().any(|a| a == action),
            "{action} in {actions:?}"
        );
    }
    let (_, audit) = admin.get("/office/api/audit").await;
    assert!(!audit.to_string().contains("127.0.0"), "no address audited");

    // "hide" keeps it from the public after new flags.
    for i in 2..5 {
        flag(
            &s,
            &reference,
            &format!("127.0.0.{i}"),
            json!({"reason": "spam"}),
        )
        .await;
    }
    assert_eq!(public_views(&s, &reference).await, [false; 6]);
    let (status, _) = admin
        .post(
            "/office/api/flags/decide",
            &json!({"ref": reference, "decision": "hide"}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        public_views(&s, &reference).await,
        [false; 6],
        "stays hidden"
    );
}

async fn one_address_counts_once_and_hears_the_same(s: TestServer) {
    let (reference, _) = new_report(&s, "Eine ganz normale Meldung.").await;
    let mut answers = Vec::new();
    for _ in 0..3 {
        answers.push(flag(&s, &reference, "127.0.0.2", json!({"reason": "spam"})).await);
    }
    assert!(answers
        .iter()
        .all(|a| *a == (201, json!({"received": true}))));
    assert_eq!(
        public_views(&s, &reference).await,
        [true; 6],
        "one address, one flag"
    );
    assert_eq!(flag_count(&s).await, 1);
    let admin = s.login_admin().await;
    let (_, queue) = admin.get("/office/api/flags").await;
    assert_eq!(queue["items"][0]["flags"], 1);
    assert_eq!(queue["items"][0]["hidden"], false);

    // The threshold is the tenant's: at 1, one flag hides.
    s.db.set_flag_threshold(s.tenant.id, 1, &civickit_server::db::audit::Actor::cli())
        .await
        .unwrap();
    let (other, _) = new_report(&s, "Noch eine Meldung.").await;
    let answer = flag(&s, &other, "127.0.0.3", json!({"reason": "other"})).await;
    assert_eq!(answer, (201, json!({"received": true})), "the same answer");
    assert_eq!(public_views(&s, &other).await, [false; 6]);
}

async fn redact_replaces_the_description_and_shows_the_report(s: TestServer) {
    let (reference, _) = new_report(&s, "Max Mustermann aus Nr. 5 parkt hier immer.").await;
    for i in 2..5 {
        flag(
            &s,
            &reference,
            &format!("127.0.0.{i}"),
            json!({"reason": "personal_data"}),
        )
        .await;
    }
    assert_eq!(public_views(&s, &reference).await, [false; 6]);
    let admin = s.login_admin().await;
    let (status, err) = admin
        .post(
            "/office/api/flags/decide",
            &json!({"ref": reference, "decision": "redact", "description": "  "}),
        )
        .await;
    assert_eq!(status, 422, "{err}");
    assert_eq!(err["fields"][0]["field"], "description");
    let (status, err) = admin
        .post(
            "/office/api/flags/decide",
            &json!({"ref": reference, "decision": "shred"}),
        )
        .await;
    assert_eq!(
        (status, err["fields"][0]["field"].as_str()),
        (422, Some("decision"))
    );
    assert_eq!(
        public_views(&s, &reference).await,
        [false; 6],
        "nothing changed"
    );

    let (status, queue) = admin
        .post(
            "/office/api/flags/decide",
            &json!({"ref": reference, "decision": "redact",
                "description": "Ein Auto parkt hier immer."}),
        )
        .await;
    assert_eq!(status, 200, "{queue}");
    assert_eq!(queue["items"], json!([]));
    let (status, detail) = s
        .get_json(&format!("/api/v1/musterstadt/reports/{reference}"))
        .await;
    assert_eq!(status, 200);
    assert_eq!(detail["description"], "Ein Auto parkt hier immer.");
    let (_, _, csv) = s.get_text("/api/v1/musterstadt/opendata/reports.csv").await;
    assert!(!csv.contains("Mustermann"));
}

async fn public_photos(s: &TestServer, reference: &str) -> usize {
    let (_, detail) = s
        .get_json(&format!("/api/v1/musterstadt/reports/{reference}"))
        .await;
    detail["photos"].as_array().unwrap().len()
}

async fn a_flagged_photo_leaves_the_public_photos(s: TestServer) {
    let (reference, token) = new_report(&s, "Müll am Straßenrand.").await;
    let r = s
        .http
        .post(s.at(&format!(
            "/api/v1/musterstadt/reports/{reference}/photos?token={token}"
        )))
        .header("content-type", "image/jpeg")
        .body(common::jpeg(400, 300))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let row = sqlx::query("SELECT id, public_id FROM photos")
        .fetch_one(&s.db.pool)
        .await
        .unwrap();
    let (id, public_id): (i64, String) = (row.get("id"), row.get("public_id"));
    let admin = s.login_admin().await;
    let (status, _) = admin
        .post(
            &format!("/office/api/photos/{id}/status"),
            &json!({"status": "released"}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(public_photos(&s, &reference).await, 1);
    // An unknown photo is not there to flag.
    let (status, _) = flag(
        &s,
        &reference,
        "127.0.0.2",
        json!({"reason": "offensive", "photo": "nichtda"}),
    )
    .await;
    assert_eq!(status, 404);
    for i in 2..5 {
        let answer = flag(
            &s,
            &reference,
            &format!("127.0.0.{i}"),
            json!({"reason": "offensive", "photo": public_id}),
        )
        .await;
        assert_eq!(answer, (201, json!({"received": true})));
    }
    assert_eq!(
        public_photos(&s, &reference).await,
        0,
        "the photo left the public report"
    );
    assert_eq!(
        public_views(&s, &reference).await,
        [true; 6],
        "the report itself stays"
    );
    let (_, queue) = admin.get("/office/api/flags").await;
    let item = &queue["items"][0];
    assert_eq!(item["photo"], public_id.as_str());
    assert_eq!(item["thumb_url"], format!("/office/api/photos/{id}/thumb"));
    assert_eq!(item["hidden"], true);
    let (status, err) = admin
        .post(
            "/office/api/flags/decide",
            &json!({"ref": reference, "photo": public_id, "decision": "redact",
                "description": "x"}),
        )
        .await;
    assert_eq!(status, 422, "{err}");
    let (status, _) = admin
        .post(
            "/office/api/flags/decide",
            &json!({"ref": reference, "photo": public_id, "decision": "keep"}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(public_photos(&s, &reference).await, 1, "kept: public again");
}

async fn another_tenant_sees_nothing_and_bad_flags_store_nothing(s: TestServer) {
    let (reference, _) = new_report(&s, "Eine Meldung.").await;
    let long = "x".repeat(501);
    let cases = [
        (json!({"reason": "hate"}), 422, Some("reason")),
        (json!({}), 422, Some("reason")),
        (json!({"reason": "spam", "text": long}), 422, Some("text")),
        (
            json!({"reason": "spam", "website": "http://spam"}),
            422,
            Some("website"),
        ),
        (json!({"reason": "spam", "extra": 1}), 400, None),
    ];
    for (body, code, field) in cases {
        let (status, err) = flag(&s, &reference, "127.0.0.2", body.clone()).await;
        assert_eq!(status, code, "{body}: {err}");
        assert!(!err["message"].as_str().unwrap_or("").is_empty(), "{err}");
        if let Some(field) = field {
            assert_eq!(err["fields"][0]["field"], field, "{err}");
        }
    }
    let (status, err) = flag(&s, "M-1999-00001", "127.0.0.2", json!({"reason": "spam"})).await;
    assert_eq!((status, err["error"].as_str()), (404, Some("not_found")));
    // Exactly 500 characters are fine.
    let (status, _) = flag(
        &s,
        &reference,
        "127.0.0.2",
        json!({"reason": "spam", "text": "ä".repeat(500)}),
    )
    .await;
    assert_eq!(status, 201);
    assert_eq!(flag_count(&s).await, 1, "only the good flag is stored");

    // Logged in first: with two towns a login must name its town.
    let admin: Office = s.login_admin().await;
    let (_, neighbour) = s.neighbour_admin().await;
    let (status, queue) = neighbour.get("/office/api/flags").await;
    assert_eq!((status, queue), (200, json!({"items": []})));
    let (status, _) = neighbour
        .post(
            "/office/api/flags/decide",
            &json!({"ref": reference, "decision": "hide"}),
        )
        .await;
    assert_eq!(status, 404);
    // Without the CSRF token nothing is decided.
    let (status, _) = admin
        .post_with(
            "/office/api/flags/decide",
            &json!({"ref": reference, "decision": "hide"}),
            None,
            None,
        )
        .await;
    assert_eq!(status, 403);
    let (_, queue) = admin.get("/office/api/flags").await;
    assert_eq!(queue["items"].as_array().unwrap().len(), 1);
}

async fn open_data_csv_writes_a_formula_as_text(s: TestServer) {
    let (reference, _) = new_report(&s, "=HYPERLINK(\"http://x\",\"y\")").await;
    let (status, _, csv) = s.get_text("/api/v1/musterstadt/opendata/reports.csv").await;
    assert_eq!(status, 200);
    let line = csv
        .lines()
        .find(|l| l.starts_with(&reference))
        .unwrap_or_else(|| panic!("{reference} in {csv}"));
    assert!(
        line.contains(",\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\","),
        "the cell starts with ' and is quoted: {line}"
    );
    assert!(!line.contains(",=HYPERLINK"), "{line}");
}

async fn the_threshold_is_a_town_setting(s: TestServer) {
    let admin = s.login_admin().await;
    let (status, settings) = admin.get("/office/api/settings").await;
    assert_eq!((status, &settings["flag_threshold"]), (200, &json!(3)));
    for bad in [0, 51] {
        let (status, err) = admin
            .post("/office/api/settings", &json!({"flag_threshold": bad}))
            .await;
        assert_eq!(status, 422, "{err}");
        assert_eq!(err["fields"][0]["field"], "flag_threshold");
    }
    let (status, settings) = admin
        .post("/office/api/settings", &json!({"flag_threshold": 2}))
        .await;
    assert_eq!((status, &settings["flag_threshold"]), (200, &json!(2)));
    assert_eq!(settings["response_days"], 3, "the rest stays");
    assert!(audit_actions(&admin)
        .await
        .contains(&"tenant.flag_threshold".to_string()));
    let editor = s.login(&s.editor.0, &s.editor.1).await.unwrap();
    let (status, _) = editor
        .post("/office/api/settings", &json!({"flag_threshold": 9}))
        .await;
    assert_eq!(status, 403, "admins only");

    let (reference, _) = new_report(&s, "Zwei Hinweise reichen jetzt.").await;
    flag(&s, &reference, "127.0.0.2", json!({"reason": "spam"})).await;
    assert_eq!(public_views(&s, &reference).await, [true; 6]);
    flag(&s, &reference, "127.0.0.3", json!({"reason": "spam"})).await;
    assert_eq!(public_views(&s, &reference).await, [false; 6]);
}
