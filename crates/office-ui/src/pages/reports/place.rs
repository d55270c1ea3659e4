//! Where a report is: a mini map with its pin and the reports nearby, the address line, a link
//! to OpenStreetMap (a link the official follows; the page asks openstreetmap.org for nothing),
//! and correcting the position: the official drags the pin (or moves it with the arrow keys),
//! is asked "Position ändern?", and the server stores it (audited) or says why not, e.g.
//! outside the town, and the pin goes back.

use super::{open_report, reference_of};
use crate::api::places;
use crate::api::reports::{self as api, bbox_around, Changed, Detail, Filter};
use crate::app::use_ctx;
use crate::browser::focus_id;
use crate::components::MapHandle;
use crate::map::{load_leaflet, OfficeMap, Pin, ReportLayer};
use crate::texts::{map_texts, new_position, osm_url};
use civickit_model::{Lang, LatLng, ValidationCode};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::rc::Rc;

/// How far around the report the mini map shows other reports.
const NEARBY_M: f64 = 300.0;
/// The mini map's zoom.
const ZOOM: f64 = 17.0;

#[component]
pub fn PlaceSection(detail: RwSignal<Option<Detail>>, reload: Callback<()>) -> impl IntoView {
    let ctx = use_ctx();
    let mt = move || map_texts(ctx.lang.get());
    let reference = reference_of(detail);
    let position = Memo::new(move |_| {
        detail.with(|d| {
            d.as_ref().and_then(|d| {
                let s = &d.summary;
                s.lat.zip(s.lng).map(|(lat, lng)| LatLng::new(lat, lng))
            })
        })
    });
    let address = Memo::new(move |_| {
        detail.with(|d| {
            d.as_ref()
                .and_then(|d| d.summary.address.clone())
                .filter(|a| !a.is_empty())
        })
    });
    let has_position = Memo::new(move |_| position.with(Option::is_some));
    // Where the pin was dropped, waiting for the official's yes or no.
    let pending = RwSignal::new(None::<LatLng>);
    let busy = RwSignal::new(false);
    let outcome = RwSignal::new(None::<String>);
    let problem = RwSignal::new(None::<String>);
    // Puts the pin back where the report is saved (after "no", or a refused move).
    let put_back = RwSignal::new(0u32);
    // A different report: no question left open from the one before.
    Effect::new(move |_| {
        reference.track();
        pending.set(None);
        outcome.set(None);
        problem.set(None);
    });

    view! {
        <section class="place" aria-labelledby="place-heading">
            <h3 id="place-heading">{move || mt().place_heading}</h3>
            <p class="address-line">
                {move || address.get().unwrap_or_else(|| mt().no_address.to_string())}
                {move || {
                    position
                        .get()
                        .map(|p| {
                            view! { <span class="lat-lng">{format!(" ({:.5}, {:.5})", p.lat, p.lng)}</span> }
                        })
                }}
            </p>
            // A print-ready page for the crew (server-rendered, see `http/office/print.rs`).
            <p class="print">
                <a
                    href=move || {
                        let lang = if ctx.lang.get() == Lang::En { "?lang=en" } else { "" };
                        format!("/office/print/reports/{}{lang}", reference.get().unwrap_or_default())
                    }
                    target="_blank"
                    rel="noopener"
                >
                    {move || mt().print_order}
                    <span class="sr-only">" " {move || mt().print_window}</span>
                </a>
            </p>
            <Show
                when=move || has_position.get()
                fallback=move || view! { <p class="hint">{move || mt().no_position}</p> }
            >
                <MiniMap detail position pending put_back />
                <p class="osm">
                    <a
                        href=move || position.get().map(|p| osm_url(p.lat, p.lng)).unwrap_or_default()
                        target="_blank"
                        rel="noopener noreferrer"
                    >
                        {move || mt().osm_link}
                        <span class="sr-only">" " {move || mt().new_window}</span>
                    </a>
                </p>
                <p class="hint" id="pin-hint">
                    {move || mt().pin_hint}
                </p>
            </Show>
            <Show when=move || pending.with(Option::is_some)>
                <div class="confirm" role="group" aria-labelledby="pos-question">
                    <p id="pos-question">
                        <strong>{move || mt().confirm_question}</strong>
                        " "
                        {move || {
                            pending
                                .get()
                                .map(|p| new_position(ctx.lang.get(), p.lat, p.lng))
                        }}
                    </p>
                    <button
                        type="button"
                        id="pos-yes"
                        class="primary"
                        disabled=move || busy.get()
                        on:click=move |_| {
                            let (Some(r), Some(to)) = (
                                reference.get_untracked(),
                                pending.get_untracked(),
                            ) else {
                                return;
                            };
                            busy.set(true);
                            spawn_local(async move {
                                let answer = api::move_to(&r, to).await;
                                // `Some`: the signal is gone with the page.
                                if busy.try_set(false).is_some() {
                                    return;
                                }
                                pending.set(None);
                                let t = map_texts(ctx.lang.get_untracked());
                                match answer {
                                    Ok(Changed::Current(d)) => {
                                        detail.set(Some(d));
                                        problem.set(None);
                                        outcome.set(Some(t.position_saved.to_string()));
                                        reload.run(());
                                    }
                                    Ok(Changed::RoutedAway(_)) => reload.run(()),
                                    Err(e) => {
                                        let outside = e
                                            .fields
                                            .iter()
                                            .any(|f| f.code == ValidationCode::OutsideArea);
                                        let why = if outside {
                                            t.outside_area.to_string()
                                        } else {
                                            ctx.fail(&e)(ctx.t()).to_string()
                                        };
                                        outcome.set(None);
                                        problem.set(Some(format!("{why} {}", t.pin_back)));
                                        // The pin goes back to the saved place.
                                        put_back.update(|n| *n += 1);
                                    }
                                }
                            });
                        }
                    >
                        {move || mt().confirm_yes}
                    </button>
                    <button
                        type="button"
                        disabled=move || busy.get()
                        on:click=move |_| {
                            pending.set(None);
                            put_back.update(|n| *n += 1);
                            focus_id("pin-hint");
                        }
                    >
                        {move || mt().confirm_no}
                    </button>
                </div>
            </Show>
            <p class="form-outcome" role="status">
                {move || outcome.get()}
            </p>
            <p class="form-error" role="alert">
                {move || problem.get()}
            </p>
        </section>
    }
}

