//! The state of `<civic-reports>`: every signal of the widget in one `Copy` struct that each
//! view takes by value, and the operations that more than one view needs (loading, choosing
//! a place, checking the draft, moving between the steps of the report form).
//!
//! One struct rather than signals passed one by one: Leptos signals are arena handles (`Copy`),
//! so handing the whole state to a view costs nothing, and a view's signature does not change
//! each time it reads one more signal. Operations that belong to one view (support a report,
//! send the form, find my location) live with that view as further `impl State` blocks.

use super::map::MapView;
use super::photos;
use super::tiles::TileRange;
use crate::api::{Api, ApiError};
use crate::texts::{count, texts, Texts};
use civickit_model::api::widget::{
    Config, MapAnswer, NearbyReport, ReportCreated, ReportDetail, ReportSummary,
};
use civickit_model::{Area, Lang, LatLng, NewReport, Status};
use leptos::html::Div;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::rc::Rc;
use wasm_bindgen::JsCast;

/// Where the citizen is in the report form (`Off`: not reporting, the map and list only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Off,
    Locate,
    Details,
    Preview,
    Done,
}

/// The heading of a step of the form (focused when the step opens).
const FLOW_HEADING: &str = ".civic-flow h3";

/// A field and its message, as the form shows it (from the model's checks or a 422 answer).
pub type FieldMessages = Vec<(String, String)>;

/// Reports per page of the list.
const LIST_PAGE: u32 = 20;

/// The tiles of the map's last answer, its filters and its `total`.
#[derive(Debug, Clone, PartialEq)]
pub struct Covered {
    pub range: TileRange,
    pub filter: String,
    pub total: u64,
}

#[derive(Clone, Copy)]
pub struct State {
    pub t: &'static Texts,
    pub lang: Lang,
    pub api: StoredValue<Api>,
    /// The custom element itself: events for the host page are dispatched on it.
    pub host: StoredValue<web_sys::HtmlElement, LocalStorage>,
    pub map_view: StoredValue<Option<Rc<MapView>>, LocalStorage>,
    /// The photo panel of the report being written (step 2) and then sent (the receipt):
    /// built once per report, kept across the re-renders of the steps.
    pub photo_panel: StoredValue<Option<Rc<photos::Panel>>, LocalStorage>,
    /// Numbers the map's and the list's loads, so that only the answer to the newest is shown.
    pub load_seq: StoredValue<u32>,
    pub list_seq: StoredValue<u32>,
    /// The tiles the map shows now (`None`: no map, or not shown yet).
    pub view: StoredValue<Option<TileRange>>,
    /// What the map's last answer holds: no request while the view stays within it.
    pub covered: StoredValue<Option<Covered>>,
    /// The list's query (area, filters) of the reports in `list` (`None`: nothing loaded yet).
    pub list_query: StoredValue<Option<String>>,
    /// Where the page loaded last starts in `list` (the list focuses it after "more").
    pub list_page_start: StoredValue<usize>,

    // Where the views are drawn.
    pub root: NodeRef<Div>,
    pub map_ref: NodeRef<Div>,
    pub list_ref: NodeRef<Div>,
    pub details_ref: NodeRef<Div>,
    pub flow_ref: NodeRef<Div>,
    /// The rest of step 1 (buttons, the place in words, "Weiter"), under the map: the map sits
    /// directly under the step's panel, so that a phone shows it without scrolling.
    pub more_ref: NodeRef<Div>,
    pub search_ref: NodeRef<Div>,

    // The map and the list of public reports.
    pub config: RwSignal<Option<Config>>,
    pub load_error: RwSignal<bool>,
    /// How many reports the map's area holds (its last answer's `total`; `None` without a map).
    pub total: RwSignal<Option<u64>>,
    /// The area the list shows: the box of the map's last answer (`bbox=…`), so that it lists
    /// what `total` counts; `None` without a map (the whole town, newest first).
    pub list_area: RwSignal<Option<String>>,
    /// The list's pages loaded so far, and whether there are more.
    pub list: RwSignal<Vec<ReportSummary>>,
    pub list_more: RwSignal<bool>,
    /// The reports placed only in words: no map box holds them, the list shows them anyway.
    pub unlocated: RwSignal<Option<Vec<ReportSummary>>>,
    pub loading: RwSignal<bool>,
    pub map_ok: RwSignal<bool>,
    pub list_view: RwSignal<bool>,
    pub status_filter: RwSignal<Vec<Status>>,
    pub category_filter: RwSignal<String>,

