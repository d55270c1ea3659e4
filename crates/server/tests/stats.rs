//! Processing statistics (issue 17, `docs/statistics.md`) on a history whose figures were worked
//! out by hand: Nachbardorf (a 5-day promise) gets 13 reports and 8 messages two months ago,
//! and the public answer, the office's exact one, the CSV, the county view and the errors say
//! exactly what the arithmetic below says. SQLite and PostgreSQL.

mod common;

use civickit_server::db::audit::Actor;
use civickit_server::db::tenants::TenantNumber;
use civickit_server::db::{now, Db};
use civickit_server::stats::months_until;
use common::TestServer;
use serde_json::{json, Value};
use sqlx::Row;

backend_tests!(
    a_known_history_gives_the_figures_worked_out_by_hand,
    filters_narrow_the_figures_and_bad_ones_are_refused,
    the_open_data_files_follow_the_same_rules,
    the_county_view_lists_only_the_towns_opted_in,
    admins_see_exact_figures_per_department_and_editors_none,
);

const DAY: i64 = 86_400;

/// The 10th, noon UTC, of the month two before the current one (town time), and its name.
fn two_months_ago() -> (i64, String) {
    let month = months_until(now())[9].clone();
    let (year, m) = month.split_once('-').unwrap();
    let date = time::Date::from_calendar_date(
        year.parse().unwrap(),
        time::Month::try_from(m.parse::<u8>().unwrap()).unwrap(),
        10,
    )
    .unwrap();
    let noon = date.midnight().assume_utc().unix_timestamp() + 12 * 3600;
    (noon, month)
}

struct History<'a> {
    db: &'a Db,
    tenant: i64,
    n: i64,
}

impl History<'_> {
    /// A report received at `created`, reacted to after `reaction` days, and ending in `state`
    /// after `finished` days.
    async fn report(
        &mut self,
        category: &str,
        created: i64,
        reaction: Option<f64>,
        state: &str,
        finished: Option<f64>,
        reason: Option<&str>,
    ) {
        self.n += 1;
        let row = sqlx::query(
            "SELECT id, department_id FROM categories WHERE tenant_id = $1 AND code = $2",
        )
        .bind(self.tenant)
        .bind(category)
        .fetch_one(&self.db.pool)
        .await
        .unwrap();
        let (category_id, department): (i64, Option<i64>) =
            (row.get("id"), row.get("department_id"));
        let at = |days: f64| created + (days * DAY as f64) as i64;
        sqlx::query(
            "INSERT INTO reports (tenant_id, ref, category_id, department_id, status, close_reason, \
             lat, lng, description, tracking_hash, created_at, updated_at, first_reaction_at, closed_at) \
             VALUES ($1, $2, $3, $4, $5, $6, 48.0, 11.0, 'Seeded', $7, $8, $8, $9, $10)",
        )
        .bind(self.tenant)
        .bind(format!("M-2026-8{:04}", self.n))
        .bind(category_id)
        .bind(department)
        .bind(state)
        .bind(reason)
        .bind(format!("stats-{}-{}", self.tenant, self.n))
        .bind(created)
        .bind(reaction.map(at))
        .bind(finished.map(at))
        .execute(&self.db.pool)
        .await
        .unwrap();
    }

    async fn message(&mut self, kind: &str, created: i64, answered: Option<f64>) {
        self.n += 1;
        let id: i64 = sqlx::query(
            "INSERT INTO messages (tenant_id, ref, kind, status, created_at, updated_at) \
             VALUES ($1, $2, $3, 'received', $4, $4) RETURNING id",
        )
        .bind(self.tenant)
        .bind(format!("B-2026-8{:04}", self.n))
        .bind(kind)
        .bind(created)
        .fetch_one(&self.db.pool)
        .await
        .unwrap()
        .get("id");
        if let Some(days) = answered {
            sqlx::query(
                "INSERT INTO message_events (tenant_id, message_id, at, kind, text, user_email) \
                 VALUES ($1, $2, $3, 'reply', 'Antwort', 'amt@nachbardorf.example')",
            )
            .bind(self.tenant)
            .bind(id)
            .bind(created + (days * DAY as f64) as i64)
            .execute(&self.db.pool)
            .await
            .unwrap();
        }
    }
}

