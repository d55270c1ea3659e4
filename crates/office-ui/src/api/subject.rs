//! Access and erasure for one citizen (`/office/api/privacy/subject[/erase]`, admins).

use crate::fetch::{self, ApiError};
use civickit_model::api::office::SubjectQuery;
pub use civickit_model::api::office::{SubjectData, SubjectErased};
use serde_json::json;

/// An address with `@` is an e-mail address, anything else a phone number.
pub fn query(typed: &str) -> SubjectQuery {
    let typed = typed.trim().to_string();
    if typed.contains('@') {
        SubjectQuery {
            email: Some(typed),
            phone: None,
        }
    } else {
        SubjectQuery {
            email: None,
            phone: Some(typed),
        }
    }
}

/// Everything held about the address, with the answer as the server sent it (the file the
/// citizen gets: the answer itself, not a copy written again by the page).
pub async fn lookup(typed: &str) -> Result<(SubjectData, String), ApiError> {
    let text = fetch::post_text("/privacy/subject", json!(query(typed))).await?;
    Ok((fetch::parse(&text)?, text))
}

pub async fn erase(typed: &str) -> Result<SubjectErased, ApiError> {
    fetch::post("/privacy/subject/erase", json!(query(typed))).await
}

#[cfg(test)]
mod tests {
    use super::query;

    #[test]
    fn an_at_sign_makes_an_email_address() {
        assert_eq!(query(" a@b.de ").email.as_deref(), Some("a@b.de"));
        assert_eq!(query("0171 123456").phone.as_deref(), Some("0171 123456"));
        assert_eq!(query("").phone.as_deref(), Some(""));
    }
}
