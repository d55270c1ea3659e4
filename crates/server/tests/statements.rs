//! A town's generated privacy notice and accessibility statement: the public pages name the
//! town's periods and fields in German and English, an admin's text replaces the generated
//! one and is shown escaped, a reset brings the generated one back, bad input is a 422 that
//! changes nothing, and the widgets link the notice where the town has none of its own.
//! SQLite and PostgreSQL.

mod common;

use civickit_model::api::office::{StatementKind, Statements};
use civickit_model::privacy::{PersonalData, Retention};
use civickit_model::Lang;
use civickit_server::db::audit::Actor;
use common::{audit_actions, Office, TestServer};
use serde_json::{json, Value};

backend_tests!(
    the_pages_name_the_towns_periods_and_fields_in_both_languages,
    an_admins_text_replaces_the_generated_one_escaped_until_reset,
    bad_input_is_refused_per_field_and_changes_nothing,
    widgets_link_the_generated_notice_where_the_town_has_none,
);

const PLACEHOLDER: &str = "<mark>[von der Gemeinde zu ergänzen]</mark>";

/// As the page escapes text.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('\'', "&apos;")
        .replace('"', "&quot;")
}

async fn page(s: &TestServer, path: &str) -> String {
    let (status, content_type, html) = s.get_text(path).await;
    assert_eq!(status, 200, "{path}: {html}");
    assert_eq!(content_type, "text/html; charset=utf-8");
    assert_eq!(html.matches("<h1>").count(), 1, "{path}: one h1");
    assert!(!html.contains("<script"), "{path}: no script");
    html
}

fn fields(change: Value) -> Value {
    let mut all = json!({
        "controller": "", "dpo": "", "legal_basis": "", "supervisory_authority": "",
        "conformance": "partial", "reviewed_on": "", "feedback_email": "", "feedback_phone": "",
        "enforcement_url": ""
    });
    for (k, v) in change.as_object().unwrap() {
        all[k] = v.clone();
    }
    json!({ "fields": all })
}

async fn statements(admin: &Office) -> Statements {
    let (status, body) = admin.get("/office/api/privacy/statements").await;
    assert_eq!(status, 200, "{body}");
    serde_json::from_value(body).unwrap()
}

