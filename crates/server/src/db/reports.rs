//! Defect reports: creation with a public reference and a secret tracking token, the public
//! status-note history, supporters, the state machine, and the queries behind the map, the
//! list and Open311.

use super::audit::{self, Actor};
use super::outbox;
use super::tenants::{Category, Tenant};
use super::{flag, now, Db, DbError};
use civickit_model::{BBox, CloseReason, LatLng, NewReport, ReferenceKind, Status};
use sha2::{Digest, Sha256};
use sqlx::any::AnyRow;
use sqlx::Row;

#[derive(Debug, Clone)]
pub struct Report {
    pub id: i64,
    pub reference: String,
    pub category_code: String,
    pub category_name: String,
    pub department_name: Option<String>,
    pub status: Status,
    pub close_reason: Option<CloseReason>,
    pub position: Option<LatLng>,
    pub address: Option<String>,
    pub description: String,
    /// Never leaves the server in a public answer.
    pub email: Option<String>,
    pub supporters: i64,
    pub hidden: bool,
    /// The newest public status note, the Open311 `status_notes`.
    pub public_note: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub category_id: i64,
    pub department_id: Option<i64>,
    /// The citizen's text before an official removed personal data from the public one.
    pub original_description: Option<String>,
    /// When an official first reacted (state change or note); none yet means it may be overdue.
    pub first_reaction_at: Option<i64>,
    /// `unconfirmed`, `confirmed` or `unsubscribed` when an e-mail address was given.
    pub email_state: Option<String>,
    pub email_token: Option<String>,
    pub duplicate_of: Option<String>,
}

