//! `<civic-stats data-county>`: the towns the operator opted in, side by side. The chart
//! compares the share of first reactions within each town's own promise (a percentage, so
//! towns of any size compare), the table gives every figure and each town's promise.

use super::chart::{chart, Bar};
use super::format::{cat, Fmt};
use super::view::{figure_cells, figure_head, notes, para, section, table};
use crate::ui::H;
use civickit_model::api::widget::CountyAnswer;

pub fn county(a: &CountyAnswer, f: &Fmt) -> Vec<H> {
    let t = f.t;
    let meta = cat(&[
        &f.num(a.period as f64),
        t.months,
        " · ",
        t.updated,
        &f.when(&a.updated),
    ]);
    let mut out = vec![para("civic-meta", &meta)];
    if a.towns.is_empty() {
        out.push(para("", t.no_towns));
        return out;
    }
    let bars: Vec<Bar> = a
        .towns
        .iter()
        .map(|town| Bar {
            label: town.name.clone(),
            value: town.figures.within_promise.unwrap_or(0.0),
            text: f.percent(town.figures.within_promise),
        })
        .collect();
    let best = a
        .towns
        .iter()
        .filter_map(|town| Some((town, town.figures.within_promise?)))
        .fold(None, |best: Option<(_, f64)>, (town, p)| match best {
            Some((_, q)) if q >= p => best,
            _ => Some((town, p)),
        });
    let sentence = match best {
        Some((town, p)) => cat(&[
            t.county_best[0],
            &town.name,
            t.county_best[1],
            &f.percent(Some(p)),
            ").",
        ]),
        None => t.county_none.to_string(),
    };
    let mut head = figure_head(t, t.c_town);
    head.insert(1, t.c_promise);
    head.push(t.open_now);
    let rows = a
        .towns
        .iter()
        .map(|town| {
            let mut cells = figure_cells(f, &town.figures);
            cells.insert(0, f.num(town.promise_days as f64));
            cells.push(f.count(town.open));
            (town.name.clone(), cells)
        })
        .collect();
    out.push(section(
        t.county_chart,
        vec![
            chart(&bars, 100.0, false),
            para("civic-chart-summary", &sentence),
            table(t.county_table, &head, rows),
        ],
    ));
    out.push(notes(f, false));
    out
}
