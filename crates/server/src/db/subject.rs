//! Access and erasure for one citizen (DSGVO Art. 15 and 17): what the town holds about an
//! e-mail address or a phone number (reports with it, messages with it, mails to it or naming
//! it), and its erasure through the same per-item functions as the retention job
//! (`erasure.rs`). Addresses are compared as [`SubjectKey`]s in Rust, not in SQL, so that both
//! databases agree on case and on the spellings of a phone number.

use super::audit::{self, Actor};
use super::erasure::{self, Item};
use super::{Db, DbError};
use crate::http::rfc3339;
use civickit_model::api::office::{
    SubjectData, SubjectErased, SubjectEvent, SubjectKey, SubjectMail, SubjectMessage,
    SubjectReport,
};
use civickit_model::{MessageStatus, Status};
use sqlx::{AnyConnection, Row};

/// What was found, with the rows to erase.
struct Found {
    data: SubjectData,
    reports: Vec<Item>,
    messages: Vec<Item>,
    mails: Vec<i64>,
}

/// Reads everything held about `key` in the town, on one connection (the erasure's
/// transaction, so that what it erases is what it found).
async fn find(
    conn: &mut AnyConnection,
    tenant_id: i64,
    key: &SubjectKey,
) -> Result<Found, DbError> {
    let mut found = Found {
        data: SubjectData::default(),
        reports: Vec::new(),
        messages: Vec::new(),
        mails: Vec::new(),
    };
    let time = |t: Option<i64>| t.map(rfc3339);
    if matches!(key, SubjectKey::Email(_)) {
        let rows = sqlx::query(
            "SELECT id, ref, status, created_at, updated_at, closed_at, description, \
             original_description, address, email, email_state FROM reports \
             WHERE tenant_id = $1 AND email IS NOT NULL ORDER BY created_at, id",
        )
        .bind(tenant_id)
        .fetch_all(&mut *conn)
        .await?;
        for r in rows {
            let email: String = r.try_get("email")?;
            if !key.matches_email(Some(&email)) {
                continue;
            }
            let status: String = r.try_get("status")?;
            let reference: String = r.try_get("ref")?;
            found.reports.push(Item {
                id: r.try_get("id")?,
                reference: reference.clone(),
                address: Some(email.clone()),
            });
            found.data.reports.push(SubjectReport {
                reference,
                status: Status::parse(&status)
                    .ok_or_else(|| DbError::Decode(format!("unknown status {status:?}").into()))?,
                created: rfc3339(r.try_get("created_at")?),
                updated: rfc3339(r.try_get("updated_at")?),
                finished: time(r.try_get("closed_at")?),
                description: r.try_get("description")?,
                original_description: r.try_get("original_description")?,
                address: r.try_get("address")?,
                email,
                email_state: r.try_get("email_state")?,
            });
        }
    }

    let rows = sqlx::query(
        "SELECT id, ref, kind, status, created_at, updated_at, closed_at, subject, body, name, \
         email, phone FROM messages WHERE tenant_id = $1 \
         AND (email IS NOT NULL OR phone IS NOT NULL) ORDER BY created_at, id",
    )
    .bind(tenant_id)
    .fetch_all(&mut *conn)
    .await?;
    for r in rows {
        let email: Option<String> = r.try_get("email")?;
        let phone: Option<String> = r.try_get("phone")?;
        if !key.matches_email(email.as_deref()) && !key.matches_phone(phone.as_deref()) {
            continue;
        }
        let id: i64 = r.try_get("id")?;
        let reference: String = r.try_get("ref")?;
        let status: String = r.try_get("status")?;
        let events = sqlx::query(
            "SELECT at, kind, text FROM message_events WHERE tenant_id = $1 AND message_id = $2 \
             AND kind IN ('reply', 'forward', 'note') AND text IS NOT NULL ORDER BY id",
        )
        .bind(tenant_id)
        .bind(id)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|e| {
            Ok(SubjectEvent {
                at: rfc3339(e.try_get("at")?),
                kind: e.try_get("kind")?,
                text: e.try_get("text")?,
            })
        })
        .collect::<Result<Vec<_>, DbError>>()?;
        found.messages.push(Item {
            id,
            reference: reference.clone(),
            address: email.clone(),
        });
        found.data.messages.push(SubjectMessage {
            reference,
            kind: r.try_get("kind")?,
            status: MessageStatus::parse(&status).ok_or_else(|| {
                DbError::Decode(format!("unknown message status {status:?}").into())
            })?,
            created: rfc3339(r.try_get("created_at")?),
            updated: rfc3339(r.try_get("updated_at")?),
            closed: time(r.try_get("closed_at")?),
            subject: r.try_get("subject")?,
            text: r.try_get("body")?,
            name: r.try_get("name")?,
            email,
            phone,
            events,
        });
    }

    for mail in erasure::town_mails(conn, tenant_id).await? {
        if key.named_in_mail(&mail.recipient, &mail.subject, &mail.body) {
            found.mails.push(mail.id);
            found.data.mails.push(SubjectMail {
                sent: time(mail.sent_at),
                created: rfc3339(mail.created_at),
                recipient: mail.recipient,
                subject: mail.subject,
                body: mail.body,
            });
        }
    }
    Ok(found)
}

