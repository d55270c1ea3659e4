//! Reading a town boundary file (GeoJSON, as exported by OpenStreetMap tools or the BKG) in
//! the browser, before anything is sent: which geometry it holds and how big it is, so the
//! admin sees "MultiPolygon, 2 Teile, 154 Punkte" next to the map preview. The server checks
//! the geometry itself (self-intersections, the centre inside) when it is saved; this only
//! refuses what is not a polygon at all, so a wrong file is named at once.

use serde_json::{json, Value};

/// What a boundary file holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AreaSummary {
    /// `Polygon` or `MultiPolygon`.
    pub kind: &'static str,
    /// Separate pieces of land (a town with an exclave has two).
    pub parts: usize,
    /// Corners of every ring, each counted once (the closing repeat of a ring's first corner
    /// is not a corner of its own).
    pub points: usize,
}

/// Why a file cannot be a boundary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AreaProblem {
    NotJson,
    /// Valid JSON, but no Polygon or MultiPolygon in it (a point, a line, an empty collection).
    NoPolygon,
}

/// Reads a boundary file: the geometry to send (a `Feature` or `FeatureCollection` is
/// unwrapped; several polygons become one `MultiPolygon`) and its summary.
pub fn read_area(text: &str) -> Result<(Value, AreaSummary), AreaProblem> {
    let value: Value = serde_json::from_str(text).map_err(|_| AreaProblem::NotJson)?;
    let geometry = geometry_of(&value).ok_or(AreaProblem::NoPolygon)?;
    let summary = summarise(&geometry).ok_or(AreaProblem::NoPolygon)?;
    Ok((geometry, summary))
}

/// The summary of a stored geometry (`Town::area`), `None` if it is not a polygon.
pub fn summarise(geometry: &Value) -> Option<AreaSummary> {
    let polygons: Vec<&Value> = match geometry["type"].as_str()? {
        "Polygon" => vec![&geometry["coordinates"]],
        "MultiPolygon" => geometry["coordinates"].as_array()?.iter().collect(),
        _ => return None,
    };
    let mut points = 0;
    for polygon in &polygons {
        for ring in polygon.as_array()? {
            let ring = ring.as_array()?;
            let closed = ring.len() > 1 && ring.first() == ring.last();
            points += ring.len() - usize::from(closed);
        }
    }
    let kind = if geometry["type"] == "Polygon" {
        "Polygon"
    } else {
        "MultiPolygon"
    };
    (points > 0).then_some(AreaSummary {
        kind,
        parts: polygons.len(),
        points,
    })
}

/// The one polygon geometry in a GeoJSON value.
fn geometry_of(value: &Value) -> Option<Value> {
    match value["type"].as_str()? {
        "Polygon" | "MultiPolygon" => Some(value.clone()),
        "Feature" => geometry_of(&value["geometry"]),
        "FeatureCollection" => {
            let mut parts = Vec::new();
            for feature in value["features"].as_array()? {
                let Some(g) = geometry_of(feature) else {
                    continue;
                };
                match g["type"].as_str() {
                    Some("Polygon") => parts.push(g["coordinates"].clone()),
                    _ => parts.extend(g["coordinates"].as_array().cloned().unwrap_or_default()),
                }
            }
            match parts.len() {
                0 => None,
                1 => Some(json!({"type": "Polygon", "coordinates": parts[0]})),
                _ => Some(json!({"type": "MultiPolygon", "coordinates": parts})),
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(lng: f64, lat: f64) -> Value {
        json!([[
            [lng, lat],
            [lng + 0.01, lat],
            [lng + 0.01, lat + 0.01],
            [lng, lat + 0.01],
            [lng, lat]
        ]])
    }

    #[test]
    fn a_town_with_an_exclave_reads_as_two_parts() {
        let text = json!({"type": "MultiPolygon", "coordinates": [square(10.0, 51.0), square(10.1, 51.1)]})
            .to_string();
        let (geometry, summary) = read_area(&text).unwrap();
        assert_eq!(geometry["type"], "MultiPolygon");
        assert_eq!(
            summary,
            AreaSummary {
                kind: "MultiPolygon",
                parts: 2,
                points: 8
            }
        );
    }

    #[test]
    fn features_are_unwrapped_and_collections_joined() {
        let feature = json!({"type": "Feature", "properties": {"name": "Kleinhausen"},
            "geometry": {"type": "Polygon", "coordinates": square(10.0, 51.0)}});
        let (geometry, summary) = read_area(&feature.to_string()).unwrap();
        assert_eq!(geometry["type"], "Polygon");
        assert_eq!((summary.parts, summary.points), (1, 4));

        let collection = json!({"type": "FeatureCollection", "features": [
            feature,
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [10.0, 51.0]}},
            {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": square(10.2, 51.0)}},
        ]});
        let (geometry, summary) = read_area(&collection.to_string()).unwrap();
        assert_eq!(geometry["type"], "MultiPolygon");
        assert_eq!((summary.kind, summary.parts), ("MultiPolygon", 2));
    }

    #[test]
    fn files_without_a_polygon_are_named_as_such() {
        assert_eq!(read_area("<kml/>"), Err(AreaProblem::NotJson));
        let point = json!({"type": "Point", "coordinates": [10.0, 51.0]}).to_string();
        assert_eq!(read_area(&point), Err(AreaProblem::NoPolygon));
        let empty = json!({"type": "FeatureCollection", "features": []}).to_string();
        assert_eq!(read_area(&empty), Err(AreaProblem::NoPolygon));
        let hollow = json!({"type": "Polygon", "coordinates": []}).to_string();
        assert_eq!(read_area(&hollow), Err(AreaProblem::NoPolygon));
    }
}
