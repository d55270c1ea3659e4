//! Open311 GeoReport v2 at `/open311/v2/`: discovery, services, service definitions,
//! requests (list, one, create), in JSON and XML.
//!
//! Decisions where the spec leaves room:
//! - `service_request_id` is the public reference (`M-2026-00042`), so citizens, clerks and
//!   API clients all quote the same id.
//! - `jurisdiction_id` is the tenant slug; it may be left out while the server hosts one tenant.
//! - Without dates, GET requests covers the last 90 days; a longer span is refused (400).
//! - `page`/`page_size` (default and maximum 1000) page through the newest-first list.
//! - POST answers 200 with `[{service_request_id, service_notice}]`; names and phone numbers
//!   are not stored (data minimisation); `email` is kept, never published, for status mails.
//! - `extensions=true` adds `extended_attributes` with `detailed_status` (our state name),
//!   `status_color`, `close_reason`, `status_notes` (public history), `media_urls` and
//!   `supporters`.
//! - Photos: POST accepts a multipart file `media` (checked before anything is stored); a
//!   `media_url` pointing elsewhere is not fetched or republished (it could point anywhere).
//!   Released photos appear as `media_url` (the first) and in `extended_attributes.media_urls`.

use super::xml::to_xml;
use super::{rfc3339, AppState, State};
use crate::db::reports::{Note, Report, ReportFilter};
use crate::db::tenants::Tenant;
use crate::intake::{submit_report, IntakeError};
use axum::body::Bytes;
use axum::extract::{Path, RawQuery};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use civickit_model::{Lang, LatLng, NewReport, Status};
use serde_json::{json, Map, Value};
use std::sync::Arc;

const MAX_WINDOW_SECS: i64 = 90 * 24 * 3600;
const MAX_PAGE_SIZE: i64 = 1000;
const SPEC_URL: &str = "http://wiki.open311.org/GeoReport_v2";
/// When this API's shape last changed, for discovery's `changeset`.
const CHANGESET: &str = "2026-11-23T00:00:00Z";

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route(
            "/{file}",
            get(get_top)
                .post(post_top)
                .layer(axum::extract::DefaultBodyLimit::max(
                    super::photos::MAX_UPLOAD_BYTES,
                )),
        )
        .route("/services/{file}", get(service_definition))
        .route("/requests/{file}", get(one_request))
        // The official swagger file spells the single-request path in the singular.
        .route("/request/{file}", get(one_request))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Json,
    Xml,
}

/// Splits `services.json` into (`services`, Json); unknown extensions give None.
fn split_format(file: &str) -> Option<(&str, Format)> {
    let (name, ext) = file.rsplit_once('.')?;
    let fmt = match ext {
        "json" => Format::Json,
        "xml" => Format::Xml,
        _ => return None,
    };
    Some((name, fmt))
}

fn respond(fmt: Format, status: StatusCode, xml_root: &str, value: &Value) -> Response {
    match fmt {
        Format::Json => (
            status,
            [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
            value.to_string(),
        )
            .into_response(),
        Format::Xml => (
            status,
            [(header::CONTENT_TYPE, "text/xml; charset=utf-8")],
            to_xml(xml_root, value),
        )
            .into_response(),
    }
}

/// An Open311 error answer: one or more `{code, description}`.
struct Open311Error {
    status: StatusCode,
    descriptions: Vec<String>,
}

impl Open311Error {
    fn new(status: StatusCode, description: impl Into<String>) -> Self {
        Open311Error {
            status,
            descriptions: vec![description.into()],
        }
    }
    fn bad(description: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, description)
    }
    fn not_found(description: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, description)
    }
    fn render(self, fmt: Format) -> Response {
        let code = self.status.as_u16();
        let errors: Vec<Value> = self
            .descriptions
            .into_iter()
            .map(|d| json!({"code": code, "description": d}))
            .collect();
        respond(fmt, self.status, "errors", &Value::Array(errors))
    }
}

impl From<sqlx::Error> for Open311Error {
    fn from(e: sqlx::Error) -> Self {
        tracing::error!("open311: database error: {e}");
        Open311Error::new(StatusCode::INTERNAL_SERVER_ERROR, "internal error")
    }
}

type Params = Vec<(String, String)>;

fn param<'a>(params: &'a Params, name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .filter(|v| !v.is_empty())
}

