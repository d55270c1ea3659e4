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
    Router::new().route("/tiles/{z}/{x}/{file}", get(tile))
}

const TILE: f64 = 256.0;
/// Street spacing in world pixels at zoom 16 (about 150 m in central Germany).
const BLOCK_Z16: f64 = 384.0;

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

fn block_hash(bx: i64, by: i64) -> u64 {
    let mut h = (bx as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
        ^ (by as u64).wrapping_mul(0xC2B2_AE3D_27D4_EB4F);
    h ^= h >> 29;
    h.wrapping_mul(0x1656_67B1_9E37_79F9)
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
                let h = block_hash(bx, by);
                let fill = match h % 11 {
                    0 | 1 => "#c8e6b0", // park
                    2 => "#b5d0e8",     // pond
                    _ => "#e4ddd3",     // houses
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
    }
}
