//! Optional, off by default: a town without imported places may name a Nominatim or Photon
//! server (`tenant set --geocoder-url`, the office's town page). The *server* asks it, never a
//! citizen's browser; it sends the position rounded to about 10 m or the search text and
//! nothing else of the citizen (no address, headers, or cookies: the request is our own), and
//! keeps each answer 30 days in `geocoder_cache`, so a place is asked about once a month.
//! The same distance rules as for imported places apply to what it answers.
//!
//! A URL ending in `/api` is Photon (`…/api?q=`, `…/reverse`); anything else is Nominatim
//! (`…/search`, `…/reverse`, `format=jsonv2`).

use crate::db::tenants::Tenant;
use crate::db::{now, Db, DbError};
use civickit_model::api::widget::{NearPlace, Place};
use civickit_model::places::{fold, label, ADDRESS_RADIUS_M, STREET_RADIUS_M};
use civickit_model::LatLng;
use serde_json::Value;
use sqlx::Row;
use std::time::Duration;

const CACHE_SECONDS: i64 = 30 * 86_400;
const TIMEOUT: Duration = Duration::from_secs(3);

fn client() -> &'static reqwest::Client {
    static CLIENT: std::sync::OnceLock<reqwest::Client> = std::sync::OnceLock::new();
    CLIENT.get_or_init(|| {
        reqwest::Client::builder()
            .timeout(TIMEOUT)
            // Nominatim's usage policy asks for an identifying User-Agent: ours, not the
            // citizen's.
            .user_agent(concat!(
                "civickit/",
                env!("CARGO_PKG_VERSION"),
                " (municipal participation server)"
            ))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("an HTTP client")
    })
}

enum Kind {
    Nominatim(String),
    Photon(String),
}

fn kind(url: &str) -> Kind {
    let url = url.trim_end_matches('/');
    match url.strip_suffix("/api") {
        Some(base) => Kind::Photon(base.to_string()),
        None => Kind::Nominatim(url.to_string()),
    }
}

/// Rounded to 4 decimals (about 11 × 7 m here): enough for a house, less than the tap.
fn rounded(p: LatLng) -> LatLng {
    LatLng::new((p.lat * 1e4).round() / 1e4, (p.lng * 1e4).round() / 1e4)
}

/// The place near `at` by the town's geocoder; `None` when it has none, knows nothing near,
/// or fails (logged: a geocoder outage must not break reporting).
pub async fn reverse(db: &Db, tenant: &Tenant, at: LatLng) -> Option<NearPlace> {
    let asked = rounded(at);
    let (url, query) = match kind(&tenant.geocoder_url) {
        Kind::Nominatim(base) => (
            format!("{base}/reverse"),
            vec![
                ("format", "jsonv2".to_string()),
                ("lat", asked.lat.to_string()),
                ("lon", asked.lng.to_string()),
                ("zoom", "18".into()),
                ("addressdetails", "1".into()),
            ],
        ),
        Kind::Photon(base) => (
            format!("{base}/reverse"),
            vec![
                ("lat", asked.lat.to_string()),
                ("lon", asked.lng.to_string()),
                ("limit", "1".into()),
            ],
        ),
    };
    let key = format!(
        "reverse {} {},{}",
        tenant.geocoder_url, asked.lat, asked.lng
    );
    let answer = cached_get(db, tenant.id, &key, &url, &query).await?;
    let place = places(&answer).into_iter().next()?;
    let distance = at.distance_m(&place.position);
    let near = match place.housenumber {
        Some(_) if distance <= ADDRESS_RADIUS_M => place,
        _ if distance <= STREET_RADIUS_M => Place {
            label: place.street.clone(),
            housenumber: None,
            ..place
        },
        _ => return None,
    };
    Some(NearPlace {
        place: near,
        distance_m: distance.round(),
    })
}

/// The town's geocoder's answers to a search, inside the town's area only.
pub async fn search(db: &Db, tenant: &Tenant, text: &str, limit: usize) -> Vec<Place> {
    // As typed (a geocoder knows umlauts better than our folding), folded for the cache.
    let text = text.trim();
    if fold(text).is_empty() {
        return Vec::new();
    }
    let b = tenant.area.bbox();
    let (url, query) = match kind(&tenant.geocoder_url) {
        Kind::Nominatim(base) => (
            format!("{base}/search"),
            vec![
                ("format", "jsonv2".to_string()),
                ("q", text.to_string()),
                ("addressdetails", "1".into()),
                ("limit", limit.to_string()),
                (
                    "viewbox",
                    format!("{},{},{},{}", b.west, b.north, b.east, b.south),
                ),
                ("bounded", "1".into()),
            ],
        ),
        Kind::Photon(base) => (
            format!("{base}/api"),
            vec![
                ("q", text.to_string()),
                ("limit", limit.to_string()),
                (
                    "bbox",
                    format!("{},{},{},{}", b.west, b.south, b.east, b.north),
                ),
            ],
        ),
    };
    let key = format!("search {} {limit} {}", tenant.geocoder_url, fold(text));
    let Some(answer) = cached_get(db, tenant.id, &key, &url, &query).await else {
        return Vec::new();
    };
    places(&answer)
        .into_iter()
        .filter(|p| tenant.area.contains(&p.position))
        .take(limit)
        .collect()
}

/// The cached answer, else asks and caches it. Failures are not cached.
async fn cached_get(
    db: &Db,
    tenant_id: i64,
    key: &str,
    url: &str,
    query: &[(&str, String)],
) -> Option<Value> {
    match cache_read(db, tenant_id, key).await {
        Ok(Some(v)) => return Some(v),
        Ok(None) => {}
        Err(e) => tracing::warn!("geocoder cache: {e}"),
    }
    let answer = match fetch(url, query).await {
        Ok(v) => v,
        Err(e) => {
            tracing::warn!("geocoder {url}: {e}");
            return None;
        }
    };
    if let Err(e) = cache_write(db, tenant_id, key, &answer).await {
        tracing::warn!("geocoder cache: {e}");
    }
    Some(answer)
}

