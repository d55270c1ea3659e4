//! Type tags of the examples in docs/office-api.md.
use civickit_model::api::*;

contract_types! {
    "ErrorBody" => ErrorBody,
}
