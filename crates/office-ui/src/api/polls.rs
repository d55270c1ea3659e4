//! Polls (admins, `crates/server/src/http/office_polls.rs`): list, create and edit, open /
//! close / publish / delete, results, invitation codes as a file.

use crate::fetch::{self, encode, ApiError};
use serde::Deserialize;
use serde_json::{json, Value};

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct OptionResult {
    #[serde(default)]
    pub id: i64,
    pub text: String,
    #[serde(default)]
    pub votes: i64,
    #[serde(default)]
    pub percent: f64,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct QuestionResult {
    pub text: String,
    pub options: Vec<OptionResult>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Results {
    #[serde(default)]
    pub participations: i64,
    #[serde(default)]
    pub questions: Vec<QuestionResult>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct PollOption {
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct PollQuestion {
    pub text: String,
    pub kind: String,
    #[serde(default)]
    pub min_choices: i64,
    #[serde(default)]
    pub max_choices: i64,
    #[serde(default)]
    pub options: Vec<PollOption>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Poll {
    pub slug: String,
    pub title: String,
    #[serde(default)]
    pub description: String,
    pub mode: String,
    pub visibility: String,
    pub state: String,
    pub opens_at: String,
    pub closes_at: String,
    #[serde(default)]
    pub questions: Vec<PollQuestion>,
    #[serde(default)]
    pub results: Option<Results>,
    #[serde(default)]
    pub published: bool,
    #[serde(default)]
    pub codes_issued: Option<i64>,
    #[serde(default)]
    pub codes_used: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct PollList {
    polls: Vec<Poll>,
}

pub async fn polls() -> Result<Vec<Poll>, ApiError> {
    fetch::get::<PollList>("/polls").await.map(|l| l.polls)
}

pub async fn results(slug: &str) -> Result<Results, ApiError> {
    fetch::get(&format!("/polls/{}/results", encode(slug))).await
}

/// Creates a poll (`slug` none) or replaces one.
pub async fn save(slug: Option<&str>, body: Value) -> Result<(), ApiError> {
    let body = fetch::Body::Json(body);
    match slug {
        Some(s) => fetch::send("PUT", &format!("/polls/{}", encode(s)), body).await,
        None => fetch::send("POST", "/polls", body).await,
    }
    .map(|_| ())
}

/// `open`, `close`, `publish` or `delete`.
pub async fn act(slug: &str, what: &str) -> Result<(), ApiError> {
    let path = format!("/polls/{}", encode(slug));
    if what == "delete" {
        fetch::send("DELETE", &path, fetch::Body::None).await
    } else {
        fetch::post_text(&format!("{path}/{what}"), json!({})).await
    }
    .map(|_| ())
}

/// Invitation codes as a file to download (`format`: csv or html), shown once.
pub async fn codes_file(slug: &str, count: i64, format: &str) -> Result<String, ApiError> {
    let path = format!("/polls/{}/codes?format={format}", encode(slug));
    fetch::post_text(&path, json!({ "count": count })).await
}
