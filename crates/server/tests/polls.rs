//! Polls over real HTTP on SQLite and PostgreSQL: open and code polls, exactly-once voting under
//! concurrency, min/max, opening times, result visibility, the office, and ballot secrecy
//! checked against the stored data itself (`ballot_secrecy.rs`: the files, interim results,
//! `polls vacuum`).

mod common;

use common::TestServer;
use serde_json::{json, Value};

backend_tests!(
    open_poll_one_vote_per_browser,
    code_poll_one_vote_per_code_and_only_for_its_poll,
    fifty_concurrent_votes_with_one_code_count_once,
    choices_must_respect_min_and_max,
    malformed_ballots_get_the_documented_400_and_count_nothing,
    votes_outside_the_opening_time_are_refused,
    results_follow_the_visibility_setting,
    office_manages_polls_codes_and_exports,
    ballots_cannot_be_linked_to_codes_or_browsers,
    polls_are_isolated_between_towns,
);

/// Live results vote by vote (step 1), for the tests of voting itself; the town's default of
/// interim results every 10 votes is tested in `ballot_secrecy.rs`.
async fn exact_live_results(s: &TestServer) {
    s.db.set_poll_result_step(s.tenant.id, 1, &civickit_server::db::audit::Actor::cli())
        .await
        .unwrap();
}

async fn poll(s: &TestServer, slug: &str, token: Option<&str>) -> Value {
    let q = token
        .map(|t| format!("?voter_token={t}"))
        .unwrap_or_default();
    let (status, p) = s
        .get_json(&format!("/api/v1/musterstadt/polls/{slug}{q}"))
        .await;
    assert_eq!(status, 200, "{p}");
    p
}

fn option_id(p: &Value, question: usize, text: &str) -> i64 {
    p["questions"][question]["options"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["text"] == text)
        .unwrap_or_else(|| panic!("no option {text}"))["id"]
        .as_i64()
        .unwrap()
}

fn qid(p: &Value, question: usize) -> i64 {
    p["questions"][question]["id"].as_i64().unwrap()
}