/// Nachbardorf's history (promise 5 days), all received on the 10th two months ago:
/// - 10 street-lamp reports (Bauamt): first reactions after 0.5, 1, 1, 2, 2.5, 3, 4, 6, 10 days
///   and one never; the first six resolved after 2, 4, 5, 8, 20, 30 days, three in progress,
///   one received;
/// - 3 litter reports (Bauhof), each reacted to after a day: one resolved after 3 days, one
///   closed as a duplicate, one in progress;
/// - outside the 12 months: a resolved lamp report 13 months ago and an open one 14 months ago
///   (which still counts as open);
/// - messages: 6 questions answered after 1, 2, 3, 4, 5 days and one not, 2 praises.
async fn seed(s: &TestServer) -> (civickit_server::db::tenants::Tenant, String) {
    let town = s.add_other_tenant().await;
    let bauhof = s.db.add_department(town.id, "Bauhof", None).await.unwrap();
    s.db.add_category(town.id, "muell", "Müll", "", "", Some(bauhof), 1)
        .await
        .unwrap();
    s.db.add_message_kind(town.id, "frage", "Frage", 0)
        .await
        .unwrap();
    s.db.add_message_kind(town.id, "lob", "Lob", 1)
        .await
        .unwrap();
    let (t, month) = two_months_ago();
    let mut h = History {
        db: &s.db,
        tenant: town.id,
        n: 0,
    };
    let lamps = [
        (Some(0.5), "resolved", Some(2.0)),
        (Some(1.0), "resolved", Some(4.0)),
        (Some(1.0), "resolved", Some(5.0)),
        (Some(2.0), "resolved", Some(8.0)),
        (Some(2.5), "resolved", Some(20.0)),
        (Some(3.0), "resolved", Some(30.0)),
        (Some(4.0), "in_progress", None),
        (Some(6.0), "in_progress", None),
        (Some(10.0), "in_progress", None),
        (None, "received", None),
    ];
    for (i, (reaction, state, finished)) in lamps.into_iter().enumerate() {
        let created = t + i as i64 * 3600;
        h.report(
            "strassenbeleuchtung",
            created,
            reaction,
            state,
            finished,
            None,
        )
        .await;
    }
    h.report("muell", t, Some(1.0), "resolved", Some(3.0), None)
        .await;
    h.report(
        "muell",
        t,
        Some(1.0),
        "closed",
        Some(1.0),
        Some("duplicate"),
    )
    .await;
    h.report("muell", t, Some(1.0), "in_progress", None, None)
        .await;
    let old = now() - 400 * DAY;
    h.report(
        "strassenbeleuchtung",
        old,
        Some(1.0),
        "resolved",
        Some(2.0),
        None,
    )
    .await;
    h.report(
        "strassenbeleuchtung",
        old - 30 * DAY,
        None,
        "received",
        None,
        None,
    )
    .await;
    for answered in [Some(1.0), Some(2.0), Some(3.0), Some(4.0), Some(5.0), None] {
        h.message("frage", t, answered).await;
    }
    h.message("lob", t, None).await;
    h.message("lob", t, None).await;
    (town, month)
}

fn days(median: f64, p90: f64) -> Value {
    json!({"median": median, "p90": p90})
}

