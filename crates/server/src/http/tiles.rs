//! Demo map tiles drawn by the server itself (SVG), so that the demo and the tests run with no
//! internet and no third-party requests. A street grid fixed in world coordinates lines up
//! across tiles and zoom levels; parks and a river come from a hash of the block position.

use super::AppState;
use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::fmt::Write;
use std::sync::Arc;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/tiles/{z}/{x}/{file}", get(tile))
        .route("/tiles/{tenant}/{z}/{x}/{y}", get(proxied))
}

/// Cached tiles are served this long before they are fetched again.
const TILE_CACHE_SECONDS: i64 = 7 * 24 * 3600;

/// The URL template the widget gets for a tenant: the tenant's own server-relative path as it
/// is, an external tile server through our caching proxy (so no citizen's browser ever asks a
/// third party, DSGVO).
pub fn widget_tile_url(base: &str, slug: &str, tile_url: &str) -> String {
    if tile_url.starts_with("http://") || tile_url.starts_with("https://") {
        format!("{base}/tiles/{slug}/{{z}}/{{x}}/{{y}}")
    } else {
        format!("{base}{tile_url}")
    }
}

fn client() -> &'static reqwest::Client {
    static CLIENT: std::sync::OnceLock<reqwest::Client> = std::sync::OnceLock::new();
    CLIENT.get_or_init(|| {
        reqwest::Client::builder()
            // OpenStreetMap's tile policy asks for an identifying User-Agent.
            .user_agent(concat!("civickit-tile-proxy/", env!("CARGO_PKG_VERSION")))
            .timeout(std::time::Duration::from_secs(10))
            .build()
            .expect("a TLS-capable HTTP client")
    })
}

async fn proxied(
    axum::extract::State(state): axum::extract::State<Arc<AppState>>,
    Path((slug, z, x, y)): Path<(String, u32, u64, String)>,
) -> Response {
    // `y` may carry an extension (`12.png`); only the number counts.
    let Some(y) = y.split('.').next().and_then(|y| y.parse::<u64>().ok()) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    if z > 20 || x >= (1u64 << z) || y >= (1u64 << z) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let tenant = match state.db.tenant_by_slug(&slug).await {
        Ok(Some(t)) if t.tile_url.starts_with("http://") || t.tile_url.starts_with("https://") => t,
        Ok(_) => return StatusCode::NOT_FOUND.into_response(),
        Err(e) => {
            tracing::error!("tile proxy: {e}");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let upstream = tenant
        .tile_url
        .replace("{z}", &z.to_string())
        .replace("{x}", &x.to_string())
        .replace("{y}", &y.to_string())
        .replace("{s}", "a");
    let key = format!("{}|{upstream}", tenant.id);
    let now = crate::db::now();
    if let Ok(Some((content_type, bytes, fetched_at))) = state.db.cached_tile(&key).await {
        if now - fetched_at < TILE_CACHE_SECONDS {
            return tile_response(content_type, bytes, "hit");
        }
    }
    // Only the server asks the tile server: no citizen address, cookie or referrer goes along.
    let fetched = async {
        let r = client().get(&upstream).send().await?.error_for_status()?;
        let content_type = r
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("image/png")
            .to_string();
        Ok::<_, reqwest::Error>((content_type, r.bytes().await?.to_vec()))
    }
    .await;
    match fetched {
        Ok((content_type, bytes)) if content_type.starts_with("image/") => {
            if let Err(e) = state.db.store_tile(&key, &content_type, &bytes, now).await {
                tracing::warn!("tile proxy: caching {upstream}: {e}");
            }
            tile_response(content_type, bytes, "miss")
        }
        Ok((content_type, _)) => {
            tracing::warn!("tile proxy: {upstream} answered {content_type}, not an image");
            StatusCode::BAD_GATEWAY.into_response()
        }
        Err(e) => {
            tracing::warn!("tile proxy: {upstream}: {e}");
            StatusCode::BAD_GATEWAY.into_response()
        }
    }
}

fn tile_response(content_type: String, bytes: Vec<u8>, cache: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=86400".to_string()),
            (
                header::HeaderName::from_static("x-civickit-tile-cache"),
                cache.to_string(),
            ),
        ],
        bytes,
    )
        .into_response()
}

const TILE: f64 = 256.0;
use crate::places::demo::{block_kind, north_south_name, west_east_name, BlockKind, BLOCK_Z16};