async fn codes(s: &TestServer, admin: &common::Office, slug: &str, n: usize) -> Vec<String> {
    let (status, r) = admin
        .post(
            &format!("/office/api/polls/{slug}/codes"),
            &json!({"count": n}),
        )
        .await;
    assert_eq!(status, 200, "{r}");
    let _ = s;
    r["codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_string())
        .collect()
}

/// A valid ballot for the demo's code poll.
fn spielplatz_ballot(p: &Value, first: &[&str], second: &str, code: &str) -> Value {
    json!({
        "code": code,
        "answers": [
            {"question": qid(p, 0), "options": first.iter().map(|t| option_id(p, 0, t)).collect::<Vec<_>>()},
            {"question": qid(p, 1), "options": [option_id(p, 1, second)]},
        ],
    })
}

async fn open_poll_one_vote_per_browser(s: TestServer) {
    exact_live_results(&s).await;
    let p = poll(&s, "sitzbaenke", None).await;
    assert_eq!(
        (
            p["mode"].as_str(),
            p["binding"].as_bool(),
            p["state"].as_str()
        ),
        (Some("open"), Some(false), Some("open"))
    );
    assert_eq!(p["has_voted"], false);
    assert!(
        p.get("results").is_none(),
        "after_voting: no results before voting"
    );
    let token = p["voter_token"].as_str().unwrap().to_string();
    let ballot = json!({"voter_token": token, "answers": [{"question": qid(&p, 0), "options": [option_id(&p, 0, "Ja")]}]});
    let (status, r) = s
        .post_json("/api/v1/musterstadt/polls/sitzbaenke/votes", &ballot)
        .await;
    assert_eq!(status, 201, "{r}");
    assert_eq!(r["results"]["participations"], 1);
    assert_eq!(r["results"]["questions"][0]["options"][0]["votes"], 1);
    assert_eq!(r["results"]["questions"][0]["options"][0]["percent"], 100.0);
    let (status, err) = s
        .post_json("/api/v1/musterstadt/polls/sitzbaenke/votes", &ballot)
        .await;
    assert_eq!(status, 409);
    assert!(err["message"]
        .as_str()
        .unwrap()
        .contains("bereits abgestimmt"));
    let again = poll(&s, "sitzbaenke", Some(&token)).await;
    assert_eq!(again["has_voted"], true);
    assert_eq!(again["results"]["participations"], 1);
    // A token the server did not sign is refused.
    let mut forged = ballot.clone();
    forged["voter_token"] = json!("00112233445566778899aabbccddeeff.beef");
    assert_eq!(
        s.post_json("/api/v1/musterstadt/polls/sitzbaenke/votes", &forged)
            .await
            .0,
        400
    );
    // Another browser (another token) may vote.
    let other = poll(&s, "sitzbaenke", None).await["voter_token"]
        .as_str()
        .unwrap()
        .to_string();
    let mut second = ballot.clone();
    second["voter_token"] = json!(other);
    second["answers"][0]["options"] = json!([option_id(&p, 0, "Nein")]);
    let (status, r) = s
        .post_json("/api/v1/musterstadt/polls/sitzbaenke/votes", &second)
        .await;
    assert_eq!(status, 201);
    assert_eq!(r["results"]["questions"][0]["options"][1]["percent"], 50.0);
}

async fn code_poll_one_vote_per_code_and_only_for_its_poll(s: TestServer) {
    exact_live_results(&s).await;
    let admin = s.login_admin().await;
    let codes = codes(&s, &admin, "spielplatz", 3).await;
    assert_eq!(codes.len(), 3);
    assert!(codes
        .iter()
        .all(|c| c.len() == 9 && c.chars().nth(4) == Some('-')));
    let p = poll(&s, "spielplatz", None).await;
    assert_eq!(
        (p["mode"].as_str(), p["binding"].as_bool()),
        (Some("codes"), Some(true))
    );
    assert!(p.get("voter_token").is_none());
    let (status, r) = s
        .post_json(
            "/api/v1/musterstadt/polls/spielplatz/votes",
            &spielplatz_ballot(&p, &["Kletterturm", "Seilbahn"], "Ja", &codes[0]),
        )
        .await;
    assert_eq!(status, 201, "{r}");
    // Typed in lower case with a space instead of the dash: the same code, already used.
    let sloppy = codes[0].to_lowercase().replace('-', " ");
    let (status, err) = s
        .post_json(
            "/api/v1/musterstadt/polls/spielplatz/votes",
            &spielplatz_ballot(&p, &["Sandkasten mit Bagger"], "Nein", &sloppy),
        )
        .await;
    assert_eq!(status, 409);
    assert!(err["message"]
        .as_str()
        .unwrap()
        .contains("bereits abgestimmt"));
    // A code that does not exist, and a code of another poll.
    let (status, err) = s
        .post_json(
            "/api/v1/musterstadt/polls/spielplatz/votes",
            &spielplatz_ballot(&p, &["Seilbahn"], "Ja", "ZZZZ-ZZZZ"),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(err["fields"][0]["field"], "code");
    let (status, other_poll) = admin
        .post(
            "/office/api/polls",
            &json!({
                "title": "Zweite Abstimmung", "mode": "codes", "visibility": "live",
                "opens_at": "2020-01-01T00:00:00Z", "closes_at": "2099-01-01T00:00:00Z",
                "questions": [{"text": "Ja?", "kind": "single", "options": ["Ja", "Nein"]}],
            }),
        )
        .await;
    assert_eq!(status, 201, "{other_poll}");
    let foreign = codes_for(&admin, other_poll["slug"].as_str().unwrap()).await;
    let (status, _) = s
        .post_json(
            "/api/v1/musterstadt/polls/spielplatz/votes",
            &spielplatz_ballot(&p, &["Seilbahn"], "Ja", &foreign),
        )
        .await;
    assert_eq!(status, 422, "a code works only for its own poll");
    // Missing code.
    let mut no_code = spielplatz_ballot(&p, &["Seilbahn"], "Ja", "");
    no_code.as_object_mut().unwrap().remove("code");
    assert_eq!(
        s.post_json("/api/v1/musterstadt/polls/spielplatz/votes", &no_code)
            .await
            .0,
        422
    );
    let after = poll(&s, "spielplatz", None).await;
    assert_eq!(after["results"]["participations"], 1);
    let (_, office) = admin.get("/office/api/polls/spielplatz").await;
    assert_eq!(
        (
            office["codes_issued"].as_i64(),
            office["codes_used"].as_i64()
        ),
        (Some(3), Some(1))
    );
}

async fn codes_for(admin: &common::Office, slug: &str) -> String {
    let (_, r) = admin
        .post(
            &format!("/office/api/polls/{slug}/codes"),
            &json!({"count": 1}),
        )
        .await;
    r["codes"][0].as_str().unwrap().to_string()
}

async fn fifty_concurrent_votes_with_one_code_count_once(s: TestServer) {
    exact_live_results(&s).await;
    let admin = s.login_admin().await;
    let code = codes(&s, &admin, "spielplatz", 1).await.remove(0);
    let p = poll(&s, "spielplatz", None).await;
    let ballot = spielplatz_ballot(&p, &["Wasserspielplatz"], "Ja", &code);
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let http = s.http.clone();
            let (base, path) = (s.url.clone(), "/api/v1/musterstadt/polls/spielplatz/votes");
            let ballot = ballot.clone();
            tokio::spawn(async move {
                let ballot = common::pow::with_altcha(&http, &base, path, &ballot).await;
                http.post(format!("{base}{path}"))
                    .json(&ballot)
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16()
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.unwrap());
    }
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 409).count(),
        49,
        "{statuses:?}"
    );
    let after = poll(&s, "spielplatz", None).await;
    assert_eq!(after["results"]["participations"], 1);
    let water = &after["results"]["questions"][0]["options"]
        .as_array()
        .unwrap()[1];
    assert_eq!(
        (water["text"].as_str(), water["votes"].as_i64()),
        (Some("Wasserspielplatz"), Some(1))
    );
}

