//! The office API keeps its contract (`civickit_model::api::office`, docs/office-api.md): every
//! answer is exactly a body of its type, a malformed body gets the documented error JSON and
//! changes nothing, admin areas are closed to editors before their body is read, and every
//! page URL under `/office/` answers the office page. SQLite and PostgreSQL.

mod common;

use civickit_model::api::office::{
    AuditLog, MailboxSettings, Me, MessageChanged, MessageDetail, MessageList, OfficePoll,
    PollList, PollResults, PrivacyInventory, ReportChanged, ReportDetail, ReportList, Retention,
    Statements, SubjectData, SubjectErased, TemplateList, TenantSettings, UserList,
};
use civickit_model::api::{ErrorBody, ErrorKind};
use common::{Office, TestServer};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

backend_tests!(
    answers_are_exactly_bodies_of_the_contract_types,
    malformed_bodies_get_the_documented_error_and_change_nothing,
    editors_are_refused_every_admin_area_before_the_body_is_read,
);

/// `value` parses as `T` and writes back to the same JSON: no field missing, none extra.
fn assert_body_of<T: DeserializeOwned + Serialize>(what: &str, value: &Value) -> T {
    let typed: T = serde_json::from_value(value.clone())
        .unwrap_or_else(|e| panic!("{what}: not the contract type: {e}\n{value}"));
    assert_eq!(
        &serde_json::to_value(&typed).unwrap(),
        value,
        "{what}: differs after a round trip through the contract type"
    );
    typed
}