async fn tile(Path((z, x, file)): Path<(u32, u64, String)>) -> Response {
    let Some(y) = file
        .strip_suffix(".svg")
        .and_then(|y| y.parse::<u64>().ok())
    else {
        return StatusCode::NOT_FOUND.into_response();
    };
    if z > 20 || x >= (1u64 << z) || y >= (1u64 << z) {
        return StatusCode::NOT_FOUND.into_response();
    }
    (
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        draw(z, x, y),
    )
        .into_response()
}

fn draw(z: u32, x: u64, y: u64) -> String {
    let mut svg = String::with_capacity(4096);
    let _ = write!(
        svg,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256"><rect width="256" height="256" fill="#f2efe9"/>"##
    );
    if z >= 13 {
        // World pixels at this zoom per block.
        let block = BLOCK_Z16 * 2f64.powi(z as i32 - 16);
        let (x0, y0) = (x as f64 * TILE, y as f64 * TILE);
        let first_bx = (x0 / block).floor() as i64;
        let first_by = (y0 / block).floor() as i64;
        let last_bx = ((x0 + TILE) / block).ceil() as i64;
        let last_by = ((y0 + TILE) / block).ceil() as i64;
        let street = (block * 0.08).clamp(2.0, 18.0);
        for bx in first_bx..last_bx {
            for by in first_by..last_by {
                let fill = match block_kind(bx, by) {
                    BlockKind::Park => "#c8e6b0",
                    BlockKind::Pond => "#b5d0e8",
                    BlockKind::Houses => "#e4ddd3",
                };
                let px = bx as f64 * block - x0 + street / 2.0;
                let py = by as f64 * block - y0 + street / 2.0;
                let size = block - street;
                let _ = write!(
                    svg,
                    r#"<rect x="{px:.1}" y="{py:.1}" width="{size:.1}" height="{size:.1}" fill="{fill}"/>"#
                );
            }
        }
        if z >= 16 {
            street_names(
                &mut svg,
                block,
                (x0, y0),
                (first_bx..=last_bx, first_by..=last_by),
            );
        }
    } else {
        let _ = write!(
            svg,
            r##"<path d="M0 128 H256 M128 0 V256" stroke="#d6d0c4" stroke-width="2"/>"##
        );
    }
    let _ = write!(
        svg,
        r##"<text x="6" y="250" font-family="sans-serif" font-size="9" fill="#b0a899">Demo-Karte {z}/{x}/{y}</text></svg>"##
    );
    svg
}

/// The names the demo's address list gives the streets (`places::demo`), in the middle of
/// each block side, so the map and the address search agree.
fn street_names(
    svg: &mut String,
    block: f64,
    (x0, y0): (f64, f64),
    (columns, rows): (std::ops::RangeInclusive<i64>, std::ops::RangeInclusive<i64>),
) {
    const STYLE: &str = r##"font-family="sans-serif" font-size="11" fill="#6b6358" text-anchor="middle" dominant-baseline="central""##;
    for bx in columns.clone() {
        for by in rows.clone() {
            // The north–south street on the block's west edge, the west–east one on its north edge.
            let (x, y) = (bx as f64 * block - x0, by as f64 * block - y0 + block / 2.0);
            let _ = write!(
                svg,
                r#"<text x="{x:.1}" y="{y:.1}" transform="rotate(-90 {x:.1} {y:.1})" {STYLE}>{}</text>"#,
                north_south_name(bx)
            );
            let (x, y) = (bx as f64 * block - x0 + block / 2.0, by as f64 * block - y0);
            let _ = write!(
                svg,
                r#"<text x="{x:.1}" y="{y:.1}" {STYLE}>{}</text>"#,
                west_east_name(by)
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiles_are_svg_and_differ_by_position() {
        let a = draw(16, 34500, 22000);
        let b = draw(16, 34501, 22000);
        assert!(a.starts_with("<svg") && a.ends_with("</svg>"));
        assert_ne!(a, b);
        assert!(draw(5, 1, 1).contains("Demo-Karte 5/1/1"));
        // Street names from zoom 16 on, the ones the demo's addresses use.
        let (x, y) = crate::places::demo::world(crate::demo::CENTER);
        let tile = draw(17, (x * 2.0 / 256.0) as u64, (y * 2.0 / 256.0) as u64);
        assert!(tile.contains("straße") || tile.contains("weg"), "{tile}");
        assert!(!draw(15, (x / 512.0) as u64, (y / 512.0) as u64).contains("straße"));
    }
}
