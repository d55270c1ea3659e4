//! A second town from nothing, as a new operator does it with the real `civickit` binary, from
//! an empty SQLite file and from an empty PostgreSQL database: `tenant add` with the README's
//! flags and `--admin`, then the widgets work (six categories, a message of each kind), and
//! `tenant set` changes take effect on the running server (CORS, config, tiles, area). Bad
//! settings are refused with an error naming them and change nothing.

mod common;

use common::process::{civickit, start};
use serde_json::{json, Value};

/// The README's onboarding command (plus the flags this test varies).
const ADD: &[&str] = &[
    "tenant",
    "add",
    "--slug",
    "kleinhausen",
    "--name",
    "Kleinhausen",
    "--center",
    "51.0,10.0",
    "--area",
    "50.99,9.99;50.99,10.01;51.01,10.01;51.01,9.99",
    "--origins",
    "https://www.kleinhausen.de",
    "--privacy-url",
    "https://www.kleinhausen.de/datenschutz",
    "--admin",
    "clerk@kleinhausen.de",
];

/// Kleinhausen with an exclave to the east, as a GeoJSON file from OpenStreetMap would have it.
const WITH_EXCLAVE: &str = r#"{"type": "Feature", "properties": {"name": "Kleinhausen"},
  "geometry": {"type": "MultiPolygon", "coordinates": [
    [[[9.99, 50.99], [10.01, 50.99], [10.01, 51.01], [9.99, 51.01], [9.99, 50.99]]],
    [[[10.05, 50.99], [10.07, 50.99], [10.07, 51.01], [10.05, 50.99]]]]}}"#;

const BOW_TIE: &str = r#"{"type": "Polygon", "coordinates":
  [[[9.99, 50.99], [10.01, 51.01], [10.01, 50.99], [9.99, 51.01], [9.99, 50.99]]]}"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_town_from_an_empty_sqlite_file() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("neu.db").display());
    onboard(&url, dir.path()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_town_from_an_empty_postgres_database() {
    let admin_url = common::postgres_admin_url();
    let admin = match civickit_server::db::Db::connect(&admin_url).await {
        Ok(db) => db,
        Err(e) if common::postgres_required() => panic!("PostgreSQL at {admin_url}: {e}"),
        Err(_) => {
            eprintln!("\n!!! SKIPPED on PostgreSQL: no server answers at {admin_url} !!!\n");
            return;
        }
    };
    let name = format!("civickit_onboard_{:016x}", rand::random::<u64>());
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&admin.pool)
        .await
        .unwrap();
    let url = match admin_url.rsplit_once('/') {
        Some((base, _)) => format!("{base}/{name}"),
        None => panic!("{admin_url} has no database name"),
    };
    let dir = tempfile::tempdir().unwrap();
    // Run, then drop the database whether the run passed or not.
    let run = tokio::spawn({
        let url = url.clone();
        let path = dir.path().to_path_buf();
        async move { onboard(&url, &path).await }
    })
    .await;
    sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .execute(&admin.pool)
        .await
        .unwrap();
    if let Err(panic) = run {
        std::panic::resume_unwind(panic.into_panic());
    }
}

