//! Browsing the public reports: the map (created once the config is there, loading what its
//! view shows when the view or the filters change) and the list of the map's area, a page at a
//! time.

use super::map::MapView;
use super::state::{State, Step};
use crate::dom::{self, El};
use crate::texts::date;
use civickit_model::api::widget::ReportSummary;
use civickit_model::LatLng;
use leptos::prelude::*;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Creates the map once its element and the config are there; when the map cannot be made
/// (Leaflet is not loaded, or it throws) the widget falls back to the list of all reports.
pub fn watch_map(s: State) {
    let (t, lang) = (s.t, s.lang);
    Effect::new(move |_| {
        let Some(div) = s.map_ref.get() else {
            return;
        };
        let el: &web_sys::HtmlElement = &div;
        let made = s.config.with(|cfg| {
            let cfg = cfg.as_ref()?;
            if s.map_view.with_value(|m| m.is_some()) {
                return None;
            }
            Some(MapView::new(el, cfg, t.map_label))
        });
        let Some(made) = made else {
            return;
        };
        match made {
            Ok(m) => {
                m.on_click(move |p| {
                    if s.step.get_untracked() == Step::Locate {
                        s.choose(p);
                    }
                });
                m.on_keys(move |p| {
                    if s.step.get_untracked() == Step::Locate {
                        s.choose(p);
                    }
                });
                m.on_cluster_click(move |c| s.open_cluster(c));
                let popup_map = Rc::downgrade(&m);
                m.on_marker_click(move |r| {
                    let p = LatLng::new(r.lat, r.lng);
                    // While placing, a tap on a report places the pin there too (no popup): a
                    // thumb cannot miss every marker. Step 2 then offers that report.
                    if s.step.get_untracked() == Step::Locate {
                        s.choose(p);
                        return;
                    }
                    let Some(mv) = popup_map.upgrade() else {
                        return;
                    };
                    // What the map's answer knows; the details button loads the rest.
                    let box_ = El::new("div")
                        .class("civic-popup")
                        .child(El::new("strong").text(&s.category_name(&r.category)))
                        .child(
                            El::new("p")
                                .class("civic-popup-status")
                                .text(&[r.status.label(lang), " · ", &r.reference].concat()),
                        );
                    let button = El::button(t.details, "details", &r.reference, false).0;
                    let reference = r.reference.clone();
                    let weak = Rc::downgrade(&mv);
                    let click = Closure::<dyn FnMut()>::new(move || {
                        if let Some(mv) = weak.upgrade() {
                            mv.close_popup();
                        }
                        s.open_details(reference.clone());
                    });
                    let _ = button
                        .add_event_listener_with_callback("click", click.as_ref().unchecked_ref());
                    click.forget();
                    let _ = box_.0.append_child(&button);
                    mv.popup(&box_.0, p);
                });
                s.map_view.set_value(Some(m.clone()));
                m.on_view_change(move |v| s.view_changed(v));
                super::places::build_search(s);
            }
            Err(_) => {
                s.map_ok.set(false);
                s.list_view.set(true);
            }
        }
        // The config is there (step 2 lists its categories), and the map if it could be made.
        s.restore_draft();
    });

    // The filters apply on the server, to the map and the list alike; the list loads when it
    // is shown.
    Effect::new(move |_| {
        s.status_filter.track();
        s.category_filter.track();
        s.list_view.track();
        s.load_map(false);
    });

    // Leaflet measures its element only when told: after the map was hidden (list view) it
    // must look again once it is shown.
    Effect::new(move |_| {
        if s.show_map() {
            request_animation_frame(move || {
                s.map_view.with_value(|m| {
                    if let Some(m) = m {
                        m.refresh_size();
                    }
                })
            });
        }
    });
}

/// The list (plain DOM, rebuilt when it changes; see dom.rs): how many reports the map's area
/// holds, the reports placed only in words (in no area, so in every one), the pages loaded so
/// far, and "Weitere anzeigen" while there are more.
pub fn watch_list(s: State) {
    let t = s.t;
    Effect::new(move |_| {
        let Some(container) = s.list_ref.get() else {
            return;
        };
        let (is_loading, more, words) = (s.loading.get(), s.list_more.get(), s.area_count.get());
        // Without an area the list is the whole town's, which has those in words already.
        let in_area = !words.is_empty();
        let (states, category) = (s.status_filter.get(), s.category_filter.get());
        let mut shown = s.unlocated.get();
        shown.retain(|r| {
            in_area && states.contains(&r.status) && (category.is_empty() || r.category == category)
        });
        let first = shown.len();
        let page_start = first + s.loads.get_value().page_start;
        shown.extend(s.list.get());
        let mut children = Vec::new();
        if in_area {
            children.push(El::new("p").class("civic-count").text(&words));
        }
        if shown.is_empty() {
            let empty = if is_loading { t.loading } else { t.list_empty };
            children.push(El::new("p").class("civic-empty").text(empty));
        } else {
            let mut ul = El::new("ul").class("civic-items");
            for (i, r) in shown.iter().enumerate() {
                let mut li = item(s, r);
                if i == page_start && i > first {
                    // Where "more" added a page: focused, so the keyboard goes on from there.
                    li = li
                        .class("civic-item civic-page-start")
                        .attr("tabindex", "-1");
                }
                ul = ul.child(li);
            }
            children.push(ul);
        }
        if more {
            children
                .push(El::button(t.show_more, "more", "", false).class("civic-button civic-more"));
        }
        dom::replace(&container, children);
    });
}

/// One report of the list.
fn item(s: State, r: &ReportSummary) -> El {
    let (t, lang) = (s.t, s.lang);
    let mut meta = format!(
        "{} {} · {}",
        t.reported_on,
        date(&r.created, lang),
        r.reference
    );
    if let Some(a) = &r.address {
        meta.push_str(" · ");
        meta.push_str(a);
    }
    if r.position.is_none() {
        meta.push_str(" · ");
        meta.push_str(t.no_position);
    }
    if r.supporters > 0 {
        meta.push_str(&format!(" · {}: {}", t.supporters, r.supporters));
    }
    El::new("li")
        .class("civic-item")
        .attr("data-status", r.status.as_str())
        .attr("data-ref", &r.reference)
        .child(dom::shape(r.status))
        .child(
            El::new("div")
                .child(
                    El::new("p")
                        .child(El::new("strong").text(&s.category_name(&r.category)))
                        .text(" · ")
                        .child(
                            El::new("span")
                                .class("civic-status")
                                .text(r.status.label(lang)),
                        ),
                )
                .child(El::new("p").class("civic-meta").text(&meta))
                .child(El::new("p").class("civic-summary").text(&r.summary))
                .child(
                    El::button(t.details, "details", &r.reference, false)
                        .attr("aria-label", &format!("{} {}", t.details, r.reference)),
                ),
        )
}
