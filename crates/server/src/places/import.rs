//! Reading a town's address file: GeoJSON (an OpenStreetMap export: points, or building
//! polygons, with `addr:street`/`addr:housenumber`, or `street`/`housenumber`; named
//! LineStrings as streets) or CSV (`street,housenumber,lat,lng`, the layout of the states'
//! "Hauskoordinaten" after conversion to WGS84; `;` and decimal commas work too). Every
//! malformed row is reported with its line; whether the rest may be imported is the caller's
//! decision (`--skip-invalid`).

use civickit_model::places::{AddressPoint, PlaceSet, StreetLine};
use civickit_model::{Area, LatLng};
use serde_json::value::RawValue;
use serde_json::Value;

const MAX_STREET: usize = 120;
const MAX_NUMBER: usize = 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    GeoJson,
    Csv,
}

impl Format {
    /// By file name: `.csv`, else GeoJSON (`.geojson`, `.json`).
    pub fn guess(name: &str) -> Format {
        if name.to_ascii_lowercase().ends_with(".csv") {
            Format::Csv
        } else {
            Format::GeoJson
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct RowError {
    pub line: usize,
    pub message: String,
}

#[derive(Debug, Default)]
pub struct Parsed {
    pub set: PlaceSet,
    /// Rows that are neither an address nor a named street (a bench, a nameless path).
    pub ignored: usize,
    pub rows: usize,
    pub errors: Vec<RowError>,
}

/// The whole file could not be read (not JSON, no header): nothing to import at all.
pub type FileError = String;

pub fn parse(text: &str, format: Format, area: &Area) -> Result<Parsed, FileError> {
    match format {
        Format::GeoJson => geojson(text, area),
        Format::Csv => csv(text, area),
    }
}

/// The line at `offset`; an offset on a line break (where the CSV reader starts a record after
/// a CRLF) counts as the next line.
fn line_of(text: &str, offset: usize) -> usize {
    let bytes = text.as_bytes();
    let mut offset = offset.min(bytes.len());
    while offset < bytes.len() && matches!(bytes[offset], b'\r' | b'\n') {
        offset += 1;
    }
    1 + bytes[..offset].iter().filter(|&&b| b == b'\n').count()
}

#[derive(serde::Deserialize)]
struct Collection<'a> {
    #[serde(rename = "type")]
    kind: String,
    #[serde(borrow)]
    features: Vec<&'a RawValue>,
}

fn geojson(text: &str, area: &Area) -> Result<Parsed, FileError> {
    let collection: Collection =
        serde_json::from_str(text).map_err(|e| format!("not a GeoJSON FeatureCollection: {e}"))?;
    if collection.kind != "FeatureCollection" {
        return Err(format!(
            "not a GeoJSON FeatureCollection (\"type\": {:?})",
            collection.kind
        ));
    }
    let mut parsed = Parsed::default();
    for raw in collection.features {
        parsed.rows += 1;
        // The raw feature is a slice of `text`: its offset gives the line to report.
        let line = line_of(text, raw.get().as_ptr() as usize - text.as_ptr() as usize);
        match feature(raw.get(), area) {
            Ok(Some(Row::Address(a))) => parsed.set.addresses.push(a),
            Ok(Some(Row::Streets(lines))) => parsed.set.streets.extend(lines),
            Ok(None) => parsed.ignored += 1,
            Err(message) => parsed.errors.push(RowError { line, message }),
        }
    }
    // A building polygon and an entrance point for one address: keep the first.
    let mut seen = std::collections::HashSet::new();
    parsed
        .set
        .addresses
        .retain(|a| seen.insert((a.street.clone(), a.housenumber.clone())));
    Ok(parsed)
}

enum Row {
    Address(AddressPoint),
    Streets(Vec<StreetLine>),
}

fn feature(raw: &str, area: &Area) -> Result<Option<Row>, String> {
    let f: Value = serde_json::from_str(raw).map_err(|e| format!("not JSON: {e}"))?;
    let props = f.get("properties").cloned().unwrap_or(Value::Null);
    let text = |keys: &[&str]| -> Option<String> {
        keys.iter().find_map(|k| match props.get(*k) {
            Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
            Some(Value::Number(n)) => Some(n.to_string()),
            _ => None,
        })
    };
    let street = text(&["addr:street", "street"]);
    let number = text(&["addr:housenumber", "housenumber"]);
    let name = text(&["name"]);
    let geometry = f.get("geometry").unwrap_or(&Value::Null);
    let kind = geometry.get("type").and_then(Value::as_str).unwrap_or("");
    let coords = geometry.get("coordinates").unwrap_or(&Value::Null);
    if let Some(number) = number {
        let street = street.ok_or("a house number without addr:street")?;
        let position = match kind {
            "Point" => point(coords)?,
            "Polygon" => centroid(coords.get(0).unwrap_or(&Value::Null))?,
            "MultiPolygon" => centroid(coords.pointer("/0/0").unwrap_or(&Value::Null))?,
            other => {
                return Err(format!(
                    "an address needs a Point or Polygon, not {other:?}"
                ))
            }
        };
        return Ok(Some(Row::Address(address(street, number, position, area)?)));
    }
    let lines = match kind {
        "LineString" => vec![coords],
        "MultiLineString" => coords
            .as_array()
            .map(|a| a.iter().collect())
            .unwrap_or_default(),
        _ => return Ok(None),
    };
    let Some(name) = name.or(street) else {
        return Ok(None);
    };
    // A county extract brings the neighbours' roads too: those are not ours, and no error.
    if !lines.iter().any(|l| {
        l.as_array()
            .into_iter()
            .flatten()
            .any(|p| point(p).is_ok_and(|p| area.contains(&p)))
    }) {
        return Ok(None);
    }
    check_text("name", &name, MAX_STREET)?;
    let streets = lines
        .into_iter()
        .map(|line| {
            let points = line
                .as_array()
                .ok_or("a LineString without coordinates")?
                .iter()
                .map(point)
                .collect::<Result<Vec<_>, _>>()?;
            if points.len() < 2 {
                return Err("a LineString needs two points".to_string());
            }
            Ok(StreetLine {
                name: name.clone(),
                points,
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    Ok(Some(Row::Streets(streets)))
}

/// GeoJSON order: longitude first.
fn point(v: &Value) -> Result<LatLng, String> {
    match v.as_array().map(|a| a.as_slice()) {
        Some([lng, lat, ..]) => position(
            lat.as_f64().ok_or("coordinates must be numbers")?,
            lng.as_f64().ok_or("coordinates must be numbers")?,
        ),
        _ => Err("a Point needs [longitude, latitude]".into()),
    }
}

/// The mean of a building's outline: inside for the usual compact house.
fn centroid(ring: &Value) -> Result<LatLng, String> {
    let points = ring
        .as_array()
        .ok_or("a Polygon without coordinates")?
        .iter()
        .map(point)
        .collect::<Result<Vec<_>, _>>()?;
    if points.is_empty() {
        return Err("a Polygon without coordinates".into());
    }
    let n = points.len() as f64;
    position(
        points.iter().map(|p| p.lat).sum::<f64>() / n,
        points.iter().map(|p| p.lng).sum::<f64>() / n,
    )
}

fn position(lat: f64, lng: f64) -> Result<LatLng, String> {
    let p = LatLng::new(lat, lng);
    if p.is_valid() {
        Ok(p)
    } else {
        Err(format!(
            "{lat},{lng} is no WGS84 position (projected coordinates such as UTM must be converted first)"
        ))
    }
}

fn check_text(what: &str, value: &str, max: usize) -> Result<(), String> {
    if value.chars().count() > max {
        return Err(format!("{what} is longer than {max} characters"));
    }
    if value.chars().any(char::is_control) {
        return Err(format!("{what} contains control characters"));
    }
    Ok(())
}

/// Addresses outside the town's area are errors: most often a file with latitude and
/// longitude swapped, or not in WGS84, and then every row says so.
fn address(
    street: String,
    housenumber: String,
    position: LatLng,
    area: &Area,
) -> Result<AddressPoint, String> {
    if !area.contains(&position) {
        return Err(format!(
            "{:.6},{:.6} lies outside the town's area (latitude and longitude swapped, or not WGS84?)",
            position.lat, position.lng
        ));
    }
    check_text("street", &street, MAX_STREET)?;
    check_text("housenumber", &housenumber, MAX_NUMBER)?;
    Ok(AddressPoint {
        street,
        housenumber,
        position,
    })
}

/// The columns we read, by the names they go by in the states' files and OSM tools.
fn column(headers: &csv::StringRecord, names: &[&str]) -> Option<usize> {
    headers.iter().position(|h| {
        names.contains(
            &h.trim()
                .trim_start_matches('\u{feff}')
                .to_lowercase()
                .as_str(),
        )
    })
}

fn csv(text: &str, area: &Area) -> Result<Parsed, FileError> {
    let first = text.lines().next().unwrap_or("");
    let delimiter = if first.matches(';').count() > first.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| format!("line 1: {e}"))?
        .clone();
    let find = |names: &[&str], what: &str| {
        column(&headers, names).ok_or_else(|| {
            format!(
                "line 1: no {what} column (the header must name street, housenumber, lat and lng; found: {})",
                headers.iter().collect::<Vec<_>>().join(", ")
            )
        })
    };
    let street = find(
        &["street", "strasse", "straße", "str", "addr:street"],
        "street",
    )?;
    let number = find(
        &[
            "housenumber",
            "hausnummer",
            "hnr",
            "number",
            "addr:housenumber",
        ],
        "housenumber",
    )?;
    let suffix = column(&headers, &["suffix", "zusatz", "hausnummerzusatz", "adz"]);
    let lat = find(&["lat", "latitude", "breite", "y"], "lat")?;
    let lng = find(
        &["lng", "lon", "long", "longitude", "laenge", "länge", "x"],
        "lng",
    )?;
    let mut parsed = Parsed::default();
    for record in reader.records() {
        parsed.rows += 1;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| line_of(text, p.byte() as usize));
                parsed.errors.push(RowError {
                    line,
                    message: e.to_string(),
                });
                continue;
            }
        };
        // By byte offset: the reader's own line count is off by one after the header.
        let line = record
            .position()
            .map_or(0, |p| line_of(text, p.byte() as usize));
        if record.iter().all(|f| f.trim().is_empty()) {
            parsed.rows -= 1;
            continue;
        }
        let field = |i: usize| record.get(i).unwrap_or("").trim();
        let number_of = |i: usize, what: &str| -> Result<f64, String> {
            let raw = field(i);
            let normal = if delimiter == b';' {
                raw.replace(',', ".")
            } else {
                raw.to_string()
            };
            normal
                .parse::<f64>()
                .map_err(|_| format!("{what}: {raw:?} is not a number"))
        };
        let row = (|| {
            let s = field(street);
            if s.is_empty() {
                return Err("street is empty".to_string());
            }
            let mut n = field(number).to_string();
            if n.is_empty() {
                return Err("housenumber is empty".to_string());
            }
            if let Some(suffix) = suffix.map(field).filter(|s| !s.is_empty()) {
                n.push_str(suffix);
            }
            let p = position(number_of(lat, "lat")?, number_of(lng, "lng")?)?;
            address(s.to_string(), n, p, area)
        })();
        match row {
            Ok(a) => parsed.set.addresses.push(a),
            Err(message) => parsed.errors.push(RowError { line, message }),
        }
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn area() -> Area {
        Area::new(vec![
            LatLng::new(50.0, 9.0),
            LatLng::new(50.0, 10.0),
            LatLng::new(51.0, 10.0),
            LatLng::new(51.0, 9.0),
        ])
    }

    #[test]
    fn geojson_points_polygons_and_lines() {
        let text = r#"{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"addr:street":"Hauptstraße","addr:housenumber":"12"},"geometry":{"type":"Point","coordinates":[9.67,50.55]}},
{"type":"Feature","properties":{"street":"Gartenweg","housenumber":3},"geometry":{"type":"Polygon","coordinates":[[[9.60,50.50],[9.62,50.50],[9.62,50.52],[9.60,50.52]]]}},
{"type":"Feature","properties":{"name":"Feldweg","highway":"track"},"geometry":{"type":"LineString","coordinates":[[9.6,50.5],[9.7,50.5]]}},
{"type":"Feature","properties":{"amenity":"bench"},"geometry":{"type":"Point","coordinates":[9.6,50.5]}},
{"type":"Feature","properties":{"addr:housenumber":"7"},"geometry":{"type":"Point","coordinates":[9.6,50.5]}},
{"type":"Feature","properties":{"addr:street":"Weg","addr:housenumber":"8"},"geometry":{"type":"Point","coordinates":[450000,5600000]}},
{"type":"Feature","properties":{"addr:street":"Fern","addr:housenumber":"1"},"geometry":{"type":"Point","coordinates":[50.55,9.67]}}
]}"#;
        let p = parse(text, Format::GeoJson, &area()).unwrap();
        assert_eq!(p.rows, 7);
        assert_eq!(p.ignored, 1);
        let labels: Vec<_> = p
            .set
            .addresses
            .iter()
            .map(|a| format!("{} {}", a.street, a.housenumber))
            .collect();
        assert_eq!(labels, ["Hauptstraße 12", "Gartenweg 3"]);
        assert!((p.set.addresses[1].position.lat - 50.51).abs() < 1e-9);
        assert_eq!(p.set.streets.len(), 1);
        assert_eq!(p.set.streets[0].name, "Feldweg");
        let lines: Vec<_> = p.errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [6, 7, 8], "{:?}", p.errors);
        assert!(p.errors[0].message.contains("without addr:street"));
        assert!(p.errors[1].message.contains("no WGS84 position"));
        assert!(p.errors[2].message.contains("outside the town's area"));
    }

