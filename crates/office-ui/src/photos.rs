//! Photos in the report detail (`crates/server/src/http/photos.rs`): thumbnails with their state,
//! release / hide, rotate, black out rectangles (drawn with the mouse on the photo, or typed in
//! percent for keyboard users) before release, and the official's "after" photo.

use crate::api::{self, encode, ApiError};
use crate::{use_ctx, FormOutcome, FormState, Msg};
use civickit_model::Lang;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::Deserialize;
use serde_json::{json, Value};

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Photo {
    pub id: i64,
    pub kind: String,
    pub status: String,
    #[serde(default)]
    pub width: i64,
    #[serde(default)]
    pub height: i64,
    pub url: String,
    pub thumb_url: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
struct PhotoList {
    photos: Vec<Photo>,
}

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
        "released" => lang.pick("freigegeben", "released"),
        "hidden" => lang.pick("verborgen", "hidden"),
        _ => lang.pick("wartet auf Prüfung", "awaiting review"),
    }
}

fn kind_label(lang: Lang, kind: &str) -> &'static str {
    match kind {
        "after" => lang.pick("Nachher-Foto", "After photo"),
        _ => lang.pick("Foto der Meldung", "Report photo"),
    }
}

async fn post(csrf: &str, path: &str, body: &Value) -> Result<Vec<Photo>, ApiError> {
    let v = api::send("POST", path, Some(body), Some(csrf)).await?;
    serde_json::from_value::<PhotoList>(v)
        .map(|l| l.photos)
        .map_err(ApiError::bad_answer)
}

/// POSTs the chosen file as the raw body of `/office/api/reports/{ref}/photos`.
#[cfg(target_arch = "wasm32")]
async fn upload(csrf: &str, reference: &str, input_id: &str) -> Result<Vec<Photo>, ApiError> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    let file = document()
        .get_element_by_id(input_id)
        .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
        .and_then(|i| i.files())
        .and_then(|f| f.get(0))
        .ok_or_else(|| ApiError {
            status: 422,
            error: "validation".into(),
            fields: vec![api::FieldMsg {
                field: "photo".into(),
                code: "required".into(),
                message: String::new(),
            }],
            ..Default::default()
        })?;
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_credentials(web_sys::RequestCredentials::SameOrigin);
    let headers = web_sys::Headers::new().map_err(|_| ApiError::default())?;
    let _ = headers.set("Accept", "application/json");
    let _ = headers.set("X-CSRF-Token", csrf);
    let ct = file.type_();
    let _ = headers.set(
        "Content-Type",
        if ct.is_empty() {
            "application/octet-stream"
        } else {
            &ct
        },
    );
    init.set_headers(&headers);
    init.set_body(&file);
    let url = format!("/office/api/reports/{}/photos", encode(reference));
    let window = web_sys::window().ok_or_else(ApiError::default)?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str_and_init(&url, &init))
        .await
        .map_err(|_| ApiError::default())?
        .dyn_into()
        .map_err(|_| ApiError::default())?;
    let status = response.status();
    let text = match response.text() {
        Ok(p) => JsFuture::from(p)
            .await
            .ok()
            .and_then(|t| t.as_string())
            .unwrap_or_default(),
        Err(_) => String::new(),
    };
    if (200..300).contains(&status) {
        serde_json::from_str::<PhotoList>(&text)
            .map(|l| l.photos)
            .map_err(ApiError::bad_answer)
    } else {
        Err(ApiError::from_body(status, &text))
    }
}

