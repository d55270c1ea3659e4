//! civickit's domain: report states and their traffic-light rules, positions and areas,
//! validation of citizen input, public reference numbers, and the texts for all of it.
//!
//! No I/O and no platform dependencies: the server and the wasm widgets validate with this
//! very code, so a citizen sees the same rule in the form that the server enforces.

pub mod api;
pub mod area;
pub mod geo;
pub mod i18n;
pub mod mailbox;
pub mod places;
pub mod poll;
pub mod privacy;
pub mod reference;
pub mod stats;
pub mod status;
pub mod town;
pub mod validate;

pub use geo::{Area, BBox, LatLng, Polygon};
pub use i18n::Lang;
pub use mailbox::{MessageStatus, NewMessage};
pub use reference::{Reference, ReferenceKind};
pub use status::{CloseReason, Marker, Status, TrafficLight};
pub use validate::{FieldError, NewReport, ValidationCode};
