//! The inventory of personal data (`/office/api/privacy/inventory`).

use crate::fetch::{self, ApiError};
pub use civickit_model::api::office::{InventoryEntry, PrivacyInventory};

pub async fn inventory() -> Result<PrivacyInventory, ApiError> {
    fetch::get("/privacy/inventory").await
}
