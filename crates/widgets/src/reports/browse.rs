//! Browsing the public reports: the map (created once the config is there, redrawn when the
//! filtered reports change, reloading when its view moves) and the list beside it.

use super::map::MapView;
use super::state::{State, Step};
use crate::dom::{self, El};
use crate::texts::date;
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
                m.on_enter(move |p| {
                    if s.step.get_untracked() == Step::Locate {
                        s.choose(p);
                    }
                });
                let popup_map = Rc::downgrade(&m);
                m.on_marker_click(move |r, p| {
                    // While placing, a tap on a report places the pin there too (no popup): a
                    // thumb cannot miss every marker. Step 2 then offers that report.
                    if s.step.get_untracked() == Step::Locate {
                        s.choose(p);
                        return;
                    }
                    let Some(mv) = popup_map.upgrade() else {
                        return;
                    };
                    let status_line = format!(
                        "{} · {} {}",
                        r.status.label(lang),
                        t.reported_on,
                        date(&r.created, lang)
                    );
                    let box_ = El::new("div")
                        .class("civic-popup")
                        .child(El::new("strong").text(&s.category_name(&r.category)))
                        .child(El::new("p").class("civic-popup-status").text(&status_line))
                        .child(El::new("p").text(&r.summary));
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
                    let box_ = box_.0;
                    mv.popup(&box_, p);
                });
                m.on_view_change(move |b| match b {
                    Some(b) => {
                        s.bbox.set(Some(b.clone()));
                        s.load_reports(Some(b));
                    }
                    // Hidden before it ever showed: the list shows the newest reports, as
                    // without a map, until the map shows and reports its real box.
                    None if s.bbox.get_untracked().is_none() => s.load_reports(None),
                    None => {}
                });
                s.map_view.set_value(Some(m));
                s.load_unlocated();
                super::places::build_search(s);
            }
            Err(_) => {
                s.map_ok.set(false);
                s.list_view.set(true);
                s.load_reports(None);
            }
        }
        // The config is there (step 2 lists its categories), and the map if it could be made.
        s.restore_draft();
    });

    Effect::new(move |_| {
        let visible = s.filtered.get();
        s.map_view.with_value(|m| {
            if let Some(m) = m {
                m.draw(&visible);
            }
        });
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

/// The list of the filtered reports (plain DOM, rebuilt when they change; see dom.rs).
pub fn watch_list(s: State) {
    let (t, lang) = (s.t, s.lang);
    Effect::new(move |_| {
        let Some(container) = s.list_ref.get() else {
            return;
        };
        let items = s.filtered.get();
        let is_loading = s.loading.get();
        let children = if items.is_empty() {
            vec![El::new("p").class("civic-empty").text(if is_loading {
                t.loading
            } else {
                t.list_empty
            })]
        } else {
            let mut ul = El::new("ul").class("civic-items");
            for r in &items {
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
                ul = ul.child(
                    El::new("li")
                        .class("civic-item")
                        .attr("data-status", r.status.as_str())
                        .attr("data-ref", &r.reference)
                        .child(dom::shape(r.status))
                        .child(
                            El::new("div")
                                .child(
                                    El::new("p")
                                        .child(
                                            El::new("strong").text(&s.category_name(&r.category)),
                                        )
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
                                    El::button(t.details, "details", &r.reference, false).attr(
                                        "aria-label",
                                        &format!("{} {}", t.details, r.reference),
                                    ),
                                ),
                        ),
                );
            }
            vec![ul]
        };
        dom::replace(&container, children);
    });
}