fn parse_params(raw: Option<&str>) -> Result<Params, Open311Error> {
    serde_urlencoded::from_str(raw.unwrap_or(""))
        .map_err(|_| Open311Error::bad("malformed query string"))
}

async fn jurisdiction(state: &AppState, params: &Params) -> Result<Tenant, Open311Error> {
    match param(params, "jurisdiction_id") {
        Some(slug) => {
            state.db.tenant_by_slug(slug).await?.ok_or_else(|| {
                Open311Error::not_found(format!("jurisdiction_id {slug:?} not found"))
            })
        }
        None => {
            let mut tenants = state.db.tenants().await?;
            if tenants.len() == 1 {
                Ok(tenants.remove(0))
            } else {
                Err(Open311Error::bad(
                    "jurisdiction_id is required: this server hosts several jurisdictions",
                ))
            }
        }
    }
}

async fn get_top(
    state: State,
    Path(file): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let Some((name, fmt)) = split_format(&file) else {
        return Open311Error::not_found("unknown resource or format (use .json or .xml)")
            .render(Format::Json);
    };
    let result = match name {
        "discovery" => Ok(discovery(&state, &headers, fmt)),
        "services" => services(&state, query.as_deref(), fmt).await,
        "requests" => requests(&state, query.as_deref(), fmt, &state.base_url(&headers)).await,
        _ => Err(Open311Error::not_found("unknown resource")),
    };
    result.unwrap_or_else(|e| e.render(fmt))
}

fn discovery(state: &AppState, headers: &HeaderMap, fmt: Format) -> Response {
    let base = state.base_url(headers);
    let value = json!({
        "changeset": CHANGESET,
        "contact": "Ihre Gemeindeverwaltung / your municipality",
        "key_service": "API keys are issued by the operator: civickit apikey add --tenant SLUG",
        "endpoints": [{
            "specification": SPEC_URL,
            "url": format!("{base}/open311/v2"),
            "changeset": CHANGESET,
            "type": "production",
            "formats": ["application/json", "text/xml"],
        }],
    });
    respond(fmt, StatusCode::OK, "discovery", &value)
}

async fn services(
    state: &AppState,
    query: Option<&str>,
    fmt: Format,
) -> Result<Response, Open311Error> {
    let params = parse_params(query)?;
    let tenant = jurisdiction(state, &params).await?;
    let categories = state.db.categories(tenant.id).await?;
    let list: Vec<Value> = categories
        .iter()
        .map(|c| {
            let mut v = Map::new();
            v.insert("service_code".into(), json!(c.code));
            v.insert("service_name".into(), json!(c.name));
            if !c.description.is_empty() {
                v.insert("description".into(), json!(c.description));
            }
            v.insert("metadata".into(), json!(false));
            v.insert("type".into(), json!("realtime"));
            if !c.group.is_empty() {
                v.insert("group".into(), json!(c.group));
            }
            Value::Object(v)
        })
        .collect();
    Ok(respond(
        fmt,
        StatusCode::OK,
        "services",
        &Value::Array(list),
    ))
}

async fn service_definition(
    state: State,
    Path(file): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let Some((code, fmt)) = split_format(&file) else {
        return Open311Error::not_found("unknown format (use .json or .xml)").render(Format::Json);
    };
    let result = async {
        let params = parse_params(query.as_deref())?;
        let tenant = jurisdiction(&state, &params).await?;
        let categories = state.db.categories(tenant.id).await?;
        if !categories.iter().any(|c| c.code == code) {
            return Err(Open311Error::not_found(format!(
                "service_code {code:?} not found"
            )));
        }
        // Our services ask for no extra attributes (metadata=false), so the list is empty.
        let value = json!({"service_code": code, "attributes": []});
        Ok::<_, Open311Error>(respond(fmt, StatusCode::OK, "service_definition", &value))
    }
    .await;
    result.unwrap_or_else(|e| e.render(fmt))
}

fn parse_datetime(name: &str, value: &str) -> Result<i64, Open311Error> {
    time::OffsetDateTime::parse(value, &time::format_description::well_known::Rfc3339)
        .map(|t| t.unix_timestamp())
        .map_err(|_| {
            Open311Error::bad(format!(
                "{name} must be a W3C/RFC 3339 date-time such as 2026-11-22T10:00:00+01:00"
            ))
        })
}

