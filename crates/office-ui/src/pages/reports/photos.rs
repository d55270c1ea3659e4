//! Photos in the report detail (`crates/server/src/http/photos.rs`): thumbnails with their state,
//! release / hide, rotate, black out rectangles (drawn with the mouse on the photo, or typed in
//! percent for keyboard users) before release, and the official's "after" photo.

use crate::api::photos::{self as api, Photo};
use crate::app::use_ctx;
use crate::components::{FormOutcome, FormState};
use crate::fetch::ApiError;
use crate::texts::{photo_texts, PhotoTexts};
use crate::Msg;
use civickit_model::Lang;
use civickit_model::ValidationCode;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::{json, Value};

/// A rectangle as fractions 0..1 of the photo.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Rect {
    /// From two corners (any order), clamped to the photo.
    pub fn from_corners(a: (f64, f64), b: (f64, f64)) -> Rect {
        let c = |v: f64| v.clamp(0.0, 1.0);
        let (x0, x1) = (c(a.0.min(b.0)), c(a.0.max(b.0)));
        let (y0, y1) = (c(a.1.min(b.1)), c(a.1.max(b.1)));
        Rect {
            x: x0,
            y: y0,
            w: x1 - x0,
            h: y1 - y0,
        }
    }
    /// From four percentages as typed; None when one is not a number or it leaves the photo.
    pub fn from_percent(x: &str, y: &str, w: &str, h: &str) -> Option<Rect> {
        let p = |s: &str| s.trim().replace(',', ".").parse::<f64>().ok();
        let (x, y, w, h) = (p(x)?, p(y)?, p(w)?, p(h)?);
        let ok = x >= 0.0 && y >= 0.0 && w > 0.0 && h > 0.0 && x + w <= 100.0 && y + h <= 100.0;
        ok.then(|| Rect {
            x: x / 100.0,
            y: y / 100.0,
            w: w / 100.0,
            h: h / 100.0,
        })
    }
    fn json(&self) -> Value {
        json!({"x": self.x, "y": self.y, "w": self.w, "h": self.h})
    }
    fn style(&self) -> String {
        format!(
            "position:absolute;background:#000;outline:2px solid #ff0;left:{:.2}%;top:{:.2}%;width:{:.2}%;height:{:.2}%",
            self.x * 100.0,
            self.y * 100.0,
            self.w * 100.0,
            self.h * 100.0
        )
    }
    fn label(&self) -> String {
        format!(
            "x {:.0} %, y {:.0} %, {:.0} × {:.0} %",
            self.x * 100.0,
            self.y * 100.0,
            self.w * 100.0,
            self.h * 100.0
        )
    }
}

pub fn status_label(lang: Lang, status: &str) -> &'static str {
    match status {
        "released" => photo_texts(lang).released,
        "hidden" => photo_texts(lang).hidden,
        "flagged" => photo_texts(lang).flagged,
        _ => photo_texts(lang).awaiting_review,
    }
}

fn kind_label(lang: Lang, kind: &str) -> &'static str {
    match kind {
        "after" => photo_texts(lang).after_photo,
        _ => photo_texts(lang).report_photo,
    }
}

/// The file chosen in the input `input_id`, or the field error "required".
fn chosen_file(input_id: &str) -> Result<web_sys::File, ApiError> {
    #[cfg(target_arch = "wasm32")]
    {
        use wasm_bindgen::JsCast;
        document()
            .get_element_by_id(input_id)
            .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|i| i.files())
            .and_then(|f| f.get(0))
            .ok_or_else(|| ApiError::field("photo", ValidationCode::Required))
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = input_id;
        Err(ApiError::field("photo", ValidationCode::Required))
    }
}

/// Where a pointer event lies on an element, as fractions of its size.
fn fraction(ev: &leptos::ev::PointerEvent) -> Option<(f64, f64)> {
    #[cfg(target_arch = "wasm32")]
    {
        use wasm_bindgen::JsCast;
        let el: web_sys::Element = ev.current_target()?.dyn_into().ok()?;
        let r = el.get_bounding_client_rect();
        if r.width() <= 0.0 || r.height() <= 0.0 {
            return None;
        }
        Some((
            (f64::from(ev.client_x()) - r.left()) / r.width(),
            (f64::from(ev.client_y()) - r.top()) / r.height(),
        ))
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = ev;
        None
    }
}

