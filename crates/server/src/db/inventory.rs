//! The inventory of personal data (`GET /office/api/privacy/inventory`, `civickit privacy
//! inventory`): per kind of [`PersonalData`], the records of one town that hold it now, when
//! the oldest was collected, and when the next is due for erasure under the town's current
//! periods. Each kind is counted by the rule in its doc comment, which the retention job
//! carries out, so the inventory says what the job will do; a date in the past means the next
//! run takes it.

use super::outbox::MAX_ATTEMPTS;
use super::{Db, DbError};
use civickit_model::api::office::{InventoryEntry, PrivacyInventory};
use civickit_model::privacy::{PersonalData, Retention, UNCONFIRMED_DAYS};
use sqlx::Row;

const DAY: i64 = 86_400;

/// Records of one kind: how many, the oldest collection and the next erasure (unix seconds).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Tally {
    records: i64,
    oldest: Option<i64>,
    next: Option<i64>,
}

impl Tally {
    fn and(self, other: Tally) -> Tally {
        let earliest = |a: Option<i64>, b: Option<i64>| match (a, b) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        Tally {
            records: self.records + other.records,
            oldest: earliest(self.oldest, other.oldest),
            next: earliest(self.next, other.next),
        }
    }
}

/// One row `n, oldest, next` of a query whose `$1` is the tenant; the others are `binds`.
async fn tally(db: &Db, sql: &str, tenant_id: i64, binds: &[i64]) -> Result<Tally, DbError> {
    let mut query = sqlx::query(sql).bind(tenant_id);
    for b in binds {
        query = query.bind(*b);
    }
    let row = query.fetch_one(&db.pool).await?;
    Ok(Tally {
        records: row.try_get("n")?,
        oldest: row.try_get("oldest")?,
        next: row.try_get("next")?,
    })
}

impl Db {
    pub async fn privacy_inventory(
        &self,
        tenant_id: i64,
        at: i64,
    ) -> Result<PrivacyInventory, DbError> {
        let retention = self.retention(tenant_id).await?;
        let mut entries = Vec::with_capacity(PersonalData::ALL.len());
        for kind in PersonalData::ALL {
            let t = self.tally_kind(kind, tenant_id, &retention, at).await?;
            entries.push(InventoryEntry {
                kind,
                records: t.records,
                oldest: t.oldest.map(crate::http::rfc3339),
                next_erasure: t.next.map(crate::http::rfc3339),
            });
        }
        Ok(PrivacyInventory { retention, entries })
    }