fn parse_int(
    params: &Params,
    name: &str,
    default: i64,
    min: i64,
    max: i64,
) -> Result<i64, Open311Error> {
    match param(params, name) {
        None => Ok(default),
        Some(v) => v
            .parse::<i64>()
            .ok()
            .filter(|n| (min..=max).contains(n))
            .ok_or_else(|| {
                Open311Error::bad(format!("{name} must be a whole number from {min} to {max}"))
            }),
    }
}

async fn requests(
    state: &AppState,
    query: Option<&str>,
    fmt: Format,
    base: &str,
) -> Result<Response, Open311Error> {
    let params = parse_params(query)?;
    let tenant = jurisdiction(state, &params).await?;
    let extensions = param(&params, "extensions") == Some("true");
    let page = parse_int(&params, "page", 1, 1, 1_000_000)?;
    let page_size = parse_int(&params, "page_size", MAX_PAGE_SIZE, 1, MAX_PAGE_SIZE)?;
    let mut filter = ReportFilter {
        limit: page_size,
        offset: (page - 1) * page_size,
        ..Default::default()
    };
    if let Some(ids) = param(&params, "service_request_id") {
        // Overrides every other filter, as the spec says.
        filter.references = ids
            .split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
    } else {
        if let Some(code) = param(&params, "service_code") {
            filter.category_codes = code.split(',').map(|s| s.trim().to_string()).collect();
        }
        if let Some(status) = param(&params, "status") {
            for s in status.split(',').map(str::trim) {
                match s {
                    "open" => filter
                        .statuses
                        .extend([Status::Received, Status::InProgress]),
                    "closed" => filter.statuses.extend([Status::Resolved, Status::Closed]),
                    other => {
                        return Err(Open311Error::bad(format!(
                            "status must be open or closed, not {other:?}"
                        )))
                    }
                }
            }
        }
        let start = param(&params, "start_date")
            .map(|v| parse_datetime("start_date", v))
            .transpose()?;
        let end = param(&params, "end_date")
            .map(|v| parse_datetime("end_date", v))
            .transpose()?;
        let (from, to) = match (start, end) {
            (Some(s), Some(e)) => (s, e),
            (Some(s), None) => (s, s + MAX_WINDOW_SECS),
            (None, Some(e)) => (e - MAX_WINDOW_SECS, e),
            (None, None) => {
                let now = crate::db::now();
                (now - MAX_WINDOW_SECS, now)
            }
        };
        if to < from {
            return Err(Open311Error::bad("end_date is before start_date"));
        }
        if to - from > MAX_WINDOW_SECS {
            return Err(Open311Error::bad(
                "start_date and end_date may not span more than 90 days",
            ));
        }
        filter.created_from = Some(from);
        filter.created_to = Some(to);
    }
    let (reports, _) = state.db.public_reports(tenant.id, &filter).await?;
    let notes = if extensions {
        let ids: Vec<i64> = reports.iter().map(|r| r.id).collect();
        state.db.notes(tenant.id, &ids, true).await?
    } else {
        vec![]
    };
    let ids: Vec<i64> = reports.iter().map(|r| r.id).collect();
    let media = media_urls(state, base, tenant.id, &ids).await?;
    let list: Vec<Value> = reports
        .iter()
        .map(|r| request_value(r, extensions.then_some(&notes[..]), &media))
        .collect();
    Ok(respond(
        fmt,
        StatusCode::OK,
        "service_requests",
        &Value::Array(list),
    ))
}

async fn one_request(
    state: State,
    Path(file): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let Some((id, fmt)) = split_format(&file) else {
        return Open311Error::not_found("unknown format (use .json or .xml)").render(Format::Json);
    };
    let result = async {
        let params = parse_params(query.as_deref())?;
        let tenant = jurisdiction(&state, &params).await?;
        let extensions = param(&params, "extensions") == Some("true");
        let report = state
            .db
            .report_by_ref(tenant.id, id)
            .await?
            .filter(Report::is_public)
            .ok_or_else(|| {
                Open311Error::not_found(format!("service_request_id {id:?} not found"))
            })?;
        let notes = if extensions {
            state.db.notes(tenant.id, &[report.id], true).await?
        } else {
            vec![]
        };
        let media = media_urls(&state, &state.base_url(&headers), tenant.id, &[report.id]).await?;
        let value = json!([request_value(
            &report,
            extensions.then_some(&notes[..]),
            &media
        )]);
        Ok::<_, Open311Error>(respond(fmt, StatusCode::OK, "service_requests", &value))
    }
    .await;
    result.unwrap_or_else(|e| e.render(fmt))
}

