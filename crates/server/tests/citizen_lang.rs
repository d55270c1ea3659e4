//! The citizen's language follows them: a report or message made with the English widget gets
//! English mails and English pages behind the links in them; German ones stay German, whatever
//! browser later opens the link. Mails go through a real SMTP server. On SQLite and PostgreSQL.

mod common;

use common::{good_report, Office, SmtpSink, TestServer};
use serde_json::{json, Value};

backend_tests!(
    an_english_report_gets_english_mails_and_pages,
    a_german_report_stays_german_in_an_english_browser,
    an_english_message_gets_an_english_receipt_and_reply,
    a_german_message_gets_a_german_receipt_and_reply,
    forwarding_mails_the_department_a_deep_link_into_the_office,
    open311_reports_are_german_unless_the_request_asks_otherwise,
);

/// A server whose mail worker delivers to a fresh SMTP sink.
async fn with_mail(s: TestServer) -> (TestServer, SmtpSink) {
    let sink = SmtpSink::start();
    let s = TestServer::start_with_smtp(s.backend, Some(&sink.url))
        .await
        .unwrap();
    (s, sink)
}

/// Files a report with an address through the widget API; returns (reference, tracking token).
async fn report_with_mail(s: &TestServer, query: &str) -> (String, String) {
    let mut body = good_report();
    body["email"] = json!("buergerin@example.org");
    let (status, created) = s
        .post_json(&format!("/api/v1/musterstadt/reports{query}"), &body)
        .await;
    assert_eq!(status, 201, "{created}");
    (
        created["ref"].as_str().unwrap().to_string(),
        created["tracking_token"].as_str().unwrap().to_string(),
    )
}

/// The mails so far with folded header lines joined again (a long subject is folded).
async fn received(sink: &SmtpSink, n: usize) -> Vec<String> {
    sink.wait_for(n)
        .await
        .iter()
        .map(|m| m.replace("\r\n ", " ").replace("\n ", " "))
        .collect()
}

/// The first word of a mail that ends with `suffix` (a link).
fn link_ending(mail: &str, suffix: &str) -> String {
    mail.split_whitespace()
        .find(|w| w.ends_with(suffix))
        .unwrap_or_else(|| panic!("no link ending in {suffix}: {mail}"))
        .to_string()
}

