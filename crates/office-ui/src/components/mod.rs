//! The building blocks of the office pages: fields, action forms, the list with its detail,
//! the state chips. A new page is composed from these, not copied from another page.

pub mod chip;
pub mod fields;
pub mod form;
pub mod list_detail;

pub use chip::{Fact, MsgBadge, StatusBadge};
pub use fields::{CheckField, Choice, SearchField, SelectField, TextArea, TextField};
pub use form::{field_text, ActionForm, FieldErr, FormOutcome, FormState};
pub use list_detail::{Below, DetailView, Filters, ListDetail, Rows, Selection};