/// One service request as Open311 shows it. Absent optional fields are left out, never null;
/// the reporter's e-mail is never part of it.
/// (report id, public photo URL) of released photos, in upload order.
async fn media_urls(
    state: &AppState,
    base: &str,
    tenant_id: i64,
    report_ids: &[i64],
) -> Result<Vec<(i64, String)>, Open311Error> {
    Ok(state
        .db
        .released_photo_ids(tenant_id, report_ids)
        .await?
        .into_iter()
        .map(|(id, public)| (id, format!("{base}/media/{public}.jpg")))
        .collect())
}

fn request_value(r: &Report, notes: Option<&[Note]>, media: &[(i64, String)]) -> Value {
    let photos: Vec<&String> = media
        .iter()
        .filter(|(id, _)| *id == r.id)
        .map(|(_, url)| url)
        .collect();
    let mut v = Map::new();
    v.insert("service_request_id".into(), json!(r.reference));
    v.insert("status".into(), json!(r.status.open311()));
    if let Some(note) = &r.public_note {
        v.insert("status_notes".into(), json!(note));
    }
    v.insert("service_name".into(), json!(r.category_name));
    v.insert("service_code".into(), json!(r.category_code));
    v.insert("description".into(), json!(r.description));
    if let Some(d) = &r.department_name {
        v.insert("agency_responsible".into(), json!(d));
    }
    v.insert("requested_datetime".into(), json!(rfc3339(r.created_at)));
    v.insert("updated_datetime".into(), json!(rfc3339(r.updated_at)));
    if let Some(a) = &r.address {
        v.insert("address".into(), json!(a));
    }
    if let Some(p) = r.position {
        v.insert("lat".into(), json!(p.lat));
        v.insert("long".into(), json!(p.lng));
    }
    if let Some(first) = photos.first() {
        v.insert("media_url".into(), json!(first));
    }
    if let Some(notes) = notes {
        let mut ext = Map::new();
        ext.insert("detailed_status".into(), json!(r.status.as_str()));
        ext.insert("status_color".into(), json!(r.status.light().as_str()));
        if let Some(reason) = r.close_reason {
            ext.insert("close_reason".into(), json!(reason.as_str()));
        }
        ext.insert(
            "status_notes".into(),
            Value::Array(
                notes
                    .iter()
                    .filter(|n| n.report_id == r.id && n.public)
                    .map(|n| {
                        json!({
                            "datetime": rfc3339(n.at),
                            "status": n.status.as_str(),
                            "text": n.text,
                        })
                    })
                    .collect(),
            ),
        );
        ext.insert("media_urls".into(), json!(photos));
        ext.insert("supporters".into(), json!(r.supporters));
        v.insert("extended_attributes".into(), Value::Object(ext));
    }
    Value::Object(v)
}

async fn post_top(
    state: State,
    Path(file): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(("requests", fmt)) = split_format(&file) else {
        return Open311Error::not_found("only requests.json and requests.xml accept POST")
            .render(Format::Json);
    };
    match create_request(&state, query.as_deref(), &headers, body).await {
        Ok(value) => respond(fmt, StatusCode::OK, "service_requests", &value),
        Err(e) => e.render(fmt),
    }
}

