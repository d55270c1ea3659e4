//! Retention (issue 16) over real HTTP and the real binary, on SQLite and PostgreSQL: a town
//! with reports, messages, mails, flags, votes and sessions; `civickit retention run --as-of`
//! a year ahead; then every table read directly. Nothing personal of a finished item is left
//! (not in notes, mails or the audit log either), open items are untouched, the counts and
//! statistics survive, and a second run changes nothing. A day ahead erases only what is due.

mod common;

use civickit_model::privacy::Retention;
use common::process::civickit;
use common::{grep, Office, TestServer};
use serde_json::{json, Value};
use sqlx::Row;
use std::collections::BTreeMap;

backend_tests!(
    a_year_later_nothing_personal_is_left_but_the_counts,
    a_day_ahead_erases_only_what_is_due,
    periods_are_checked_stored_and_audited,
);

const DAY: i64 = 86_400;
// The citizens whose items are finished a year before the run…
const FINISHED_EMAIL: &str = "fertig.meldewitz@example.org";
const UNCONFIRMED_EMAIL: &str = "nie.bestaetigt@example.org";
const NAME: &str = "Erika Beispielfrau";
const EMAIL: &str = "erika.beispielfrau@example.org";
const PHONE: &str = "0171 2345678";
/// …and what officials wrote about them: every one of these must be gone.
const ERASED: &[&str] = &[
    FINISHED_EMAIL,
    UNCONFIRMED_EMAIL,
    NAME,
    EMAIL,
    "2345678",
    "Meldewitz",
    "Beispielfrau",
];
// The citizens whose items are still open: all of this stays.
const OPEN_EMAIL: &str = "offen.offenbach@example.org";
const OPEN_NAME: &str = "Otto Offenbach";
const OPEN_MESSAGE_EMAIL: &str = "otto.offenbach@example.org";

/// A citizen's report with an e-mail address: (reference, tracking token).
async fn report(s: &TestServer, email: &str, description: &str) -> (String, String) {
    let mut body = common::good_report();
    body["email"] = json!(email);
    body["description"] = json!(description);
    let (status, created) = s.post_json("/api/v1/musterstadt/reports", &body).await;
    assert_eq!(status, 201, "{created}");
    (
        created["ref"].as_str().unwrap().to_string(),
        created["tracking_token"].as_str().unwrap().to_string(),
    )
}

/// Confirms the report's address through the link of its confirmation mail.
async fn confirm(s: &TestServer, reference: &str) {
    let token: String = sqlx::query("SELECT email_token FROM reports WHERE ref = $1")
        .bind(reference)
        .fetch_one(&s.db.pool)
        .await
        .unwrap()
        .get("email_token");
    let r = s
        .http
        .post(s.at(&format!("/notify/{token}/confirm")))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success() || r.status().is_redirection());
}

async fn add_photo(s: &TestServer, (reference, token): &(String, String)) {
    let r = s
        .http
        .post(s.at(&format!(
            "/api/v1/musterstadt/reports/{reference}/photos?token={token}"
        )))
        .header("content-type", "image/jpeg")
        .body(common::jpeg(64, 48))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 201, "{}", r.text().await.unwrap());
}

async fn message(s: &TestServer, name: &str, email: &str, phone: &str) -> String {
    let key = s.db.server_secret("form-token-key").await.unwrap();
    let body = json!({
        "kind": "hinweis", "subject": "Bank am Teich", "message": "Die Bank am Teich wackelt.",
        "name": name, "email": email, "phone": phone,
        "form_token": civickit_server::abuse::form_token(&key, "mailbox", civickit_server::db::now() - 10),
    });
    let (status, sent) = s.post_json("/api/v1/musterstadt/messages", &body).await;
    assert_eq!(status, 201, "{sent}");
    sent["ref"].as_str().unwrap().to_string()
}