/// The map: the report's pin, the reports within [`NEARBY_M`] (a click opens one), following
/// the report shown.
#[component]
fn MiniMap(
    detail: RwSignal<Option<Detail>>,
    position: Memo<Option<LatLng>>,
    pending: RwSignal<Option<LatLng>>,
    put_back: RwSignal<u32>,
) -> impl IntoView {
    let ctx = use_ctx();
    let slug = ctx
        .me
        .with_untracked(|m| m.as_ref().map(|m| m.tenant.slug.clone()))
        .unwrap_or_default();
    let el = NodeRef::<leptos::html::Div>::new();
    let handle = MapHandle::new();
    let pin = StoredValue::new_local(None::<Pin>);
    let nearby = StoredValue::new_local(None::<ReportLayer>);
    let ready = RwSignal::new(false);
    let failed = RwSignal::new(false);
    el.on_load(move |div| {
        spawn_local(async move {
            let t = map_texts(ctx.lang.get_untracked());
            let setup = places::map_setup(&slug, t.mini_map_label.to_string()).await;
            let (Ok(mut setup), true) = (setup, load_leaflet().await) else {
                failed.set(true);
                return;
            };
            let Some(at) = position.get_untracked() else {
                return;
            };
            setup.center = at;
            setup.zoom = ZOOM;
            let map = Rc::new(OfficeMap::new(&div, &setup));
            nearby.set_value(Some(
                map.report_layer(None::<fn(usize) -> String>, move |r: String| {
                    open_report(ctx, &r)
                }),
            ));
            pin.set_value(Some(map.pin(at, t.pin_title, true, move |p| {
                let _ = pending.try_set(Some(p));
                focus_id("pos-yes");
            })));
            handle.set(map);
            ready.set(true);
        });
    });
    // The report shown (another one, or this one moved): pin and view follow, the nearby
    // reports are asked for again.
    Effect::new(move |_| {
        put_back.track();
        let Some(at) = position.get() else {
            return;
        };
        if !ready.get() {
            return;
        }
        pin.with_value(|p| {
            if let Some(p) = p {
                p.place(at)
            }
        });
        handle.with(|m| m.set_view(at, ZOOM));
        let me = detail.with_untracked(|d| d.as_ref().map(|d| d.summary.reference.clone()));
        spawn_local(async move {
            let around = bbox_around(at, NEARBY_M);
            let Ok(list) = api::markers(&Filter::default(), Some(around.as_str())).await else {
                return;
            };
            let lang = ctx.lang.get_untracked();
            nearby.with_value(|n| {
                if let Some(n) = n {
                    n.show(&list.markers, lang, me.as_deref())
                }
            });
        });
    });
    view! {
        <div class="map mini-map" node_ref=el></div>
        <p class="hint map-unavailable" role="status">
            {move || failed.get().then(|| map_texts(ctx.lang.get()).map_unavailable)}
        </p>
    }
}
