//! `<civic-reports>`, the Mängelmelder: map + legend + filters + list of public reports, the
//! details of one report with "Betrifft mich auch", and the three-step report form.
//!
//! Code map: `state` holds every signal and the shared operations; `loads` loads the map by
//! tiles (`tiles`) and the list by pages; `browse` draws the map and the list; `details` one public report; `form` the report form, one module per step; `places`
//! the address of the chosen place and the address search. The fixed
//! frame (head, filters, legend, containers) is the Leptos view below; the parts rebuilt from
//! data are plain DOM (see dom.rs), and their buttons are dispatched by [`App`]'s one
//! delegated click listener.

mod browse;
mod details;
mod flag;
mod form;
mod loads;
pub mod map;
pub mod photos;
mod places;
mod state;
mod tiles;

use crate::api::Api;
use crate::dom;
use civickit_model::Status;
use leptos::prelude::*;
use state::{State, Step};

pub fn mount(target: web_sys::HtmlElement, host: web_sys::HtmlElement, api: Api) {
    let handle = leptos::mount::mount_to(target, move || view! { <App api=api host=host/> });
    handle.forget();
}

/// The shape of a state as a small SVG (legend, filters): colour and shape together, the
/// same markup as in the lists (`dom::shape_markup`), not a Leptos SVG view (smaller wasm).
fn shape_svg(status: Status) -> impl IntoView {
    leptos::tachys::html::InertElement::new(dom::shape_markup(status))
}

#[component]
fn App(api: Api, host: web_sys::HtmlElement) -> impl IntoView {
    let s = State::new(api, host);
    let (t, lang) = (s.t, s.lang);
    let State {
        root,
        map_ref,
        list_ref,
        details_ref,
        flow_ref,
        more_ref,
        search_ref,
        config,
        load_error,
        map_ok,
        list_view,
        status_filter,
        category_filter,
        step,
        announce,
        ..
    } = s;

    s.load_config();
    browse::watch_map(s);
    form::watch_nearby(s);
    browse::watch_list(s);
    details::watch(s);
    form::watch(s);
    places::watch_reverse(s);

    let on_flow_input = move |ev: web_sys::Event| form::on_input(s, ev);
    // One delegated listener for the buttons of the plain-DOM parts (their `data-action`).
    let on_action = move |ev: web_sys::MouseEvent| {
        let Some((action, reference)) = dom::clicked(&ev) else {
            return;
        };
        match action.as_str() {
            "details" => s.open_details(reference),
            "more" => s.more(),
            "support" => s.support(reference),
            "flag" => s.open_flag(None),
            "flag-photo" => s.open_flag(Some(reference)),
            "flag-cancel" => s.close_flag(),
            "close" => s.close_details(),
            "start" => s.start(),
            "cancel" => s.cancel(),
            "take-centre" => s.take_centre(),
            "my-location" => s.my_location(),
            "locate-next" => s.locate_next(),
            "details-next" => s.details_next(),
            "to-locate" => s.go(Step::Locate),
            "to-details" => s.go(Step::Details),
            "submit" => s.submit(),
            _ => {}
        }
    };
    let show_map = move || s.show_map();
    let load_config = move || s.load_config();
    let reload = move || s.reload();
    let start = move || s.start();

    // `with`, not `get`: only what is shown is copied out of the config.
    let title = move || {
        config.with(|c| match c {
            Some(c) => format!("{} {}", t.title, c.name),
            None => t.title.to_string(),
        })
    };
    let categories_for_filter = move || {
        config
            .with(|c| c.as_ref().map(|c| c.categories.clone()))
            .unwrap_or_default()
            .into_iter()
            .map(|c| view! { <option value=c.code>{c.name}</option> })
            .collect_view()
    };

    view! {
        <div class="civic" node_ref=root lang=lang.code()>
            <div class="civic-head">
                <h2>{title}</h2>
                <div class="civic-row">
                    <button type="button" class="civic-button civic-toggle" class:civic-hidden=move || !map_ok.get()
                        aria-pressed=move || list_view.get().to_string()
                        on:click=move |_| list_view.update(|l| *l = !*l)>
                        {move || if list_view.get() { t.show_map } else { t.show_list }}
                    </button>
                    <button type="button" class="civic-button civic-primary civic-new" on:click=move |_| start()
                        disabled=move || config.with(|c| c.is_none())>{t.new_report}</button>
                </div>
            </div>
            <div class="civic-sr" role="status" aria-live="polite" aria-atomic="true">{move || announce.get()}</div>
            <div class="civic-alert" role="alert" class:civic-hidden=move || !load_error.get()>
                <p>{t.load_failed}</p>
                <button type="button" class="civic-button" on:click=move |_| {
                    if config.with_untracked(|c| c.is_none()) { load_config() } else { reload() }
                }>{t.retry}</button>
            </div>
            <p class="civic-alert" class:civic-hidden=move || map_ok.get()>{t.map_failed}</p>
            <div node_ref=details_ref on:click=on_action></div>
            <div node_ref=flow_ref on:click=on_action on:input=on_flow_input on:change=on_flow_input></div>
            <div class="civic-filters" role="group" aria-label=t.filters>
                <fieldset>
                    <legend>{t.filter_status}</legend>
                    {Status::PUBLIC.into_iter().map(|s| {
                        let id = format!("civic-f-{}", s.as_str());
                        view! {
                            <span class="civic-check">
                                <input type="checkbox" id=id.clone() checked=true
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        status_filter.update(|f| { f.retain(|x| *x != s); if on { f.push(s) } });
                                    }/>
                                <label for=id>{shape_svg(s)}{s.label(lang)}</label>
                            </span>
                        }
                    }).collect_view()}
                </fieldset>
                <div class="civic-catfilter">
                    <label for="civic-f-category">{t.filter_category}</label>
                    <select id="civic-f-category" on:change=move |ev| category_filter.set(event_target_value(&ev))>
                        <option value="">{t.all_categories}</option>
                        {categories_for_filter}
                    </select>
                </div>
            </div>
            <div class="civic-search" node_ref=search_ref class:civic-hidden=move || !show_map()></div>
            <div class="civic-mapwrap" class:civic-hidden=move || !show_map() class:civic-locating=move || step.get() == Step::Locate>
                <div class="civic-map" node_ref=map_ref></div>
                <div class="civic-crosshair" aria-hidden="true"></div>
                <p class="civic-sr">{t.crosshair_help}</p>
            </div>
            <div node_ref=more_ref on:click=on_action on:input=on_flow_input on:change=on_flow_input></div>
            // Under the map (and above the list), open; while a report is written folded to
            // its summary, one tap away, so that the form and the map come first (`enter`).
            <details class="civic-legend" open>
                <summary>{t.legend}</summary>
                <ul>
                    {Status::PUBLIC.into_iter().map(|s| view! { <li>{shape_svg(s)}<span>{s.legend(lang)}</span></li> }).collect_view()}
                </ul>
            </details>
            <section class="civic-list" aria-label=t.list_heading tabindex="-1" class:civic-hidden=move || !list_view.get()>
                <h3>{t.list_heading}</h3>
                <div node_ref=list_ref on:click=on_action></div>
            </section>
        </div>
    }
}
