//! Type tags of the examples in docs/operations.md.

contract_types! {
    "ops::Readiness" => civickit_server::http::Readiness,
}
