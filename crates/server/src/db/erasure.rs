//! Erasing one item's personal data, inside the caller's transaction: shared by the retention
//! job (`retention.rs`, when an item's time is up) and a citizen's erasure request
//! (`subject.rs`, at once), so that both leave the same traces, and nothing more.
//!
//! With an item's contact go the copies made of it: the citizen fields of the audit entries
//! about it ([`AUDIT_CITIZEN_FIELDS`]), a report's internal notes, a message's reply, forward
//! and note texts, and the mails about it in the outbox.

use super::outbox::MAX_ATTEMPTS;
use super::DbError;
use crate::secrets::hash_secret;
use serde_json::Value;
use sqlx::{AnyConnection, Row};
use std::collections::HashSet;

type Tx<'a> = sqlx::Transaction<'a, sqlx::Any>;

/// Keys of `audit_log.before_json`/`after_json` that may hold what a citizen wrote or who
/// they are (or what an official wrote about them): nulled when their item is erased. The
/// keys that stay are states, ids, departments, public notes and places.
pub const AUDIT_CITIZEN_FIELDS: &[&str] = &[
    "name",
    "email",
    "phone",
    "subject",
    "text",
    "body",
    "description",
    "original_description",
    "note",
    "internal_note",
];

/// The prefix of a tracking hash that no link matches any more (see [`expired_tracking_hash`]).
pub const EXPIRED_PREFIX: &str = "expired:";

/// What replaces a report's `tracking_hash` when its link expires. It must stay NOT NULL and
/// UNIQUE; no token hashes to it (a token's hash is plain hex), so the link opens nothing. It
/// is derived from the old hash only so that the old link can still say "expired" and name
/// the town (`Db::expired_link_town`), nothing of the report.
pub fn expired_tracking_hash(stored_hash: &str) -> String {
    format!("{EXPIRED_PREFIX}{}", hash_secret(stored_hash))
}

/// A report or message whose personal data goes: its row, its reference (what audit entries
/// and mails name it by) and the citizen's e-mail address, if it still has one.
#[derive(Debug, Clone)]
pub struct Item {
    pub id: i64,
    pub reference: String,
    pub address: Option<String>,
}

/// Items per `IN (…)` list: far below both databases' limits on parameters.
const CHUNK: usize = 200;

