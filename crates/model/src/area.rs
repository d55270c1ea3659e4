//! A tenant's area: the town (or county) boundary as a MultiPolygon with holes, because real
//! boundaries have exclaves (a second part) and enclaves (a hole that belongs to a neighbour).
//! Reports outside it are refused, because nobody there could act on them.

use crate::{BBox, LatLng};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::fmt;

/// Most corners an area may have in all: a detailed municipal boundary from OpenStreetMap or
/// the BKG has a few thousand; the limit keeps the validation and the widgets' config small.
pub const MAX_CORNERS: usize = 50_000;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "StoredArea")]
pub struct Area {
    /// One or more parts; a point is inside if it is inside any part.
    pub polygons: Vec<Polygon>,
}

/// One part of an area: the outer ring and the holes cut out of it. Rings are corner lists in
/// order; the closing corner may be repeated or not.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Polygon {
    pub outer: Vec<LatLng>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub holes: Vec<Vec<LatLng>>,
}

/// What the database may hold: before MultiPolygons (issue 11) an area was `{"ring": […]}`,
/// and existing databases keep those rows.
#[derive(Deserialize)]
#[serde(untagged)]
enum StoredArea {
    Parts { polygons: Vec<Polygon> },
    Ring { ring: Vec<LatLng> },
}

impl From<StoredArea> for Area {
    fn from(s: StoredArea) -> Area {
        match s {
            StoredArea::Parts { polygons } => Area { polygons },
            StoredArea::Ring { ring } => Area::new(ring),
        }
    }
}

/// Why an area cannot be a town's boundary; `Display` says where, for the command line.
#[derive(Debug, Clone, PartialEq)]
pub enum AreaProblem {
    Empty,
    InvalidCorner(LatLng),
    TooFewCorners {
        part: usize,
        ring: usize,
    },
    SelfIntersecting {
        part: usize,
        ring: usize,
        near: LatLng,
    },
    TooManyCorners,
    /// The GeoJSON is not a Polygon or MultiPolygon (or a Feature/FeatureCollection of them).
    NotGeoJson(String),
}

impl fmt::Display for AreaProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Parts and rings are counted from 1 as a person reads them; ring 1 is the outer one.
        match self {
            AreaProblem::Empty => write!(f, "the area has no polygon"),
            AreaProblem::InvalidCorner(p) => {
                write!(f, "corner {},{} is not a WGS84 position", p.lat, p.lng)
            }
            AreaProblem::TooFewCorners { part, ring } => write!(
                f,
                "ring {} of part {} needs at least three distinct corners",
                ring + 1,
                part + 1
            ),
            AreaProblem::SelfIntersecting { part, ring, near } => write!(
                f,
                "ring {} of part {} crosses itself near {:.5},{:.5}",
                ring + 1,
                part + 1,
                near.lat,
                near.lng
            ),
            AreaProblem::TooManyCorners => {
                write!(f, "the area has more than {MAX_CORNERS} corners")
            }
            AreaProblem::NotGeoJson(why) => write!(f, "not a GeoJSON polygon: {why}"),
        }
    }
}

impl Area {
    /// An area of one polygon without holes.
    pub fn new(ring: Vec<LatLng>) -> Area {
        Area {
            polygons: vec![Polygon {
                outer: ring,
                holes: Vec::new(),
            }],
        }
    }

    fn rings(&self) -> impl Iterator<Item = &Vec<LatLng>> {
        self.polygons
            .iter()
            .flat_map(|p| std::iter::once(&p.outer).chain(p.holes.iter()))
    }

    /// Cheap shape check for reading: at least one part, every ring with three valid corners.
    /// [`Area::check`] is the full validation for a new boundary.
    pub fn is_valid(&self) -> bool {
        !self.polygons.is_empty()
            && self
                .rings()
                .all(|r| r.len() >= 3 && r.iter().all(LatLng::is_valid))
    }

