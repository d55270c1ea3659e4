//! Outgoing mail. Rows are written inside the transaction of the change they report; the
//! background worker (`crate::mail`) sends them with retries and backoff.

use super::{now, Backend, Db, DbError};
use sqlx::Row;

/// After this many failed attempts a mail is given up (and stays in the table with its error).
pub const MAX_ATTEMPTS: i64 = 8;

#[derive(Debug, Clone)]
pub struct OutgoingMail {
    pub id: i64,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub attempts: i64,
}

pub async fn enqueue(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    tenant_id: i64,
    recipient: &str,
    subject: &str,
    body: &str,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO outbox (tenant_id, recipient, subject, body, created_at, next_attempt_at) \
         VALUES ($1, $2, $3, $4, $5, $5)",
    )
    .bind(tenant_id)
    .bind(recipient)
    .bind(subject)
    .bind(body)
    .bind(now())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Seconds to wait after the n-th failure: 30 s, 1 min, 2 min, … capped at an hour.
pub fn backoff(attempts: i64) -> i64 {
    (30i64 << attempts.clamp(0, 7)).min(3600)
}

impl Db {
    /// Claims up to `limit` due mails: one statement pushes their next attempt five minutes
    /// ahead and counts the attempt, so that no other worker takes them meanwhile. On
    /// PostgreSQL several instances' workers run at once: `FOR UPDATE SKIP LOCKED` lets each
    /// take rows the others have not locked, and a row another claimed and committed is
    /// re-checked against the WHERE and left out, so a mail goes to one worker. SQLite has one
    /// writer at a time, which makes the same statement atomic without it.
    pub async fn claim_due_mail(&self, limit: i64) -> Result<Vec<OutgoingMail>, DbError> {
        let at = now();
        let lock = match self.backend {
            Backend::Postgres => " FOR UPDATE SKIP LOCKED",
            Backend::Sqlite => "",
        };
        let sql = format!(
            "UPDATE outbox SET next_attempt_at = $1, attempts = attempts + 1 \
             WHERE id IN (SELECT id FROM outbox \
               WHERE sent_at IS NULL AND next_attempt_at <= $2 AND attempts < $3 \
               ORDER BY id LIMIT $4{lock}) \
             RETURNING id, recipient, subject, body, attempts - 1 AS attempts"
        );
        let rows = sqlx::query(&sql)
            .bind(at + 300)
            .bind(at)
            .bind(MAX_ATTEMPTS)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        let mut claimed = rows
            .iter()
            .map(|r| {
                Ok(OutgoingMail {
                    id: r.try_get("id")?,
                    recipient: r.try_get("recipient")?,
                    subject: r.try_get("subject")?,
                    body: r.try_get("body")?,
                    attempts: r.try_get("attempts")?,
                })
            })
            .collect::<Result<Vec<_>, DbError>>()?;
        // RETURNING has no order; the oldest mail goes first.
        claimed.sort_by_key(|m| m.id);
        Ok(claimed)
    }

    pub async fn mail_sent(&self, id: i64) -> Result<(), DbError> {
        sqlx::query("UPDATE outbox SET sent_at = $1, last_error = NULL WHERE id = $2")
            .bind(now())
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn mail_failed(&self, mail: &OutgoingMail, error: &str) -> Result<(), DbError> {
        sqlx::query("UPDATE outbox SET next_attempt_at = $1, last_error = $2 WHERE id = $3")
            .bind(now() + backoff(mail.attempts + 1))
            .bind(error)
            .bind(mail.id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// (sent, waiting) counts, for tests and the office.
    pub async fn outbox_counts(&self, tenant_id: i64) -> Result<(i64, i64), DbError> {
        let row = sqlx::query(
            "SELECT CAST(COALESCE(SUM(CASE WHEN sent_at IS NULL THEN 0 ELSE 1 END), 0) AS BIGINT) AS sent, \
             CAST(COALESCE(SUM(CASE WHEN sent_at IS NULL THEN 1 ELSE 0 END), 0) AS BIGINT) AS waiting \
             FROM outbox WHERE tenant_id = $1",
        )
        .bind(tenant_id)
        .fetch_one(&self.pool)
        .await?;
        Ok((row.try_get("sent")?, row.try_get("waiting")?))
    }
}

#[cfg(test)]
mod tests {
    use super::backoff;

    #[test]
    fn backoff_grows_and_is_capped() {
        assert_eq!(backoff(0), 30);
        assert_eq!(backoff(1), 60);
        assert_eq!(backoff(3), 240);
        assert_eq!(backoff(20), 3600);
    }
}
