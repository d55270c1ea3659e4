//! Printed work orders (`/office/print/reports…`) as an official's browser gets them, on
//! SQLite and PostgreSQL: one sheet per report with reference, place, description, a map of
//! our own tiles and a QR code; the inbox's filters and an editor's department respected;
//! another town's reports and logged-out visitors kept out; citizens' text printed as text.
//! Chromium's PDF of the same pages is checked in tests/browser/work-order.test.mjs.

mod common;

use civickit_server::db::Backend;
use civickit_server::limits::{Limits, Rate};
use common::{good_report, jpeg, Office, ServerSettings, TestServer};
use serde_json::json;

backend_tests!(
    a_work_order_shows_place_description_map_and_qr_code,
    released_photos_and_notes_are_printed_internal_ones_on_request,
    a_selection_prints_one_sheet_per_report_the_inbox_lists,
    editors_print_only_their_departments_reports,
    another_towns_reports_are_not_found,
    logged_out_visitors_are_sent_to_the_office_login,
    citizens_text_is_printed_as_text_never_as_markup,
);

/// A new report through the widget API; returns (ref, tracking token).
async fn report(
    s: &TestServer,
    category: &str,
    description: &str,
    address: Option<&str>,
) -> (String, String) {
    let mut body = good_report();
    body["category"] = json!(category);
    body["description"] = json!(description);
    if let Some(a) = address {
        body["address"] = json!(a);
    }
    let (status, created) = s.post_json("/api/v1/musterstadt/reports", &body).await;
    assert_eq!(status, 201, "{created}");
    (
        created["ref"].as_str().unwrap().to_string(),
        created["tracking_token"].as_str().unwrap().to_string(),
    )
}

/// GET as the official's browser would, without following redirects: (status, headers, body).
async fn print(
    office: Option<&Office>,
    s: &TestServer,
    path: &str,
) -> (u16, reqwest::header::HeaderMap, String) {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut req = client.get(s.at(path));
    if let Some(o) = office {
        req = req.header("cookie", o.cookie_pair());
    }
    let r = req.send().await.unwrap();
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    (status, headers, r.text().await.unwrap())
}

fn sheets(html: &str) -> usize {
    html.matches("<article class=order").count()
}

/// The references on the sheets, in print order.
fn printed_refs(html: &str) -> Vec<String> {
    html.split("<article class=order aria-labelledby=\"h-")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().to_string())
        .collect()
}

async fn a_work_order_shows_place_description_map_and_qr_code(s: TestServer) {
    let (reference, _) = report(
        &s,
        "muell",
        "Sperrmüll neben dem Glascontainer, seit einer Woche.",
        Some("Marktplatz 3, am Glascontainer"),
    )
    .await;
    let admin = s.login_admin().await;
    let (status, headers, html) = print(
        Some(&admin),
        &s,
        &format!("/office/print/reports/{reference}"),
    )
    .await;
    assert_eq!(status, 200, "{html}");
    assert_eq!(headers["content-type"], "text/html; charset=utf-8");
    assert_eq!(headers["cache-control"], "no-store");
    let csp = headers["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("img-src 'self'") && !csp.contains("script-src"),
        "{csp}"
    );
    assert!(!html.contains("<script"), "no script needed to print");
    assert_eq!(sheets(&html), 1);
    for text in [
        "<html lang=de>",
        "Musterstadt",
        "Arbeitsauftrag",
        reference.as_str(),
        "Verunreinigungen &amp; Müll",
        "Bauhof",
        "eingegangen",
        "Marktplatz 3, am Glascontainer",
        "50.55300, 9.67900",
        "Sperrmüll neben dem Glascontainer, seit einer Woche.",
        "keine Fotos",
        "Erledigt am",
        "durch",
        "Bemerkung",
        "@page{size:A4",
        "break-after:page",
    ] {
        assert!(html.contains(text), "{text:?} missing in {html}");
    }
    // The QR code links to the report in the office, drawn inline.
    assert!(html.contains("<svg class=qr"), "{html}");
    assert!(html.contains(&format!("{}/office/reports/{reference}", s.url)));
    // The map: six tiles at zoom 17 from this server's demo tiles (the widget's URL), a pin.
    let tiles: Vec<&str> = html
        .split("<img src=\"")
        .skip(1)
        .map(|t| t.split('"').next().unwrap())
        .filter(|src| src.contains("/tiles/"))
        .collect();
    assert_eq!(tiles.len(), 6, "{html}");
    for src in &tiles {
        assert!(src.starts_with(&format!("{}/tiles/17/", s.url)), "{src}");
    }
    let r = s.http.get(tiles[0]).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "image/svg+xml");
    assert!(html.contains("<svg class=pin"));
    assert!(html.contains("Demo-Karte: civickit"), "the attribution");

    // A report without an address names its coordinates as the place.
    let (bare, _) = report(&s, "muell", "Ohne Adresse.", None).await;
    let (_, detail) = admin.get(&format!("/office/api/reports/{bare}")).await;
    let (_, _, html) = print(Some(&admin), &s, &format!("/office/print/reports/{bare}")).await;
    let place = html
        .split("<dt>Ort</dt><dd>")
        .nth(1)
        .unwrap()
        .split("</dd>")
        .next()
        .unwrap();
    match detail["address"].as_str() {
        // Once the town's places are imported, the server looks one up.
        Some(address) => assert_eq!(place, address),
        None => assert_eq!(place, "50.55300, 9.67900"),
    }
    // An unknown reference is a 404 page.
    let (status, _, html) = print(Some(&admin), &s, "/office/print/reports/M-1999-99999").await;
    assert_eq!(status, 404);
    assert!(html.contains("Meldung nicht gefunden"), "{html}");
}