impl Db {
    /// Everything the town holds about the address (Art. 15). The lookup is audited
    /// (`privacy.access`) with what kind of address was asked for and how much was found,
    /// never the address.
    pub async fn subject_data(
        &self,
        tenant_id: i64,
        key: &SubjectKey,
        actor: &Actor,
    ) -> Result<SubjectData, DbError> {
        let mut conn = self.pool.acquire().await?;
        let found = find(&mut conn, tenant_id, key).await?;
        drop(conn);
        let mut tx = self.pool.begin().await?;
        audit::record(
            &mut tx,
            tenant_id,
            actor,
            "privacy.access",
            key.kind(),
            None,
            Some(&serde_json::json!({
                "reports": found.data.reports.len(),
                "messages": found.data.messages.len(),
                "mails": found.data.mails.len(),
            })),
        )
        .await?;
        tx.commit().await?;
        Ok(found.data)
    }

    /// Erases everything held about the address (Art. 17), in one transaction: reports keep
    /// their public content and lose the address, the original text, internal notes and their
    /// links; messages are anonymised, subject and text included; mails to it, naming it or
    /// about those items are deleted. Audited as `privacy.erase` with the counts only.
    pub async fn erase_subject(
        &self,
        tenant_id: i64,
        key: &SubjectKey,
        actor: &Actor,
    ) -> Result<SubjectErased, DbError> {
        let at = super::now();
        let mut tx = self.pool.begin().await?;
        // A write first, so SQLite takes its write lock at the start (see `next_reference`).
        sqlx::query("UPDATE tenants SET retention_days = retention_days WHERE id = $1")
            .bind(tenant_id)
            .execute(&mut *tx)
            .await?;
        let found = find(&mut tx, tenant_id, key).await?;
        let mut mails = erasure::delete_mails(&mut tx, &found.mails).await?;
        mails += erasure::erase_reports(&mut tx, tenant_id, &found.reports).await?;
        erasure::expire_links(&mut tx, tenant_id, &found.reports).await?;
        mails += erasure::erase_messages(&mut tx, tenant_id, &found.messages, true, at).await?;
        let erased = SubjectErased {
            reports: found.reports.len() as i64,
            messages: found.messages.len() as i64,
            mails: mails as i64,
        };
        audit::record(
            &mut tx,
            tenant_id,
            actor,
            "privacy.erase",
            key.kind(),
            None,
            Some(&serde_json::to_value(erased).unwrap_or_default()),
        )
        .await?;
        tx.commit().await?;
        Ok(erased)
    }
}
