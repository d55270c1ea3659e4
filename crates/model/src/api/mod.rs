//! The API contract: every request and answer body of the widget API (`docs/widget-api.md`)
//! and the office API (`docs/office-api.md`), as serde types.
//!
//! The server serialises exactly these types, the office page deserialises them, and the
//! widgets fill them from their size-lean reader; so a renamed field fails to compile instead
//! of showing up empty. A field is `Option` or `#[serde(default)]` only when the API really
//! leaves it out.

pub mod error;
pub mod office;
pub mod widget;

pub use error::{ErrorBody, ErrorKind, FieldMessage};
