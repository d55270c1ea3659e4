//! The demo town's streets and addresses. The demo tiles (`http/tiles.rs`) draw a street grid
//! fixed in world coordinates; this names its streets and numbers houses along them, so the
//! demo's address search and "bei Lindenstraße 14" work offline and match the map. Everything
//! is computed from the block position; nothing here is real geodata.

use civickit_model::places::{AddressPoint, PlaceSet, StreetLine};
use civickit_model::{Area, LatLng};

/// Street spacing in world pixels at zoom 16: about 190 m in central Germany.
pub const BLOCK_Z16: f64 = 128.0;
/// World size in pixels at zoom 16.
const WORLD_Z16: f64 = 256.0 * 65_536.0;
/// House plots per block side, the first and last left free (corners belong to the cross
/// street's houses), and how far houses stand from the street's middle (world px, ~12 m).
const HOUSES_PER_SIDE: usize = 7;
const SETBACK: f64 = 8.0;
/// Blocks from the centre with houses; beyond, the streets run through fields.
const BUILT_UP: i64 = 6;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    Houses,
    Park,
    Pond,
}

/// What a block is, from a hash of its position: the same on every tile and zoom level.
pub fn block_kind(bx: i64, by: i64) -> BlockKind {
    let mut h = (bx as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
        ^ (by as u64).wrapping_mul(0xC2B2_AE3D_27D4_EB4F);
    h ^= h >> 29;
    match h.wrapping_mul(0x1656_67B1_9E37_79F9) % 11 {
        0 | 1 => BlockKind::Park,
        2 => BlockKind::Pond,
        _ => BlockKind::Houses,
    }
}

/// Streets running north–south, by block column (the centre column's west edge is index 12).
const NORTH_SOUTH: [&str; 25] = [
    "Am Friedhof",
    "Westring",
    "Ulmenweg",
    "Hohe Straße",
    "Burgstraße",
    "Kapellenweg",
    "Talstraße",
    "Quellenweg",
    "Erlenweg",
    "Hainstraße",
    "Bergstraße",
    "Kirchstraße",
    "Hauptstraße",
    "Poststraße",
    "Bahnhofstraße",
    "Fuldaer Straße",
    "Ringstraße",
    "Lessingstraße",
    "Mozartstraße",
    "Beethovenweg",
    "Am Bach",
    "Industriestraße",
    "Gewerbestraße",
    "Ostring",
    "Zum Steinbruch",
];
/// Streets running west–east, by block row (the centre row's north edge is index 12).
const WEST_EAST: [&str; 25] = [
    "Am Sportplatz",
    "Waldweg",
    "Birkenweg",
    "Eichenweg",
    "Am Anger",
    "Schillerstraße",
    "Goethestraße",
    "Rosenweg",
    "Tulpenweg",
    "Kirchgasse",
    "Marktstraße",
    "Schulstraße",
    "Lindenstraße",
    "Gartenstraße",
    "Mühlenweg",
    "Brunnenstraße",
    "Am Rathaus",
    "Uhlandstraße",
    "Ahornweg",
    "Buchenweg",
    "Feldstraße",
    "Wiesenweg",
    "Kastanienallee",
    "Fasanenweg",
    "Am Hang",
];

fn center_block() -> (i64, i64) {
    let (x, y) = world(crate::demo::CENTER);
    (
        (x / BLOCK_Z16).floor() as i64,
        (y / BLOCK_Z16).floor() as i64,
    )
}

/// The north–south street on the west edge of block column `bx`.
pub fn north_south_name(bx: i64) -> &'static str {
    NORTH_SOUTH[(bx - center_block().0 + 12).rem_euclid(25) as usize]
}

/// The west–east street on the north edge of block row `by`.
pub fn west_east_name(by: i64) -> &'static str {
    WEST_EAST[(by - center_block().1 + 12).rem_euclid(25) as usize]
}

/// Web Mercator world pixels at zoom 16.
pub fn world(p: LatLng) -> (f64, f64) {
    let x = (p.lng + 180.0) / 360.0 * WORLD_Z16;
    let s = p.lat.to_radians().sin();
    let y = (0.5 - ((1.0 + s) / (1.0 - s)).ln() / (4.0 * std::f64::consts::PI)) * WORLD_Z16;
    (x, y)
}

fn position(x: f64, y: f64) -> LatLng {
    let lng = x / WORLD_Z16 * 360.0 - 180.0;
    let n = std::f64::consts::PI * (1.0 - 2.0 * y / WORLD_Z16);
    let lat = n.sinh().atan().to_degrees();
    LatLng::new((lat * 1e6).round() / 1e6, (lng * 1e6).round() / 1e6)
}

