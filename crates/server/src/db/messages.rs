//! Mailbox messages: storage and the office's work on them (forward, reply, note, close).
//! Their personal data is erased by the retention job (`retention.rs`, `erasure.rs`).

use super::audit::{self, Actor};
use super::outbox;
use super::reports::MailDraft;
use super::sql::{Bind, Where};
use super::{now, Db, DbError};
use civickit_model::{Lang, MessageStatus, NewMessage, ReferenceKind};
use sqlx::any::AnyRow;
use sqlx::Row;

#[derive(Debug, Clone)]
pub struct Message {
    pub id: i64,
    pub reference: String,
    pub kind: String,
    pub subject: Option<String>,
    pub body: Option<String>,
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub status: MessageStatus,
    pub department_id: Option<i64>,
    pub department_name: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub closed_at: Option<i64>,
    pub erased_at: Option<i64>,
    /// The language the citizen wrote in: the receipt and the office's replies follow it.
    pub lang: Lang,
}

#[derive(Debug, Clone)]
pub struct MessageEvent {
    pub at: i64,
    pub kind: String,
    pub text: Option<String>,
    pub department_id: Option<i64>,
    pub user_email: String,
}

#[derive(Debug, Clone, Default)]
pub struct MessageFilter {
    pub statuses: Vec<MessageStatus>,
    pub kinds: Vec<String>,
    pub department_id: Option<i64>,
    pub search: Option<String>,
    pub limit: i64,
    pub offset: i64,
}

const MESSAGE_SELECT: &str = "SELECT m.id, m.ref, m.kind, m.subject, m.body, m.name, m.email, m.phone, \
     m.status, m.department_id, d.name AS department_name, m.created_at, m.updated_at, m.closed_at, \
     m.erased_at, m.lang FROM messages m LEFT JOIN departments d ON d.id = m.department_id AND d.tenant_id = m.tenant_id";

fn message_from_row(row: &AnyRow) -> Result<Message, DbError> {
    let status: String = row.try_get("status")?;
    Ok(Message {
        id: row.try_get("id")?,
        reference: row.try_get("ref")?,
        kind: row.try_get("kind")?,
        subject: row.try_get("subject")?,
        body: row.try_get("body")?,
        name: row.try_get("name")?,
        email: row.try_get("email")?,
        phone: row.try_get("phone")?,
        status: MessageStatus::parse(&status)
            .ok_or_else(|| DbError::Decode(format!("unknown message status {status:?}").into()))?,
        department_id: row.try_get("department_id")?,
        department_name: row.try_get("department_name")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
        closed_at: row.try_get("closed_at")?,
        erased_at: row.try_get("erased_at")?,
        lang: Lang::from_tag(&row.try_get::<String, _>("lang")?),
    })
}