async fn onboard(db: &str, dir: &std::path::Path) {
    // 1. The town, with its first admin; no warning, as the privacy notice is given.
    let (ok, out, err) = civickit(db, ADD);
    assert!(ok, "{out}{err}");
    assert!(out.contains("added tenant kleinhausen"), "{out}");
    assert!(!err.contains("warning"), "{err}");
    let password = out
        .lines()
        .find_map(|l| l.rsplit_once("one-time password").map(|(_, p)| p))
        .and_then(|p| p.rsplit(' ').next())
        .expect("a one-time password")
        .to_string();
    // Without a privacy notice the operator is warned; `--template none` is an empty town.
    let mut bare = ADD.to_vec();
    bare.truncate(12);
    bare[3] = "leerdorf";
    let (ok, _, err) = civickit(db, &[&bare[..], &["--template", "none"]].concat());
    assert!(ok, "{err}");
    assert!(
        err.contains("warning") && err.contains("--privacy-url"),
        "{err}"
    );
    let (ok, _, err) = civickit(db, ADD);
    assert!(!ok && err.contains("exists"), "a second kleinhausen: {err}");

    let server = start(db, &[]);
    let http = reqwest::Client::new();
    let get = |path: &str| {
        let url = format!("{}{path}", server.url);
        let http = http.clone();
        async move {
            let r = http.get(url).send().await.unwrap();
            (
                r.status().as_u16(),
                r.json::<Value>().await.unwrap_or(Value::Null),
            )
        }
    };

    // 2. The widgets work: six categories, a message of every kind.
    let (_, config) = get("/api/v1/kleinhausen/config").await;
    assert_eq!(
        config["categories"].as_array().unwrap().len(),
        6,
        "{config}"
    );
    assert_eq!(
        config["privacy_url"],
        "https://www.kleinhausen.de/datenschutz"
    );
    let (_, empty) = get("/api/v1/leerdorf/config").await;
    assert_eq!(empty["categories"], json!([]));
    let (_, mailbox) = get("/api/v1/kleinhausen/mailbox").await;
    let kinds: Vec<String> = mailbox["kinds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        kinds,
        [
            "Anregung",
            "Frage",
            "Hinweis",
            "Kritik/Beschwerde",
            "Idee",
            "Lob"
        ]
    );
    let store = civickit_server::db::Db::connect(db).await.unwrap();
    let key = store.server_secret("form-token-key").await.unwrap();
    for (i, kind) in mailbox["kinds"].as_array().unwrap().iter().enumerate() {
        // Five messages per address and ten minutes: the rest come from a neighbour's address.
        let from = if i < 4 {
            [127, 0, 0, 1]
        } else {
            [127, 0, 0, 2]
        };
        let client = reqwest::Client::builder()
            .local_address(std::net::IpAddr::from(from))
            .build()
            .unwrap();
        let token =
            civickit_server::abuse::form_token(&key, "mailbox", civickit_server::db::now() - 10);
        let body = json!({"kind": kind["code"], "subject": "Eine Frage",
                          "message": "Wann wird der Spielplatz eröffnet?", "form_token": token});
        let body =
            common::pow::with_altcha(&client, &server.url, "/api/v1/kleinhausen/messages", &body)
                .await;
        let r = client
            .post(format!("{}/api/v1/kleinhausen/messages", server.url))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201, "{kind}: {}", r.text().await.unwrap());
    }

    // 3. The admin logs in with the one-time password.
    let login = http
        .post(format!("{}/office/api/login", server.url))
        .json(&json!({"tenant": "kleinhausen", "email": "clerk@kleinhausen.de", "password": password}))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 200);

    // 4. `tenant set` on the running server: CORS, config and tiles at once.
    let allowed = |origin: &'static str| {
        let url = format!("{}/api/v1/kleinhausen/reports", server.url);
        let http = http.clone();
        async move {
            let r = http
                .request(reqwest::Method::OPTIONS, url)
                .header("origin", origin)
                .header("access-control-request-method", "POST")
                .send()
                .await
                .unwrap();
            r.headers().get("access-control-allow-origin").is_some()
        }
    };
    assert!(!allowed("https://buerger.kleinhausen.de").await);
    // The server's own demo tiles stand in for a town's tile server.
    let tiles = format!("{}/tiles/{{z}}/{{x}}/{{y}}.svg", server.url);
    let (ok, out, err) = civickit(
        db,
        &[
            "tenant",
            "set",
            "--slug",
            "kleinhausen",
            "--name",
            "Kleinhausen (Rhön)",
            "--origins",
            "https://www.kleinhausen.de,https://buerger.kleinhausen.de",
            "--tile-url",
            &tiles,
            "--zoom",
            "14",
            "--premoderation",
            "on",
            "--imprint-url",
            "https://www.kleinhausen.de/impressum",
        ],
    );
    assert!(ok, "{out}{err}");
    assert!(
        out.contains("allowed_origins") && out.contains("tile_url"),
        "{out}"
    );
    assert!(
        allowed("https://buerger.kleinhausen.de").await,
        "a new origin at once"
    );
    let (_, config) = get("/api/v1/kleinhausen/config").await;
    assert_eq!(
        (&config["name"], &config["map"]["zoom"]),
        (&json!("Kleinhausen (Rhön)"), &json!(14))
    );
    let proxied = config["tiles"]["url"].as_str().unwrap().to_string();
    assert!(
        proxied.ends_with("/tiles/kleinhausen/{z}/{x}/{y}"),
        "{proxied}"
    );
    let tile = http
        .get(
            proxied
                .replace("{z}", "14")
                .replace("{x}", "8647")
                .replace("{y}", "5480"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(
        tile.status(),
        200,
        "the proxy fetches from the new tile URL"
    );

    // 5. Bad settings: an error naming the setting, and nothing changed.
    let (_, shown_before, _) = civickit(db, &["tenant", "show", "--slug", "kleinhausen"]);
    let bow_tie = dir.join("bow-tie.geojson");
    std::fs::write(&bow_tie, BOW_TIE).unwrap();
    fn set<'a>(extra: &[&'a str]) -> Vec<&'a str> {
        [&["tenant", "set", "--slug", "kleinhausen"], extra].concat()
    }
    for (args, says) in [
        (
            set(&["--tile-url", "https://tiles.example/{z}/{x}.png"]),
            "tile_url",
        ),
        (set(&["--center", "52.0,10.0"]), "center"),
        (set(&["--origins", "www.kleinhausen.de"]), "--origins"),
        (
            set(&["--origins", "https://www.kleinhausen.de/seite"]),
            "--origins",
        ),
        (set(&["--zoom", "25"]), "zoom"),
        (set(&["--response-days", "90"]), "response_days"),
        (
            set(&["--privacy-url", "kleinhausen.de/datenschutz"]),
            "privacy_url",
        ),
        (set(&["--premoderation", "vielleicht"]), "on or off"),
        (set(&["--pow-max-number", "999"]), "--pow-max-number"),
        (set(&["--flag-threshold", "0"]), "--flag-threshold"),
        (set(&["--flag-threshold", "51"]), "--flag-threshold"),
        (set(&["--county-stats", "vielleicht"]), "--county-stats"),
        (
            set(&["--area-file", bow_tie.to_str().unwrap()]),
            "crosses itself",
        ),
        (
            set(&["--area", "50.99,9.99;50.99,10.01"]),
            "three distinct corners",
        ),
        (
            vec!["tenant", "set", "--slug", "gibtsnicht", "--name", "X"],
            "no tenant \"gibtsnicht\"",
        ),
    ] {
        let (ok, _, err) = civickit(db, &args);
        assert!(!ok && err.contains(says), "{args:?}: {err}");
    }
    let (_, shown_after, _) = civickit(db, &["tenant", "show", "--slug", "kleinhausen"]);
    assert_eq!(shown_before, shown_after, "refused changes change nothing");
    assert!(
        shown_after.contains("flag threshold:   3 flags"),
        "{shown_after}"
    );
    let (ok, out, err) = civickit(db, &set(&["--flag-threshold", "5"]));
    assert!(ok && out.contains("changed flag_threshold"), "{out}{err}");
    let (_, shown, _) = civickit(db, &["tenant", "show", "--slug", "kleinhausen"]);
    assert!(shown.contains("flag threshold:   5 flags"), "{shown}");
    assert!(shown.contains("county view:      not listed"), "{shown}");
    // Opted into the county's statistics (issue 17).
    let (ok, out, err) = civickit(db, &set(&["--county-stats", "on"]));
    assert!(ok && out.contains("changed county_stats"), "{out}{err}");
    let (_, shown, _) = civickit(db, &["tenant", "show", "--slug", "kleinhausen"]);
    assert!(shown.contains("county view:      listed"), "{shown}");
    for line in [
        "Kleinhausen (Rhön)",
        "Straßenbeleuchtung",
        "Tiefbauamt",
        "Kritik/Beschwerde",
        "https://www.kleinhausen.de/impressum",
        "pre-moderation:   on",
        "up to 50000 hashes per write",
        "6 messages",
    ] {
        assert!(shown_after.contains(line), "{line} in:\n{shown_after}");
    }
    // A town under attack makes its challenges harder.
    let (ok, out, err) = civickit(db, &set(&["--pow-max-number", "200000"]));
    assert!(ok && out.contains("pow_max_number"), "{out}{err}");
    let (_, shown, _) = civickit(db, &["tenant", "show", "--slug", "kleinhausen"]);
    assert!(shown.contains("up to 200000 hashes per write"), "{shown}");

    // 6. A boundary with an exclave: reports there are taken, between the parts refused.
    let exclave = dir.join("kleinhausen.geojson");
    std::fs::write(&exclave, WITH_EXCLAVE).unwrap();
    let (ok, _, err) = civickit(db, &set(&["--area-file", exclave.to_str().unwrap()]));
    assert!(ok, "{err}");
    let report = |lat: f64, lng: f64| {
        let (base, path) = (server.url.clone(), "/api/v1/kleinhausen/reports");
        let http = http.clone();
        async move {
            let body = json!({"category": "sonstiges", "position": {"lat": lat, "lng": lng},
                              "description": "Umgestürzter Baum am Feldweg."});
            let body = common::pow::with_altcha(&http, &base, path, &body).await;
            http.post(format!("{base}{path}"))
                .json(&body)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    assert_eq!(report(50.995, 10.055).await, 201, "in the exclave");
    assert_eq!(report(51.0, 10.03).await, 422, "between the parts");

    // 7. API keys and officials: listed without secrets, revoked and disabled.
    let (ok, out, _) = civickit(
        db,
        &[
            "apikey",
            "add",
            "--tenant",
            "kleinhausen",
            "--label",
            "Bürger-App",
        ],
    );
    assert!(ok);
    let key = out.trim().rsplit(' ').next().unwrap().to_string();
    let (_, list, _) = civickit(db, &["apikey", "list", "--tenant", "kleinhausen"]);
    assert!(
        list.contains("Bürger-App") && !list.contains(&key),
        "{list}"
    );
    let id = list
        .lines()
        .nth(1)
        .unwrap()
        .split('\t')
        .next()
        .unwrap()
        .to_string();
    let (ok, _, err) = civickit(
        db,
        &["apikey", "revoke", "--tenant", "kleinhausen", "--id", &id],
    );
    assert!(ok, "{err}");
    let (_, list, _) = civickit(db, &["apikey", "list", "--tenant", "kleinhausen"]);
    assert!(!list.contains("Bürger-App"), "{list}");
    let (ok, _, _) = civickit(
        db,
        &["apikey", "revoke", "--tenant", "leerdorf", "--id", &id],
    );
    assert!(!ok, "another town's key id");
    let (_, users, _) = civickit(db, &["user", "list", "--tenant", "kleinhausen"]);
    assert!(users.contains("clerk@kleinhausen.de\tadmin"), "{users}");
    let (ok, _, _) = civickit(
        db,
        &[
            "user",
            "disable",
            "--tenant",
            "kleinhausen",
            "--email",
            "clerk@kleinhausen.de",
        ],
    );
    assert!(ok);
    let (_, users, _) = civickit(db, &["user", "list", "--tenant", "kleinhausen"]);
    assert!(users.contains("disabled"), "{users}");

    // 8. Every change is in the town's audit log, done by the command line.
    use sqlx::Row;
    let actions: Vec<String> = sqlx::query(
        "SELECT a.action FROM audit_log a JOIN tenants t ON t.id = a.tenant_id \
         WHERE t.slug = 'kleinhausen' AND a.user_email = 'command line' ORDER BY a.id",
    )
    .fetch_all(&store.pool)
    .await
    .unwrap()
    .iter()
    .map(|r| r.get("action"))
    .collect();
    assert_eq!(
        actions,
        [
            "town.add",
            "user.add",
            "town.settings",
            "tenant.flag_threshold",
            "tenant.county_stats",
            "tenant.pow_max_number",
            "town.settings",
            "apikey.add",
            "apikey.revoke",
            "user.disabled"
        ]
    );
}
