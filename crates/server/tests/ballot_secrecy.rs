//! Ballot secrecy against whoever holds the database (ARCHITECTURE.md, "Ballot secrecy"):
//! the SQLite file and its WAL read byte by byte after 20 votes; interim results that move only
//! in the town's steps, for citizens and officials; the step's bounds; and `civickit polls
//! vacuum` with the real binary, on PostgreSQL read page by page with pageinspect.

mod common;
mod ballot_secrecy {
    pub mod bytes;
}

use ballot_secrecy::bytes::*;
use civickit_server::db::polls::normalize_code;
use civickit_server::db::Backend;
use civickit_server::secrets::hash_secret;
use common::process::civickit;
use common::TestServer;
use serde_json::{json, Value};
use sqlx::Row;

backend_tests!(
    live_results_move_only_in_steps,
    the_step_is_checked_by_office_and_cli,
    polls_vacuum_seals_ended_polls_and_leaves_no_old_counts,
    the_daily_job_seals_polls_that_ended,
);

const VOTES: usize = 20;

async fn poll(s: &TestServer, slug: &str) -> Value {
    let (status, p) = s
        .get_json(&format!("/api/v1/musterstadt/polls/{slug}"))
        .await;
    assert_eq!(status, 200, "{p}");
    p
}

/// Option ids of question `q`, in the poll's order.
fn options(p: &Value, q: usize) -> Vec<i64> {
    p["questions"][q]["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_i64().unwrap())
        .collect()
}

fn qid(p: &Value, q: usize) -> i64 {
    p["questions"][q]["id"].as_i64().unwrap()
}

async fn vote(s: &TestServer, slug: &str, body: &Value) -> Value {
    let (status, r) = s
        .post_json(&format!("/api/v1/musterstadt/polls/{slug}/votes"), body)
        .await;
    assert_eq!(status, 201, "{r}");
    r
}

async fn poll_id(s: &TestServer, slug: &str) -> i64 {
    sqlx::query("SELECT id FROM polls WHERE slug = $1")
        .bind(slug)
        .fetch_one(&s.db.pool)
        .await
        .unwrap()
        .get("id")
}

/// Per option row: (id, poll_id, question_id, position, text), as stored.
async fn option_rows(s: &TestServer, poll: i64) -> Vec<(i64, i64, i64, i64, String)> {
    sqlx::query(
        "SELECT id, poll_id, question_id, position, text FROM poll_options WHERE poll_id = $1 ORDER BY id",
    )
    .bind(poll)
    .fetch_all(&s.db.pool)
    .await
    .unwrap()
    .iter()
    .map(|r| {
        (
            r.get("id"),
            r.get("poll_id"),
            r.get("question_id"),
            r.get("position"),
            r.get("text"),
        )
    })
    .collect()
}

/// The counters (votes, interim_votes) per option after each number of votes 0..=n, for the
/// options each vote chose, with the interim snapshot at every multiple of `step`.
fn counter_states(option_ids: &[i64], chosen: &[Vec<i64>], step: usize) -> Vec<Vec<(i64, i64)>> {
    let count = |upto: usize, id: i64| chosen[..upto].iter().filter(|c| c.contains(&id)).count();
    (0..=chosen.len())
        .map(|i| {
            option_ids
                .iter()
                .map(|id| (count(i, *id) as i64, count(i / step * step, *id) as i64))
                .collect()
        })
        .collect()
}

/// 20 votes with invitation codes, in the order the codes were printed, then 20 votes from 20
/// browsers; after them the SQLite file and WAL hold neither the order of the votes nor any
/// earlier count.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_file_keeps_no_vote_order_and_no_earlier_counts() {
    let s = TestServer::start(Backend::Sqlite).await.unwrap();
    let admin = s.login_admin().await;
    let step = 10;
    assert_eq!(
        s.db.poll_result_step(s.tenant.id).await.unwrap(),
        step,
        "the default"
    );

    // The code poll: codes as the office prints them, used in that order.
    let (status, r) = admin
        .post(
            "/office/api/polls/spielplatz/codes",
            &json!({"count": VOTES}),
        )
        .await;
    assert_eq!(status, 200, "{r}");
    let codes: Vec<String> = r["codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_string())
        .collect();
    let spielplatz = poll_id(&s, "spielplatz").await;
    let hashes: Vec<String> = codes
        .iter()
        .map(|c| hash_secret(&format!("{spielplatz}:{}", normalize_code(c))))
        .collect();
    assert!(s
        .db
        .checkpoint(std::time::Duration::from_secs(5))
        .await
        .unwrap());
    let placed_before = offsets(&sqlite_files(&s).0, &hashes);
    let p = poll(&s, "spielplatz").await;
    let (devices, light) = (options(&p, 0), options(&p, 1));
    let mut chosen = Vec::new();
    for (i, code) in codes.iter().enumerate() {
        let mut first = vec![devices[i % 4]];
        if i % 3 == 0 {
            first.push(devices[(i + 1) % 4]);
        }
        let second = light[i % 2];
        vote(
            &s,
            "spielplatz",
            &json!({"code": code, "answers": [
                {"question": qid(&p, 0), "options": first},
                {"question": qid(&p, 1), "options": [second]},
            ]}),
        )
        .await;
        chosen.push([first, vec![second]].concat());
    }
    let (file, wal) = sqlite_files(&s);
    assert_eq!(wal.len(), 0, "the last vote emptied the WAL");
    assert_eq!(
        offsets(&file, &hashes),
        placed_before,
        "a used code's row stays where it was: the flag flips in place"
    );
    assert_no_sequence(
        &file_order(&file, &hashes),
        &plain_select(&s, "poll_codes", "code_hash", spielplatz).await,
        &hashes,
        "used codes",
    );
    let rows = option_rows(&s, spielplatz).await;
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    let states = counter_states(&ids, &chosen, step as usize);
    let looked_for = assert_no_earlier_counts(&s, &rows, &states);
    assert!(looked_for > 80, "{looked_for} earlier states looked for");

    // The open poll: 20 browsers, each a token of its own. After every vote the rows stand in
    // key order, so the newest is not the one out of place.
    let sitzbaenke = poll_id(&s, "sitzbaenke").await;
    let mut voters = Vec::new();
    let mut chosen = Vec::new();
    for i in 0..VOTES {
        let p = poll(&s, "sitzbaenke").await;
        let token = p["voter_token"].as_str().unwrap().to_string();
        let answer = options(&p, 0)[i % 3];
        vote(
            &s,
            "sitzbaenke",
            &json!({"voter_token": token, "answers": [{"question": qid(&p, 0), "options": [answer]}]}),
        )
        .await;
        voters.push(hash_secret(token.split_once('.').unwrap().0));
        chosen.push(vec![answer]);
        let (file, _) = sqlite_files(&s);
        let in_file = file_order(&file, &voters);
        let mut by_key = voters.clone();
        by_key.sort();
        let mut desc = by_key.clone();
        desc.reverse();
        assert!(
            in_file == by_key || in_file == desc,
            "after vote {i}: {in_file:?}"
        );
    }
    let (file, wal) = sqlite_files(&s);
    assert_eq!(wal.len(), 0, "the last vote emptied the WAL");
    assert_no_sequence(
        &file_order(&file, &voters),
        &plain_select(&s, "poll_voters", "token_hash", sitzbaenke).await,
        &voters,
        "browsers",
    );
    let rows = option_rows(&s, sitzbaenke).await;
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    let states = counter_states(&ids, &chosen, step as usize);
    let looked_for = assert_no_earlier_counts(&s, &rows, &states);
    assert!(looked_for > 30, "{looked_for} earlier states looked for");
}

// ---- interim results --------------------------------------------------------------------------

/// A new open poll with live results and one question of three options.
async fn live_poll(admin: &common::Office) -> String {
    let (status, p) = admin
        .post(
            "/office/api/polls",
            &json!({
                "title": "Zwischenstand", "mode": "open", "visibility": "live",
                "opens_at": "2020-01-01T00:00:00Z", "closes_at": "2099-01-01T00:00:00Z",
                "questions": [{"text": "Wohin?", "kind": "single", "options": ["Teich", "Wiese", "Wald"]}],
            }),
        )
        .await;
    assert_eq!(status, 201, "{p}");
    p["slug"].as_str().unwrap().to_string()
}

/// (participations, votes per option, interim_step) of a results body.
fn counts(results: &Value) -> (i64, Vec<i64>, Option<i64>) {
    (
        results["participations"].as_i64().unwrap(),
        results["questions"][0]["options"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["votes"].as_i64().unwrap())
            .collect(),
        results["interim_step"].as_i64(),
    )
}

async fn live_results_move_only_in_steps(s: TestServer) {
    let admin = s.login_admin().await;
    let (status, settings) = admin
        .post("/office/api/settings", &json!({"poll_result_step": 5}))
        .await;
    assert_eq!((status, &settings["poll_result_step"]), (200, &json!(5)));
    let slug = live_poll(&admin).await;
    let p = poll(&s, &slug).await;
    assert_eq!(counts(&p["results"]), (0, vec![0, 0, 0], Some(5)));
    let ids = options(&p, 0);
    let picks = [0, 1, 0, 2, 0, 1, 1, 0, 2, 2, 0, 1];
    let exact = |n: usize| -> Vec<i64> {
        (0..3)
            .map(|o| picks[..n].iter().filter(|p| **p == o).count() as i64)
            .collect()
    };
    for (i, pick) in picks.iter().enumerate() {
        let voted = i + 1;
        let fresh = poll(&s, &slug).await;
        let answer = vote(
            &s,
            &slug,
            &json!({"voter_token": fresh["voter_token"], "answers": [{"question": qid(&p, 0), "options": [ids[*pick]]}]}),
        )
        .await;
        let snapshot = voted / 5 * 5;
        let expected = (snapshot as i64, exact(snapshot), Some(5));
        assert_eq!(
            counts(&answer["results"]),
            expected,
            "the vote's answer after {voted}"
        );
        assert_eq!(
            counts(&poll(&s, &slug).await["results"]),
            expected,
            "GET after {voted}"
        );
        // An official watches the same numbers; only the turnout is exact.
        let (_, office) = admin.get(&format!("/office/api/polls/{slug}")).await;
        assert_eq!(counts(&office["results"]), expected, "office after {voted}");
        assert_eq!(office["participations"], voted);
        let (_, results) = admin
            .get(&format!("/office/api/polls/{slug}/results"))
            .await;
        assert_eq!(counts(&results), expected, "office results after {voted}");
    }
    let (_, csv) = admin
        .get(&format!("/office/api/polls/{slug}/results?format=csv"))
        .await;
    assert!(
        csv.as_str()
            .unwrap()
            .ends_with("participations,,10,\ninterim_step,,5,\n"),
        "{csv}"
    );
    // Once the poll has ended: exact, for everyone.
    admin
        .post(&format!("/office/api/polls/{slug}/close"), &json!({}))
        .await;
    let final_counts = (12, exact(12), None);
    assert_eq!(counts(&poll(&s, &slug).await["results"]), final_counts);
    let (_, office) = admin.get(&format!("/office/api/polls/{slug}")).await;
    assert_eq!(counts(&office["results"]), final_counts);
    // Step 1: live results vote by vote again.
    admin
        .post("/office/api/settings", &json!({"poll_result_step": 1}))
        .await;
    let other = live_poll(&admin).await;
    let fresh = poll(&s, &other).await;
    let answer = vote(
        &s,
        &other,
        &json!({"voter_token": fresh["voter_token"], "answers": [{"question": qid(&fresh, 0), "options": [options(&fresh, 0)[2]]}]}),
    )
    .await;
    assert_eq!(counts(&answer["results"]), (1, vec![0, 0, 1], None));
}

async fn the_step_is_checked_by_office_and_cli(s: TestServer) {
    let admin = s.login_admin().await;
    for bad in [0, 101, -5] {
        let (status, err) = admin
            .post("/office/api/settings", &json!({"poll_result_step": bad}))
            .await;
        assert_eq!(status, 422, "{bad}: {err}");
        assert_eq!(err["fields"][0]["field"], "poll_result_step", "{err}");
    }
    let (_, settings) = admin.get("/office/api/settings").await;
    assert_eq!(settings["poll_result_step"], 10, "refusals changed nothing");
    assert!(!common::audit_actions(&admin)
        .await
        .contains(&"tenant.poll_result_step".to_string()));
    let (status, settings) = admin
        .post("/office/api/settings", &json!({"poll_result_step": 100}))
        .await;
    assert_eq!((status, &settings["poll_result_step"]), (200, &json!(100)));
    assert!(common::audit_actions(&admin)
        .await
        .contains(&"tenant.poll_result_step".to_string()));
    // The command line refuses the same.
    let set = |n: &str| {
        civickit(
            &s.db_url,
            &[
                "tenant",
                "set",
                "--slug",
                "musterstadt",
                "--poll-result-step",
                n,
            ],
        )
    };
    for bad in ["0", "101"] {
        let (ok, _, err) = set(bad);
        assert!(
            !ok && err.contains("--poll-result-step must be 1 to 100"),
            "{bad}: {err}"
        );
    }
    let (ok, out, err) = set("3");
    assert!(ok && out.contains("changed poll_result_step"), "{out}{err}");
    let (_, shown, _) = civickit(&s.db_url, &["tenant", "show", "--slug", "musterstadt"]);
    assert!(shown.contains("poll results:     every 3 votes"), "{shown}");
    assert_eq!(s.db.poll_result_step(s.tenant.id).await.unwrap(), 3);
}

// ---- polls vacuum ------------------------------------------------------------------------------

async fn polls_vacuum_seals_ended_polls_and_leaves_no_old_counts(s: TestServer) {
    let admin = s.login_admin().await;
    let (_, r) = admin
        .post("/office/api/polls/spielplatz/codes", &json!({"count": 6}))
        .await;
    let codes: Vec<String> = r["codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_string())
        .collect();
    let p = poll(&s, "spielplatz").await;
    let (devices, light) = (options(&p, 0), options(&p, 1));
    let mut chosen = Vec::new();
    for (i, code) in codes.iter().enumerate() {
        let pick = vec![devices[i % 4], light[i % 2]];
        vote(
            &s,
            "spielplatz",
            &json!({"code": code, "answers": [
                {"question": qid(&p, 0), "options": [pick[0]]},
                {"question": qid(&p, 1), "options": [pick[1]]},
            ]}),
        )
        .await;
        chosen.push(pick);
    }
    let id = poll_id(&s, "spielplatz").await;
    let ids: Vec<i64> = option_rows(&s, id).await.iter().map(|r| r.0).collect();
    // With step 10 and 6 votes the interim counts are still 0; sealing makes them final.
    let mut states = counter_states(&ids, &chosen, 10);
    let xmins = |s: &TestServer| {
        let pool = s.db.pool.clone();
        async move {
            sqlx::query(
                "SELECT DISTINCT xmin::text AS x FROM poll_codes WHERE poll_id = $1 AND used = 1",
            )
            .bind(id)
            .fetch_all(&pool)
            .await
            .unwrap()
            .len()
        }
    };
    if s.backend == Backend::Postgres {
        sqlx::query("CREATE EXTENSION IF NOT EXISTS pageinspect")
            .execute(&s.db.pool)
            .await
            .expect("pageinspect (PostgreSQL's contrib modules)");
        assert!(
            postgres_earlier_counts(&s, id, &ids, &states).await > 0,
            "before the vacuum, old versions of the counters are in the table's pages"
        );
        assert_eq!(
            xmins(&s).await,
            6,
            "each used code carries its vote's transaction"
        );
    }
    // Not yet ended: nothing to seal.
    let (ok, out, err) = civickit(&s.db_url, &["polls", "vacuum"]);
    assert!(ok && out.contains("no poll ended"), "{out}{err}");
    admin
        .post("/office/api/polls/spielplatz/close", &json!({}))
        .await;
    let (ok, out, err) = civickit(&s.db_url, &["polls", "vacuum"]);
    assert!(
        ok && out.contains("sealed 1 ended poll(s): musterstadt/spielplatz"),
        "{out}{err}"
    );
    let (sealed, interim_equal): (i64, i64) = {
        let row = sqlx::query(
            "SELECT p.sealed AS s, CAST(SUM(CASE WHEN o.interim_votes = o.votes THEN 1 ELSE 0 END) AS BIGINT) AS e \
             FROM polls p JOIN poll_options o ON o.poll_id = p.id WHERE p.id = $1 GROUP BY p.sealed",
        )
        .bind(id)
        .fetch_one(&s.db.pool)
        .await
        .unwrap();
        (row.get("s"), row.get("e"))
    };
    assert_eq!((sealed, interim_equal), (1, ids.len() as i64));
    let (ok, out, _) = civickit(&s.db_url, &["polls", "vacuum"]);
    assert!(ok && out.contains("no poll ended"), "sealed once: {out}");
    // The results are the final ones, for everyone.
    let final_votes: Vec<i64> = states.last().unwrap().iter().map(|c| c.0).collect();
    let shown = poll(&s, "spielplatz").await["results"].clone();
    let shown: Vec<i64> = shown["questions"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|q| q["options"].as_array().unwrap().clone())
        .map(|o| o["votes"].as_i64().unwrap())
        .collect();
    assert_eq!(shown, final_votes);
    match s.backend {
        Backend::Postgres => {
            // The final state now has interim = votes (sealed), every earlier one is gone.
            let last = states.len() - 1;
            states[last] = states[last].iter().map(|(v, _)| (*v, *v)).collect();
            assert_eq!(postgres_earlier_counts(&s, id, &ids, &states).await, 0);
            assert_eq!(xmins(&s).await, 1, "one transaction for all used codes");
            let heap = plain_select(&s, "poll_codes", "code_hash", id).await;
            let mut by_key = heap.clone();
            by_key.sort();
            assert_eq!(heap, by_key, "heap order is key order after CLUSTER");
        }
        Backend::Sqlite => {
            let free: i64 = sqlx::query("PRAGMA freelist_count")
                .fetch_one(&s.db.pool)
                .await
                .unwrap()
                .get(0);
            assert_eq!(free, 0, "VACUUM left no free pages");
            assert_eq!(sqlite_files(&s).1.len(), 0, "and an empty WAL");
        }
    }
}

/// `serve`'s daily job (`retention_loop`) seals a poll that has ended and vacuums.
async fn the_daily_job_seals_polls_that_ended(s: TestServer) {
    let admin = s.login_admin().await;
    admin
        .post("/office/api/polls/sitzbaenke/close", &json!({}))
        .await;
    let stop = tokio_util::sync::CancellationToken::new();
    let job = tokio::spawn(civickit_server::retention_loop(s.db.clone(), stop.clone()));
    let sealed = |s: &TestServer| {
        let pool = s.db.pool.clone();
        async move {
            sqlx::query("SELECT slug FROM polls WHERE sealed = 1")
                .fetch_all(&pool)
                .await
                .unwrap()
                .iter()
                .map(|r| r.get::<String, _>("slug"))
                .collect::<Vec<_>>()
        }
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while sealed(&s).await.is_empty() {
        assert!(
            std::time::Instant::now() < deadline,
            "the daily job sealed nothing"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    stop.cancel();
    job.await.unwrap();
    assert_eq!(sealed(&s).await, ["sitzbaenke"], "only the poll that ended");
}
