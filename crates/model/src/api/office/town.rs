//! The town page ("Gemeinde", admins): the town's profile and map, its message kinds, its
//! departments and categories. Every change is audited with before and after; a refused
//! change (422, each error naming its field) changes nothing.
//!
//! Retired kinds, departments and categories stay on old reports and messages and in the
//! statistics; citizens cannot pick them for new ones.

use crate::LatLng;
use serde::{Deserialize, Serialize};

/// `GET /office/api/town`, and the answer of [`TownChange`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Town {
    /// Fixed: it is in every embed snippet and Open311's `jurisdiction_id`.
    pub slug: String,
    pub name: String,
    pub center: LatLng,
    /// The map's starting zoom, 1 to 19.
    pub zoom: i64,
    /// The boundary as a GeoJSON geometry: `Polygon` or `MultiPolygon`, `[lng, lat]` order.
    pub area: serde_json::Value,
    /// Origins allowed to embed the widgets (`scheme://host[:port]`), or the one entry `*`.
    pub allowed_origins: Vec<String>,
    /// With `{z}`, `{x}`, `{y}`; fetched by the server's tile proxy, never by citizens.
    pub tile_url: String,
    pub tile_attribution: String,
    /// The town's privacy notice; the widgets link to it. Empty when not set.
    pub privacy_url: String,
    /// The town's imprint (Impressum). Empty when not set.
    pub imprint_url: String,
    /// A Nominatim or Photon server that the server (never a citizen's browser) asks for
    /// places while the town has imported none. Empty: off.
    #[serde(default)]
    pub geocoder_url: String,
    /// Days promised for a first reaction (1 to 60).
    pub response_days: i64,
    pub premoderation: bool,
}

/// `POST /office/api/town`: what is left out stays as it is. 422 field names are the field
/// names here (`area`, `allowed_origins`, …); `center` is also refused when outside `area`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TownChange {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub center: Option<LatLng>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zoom: Option<i64>,
    /// A GeoJSON `Polygon` or `MultiPolygon`, or a `Feature` / `FeatureCollection` holding
    /// them (as exported by OpenStreetMap tools or the BKG); stored as one geometry.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub area: Option<serde_json::Value>,
    /// Replaces the list.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed_origins: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tile_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tile_attribution: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub privacy_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub imprint_url: Option<String>,
    /// Empty turns the geocoder off.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub geocoder_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_days: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub premoderation: Option<bool>,
}

/// `GET /office/api/message-kinds`: every kind, retired ones included, in the form's order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageKindList {
    pub kinds: Vec<MessageKindRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageKindRow {
    pub id: i64,
    /// Stable; stored with each message. Not changed by a rename.
    pub code: String,
    pub name: String,
    pub retired: bool,
}

/// `POST /office/api/message-kinds`; answers 201 [`super::Created`]. The code is made from
/// the name (`Kritik/Beschwerde` → `kritik-beschwerde`), unique within the town.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewMessageKind {
    pub name: String,
}

/// `POST /office/api/message-kinds/{id}`: rename, retire or bring back; answers
/// [`MessageKindList`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MessageKindChange {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retired: Option<bool>,
}

/// `POST /office/api/message-kinds/order` (and `/office/api/categories/order`): every id of
/// the list in its new order; answers the whole list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewOrder {
    pub ids: Vec<i64>,
}

/// `GET /office/api/catalogue`: every department and category, retired ones included.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Catalogue {
    /// By name.
    pub departments: Vec<DepartmentRow>,
    /// In the order of the widget's category list.
    pub categories: Vec<CategoryRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepartmentRow {
    pub id: i64,
    pub name: String,
    /// Where forwarded messages and new-report notices go.
    pub email: Option<String>,
    pub retired: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryRow {
    pub id: i64,
    /// The Open311 service code; stable, not changed by a rename.
    pub code: String,
    pub name: String,
    pub group: String,
    pub department_id: Option<i64>,
    pub retired: bool,
}

/// `POST /office/api/departments/{id}`; answers [`Catalogue`]. `email: ""` removes the
/// address. A department that still has active categories cannot be retired (422 `retired`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DepartmentChange {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retired: Option<bool>,
}

/// `POST /office/api/categories/{id}`: rename, move to another department, retire or bring
/// back; answers [`Catalogue`]. Moving routes new reports only; old ones stay where they are.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryChange {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub department_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retired: Option<bool>,
}