/// `$first, $first+1, …` for `n` values.
fn placeholders(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Runs `sql` (`$1` the town, `{ids}` where the list of row ids goes, after `$1` and the
/// `extra` values) for the items, a chunk at a time: one statement per chunk, not per item,
/// so a first run on years of data holds the write lock for seconds, not minutes.
async fn for_chunks(
    tx: &mut Tx<'_>,
    sql: &str,
    tenant_id: i64,
    extra: &[i64],
    ids: &[i64],
) -> Result<u64, DbError> {
    let mut changed = 0;
    for chunk in ids.chunks(CHUNK) {
        let sql = sql.replace("{ids}", &placeholders(2 + extra.len(), chunk.len()));
        let mut query = sqlx::query(&sql).bind(tenant_id);
        for value in extra.iter().chain(chunk) {
            query = query.bind(*value);
        }
        changed += query.execute(&mut **tx).await?.rows_affected();
    }
    Ok(changed)
}

fn ids(items: &[Item]) -> Vec<i64> {
    items.iter().map(|i| i.id).collect()
}

/// Reports lose the e-mail address with its opt-in state and mail token, the citizen's
/// original text, their internal notes, the citizen fields of their audit entries and the
/// mails about them. Public content (description, photos, place, state, public notes) stays.
/// Returns the mails deleted.
pub async fn erase_reports(
    tx: &mut Tx<'_>,
    tenant_id: i64,
    items: &[Item],
) -> Result<u64, DbError> {
    let ids = ids(items);
    for_chunks(
        tx,
        "UPDATE reports SET email = NULL, email_state = NULL, email_token = NULL, \
         original_description = NULL WHERE tenant_id = $1 AND id IN ({ids})",
        tenant_id,
        &[],
        &ids,
    )
    .await?;
    for_chunks(
        tx,
        "DELETE FROM report_notes WHERE tenant_id = $1 AND public = 0 AND report_id IN ({ids})",
        tenant_id,
        &[],
        &ids,
    )
    .await?;
    strip_audit(tx, tenant_id, items).await?;
    delete_mails_about(tx, tenant_id, items).await
}

/// Only the address of a report (one never confirmed): with its state and mail token, and the
/// mails about the report; the rest of the report is the town's work in progress.
pub async fn forget_report_address(
    tx: &mut Tx<'_>,
    tenant_id: i64,
    items: &[Item],
) -> Result<u64, DbError> {
    for_chunks(
        tx,
        "UPDATE reports SET email = NULL, email_state = NULL, email_token = NULL \
         WHERE tenant_id = $1 AND id IN ({ids})",
        tenant_id,
        &[],
        &ids(items),
    )
    .await?;
    delete_mails_about(tx, tenant_id, items).await
}

/// The reports' tracking links and the links in their mails stop working.
pub async fn expire_links(tx: &mut Tx<'_>, tenant_id: i64, items: &[Item]) -> Result<(), DbError> {
    let ids = ids(items);
    for_chunks(
        tx,
        "UPDATE reports SET email_token = NULL WHERE tenant_id = $1 AND id IN ({ids})",
        tenant_id,
        &[],
        &ids,
    )
    .await?;
    for chunk in ids.chunks(CHUNK) {
        let sql = format!(
            "SELECT id, tracking_hash FROM reports WHERE tenant_id = $1 AND id IN ({}) \
             AND tracking_hash NOT LIKE '{EXPIRED_PREFIX}%'",
            placeholders(2, chunk.len())
        );
        let mut query = sqlx::query(&sql).bind(tenant_id);
        for id in chunk {
            query = query.bind(id);
        }
        // Each expired value is derived from the row's own hash, so one statement per row.
        for row in query.fetch_all(&mut **tx).await? {
            let hash: String = row.try_get("tracking_hash")?;
            sqlx::query("UPDATE reports SET tracking_hash = $1 WHERE tenant_id = $2 AND id = $3")
                .bind(expired_tracking_hash(&hash))
                .bind(tenant_id)
                .bind(row.try_get::<i64, _>("id")?)
                .execute(&mut **tx)
                .await?;
        }
    }
    Ok(())
}

/// Messages lose name, e-mail and phone (and subject and text with `erase_text`), the texts
/// of replies, forwards and notes, the citizen fields of their audit entries and the mails
/// about them. Kind, dates, state and department stay, so the statistics do. Returns the
/// mails deleted.
pub async fn erase_messages(
    tx: &mut Tx<'_>,
    tenant_id: i64,
    items: &[Item],
    erase_text: bool,
    at: i64,
) -> Result<u64, DbError> {
    let texts = if erase_text {
        ", subject = NULL, body = NULL"
    } else {
        ""
    };
    let ids = ids(items);
    for_chunks(
        tx,
        &format!(
            "UPDATE messages SET name = NULL, email = NULL, phone = NULL{texts}, \
             erased_at = COALESCE(erased_at, $2) WHERE tenant_id = $1 AND id IN ({{ids}})"
        ),
        tenant_id,
        &[at],
        &ids,
    )
    .await?;
    for_chunks(
        tx,
        "UPDATE message_events SET text = NULL WHERE tenant_id = $1 \
         AND kind IN ('reply', 'forward', 'note') AND message_id IN ({ids})",
        tenant_id,
        &[],
        &ids,
    )
    .await?;
    strip_audit(tx, tenant_id, items).await?;
    delete_mails_about(tx, tenant_id, items).await
}

/// Nulls every [`AUDIT_CITIZEN_FIELDS`] key, at any depth; true if there was one to null.
pub fn strip_citizen_fields(value: &mut Value) -> bool {
    match value {
        Value::Object(map) => {
            let mut changed = false;
            for (key, v) in map.iter_mut() {
                if AUDIT_CITIZEN_FIELDS.contains(&key.as_str()) {
                    if !v.is_null() {
                        *v = Value::Null;
                        changed = true;
                    }
                } else {
                    changed |= strip_citizen_fields(v);
                }
            }
            changed
        }
        Value::Array(list) => list
            .iter_mut()
            .fold(false, |changed, v| strip_citizen_fields(v) | changed),
        _ => false,
    }
}

/// The audit entries about the items (their `subject` is the item's reference) keep their
/// action, time and official, and lose the citizen fields of their before and after.
async fn strip_audit(tx: &mut Tx<'_>, tenant_id: i64, items: &[Item]) -> Result<(), DbError> {
    for chunk in items.chunks(CHUNK) {
        let sql = format!(
            "SELECT id, before_json, after_json FROM audit_log WHERE tenant_id = $1 \
             AND subject IN ({})",
            placeholders(2, chunk.len())
        );
        let mut query = sqlx::query(&sql).bind(tenant_id);
        for item in chunk {
            query = query.bind(&item.reference);
        }
        let rows = query.fetch_all(&mut **tx).await?;
        for row in rows {
            let id: i64 = row.try_get("id")?;
            let mut changed = false;
            let mut strip = |json: Option<String>| {
                json.map(|text| match serde_json::from_str::<Value>(&text) {
                    Ok(mut value) => {
                        if strip_citizen_fields(&mut value) {
                            changed = true;
                        }
                        value.to_string()
                    }
                    // Not ours to read: gone rather than kept unread.
                    Err(_) => {
                        changed = true;
                        "null".to_string()
                    }
                })
            };
            let before = strip(row.try_get("before_json")?);
            let after = strip(row.try_get("after_json")?);
            if changed {
                sqlx::query("UPDATE audit_log SET before_json = $1, after_json = $2 WHERE id = $3")
                    .bind(before)
                    .bind(after)
                    .bind(id)
                    .execute(&mut **tx)
                    .await?;
            }
        }
    }
    Ok(())
}

/// One row of the outbox, as much as deciding about it needs.
pub struct MailRow {
    pub id: i64,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub created_at: i64,
    pub sent_at: Option<i64>,
    pub attempts: i64,
}

impl MailRow {
    /// Still to be sent (not sent, not given up).
    pub fn pending(&self) -> bool {
        self.sent_at.is_none() && self.attempts < MAX_ATTEMPTS
    }
}

/// Every mail of the town in the outbox, oldest first. The outbox holds only the last
/// `outbox_days` of mail, so reading it whole stays small.
pub async fn town_mails(conn: &mut AnyConnection, tenant_id: i64) -> Result<Vec<MailRow>, DbError> {
    let rows = sqlx::query(
        "SELECT id, recipient, subject, body, created_at, sent_at, attempts FROM outbox \
         WHERE tenant_id = $1 ORDER BY id",
    )
    .bind(tenant_id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(MailRow {
                id: r.try_get("id")?,
                recipient: r.try_get("recipient")?,
                subject: r.try_get("subject")?,
                body: r.try_get("body")?,
                created_at: r.try_get("created_at")?,
                sent_at: r.try_get("sent_at")?,
                attempts: r.try_get("attempts")?,
            })
        })
        .collect()
}

pub async fn delete_mails(tx: &mut Tx<'_>, ids: &[i64]) -> Result<u64, DbError> {
    let mut deleted = 0;
    for chunk in ids.chunks(CHUNK) {
        let sql = format!(
            "DELETE FROM outbox WHERE id IN ({})",
            placeholders(1, chunk.len())
        );
        let mut query = sqlx::query(&sql);
        for id in chunk {
            query = query.bind(id);
        }
        deleted += query.execute(&mut **tx).await?.rows_affected();
    }
    Ok(deleted)
}

/// Whether `text` names `reference` (every mail about an item has it in its subject), not as
/// the start of a longer one (`M-2026-00042` in `M-2026-000421`).
pub fn names_reference(text: &str, reference: &str) -> bool {
    text.match_indices(reference).any(|(at, _)| {
        !text[at + reference.len()..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit())
    })
}

/// The mails about the items: those naming one of them, and those to one of their addresses
/// that are no longer waiting (a waiting one to the same address may be about another item
/// of the same citizen, which keeps its own time).
async fn delete_mails_about(
    tx: &mut Tx<'_>,
    tenant_id: i64,
    items: &[Item],
) -> Result<u64, DbError> {
    if items.is_empty() {
        return Ok(0);
    }
    let addresses: HashSet<String> = items
        .iter()
        .filter_map(|i| i.address.as_deref())
        .map(|a| a.trim().to_lowercase())
        .collect();
    let ids: Vec<i64> = town_mails(tx, tenant_id)
        .await?
        .into_iter()
        .filter(|m| {
            items
                .iter()
                .any(|i| names_reference(&m.subject, &i.reference))
                || (!m.pending() && addresses.contains(&m.recipient.trim().to_lowercase()))
        })
        .map(|m| m.id)
        .collect();
    delete_mails(tx, &ids).await
}

impl super::Db {
    /// The town and language of a report whose tracking link expired, found by the old
    /// link's token; `None` for a link that never was.
    pub async fn expired_link_town(
        &self,
        token: &str,
    ) -> Result<Option<(i64, civickit_model::Lang)>, DbError> {
        let row = sqlx::query("SELECT tenant_id, lang FROM reports WHERE tracking_hash = $1")
            .bind(expired_tracking_hash(&hash_secret(token)))
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| {
            Ok((
                r.try_get("tenant_id")?,
                civickit_model::Lang::from_tag(&r.try_get::<String, _>("lang")?),
            ))
        })
        .transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn citizen_fields_are_nulled_at_any_depth_and_the_rest_stays() {
        let mut v = json!({"status": "closed", "note": "Herr Muster rief an",
            "changes": [{"description": "Laterne vor Nr. 5, Muster"}], "public_note": "Erledigt."});
        assert!(strip_citizen_fields(&mut v));
        assert_eq!(
            v,
            json!({"status": "closed", "note": null,
                "changes": [{"description": null}], "public_note": "Erledigt."})
        );
        assert!(
            !strip_citizen_fields(&mut v),
            "a second pass changes nothing"
        );
    }

    #[test]
    fn a_reference_is_named_only_as_a_whole() {
        assert!(names_reference(
            "Ihre Meldung M-2026-00042: erledigt",
            "M-2026-00042"
        ));
        assert!(!names_reference(
            "Ihre Meldung M-2026-000421",
            "M-2026-00042"
        ));
    }

    #[test]
    fn an_expired_hash_matches_no_token() {
        let token = crate::secrets::new_secret();
        let stored = hash_secret(&token);
        let expired = expired_tracking_hash(&stored);
        assert!(expired.starts_with(EXPIRED_PREFIX));
        assert_ne!(expired, stored);
        assert_eq!(expired, expired_tracking_hash(&hash_secret(&token)));
    }
}
