//! The inbox as a map (`/office/reports/map`): the reports the list's filters find, as markers
//! with the traffic-light shapes, in clusters when dense; a click (or Enter) on a marker opens
//! the report beside the map. An address search (ARIA 1.2 combobox) moves the map to a street.
//! The list is the map's equivalent without a mouse or without the map loading.

use crate::api::places::{self, Place};
use crate::api::reports::{self as api, Filter};
use crate::app::use_ctx;
use crate::components::MapHandle;
use crate::map::{load_clusters, load_leaflet, marker_icon, OfficeMap, ReportLayer};
use crate::routes::Route;
use crate::texts::{address_count, cluster_label, map_texts};
use crate::Msg;
use civickit_model::Status;
use leptos::ev::KeyboardEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::rc::Rc;

/// What the map shows: how many markers and whether the limit cut it short.
pub type Shown = Option<(usize, bool)>;

#[component]
pub fn InboxMap(
    filter: Memo<Filter>,
    /// Bumped after a change to a report: the markers are loaded again.
    refresh: RwSignal<u32>,
    shown: RwSignal<Shown>,
    error: RwSignal<Option<Msg>>,
) -> impl IntoView {
    let ctx = use_ctx();
    let mt = move || map_texts(ctx.lang.get());
    let slug = ctx
        .me
        .with_untracked(|m| m.as_ref().map(|m| m.tenant.slug.clone()))
        .unwrap_or_default();
    let el = NodeRef::<leptos::html::Div>::new();
    let handle = MapHandle::new();
    let layer = StoredValue::new_local(None::<Rc<ReportLayer>>);
    let ready = RwSignal::new(false);
    let failed = RwSignal::new(false);
    // Asked again when the map moved, while following the viewport.
    let tick = RwSignal::new(0u32);
    // Whether the markers follow the viewport (`bbox`): only once the whole town was more
    // than the limit. A new filter asks for the whole town again.
    let follow_view = StoredValue::new(false);
    let asked_for = StoredValue::new(None::<Filter>);
    // The first markers are brought into view; after that the view is the official's.
    let fitted = StoredValue::new(false);
    let seq = StoredValue::new(0u32);

    el.on_load(move |div| {
        spawn_local(async move {
            let label = map_texts(ctx.lang.get_untracked()).map_label.to_string();
            let setup = places::map_setup(&slug, label).await;
            // Without the cluster plugin the markers are shown one by one.
            let _ = load_clusters().await;
            let (Ok(setup), true) = (setup, load_leaflet().await) else {
                failed.set(true);
                return;
            };
            let map = Rc::new(OfficeMap::new(&div, &setup));
            let reports = map.report_layer(
                Some(move |n: usize| cluster_label(ctx.lang.get_untracked(), n)),
                move |r: String| ctx.go(Route::map_report(&r)),
            );
            map.on_moved(move || {
                if follow_view.try_get_value() == Some(true) {
                    let _ = tick.try_update(|t| *t += 1);
                }
            });
            layer.set_value(Some(Rc::new(reports)));
            handle.set(map);
            ready.set(true);
        });
    });

    Effect::new(move |_| {
        let f = filter.get();
        refresh.track();
        tick.track();
        if !ready.get() {
            return;
        }
        if asked_for.get_value().as_ref() != Some(&f) {
            asked_for.set_value(Some(f.clone()));
            follow_view.set_value(false);
        }
        let bbox = if follow_view.get_value() {
            handle.with(OfficeMap::bbox)
        } else {
            None
        };
        seq.update_value(|s| *s += 1);
        let mine = seq.get_value();
        spawn_local(async move {
            let answer = api::markers(&f, bbox.as_deref()).await;
            if seq.try_get_value() != Some(mine) {
                return;
            }
            match answer {
                Ok(list) => {
                    error.set(None);
                    if list.truncated && bbox.is_none() {
                        // Too many for the whole town: ask for what is in view.
                        follow_view.set_value(true);
                        tick.update(|t| *t += 1);
                    }
                    let lang = ctx.lang.get_untracked();
                    layer.with_value(|l| {
                        if let Some(l) = l {
                            l.show(&list.markers, lang, None);
                            if !fitted.get_value() && !list.truncated {
                                fitted.set_value(true);
                                handle.with(|m| m.fit(l));
                            }
                        }
                    });
                    shown.set(Some((list.markers.len(), list.truncated)));
                }
                Err(e) => error.set(Some(ctx.fail(&e))),
            }
        });
    });

    let choose = Callback::new(move |p: Place| {
        // The official's choice wins over the first answer's "fit all markers", which may
        // still be on its way (it moved the map away from the address when it came late).
        fitted.set_value(true);
        handle.with(|m| {
            m.set_view(p.position, 18.0);
            m.show_point(Some(p.position));
        });
    });
    view! {
        <AddressSearch on_choose=choose />
        <div class="map inbox-map" node_ref=el></div>
        <p class="hint map-unavailable" role="status">
            {move || failed.get().then(|| mt().map_unavailable)}
        </p>
        <Legend />
    }
}

