//! The citizen mailbox over real HTTP on SQLite and PostgreSQL: the form's defences, receipts
//! that never echo the text, the office's inbox (forward, reply, close), and retention.

mod common;

use civickit_model::privacy::PersonalData;
use common::{SmtpSink, TestServer};
use serde_json::{json, Value};

backend_tests!(
    form_config_lists_the_kinds_and_signs_a_token,
    every_kind_can_be_sent_anonymously,
    spam_defences_refuse_and_store_nothing,
    malformed_message_bodies_get_the_documented_400_and_store_nothing,
    towns_can_require_contact_data,
    receipt_mail_has_the_reference_but_never_the_text,
    office_forwards_replies_and_closes_with_mail_and_audit,
    retention_erases_personal_data_but_keeps_statistics,
    another_towns_officials_see_no_messages,
);

/// A form token issued `age` seconds ago, as the widget would hold it by the time it submits.
async fn aged_token(s: &TestServer, age: i64) -> String {
    let key = s.db.server_secret("form-token-key").await.unwrap();
    civickit_server::abuse::form_token(&key, "mailbox", civickit_server::db::now() - age)
}

async fn message(s: &TestServer, kind: &str) -> Value {
    json!({
        "kind": kind,
        "subject": "Sitzbank am Dorfplatz",
        "message": "Eine Sitzbank im Schatten am Dorfplatz wäre schön.",
        "form_token": aged_token(s, 10).await,
    })
}

async fn message_count(s: &TestServer) -> i64 {
    use sqlx::Row;
    sqlx::query("SELECT COUNT(*) AS n FROM messages")
        .fetch_one(&s.db.pool)
        .await
        .unwrap()
        .get("n")
}

