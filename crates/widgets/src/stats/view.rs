//! The figures of one town as the reader sees them: headline numbers, then per category and
//! per month a chart, its sentence and its table, then the reports closed without a fix, the
//! mailbox, (in the office) the departments, and the notes on "< 5", "–" and the median.

use super::chart::{chart, Bar};
use super::format::{cat, short_month, Fmt};
use super::texts::Texts;
use crate::ui::H;
use civickit_model::api::widget::{Count, Figures, StatsAnswer};

/// A `<section>` with its `<h3>`.
pub fn section(heading: &str, parts: Vec<H>) -> H {
    let s = H::new("section")
        .class("civic-stats-part")
        .child(&H::new("h3").text(heading));
    for p in parts {
        let _ = s.0.append_child(&p.0);
    }
    s
}

pub fn para(class: &str, text: &str) -> H {
    H::new("p").class(class).text(text)
}

/// A table with its caption, column headers and one header cell per row. In a region that
/// scrolls sideways on a phone; the region is focusable so that it can be scrolled with the
/// keyboard (axe-core: scrollable-region-focusable) and named by the caption.
pub fn table(caption: &str, head: &[&str], rows: Vec<(String, Vec<String>)>) -> H {
    let tr = H::new("tr");
    for h in head {
        let _ =
            tr.0.append_child(&H::new("th").attr("scope", "col").text(h).0);
    }
    let body = H::new("tbody");
    for (label, cells) in rows {
        let row = H::new("tr").child(&H::new("th").attr("scope", "row").text(&label));
        for c in cells {
            let _ = row.0.append_child(&H::new("td").text(&c).0);
        }
        let _ = body.0.append_child(&row.0);
    }
    H::new("div")
        .class("civic-table")
        .attr("role", "region")
        .attr("aria-label", caption)
        .attr("tabindex", "0")
        .child(
            &H::new("table")
                .child(&H::new("caption").text(caption))
                .child(&H::new("thead").child(&tr))
                .child(&body),
        )
}

/// The column headers of a cell's figures, after the first column's `what`.
pub fn figure_head<'a>(t: &'a Texts, what: &'a str) -> Vec<&'a str> {
    vec![
        what,
        t.c_received,
        t.c_within,
        t.c_first_median,
        t.c_first_p90,
        t.c_res_median,
        t.c_res_p90,
    ]
}

/// A cell's figures as the table's cells (all of them, p90 too).
pub fn figure_cells(f: &Fmt, x: &Figures) -> Vec<String> {
    vec![
        f.count(x.received),
        f.percent(x.within_promise),
        f.opt(x.first_reaction.map(|d| d.median)),
        f.opt(x.first_reaction.map(|d| d.p90)),
        f.opt(x.resolution.map(|d| d.median)),
        f.opt(x.resolution.map(|d| d.p90)),
    ]
}

/// A count as a bar: its length and its number ("< 5" also in English: the chart is hidden
/// from screen readers, the table beside it says it in words).
fn bar(label: String, c: Count, f: &Fmt) -> Bar {
    let (value, text) = match c {
        Count::Exact(n) => (n as f64, f.num(n as f64)),
        Count::FewerThanFive => (0.0, "< 5".to_string()),
    };
    Bar { label, value, text }
}

/// The largest exact count (above 0) and whose it is.
fn largest<'a>(cells: impl Iterator<Item = (&'a str, Count)>) -> Option<(&'a str, u32)> {
    cells
        .filter_map(|(name, c)| match c {
            Count::Exact(n) if n > 0 => Some((name, n)),
            _ => None,
        })
        .fold(None, |best: Option<(&'a str, u32)>, (name, n)| match best {
            Some((_, m)) if m >= n => best,
            _ => Some((name, n)),
        })
}

/// The sentence under a chart: where most reports were, or why there is no such place.
fn summary(counts: &[Count], most: Option<(&str, u32)>, sentence: [&str; 2], f: &Fmt) -> H {
    let t = f.t;
    let text = match most {
        _ if counts.iter().all(|c| *c == Count::Exact(0)) => t.none_received.to_string(),
        Some((name, n)) => cat(&[sentence[0], name, sentence[1], &f.num(n as f64), ")."]),
        None => t.all_small.to_string(),
    };
    para("civic-chart-summary", &text)
}

/// The headline numbers of the selection.
fn headline(a: &StatsAnswer, f: &Fmt) -> H {
    let t = f.t;
    let promise = if a.promise_days == 1 {
        t.within_promise_one.to_string()
    } else {
        cat(&[
            t.within_promise[0],
            &f.num(a.promise_days as f64),
            t.within_promise[1],
        ])
    };
    // "6 eingegangen, 3 in Bearbeitung"
    let mut states = String::new();
    for s in &a.open {
        let sep = if states.is_empty() { "" } else { ", " };
        states = cat(&[&states, sep, &f.count(s.count), " ", s.state.label(t.lang)]);
    }
    let sum = a.open.iter().try_fold(0, |sum, s| match s.count {
        Count::Exact(n) => Some(sum + n),
        Count::FewerThanFive => None,
    });
    let open = match sum {
        Some(n) => cat(&[&f.num(n as f64), " (", &states, ")"]),
        None => states,
    };
    let x = &a.total;
    let list = H::new("dl").class("civic-kpis");
    for (label, value) in [
        (t.received, f.count(x.received)),
        (promise.as_str(), f.percent(x.within_promise)),
        (t.first_median, f.days(x.first_reaction.map(|d| d.median))),
        (t.resolution_median, f.days(x.resolution.map(|d| d.median))),
        (t.open_now, open),
    ] {
        let _ = list.0.append_child(
            &H::new("div")
                .child(&H::new("dt").text(label))
                .child(&H::new("dd").text(&value))
                .0,
        );
    }
    list
}

