//! The reports inbox: list with filters, one report, and the actions on it (state with notes,
//! category, department, public description, hidden, internal notes). Editors only see and
//! change the reports of their own department. The list and the map and their shared filters
//! are in `reports/inbox.rs`.

mod inbox;
pub(super) use inbox::office_filter;

use super::guards::Official;
use super::photos::photo_list;
use crate::db::reports::{Report, StatusChange, StatusChangeError};
use crate::http::{rfc3339, ApiError, ApiJson, AppState, State};
use axum::extract::Path;
use axum::http::HeaderMap;
use axum::routing::{get, post};
use axum::Router;
use civickit_model::api::office::{
    CategoryChangeRequest, Changed, DepartmentChangeRequest, DescriptionChangeRequest,
    HiddenChangeRequest, ReportChanged, ReportDetail, ReportNote, ReportSummary, RoutedAway,
    StatusChangeRequest, TextRequest,
};
use civickit_model::validate::{DESCRIPTION_MAX_CHARS, NOTE_MAX_CHARS};
use civickit_model::{CloseReason, FieldError, Lang, Status, ValidationCode};
use std::sync::Arc;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/office/api/reports", get(inbox::list_reports))
        .route("/office/api/reports/markers", get(inbox::markers))
        .route("/office/api/reports/{reference}", get(one_report))
        .route(
            "/office/api/reports/{reference}/status",
            post(change_status),
        )
        .route(
            "/office/api/reports/{reference}/category",
            post(change_category),
        )
        .route(
            "/office/api/reports/{reference}/department",
            post(change_department),
        )
        .route(
            "/office/api/reports/{reference}/description",
            post(change_description),
        )
        .route(
            "/office/api/reports/{reference}/hidden",
            post(change_hidden),
        )
        .route("/office/api/reports/{reference}/notes", post(add_note))
}

fn overdue_cutoff(response_days: i64) -> i64 {
    crate::db::now() - response_days * 86_400
}

fn is_overdue(r: &Report, cutoff: i64) -> bool {
    r.first_reaction_at.is_none()
        && matches!(r.status, Status::Received | Status::PendingReview)
        && r.created_at < cutoff
}

fn summary(r: &Report, cutoff: i64) -> ReportSummary {
    ReportSummary {
        reference: r.reference.clone(),
        status: r.status,
        category: r.category_code.clone(),
        category_name: r.category_name.clone(),
        department_id: r.department_id,
        department: r.department_name.clone(),
        summary: r.description.chars().take(140).collect(),
        created: rfc3339(r.created_at),
        updated: rfc3339(r.updated_at),
        hidden: r.hidden,
        overdue: is_overdue(r, cutoff),
        supporters: r.supporters,
        lat: r.position.map(|p| p.lat),
        lng: r.position.map(|p| p.lng),
        address: r.address.clone(),
    }
}

async fn response_days(state: &AppState, official: &Official) -> Result<i64, ApiError> {
    Ok(state
        .db
        .tenant_by_id(official.tenant_id())
        .await?
        .ok_or(ApiError::NotFound)?
        .response_days)
}

/// Loads a report of the official's tenant that the official may work, or 404 (an editor is
/// not told that another department's report exists).
pub(super) async fn workable(
    state: &AppState,
    official: &Official,
    reference: &str,
) -> Result<Report, ApiError> {
    state
        .db
        .report_by_ref(official.tenant_id(), reference)
        .await?
        .filter(|r| official.may_work(r))
        .ok_or(ApiError::NotFound)
}