/// The photos of one report. `photos` starts from the detail and follows every answer.
#[component]
pub fn Photos(reference: Memo<Option<String>>, photos: RwSignal<Vec<Photo>>) -> impl IntoView {
    let ctx = use_ctx();
    let lang = move || ctx.lang.get();
    // Edited photos keep their URL: a counter makes the browser load them again.
    let version = RwSignal::new(0u32);
    let editing = RwSignal::new(None::<i64>);
    let form = FormState::new();
    let upload_form = FormState::new();
    let has_file = RwSignal::new(false);

    let done = move |form: FormState, answer: Result<Vec<Photo>, ApiError>, ok: Msg| match answer {
        Ok(list) => {
            form.busy.set(false);
            photos.set(list);
            version.update(|v| *v += 1);
            form.done.set(Some(ok));
        }
        Err(e) => form.failed(ctx, e),
    };
    let set_status = move |id: i64, status: &'static str| {
        if !form.start() {
            return;
        }
        spawn_local(async move {
            let answer =
                api::act(&format!("/photos/{id}/status"), json!({ "status": status })).await;
            done(form, answer, |t| t.photo_saved);
        });
    };
    let send_upload = move |_| {
        let Some(reference) = reference.get_untracked() else {
            return;
        };
        if !upload_form.start() {
            return;
        }
        spawn_local(async move {
            let answer = match chosen_file("ph-after") {
                Ok(file) => api::upload(&reference, file).await,
                Err(e) => Err(e),
            };
            let ok = answer.is_ok();
            done(upload_form, answer, |t| t.photo_uploaded);
            if ok {
                reset_file("ph-after");
                has_file.set(false);
            }
        });
    };

    view! {
        <h3 class="actions-heading" id="photos-heading">{move || photo_texts(lang()).photos}</h3>
        {move || {
            photos
                .with(|p| p.is_empty())
                .then(|| view! { <p class="hint">{move || photo_texts(lang()).no_photos}</p> })
        }}
        <ul class="photos" aria-labelledby="photos-heading" style="list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:1rem">
            <For
                each=move || photos.get()
                key=|p| (p.id, p.status.clone())
                children=move |p: Photo| {
                    let id = p.id;
                    let status = p.status.clone();
                    let status2 = p.status.clone();
                    let kind = p.kind.clone();
                    let thumb = p.thumb_url.clone();
                    let released = p.status == "released";
                    let hidden = p.status == "hidden";
                    view! {
                        <li class="photo" style="max-width:14rem">
                            <figure style="margin:0">
                                <img
                                    src=move || format!("{thumb}?v={}", version.get())
                                    alt=move || format!("{} {id}", kind_label(lang(), &kind))
                                    style="max-width:100%;height:auto;display:block"
                                />
                                <figcaption>
                                    <span class=format!("badge photo-{status}")>
                                        {move || status_label(lang(), &status2)}
                                    </span>
                                </figcaption>
                            </figure>
                            <div class="inline">
                                {(!released)
                                    .then(|| {
                                        view! {
                                            <button type="button" class="primary" on:click=move |_| set_status(id, "released")>
                                                {move || photo_texts(lang()).release}
                                                <span class="sr-only">{format!(" ({id})")}</span>
                                            </button>
                                        }
                                    })}
                                {(!hidden)
                                    .then(|| {
                                        view! {
                                            <button type="button" on:click=move |_| set_status(id, "hidden")>
                                                {move || photo_texts(lang()).hide}
                                                <span class="sr-only">{format!(" ({id})")}</span>
                                            </button>
                                        }
                                    })}
                                <button
                                    type="button"
                                    aria-expanded=move || if editing.get() == Some(id) { "true" } else { "false" }
                                    on:click=move |_| editing.update(|e| *e = if *e == Some(id) { None } else { Some(id) })
                                >
                                    {move || photo_texts(lang()).edit}
                                    <span class="sr-only">{format!(" ({id})")}</span>
                                </button>
                            </div>
                            <span hidden>{status}</span>
                        </li>
                    }
                }
            />
        </ul>
        <FormOutcome form />
        {move || {
            editing
                .get()
                // untracked: a saved edit keeps the editor (and its message) open
                .and_then(|id| photos.with_untracked(|p| p.iter().find(|p| p.id == id).cloned()))
                .map(|p| view! { <Editor photo=p photos version editing /> })
        }}
        <div class="action after-photo">
            <div class="field">
                <label for="ph-after">{move || photo_texts(lang()).upload_an_after_photo}</label>
                <p class="hint" id="ph-after-hint">
                    {move || {
                        photo_texts(lang()).shows_the_fixed_place_it
                    }}
                </p>
                <input
                    id="ph-after"
                    type="file"
                    accept="image/jpeg,image/png,image/webp"
                    aria-describedby="ph-after-hint ph-after-err"
                    aria-invalid=move || upload_form.invalid(&["photo"])
                    on:change=move |_| has_file.set(true)
                />
                <p class="field-error" id="ph-after-err">
                    {move || {
                        upload_form
                            .fields
                            .with(|f| {
                                f.iter()
                                    .find(|e| e.field == "photo")
                                    .map(|e| if e.code == ValidationCode::Required {
                                        photo_texts(lang()).please_choose_a_photo.to_string()
                                    } else if e.message.is_empty() {
                                        ctx.t().code_invalid_value.to_string()
                                    } else {
                                        e.message.clone()
                                    })
                            })
                    }}
                </p>
            </div>
            <FormOutcome form=upload_form />
            <button type="button" on:click=send_upload>
                {move || photo_texts(lang()).upload_photo}
            </button>
        </div>
    }
}

