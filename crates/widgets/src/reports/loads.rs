//! Loading what the map and the list show. The map asks `/map` for the tiles of its view
//! (`tiles`), not again while the view stays within the last answer's tiles and filters; the
//! list asks `/reports` for the box of those tiles, so that it pages through exactly the reports
//! the map's `total` counts, 20 at a time and only once it is on screen (on a phone it is a tap
//! away: no request for it until then). Without a map the list is the whole town's.
//!
//! The bookkeeping is one plain struct in one `StoredValue`, not a signal each: nothing is
//! drawn from it directly, and every distinct signal type costs wasm. For the same reason it is
//! read as a copy (`get_value`) and changed through one function (`change`): every closure given
//! to a `StoredValue` directly is compiled into a copy of its code.

use super::state::State;
use super::tiles::{bbox_query, TileRange};
use crate::api::ApiError;
use crate::texts::count;
use civickit_model::api::widget::{MapAnswer, MapCluster, ReportList};
use civickit_model::Status;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Reports per page of the list.
const LIST_PAGE: usize = 20;

#[derive(Debug, Default, Clone)]
pub struct Loads {
    /// Numbers the list's loads, so that only the answer to the newest one is shown.
    list_seq: u32,
    /// The tiles the map shows now (`None`: no map, or not shown yet).
    view: Option<TileRange>,
    /// The map's last answer: its tiles, filters and `total`.
    covered: Option<(TileRange, String, u64)>,
    /// A cluster the citizen opened at the deepest zoom: the list shows its cell (`bbox=…`)
    /// and its count until the map moves.
    cell: Option<(String, u64)>,
    /// The query of the reports in the list (area and filters); `None`: to be loaded.
    list_query: Option<String>,
    /// Where the page loaded last starts in the list (focused after "Weitere anzeigen").
    pub page_start: usize,
    /// Whether the reports placed only in words were asked for.
    unlocated: bool,
}

/// `a&b`, leaving out empty parts.
fn and(a: &str, b: &str) -> String {
    match (a.is_empty(), b.is_empty()) {
        (true, _) => b.to_string(),
        (_, true) => a.to_string(),
        _ => [a, "&", b].concat(),
    }
}

impl State {
    /// Changes the bookkeeping.
    fn change(self, f: &mut dyn FnMut(&mut Loads)) {
        self.loads.update_value(|l| f(l));
    }

    /// The filters as the server takes them (`status=…&category=…`, empty for all public
    /// reports); `None` when no state is ticked, which shows nothing. The states in their fixed
    /// order, so that the same filter is the same URL (cached) whatever the order of the clicks.
    fn filter_query(self) -> Option<String> {
        let states = self.status_filter.get_untracked();
        let mut status = String::new();
        if states.len() < Status::PUBLIC.len() {
            for s in Status::PUBLIC.iter().filter(|s| states.contains(s)) {
                status.push_str(if status.is_empty() { "status=" } else { "," });
                status.push_str(s.as_str());
            }
            if status.is_empty() {
                return None;
            }
        }
        let category = self.category_filter.get_untracked();
        let category = if category.is_empty() {
            category
        } else {
            ["category=", &crate::api::encode(&category)].concat()
        };
        Some(and(&status, &category))
    }

    /// The map's view moved to `view` (`None`: hidden); an opened cell is left behind.
    pub fn view_changed(self, view: Option<TileRange>) {
        if view.is_some() {
            self.change(&mut |l| {
                l.view = view;
                l.cell = None;
            });
        }
        self.load_map(false);
    }

