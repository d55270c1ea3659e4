//! `<civic-reports>`, the Mängelmelder: map + legend + filters + list of public reports, the
//! details of one report with "Betrifft mich auch", and the three-step report form.

pub mod map;

use crate::api::{Api, ApiError, Body, Config, Created, Detail, ReportList, SupportAnswer, Summary};
use crate::texts::{date, texts, Texts};
use civickit_model::validate::DESCRIPTION_MAX_CHARS;
use civickit_model::{Area, FieldError, Lang, LatLng, Marker, NewReport, Status, ValidationCode};
use leptos::prelude::*;
use leptos::task::spawn_local;
use map::{element, MapView};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Off,
    Locate,
    Details,
    Preview,
    Done,
}

pub fn mount(target: web_sys::HtmlElement, host: web_sys::HtmlElement, api: Api) {
    let handle = leptos::mount::mount_to(target, move || view! { <App api=api host=host/> });
    handle.forget();
}

/// The shape of a state as a small SVG (legend, list, filters): colour and shape together.
fn shape_svg(status: Status) -> impl IntoView {
    let fill = status.light().hex();
    let shape = match status.marker() {
        Marker::Triangle => view! { <polygon points="10,1 19,18 1,18" fill=fill stroke="#fff" stroke-width="1.5"/> }.into_any(),
        Marker::Diamond => view! { <polygon points="10,1 19,10 10,19 1,10" fill=fill stroke="#fff" stroke-width="1.5"/> }.into_any(),
        Marker::Circle => view! { <circle cx="10" cy="10" r="8.5" fill=fill stroke="#fff" stroke-width="1.5"/> }.into_any(),
        Marker::Square => view! { <rect x="2" y="2" width="16" height="16" fill=fill stroke="#fff" stroke-width="1.5"/> }.into_any(),
    };
    view! {
        <svg class="civic-shape" viewBox="0 0 20 20" width="20" height="20" aria-hidden="true" focusable="false">
            {shape}
        </svg>
    }
}

fn field_message(field: &str, code: ValidationCode, lang: Lang) -> String {
    FieldError::new(field, code).message(lang)
}

/// Finds the element matching `selector` in this widget and focuses it on the next frame
/// (after Leptos has rendered the step it belongs to).
fn focus_later(root: NodeRef<leptos::html::Div>, selector: &'static str) {
    request_animation_frame(move || {
        if let Some(root) = root.get_untracked() {
            if let Ok(Some(el)) = root.query_selector(selector) {
                if let Some(el) = el.dyn_ref::<web_sys::HtmlElement>() {
                    let _ = el.focus();
                }
            }
        }
    });
}

