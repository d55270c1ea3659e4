//! What the processing statistics read (issue 17): times, states, categories and kinds, never
//! a text a citizen wrote. Every query is bound to one tenant.

use super::{Db, DbError};
use civickit_model::stats::{MessageFact, ReportFact};
use civickit_model::{CloseReason, Status};
use futures_util::TryStreamExt;
use sqlx::Row;

/// A named thing a cell belongs to, in the town's order; `listed` whether a reader picks it
/// today (a retired one appears only while it has figures).
#[derive(Debug, Clone)]
pub struct Named {
    /// The row's id (0 for message kinds, which are known by their code).
    pub id: i64,
    pub code: String,
    pub name: String,
    pub listed: bool,
}

impl Db {
    /// The town's reports received since `since` or open now (of any age), read as a stream
    /// so that a county's year is never held twice (rows and facts) in memory.
    pub async fn report_facts(
        &self,
        tenant_id: i64,
        since: i64,
    ) -> Result<Vec<ReportFact>, DbError> {
        let mut rows = sqlx::query(
            "SELECT category_id, department_id, status, close_reason, created_at, \
             first_reaction_at, closed_at FROM reports WHERE tenant_id = $1 AND (created_at >= $2 \
             OR status IN ('received', 'in_progress', 'pending_review'))",
        )
        .bind(tenant_id)
        .bind(since)
        .fetch(&self.pool);
        let mut facts = Vec::new();
        while let Some(r) = rows.try_next().await? {
            let status: String = r.try_get("status")?;
            let reason: Option<String> = r.try_get("close_reason")?;
            facts.push(ReportFact {
                category: r.try_get("category_id")?,
                department: r.try_get("department_id")?,
                status: Status::parse(&status).unwrap_or(Status::Received),
                close_reason: reason.as_deref().and_then(CloseReason::parse),
                created: r.try_get("created_at")?,
                first_reaction: r.try_get("first_reaction_at")?,
                closed: r.try_get("closed_at")?,
            });
        }
        facts.shrink_to_fit();
        Ok(facts)
    }

    /// The town's mailbox messages received since `since`, with the time of its first reply.
    pub async fn message_facts(
        &self,
        tenant_id: i64,
        since: i64,
    ) -> Result<Vec<MessageFact>, DbError> {
        let rows = sqlx::query(
            "SELECT m.kind, m.created_at, (SELECT MIN(e.at) FROM message_events e \
             WHERE e.message_id = m.id AND e.kind = 'reply') AS answered \
             FROM messages m WHERE m.tenant_id = $1 AND m.created_at >= $2",
        )
        .bind(tenant_id)
        .bind(since)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(MessageFact {
                    kind: r.try_get("kind")?,
                    created: r.try_get("created_at")?,
                    answered: r.try_get("answered")?,
                })
            })
            .collect()
    }

    /// Categories in the town's order; retired ones are not `listed`.
    pub async fn stats_categories(&self, tenant_id: i64) -> Result<Vec<Named>, DbError> {
        self.named(
            "SELECT id, code, name, active AS listed FROM categories WHERE tenant_id = $1 \
             ORDER BY position, id",
            tenant_id,
        )
        .await
    }

    /// Message kinds in the town's order; retired ones are not `listed`.
    pub async fn stats_kinds(&self, tenant_id: i64) -> Result<Vec<Named>, DbError> {
        self.named(
            "SELECT 0 AS id, code, name, 1 - retired AS listed FROM message_kinds \
             WHERE tenant_id = $1 ORDER BY position, id",
            tenant_id,
        )
        .await
    }

    /// Departments by name.
    pub async fn stats_departments(&self, tenant_id: i64) -> Result<Vec<Named>, DbError> {
        self.named(
            "SELECT id, '' AS code, name, 1 - retired AS listed FROM departments \
             WHERE tenant_id = $1 ORDER BY name, id",
            tenant_id,
        )
        .await
    }

    async fn named(&self, sql: &str, tenant_id: i64) -> Result<Vec<Named>, DbError> {
        let rows = sqlx::query(sql)
            .bind(tenant_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                let listed: i64 = r.try_get("listed")?;
                Ok(Named {
                    id: r.try_get("id")?,
                    code: r.try_get("code")?,
                    name: r.try_get("name")?,
                    listed: listed != 0,
                })
            })
            .collect()
    }
}

/// Setting past times on seeded history (the demo's year of reports, the statistics' tests):
/// what a year of officials' work would have left.
impl Db {
    /// Sets when a report was first reacted to and finished (its notes keep their order).
    pub async fn backdate_processing(
        &self,
        tenant_id: i64,
        reference: &str,
        first_reaction_at: Option<i64>,
        closed_at: Option<i64>,
    ) -> Result<(), DbError> {
        let last = closed_at.or(first_reaction_at);
        sqlx::query(
            "UPDATE reports SET first_reaction_at = $1, closed_at = $2, \
             updated_at = COALESCE($3, updated_at) WHERE tenant_id = $4 AND ref = $5",
        )
        .bind(first_reaction_at)
        .bind(closed_at)
        .bind(last)
        .bind(tenant_id)
        .bind(reference)
        .execute(&self.pool)
        .await?;
        if let Some(at) = last {
            self.date_notes(tenant_id, reference, at).await?;
        }
        Ok(())
    }

    /// Sets when a message came in and when its events (the reply) happened.
    pub async fn backdate_message(
        &self,
        tenant_id: i64,
        reference: &str,
        created_at: i64,
        answered_at: Option<i64>,
    ) -> Result<(), DbError> {
        sqlx::query(
            "UPDATE messages SET created_at = $1, updated_at = COALESCE($2, $1) \
             WHERE tenant_id = $3 AND ref = $4",
        )
        .bind(created_at)
        .bind(answered_at)
        .bind(tenant_id)
        .bind(reference)
        .execute(&self.pool)
        .await?;
        sqlx::query(
            "UPDATE message_events SET at = COALESCE($1, $2) WHERE tenant_id = $3 AND message_id = \
             (SELECT id FROM messages WHERE tenant_id = $3 AND ref = $4)",
        )
        .bind(answered_at)
        .bind(created_at)
        .bind(tenant_id)
        .bind(reference)
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}
