//! Access and erasure for one citizen (DSGVO Art. 15 and 17) over real HTTP, on SQLite and
//! PostgreSQL: two citizens; the export lists exactly the items with the one's address (a
//! phone number found in another spelling), never the other's; editors and other towns get
//! nothing; after erasure a grep of every column of every table finds the address nowhere,
//! the other citizen's data is intact, and the audit log says how much, never whose.

mod common;

use civickit_model::api::office::{SubjectData, SubjectErased};
use common::{grep, Office, TestServer};
use serde_json::{json, Value};
use sqlx::Row;

backend_tests!(
    one_citizens_data_is_found_exported_and_erased,
    bad_addresses_get_a_422_and_nothing_is_asked,
);

const ANNA: &str = "anna.auskunft@example.org";
const ANNA_NAME: &str = "Anna Auskunft";
const ANNA_PHONES: [&str; 3] = ["0171 555 1234", "0171/5551234", "(0171) 555-1234"];
const BERT: &str = "bert.bleibt@example.org";
const BERT_PHONE: &str = "0160 777 8888";

async fn report(s: &TestServer, email: &str) -> (String, String) {
    let mut body = common::good_report();
    body["email"] = json!(email);
    let (status, created) = s.post_json("/api/v1/musterstadt/reports", &body).await;
    assert_eq!(status, 201, "{created}");
    (
        created["ref"].as_str().unwrap().to_string(),
        created["tracking_token"].as_str().unwrap().to_string(),
    )
}

async fn message(s: &TestServer, name: &str, email: Option<&str>, phone: &str) -> String {
    let key = s.db.server_secret("form-token-key").await.unwrap();
    let body = json!({
        "kind": "frage", "subject": "Sperrmüll", "message": "Wann ist die nächste Abholung?",
        "name": name, "email": email, "phone": phone,
        "form_token": civickit_server::abuse::form_token(&key, "mailbox", civickit_server::db::now() - 10),
    });
    let (status, sent) = s.post_json("/api/v1/musterstadt/messages", &body).await;
    assert_eq!(status, 201, "{sent}");
    sent["ref"].as_str().unwrap().to_string()
}

async fn lookup(office: &Office, query: Value) -> SubjectData {
    serde_json::from_value(office.post_ok("/office/api/privacy/subject", query).await).unwrap()
}

fn refs<T>(items: &[T], reference: impl Fn(&T) -> &str) -> Vec<String> {
    let mut list: Vec<String> = items.iter().map(|i| reference(i).to_string()).collect();
    list.sort();
    list
}

/// The outbox rows to `address` or naming it, read directly: what the export must list.
async fn mails_about(s: &TestServer, address: &str) -> usize {
    sqlx::query("SELECT recipient, subject, body FROM outbox WHERE tenant_id = $1")
        .bind(s.tenant.id)
        .fetch_all(&s.db.pool)
        .await
        .unwrap()
        .iter()
        .filter(|r| {
            ["recipient", "subject", "body"]
                .iter()
                .any(|c| r.get::<String, _>(*c).to_lowercase().contains(address))
        })
        .count()
}

