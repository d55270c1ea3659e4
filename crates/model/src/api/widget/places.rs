//! Places: the address nearest to a position and the address search
//! (`GET /api/v1/{tenant}/places/reverse`, `GET /api/v1/{tenant}/places/search`; the office
//! has the same search at `GET /office/api/places/search`).

use crate::LatLng;
use serde::{Deserialize, Serialize};

/// An address (`housenumber` given) or a street. `label` is what to show: `Hauptstraße 12`.
/// A street's position is a point on it (the middle of its line, or of its addresses).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Place {
    pub label: String,
    pub street: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub housenumber: Option<String>,
    #[serde(flatten)]
    pub position: LatLng,
}

/// A place near a position, with how far it is (whole metres).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NearPlace {
    #[serde(flatten)]
    pub place: Place,
    pub distance_m: f64,
}

/// `GET …/places/reverse?lat=50.55&lng=9.67`: the nearest address within 75 m, else the nearest
/// street within 150 m, else no `place` at all (`{}`). 422 on `lat`/`lng` for a position that is
/// not one.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReverseAnswer {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<NearPlace>,
}

/// `GET …/places/search?q=linden%201&limit=8`: prefix search, accent- and case-insensitive.
/// Addresses of matching streets by house number (`1`, `10`–`19`, `100`…); a text without a
/// number lists the streets themselves. `limit` 1–20, default 8. A text with nothing to search
/// answers an empty list, not an error.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SearchAnswer {
    pub places: Vec<Place>,
}
