//! The building blocks of the office pages: fields, action forms, the list with its detail,
//! the state chips, the map. A new page is composed from these, not copied from another page.

pub mod chip;
pub mod fields;
pub mod form;
pub mod list_detail;
pub mod map;

pub use chip::{Fact, MsgBadge, StatusBadge};
pub use fields::{CheckField, Choice, FileField, SearchField, SelectField, TextArea, TextField};
pub use form::{field_text, ActionForm, FieldErr, FormOutcome, FormState};
pub use list_detail::{Below, DetailView, Filters, ListDetail, Rows, Selection};
pub use map::{MapHandle, MapView};
