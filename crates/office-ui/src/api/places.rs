//! Where things are: the address search (`GET /office/api/places/search`, the same as the
//! widget's) and how the town's map starts (the widget config of the official's town, which
//! every official may read: centre, zoom and tiles, without needing the admins' town page).

use crate::fetch::{self, encode, ApiError};
use crate::map::MapSetup;
pub use civickit_model::api::widget::{Place, SearchAnswer};
use civickit_model::LatLng;
use serde_json::Value;
use std::cell::RefCell;

thread_local! {
    /// The town's map, asked for once per page: the inbox map and every mini map use it.
    static SETUP: RefCell<Option<MapSetup>> = const { RefCell::new(None) };
}

/// How many suggestions the search shows.
pub const SEARCH_LIMIT: usize = 8;

pub async fn search(text: &str) -> Result<Vec<Place>, ApiError> {
    let path = format!(
        "/places/search?q={}&limit={SEARCH_LIMIT}",
        encode(text.trim())
    );
    fetch::get::<SearchAnswer>(&path).await.map(|a| a.places)
}

/// The town's map: read from its widget config as a `Value`, picking the few fields a map
/// needs (the whole `Config` type would add its parser to the office wasm).
pub async fn map_setup(slug: &str, label: String) -> Result<MapSetup, ApiError> {
    if let Some(known) = SETUP.with(|s| s.borrow().clone()) {
        return Ok(MapSetup { label, ..known });
    }
    let v: Value = fetch::get_public(&format!("/api/v1/{}/config", encode(slug))).await?;
    let setup =
        setup_from_config(&v, label).ok_or_else(|| ApiError::bad_answer("config without a map"))?;
    SETUP.with(|s| *s.borrow_mut() = Some(setup.clone()));
    Ok(setup)
}

fn setup_from_config(v: &Value, label: String) -> Option<MapSetup> {
    let map = &v["map"];
    Some(MapSetup {
        tiles: v["tiles"]["url"].as_str()?.to_string(),
        attribution: v["tiles"]["attribution"].as_str().unwrap_or("").to_string(),
        center: LatLng::new(
            map["center"]["lat"].as_f64()?,
            map["center"]["lng"].as_f64()?,
        ),
        zoom: map["zoom"].as_f64()?,
        label,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_map_starts_where_the_widget_config_says() {
        let config = json!({
            "slug": "musterstadt",
            "map": {"center": {"lat": 50.552, "lng": 9.677}, "zoom": 15, "min_zoom": 12, "max_zoom": 19},
            "tiles": {"url": "https://civickit.example/tiles/{z}/{x}/{y}.svg", "attribution": "Demo"}
        });
        let s = setup_from_config(&config, "Karte".into()).unwrap();
        assert_eq!(s.center, LatLng::new(50.552, 9.677));
        assert_eq!(s.zoom, 15.0);
        assert_eq!(s.tiles, "https://civickit.example/tiles/{z}/{x}/{y}.svg");
        assert!(setup_from_config(&json!({}), "Karte".into()).is_none());
    }

    #[test]
    fn search_answers_read_as_places() {
        let answer: SearchAnswer = serde_json::from_value(json!({"places": [
            {"label": "Lindenstraße 1", "street": "Lindenstraße", "housenumber": "1", "lat": 50.5531, "lng": 9.6749},
            {"label": "Lindenweg", "street": "Lindenweg", "lat": 50.55, "lng": 9.67}
        ]}))
        .unwrap();
        assert_eq!(answer.places.len(), 2);
        assert_eq!(answer.places[0].position, LatLng::new(50.5531, 9.6749));
        assert_eq!(answer.places[1].housenumber, None);
    }
}