fn reset_file(id: &str) {
    #[cfg(target_arch = "wasm32")]
    {
        use wasm_bindgen::JsCast;
        if let Some(i) = document()
            .get_element_by_id(id)
            .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
        {
            i.set_value("");
        }
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = id;
}

/// Rotate and black out one photo: draw with the mouse, or type a rectangle in percent.
#[component]
fn Editor(
    photo: Photo,
    photos: RwSignal<Vec<Photo>>,
    version: RwSignal<u32>,
    editing: RwSignal<Option<i64>>,
) -> impl IntoView {
    let ctx = use_ctx();
    let lang = move || ctx.lang.get();
    let id = photo.id;
    let rects = RwSignal::new(Vec::<Rect>::new());
    let drawing = RwSignal::new(None::<((f64, f64), (f64, f64))>);
    let rotate = RwSignal::new(0u8);
    let (x, y, w, h) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let rect_error = RwSignal::new(false);
    let form = FormState::new();
    let url = photo.url.clone();

    let add_typed = move |_| match Rect::from_percent(
        &x.get_untracked(),
        &y.get_untracked(),
        &w.get_untracked(),
        &h.get_untracked(),
    ) {
        Some(r) => {
            rects.update(|v| v.push(r));
            rect_error.set(false);
            for s in [x, y, w, h] {
                s.set(String::new());
            }
        }
        None => rect_error.set(true),
    };
    let apply = move |_| {
        if !form.start() {
            return;
        }
        let body = json!({
            "rotate": rotate.get_untracked(),
            "redact": rects.get_untracked().iter().map(Rect::json).collect::<Vec<_>>(),
        });
        spawn_local(async move {
            match api::act(&format!("/photos/{id}/edit"), body).await {
                Ok(list) => {
                    form.busy.set(false);
                    photos.set(list);
                    version.update(|v| *v += 1);
                    rects.set(Vec::new());
                    rotate.set(0);
                    form.done.set(Some(|t| t.photo_saved));
                }
                Err(e) => form.failed(ctx, e),
            }
        });
    };
    let number = move |id: &'static str,
                       label: fn(&'static PhotoTexts) -> &'static str,
                       sig: RwSignal<String>| {
        view! {
            <div class="field">
                <label for=id>{move || label(photo_texts(lang()))}</label>
                <input
                    id=id
                    type="number"
                    min="0"
                    max="100"
                    step="1"
                    inputmode="decimal"
                    style="width:6rem"
                    aria-invalid=move || rect_error.get().then_some("true")
                    aria-describedby="ph-rect-err"
                    prop:value=move || sig.get()
                    on:input=move |ev| sig.set(event_target_value(&ev))
                />
            </div>
        }
    };

    view! {
        <section class="photo-editor action" aria-labelledby="ph-edit-heading">
            <h4 id="ph-edit-heading" tabindex="-1">
                {move || photo_texts(lang()).edit_photo}
                {format!(" ({id})")}
            </h4>
            <p class="hint" id="ph-draw-hint">
                {move || {
                    photo_texts(lang()).drag_rectangles_over_faces_and
                }}
            </p>
            <div
                class="draw"
                style="position:relative;display:inline-block;max-width:100%;cursor:crosshair;touch-action:none;user-select:none"
                on:pointerdown=move |ev| {
                    if let Some(p) = fraction(&ev) {
                        ev.prevent_default();
                        drawing.set(Some((p, p)));
                    }
                }
                on:pointermove=move |ev| {
                    if drawing.with_untracked(Option::is_some) {
                        if let Some(p) = fraction(&ev) {
                            drawing.update(|d| if let Some(d) = d { d.1 = p });
                        }
                    }
                }
                on:pointerup=move |ev| {
                    if let Some((a, b)) = drawing.get_untracked() {
                        let b = fraction(&ev).unwrap_or(b);
                        let r = Rect::from_corners(a, b);
                        if r.w > 0.005 && r.h > 0.005 {
                            rects.update(|v| v.push(r));
                        }
                    }
                    drawing.set(None);
                }
                on:pointerleave=move |_| drawing.set(None)
            >
                <img
                    src=move || format!("{url}?v={}", version.get())
                    alt=move || photo_texts(lang()).the_photo_at_full_size
                    draggable="false"
                    style=move || format!(
                        "display:block;max-width:100%;max-height:28rem;pointer-events:none;transform:rotate({}deg)",
                        u32::from(rotate.get()) * 90,
                    )
                />
                <For
                    each={move || rects.get().into_iter().enumerate().collect::<Vec<_>>()}
                    key=|(i, r)| (*i, r.label())
                    children=move |(_, r)| view! { <div class="rect" aria-hidden="true" style=r.style()></div> }
                />
                {move || {
                    drawing
                        .get()
                        .map(|(a, b)| {
                            view! { <div class="rect drawing" aria-hidden="true" style=Rect::from_corners(a, b).style()></div> }
                        })
                }}
            </div>
            <fieldset>
                <legend>{move || photo_texts(lang()).type_a_rectangle_in_percent}</legend>
                <div class="inline" style="flex-wrap:wrap;gap:.5rem">
                    {number("ph-x", |t| t.rect_left, x)}
                    {number("ph-y", |t| t.rect_top, y)}
                    {number("ph-w", |t| t.rect_width, w)}
                    {number("ph-h", |t| t.rect_height, h)}
                </div>
                <p class="field-error" id="ph-rect-err">
                    {move || {
                        rect_error
                            .get()
                            .then(|| {
                                photo_texts(lang()).please_type_four_numbers_from
                            })
                    }}
                </p>
                <button type="button" on:click=add_typed>
                    {move || photo_texts(lang()).add_rectangle}
                </button>
            </fieldset>
            <ul class="rects" aria-live="polite">
                <For
                    each={move || rects.get().into_iter().enumerate().collect::<Vec<_>>()}
                    key=|(i, r)| (*i, r.label())
                    children=move |(i, r)| {
                        view! {
                            <li>
                                {move || photo_texts(lang()).black_out}
                                {r.label()}
                                " "
                                <button type="button" class="quiet" on:click=move |_| rects.update(|v| { if i < v.len() { v.remove(i); } })>
                                    {move || photo_texts(lang()).remove}
                                </button>
                            </li>
                        }
                    }
                />
            </ul>
            <div class="field">
                <label for="ph-rotate">{move || photo_texts(lang()).rotate}</label>
                <select id="ph-rotate" on:change=move |ev| rotate.set(event_target_value(&ev).parse().unwrap_or(0))>
                    <option value="0" prop:selected=move || rotate.get() == 0>{move || photo_texts(lang()).no_rotation}</option>
                    <option value="1" prop:selected=move || rotate.get() == 1>{move || photo_texts(lang()).t_90_clockwise}</option>
                    <option value="2" prop:selected=move || rotate.get() == 2>"180°"</option>
                    <option value="3" prop:selected=move || rotate.get() == 3>{move || photo_texts(lang()).t_90_anticlockwise}</option>
                </select>
            </div>
            <FormOutcome form />
            <div class="inline">
                <button type="button" class="primary" id="ph-apply" on:click=apply>
                    {move || photo_texts(lang()).apply_black_outs_and_rotation}
                </button>
                <button type="button" class="quiet" on:click=move |_| editing.set(None)>
                    {move || photo_texts(lang()).close}
                </button>
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rectangles_from_corners_and_percent() {
        let r = Rect::from_corners((0.8, 0.9), (0.2, 1.3));
        assert_eq!((r.x, r.y), (0.2, 0.9));
        assert!((r.w - 0.6).abs() < 1e-9 && (r.h - 0.1).abs() < 1e-9);
        let r = Rect::from_percent("10", "20,5", "30", "40").unwrap();
        assert!((r.y - 0.205).abs() < 1e-9);
        assert!(
            Rect::from_percent("80", "0", "30", "10").is_none(),
            "leaves the photo"
        );
        assert!(Rect::from_percent("a", "0", "30", "10").is_none());
    }
}
