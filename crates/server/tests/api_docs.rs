//! The JSON examples in `docs/*.md` are real bodies of the contract types in
//! `civickit_model::api`, so the documentation cannot drift from the code.
//!
//! Every fenced block whose info string starts with `json` must name its type after the
//! language, e.g. ```` ```json widget::Config ````; the example is parsed into that type and
//! serialised back, and the two must be equal (numbers compared as numbers), so an example
//! with a field the type does not have fails as well as one that misses a required field.

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

/// `tag => type` table: generates `check(tag, json)`, `None` for an unknown tag.
macro_rules! contract_types {
    ($($tag:literal => $ty:ty),* $(,)?) => {
        pub fn check(tag: &str, json: &str) -> Option<Result<(), String>> {
            match tag {
                $($tag => Some(crate::round_trip::<$ty>(json)),)*
                _ => None,
            }
        }
    };
}

mod api_docs {
    pub mod office;
    pub mod operations;
    pub mod widget;
}

/// Parses `json` as `T`, writes it back, and compares.
pub fn round_trip<T: DeserializeOwned + Serialize>(json: &str) -> Result<(), String> {
    let doc: Value = serde_json::from_str(json).map_err(|e| format!("not JSON: {e}"))?;
    let typed: T = serde_json::from_value(doc.clone()).map_err(|e| format!("not the type: {e}"))?;
    let back = serde_json::to_value(&typed).map_err(|e| e.to_string())?;
    if normalise(&back) == normalise(&doc) {
        Ok(())
    } else {
        Err(format!(
            "differs after a round trip through the type:\n doc:  {doc}\n type: {back}"
        ))
    }
}

/// Numbers as f64, so that `50` in the docs equals `50.0` written by the type.
fn normalise(v: &Value) -> Value {
    match v {
        Value::Number(n) => serde_json::json!(n.as_f64()),
        Value::Array(a) => Value::Array(a.iter().map(normalise).collect()),
        Value::Object(o) => {
            Value::Object(o.iter().map(|(k, v)| (k.clone(), normalise(v))).collect())
        }
        other => other.clone(),
    }
}

/// Every ```json block of a markdown file: (line number, tag, body).
fn json_examples(markdown: &str) -> Vec<(usize, String, String)> {
    let mut found = Vec::new();
    let mut lines = markdown.lines().enumerate();
    while let Some((n, line)) = lines.next() {
        let Some(info) = line.trim_start().strip_prefix("```json") else {
            continue;
        };
        let body: Vec<&str> = lines
            .by_ref()
            .map(|(_, l)| l)
            .take_while(|l| l.trim_start() != "```")
            .collect();
        found.push((n + 1, info.trim().to_string(), body.join("\n")));
    }
    found
}

fn check_doc(file: &str, min_examples: usize, check: fn(&str, &str) -> Option<Result<(), String>>) {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/");
    let markdown = std::fs::read_to_string(format!("{path}{file}")).unwrap();
    let examples = json_examples(&markdown);
    assert!(
        examples.len() >= min_examples,
        "{file}: too few JSON examples found"
    );
    let failures: Vec<String> = examples
        .iter()
        .filter_map(|(line, tag, body)| match check(tag, body) {
            Some(Ok(())) => None,
            Some(Err(e)) => Some(format!("{file}:{line} ({tag}): {e}")),
            None => Some(format!(
                "{file}:{line}: unknown or missing type tag {tag:?}"
            )),
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn widget_api_examples_are_bodies_of_their_types() {
    check_doc("widget-api.md", 5, api_docs::widget::check);
}

#[test]
fn statistics_examples_are_bodies_of_their_types() {
    check_doc("statistics.md", 2, api_docs::widget::check);
}

#[test]
fn office_api_examples_are_bodies_of_their_types() {
    check_doc("office-api.md", 5, api_docs::office::check);
}

#[test]
fn operations_examples_are_bodies_of_their_types() {
    check_doc("operations.md", 2, api_docs::operations::check);
}