/// The markers' shapes and colours in words (WCAG 1.4.1).
#[component]
pub fn Legend() -> impl IntoView {
    let ctx = use_ctx();
    view! {
        <div class="legend">
            <h2 class="legend-heading">{move || map_texts(ctx.lang.get()).legend}</h2>
            <ul>
                {std::iter::once(Status::PendingReview)
                    .chain(Status::PUBLIC)
                    .map(|s| {
                        view! {
                            <li>
                                // Our own fixed SVG, no text from anyone.
                                <span class="legend-icon" inner_html=marker_icon(s)></span>
                                {move || s.legend(ctx.lang.get())}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </div>
    }
}

/// "Adresse suchen": suggestions from the town's imported addresses as the official types
/// (ARIA 1.2 combobox: the arrows choose, Enter takes, Escape closes, then clears).
#[component]
fn AddressSearch(on_choose: Callback<Place>) -> impl IntoView {
    let ctx = use_ctx();
    let mt = move || map_texts(ctx.lang.get());
    let text = RwSignal::new(String::new());
    let options = RwSignal::new(Vec::<Place>::new());
    let open = RwSignal::new(false);
    let active = RwSignal::new(None::<usize>);
    let status = RwSignal::new(String::new());
    let seq = StoredValue::new(0u32);

    let lookup = move |value: String| {
        text.set(value.clone());
        active.set(None);
        seq.update_value(|s| *s += 1);
        if value.trim().chars().count() < 2 {
            options.set(Vec::new());
            open.set(false);
            status.set(String::new());
            return;
        }
        let mine = seq.get_value();
        spawn_local(async move {
            let answer = places::search(&value).await;
            // Typed on meanwhile: only the newest text's answer counts.
            if seq.try_get_value() != Some(mine) {
                return;
            }
            let lang = ctx.lang.get_untracked();
            match answer {
                Ok(found) => {
                    status.set(if found.is_empty() {
                        map_texts(lang).search_none.to_string()
                    } else {
                        address_count(lang, found.len())
                    });
                    open.set(!found.is_empty());
                    options.set(found);
                }
                Err(_) => {
                    options.set(Vec::new());
                    open.set(false);
                    status.set(map_texts(lang).search_failed.to_string());
                }
            }
        });
    };
    let choose = move |i: usize| {
        let Some(p) = options.with_untracked(|o| o.get(i).cloned()) else {
            return;
        };
        text.set(p.label.clone());
        open.set(false);
        active.set(None);
        status.set(p.label.clone());
        on_choose.run(p);
    };
    let keydown = move |ev: KeyboardEvent| {
        let n = options.with_untracked(Vec::len);
        match ev.key().as_str() {
            "ArrowDown" | "ArrowUp" if n > 0 => {
                ev.prevent_default();
                let down = ev.key() == "ArrowDown";
                open.set(true);
                active.update(|a| {
                    *a = Some(match (*a, down) {
                        (None, true) => 0,
                        (None, false) => n - 1,
                        (Some(i), true) => (i + 1) % n,
                        (Some(i), false) => (i + n - 1) % n,
                    })
                });
            }
            "Enter" if n > 0 => {
                ev.prevent_default();
                let i = active.get_untracked().filter(|_| open.get_untracked());
                choose(i.unwrap_or(0));
            }
            "Escape" => {
                if open.get_untracked() {
                    open.set(false);
                    active.set(None);
                } else {
                    text.set(String::new());
                    options.set(Vec::new());
                    status.set(String::new());
                }
            }
            _ => {}
        }
    };
    view! {
        <div class="field combobox">
            <label for="addr-search" id="addr-search-label">
                {move || mt().search_label}
            </label>
            <input
                id="addr-search"
                type="text"
                role="combobox"
                autocomplete="off"
                spellcheck="false"
                aria-autocomplete="list"
                aria-controls="addr-options"
                aria-describedby="addr-search-hint"
                aria-expanded=move || open.get().to_string()
                aria-activedescendant=move || {
                    active.get().filter(|_| open.get()).map(|i| format!("addr-opt-{i}"))
                }
                prop:value=move || text.get()
                on:input=move |ev| lookup(event_target_value(&ev))
                on:keydown=keydown
                on:blur=move |_| open.set(false)
            />
            <ul
                id="addr-options"
                role="listbox"
                aria-labelledby="addr-search-label"
                hidden=move || !open.get()
            >
                {move || {
                    options
                        .get()
                        .into_iter()
                        .enumerate()
                        .map(|(i, p)| {
                            view! {
                                <li
                                    id=format!("addr-opt-{i}")
                                    role="option"
                                    aria-selected=move || (active.get() == Some(i)).to_string()
                                    // Before the input's blur, which would close the list.
                                    on:mousedown=move |ev| {
                                        ev.prevent_default();
                                        choose(i);
                                    }
                                >
                                    {p.label}
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
            <p class="hint" id="addr-search-hint">
                {move || mt().search_hint}
            </p>
            <p class="search-status" role="status">
                {move || status.get()}
            </p>
        </div>
    }
}
