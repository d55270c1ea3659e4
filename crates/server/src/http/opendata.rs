//! Open data: every public report of a tenant as GeoJSON and CSV, with nothing personal in it
//! (no e-mail, no unreleased photo, no internal note, no hidden or pre-moderated report).

use super::{rfc3339, ApiError, AppState, State};
use crate::csv_out::cell as csv_field;
use crate::db::reports::{Report, ReportFilter};
use axum::extract::Path;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use civickit_model::Lang;
use serde_json::{json, Value};
use std::sync::Arc;

/// The newest this many reports; a town with more publishes them through Open311 paging.
const MAX_ROWS: i64 = 50_000;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new().route("/{tenant}/opendata/{file}", get(export))
}

fn properties(r: &Report) -> Value {
    json!({
        "ref": r.reference,
        "status": r.status.as_str(),
        "status_label": r.status.label(Lang::De),
        "close_reason": r.close_reason.map(|c| c.as_str()),
        "category": r.category_code,
        "category_name": r.category_name,
        "description": r.description,
        "address": r.address,
        "created": rfc3339(r.created_at),
        "updated": rfc3339(r.updated_at),
        "supporters": r.supporters,
    })
}

async fn export(
    state: State,
    Path((slug, file)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let tenant = state.tenant(&slug).await?;
    let filter = ReportFilter {
        limit: MAX_ROWS,
        ..Default::default()
    };
    let (reports, _) = state.db.public_reports(tenant.id, &filter).await?;
    match file.as_str() {
        "reports.geojson" => {
            let features: Vec<Value> = reports
                .iter()
                .map(|r| {
                    json!({
                        "type": "Feature",
                        "id": r.reference,
                        "geometry": r.position.map(|p| json!({"type": "Point", "coordinates": [p.lng, p.lat]})),
                        "properties": properties(r),
                    })
                })
                .collect();
            let body = json!({"type": "FeatureCollection", "features": features});
            Ok((
                [
                    (header::CONTENT_TYPE, "application/geo+json; charset=utf-8"),
                    (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
                ],
                body.to_string(),
            )
                .into_response())
        }
        "reports.csv" => {
            let mut csv = String::from(
                "ref,status,category,created,updated,lat,lng,address,description,supporters\n",
            );
            for r in &reports {
                let (lat, lng) = r
                    .position
                    .map(|p| (p.lat.to_string(), p.lng.to_string()))
                    .unwrap_or_default();
                csv.push_str(&format!(
                    "{},{},{},{},{},{lat},{lng},{},{},{}\n",
                    csv_field(&r.reference),
                    csv_field(r.status.as_str()),
                    csv_field(&r.category_code),
                    rfc3339(r.created_at),
                    rfc3339(r.updated_at),
                    csv_field(r.address.as_deref().unwrap_or("")),
                    csv_field(&r.description),
                    r.supporters
                ));
            }
            Ok((
                [
                    (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                    (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
                ],
                csv,
            )
                .into_response())
        }
        _ => Err(ApiError::NotFound),
    }
}
