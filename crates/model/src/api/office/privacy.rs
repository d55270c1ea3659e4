//! Data protection (admins, `docs/office-api.md`): the town's retention periods and the
//! inventory of personal data it holds. The periods and the kinds of data are
//! [`crate::privacy`]'s; access and erasure for one citizen are in `subject.rs`, the
//! generated statements in `statements.rs`.

pub use crate::privacy::{PersonalData, Retention, RetentionChange};
use serde::{Deserialize, Serialize};

/// `GET /office/api/privacy/inventory`: one entry per [`PersonalData`] kind, in the order of
/// `PersonalData::ALL`, for the official's town. `civickit privacy inventory` prints the same
/// per town.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PrivacyInventory {
    pub retention: Retention,
    pub entries: Vec<InventoryEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InventoryEntry {
    pub kind: PersonalData,
    /// Records that hold this kind of data now (rows whose personal fields are not erased).
    pub records: i64,
    /// When the oldest of them was collected (RFC 3339); `None` without records.
    pub oldest: Option<String>,
    /// When the next of them is due for erasure under the current periods (RFC 3339):
    /// in the past when the next retention run will take it. `None` when none is due on a
    /// known date (no records, records kept until an event such as closing, or kept).
    pub next_erasure: Option<String>,
}
