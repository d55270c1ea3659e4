//! Everything that changes a report after it came in: supporters, the state machine with its
//! status mail, the office's edits (each audited) and the demo's seeding (the benchmarks' is in
//! `bench_seed.rs`).

use super::{Report, StatusChange, StatusChangeError, StatusMail};
use crate::db::audit::{self, Actor};
use crate::db::tenants::Category;
use crate::db::{flag, now, outbox, Db, DbError};
use crate::secrets::hash_secret;
use civickit_model::{CloseReason, LatLng, Status};
use sqlx::Row;

/// One of the office's edits: an UPDATE whose `$1` is the new value and `$2`, `$3` the tenant
/// and report ids, with the audit entry that records it.
struct Edit {
    action: &'static str,
    sql: &'static str,
    value: EditValue,
    before: serde_json::Value,
    after: serde_json::Value,
}

enum EditValue {
    Int(i64),
    Text(String),
}

impl Db {
    /// "Betrifft mich auch": counts a supporter once per report. Returns the new count and
    /// whether this call counted; `None` if there is no such public report.
    pub async fn support_report(
        &self,
        tenant_id: i64,
        reference: &str,
        supporter: &str,
    ) -> Result<Option<(i64, bool)>, DbError> {
        let Some(report) = self.report_by_ref(tenant_id, reference).await? else {
            return Ok(None);
        };
        if !report.is_public() {
            return Ok(None);
        }
        let mut tx = self.pool.begin().await?;
        let inserted = sqlx::query(
            "INSERT INTO report_supporters (report_id, supporter_hash) VALUES ($1, $2) \
             ON CONFLICT DO NOTHING",
        )
        .bind(report.id)
        .bind(hash_secret(&format!("{}:{supporter}", report.id)))
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if inserted {
            sqlx::query(
                "UPDATE reports SET supporters = supporters + 1 WHERE id = $1 AND tenant_id = $2",
            )
            .bind(report.id)
            .bind(tenant_id)
            .execute(&mut *tx)
            .await?;
        }
        let count: i64 =
            sqlx::query("SELECT supporters FROM reports WHERE id = $1 AND tenant_id = $2")
                .bind(report.id)
                .bind(tenant_id)
                .fetch_one(&mut *tx)
                .await?
                .try_get("supporters")?;
        tx.commit().await?;
        Ok(Some((count, inserted)))
    }

    /// Moves a report to another state with a public note (the command line's and the demo's
    /// way: no mail, audited as the given actor).
    pub async fn change_status(
        &self,
        tenant_id: i64,
        reference: &str,
        next: Status,
        reason: Option<CloseReason>,
        public_note: &str,
    ) -> Result<Report, StatusChangeError> {
        let change = StatusChange {
            next,
            reason,
            public_note: public_note.to_string(),
            internal_note: None,
            duplicate_of: None,
        };
        self.change_status_by(tenant_id, reference, &change, &Actor::cli(), &|_| None)
            .await
    }

    /// Moves a report to another state: status, public note, optional internal note, audit
    /// entry and the reporter's status mail are one transaction.
    pub async fn change_status_by(
        &self,
        tenant_id: i64,
        reference: &str,
        change: &StatusChange,
        actor: &Actor,
        mail: &StatusMail<'_>,
    ) -> Result<Report, StatusChangeError> {
        let report = self
            .report_by_ref(tenant_id, reference)
            .await?
            .ok_or(StatusChangeError::NotFound)?;
        let next = change.next;
        if !report.status.can_become(next) {
            return Err(StatusChangeError::NotAllowed);
        }
        if next == Status::Closed && change.reason.is_none() {
            return Err(StatusChangeError::ReasonRequired);
        }
        let reason = if next == Status::Closed {
            change.reason
        } else {
            None
        };
        let duplicate_of = match (&change.duplicate_of, reason) {
            (Some(original), Some(CloseReason::Duplicate)) => {
                let original = self
                    .report_by_ref(tenant_id, original)
                    .await?
                    .filter(|o| o.id != report.id)
                    .ok_or(StatusChangeError::NoSuchOriginal)?;
                Some(original.id)
            }
            _ => None,
        };
        let at = now();
        let mut tx = self.pool.begin().await?;
        // Guarded by the old status, so two officials changing the same report at once
        // cannot both win from the same starting point.
        let changed = sqlx::query(
            "UPDATE reports SET status = $1, close_reason = $2, public_note = $3, updated_at = $4, \
             duplicate_of = $5, first_reaction_at = COALESCE(first_reaction_at, $4), closed_at = $9 \
             WHERE id = $6 AND tenant_id = $7 AND status = $8",
        )
        .bind(next.as_str())
        .bind(reason.map(CloseReason::as_str))
        .bind(&change.public_note)
        .bind(at)
        .bind(duplicate_of)
        .bind(report.id)
        .bind(tenant_id)
        .bind(report.status.as_str())
        .bind((!next.is_open()).then_some(at))
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed != 1 {
            return Err(StatusChangeError::NotAllowed);
        }
        insert_note(
            &mut tx,
            tenant_id,
            report.id,
            next,
            &change.public_note,
            true,
            at,
        )
        .await?;
        if let Some(internal) = change.internal_note.as_deref().filter(|n| !n.is_empty()) {
            insert_note(&mut tx, tenant_id, report.id, next, internal, false, at).await?;
        }
        audit::record(
            &mut tx,
            tenant_id,
            actor,
            "report.status",
            reference,
            Some(&serde_json::json!({"status": report.status.as_str(),
                "close_reason": report.close_reason.map(CloseReason::as_str)})),
            Some(&serde_json::json!({"status": next.as_str(),
                "close_reason": reason.map(CloseReason::as_str),
                "public_note": change.public_note,
                "duplicate_of": change.duplicate_of})),
        )
        .await?;
        let mut after = report.clone();
        after.status = next;
        after.close_reason = reason;
        after.public_note = Some(change.public_note.clone());
        if after.email_state.as_deref() == Some("confirmed") && next.is_public() {
            if let (Some(email), Some(draft)) = (&after.email, mail(&after)) {
                outbox::enqueue(&mut tx, tenant_id, email, &draft.subject, &draft.body).await?;
            }
        }
        tx.commit().await?;
        self.report_changed(tenant_id, report.id).await;
        Ok(self
            .report_by_id(tenant_id, report.id)
            .await?
            .expect("the report just updated"))
    }

