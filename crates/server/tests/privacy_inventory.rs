//! The inventory of personal data (`GET /office/api/privacy/inventory`, `civickit privacy
//! inventory`): a town with known rows of every kind gets exactly those counts, oldest times
//! and next erasures under its periods, nothing of another town, and editors get nothing.
//! The CLI is the real binary. SQLite and PostgreSQL.

mod common;

use civickit_model::api::office::{InventoryEntry, PrivacyInventory};
use civickit_model::privacy::{PersonalData, Retention};
use civickit_server::db::audit::Actor;
use civickit_server::db::{now, Db};
use civickit_server::http::rfc3339;
use common::process::civickit;
use common::TestServer;
use sqlx::Row;
use std::collections::BTreeMap;

backend_tests!(
    the_inventory_counts_each_kind_as_seeded_and_no_other_towns_rows,
    editors_get_no_inventory,
);

const DAY: i64 = 86_400;

/// Known rows of Nachbardorf, times relative to `t`.
struct Seeded {
    tenant: i64,
    t: i64,
}

impl Seeded {
    fn ago(&self, days: i64) -> i64 {
        self.t - days * DAY
    }

    async fn report(
        &self,
        db: &Db,
        n: i64,
        email: Option<(&str, &str)>,
        original: Option<&str>,
        created: i64,
        closed: Option<i64>,
    ) -> i64 {
        let category: i64 =
            sqlx::query("SELECT id FROM categories WHERE tenant_id = $1 ORDER BY id LIMIT 1")
                .bind(self.tenant)
                .fetch_one(&db.pool)
                .await
                .unwrap()
                .get("id");
        sqlx::query(
            "INSERT INTO reports (tenant_id, ref, category_id, status, lat, lng, description, email, \
             email_state, original_description, tracking_hash, created_at, updated_at, closed_at) \
             VALUES ($1, $2, $3, $4, 48.0, 11.0, 'Laterne dunkel', $5, $6, $7, $8, $9, $9, $10) RETURNING id",
        )
        .bind(self.tenant)
        .bind(format!("M-2026-9{n:04}"))
        .bind(category)
        .bind(if closed.is_some() { "resolved" } else { "received" })
        .bind(email.map(|e| e.0))
        .bind(email.map(|e| e.1))
        .bind(original)
        .bind(format!("hash-{}-{n}", self.tenant))
        .bind(created)
        .bind(closed)
        .fetch_one(&db.pool)
        .await
        .unwrap()
        .get("id")
    }

    async fn exec(&self, db: &Db, sql: &str, binds: &[i64]) {
        let mut q = sqlx::query(sql);
        for b in binds {
            q = q.bind(*b);
        }
        q.execute(&db.pool).await.unwrap();
    }
}

fn entry(inventory: &PrivacyInventory, kind: PersonalData) -> &InventoryEntry {
    inventory.entries.iter().find(|e| e.kind == kind).unwrap()
}

fn expect(kind: PersonalData, records: i64, oldest: i64, next: Option<i64>) -> InventoryEntry {
    InventoryEntry {
        kind,
        records,
        oldest: Some(rfc3339(oldest)),
        next_erasure: next.map(rfc3339),
    }
}

