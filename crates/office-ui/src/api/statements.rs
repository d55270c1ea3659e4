//! The generated statements (`/office/api/privacy/statements`): the town's details and each
//! statement's text; every change answers all of it as stored.

use crate::fetch::{self, ApiError};
pub use civickit_model::api::office::{
    Conformance, StatementFields, StatementKind, StatementText, Statements,
};
use civickit_model::api::office::{StatementTextChange, StatementsChange};
use civickit_model::Lang;
use serde_json::json;

pub async fn statements() -> Result<Statements, ApiError> {
    fetch::get("/privacy/statements").await
}

pub async fn save_fields(fields: StatementFields) -> Result<Statements, ApiError> {
    let change = StatementsChange {
        fields: Some(fields),
        texts: Vec::new(),
    };
    fetch::post("/privacy/statements", json!(change)).await
}

/// Replaces a statement's text in one language, or (`None`) goes back to the generated one.
pub async fn save_text(
    statement: StatementKind,
    lang: Lang,
    text: Option<String>,
) -> Result<Statements, ApiError> {
    let change = StatementsChange {
        fields: None,
        texts: vec![StatementTextChange {
            statement,
            lang,
            text,
        }],
    };
    fetch::post("/privacy/statements", json!(change)).await
}