/// A POST with a raw body, as a buggy or hostile client might send it.
async fn post_raw(office: &Office, path: &str, content_type: &str, body: &str) -> (u16, Value) {
    let r = office
        .http
        .post(format!("{}{path}", office.base))
        .header("cookie", office.cookie_pair())
        .header("x-csrf-token", &office.csrf)
        .header("content-type", content_type)
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

/// The documented error body of the given kind.
fn assert_error(what: &str, (status, body): &(u16, Value), kind: ErrorKind) {
    let error: ErrorBody = assert_body_of(what, body);
    assert_eq!(
        (*status, error.error),
        (kind.http_status(), kind),
        "{what}: {body}"
    );
    assert!(!error.message.is_empty(), "{what}: a message to show");
}

async fn first_report(office: &Office) -> String {
    let (_, list) = office.get("/office/api/reports?status=received").await;
    list["reports"][0]["ref"].as_str().unwrap().to_string()
}

async fn answers_are_exactly_bodies_of_the_contract_types(s: TestServer) {
    let admin = s.login_admin().await;
    let editor = s.login_editor().await;
    let me: Me = assert_body_of("me", &admin.me);
    assert!(me.is_admin());
    assert!(!assert_body_of::<Me>("editor's me", &editor.me).is_admin());

    let (_, list) = admin.get("/office/api/reports").await;
    let list: ReportList = assert_body_of("report list", &list);
    assert!(list.reports.iter().any(|r| r.lat.is_some()));
    let reference = first_report(&admin).await;
    let (_, detail) = admin.get(&format!("/office/api/reports/{reference}")).await;
    assert_body_of::<ReportDetail>("report", &detail);
    let (status, changed) = admin
        .post(
            &format!("/office/api/reports/{reference}/status"),
            &json!({"status": "in_progress", "public_note": "Wir kümmern uns.",
                    "internal_note": "Bauhof fragen"}),
        )
        .await;
    assert_eq!(status, 200, "{changed}");
    assert_body_of::<ReportDetail>("status change", &changed);
    let (_, changed) = admin
        .post(
            &format!("/office/api/reports/{reference}/notes"),
            &json!({"text": "Bauhof informiert."}),
        )
        .await;
    assert_body_of::<ReportChanged>("note", &changed);

    let message = json!({
        "kind": "idee", "subject": "Sitzbank", "message": "Eine Sitzbank am Dorfplatz wäre schön.",
        "form_token": civickit_server::abuse::form_token(
            &s.db.server_secret("form-token-key").await.unwrap(), "mailbox",
            civickit_server::db::now() - 10),
    });
    let (status, sent) = s.post_json("/api/v1/musterstadt/messages", &message).await;
    assert_eq!(status, 201, "{sent}");
    let (_, messages) = admin.get("/office/api/messages").await;
    let messages: MessageList = assert_body_of("message list", &messages);
    let msg_ref = &messages.messages[0].reference;
    let (_, one) = admin.get(&format!("/office/api/messages/{msg_ref}")).await;
    assert_body_of::<MessageDetail>("message", &one);
    let (_, changed) = admin
        .post(
            &format!("/office/api/messages/{msg_ref}/notes"),
            &json!({"text": "Im Ortsbeirat besprechen."}),
        )
        .await;
    assert_body_of::<MessageChanged>("message note", &changed);

    let (_, polls) = admin.get("/office/api/polls").await;
    let polls: PollList = assert_body_of("polls", &polls);
    for poll in &polls.polls {
        let (_, one) = admin.get(&format!("/office/api/polls/{}", poll.slug)).await;
        assert_body_of::<OfficePoll>("poll", &one);
        let (_, results) = admin
            .get(&format!("/office/api/polls/{}/results", poll.slug))
            .await;
        assert_body_of::<PollResults>("results", &results);
    }
    for (path, check) in [
        ("/office/api/settings", body_of::<TenantSettings> as Check),
        ("/office/api/mailbox-settings", body_of::<MailboxSettings>),
        ("/office/api/templates", body_of::<TemplateList>),
        ("/office/api/users", body_of::<UserList>),
        ("/office/api/privacy/retention", body_of::<Retention>),
        ("/office/api/audit", body_of::<AuditLog>),
        ("/office/api/privacy/inventory", body_of::<PrivacyInventory>),
        ("/office/api/privacy/statements", body_of::<Statements>),
        (
            "/office/api/stats",
            body_of::<civickit_model::api::widget::StatsAnswer>,
        ),
    ] {
        let (status, body) = admin.get(path).await;
        assert_eq!(status, 200, "{path}");
        check(path, &body);
    }
    let (_, changed) = admin
        .post("/office/api/privacy/retention", &json!({"outbox_days": 14}))
        .await;
    assert_body_of::<Retention>("retention change", &changed);
    // A citizen with a report, a message and mails: every part of the answer is filled.
    let mut report = common::good_report();
    report["email"] = json!("anna@example.org");
    assert_eq!(
        s.post_json("/api/v1/musterstadt/reports", &report).await.0,
        201
    );
    let mut anna = message.clone();
    anna["email"] = json!("anna@example.org");
    anna["phone"] = json!("0171 5551234");
    assert_eq!(
        s.post_json("/api/v1/musterstadt/messages", &anna).await.0,
        201
    );
    let query = json!({"email": "anna@example.org"});
    let (_, found) = admin.post("/office/api/privacy/subject", &query).await;
    let found: SubjectData = assert_body_of("subject", &found);
    assert!(!found.reports.is_empty() && !found.messages.is_empty() && !found.mails.is_empty());
    let (_, erased) = admin
        .post("/office/api/privacy/subject/erase", &query)
        .await;
    assert_body_of::<SubjectErased>("subject erase", &erased);
}

type Check = fn(&str, &Value);

fn body_of<T: DeserializeOwned + Serialize>(what: &str, value: &Value) {
    assert_body_of::<T>(what, value);
}

async fn malformed_bodies_get_the_documented_error_and_change_nothing(s: TestServer) {
    let admin = s.login_admin().await;
    let reference = first_report(&admin).await;
    let report_path = format!("/office/api/reports/{reference}");
    let (_, report_before) = admin.get(&report_path).await;
    let (_, settings_before) = admin.get("/office/api/settings").await;
    let (_, polls_before) = admin.get("/office/api/polls").await;
    let (_, audit_before) = admin.get("/office/api/audit").await;

    let status_path = format!("{report_path}/status");
    for (what, body) in [
        ("not JSON", "{status: in_progress"),
        ("a wrong type", r#"{"status": 2, "public_note": "x"}"#),
        ("a missing field", r#"{"status": "in_progress"}"#),
        (
            "an unknown field",
            r#"{"status": "in_progress", "public_note": "x", "colour": "red"}"#,
        ),
    ] {
        let answer = post_raw(&admin, &status_path, "application/json", body).await;
        assert_error(&format!("status: {what}"), &answer, ErrorKind::BadRequest);
    }
    let (_, err) = post_raw(
        &admin,
        &status_path,
        "application/json",
        r#"{"status": "in_progress"}"#,
    )
    .await;
    assert!(
        err["message"].as_str().unwrap().contains("public_note"),
        "names the missing field: {err}"
    );
    let sent_as_text = post_raw(
        &admin,
        &status_path,
        "text/plain",
        r#"{"status": "in_progress", "public_note": "x"}"#,
    )
    .await;
    assert_error(
        "status as text",
        &sent_as_text,
        ErrorKind::UnsupportedMediaType,
    );

    for body in [
        r#"{"response_days": "five"}"#,
        r#"{"premoderation": true, "colour": "red"}"#,
        "[true, 5]",
    ] {
        let answer = post_raw(&admin, "/office/api/settings", "application/json", body).await;
        assert_error(&format!("settings {body}"), &answer, ErrorKind::BadRequest);
    }
    for body in [
        r#"{"title": "Ohne Fragen"}"#,
        r#"{"title": "T", "mode": "open", "visibility": "live", "opens_at": "2026-12-01T08:00:00Z",
            "closes_at": "2026-12-02T08:00:00Z", "questions": "keine"}"#,
        "",
    ] {
        let answer = post_raw(&admin, "/office/api/polls", "application/json", body).await;
        assert_error(&format!("poll {body:?}"), &answer, ErrorKind::BadRequest);
    }

    assert_eq!(admin.get(&report_path).await.1, report_before);
    assert_eq!(admin.get("/office/api/settings").await.1, settings_before);
    assert_eq!(admin.get("/office/api/polls").await.1, polls_before);
    assert_eq!(
        admin.get("/office/api/audit").await.1,
        audit_before,
        "nothing was changed, so nothing was audited"
    );
}

async fn editors_are_refused_every_admin_area_before_the_body_is_read(s: TestServer) {
    let editor = s.login_editor().await;
    for path in [
        "/office/api/audit",
        "/office/api/settings",
        "/office/api/mailbox-settings",
        "/office/api/messages/statistics",
        "/office/api/polls",
        "/office/api/polls/spielplatz",
        "/office/api/users",
        "/office/api/privacy/retention",
        "/office/api/privacy/inventory",
        "/office/api/privacy/statements",
        "/office/api/stats",
    ] {
        assert_error(path, &editor.get(path).await, ErrorKind::Forbidden);
    }
    for path in [
        "/office/api/settings",
        "/office/api/mailbox-settings",
        "/office/api/polls",
        "/office/api/templates",
        "/office/api/users",
        "/office/api/users/1/disabled",
        "/office/api/users/1/reset-password",
        "/office/api/departments",
        "/office/api/categories",
        "/office/api/privacy/retention",
        "/office/api/privacy/subject",
        "/office/api/privacy/subject/erase",
        "/office/api/privacy/statements",
    ] {
        // A malformed body too: the role is checked first, so it tells an editor nothing.
        let answer = post_raw(&editor, path, "application/json", "{not json").await;
        assert_error(path, &answer, ErrorKind::Forbidden);
    }
    let (_, users) = s.login_admin().await.get("/office/api/users").await;
    assert!(
        users["users"]
            .as_array()
            .unwrap()
            .iter()
            .all(|u| u["disabled"] == false),
        "no account was touched"
    );
}