async fn the_inventory_counts_each_kind_as_seeded_and_no_other_towns_rows(s: TestServer) {
    let (town, admin) = s.neighbour_admin().await;
    let db = &s.db;
    let retention = Retention {
        photo_days: 60,
        ..Retention::default()
    };
    db.set_retention(town.id, &retention, &Actor::cli())
        .await
        .unwrap();
    let seed = Seeded {
        tenant: town.id,
        t: now(),
    };
    let (t, ago) = (seed.t, |d| seed.ago(d));

    // Reports: an open one with a confirmed address, one with an address finished 10 days
    // ago, one whose address was never confirmed (made 9 days ago: due 2 days ago), one
    // finished long ago without an address, one whose text an official changed.
    let r1 = seed
        .report(
            db,
            1,
            Some(("a@example.org", "confirmed")),
            None,
            ago(40),
            None,
        )
        .await;
    let r2 = seed
        .report(
            db,
            2,
            Some(("b@example.org", "confirmed")),
            None,
            ago(30),
            Some(ago(10)),
        )
        .await;
    seed.report(
        db,
        3,
        Some(("c@example.org", "unconfirmed")),
        None,
        ago(9),
        None,
    )
    .await;
    let r4 = seed
        .report(db, 4, None, None, ago(400), Some(ago(200)))
        .await;
    seed.report(db, 5, None, Some("Original mit Namen"), ago(20), None)
        .await;
    for (report, supporter) in [(r2, "s1"), (r2, "s2"), (r4, "s3")] {
        sqlx::query("INSERT INTO report_supporters (report_id, supporter_hash) VALUES ($1, $2)")
            .bind(report)
            .bind(supporter)
            .execute(&db.pool)
            .await
            .unwrap();
    }
    for (n, report, created) in [(1, r2, ago(29)), (2, r1, ago(39))] {
        sqlx::query(
            "INSERT INTO photos (tenant_id, report_id, public_id, kind, status, width, height, jpeg, thumb, created_at) \
             VALUES ($1, $2, $3, 'citizen', 'released', 1, 1, $4, $4, $5)",
        )
        .bind(town.id)
        .bind(report)
        .bind(format!("photo-{}-{n}", town.id))
        .bind(vec![0u8; 4])
        .bind(created)
        .execute(&db.pool)
        .await
        .unwrap();
    }
    // Messages: open, closed 3 days ago, erased long ago.
    for (n, status, created, closed, erased) in [
        (1, "received", ago(5), None, None),
        (2, "closed", ago(6), Some(ago(3)), None),
        (3, "closed", ago(300), Some(ago(250)), Some(ago(69))),
    ] {
        sqlx::query(
            "INSERT INTO messages (tenant_id, ref, kind, subject, body, name, email, status, created_at, \
             updated_at, closed_at, erased_at) VALUES ($1, $2, 'idee', 'S', 'T', 'N', 'm@example.org', $3, $4, $4, $5, $6)",
        )
        .bind(town.id)
        .bind(format!("B-2026-9{n:04}"))
        .bind(status)
        .bind(created)
        .bind(closed)
        .bind(erased)
        .execute(&db.pool)
        .await
        .unwrap();
    }
    // Mails: sent 40 days ago (due 10 days ago), waiting, given up after its last attempt.
    for (sent, attempts, next_attempt, created) in [
        (Some(ago(40)), 1, ago(40), ago(40)),
        (None, 0, t, ago(1)),
        (None, 8, ago(5), ago(6)),
    ] {
        sqlx::query(
            "INSERT INTO outbox (tenant_id, recipient, subject, body, created_at, next_attempt_at, attempts, sent_at) \
             VALUES ($1, 'b@example.org', 'Ihre Meldung', 'Text', $2, $3, $4, $5)",
        )
        .bind(town.id)
        .bind(created)
        .bind(next_attempt)
        .bind(attempts)
        .bind(sent)
        .execute(&db.pool)
        .await
        .unwrap();
    }
    // Flags: one open, one decided yesterday.
    seed.exec(
        db,
        "INSERT INTO flags (tenant_id, report_id, reason, flagger, created_at, decided_at, decision) \
         VALUES ($1, $2, 'spam', 'f1', $3, NULL, NULL), ($1, $2, 'spam', 'f2', $4, $5, 'kept')",
        &[town.id, r1, ago(4), ago(3), ago(1)],
    )
    .await;
    // A poll open since 10 days, ending in 10: two browsers and one of three codes took part.
    let poll: i64 = sqlx::query(
        "INSERT INTO polls (tenant_id, slug, title, description, mode, visibility, published, opens_at, closes_at, created_at) \
         VALUES ($1, 'spielplatz', 'Spielplatz', '', 'codes', 'live', 1, $2, $3, $2) RETURNING id",
    )
    .bind(town.id)
    .bind(ago(10))
    .bind(t + 10 * DAY)
    .fetch_one(&db.pool)
    .await
    .unwrap()
    .get("id");
    seed.exec(
        db,
        "INSERT INTO poll_voters (poll_id, token_hash) VALUES ($1, 'v1'), ($1, 'v2')",
        &[poll],
    )
    .await;
    seed.exec(
        db,
        "INSERT INTO poll_codes (poll_id, code_hash, used) VALUES ($1, 'c1', 1), ($1, 'c2', 0), ($1, 'c3', 0)",
        &[poll],
    )
    .await;
    // A failed login names the account (and, not counted per town, the client address).
    assert!(s
        .login_to(Some("nachbardorf"), "admin@nachbardorf.example", "falsch")
        .await
        .is_err());
    let account = sqlx::query(
        "SELECT u.created_at AS created, s.expires_at AS expires FROM users u \
         JOIN sessions s ON s.user_id = u.id WHERE u.tenant_id = $1",
    )
    .bind(town.id)
    .fetch_one(&db.pool)
    .await
    .unwrap();
    let (account_created, session_expires): (i64, i64) =
        (account.get("created"), account.get("expires"));

    let (status, body) = admin.get("/office/api/privacy/inventory").await;
    assert_eq!(status, 200, "{body}");
    let inventory: PrivacyInventory = serde_json::from_value(body).unwrap();
    assert_eq!(inventory.retention, retention);
    let kinds: Vec<_> = inventory.entries.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        PersonalData::ALL,
        "every kind, in the catalogue's order"
    );
    use PersonalData::*;
    let expected = [
        // r1, r2, r3, r5; the unconfirmed address was due 7 days after r3 was made.
        expect(ReportContact, 4, ago(40), Some(ago(9) + 7 * DAY)),
        // r4's link ended 90 days after it was finished; r2's ends 90 days after 10 days ago.
        expect(TrackingLinks, 4, ago(40), Some(ago(10) + 90 * DAY)),
        // A support is no older than its report; r4's are due since 20 days.
        expect(Supporters, 3, ago(400), Some(ago(200) + 180 * DAY)),
        expect(ReportPhotos, 2, ago(39), Some(ago(10) + 60 * DAY)),
        expect(MessageContact, 2, ago(6), Some(ago(3) + 180 * DAY)),
        expect(SentMails, 3, ago(40), Some(ago(40) + 30 * DAY)),
        expect(Flags, 2, ago(4), Some(ago(1) + 180 * DAY)),
        expect(PollParticipation, 3, ago(10), Some(t + 10 * DAY)),
        // The account, its session and the failed login naming it.
        expect(OfficialAccounts, 3, account_created, Some(session_expires)),
    ];
    for want in &expected {
        assert_eq!(entry(&inventory, want.kind), want, "{:?}", want.kind);
    }

    // Confirmed, r3's address follows the finished-report rule: r2's is next.
    seed.exec(
        db,
        "UPDATE reports SET email_state = 'confirmed' WHERE tenant_id = $1 AND email = 'c@example.org'",
        &[town.id],
    )
    .await;
    // Without photo_days photos stay with the report: none is due.
    db.set_retention(
        town.id,
        &Retention {
            contact_days: 30,
            ..Retention::default()
        },
        &Actor::cli(),
    )
    .await
    .unwrap();
    let (_, body) = admin.get("/office/api/privacy/inventory").await;
    let inventory: PrivacyInventory = serde_json::from_value(body).unwrap();
    assert_eq!(
        entry(&inventory, ReportContact).next_erasure,
        Some(rfc3339(ago(10) + 30 * DAY))
    );
    assert_eq!(entry(&inventory, ReportPhotos).next_erasure, None);
    assert_eq!(entry(&inventory, ReportPhotos).records, 2);
    assert_eq!(
        entry(&inventory, Supporters).next_erasure,
        Some(rfc3339(ago(200) + 30 * DAY))
    );

    // The demo town's admin sees exactly its own links, never Nachbardorf's.
    let demo = s
        .login_to(Some("musterstadt"), &s.admin.0, &s.admin.1)
        .await
        .unwrap();
    let (_, body) = demo.get("/office/api/privacy/inventory").await;
    let theirs: PrivacyInventory = serde_json::from_value(body).unwrap();
    let demo_links: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM reports WHERE tenant_id = $1 \
         AND (closed_at IS NULL OR closed_at > $2)",
    )
    .bind(s.tenant.id)
    .bind(now() - 90 * DAY)
    .fetch_one(&db.pool)
    .await
    .unwrap()
    .get("n");
    assert!(demo_links > 4);
    assert_eq!(entry(&theirs, TrackingLinks).records, demo_links);

    // The CLI, as an operator runs it, says the same.
    let (ok, out, err) = civickit(
        &s.db_url,
        &["privacy", "inventory", "--tenant", "nachbardorf", "--json"],
    );
    assert!(ok, "{err}");
    let from_cli: BTreeMap<String, PrivacyInventory> = serde_json::from_str(&out).unwrap();
    assert_eq!(from_cli.keys().collect::<Vec<_>>(), ["nachbardorf"]);
    assert_eq!(from_cli["nachbardorf"], inventory);
    let (ok, out, err) = civickit(&s.db_url, &["privacy", "inventory"]);
    assert!(ok, "{err}");
    assert!(out.contains("Nachbardorf (nachbardorf)") && out.contains("Musterstadt (musterstadt)"));
    let ours = out.split("Nachbardorf (nachbardorf)").nth(1).unwrap();
    let ours = ours.split("\n\n").next().unwrap();
    for kind in PersonalData::ALL {
        let line = ours
            .lines()
            .find(|l| l.starts_with(kind.label(civickit_model::Lang::En)))
            .unwrap_or_else(|| panic!("{kind:?} in\n{ours}"));
        let records = entry(&inventory, kind).records.to_string();
        assert!(
            line.split_whitespace().any(|w| w == records),
            "{kind:?}: {line}"
        );
        assert!(line.ends_with(&kind.rule(civickit_model::Lang::En, &inventory.retention)));
    }
    assert!(
        ours.lines()
            .find(|l| l.contains("Affects me too"))
            .unwrap()
            .contains("(due)"),
        "an erasure in the past is due:\n{ours}"
    );
}

async fn editors_get_no_inventory(s: TestServer) {
    let editor = s.login_editor().await;
    for path in [
        "/office/api/privacy/inventory",
        "/office/api/privacy/statements",
    ] {
        let (status, body) = editor.get(path).await;
        assert_eq!(status, 403, "{path}: {body}");
    }
    let (status, _) = editor
        .post(
            "/office/api/privacy/statements",
            &serde_json::json!({"fields": {"controller": "x", "dpo": "", "legal_basis": "",
                "supervisory_authority": "", "conformance": "full", "reviewed_on": "",
                "feedback_email": "", "feedback_phone": "", "enforcement_url": ""}}),
        )
        .await;
    assert_eq!(status, 403);
    let admin = s.login_admin().await;
    let (_, statements) = admin.get("/office/api/privacy/statements").await;
    assert_eq!(statements["fields"]["controller"], "", "nothing stored");
}
