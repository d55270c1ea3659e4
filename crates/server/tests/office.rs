//! The office API as officials use it: sessions, CSRF, throttling, roles, tenant isolation,
//! working reports, moderation, audit, and the mails citizens get. SQLite and PostgreSQL;
//! mail goes through a real SMTP server on loopback (aiosmtpd).

mod common;

use common::{good_report, SmtpSink, TestServer};
use serde_json::{json, Value};

backend_tests!(
    login_sets_a_strict_session_cookie_and_logout_ends_it,
    wrong_passwords_throttle_the_account,
    csrf_token_and_origin_are_required_for_changes,
    editors_work_only_their_departments_reports,
    admin_only_areas_are_closed_to_editors,
    officials_of_one_town_cannot_touch_another,
    status_change_with_public_and_internal_notes_is_audited,
    closing_needs_a_reason_and_duplicates_point_to_the_original,
    moderation_edits_hides_and_premoderates,
    inbox_filters_search_sorts_and_flags_overdue,
    citizen_mail_double_opt_in_status_mail_and_unsubscribe,
    a_dead_mail_server_never_fails_the_officials_action,
);

/// The ref of a demo report by a word of its description.
async fn demo_ref(s: &TestServer, word: &str) -> String {
    let (_, list) = s.get_json("/api/v1/musterstadt/reports").await;
    list["reports"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["summary"].as_str().unwrap().contains(word))
        .unwrap_or_else(|| panic!("no demo report with {word:?}"))["ref"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn login_sets_a_strict_session_cookie_and_logout_ends_it(s: TestServer) {
    let (status, err) = s.login(&s.admin.0, "wrong password").await.err().unwrap();
    assert_eq!(status, 401);
    assert_eq!(err["error"], "unauthorized");
    let (status, _) = s
        .login("nobody@musterstadt.example", "whatever")
        .await
        .err()
        .unwrap();
    assert_eq!(status, 401, "unknown accounts look like wrong passwords");

    let office = s.login_admin().await;
    for part in ["HttpOnly", "SameSite=Strict", "Path=/office"] {
        assert!(office.cookie.contains(part), "{}", office.cookie);
    }
    assert!(!office.cookie.contains("Secure"), "plain http on loopback");
    assert_eq!(office.me["user"]["role"], "admin");
    let (status, me) = office.get("/office/api/me").await;
    assert_eq!(status, 200);
    assert_eq!(me["tenant"]["slug"], "musterstadt");

    let second = s.login_admin().await;
    let (status, _) = office.post("/office/api/logout", &json!({})).await;
    assert_eq!(status, 204);
    assert_eq!(office.get("/office/api/me").await.0, 401);
    assert_eq!(
        second.get("/office/api/me").await.0,
        200,
        "only this session ended"
    );

    let third = s.login_admin().await;
    let (status, _) = third
        .post("/office/api/logout-everywhere", &json!({}))
        .await;
    assert_eq!(status, 204);
    assert_eq!(
        second.get("/office/api/me").await.0,
        401,
        "logged out everywhere"
    );
    // No cookie at all.
    let r = s
        .http
        .get(s.at("/office/api/reports"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
}

async fn wrong_passwords_throttle_the_account(s: TestServer) {
    let mut statuses = Vec::new();
    for _ in 0..10 {
        statuses.push(
            s.login(&s.editor.0, "guessing-wrong")
                .await
                .err()
                .unwrap()
                .0,
        );
    }
    assert_eq!(&statuses[..5], &[401; 5]);
    assert_eq!(&statuses[5..], &[429; 5], "{statuses:?}");
    // Now even the right password is refused for a while, with an explanation.
    let (status, err) = s.login(&s.editor.0, &s.editor.1).await.err().unwrap();
    assert_eq!(status, 429);
    assert!(err["message"].as_str().unwrap().contains("15 Minuten"));
    // Another account from the same address still works (below the per-address limit).
    assert!(s.login(&s.admin.0, &s.admin.1).await.is_ok());
}

async fn csrf_token_and_origin_are_required_for_changes(s: TestServer) {
    let office = s.login_editor().await;
    let reference = demo_ref(&s, "Basketballkorb").await;
    let path = format!("/office/api/reports/{reference}/notes");
    let body = json!({"text": "Rückruf beim Hausmeister"});
    let (status, _) = office.post_with(&path, &body, None, None).await;
    assert_eq!(status, 403, "no CSRF token");
    let (status, _) = office.post_with(&path, &body, Some("forged"), None).await;
    assert_eq!(status, 403, "wrong CSRF token");
    let (status, err) = office
        .post_with(
            &path,
            &body,
            Some(&office.csrf),
            Some("https://evil.example"),
        )
        .await;
    assert_eq!(status, 403, "foreign origin: {err}");
    let (status, _) = office
        .post_with(&path, &body, Some(&office.csrf), Some(&s.url))
        .await;
    assert_eq!(status, 200);
    // A login from a foreign origin is refused as well (login CSRF).
    let r = s
        .http
        .post(s.at("/office/api/login"))
        .header("origin", "https://evil.example")
        .json(&json!({"email": s.admin.0, "password": s.admin.1}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    // Nothing but the one accepted note was written.
    let (_, detail) = office
        .get(&format!("/office/api/reports/{reference}"))
        .await;
    let internal: Vec<&Value> = detail["notes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["public"] == false)
        .collect();
    assert_eq!(internal.len(), 1);
}

async fn editors_work_only_their_departments_reports(s: TestServer) {
    let editor = s.login_editor().await;
    let (status, list) = editor.get("/office/api/reports").await;
    assert_eq!(status, 200);
    let list = list["reports"].as_array().unwrap();
    assert!(!list.is_empty());
    assert!(
        list.iter().all(|r| r["department"] == "Bauhof"),
        "only Bauhof reports: {list:?}"
    );
    // Asking for another department does not widen it.
    let admin = s.login_admin().await;
    let departments = admin.me["departments"].as_array().unwrap().clone();
    let tiefbau = departments
        .iter()
        .find(|d| d["name"] == "Tiefbauamt")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let (_, other) = editor
        .get(&format!("/office/api/reports?department={tiefbau}"))
        .await;
    assert!(other["reports"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["department"] == "Bauhof"));
    // A Tiefbauamt report is invisible and unchangeable for the Bauhof editor.
    let lamp = demo_ref(&s, "Laterne vor Hausnummer 56").await;
    assert_eq!(
        editor.get(&format!("/office/api/reports/{lamp}")).await.0,
        404
    );
    let (status, _) = editor
        .post(
            &format!("/office/api/reports/{lamp}/status"),
            &json!({"status": "in_progress", "public_note": "Übernommen"}),
        )
        .await;
    assert_eq!(status, 404);
    let (_, public) = s
        .get_json(&format!("/api/v1/musterstadt/reports/{lamp}"))
        .await;
    assert_eq!(public["status"], "received", "unchanged");
    // Re-categorising moves a report to the new category's department: out of the editor's reach.
    let swing = demo_ref(&s, "Basketballkorb").await;
    let (status, moved) = editor
        .post(
            &format!("/office/api/reports/{swing}/category"),
            &json!({"category": "strassenbeleuchtung"}),
        )
        .await;
    assert_eq!(status, 200, "{moved}");
    assert_eq!(moved["routed_away"], true);
    assert_eq!(
        editor.get(&format!("/office/api/reports/{swing}")).await.0,
        404
    );
    // Too long notes are named by their own field.
    let (status, err) = editor
        .post(
            &format!(
                "/office/api/reports/{}/status",
                list.iter().find(|r| r["ref"] != swing.as_str()).unwrap()["ref"]
                    .as_str()
                    .unwrap()
            ),
            &json!({"status": "in_progress", "public_note": "x".repeat(2001)}),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(err["fields"][0]["field"], "public_note");
    assert!(err["fields"][0]["message"]
        .as_str()
        .unwrap()
        .contains("2000"));
    // The admin sees every department.
    let (_, all) = admin.get("/office/api/reports").await;
    let departments: std::collections::BTreeSet<&str> = all["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["department"].as_str().unwrap())
        .collect();
    assert!(departments.len() >= 3, "{departments:?}");
}

async fn admin_only_areas_are_closed_to_editors(s: TestServer) {
    let editor = s.login_editor().await;
    assert_eq!(editor.get("/office/api/audit").await.0, 403);
    assert_eq!(editor.get("/office/api/settings").await.0, 403);
    let (status, _) = editor
        .post("/office/api/settings", &json!({"premoderation": true}))
        .await;
    assert_eq!(status, 403);
    let admin = s.login_admin().await;
    assert_eq!(admin.get("/office/api/audit").await.0, 200);
    let (status, settings) = admin.get("/office/api/settings").await;
    assert_eq!((status, settings["response_days"].as_i64()), (200, Some(3)));
    let (status, err) = admin
        .post("/office/api/settings", &json!({"response_days": 0}))
        .await;
    assert_eq!(status, 422, "{err}");
}

async fn officials_of_one_town_cannot_touch_another(s: TestServer) {
    let other = s.add_other_tenant().await;
    s.db.create_user(
        other.id,
        "admin@nachbardorf.example",
        "N",
        "nachbardorf-passwort",
        civickit_server::db::users::Role::Admin,
        None,
    )
    .await
    .unwrap();
    // With two towns the login must name one; the Musterstadt password does not open Nachbardorf.
    let (status, _) = s.login(&s.admin.0, &s.admin.1).await.err().unwrap();
    assert_eq!(status, 400);
    let (status, _) = s
        .login_to(Some("nachbardorf"), &s.admin.0, &s.admin.1)
        .await
        .err()
        .unwrap();
    assert_eq!(status, 401);
    let neighbour = s
        .login_to(
            Some("nachbardorf"),
            "admin@nachbardorf.example",
            "nachbardorf-passwort",
        )
        .await
        .unwrap();
    let (_, list) = neighbour.get("/office/api/reports").await;
    assert_eq!(list["reports"].as_array().unwrap().len(), 0);
    let musterstadt_ref = demo_ref(&s, "Basketballkorb").await;
    for (path, body) in [
        (
            format!("/office/api/reports/{musterstadt_ref}/status"),
            json!({"status": "resolved", "public_note": "x"}),
        ),
        (
            format!("/office/api/reports/{musterstadt_ref}/notes"),
            json!({"text": "x"}),
        ),
        (
            format!("/office/api/reports/{musterstadt_ref}/hidden"),
            json!({"hidden": true}),
        ),
        (
            format!("/office/api/reports/{musterstadt_ref}/description"),
            json!({"description": "gekapert"}),
        ),
        (
            format!("/office/api/reports/{musterstadt_ref}/category"),
            json!({"category": "strassenbeleuchtung"}),
        ),
    ] {
        let (status, _) = neighbour.post(&path, &body).await;
        assert_eq!(status, 404, "{path}");
    }
    assert_eq!(
        neighbour
            .get(&format!("/office/api/reports/{musterstadt_ref}"))
            .await
            .0,
        404
    );
    let (_, audit) = neighbour.get("/office/api/audit").await;
    assert_eq!(
        audit["entries"].as_array().unwrap().len(),
        0,
        "no Musterstadt history either"
    );
    let (_, public) = s
        .get_json(&format!("/api/v1/musterstadt/reports/{musterstadt_ref}"))
        .await;
    assert_eq!(public["status"], "received");
    assert_eq!(
        public["description"],
        "Basketballkorb am Sportplatz hängt schief."
    );
    // Open311 keys are per town as well (see open311.rs); the office API ignores them entirely.
}

async fn status_change_with_public_and_internal_notes_is_audited(s: TestServer) {
    let editor = s.login_editor().await;
    let reference = demo_ref(&s, "Basketballkorb").await;
    let (status, detail) = editor
        .post(
            &format!("/office/api/reports/{reference}/status"),
            &json!({"status": "in_progress", "public_note": "Der Bauhof schaut sich das an.",
                    "internal_note": "Herr Meier, Tel. 0123, fragt nach Rückmeldung"}),
        )
        .await;
    assert_eq!(status, 200, "{detail}");
    assert_eq!(detail["status"], "in_progress");
    let notes = detail["notes"].as_array().unwrap();
    assert!(notes
        .iter()
        .any(|n| n["public"] == false && n["text"].as_str().unwrap().contains("Meier")));
    // The citizen sees yellow with the public note, never the internal one.
    let (_, public) = s
        .get_json(&format!("/api/v1/musterstadt/reports/{reference}"))
        .await;
    assert_eq!(public["status"], "in_progress");
    let text = public.to_string();
    assert!(text.contains("Der Bauhof schaut sich das an."));
    assert!(!text.contains("Meier"));
    let (_, _, open311) = s
        .get_text("/open311/v2/requests.json?extensions=true")
        .await;
    assert!(!open311.contains("Meier"));
    // The same state twice is a conflict, not a second entry.
    let (status, _) = editor
        .post(
            &format!("/office/api/reports/{reference}/status"),
            &json!({"status": "in_progress", "public_note": "nochmal"}),
        )
        .await;
    assert_eq!(status, 409);
    // A public note is required.
    let (status, err) = editor
        .post(
            &format!("/office/api/reports/{reference}/status"),
            &json!({"status": "resolved", "public_note": "  "}),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(err["fields"][0]["field"], "public_note");
    // The audit log says who did what, with before and after.
    let admin = s.login_admin().await;
    let (_, audit) = admin.get("/office/api/audit").await;
    let entry = &audit["entries"][0];
    assert_eq!(entry["action"], "report.status");
    assert_eq!(entry["subject"], reference);
    assert_eq!(entry["user"], s.editor.0);
    assert_eq!(entry["before"]["status"], "received");
    assert_eq!(entry["after"]["status"], "in_progress");
}

async fn closing_needs_a_reason_and_duplicates_point_to_the_original(s: TestServer) {
    let admin = s.login_admin().await;
    let original = demo_ref(&s, "Laterne vor Hausnummer 56").await;
    let (_, created) = s
        .post_json("/api/v1/musterstadt/reports", &good_report())
        .await;
    let dup = created["ref"].as_str().unwrap();
    let path = format!("/office/api/reports/{dup}/status");
    let (status, err) = admin
        .post(
            &path,
            &json!({"status": "closed", "public_note": "Erledigt"}),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(err["fields"][0]["field"], "reason");
    let (status, err) = admin
        .post(&path, &json!({"status": "closed", "reason": "duplicate", "duplicate_of": "M-1999-00001", "public_note": "Doppelt"}))
        .await;
    assert_eq!(status, 422, "unknown original: {err}");
    let (status, detail) = admin
        .post(&path, &json!({"status": "closed", "reason": "duplicate", "duplicate_of": original, "public_note": format!("Doppelte Meldung, siehe {original}.")}))
        .await;
    assert_eq!(status, 200, "{detail}");
    assert_eq!(detail["close_reason"], "duplicate");
    assert_eq!(detail["duplicate_of"], original);
    let (_, public) = s
        .get_json(&format!("/api/v1/musterstadt/reports/{dup}"))
        .await;
    assert_eq!(
        (public["status"].as_str(), public["close_reason"].as_str()),
        (Some("closed"), Some("duplicate"))
    );
}

async fn moderation_edits_hides_and_premoderates(s: TestServer) {
    let admin = s.login_admin().await;
    let mut body = good_report();
    body["description"] = json!("Laterne dunkel, ich bin Max Muster, Tel. 0171 1234567");
    let (_, created) = s.post_json("/api/v1/musterstadt/reports", &body).await;
    let reference = created["ref"].as_str().unwrap().to_string();
    let (status, detail) = admin
        .post(
            &format!("/office/api/reports/{reference}/description"),
            &json!({"description": "Laterne dunkel"}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        detail["original_description"],
        "Laterne dunkel, ich bin Max Muster, Tel. 0171 1234567"
    );
    let (_, public) = s
        .get_json(&format!("/api/v1/musterstadt/reports/{reference}"))
        .await;
    assert_eq!(public["description"], "Laterne dunkel");
    assert!(!public.to_string().contains("0171"));
    // Hidden reports vanish from every public output.
    let (status, _) = admin
        .post(
            &format!("/office/api/reports/{reference}/hidden"),
            &json!({"hidden": true}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        s.get_json(&format!("/api/v1/musterstadt/reports/{reference}"))
            .await
            .0,
        404
    );
    let (_, _, open311) = s.get_text("/open311/v2/requests.json").await;
    assert!(!open311.contains(&reference));
    // Pre-moderation: new reports wait in the office until released.
    let (status, _) = admin
        .post("/office/api/settings", &json!({"premoderation": true}))
        .await;
    assert_eq!(status, 200);
    let (_, pending) = s
        .post_json("/api/v1/musterstadt/reports", &good_report())
        .await;
    let pending_ref = pending["ref"].as_str().unwrap();
    assert_eq!(pending["status"], "pending_review");
    let (_, inbox) = admin.get("/office/api/reports?status=pending_review").await;
    assert!(inbox["reports"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["ref"] == pending_ref));
    assert_eq!(
        s.get_json(&format!("/api/v1/musterstadt/reports/{pending_ref}"))
            .await
            .0,
        404
    );
    let (status, _) = admin
        .post(
            &format!("/office/api/reports/{pending_ref}/status"),
            &json!({"status": "received", "public_note": "Freigegeben."}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        s.get_json(&format!("/api/v1/musterstadt/reports/{pending_ref}"))
            .await
            .0,
        200
    );
    let actions = common::audit_actions(&admin).await;
    for a in [
        "report.description",
        "report.hide",
        "tenant.settings",
        "report.status",
    ] {
        assert!(actions.iter().any(|x| x == a), "{a} in {actions:?}");
    }
}

async fn inbox_filters_search_sorts_and_flags_overdue(s: TestServer) {
    let admin = s.login_admin().await;
    let (_, all) = admin.get("/office/api/reports").await;
    assert_eq!(all["reports"].as_array().unwrap().len(), 12);
    let (_, lamps) = admin
        .get("/office/api/reports?category=strassenbeleuchtung")
        .await;
    assert_eq!(lamps["reports"].as_array().unwrap().len(), 3);
    let (_, found) = admin.get("/office/api/reports?q=basketball").await;
    assert_eq!(found["reports"].as_array().unwrap().len(), 1);
    let reference = found["reports"][0]["ref"].as_str().unwrap().to_string();
    let (_, by_ref) = admin
        .get(&format!(
            "/office/api/reports?q={}",
            reference.to_lowercase()
        ))
        .await;
    assert_eq!(by_ref["reports"][0]["ref"], reference);
    let (_, none) = admin.get("/office/api/reports?q=%25").await;
    assert_eq!(
        none["reports"].as_array().unwrap().len(),
        0,
        "% is a character, not a wildcard"
    );
    let (_, oldest) = admin.get("/office/api/reports?sort=oldest").await;
    let (_, newest) = admin.get("/office/api/reports?sort=newest").await;
    assert_eq!(oldest["reports"][0]["ref"], newest["reports"][11]["ref"]);
    // The demo's 4-day-old unanswered report is past the 3-day promise; 1-3 day old ones are not.
    let (_, overdue) = admin.get("/office/api/reports?overdue=true").await;
    let overdue: Vec<&str> = overdue["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["ref"].as_str().unwrap())
        .collect();
    assert_eq!(overdue, vec![reference.as_str()]);
    assert_eq!(found["reports"][0]["overdue"], true);
    // A first reaction clears the flag.
    admin
        .post(
            &format!("/office/api/reports/{reference}/status"),
            &json!({"status": "in_progress", "public_note": "Wir kümmern uns."}),
        )
        .await;
    let (_, overdue) = admin.get("/office/api/reports?overdue=true").await;
    assert_eq!(overdue["reports"].as_array().unwrap().len(), 0);
    let (status, _) = admin.get("/office/api/reports?status=nonsense").await;
    assert_eq!(status, 400);
}

async fn citizen_mail_double_opt_in_status_mail_and_unsubscribe(s: TestServer) {
    let sink = SmtpSink::start();
    let s = TestServer::start_with_smtp(s.backend, Some(&sink.url))
        .await
        .unwrap();
    let mut body = good_report();
    body["description"] = json!("GEHEIMER TEXT über die Laterne am Kirchweg");
    body["email"] = json!("buergerin@example.org");
    let (status, created) = s.post_json("/api/v1/musterstadt/reports", &body).await;
    assert_eq!(status, 201);
    let reference = created["ref"].as_str().unwrap().to_string();
    let mails = sink.wait_for(1).await;
    let confirmation = &mails[0];
    assert!(
        confirmation.contains("To: buergerin@example.org"),
        "{confirmation}"
    );
    assert!(confirmation.contains(&reference));
    assert!(
        !confirmation.contains("GEHEIMER"),
        "the mail never echoes the citizen's text"
    );
    let confirm_url = confirmation
        .split_whitespace()
        .find(|w| w.ends_with("/confirm"))
        .expect("a confirmation link")
        .to_string();
    let token_path = confirm_url.trim_start_matches(&s.url).to_string();
    // GET only shows a form (link scanners must not confirm); POST confirms.
    let (status, _, page) = s.get_text(&token_path).await;
    assert_eq!(status, 200);
    assert!(page.contains("<form method=post"));
    let stored =
        s.db.report_by_ref(s.tenant.id, &reference)
            .await
            .unwrap()
            .unwrap();
    assert_eq!(stored.email_state.as_deref(), Some("unconfirmed"));
    let r = s.http.post(&confirm_url).send().await.unwrap();
    assert_eq!(
        r.status(),
        200,
        "followed the redirect to the thank-you page"
    );
    assert!(r.text().await.unwrap().contains("bestätigt"));

    // An official's state change mails the note, the status link and an unsubscribe link.
    let admin = s.login_admin().await;
    let (status, _) = admin
        .post(&format!("/office/api/reports/{reference}/status"), &json!({"status": "in_progress", "public_note": "Ein Elektriker ist beauftragt.", "internal_note": "intern: Firma Lux"}))
        .await;
    assert_eq!(status, 200);
    let mails = sink.wait_for(2).await;
    let update = mails
        .iter()
        .find(|m| m.contains("Elektriker"))
        .expect("the status mail");
    assert!(update.contains("in Bearbeitung"));
    assert!(update.contains("/unsubscribe"));
    assert!(update.contains("List-Unsubscribe"));
    assert!(
        !update.contains("Firma Lux"),
        "internal notes stay internal"
    );
    assert!(!update.contains("GEHEIMER"));
    let unsubscribe_url = update
        .split_whitespace()
        .find(|w| w.ends_with("/unsubscribe"))
        .unwrap()
        .to_string();
    let r = s.http.post(&unsubscribe_url).send().await.unwrap();
    assert_eq!(r.status(), 200);
    admin
        .post(
            &format!("/office/api/reports/{reference}/status"),
            &json!({"status": "resolved", "public_note": "Repariert."}),
        )
        .await;
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    assert_eq!(sink.messages().len(), 2, "no mail after unsubscribing");
    let (sent, waiting) = s.db.outbox_counts(s.tenant.id).await.unwrap();
    assert_eq!((sent, waiting), (2, 0));
}

async fn a_dead_mail_server_never_fails_the_officials_action(s: TestServer) {
    // A port where nothing listens.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let s = TestServer::start_with_smtp(s.backend, Some(&format!("smtp://127.0.0.1:{port}")))
        .await
        .unwrap();
    let mut body = good_report();
    body["email"] = json!("buerger@example.org");
    let (status, created) = s.post_json("/api/v1/musterstadt/reports", &body).await;
    assert_eq!(
        status, 201,
        "the citizen's report is taken although mail is down"
    );
    let reference = created["ref"].as_str().unwrap();
    let admin = s.login_admin().await;
    let started = std::time::Instant::now();
    let (status, _) = admin
        .post(
            &format!("/office/api/reports/{reference}/status"),
            &json!({"status": "in_progress", "public_note": "Läuft."}),
        )
        .await;
    assert_eq!(status, 200);
    assert!(started.elapsed() < std::time::Duration::from_secs(3));
    // The mail waits in the outbox with its error, for a later retry.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let row: (Option<String>, i64) = {
            use sqlx::Row;
            let r = sqlx::query("SELECT last_error, attempts FROM outbox ORDER BY id LIMIT 1")
                .fetch_one(&s.db.pool)
                .await
                .unwrap();
            (r.get("last_error"), r.get("attempts"))
        };
        if row.0.is_some() {
            assert!(row.1 >= 1);
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the worker should have tried and failed"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let (sent, waiting) = s.db.outbox_counts(s.tenant.id).await.unwrap();
    assert_eq!((sent, waiting), (0, 1));
}