    /// Everything a boundary must be: not empty, valid corners, each ring with at least three
    /// distinct corners and not crossing itself.
    pub fn check(&self) -> Result<(), AreaProblem> {
        if self.polygons.is_empty() {
            return Err(AreaProblem::Empty);
        }
        if self.rings().map(Vec::len).sum::<usize>() > MAX_CORNERS {
            return Err(AreaProblem::TooManyCorners);
        }
        for (part, polygon) in self.polygons.iter().enumerate() {
            let rings = std::iter::once(&polygon.outer).chain(polygon.holes.iter());
            for (ring, corners) in rings.enumerate() {
                if let Some(bad) = corners.iter().find(|p| !p.is_valid()) {
                    return Err(AreaProblem::InvalidCorner(*bad));
                }
                let open = open_ring(corners);
                let mut distinct = open.clone();
                distinct.sort_by(|a, b| a.lat.total_cmp(&b.lat).then(a.lng.total_cmp(&b.lng)));
                distinct.dedup();
                if distinct.len() < 3 {
                    return Err(AreaProblem::TooFewCorners { part, ring });
                }
                if let Some(near) = self_intersection(&open) {
                    return Err(AreaProblem::SelfIntersecting { part, ring, near });
                }
            }
        }
        Ok(())
    }

    pub fn bbox(&self) -> BBox {
        let mut b = BBox {
            south: f64::INFINITY,
            west: f64::INFINITY,
            north: f64::NEG_INFINITY,
            east: f64::NEG_INFINITY,
        };
        for p in self.polygons.iter().flat_map(|p| &p.outer) {
            b.south = b.south.min(p.lat);
            b.north = b.north.max(p.lat);
            b.west = b.west.min(p.lng);
            b.east = b.east.max(p.lng);
        }
        b
    }

    /// Inside some part's outer ring and in none of its holes. Even-odd ray casting; points
    /// exactly on an edge may fall either way, which does not matter at a town's scale.
    pub fn contains(&self, p: &LatLng) -> bool {
        if !self.is_valid() || !p.is_valid() || !self.bbox().contains(p) {
            return false;
        }
        self.polygons.iter().any(|part| {
            ring_contains(&part.outer, p) && !part.holes.iter().any(|h| ring_contains(h, p))
        })
    }

    /// Reads a GeoJSON `Polygon` or `MultiPolygon` (`[lng, lat]` order), or a `Feature` or
    /// `FeatureCollection` holding them (all their parts become one area), as exported by
    /// OpenStreetMap tools and the BKG. Shape only: call [`Area::check`] for the rules.
    pub fn from_geojson(value: &Value) -> Result<Area, AreaProblem> {
        let mut polygons = Vec::new();
        collect_polygons(value, &mut polygons, 0)?;
        Ok(Area { polygons })
    }

    /// The area as a GeoJSON geometry with closed rings: a `Polygon` when it has one part,
    /// else a `MultiPolygon`.
    pub fn to_geojson(&self) -> Value {
        let ring = |r: &Vec<LatLng>| -> Value {
            let mut corners: Vec<Value> =
                open_ring(r).iter().map(|p| json!([p.lng, p.lat])).collect();
            if let Some(first) = corners.first().cloned() {
                corners.push(first);
            }
            Value::Array(corners)
        };
        let polygon = |p: &Polygon| -> Value {
            Value::Array(
                std::iter::once(&p.outer)
                    .chain(&p.holes)
                    .map(ring)
                    .collect(),
            )
        };
        match &self.polygons[..] {
            [one] => json!({"type": "Polygon", "coordinates": polygon(one)}),
            parts => json!({
                "type": "MultiPolygon",
                "coordinates": parts.iter().map(polygon).collect::<Vec<_>>(),
            }),
        }
    }
}

/// The ring without repeated corners (the closing one, or a corner given twice in a row).
fn open_ring(ring: &[LatLng]) -> Vec<LatLng> {
    let mut open = ring.to_vec();
    open.dedup();
    while open.len() > 1 && open.first() == open.last() {
        open.pop();
    }
    open
}

