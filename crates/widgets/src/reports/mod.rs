//! `<civic-reports>`, the Mängelmelder: map + legend + filters + list of public reports, the
//! details of one report with "Betrifft mich auch", and the three-step report form.

pub mod map;
pub mod photos;

use crate::api::{
    Api, ApiError, Body, Config, Created, Detail, ReportList, Summary, SupportAnswer,
};
use crate::dom::{self, El};
use crate::texts::{date, texts, Texts};
use civickit_model::validate::DESCRIPTION_MAX_CHARS;
use civickit_model::{Area, FieldError, Lang, LatLng, Marker, NewReport, Status, ValidationCode};
use leptos::prelude::*;
use leptos::task::spawn_local;
use map::MapView;
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
    // The photo panel of the report just created (kept across re-renders of the Done step).
    let photo_panel = StoredValue::new_local(None::<Rc<photos::Panel>>);
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
    let reload = move || {
        load_reports(if map_ok.get_untracked() {
            bbox.get_untracked()
        } else {
            None
        })
    };

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
                        .child(El::new("strong").text(&category_name(&r.category)))
                        .child(El::new("p").class("civic-popup-status").text(&status_line))
                        .child(El::new("p").text(&r.summary));
                    let button = El::button(t.details, "details", &r.reference, false).0;
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
                    let _ = box_.0.append_child(&button);
                    let box_ = box_.0;
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
    let area = move || config.with_untracked(|c| c.as_ref().map(|c| Area::new(c.map.area.clone())));
    let draft = move || {
        NewReport {
            category: category.get_untracked(),
            position: position.get_untracked(),
            address: Some(address.get_untracked()),
            description: description.get_untracked(),
            email: Some(email.get_untracked()),
        }
        .normalized()
    };
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
        position
            .get()
            .is_some_and(|p| area().is_some_and(|a| a.is_valid() && !a.contains(&p)))
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
    let start = move || {
        selected.set(None);
        created.set(None);
        errors.set(Vec::new());
        go(Step::Locate);
    };
    let cancel = move || go(Step::Off);
    let locate_next = move || {
        if check(&["position", "address"]) {
            go(Step::Details);
        } else {
            focus_later(root, ".civic-flow [aria-invalid=true]");
        }
    };
    let details_next = move || {
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
        let radius =
            config.with_untracked(|c| c.as_ref().map(|c| c.duplicate_radius_m).unwrap_or(250.0));
        let query = format!(
            "lat={}&lng={}&category={}&radius={}",
            p.lat,
            p.lng,
            crate::api::encode(&c),
            radius
        );
        spawn_local(async move {
            if let Ok(list) = api
                .get_value()
                .get::<ReportList>("/reports/nearby", &query)
                .await
            {
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
                    if a.counted {
                        t.support_counted
                    } else {
                        t.support_already
                    }
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

    let submit = move || {
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
                        let _ = js_sys::Reflect::set(
                            &detail,
                            &"ref".into(),
                            &c.reference.clone().into(),
                        );
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
                    photo_panel.set_value(
                        c.tracking_token
                            .as_deref()
                            .map(|token| photos::Panel::new(&api.get_value(), &c.reference, token)),
                    );
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
                    submit_error.set(Some(if e.message.is_empty() {
                        t.form_has_errors.to_string()
                    } else {
                        e.message
                    }));
                }
                Err(ApiError::Http(429, _)) => {
                    submit_error.set(Some(t.rate_limited.to_string()));
                    announce.set(t.rate_limited.to_string());
                }
                Err(ApiError::Http(_, e)) => {
                    let m = if e.message.is_empty() {
                        t.server_error.to_string()
                    } else {
                        format!("{} {}", e.message, t.server_error)
                    };
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

    let my_location = move || {
        let Some(geo) = web_sys::window().and_then(|w| w.navigator().geolocation().ok()) else {
            geo_message.set(Some(t.geolocation_failed.to_string()));
            return;
        };
        geo_message.set(Some(t.locating.to_string()));
        let ok = Closure::once_into_js(move |pos: JsValue| {
            let coords = js_sys::Reflect::get(&pos, &"coords".into()).unwrap_or_default();
            let num = |k: &str| {
                js_sys::Reflect::get(&coords, &k.into())
                    .ok()
                    .and_then(|v| v.as_f64())
            };
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

    let take_centre = move || {
        let c = map_view.with_value(|m| m.as_ref().map(|m| m.center()));
        if let Some(c) = c {
            choose(c);
        }
    };

    // ---- parts rebuilt from data with plain DOM (see dom.rs) ----------------------------
    let list_ref = NodeRef::<leptos::html::Div>::new();
    let details_ref = NodeRef::<leptos::html::Div>::new();

    Effect::new(move |_| {
        let Some(container) = list_ref.get() else {
            return;
        };
        let items = filtered.get();
        let is_loading = loading.get();
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
                if r.position().is_none() {
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
                                        .child(El::new("strong").text(&category_name(&r.category)))
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

    Effect::new(move |_| {
        let Some(container) = details_ref.get() else {
            return;
        };
        let (Some(reference), d, message) = (selected.get(), detail.get(), support_message.get())
        else {
            dom::replace(&container, Vec::new());
            return;
        };
        let mut section = El::new("section")
            .class("civic-details")
            .attr("aria-labelledby", "civic-details-h")
            .child(
                El::new("div")
                    .class("civic-details-head")
                    .child(
                        El::new("h3")
                            .attr("id", "civic-details-h")
                            .attr("tabindex", "-1")
                            .text(&reference),
                    )
                    .child(El::button(t.close, "close", &reference, false)),
            );
        if let Some(d) = d.filter(|d| d.reference == reference) {
            let mut status = El::new("p")
                .class("civic-status-line")
                .child(dom::shape(d.status))
                .child(El::new("strong").text(d.status.label(lang)));
            if let Some(r) = d.close_reason {
                status = status.text(&format!(" ({})", r.label(lang)));
            }
            let mut meta = format!(
                "{} · {} {}",
                d.category_name,
                t.reported_on,
                date(&d.created, lang)
            );
            if let Some(a) = &d.address {
                meta.push_str(" · ");
                meta.push_str(a);
            }
            section = section
                .child(status)
                .child(El::new("p").class("civic-meta").text(&meta))
                .child(El::new("h4").text(t.description))
                .child(
                    El::new("p")
                        .class("civic-pre civic-description")
                        .text(&d.description),
                )
                .opt(photos::gallery(&d.photos, lang))
                .child(El::new("h4").text(t.history));
            if d.notes.is_empty() {
                section = section.child(El::new("p").text(t.no_history));
            } else {
                let mut ol = El::new("ol").class("civic-notes");
                for n in &d.notes {
                    ol = ol.child(
                        El::new("li")
                            .child(El::new("span").class("civic-meta").text(&format!(
                                "{} · {}",
                                date(&n.at, lang),
                                n.status.label(lang)
                            )))
                            .text(" ")
                            .child(El::new("span").class("civic-pre").text(&n.text)),
                    );
                }
                section = section.child(ol);
            }
            section = section
                .child(
                    El::new("p")
                        .class("civic-supporters")
                        .text(&format!("{}: {}", t.supporters, d.supporters)),
                )
                .opt(
                    d.status
                        .is_open()
                        .then(|| El::button(t.support, "support", &d.reference, true)),
                );
        } else {
            section = section.child(El::new("p").text(t.loading));
        }
        section = section.child(
            El::new("p")
                .attr("role", "status")
                .text(message.as_deref().unwrap_or("")),
        );
        dom::replace(&container, vec![section]);
    });

    // ---- the report flow: plain DOM, rebuilt when the step or the error list changes ------
    // Inputs start from the signals (nothing typed is lost when a step is rebuilt) and write
    // back through one delegated input listener; buttons go through `on_action`.
    let flow_ref = NodeRef::<leptos::html::Div>::new();
    let find = move |selector: &str| -> Option<web_sys::Element> {
        flow_ref.get_untracked()?.query_selector(selector).ok()?
    };
    let set_text = move |selector: &str, text: &str| {
        if let Some(el) = find(selector) {
            el.set_text_content(Some(text));
        }
    };
    let place_text = move || match position.get_untracked() {
        Some(p) => format!("{}: {:.5}, {:.5}", t.chosen_place, p.lat, p.lng),
        None => t.no_place_yet.to_string(),
    };
    let counter_text = move || {
        let n = description.with_untracked(|d| d.chars().count());
        let over = if n > DESCRIPTION_MAX_CHARS {
            " ⚠"
        } else {
            ""
        };
        format!("{n} / {DESCRIPTION_MAX_CHARS} {}{over}", t.characters)
    };
    let outside_text = move || {
        if outside_area() {
            field_message("position", ValidationCode::OutsideArea, lang)
        } else {
            String::new()
        }
    };
    let fill_nearby = move || {
        let Some(container) = find("#civic-nearby") else {
            return;
        };
        let items = nearby.get_untracked();
        if items.is_empty() {
            dom::replace(&container, Vec::new());
            return;
        }
        let mut ul = El::new("ul");
        for r in &items {
            let distance = r
                .distance_m
                .map(|d| format!("{} {} · ", d.round() as i64, t.metres_away))
                .unwrap_or_default();
            ul = ul.child(
                El::new("li")
                    .child(dom::shape(r.status))
                    .child(
                        El::new("span")
                            .child(El::new("strong").text(r.status.label(lang)))
                            .text(&format!(
                                " · {distance}{} · {}: {}",
                                r.summary, t.supporters, r.supporters
                            )),
                    )
                    .child(El::button(t.support, "support", &r.reference, false)),
            );
        }
        let message = support_message.get_untracked().unwrap_or_default();
        dom::replace(
            &container,
            vec![El::new("div")
                .class("civic-nearby")
                .attr("role", "region")
                .attr("aria-labelledby", "civic-nearby-h")
                .child(
                    El::new("h4")
                        .attr("id", "civic-nearby-h")
                        .text(t.duplicates_heading),
                )
                .child(El::new("p").text(t.duplicates_intro))
                .child(ul)
                .child(El::new("p").attr("role", "status").text(&message))],
        );
    };

    Effect::new(move |_| {
        let Some(container) = flow_ref.get() else {
            return;
        };
        let s = step.get();
        let errs = errors.get();
        let err = |field: &str| -> El {
            let text = errs
                .iter()
                .filter(|(f, _)| f == field)
                .map(|(_, m)| m.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            El::new("p")
                .class("civic-error")
                .attr("id", &format!("civic-err-{field}"))
                .text(&text)
        };
        let bad = |field: &str| {
            if errs.iter().any(|(f, _)| f == field) {
                "true"
            } else {
                "false"
            }
        };
        let heading = |n: u8, title: &str| {
            vec![
                El::new("p")
                    .class("civic-stepno")
                    .text(&format!("{} {n} / 3", t.step_of)),
                El::new("h3").attr("tabindex", "-1").text(title),
            ]
        };
        let row = |buttons: Vec<El>| {
            buttons
                .into_iter()
                .fold(El::new("div").class("civic-row"), El::child)
        };
        let label = |id: &str, text: &str| El::new("label").attr("for", id).text(text);
        let input = |id: &str, kind: &str, value: String, described: &str| {
            let el = El::new("input")
                .attr("id", id)
                .attr("type", kind)
                .attr("aria-describedby", described);
            if let Some(i) = el.0.dyn_ref::<web_sys::HtmlInputElement>() {
                i.set_value(&value);
            }
            el
        };
        let mut parts: Vec<El> = Vec::new();
        match s {
            Step::Off => {
                dom::replace(&container, Vec::new());
                return;
            }
            Step::Locate => {
                parts.extend(heading(1, t.step_locate));
                parts.push(
                    El::new("p")
                        .class("civic-help")
                        .text(if map_ok.get_untracked() {
                            t.locate_help
                        } else {
                            t.locate_help_no_map
                        }),
                );
                parts.push(
                    El::new("p")
                        .class("civic-place")
                        .attr("id", "civic-place")
                        .text(&place_text()),
                );
                parts.push(
                    El::new("p")
                        .class("civic-error")
                        .attr("id", "civic-outside")
                        .attr("role", "alert")
                        .text(&outside_text()),
                );
                parts.push(err("position"));
                let mut buttons = Vec::new();
                if map_ok.get_untracked() {
                    buttons.push(El::button(t.take_centre, "take-centre", "", false));
                }
                buttons.push(El::button(t.my_location, "my-location", "", false));
                parts.push(row(buttons));
                parts.push(
                    El::new("p")
                        .class("civic-help")
                        .attr("id", "civic-geo")
                        .attr("role", "status")
                        .text(&geo_message.get_untracked().unwrap_or_default()),
                );
                parts.push(label("civic-address", t.describe_place));
                parts.push(
                    input(
                        "civic-address",
                        "text",
                        address.get_untracked(),
                        "civic-err-address",
                    )
                    .attr("autocomplete", "off")
                    .attr("maxlength", "300")
                    .attr("placeholder", t.describe_place_hint)
                    .attr("aria-invalid", bad("address")),
                );
                parts.push(err("address"));
                parts.push(row(vec![
                    El::button(t.cancel, "cancel", "", false),
                    El::button(t.next, "locate-next", "", true)
                        .attr("aria-invalid", bad("position")),
                ]));
            }
            Step::Details => {
                let (categories, privacy) = config.with_untracked(|c| {
                    c.as_ref()
                        .map(|c| (c.categories.clone(), c.privacy_url.clone()))
                        .unwrap_or_default()
                });
                let chosen = category.get_untracked();
                let address_text = address.get_untracked();
                parts.extend(heading(2, t.step_details));
                let described = address_text.trim();
                let place = match (position.get_untracked(), described.is_empty()) {
                    (Some(_), true) => place_text(),
                    (Some(_), false) => format!("{} – {described}", place_text()),
                    (None, _) => format!("{}: {described}", t.location),
                };
                parts.push(El::new("p").class("civic-place").text(&place));
                parts.push(label("civic-category", t.category));
                let mut select = El::new("select")
                    .attr("id", "civic-category")
                    .attr("aria-invalid", bad("category"))
                    .attr("aria-describedby", "civic-err-category")
                    .child(El::new("option").attr("value", "").text(t.choose_category));
                for c in &categories {
                    let mut o = El::new("option").attr("value", &c.code).text(&c.name);
                    if c.code == chosen {
                        o = o.attr("selected", "");
                    }
                    select = select.child(o);
                }
                parts.push(select);
                parts.push(err("category"));
                parts.push(El::new("div").attr("id", "civic-nearby"));
                parts.push(label("civic-description", t.description));
                parts.push(
                    El::new("p")
                        .class("civic-help")
                        .attr("id", "civic-description-hint")
                        .text(t.description_hint),
                );
                let area = El::new("textarea")
                    .attr("id", "civic-description")
                    .attr("rows", "5")
                    .attr("aria-invalid", bad("description"))
                    .attr(
                        "aria-describedby",
                        "civic-description-hint civic-counter civic-err-description",
                    );
                if let Some(a) = area.0.dyn_ref::<web_sys::HtmlTextAreaElement>() {
                    a.set_value(&description.get_untracked());
                }
                parts.push(area);
                parts.push(
                    El::new("p")
                        .class("civic-counter")
                        .attr("id", "civic-counter")
                        .text(&counter_text()),
                );
                parts.push(err("description"));
                parts.push(label("civic-email", t.email));
                parts.push(
                    input(
                        "civic-email",
                        "email",
                        email.get_untracked(),
                        "civic-email-hint civic-err-email",
                    )
                    .attr("autocomplete", "email")
                    .attr("aria-invalid", bad("email")),
                );
                parts.push(
                    El::new("p")
                        .class("civic-help")
                        .attr("id", "civic-email-hint")
                        .text(t.email_hint),
                );
                parts.push(err("email"));
                parts.push(
                    El::new("div")
                        .class("civic-hp")
                        .attr("aria-hidden", "true")
                        .child(label("civic-website", t.honeypot))
                        .child(
                            input("civic-website", "text", website.get_untracked(), "")
                                .attr("tabindex", "-1")
                                .attr("autocomplete", "off"),
                        ),
                );
                parts.push(
                    El::new("p")
                        .class("civic-help")
                        .text(t.privacy)
                        .text(" ")
                        .child(
                            El::new("a")
                                .attr("href", &privacy)
                                .attr("target", "_blank")
                                .attr("rel", "noopener")
                                .text(t.privacy_link),
                        ),
                );
                parts.push(row(vec![
                    El::button(t.back, "to-locate", "", false),
                    El::button(t.to_preview, "details-next", "", true),
                ]));
            }
            Step::Preview => {
                let d = draft();
                let place = match (d.position, d.address.clone()) {
                    (Some(p), Some(a)) => format!("{:.5}, {:.5} – {a}", p.lat, p.lng),
                    (Some(p), None) => format!("{:.5}, {:.5}", p.lat, p.lng),
                    (None, Some(a)) => a,
                    (None, None) => t.not_given.to_string(),
                };
                let change = |action: &str| {
                    El::new("button")
                        .class("civic-link")
                        .attr("type", "button")
                        .attr("data-action", action)
                        .text(t.change)
                };
                parts.extend(heading(3, t.step_preview));
                parts.push(El::new("p").text(t.preview_intro));
                parts.push(
                    El::new("dl")
                        .class("civic-preview")
                        .child(El::new("dt").text(t.location))
                        .child(
                            El::new("dd")
                                .text(&place)
                                .text(" ")
                                .child(change("to-locate")),
                        )
                        .child(El::new("dt").text(t.category))
                        .child(
                            El::new("dd")
                                .text(&category_name(&d.category))
                                .text(" ")
                                .child(change("to-details")),
                        )
                        .child(El::new("dt").text(t.description))
                        .child(El::new("dd").class("civic-pre").text(&d.description))
                        .child(El::new("dt").text(t.email))
                        .child(El::new("dd").text(d.email.as_deref().unwrap_or(t.not_given))),
                );
                parts.push(
                    El::new("p")
                        .class("civic-error")
                        .attr("id", "civic-submit-error")
                        .attr("role", "alert")
                        .text(&submit_error.get_untracked().unwrap_or_default()),
                );
                parts.push(row(vec![
                    El::button(t.back, "to-details", "", false),
                    El::button(t.submit, "submit", "", true).attr("id", "civic-submit"),
                ]));
            }
            Step::Done => {
                let (reference, tracking, pending) = created
                    .get_untracked()
                    .map(|c| {
                        (
                            c.reference,
                            c.tracking_url,
                            c.status == Status::PendingReview,
                        )
                    })
                    .unwrap_or_default();
                parts.push(El::new("h3").attr("tabindex", "-1").text(t.done_heading));
                parts.push(
                    El::new("p")
                        .text(t.done_reference)
                        .text(" ")
                        .child(El::new("strong").class("civic-ref").text(&reference)),
                );
                parts.push(
                    El::new("p").child(
                        El::new("a")
                            .class("civic-tracking")
                            .attr("href", &tracking)
                            .attr("target", "_blank")
                            .attr("rel", "noopener")
                            .text(t.done_tracking),
                    ),
                );
                if pending {
                    parts.push(El::new("p").text(t.done_pending));
                }
                if let Some(panel) = photo_panel.with_value(|p| p.clone()) {
                    parts.push(El(panel.root.clone()));
                }
                parts.push(row(vec![
                    El::button(t.close, "cancel", "", false),
                    El::button(t.another, "start", "", true),
                ]));
            }
        }
        let section = parts.into_iter().fold(
            El::new("section").class(if s == Step::Done {
                "civic-flow civic-done"
            } else {
                "civic-flow"
            }),
            El::child,
        );
        dom::replace(&container, vec![section]);
        fill_nearby();
    });
    // the live parts of the current step
    Effect::new(move |_| {
        position.track();
        step.track();
        set_text("#civic-place", &place_text());
        set_text("#civic-outside", &outside_text());
    });
    Effect::new(move |_| {
        description.track();
        set_text("#civic-counter", &counter_text());
    });
    Effect::new(move |_| {
        set_text("#civic-geo", &geo_message.get().unwrap_or_default());
    });
    Effect::new(move |_| {
        set_text(
            "#civic-submit-error",
            &submit_error.get().unwrap_or_default(),
        );
        let busy = sending.get();
        if let Some(b) = find("#civic-submit") {
            b.set_text_content(Some(if busy { t.sending } else { t.submit }));
            let _ = if busy {
                b.set_attribute("disabled", "")
            } else {
                b.remove_attribute("disabled")
            };
        }
    });
    Effect::new(move |_| {
        nearby.track();
        support_message.track();
        fill_nearby();
    });

    let on_flow_input = move |ev: web_sys::Event| {
        let Some(target) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        else {
            return;
        };
        let value = event_target_value(&ev);
        match target.id().as_str() {
            "civic-address" => address.set(value),
            "civic-description" => description.set(value),
            "civic-email" => email.set(value),
            "civic-website" => website.set(value),
            "civic-category" => category.set(value),
            _ => {}
        }
    };

    let on_action = move |ev: web_sys::MouseEvent| {
        let Some((action, reference)) = dom::clicked(&ev) else {
            return;
        };
        match action.as_str() {
            "details" => open_details(reference),
            "support" => support(reference),
            "close" => {
                selected.set(None);
                focus_later(root, ".civic-new");
            }
            "start" => start(),
            "cancel" => cancel(),
            "take-centre" => take_centre(),
            "my-location" => my_location(),
            "locate-next" => locate_next(),
            "details-next" => details_next(),
            "to-locate" => go(Step::Locate),
            "to-details" => go(Step::Details),
            "submit" => submit(),
            _ => {}
        }
    };

    let title = move || {
        config
            .get()
            .map(|c| format!("{} {}", t.title, c.name))
            .unwrap_or_else(|| t.title.to_string())
    };
    let categories_for_filter = move || {
        config
            .get()
            .map(|c| c.categories)
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
            <section class="civic-list" aria-label=t.list_heading tabindex="-1" class:civic-hidden=move || !list_view.get()>
                <h3>{t.list_heading}</h3>
                <p class="civic-help" class:civic-hidden=move || !truncated.get()>{t.list_truncated}</p>
                <div node_ref=list_ref on:click=on_action></div>
            </section>
        </div>
    }
}