async fn a_known_history_gives_the_figures_worked_out_by_hand(s: TestServer) {
    let (_, month) = seed(&s).await;
    let (status, a) = s.get_json("/api/v1/nachbardorf/stats?period=3").await;
    assert_eq!(status, 200, "{a}");
    assert_eq!(a["promise_days"], 5);
    assert_eq!(a["period"], 3);
    // All 13: reactions 0.5 1 1 1 1 1 2 2.5 3 4 6 10 → median (1+2)/2, p90 the 11th of 12;
    // 10 of the 13 decided within 5 days; resolved after 2 3 4 5 8 20 30 → median 5, p90 7th.
    assert_eq!(
        a["total"],
        json!({"received": 13, "within_promise": 76.9,
               "first_reaction": days(1.5, 6.0), "resolution": days(5.0, 30.0)})
    );
    let lamps = &a["by_category"][0];
    assert_eq!(lamps["code"], "strassenbeleuchtung");
    // 7 of 10 within 5 days; reactions median 2.5, p90 the 9th of 9; resolved median
    // (5+8)/2, p90 the 6th of 6.
    assert_eq!(
        lamps["figures"],
        json!({"received": 10, "within_promise": 70.0,
               "first_reaction": days(2.5, 10.0), "resolution": days(6.5, 30.0)})
    );
    // Three litter reports: a small cell, nothing derived.
    assert_eq!(a["by_category"][1]["code"], "muell");
    assert_eq!(a["by_category"][1]["figures"], json!({"received": "<5"}));
    // Three months, the two without reports all zero.
    let months: Vec<&Value> = a["by_month"].as_array().unwrap().iter().collect();
    assert_eq!(months.len(), 3);
    assert_eq!(months[0]["month"], month.as_str());
    assert_eq!(months[0]["figures"], a["total"]);
    for m in &months[1..] {
        assert_eq!(m["figures"], json!({"received": 0}), "{m}");
    }
    // Open now, of any age: 2 received (one 14 months old) and 4 in progress: both "< 5".
    assert_eq!(
        a["open"],
        json!([{"state": "received", "count": "<5"}, {"state": "in_progress", "count": "<5"}])
    );
    assert_eq!(
        a["closed_without_fix"],
        json!([{"reason": "duplicate", "count": "<5"}, {"reason": "not_responsible", "count": 0},
               {"reason": "not_fixable", "count": 0}, {"reason": "other", "count": 0}])
    );
    // Answers after 1 2 3 4 5 days: median 3, p90 the 5th of 5.
    assert_eq!(
        a["mailbox"],
        json!({"received": 8, "by_kind": [{"kind": "frage", "name": "Frage", "count": 6},
                                          {"kind": "lob", "name": "Lob", "count": "<5"}],
               "answer": days(3.0, 5.0)})
    );
    assert!(
        a.get("by_department").is_none(),
        "departments are the office's"
    );

    // Twelve months: the same figures (the 13- and 14-month-old reports stay out), 11 zero months.
    let (_, year) = s.get_json("/api/v1/nachbardorf/stats").await;
    assert_eq!(year["period"], 12);
    assert_eq!(year["total"], a["total"]);
    let zero = year["by_month"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["figures"] == json!({"received": 0}))
        .count();
    assert_eq!(zero, 11);
    assert_eq!(year["by_month"][9]["month"], month.as_str());
    // Kept for minutes: asked again, the same computation answers.
    let (_, again) = s.get_json("/api/v1/nachbardorf/stats").await;
    assert_eq!(again["updated"], year["updated"]);
}

async fn filters_narrow_the_figures_and_bad_ones_are_refused(s: TestServer) {
    seed(&s).await;
    let (_, lamps) = s
        .get_json("/api/v1/nachbardorf/stats?period=6&category=strassenbeleuchtung")
        .await;
    assert_eq!(lamps["category"], "strassenbeleuchtung");
    assert_eq!(lamps["total"]["received"], 10);
    assert_eq!(lamps["total"]["within_promise"], 70.0);
    assert_eq!(lamps["by_month"].as_array().unwrap().len(), 6);
    // The categories' chart is never filtered.
    assert_eq!(lamps["by_category"][1]["figures"]["received"], "<5");
    let (_, litter) = s.get_json("/api/v1/nachbardorf/stats?category=muell").await;
    assert_eq!(litter["total"], json!({"received": "<5"}));
    assert_eq!(litter["open"][1]["count"], "<5");

    for (query, field) in [
        ("period=7", "period"),
        ("period=zwölf", "period"),
        ("category=gibtsnicht", "category"),
    ] {
        let (status, body) = s
            .get_json(&format!("/api/v1/nachbardorf/stats?{query}"))
            .await;
        assert_eq!(status, 422, "{query}: {body}");
        assert_eq!(body["fields"][0]["field"], field, "{query}: {body}");
    }
    let (status, _) = s.get_json("/api/v1/gibtsnicht/stats").await;
    assert_eq!(status, 404);
}

