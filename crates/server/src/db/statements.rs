//! A town's generated statements (`crate::statements`): the fields only the town can fill in,
//! and an admin's texts that replace a generated statement in one language. Changes are
//! audited in their transaction.

use super::audit::{self, Actor};
use super::{now, Db, DbError};
use civickit_model::api::office::{Conformance, StatementFields, StatementKind};
use civickit_model::Lang;
use serde_json::json;
use sqlx::Row;
use std::collections::HashMap;

/// The admins' texts of a town by statement and language.
pub type EditedTexts = HashMap<(StatementKind, Lang), String>;

fn conformance_str(c: Conformance) -> &'static str {
    match c {
        Conformance::Full => "full",
        Conformance::Partial => "partial",
        Conformance::NotCompliant => "not_compliant",
    }
}

fn parse_conformance(s: &str) -> Conformance {
    Conformance::ALL
        .into_iter()
        .find(|c| conformance_str(*c) == s)
        .unwrap_or_default()
}

impl Db {
    /// The town's fields; all empty (conformance "partial") before the first save.
    pub async fn statement_fields(&self, tenant_id: i64) -> Result<StatementFields, DbError> {
        let row = sqlx::query(
            "SELECT controller, dpo, legal_basis, supervisory_authority, conformance, reviewed_on, \
             feedback_email, feedback_phone, enforcement_url FROM statement_fields WHERE tenant_id = $1",
        )
        .bind(tenant_id)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else {
            return Ok(StatementFields::default());
        };
        Ok(StatementFields {
            controller: row.try_get("controller")?,
            dpo: row.try_get("dpo")?,
            legal_basis: row.try_get("legal_basis")?,
            supervisory_authority: row.try_get("supervisory_authority")?,
            conformance: parse_conformance(&row.try_get::<String, _>("conformance")?),
            reviewed_on: row.try_get("reviewed_on")?,
            feedback_email: row.try_get("feedback_email")?,
            feedback_phone: row.try_get("feedback_phone")?,
            enforcement_url: row.try_get("enforcement_url")?,
        })
    }

    /// Stores fields the caller cleaned and validated, audited with before and after.
    pub async fn set_statement_fields(
        &self,
        tenant_id: i64,
        fields: &StatementFields,
        actor: &Actor,
    ) -> Result<(), DbError> {
        let before = self.statement_fields(tenant_id).await?;
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO statement_fields (tenant_id, controller, dpo, legal_basis, supervisory_authority, \
             conformance, reviewed_on, feedback_email, feedback_phone, enforcement_url, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
             ON CONFLICT (tenant_id) DO UPDATE SET controller = $2, dpo = $3, legal_basis = $4, \
             supervisory_authority = $5, conformance = $6, reviewed_on = $7, feedback_email = $8, \
             feedback_phone = $9, enforcement_url = $10, updated_at = $11",
        )
        .bind(tenant_id)
        .bind(&fields.controller)
        .bind(&fields.dpo)
        .bind(&fields.legal_basis)
        .bind(&fields.supervisory_authority)
        .bind(conformance_str(fields.conformance))
        .bind(&fields.reviewed_on)
        .bind(&fields.feedback_email)
        .bind(&fields.feedback_phone)
        .bind(&fields.enforcement_url)
        .bind(now())
        .execute(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            tenant_id,
            actor,
            "statements.fields",
            "statements",
            Some(&json!(before)),
            Some(&json!(fields)),
        )
        .await?;
        tx.commit().await
    }

    pub async fn edited_statements(&self, tenant_id: i64) -> Result<EditedTexts, DbError> {
        let rows =
            sqlx::query("SELECT statement, lang, body FROM statement_texts WHERE tenant_id = $1")
                .bind(tenant_id)
                .fetch_all(&self.pool)
                .await?;
        let mut texts = EditedTexts::new();
        for row in rows {
            let statement: String = row.try_get("statement")?;
            let lang: String = row.try_get("lang")?;
            if let Some(kind) = StatementKind::parse(&statement) {
                texts.insert((kind, Lang::from_tag(&lang)), row.try_get("body")?);
            }
        }
        Ok(texts)
    }

    /// Replaces a statement's text in one language (`Some`), or goes back to the generated
    /// one (`None`). Audited with whether it was edited and how long it is, before and after
    /// (the text itself is public on the statement's page).
    pub async fn set_statement_text(
        &self,
        tenant_id: i64,
        statement: StatementKind,
        lang: Lang,
        text: Option<&str>,
        actor: &Actor,
    ) -> Result<(), DbError> {
        // Read before the transaction, whose first statement is its write (SQLite then
        // takes the write lock at once instead of upgrading a read lock).
        let before = self
            .edited_statements(tenant_id)
            .await?
            .remove(&(statement, lang));
        if before.as_deref() == text {
            return Ok(());
        }
        let mut tx = self.pool.begin().await?;
        match text {
            Some(body) => {
                sqlx::query(
                    "INSERT INTO statement_texts (tenant_id, statement, lang, body, updated_at) \
                     VALUES ($1, $2, $3, $4, $5) \
                     ON CONFLICT (tenant_id, statement, lang) DO UPDATE SET body = $4, updated_at = $5",
                )
                .bind(tenant_id)
                .bind(statement.as_str())
                .bind(lang.code())
                .bind(body)
                .bind(now())
                .execute(&mut *tx)
                .await?;
            }
            None => {
                sqlx::query(
                    "DELETE FROM statement_texts WHERE tenant_id = $1 AND statement = $2 AND lang = $3",
                )
                .bind(tenant_id)
                .bind(statement.as_str())
                .bind(lang.code())
                .execute(&mut *tx)
                .await?;
            }
        }
        let state =
            |t: Option<&str>| json!({"edited": t.is_some(), "chars": t.map(|t| t.chars().count())});
        audit::record(
            &mut tx,
            tenant_id,
            actor,
            if text.is_some() {
                "statements.text"
            } else {
                "statements.reset"
            },
            &format!("{}/{}", statement.as_str(), lang.code()),
            Some(&state(before.as_deref())),
            Some(&state(text)),
        )
        .await?;
        tx.commit().await
    }
}