/// Every street of the grid that crosses the area (as a line), and houses along the streets
/// of the built-up centre: odd numbers on the west/north side, even on the east/south side,
/// counted from the north/west end, on blocks the tiles draw as houses.
pub fn demo_places(area: &Area) -> PlaceSet {
    let (cx, cy) = center_block();
    let bbox = area.bbox();
    let (west, north) = world(LatLng::new(bbox.north, bbox.west));
    let (east, south) = world(LatLng::new(bbox.south, bbox.east));
    let (bx0, bx1) = (
        (west / BLOCK_Z16).ceil() as i64,
        (east / BLOCK_Z16).floor() as i64,
    );
    let (by0, by1) = (
        (north / BLOCK_Z16).ceil() as i64,
        (south / BLOCK_Z16).floor() as i64,
    );
    let mut set = PlaceSet::default();
    let mut street = |name: &str, a: (f64, f64), b: (f64, f64)| {
        set.streets.push(StreetLine {
            name: name.into(),
            points: vec![position(a.0, a.1), position(b.0, b.1)],
        })
    };
    for bx in bx0..=bx1 {
        let x = bx as f64 * BLOCK_Z16;
        street(north_south_name(bx), (x, north), (x, south));
    }
    for by in by0..=by1 {
        let y = by as f64 * BLOCK_Z16;
        street(west_east_name(by), (west, y), (east, y));
    }
    // North–south streets: houses on the blocks west (odd) and east (even) of them.
    for bx in cx - BUILT_UP..=cx + BUILT_UP + 1 {
        let x = bx as f64 * BLOCK_Z16;
        let rows = (cy - BUILT_UP..=cy + BUILT_UP).map(|by| (by, by as f64 * BLOCK_Z16));
        houses(&mut set, north_south_name(bx), rows, |by, t, side| {
            let block = if side == 0 { (bx - 1, by) } else { (bx, by) };
            let dx = if side == 0 { -SETBACK } else { SETBACK };
            (block, (x + dx, t))
        });
    }
    // West–east streets: houses on the blocks north (odd) and south (even) of them.
    for by in cy - BUILT_UP..=cy + BUILT_UP + 1 {
        let y = by as f64 * BLOCK_Z16;
        let columns = (cx - BUILT_UP..=cx + BUILT_UP).map(|bx| (bx, bx as f64 * BLOCK_Z16));
        houses(&mut set, west_east_name(by), columns, |bx, t, side| {
            let block = if side == 0 { (bx, by - 1) } else { (bx, by) };
            let dy = if side == 0 { -SETBACK } else { SETBACK };
            (block, (t, y + dy))
        });
    }
    set.addresses.retain(|a| area.contains(&a.position));
    set
}

/// Numbers the houses along one street. `segments` are the blocks along it with where each
/// starts; `place(block index, position along, side)` gives the block a house stands on and
/// its world position.
fn houses(
    set: &mut PlaceSet,
    name: &str,
    segments: impl Iterator<Item = (i64, f64)>,
    place: impl Fn(i64, f64, usize) -> ((i64, i64), (f64, f64)),
) {
    let mut next = [1u32, 2u32];
    for (segment, start) in segments {
        for k in 1..HOUSES_PER_SIDE - 1 {
            let t = start + BLOCK_Z16 * (k as f64 + 0.5) / HOUSES_PER_SIDE as f64;
            for (side, number) in next.iter_mut().enumerate() {
                let ((bx, by), (x, y)) = place(segment, t, side);
                if block_kind(bx, by) == BlockKind::Houses {
                    set.addresses.push(AddressPoint {
                        street: name.into(),
                        housenumber: number.to_string(),
                        position: position(x, y),
                    });
                    *number += 2;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_town_has_streets_and_numbered_houses() {
        let set = demo_places(&crate::demo::area());
        assert!(set.addresses.len() > 1000, "{}", set.addresses.len());
        assert!(set.streets.len() >= 40, "{}", set.streets.len());
        let linden: Vec<_> = set
            .addresses
            .iter()
            .filter(|a| a.street == "Lindenstraße")
            .map(|a| a.housenumber.as_str())
            .collect();
        assert!(
            linden.contains(&"1") && linden.contains(&"14"),
            "{linden:?}"
        );
        // Unique addresses.
        let mut seen = std::collections::HashSet::new();
        assert!(set
            .addresses
            .iter()
            .all(|a| seen.insert((&a.street, &a.housenumber))));
    }

    #[test]
    fn world_pixels_round_trip() {
        let p = LatLng::new(50.552, 9.677);
        let (x, y) = world(p);
        assert_eq!(position(x, y), p);
    }
}
