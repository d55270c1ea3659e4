//! The open-data CSV of the statistics: one row per month and category of the period, plus the
//! row `alle` for all categories, under the same small-cell rule as the API.

use super::{Facts, Selection};
use crate::csv_out::cell;
use civickit_model::api::widget::{Count, Days, Figures};
use civickit_model::stats;

const HEADER: &str = "month,category,received,within_promise_percent,\
first_reaction_median_days,first_reaction_p90_days,resolution_median_days,resolution_p90_days\n";

/// The CSV of `selection`'s period (its category is ignored: the file has them all).
pub fn csv(f: &Facts, selection: &Selection) -> String {
    let audience = selection.audience;
    let mut out = String::from(HEADER);
    for month in f.period(selection.period) {
        let months = std::slice::from_ref(month);
        let all = std::iter::once(("alle", None));
        let each = f.categories.iter().map(|c| (c.code.as_str(), Some(c.id)));
        for (label, category) in all.chain(each) {
            let figures = stats::figures(f.received(months, category), f.at, f.promise(), audience);
            row(&mut out, &super::month_name(*month), label, &figures);
        }
    }
    out
}

fn row(out: &mut String, month: &str, category: &str, f: &Figures) {
    let count = match f.received {
        Count::Exact(n) => n.to_string(),
        Count::FewerThanFive => "<5".into(),
    };
    let number = |x: Option<f64>| x.map(|x| x.to_string()).unwrap_or_default();
    let median = |d: Option<Days>| number(d.map(|d| d.median));
    let p90 = |d: Option<Days>| number(d.map(|d| d.p90));
    let cells = [
        cell(month),
        cell(category),
        // "<5" begins with no formula character, so it is written as it is.
        cell(&count),
        number(f.within_promise),
        median(f.first_reaction),
        p90(f.first_reaction),
        median(f.resolution),
        p90(f.resolution),
    ];
    out.push_str(&cells.join(","));
    out.push('\n');
}