fn ring_contains(ring: &[LatLng], p: &LatLng) -> bool {
    if ring.len() < 3 {
        return false;
    }
    let mut inside = false;
    let mut j = ring.len() - 1;
    for i in 0..ring.len() {
        let (a, b) = (ring[i], ring[j]);
        if (a.lat > p.lat) != (b.lat > p.lat)
            && p.lng < (b.lng - a.lng) * (p.lat - a.lat) / (b.lat - a.lat) + a.lng
        {
            inside = !inside;
        }
        j = i;
    }
    inside
}

/// Where two edges of a closed ring that are not neighbours touch or cross, if anywhere.
/// Edges sorted by their west end are compared only with those whose longitudes overlap, so a
/// boundary of thousands of corners is checked in milliseconds, not in n² steps.
fn self_intersection(ring: &[LatLng]) -> Option<LatLng> {
    let n = ring.len();
    let edge = |i: usize| (ring[i], ring[(i + 1) % n]);
    let west = |i: usize| ring[i].lng.min(ring[(i + 1) % n].lng);
    let east = |i: usize| ring[i].lng.max(ring[(i + 1) % n].lng);
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| west(a).total_cmp(&west(b)));
    for (k, &i) in order.iter().enumerate() {
        for &j in &order[k + 1..] {
            if west(j) > east(i) {
                break;
            }
            let neighbours = (i + 1) % n == j || (j + 1) % n == i;
            if neighbours {
                // Neighbours share a corner; they only clash if they fold back onto each other.
                let (first, second) = if (i + 1) % n == j { (i, j) } else { (j, i) };
                let ((a, b), (_, c)) = (edge(first), edge(second));
                if orientation(a, b, c) == 0.0 && folds_back(a, b, c) {
                    return Some(b);
                }
                continue;
            }
            let (a, b) = edge(i);
            let (c, d) = edge(j);
            if segments_touch(a, b, c, d) {
                return Some(a);
            }
        }
    }
    None
}

fn orientation(a: LatLng, b: LatLng, c: LatLng) -> f64 {
    (b.lng - a.lng) * (c.lat - a.lat) - (b.lat - a.lat) * (c.lng - a.lng)
}

/// Whether going a → b → c on one line turns back (c lies on a → b's side of b).
fn folds_back(a: LatLng, b: LatLng, c: LatLng) -> bool {
    (b.lng - a.lng) * (c.lng - b.lng) + (b.lat - a.lat) * (c.lat - b.lat) < 0.0
}

fn on_segment(a: LatLng, b: LatLng, p: LatLng) -> bool {
    p.lng >= a.lng.min(b.lng)
        && p.lng <= a.lng.max(b.lng)
        && p.lat >= a.lat.min(b.lat)
        && p.lat <= a.lat.max(b.lat)
}

fn segments_touch(a: LatLng, b: LatLng, c: LatLng, d: LatLng) -> bool {
    let (o1, o2) = (orientation(a, b, c), orientation(a, b, d));
    let (o3, o4) = (orientation(c, d, a), orientation(c, d, b));
    if ((o1 > 0.0 && o2 < 0.0) || (o1 < 0.0 && o2 > 0.0))
        && ((o3 > 0.0 && o4 < 0.0) || (o3 < 0.0 && o4 > 0.0))
    {
        return true;
    }
    (o1 == 0.0 && on_segment(a, b, c))
        || (o2 == 0.0 && on_segment(a, b, d))
        || (o3 == 0.0 && on_segment(c, d, a))
        || (o4 == 0.0 && on_segment(c, d, b))
}