/// The notes on what "< 5", "–", the median and "90 % bis" mean, each once.
pub fn notes(f: &Fmt, office: bool) -> H {
    let t = f.t;
    let notes = H::new("div")
        .class("civic-stats-notes")
        .child(&para("civic-help", t.median_note));
    if f.small.get() {
        let _ = notes.0.append_child(&para("civic-help", t.small_note).0);
    }
    if f.missing.get() {
        let missing = if office {
            t.missing_note_office
        } else {
            t.missing_note
        };
        let _ = notes.0.append_child(&para("civic-help", missing).0);
    }
    notes
}

/// The whole answer: `selection` names the category shown ("Alle Kategorien" or its name).
pub fn town(a: &StatsAnswer, f: &Fmt, selection: &str, office: bool) -> Vec<H> {
    let t = f.t;
    let months = &a.by_month;
    let span = match (months.first(), months.last()) {
        (Some(from), Some(to)) => cat(&[&f.month(&from.month), t.to, &f.month(&to.month)]),
        _ => String::new(),
    };
    let meta = cat(&[
        &span,
        " · ",
        selection,
        " · ",
        t.updated,
        &f.when(&a.updated),
    ]);
    let mut out = vec![para("civic-meta", &meta), headline(a, f)];

    // Per category: every category over the period, whatever the filter.
    let cats = &a.by_category;
    let max = largest(cats.iter().map(|c| (c.name.as_str(), c.figures.received)));
    let counts: Vec<Count> = cats.iter().map(|c| c.figures.received).collect();
    let mut rows: Vec<(String, Vec<String>)> = cats
        .iter()
        .map(|c| (c.name.clone(), figure_cells(f, &c.figures)))
        .collect();
    if a.category.is_none() {
        rows.push((t.all_categories.to_string(), figure_cells(f, &a.total)));
    }
    let caption = cat(&[t.by_category, ": ", t.all_figures]);
    out.push(section(
        t.by_category,
        vec![
            chart(
                &cats
                    .iter()
                    .map(|c| bar(c.name.clone(), c.figures.received, f))
                    .collect::<Vec<_>>(),
                max.map_or(1.0, |m| m.1 as f64),
                false,
            ),
            summary(&counts, max, t.most_category, f),
            table(&caption, &figure_head(t, t.category), rows),
        ],
    ));

    // Per month, of the selection.
    let labels: Vec<String> = months.iter().map(|m| f.month(&m.month)).collect();
    let counts: Vec<Count> = months.iter().map(|m| m.figures.received).collect();
    let max = largest(
        labels
            .iter()
            .zip(months)
            .map(|(l, m)| (l.as_str(), m.figures.received)),
    );
    let mut rows: Vec<(String, Vec<String>)> = labels
        .iter()
        .zip(months)
        .map(|(l, m)| (l.clone(), figure_cells(f, &m.figures)))
        .collect();
    rows.push((t.total.to_string(), figure_cells(f, &a.total)));
    let caption = cat(&[t.by_month, ": ", t.all_figures]);
    out.push(section(
        t.by_month,
        vec![
            chart(
                &months
                    .iter()
                    .map(|m| bar(short_month(t, &m.month), m.figures.received, f))
                    .collect::<Vec<_>>(),
                max.map_or(1.0, |m| m.1 as f64),
                true,
            ),
            summary(&counts, max, t.most_month, f),
            table(&caption, &figure_head(t, t.c_month), rows),
        ],
    ));

    // Closed without a fix, per reason.
    let lang = t.lang;
    let rows = a
        .closed_without_fix
        .iter()
        .map(|r| {
            (
                r.reason.label(lang).to_string(),
                vec![f.count(r.count), f.percent(r.share)],
            )
        })
        .collect();
    out.push(section(
        t.closed,
        vec![table(t.closed, &[t.c_reason, t.c_count, t.c_share], rows)],
    ));

    // The mailbox (the category filter does not apply).
    let m = &a.mailbox;
    let mut rows: Vec<(String, Vec<String>)> = m
        .by_kind
        .iter()
        .map(|k| (k.name.clone(), vec![f.count(k.count)]))
        .collect();
    rows.push((t.total.to_string(), vec![f.count(m.received)]));
    let answer = match m.answer {
        Some(d) => cat(&[
            t.answer_times[0],
            &f.days(Some(d.median)),
            t.answer_times[1],
            &f.days(Some(d.p90)),
            ".",
        ]),
        None => {
            f.dash();
            t.answer_unknown.to_string()
        }
    };
    out.push(section(
        t.mailbox,
        vec![
            para("civic-stats-answer", &answer),
            table(t.mailbox, &[t.c_kind, t.c_messages], rows),
        ],
    ));

    // The office: per department, exact.
    if !a.by_department.is_empty() {
        let rows = a
            .by_department
            .iter()
            .map(|d| (d.name.clone(), figure_cells(f, &d.figures)))
            .collect();
        out.push(section(
            t.by_department,
            vec![table(
                t.by_department,
                &figure_head(t, t.c_department),
                rows,
            )],
        ));
    }
    out.push(notes(f, office));
    out
}