/// Every mail so far leaves the outbox as the worker would: sent, except those to
/// `fails` (given up after the last attempt).
async fn send_all(s: &TestServer, fails: &str) {
    use civickit_server::db::outbox::MAX_ATTEMPTS;
    for mail in s.db.claim_due_mail(1000).await.unwrap() {
        if mail.recipient == fails {
            s.db.mail_failed(&mail, "550 mailbox unavailable")
                .await
                .unwrap();
            sqlx::query("UPDATE outbox SET attempts = $1 WHERE id = $2")
                .bind(MAX_ATTEMPTS)
                .bind(mail.id)
                .execute(&s.db.pool)
                .await
                .unwrap();
        } else {
            s.db.mail_sent(mail.id).await.unwrap();
        }
    }
}

/// `YYYY-MM-DD` of the UTC day `days` after the day of `unix`.
fn day_after(unix: i64, days: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(unix + days * DAY)
        .unwrap()
        .date()
        .to_string()
}

/// `civickit retention run --as-of DAY`: the counts it printed, by kind.
fn run_as_of(s: &TestServer, day: &str) -> BTreeMap<String, i64> {
    let (ok, out, err) = civickit(&s.db_url, &["retention", "run", "--as-of", day]);
    assert!(ok, "{out}\n{err}");
    assert!(
        out.starts_with(&format!("retention as of {day}T00:00:00Z:")),
        "{out}"
    );
    out.lines()
        .skip(1)
        .map(|l| {
            let mut words = l.split_whitespace();
            let kind = words.next().unwrap().to_string();
            (kind, words.next().unwrap().parse().unwrap())
        })
        .collect()
}

async fn rows(s: &TestServer, sql: &str, reference: &str) -> Vec<sqlx::any::AnyRow> {
    sqlx::query(sql)
        .bind(reference)
        .fetch_all(&s.db.pool)
        .await
        .unwrap()
}

async fn count(s: &TestServer, sql: &str) -> i64 {
    sqlx::query(sql)
        .bind(s.tenant.id)
        .fetch_one(&s.db.pool)
        .await
        .unwrap()
        .get("n")
}

/// Per poll: participations and every option's votes.
async fn poll_counts(s: &TestServer) -> Vec<(i64, i64)> {
    sqlx::query(
        "SELECT p.participations AS p, o.votes AS v FROM polls p JOIN poll_options o \
         ON o.poll_id = p.id WHERE p.tenant_id = $1 ORDER BY o.id",
    )
    .bind(s.tenant.id)
    .fetch_all(&s.db.pool)
    .await
    .unwrap()
    .iter()
    .map(|r| (r.get("p"), r.get("v")))
    .collect()
}