async fn detail(
    state: &AppState,
    official: &Official,
    r: &Report,
) -> Result<ReportDetail, ApiError> {
    let cutoff = overdue_cutoff(response_days(state, official).await?);
    let notes = state.db.notes(official.tenant_id(), &[r.id], false).await?;
    let photos = state.db.photos(official.tenant_id(), r.id, false).await?;
    Ok(ReportDetail {
        summary: summary(r, cutoff),
        description: r.description.clone(),
        original_description: r.original_description.clone(),
        close_reason: r.close_reason,
        duplicate_of: r.duplicate_of.clone(),
        // Whether the reporter wants mail, never the address itself (least privilege).
        email_state: r.email_state.clone(),
        photos: photo_list(&photos),
        notes: notes
            .iter()
            .map(|n| ReportNote {
                at: rfc3339(n.at),
                status: n.status,
                text: n.text.clone(),
                public: n.public,
            })
            .collect(),
    })
}

async fn one_report(
    state: State,
    official: Official,
    Path(reference): Path<String>,
) -> Result<ApiJson<ReportDetail>, ApiError> {
    let r = workable(&state, &official, &reference).await?;
    Ok(ApiJson(detail(&state, &official, &r).await?))
}

/// The report after a change.
pub(super) async fn reload(
    state: &AppState,
    official: &Official,
    reference: &str,
) -> Result<ApiJson<ReportChanged>, ApiError> {
    match workable(state, official, reference).await {
        Ok(r) => Ok(ApiJson(Changed::Current(
            detail(state, official, &r).await?,
        ))),
        // A change that moved the report to another department (re-categorising, routing)
        // takes it out of an editor's reach: say so instead of a bare 404.
        Err(ApiError::NotFound) => Ok(ApiJson(Changed::RoutedAway(RoutedAway {
            reference: reference.to_string(),
            routed_away: true,
        }))),
        Err(e) => Err(e),
    }
}

fn note_field(field: &str, text: &str, required: bool) -> Result<String, FieldError> {
    crate::http::check_text(field, text, NOTE_MAX_CHARS, required)
}

/// Checks a state change field by field, so the office can mark every refused field at once.
fn status_change(body: StatusChangeRequest) -> Result<StatusChange, ApiError> {
    let mut errors = Vec::new();
    let next = Status::parse(&body.status);
    if next.is_none() {
        errors.push(FieldError::new("status", ValidationCode::InvalidValue));
    }
    let reason = match body.reason.as_deref().filter(|r| !r.is_empty()) {
        None => None,
        Some(r) => match CloseReason::parse(r) {
            Some(r) => Some(r),
            None => {
                errors.push(FieldError::new("reason", ValidationCode::InvalidValue));
                None
            }
        },
    };
    if next == Some(Status::Closed) && reason.is_none() && body.reason.is_none() {
        errors.push(FieldError::new("reason", ValidationCode::Required));
    }
    let public_note = note_field("public_note", &body.public_note, true).unwrap_or_else(|e| {
        errors.push(e);
        String::new()
    });
    let internal_note = match body.internal_note.as_deref() {
        Some(n) => note_field("internal_note", n, false)
            .map(Some)
            .unwrap_or_else(|e| {
                errors.push(e);
                None
            }),
        None => None,
    };
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors, Lang::De));
    }
    Ok(StatusChange {
        next: next.expect("checked above"),
        reason,
        public_note,
        internal_note,
        duplicate_of: body.duplicate_of.filter(|d| !d.is_empty()),
    })
}

async fn change_status(
    state: State,
    official: Official,
    headers: HeaderMap,
    Path(reference): Path<String>,
    ApiJson(body): ApiJson<StatusChangeRequest>,
) -> Result<ApiJson<ReportDetail>, ApiError> {
    let report = workable(&state, &official, &reference).await?;
    let change = status_change(body)?;
    let tenant = state
        .db
        .tenant_by_id(official.tenant_id())
        .await?
        .ok_or(ApiError::NotFound)?;
    let base = state.base_url(&headers);
    let mail = |r: &Report| crate::mail::status_update(&tenant, &base, r);
    let updated = state
        .db
        .change_status_by(
            official.tenant_id(),
            &report.reference,
            &change,
            &official.actor(),
            &mail,
        )
        .await
        .map_err(|e| match e {
            StatusChangeError::NotFound => ApiError::NotFound,
            StatusChangeError::NotAllowed => ApiError::Conflict(
                "Die Meldung ist bereits in diesem Zustand oder wurde gerade geändert.".into(),
            ),
            StatusChangeError::ReasonRequired => ApiError::Validation(
                vec![FieldError::new("reason", ValidationCode::Required)],
                Lang::De,
            ),
            StatusChangeError::NoSuchOriginal => ApiError::Validation(
                vec![FieldError::new(
                    "duplicate_of",
                    ValidationCode::InvalidValue,
                )],
                Lang::De,
            ),
            StatusChangeError::Db(e) => e.into(),
        })?;
    state.mail_wake.notify_one();
    // A state change never moves a report to another department, so it stays in reach.
    Ok(ApiJson(detail(&state, &official, &updated).await?))
}