async fn the_pages_name_the_towns_periods_and_fields_in_both_languages(s: TestServer) {
    let de = page(&s, "/t/musterstadt/datenschutz").await;
    assert!(de.starts_with("<!doctype html><html lang=de>"));
    assert!(de.contains("<h1>Datenschutzhinweise zu den Beteiligungswidgets</h1>"));
    assert!(
        de.contains("<title>Datenschutzhinweise zu den Beteiligungswidgets – Musterstadt</title>")
    );
    assert!(de.contains("<h2>Speicherdauer</h2>") && de.contains("<h2>Ihre Rechte</h2>"));
    for kind in PersonalData::ALL {
        let label = esc(kind.label(Lang::De));
        assert_eq!(
            de.contains(&label),
            kind != PersonalData::OfficialAccounts,
            "{kind:?}: the citizens' kinds, not the officials'"
        );
    }
    assert!(de.contains("Versandte E-Mails: 30 Tage nach dem Versand"));
    assert!(de.contains("keine Cookies") && de.contains("Proof of Work"));
    assert!(de.contains("Art. 15 DSGVO") && de.contains("Art. 77 DSGVO"));
    // Controller, officer and legal basis are the town's to fill in, and say so.
    assert_eq!(de.matches(PLACEHOLDER).count(), 3, "{de}");
    assert!(de.contains(
        "<a href=\"/t/musterstadt/barrierefreiheit\">Erklärung zur Barrierefreiheit</a>"
    ));
    assert!(de.contains(
        "<a href=\"/t/musterstadt/datenschutz?lang=en\" lang=en hreflang=en>English</a>"
    ));

    let en = page(&s, "/t/musterstadt/datenschutz?lang=en").await;
    assert!(en.starts_with("<!doctype html><html lang=en>"));
    assert!(en.contains("<h1>Privacy notice for the participation widgets</h1>"));
    assert!(en.contains("Sent e-mails: 30 days after sending"));
    assert!(en.contains(&esc(PersonalData::ReportContact.label(Lang::En))));
    assert_eq!(
        en.matches("<mark>[to be completed by the town]</mark>")
            .count(),
        3
    );

    let a11y = page(&s, "/t/musterstadt/barrierefreiheit").await;
    assert!(a11y.contains("<h1>Erklärung zur Barrierefreiheit</h1>"));
    assert!(
        a11y.contains("BITV 2.0 teilweise vereinbar"),
        "partial by default"
    );
    assert!(
        a11y.contains("<h2>Nicht barrierefreie Inhalte</h2>")
            && a11y.contains("Als Liste anzeigen")
    );
    assert!(a11y.contains("Schlichtungsstelle nach § 16 BGG"));
    // Date, feedback contact and enforcement link.
    assert_eq!(a11y.matches(PLACEHOLDER).count(), 3, "{a11y}");
    assert!(a11y.contains(
        "<a href=\"/t/musterstadt/datenschutz\">Datenschutzhinweise zu den Beteiligungswidgets</a>"
    ));
    let a11y_en = page(&s, "/t/musterstadt/barrierefreiheit?lang=en").await;
    assert!(
        a11y_en.contains("<h1>Accessibility statement</h1>")
            && a11y_en.contains("partially compliant")
    );

    // The periods are the town's: a shorter outbox period shows at once, in both languages.
    let retention = Retention {
        outbox_days: 14,
        ..s.db.retention(s.tenant.id).await.unwrap()
    };
    s.db.set_retention(s.tenant.id, &retention, &Actor::cli())
        .await
        .unwrap();
    let de = page(&s, "/t/musterstadt/datenschutz").await;
    assert!(de.contains("Versandte E-Mails: 14 Tage nach dem Versand"));
    assert!(!de.contains("30 Tage nach dem Versand"));
    let en = page(&s, "/t/musterstadt/datenschutz?lang=en").await;
    assert!(en.contains("Sent e-mails: 14 days after sending"));

    // The town's fields take the placeholders' places.
    let admin = s.login_admin().await;
    let (status, body) = admin
        .post(
            "/office/api/privacy/statements",
            &fields(json!({
                "controller": "Gemeinde Musterstadt\nMarktplatz 1\n36037 Musterstadt",
                "dpo": "Datenschutz Müller & Partner",
                "legal_basis": "Art. 6 Abs. 1 lit. e DSGVO",
                "supervisory_authority": "Der Hessische Beauftragte für Datenschutz",
                "conformance": "not_compliant",
                "reviewed_on": "2026-12-01",
                "feedback_email": "barrierefrei@musterstadt.example",
                "feedback_phone": "0661 12345",
                "enforcement_url": "https://www.schlichtungsstelle-bgg.de/"
            })),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let stored: Statements = serde_json::from_value(body).unwrap();
    assert_eq!(stored.fields.reviewed_on, "2026-12-01");
    assert_eq!(stored.texts.len(), 4);
    assert!(stored.texts.iter().all(|t| !t.edited));
    let de = page(&s, "/t/musterstadt/datenschutz").await;
    assert!(!de.contains(PLACEHOLDER), "{de}");
    assert!(de.contains("<p>Gemeinde Musterstadt<br>Marktplatz 1<br>36037 Musterstadt</p>"));
    assert!(de.contains("Datenschutz Müller &amp; Partner"));
    assert!(de.contains("Art. 6 Abs. 1 lit. e DSGVO"));
    assert!(de.contains("Der Hessische Beauftragte für Datenschutz"));
    let a11y = page(&s, "/t/musterstadt/barrierefreiheit").await;
    assert!(!a11y.contains(PLACEHOLDER), "{a11y}");
    assert!(a11y.contains("BITV 2.0 nicht vereinbar"));
    assert!(a11y.contains("am 01.12.2026 erstellt"));
    assert!(a11y.contains(
        "<a href=\"mailto:barrierefrei@musterstadt.example\">barrierefrei@musterstadt.example</a>"
    ));
    assert!(a11y.contains("Telefon: 0661 12345"));
    assert!(a11y.contains("<a href=\"https://www.schlichtungsstelle-bgg.de/\">"));
    assert!(audit_actions(&admin)
        .await
        .contains(&"statements.fields".to_string()));
}

async fn an_admins_text_replaces_the_generated_one_escaped_until_reset(s: TestServer) {
    let admin = s.login_admin().await;
    let generated = page(&s, "/t/musterstadt/datenschutz").await;
    let text = "## Unsere Widgets\n\nWir speichern wenig. <script>alert('x')</script>\n\n- <b>eins</b>\n- zwei";
    let (status, body) = admin
        .post(
            "/office/api/privacy/statements",
            &json!({"texts": [{"statement": "privacy", "lang": "de", "text": text}]}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let now: Statements = serde_json::from_value(body).unwrap();
    let edited: Vec<_> = now.texts.iter().filter(|t| t.edited).collect();
    assert_eq!(edited.len(), 1);
    assert_eq!(
        (edited[0].statement, edited[0].lang, edited[0].text.as_str()),
        (StatementKind::Privacy, Lang::De, text)
    );
    assert!(edited[0].url.ends_with("/t/musterstadt/datenschutz"));

    let de = page(&s, "/t/musterstadt/datenschutz").await;
    assert!(de.contains(
        "<h1>Datenschutzhinweise zu den Beteiligungswidgets</h1><h2>Unsere Widgets</h2>"
    ));
    assert!(de.contains(
        "<p>Wir speichern wenig. &lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt;</p><ul><li>&lt;b&gt;eins&lt;/b&gt;</li><li>zwei</li></ul>"
    ));
    assert!(
        !de.contains("Speicherdauer"),
        "the generated text is replaced"
    );
    // The edit is German only; it no longer follows the periods, the English page does.
    let en = page(&s, "/t/musterstadt/datenschutz?lang=en").await;
    assert!(en.contains("<h2>How long data are kept</h2>"));

    // Reset: the generated text is back, and the edit was audited without its text.
    let (status, body) = admin
        .post(
            "/office/api/privacy/statements",
            &json!({"texts": [{"statement": "privacy", "lang": "de", "text": null}]}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let now: Statements = serde_json::from_value(body).unwrap();
    assert!(now.texts.iter().all(|t| !t.edited));
    assert_eq!(page(&s, "/t/musterstadt/datenschutz").await, generated);
    let actions = audit_actions(&admin).await;
    assert_eq!(actions[..2], ["statements.reset", "statements.text"]);
    let (_, audit) = admin.get("/office/api/audit").await;
    assert_eq!(audit["entries"][1]["subject"], "privacy/de");
    assert_eq!(
        audit["entries"][1]["after"],
        json!({"edited": true, "chars": text.chars().count()})
    );

    // The generated text sent back unchanged (as the editor shows it) is no edit: it keeps
    // following the settings.
    let a11y_en = now
        .texts
        .iter()
        .find(|t| t.statement == StatementKind::Accessibility && t.lang == Lang::En)
        .unwrap()
        .text
        .replace('\n', "\r\n");
    let (status, body) = admin
        .post(
            "/office/api/privacy/statements",
            &json!({"texts": [{"statement": "accessibility", "lang": "en", "text": a11y_en}]}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let now: Statements = serde_json::from_value(body).unwrap();
    assert!(now.texts.iter().all(|t| !t.edited));
    assert_eq!(
        audit_actions(&admin).await.len(),
        actions.len(),
        "nothing changed"
    );
}

async fn bad_input_is_refused_per_field_and_changes_nothing(s: TestServer) {
    let admin = s.login_admin().await;
    let before = statements(&admin).await;
    let audit_before = audit_actions(&admin).await;
    for (change, field) in [
        (
            fields(json!({"enforcement_url": "javascript:alert(1)"})),
            "enforcement_url",
        ),
        (
            fields(json!({"enforcement_url": "/t/musterstadt"})),
            "enforcement_url",
        ),
        (
            fields(json!({"feedback_email": "barrierefrei(at)musterstadt"})),
            "feedback_email",
        ),
        (fields(json!({"reviewed_on": "31.12.2026"})), "reviewed_on"),
        (
            fields(json!({"controller": "x".repeat(1001)})),
            "controller",
        ),
        (
            json!({"texts": [{"statement": "accessibility", "lang": "en", "text": "  \n "}]}),
            "texts.accessibility.en",
        ),
        (
            json!({"texts": [{"statement": "privacy", "lang": "de", "text": "x".repeat(20_001)}]}),
            "texts.privacy.de",
        ),
    ] {
        let (status, body) = admin.post("/office/api/privacy/statements", &change).await;
        assert_eq!(status, 422, "{field}: {body}");
        assert_eq!(body["error"], "validation");
        let named: Vec<_> = body["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["field"].as_str().unwrap())
            .collect();
        assert_eq!(named, [field], "{body}");
    }
    // A good field beside a bad one is not stored either.
    let mut both = fields(json!({"controller": "Gemeinde", "enforcement_url": "ftp://x"}));
    both["texts"] = json!([{"statement": "privacy", "lang": "de", "text": "Eigener Text"}]);
    let (status, _) = admin.post("/office/api/privacy/statements", &both).await;
    assert_eq!(status, 422);
    assert_eq!(statements(&admin).await, before);
    assert_eq!(audit_actions(&admin).await, audit_before);
    // Unknown statement kinds and fields are a 400.
    let (status, _) = admin
        .post(
            "/office/api/privacy/statements",
            &json!({"texts": [{"statement": "imprint", "lang": "de", "text": "x"}]}),
        )
        .await;
    assert_eq!(status, 400);

    let (status, content_type, html) = s.get_text("/t/gibtsnicht/datenschutz").await;
    assert_eq!(status, 404);
    assert_eq!(content_type, "text/html; charset=utf-8");
    assert!(html.contains("<html lang=de>") && html.contains("<h1>Seite nicht gefunden</h1>"));
    let (status, _, html) = s.get_text("/t/gibtsnicht/barrierefreiheit?lang=en").await;
    assert_eq!(status, 404);
    assert!(html.contains("<h1>Page not found</h1>"));
}

async fn widgets_link_the_generated_notice_where_the_town_has_none(s: TestServer) {
    let (_, config) = s.get_json("/api/v1/musterstadt/config").await;
    assert_eq!(
        config["privacy_url"],
        s.at("/demo/datenschutz.html"),
        "the town's own notice first"
    );
    let de = page(&s, "/t/musterstadt/datenschutz").await;
    assert!(de.contains("<a href=\"/demo/datenschutz.html\">Datenschutzerklärung der Gemeinde</a>"));
    let admin = s.login_admin().await;
    let (status, body) = admin
        .post("/office/api/town", &json!({"privacy_url": ""}))
        .await;
    assert_eq!(status, 200, "{body}");
    for (path, link) in [
        ("/api/v1/musterstadt/config", "/t/musterstadt/datenschutz"),
        (
            "/api/v1/musterstadt/config?lang=en",
            "/t/musterstadt/datenschutz?lang=en",
        ),
        ("/api/v1/musterstadt/mailbox", "/t/musterstadt/datenschutz"),
        (
            "/api/v1/musterstadt/mailbox?lang=en",
            "/t/musterstadt/datenschutz?lang=en",
        ),
    ] {
        let (status, config) = s.get_json(path).await;
        assert_eq!(status, 200);
        assert_eq!(config["privacy_url"], s.at(link), "{path}");
        page(&s, link).await;
    }
    // Without a town notice of its own the page links none besides the accessibility one.
    let de = page(&s, "/t/musterstadt/datenschutz").await;
    assert!(!de.contains(">Datenschutzerklärung der Gemeinde</a>"));
}