async fn event(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    tenant_id: i64,
    message_id: i64,
    kind: &str,
    text: Option<&str>,
    department_id: Option<i64>,
    actor: &Actor,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO message_events (tenant_id, message_id, at, kind, text, department_id, user_email) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(tenant_id)
    .bind(message_id)
    .bind(now())
    .bind(kind)
    .bind(text)
    .bind(department_id)
    .bind(&actor.email)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Db {
    /// The kinds a tenant offers citizens now (retired ones not): (code, name), in order.
    pub async fn message_kinds(&self, tenant_id: i64) -> Result<Vec<(String, String)>, DbError> {
        let rows = sqlx::query(
            "SELECT code, name FROM message_kinds WHERE tenant_id = $1 AND retired = 0 \
             ORDER BY position, name",
        )
        .bind(tenant_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("code")?, r.try_get("name")?)))
            .collect()
    }

    pub async fn add_message_kind(
        &self,
        tenant_id: i64,
        code: &str,
        name: &str,
        position: i64,
    ) -> Result<(), DbError> {
        sqlx::query(
            "INSERT INTO message_kinds (tenant_id, code, name, position) VALUES ($1, $2, $3, $4)",
        )
        .bind(tenant_id)
        .bind(code)
        .bind(name)
        .bind(position)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Stores a validated, normalised message with its reference and the language the citizen
    /// wrote in; a receipt mail (which never contains the message text) is queued in the same
    /// transaction if an address was given.
    pub async fn create_message(
        &self,
        tenant_id: i64,
        new: &NewMessage,
        lang: Lang,
        receipt: &(dyn Fn(&str) -> MailDraft + Send + Sync),
    ) -> Result<Message, DbError> {
        let at = now();
        let mut tx = self.pool.begin().await?;
        let reference =
            super::next_reference(&mut tx, tenant_id, ReferenceKind::Message, at).await?;
        sqlx::query(
            "INSERT INTO messages (tenant_id, ref, kind, subject, body, name, email, phone, status, created_at, updated_at, lang) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11)",
        )
        .bind(tenant_id)
        .bind(&reference)
        .bind(&new.kind)
        .bind(&new.subject)
        .bind(&new.message)
        .bind(new.name.as_deref())
        .bind(new.email.as_deref())
        .bind(new.phone.as_deref())
        .bind(MessageStatus::Received.as_str())
        .bind(at)
        .bind(lang.code())
        .execute(&mut *tx)
        .await?;
        if let Some(email) = &new.email {
            let draft = receipt(&reference);
            outbox::enqueue(&mut tx, tenant_id, email, &draft.subject, &draft.body).await?;
        }
        tx.commit().await?;
        Ok(self
            .message(tenant_id, &reference)
            .await?
            .expect("the message just inserted"))
    }

    pub async fn message(
        &self,
        tenant_id: i64,
        reference: &str,
    ) -> Result<Option<Message>, DbError> {
        let row = sqlx::query(&format!(
            "{MESSAGE_SELECT} WHERE m.tenant_id = $1 AND m.ref = $2"
        ))
        .bind(tenant_id)
        .bind(reference)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(message_from_row).transpose()
    }

    pub async fn messages(
        &self,
        tenant_id: i64,
        filter: &MessageFilter,
    ) -> Result<(Vec<Message>, bool), DbError> {
        let mut w = Where::default();
        w.push("m.tenant_id = ?", vec![Bind::Int(tenant_id)]);
        if !filter.statuses.is_empty() {
            w.push_in("m.status", filter.statuses.iter().map(|s| s.as_str()));
        }
        if !filter.kinds.is_empty() {
            w.push_in("m.kind", filter.kinds.iter().map(String::as_str));
        }
        if let Some(q) = filter
            .search
            .as_deref()
            .map(str::trim)
            .filter(|q| !q.is_empty())
        {
            w.push_search(
                "m.ref",
                &["COALESCE(m.subject, '')", "COALESCE(m.body, '')"],
                q,
            );
        }
        if let Some(d) = filter.department_id {
            w.push("m.department_id = ?", vec![Bind::Int(d)]);
        }
        let limit = filter.limit.max(1);
        let sql = format!(
            "{MESSAGE_SELECT} WHERE {} ORDER BY m.created_at DESC, m.id DESC LIMIT {} OFFSET {}",
            w.sql(),
            limit + 1,
            filter.offset.max(0)
        );
        let rows = w.bind(sqlx::query(&sql)).fetch_all(&self.pool).await?;
        let mut list = rows
            .iter()
            .map(message_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        let more = list.len() as i64 > limit;
        list.truncate(limit as usize);
        Ok((list, more))
    }

    pub async fn message_events(
        &self,
        tenant_id: i64,
        message_id: i64,
    ) -> Result<Vec<MessageEvent>, DbError> {
        let rows = sqlx::query(
            "SELECT at, kind, text, department_id, user_email FROM message_events \
             WHERE tenant_id = $1 AND message_id = $2 ORDER BY id",
        )
        .bind(tenant_id)
        .bind(message_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(MessageEvent {
                    at: r.try_get("at")?,
                    kind: r.try_get("kind")?,
                    text: r.try_get("text")?,
                    department_id: r.try_get("department_id")?,
                    user_email: r.try_get("user_email")?,
                })
            })
            .collect()
    }

    /// Forwards to a department (and optionally mails the department), audited.
    pub async fn forward_message(
        &self,
        tenant_id: i64,
        message: &Message,
        department_id: i64,
        department_mail: Option<(&str, MailDraft)>,
        actor: &Actor,
    ) -> Result<(), DbError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "UPDATE messages SET department_id = $1, status = $2, updated_at = $3 WHERE tenant_id = $4 AND id = $5",
        )
        .bind(department_id)
        .bind(MessageStatus::Forwarded.as_str())
        .bind(now())
        .bind(tenant_id)
        .bind(message.id)
        .execute(&mut *tx)
        .await?;
        let sent_to = department_mail.as_ref().map(|(to, _)| *to);
        event(
            &mut tx,
            tenant_id,
            message.id,
            "forward",
            sent_to,
            Some(department_id),
            actor,
        )
        .await?;
        if let Some((to, draft)) = &department_mail {
            outbox::enqueue(&mut tx, tenant_id, to, &draft.subject, &draft.body).await?;
        }
        audit::record(
            &mut tx,
            tenant_id,
            actor,
            "message.forward",
            &message.reference,
            Some(&serde_json::json!({"status": message.status.as_str(), "department_id": message.department_id})),
            Some(&serde_json::json!({"status": "forwarded", "department_id": department_id, "mailed_to": sent_to})),
        )
        .await?;
        tx.commit().await
    }

    /// Stores a reply and mails it to the citizen, audited.
    pub async fn reply_to_message(
        &self,
        tenant_id: i64,
        message: &Message,
        text: &str,
        mail: Option<(&str, MailDraft)>,
        actor: &Actor,
    ) -> Result<(), DbError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "UPDATE messages SET status = $1, updated_at = $2 WHERE tenant_id = $3 AND id = $4",
        )
        .bind(MessageStatus::Answered.as_str())
        .bind(now())
        .bind(tenant_id)
        .bind(message.id)
        .execute(&mut *tx)
        .await?;
        event(
            &mut tx,
            tenant_id,
            message.id,
            "reply",
            Some(text),
            None,
            actor,
        )
        .await?;
        if let Some((to, draft)) = &mail {
            outbox::enqueue(&mut tx, tenant_id, to, &draft.subject, &draft.body).await?;
        }
        audit::record(
            &mut tx,
            tenant_id,
            actor,
            "message.reply",
            &message.reference,
            Some(&serde_json::json!({"status": message.status.as_str()})),
            Some(&serde_json::json!({"status": "answered", "mailed": mail.is_some()})),
        )
        .await?;
        tx.commit().await
    }

    pub async fn note_on_message(
        &self,
        tenant_id: i64,
        message: &Message,
        text: &str,
        actor: &Actor,
    ) -> Result<(), DbError> {
        let mut tx = self.pool.begin().await?;
        event(
            &mut tx,
            tenant_id,
            message.id,
            "note",
            Some(text),
            None,
            actor,
        )
        .await?;
        audit::record(
            &mut tx,
            tenant_id,
            actor,
            "message.note",
            &message.reference,
            None,
            Some(&serde_json::json!({"note": text})),
        )
        .await?;
        tx.commit().await
    }

    pub async fn set_message_status(
        &self,
        tenant_id: i64,
        message: &Message,
        status: MessageStatus,
        actor: &Actor,
    ) -> Result<(), DbError> {
        let at = now();
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "UPDATE messages SET status = $1, updated_at = $2, \
             closed_at = CASE WHEN $1 = 'closed' THEN $2 ELSE NULL END WHERE tenant_id = $3 AND id = $4",
        )
        .bind(status.as_str())
        .bind(at)
        .bind(tenant_id)
        .bind(message.id)
        .execute(&mut *tx)
        .await?;
        event(
            &mut tx,
            tenant_id,
            message.id,
            "status",
            Some(status.as_str()),
            None,
            actor,
        )
        .await?;
        audit::record(
            &mut tx,
            tenant_id,
            actor,
            "message.status",
            &message.reference,
            Some(&serde_json::json!({"status": message.status.as_str()})),
            Some(&serde_json::json!({"status": status.as_str()})),
        )
        .await?;
        tx.commit().await
    }

    /// Counts per kind and month (`YYYY-MM`), for the statistics that outlive personal data.
    pub async fn message_statistics(
        &self,
        tenant_id: i64,
    ) -> Result<Vec<(String, String, i64)>, DbError> {
        let rows = sqlx::query("SELECT kind, created_at FROM messages WHERE tenant_id = $1")
            .bind(tenant_id)
            .fetch_all(&self.pool)
            .await?;
        let mut counts = std::collections::BTreeMap::<(String, String), i64>::new();
        for r in rows {
            let at: i64 = r.try_get("created_at")?;
            let t = time::OffsetDateTime::from_unix_timestamp(at)
                .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
            let month = format!("{:04}-{:02}", t.year(), u8::from(t.month()));
            *counts.entry((r.try_get("kind")?, month)).or_default() += 1;
        }
        Ok(counts.into_iter().map(|((k, m), n)| (k, m, n)).collect())
    }

    pub async fn set_mailbox_settings(
        &self,
        tenant_id: i64,
        anonymous: Option<bool>,
        retention_days: Option<i64>,
        erase_text: Option<bool>,
    ) -> Result<(), DbError> {
        if let Some(a) = anonymous {
            sqlx::query("UPDATE tenants SET mailbox_anonymous = $1 WHERE id = $2")
                .bind(super::flag(a))
                .bind(tenant_id)
                .execute(&self.pool)
                .await?;
        }
        if let Some(d) = retention_days {
            sqlx::query("UPDATE tenants SET retention_days = $1 WHERE id = $2")
                .bind(d)
                .bind(tenant_id)
                .execute(&self.pool)
                .await?;
        }
        if let Some(e) = erase_text {
            sqlx::query("UPDATE tenants SET retention_erase_text = $1 WHERE id = $2")
                .bind(super::flag(e))
                .bind(tenant_id)
                .execute(&self.pool)
                .await?;
        }
        Ok(())
    }

    /// (anonymous allowed, retention days, erase text)
    pub async fn mailbox_settings(&self, tenant_id: i64) -> Result<(bool, i64, bool), DbError> {
        let row = sqlx::query(
            "SELECT mailbox_anonymous, retention_days, retention_erase_text FROM tenants WHERE id = $1",
        )
        .bind(tenant_id)
        .fetch_one(&self.pool)
        .await?;
        Ok((
            row.try_get::<i64, _>("mailbox_anonymous")? != 0,
            row.try_get("retention_days")?,
            row.try_get::<i64, _>("retention_erase_text")? != 0,
        ))
    }

    /// A named secret of this installation, made on first use. Two instances racing to make
    /// it agree on whichever was stored first.
    pub async fn server_secret(&self, name: &str) -> Result<String, DbError> {
        let candidate = crate::secrets::new_secret();
        sqlx::query("INSERT INTO server_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING")
            .bind(name)
            .bind(&candidate)
            .execute(&self.pool)
            .await?;
        sqlx::query("SELECT value FROM server_secrets WHERE name = $1")
            .bind(name)
            .fetch_one(&self.pool)
            .await?
            .try_get("value")
    }
}