impl Report {
    /// Whether the public may see it at all.
    pub fn is_public(&self) -> bool {
        self.status.is_public() && !self.hidden
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    pub report_id: i64,
    pub at: i64,
    pub status: Status,
    pub text: String,
    pub public: bool,
}

/// A mail to queue along with a change.
#[derive(Debug, Clone)]
pub struct MailDraft {
    pub subject: String,
    pub body: String,
}

/// Writes the double-opt-in mail for a new report: (reference, e-mail token) → mail.
pub type ConfirmationMail<'a> = dyn Fn(&str, &str) -> MailDraft + Send + Sync + 'a;
/// Writes the status mail for a report after a public change (None: send nothing).
pub type StatusMail<'a> = dyn Fn(&Report) -> Option<MailDraft> + Send + Sync + 'a;

/// What an official changes about a report's state.
#[derive(Debug, Clone)]
pub struct StatusChange {
    pub next: Status,
    pub reason: Option<CloseReason>,
    pub public_note: String,
    pub internal_note: Option<String>,
    /// For a duplicate: the reference of the original report.
    pub duplicate_of: Option<String>,
}

#[derive(Debug, Clone)]
pub struct CreatedReport {
    pub report: Report,
    /// The secret for the reporter's tracking link. Only its hash is stored.
    pub tracking_token: String,
}

/// What to list. Public listings always exclude hidden and pre-moderated reports.
#[derive(Debug, Clone, Default)]
pub struct ReportFilter {
    pub bbox: Option<BBox>,
    pub statuses: Vec<Status>,
    pub category_codes: Vec<String>,
    pub references: Vec<String>,
    pub created_from: Option<i64>,
    pub created_to: Option<i64>,
    pub limit: i64,
    pub offset: i64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum OfficeSort {
    #[default]
    Newest,
    Oldest,
    Updated,
}

#[derive(Debug, Clone, Default)]
pub struct OfficeFilter {
    pub statuses: Vec<Status>,
    pub category_codes: Vec<String>,
    pub department_id: Option<i64>,
    /// Only reports without a first reaction created before this time.
    pub overdue_before: Option<i64>,
    /// A reference, or words from the description or place.
    pub search: Option<String>,
    pub sort: OfficeSort,
    pub limit: i64,
    pub offset: i64,
}

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

#[derive(Debug, thiserror::Error)]
pub enum StatusChangeError {
    #[error("the original report of the duplicate does not exist")]
    NoSuchOriginal,
    #[error("no such report")]
    NotFound,
    #[error("the report is already in this state or cannot go there")]
    NotAllowed,
    #[error("closing a report needs a reason")]
    ReasonRequired,
    #[error(transparent)]
    Db(#[from] DbError),
}

pub fn hash_secret(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

pub fn new_secret() -> String {
    use base64::Engine;
    let bytes: [u8; 24] = rand::random();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

const REPORT_SELECT: &str =
    "SELECT r.id, r.ref, r.status, r.close_reason, r.lat, r.lng, r.address, \
     r.description, r.email, r.supporters, r.hidden, r.public_note, r.created_at, r.updated_at, \
     r.category_id, r.department_id, r.original_description, r.first_reaction_at, r.email_state, \
     r.email_token, o.ref AS duplicate_of_ref, \
     c.code AS category_code, c.name AS category_name, d.name AS department_name \
     FROM reports r JOIN categories c ON c.id = r.category_id \
     LEFT JOIN departments d ON d.id = r.department_id \
     LEFT JOIN reports o ON o.id = r.duplicate_of AND o.tenant_id = r.tenant_id";

fn report_from_row(row: &AnyRow) -> Result<Report, DbError> {
    let status: String = row.try_get("status")?;
    let close_reason: Option<String> = row.try_get("close_reason")?;
    let lat: Option<f64> = row.try_get("lat")?;
    let lng: Option<f64> = row.try_get("lng")?;
    Ok(Report {
        id: row.try_get("id")?,
        reference: row.try_get("ref")?,
        category_code: row.try_get("category_code")?,
        category_name: row.try_get("category_name")?,
        department_name: row.try_get("department_name")?,
        status: Status::parse(&status)
            .ok_or_else(|| DbError::Decode(format!("unknown status {status:?}").into()))?,
        close_reason: close_reason.as_deref().and_then(CloseReason::parse),
        position: lat.zip(lng).map(|(lat, lng)| LatLng::new(lat, lng)),
        address: row.try_get("address")?,
        description: row.try_get("description")?,
        email: row.try_get("email")?,
        supporters: row.try_get("supporters")?,
        hidden: row.try_get::<i64, _>("hidden")? != 0,
        public_note: row.try_get("public_note")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
        category_id: row.try_get("category_id")?,
        department_id: row.try_get("department_id")?,
        original_description: row.try_get("original_description")?,
        first_reaction_at: row.try_get("first_reaction_at")?,
        email_state: row.try_get("email_state")?,
        email_token: row.try_get("email_token")?,
        duplicate_of: row.try_get("duplicate_of_ref")?,
    })
}

/// A value to bind into a dynamically built query.
enum Bind {
    Int(i64),
    Float(f64),
    Text(String),
}

/// Builds `WHERE` clauses with `$n` placeholders that both SQLite and PostgreSQL understand.
#[derive(Default)]
struct Where {
    clauses: Vec<String>,
    binds: Vec<Bind>,
}

impl Where {
    fn placeholder(&mut self, value: Bind) -> String {
        self.binds.push(value);
        format!("${}", self.binds.len())
    }

    fn push(&mut self, sql: &str, values: Vec<Bind>) {
        let mut clause = sql.to_string();
        for v in values {
            let p = self.placeholder(v);
            clause = clause.replacen('?', &p, 1);
        }
        self.clauses.push(clause);
    }

    fn push_in(&mut self, column: &str, values: Vec<Bind>) {
        let ps: Vec<String> = values.into_iter().map(|v| self.placeholder(v)).collect();
        self.clauses
            .push(format!("{column} IN ({})", ps.join(", ")));
    }

    fn sql(&self) -> String {
        self.clauses.join(" AND ")
    }

    fn bind<'q>(
        self,
        mut q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    ) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
        for b in self.binds {
            q = match b {
                Bind::Int(v) => q.bind(v),
                Bind::Float(v) => q.bind(v),
                Bind::Text(v) => q.bind(v),
            };
        }
        q
    }
}

impl Db {
    /// Stores a validated, normalised report in one transaction: reference number, report and
    /// its first public note either all exist afterwards or none does.
    pub async fn create_report(
        &self,
        tenant: &Tenant,
        category: &Category,
        new: &NewReport,
        first_note: &str,
        confirmation: &ConfirmationMail<'_>,
    ) -> Result<CreatedReport, DbError> {
        let at = now();
        let status = if tenant.premoderation {
            Status::PendingReview
        } else {
            Status::Received
        };
        let token = new_secret();
        let email_token = new.email.as_ref().map(|_| new_secret());
        let mut tx = self.pool.begin().await?;
        let reference =
            super::next_reference(&mut tx, tenant.id, ReferenceKind::Report, at).await?;
        let id: i64 = sqlx::query(
            "INSERT INTO reports (tenant_id, ref, category_id, department_id, status, lat, lng, address, \
             description, email, tracking_hash, public_note, created_at, updated_at, email_state, email_token) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, $14, $15) RETURNING id",
        )
        .bind(tenant.id)
        .bind(&reference)
        .bind(category.id)
        .bind(category.department_id)
        .bind(status.as_str())
        .bind(new.position.map(|p| p.lat))
        .bind(new.position.map(|p| p.lng))
        .bind(new.address.as_deref())
        .bind(&new.description)
        .bind(new.email.as_deref())
        .bind(hash_secret(&token))
        .bind(first_note)
        .bind(at)
        .bind(email_token.as_ref().map(|_| "unconfirmed"))
        .bind(email_token.as_deref())
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        insert_note(&mut tx, tenant.id, id, status, first_note, true, at).await?;
        if let (Some(email), Some(email_token)) = (&new.email, &email_token) {
            let draft = confirmation(&reference, email_token);
            outbox::enqueue(&mut tx, tenant.id, email, &draft.subject, &draft.body).await?;
        }
        tx.commit().await?;
        let report = self
            .report_by_id(tenant.id, id)
            .await?
            .expect("the report just inserted");
        Ok(CreatedReport {
            report,
            tracking_token: token,
        })
    }

