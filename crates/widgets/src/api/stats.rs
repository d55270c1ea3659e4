//! The statistics' answers (`GET /stats`, `/county/stats`, the office's `/office/api/stats`;
//! docs/statistics.md) read into the model's types, like `answers.rs` does for the others.
//! Apart from it because only `<civic-stats>` reads them.
//!
//! Lenient in the same way: a count that is neither a number nor `"<5"` reads as 0, a figure
//! left out (or half there) as `None`; only an answer without its period is unreadable.

use super::json::{FromJson, Value};
use civickit_model::api::widget::{
    CategoryFigures, Count, CountyAnswer, Days, DepartmentFigures, Figures, KindCount,
    MailboxFigures, MonthFigures, ReasonCount, StateCount, StatsAnswer, TownFigures,
};
use civickit_model::{CloseReason, Status};

/// `12` or `"<5"` (the small-cell rule: 1 to 4 is published as `"<5"`).
fn count<V: Value>(j: &V, key: &str) -> Count {
    match j.num(key) {
        Some(n) => Count::Exact(n as u32),
        None if j.str(key) == "<5" => Count::FewerThanFive,
        None => Count::Exact(0),
    }
}

fn days<V: Value>(j: &V, key: &str) -> Option<Days> {
    let d = j.get(key);
    Some(Days {
        median: d.num("median")?,
        p90: d.num("p90")?,
    })
}

/// The figures of a cell, read from the object `f` itself.
fn cell<V: Value>(f: &V) -> Figures {
    Figures {
        received: count(f, "received"),
        within_promise: f.num("within_promise"),
        first_reaction: days(f, "first_reaction"),
        resolution: days(f, "resolution"),
    }
}

/// The member `figures` of a category, month, department or town.
fn figures<V: Value>(j: &V) -> Figures {
    cell(&j.get("figures"))
}

impl FromJson for StatsAnswer {
    fn from_json<V: Value>(j: &V) -> Option<StatsAnswer> {
        let mailbox = j.get("mailbox");
        Some(StatsAnswer {
            tenant: j.str("tenant"),
            name: j.str("name"),
            promise_days: j.int("promise_days") as u32,
            period: j.num("period")? as u8,
            category: j.opt_str("category"),
            updated: j.str("updated"),
            total: cell(&j.get("total")),
            by_category: j
                .list("by_category")
                .iter()
                .map(|c| CategoryFigures {
                    code: c.str("code"),
                    name: c.str("name"),
                    figures: figures(c),
                })
                .collect(),
            by_month: j
                .list("by_month")
                .iter()
                .map(|m| MonthFigures {
                    month: m.str("month"),
                    figures: figures(m),
                })
                .collect(),
            open: j
                .list("open")
                .iter()
                .filter_map(|s| {
                    Some(StateCount {
                        state: Status::parse(&s.str("state"))?,
                        count: count(s, "count"),
                    })
                })
                .collect(),
            closed_without_fix: j
                .list("closed_without_fix")
                .iter()
                .filter_map(|r| {
                    Some(ReasonCount {
                        reason: CloseReason::parse(&r.str("reason"))?,
                        count: count(r, "count"),
                        share: r.num("share"),
                    })
                })
                .collect(),
            mailbox: MailboxFigures {
                received: count(&mailbox, "received"),
                by_kind: mailbox
                    .list("by_kind")
                    .iter()
                    .map(|k| KindCount {
                        kind: k.str("kind"),
                        name: k.str("name"),
                        count: count(k, "count"),
                    })
                    .collect(),
                answer: days(&mailbox, "answer"),
            },
            by_department: j
                .list("by_department")
                .iter()
                .map(|d| DepartmentFigures {
                    id: d.num("id").map(|n| n as i64),
                    name: d.str("name"),
                    figures: figures(d),
                })
                .collect(),
        })
    }
}

impl FromJson for CountyAnswer {
    fn from_json<V: Value>(j: &V) -> Option<CountyAnswer> {
        Some(CountyAnswer {
            period: j.num("period")? as u8,
            updated: j.str("updated"),
            towns: j
                .list("towns")
                .iter()
                .map(|t| TownFigures {
                    tenant: t.str("tenant"),
                    name: t.str("name"),
                    promise_days: t.int("promise_days") as u32,
                    figures: figures(t),
                    open: count(t, "open"),
                })
                .collect(),
        })
    }
}