    async fn tally_kind(
        &self,
        kind: PersonalData,
        tenant: i64,
        r: &Retention,
        at: i64,
    ) -> Result<Tally, DbError> {
        let contact = r.contact_days * DAY;
        Ok(match kind {
            // The address, its opt-in state and token, and an official's edit's original text
            // go `contact_days` after the report was finished; an address never confirmed
            // goes `UNCONFIRMED_DAYS` after the report was made, finished or not.
            PersonalData::ReportContact => {
                tally(
                    self,
                    "SELECT COUNT(*) AS n, MIN(created_at) AS oldest, MIN(CASE \
                       WHEN email_state = 'unconfirmed' AND (closed_at IS NULL OR created_at + $3 < closed_at + $2) \
                         THEN created_at + $3 \
                       WHEN closed_at IS NOT NULL THEN closed_at + $2 END) AS next \
                     FROM reports WHERE tenant_id = $1 \
                     AND (email IS NOT NULL OR original_description IS NOT NULL)",
                    tenant,
                    &[contact, UNCONFIRMED_DAYS * DAY],
                )
                .await?
            }
            // Counted while they still open the report's page: the rule ends them by time
            // (`tracking_days` after the report was finished), whether or not a retention
            // run has yet replaced the stored hash.
            PersonalData::TrackingLinks => {
                tally(
                    self,
                    "SELECT COUNT(*) AS n, MIN(created_at) AS oldest, MIN(closed_at + $2) AS next \
                     FROM reports WHERE tenant_id = $1 AND (closed_at IS NULL OR closed_at + $2 > $3)",
                    tenant,
                    &[r.tracking_days * DAY, at],
                )
                .await?
            }
            // A support stores no time of its own; it is no older than the report supported.
            PersonalData::Supporters => {
                tally(
                    self,
                    "SELECT COUNT(*) AS n, MIN(r.created_at) AS oldest, MIN(r.closed_at + $2) AS next \
                     FROM report_supporters s JOIN reports r ON r.id = s.report_id \
                     WHERE r.tenant_id = $1",
                    tenant,
                    &[contact],
                )
                .await?
            }
            PersonalData::ReportPhotos => {
                let t = tally(
                    self,
                    "SELECT COUNT(*) AS n, MIN(p.created_at) AS oldest, MIN(r.closed_at + $2) AS next \
                     FROM photos p JOIN reports r ON r.id = p.report_id AND r.tenant_id = p.tenant_id \
                     WHERE p.tenant_id = $1",
                    tenant,
                    &[r.photo_days * DAY],
                )
                .await?;
                // Without `photo_days` photos stay with the public report: no date is due.
                Tally {
                    next: t.next.filter(|_| r.photo_days > 0),
                    ..t
                }
            }
            // Every message not yet erased holds its text and, if given, its contact; open
            // ones keep them until they are closed.
            PersonalData::MessageContact => {
                tally(
                    self,
                    "SELECT COUNT(*) AS n, MIN(created_at) AS oldest, \
                     MIN(CASE WHEN status = 'closed' THEN closed_at + $2 END) AS next \
                     FROM messages WHERE tenant_id = $1 AND erased_at IS NULL",
                    tenant,
                    &[contact],
                )
                .await?
            }
            // Waiting mails hold recipient and text too; a given-up mail's retry window ends
            // at its last `next_attempt_at`.
            PersonalData::SentMails => {
                tally(
                    self,
                    "SELECT COUNT(*) AS n, MIN(created_at) AS oldest, MIN(CASE \
                       WHEN sent_at IS NOT NULL THEN sent_at + $2 \
                       WHEN attempts >= $3 THEN next_attempt_at + $2 END) AS next \
                     FROM outbox WHERE tenant_id = $1",
                    tenant,
                    &[r.outbox_days * DAY, MAX_ATTEMPTS],
                )
                .await?
            }
            PersonalData::Flags => {
                tally(
                    self,
                    "SELECT COUNT(*) AS n, MIN(created_at) AS oldest, MIN(decided_at + $2) AS next \
                     FROM flags WHERE tenant_id = $1",
                    tenant,
                    &[contact],
                )
                .await?
            }
            // Participation stores no time (ballot secrecy); it is no older than its poll's
            // opening and goes once the poll has ended.
            PersonalData::PollParticipation => {
                let voters = tally(
                    self,
                    "SELECT COUNT(*) AS n, MIN(p.opens_at) AS oldest, MIN(p.closes_at) AS next \
                     FROM poll_voters v JOIN polls p ON p.id = v.poll_id WHERE p.tenant_id = $1",
                    tenant,
                    &[],
                )
                .await?;
                let codes = tally(
                    self,
                    "SELECT COUNT(*) AS n, MIN(p.opens_at) AS oldest, MIN(p.closes_at) AS next \
                     FROM poll_codes c JOIN polls p ON p.id = c.poll_id \
                     WHERE p.tenant_id = $1 AND c.used = 1",
                    tenant,
                    &[],
                )
                .await?;
                voters.and(codes)
            }
            // Accounts, their sessions and the failed logins naming them (the failures keyed
            // by a client address are the installation's, not a town's). Sessions go when they
            // expire; accounts stay while they exist.
            PersonalData::OfficialAccounts => {
                let users = tally(
                    self,
                    "SELECT COUNT(*) AS n, MIN(created_at) AS oldest, CAST(NULL AS BIGINT) AS next \
                     FROM users WHERE tenant_id = $1",
                    tenant,
                    &[],
                )
                .await?;
                let sessions = tally(
                    self,
                    "SELECT COUNT(*) AS n, MIN(created_at) AS oldest, MIN(expires_at) AS next \
                     FROM sessions WHERE tenant_id = $1",
                    tenant,
                    &[],
                )
                .await?;
                let failures = sqlx::query(
                    "SELECT COUNT(*) AS n, MIN(at) AS oldest FROM login_failures \
                     WHERE throttle_key LIKE $1",
                )
                .bind(format!("account:{tenant}:%"))
                .fetch_one(&self.pool)
                .await?;
                users.and(sessions).and(Tally {
                    records: failures.try_get("n")?,
                    oldest: failures.try_get("oldest")?,
                    next: None,
                })
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Tally;

    #[test]
    fn tallies_add_up_and_keep_the_earliest_dates() {
        let a = Tally {
            records: 2,
            oldest: Some(100),
            next: None,
        };
        let b = Tally {
            records: 1,
            oldest: Some(50),
            next: Some(900),
        };
        assert_eq!(
            a.and(b),
            Tally {
                records: 3,
                oldest: Some(50),
                next: Some(900)
            }
        );
        assert_eq!(Tally::default().and(Tally::default()), Tally::default());
    }
}