    /// A report of the tenant by its row id (ids come from our own rows, e.g. a photo's).
    pub async fn report_by_internal_id(
        &self,
        tenant_id: i64,
        id: i64,
    ) -> Result<Option<Report>, DbError> {
        self.report_by_id(tenant_id, id).await
    }

    async fn report_by_id(&self, tenant_id: i64, id: i64) -> Result<Option<Report>, DbError> {
        let row = sqlx::query(&format!(
            "{REPORT_SELECT} WHERE r.tenant_id = $1 AND r.id = $2"
        ))
        .bind(tenant_id)
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(report_from_row).transpose()
    }

    /// Any report of the tenant by its public reference, public or not: callers decide.
    pub async fn report_by_ref(
        &self,
        tenant_id: i64,
        reference: &str,
    ) -> Result<Option<Report>, DbError> {
        let row = sqlx::query(&format!(
            "{REPORT_SELECT} WHERE r.tenant_id = $1 AND r.ref = $2"
        ))
        .bind(tenant_id)
        .bind(reference)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(report_from_row).transpose()
    }

    /// The report behind a reporter's secret tracking link, with its tenant id.
    pub async fn report_by_tracking_token(
        &self,
        token: &str,
    ) -> Result<Option<(i64, Report)>, DbError> {
        let row = sqlx::query(&format!("{REPORT_SELECT} WHERE r.tracking_hash = $1"))
            .bind(hash_secret(token))
            .fetch_optional(&self.pool)
            .await?;
        let Some(row) = row else { return Ok(None) };
        let report = report_from_row(&row)?;
        let tenant_id: i64 = sqlx::query("SELECT tenant_id FROM reports WHERE id = $1")
            .bind(report.id)
            .fetch_one(&self.pool)
            .await?
            .try_get("tenant_id")?;
        Ok(Some((tenant_id, report)))
    }