fn collect_polygons(value: &Value, out: &mut Vec<Polygon>, depth: u8) -> Result<(), AreaProblem> {
    let bad = |why: &str| AreaProblem::NotGeoJson(why.to_string());
    if depth > 2 {
        return Err(bad("features nested too deeply"));
    }
    let kind = value.get("type").and_then(Value::as_str).unwrap_or("");
    match kind {
        "Polygon" => out.push(polygon(value.get("coordinates"))?),
        "MultiPolygon" => {
            let parts = value
                .get("coordinates")
                .and_then(Value::as_array)
                .ok_or_else(|| bad("a MultiPolygon needs coordinates"))?;
            for part in parts {
                out.push(polygon(Some(part))?);
            }
        }
        "Feature" => collect_polygons(
            value
                .get("geometry")
                .ok_or_else(|| bad("a Feature needs a geometry"))?,
            out,
            depth + 1,
        )?,
        "FeatureCollection" => {
            let features = value
                .get("features")
                .and_then(Value::as_array)
                .ok_or_else(|| bad("a FeatureCollection needs features"))?;
            for f in features {
                collect_polygons(f, out, depth + 1)?;
            }
        }
        "" => return Err(bad("no \"type\"")),
        other => {
            return Err(AreaProblem::NotGeoJson(format!(
                "a {other} is no area; use a Polygon or MultiPolygon"
            )))
        }
    }
    Ok(())
}

