//! The state of `<civic-reports>`: every signal of the widget in one `Copy` struct that each
//! view takes by value, and the operations that more than one view needs (loading, choosing
//! a place, checking the draft, moving between the steps of the report form).
//!
//! One struct rather than signals passed one by one: Leptos signals are arena handles (`Copy`),
//! so handing the whole state to a view costs nothing, and a view's signature does not change
//! each time it reads one more signal. Operations that belong to one view (support a report,
//! send the form, find my location) live with that view as further `impl State` blocks.

use super::loads::Loads;
use super::map::MapView;
use super::photos;
use crate::api::Api;
use crate::challenge::Pow;
use crate::texts::{texts, Texts};
use civickit_model::api::widget::{
    Config, NearbyReport, Purpose, ReportCreated, ReportDetail, ReportSummary,
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

/// What the widget keeps outside signals (one stored value: each stored type costs the arena's
/// code once more in the wasm): the custom element, on which events for the host page are
/// dispatched, and the challenges, one per form, each solved while its form is filled in.
pub struct Pows {
    pub host: web_sys::HtmlElement,
    pub report: Pow,
    pub support: Pow,
    pub flag: Pow,
    /// The open "Meldung melden" form (see `flag`).
    pub flag_form: std::cell::RefCell<Option<Rc<super::flag::FlagForm>>>,
}

/// The heading of a step of the form (focused when the step opens).
const FLOW_HEADING: &str = ".civic-flow h3";

/// A field and its message, as the form shows it (from the model's checks or a 422 answer).
pub type FieldMessages = Vec<(String, String)>;

#[derive(Clone, Copy)]
pub struct State {
    pub t: &'static Texts,
    pub lang: Lang,
    pub api: StoredValue<Api>,
    pub map_view: StoredValue<Option<Rc<MapView>>, LocalStorage>,
    /// The photo panel of the report being written (step 2) and then sent (the receipt):
    /// built once per report, kept across the re-renders of the steps.
    pub photo_panel: StoredValue<Option<Rc<photos::Panel>>, LocalStorage>,
    /// Flipped when the "Meldung melden" form opens or closes, so that the details panel is
    /// rebuilt with it.
    pub flag_open: RwSignal<bool>,
    /// The proof-of-work of the citizen's writes, one per purpose (`crate::challenge`).
    pub pow: StoredValue<Rc<Pows>, LocalStorage>,
    /// Numbers the map's loads, so that only the answer to the newest one is shown.
    pub load_seq: StoredValue<u32>,
    /// What the map and the list have loaded (see `loads`).
    pub loads: StoredValue<Loads>,

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
    /// "1.234 Meldungen in diesem Bereich": how many reports the list's area holds (empty
    /// without a map, when the list is the whole town's).
    pub area_count: RwSignal<String>,
    /// The list's pages loaded so far, and whether there are more.
    pub list: RwSignal<Vec<ReportSummary>>,
    pub list_more: RwSignal<bool>,
    /// The reports placed only in words: no map box holds them, the list shows them anyway.
    pub unlocated: RwSignal<Vec<ReportSummary>>,
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
            api: StoredValue::new(api.clone()),
            map_view: StoredValue::new_local(None),
            photo_panel: StoredValue::new_local(None),
            flag_open: RwSignal::new(false),
            pow: StoredValue::new_local(Rc::new(Pows {
                host,
                report: Pow::new(api.clone(), Purpose::Report),
                support: Pow::new(api.clone(), Purpose::Support),
                flag: Pow::new(api.clone(), Purpose::Flag),
                flag_form: Default::default(),
            })),
            load_seq: StoredValue::new(0),
            loads: StoredValue::new(Loads::default()),
            root: NodeRef::new(),
            map_ref: NodeRef::new(),
            list_ref: NodeRef::new(),
            details_ref: NodeRef::new(),
            flow_ref: NodeRef::new(),
            more_ref: NodeRef::new(),
            search_ref: NodeRef::new(),
            config: RwSignal::new(None),
            load_error: RwSignal::new(false),
            area_count: RwSignal::new(String::new()),
            list: RwSignal::new(Vec::new()),
            list_more: RwSignal::new(false),
            unlocated: RwSignal::new(Vec::new()),
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

    /// The challenges and the open flag form.
    pub fn pows(self) -> Rc<Pows> {
        self.pow.with_value(Rc::clone)
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

    // ---- loading (the map and the list: `loads`) ------------------------------------------

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

    /// `f(map)` if there is a map.
    pub fn with_map(self, f: impl FnOnce(&MapView)) {
        self.map_view.with_value(|m| {
            if let Some(m) = m {
                f(m)
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
        if writing {
            // Solved while the citizen describes the problem (also for a restored draft).
            self.pows().report.start();
        }
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