async fn change_category(
    state: State,
    official: Official,
    Path(reference): Path<String>,
    ApiJson(body): ApiJson<CategoryChangeRequest>,
) -> Result<ApiJson<ReportChanged>, ApiError> {
    let report = workable(&state, &official, &reference).await?;
    let categories = state.db.categories(official.tenant_id()).await?;
    let category = categories
        .iter()
        .find(|c| c.code == body.category)
        .ok_or_else(|| {
            ApiError::Validation(
                vec![FieldError::new("category", ValidationCode::UnknownCategory)],
                Lang::De,
            )
        })?;
    state
        .db
        .set_category(official.tenant_id(), &report, category, &official.actor())
        .await?;
    reload(&state, &official, &reference).await
}

async fn change_department(
    state: State,
    official: Official,
    Path(reference): Path<String>,
    ApiJson(body): ApiJson<DepartmentChangeRequest>,
) -> Result<ApiJson<ReportChanged>, ApiError> {
    let report = workable(&state, &official, &reference).await?;
    let departments = state.db.departments(official.tenant_id()).await?;
    if !departments
        .iter()
        .any(|(id, _, _)| *id == body.department_id)
    {
        return Err(ApiError::Validation(
            vec![FieldError::new(
                "department_id",
                ValidationCode::InvalidValue,
            )],
            Lang::De,
        ));
    }
    state
        .db
        .set_department(
            official.tenant_id(),
            &report,
            body.department_id,
            &official.actor(),
        )
        .await?;
    reload(&state, &official, &reference).await
}

async fn change_description(
    state: State,
    official: Official,
    Path(reference): Path<String>,
    ApiJson(body): ApiJson<DescriptionChangeRequest>,
) -> Result<ApiJson<ReportChanged>, ApiError> {
    let report = workable(&state, &official, &reference).await?;
    let text = crate::http::required_text("description", &body.description, DESCRIPTION_MAX_CHARS)?;
    state
        .db
        .set_public_description(official.tenant_id(), &report, &text, &official.actor())
        .await?;
    reload(&state, &official, &reference).await
}

async fn change_hidden(
    state: State,
    official: Official,
    Path(reference): Path<String>,
    ApiJson(body): ApiJson<HiddenChangeRequest>,
) -> Result<ApiJson<ReportChanged>, ApiError> {
    let report = workable(&state, &official, &reference).await?;
    state
        .db
        .set_hidden_by(
            official.tenant_id(),
            &report,
            body.hidden,
            &official.actor(),
        )
        .await?;
    reload(&state, &official, &reference).await
}

async fn add_note(
    state: State,
    official: Official,
    Path(reference): Path<String>,
    ApiJson(body): ApiJson<TextRequest>,
) -> Result<ApiJson<ReportChanged>, ApiError> {
    let report = workable(&state, &official, &reference).await?;
    let text = note_field("text", &body.text, true)
        .map_err(|e| ApiError::Validation(vec![e], Lang::De))?;
    state
        .db
        .add_internal_note(official.tenant_id(), &report, &text, &official.actor())
        .await?;
    reload(&state, &official, &reference).await
}