    /// Loads what the map draws in its view, unless the last answer holds that view already
    /// with these filters; `fresh` asks anyway, past the browser's cache (the citizen's own new
    /// report must show at once). Then the list follows.
    pub fn load_map(self, fresh: bool) {
        let view = self.loads.get_value().view;
        let (Some(range), Some(filter)) = (view, self.filter_query()) else {
            if view.is_some() {
                // No state ticked: nothing to draw, nothing to ask.
                self.load_seq.update_value(|n| *n += 1);
                self.change(&mut |l| l.covered = None);
                self.draw(MapAnswer {
                    total: 0,
                    points: Vec::new(),
                    clusters: Vec::new(),
                });
            }
            return self.refresh_list();
        };
        let held = self
            .loads
            .get_value()
            .covered
            .is_some_and(|(r, f, _)| f == filter && r.contains(&range));
        if held && !fresh {
            return self.refresh_list();
        }
        let seq = self.load_seq.get_value() + 1;
        self.load_seq.set_value(seq);
        let query = and(&range.query(), &filter);
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
                    let total = a.total;
                    self.change(&mut |l| l.covered = Some((range, filter.clone(), total)));
                    self.draw(a);
                    self.refresh_list();
                }
                Err(_) => {
                    self.with_map(|m| m.busy(false));
                    self.load_error.set(true);
                }
            }
        });
    }

    fn draw(self, a: MapAnswer) {
        let (t, lang) = (self.t, self.lang);
        self.with_map(|m| {
            // "27 Meldungen: 12 eingegangen, 3 in Bearbeitung, 12 erledigt"
            m.draw(a.points, a.clusters, |c| {
                let mut name = [&count(c.count().into(), lang), " ", t.reports, ":"].concat();
                let mut sep = " ";
                for (s, n) in Status::PUBLIC.iter().zip(c.counts).filter(|(_, n)| *n > 0) {
                    name.push_str(&[sep, &count(n.into(), lang), " ", s.label(lang)].concat());
                    sep = ", ";
                }
                name
            });
            m.busy(false);
        });
    }

    /// The list's area and count, and its first page if it is on screen and its area or
    /// filters changed since; the reports placed only in words once.
    pub fn refresh_list(self) {
        let l = self.loads.get_value();
        let area = l.cell.or_else(|| {
            l.covered
                .map(|(r, _, total)| (bbox_query(r.bounds()), total))
        });
        let (t, lang) = (self.t, self.lang);
        let words = area.as_ref().map_or_else(String::new, |(_, n)| {
            let noun = if *n == 1 { t.report } else { t.reports };
            [&count(*n, lang), " ", noun, " ", t.in_area].concat()
        });
        if self.area_count.get_untracked() != words {
            self.area_count.set(words);
        }
        if !self.list_view.get_untracked() {
            return;
        }
        let query = self
            .filter_query()
            .map(|f| and(area.as_ref().map_or("", |(q, _)| q.as_str()), &f));
        // "-": no state ticked, an empty list.
        let key = query.clone().unwrap_or_else(|| "-".into());
        if l.list_query.as_deref() != Some(key.as_str()) {
            self.change(&mut |l| l.list_query = Some(key.clone()));
            match query {
                Some(q) => self.load_list(q, 0),
                None => {
                    self.change(&mut |l| l.list_seq += 1);
                    self.list.set(Vec::new());
                    self.list_more.set(false);
                    self.loading.set(false);
                }
            }
        }
        if self.map_ok.get_untracked() && !l.unlocated {
            self.change(&mut |l| l.unlocated = true);
            spawn_local(async move {
                let answer: Result<ReportList, ApiError> =
                    self.api.get_value().get("/reports", "located=no").await;
                if let Ok(list) = answer {
                    self.unlocated.set(list.reports);
                }
            });
        }
    }

    /// "Weitere anzeigen": the next page of the list.
    pub fn more(self) {
        if let Some(q) = self.loads.get_value().list_query {
            self.load_list(q, self.list.with_untracked(Vec::len));
        }
    }

    fn load_list(self, query: String, offset: usize) {
        let seq = self.loads.get_value().list_seq + 1;
        self.change(&mut |l| l.list_seq = seq);
        self.loading.set(true);
        let query = format!("{query}&limit={LIST_PAGE}&offset={offset}");
        spawn_local(async move {
            let answer: Result<ReportList, ApiError> =
                self.api.get_value().get("/reports", &query).await;
            if self.loads.get_value().list_seq != seq {
                return;
            }
            self.loading.set(false);
            match answer {
                Ok(page) => {
                    self.load_error.set(false);
                    self.list_more.set(page.truncated);
                    self.change(&mut |l| l.page_start = offset);
                    if offset == 0 {
                        self.list.set(page.reports);
                    } else {
                        self.list.update(|l| l.extend(page.reports));
                        self.focus_later(".civic-page-start");
                    }
                }
                Err(_) => self.load_error.set(true),
            }
        });
    }

    /// A cluster clicked, or Enter on it: the map zooms in two levels on it and keeps the focus
    /// (the cluster's marker is gone with the next answer). At the deepest zoom its reports
    /// share one place: the list shows them.
    pub fn open_cluster(self, c: &MapCluster) {
        let p = civickit_model::LatLng::new(c.lat, c.lng);
        let zooms = self
            .map_view
            .with_value(|m| m.as_ref().map(|m| (m.zoom(), m.max_zoom())));
        let Some((zoom, max)) = zooms else {
            return;
        };
        if zoom < max {
            return self.with_map(|m| {
                m.set_view(p, (zoom + 2.0).min(max));
                m.focus();
            });
        }
        let cell = bbox_query(super::tiles::cell_bounds(p, zoom as u32));
        let count = c.count().into();
        self.change(&mut |l| l.cell = Some((cell.clone(), count)));
        self.list_view.set(true);
        self.refresh_list();
        self.focus_later(".civic-list");
    }

    /// Loads everything again (after a failure, or after the citizen's own report): the map
    /// past the browser's cache, the list and the reports placed only in words.
    pub fn reload(self) {
        self.change(&mut |l| {
            l.list_query = None;
            l.unlocated = false;
        });
        self.load_map(true);
        self.refresh_list();
    }
}
