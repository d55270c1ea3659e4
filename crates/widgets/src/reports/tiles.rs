//! The map's content is asked for by web-map tiles (`GET /map?z=&x=X0-X1&y=Y0-Y1`): the tiles a
//! view touches at its zoom, so that every visitor with the same view sends the same URL (which
//! the browser and a proxy may keep for 30 s), and a view moved within the tiles of the last
//! answer needs no request at all.
//!
//! The loader (www/civic.js, `tiles`) computes the first view's range by the same rule before
//! the wasm runs; change one, change both.

use super::map::{project, unproject};
use civickit_model::api::widget::{CELLS_PER_TILE_AXIS, TILES_MAX_PER_AXIS};
use civickit_model::LatLng;

const TILE_PX: f64 = 256.0;

/// Tile columns `x` and rows `y` (both ends included) at zoom `z`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TileRange {
    pub z: u32,
    pub x: (u32, u32),
    pub y: (u32, u32),
}

impl TileRange {
    /// The tiles under the world-pixel box from `min` to `max` (Leaflet's `getPixelBounds`, the
    /// end exclusive) at zoom `z`, picked as Leaflet's own tile layer picks them (start floored,
    /// end ceiled minus one), clamped to the world and to the widest range the server answers.
    /// `None` for an empty box (a hidden map) or one beside the world.
    pub fn covering(z: u32, min: (f64, f64), max: (f64, f64)) -> Option<TileRange> {
        let last = ((1u64 << z.min(30)) - 1) as f64;
        let span = |a: f64, b: f64| -> Option<(u32, u32)> {
            let lo = (a / TILE_PX).floor().max(0.0);
            let hi = ((b / TILE_PX).ceil() - 1.0).min(last);
            (b > a && lo <= hi).then(|| {
                let lo = lo as u32;
                (lo, (hi as u32).min(lo + TILES_MAX_PER_AXIS - 1))
            })
        };
        Some(TileRange {
            z,
            x: span(min.0, max.0)?,
            y: span(min.1, max.1)?,
        })
    }

    /// `z=15&x=17300-17302&y=11000-11001`, as the server and the loader spell it.
    pub fn query(&self) -> String {
        format!(
            "z={}&x={}-{}&y={}-{}",
            self.z, self.x.0, self.x.1, self.y.0, self.y.1
        )
    }

    /// Whether every tile of `other` is one of these (same zoom).
    pub fn contains(&self, other: &TileRange) -> bool {
        self.z == other.z
            && self.x.0 <= other.x.0
            && other.x.1 <= self.x.1
            && self.y.0 <= other.y.0
            && other.y.1 <= self.y.1
    }

    /// West, south, east, north of the tiles: the list asks `/reports` for this box, so that
    /// it lists exactly the reports the map's `total` counts.
    pub fn bounds(&self) -> [f64; 4] {
        let px = |t: u32| f64::from(t) * TILE_PX;
        pixel_bounds(
            self.z,
            (px(self.x.0), px(self.y.1 + 1)),
            (px(self.x.1 + 1), px(self.y.0)),
        )
    }
}

/// West, south, east, north of the 64-px cell holding `p` at zoom `z`: a cluster's mean lies in
/// the cell of its reports, so this box holds exactly them.
pub fn cell_bounds(p: LatLng, z: u32) -> [f64; 4] {
    let cell = TILE_PX / f64::from(CELLS_PER_TILE_AXIS);
    let (x, y) = project(p, f64::from(z));
    let (x, y) = ((x / cell).floor() * cell, (y / cell).floor() * cell);
    pixel_bounds(z, (x, y + cell), (x + cell, y))
}

/// The box between the world pixels `south_west` and `north_east` at zoom `z`.
fn pixel_bounds(z: u32, south_west: (f64, f64), north_east: (f64, f64)) -> [f64; 4] {
    let zoom = f64::from(z);
    let sw = unproject(south_west.0, south_west.1, zoom);
    let ne = unproject(north_east.0, north_east.1, zoom);
    [sw.lng, sw.lat, ne.lng, ne.lat]
}

/// `bbox=W,S,E,N` for `/reports`.
pub fn bbox_query(b: [f64; 4]) -> String {
    let mut q = String::from("bbox=");
    for (i, v) in b.iter().enumerate() {
        if i > 0 {
            q.push(',');
        }
        q.push_str(&crate::dom::number(*v));
    }
    q
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_view_touches_the_tiles_leaflet_would_load() {
        // 390 × 360 px around a point at zoom 15: three columns, two rows.
        let r = TileRange::covering(15, (4_428_700.0, 2_816_100.0), (4_429_090.0, 2_816_460.0))
            .unwrap();
        assert_eq!(r.x, (17299, 17301));
        assert_eq!(r.y, (11000, 11001));
        assert_eq!(r.query(), "z=15&x=17299-17301&y=11000-11001");
        // A view ending exactly on a tile's edge does not touch the next tile.
        let r = TileRange::covering(3, (0.0, 256.0), (512.0, 768.0)).unwrap();
        assert_eq!((r.x, r.y), ((0, 1), (1, 2)));
    }

    #[test]
    fn ranges_are_clamped_to_the_world_and_the_widest_answer() {
        // Zoomed out beyond the world's edges.
        let r = TileRange::covering(1, (-300.0, -100.0), (900.0, 700.0)).unwrap();
        assert_eq!((r.x, r.y), ((0, 1), (0, 1)));
        let r = TileRange::covering(12, (0.0, 0.0), (40.0 * 256.0, 256.0)).unwrap();
        assert_eq!(r.x, (0, TILES_MAX_PER_AXIS - 1));
        assert_eq!(
            TileRange::covering(12, (10.0, 10.0), (10.0, 10.0)),
            None,
            "hidden"
        );
        assert_eq!(
            TileRange::covering(1, (600.0, 0.0), (900.0, 10.0)),
            None,
            "beside"
        );
    }

    #[test]
    fn a_range_contains_its_parts_at_the_same_zoom() {
        let big = TileRange {
            z: 15,
            x: (10, 14),
            y: (20, 22),
        };
        let part = TileRange {
            z: 15,
            x: (11, 14),
            y: (20, 21),
        };
        assert!(big.contains(&part) && big.contains(&big) && !part.contains(&big));
        assert!(!big.contains(&TileRange { z: 16, ..part }));
    }

    #[test]
    fn boxes_of_tiles_and_cells() {
        let r = TileRange {
            z: 1,
            x: (0, 1),
            y: (0, 0),
        };
        let [w, s, e, n] = r.bounds();
        assert_eq!((w, e), (-180.0, 180.0));
        assert!(s.abs() < 1e-9 && n > 85.0, "{s} {n}");
        let p = LatLng::new(50.552, 9.677);
        let [w, s, e, n] = cell_bounds(p, 15);
        assert!(w < p.lng && p.lng < e && s < p.lat && p.lat < n);
        // 64 px at zoom 15 is 1/2048 of a tile column's 360/2^15 degrees × 4.
        assert!((e - w - 360.0 / 32768.0 / 4.0).abs() < 1e-12);
    }
}
