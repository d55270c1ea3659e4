//! Photos for `<civic-reports>`: up to 3 photos, chosen in step 2 of the form (or still on the
//! receipt), shrunk in the browser to a long edge of at most 1600 px (canvas, JPEG), and
//! uploaded as soon as the report exists, one by one with progress (XMLHttpRequest upload
//! events) to `POST …/reports/{ref}/photos?token=TRACKING_TOKEN`; a photo can be removed
//! before sending, and a failed upload retried without choosing the file again. And the
//! released photos (and the "after" photo) in a report's details.
//!
//! Plain DOM, as the rest of the report flow: the panel is built once per report and keeps
//! its own state, so the flow's re-renders only move its element, never lose an upload.

use crate::api::{encode, Api, FromJson, Json};
use crate::dom::El;
use civickit_model::api::widget::{PhotoKind, PhotoStatus, PhotoUploaded, PublicPhoto};
use civickit_model::api::ErrorBody;
use civickit_model::Lang;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

pub const MAX_PHOTOS: usize = 3;
pub const MAX_EDGE: f64 = 1600.0;
const JPEG_QUALITY: f64 = 0.85;

struct T {
    heading: &'static str,
    help: &'static str,
    choose: &'static str,
    shrinking: &'static str,
    uploading: &'static str,
    queued: &'static str,
    remove: &'static str,
    uploaded_pending: &'static str,
    uploaded: &'static str,
    failed: &'static str,
    not_an_image: &'static str,
    retry: &'static str,
    limit: &'static str,
    photos: &'static str,
    photo: &'static str,
    after: &'static str,
}

static DE: T = T {
    heading: "Fotos hinzufügen (optional)",
    help: "Bis zu 3 Fotos. Sie werden vor dem Hochladen verkleinert; Standortdaten im Bild (EXIF) werden entfernt. Bitte keine Personen oder Kennzeichen.",
    choose: "Fotos auswählen",
    shrinking: "wird verkleinert …",
    uploading: "wird hochgeladen",
    queued: "wird mit der Meldung gesendet",
    remove: "Entfernen",
    uploaded_pending: "hochgeladen; wird nach einer Prüfung veröffentlicht",
    uploaded: "hochgeladen",
    failed: "nicht hochgeladen",
    not_an_image: "Diese Datei ist kein Bild, das der Browser lesen kann (JPEG, PNG oder WebP).",
    retry: "Erneut hochladen",
    limit: "Mehr als 3 Fotos sind nicht möglich.",
    photos: "Fotos",
    photo: "Foto zur Meldung",
    after: "Nachher-Foto (nach der Behebung)",
};

static EN: T = T {
    heading: "Add photos (optional)",
    help: "Up to 3 photos. They are shrunk before the upload; location data in the image (EXIF) is removed. Please no people or number plates.",
    choose: "Choose photos",
    shrinking: "shrinking …",
    uploading: "uploading",
    queued: "sent with the report",
    remove: "Remove",
    uploaded_pending: "uploaded; published after a review",
    uploaded: "uploaded",
    failed: "not uploaded",
    not_an_image: "This file is not an image the browser can read (JPEG, PNG or WebP).",
    retry: "Upload again",
    limit: "More than 3 photos are not possible.",
    photos: "Photos",
    photo: "Photo of the report",
    after: "After photo (once fixed)",
};

fn texts(lang: Lang) -> &'static T {
    match lang {
        Lang::De => &DE,
        Lang::En => &EN,
    }
}

fn el(tag: &str) -> web_sys::Element {
    El::new(tag).0
}