/// GET with an `Accept-Language` header: (status, body).
async fn get_in(s: &TestServer, url: &str, accept_language: &str) -> (u16, String) {
    let r = s
        .http
        .get(url)
        .header("accept-language", accept_language)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

/// Confirms the address through the mail's link (GET shows the form, POST confirms) and returns
/// the form page and the thank-you page.
async fn confirm(s: &TestServer, confirmation: &str, accept_language: &str) -> (String, String) {
    let url = link_ending(confirmation, "/confirm");
    let (status, form) = get_in(s, &url, accept_language).await;
    assert_eq!(status, 200);
    let r = s
        .http
        .post(&url)
        .header("accept-language", accept_language)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    (form, r.text().await.unwrap())
}

async fn set_in_progress(admin: &Office, reference: &str) {
    let (status, body) = admin
        .post(
            &format!("/office/api/reports/{reference}/status"),
            &json!({"status": "in_progress", "public_note": "Ein Elektriker ist beauftragt."}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
}

async fn an_english_report_gets_english_mails_and_pages(s: TestServer) {
    let (s, sink) = with_mail(s).await;
    let (reference, token) = report_with_mail(&s, "?lang=en").await;
    let mails = received(&sink, 1).await;
    let confirmation = &mails[0];
    assert!(
        confirmation.contains(&format!(
            "Subject: Please confirm: notifications about your report {reference}"
        )),
        "{confirmation}"
    );
    assert!(confirmation.contains("thank you for your report"));
    assert!(!confirmation.contains("Guten Tag"));

    // The pages behind the links speak English, even to a German browser.
    let (form, thanks) = confirm(&s, confirmation, "de-DE,de").await;
    assert!(form.contains("<html lang=en>"), "{form}");
    assert!(form.contains("Would you like an e-mail") && form.contains("Yes, notify me"));
    assert!(thanks.contains("E-mail address confirmed"), "{thanks}");

    let admin = s.login_admin().await;
    set_in_progress(&admin, &reference).await;
    let mails = received(&sink, 2).await;
    let update = mails
        .iter()
        .find(|m| m.contains("Elektriker"))
        .expect("the status mail");
    assert!(
        update.contains(&format!("Subject: Your report {reference}: in progress")),
        "{update}"
    );
    assert!(update.contains("Status and history:") && update.contains("No more e-mails"));
    let unsubscribe = link_ending(update, "/unsubscribe");
    let status_link = unsubscribe.trim_end_matches("/unsubscribe");
    assert!(update.contains(&format!("Status and history: {status_link}")));
    let (_, status_page) = get_in(&s, status_link, "de").await;
    assert!(status_page.contains("<h2>History</h2>"), "{status_page}");
    assert!(status_page.contains("No more e-mails about this report"));

    let (status, _, tracking) = s.get_text(&format!("/track/{token}")).await;
    assert_eq!(status, 200);
    assert!(tracking.contains("<html lang=en>"), "{tracking}");
    assert!(tracking.contains(&format!("Your report {reference}")));
    assert!(tracking.contains("<h2>History</h2>") && tracking.contains("in progress"));
    // The first note is public (on the map for everyone), so it stays in the town's language.
    assert!(tracking.contains("Vielen Dank! Ihre Meldung ist eingegangen."));
    assert!(!tracking.contains("Verlauf"));

    let r = s.http.post(&unsubscribe).send().await.unwrap();
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("You will get no more e-mails"));
}

async fn a_german_report_stays_german_in_an_english_browser(s: TestServer) {
    let (s, sink) = with_mail(s).await;
    let (reference, token) = report_with_mail(&s, "").await;
    let mails = received(&sink, 1).await;
    let confirmation = &mails[0];
    // The place (looked up from the demo's addresses) tells this report from others.
    let (_, report) = s
        .get_json(&format!("/api/v1/musterstadt/reports/{reference}"))
        .await;
    let place = report["address"].as_str().expect("an address looked up");
    assert!(
        confirmation.contains(&format!(
            "vielen Dank für Ihre Meldung {reference} bei {place} an Musterstadt."
        )),
        "{confirmation}"
    );
    assert!(confirmation.contains("Guten Tag") && !confirmation.contains("Hello"));
    let (form, thanks) = confirm(&s, confirmation, "en-GB,en").await;
    assert!(form.contains("<html lang=de>") && form.contains("Ja, benachrichtigen"));
    assert!(thanks.contains("E-Mail-Adresse bestätigt"), "{thanks}");

    let admin = s.login_admin().await;
    set_in_progress(&admin, &reference).await;
    let mails = received(&sink, 2).await;
    let update = mails.iter().find(|m| m.contains("Elektriker")).unwrap();
    assert!(update.contains(&format!("Ihre Meldung {reference}: in Bearbeitung")));
    assert!(update.contains("Stand und Verlauf:") && !update.contains("Status and history"));

    let (status, tracking) = get_in(&s, &s.at(&format!("/track/{token}")), "en-US,en").await;
    assert_eq!(status, 200);
    assert!(tracking.contains("<html lang=de>"));
    assert!(tracking.contains(&format!("Ihre Meldung {reference}")));
    assert!(tracking.contains("<h2>Verlauf</h2>") && tracking.contains("in Bearbeitung"));
    assert!(tracking.contains("Vielen Dank! Ihre Meldung ist eingegangen."));

    // Without a report to go by, a page speaks the browser's language.
    let (status, missing) = get_in(&s, &s.at("/track/not-a-real-token"), "en-US,en").await;
    assert_eq!(status, 404);
    assert!(missing.contains("Report not found"));
    let (status, _, missing) = s.get_text("/notify/not-a-real-token").await;
    assert_eq!(status, 404);
    assert!(missing.contains("Link ungültig"));
}

async fn aged_form_token(s: &TestServer) -> String {
    let key = s.db.server_secret("form-token-key").await.unwrap();
    civickit_server::abuse::form_token(&key, "mailbox", civickit_server::db::now() - 10)
}

/// Sends a mailbox message with an address; returns its reference.
async fn message_with_mail(s: &TestServer, query: &str, accept_language: Option<&str>) -> String {
    let body = json!({
        "kind": "hinweis",
        "subject": "Sitzbank am Dorfplatz",
        "message": "Eine Sitzbank im Schatten am Dorfplatz wäre schön.",
        "name": "Erika Muster",
        "email": "erika@example.org",
        "form_token": aged_form_token(s).await,
    });
    let path = format!("/api/v1/musterstadt/messages{query}");
    let body = common::pow::with_altcha(&s.http, &s.url, &path, &body).await;
    let mut req = s.http.post(s.at(&path)).json(&body);
    if let Some(l) = accept_language {
        req = req.header("accept-language", l);
    }
    let r = req.send().await.unwrap();
    assert_eq!(r.status(), 201);
    let created: Value = r.json().await.unwrap();
    created["ref"].as_str().unwrap().to_string()
}

async fn reply(admin: &Office, reference: &str) {
    let (status, body) = admin
        .post(
            &format!("/office/api/messages/{reference}/reply"),
            &json!({"text": "Die Bank kommt im Frühjahr."}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
}

async fn an_english_message_gets_an_english_receipt_and_reply(s: TestServer) {
    let (s, sink) = with_mail(s).await;
    let reference = message_with_mail(&s, "", Some("en-US,en;q=0.8")).await;
    let mails = received(&sink, 1).await;
    let receipt = &mails[0];
    assert!(
        receipt.contains(&format!(
            "Subject: Your message to Musterstadt: {reference}"
        )),
        "{receipt}"
    );
    assert!(receipt.contains("has been received under the number"));
    assert!(!receipt.contains("Guten Tag"));
    assert!(!receipt.contains("Sitzbank"), "never the citizen's text");
    let admin = s.login_admin().await;
    reply(&admin, &reference).await;
    let mails = received(&sink, 2).await;
    let answer = mails.iter().find(|m| m.contains("Frühjahr")).unwrap();
    assert!(answer.contains(&format!(
        "Subject: Reply to your message {reference}: Sitzbank am Dorfplatz"
    )));
    assert!(answer.contains("Musterstadt, citizen mailbox"));
}

async fn a_german_message_gets_a_german_receipt_and_reply(s: TestServer) {
    let (s, sink) = with_mail(s).await;
    let reference = message_with_mail(&s, "?lang=de", Some("en")).await;
    let mails = received(&sink, 1).await;
    assert!(mails[0].contains(&format!("Ihre Nachricht an Musterstadt: {reference}")));
    assert!(mails[0].contains("Guten Tag") && !mails[0].contains("Hello"));
    let admin = s.login_admin().await;
    reply(&admin, &reference).await;
    let mails = received(&sink, 2).await;
    let answer = mails.iter().find(|m| m.contains("Frühjahr")).unwrap();
    assert!(answer.contains(&format!("Antwort auf Ihre Nachricht {reference}")));
    assert!(answer.contains("Musterstadt, Bürgerbriefkasten"));
}

async fn forwarding_mails_the_department_a_deep_link_into_the_office(s: TestServer) {
    let (s, sink) = with_mail(s).await;
    let reference = message_with_mail(&s, "?lang=en", None).await;
    received(&sink, 1).await;
    let admin = s.login_admin().await;
    let bauhof = admin.me["departments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "Bauhof")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let (status, body) = admin
        .post(
            &format!("/office/api/messages/{reference}/forward"),
            &json!({"department_id": bauhof, "send_email": true}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let mails = received(&sink, 2).await;
    let forwarded = mails
        .iter()
        .find(|m| m.contains("To: bauhof@musterstadt.example"))
        .unwrap();
    assert!(
        forwarded.contains(&format!("{}/office/messages/{reference}\n", s.url))
            || forwarded.contains(&format!("{}/office/messages/{reference}\r\n", s.url)),
        "{forwarded}"
    );
    assert!(
        forwarded.contains("Weitergeleitet"),
        "officials read German, whatever the citizen wrote in"
    );
}

async fn open311_reports_are_german_unless_the_request_asks_otherwise(s: TestServer) {
    let form = |description: &'static str| {
        vec![
            ("api_key", s.api_key.clone()),
            ("service_code", "strassenschaeden".to_string()),
            ("lat", "50.5535".to_string()),
            ("long", "9.6785".to_string()),
            ("description", description.to_string()),
        ]
    };
    let post = |fields: Vec<(&'static str, String)>, accept_language: Option<&'static str>| {
        let mut req = s.http.post(s.at("/open311/v2/requests.json")).form(&fields);
        if let Some(l) = accept_language {
            req = req.header("accept-language", l);
        }
        async move {
            let r = req.send().await.unwrap();
            assert_eq!(r.status(), 200);
            let v: Value = r.json().await.unwrap();
            v[0]["service_request_id"].as_str().unwrap().to_string()
        }
    };
    let plain = post(form("Ein Schlagloch vor der Schule"), None).await;
    let english = post(form("A pothole by the school"), Some("en")).await;
    let mut with_param = form("Another pothole");
    with_param.push(("lang", "en".to_string()));
    let asked = post(with_param, None).await;
    let lang = |reference: String| {
        let db = s.db.clone();
        let tenant = s.tenant.id;
        async move {
            db.report_by_ref(tenant, &reference)
                .await
                .unwrap()
                .unwrap()
                .lang
        }
    };
    use civickit_model::Lang;
    assert_eq!(lang(plain).await, Lang::De);
    assert_eq!(lang(english).await, Lang::En);
    assert_eq!(lang(asked).await, Lang::En);
}
