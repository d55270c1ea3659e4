//! `<civic-stats>`: the town's processing statistics (docs/statistics.md). Headline numbers,
//! a chart per category and per month, each followed by its sentence and its table, the
//! reports closed without a fix and the mailbox; filters by category and period.
//!
//! Three sources, one view: `data-tenant` reads `GET /api/v1/{tenant}/stats`; `data-county`
//! reads `GET /api/v1/county/stats` (the opted-in towns side by side, period filter only);
//! `data-source="office"` (the office's page "Statistik") reads `/office/api/stats` on its
//! own origin with the session cookie: exact counts and the table per department.
//!
//! The filters are built once and never replaced, so a reader who changes one with the
//! keyboard keeps the focus where it is; only the results below them are rebuilt, and the
//! change is announced in a live region. No map code here (`--features stats`).

mod chart;
mod county;
mod format;
mod style;
mod texts;
mod view;

use crate::api::{encode, Api};
use crate::ui::{on, set_text, show, value, H};
use civickit_model::api::widget::{CountyAnswer, StatsAnswer, PERIODS};
use format::{cat, Fmt};
use std::cell::Cell;
use std::rc::Rc;
use texts::{texts, Texts};
use wasm_bindgen_futures::spawn_local;

pub fn mount(target: web_sys::HtmlElement, host: web_sys::HtmlElement, mut api: Api) {
    let mode = if host.has_attribute("data-county") {
        // `GET /api/v1/county/stats`: the county is addressed where a town would be.
        api.tenant = "county".into();
        Mode::County
    } else if host.get_attribute("data-source").as_deref() == Some("office") {
        Mode::Office
    } else {
        Mode::Town
    };
    style::adopt(&target);
    let w = Stats::build(api, mode);
    let _ = target.append_child(&w.root.0);
    Stats::load(&w, false);
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Town,
    County,
    Office,
}

/// The period a reader sees first (docs/statistics.md: the default).
const DEFAULT_PERIOD: u8 = 12;

struct Stats {
    api: Api,
    mode: Mode,
    t: &'static Texts,
    /// The number of the last request: an answer to an earlier one (a reader who changed two
    /// filters quickly) is dropped, so the results always match the filters.
    seq: Cell<u32>,
    /// Whether the category list was filled (from the first answer's `by_category`).
    filled: Cell<bool>,
    root: H,
    title: H,
    announce: H,
    category: Option<H>,
    failed: H,
    results: H,
}

impl Stats {
    fn build(api: Api, mode: Mode) -> Rc<Stats> {
        let t = texts(api.lang);
        let root = H::new("div")
            .class("civic civic-stats")
            .attr("lang", api.lang.code());
        let title = H::new("h2").text(if mode == Mode::County {
            t.county_title
        } else {
            t.heading
        });
        let announce = H::new("div")
            .class("civic-sr")
            .attr("role", "status")
            .attr("aria-live", "polite")
            .attr("aria-atomic", "true");
        let filters = H::new("div").class("civic-filters");
        let category = (mode != Mode::County).then(|| {
            let select = H::new("select")
                .id("civic-st-cat")
                .child(&H::new("option").attr("value", "").text(t.all_categories));
            let _ = filters.0.append_child(
                &H::new("div")
                    .class("civic-catfilter")
                    .child(&H::new("label").attr("for", "civic-st-cat").text(t.category))
                    .child(&select)
                    .0,
            );
            select
        });
        let periods = H::new("fieldset").child(&H::new("legend").text(t.period));
        for p in PERIODS {
            let n = p.to_string();
            let id = cat(&["civic-st-p", &n]);
            let radio = H::new("input")
                .attr("type", "radio")
                .attr("name", "civic-st-period")
                .id(&id)
                .attr("value", &n);
            if p == DEFAULT_PERIOD {
                let _ = radio.0.set_attribute("checked", "");
            }
            let _ = periods.0.append_child(
                &H::new("span")
                    .class("civic-check")
                    .child(&radio)
                    .child(&H::new("label").attr("for", &id).text(&cat(&[&n, t.months])))
                    .0,
            );
        }
        let _ = filters.0.append_child(&periods.0);
        let retry = H::new("button")
            .class("civic-button")
            .attr("type", "button")
            .text(t.retry);
        let failed = H::new("div")
            .class("civic-alert civic-hidden")
            .attr("role", "alert")
            .child(&H::new("p").text(t.load_failed))
            .child(&retry);
        let results = H::new("div")
            .class("civic-stats-results")
            .child(&H::new("p").text(t.loading));
        for part in [
            &title,
            &H::new("p").class("civic-help").text(t.intro),
            &announce,
            &filters,
            &failed,
            &results,
        ] {
            let _ = root.0.append_child(&part.0);
        }
        let w = Rc::new(Stats {
            api,
            mode,
            t,
            seq: Cell::new(0),
            filled: Cell::new(false),
            root,
            title,
            announce,
            category,
            failed,
            results,
        });
        let me = w.clone();
        on(&filters.0, "change", move |_| Stats::load(&me, true));
        let me = w.clone();
        on(&retry.0, "click", move |_| Stats::load(&me, false));
        w
    }

