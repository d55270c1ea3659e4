//! The town page's profile (`/office/api/town`) over real HTTP on SQLite and PostgreSQL:
//! admins change every setting, it takes effect without a restart (widget config, CORS,
//! tiles), bad input is refused by field and changes nothing, and a MultiPolygon boundary
//! with an exclave and a hole is what the "outside the town" check uses.

mod common;

use civickit_model::api::office::Town;
use civickit_model::api::widget::Config;
use common::{audit_actions, Office, TestServer};
use serde_json::{json, Value};

backend_tests!(
    admins_change_the_town_and_widgets_see_it_at_once,
    every_bad_setting_is_refused_by_field_and_changes_nothing,
    reports_in_the_exclave_are_taken_between_the_parts_refused,
    editors_are_refused_and_towns_stay_apart,
);

/// The town as the office reads it, checked to be exactly a [`Town`].
async fn town(admin: &Office) -> Town {
    let (status, body) = admin.get("/office/api/town").await;
    assert_eq!(status, 200, "{body}");
    let typed: Town = serde_json::from_value(body.clone()).expect("a Town");
    assert_eq!(serde_json::to_value(&typed).unwrap(), body, "round trip");
    typed
}

/// The `access-control-allow-origin` a preflight from `origin` gets for the demo town.
async fn allowed(s: &TestServer, origin: &str) -> Option<String> {
    let r = s
        .http
        .request(
            reqwest::Method::OPTIONS,
            s.at("/api/v1/musterstadt/reports"),
        )
        .header("origin", origin)
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "content-type")
        .send()
        .await
        .unwrap();
    r.headers()
        .get("access-control-allow-origin")
        .map(|v| v.to_str().unwrap().to_string())
}

async fn config(s: &TestServer) -> Config {
    let (status, body) = s.get_json("/api/v1/musterstadt/config").await;
    assert_eq!(status, 200);
    serde_json::from_value(body).expect("a widget Config")
}

async fn admins_change_the_town_and_widgets_see_it_at_once(s: TestServer) {
    let admin = s.login_admin().await;
    let before = town(&admin).await;
    assert_eq!(before.slug, "musterstadt");
    assert_eq!(before.area["type"], "Polygon");
    assert_eq!(before.allowed_origins, vec!["*".to_string()]);
    assert!(allowed(&s, "https://www.musterstadt.de").await.is_some());

    let change = json!({
        "name": "Musterstadt an der Fulda",
        "zoom": 14,
        "allowed_origins": ["https://www.Musterstadt.de/", "http://localhost:8080"],
        "tile_url": "https://tiles.musterstadt.example/{z}/{x}/{y}.png",
        "tile_attribution": "© Stadt Musterstadt",
        "privacy_url": "https://www.musterstadt.de/datenschutz",
        "imprint_url": "https://www.musterstadt.de/impressum",
        "response_days": 5,
        "premoderation": true,
    });
    let (status, answer) = admin.post("/office/api/town", &change).await;
    assert_eq!(status, 200, "{answer}");
    let after: Town = serde_json::from_value(answer).unwrap();
    assert_eq!(after, town(&admin).await);
    assert_eq!(after.name, "Musterstadt an der Fulda");
    assert_eq!(
        after.allowed_origins,
        vec!["https://www.musterstadt.de", "http://localhost:8080"],
        "origins are stored as browsers send them"
    );
    assert_eq!(
        (after.response_days, after.premoderation, after.zoom),
        (5, true, 14)
    );
    assert_eq!(after.area, before.area, "what is left out stays");

    // The widgets see it on their next request: config, CORS, tiles.
    let cfg = config(&s).await;
    assert_eq!(cfg.name, "Musterstadt an der Fulda");
    assert_eq!(cfg.map.zoom, 14);
    assert_eq!(cfg.privacy_url, "https://www.musterstadt.de/datenschutz");
    assert!(
        cfg.tiles.url.ends_with("/tiles/musterstadt/{z}/{x}/{y}"),
        "an external tile server goes through the proxy: {}",
        cfg.tiles.url
    );
    assert_eq!(
        allowed(&s, "https://www.musterstadt.de").await.as_deref(),
        Some("https://www.musterstadt.de")
    );
    assert_eq!(allowed(&s, "https://elsewhere.example").await, None);
    let (_, settings) = admin.get("/office/api/settings").await;
    assert_eq!(
        (&settings["response_days"], &settings["premoderation"]),
        (&json!(5), &json!(true)),
        "the older settings page reads the same values"
    );

    // Audited with before and after of what changed (the area did not).
    assert_eq!(audit_actions(&admin).await[0], "town.settings");
    let (_, log) = admin.get("/office/api/audit").await;
    let entry = &log["entries"][0];
    assert_eq!(entry["before"]["name"], "Musterstadt");
    assert_eq!(entry["after"]["name"], "Musterstadt an der Fulda");
    assert!(entry["after"].get("area").is_none(), "{entry}");
}