async fn form_config_lists_the_kinds_and_signs_a_token(s: TestServer) {
    let (status, c) = s.get_json("/api/v1/musterstadt/mailbox").await;
    assert_eq!(status, 200);
    let kinds: Vec<&str> = c["kinds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["name"].as_str().unwrap())
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
    assert_eq!(c["anonymous_allowed"], true);
    assert!(c["form_token"].as_str().unwrap().contains('.'));
    assert!(c["privacy_url"].as_str().unwrap().starts_with("http"));
    let (_, en) = s.get_json("/api/v1/musterstadt/mailbox?lang=en").await;
    assert_eq!(en["kinds"][5]["name"], "Praise");
    // A token straight from the config is too fresh to send with: bots are that fast.
    let mut body = message(&s, "lob").await;
    body["form_token"] = c["form_token"].clone();
    let (status, err) = s.post_json("/api/v1/musterstadt/messages", &body).await;
    assert_eq!(status, 429, "{err}");
    assert!(err["message"].as_str().unwrap().contains("zu schnell"));
}

async fn every_kind_can_be_sent_anonymously(s: TestServer) {
    let year = time::OffsetDateTime::now_utc().year();
    for (i, kind) in ["anregung", "frage", "hinweis", "beschwerde", "idee"]
        .iter()
        .enumerate()
    {
        let (status, r) = s
            .post_json("/api/v1/musterstadt/messages", &message(&s, kind).await)
            .await;
        assert_eq!(status, 201, "{kind}: {r}");
        assert_eq!(r["ref"], format!("B-{year}-{:05}", i + 1));
        assert_eq!(r["can_be_answered"], false);
    }
    assert_eq!(message_count(&s).await, 5);
}

async fn spam_defences_refuse_and_store_nothing(s: TestServer) {
    let mut bot = message(&s, "lob").await;
    bot["website"] = json!("http://cheap-pills.example");
    let (status, err) = s.post_json("/api/v1/musterstadt/messages", &bot).await;
    assert_eq!(
        (status, err["fields"][0]["field"].as_str()),
        (422, Some("website"))
    );
    let mut forged = message(&s, "lob").await;
    forged["form_token"] = json!("1700000000.deadbeef");
    let (status, err) = s.post_json("/api/v1/musterstadt/messages", &forged).await;
    assert_eq!(status, 400);
    assert!(err["message"]
        .as_str()
        .unwrap()
        .contains("Text bleibt erhalten"));
    let mut missing = message(&s, "lob").await;
    missing.as_object_mut().unwrap().remove("form_token");
    assert_eq!(
        s.post_json("/api/v1/musterstadt/messages", &missing)
            .await
            .0,
        400
    );
    // Field errors, all at once.
    let bad = json!({"kind": "werbung", "subject": "", "message": "kurz", "email": "x@", "form_token": aged_token(&s, 10).await});
    let (status, err) = s.post_json("/api/v1/musterstadt/messages", &bad).await;
    assert_eq!(status, 422);
    let fields: Vec<&str> = err["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["kind", "subject", "message", "email"]);
    assert_eq!(message_count(&s).await, 0);
    // Five messages per address in ten minutes; the sixth is refused with an explanation.
    for _ in 0..5 {
        assert_eq!(
            s.post_json("/api/v1/musterstadt/messages", &message(&s, "idee").await)
                .await
                .0,
            201
        );
    }
    let (status, err) = s
        .post_json("/api/v1/musterstadt/messages", &message(&s, "idee").await)
        .await;
    assert_eq!(status, 429);
    assert!(err["message"]
        .as_str()
        .unwrap()
        .contains("Ihr Text bleibt im Formular"));
    assert_eq!(message_count(&s).await, 5);
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

async fn malformed_message_bodies_get_the_documented_400_and_store_nothing(s: TestServer) {
    let before = message_count(&s).await;
    let path = "/api/v1/musterstadt/messages";
    let r = s
        .http
        .post(s.at(path))
        .header("content-type", "application/json")
        .body("kind=lob&subject=Danke")
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    assert_bad_request(status, &r.json().await.unwrap(), "JSON");
    let mut wrong_type = message(&s, "lob").await;
    wrong_type["subject"] = json!(["Danke", "für die Bank"]);
    let (status, err) = s.post_json(path, &wrong_type).await;
    assert_bad_request(status, &err, "subject");
    let mut missing = message(&s, "lob").await;
    missing.as_object_mut().unwrap().remove("message");
    let (status, err) = s.post_json(path, &missing).await;
    assert_eq!(
        status, 422,
        "a left-out text is a field error like an empty one: {err}"
    );
    assert_eq!(err["fields"][0]["field"], "message", "{err}");
    assert_eq!(err["fields"][0]["code"], "required", "{err}");
    assert_eq!(message_count(&s).await, before, "nothing stored");
}

async fn towns_can_require_contact_data(s: TestServer) {
    s.db.set_mailbox_settings(s.tenant.id, Some(false), None, None)
        .await
        .unwrap();
    let (_, c) = s.get_json("/api/v1/musterstadt/mailbox").await;
    assert_eq!(c["anonymous_allowed"], false);
    let (status, err) = s
        .post_json("/api/v1/musterstadt/messages", &message(&s, "frage").await)
        .await;
    assert_eq!(status, 422);
    let codes: Vec<(&str, &str)> = err["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["field"].as_str().unwrap(), f["code"].as_str().unwrap()))
        .collect();
    assert_eq!(codes, [("name", "required"), ("email", "contact_required")]);
    let mut with_phone = message(&s, "frage").await;
    with_phone["name"] = json!("Erika Muster");
    with_phone["phone"] = json!("06621 12345");
    let (status, r) = s
        .post_json("/api/v1/musterstadt/messages", &with_phone)
        .await;
    assert_eq!(status, 201);
    assert_eq!(r["can_be_answered"], true);
}

async fn receipt_mail_has_the_reference_but_never_the_text(s: TestServer) {
    let sink = SmtpSink::start();
    let s = TestServer::start_with_smtp(s.backend, Some(&sink.url))
        .await
        .unwrap();
    let mut body = message(&s, "beschwerde").await;
    body["message"] =
        json!("BUY CHEAP PILLS http://spam.example — dieser Text darf nie in einer Mail stehen");
    body["email"] = json!("opfer@example.org");
    let (status, r) = s.post_json("/api/v1/musterstadt/messages", &body).await;
    assert_eq!(status, 201);
    assert_eq!(r["receipt_mailed"], true);
    let mails = sink.wait_for(1).await;
    let receipt = &mails[0];
    assert!(receipt.contains("To: opfer@example.org"));
    assert!(receipt.contains(r["ref"].as_str().unwrap()));
    assert!(!receipt.contains("PILLS") && !receipt.contains("spam.example"));
    assert!(!receipt.contains("Sitzbank"), "not even the subject");
}

async fn office_forwards_replies_and_closes_with_mail_and_audit(s: TestServer) {
    let sink = SmtpSink::start();
    let s = TestServer::start_with_smtp(s.backend, Some(&sink.url))
        .await
        .unwrap();
    let mut body = message(&s, "hinweis").await;
    body["name"] = json!("Erika Muster");
    body["email"] = json!("erika@example.org");
    let (_, r) = s.post_json("/api/v1/musterstadt/messages", &body).await;
    let reference = r["ref"].as_str().unwrap().to_string();
    sink.wait_for(1).await;
    let admin = s.login_admin().await;
    let editor = s.login_editor().await;
    let (_, inbox) = admin.get("/office/api/messages").await;
    assert_eq!(inbox["messages"][0]["ref"], reference);
    assert_eq!(inbox["messages"][0]["status"], "received");
    // Not yet forwarded: the Bauhof editor does not see it.
    assert_eq!(
        editor.get("/office/api/messages").await.1["messages"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    assert_eq!(
        editor
            .get(&format!("/office/api/messages/{reference}"))
            .await
            .0,
        404
    );
    let bauhof = admin.me["departments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "Bauhof")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let (status, detail) = admin
        .post(
            &format!("/office/api/messages/{reference}/forward"),
            &json!({"department_id": bauhof, "send_email": true}),
        )
        .await;
    assert_eq!(status, 200, "{detail}");
    assert_eq!(detail["status"], "forwarded");
    let mails = sink.wait_for(2).await;
    let forwarded = mails
        .iter()
        .find(|m| m.contains("To: bauhof@musterstadt.example"))
        .expect("mail to the Bauhof");
    assert!(
        forwarded.contains("Sitzbank im Schatten"),
        "the department gets the text"
    );
    assert!(
        forwarded.contains("erika@example.org"),
        "and the contact data to answer"
    );
    // Now the editor sees it and answers.
    let (status, detail) = editor
        .get(&format!("/office/api/messages/{reference}"))
        .await;
    assert_eq!(status, 200);
    assert_eq!(detail["email"], "erika@example.org");
    let (status, detail) = editor
        .post(
            &format!("/office/api/messages/{reference}/reply"),
            &json!({"text": "Danke! Die Bank wird im Frühjahr aufgestellt."}),
        )
        .await;
    assert_eq!(status, 200, "{detail}");
    assert_eq!(detail["status"], "answered");
    let mails = sink.wait_for(3).await;
    let answer = mails
        .iter()
        .find(|m| m.contains("To: erika@example.org") && m.contains("Antwort"))
        .expect("the reply mail");
    assert!(answer.contains("im Frühjahr aufgestellt"));
    let (status, _) = editor
        .post(
            &format!("/office/api/messages/{reference}/notes"),
            &json!({"text": "Bank bestellt"}),
        )
        .await;
    assert_eq!(status, 200);
    let (status, detail) = editor
        .post(
            &format!("/office/api/messages/{reference}/status"),
            &json!({"status": "closed"}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(detail["status"], "closed");
    let kinds: Vec<&str> = detail["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["forward", "reply", "note", "status"]);
    let actions = common::audit_actions(&admin).await;
    for a in [
        "message.forward",
        "message.reply",
        "message.note",
        "message.status",
    ] {
        assert!(actions.iter().any(|x| x == a), "{a} in {actions:?}");
    }
    // Editors have no statistics or settings.
    assert_eq!(editor.get("/office/api/messages/statistics").await.0, 403);
    assert_eq!(editor.get("/office/api/mailbox-settings").await.0, 403);
}

async fn retention_erases_personal_data_but_keeps_statistics(s: TestServer) {
    let mut body = message(&s, "lob").await;
    body["name"] = json!("Max Muster");
    body["email"] = json!("max@example.org");
    body["phone"] = json!("0123 456789");
    let (_, closed) = s.post_json("/api/v1/musterstadt/messages", &body).await;
    let (_, open) = s.post_json("/api/v1/musterstadt/messages", &body).await;
    let admin = s.login_admin().await;
    let closed_ref = closed["ref"].as_str().unwrap();
    admin
        .post(
            &format!("/office/api/messages/{closed_ref}/reply"),
            &json!({"text": "Danke, Herr Muster!"}),
        )
        .await;
    admin
        .post(
            &format!("/office/api/messages/{closed_ref}/status"),
            &json!({"status": "closed"}),
        )
        .await;
    let (status, _) = admin
        .post(
            "/office/api/mailbox-settings",
            &json!({"retention_days": 30}),
        )
        .await;
    assert_eq!(status, 200);
    // A report with an e-mail address, resolved.
    let mut report = common::good_report();
    report["email"] = json!("melder@example.org");
    let (_, rep) = s.post_json("/api/v1/musterstadt/reports", &report).await;
    let rep_ref = rep["ref"].as_str().unwrap();
    s.db.change_status(
        s.tenant.id,
        rep_ref,
        civickit_model::Status::Resolved,
        None,
        "Erledigt.",
    )
    .await
    .unwrap();

    // Nothing is due yet.
    let now = civickit_server::db::now();
    let counts = |run: &civickit_server::db::retention::RetentionRun| {
        (
            run.count(PersonalData::MessageContact),
            run.count(PersonalData::ReportContact),
        )
    };
    let run = s.db.run_retention(now).await.unwrap();
    assert_eq!(counts(&run), (0, 0));
    // 31 days later.
    let run = s.db.run_retention(now + 31 * 86_400).await.unwrap();
    assert_eq!(counts(&run), (1, 1));
    let erased =
        s.db.message(s.tenant.id, closed_ref)
            .await
            .unwrap()
            .unwrap();
    assert_eq!(
        (erased.name, erased.email, erased.phone),
        (None, None, None)
    );
    assert!(
        erased.body.is_some(),
        "the town keeps texts unless it chose otherwise"
    );
    let events = s.db.message_events(s.tenant.id, erased.id).await.unwrap();
    assert!(
        events
            .iter()
            .all(|e| !e.text.as_deref().unwrap_or("").contains("Muster")),
        "replies named the citizen"
    );
    let kept =
        s.db.message(s.tenant.id, open["ref"].as_str().unwrap())
            .await
            .unwrap()
            .unwrap();
    assert_eq!(
        kept.email.as_deref(),
        Some("max@example.org"),
        "open messages keep their data"
    );
    let report =
        s.db.report_by_ref(s.tenant.id, rep_ref)
            .await
            .unwrap()
            .unwrap();
    assert_eq!(report.email, None);
    // A run a month ahead also ended today's sessions (they would have expired by then).
    let admin = s.login_admin().await;
    // The statistics survive.
    let (_, stats) = admin.get("/office/api/messages/statistics").await;
    assert_eq!(stats["counts"][0]["kind"], "lob");
    assert_eq!(stats["counts"][0]["count"], 2);
    // With text erasure on, subject and text go too.
    admin
        .post("/office/api/mailbox-settings", &json!({"erase_text": true}))
        .await;
    let open_ref = open["ref"].as_str().unwrap();
    admin
        .post(
            &format!("/office/api/messages/{open_ref}/status"),
            &json!({"status": "closed"}),
        )
        .await;
    s.db.run_retention(now + 31 * 86_400).await.unwrap();
    let gone = s.db.message(s.tenant.id, open_ref).await.unwrap().unwrap();
    assert_eq!((gone.subject, gone.body, gone.email), (None, None, None));
    let admin = s.login_admin().await;
    let (_, audit) = admin.get("/office/api/audit").await;
    assert!(audit["entries"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["action"] == "retention.erase"));
}

async fn another_towns_officials_see_no_messages(s: TestServer) {
    let (_, r) = s
        .post_json("/api/v1/musterstadt/messages", &message(&s, "frage").await)
        .await;
    let reference = r["ref"].as_str().unwrap();
    let (_, neighbour) = s.neighbour_admin().await;
    assert_eq!(
        neighbour.get("/office/api/messages").await.1["messages"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    assert_eq!(
        neighbour
            .get(&format!("/office/api/messages/{reference}"))
            .await
            .0,
        404
    );
    let (status, _) = neighbour
        .post(
            &format!("/office/api/messages/{reference}/reply"),
            &json!({"text": "x"}),
        )
        .await;
    assert_eq!(status, 404);
    // Nachbardorf has no kinds configured: its mailbox refuses every kind.
    let (status, _) = s
        .post_json("/api/v1/nachbardorf/messages", &message(&s, "frage").await)
        .await;
    assert_eq!(status, 422);
}