#[component]
fn App(api: Api, host: web_sys::HtmlElement) -> impl IntoView {
    let lang = api.lang;
    let t: &'static Texts = texts(lang);
    let api = StoredValue::new(api);
    let host = StoredValue::new_local(host);
    let map_view = StoredValue::new_local(None::<Rc<MapView>>);
    let root = NodeRef::<leptos::html::Div>::new();
    let map_ref = NodeRef::<leptos::html::Div>::new();

    let config = RwSignal::new(None::<Config>);
    let load_error = RwSignal::new(false);
    let reports = RwSignal::new(Vec::<Summary>::new());
    let truncated = RwSignal::new(false);
    let loading = RwSignal::new(true);
    let map_ok = RwSignal::new(true);
    let list_view = RwSignal::new(false);
    let status_filter = RwSignal::new(Status::PUBLIC.to_vec());
    let category_filter = RwSignal::new(String::new());
    let bbox = RwSignal::new(None::<String>);

    let selected = RwSignal::new(None::<String>);
    let detail = RwSignal::new(None::<Detail>);
    let support_message = RwSignal::new(None::<String>);

    let step = RwSignal::new(Step::Off);
    let position = RwSignal::new(None::<LatLng>);
    let address = RwSignal::new(String::new());
    let category = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let website = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<(String, String)>::new());
    let nearby = RwSignal::new(Vec::<Summary>::new());
    let sending = RwSignal::new(false);
    let submit_error = RwSignal::new(None::<String>);
    let created = RwSignal::new(None::<Created>);
    let geo_message = RwSignal::new(None::<String>);
    let announce = RwSignal::new(String::new());
    let load_seq = StoredValue::new(0u32);

    let category_name = move |code: &str| -> String {
        config.with_untracked(|c| {
            c.as_ref()
                .and_then(|c| c.categories.iter().find(|k| k.code == code))
                .map(|k| k.name.clone())
                .unwrap_or_else(|| code.to_string())
        })
    };
    let error_for = move |field: &'static str| {
        move || {
            errors.with(|e| {
                e.iter()
                    .filter(|(f, _)| f == field)
                    .map(|(_, m)| m.clone())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
        }
    };
    let has_error = move |field: &'static str| {
        move || errors.with(|e| e.iter().any(|(f, _)| f == field))
    };

    // ---- loading -------------------------------------------------------------------------
    let load_reports = move |bbox: Option<String>| {
        let seq = load_seq.get_value() + 1;
        load_seq.set_value(seq);
        loading.set(true);
        let query = bbox
            .map(|b| format!("bbox={}", crate::api::encode(&b).replace("%2C", ",")))
            .unwrap_or_default();
        spawn_local(async move {
            let answer: Result<ReportList, ApiError> =
                api.get_value().get("/reports", &query).await;
            if load_seq.get_value() != seq {
                return;
            }
            loading.set(false);
            match answer {
                Ok(list) => {
                    load_error.set(false);
                    truncated.set(list.truncated);
                    reports.set(list.reports);
                }
                Err(_) => load_error.set(true),
            }
        });
    };
    let reload = move || load_reports(if map_ok.get_untracked() { bbox.get_untracked() } else { None });

    let load_config = move || {
        load_error.set(false);
        spawn_local(async move {
            match api.get_value().get::<Config>("/config", "").await {
                Ok(c) => config.set(Some(c)),
                Err(_) => {
                    load_error.set(true);
                    loading.set(false);
                }
            }
        });
    };
    load_config();

    let filtered = Memo::new(move |_| {
        let states = status_filter.get();
        let cat = category_filter.get();
        reports.with(|all| {
            all.iter()
                .filter(|r| states.contains(&r.status) && (cat.is_empty() || r.category == cat))
                .cloned()
                .collect::<Vec<_>>()
        })
    });

    // ---- the map -------------------------------------------------------------------------
    let choose = move |p: LatLng| {
        position.set(Some(p));
        errors.update(|e| e.retain(|(f, _)| f != "position"));
        map_view.with_value(|m| {
            if let Some(m) = m {
                m.show_pin(p, t.chosen_place, move |q| {
                    position.set(Some(q));
                    errors.update(|e| e.retain(|(f, _)| f != "position"));
                });
            }
        });
    };

    let open_details = move |reference: String| {
        selected.set(Some(reference.clone()));
        detail.set(None);
        support_message.set(None);
        spawn_local(async move {
            let path = format!("/reports/{}", crate::api::encode(&reference));
            if let Ok(d) = api.get_value().get::<Detail>(&path, "").await {
                if selected.get_untracked().as_deref() == Some(d.reference.as_str()) {
                    detail.set(Some(d));
                    focus_later(root, ".civic-details h3");
                }
            }
        });
    };

    Effect::new(move |_| {
        let (Some(div), Some(cfg)) = (map_ref.get(), config.get()) else {
            return;
        };
        if map_view.with_value(|m| m.is_some()) {
            return;
        }
        let el: &web_sys::HtmlElement = &div;
        match MapView::new(el, &cfg, t.map_label) {
            Ok(m) => {
                m.on_click(move |p| {
                    if step.get_untracked() == Step::Locate {
                        choose(p);
                    }
                });
                m.on_enter(move |p| {
                    if step.get_untracked() == Step::Locate {
                        choose(p);
                    }
                });
                let popup_map = Rc::downgrade(&m);
                m.on_marker_click(move |r, p| {
                    let Some(mv) = popup_map.upgrade() else { return };
                    let box_ = element("div", "civic-popup", "");
                    let _ = box_.append_child(&element("strong", "", &category_name(&r.category)));
                    let _ = box_.append_child(&element(
                        "p",
                        "civic-popup-status",
                        &format!("{} · {} {}", r.status.label(lang), t.reported_on, date(&r.created, lang)),
                    ));
                    let _ = box_.append_child(&element("p", "", &r.summary));
                    let button = element("button", "civic-button", t.details);
                    let _ = button.set_attribute("type", "button");
                    let reference = r.reference.clone();
                    let weak = Rc::downgrade(&mv);
                    let click = Closure::<dyn FnMut()>::new(move || {
                        if let Some(mv) = weak.upgrade() {
                            mv.close_popup();
                        }
                        open_details(reference.clone());
                    });
                    let _ = button
                        .add_event_listener_with_callback("click", click.as_ref().unchecked_ref());
                    click.forget();
                    let _ = box_.append_child(&button);
                    mv.popup(&box_, p);
                });
                m.on_view_change(move |b| {
                    bbox.set(Some(b.clone()));
                    load_reports(Some(b));
                });
                map_view.set_value(Some(m));
            }
            Err(_) => {
                map_ok.set(false);
                list_view.set(true);
                load_reports(None);
            }
        }
    });

    Effect::new(move |_| {
        let visible = filtered.get();
        map_view.with_value(|m| {
            if let Some(m) = m {
                m.draw(&visible);
            }
        });
    });

    let show_map = move || map_ok.get() && (!list_view.get() || step.get() == Step::Locate);
    Effect::new(move |_| {
        if show_map() {
            request_animation_frame(move || {
                map_view.with_value(|m| {
                    if let Some(m) = m {
                        m.refresh_size();
                    }
                })
            });
        }
    });

    // ---- the report flow -----------------------------------------------------------------
    let area = move || {
        config.with_untracked(|c| c.as_ref().map(|c| Area::new(c.map.area.clone())))
    };
    let draft = move || NewReport {
        category: category.get_untracked(),
        position: position.get_untracked(),
        address: Some(address.get_untracked()),
        description: description.get_untracked(),
        email: Some(email.get_untracked()),
    }
    .normalized();
    let check = move |fields: &[&str]| -> bool {
        let codes: Vec<String> = config.with_untracked(|c| {
            c.as_ref()
                .map(|c| c.categories.iter().map(|k| k.code.clone()).collect())
                .unwrap_or_default()
        });
        let codes: Vec<&str> = codes.iter().map(String::as_str).collect();
        let area = area();
        let found: Vec<(String, String)> = draft()
            .validate(area.as_ref().filter(|a| a.is_valid()), &codes)
            .into_iter()
            .filter(|e| fields.contains(&e.field.as_str()))
            .map(|e| (e.field.clone(), e.message(lang)))
            .collect();
        let ok = found.is_empty();
        errors.set(found);
        if !ok {
            announce.set(t.form_has_errors.to_string());
        }
        ok
    };
    let outside_area = move || {
        position.get().is_some_and(|p| {
            area().is_some_and(|a| a.is_valid() && !a.contains(&p))
        })
    };

    let go = move |s: Step| {
        step.set(s);
        submit_error.set(None);
        if s == Step::Locate {
            list_view.set(list_view.get_untracked());
        }
        match s {
            Step::Off => focus_later(root, ".civic-new"),
            Step::Done => focus_later(root, ".civic-done h3"),
            _ => focus_later(root, ".civic-flow h3"),
        }
    };
    let start = move |_| {
        selected.set(None);
        created.set(None);
        errors.set(Vec::new());
        go(Step::Locate);
    };
    let cancel = move |_| go(Step::Off);
    let locate_next = move |_| {
        if check(&["position", "address"]) {
            go(Step::Details);
        } else {
            focus_later(root, ".civic-flow [aria-invalid=true]");
        }
    };
    let details_next = move |_| {
        if check(&["position", "address", "category", "description", "email"]) {
            go(Step::Preview);
        } else {
            focus_later(root, ".civic-flow [aria-invalid=true]");
        }
    };

    // nearby open reports of the chosen category: "Ist es einer davon?"
    Effect::new(move |_| {
        let (s, p, c) = (step.get(), position.get(), category.get());
        let (Step::Details, Some(p), false) = (s, p, c.is_empty()) else {
            nearby.set(Vec::new());
            return;
        };
        let radius = config.with_untracked(|c| c.as_ref().map(|c| c.duplicate_radius_m).unwrap_or(250.0));
        let query = format!(
            "lat={}&lng={}&category={}&radius={}",
            p.lat,
            p.lng,
            crate::api::encode(&c),
            radius
        );
        spawn_local(async move {
            if let Ok(list) = api.get_value().get::<ReportList>("/reports/nearby", &query).await {
                if category.get_untracked() == c && position.get_untracked() == Some(p) {
                    nearby.set(list.reports);
                }
            }
        });
    });

    let support = move |reference: String| {
        support_message.set(None);
        spawn_local(async move {
            let path = format!("/reports/{}/support", crate::api::encode(&reference));
            let body = Body::default().str("supporter", &crate::supporter_id());
            let answer: Result<SupportAnswer, ApiError> = api.get_value().post(&path, body).await;
            let message = match answer {
                Ok(a) => {
                    detail.update(|d| {
                        if let Some(d) = d.as_mut().filter(|d| d.reference == reference) {
                            d.supporters = a.supporters;
                        }
                    });
                    let update = |list: &mut Vec<Summary>| {
                        for r in list.iter_mut().filter(|r| r.reference == reference) {
                            r.supporters = a.supporters;
                        }
                    };
                    reports.update(update);
                    nearby.update(update);
                    if a.counted { t.support_counted } else { t.support_already }
                }
                Err(ApiError::Http(409, _)) => t.support_closed,
                Err(ApiError::Http(_, e)) if !e.message.is_empty() => {
                    support_message.set(Some(e.message.clone()));
                    announce.set(e.message);
                    return;
                }
                Err(_) => t.network_error,
            };
            support_message.set(Some(message.to_string()));
            announce.set(message.to_string());
        });
    };

    let submit = move |_| {
        if sending.get_untracked() {
            return;
        }
        if !check(&["position", "address", "category", "description", "email"]) {
            go(Step::Details);
            return;
        }
        let d = draft();
        sending.set(true);
        submit_error.set(None);
        let honeypot = website.get_untracked();
        spawn_local(async move {
            let body = Body::default()
                .str("category", &d.category)
                .position("position", d.position)
                .opt_str("address", d.address.as_deref())
                .str("description", &d.description)
                .opt_str("email", d.email.as_deref())
                .str("website", &honeypot);
            let answer: Result<Created, ApiError> = api.get_value().post("/reports", body).await;
            sending.set(false);
            match answer {
                Ok(c) => {
                    announce.set(format!("{} {}", t.done_announce, c.reference));
                    host.with_value(|h| {
                        let detail = js_sys::Object::new();
                        let _ = js_sys::Reflect::set(&detail, &"ref".into(), &c.reference.clone().into());
                        let init = web_sys::CustomEventInit::new();
                        init.set_bubbles(true);
                        init.set_composed(true);
                        init.set_detail(&detail);
                        if let Ok(ev) = web_sys::CustomEvent::new_with_event_init_dict(
                            "civic:report-created",
                            &init,
                        ) {
                            let _ = h.dispatch_event(&ev);
                        }
                    });
                    created.set(Some(c));
                    position.set(None);
                    address.set(String::new());
                    description.set(String::new());
                    email.set(String::new());
                    category.set(String::new());
                    errors.set(Vec::new());
                    map_view.with_value(|m| {
                        if let Some(m) = m {
                            m.hide_pin();
                        }
                    });
                    go(Step::Done);
                    reload();
                }
                Err(ApiError::Http(422, e)) if !e.fields.is_empty() => {
                    let found: Vec<(String, String)> = e
                        .fields
                        .iter()
                        .map(|f| (f.field.clone(), f.message.clone()))
                        .collect();
                    let back = if found.iter().any(|(f, _)| f == "position" || f == "address") {
                        Step::Locate
                    } else {
                        Step::Details
                    };
                    errors.set(found);
                    announce.set(t.form_has_errors.to_string());
                    go(back);
                    submit_error.set(Some(if e.message.is_empty() { t.form_has_errors.to_string() } else { e.message }));
                }
                Err(ApiError::Http(429, _)) => {
                    submit_error.set(Some(t.rate_limited.to_string()));
                    announce.set(t.rate_limited.to_string());
                }
                Err(ApiError::Http(_, e)) => {
                    let m = if e.message.is_empty() { t.server_error.to_string() } else { format!("{} {}", e.message, t.server_error) };
                    submit_error.set(Some(m.clone()));
                    announce.set(m);
                }
                Err(ApiError::Network) => {
                    submit_error.set(Some(t.network_error.to_string()));
                    announce.set(t.network_error.to_string());
                }
            }
        });
    };

    let my_location = move |_| {
        let Some(geo) = web_sys::window().and_then(|w| w.navigator().geolocation().ok()) else {
            geo_message.set(Some(t.geolocation_failed.to_string()));
            return;
        };
        geo_message.set(Some(t.locating.to_string()));
        let ok = Closure::once_into_js(move |pos: JsValue| {
            let coords = js_sys::Reflect::get(&pos, &"coords".into()).unwrap_or_default();
            let num = |k: &str| js_sys::Reflect::get(&coords, &k.into()).ok().and_then(|v| v.as_f64());
            if let (Some(lat), Some(lng)) = (num("latitude"), num("longitude")) {
                let p = LatLng::new(lat, lng);
                geo_message.set(None);
                map_view.with_value(|m| {
                    if let Some(m) = m {
                        m.pan_to(p);
                    }
                });
                choose(p);
            } else {
                geo_message.set(Some(t.geolocation_failed.to_string()));
            }
        });
        let err = Closure::once_into_js(move |_: JsValue| {
            geo_message.set(Some(t.geolocation_failed.to_string()));
        });
        if geo
            .get_current_position_with_error_callback(ok.unchecked_ref(), Some(err.unchecked_ref()))
            .is_err()
        {
            geo_message.set(Some(t.geolocation_failed.to_string()));
        }
    };

    let take_centre = move |_| {
        let c = map_view.with_value(|m| m.as_ref().map(|m| m.center()));
        if let Some(c) = c {
            choose(c);
        }
    };

    // ---- views ---------------------------------------------------------------------------
    let step_heading = move |n: u8, title: &'static str| {
        view! {
            <p class="civic-stepno">{format!("{} {n} / 3", t.step_of)}</p>
            <h3 tabindex="-1">{title}</h3>
        }
    };

    let place_text = move || match position.get() {
        Some(p) => format!("{}: {:.5}, {:.5}", t.chosen_place, p.lat, p.lng),
        None => t.no_place_yet.to_string(),
    };

    let locate_view = move || {
        view! {
            <section class="civic-flow" aria-labelledby="civic-flow-h">
                {step_heading(1, t.step_locate)}
                <p class="civic-help">{move || if map_ok.get() { t.locate_help } else { t.locate_help_no_map }}</p>
                <p class="civic-place" id="civic-place">{place_text}</p>
                <Show when=outside_area>
                    <p class="civic-error" role="alert">{field_message("position", ValidationCode::OutsideArea, lang)}</p>
                </Show>
                <p class="civic-error" id="civic-err-position">{error_for("position")}</p>
                <div class="civic-row">
                    <Show when=move || map_ok.get()>
                        <button type="button" class="civic-button" on:click=take_centre>{t.take_centre}</button>
                    </Show>
                    <button type="button" class="civic-button" on:click=my_location>{t.my_location}</button>
                </div>
                <p class="civic-help" role="status">{move || geo_message.get()}</p>
                <label for="civic-address">{t.describe_place}</label>
                <input id="civic-address" type="text" autocomplete="off" maxlength="300"
                    placeholder=t.describe_place_hint
                    aria-invalid=move || has_error("address")().to_string()
                    aria-describedby="civic-err-address"
                    prop:value=move || address.get()
                    on:input=move |ev| address.set(event_target_value(&ev))/>
                <p class="civic-error" id="civic-err-address">{error_for("address")}</p>
                <div class="civic-row">
                    <button type="button" class="civic-button" on:click=cancel>{t.cancel}</button>
                    <button type="button" class="civic-button civic-primary" on:click=locate_next
                        aria-invalid=move || has_error("position")().to_string()>{t.next}</button>
                </div>
            </section>
        }
    };

    let details_view = move || {
        let categories = config.with_untracked(|c| c.as_ref().map(|c| c.categories.clone()).unwrap_or_default());
        let privacy = config.with_untracked(|c| c.as_ref().map(|c| c.privacy_url.clone()).unwrap_or_default());
        view! {
            <section class="civic-flow">
                {step_heading(2, t.step_details)}
                <p class="civic-place">{place_text}{move || { let a = address.get(); if a.trim().is_empty() { String::new() } else { format!(" – {}", a.trim()) } }}</p>
                <label for="civic-category">{t.category}</label>
                <select id="civic-category"
                    aria-invalid=move || has_error("category")().to_string()
                    aria-describedby="civic-err-category"
                    on:change=move |ev| category.set(event_target_value(&ev))>
                    <option value="" selected=move || category.get().is_empty()>{t.choose_category}</option>
                    {categories.into_iter().map(|c| {
                        let code = c.code.clone();
                        view! { <option value=c.code selected=move || category.get() == code>{c.name}</option> }
                    }).collect_view()}
                </select>
                <p class="civic-error" id="civic-err-category">{error_for("category")}</p>
                <Show when=move || !nearby.get().is_empty()>
                    <div class="civic-nearby" role="region" aria-labelledby="civic-nearby-h">
                        <h4 id="civic-nearby-h">{t.duplicates_heading}</h4>
                        <p>{t.duplicates_intro}</p>
                        <ul>
                            {move || nearby.get().into_iter().map(|r| {
                                let reference = r.reference.clone();
                                view! {
                                    <li>
                                        {shape_svg(r.status)}
                                        <span>
                                            <strong>{r.status.label(lang)}</strong>
                                            {format!(" · {} {} · {}", r.distance_m.map(|d| format!("{d:.0}")).unwrap_or_default(), t.metres_away, r.summary)}
                                            {format!(" · {}: {}", t.supporters, r.supporters)}
                                        </span>
                                        <button type="button" class="civic-button" on:click=move |_| support(reference.clone())>{t.support}</button>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                        <p role="status">{move || support_message.get()}</p>
                    </div>
                </Show>
                <label for="civic-description">{t.description}</label>
                <p class="civic-help" id="civic-description-hint">{t.description_hint}</p>
                <textarea id="civic-description" rows="5"
                    aria-invalid=move || has_error("description")().to_string()
                    aria-describedby="civic-description-hint civic-counter civic-err-description"
                    prop:value=move || description.get()
                    on:input=move |ev| description.set(event_target_value(&ev))></textarea>
                <p id="civic-counter" class="civic-counter"
                    class:civic-over=move || description.with(|d| d.chars().count() > DESCRIPTION_MAX_CHARS)>
                    {move || format!("{} / {} {}", description.with(|d| d.chars().count()), DESCRIPTION_MAX_CHARS, t.characters)}
                </p>
                <p class="civic-error" id="civic-err-description">{error_for("description")}</p>
                <label for="civic-email">{t.email}</label>
                <input id="civic-email" type="email" autocomplete="email"
                    aria-invalid=move || has_error("email")().to_string()
                    aria-describedby="civic-email-hint civic-err-email"
                    prop:value=move || email.get()
                    on:input=move |ev| email.set(event_target_value(&ev))/>
                <p class="civic-help" id="civic-email-hint">{t.email_hint}</p>
                <p class="civic-error" id="civic-err-email">{error_for("email")}</p>
                <div class="civic-hp" aria-hidden="true">
                    <label for="civic-website">{t.honeypot}</label>
                    <input id="civic-website" type="text" tabindex="-1" autocomplete="off"
                        prop:value=move || website.get()
                        on:input=move |ev| website.set(event_target_value(&ev))/>
                </div>
                <p class="civic-help">{t.privacy}" "<a href=privacy target="_blank" rel="noopener">{t.privacy_link}</a></p>
                <div class="civic-row">
                    <button type="button" class="civic-button" on:click=move |_| go(Step::Locate)>{t.back}</button>
                    <button type="button" class="civic-button civic-primary" on:click=details_next>{t.to_preview}</button>
                </div>
            </section>
        }
    };

    let preview_view = move || {
        let d = draft();
        let place = match (d.position, d.address.clone()) {
            (Some(p), Some(a)) => format!("{:.5}, {:.5} – {a}", p.lat, p.lng),
            (Some(p), None) => format!("{:.5}, {:.5}", p.lat, p.lng),
            (None, Some(a)) => a,
            (None, None) => t.not_given.to_string(),
        };
        view! {
            <section class="civic-flow">
                {step_heading(3, t.step_preview)}
                <p>{t.preview_intro}</p>
                <dl class="civic-preview">
                    <dt>{t.location}</dt>
                    <dd>{place}" "<button type="button" class="civic-link" on:click=move |_| go(Step::Locate)>{t.change}</button></dd>
                    <dt>{t.category}</dt>
                    <dd>{category_name(&d.category)}" "<button type="button" class="civic-link" on:click=move |_| go(Step::Details)>{t.change}</button></dd>
                    <dt>{t.description}</dt>
                    <dd class="civic-pre">{d.description.clone()}</dd>
                    <dt>{t.email}</dt>
                    <dd>{d.email.clone().unwrap_or_else(|| t.not_given.to_string())}</dd>
                </dl>
                <p class="civic-error" role="alert">{move || submit_error.get()}</p>
                <div class="civic-row">
                    <button type="button" class="civic-button" on:click=move |_| go(Step::Details)>{t.back}</button>
                    <button type="button" class="civic-button civic-primary" on:click=submit
                        disabled=move || sending.get()>
                        {move || if sending.get() { t.sending } else { t.submit }}
                    </button>
                </div>
            </section>
        }
    };

    let done_view = move || {
        let c = created.get_untracked();
        view! {
            <section class="civic-flow civic-done">
                <h3 tabindex="-1">{t.done_heading}</h3>
                {c.map(|c| {
                    let pending = c.status == Status::PendingReview;
                    view! {
                        <p>{t.done_reference}" "<strong class="civic-ref">{c.reference.clone()}</strong></p>
                        <p><a class="civic-tracking" href=c.tracking_url.clone() target="_blank" rel="noopener">{t.done_tracking}</a></p>
                        {pending.then(|| view! { <p>{t.done_pending}</p> })}
                    }
                })}
                <div class="civic-row">
                    <button type="button" class="civic-button" on:click=cancel>{t.close}</button>
                    <button type="button" class="civic-button civic-primary" on:click=start>{t.another}</button>
                </div>
            </section>
        }
    };

    let flow = move || match step.get() {
        Step::Off => ().into_any(),
        Step::Locate => locate_view().into_any(),
        Step::Details => details_view().into_any(),
        Step::Preview => preview_view().into_any(),
        Step::Done => done_view().into_any(),
    };

    let details_panel = move || {
        selected.get().map(|reference| {
            let body = move || {
                detail.get().map(|d| {
                    let open = d.status.is_open();
                    let reference = d.reference.clone();
                    let notes = d.notes.clone();
                    view! {
                        <p class="civic-status-line">{shape_svg(d.status)}<strong>{d.status.label(lang)}</strong>
                            {d.close_reason.map(|r| format!(" ({})", r.label(lang)))}</p>
                        <p class="civic-meta">{format!("{} · {} {}", d.category_name, t.reported_on, date(&d.created, lang))}
                            {d.address.clone().map(|a| format!(" · {a}"))}</p>
                        <h4>{t.description}</h4>
                        <p class="civic-pre civic-description">{d.description.clone()}</p>
                        <h4>{t.history}</h4>
                        {if notes.is_empty() {
                            view! { <p>{t.no_history}</p> }.into_any()
                        } else {
                            view! {
                                <ol class="civic-notes">
                                    {notes.into_iter().map(|n| view! {
                                        <li><span class="civic-meta">{format!("{} · {}", date(&n.at, lang), n.status.label(lang))}</span>
                                            " "<span class="civic-pre">{n.text}</span></li>
                                    }).collect_view()}
                                </ol>
                            }.into_any()
                        }}
                        <p class="civic-supporters">{format!("{}: {}", t.supporters, d.supporters)}</p>
                        {open.then(|| view! {
                            <button type="button" class="civic-button civic-primary" on:click=move |_| support(reference.clone())>{t.support}</button>
                        })}
                        <p role="status">{move || support_message.get()}</p>
                    }
                })
            };
            view! {
                <section class="civic-details" aria-labelledby="civic-details-h">
                    <div class="civic-details-head">
                        <h3 id="civic-details-h" tabindex="-1">{reference.clone()}</h3>
                        <button type="button" class="civic-button" on:click=move |_| { selected.set(None); focus_later(root, ".civic-list, .civic-map"); }>{t.close}</button>
                    </div>
                    {body}
                </section>
            }
        })
    };

    let list = move || {
        let items = filtered.get();
        if items.is_empty() {
            return view! { <p class="civic-empty">{move || if loading.get() { t.loading } else { t.list_empty }}</p> }.into_any();
        }
        view! {
            <ul class="civic-items">
                {items.into_iter().map(|r| {
                    let reference = r.reference.clone();
                    let label = format!("{} {}", t.details, r.reference);
                    view! {
                        <li class="civic-item" data-ref=r.reference.clone() data-status=r.status.as_str()>
                            {shape_svg(r.status)}
                            <div>
                                <p><strong>{category_name(&r.category)}</strong>" · "<span class="civic-status">{r.status.label(lang)}</span></p>
                                <p class="civic-meta">{format!("{} {} · {}", t.reported_on, date(&r.created, lang), r.reference)}
                                    {r.address.clone().map(|a| format!(" · {a}"))}
                                    {r.position().is_none().then(|| format!(" · {}", t.no_position))}
                                    {(r.supporters > 0).then(|| format!(" · {}: {}", t.supporters, r.supporters))}</p>
                                <p class="civic-summary">{r.summary.clone()}</p>
                                <button type="button" class="civic-button" aria-label=label on:click=move |_| open_details(reference.clone())>{t.details}</button>
                            </div>
                        </li>
                    }
                }).collect_view()}
            </ul>
        }.into_any()
    };

    let categories_for_filter = move || config.get().map(|c| c.categories).unwrap_or_default();
    let title = move || {
        config.get().map(|c| format!("{} {}", t.title, c.name)).unwrap_or_else(|| t.title.to_string())
    };

    view! {
        <div class="civic" node_ref=root lang=lang.code()>
            <div class="civic-head">
                <h2>{title}</h2>
                <div class="civic-row">
                    <Show when=move || map_ok.get()>
                        <button type="button" class="civic-button civic-toggle" aria-pressed=move || list_view.get().to_string()
                            on:click=move |_| list_view.update(|l| *l = !*l)>
                            {move || if list_view.get() { t.show_map } else { t.show_list }}
                        </button>
                    </Show>
                    <button type="button" class="civic-button civic-primary civic-new" on:click=start
                        disabled=move || config.with(|c| c.is_none())>{t.new_report}</button>
                </div>
            </div>
            <div class="civic-sr" role="status" aria-live="polite" aria-atomic="true">{move || announce.get()}</div>
            <Show when=move || load_error.get()>
                <div class="civic-alert" role="alert">
                    <p>{t.load_failed}</p>
                    <button type="button" class="civic-button" on:click=move |_| {
                        if config.with_untracked(|c| c.is_none()) { load_config() } else { reload() }
                    }>{t.retry}</button>
                </div>
            </Show>
            <Show when=move || !map_ok.get()>
                <p class="civic-alert">{t.map_failed}</p>
            </Show>
            {details_panel}
            {flow}
            <div class="civic-filters" role="group" aria-label=t.filters>
                <fieldset>
                    <legend>{t.filter_status}</legend>
                    {Status::PUBLIC.into_iter().map(|s| {
                        let id = format!("civic-f-{}", s.as_str());
                        view! {
                            <span class="civic-check">
                                <input type="checkbox" id=id.clone() prop:checked=move || status_filter.with(|f| f.contains(&s))
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
                        {move || categories_for_filter().into_iter().map(|c| view! { <option value=c.code>{c.name}</option> }).collect_view()}
                    </select>
                </div>
            </div>
            <div class="civic-legend" role="group" aria-label=t.legend>
                <ul>
                    {Status::PUBLIC.into_iter().map(|s| view! { <li>{shape_svg(s)}<span>{s.legend(lang)}</span></li> }).collect_view()}
                </ul>
            </div>
            <div class="civic-mapwrap" class:civic-hidden=move || !show_map() class:civic-locating=move || step.get() == Step::Locate>
                <div class="civic-map" node_ref=map_ref></div>
                <div class="civic-crosshair" aria-hidden="true"></div>
                <p class="civic-sr">{t.crosshair_help}</p>
            </div>
            <Show when=move || list_view.get()>
                <section class="civic-list" aria-label=t.list_heading tabindex="-1">
                    <h3>{t.list_heading}</h3>
                    <Show when=move || truncated.get()>
                        <p class="civic-help">{t.list_truncated}</p>
                    </Show>
                    {list}
                </section>
            </Show>
        </div>
    }
}
