//! The DSGVO retention job: every rule of [`PersonalData`], run daily inside `serve`
//! (`retention_loop`) and by `civickit retention run [--as-of DATE]`. Each town in one
//! transaction with its own periods ([`Retention`]), audited with counts only
//! (`retention.erase`). A run erases what is due at `at`, however late, and a second run at
//! the same time finds nothing left to do.
//!
//! Not erased here: a poll's counters and the order of its records (ballot secrecy is the
//! polls' own machinery), officials' accounts (deleted with the account), open items, and
//! mails still waiting to be sent.

use super::audit::{self, Actor};
use super::erasure::{self, Item, EXPIRED_PREFIX};
use super::outbox::MAX_ATTEMPTS;
use super::tenants::Tenant;
use super::{Db, DbError};
use civickit_model::privacy::{PersonalData, Retention, UNCONFIRMED_DAYS};
use sqlx::Row;
use std::collections::BTreeMap;
use std::fmt;

const DAY: i64 = 86_400;

/// Failed logins are kept a day: the login throttle looks back minutes (`[limits]`), and a
/// day shows an operator an attack of last night.
pub const LOGIN_FAILURE_SECONDS: i64 = DAY;

type Tx<'a> = sqlx::Transaction<'a, sqlx::Any>;

/// What one run erased: records per kind of personal data (every kind present), over all
/// towns, and the spent proof-of-work challenges swept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetentionRun {
    pub erased: BTreeMap<PersonalData, u64>,
    pub challenges_swept: u64,
}

impl Default for RetentionRun {
    fn default() -> Self {
        RetentionRun {
            erased: PersonalData::ALL.iter().map(|k| (*k, 0)).collect(),
            challenges_swept: 0,
        }
    }
}

impl RetentionRun {
    pub fn count(&self, kind: PersonalData) -> u64 {
        self.erased.get(&kind).copied().unwrap_or(0)
    }

    pub fn total(&self) -> u64 {
        self.erased.values().sum()
    }

    fn add(&mut self, kind: PersonalData, n: u64) {
        *self.erased.entry(kind).or_default() += n;
    }
}

/// The kind's name in the API and the CLI (`report_contact`).
pub fn kind_name(kind: PersonalData) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// `report_contact 1, tracking_links 0, …, spent challenges 3`: the log line.
impl fmt::Display for RetentionRun {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (kind, n) in &self.erased {
            write!(f, "{} {n}, ", kind_name(*kind))?;
        }
        write!(f, "spent challenges {}", self.challenges_swept)
    }
}

/// The moments before which each rule's items are due, for one town at one time.
struct Cutoffs {
    at: i64,
    contact: i64,
    unconfirmed: i64,
    outbox: i64,
    tracking: i64,
    /// `None` when the town keeps photos.
    photos: Option<i64>,
    erase_text: bool,
}

impl Cutoffs {
    fn new(at: i64, r: &Retention) -> Cutoffs {
        Cutoffs {
            at,
            contact: at - r.contact_days * DAY,
            unconfirmed: at - UNCONFIRMED_DAYS * DAY,
            outbox: at - r.outbox_days * DAY,
            tracking: at - r.tracking_days * DAY,
            photos: (r.photo_days > 0).then(|| at - r.photo_days * DAY),
            erase_text: r.erase_text,
        }
    }
}

impl Db {
    /// Erases, in every town, what its periods say is due at `at` (Unix seconds). Returns
    /// the counts per kind; each town's erasure is audited with its counts, never with what
    /// was erased.
    pub async fn run_retention(&self, at: i64) -> Result<RetentionRun, DbError> {
        let mut run = RetentionRun::default();
        for tenant in self.tenants().await? {
            let periods = self.retention(tenant.id).await?;
            let town = self
                .town_retention(&tenant, &Cutoffs::new(at, &periods))
                .await?;
            for (kind, n) in town.erased {
                run.add(kind, n);
            }
        }
        let failures = sqlx::query("DELETE FROM login_failures WHERE at < $1")
            .bind(at - LOGIN_FAILURE_SECONDS)
            .execute(&self.pool)
            .await?
            .rows_affected();
        run.add(PersonalData::OfficialAccounts, failures);
        // Spent challenges are kept only until they expire (an expired one is refused as
        // such); a day's worth of rows is small, so the daily run is sweep enough.
        run.challenges_swept = self.sweep_spent_challenges(at).await?;
        Ok(run)
    }