/// The released photos of a report, as links to the full image around a thumbnail; the
/// "after" photo is labelled as such (text, not only position).
/// `flag`: with a "Foto melden" button under each photo (the details of a public report).
pub fn gallery(photos: &[PublicPhoto], lang: Lang, flag: bool) -> Option<El> {
    if photos.is_empty() {
        return None;
    }
    let t = texts(lang);
    let mut list = El::new("ul").class("civic-photos-list");
    for p in photos {
        let label = if p.kind == PhotoKind::After {
            t.after
        } else {
            t.photo
        };
        let thumb = if p.thumb_url.is_empty() {
            &p.url
        } else {
            &p.thumb_url
        };
        list = list.child(
            El::new("li")
                .attr("data-kind", p.kind.as_str())
                .child(
                    El::new("figure")
                        .child(
                            El::new("a")
                                .attr("href", &p.url)
                                .attr("target", "_blank")
                                .attr("rel", "noopener")
                                .child(
                                    El::new("img")
                                        .attr("src", thumb)
                                        .attr("alt", label)
                                        .attr("loading", "lazy"),
                                ),
                        )
                        .child(El::new("figcaption").text(label)),
                )
                .opt(flag.then(|| {
                    let id = super::flag::photo_id(&p.url);
                    El::button(super::flag::openers(lang).1, "flag-photo", id, false)
                        .class("civic-button civic-flag-open")
                        .attr("aria-expanded", "false")
                })),
        );
    }
    Some(
        El::new("div")
            .class("civic-photos")
            .child(El::new("h4").text(t.photos))
            .child(list),
    )
}

/// One chosen photo: its shrunk JPEG (kept for a retry) and its row in the list.
struct Item {
    blob: RefCell<Option<web_sys::Blob>>,
    row: web_sys::Element,
    progress: web_sys::Element,
    status: web_sys::Element,
    /// "Entfernen" before the report is sent, "Erneut hochladen" after a failed upload.
    button: web_sys::Element,
    done: Cell<bool>,
}

/// The photo panel of step 2, which moves to the receipt once the report is sent.
pub struct Panel {
    pub root: web_sys::Element,
    list: web_sys::Element,
    note: web_sys::Element,
    /// Where the photos go: known once the report is created.
    url: RefCell<Option<String>>,
    lang: Lang,
    items: RefCell<Vec<Rc<Item>>>,
}

impl Panel {
    /// The photos chosen so far (shown in the preview).
    pub fn count(&self) -> usize {
        self.items.borrow().len()
    }

    /// The report exists: its photos go to it now (and those chosen later at once).
    pub fn send_to(self: &Rc<Self>, api: &Api, reference: &str, token: &str) {
        *self.url.borrow_mut() = Some(format!(
            "{}/api/v1/{}/reports/{}/photos?token={}&lang={}",
            api.base.trim_end_matches('/'),
            encode(&api.tenant),
            encode(reference),
            encode(token),
            api.lang.code()
        ));
        let items = self.items.borrow().clone();
        for item in &items {
            self.upload(item);
        }
    }

    pub fn new(lang: Lang) -> Rc<Panel> {
        let t = texts(lang);
        let input = El::new("input")
            .attr("type", "file")
            .attr("id", "civic-photo-input")
            .attr("accept", "image/jpeg,image/png,image/webp")
            .attr("multiple", "")
            .attr("aria-describedby", "civic-photo-help civic-photo-note");
        let list = El::new("ul").class("civic-uploads");
        let note = El::new("p")
            .class("civic-error")
            .attr("id", "civic-photo-note");
        let root = El::new("div")
            .class("civic-photo-panel")
            .child(El::new("h4").text(t.heading))
            .child(
                El::new("p")
                    .class("civic-help")
                    .attr("id", "civic-photo-help")
                    .text(t.help),
            )
            .child(
                El::new("label")
                    .attr("for", "civic-photo-input")
                    .text(t.choose),
            )
            .child(input);
        let root = root.0;
        let input = root
            .query_selector("input")
            .ok()
            .flatten()
            .expect("the input");
        let _ = root.append_child(&note.0);
        let _ = root.append_child(&list.0);
        let panel = Rc::new(Panel {
            root,
            list: list.0,
            note: note.0,
            url: RefCell::new(None),
            lang,
            items: RefCell::new(Vec::new()),
        });
        let me = panel.clone();
        let on_change = Closure::<dyn FnMut(web_sys::Event)>::new(move |ev: web_sys::Event| {
            let Some(input) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            else {
                return;
            };
            if let Some(files) = input.files() {
                let files: Vec<web_sys::File> =
                    (0..files.length()).filter_map(|i| files.get(i)).collect();
                me.add(files);
            }
            input.set_value("");
        });
        let _ =
            input.add_event_listener_with_callback("change", on_change.as_ref().unchecked_ref());
        on_change.forget();
        panel
    }

