//! The office: officials log in and work reports. JSON API under `/office/api/`, the office
//! page (its own wasm bundle, built into `dist/office/`) at `/office`.
//!
//! Security: sessions are random tokens in an HttpOnly, SameSite=Strict cookie scoped to
//! `/office` (Secure behind https); every state-changing request must carry the session's CSRF
//! token in `X-CSRF-Token` and, when the browser sends an Origin, come from our own origin.
//! Every query is scoped to the official's tenant; editors only see and change the reports of
//! their own department.

use super::{rfc3339, ApiError, AppState, State};
use crate::db::audit::Actor;
use crate::db::reports::{OfficeFilter, OfficeSort, Report, StatusChange, StatusChangeError};
use crate::db::users::{LoginOutcome, Role, Session, User};
use axum::extract::{ConnectInfo, FromRequestParts, Path, Query};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use civickit_model::validate::{DESCRIPTION_MAX_CHARS, NOTE_MAX_CHARS};
use civickit_model::{CloseReason, FieldError, Lang, Status, ValidationCode};
use serde::Deserialize;
use serde_json::{json, Value};
use std::net::SocketAddr;
use std::sync::Arc;
use tower_http::services::{ServeDir, ServeFile};

pub const SESSION_COOKIE: &str = "civickit_session";
const PAGE_SIZE: i64 = 100;

pub fn routes(state: &AppState) -> Router<Arc<AppState>> {
    let office_dir = state.dist.join("office");
    Router::new()
        .route_service("/office", ServeFile::new(office_dir.join("index.html")))
        .nest_service("/office/assets", ServeDir::new(&office_dir))
        .route("/office/api/login", post(login))
        .route("/office/api/logout", post(logout))
        .route("/office/api/logout-everywhere", post(logout_everywhere))
        .route("/office/api/me", get(me))
        .route("/office/api/reports", get(list_reports))
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
        .route("/office/api/audit", get(audit_log))
        .route("/office/api/settings", get(settings).post(change_settings))
}

// ---------- sessions ----------

/// A logged-in official, extracted from the session cookie. For every method but GET/HEAD the
/// CSRF token and the Origin are checked too.
pub struct Official {
    pub session: Session,
    pub token: String,
}

impl Official {
    pub(super) fn user(&self) -> &User {
        &self.session.user
    }
    fn tenant_id(&self) -> i64 {
        self.session.user.tenant_id
    }
    pub(super) fn actor(&self) -> Actor {
        Actor {
            user_id: Some(self.session.user.id),
            email: self.session.user.email.clone(),
        }
    }
    pub(super) fn require_admin(&self) -> Result<(), ApiError> {
        match self.user().role {
            Role::Admin => Ok(()),
            Role::Editor => Err(ApiError::Forbidden("Nur für Administratoren.".into())),
        }
    }
    /// Admins work every report of their tenant; editors those of their department.
    pub(super) fn may_work(&self, report: &Report) -> bool {
        match self.user().role {
            Role::Admin => true,
            Role::Editor => {
                self.user().department_id.is_some()
                    && report.department_id == self.user().department_id
            }
        }
    }
}

fn cookie_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.to_string())
}

