//! `GET /api/v1/{tenant}/stats` (public processing statistics, `<civic-stats>`), the county
//! view `GET /api/v1/county/stats`, and the office's `GET /office/api/stats` (the same answer
//! with `by_department`, exact counts). `docs/statistics.md` defines every figure; the
//! computation is `crate::stats`.

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use crate::{CloseReason, Status};

/// Periods a reader may pick, in months ending with the current one; 12 is the default.
pub const PERIODS: [u8; 3] = [3, 6, 12];

/// A count as published: exact, or `"<5"` for 1 to 4 reports, so that no single citizen's case
/// can be picked out of a small cell. Zero is shown as zero. In the office counts are exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Count {
    Exact(u32),
    FewerThanFive,
}

/// Fewer than this many reports (or messages) in a cell: the count is `"<5"` and nothing is
/// derived from them (no share, no median).
pub const SMALL_CELL: u32 = 5;

impl Count {
    /// The public form of `n`.
    pub fn public(n: u32) -> Count {
        if n > 0 && n < SMALL_CELL {
            Count::FewerThanFive
        } else {
            Count::Exact(n)
        }
    }
}

impl Serialize for Count {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Count::Exact(n) => s.serialize_u32(*n),
            Count::FewerThanFive => s.serialize_str("<5"),
        }
    }
}

impl<'de> Deserialize<'de> for Count {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Count, D::Error> {
        struct CountVisitor;
        impl Visitor<'_> for CountVisitor {
            type Value = Count;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a count or \"<5\"")
            }
            fn visit_u64<E: de::Error>(self, n: u64) -> Result<Count, E> {
                u32::try_from(n)
                    .map(Count::Exact)
                    .map_err(|_| E::custom("count too large"))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Count, E> {
                if s == "<5" {
                    Ok(Count::FewerThanFive)
                } else {
                    Err(E::invalid_value(de::Unexpected::Str(s), &self))
                }
            }
        }
        d.deserialize_any(CountVisitor)
    }
}

/// Days from a report's receipt to an event: the median and the 90th percentile (nearest
/// rank), in days with one decimal.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Days {
    pub median: f64,
    pub p90: f64,
}

/// The figures of one cell (the whole selection, a category, a month, a department, a town).
/// A figure computed from fewer than [`SMALL_CELL`] reports is left out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figures {
    /// Reports received in the cell.
    pub received: Count,
    /// Percent (one decimal) of reports whose first reaction came within the promise, of those
    /// that had one or whose promise has run out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub within_promise: Option<f64>,
    /// Days to the first reaction, of the reports that had one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_reaction: Option<Days>,
    /// Days to "erledigt", of the reports resolved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolution: Option<Days>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CategoryFigures {
    pub code: String,
    pub name: String,
    pub figures: Figures,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonthFigures {
    /// `YYYY-MM`, in the town's time (Europe/Berlin).
    pub month: String,
    pub figures: Figures,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DepartmentFigures {
    /// `None`: reports routed to no department.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    pub name: String,
    pub figures: Figures,
}

/// Reports open now in a state (of any age, in the selected category).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StateCount {
    pub state: Status,
    pub count: Count,
}

/// Reports of the selection closed without a fix for one reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReasonCount {
    pub reason: CloseReason,
    pub count: Count,
    /// Percent (one decimal) of the reports received in the selection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KindCount {
    pub kind: String,
    pub name: String,
    pub count: Count,
}

/// The mailbox in the period (the category filter does not apply).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MailboxFigures {
    pub received: Count,
    pub by_kind: Vec<KindCount>,
    /// Days from a message to the town's first answer, of the messages answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<Days>,
}

/// The answer of `GET /api/v1/{tenant}/stats?period=12&category=…`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatsAnswer {
    pub tenant: String,
    pub name: String,
    /// The town's promise of a first reaction, in days.
    pub promise_days: u32,
    /// The period in months (one of [`PERIODS`]), ending with the current month.
    pub period: u8,
    /// The selected category's code; none: all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// When the figures were computed (RFC 3339, UTC); they are kept a few minutes.
    pub updated: String,
    /// The selection's figures (headline numbers).
    pub total: Figures,
    /// Every category over the period (the category filter does not apply).
    pub by_category: Vec<CategoryFigures>,
    /// Each month of the period, oldest first; a month without reports is all zero.
    pub by_month: Vec<MonthFigures>,
    pub open: Vec<StateCount>,
    pub closed_without_fix: Vec<ReasonCount>,
    pub mailbox: MailboxFigures,
    /// Office only: per department, exact.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub by_department: Vec<DepartmentFigures>,
}

/// One town of the county view.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TownFigures {
    pub tenant: String,
    pub name: String,
    pub promise_days: u32,
    pub figures: Figures,
    pub open: Count,
}

/// The answer of `GET /api/v1/county/stats?period=12`: the towns the operator opted in, side
/// by side, in name order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CountyAnswer {
    pub period: u8,
    pub updated: String,
    pub towns: Vec<TownFigures>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_under_five_are_published_as_fewer_than_five() {
        assert_eq!(Count::public(0), Count::Exact(0));
        assert_eq!(Count::public(1), Count::FewerThanFive);
        assert_eq!(Count::public(4), Count::FewerThanFive);
        assert_eq!(Count::public(5), Count::Exact(5));
        let json = serde_json::to_string(&[Count::Exact(7), Count::FewerThanFive]).unwrap();
        assert_eq!(json, r#"[7,"<5"]"#);
        let back: Vec<Count> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, [Count::Exact(7), Count::FewerThanFive]);
        assert!(serde_json::from_str::<Count>(r#""<6""#).is_err());
    }
}
