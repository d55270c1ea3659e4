//! The poll widget: a poll with its state (and results when visible), and a vote.

use crate::poll::{PollMode, PollState, Question, Visibility};
use serde::{Deserialize, Serialize};

/// What a poll asks and when; shared by the widget's [`Poll`] and the office's view of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PollDefinition {
    pub slug: String,
    pub title: String,
    pub description: String,
    pub mode: PollMode,
    /// Only code polls are binding; an open poll is a "Stimmungsbild".
    pub binding: bool,
    pub visibility: Visibility,
    pub state: PollState,
    pub state_label: String,
    pub opens_at: String,
    pub closes_at: String,
    pub questions: Vec<Question>,
}

/// `GET /api/v1/{tenant}/polls/{slug}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Poll {
    #[serde(flatten)]
    pub definition: PollDefinition,
    /// Open polls only: the browser keeps it and sends it back with its vote.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voter_token: Option<String>,
    pub has_voted: bool,
    /// Only when the poll's visibility allows it now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub results: Option<PollResults>,
}

/// Counts and percentages per option; in multiple choice each chosen option counts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PollResults {
    pub participations: i64,
    pub questions: Vec<QuestionResult>,
    /// Present while the poll is open and the town shows live results in steps (its
    /// `poll_result_step` above 1): the counts are an interim result as of the last multiple of
    /// this many participations (all 0 before the first), so that no watcher can tie a change
    /// to a single vote. Absent when the counts are exact (ended, not yet open, or step 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interim_step: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuestionResult {
    pub id: i64,
    pub text: String,
    pub options: Vec<OptionResult>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OptionResult {
    pub id: i64,
    pub text: String,
    pub votes: i64,
    /// Of the participations, one decimal.
    pub percent: f64,
}

/// `POST /api/v1/{tenant}/polls/{slug}/votes`. Unknown fields are refused.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VoteRequest {
    pub answers: Vec<BallotAnswer>,
    /// Code polls: the invitation code (with or without the dash).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Open polls: the token from the poll's answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voter_token: Option<String>,
    /// The solved proof-of-work challenge (ALTCHA's base64 payload), see [`super::Challenge`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub altcha: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
}

/// The options chosen for one question. An unanswered question may leave out `options`
/// (it is then "too few choices", a field error, as if sent empty).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BallotAnswer {
    pub question: i64,
    #[serde(default)]
    pub options: Vec<i64>,
}

impl VoteRequest {
    /// (question id, chosen option ids), as `civickit_model::poll::validate_ballot` takes it.
    pub fn ballot(&self) -> Vec<(i64, Vec<i64>)> {
        self.answers
            .iter()
            .map(|a| (a.question, a.options.clone()))
            .collect()
    }
}

/// 201 to a vote; `results` only when visible to someone who has voted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VoteAnswer {
    pub counted: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub results: Option<PollResults>,
}