    /// The report behind the token of the links in citizen mail, with its tenant id.
    pub async fn report_by_email_token(
        &self,
        token: &str,
    ) -> Result<Option<(i64, Report)>, DbError> {
        let row = sqlx::query(&format!(
            "{REPORT_SELECT} WHERE r.email_token = $1 AND r.email_token IS NOT NULL"
        ))
        .bind(token)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let report = report_from_row(&row)?;
        let tenant_id: i64 = sqlx::query("SELECT tenant_id FROM reports WHERE id = $1")
            .bind(report.id)
            .fetch_one(&self.pool)
            .await?
            .try_get("tenant_id")?;
        Ok(Some((tenant_id, report)))
    }

    /// Moves the e-mail state from `from` to `to`; false if it was not in `from`.
    pub async fn set_email_state(
        &self,
        token: &str,
        from: &str,
        to: &str,
    ) -> Result<bool, DbError> {
        Ok(sqlx::query(
            "UPDATE reports SET email_state = $1 WHERE email_token = $2 AND email_state = $3",
        )
        .bind(to)
        .bind(token)
        .bind(from)
        .execute(&self.pool)
        .await?
        .rows_affected()
            == 1)
    }

    /// Public reports matching the filter, newest first; the bool says whether more matched.
    pub async fn public_reports(
        &self,
        tenant_id: i64,
        filter: &ReportFilter,
    ) -> Result<(Vec<Report>, bool), DbError> {
        let mut w = Where::default();
        w.push("r.tenant_id = ?", vec![Bind::Int(tenant_id)]);
        w.push("r.hidden = 0", vec![]);
        w.push(
            "r.status <> ?",
            vec![Bind::Text(Status::PendingReview.as_str().into())],
        );
        if let Some(b) = filter.bbox {
            w.push(
                "r.lat >= ? AND r.lat <= ? AND r.lng >= ? AND r.lng <= ?",
                vec![
                    Bind::Float(b.south),
                    Bind::Float(b.north),
                    Bind::Float(b.west),
                    Bind::Float(b.east),
                ],
            );
        }
        if !filter.statuses.is_empty() {
            w.push_in(
                "r.status",
                filter
                    .statuses
                    .iter()
                    .map(|s| Bind::Text(s.as_str().into()))
                    .collect(),
            );
        }
        if !filter.category_codes.is_empty() {
            let list: Vec<String> = filter
                .category_codes
                .iter()
                .map(|c| w.placeholder(Bind::Text(c.clone())))
                .collect();
            let tenant = w.placeholder(Bind::Int(tenant_id));
            w.clauses.push(format!(
                "r.category_id IN (SELECT id FROM categories WHERE tenant_id = {tenant} AND code IN ({}))",
                list.join(", ")
            ));
        }
        if !filter.references.is_empty() {
            w.push_in(
                "r.ref",
                filter
                    .references
                    .iter()
                    .map(|c| Bind::Text(c.clone()))
                    .collect(),
            );
        }
        if let Some(from) = filter.created_from {
            w.push("r.created_at >= ?", vec![Bind::Int(from)]);
        }
        if let Some(to) = filter.created_to {
            w.push("r.created_at <= ?", vec![Bind::Int(to)]);
        }
        let limit = filter.limit.max(1);
        // Two steps: pick the ids from the covering map index (filters and order need no table
        // rows, so the sort stays narrow), then load just those rows. With a million reports
        // this keeps a map viewport in milliseconds.
        let sql = format!(
            "SELECT r.id FROM reports r WHERE {} ORDER BY r.created_at DESC, r.id DESC LIMIT {} OFFSET {}",
            w.sql(),
            limit + 1,
            filter.offset.max(0)
        );
        let ids: Vec<i64> = w
            .bind(sqlx::query(&sql))
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| r.try_get("id"))
            .collect::<Result<_, _>>()?;
        let more = ids.len() as i64 > limit;
        let ids = &ids[..ids.len().min(limit as usize)];
        let mut reports = self.reports_by_ids(tenant_id, ids).await?;
        let position: std::collections::HashMap<i64, usize> =
            ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
        reports.sort_by_key(|r| position[&r.id]);
        Ok((reports, more))
    }