    async fn town_retention(
        &self,
        tenant: &Tenant,
        due: &Cutoffs,
    ) -> Result<RetentionRun, DbError> {
        let t = tenant.id;
        let mut run = RetentionRun::default();
        let mut tx = self.pool.begin().await?;
        // A write first, so SQLite takes its write lock at the start (see `next_reference`).
        let mails = sqlx::query(
            "DELETE FROM outbox WHERE tenant_id = $1 AND ((sent_at IS NOT NULL AND sent_at < $2) \
             OR (sent_at IS NULL AND attempts >= $3 AND next_attempt_at < $2))",
        )
        .bind(t)
        .bind(due.outbox)
        .bind(MAX_ATTEMPTS)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        run.add(PersonalData::SentMails, mails);

        let finished = items(
            &mut tx,
            "SELECT id, ref, email FROM reports r WHERE tenant_id = $1 AND closed_at IS NOT NULL \
             AND closed_at < $2 AND (email IS NOT NULL OR email_token IS NOT NULL \
             OR original_description IS NOT NULL OR EXISTS (SELECT 1 FROM report_notes n \
             WHERE n.tenant_id = r.tenant_id AND n.report_id = r.id AND n.public = 0))",
            t,
            due.contact,
        )
        .await?;
        let mails = erasure::erase_reports(&mut tx, t, &finished).await?;
        run.add(PersonalData::SentMails, mails);
        let unconfirmed = items(
            &mut tx,
            "SELECT id, ref, email FROM reports WHERE tenant_id = $1 \
             AND email_state = 'unconfirmed' AND created_at < $2",
            t,
            due.unconfirmed,
        )
        .await?;
        let mails = erasure::forget_report_address(&mut tx, t, &unconfirmed).await?;
        run.add(PersonalData::SentMails, mails);
        run.add(
            PersonalData::ReportContact,
            (finished.len() + unconfirmed.len()) as u64,
        );

        let expiring = items(
            &mut tx,
            &format!(
                "SELECT id, ref, email FROM reports WHERE tenant_id = $1 \
                 AND closed_at IS NOT NULL AND closed_at < $2 \
                 AND (tracking_hash NOT LIKE '{EXPIRED_PREFIX}%' OR email_token IS NOT NULL)"
            ),
            t,
            due.tracking,
        )
        .await?;
        erasure::expire_links(&mut tx, t, &expiring).await?;
        run.add(PersonalData::TrackingLinks, expiring.len() as u64);

        let supporters = sqlx::query(
            "DELETE FROM report_supporters WHERE report_id IN (SELECT id FROM reports \
             WHERE tenant_id = $1 AND closed_at IS NOT NULL AND closed_at < $2)",
        )
        .bind(t)
        .bind(due.contact)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        run.add(PersonalData::Supporters, supporters);

        if let Some(cutoff) = due.photos {
            let photos = sqlx::query(
                "DELETE FROM photos WHERE tenant_id = $1 AND report_id IN (SELECT id FROM reports \
                 WHERE tenant_id = $1 AND closed_at IS NOT NULL AND closed_at < $2)",
            )
            .bind(t)
            .bind(cutoff)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            run.add(PersonalData::ReportPhotos, photos);
        }

        let text_left = if due.erase_text {
            " OR subject IS NOT NULL OR body IS NOT NULL"
        } else {
            ""
        };
        let messages = items(
            &mut tx,
            &format!(
                "SELECT id, ref, email FROM messages m WHERE tenant_id = $1 AND status = 'closed' \
                 AND closed_at < $2 AND (erased_at IS NULL OR name IS NOT NULL \
                 OR email IS NOT NULL OR phone IS NOT NULL{text_left} OR EXISTS (SELECT 1 \
                 FROM message_events e WHERE e.tenant_id = m.tenant_id AND e.message_id = m.id \
                 AND e.kind IN ('reply', 'forward', 'note') AND e.text IS NOT NULL))"
            ),
            t,
            due.contact,
        )
        .await?;
        let mails = erasure::erase_messages(&mut tx, t, &messages, due.erase_text, due.at).await?;
        run.add(PersonalData::SentMails, mails);
        run.add(PersonalData::MessageContact, messages.len() as u64);

        let flags = sqlx::query(
            "DELETE FROM flags WHERE tenant_id = $1 AND decided_at IS NOT NULL AND decided_at < $2",
        )
        .bind(t)
        .bind(due.contact)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        run.add(PersonalData::Flags, flags);

        run.add(
            PersonalData::PollParticipation,
            poll_participation(&mut tx, t, due.at).await?,
        );

        let sessions = sqlx::query("DELETE FROM sessions WHERE tenant_id = $1 AND expires_at < $2")
            .bind(t)
            .bind(due.at)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        run.add(PersonalData::OfficialAccounts, sessions);

        if run.total() > 0 {
            let counts: serde_json::Map<String, serde_json::Value> = run
                .erased
                .iter()
                .filter(|(_, n)| **n > 0)
                .map(|(kind, n)| (kind_name(*kind), (*n).into()))
                .collect();
            audit::record(
                &mut tx,
                t,
                &Actor::system(),
                "retention.erase",
                &tenant.slug,
                None,
                Some(&serde_json::Value::Object(counts)),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(run)
    }
}

/// The items a query finds (`id`, `ref`, `email` columns; `$1` the town, `$2` the cutoff).
async fn items(
    tx: &mut Tx<'_>,
    sql: &str,
    tenant_id: i64,
    cutoff: i64,
) -> Result<Vec<Item>, DbError> {
    let rows = sqlx::query(sql)
        .bind(tenant_id)
        .bind(cutoff)
        .fetch_all(&mut **tx)
        .await?;
    rows.iter()
        .map(|r| {
            Ok(Item {
                id: r.try_get("id")?,
                reference: r.try_get("ref")?,
                address: r.try_get("email")?,
            })
        })
        .collect()
}

/// Who took part in a poll that has ended: the browsers' records go and the codes' used
/// marks are cleared. The counters, and the number of participations, stay.
async fn poll_participation(tx: &mut Tx<'_>, tenant_id: i64, at: i64) -> Result<u64, DbError> {
    const ENDED: &str = "SELECT id FROM polls WHERE tenant_id = $1 AND closes_at < $2";
    let voters = sqlx::query(&format!(
        "DELETE FROM poll_voters WHERE poll_id IN ({ENDED})"
    ))
    .bind(tenant_id)
    .bind(at)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    let codes = sqlx::query(&format!(
        "UPDATE poll_codes SET used = 0 WHERE used <> 0 AND poll_id IN ({ENDED})"
    ))
    .bind(tenant_id)
    .bind(at)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(voters + codes)
}