async fn choices_must_respect_min_and_max(s: TestServer) {
    let admin = s.login_admin().await;
    let code = codes(&s, &admin, "spielplatz", 1).await.remove(0);
    let p = poll(&s, "spielplatz", None).await;
    let too_many = spielplatz_ballot(
        &p,
        &["Kletterturm", "Seilbahn", "Sandkasten mit Bagger"],
        "Ja",
        &code,
    );
    let (status, err) = s
        .post_json("/api/v1/musterstadt/polls/spielplatz/votes", &too_many)
        .await;
    assert_eq!(status, 422);
    assert_eq!(
        err["fields"][0]["field"],
        format!("question-{}", qid(&p, 0))
    );
    assert_eq!(err["fields"][0]["code"], "too_many_choices");
    let mut none = spielplatz_ballot(&p, &[], "Ja", &code);
    none["answers"][1]["options"] = json!([]);
    let (status, err) = s
        .post_json("/api/v1/musterstadt/polls/spielplatz/votes", &none)
        .await;
    assert_eq!(status, 422);
    let codes: Vec<&str> = err["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["too_few_choices", "too_few_choices"]);
    // An option of the other question does not count.
    let mut crossed = spielplatz_ballot(&p, &["Seilbahn"], "Ja", &code);
    crossed["answers"][1]["options"] = json!([option_id(&p, 0, "Kletterturm")]);
    assert_eq!(
        s.post_json("/api/v1/musterstadt/polls/spielplatz/votes", &crossed)
            .await
            .0,
        422
    );
    // The refused attempts did not use up the code.
    let ok = spielplatz_ballot(&p, &["Seilbahn"], "Ja", &code);
    assert_eq!(
        s.post_json("/api/v1/musterstadt/polls/spielplatz/votes", &ok)
            .await
            .0,
        201
    );
}

async fn create_open_poll(
    admin: &common::Office,
    visibility: &str,
    opens: &str,
    closes: &str,
) -> Value {
    let (status, p) = admin
        .post(
            "/office/api/polls",
            &json!({
                "title": "Testumfrage", "description": "", "mode": "open", "visibility": visibility,
                "opens_at": opens, "closes_at": closes,
                "questions": [{"text": "Gut?", "kind": "single", "options": ["Ja", "Nein"]}],
            }),
        )
        .await;
    assert_eq!(status, 201, "{p}");
    p
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

async fn voters(s: &TestServer) -> i64 {
    use sqlx::Row;
    sqlx::query("SELECT COUNT(*) AS n FROM poll_voters")
        .fetch_one(&s.db.pool)
        .await
        .unwrap()
        .get("n")
}

async fn malformed_ballots_get_the_documented_400_and_count_nothing(s: TestServer) {
    let before = voters(&s).await;
    let p = poll(&s, "sitzbaenke", None).await;
    let token = p["voter_token"].as_str().unwrap();
    let path = "/api/v1/musterstadt/polls/sitzbaenke/votes";
    let r = s
        .http
        .post(s.at(path))
        .header("content-type", "application/json")
        .body(format!("{{\"voter_token\": \"{token}\", \"answers\": [{{"))
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    assert_bad_request(status, &r.json().await.unwrap(), "JSON");
    let wrong_type =
        json!({"voter_token": token, "answers": [{"question": qid(&p, 0), "options": "Ja"}]});
    let (status, err) = s.post_json(path, &wrong_type).await;
    assert_bad_request(status, &err, "answers");
    let missing = json!({"voter_token": token});
    let (status, err) = s.post_json(path, &missing).await;
    assert_bad_request(status, &err, "missing field `answers`");
    assert_eq!(voters(&s).await, before, "no vote counted");
    assert_eq!(
        poll(&s, "sitzbaenke", Some(token)).await["has_voted"],
        false
    );
}

async fn votes_outside_the_opening_time_are_refused(s: TestServer) {
    let admin = s.login_admin().await;
    let future = create_open_poll(
        &admin,
        "live",
        "2099-01-01T00:00:00Z",
        "2099-02-01T00:00:00Z",
    )
    .await;
    let past = create_open_poll(
        &admin,
        "live",
        "2000-01-01T00:00:00Z",
        "2000-02-01T00:00:00Z",
    )
    .await;
    for (p, word) in [(&future, "noch nicht"), (&past, "beendet")] {
        let slug = p["slug"].as_str().unwrap();
        let public = poll(&s, slug, None).await;
        let ballot = json!({"voter_token": public["voter_token"], "answers": [{"question": qid(&public, 0), "options": [option_id(&public, 0, "Ja")]}]});
        let (status, err) = s
            .post_json(&format!("/api/v1/musterstadt/polls/{slug}/votes"), &ballot)
            .await;
        assert_eq!(status, 409);
        assert!(err["message"].as_str().unwrap().contains(word), "{err}");
    }
    // Opening it from the office lets votes in; closing stops them again.
    let slug = future["slug"].as_str().unwrap();
    let (status, opened) = admin
        .post(&format!("/office/api/polls/{slug}/open"), &json!({}))
        .await;
    assert_eq!((status, opened["state"].as_str()), (200, Some("open")));
    let public = poll(&s, slug, None).await;
    let ballot = json!({"voter_token": public["voter_token"], "answers": [{"question": qid(&public, 0), "options": [option_id(&public, 0, "Ja")]}]});
    assert_eq!(
        s.post_json(&format!("/api/v1/musterstadt/polls/{slug}/votes"), &ballot)
            .await
            .0,
        201
    );
    let (_, closed) = admin
        .post(&format!("/office/api/polls/{slug}/close"), &json!({}))
        .await;
    assert_eq!(closed["state"], "closed");
    let fresh = poll(&s, slug, None).await;
    let ballot = json!({"voter_token": fresh["voter_token"], "answers": [{"question": qid(&fresh, 0), "options": [option_id(&fresh, 0, "Nein")]}]});
    assert_eq!(
        s.post_json(&format!("/api/v1/musterstadt/polls/{slug}/votes"), &ballot)
            .await
            .0,
        409
    );
}

async fn results_follow_the_visibility_setting(s: TestServer) {
    let admin = s.login_admin().await;
    let now = time::OffsetDateTime::now_utc();
    let fmt = |t: time::OffsetDateTime| {
        t.format(&time::format_description::well_known::Rfc3339)
            .unwrap()
    };
    let (opens, closes) = (
        fmt(now - time::Duration::hours(1)),
        fmt(now + time::Duration::days(1)),
    );
    for (visibility, before_vote, after_vote, after_close, after_publish) in [
        ("live", true, true, true, true),
        ("after_voting", false, true, true, true),
        ("after_closing", false, false, true, true),
        ("when_published", false, false, false, true),
    ] {
        let p = create_open_poll(&admin, visibility, &opens, &closes).await;
        let slug = p["slug"].as_str().unwrap();
        let public = poll(&s, slug, None).await;
        assert_eq!(
            public.get("results").is_some(),
            before_vote,
            "{visibility} before voting"
        );
        let token = public["voter_token"].as_str().unwrap();
        let ballot = json!({"voter_token": token, "answers": [{"question": qid(&public, 0), "options": [option_id(&public, 0, "Ja")]}]});
        let (_, r) = s
            .post_json(&format!("/api/v1/musterstadt/polls/{slug}/votes"), &ballot)
            .await;
        assert_eq!(
            r.get("results").is_some(),
            after_vote,
            "{visibility} in the vote answer"
        );
        assert_eq!(
            poll(&s, slug, Some(token)).await.get("results").is_some(),
            after_vote,
            "{visibility} after voting"
        );
        admin
            .post(&format!("/office/api/polls/{slug}/close"), &json!({}))
            .await;
        assert_eq!(
            poll(&s, slug, None).await.get("results").is_some(),
            after_close,
            "{visibility} after closing"
        );
        admin
            .post(&format!("/office/api/polls/{slug}/publish"), &json!({}))
            .await;
        assert_eq!(
            poll(&s, slug, None).await.get("results").is_some(),
            after_publish,
            "{visibility} after publishing"
        );
        // The office always sees them.
        let (_, results) = admin
            .get(&format!("/office/api/polls/{slug}/results"))
            .await;
        assert_eq!(results["participations"], 1);
    }
}

async fn office_manages_polls_codes_and_exports(s: TestServer) {
    exact_live_results(&s).await;
    let admin = s.login_admin().await;
    let editor = s.login_editor().await;
    assert_eq!(
        editor.get("/office/api/polls").await.0,
        403,
        "polls are an admin's job"
    );
    let (_, list) = admin.get("/office/api/polls").await;
    assert_eq!(
        list["polls"].as_array().unwrap().len(),
        2,
        "the demo's two polls"
    );
    // Bad definitions are refused with every problem named.
    let (status, err) = admin
        .post("/office/api/polls", &json!({
            "title": "", "mode": "secret", "visibility": "live",
            "opens_at": "2026-01-02T00:00:00Z", "closes_at": "2026-01-01T00:00:00Z",
            "questions": [{"text": "Welche?", "kind": "multiple", "min_choices": 3, "max_choices": 2, "options": ["a", "b"]}],
        }))
        .await;
    assert_eq!(status, 400);
    let message = err["message"].as_str().unwrap();
    for part in ["title", "mode", "closes_at", "question 1"] {
        assert!(message.contains(part), "{part} in {message}");
    }
    // Edit until the first vote.
    let p = create_open_poll(
        &admin,
        "live",
        "2020-01-01T00:00:00Z",
        "2099-01-01T00:00:00Z",
    )
    .await;
    let slug = p["slug"].as_str().unwrap().to_string();
    let edited_def = json!({
        "title": "Umbenannt", "mode": "open", "visibility": "live",
        "opens_at": "2020-01-01T00:00:00Z", "closes_at": "2099-01-01T00:00:00Z",
        "questions": [{"text": "Wirklich gut?", "kind": "single", "options": ["Ja", "Nein", "Vielleicht"]}],
    });
    let r = s
        .http
        .put(s.at(&format!("/office/api/polls/{slug}")))
        .header("cookie", admin.cookie_pair())
        .header("x-csrf-token", &admin.csrf)
        .json(&edited_def)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let public = poll(&s, &slug, None).await;
    assert_eq!(public["title"], "Umbenannt");
    assert_eq!(
        public["questions"][0]["options"].as_array().unwrap().len(),
        3
    );
    let ballot = json!({"voter_token": public["voter_token"], "answers": [{"question": qid(&public, 0), "options": [option_id(&public, 0, "Vielleicht")]}]});
    assert_eq!(
        s.post_json(&format!("/api/v1/musterstadt/polls/{slug}/votes"), &ballot)
            .await
            .0,
        201
    );
    let r = s
        .http
        .put(s.at(&format!("/office/api/polls/{slug}")))
        .header("cookie", admin.cookie_pair())
        .header("x-csrf-token", &admin.csrf)
        .json(&edited_def)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409, "no edits after the first vote");
    // Aggregated CSV: per option, never per voter.
    let r = s
        .http
        .get(s.at(&format!("/office/api/polls/{slug}/results?format=csv")))
        .header("cookie", admin.cookie_pair())
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["content-type"], "text/csv; charset=utf-8");
    let csv = r.text().await.unwrap();
    assert_eq!(
        csv,
        "question,option,votes,percent\nWirklich gut?,Ja,0,0.0\nWirklich gut?,Nein,0,0.0\nWirklich gut?,Vielleicht,1,100.0\nparticipations,,1,\n"
    );
    // Codes as CSV and as printable slips.
    let r = s
        .http
        .post(s.at("/office/api/polls/spielplatz/codes?format=csv"))
        .header("cookie", admin.cookie_pair())
        .header("x-csrf-token", &admin.csrf)
        .json(&json!({"count": 4}))
        .send()
        .await
        .unwrap();
    let csv = r.text().await.unwrap();
    assert_eq!(csv.lines().count(), 5, "{csv}");
    let r = s
        .http
        .post(s.at("/office/api/polls/spielplatz/codes?format=html"))
        .header("cookie", admin.cookie_pair())
        .header("x-csrf-token", &admin.csrf)
        .json(&json!({"count": 2}))
        .send()
        .await
        .unwrap();
    let html = r.text().await.unwrap();
    assert_eq!(html.matches("class=slip").count(), 2);
    assert_eq!(
        admin
            .post(
                &format!("/office/api/polls/{slug}/codes"),
                &json!({"count": 3})
            )
            .await
            .0,
        409,
        "open polls need no codes"
    );
    assert_eq!(
        admin
            .post("/office/api/polls/spielplatz/codes", &json!({"count": 0}))
            .await
            .0,
        400
    );
    // Delete.
    let r = s
        .http
        .delete(s.at(&format!("/office/api/polls/{slug}")))
        .header("cookie", admin.cookie_pair())
        .header("x-csrf-token", &admin.csrf)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(
        s.get_json(&format!("/api/v1/musterstadt/polls/{slug}"))
            .await
            .0,
        404
    );
    let actions = common::audit_actions(&admin).await;
    for a in ["poll.create", "poll.edit", "poll.codes", "poll.delete"] {
        assert!(actions.iter().any(|x| x == a), "{a} in {actions:?}");
    }
}