    /// Applies one of the office's edits to a report and audits it, in one transaction.
    async fn edit_report(
        &self,
        tenant_id: i64,
        report: &Report,
        actor: &Actor,
        edit: Edit,
    ) -> Result<(), DbError> {
        let mut tx = self.pool.begin().await?;
        let q = sqlx::query(edit.sql);
        let q = match edit.value {
            EditValue::Int(v) => q.bind(v),
            EditValue::Text(v) => q.bind(v),
        };
        q.bind(tenant_id).bind(report.id).execute(&mut *tx).await?;
        audit::record(
            &mut tx,
            tenant_id,
            actor,
            edit.action,
            &report.reference,
            Some(&edit.before),
            Some(&edit.after),
        )
        .await?;
        tx.commit().await?;
        // Hiding changes the map; the other edits do not, but one row is cheap to re-read.
        self.report_changed(tenant_id, report.id).await;
        Ok(())
    }

    /// Re-categorises a report and routes it to the new category's department.
    pub async fn set_category(
        &self,
        tenant_id: i64,
        report: &Report,
        category: &Category,
        actor: &Actor,
    ) -> Result<(), DbError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "UPDATE reports SET category_id = $1, department_id = $2, updated_at = $3 \
             WHERE tenant_id = $4 AND id = $5",
        )
        .bind(category.id)
        .bind(category.department_id)
        .bind(now())
        .bind(tenant_id)
        .bind(report.id)
        .execute(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            tenant_id,
            actor,
            "report.category",
            &report.reference,
            Some(&serde_json::json!({"category": report.category_code, "department_id": report.department_id})),
            Some(&serde_json::json!({"category": category.code, "department_id": category.department_id})),
        )
        .await?;
        tx.commit().await?;
        self.report_changed(tenant_id, report.id).await;
        Ok(())
    }

    /// Moves a report (an official dragging its pin). An address the server had looked up is
    /// replaced by `looked_up` (the place at the new position, or none); one the citizen typed
    /// is theirs and stays. Returns the address the report has now.
    pub async fn move_report(
        &self,
        tenant_id: i64,
        report: &Report,
        to: LatLng,
        looked_up: Option<String>,
        actor: &Actor,
    ) -> Result<Option<String>, DbError> {
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query(
            "SELECT address, address_auto FROM reports WHERE tenant_id = $1 AND id = $2",
        )
        .bind(tenant_id)
        .bind(report.id)
        .fetch_one(&mut *tx)
        .await?;
        let address: Option<String> = row.try_get("address")?;
        let auto = row.try_get::<i64, _>("address_auto")? != 0 || address.is_none();
        let new_address = if auto { looked_up } else { address.clone() };
        sqlx::query(
            "UPDATE reports SET lat = $1, lng = $2, address = $3, address_auto = $4, updated_at = $5 \
             WHERE tenant_id = $6 AND id = $7",
        )
        .bind(to.lat)
        .bind(to.lng)
        .bind(new_address.as_deref())
        .bind(i64::from(auto && new_address.is_some()))
        .bind(now())
        .bind(tenant_id)
        .bind(report.id)
        .execute(&mut *tx)
        .await?;
        let at = |p: Option<LatLng>, a: &Option<String>| serde_json::json!({"lat": p.map(|p| p.lat), "lng": p.map(|p| p.lng), "address": a});
        audit::record(
            &mut tx,
            tenant_id,
            actor,
            "report.position",
            &report.reference,
            Some(&at(report.position, &address)),
            Some(&at(Some(to), &new_address)),
        )
        .await?;
        tx.commit().await?;
        self.report_changed(tenant_id, report.id).await;
        Ok(new_address)
    }

    pub async fn set_department(
        &self,
        tenant_id: i64,
        report: &Report,
        department_id: i64,
        actor: &Actor,
    ) -> Result<(), DbError> {
        self.edit_report(
            tenant_id,
            report,
            actor,
            Edit {
                action: "report.department",
                sql: "UPDATE reports SET department_id = $1 WHERE tenant_id = $2 AND id = $3",
                value: EditValue::Int(department_id),
                before: serde_json::json!({"department_id": report.department_id}),
                after: serde_json::json!({"department_id": department_id}),
            },
        )
        .await
    }

    /// Replaces the public description (to remove personal data); the citizen's original text
    /// is kept once, internally.
    pub async fn set_public_description(
        &self,
        tenant_id: i64,
        report: &Report,
        text: &str,
        actor: &Actor,
    ) -> Result<(), DbError> {
        self.edit_report(
            tenant_id,
            report,
            actor,
            Edit {
                action: "report.description",
                sql: "UPDATE reports SET original_description = COALESCE(original_description, description), \
             description = $1 WHERE tenant_id = $2 AND id = $3",
                value: EditValue::Text(text.to_string()),
                before: serde_json::json!({"description": report.description}),
                after: serde_json::json!({"description": text}),
            },
        )
        .await
    }

    pub async fn set_hidden_by(
        &self,
        tenant_id: i64,
        report: &Report,
        hidden: bool,
        actor: &Actor,
    ) -> Result<(), DbError> {
        self.edit_report(
            tenant_id,
            report,
            actor,
            Edit {
                action: if hidden { "report.hide" } else { "report.show" },
                sql: "UPDATE reports SET hidden = $1 WHERE tenant_id = $2 AND id = $3",
                value: EditValue::Int(flag(hidden)),
                before: serde_json::json!({"hidden": report.hidden}),
                after: serde_json::json!({"hidden": hidden}),
            },
        )
        .await
    }

    pub async fn add_internal_note(
        &self,
        tenant_id: i64,
        report: &Report,
        text: &str,
        actor: &Actor,
    ) -> Result<(), DbError> {
        let at = now();
        let mut tx = self.pool.begin().await?;
        insert_note(
            &mut tx,
            tenant_id,
            report.id,
            report.status,
            text,
            false,
            at,
        )
        .await?;
        audit::record(
            &mut tx,
            tenant_id,
            actor,
            "report.note",
            &report.reference,
            None,
            Some(&serde_json::json!({"internal_note": text})),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// For the demo seed: back-dates a report so the sample data looks lived-in.
    pub async fn backdate_report(
        &self,
        tenant_id: i64,
        reference: &str,
        created_at: i64,
    ) -> Result<(), DbError> {
        sqlx::query(
            "UPDATE reports SET created_at = $1, updated_at = $1 WHERE tenant_id = $2 AND ref = $3",
        )
        .bind(created_at)
        .bind(tenant_id)
        .bind(reference)
        .execute(&self.pool)
        .await?;
        self.date_notes(tenant_id, reference, created_at).await?;
        if let Some(report) = self.report_by_ref(tenant_id, reference).await? {
            self.report_changed(tenant_id, report.id).await;
        }
        Ok(())
    }

    /// Puts all of a report's notes at `at` (seeded and back-dated history).
    pub async fn date_notes(
        &self,
        tenant_id: i64,
        reference: &str,
        at: i64,
    ) -> Result<(), DbError> {
        sqlx::query(
            "UPDATE report_notes SET created_at = $1 WHERE tenant_id = $2 AND report_id = \
             (SELECT id FROM reports WHERE tenant_id = $2 AND ref = $3)",
        )
        .bind(at)
        .bind(tenant_id)
        .bind(reference)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn count_reports(&self, tenant_id: i64) -> Result<i64, DbError> {
        sqlx::query("SELECT COUNT(*) AS n FROM reports WHERE tenant_id = $1")
            .bind(tenant_id)
            .fetch_one(&self.pool)
            .await?
            .try_get("n")
    }
}

pub(super) async fn insert_note(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    tenant_id: i64,
    report_id: i64,
    status: Status,
    text: &str,
    public: bool,
    at: i64,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO report_notes (tenant_id, report_id, status, text, public, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(tenant_id)
    .bind(report_id)
    .bind(status.as_str())
    .bind(text)
    .bind(flag(public))
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