async fn create_request(
    state: &AppState,
    query: Option<&str>,
    headers: &HeaderMap,
    body: Bytes,
) -> Result<Value, Open311Error> {
    // Parameters may come in the form body or, as many clients send them, in the query string;
    // a photo comes as the multipart file `media`.
    let mut params = parse_params(query)?;
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let mut media: Option<Bytes> = None;
    if content_type.starts_with("multipart/form-data") {
        let boundary = multer::parse_boundary(content_type)
            .map_err(|_| Open311Error::bad("multipart body without a boundary"))?;
        let stream = futures_util::stream::once(async move { Ok::<Bytes, std::io::Error>(body) });
        let mut multipart = multer::Multipart::new(stream, boundary);
        let malformed = |_| Open311Error::bad("malformed multipart body");
        while let Some(field) = multipart.next_field().await.map_err(malformed)? {
            let name = field.name().unwrap_or("").to_string();
            if name == "media" {
                media = Some(field.bytes().await.map_err(malformed)?);
            } else {
                params.push((name, field.text().await.map_err(malformed)?));
            }
        }
    } else if content_type.starts_with("application/x-www-form-urlencoded") || !body.is_empty() {
        let text = std::str::from_utf8(&body)
            .map_err(|_| Open311Error::bad("the request body is not UTF-8"))?;
        params.extend(parse_params(Some(text))?);
    }
    let tenant = jurisdiction(state, &params).await?;
    // The API key authorises this write (a known client of the town's choosing), so Open311
    // takes no proof-of-work challenge, unlike the anonymous widget writes (`crate::pow`).
    let key_ok = match param(&params, "api_key") {
        Some(key) => state.db.api_key_valid(tenant.id, key).await?,
        None => false,
    };
    if !key_ok {
        return Err(Open311Error::new(
            StatusCode::FORBIDDEN,
            "api_key is missing or not valid for this jurisdiction",
        ));
    }
    let mut errors = Vec::new();
    let number = |name: &str, errors: &mut Vec<String>| -> Option<f64> {
        let v = param(&params, name)?;
        match v.parse::<f64>() {
            Ok(n) if n.is_finite() => Some(n),
            _ => {
                errors.push(format!("{name}: not a number"));
                None
            }
        }
    };
    let lat = number("lat", &mut errors);
    let long = number("long", &mut errors);
    let position = match (lat, long) {
        (Some(lat), Some(lng)) => Some(LatLng::new(lat, lng)),
        (None, None) => None,
        _ => {
            errors.push("lat and long must be given together".into());
            None
        }
    };
    if param(&params, "service_code").is_none() {
        errors.push("service_code: required".into());
    }
    let new = NewReport {
        category: param(&params, "service_code")
            .unwrap_or_default()
            .to_string(),
        position,
        address: param(&params, "address_string").map(str::to_string),
        description: param(&params, "description")
            .unwrap_or_default()
            .to_string(),
        email: param(&params, "email").map(str::to_string),
    };
    // The photo is checked before anything is stored, so a bad file leaves no report behind.
    let photo = match media.filter(|m| !m.is_empty()) {
        None => None,
        Some(bytes) => {
            match tokio::task::spawn_blocking(move || crate::photos::process_upload(&bytes)).await {
                Ok(Ok(p)) => Some(p),
                Ok(Err(e)) => {
                    errors.push(format!("media: {e}"));
                    None
                }
                Err(e) => {
                    return Err(Open311Error::new(
                        StatusCode::INTERNAL_SERVER_ERROR,
                        e.to_string(),
                    ))
                }
            }
        }
    };
    if !errors.is_empty() {
        return Err(Open311Error {
            status: StatusCode::BAD_REQUEST,
            descriptions: errors,
        });
    }
    // German unless the client asks otherwise (`lang=en` or Accept-Language): the report's
    // mails to the citizen follow it.
    let lang = super::lang(param(&params, "lang"), headers);
    let base = state.base_url(headers);
    let created = match submit_report(&state.db, &tenant, &new, &base, lang).await {
        Ok(c) => {
            state.mail_wake.notify_one();
            state.metrics.report_created(&tenant.slug);
            c
        }
        Err(IntakeError::Db(e)) => return Err(e.into()),
        Err(IntakeError::Invalid(fields)) => {
            return Err(Open311Error {
                status: StatusCode::BAD_REQUEST,
                descriptions: fields
                    .iter()
                    .map(|f| {
                        let field = match f.field.as_str() {
                            "category" => "service_code",
                            "position" => "lat/long",
                            "address" => "address_string",
                            other => other,
                        };
                        format!("{field}: {}", f.message(Lang::En))
                    })
                    .collect(),
            })
        }
    };
    if let Some(photo) = photo {
        let status = if state.db.photos_auto_release(tenant.id).await? {
            "released"
        } else {
            "pending"
        };
        let actor = crate::db::audit::Actor {
            user_id: None,
            email: "open311".into(),
        };
        state
            .db
            .add_photo(tenant.id, &created.report, "report", status, &photo, &actor)
            .await?;
    }
    let notice = format!(
        "Die Gemeinde {} reagiert in der Regel innerhalb von {} Tagen.",
        tenant.name, tenant.response_days
    );
    Ok(json!([{
        "service_request_id": created.report.reference,
        "service_notice": notice,
    }]))
}