/// Everything the database holds about polls, as text, to show what could be linked.
async fn poll_tables(s: &TestServer) -> Vec<(String, Vec<String>)> {
    use sqlx::{Column, Row};
    let mut out = Vec::new();
    for table in [
        "polls",
        "poll_questions",
        "poll_options",
        "poll_codes",
        "poll_voters",
    ] {
        let rows = sqlx::query(&format!("SELECT * FROM {table}"))
            .fetch_all(&s.db.pool)
            .await
            .unwrap();
        let columns = rows
            .first()
            .map(|r| r.columns().iter().map(|c| c.name().to_string()).collect())
            .unwrap_or_default();
        out.push((table.to_string(), columns));
    }
    out
}

async fn ballots_cannot_be_linked_to_codes_or_browsers(s: TestServer) {
    exact_live_results(&s).await;
    let admin = s.login_admin().await;
    let codes = codes(&s, &admin, "spielplatz", 3).await;
    let p = poll(&s, "spielplatz", None).await;
    let choices = [
        (&["Kletterturm"][..], "Ja"),
        (&["Seilbahn", "Wasserspielplatz"][..], "Nein"),
        (&["Sandkasten mit Bagger"][..], "Ja"),
    ];
    for (code, (first, second)) in codes.iter().zip(choices) {
        let (status, _) = s
            .post_json(
                "/api/v1/musterstadt/polls/spielplatz/votes",
                &spielplatz_ballot(&p, first, second, code),
            )
            .await;
        assert_eq!(status, 201);
    }
    let open = poll(&s, "sitzbaenke", None).await;
    let ballot = json!({"voter_token": open["voter_token"], "answers": [{"question": qid(&open, 0), "options": [option_id(&open, 0, "Nein")]}]});
    assert_eq!(
        s.post_json("/api/v1/musterstadt/polls/sitzbaenke/votes", &ballot)
            .await
            .0,
        201
    );

    let tables = poll_tables(&s).await;
    let columns = |t: &str| tables.iter().find(|(n, _)| n == t).unwrap().1.clone();
    // Participation records: who took part, nothing about when or what.
    assert_eq!(columns("poll_codes"), ["poll_id", "code_hash", "used"]);
    assert_eq!(columns("poll_voters"), ["poll_id", "token_hash"]);
    // The only place choices live: per-option counters, with no reference to any voter.
    let options = columns("poll_options");
    assert_eq!(
        options,
        [
            "id",
            "poll_id",
            "question_id",
            "position",
            "text",
            "votes",
            "interim_votes"
        ]
    );
    for (table, cols) in &tables {
        let has_voter = cols
            .iter()
            .any(|c| c.contains("code") || c.contains("token"));
        let has_choice = cols
            .iter()
            .any(|c| c.ends_with("votes") || c.contains("option"));
        assert!(
            !(has_voter && has_choice),
            "{table} would link voters and choices: {cols:?}"
        );
        assert!(
            !cols
                .iter()
                .any(|c| c.ends_with("_at") && table.starts_with("poll_")),
            "{table} keeps a time: {cols:?}"
        );
    }
    // The totals are right.
    let after = poll(&s, "spielplatz", None).await;
    let votes: Vec<i64> = after["results"]["questions"][0]["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["votes"].as_i64().unwrap())
        .collect();
    assert_eq!(votes, [1, 1, 1, 1]);
    // On PostgreSQL, the last vote rewrote every counter of its poll: all carry the same row
    // version, so no counter tells which options that last vote chose.
    if s.backend == civickit_server::db::Backend::Postgres {
        use sqlx::Row;
        let poll_id: i64 = sqlx::query("SELECT id FROM polls WHERE slug = 'spielplatz'")
            .fetch_one(&s.db.pool)
            .await
            .unwrap()
            .get("id");
        let versions: Vec<String> =
            sqlx::query("SELECT DISTINCT xmin::text AS v FROM poll_options WHERE poll_id = $1")
                .bind(poll_id)
                .fetch_all(&s.db.pool)
                .await
                .unwrap()
                .iter()
                .map(|r| r.get("v"))
                .collect();
        assert_eq!(versions.len(), 1, "{versions:?}");
    }
}

async fn polls_are_isolated_between_towns(s: TestServer) {
    let (_, neighbour) = s.neighbour_admin().await;
    assert_eq!(
        neighbour.get("/office/api/polls").await.1["polls"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    assert_eq!(neighbour.get("/office/api/polls/spielplatz").await.0, 404);
    assert_eq!(
        neighbour
            .post("/office/api/polls/spielplatz/codes", &json!({"count": 1}))
            .await
            .0,
        404
    );
    assert_eq!(
        neighbour
            .post("/office/api/polls/spielplatz/close", &json!({}))
            .await
            .0,
        404
    );
    assert_eq!(
        s.get_json("/api/v1/nachbardorf/polls/spielplatz").await.0,
        404
    );
}