    /// Loads reports of a tenant by row id, in chunks that keep the statement small.
    async fn reports_by_ids(&self, tenant_id: i64, ids: &[i64]) -> Result<Vec<Report>, DbError> {
        let mut out = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(500) {
            let mut w = Where::default();
            w.push_in("r.id", chunk.iter().map(|id| Bind::Int(*id)).collect());
            // The unary plus keeps SQLite's planner from walking the tenant's whole index
            // instead of looking the ids up directly.
            w.push("+r.tenant_id = ?", vec![Bind::Int(tenant_id)]);
            let sql = format!("{REPORT_SELECT} WHERE {}", w.sql());
            let rows = w.bind(sqlx::query(&sql)).fetch_all(&self.pool).await?;
            for row in &rows {
                out.push(report_from_row(row)?);
            }
        }
        Ok(out)
    }

    /// The office's inbox: every report of the tenant (also pre-moderated and hidden ones),
    /// filtered; the bool says whether more matched.
    pub async fn office_reports(
        &self,
        tenant_id: i64,
        filter: &OfficeFilter,
    ) -> Result<(Vec<Report>, bool), DbError> {
        let mut w = Where::default();
        w.push("r.tenant_id = ?", vec![Bind::Int(tenant_id)]);
        if !filter.statuses.is_empty() {
            w.push_in(
                "r.status",
                filter
                    .statuses
                    .iter()
                    .map(|s| Bind::Text(s.as_str().into()))
                    .collect(),
            );
        }
        if !filter.category_codes.is_empty() {
            w.push_in(
                "c.code",
                filter
                    .category_codes
                    .iter()
                    .map(|c| Bind::Text(c.clone()))
                    .collect(),
            );
        }
        if let Some(d) = filter.department_id {
            w.push("r.department_id = ?", vec![Bind::Int(d)]);
        }
        if let Some(cutoff) = filter.overdue_before {
            w.push(
                "r.first_reaction_at IS NULL AND r.status IN ('received', 'pending_review') AND r.created_at < ?",
                vec![Bind::Int(cutoff)],
            );
        }
        if let Some(q) = filter
            .search
            .as_deref()
            .map(str::trim)
            .filter(|q| !q.is_empty())
        {
            let escaped = q
                .to_lowercase()
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            w.push(
                "(UPPER(r.ref) = ? OR LOWER(r.description) LIKE ? ESCAPE '\\' OR LOWER(COALESCE(r.address, '')) LIKE ? ESCAPE '\\')",
                vec![
                    Bind::Text(q.to_uppercase()),
                    Bind::Text(format!("%{escaped}%")),
                    Bind::Text(format!("%{escaped}%")),
                ],
            );
        }
        let order = match filter.sort {
            OfficeSort::Newest => "r.created_at DESC, r.id DESC",
            OfficeSort::Oldest => "r.created_at ASC, r.id ASC",
            OfficeSort::Updated => "r.updated_at DESC, r.id DESC",
        };
        let limit = filter.limit.max(1);
        let sql = format!(
            "{REPORT_SELECT} WHERE {} ORDER BY {order} LIMIT {} OFFSET {}",
            w.sql(),
            limit + 1,
            filter.offset.max(0)
        );
        let rows = w.bind(sqlx::query(&sql)).fetch_all(&self.pool).await?;
        let mut reports = rows
            .iter()
            .map(report_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        let more = reports.len() as i64 > limit;
        reports.truncate(limit as usize);
        Ok((reports, more))
    }

    /// Open public reports of one category near a point, nearest first, with their distance.
    pub async fn nearby_open_reports(
        &self,
        tenant_id: i64,
        category_code: &str,
        at: LatLng,
        radius_m: f64,
    ) -> Result<Vec<(Report, f64)>, DbError> {
        let filter = ReportFilter {
            bbox: Some(at.bbox_around(radius_m)),
            statuses: vec![Status::Received, Status::InProgress],
            category_codes: vec![category_code.to_string()],
            limit: 200,
            ..Default::default()
        };
        let (reports, _) = self.public_reports(tenant_id, &filter).await?;
        let mut near: Vec<(Report, f64)> = reports
            .into_iter()
            .filter_map(|r| {
                let d = r.position?.distance_m(&at);
                (d <= radius_m).then_some((r, d))
            })
            .collect();
        near.sort_by(|a, b| a.1.total_cmp(&b.1));
        Ok(near)
    }

    /// The status notes of some reports of a tenant, oldest first.
    pub async fn notes(
        &self,
        tenant_id: i64,
        report_ids: &[i64],
        public_only: bool,
    ) -> Result<Vec<Note>, DbError> {
        if report_ids.is_empty() {
            return Ok(vec![]);
        }
        let mut w = Where::default();
        w.push("tenant_id = ?", vec![Bind::Int(tenant_id)]);
        w.push_in(
            "report_id",
            report_ids.iter().map(|id| Bind::Int(*id)).collect(),
        );
        if public_only {
            w.push("public = 1", vec![]);
        }
        let sql = format!(
            "SELECT report_id, created_at, status, text, public FROM report_notes WHERE {} ORDER BY id",
            w.sql()
        );
        let rows = w.bind(sqlx::query(&sql)).fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                let status: String = r.try_get("status")?;
                Ok(Note {
                    report_id: r.try_get("report_id")?,
                    at: r.try_get("created_at")?,
                    status: Status::parse(&status).unwrap_or(Status::Received),
                    text: r.try_get("text")?,
                    public: r.try_get::<i64, _>("public")? != 0,
                })
            })
            .collect()
    }

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
        Ok(())
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
        sqlx::query(
            "UPDATE report_notes SET created_at = $1 WHERE tenant_id = $2 AND report_id = \
             (SELECT id FROM reports WHERE tenant_id = $2 AND ref = $3)",
        )
        .bind(created_at)
        .bind(tenant_id)
        .bind(reference)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Bulk synthetic reports spread evenly over the tenant's bounding box, in large
    /// transactions; for benchmarks only (references `M-1900-…` never collide with real ones).
    pub async fn bench_seed(&self, tenant: &Tenant, count: u64) -> Result<(), DbError> {
        let categories = self.categories(tenant.id).await?;
        let bbox = tenant.area.bbox();
        let statuses = [
            Status::Received,
            Status::InProgress,
            Status::Resolved,
            Status::Closed,
        ];
        let at = now();
        let side = (count as f64).sqrt().ceil() as u64;
        const ROWS_PER_INSERT: u64 = 500;
        let mut done = 0u64;
        while done < count {
            let mut tx = self.pool.begin().await?;
            for _ in 0..200 {
                if done >= count {
                    break;
                }
                let n = ROWS_PER_INSERT.min(count - done);
                let mut sql = String::from(
                    "INSERT INTO reports (tenant_id, ref, category_id, department_id, status, lat, lng, \
                     description, tracking_hash, created_at, updated_at) VALUES ",
                );
                for i in done..done + n {
                    let (row, col) = (i / side, i % side);
                    let lat =
                        bbox.south + (bbox.north - bbox.south) * (row as f64 + 0.5) / side as f64;
                    let lng =
                        bbox.west + (bbox.east - bbox.west) * (col as f64 + 0.5) / side as f64;
                    let c = &categories[(i as usize) % categories.len()];
                    if i > done {
                        sql.push(',');
                    }
                    // Only numbers and our own fixed texts go into this statement.
                    sql.push_str(&format!(
                        "({}, 'M-1900-{i:07}', {}, {}, '{}', {lat}, {lng}, 'Synthetische Meldung {i}', 'bench-{}-{i}', {}, {})",
                        tenant.id,
                        c.id,
                        c.department_id.map(|d| d.to_string()).unwrap_or_else(|| "NULL".into()),
                        statuses[(i % 4) as usize].as_str(),
                        tenant.id,
                        at - (i as i64 % 86_400),
                        at,
                    ));
                }
                sqlx::query(&sql).execute(&mut *tx).await?;
                done += n;
            }
            tx.commit().await?;
        }
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

async fn insert_note(
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