async fn vote_in_the_demo_polls(s: &TestServer, admin: &Office) {
    let first_options = |p: &Value| -> Vec<Value> {
        p["questions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|q| json!({"question": q["id"], "options": [q["options"][0]["id"]]}))
            .collect()
    };
    let (_, open) = s.get_json("/api/v1/musterstadt/polls/sitzbaenke").await;
    let ballot = json!({"voter_token": open["voter_token"], "answers": first_options(&open)});
    let (status, r) = s
        .post_json("/api/v1/musterstadt/polls/sitzbaenke/votes", &ballot)
        .await;
    assert_eq!(status, 201, "{r}");
    let codes = admin
        .post_ok("/office/api/polls/spielplatz/codes", json!({"count": 2}))
        .await;
    let (_, coded) = s.get_json("/api/v1/musterstadt/polls/spielplatz").await;
    let ballot = json!({"code": codes["codes"][0], "answers": first_options(&coded)});
    let (status, r) = s
        .post_json("/api/v1/musterstadt/polls/spielplatz/votes", &ballot)
        .await;
    assert_eq!(status, 201, "{r}");
}

async fn a_year_later_nothing_personal_is_left_but_the_counts(s: TestServer) {
    let admin = s.login_admin().await;
    admin
        .post_ok(
            "/office/api/privacy/retention",
            json!({"contact_days": 30, "outbox_days": 7, "tracking_days": 20, "photo_days": 60}),
        )
        .await;
    assert!(s.login(&s.admin.0, "falsch geraten").await.is_err());

    // Reports: one finished (with everything an address brings along), one open, one whose
    // address was never confirmed.
    let finished = report(
        &s,
        FINISHED_EMAIL,
        "Laterne vor dem Haus von Familie Meldewitz.",
    )
    .await;
    let open = report(&s, OPEN_EMAIL, "Schlagloch vor der Einfahrt.").await;
    let unconfirmed = report(&s, UNCONFIRMED_EMAIL, "Ampel hängt schief.").await;
    confirm(&s, &finished.0).await;
    confirm(&s, &open.0).await;
    let (status, _) = s
        .post_json(
            &format!("/api/v1/musterstadt/reports/{}/support", finished.0),
            &json!({"supporter": "browser-aaaaaaaa"}),
        )
        .await;
    assert_eq!(status, 200);
    add_photo(&s, &finished).await;
    add_photo(&s, &open).await;
    let path = |r: &(String, String), what: &str| format!("/office/api/reports/{}/{what}", r.0);
    admin
        .post_ok(
            &path(&finished, "description"),
            json!({"description": "Laterne vor einem Haus."}),
        )
        .await;
    admin
        .post_ok(
            &path(&finished, "notes"),
            json!({"text": "Rückruf bei Herrn Meldewitz"}),
        )
        .await;
    admin.post_ok(&path(&finished, "status"),
        json!({"status": "resolved", "public_note": "Repariert.", "internal_note": "Meldewitz zufrieden"}),
    )
    .await;
    admin
        .post_ok(
            &path(&open, "notes"),
            json!({"text": "Herr Offenbach ruft zurück"}),
        )
        .await;
    admin
        .post_ok(
            &path(&unconfirmed, "notes"),
            json!({"text": "Ampel prüfen"}),
        )
        .await;

    // Messages: one closed after a forward, a reply and a note; one still open.
    let closed = message(&s, NAME, EMAIL, PHONE).await;
    let waiting = message(&s, OPEN_NAME, OPEN_MESSAGE_EMAIL, "0160 9876543").await;
    let m = |r: &str, what: &str| format!("/office/api/messages/{r}/{what}");
    let (_, catalogue) = admin.get("/office/api/catalogue").await;
    let department = catalogue["departments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["email"].is_string())
        .expect("a department with a mailbox")["id"]
        .clone();
    admin
        .post_ok(
            &m(&closed, "forward"),
            json!({"department_id": department, "send_email": true}),
        )
        .await;
    admin
        .post_ok(
            &m(&closed, "reply"),
            json!({"text": "Danke, Frau Beispielfrau, wir prüfen das."}),
        )
        .await;
    admin
        .post_ok(
            &m(&closed, "notes"),
            json!({"text": "Frau Beispielfrau rief an"}),
        )
        .await;
    admin
        .post_ok(&m(&closed, "status"), json!({"status": "closed"}))
        .await;
    admin
        .post_ok(
            &m(&waiting, "notes"),
            json!({"text": "Otto Offenbach wartet"}),
        )
        .await;

    // A flag decided, one not; votes in both demo polls (which end in 30 days).
    let (status, _) = s
        .post_json(
            &format!("/api/v1/musterstadt/reports/{}/flags", open.0),
            &json!({"reason": "offensive", "text": "Schimpfwort"}),
        )
        .await;
    assert_eq!(status, 201);
    admin
        .post_ok(
            "/office/api/flags/decide",
            json!({"ref": open.0, "decision": "keep"}),
        )
        .await;
    let (status, _) = s
        .post_json(
            &format!("/api/v1/musterstadt/reports/{}/flags", unconfirmed.0),
            &json!({"reason": "other", "text": "unklar"}),
        )
        .await;
    assert_eq!(status, 201);
    vote_in_the_demo_polls(&s, &admin).await;

    // The mails go out (the unconfirmed address's for good not), then one waits.
    send_all(&s, UNCONFIRMED_EMAIL).await;
    admin
        .post_ok(
            &path(&open, "status"),
            json!({"status": "in_progress", "public_note": "Wir kümmern uns."}),
        )
        .await;

    let statistics = s.db.message_statistics(s.tenant.id).await.unwrap();
    let reports = s.report_count().await;
    let polls = poll_counts(&s).await;
    let open_before = rows(&s, "SELECT * FROM reports WHERE ref = $1", &open.0).await;

    let year_ahead = day_after(civickit_server::db::now(), 366);
    let counts = run_as_of(&s, &year_ahead);
    for (kind, expected) in [
        ("report_contact", 2),
        ("message_contact", 1),
        ("report_photos", 1),
        ("supporters", 1),
        ("flags", 1),
        ("poll_participation", 2),
    ] {
        assert_eq!(counts[kind], expected, "{kind}: {counts:?}");
    }
    assert!(counts["sent_mails"] >= 8, "{counts:?}");
    assert!(counts["tracking_links"] >= 1, "{counts:?}");
    assert!(
        counts["official_accounts"] >= 3,
        "a session and two login failures: {counts:?}"
    );

    // Nothing of the finished items' citizens is left anywhere in the database.
    for needle in ERASED {
        assert_eq!(
            grep::grep(&s.db, needle).await,
            Vec::<String>::new(),
            "{needle}"
        );
    }
    for needle in [
        OPEN_EMAIL,
        OPEN_NAME,
        OPEN_MESSAGE_EMAIL,
        "Herr Offenbach ruft zurück",
    ] {
        assert!(
            !grep::grep(&s.db, needle).await.is_empty(),
            "open items keep {needle}"
        );
    }

    // The finished report: public content and counts stay; address, links, notes go.
    let r = &rows(&s, "SELECT * FROM reports WHERE ref = $1", &finished.0).await[0];
    let none = |c: &str| r.get::<Option<String>, _>(c).is_none();
    assert!(
        none("email") && none("email_state") && none("email_token") && none("original_description")
    );
    assert!(r.get::<String, _>("tracking_hash").starts_with("expired:"));
    assert_eq!(r.get::<String, _>("description"), "Laterne vor einem Haus.");
    assert_eq!(
        (r.get::<String, _>("status"), r.get::<i64, _>("supporters")),
        ("resolved".into(), 1)
    );
    let notes = rows(
        &s,
        "SELECT n.public FROM report_notes n JOIN reports r ON r.id = n.report_id WHERE r.ref = $1",
        &finished.0,
    )
    .await;
    assert!(notes.len() >= 2 && notes.iter().all(|n| n.get::<i64, _>("public") == 1));
    let of = |table: &str| {
        format!("SELECT t.report_id FROM {table} t JOIN reports r ON r.id = t.report_id WHERE r.ref = $1")
    };
    assert!(rows(&s, &of("report_supporters"), &finished.0)
        .await
        .is_empty());
    assert!(rows(&s, &of("photos"), &finished.0).await.is_empty());
    assert_eq!(rows(&s, &of("photos"), &open.0).await.len(), 1);
    // The open report is exactly as it was; the unconfirmed one lost only its address.
    let open_after = rows(&s, "SELECT * FROM reports WHERE ref = $1", &open.0).await;
    let row_text = |r: &sqlx::any::AnyRow| {
        [
            "email",
            "email_state",
            "email_token",
            "tracking_hash",
            "description",
            "status",
        ]
        .map(|c| r.get::<Option<String>, _>(c))
    };
    assert_eq!(row_text(&open_after[0]), row_text(&open_before[0]));
    let u = &rows(&s, "SELECT * FROM reports WHERE ref = $1", &unconfirmed.0).await[0];
    assert_eq!(u.get::<Option<String>, _>("email"), None);
    assert_eq!(u.get::<String, _>("status"), "received");
    assert!(
        !rows(&s, &of("report_notes"), &unconfirmed.0)
            .await
            .is_empty(),
        "its work goes on"
    );

    // The closed message: anonymised, kind and dates kept; the open one untouched.
    let msg = &rows(&s, "SELECT * FROM messages WHERE ref = $1", &closed).await[0];
    for c in ["name", "email", "phone"] {
        assert_eq!(msg.get::<Option<String>, _>(c), None, "{c}");
    }
    assert!(msg.get::<Option<i64>, _>("erased_at").is_some());
    assert_eq!(msg.get::<String, _>("kind"), "hinweis");
    let events = rows(&s, "SELECT e.kind, e.text FROM message_events e JOIN messages m ON m.id = e.message_id WHERE m.ref = $1", &closed).await;
    assert!(events
        .iter()
        .any(|e| e.get::<String, _>("kind") == "status"));
    for e in &events {
        let kind: String = e.get("kind");
        let text: Option<String> = e.get("text");
        assert_eq!(text.is_some(), kind == "status", "{kind}: {text:?}");
    }
    let kept = &rows(&s, "SELECT * FROM messages WHERE ref = $1", &waiting).await[0];
    assert_eq!(
        kept.get::<Option<String>, _>("email").as_deref(),
        Some(OPEN_MESSAGE_EMAIL)
    );

    // The outbox keeps only the mail still waiting to be sent.
    let mails = sqlx::query("SELECT recipient, sent_at FROM outbox")
        .fetch_all(&s.db.pool)
        .await
        .unwrap();
    let mails: Vec<(String, Option<i64>)> = mails
        .iter()
        .map(|r| (r.get("recipient"), r.get("sent_at")))
        .collect();
    assert_eq!(mails, [(OPEN_EMAIL.to_string(), None)]);

    // Flags decided long ago are gone; the undecided one waits for its decision.
    assert_eq!(
        count(&s, "SELECT COUNT(*) AS n FROM flags WHERE tenant_id = $1").await,
        1
    );
    assert_eq!(
        count(
            &s,
            "SELECT COUNT(*) AS n FROM flags WHERE tenant_id = $1 AND decided_at IS NULL"
        )
        .await,
        1
    );
    // Who voted in the ended polls is forgotten; how they voted is counted as before.
    assert_eq!(count(&s, "SELECT COUNT(*) AS n FROM poll_voters v JOIN polls p ON p.id = v.poll_id WHERE p.tenant_id = $1").await, 0);
    assert_eq!(count(&s, "SELECT COUNT(*) AS n FROM poll_codes c JOIN polls p ON p.id = c.poll_id WHERE p.tenant_id = $1 AND c.used <> 0").await, 0);
    assert_eq!(poll_counts(&s).await, polls);
    // Expired sessions and old login failures are gone.
    assert_eq!(
        count(
            &s,
            "SELECT COUNT(*) AS n FROM sessions WHERE tenant_id = $1"
        )
        .await,
        0
    );
    let failures: i64 = sqlx::query("SELECT COUNT(*) AS n FROM login_failures")
        .fetch_one(&s.db.pool)
        .await
        .unwrap()
        .get("n");
    assert_eq!(failures, 0);
    // The counts survive.
    assert_eq!(
        s.db.message_statistics(s.tenant.id).await.unwrap(),
        statistics
    );
    assert_eq!(s.report_count().await, reports);
    // The audit log says what was erased, in numbers.
    let entry: String = sqlx::query(
        "SELECT after_json FROM audit_log WHERE tenant_id = $1 AND action = 'retention.erase'",
    )
    .bind(s.tenant.id)
    .fetch_one(&s.db.pool)
    .await
    .unwrap()
    .get("after_json");
    let entry: Value = serde_json::from_str(&entry).unwrap();
    assert_eq!(entry["message_contact"], 1);
    assert!(
        entry.as_object().unwrap().values().all(Value::is_u64),
        "{entry}"
    );

    // The old tracking link says it expired, naming the town; the open report's still works.
    let (status, _, html) = s.get_text(&format!("/track/{}", finished.1)).await;
    assert_eq!(status, 410, "{html}");
    assert!(
        html.contains("Link abgelaufen") && html.contains("Musterstadt"),
        "{html}"
    );
    assert!(!html.contains(&finished.0), "nothing of the report: {html}");
    assert_eq!(s.get_text(&format!("/track/{}", open.1)).await.0, 200);
    assert_eq!(
        s.get_text("/track/nie-vergeben-0000000000000000000")
            .await
            .0,
        404
    );

    // A second run finds nothing left to do.
    let before = grep::dump(&s.db).await;
    let again = run_as_of(&s, &year_ahead);
    assert!(again.values().all(|n| *n == 0), "{again:?}");
    assert_unchanged(&before, &grep::dump(&s.db).await);
}

/// Names the tables that differ, rather than printing two whole databases.
fn assert_unchanged(before: &BTreeMap<String, Vec<String>>, after: &BTreeMap<String, Vec<String>>) {
    let changed: Vec<String> = after
        .iter()
        .filter(|(table, rows)| before.get(*table) != Some(rows))
        .map(|(table, rows)| format!("{table}: {:?} → {rows:?}", before.get(table)))
        .collect();
    assert!(changed.is_empty(), "{changed:#?}");
}

async fn a_day_ahead_erases_only_what_is_due(s: TestServer) {
    let set = |args: &[&str]| {
        let mut all = vec!["tenant", "set", "--slug", "musterstadt"];
        all.extend_from_slice(args);
        civickit(&s.db_url, &all)
    };
    let (ok_, out, err) = set(&[
        "--contact-days",
        "1",
        "--outbox-days",
        "1",
        "--tracking-days",
        "1",
        "--photo-days",
        "1",
    ]);
    assert!(ok_, "{err}");
    assert!(
        out.contains("changed contact_days, outbox_days, tracking_days, photo_days"),
        "{out}"
    );
    let (_, shown, _) = civickit(&s.db_url, &["tenant", "show", "--slug", "musterstadt"]);
    assert!(
        shown.contains("retention:        contact 1 days after finishing; sent mails 1 days; tracking links 1 days; photos 1 days"),
        "{shown}"
    );
    // Refused settings and days are clear errors that change nothing.
    let (ok_, _, err) = set(&["--outbox-days", "0", "--photo-days=-1"]);
    assert!(
        !ok_ && err.contains("--outbox-days") && err.contains("--photo-days"),
        "{err}"
    );
    assert_eq!(s.db.retention(s.tenant.id).await.unwrap().outbox_days, 1);
    let before = grep::dump(&s.db).await;
    for bad in ["2027-13-01", "morgen", "06.12.2027"] {
        let (ok_, out, err) = civickit(&s.db_url, &["retention", "run", "--as-of", bad]);
        assert!(
            !ok_ && out.is_empty() && err.contains("YYYY-MM-DD"),
            "{bad}: {out} {err}"
        );
    }
    assert_unchanged(&before, &grep::dump(&s.db).await);

    let admin = s.login_admin().await;
    let finished = report(&s, FINISHED_EMAIL, "Laterne dunkel.").await;
    confirm(&s, &finished.0).await;
    add_photo(&s, &finished).await;
    let closed = message(&s, NAME, EMAIL, PHONE).await;
    admin
        .post_ok(
            &format!("/office/api/messages/{closed}/status"),
            json!({"status": "closed"}),
        )
        .await;
    admin
        .post_ok(
            &format!("/office/api/reports/{}/status", finished.0),
            json!({"status": "resolved", "public_note": "Erledigt."}),
        )
        .await;
    send_all(&s, "").await;
    let finished_at: i64 = rows(
        &s,
        "SELECT closed_at FROM reports WHERE ref = $1",
        &finished.0,
    )
    .await[0]
        .get("closed_at");

    // The next midnight: the periods of a day have not passed since anything was finished.
    let counts = run_as_of(&s, &day_after(finished_at, 1));
    for (kind, n) in &counts {
        if kind != "official_accounts" && kind != "spent_challenges" {
            assert_eq!(*n, 0, "{kind} is not due yet: {counts:?}");
        }
    }
    for needle in [FINISHED_EMAIL, EMAIL, PHONE] {
        assert!(
            !grep::grep(&s.db, needle).await.is_empty(),
            "{needle} is kept a day"
        );
    }
    assert_eq!(s.get_text(&format!("/track/{}", finished.1)).await.0, 200);
    let photos = "SELECT p.id FROM photos p JOIN reports r ON r.id = p.report_id WHERE r.ref = $1";
    assert_eq!(rows(&s, photos, &finished.0).await.len(), 1);

    // A midnight later they have.
    let counts = run_as_of(&s, &day_after(finished_at, 2));
    for kind in [
        "report_contact",
        "tracking_links",
        "message_contact",
        "report_photos",
    ] {
        assert!(counts[kind] >= 1, "{kind}: {counts:?}");
    }
    for needle in [FINISHED_EMAIL, EMAIL, "2345678"] {
        assert_eq!(
            grep::grep(&s.db, needle).await,
            Vec::<String>::new(),
            "{needle}"
        );
    }
    assert_eq!(s.get_text(&format!("/track/{}", finished.1)).await.0, 410);
    assert!(rows(&s, photos, &finished.0).await.is_empty());
}

async fn periods_are_checked_stored_and_audited(s: TestServer) {
    let admin = s.login_admin().await;
    let (status, now) = admin.get("/office/api/privacy/retention").await;
    assert_eq!(status, 200);
    let now: Retention = serde_json::from_value(now).unwrap();
    assert_eq!(now, Retention::default());
    let audit_before = common::audit_actions(&admin).await;

    let (status, err) = admin
        .post(
            "/office/api/privacy/retention",
            &json!({"contact_days": 5, "outbox_days": 0, "photo_days": -1}),
        )
        .await;
    assert_eq!(status, 422, "{err}");
    let fields: Vec<&str> = err["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["outbox_days", "photo_days"]);
    assert_eq!(
        admin.get("/office/api/privacy/retention").await.1,
        json!(Retention::default())
    );
    assert_eq!(
        common::audit_actions(&admin).await,
        audit_before,
        "nothing stored"
    );
    let (status, _) = admin
        .post(
            "/office/api/privacy/retention",
            &json!({"contact_days": 5, "colour": 1}),
        )
        .await;
    assert_eq!(status, 400);

    let changed = admin
        .post_ok(
            "/office/api/privacy/retention",
            json!({"contact_days": 90, "erase_text": true, "photo_days": 365}),
        )
        .await;
    let expected = Retention {
        contact_days: 90,
        erase_text: true,
        photo_days: 365,
        ..Retention::default()
    };
    assert_eq!(changed, json!(expected));
    assert_eq!(s.db.retention(s.tenant.id).await.unwrap(), expected);
    let (_, mailbox) = admin.get("/office/api/mailbox-settings").await;
    assert_eq!(
        (
            mailbox["retention_days"].as_i64(),
            mailbox["erase_text"].as_bool()
        ),
        (Some(90), Some(true))
    );
    assert_eq!(common::audit_actions(&admin).await[0], "tenant.retention");

    // Editors may not; another town keeps its own periods.
    let editor = s.login_editor().await;
    assert_eq!(editor.get("/office/api/privacy/retention").await.0, 403);
    assert_eq!(
        editor
            .post("/office/api/privacy/retention", &json!({"contact_days": 1}))
            .await
            .0,
        403
    );
    let (other, neighbour) = s.neighbour_admin().await;
    assert_eq!(
        neighbour.get("/office/api/privacy/retention").await.1,
        json!(Retention::default())
    );
    assert_eq!(
        s.db.retention(other.id).await.unwrap(),
        Retention::default()
    );
}
