//! `GET /api/v1/{tenant}/map`: what the map draws over a range of tiles, from the town's
//! index in memory (`crate::mapindex`), served like a static file: encoded once per version,
//! strong ETag, 304, a brief `Cache-Control`. No database query on a known town's path.

use super::assets::serve::{answer, CachePolicy};
use super::widget_api::{comma_list, public_statuses};
use super::{ApiError, AppState, State};
use crate::mapindex::grid::MapFilter;
use axum::extract::{Path, Query};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use civickit_model::api::widget::{MAX_ZOOM, TILES_MAX_PER_AXIS};
use serde::Deserialize;
use std::ops::RangeInclusive;
use std::sync::Arc;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new().route("/api/v1/{tenant}/map", get(map))
}

#[derive(Deserialize)]
struct MapQuery {
    z: Option<String>,
    x: Option<String>,
    y: Option<String>,
    status: Option<String>,
    category: Option<String>,
}

async fn map(
    state: State,
    Path(slug): Path<String>,
    Query(q): Query<MapQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let tenant_id = tenant_id(&state, &slug).await?;
    let zoom = q
        .z
        .as_deref()
        .and_then(|z| z.parse::<u8>().ok())
        .filter(|z| *z <= MAX_ZOOM)
        .ok_or_else(|| ApiError::BadRequest(format!("z must be a zoom from 0 to {MAX_ZOOM}")))?;
    let xs = tile_range("x", q.x.as_deref(), zoom)?;
    let ys = tile_range("y", q.y.as_deref(), zoom)?;
    let mut filter = MapFilter {
        statuses: public_statuses(&q.status)?,
        categories: comma_list(&q.category),
    };
    // One cache entry per view, however the client ordered its lists.
    filter.statuses.sort_by_key(|s| s.as_str());
    filter.statuses.dedup();
    filter.categories.sort();
    filter.categories.dedup();
    let key = format!(
        "{zoom}/{}-{}/{}-{}/{}/{}",
        xs.start(),
        xs.end(),
        ys.start(),
        ys.end(),
        filter
            .statuses
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(","),
        filter.categories.join(",")
    );
    let town = state.db.town_map(tenant_id).await?;
    let body = town.body(&key, |m| {
        serde_json::to_vec(&m.answer(zoom, xs, ys, &filter)).expect("a map answer serialises")
    });
    Ok(answer(&body, &headers, None, CachePolicy::Brief))
}

/// The tenant's id by slug, remembered after the first lookup (slugs never change).
async fn tenant_id(state: &AppState, slug: &str) -> Result<i64, ApiError> {
    if let Some(id) = state.db.map.tenant_id(slug) {
        return Ok(id);
    }
    let tenant = state.tenant(slug).await?;
    state.db.map.remember_slug(slug, tenant.id);
    Ok(tenant.id)
}

/// `A-B` (or `A`): tiles A to B of the zoom's grid, at most `TILES_MAX_PER_AXIS` of them.
fn tile_range(name: &str, text: Option<&str>, zoom: u8) -> Result<RangeInclusive<u32>, ApiError> {
    let bad = || {
        ApiError::BadRequest(format!(
            "{name} must be a range of tiles FROM-TO within 0 to {} at zoom {zoom}, at most \
             {TILES_MAX_PER_AXIS} tiles",
            (1u64 << zoom) - 1
        ))
    };
    let text = text.ok_or_else(bad)?;
    let (from, to) = text.split_once('-').unwrap_or((text, text));
    let (from, to) = (
        from.parse::<u32>().map_err(|_| bad())?,
        to.parse::<u32>().map_err(|_| bad())?,
    );
    let last = (1u64 << zoom) - 1;
    if from > to || u64::from(to) > last || to - from >= TILES_MAX_PER_AXIS {
        return Err(bad());
    }
    Ok(from..=to)
}