    fn period(&self) -> String {
        self.root
            .0
            .query_selector("input[name=civic-st-period]:checked")
            .ok()
            .flatten()
            .map(|r| value(&r))
            .unwrap_or_else(|| DEFAULT_PERIOD.to_string())
    }

    fn category_code(&self) -> String {
        self.category
            .as_ref()
            .map(|c| value(&c.0))
            .unwrap_or_default()
    }

    /// The request's URL; its query as www/civic.js's `firstRequest` builds it for the first.
    fn url(&self) -> String {
        let mut query = cat(&["period=", &self.period()]);
        let category = self.category_code();
        if !category.is_empty() {
            query.push_str("&category=");
            query.push_str(&encode(&category));
        }
        match self.mode {
            Mode::Office => cat(&[
                self.api.base.trim_end_matches('/'),
                "/office/api/stats?",
                &query,
                "&lang=",
                self.api.lang.code(),
            ]),
            _ => self.api.url("/stats", &query),
        }
    }

    /// Fetches the figures for the filters as they are now and shows them; `announce`: say
    /// so in the live region (a reader changed a filter).
    fn load(w: &Rc<Stats>, announce: bool) {
        let n = w.seq.get() + 1;
        w.seq.set(n);
        show(&w.failed.0, false);
        let _ = w.results.0.set_attribute("aria-busy", "true");
        let url = w.url();
        let w = w.clone();
        spawn_local(async move {
            let f = Fmt::new(w.t);
            let shown = if w.mode == Mode::County {
                let answer = w.api.get_url::<CountyAnswer>(&url).await;
                if w.seq.get() != n {
                    return;
                }
                answer.map(|a| (county::county(&a, &f), String::new()))
            } else {
                let answer = w.api.get_url::<StatsAnswer>(&url).await;
                if w.seq.get() != n {
                    return;
                }
                answer.map(|a| w.town(&a, &f))
            };
            let _ = w.results.0.remove_attribute("aria-busy");
            match shown {
                Ok((parts, selection)) => {
                    let results = &w.results.0;
                    results.set_text_content(None);
                    for part in parts {
                        let _ = results.append_child(&part.0);
                    }
                    if announce {
                        let t = w.t;
                        let sep = if selection.is_empty() { "" } else { ", " };
                        let text = cat(&[t.announce, &selection, sep, &w.period(), t.months, "."]);
                        set_text(&w.announce.0, &text);
                    }
                }
                Err(_) => show(&w.failed.0, true),
            }
        });
    }

    /// One town's answer: the title and category list from the first, then the view; with
    /// the name of the category shown.
    fn town(&self, a: &StatsAnswer, f: &Fmt) -> (Vec<H>, String) {
        let t = self.t;
        set_text(&self.title.0, &cat(&[t.heading, t.of, &a.name]));
        if let (Some(select), false) = (&self.category, self.filled.get()) {
            self.filled.set(true);
            for c in &a.by_category {
                let _ = select
                    .0
                    .append_child(&H::new("option").attr("value", &c.code).text(&c.name).0);
            }
        }
        let selection = a
            .category
            .as_ref()
            .and_then(|code| a.by_category.iter().find(|c| c.code == *code))
            .map_or(t.all_categories, |c| c.name.as_str())
            .to_string();
        (
            view::town(a, f, &selection, self.mode == Mode::Office),
            selection,
        )
    }
}
