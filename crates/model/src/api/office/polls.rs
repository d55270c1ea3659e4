//! Polls in the office (admins): definitions, schedule, invitation codes and results.

use crate::poll::{PollMode, PollState, Question, Visibility};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PollList {
    pub polls: Vec<OfficePoll>,
}

/// A poll as the office sees it: its definition, state and results, whatever the public
/// visibility. While the poll is open, `results` follow the town's step as the public's do
/// (an official is a watcher too); `participations` is the exact turnout, which says that
/// someone voted but not what.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OfficePoll {
    pub slug: String,
    pub title: String,
    pub description: String,
    pub mode: PollMode,
    /// Whether the result binds the council (`codes` polls).
    pub binding: bool,
    pub visibility: Visibility,
    pub state: PollState,
    /// German label of `state`.
    pub state_label: String,
    pub opens_at: String,
    pub closes_at: String,
    pub questions: Vec<Question>,
    /// How many have voted so far (exact; editing ends with the first).
    pub participations: i64,
    pub results: PollResults,
    pub published: bool,
    /// Only for `codes` polls.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub codes_issued: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub codes_used: Option<i64>,
}

// Results are the very types the poll widget reads: one definition, one rounding.
pub use crate::api::widget::{OptionResult, PollResults, QuestionResult};

/// `POST /office/api/polls` and `PUT /office/api/polls/{slug}` (until the first vote).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PollDefinition {
    pub title: String,
    /// May be left out (empty).
    #[serde(default)]
    pub description: String,
    /// `open` or `codes`.
    pub mode: String,
    /// `live`, `after_voting`, `after_closing` or `when_published`.
    pub visibility: String,
    /// RFC 3339, e.g. `2026-12-01T08:00:00+01:00`.
    pub opens_at: String,
    pub closes_at: String,
    pub questions: Vec<QuestionDefinition>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionDefinition {
    pub text: String,
    /// `single` or `multiple`.
    pub kind: String,
    /// May be left out (1).
    #[serde(default = "one_choice")]
    pub min_choices: i64,
    /// May be left out (1).
    #[serde(default = "one_choice")]
    pub max_choices: i64,
    pub options: Vec<String>,
}

fn one_choice() -> i64 {
    1
}

/// `POST /office/api/polls/{slug}/codes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewCodes {
    /// 1 to 5000.
    pub count: usize,
}

/// The new invitation codes, shown this once (the server keeps only hashes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Codes {
    pub codes: Vec<String>,
}

/// `?format=` of the codes and results: `csv` (and `html` slips for codes); JSON otherwise.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormatQuery {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
}
