//! `GET /api/v1/{tenant}/config`: everything the report widget needs before it draws the map.

use crate::{Area, BBox, CloseReason, LatLng, Marker, Status, TrafficLight};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Config {
    pub slug: String,
    pub name: String,
    pub map: MapConfig,
    pub tiles: Tiles,
    /// The town's active categories, in the order it chose.
    pub categories: Vec<Category>,
    /// The four public states, in the order of the legend.
    pub states: Vec<StateInfo>,
    pub close_reasons: Vec<CloseReasonInfo>,
    /// Absolute: the widget runs on another site's page.
    pub privacy_url: String,
    pub duplicate_radius_m: f64,
    pub description_max_chars: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MapConfig {
    pub center: LatLng,
    pub zoom: i64,
    pub min_zoom: i64,
    pub max_zoom: i64,
    /// The bounding box of `area`.
    pub bounds: BBox,
    /// The town boundary, one or more parts with holes; reports outside are refused.
    pub area: Area,
}

/// A Leaflet tile layer; `url` is an absolute template with `{z}/{x}/{y}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tiles {
    pub url: String,
    pub attribution: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    pub code: String,
    pub name: String,
    pub group: String,
    pub description: String,
}

/// One public state as the legend and the markers show it, in the requested language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StateInfo {
    pub state: Status,
    pub label: String,
    pub legend: String,
    pub color: TrafficLight,
    pub hex: String,
    pub marker: Marker,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CloseReasonInfo {
    pub reason: CloseReason,
    pub label: String,
}
