//! `GET /api/v1/{tenant}/challenge?purpose=…`: a proof-of-work challenge for one anonymous
//! write (see `crate::pow` and docs/widget-api.md, "Proof of work").

use super::{lang, ApiError, ApiJson, AppState, State};
use axum::extract::{Path, RawQuery};
use axum::http::{header, HeaderMap};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use civickit_model::api::widget::Purpose;
use std::sync::Arc;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new().route("/{tenant}/challenge", get(challenge))
}

async fn challenge(
    state: State,
    Path(slug): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<impl IntoResponse, ApiError> {
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(query.as_deref().unwrap_or("")).unwrap_or_default();
    let get = |name: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    let lang = lang(get("lang"), &headers);
    let tenant = state.tenant(&slug).await?;
    let purpose = get("purpose").and_then(Purpose::parse).ok_or_else(|| {
        let allowed: Vec<&str> = Purpose::ALL.iter().map(|p| p.as_str()).collect();
        ApiError::BadRequest(format!(
            "{}: {}",
            lang.pick(
                "Unbekannter Zweck (purpose); erlaubt sind",
                "Unknown purpose; allowed are"
            ),
            allowed.join(", ")
        ))
    })?;
    let challenge = crate::pow::issue(&state, &tenant, purpose, crate::db::now()).await?;
    // Each challenge is good once: a cache handing the same one to two citizens would refuse
    // the second one's write.
    Ok(([(header::CACHE_CONTROL, "no-store")], ApiJson(challenge)))
}