async fn the_open_data_files_follow_the_same_rules(s: TestServer) {
    let (_, month) = seed(&s).await;
    let r = s
        .http
        .get(s.at("/api/v1/nachbardorf/stats.csv?period=3"))
        .header("Origin", "https://irgendwo.example")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let header = |name: &str| r.headers()[name].to_str().unwrap().to_string();
    assert_eq!(header("access-control-allow-origin"), "*");
    assert!(header("content-type").starts_with("text/csv"));
    assert!(header("content-disposition").contains("nachbardorf-statistik-3-monate.csv"));
    let csv = r.text().await.unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "month,category,received,within_promise_percent,first_reaction_median_days,\
         first_reaction_p90_days,resolution_median_days,resolution_p90_days"
    );
    // 3 months × (all + 2 categories).
    assert_eq!(lines.len(), 1 + 3 * 3, "{csv}");
    assert!(
        lines.contains(&format!("{month},alle,13,76.9,1.5,6,5,30").as_str()),
        "{csv}"
    );
    assert!(lines.contains(&format!("{month},strassenbeleuchtung,10,70,2.5,10,6.5,30").as_str()));
    assert!(
        lines.contains(&format!("{month},muell,<5,,,,,").as_str()),
        "{csv}"
    );
    assert_eq!(
        lines.iter().filter(|l| l.contains(",alle,0,,,,,")).count(),
        2
    );

    let r = s
        .http
        .get(s.at("/api/v1/nachbardorf/stats.json?category=muell"))
        .send()
        .await
        .unwrap();
    assert!(r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment"));
    let json: Value = r.json().await.unwrap();
    // The download has all categories, whatever was asked.
    assert_eq!(json["total"]["received"], 13);
    let (status, _, _) = s.get_text("/api/v1/nachbardorf/stats.csv?period=5").await;
    assert_eq!(status, 422);
}

async fn the_county_view_lists_only_the_towns_opted_in(s: TestServer) {
    let (town, _) = seed(&s).await;
    let (status, county) = s.get_json("/api/v1/county/stats").await;
    assert_eq!(status, 200);
    assert_eq!(county["towns"], json!([]), "nobody opted in yet");
    for id in [s.tenant.id, town.id] {
        s.db.set_tenant_number(id, TenantNumber::CountyStats, 1, &Actor::cli())
            .await
            .unwrap();
    }
    let (_, county) = s.get_json("/api/v1/county/stats?period=6").await;
    assert_eq!(county["period"], 6);
    let towns = county["towns"].as_array().unwrap();
    let names: Vec<&str> = towns.iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Musterstadt", "Nachbardorf"]);
    let nachbardorf = &towns[1];
    assert_eq!(nachbardorf["promise_days"], 5);
    assert_eq!(nachbardorf["figures"]["received"], 13);
    assert_eq!(nachbardorf["figures"]["within_promise"], 76.9);
    // 2 received + 4 in progress.
    assert_eq!(nachbardorf["open"], 6);
    // Musterstadt's demo samples, as its own statistics count them.
    let (_, muster) = s.get_json("/api/v1/musterstadt/stats?period=6").await;
    assert_eq!(towns[0]["figures"], muster["total"]);
}

async fn admins_see_exact_figures_per_department_and_editors_none(s: TestServer) {
    // Logged in while Musterstadt is the only town (no town to name at the login).
    let admin = s.login_admin().await;
    let editor = s.login_editor().await;
    let (town, _) = seed(&s).await;
    let (status, mine) = admin.get("/office/api/stats?period=3").await;
    assert_eq!(status, 200, "{mine}");
    assert_eq!(
        mine["tenant"], "musterstadt",
        "an admin sees their own town only"
    );
    let (status, _) = editor.get("/office/api/stats").await;
    assert_eq!(status, 403);

    let office = s.nachbardorf_admin(&town).await;
    let (status, a) = office.get("/office/api/stats?period=3").await;
    assert_eq!(status, 200, "{a}");
    assert_eq!(a["tenant"], "nachbardorf");
    assert_eq!(a["by_category"][1]["figures"]["received"], 3);
    assert_eq!(
        a["open"],
        json!([{"state": "received", "count": 2}, {"state": "in_progress", "count": 4}])
    );
    assert_eq!(
        a["closed_without_fix"][0],
        json!({"reason": "duplicate", "count": 1, "share": 7.7})
    );
    let departments = a["by_department"].as_array().unwrap();
    let names: Vec<&str> = departments
        .iter()
        .map(|d| d["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Bauamt", "Bauhof"]);
    assert_eq!(departments[0]["figures"], a["by_category"][0]["figures"]);
    // The litter reports exactly: all reacted to after a day, one resolved after 3.
    assert_eq!(
        departments[1]["figures"],
        json!({"received": 3, "within_promise": 100.0,
               "first_reaction": days(1.0, 1.0), "resolution": days(3.0, 3.0)})
    );
    assert_eq!(a["mailbox"]["by_kind"][1]["count"], 2);
}