async fn one_citizens_data_is_found_exported_and_erased(s: TestServer) {
    let admin = s.login_admin().await;
    // Anna: two reports (the second address typed in capitals), a message with e-mail and
    // phone that was forwarded by mail, answered and noted, and one with her phone only.
    let first = report(&s, ANNA).await;
    let second = report(&s, "Anna.Auskunft@Example.ORG").await;
    let with_mail = message(&s, ANNA_NAME, Some(ANNA), ANNA_PHONES[1]).await;
    let by_phone = message(&s, "Anna A.", None, ANNA_PHONES[2]).await;
    // Bert: one report, one message.
    let berts = report(&s, BERT).await;
    let berts_message = message(&s, "Bert Bleibt", Some(BERT), BERT_PHONE).await;

    let m = |r: &str, what: &str| format!("/office/api/messages/{r}/{what}");
    let (_, catalogue) = admin.get("/office/api/catalogue").await;
    let department = catalogue["departments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["email"].is_string())
        .unwrap()["id"]
        .clone();
    for reference in [&with_mail, &berts_message] {
        admin
            .post_ok(
                &m(reference, "forward"),
                json!({"department_id": department, "send_email": true}),
            )
            .await;
        admin
            .post_ok(&m(reference, "reply"), json!({"text": "Am Dienstag."}))
            .await;
    }
    admin
        .post_ok(
            &m(&with_mail, "notes"),
            json!({"text": "Frau Auskunft ruft morgen an"}),
        )
        .await;
    admin
        .post_ok(
            &format!("/office/api/reports/{}/notes", first.0),
            json!({"text": "Anruf von Frau Auskunft"}),
        )
        .await;

    // The export by e-mail: exactly Anna's items and every mail to or about her.
    let by_email = lookup(&admin, json!({"email": "  ANNA.auskunft@example.org "})).await;
    let mut anna_reports = vec![first.0.clone(), second.0.clone()];
    anna_reports.sort();
    assert_eq!(refs(&by_email.reports, |r| &r.reference), anna_reports);
    assert_eq!(
        refs(&by_email.messages, |m| &m.reference),
        std::slice::from_ref(&with_mail)
    );
    let kinds: Vec<&str> = by_email.messages[0]
        .events
        .iter()
        .map(|e| e.kind.as_str())
        .collect();
    assert_eq!(kinds, ["forward", "reply", "note"]);
    assert_eq!(by_email.mails.len(), mails_about(&s, ANNA).await);
    assert!(
        by_email.mails.len() >= 5,
        "two confirmations, receipt, forward, reply"
    );
    assert!(
        by_email.mails.iter().any(|m| m.recipient != ANNA),
        "the forward names her"
    );
    let text = serde_json::to_string(&by_email).unwrap().to_lowercase();
    assert!(!text.contains("bert") && !text.contains("8888"), "{text}");
    // By phone, in another spelling: both messages with her number, no report.
    let by_phone_answer = lookup(&admin, json!({"phone": "+49 171 5551234"})).await;
    let mut anna_messages = vec![with_mail.clone(), by_phone.clone()];
    anna_messages.sort();
    assert_eq!(
        refs(&by_phone_answer.messages, |m| &m.reference),
        anna_messages
    );
    assert!(by_phone_answer.reports.is_empty());
    assert_eq!(
        by_phone_answer
            .mails
            .iter()
            .filter(|m| m.subject.contains(&with_mail))
            .count(),
        1,
        "the forward names the number: {:?}",
        by_phone_answer.mails
    );

    // Only admins, only their own town.
    let editor = s.login_editor().await;
    for path in [
        "/office/api/privacy/subject",
        "/office/api/privacy/subject/erase",
    ] {
        assert_eq!(
            editor.post(path, &json!({"email": ANNA})).await.0,
            403,
            "{path}"
        );
    }
    let (_, neighbour) = s.neighbour_admin().await;
    assert!(lookup(&neighbour, json!({"email": ANNA})).await.is_empty());
    let (status, nothing) = neighbour
        .post("/office/api/privacy/subject/erase", &json!({"email": ANNA}))
        .await;
    assert_eq!(
        (status, nothing),
        (200, json!({"reports": 0, "messages": 0, "mails": 0}))
    );
    assert_eq!(
        lookup(&admin, json!({"email": ANNA})).await,
        by_email,
        "nothing erased"
    );

    // Erasure: by e-mail, then the rest by phone.
    assert!(
        grep::grep(&s.db, ANNA).await.len() >= 8,
        "the grep sees her before"
    );
    let erased: SubjectErased = serde_json::from_value(
        admin
            .post_ok("/office/api/privacy/subject/erase", json!({"email": ANNA}))
            .await,
    )
    .unwrap();
    assert_eq!((erased.reports, erased.messages), (2, 1));
    assert!(erased.mails >= by_email.mails.len() as i64, "{erased:?}");
    let erased: SubjectErased = serde_json::from_value(
        admin
            .post_ok(
                "/office/api/privacy/subject/erase",
                json!({"phone": ANNA_PHONES[0]}),
            )
            .await,
    )
    .unwrap();
    assert_eq!((erased.reports, erased.messages), (0, 1));
    assert!(lookup(&admin, json!({"email": ANNA})).await.is_empty());
    assert!(lookup(&admin, json!({"phone": ANNA_PHONES[2]}))
        .await
        .is_empty());

    // Nowhere in the database, in any spelling, nor what was written about her.
    let mut needles = vec![ANNA, ANNA_NAME, "5551234", "Auskunft"];
    needles.extend(ANNA_PHONES);
    for needle in needles {
        assert_eq!(
            grep::grep(&s.db, needle).await,
            Vec::<String>::new(),
            "{needle}"
        );
    }
    // Her reports keep their public content; their links are gone.
    let (_, detail) = admin.get(&format!("/office/api/reports/{}", first.0)).await;
    assert_eq!(detail["description"], common::good_report()["description"]);
    assert_eq!(s.get_text(&format!("/track/{}", first.1)).await.0, 410);
    // The messages keep kind, dates and state.
    let (_, msg) = admin
        .get(&format!("/office/api/messages/{with_mail}"))
        .await;
    assert_eq!(
        (msg["kind"].as_str(), msg["status"].as_str()),
        (Some("frage"), Some("answered"))
    );
    // Bert's data is all there.
    let berts_data = lookup(&admin, json!({"email": BERT})).await;
    assert_eq!(
        refs(&berts_data.reports, |r| &r.reference),
        std::slice::from_ref(&berts.0)
    );
    assert_eq!(berts_data.messages[0].phone.as_deref(), Some(BERT_PHONE));
    assert_eq!(berts_data.messages[0].events.len(), 2);
    assert_eq!(berts_data.mails.len(), mails_about(&s, BERT).await);
    assert_eq!(s.get_text(&format!("/track/{}", berts.1)).await.0, 200);

    // The audit log says what was asked and erased, in numbers, never whose.
    let (_, audit) = admin.get("/office/api/audit").await;
    let entries: Vec<&Value> = audit["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"].as_str().unwrap().starts_with("privacy."))
        .collect();
    let actions: Vec<(&str, &str)> = entries
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap(),
                e["subject"].as_str().unwrap(),
            )
        })
        .collect();
    assert!(
        actions.contains(&("privacy.erase", "email"))
            && actions.contains(&("privacy.erase", "phone"))
    );
    assert!(actions.contains(&("privacy.access", "phone")));
    for e in entries {
        assert!(
            e["after"].as_object().unwrap().values().all(Value::is_u64),
            "{e}"
        );
    }
}

async fn bad_addresses_get_a_422_and_nothing_is_asked(s: TestServer) {
    let admin = s.login_admin().await;
    let audit_before = common::audit_actions(&admin).await;
    for (body, field) in [
        (json!({}), "email"),
        (json!({"email": "  "}), "email"),
        (json!({"email": "kein-at-zeichen"}), "email"),
        (json!({"phone": "0171"}), "phone"),
        (json!({"phone": "0171 12x4567"}), "phone"),
        (json!({"email": ANNA, "phone": "0171 5551234"}), "phone"),
    ] {
        for path in [
            "/office/api/privacy/subject",
            "/office/api/privacy/subject/erase",
        ] {
            let (status, err) = admin.post(path, &body).await;
            assert_eq!(status, 422, "{path} {body}: {err}");
            assert_eq!(err["fields"][0]["field"], field, "{body}");
        }
    }
    let (status, _) = admin
        .post("/office/api/privacy/subject", &json!({"mail": ANNA}))
        .await;
    assert_eq!(status, 400, "an unknown field");
    assert_eq!(common::audit_actions(&admin).await, audit_before);
}