impl FromRequestParts<Arc<AppState>> for Official {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Self, ApiError> {
        let token = cookie_token(&parts.headers).ok_or(ApiError::Unauthorized)?;
        let session = state
            .db
            .session(&token)
            .await?
            .ok_or(ApiError::Unauthorized)?;
        if parts.method != Method::GET && parts.method != Method::HEAD {
            check_same_origin(state, &parts.headers)?;
            let sent = parts
                .headers
                .get("x-csrf-token")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            if !constant_time_eq(sent.as_bytes(), session.csrf_token.as_bytes()) {
                return Err(ApiError::Forbidden(
                    "CSRF-Token fehlt oder ist falsch.".into(),
                ));
            }
        }
        Ok(Official { session, token })
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A browser always sends Origin on cross-origin POSTs; if it names another site, refuse.
fn check_same_origin(state: &AppState, headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return Ok(());
    };
    if origin == state.base_url(headers) {
        Ok(())
    } else {
        Err(ApiError::Forbidden(
            "Anfrage von fremder Herkunft abgelehnt.".into(),
        ))
    }
}

fn session_cookie(state: &AppState, token: &str, max_age: i64) -> String {
    let secure = state
        .public_url
        .as_deref()
        .is_some_and(|u| u.starts_with("https://"));
    format!(
        "{SESSION_COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/office; Max-Age={max_age}{}",
        if secure { "; Secure" } else { "" }
    )
}

#[derive(Deserialize)]
struct LoginBody {
    #[serde(default)]
    tenant: Option<String>,
    email: String,
    password: String,
}

async fn login(
    state: State,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Result<Json<LoginBody>, axum::extract::rejection::JsonRejection>,
) -> Result<Response, ApiError> {
    check_same_origin(&state, &headers)?;
    let Json(body) = body.map_err(|e| ApiError::BadRequest(e.body_text()))?;
    let tenant = match body.tenant.as_deref().filter(|t| !t.is_empty()) {
        Some(slug) => state.tenant(slug).await?,
        None => {
            let mut all = state.db.tenants().await?;
            if all.len() != 1 {
                return Err(ApiError::BadRequest(
                    "Bitte geben Sie die Gemeinde (tenant) an.".into(),
                ));
            }
            all.remove(0)
        }
    };
    match state
        .db
        .login(
            tenant.id,
            &body.email,
            &body.password,
            &client.ip().to_string(),
        )
        .await?
    {
        LoginOutcome::Ok { token, session } => {
            let cookie = session_cookie(&state, &token, crate::db::users::SESSION_SECONDS);
            Ok((
                [(header::SET_COOKIE, cookie)],
                Json(me_json(&state, &session).await?),
            )
                .into_response())
        }
        LoginOutcome::WrongCredentials => Err(ApiError::Unauthorized),
        LoginOutcome::Throttled => Err(ApiError::RateLimited(
            "Zu viele fehlgeschlagene Anmeldungen. Bitte warten Sie 15 Minuten.".into(),
        )),
    }
}

async fn logout(state: State, official: Official) -> Result<Response, ApiError> {
    state.db.logout(&official.token).await?;
    Ok((
        [(header::SET_COOKIE, session_cookie(&state, "", 0))],
        StatusCode::NO_CONTENT,
    )
        .into_response())
}

async fn logout_everywhere(state: State, official: Official) -> Result<Response, ApiError> {
    state
        .db
        .logout_everywhere(official.tenant_id(), official.user().id)
        .await?;
    Ok((
        [(header::SET_COOKIE, session_cookie(&state, "", 0))],
        StatusCode::NO_CONTENT,
    )
        .into_response())
}

async fn me_json(state: &AppState, session: &Session) -> Result<Value, ApiError> {
    let tenant = state
        .db
        .tenant_by_id(session.user.tenant_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let departments = state.db.departments(tenant.id).await?;
    let categories = state.db.categories(tenant.id).await?;
    Ok(json!({
        "user": {
            "email": session.user.email,
            "name": session.user.name,
            "role": session.user.role.as_str(),
            "department_id": session.user.department_id,
        },
        "tenant": {
            "slug": tenant.slug, "name": tenant.name,
            "premoderation": tenant.premoderation, "response_days": tenant.response_days,
        },
        "departments": departments.iter().map(|(id, name, _)| json!({"id": id, "name": name})).collect::<Vec<_>>(),
        "categories": categories.iter().map(|c| json!({"code": c.code, "name": c.name, "department_id": c.department_id})).collect::<Vec<_>>(),
        "states": Status::PUBLIC.iter().chain([Status::PendingReview].iter()).map(|s| json!({
            "state": s.as_str(), "label": s.label(Lang::De), "color": s.light().as_str(), "hex": s.light().hex(),
        })).collect::<Vec<_>>(),
        "close_reasons": CloseReason::ALL.iter().map(|r| json!({"reason": r.as_str(), "label": r.label(Lang::De)})).collect::<Vec<_>>(),
        "csrf_token": session.csrf_token,
    }))
}

async fn me(state: State, official: Official) -> Result<Json<Value>, ApiError> {
    Ok(Json(me_json(&state, &official.session).await?))
}

// ---------- reports ----------

fn overdue_cutoff(response_days: i64) -> i64 {
    crate::db::now() - response_days * 86_400
}

fn is_overdue(r: &Report, cutoff: i64) -> bool {
    r.first_reaction_at.is_none()
        && matches!(r.status, Status::Received | Status::PendingReview)
        && r.created_at < cutoff
}

fn office_summary(r: &Report, cutoff: i64) -> Value {
    let mut v = json!({
        "ref": r.reference,
        "status": r.status.as_str(),
        "category": r.category_code,
        "category_name": r.category_name,
        "department_id": r.department_id,
        "department": r.department_name,
        "summary": r.description.chars().take(140).collect::<String>(),
        "created": rfc3339(r.created_at),
        "updated": rfc3339(r.updated_at),
        "hidden": r.hidden,
        "overdue": is_overdue(r, cutoff),
        "supporters": r.supporters,
    });
    if let Some(p) = r.position {
        v["lat"] = json!(p.lat);
        v["lng"] = json!(p.lng);
    }
    if let Some(a) = &r.address {
        v["address"] = json!(a);
    }
    v
}

#[derive(Deserialize)]
struct ListQuery {
    status: Option<String>,
    category: Option<String>,
    department: Option<i64>,
    overdue: Option<bool>,
    q: Option<String>,
    sort: Option<String>,
    page: Option<i64>,
}

async fn list_reports(
    state: State,
    official: Official,
    Query(q): Query<ListQuery>,
) -> Result<Json<Value>, ApiError> {
    let tenant = state
        .db
        .tenant_by_id(official.tenant_id())
        .await?
        .ok_or(ApiError::NotFound)?;
    let mut statuses = Vec::new();
    for s in q
        .status
        .as_deref()
        .unwrap_or("")
        .split(',')
        .filter(|s| !s.is_empty())
    {
        statuses.push(
            Status::parse(s)
                .ok_or_else(|| ApiError::BadRequest(format!("unknown status {s:?}")))?,
        );
    }
    let department_id = match official.user().role {
        Role::Admin => q.department,
        // Editors see their department's reports, whatever they ask for.
        Role::Editor => Some(official.user().department_id.unwrap_or(-1)),
    };
    let cutoff = overdue_cutoff(tenant.response_days);
    let page = q.page.unwrap_or(1).max(1);
    let filter = OfficeFilter {
        statuses,
        category_codes: q
            .category
            .iter()
            .filter(|c| !c.is_empty())
            .cloned()
            .collect(),
        department_id,
        overdue_before: q.overdue.unwrap_or(false).then_some(cutoff),
        search: q.q,
        sort: match q.sort.as_deref() {
            Some("oldest") => OfficeSort::Oldest,
            Some("updated") => OfficeSort::Updated,
            _ => OfficeSort::Newest,
        },
        limit: PAGE_SIZE,
        offset: (page - 1) * PAGE_SIZE,
    };
    let (reports, more) = state.db.office_reports(tenant.id, &filter).await?;
    Ok(Json(json!({
        "reports": reports.iter().map(|r| office_summary(r, cutoff)).collect::<Vec<_>>(),
        "more": more,
        "page": page,
    })))
}

/// Loads a report of the official's tenant that the official may work, or 404 (an editor is
/// not told that another department's report exists).
async fn workable(
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

async fn report_json(state: &AppState, official: &Official, r: &Report) -> Result<Value, ApiError> {
    let tenant = state
        .db
        .tenant_by_id(official.tenant_id())
        .await?
        .ok_or(ApiError::NotFound)?;
    let notes = state.db.notes(official.tenant_id(), &[r.id], false).await?;
    let mut v = office_summary(r, overdue_cutoff(tenant.response_days));
    v["description"] = json!(r.description);
    v["original_description"] = json!(r.original_description);
    v["close_reason"] = json!(r.close_reason.map(CloseReason::as_str));
    v["duplicate_of"] = json!(r.duplicate_of);
    // Whether the reporter wants mail, never the address itself (least privilege).
    v["email_state"] = json!(r.email_state);
    let photos = state.db.photos(official.tenant_id(), r.id, false).await?;
    v["photos"] = json!(super::photos::office_list(&photos));
    v["notes"] = json!(notes
        .iter()
        .map(|n| json!({"at": rfc3339(n.at), "status": n.status.as_str(), "text": n.text, "public": n.public}))
        .collect::<Vec<_>>());
    Ok(v)
}

async fn one_report(
    state: State,
    official: Official,
    Path(reference): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let r = workable(&state, &official, &reference).await?;
    Ok(Json(report_json(&state, &official, &r).await?))
}

fn note_field(field: &str, text: &str, required: bool) -> Result<String, FieldError> {
    super::check_text(field, text, NOTE_MAX_CHARS, required)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StatusBody {
    status: String,
    #[serde(default)]
    reason: Option<String>,
    public_note: String,
    #[serde(default)]
    internal_note: Option<String>,
    #[serde(default)]
    duplicate_of: Option<String>,
}

async fn change_status(
    state: State,
    official: Official,
    headers: HeaderMap,
    Path(reference): Path<String>,
    body: Result<Json<StatusBody>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<Value>, ApiError> {
    let Json(body) = body.map_err(|e| ApiError::BadRequest(e.body_text()))?;
    let report = workable(&state, &official, &reference).await?;
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
    let change = StatusChange {
        next: next.expect("checked above"),
        reason,
        public_note,
        internal_note,
        duplicate_of: body.duplicate_of.filter(|d| !d.is_empty()),
    };
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
    Ok(Json(report_json(&state, &official, &updated).await?))
}

#[derive(Deserialize)]
struct CategoryBody {
    category: String,
}

async fn change_category(
    state: State,
    official: Official,
    Path(reference): Path<String>,
    Json(body): Json<CategoryBody>,
) -> Result<Json<Value>, ApiError> {
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

#[derive(Deserialize)]
struct DepartmentBody {
    department_id: i64,
}

async fn change_department(
    state: State,
    official: Official,
    Path(reference): Path<String>,
    Json(body): Json<DepartmentBody>,
) -> Result<Json<Value>, ApiError> {
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

#[derive(Deserialize)]
struct DescriptionBody {
    description: String,
}

async fn change_description(
    state: State,
    official: Official,
    Path(reference): Path<String>,
    Json(body): Json<DescriptionBody>,
) -> Result<Json<Value>, ApiError> {
    let report = workable(&state, &official, &reference).await?;
    let text = super::required_text("description", &body.description, DESCRIPTION_MAX_CHARS)?;
    state
        .db
        .set_public_description(official.tenant_id(), &report, &text, &official.actor())
        .await?;
    reload(&state, &official, &reference).await
}

#[derive(Deserialize)]
struct HiddenBody {
    hidden: bool,
}

async fn change_hidden(
    state: State,
    official: Official,
    Path(reference): Path<String>,
    Json(body): Json<HiddenBody>,
) -> Result<Json<Value>, ApiError> {
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

#[derive(Deserialize)]
struct NoteBody {
    text: String,
}

async fn add_note(
    state: State,
    official: Official,
    Path(reference): Path<String>,
    Json(body): Json<NoteBody>,
) -> Result<Json<Value>, ApiError> {
    let report = workable(&state, &official, &reference).await?;
    let text = note_field("text", &body.text, true)
        .map_err(|e| ApiError::Validation(vec![e], Lang::De))?;
    state
        .db
        .add_internal_note(official.tenant_id(), &report, &text, &official.actor())
        .await?;
    reload(&state, &official, &reference).await
}

async fn reload(
    state: &AppState,
    official: &Official,
    reference: &str,
) -> Result<Json<Value>, ApiError> {
    match workable(state, official, reference).await {
        Ok(r) => Ok(Json(report_json(state, official, &r).await?)),
        // A change that moved the report to another department (re-categorising, routing)
        // takes it out of an editor's reach: say so instead of a bare 404.
        Err(ApiError::NotFound) => Ok(Json(json!({"ref": reference, "routed_away": true}))),
        Err(e) => Err(e),
    }
}

// ---------- admin ----------

async fn audit_log(state: State, official: Official) -> Result<Json<Value>, ApiError> {
    official.require_admin()?;
    let entries = state.db.audit_log(official.tenant_id(), 500).await?;
    Ok(Json(json!({
        "entries": entries.iter().map(|e| json!({
            "at": rfc3339(e.at), "user": e.user_email, "action": e.action,
            "subject": e.subject, "before": e.before, "after": e.after,
        })).collect::<Vec<_>>(),
    })))
}

async fn settings(state: State, official: Official) -> Result<Json<Value>, ApiError> {
    official.require_admin()?;
    let t = state
        .db
        .tenant_by_id(official.tenant_id())
        .await?
        .ok_or(ApiError::NotFound)?;
    let photos_auto_release = state.db.photos_auto_release(t.id).await?;
    Ok(Json(
        json!({"premoderation": t.premoderation, "response_days": t.response_days,
        "photos_auto_release": photos_auto_release}),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SettingsBody {
    premoderation: Option<bool>,
    response_days: Option<i64>,
    photos_auto_release: Option<bool>,
}

async fn change_settings(
    state: State,
    official: Official,
    Json(body): Json<SettingsBody>,
) -> Result<Json<Value>, ApiError> {
    official.require_admin()?;
    if let Some(days) = body.response_days {
        if !(1..=60).contains(&days) {
            return Err(ApiError::Validation(
                vec![FieldError::new(
                    "response_days",
                    ValidationCode::InvalidValue,
                )],
                Lang::De,
            ));
        }
    }
    state
        .db
        .update_tenant_settings(
            official.tenant_id(),
            body.premoderation,
            body.response_days,
            &official.actor(),
        )
        .await?;
    if let Some(on) = body.photos_auto_release {
        state
            .db
            .set_photos_auto_release(official.tenant_id(), on)
            .await?;
        state
            .db
            .audit_simple(
                official.tenant_id(),
                &official.actor(),
                "tenant.photos_auto_release",
                &json!({}),
                &json!({"photos_auto_release": on}),
            )
            .await?;
    }
    settings(state, official).await
}