    // The details of one public report.
    pub selected: RwSignal<Option<String>>,
    pub detail: RwSignal<Option<ReportDetail>>,
    pub support_message: RwSignal<Option<String>>,

    // The report form: what was typed (kept while steps are rebuilt) and how sending went.
    pub step: RwSignal<Step>,
    pub position: RwSignal<Option<LatLng>>,
    /// The address of a position (`Hauptstraße 12`), from the town's own list: shown instead
    /// of the coordinates while `position` is still that position (see `places`).
    pub place: RwSignal<Option<(LatLng, String)>>,
    pub address: RwSignal<String>,
    pub category: RwSignal<String>,
    pub description: RwSignal<String>,
    pub email: RwSignal<String>,
    /// The honeypot field.
    pub website: RwSignal<String>,
    pub errors: RwSignal<FieldMessages>,
    pub nearby: RwSignal<Vec<NearbyReport>>,
    pub sending: RwSignal<bool>,
    pub submit_error: RwSignal<Option<String>>,
    pub created: RwSignal<Option<ReportCreated>>,
    pub geo_message: RwSignal<Option<String>>,
    /// The text of the polite live region (what a screen reader hears after an action).
    pub announce: RwSignal<String>,
}

impl State {
    pub fn new(api: Api, host: web_sys::HtmlElement) -> State {
        let lang = api.lang;
        State {
            t: texts(lang),
            lang,
            api: StoredValue::new(api),
            host: StoredValue::new_local(host),
            map_view: StoredValue::new_local(None),
            photo_panel: StoredValue::new_local(None),
            load_seq: StoredValue::new(0),
            list_seq: StoredValue::new(0),
            view: StoredValue::new(None),
            covered: StoredValue::new(None),
            list_query: StoredValue::new(None),
            list_page_start: StoredValue::new(0),
            root: NodeRef::new(),
            map_ref: NodeRef::new(),
            list_ref: NodeRef::new(),
            details_ref: NodeRef::new(),
            flow_ref: NodeRef::new(),
            more_ref: NodeRef::new(),
            search_ref: NodeRef::new(),
            config: RwSignal::new(None),
            load_error: RwSignal::new(false),
            total: RwSignal::new(None),
            list_area: RwSignal::new(None),
            list: RwSignal::new(Vec::new()),
            list_more: RwSignal::new(false),
            unlocated: RwSignal::new(None),
            loading: RwSignal::new(false),
            map_ok: RwSignal::new(true),
            list_view: RwSignal::new(false),
            status_filter: RwSignal::new(Status::PUBLIC.to_vec()),
            category_filter: RwSignal::new(String::new()),
            selected: RwSignal::new(None),
            detail: RwSignal::new(None),
            support_message: RwSignal::new(None),
            step: RwSignal::new(Step::Off),
            position: RwSignal::new(None),
            place: RwSignal::new(None),
            address: RwSignal::new(String::new()),
            category: RwSignal::new(String::new()),
            description: RwSignal::new(String::new()),
            email: RwSignal::new(String::new()),
            website: RwSignal::new(String::new()),
            errors: RwSignal::new(Vec::new()),
            nearby: RwSignal::new(Vec::new()),
            sending: RwSignal::new(false),
            submit_error: RwSignal::new(None),
            created: RwSignal::new(None),
            geo_message: RwSignal::new(None),
            announce: RwSignal::new(String::new()),
        }
    }

    /// The town's name of a category code (the code itself while the config is not there).
    pub fn category_name(self, code: &str) -> String {
        self.config.with_untracked(|c| {
            c.as_ref()
                .and_then(|c| c.categories.iter().find(|k| k.code == code))
                .map(|k| k.name.clone())
                .unwrap_or_else(|| code.to_string())
        })
    }

    // ---- loading -------------------------------------------------------------------------