async fn every_bad_setting_is_refused_by_field_and_changes_nothing(s: TestServer) {
    let admin = s.login_admin().await;
    let before = town(&admin).await;
    let audit_before = audit_actions(&admin).await.len();
    let bow_tie = json!({"type": "Polygon", "coordinates": [[
        [9.65, 50.54], [9.70, 50.57], [9.70, 50.54], [9.65, 50.57], [9.65, 50.54]]]});
    let far_away = json!({"type": "Polygon", "coordinates": [[
        [10.0, 48.0], [10.1, 48.0], [10.1, 48.1], [10.0, 48.0]]]});
    let cases = [
        (json!({"name": "  "}), "name"),
        (json!({"name": "x".repeat(201)}), "name"),
        (json!({"zoom": 0}), "zoom"),
        (json!({"zoom": 20}), "zoom"),
        (json!({"response_days": 61}), "response_days"),
        (json!({"area": bow_tie}), "area"),
        (
            json!({"area": {"type": "Polygon", "coordinates": []}}),
            "area",
        ),
        (
            json!({"area": {"type": "Point", "coordinates": [9.6, 50.5]}}),
            "area",
        ),
        (json!({"area": far_away}), "center"),
        (json!({"center": {"lat": 50.0, "lng": 9.0}}), "center"),
        (
            json!({"allowed_origins": ["https://www.musterstadt.de/rathaus"]}),
            "allowed_origins",
        ),
        (
            json!({"allowed_origins": ["www.musterstadt.de"]}),
            "allowed_origins",
        ),
        (
            json!({"allowed_origins": ["*", "https://a.de"]}),
            "allowed_origins",
        ),
        (
            json!({"tile_url": "https://tiles.example/{z}/{x}.png"}),
            "tile_url",
        ),
        (
            json!({"tile_url": "javascript:alert(1)//{z}{x}{y}"}),
            "tile_url",
        ),
        (json!({"privacy_url": "datenschutz.html"}), "privacy_url"),
        (
            json!({"imprint_url": "ftp://musterstadt.de/impressum"}),
            "imprint_url",
        ),
    ];
    for (body, field) in cases {
        let (status, err) = admin.post("/office/api/town", &body).await;
        assert_eq!(status, 422, "{body}: {err}");
        let fields: Vec<&str> = err["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["field"].as_str().unwrap())
            .collect();
        assert_eq!(fields, vec![field], "{body}: {err}");
        assert!(
            !err["fields"][0]["message"].as_str().unwrap().is_empty(),
            "{err}"
        );
    }
    // A good field next to a bad one is not stored either.
    let (status, _) = admin
        .post("/office/api/town", &json!({"name": "Neu", "zoom": 99}))
        .await;
    assert_eq!(status, 422);
    // Unknown fields are a bad request, not silently dropped.
    let (status, _) = admin
        .post("/office/api/town", &json!({"slug": "anders"}))
        .await;
    assert_eq!(status, 400);
    assert_eq!(town(&admin).await, before);
    assert_eq!(audit_actions(&admin).await.len(), audit_before);
}

/// Musterstadt as two parts: the main square with a neighbour's enclave cut out, and an
/// exclave to the east, uploaded as a FeatureCollection the way OSM tools export it.
fn town_with_exclave() -> Value {
    json!({"type": "FeatureCollection", "features": [{
        "type": "Feature",
        "properties": {"name": "Musterstadt", "admin_level": "8"},
        "geometry": {"type": "MultiPolygon", "coordinates": [
            [
                [[9.64, 50.53], [9.72, 50.53], [9.72, 50.58], [9.64, 50.58], [9.64, 50.53]],
                [[9.66, 50.56], [9.67, 50.56], [9.67, 50.57], [9.66, 50.57], [9.66, 50.56]]
            ],
            [[[9.80, 50.54], [9.84, 50.54], [9.84, 50.56], [9.80, 50.56], [9.80, 50.54]]]
        ]}
    }]})
}

async fn reports_in_the_exclave_are_taken_between_the_parts_refused(s: TestServer) {
    let admin = s.login_admin().await;
    let (status, answer) = admin
        .post("/office/api/town", &json!({"area": town_with_exclave()}))
        .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["area"]["type"], "MultiPolygon");
    let cfg = config(&s).await;
    assert_eq!(cfg.map.area.polygons.len(), 2);
    assert_eq!(cfg.map.area.polygons[0].holes.len(), 1);
    assert_eq!((cfg.map.bounds.west, cfg.map.bounds.east), (9.64, 9.84));

    let report = |lat: f64, lng: f64| {
        json!({"category": "muell", "position": {"lat": lat, "lng": lng},
               "description": "Wilder Müll am Wegrand."})
    };
    let (status, body) = s
        .post_json("/api/v1/musterstadt/reports", &report(50.55, 9.82))
        .await;
    assert_eq!(status, 201, "inside the exclave: {body}");
    let count = s.report_count().await;
    for (lat, lng, where_) in [
        (50.55, 9.76, "between the parts"),
        (50.565, 9.665, "in the hole"),
    ] {
        let (status, err) = s
            .post_json("/api/v1/musterstadt/reports", &report(lat, lng))
            .await;
        assert_eq!(status, 422, "{where_}: {err}");
        assert_eq!(err["fields"][0]["field"], "position", "{where_}");
        assert_eq!(err["fields"][0]["code"], "outside_area", "{where_}");
    }
    assert_eq!(
        s.report_count().await,
        count,
        "refused reports store nothing"
    );
}

async fn editors_are_refused_and_towns_stay_apart(s: TestServer) {
    let editor = s.login_editor().await;
    assert_eq!(editor.get("/office/api/town").await.0, 403);
    assert_eq!(
        editor
            .post("/office/api/town", &json!({"name": "Editorstadt"}))
            .await
            .0,
        403
    );
    let admin = s.login_admin().await;
    let (other, neighbour) = s.neighbour_admin().await;
    let theirs = town(&neighbour).await;
    assert_eq!(theirs.slug, other.slug);
    let (status, _) = neighbour
        .post("/office/api/town", &json!({"name": "Nachbardorf am See"}))
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        town(&admin).await.name,
        "Musterstadt",
        "only their own town"
    );
}