#[cfg(not(target_arch = "wasm32"))]
async fn upload(_csrf: &str, reference: &str, input_id: &str) -> Result<Vec<Photo>, ApiError> {
    let _ = (encode(reference), input_id);
    Err(ApiError::default())
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
        let csrf = ctx.csrf();
        spawn_local(async move {
            let answer = post(
                &csrf,
                &format!("/photos/{id}/status"),
                &json!({ "status": status }),
            )
            .await;
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
        let csrf = ctx.csrf();
        spawn_local(async move {
            let answer = upload(&csrf, &reference, "ph-after").await;
            let ok = answer.is_ok();
            done(upload_form, answer, |t| t.photo_uploaded);
            if ok {
                reset_file("ph-after");
                has_file.set(false);
            }
        });
    };

    view! {
        <h3 class="actions-heading" id="photos-heading">{move || lang().pick("Fotos", "Photos")}</h3>
        {move || {
            photos
                .with(|p| p.is_empty())
                .then(|| view! { <p class="hint">{move || lang().pick("Keine Fotos.", "No photos.")}</p> })
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
                                                {move || lang().pick("Freigeben", "Release")}
                                                <span class="sr-only">{format!(" ({id})")}</span>
                                            </button>
                                        }
                                    })}
                                {(!hidden)
                                    .then(|| {
                                        view! {
                                            <button type="button" on:click=move |_| set_status(id, "hidden")>
                                                {move || lang().pick("Verbergen", "Hide")}
                                                <span class="sr-only">{format!(" ({id})")}</span>
                                            </button>
                                        }
                                    })}
                                <button
                                    type="button"
                                    aria-expanded=move || if editing.get() == Some(id) { "true" } else { "false" }
                                    on:click=move |_| editing.update(|e| *e = if *e == Some(id) { None } else { Some(id) })
                                >
                                    {move || lang().pick("Bearbeiten", "Edit")}
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
                <label for="ph-after">{move || lang().pick("Nachher-Foto hochladen", "Upload an after photo")}</label>
                <p class="hint" id="ph-after-hint">
                    {move || {
                        lang()
                            .pick(
                                "Zeigt den behobenen Zustand; es wird sofort veröffentlicht.",
                                "Shows the fixed place; it is published at once.",
                            )
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
                                    .map(|e| if e.code == "required" {
                                        lang().pick("Bitte wählen Sie ein Foto.", "Please choose a photo.").to_string()
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
                {move || lang().pick("Foto hochladen", "Upload photo")}
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
        let csrf = ctx.csrf();
        let body = json!({
            "rotate": rotate.get_untracked(),
            "redact": rects.get_untracked().iter().map(Rect::json).collect::<Vec<_>>(),
        });
        spawn_local(async move {
            match post(&csrf, &format!("/photos/{id}/edit"), &body).await {
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
    let number =
        move |id: &'static str, label: (&'static str, &'static str), sig: RwSignal<String>| {
            view! {
                <div class="field">
                    <label for=id>{move || lang().pick(label.0, label.1)}</label>
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
                {move || lang().pick("Foto bearbeiten", "Edit photo")}
                {format!(" ({id})")}
            </h4>
            <p class="hint" id="ph-draw-hint">
                {move || {
                    lang()
                        .pick(
                            "Ziehen Sie mit der Maus Rechtecke über Gesichter und Kennzeichen, oder geben Sie sie unten in Prozent ein. Das Schwärzen überschreibt das gespeicherte Foto.",
                            "Drag rectangles over faces and number plates with the mouse, or type them in percent below. Blacking out overwrites the stored photo.",
                        )
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
                    alt=move || lang().pick("Das Foto in voller Größe", "The photo at full size")
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
                <legend>{move || lang().pick("Rechteck in Prozent eingeben", "Type a rectangle in percent")}</legend>
                <div class="inline" style="flex-wrap:wrap;gap:.5rem">
                    {number("ph-x", ("Links (%)", "Left (%)"), x)}
                    {number("ph-y", ("Oben (%)", "Top (%)"), y)}
                    {number("ph-w", ("Breite (%)", "Width (%)"), w)}
                    {number("ph-h", ("Höhe (%)", "Height (%)"), h)}
                </div>
                <p class="field-error" id="ph-rect-err">
                    {move || {
                        rect_error
                            .get()
                            .then(|| {
                                lang()
                                    .pick(
                                        "Bitte vier Zahlen von 0 bis 100 eingeben; das Rechteck muss im Foto liegen.",
                                        "Please type four numbers from 0 to 100; the rectangle must lie inside the photo.",
                                    )
                            })
                    }}
                </p>
                <button type="button" on:click=add_typed>
                    {move || lang().pick("Rechteck hinzufügen", "Add rectangle")}
                </button>
            </fieldset>
            <ul class="rects" aria-live="polite">
                <For
                    each={move || rects.get().into_iter().enumerate().collect::<Vec<_>>()}
                    key=|(i, r)| (*i, r.label())
                    children=move |(i, r)| {
                        view! {
                            <li>
                                {move || lang().pick("Schwärzung: ", "Black-out: ")}
                                {r.label()}
                                " "
                                <button type="button" class="quiet" on:click=move |_| rects.update(|v| { if i < v.len() { v.remove(i); } })>
                                    {move || lang().pick("Entfernen", "Remove")}
                                </button>
                            </li>
                        }
                    }
                />
            </ul>
            <div class="field">
                <label for="ph-rotate">{move || lang().pick("Drehen", "Rotate")}</label>
                <select id="ph-rotate" on:change=move |ev| rotate.set(event_target_value(&ev).parse().unwrap_or(0))>
                    <option value="0" prop:selected=move || rotate.get() == 0>{move || lang().pick("nicht drehen", "no rotation")}</option>
                    <option value="1" prop:selected=move || rotate.get() == 1>{move || lang().pick("90° im Uhrzeigersinn", "90° clockwise")}</option>
                    <option value="2" prop:selected=move || rotate.get() == 2>"180°"</option>
                    <option value="3" prop:selected=move || rotate.get() == 3>{move || lang().pick("90° gegen den Uhrzeigersinn", "90° anticlockwise")}</option>
                </select>
            </div>
            <FormOutcome form />
            <div class="inline">
                <button type="button" class="primary" id="ph-apply" on:click=apply>
                    {move || lang().pick("Schwärzen und Drehen anwenden", "Apply black-outs and rotation")}
                </button>
                <button type="button" class="quiet" on:click=move |_| editing.set(None)>
                    {move || lang().pick("Schließen", "Close")}
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
