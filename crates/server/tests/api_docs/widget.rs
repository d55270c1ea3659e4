//! Type tags of the examples in docs/widget-api.md.
use civickit_model::api::*;

contract_types! {
    "ErrorBody" => ErrorBody,
}