async fn released_photos_and_notes_are_printed_internal_ones_on_request(s: TestServer) {
    let (reference, token) =
        report(&s, "muell", "Wilder Müll am Waldrand.", Some("Waldweg 2")).await;
    let r = s
        .http
        .post(s.at(&format!(
            "/api/v1/musterstadt/reports/{reference}/photos?token={token}"
        )))
        .header("content-type", "image/jpeg")
        .body(jpeg(320, 240))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let admin = s.login_admin().await;
    let path = format!("/office/print/reports/{reference}");
    let (_, _, html) = print(Some(&admin), &s, &path).await;
    assert!(
        html.contains("keine Fotos"),
        "a pending photo is not printed yet"
    );
    let (_, detail) = admin.get(&format!("/office/api/reports/{reference}")).await;
    let id = detail["photos"][0]["id"].as_i64().unwrap();
    let (status, _) = admin
        .post(
            &format!("/office/api/photos/{id}/status"),
            &json!({"status": "released"}),
        )
        .await;
    assert_eq!(status, 200);
    let (status, _) = admin
        .post(
            &format!("/office/api/reports/{reference}/status"),
            &json!({"status": "in_progress", "public_note": "Der Bauhof holt ihn ab.",
                    "internal_note": "Schlüssel für die Schranke beim Förster"}),
        )
        .await;
    assert_eq!(status, 200);

    let (_, _, html) = print(Some(&admin), &s, &path).await;
    let thumb = format!("/office/api/photos/{id}/thumb");
    assert!(html.contains(&format!("<img src=\"{thumb}\"")), "{html}");
    assert!(!html.contains("keine Fotos"));
    // The thumbnail answers the official's session, as the printing browser sends it.
    let r = s
        .http
        .get(s.at(&thumb))
        .header("cookie", admin.cookie_pair())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "image/jpeg");
    for text in [
        "in Bearbeitung",
        "Der Bauhof holt ihn ab.",
        "Schlüssel für die Schranke beim Förster",
        ">intern<",
    ] {
        assert!(html.contains(text), "{text:?} missing in {html}");
    }
    // For an outside contractor: no internal notes, and the sheet says so.
    let (_, _, html) = print(Some(&admin), &s, &format!("{path}?notes=0")).await;
    assert!(html.contains("Der Bauhof holt ihn ab."));
    assert!(!html.contains("Förster"), "{html}");
    assert!(html.contains("ohne interne Notizen"));
    // English labels on request; the citizen's and the town's words stay as written.
    let (_, _, html) = print(Some(&admin), &s, &format!("{path}?lang=en")).await;
    for text in [
        "<html lang=en>",
        "Work order",
        "Category",
        "in progress",
        "Done on",
        "Remarks",
        "Wilder Müll am Waldrand.",
    ] {
        assert!(html.contains(text), "{text:?} missing in {html}");
    }
    assert!(!html.contains("Arbeitsauftrag"));
}