    /// The filters as the server takes them (`status=…&category=…`, empty for all public
    /// reports); `None` when no state is ticked, which shows nothing. The states in their fixed
    /// order, so that the same filter is the same URL (cached) whatever the order of the clicks.
    pub fn filter_query(self) -> Option<String> {
        let states = self.status_filter.get_untracked();
        let category = self.category_filter.get_untracked();
        let mut parts = Vec::new();
        if states.len() < Status::PUBLIC.len() {
            let on: Vec<&str> = Status::PUBLIC
                .iter()
                .filter(|s| states.contains(s))
                .map(|s| s.as_str())
                .collect();
            if on.is_empty() {
                return None;
            }
            parts.push(["status=", &on.join(",")].concat());
        }
        if !category.is_empty() {
            parts.push(["category=", &crate::api::encode(&category)].concat());
        }
        Some(parts.join("&"))
    }

    /// The map's view moved to `view`.
    pub fn view_changed(self, view: Option<TileRange>) {
        if view.is_some() {
            self.view.set_value(view);
        }
        self.load_map(false);
    }

    /// Loads what the map draws in its view, unless the last answer holds that view already
    /// with these filters; `fresh` asks anyway, past the browser's cache (the citizen's own new
    /// report must show at once).
    pub fn load_map(self, fresh: bool) {
        let Some(range) = self.view.get_value() else {
            return self.refresh_list(); // no map: the list alone
        };
        let Some(filter) = self.filter_query() else {
            // No state ticked: an empty map and list, without asking.
            self.load_seq.update_value(|n| *n += 1);
            self.covered.set_value(None);
            return self.show_map_answer(
                MapAnswer {
                    total: 0,
                    points: Vec::new(),
                    clusters: Vec::new(),
                },
                range,
            );
        };
        if !fresh {
            let held = self.covered.with_value(|c| {
                c.as_ref()
                    .filter(|c| c.filter == filter && c.range.contains(&range))
                    .map(|c| (c.total, c.range))
            });
            if let Some((total, covered)) = held {
                self.total.set(Some(total));
                return self.set_list_area(covered);
            }
        }
        let seq = self.load_seq.get_value() + 1;
        self.load_seq.set_value(seq);
        let query = [range.query(), filter.clone()]
            .into_iter()
            .filter(|q| !q.is_empty())
            .collect::<Vec<_>>()
            .join("&");
        self.with_map(|m| m.busy(true));
        spawn_local(async move {
            let answer: Result<MapAnswer, ApiError> = self
                .api
                .get_value()
                .get_cached("/map", &query, !fresh)
                .await;
            if self.load_seq.get_value() != seq {
                return;
            }
            match answer {
                Ok(a) => {
                    self.load_error.set(false);
                    self.covered.set_value(Some(Covered {
                        range,
                        filter,
                        total: a.total,
                    }));
                    self.show_map_answer(a, range);
                }
                Err(_) => {
                    self.with_map(|m| m.busy(false));
                    self.load_error.set(true);
                }
            }
        });
    }

    fn show_map_answer(self, a: MapAnswer, range: TileRange) {
        let (t, lang) = (self.t, self.lang);
        self.with_map(|m| {
            m.draw(a.points, a.clusters, |c| {
                let parts: Vec<String> = Status::PUBLIC
                    .iter()
                    .zip(c.counts)
                    .filter(|(_, n)| *n > 0)
                    .map(|(s, n)| [count(n.into(), lang), s.label(lang).into()].join(" "))
                    .collect();
                [
                    count(c.count().into(), lang),
                    " ".into(),
                    t.reports.into(),
                    ": ".into(),
                    parts.join(", "),
                ]
                .concat()
            });
            m.busy(false);
        });
        self.total.set(Some(a.total));
        self.set_list_area(range);
    }

    /// The list follows the tiles of the map's answer (and loads, if it is on screen).
    fn set_list_area(self, range: TileRange) {
        let area = Some(super::tiles::bbox_query(range.bounds()));
        if self.list_area.get_untracked() != area {
            self.list_area.set(area);
        }
        self.refresh_list();
    }

    pub fn with_map(self, f: impl FnOnce(&MapView)) {
        self.map_view.with_value(|m| {
            if let Some(m) = m {
                f(m)
            }
        });
    }