    #[test]
    fn geojson_that_is_no_collection_is_refused() {
        assert!(parse("[1,2]", Format::GeoJson, &area()).is_err());
        assert!(parse(
            r#"{"type":"Feature","features":[]}"#,
            Format::GeoJson,
            &area()
        )
        .is_err());
    }

    #[test]
    fn csv_with_commas_or_semicolons_and_decimal_commas() {
        let p = parse(
            "street,housenumber,lat,lng\nHauptstraße,12,50.55,9.67\nHauptstraße,x,fifty,9.67\n",
            Format::Csv,
            &area(),
        )
        .unwrap();
        assert_eq!(p.set.addresses.len(), 1);
        assert_eq!(
            p.errors,
            [RowError {
                line: 3,
                message: "lat: \"fifty\" is not a number".into()
            }]
        );
        let p = parse(
            "Strasse;Hausnummer;Zusatz;Breite;Laenge\r\nMühlenweg;4;a;50,56;9,68\r\n;5;;50,5;9,6\r\n",
            Format::Csv,
            &area(),
        )
        .unwrap();
        assert_eq!(p.set.addresses[0].housenumber, "4a");
        assert_eq!(p.set.addresses[0].position, LatLng::new(50.56, 9.68));
        assert_eq!(p.errors[0].line, 3, "{:?}", p.errors);
        let e = parse("name,x\nA,1\n", Format::Csv, &area()).unwrap_err();
        assert!(e.contains("no street column"), "{e}");
    }
}