async fn a_selection_prints_one_sheet_per_report_the_inbox_lists(s: TestServer) {
    let mut made = Vec::new();
    for (category, text) in [
        ("muell", "Druckprobe eins: Müllsäcke am Bach."),
        ("strassenbeleuchtung", "Druckprobe zwei: Laterne flackert."),
        ("muell", "Druckprobe drei: Glasscherben am Spielplatz."),
    ] {
        made.push(report(&s, category, text, Some("Bachgasse 5")).await.0);
    }
    let admin = s.login_admin().await;
    let (status, _, html) = print(Some(&admin), &s, "/office/print/reports?q=Druckprobe").await;
    assert_eq!(status, 200);
    assert_eq!(sheets(&html), 3);
    // Newest first, as the inbox lists them; the inbox's own answer agrees.
    let newest_first: Vec<String> = made.iter().rev().cloned().collect();
    assert_eq!(printed_refs(&html), newest_first);
    let (_, list) = admin.get("/office/api/reports?q=Druckprobe").await;
    let listed: Vec<&str> = list["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["ref"].as_str().unwrap())
        .collect();
    assert_eq!(printed_refs(&html), listed);
    assert!(
        html.contains("<title>Arbeitsaufträge (3) – Musterstadt</title>"),
        "{html}"
    );
    assert!(!html.contains("Mehr als"), "all matched reports are here");

    let (_, _, html) = print(
        Some(&admin),
        &s,
        "/office/print/reports?q=Druckprobe&category=muell",
    )
    .await;
    assert_eq!(printed_refs(&html), vec![made[2].clone(), made[0].clone()]);
    let (_, _, html) = print(
        Some(&admin),
        &s,
        "/office/print/reports?q=Druckprobe&sort=oldest",
    )
    .await;
    assert_eq!(printed_refs(&html), made);
    // A state filter that matches none prints a sheet saying so.
    let (status, _, html) = print(
        Some(&admin),
        &s,
        "/office/print/reports?q=Druckprobe&status=resolved,closed",
    )
    .await;
    assert_eq!((status, sheets(&html)), (200, 0));
    assert!(
        html.contains("Keine Meldungen passen zu dieser Auswahl."),
        "{html}"
    );
    // Without filters: every report of the town, as the inbox's first page has them.
    let (_, _, html) = print(Some(&admin), &s, "/office/print/reports").await;
    assert_eq!(sheets(&html), s.report_count().await as usize);
    // A malformed filter is refused, as the inbox refuses it.
    let (status, _, _) = print(Some(&admin), &s, "/office/print/reports?status=kaputt").await;
    assert_eq!(status, 400);
}

/// More than 200 reports from one address need a server whose limit lets them in.
async fn more_than_200(backend: Backend) {
    let settings = ServerSettings {
        limits: Limits {
            reports_per_address: Rate::new(1000, 600),
            ..Default::default()
        },
        ..Default::default()
    };
    let Some(s) = TestServer::start_with(backend, settings).await else {
        return;
    };
    for i in 0..201 {
        report(&s, "muell", &format!("Stapeltest {i}"), None).await;
    }
    let admin = s.login_admin().await;
    let (_, _, html) = print(Some(&admin), &s, "/office/print/reports?q=Stapeltest").await;
    assert_eq!(sheets(&html), 200);
    let first = html.split("<article").nth(1).unwrap();
    assert!(
        first.contains("Mehr als 200 Meldungen passen zu dieser Auswahl"),
        "on the first sheet: {first}"
    );
    assert_eq!(html.matches("Mehr als 200").count(), 1);
    assert!(
        html.contains("Stapeltest 200") && !html.contains("Stapeltest 0<"),
        "the newest 200"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_selection_of_more_than_200_says_so_on_the_first_sheet_sqlite() {
    more_than_200(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_selection_of_more_than_200_says_so_on_the_first_sheet_postgres() {
    more_than_200(Backend::Postgres).await;
}

async fn editors_print_only_their_departments_reports(s: TestServer) {
    let (bin, _) = report(&s, "muell", "Abteilungsprobe: Müll", None).await;
    let (lamp, _) = report(&s, "strassenbeleuchtung", "Abteilungsprobe: Lampe", None).await;
    let editor = s.login_editor().await;
    let (status, _, html) = print(Some(&editor), &s, &format!("/office/print/reports/{bin}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Bauhof"));
    let (status, _, html) =
        print(Some(&editor), &s, &format!("/office/print/reports/{lamp}")).await;
    assert_eq!(status, 404, "another department's report: {html}");
    assert!(!html.contains("Lampe"));
    // A selection, even asking for another department, holds the Bauhof's reports only.
    let admin = s.login_admin().await;
    let tiefbau = admin.me["departments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "Tiefbauamt")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    for path in [
        "/office/print/reports?q=Abteilungsprobe".to_string(),
        format!("/office/print/reports?q=Abteilungsprobe&department={tiefbau}"),
    ] {
        let (_, _, html) = print(Some(&editor), &s, &path).await;
        assert_eq!(printed_refs(&html), vec![bin.clone()], "{path}");
    }
    let (_, _, html) = print(Some(&editor), &s, "/office/print/reports").await;
    let (_, list) = editor.get("/office/api/reports").await;
    assert_eq!(sheets(&html), list["reports"].as_array().unwrap().len());
    assert_eq!(
        html.matches("<dt>Zuständig</dt><dd>Bauhof</dd>").count(),
        sheets(&html)
    );
    // The admin prints both.
    let (_, _, html) = print(Some(&admin), &s, "/office/print/reports?q=Abteilungsprobe").await;
    assert_eq!(printed_refs(&html), vec![lamp, bin]);
}

async fn another_towns_reports_are_not_found(s: TestServer) {
    let (reference, _) = report(&s, "muell", "Nur für Musterstadt.", None).await;
    let (_, neighbour) = s.neighbour_admin().await;
    let (status, _, html) = print(
        Some(&neighbour),
        &s,
        &format!("/office/print/reports/{reference}"),
    )
    .await;
    assert_eq!(status, 404);
    assert!(!html.contains("Nur für Musterstadt"));
    let (status, _, html) = print(Some(&neighbour), &s, "/office/print/reports").await;
    assert_eq!((status, sheets(&html)), (200, 0));
    assert!(
        !html.contains("Musterstadt") && html.contains("Nachbardorf"),
        "{html}"
    );
}

async fn logged_out_visitors_are_sent_to_the_office_login(s: TestServer) {
    let (reference, _) = report(&s, "muell", "Geheim bis zur Anmeldung.", None).await;
    let path = format!("/office/print/reports/{reference}");
    let (status, headers, body) = print(None, &s, &path).await;
    assert_eq!(status, 303);
    assert_eq!(
        headers["location"],
        format!("/office/reports/{reference}?next=%2Foffice%2Fprint%2Freports%2F{reference}")
            .as_str()
    );
    assert!(!body.contains("Geheim"));
    let (status, headers, _) = print(None, &s, "/office/print/reports?q=Geheim&lang=en").await;
    assert_eq!(status, 303);
    assert_eq!(
        headers["location"],
        "/office?lang=en&next=%2Foffice%2Fprint%2Freports%3Fq%3DGeheim%26lang%3Den"
    );
    // An ended session is logged out too.
    let admin = s.login_admin().await;
    let (status, _) = admin.post("/office/api/logout", &json!({})).await;
    assert_eq!(status, 204);
    let (status, _, body) = print(Some(&admin), &s, &path).await;
    assert_eq!(status, 303);
    assert!(!body.contains("Geheim"));
}

async fn citizens_text_is_printed_as_text_never_as_markup(s: TestServer) {
    let hostile = "<script>alert('x')</script> & <img src=x onerror=alert(1)> \"zitiert\"";
    let (reference, _) = report(&s, "muell", hostile, Some("<b>Hauptstraße</b> 1")).await;
    let admin = s.login_admin().await;
    let (status, _) = admin
        .post(
            &format!("/office/api/reports/{reference}/notes"),
            &json!({"text": "</li><script>bad()</script>"}),
        )
        .await;
    assert_eq!(status, 200);
    let (_, _, html) = print(
        Some(&admin),
        &s,
        &format!("/office/print/reports/{reference}"),
    )
    .await;
    assert!(!html.contains("<script"), "{html}");
    assert!(!html.contains("<img src=x"));
    assert!(!html.contains("<b>"));
    assert!(html.contains("&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt; &quot;zitiert&quot;"), "{html}");
    assert!(html.contains("&lt;b&gt;Hauptstraße&lt;/b&gt; 1"));
    assert!(html.contains("&lt;/li&gt;&lt;script&gt;bad()&lt;/script&gt;"));
}
