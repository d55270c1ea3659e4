//! The reporter's tracking page (`/track/{token}`) as a phone gets it, on SQLite and
//! PostgreSQL: the town's name and links, the address and a map of our own tiles, dates in the
//! citizen's language and the town's time, the public history only, released photos only, the
//! e-mail state without the address, and "add a photo" through a plain form while the report
//! is open, with a clear answer when it is refused. Chromium's view of it (axe-core, 390 px, the
//! form without JavaScript) is in tests/browser/track.test.mjs.

mod common;

use civickit_server::limits::{Limits, Rate};
use common::{good_report, jpeg, Office, ServerSettings, TestServer};
use serde_json::{json, Value};
use sqlx::Row;

backend_tests!(
    the_page_names_the_town_the_place_and_local_dates,
    an_english_report_gets_english_dates_and_texts,
    the_history_is_public_notes_only,
    released_photos_are_shown_unreleased_never,
    a_photo_is_added_through_the_form_while_the_report_is_open,
    a_closed_report_refuses_photos_with_a_clear_message,
    bad_files_get_a_clear_error,
    uploads_count_against_the_addresss_report_limit,
    the_email_state_is_shown_but_never_the_address,
    unknown_links_are_not_found,
);

/// 2026-12-01 18:51:20 UTC: 19:51 in Musterstadt (UTC+1 in winter).
const DECEMBER_EVENING: i64 = 1_796_151_080;

/// A report through the widget API (`extra` merged into the body); returns (ref, token).
async fn report(s: &TestServer, query: &str, extra: Value) -> (String, String) {
    let mut body = good_report();
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    let (status, created) = s
        .post_json(&format!("/api/v1/musterstadt/reports{query}"), &body)
        .await;
    assert_eq!(status, 201, "{created}");
    (
        created["ref"].as_str().unwrap().to_string(),
        created["tracking_token"].as_str().unwrap().to_string(),
    )
}