async fn fetch(url: &str, query: &[(&str, String)]) -> Result<Value, String> {
    let response = client()
        .get(url)
        .query(query)
        .header("accept-language", "de")
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if !response.status().is_success() {
        return Err(format!("answered {}", response.status()));
    }
    let body = response.bytes().await.map_err(|e| e.to_string())?;
    serde_json::from_slice(&body).map_err(|e| format!("not JSON: {e}"))
}

async fn cache_read(db: &Db, tenant_id: i64, key: &str) -> Result<Option<Value>, DbError> {
    let row = sqlx::query(
        "SELECT answer_json FROM geocoder_cache WHERE tenant_id = $1 AND query = $2 AND fetched_at > $3",
    )
    .bind(tenant_id)
    .bind(key)
    .bind(now() - CACHE_SECONDS)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row
        .map(|r| r.try_get::<String, _>("answer_json"))
        .transpose()?
        .and_then(|json| serde_json::from_str(&json).ok()))
}

async fn cache_write(db: &Db, tenant_id: i64, key: &str, answer: &Value) -> Result<(), DbError> {
    let mut tx = db.pool.begin().await?;
    // Stale answers go as new ones come: the cache holds only the last 30 days.
    sqlx::query(
        "DELETE FROM geocoder_cache WHERE tenant_id = $1 AND (query = $2 OR fetched_at <= $3)",
    )
    .bind(tenant_id)
    .bind(key)
    .bind(now() - CACHE_SECONDS)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO geocoder_cache (tenant_id, query, answer_json, fetched_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(tenant_id)
    .bind(key)
    .bind(answer.to_string())
    .bind(now())
    .execute(&mut *tx)
    .await?;
    tx.commit().await
}

/// Places in a Nominatim answer (one object, or a list from `search`) or a Photon one (a
/// GeoJSON FeatureCollection). Results without a street are no place for us.
fn places(answer: &Value) -> Vec<Place> {
    let text = |v: &Value, keys: &[&str]| {
        keys.iter()
            .find_map(|k| v.get(*k).and_then(Value::as_str).map(str::to_string))
    };
    let make =
        |street: Option<String>, number: Option<String>, lat: Option<f64>, lng: Option<f64>| {
            let (street, lat, lng) = (street?, lat?, lng?);
            let position = LatLng::new(lat, lng);
            position.is_valid().then(|| Place {
                label: label(&street, number.as_deref()),
                street,
                housenumber: number,
                position,
            })
        };
    if let Some(features) = answer.get("features").and_then(Value::as_array) {
        return features
            .iter()
            .filter_map(|f| {
                let p = f.get("properties")?;
                let c = f.pointer("/geometry/coordinates")?;
                make(
                    text(p, &["street"]).or_else(|| {
                        (p.get("osm_key").and_then(Value::as_str) == Some("highway"))
                            .then(|| text(p, &["name"]))
                            .flatten()
                    }),
                    text(p, &["housenumber"]),
                    c.get(1).and_then(Value::as_f64),
                    c.get(0).and_then(Value::as_f64),
                )
            })
            .collect();
    }
    let one = |r: &Value| {
        let a = r.get("address")?;
        make(
            text(
                a,
                &[
                    "road",
                    "pedestrian",
                    "footway",
                    "path",
                    "cycleway",
                    "square",
                    "place",
                ],
            ),
            text(a, &["house_number"]),
            text(r, &["lat"]).and_then(|s| s.parse().ok()),
            text(r, &["lon"]).and_then(|s| s.parse().ok()),
        )
    };
    match answer {
        Value::Array(list) => list.iter().filter_map(one).collect(),
        other => one(other).into_iter().collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nominatim_and_photon_answers_become_places() {
        let nominatim = json!({"lat": "50.5520", "lon": "9.6770",
            "address": {"road": "Hauptstraße", "house_number": "12", "city": "Musterstadt"}});
        assert_eq!(places(&nominatim)[0].label, "Hauptstraße 12");
        let list = json!([{"lat": "50.5", "lon": "9.6", "address": {"road": "Mühlenweg"}},
            {"lat": "50.5", "lon": "9.6", "address": {"city": "Musterstadt"}}]);
        let found = places(&list);
        assert_eq!(found.len(), 1);
        assert_eq!(
            (found[0].label.as_str(), found[0].housenumber.as_deref()),
            ("Mühlenweg", None)
        );
        let photon = json!({"type": "FeatureCollection", "features": [
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [9.677, 50.552]},
             "properties": {"street": "Lindenstraße", "housenumber": "3", "osm_key": "building"}},
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [9.678, 50.553]},
             "properties": {"name": "Ringstraße", "osm_key": "highway"}}]});
        let found = places(&photon);
        assert_eq!(found[0].label, "Lindenstraße 3");
        assert_eq!(found[0].position, LatLng::new(50.552, 9.677));
        assert_eq!(found[1].label, "Ringstraße");
        assert!(places(&json!({"error": "Unable to geocode"})).is_empty());
    }

    #[test]
    fn a_url_ending_in_api_is_photon() {
        assert!(
            matches!(kind("https://photon.example/api/"), Kind::Photon(b) if b == "https://photon.example")
        );
        assert!(
            matches!(kind("https://nominatim.example/"), Kind::Nominatim(b) if b == "https://nominatim.example")
        );
    }
}