    fn add(self: &Rc<Self>, files: Vec<web_sys::File>) {
        let t = texts(self.lang);
        let room = MAX_PHOTOS.saturating_sub(self.items.borrow().len());
        self.note
            .set_text_content(Some(if files.len() > room { t.limit } else { "" }));
        for file in files.into_iter().take(room) {
            let progress = el("progress");
            let _ = progress.set_attribute("max", "100");
            let _ = progress.set_attribute("value", "0");
            let _ = progress.set_attribute("aria-label", &file.name());
            let status = el("span");
            status.set_class_name("civic-upload-status");
            status.set_text_content(Some(t.shrinking));
            let button = El::new("button")
                .class("civic-button civic-hidden")
                .attr("type", "button")
                .0;
            let row = el("li");
            row.set_class_name("civic-upload");
            let name = el("span");
            name.set_class_name("civic-upload-name");
            name.set_text_content(Some(&file.name()));
            for part in [&name, &progress, &status, &button] {
                let _ = row.append_child(part);
            }
            let _ = self.list.append_child(&row);
            let item = Rc::new(Item {
                blob: RefCell::new(None),
                row,
                progress,
                status,
                button: button.clone(),
                done: Cell::new(false),
            });
            self.items.borrow_mut().push(item.clone());
            let (me, it) = (self.clone(), item.clone());
            let on_button = Closure::<dyn FnMut()>::new(move || {
                if me.url.borrow().is_some() {
                    me.upload(&it);
                } else {
                    // Not sent yet: this photo is not wanted after all.
                    it.row.remove();
                    me.items.borrow_mut().retain(|i| !Rc::ptr_eq(i, &it));
                    me.note.set_text_content(None);
                }
            });
            let _ = button
                .add_event_listener_with_callback("click", on_button.as_ref().unchecked_ref());
            on_button.forget();
            let me = self.clone();
            wasm_bindgen_futures::spawn_local(async move {
                match shrink(&file).await {
                    Some(blob) => {
                        *item.blob.borrow_mut() = Some(blob);
                        me.upload(&item);
                    }
                    None => {
                        item.status
                            .set_text_content(Some(&format!("{}: {}", t.failed, t.not_an_image)));
                        let _ = item.status.class_list().add_1("civic-error");
                        // An unreadable file does not use up one of the three places.
                        me.items.borrow_mut().retain(|i| !Rc::ptr_eq(i, &item));
                    }
                }
            });
        }
    }