/// `[[[lng, lat], …], …]`: the outer ring, then the holes.
fn polygon(coordinates: Option<&Value>) -> Result<Polygon, AreaProblem> {
    let bad = |why: &str| AreaProblem::NotGeoJson(why.to_string());
    let rings = coordinates
        .and_then(Value::as_array)
        .ok_or_else(|| bad("a polygon's coordinates must be a list of rings"))?;
    let mut rings = rings.iter().map(|r| {
        r.as_array()
            .ok_or_else(|| bad("a ring must be a list of positions"))?
            .iter()
            .map(|p| match p.as_array().map(Vec::as_slice) {
                Some([lng, lat, ..]) => match (lng.as_f64(), lat.as_f64()) {
                    (Some(lng), Some(lat)) => Ok(LatLng::new(lat, lng)),
                    _ => Err(bad("a position must be [longitude, latitude]")),
                },
                _ => Err(bad("a position must be [longitude, latitude]")),
            })
            .collect::<Result<Vec<_>, _>>()
    });
    let outer = rings
        .next()
        .ok_or_else(|| bad("a polygon needs a ring"))??;
    Ok(Polygon {
        outer,
        holes: rings.collect::<Result<_, _>>()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(south: f64, west: f64, size: f64) -> Vec<LatLng> {
        vec![
            LatLng::new(south, west),
            LatLng::new(south, west + size),
            LatLng::new(south + size, west + size),
            LatLng::new(south + size, west),
        ]
    }

    fn triangle() -> Area {
        Area::new(vec![
            LatLng::new(50.0, 10.0),
            LatLng::new(50.0, 11.0),
            LatLng::new(51.0, 10.5),
        ])
    }

    /// A town with a hole (a neighbour's enclave) and an exclave to the east.
    fn town_with_exclave() -> Area {
        Area {
            polygons: vec![
                Polygon {
                    outer: square(50.0, 10.0, 1.0),
                    holes: vec![square(50.4, 10.4, 0.2)],
                },
                Polygon {
                    outer: square(50.0, 12.0, 0.5),
                    holes: Vec::new(),
                },
            ],
        }
    }

    #[test]
    fn polygon_contains() {
        let a = triangle();
        assert!(a.contains(&LatLng::new(50.3, 10.5)));
        assert!(
            !a.contains(&LatLng::new(50.9, 10.05)),
            "inside bbox, outside triangle"
        );
        assert!(!a.contains(&LatLng::new(49.0, 10.5)));
        assert!(!a.contains(&LatLng::new(f64::NAN, 10.5)));
    }

    #[test]
    fn multipolygon_contains_the_exclave_but_not_the_gap_or_the_hole() {
        let a = town_with_exclave();
        assert!(a.contains(&LatLng::new(50.1, 10.1)), "main part");
        assert!(a.contains(&LatLng::new(50.2, 12.2)), "exclave");
        assert!(!a.contains(&LatLng::new(50.2, 11.5)), "between the parts");
        assert!(!a.contains(&LatLng::new(50.5, 10.5)), "in the hole");
        let b = a.bbox();
        assert_eq!((b.south, b.west, b.north, b.east), (50.0, 10.0, 51.0, 12.5));
        assert_eq!(a.check(), Ok(()));
    }

    #[test]
    fn old_stored_ring_still_reads() {
        let old =
            r#"{"ring":[{"lat":50.0,"lng":10.0},{"lat":50.0,"lng":11.0},{"lat":51.0,"lng":10.5}]}"#;
        let a: Area = serde_json::from_str(old).unwrap();
        assert_eq!(a, triangle());
        let again: Area = serde_json::from_str(&serde_json::to_string(&a).unwrap()).unwrap();
        assert_eq!(again, a);
    }

    #[test]
    fn geojson_round_trips() {
        let a = town_with_exclave();
        let g = a.to_geojson();
        assert_eq!(g["type"], "MultiPolygon");
        assert_eq!(g["coordinates"][0][0][0], json!([10.0, 50.0]));
        assert_eq!(
            g["coordinates"][0][0][4],
            json!([10.0, 50.0]),
            "rings are closed"
        );
        let back = Area::from_geojson(&g).unwrap();
        assert!(back.contains(&LatLng::new(50.2, 12.2)));
        assert!(!back.contains(&LatLng::new(50.5, 10.5)));
        assert_eq!(back.check(), Ok(()));
        let single = triangle().to_geojson();
        assert_eq!(single["type"], "Polygon");
    }

    #[test]
    fn geojson_features_are_unwrapped() {
        let collection = json!({"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {"name": "A"}, "geometry":
                {"type": "Polygon", "coordinates": [[[10.0, 50.0], [11.0, 50.0], [10.5, 51.0], [10.0, 50.0]]]}},
            {"type": "Feature", "properties": {}, "geometry":
                {"type": "MultiPolygon", "coordinates": [[[[12.0, 50.0], [12.5, 50.0], [12.2, 50.5]]]]}}
        ]});
        let a = Area::from_geojson(&collection).unwrap();
        assert_eq!(a.polygons.len(), 2);
        for bad in [
            json!({"type": "Point", "coordinates": [10.0, 50.0]}),
            json!({"type": "Polygon"}),
            json!({"type": "Polygon", "coordinates": [[["x", 50.0]]]}),
            json!([1, 2]),
        ] {
            assert!(
                matches!(Area::from_geojson(&bad), Err(AreaProblem::NotGeoJson(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn bad_boundaries_are_refused_with_a_reason() {
        assert_eq!(Area { polygons: vec![] }.check(), Err(AreaProblem::Empty));
        let two_corners = Area::new(vec![
            LatLng::new(50.0, 10.0),
            LatLng::new(50.0, 11.0),
            LatLng::new(50.0, 10.0),
        ]);
        assert_eq!(
            two_corners.check(),
            Err(AreaProblem::TooFewCorners { part: 0, ring: 0 })
        );
        // A bow tie: its edges cross in the middle.
        let bow_tie = Area::new(vec![
            LatLng::new(50.0, 10.0),
            LatLng::new(51.0, 11.0),
            LatLng::new(51.0, 10.0),
            LatLng::new(50.0, 11.0),
        ]);
        assert!(matches!(
            bow_tie.check(),
            Err(AreaProblem::SelfIntersecting { .. })
        ));
        let message = bow_tie.check().unwrap_err().to_string();
        assert!(message.contains("crosses itself"), "{message}");
        let off_earth = Area::new(vec![
            LatLng::new(95.0, 10.0),
            LatLng::new(50.0, 11.0),
            LatLng::new(51.0, 10.0),
        ]);
        assert!(matches!(
            off_earth.check(),
            Err(AreaProblem::InvalidCorner(_))
        ));
        assert_eq!(triangle().check(), Ok(()));
    }

    #[test]
    fn a_large_ring_is_checked_quickly() {
        // A 5000-corner circle, the size of a detailed municipal boundary.
        let ring: Vec<LatLng> = (0..5000)
            .map(|i| {
                let t = i as f64 / 5000.0 * std::f64::consts::TAU;
                LatLng::new(50.0 + 0.05 * t.sin(), 10.0 + 0.08 * t.cos())
            })
            .collect();
        assert_eq!(Area::new(ring).check(), Ok(()));
    }
}