    /// The list's query for its area and filters (`None`: show nothing).
    fn list_query_now(self) -> Option<String> {
        let filter = self.filter_query()?;
        let area = self.list_area.get_untracked().unwrap_or_default();
        Some(
            [area, filter]
                .into_iter()
                .filter(|q| !q.is_empty())
                .collect::<Vec<_>>()
                .join("&"),
        )
    }

    /// Loads the list's first page if the list is on screen and its area or filters changed
    /// since (on a phone the list is one tap away: no request for it until then), and the
    /// reports placed only in words once.
    pub fn refresh_list(self) {
        if !self.list_view.get_untracked() {
            return;
        }
        let query = self.list_query_now();
        if self.list_query.get_value() == Some(query.clone().unwrap_or_default()) {
            return;
        }
        self.list_query
            .set_value(Some(query.clone().unwrap_or_default()));
        match query {
            Some(q) => self.load_list(q, 0),
            None => {
                self.list_seq.update_value(|n| *n += 1);
                self.list.set(Vec::new());
                self.list_more.set(false);
                self.loading.set(false);
            }
        }
        if self.map_ok.get_untracked() && self.unlocated.with_untracked(Option::is_none) {
            self.unlocated.set(Some(Vec::new()));
            spawn_local(async move {
                let answer = self.api.get_value().get("/reports", "located=no").await;
                if let Ok(list) = answer {
                    let list: civickit_model::api::widget::ReportList = list;
                    self.unlocated.set(Some(list.reports));
                }
            });
        }
    }

    /// "Weitere anzeigen": the next page of the list.
    pub fn more(self) {
        if let Some(q) = self.list_query.get_value() {
            let offset = self.list.with_untracked(Vec::len);
            self.load_list(q, offset);
        }
    }

    fn load_list(self, query: String, offset: usize) {
        let seq = self.list_seq.get_value() + 1;
        self.list_seq.set_value(seq);
        self.loading.set(true);
        let query = format!("{query}&limit={LIST_PAGE}&offset={offset}");
        spawn_local(async move {
            let answer: Result<civickit_model::api::widget::ReportList, ApiError> =
                self.api.get_value().get("/reports", &query).await;
            if self.list_seq.get_value() != seq {
                return;
            }
            self.loading.set(false);
            match answer {
                Ok(page) => {
                    self.load_error.set(false);
                    self.list_more.set(page.truncated);
                    self.list_page_start.set_value(offset);
                    if offset == 0 {
                        self.list.set(page.reports);
                    } else {
                        self.list.update(|l| l.extend(page.reports));
                        // The first new item, so that the keyboard goes on where it was.
                        self.focus_later(".civic-page-start");
                    }
                }
                Err(_) => self.load_error.set(true),
            }
        });
    }

    /// Loads everything again (after a failure, or after the citizen's own report): the map
    /// past the browser's cache, the list and the reports placed only in words.
    pub fn reload(self) {
        self.load_map(true);
        self.list_query.set_value(None);
        self.unlocated.set(None);
        self.refresh_list();
    }

    pub fn load_config(self) {
        self.load_error.set(false);
        spawn_local(async move {
            match self.api.get_value().get::<Config>("/config", "").await {
                Ok(c) => self.config.set(Some(c)),
                Err(_) => {
                    self.load_error.set(true);
                    self.loading.set(false);
                }
            }
        });
    }

    /// Whether the map is on screen: always while choosing the place, else unless the list
    /// was asked for.
    pub fn show_map(self) -> bool {
        self.map_ok.get() && (!self.list_view.get() || self.step.get() == Step::Locate)
    }

    /// Finds the element matching `selector` in this widget and focuses it on the next frame
    /// (after Leaflet has rendered the step it belongs to). A step's heading first brings its
    /// panel to the top of the screen: on a phone the map then fills the rest of it.
    pub fn focus_later(self, selector: &'static str) {
        let root = self.root;
        request_animation_frame(move || {
            if let Some(root) = root.get_untracked() {
                if let Ok(Some(el)) = root.query_selector(selector) {
                    if selector == FLOW_HEADING {
                        if let Some(panel) = el.parent_element() {
                            panel.scroll_into_view_with_bool(true);
                        }
                    }
                    if let Some(el) = el.dyn_ref::<web_sys::HtmlElement>() {
                        let _ = el.focus();
                    }
                }
            }
        });
    }