    /// Sends the item's JPEG once the report exists (until then it waits, removable);
    /// progress from the upload events, the answer's message on failure.
    fn upload(self: &Rc<Self>, item: &Rc<Item>) {
        let t = texts(self.lang);
        let Some(blob) = item.blob.borrow().clone() else {
            return;
        };
        let Some(url) = self.url.borrow().clone() else {
            item.status.set_text_content(Some(t.queued));
            item.button.set_text_content(Some(t.remove));
            let _ = item.button.class_list().remove_1("civic-hidden");
            return;
        };
        if item.done.get() {
            return;
        }
        let Ok(xhr) = web_sys::XmlHttpRequest::new() else {
            return;
        };
        if xhr.open_with_async("POST", &url, true).is_err() {
            return;
        }
        let _ = xhr.set_request_header("Content-Type", "image/jpeg");
        let _ = item.button.class_list().add_1("civic-hidden");
        let _ = item.status.class_list().remove_1("civic-error");
        item.status
            .set_text_content(Some(&format!("{} … 0 %", t.uploading)));
        let _ = item.progress.set_attribute("value", "0");
        let it = item.clone();
        let on_progress =
            Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(move |e: web_sys::ProgressEvent| {
                if e.length_computable() && e.total() > 0.0 {
                    // A whole percentage, written as an integer (see `dom::fixed`).
                    let pct = (e.loaded() * 100.0 / e.total()).round() as i64;
                    let _ = it.progress.set_attribute("value", &pct.to_string());
                    it.status
                        .set_text_content(Some(&format!("{} … {pct} %", t.uploading)));
                }
            });
        if let Ok(upload) = xhr.upload() {
            upload.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
        }
        on_progress.forget();
        let (it, x) = (item.clone(), xhr.clone());
        let on_done = Closure::<dyn FnMut()>::new(move || {
            let status = x.status().unwrap_or(0);
            let body = x
                .response_text()
                .ok()
                .flatten()
                .and_then(|s| Json::parse(&s));
            if (200..300).contains(&status) {
                it.done.set(true);
                let _ = it.progress.set_attribute("value", "100");
                let released = body
                    .as_ref()
                    .and_then(PhotoUploaded::from_json)
                    .is_some_and(|u| u.status == PhotoStatus::Released);
                it.status.set_text_content(Some(if released {
                    t.uploaded
                } else {
                    t.uploaded_pending
                }));
            } else {
                let message = body
                    .as_ref()
                    .and_then(ErrorBody::from_json)
                    .map(|e| e.message)
                    .filter(|m| !m.is_empty());
                let text = match message {
                    Some(m) => format!("{}: {m}", t.failed),
                    None => t.failed.to_string(),
                };
                it.status.set_text_content(Some(&text));
                let _ = it.status.class_list().add_1("civic-error");
                it.button.set_text_content(Some(t.retry));
                let _ = it.button.class_list().remove_1("civic-hidden");
            }
        });
        xhr.set_onloadend(Some(on_done.as_ref().unchecked_ref()));
        on_done.forget();
        let _ = xhr.send_with_opt_blob(Some(&blob));
    }
}

/// The image decoded (EXIF orientation applied by the browser), scaled so that its long edge is
/// at most 1600 px, and encoded as JPEG. `None` if the browser cannot decode it.
async fn shrink(file: &web_sys::File) -> Option<web_sys::Blob> {
    let window = web_sys::window()?;
    let bitmap: web_sys::ImageBitmap =
        JsFuture::from(window.create_image_bitmap_with_blob(file).ok()?)
            .await
            .ok()?
            .dyn_into()
            .ok()?;
    let (w, h) = (bitmap.width() as f64, bitmap.height() as f64);
    if w < 1.0 || h < 1.0 {
        return None;
    }
    let scale = (MAX_EDGE / w.max(h)).min(1.0);
    let (nw, nh) = ((w * scale).round().max(1.0), (h * scale).round().max(1.0));
    let canvas: web_sys::HtmlCanvasElement = el("canvas").dyn_into().ok()?;
    canvas.set_width(nw as u32);
    canvas.set_height(nh as u32);
    let ctx: web_sys::CanvasRenderingContext2d = canvas.get_context("2d").ok()??.dyn_into().ok()?;
    // JPEG has no transparency: white instead of black behind transparent PNG pixels.
    ctx.set_fill_style_str("#fff");
    ctx.fill_rect(0.0, 0.0, nw, nh);
    ctx.draw_image_with_image_bitmap_and_dw_and_dh(&bitmap, 0.0, 0.0, nw, nh)
        .ok()?;
    bitmap.close();
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        let cb = Closure::once_into_js(move |blob: JsValue| {
            let _ = resolve.call1(&JsValue::NULL, &blob);
        });
        let _ = canvas.to_blob_with_type_and_encoder_options(
            cb.unchecked_ref(),
            "image/jpeg",
            &JsValue::from_f64(JPEG_QUALITY),
        );
    });
    JsFuture::from(promise).await.ok()?.dyn_into().ok()
}