/// GET without following redirects: (status, headers, body).
async fn get(s: &TestServer, path: &str) -> (u16, reqwest::header::HeaderMap, String) {
    let r = no_redirects().get(s.at(path)).send().await.unwrap();
    let (status, headers) = (r.status().as_u16(), r.headers().clone());
    (status, headers, r.text().await.unwrap())
}

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// The page's form as a browser sends it: a multipart body with the file in `photo`.
async fn send_photo(
    s: &TestServer,
    token: &str,
    file: Vec<u8>,
    name: &str,
    mime: &str,
) -> (u16, reqwest::header::HeaderMap, String) {
    let part = reqwest::multipart::Part::bytes(file)
        .file_name(name.to_string())
        .mime_str(mime)
        .unwrap();
    let form = reqwest::multipart::Form::new().part("photo", part);
    let r = no_redirects()
        .post(s.at(&format!("/track/{token}/photos")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    let (status, headers) = (r.status().as_u16(), r.headers().clone());
    (status, headers, r.text().await.unwrap())
}

/// Moves the report's times and its notes' to `at`, as if it had come in then.
async fn dated(s: &TestServer, reference: &str, at: i64) {
    sqlx::query("UPDATE reports SET created_at = $1, updated_at = $1 WHERE ref = $2")
        .bind(at)
        .bind(reference)
        .execute(&s.db.pool)
        .await
        .unwrap();
    sqlx::query(
        "UPDATE report_notes SET created_at = $1 WHERE report_id = (SELECT id FROM reports WHERE ref = $2)",
    )
    .bind(at)
    .bind(reference)
    .execute(&s.db.pool)
    .await
    .unwrap();
}

async fn set_status(admin: &Office, reference: &str, body: Value) {
    let (status, answer) = admin
        .post(&format!("/office/api/reports/{reference}/status"), &body)
        .await;
    assert_eq!(status, 200, "{answer}");
}

/// The photos of a report as the office lists them: (id, status).
async fn office_photos(admin: &Office, reference: &str) -> Vec<(i64, String)> {
    let (_, office) = admin.get(&format!("/office/api/reports/{reference}")).await;
    office["photos"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["id"].as_i64().unwrap(),
                p["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

async fn public_ids(s: &TestServer) -> Vec<(String, String)> {
    sqlx::query("SELECT public_id, status FROM photos ORDER BY id")
        .fetch_all(&s.db.pool)
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get("public_id"), r.get("status")))
        .collect()
}

async fn the_page_names_the_town_the_place_and_local_dates(s: TestServer) {
    let (reference, token) = report(&s, "", json!({"address": "Hauptstraße 12"})).await;
    dated(&s, &reference, DECEMBER_EVENING).await;
    sqlx::query("UPDATE tenants SET imprint_url = '/demo/impressum.html'")
        .execute(&s.db.pool)
        .await
        .unwrap();
    let (status, headers, html) = get(&s, &format!("/track/{token}")).await;
    assert_eq!(status, 200);
    assert_eq!(headers["content-type"], "text/html; charset=utf-8");
    assert_eq!(headers["cache-control"], "no-store");
    let csp = headers["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("default-src 'none'"), "{csp}");
    assert!(csp.contains("img-src 'self'") && csp.contains("form-action 'self'"));
    assert!(!csp.contains("script-src"), "nothing runs: {csp}");
    assert!(!html.contains("<script"), "no script on the page");
    assert!(html.contains("<meta name=viewport"));

    // The town, its privacy and imprint pages.
    assert!(html.contains("<p class=town>Musterstadt <span>· Mängelmelder</span></p>"));
    assert!(html.contains(&format!("<title>Meldung {reference} – Musterstadt</title>")));
    assert!(html.contains("<a href=\"/demo/datenschutz.html\">Datenschutz</a>"));
    assert!(html.contains("<a href=\"/demo/impressum.html\">Impressum</a>"));
    // The place: the address, and a map of the town's own tiles around the position.
    assert!(
        html.contains("<dt>Ort</dt><dd>Hauptstraße 12</dd>"),
        "{html}"
    );
    assert!(html.contains("aria-label=\"Karte: Hauptstraße 12\""));
    let tiles: Vec<&str> = html
        .split("<img src=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap())
        .filter(|src| src.starts_with("/tiles/"))
        .collect();
    assert_eq!(tiles.len(), 6, "{html}");
    // 50.5530 N, 9.6790 E lies in tile 69060/44137 at zoom 17 (a third down it): the middle
    // column, the lower row.
    assert!(tiles.contains(&"/tiles/17/69060/44137.svg"), "{tiles:?}");
    assert!(tiles.contains(&"/tiles/17/69059/44136.svg"), "{tiles:?}");
    for tile in &tiles {
        let r = s.http.get(s.at(tile)).send().await.unwrap();
        assert_eq!(r.status(), 200, "{tile}");
        assert_eq!(r.headers()["content-type"], "image/svg+xml");
    }
    assert!(html.contains("<figcaption>Demo-Karte: civickit (keine echten Geodaten)</figcaption>"));
    // Dates in German and in the town's time, with the instant for machines.
    assert!(
        html.contains(
            "<dt>Eingegangen</dt><dd><time datetime=\"2026-12-01T18:51:20Z\">1. Dezember 2026, 19:51</time></dd>"
        ),
        "{html}"
    );
    assert!(
        !html.contains(">2026-12-01T18:51:20Z<"),
        "no raw time shown"
    );
    assert!(html.contains("<span class=state style='border-color:#c62828'>eingegangen</span>"));
    assert!(html.contains("eingegangen</span><strong>Straßenbeleuchtung</strong>"));
    assert!(html.contains("Die Laterne an der Ecke ist dunkel."));
    // While it is open, the form to add a photo; it posts to this page's own route.
    assert!(html.contains(&format!(
        "<form method=post action=\"/track/{token}/photos\" enctype=multipart/form-data>"
    )));
    assert!(html.contains("<label for=photo>Foto auswählen</label>"));
    assert!(html.contains(">Foto hinzufügen</button>"));

    // A report without an address names no street; without a position it has no map.
    let (_, token) = report(&s, "", json!({})).await;
    let (_, _, html) = get(&s, &format!("/track/{token}")).await;
    assert!(!html.contains("Hauptstraße"));
    assert!(html.contains("<img src=\"/tiles/17/"));
    let (_, token) = report(
        &s,
        "",
        json!({"position": null, "address": "Am Lindenplatz 7"}),
    )
    .await;
    let (_, _, html) = get(&s, &format!("/track/{token}")).await;
    assert!(html.contains("<dd>Am Lindenplatz 7</dd>"));
    assert!(!html.contains("/tiles/"), "no position, no map");
}

async fn an_english_report_gets_english_dates_and_texts(s: TestServer) {
    let (reference, token) = report(&s, "?lang=en", json!({})).await;
    dated(&s, &reference, DECEMBER_EVENING).await;
    let (status, _, html) = get(&s, &format!("/track/{token}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("<html lang=en>"));
    assert!(html.contains(&format!("Your report {reference}")));
    assert!(html.contains(">1 December 2026, 19:51</time>"), "{html}");
    assert!(html.contains("<dt>Received</dt>") && html.contains("<h2>History</h2>"));
    assert!(html.contains(">Add a photo</button>") && html.contains(">Privacy</a>"));
    assert!(html.contains("<p class=town>Musterstadt <span>· Problem reports</span></p>"));
    assert!(!html.contains("Dezember") && !html.contains("Foto hinzufügen"));
}

async fn the_history_is_public_notes_only(s: TestServer) {
    let (reference, token) = report(&s, "", json!({})).await;
    dated(&s, &reference, DECEMBER_EVENING).await;
    let admin = s.login_admin().await;
    set_status(
        &admin,
        &reference,
        json!({"status": "in_progress", "public_note": "Ein Elektriker ist beauftragt.",
               "internal_note": "Herr Meier, Tel. 0123, fragt nach"}),
    )
    .await;
    let (_, _, html) = get(&s, &format!("/track/{token}")).await;
    let history = html.split("<h2>Verlauf</h2>").nth(1).expect("a history");
    assert!(history.contains("Vielen Dank! Ihre Meldung ist eingegangen."));
    assert!(
        history.contains("<strong>in Bearbeitung</strong><p>Ein Elektriker ist beauftragt.</p>")
    );
    let first = history.find("eingegangen").unwrap();
    let second = history.find("Elektriker").unwrap();
    assert!(first < second, "oldest first");
    assert!(
        !html.contains("Meier") && !html.contains("0123"),
        "internal notes stay inside"
    );
    assert!(html.contains("<span class=state style='border-color:#b26a00'>in Bearbeitung</span>"));
    assert!(html.contains("<dt>Letzte Änderung</dt>"));
}

async fn released_photos_are_shown_unreleased_never(s: TestServer) {
    let (reference, token) = report(&s, "", json!({})).await;
    for _ in 0..2 {
        let (status, _, _) = send_photo(&s, &token, jpeg(800, 600), "a.jpg", "image/jpeg").await;
        assert_eq!(status, 303);
    }
    let ids = public_ids(&s).await;
    assert_eq!(ids.len(), 2);
    let (_, _, html) = get(&s, &format!("/track/{token}")).await;
    for (public_id, status) in &ids {
        assert_eq!(status, "pending");
        assert!(
            !html.contains(public_id.as_str()),
            "pending photos are never shown"
        );
    }
    assert!(!html.contains("/media/"));
    assert!(html.contains("2 Fotos werden noch geprüft und erscheinen danach hier."));

    // The office releases the first and hides the second.
    let admin = s.login_admin().await;
    let photos = office_photos(&admin, &reference).await;
    for ((id, _), status) in photos.iter().zip(["released", "hidden"]) {
        let (code, _) = admin
            .post(
                &format!("/office/api/photos/{id}/status"),
                &json!({ "status": status }),
            )
            .await;
        assert_eq!(code, 200);
    }
    let (_, _, html) = get(&s, &format!("/track/{token}")).await;
    let (released, hidden) = (&ids[0].0, &ids[1].0);
    assert!(
        html.contains(&format!(
            "<a href=\"/media/{released}.jpg\"><img src=\"/media/{released}_thumb.jpg\" alt=\"Foto 1\" width=320 height=240></a>"
        )),
        "{html}"
    );
    assert!(
        !html.contains(hidden.as_str()),
        "hidden photos are never shown"
    );
    assert!(!html.contains("noch geprüft"));
    let thumb = s
        .http
        .get(s.at(&format!("/media/{released}_thumb.jpg")))
        .send()
        .await
        .unwrap();
    assert_eq!(thumb.status(), 200);
    assert_eq!(thumb.headers()["content-type"], "image/jpeg");
}

async fn a_photo_is_added_through_the_form_while_the_report_is_open(s: TestServer) {
    let (_, token) = report(&s, "", json!({})).await;
    let (status, headers, _) =
        send_photo(&s, &token, jpeg(1200, 900), "laterne.jpg", "image/jpeg").await;
    assert_eq!(status, 303);
    let location = headers["location"].to_str().unwrap();
    assert_eq!(location, format!("/track/{token}?photo=pending"));
    let (status, _, html) = get(&s, location).await;
    assert_eq!(status, 200);
    assert!(html.contains(
        "<div class='notice ok' role=status><p>Danke! Ihr Foto ist angekommen. Es erscheint hier, sobald die Gemeinde es geprüft hat.</p></div>"
    ));
    assert!(html.contains("Ein Foto wird noch geprüft und erscheint danach hier."));
    let stored = public_ids(&s).await;
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].1, "pending");
    // Re-encoded like every upload: 1200×900 stays, as a JPEG.
    let (w, h): (i64, i64) = {
        let row = sqlx::query("SELECT width, height FROM photos")
            .fetch_one(&s.db.pool)
            .await
            .unwrap();
        (row.get("width"), row.get("height"))
    };
    assert_eq!((w, h), (1200, 900));

    // A town that releases citizens' photos at once: the photo shows right away.
    let admin = s.login_admin().await;
    let (status, _) = admin
        .post(
            "/office/api/settings",
            &json!({"photos_auto_release": true}),
        )
        .await;
    assert_eq!(status, 200);
    let (status, headers, _) = send_photo(&s, &token, jpeg(640, 480), "b.jpg", "image/jpeg").await;
    assert_eq!(status, 303);
    let location = headers["location"].to_str().unwrap();
    assert_eq!(location, format!("/track/{token}?photo=released"));
    let (_, _, html) = get(&s, location).await;
    assert!(html.contains("Danke! Ihr Foto ist jetzt bei der Meldung zu sehen."));
    let released = &public_ids(&s).await[1].0;
    assert!(html.contains(&format!(
        "<img src=\"/media/{released}_thumb.jpg\" alt=\"Foto 1\""
    )));

    // The third photo is the last one a report takes: then the form gives way to a sentence.
    let (status, _, _) = send_photo(&s, &token, jpeg(640, 480), "c.jpg", "image/jpeg").await;
    assert_eq!(status, 303);
    let (_, _, html) = get(&s, &format!("/track/{token}")).await;
    assert!(!html.contains("<form"));
    assert!(html.contains("Sie haben 3 Fotos hinzugefügt; mehr nimmt eine Meldung nicht auf."));
    let (status, _, html) = send_photo(&s, &token, jpeg(640, 480), "d.jpg", "image/jpeg").await;
    assert_eq!(status, 409);
    assert!(html.contains("Das Foto wurde nicht hinzugefügt."));
    assert!(html.contains("Diese Meldung hat schon 3 Fotos; mehr nimmt sie nicht auf."));
    assert_eq!(public_ids(&s).await.len(), 3);
}

async fn a_closed_report_refuses_photos_with_a_clear_message(s: TestServer) {
    let (reference, token) = report(&s, "", json!({})).await;
    let admin = s.login_admin().await;
    set_status(
        &admin,
        &reference,
        json!({"status": "resolved", "public_note": "Die Lampe leuchtet wieder."}),
    )
    .await;
    let (_, _, html) = get(&s, &format!("/track/{token}")).await;
    assert!(!html.contains("<form"), "no form on a closed report");
    assert!(
        html.contains("Die Meldung ist abgeschlossen; Fotos lassen sich nicht mehr hinzufügen.")
    );
    let (status, headers, html) =
        send_photo(&s, &token, jpeg(400, 300), "a.jpg", "image/jpeg").await;
    assert_eq!(status, 409);
    assert_eq!(headers["content-type"], "text/html; charset=utf-8");
    assert!(
        html.contains("<div class='notice error' role=alert>"),
        "{html}"
    );
    assert!(html.contains(
        "Diese Meldung ist abgeschlossen. Fotos können nur hinzugefügt werden, solange sie offen ist."
    ));
    assert!(public_ids(&s).await.is_empty());
}

async fn bad_files_get_a_clear_error(s: TestServer) {
    let (_, token) = report(&s, "", json!({})).await;
    let (status, _, html) = send_photo(
        &s,
        &token,
        b"Sehr geehrte Damen und Herren".to_vec(),
        "brief.txt",
        "text/plain",
    )
    .await;
    assert_eq!(status, 415);
    assert!(html.contains("<strong>Das Foto wurde nicht hinzugefügt.</strong> Diese Datei ist kein Foto, das wir annehmen. Bitte wählen Sie ein Foto als JPEG, PNG oder WebP."), "{html}");
    // The page is all there around the message, the form too, to try again.
    assert!(html.contains("<h2>Verlauf</h2>") && html.contains("<form method=post"));
    let mut broken = jpeg(400, 300);
    broken.truncate(broken.len() / 2);
    let (status, _, html) = send_photo(&s, &token, broken, "kaputt.jpg", "image/jpeg").await;
    assert_eq!(status, 422);
    assert!(html.contains("Die Bilddatei ist beschädigt oder unvollständig."));
    let (status, _, html) = send_photo(&s, &token, vec![], "", "application/octet-stream").await;
    assert_eq!(status, 400);
    assert!(html.contains("Bitte wählen Sie zuerst ein Foto aus."));
    // Not a form at all.
    let r = no_redirects()
        .post(s.at(&format!("/track/{token}/photos")))
        .body("photo=x")
        .header("content-type", "application/x-www-form-urlencoded")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert!(public_ids(&s).await.is_empty());
    // Over the 10 MB a form may carry.
    let big = vec![0u8; civickit_server::http::MAX_UPLOAD_BYTES + 100 * 1024];
    let (status, _, html) = send_photo(&s, &token, big, "riesig.jpg", "image/jpeg").await;
    assert_eq!(status, 413);
    assert!(html.contains("Die Datei ist größer als 10 MB."));
}

async fn the_email_state_is_shown_but_never_the_address(s: TestServer) {
    let address = "buergerin@example.org";
    let (reference, token) = report(&s, "", json!({ "email": address })).await;
    let (_, _, html) = get(&s, &format!("/track/{token}")).await;
    assert!(html.contains("<h2>E-Mail-Benachrichtigung</h2>"));
    assert!(
        html.contains("sobald Sie Ihre Adresse über den Link in unserer E-Mail bestätigt haben")
    );
    assert!(!html.contains("buergerin") && !html.contains("example.org"));
    assert!(
        !html.contains("/unsubscribe"),
        "nothing to unsubscribe from yet"
    );

    let mail_token: String = sqlx::query("SELECT email_token FROM reports WHERE ref = $1")
        .bind(&reference)
        .fetch_one(&s.db.pool)
        .await
        .unwrap()
        .get("email_token");
    let r = no_redirects()
        .post(s.at(&format!("/notify/{mail_token}/confirm")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let (_, _, html) = get(&s, &format!("/track/{token}")).await;
    assert!(
        html.contains(&format!(
            "<p>Sie erhalten E-Mails bei Änderungen. <a href=\"/notify/{mail_token}/unsubscribe\">Keine E-Mails mehr zu dieser Meldung</a></p>"
        )),
        "{html}"
    );
    assert!(!html.contains("buergerin") && !html.contains("example.org"));

    let r = no_redirects()
        .post(s.at(&format!("/notify/{mail_token}/unsubscribe")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let (_, _, html) = get(&s, &format!("/track/{token}")).await;
    assert!(html.contains("Sie haben die E-Mails zu dieser Meldung abbestellt."));
    assert!(!html.contains("/unsubscribe"));

    // Without an address: where to find the state instead.
    let (_, token) = report(&s, "", json!({})).await;
    let (_, _, html) = get(&s, &format!("/track/{token}")).await;
    assert!(html.contains("Sie haben keine E-Mail-Adresse angegeben."));
}

async fn unknown_links_are_not_found(s: TestServer) {
    let (status, headers, html) = get(&s, "/track/not-a-real-token").await;
    assert_eq!(status, 404);
    assert_eq!(headers["content-type"], "text/html; charset=utf-8");
    assert!(html.contains("<h1>Meldung nicht gefunden</h1>"));
    let (status, _, html) = send_photo(
        &s,
        "not-a-real-token",
        jpeg(100, 100),
        "a.jpg",
        "image/jpeg",
    )
    .await;
    assert_eq!(status, 404);
    assert!(html.contains("Meldung nicht gefunden"));
    assert!(public_ids(&s).await.is_empty());
}

async fn uploads_count_against_the_addresss_report_limit(s: TestServer) {
    // Three reports or photos per address: the report and two photos pass, the next waits.
    let settings = ServerSettings {
        limits: Limits {
            reports_per_address: Rate::new(3, 600),
            ..Default::default()
        },
        ..Default::default()
    };
    let Some(s) = TestServer::start_with(s.backend, settings).await else {
        return;
    };
    let (_, token) = report(&s, "", json!({})).await;
    for _ in 0..2 {
        let (status, _, _) = send_photo(&s, &token, jpeg(400, 300), "a.jpg", "image/jpeg").await;
        assert_eq!(status, 303);
    }
    let (status, headers, html) =
        send_photo(&s, &token, jpeg(400, 300), "b.jpg", "image/jpeg").await;
    assert_eq!(status, 429);
    let wait: u64 = headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=200).contains(&wait), "{wait}");
    assert!(html.contains("Bitte versuchen Sie es in einigen Minuten erneut."));
    assert_eq!(public_ids(&s).await.len(), 2);
}