    // ---- the report form -----------------------------------------------------------------

    /// Takes `p` as the report's place and puts the draggable pin there.
    pub fn choose(self, p: LatLng) {
        self.position.set(Some(p));
        self.errors.update(|e| e.retain(|(f, _)| f != "position"));
        let t = self.t;
        self.map_view.with_value(|m| {
            if let Some(m) = m {
                m.show_pin(p, t.chosen_place, move |q| {
                    self.position.set(Some(q));
                    self.errors.update(|e| e.retain(|(f, _)| f != "position"));
                });
            }
        });
    }

    pub fn area(self) -> Option<Area> {
        self.config
            .with_untracked(|c| c.as_ref().map(|c| c.map.area.clone()))
    }

    /// What was typed so far, as the model normalises it.
    pub fn draft(self) -> NewReport {
        NewReport {
            category: self.category.get_untracked(),
            position: self.position.get_untracked(),
            address: Some(self.address.get_untracked()),
            description: self.description.get_untracked(),
            email: Some(self.email.get_untracked()),
        }
        .normalized()
    }

    /// Checks the draft with the model's rules and shows the errors of `fields` (those of the
    /// steps so far); true if there are none.
    pub fn check(self, fields: &[&str]) -> bool {
        let codes: Vec<String> = self.config.with_untracked(|c| {
            c.as_ref()
                .map(|c| c.categories.iter().map(|k| k.code.clone()).collect())
                .unwrap_or_default()
        });
        let codes: Vec<&str> = codes.iter().map(String::as_str).collect();
        let area = self.area();
        let found: FieldMessages = self
            .draft()
            .validate(area.as_ref().filter(|a| a.is_valid()), &codes)
            .into_iter()
            .filter(|e| fields.contains(&e.field.as_str()))
            .map(|e| (e.field.clone(), e.message(self.lang)))
            .collect();
        let ok = found.is_empty();
        self.errors.set(found);
        if !ok {
            self.announce.set(self.t.form_has_errors.to_string());
        }
        ok
    }

    /// Whether the chosen place lies outside the town's area (tracks `position`).
    pub fn outside_area(self) -> bool {
        self.position
            .get()
            .is_some_and(|p| self.area().is_some_and(|a| a.is_valid() && !a.contains(&p)))
    }

    /// Shows step `s`. While a report is written the widget is marked `civic-reporting`: the
    /// filters fold away (CSS) and so does the legend, to its summary, one tap away; the
    /// map follows the step's panel. Set here, not by a reactive view attribute: cheaper.
    pub fn enter(self, s: Step) {
        self.step.set(s);
        let writing = matches!(s, Step::Locate | Step::Details | Step::Preview);
        if let Some(root) = self.root.get_untracked() {
            let _ = root
                .class_list()
                .toggle_with_force("civic-reporting", writing);
            if let Ok(Some(legend)) = root.query_selector(".civic-legend") {
                let _ = legend.toggle_attribute_with_force("open", !writing);
            }
        }
    }

    pub fn go(self, s: Step) {
        self.enter(s);
        self.submit_error.set(None);
        if s == Step::Locate {
            self.list_view.set(self.list_view.get_untracked());
        }
        match s {
            Step::Off => self.focus_later(".civic-new"),
            Step::Done => self.focus_later(".civic-done h3"),
            _ => self.focus_later(FLOW_HEADING),
        }
    }

    pub fn start(self) {
        self.selected.set(None);
        self.created.set(None);
        self.errors.set(Vec::new());
        self.photo_panel.set_value(None);
        self.go(Step::Locate);
    }

    /// Leaves the form: the stored draft and the chosen photos are dropped (what was typed
    /// stays in the page until it is reloaded, as before).
    pub fn cancel(self) {
        self.forget_draft();
        self.photo_panel.set_value(None);
        self.go(Step::Off)
    }

    pub fn locate_next(self) {
        if self.check(&["position", "address"]) {
            self.go(Step::Details);
        } else {
            self.focus_later(".civic-flow [aria-invalid=true]");
        }
    }

    pub fn details_next(self) {
        if self.check(&["position", "address", "category", "description", "email"]) {
            self.go(Step::Preview);
        } else {
            self.focus_later(".civic-flow [aria-invalid=true]");
        }
    }
}
