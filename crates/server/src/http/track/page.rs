//! The HTML of the tracking page: a small page of the town for a phone (readable at 390 px,
//! one inline stylesheet, no script), in the language the report was made in, every value
//! escaped. What it shows comes in one [`Found`]; what happened just before (a photo added or
//! refused) in a [`Notice`].

use super::Found;
use crate::db::photos::{PhotoInfo, MAX_CITIZEN_PHOTOS};
use crate::http::local_time::long_time;
use crate::http::static_map::{self, Layout};
use crate::http::{rfc3339, tiles};
use crate::texts::{self, track as t};
use civickit_model::api::widget::{PhotoKind, PhotoStatus};
use civickit_model::Lang;
use quick_xml::escape::escape;
use std::fmt::Write;

/// What the page tells first, after the photo form was sent.
pub enum Notice {
    /// The photo was stored: released (shown now) or waiting for the office's review.
    Added { released: bool },
    /// The photo was refused, with the reason in the page's language.
    Refused(String),
}

const STYLE: &str = "*{box-sizing:border-box}\
body{font:1rem/1.5 system-ui,sans-serif;color:#222;background:#fff;margin:0}\
header,main,footer{max-width:40rem;margin:0 auto;padding:0 1rem}\
header{padding-top:.75rem}.town{margin:0;font-weight:bold}.town span{font-weight:normal;color:#555}\
h1{font-size:1.4rem;line-height:1.25;margin:.25rem 0 .75rem}h2{font-size:1.1rem;margin:1.5rem 0 .5rem}\
a{color:#0b57a4}time{color:#555}\
.state{display:inline-block;padding:.1rem .6rem;border:2px solid;border-left-width:.75rem;border-radius:.3rem;font-weight:bold;margin-right:.4rem}\
.facts{display:grid;grid-template-columns:max-content 1fr;gap:.15rem .75rem;margin:.75rem 0}\
.facts dt{color:#555}.facts dd{margin:0;overflow-wrap:anywhere}\
.map{margin:.75rem 0}\
.tiles{position:relative;height:14rem;max-width:32rem;overflow:hidden;border:1px solid #bbb;border-radius:.4rem;background:#e8e8e8}\
.sheet{position:absolute;width:768px;display:grid;grid-template-columns:repeat(3,256px)}\
.sheet img{display:block;width:256px;height:256px}\
.pin{position:absolute;transform:translate(-50%,-100%)}\
.map figcaption{font-size:.8rem;color:#555}\
.desc{white-space:pre-wrap;overflow-wrap:anywhere;margin:0}\
.photos{list-style:none;display:flex;flex-wrap:wrap;gap:.5rem;padding:0;margin:0}\
.photos img{display:block;height:6rem;width:auto;max-width:100%;border-radius:.3rem}\
.history{list-style:none;padding:0;margin:0}.history li{margin:.6rem 0;padding-left:.75rem;border-left:3px solid #bbb}\
.history time{display:block;font-size:.9rem}.history p{margin:0}\
form{border:1px solid #bbb;border-radius:.4rem;padding:.75rem;margin-top:.75rem}\
label{display:block;font-weight:bold}\
input{display:block;width:100%;margin:.4rem 0;font:inherit}\
.hint{font-size:.9rem;color:#555;margin:.25rem 0 .75rem}\
button{font:inherit;font-weight:bold;min-height:44px;padding:.5rem 1.2rem;border:0;border-radius:.4rem;background:#0b57a4;color:#fff}\
.notice{padding:.6rem .8rem;border:2px solid;border-radius:.4rem;margin:.75rem 0}\
.ok{border-color:#2e7d32;background:#edf7ed}.error{border-color:#c62828;background:#fdecea}\
.notice p{margin:0}\
footer{margin-top:2rem;padding-bottom:1rem;font-size:.9rem;color:#555}";

/// The page's head: language, viewport for a phone, no indexing (the link is a secret).
fn head(html: &mut String, lang: Lang, title: &str) {
    let _ = write!(
        html,
        "<!doctype html><html lang={}><meta charset=utf-8>\
         <meta name=viewport content='width=device-width,initial-scale=1'>\
         <meta name=robots content=noindex><title>{}</title><style>{STYLE}</style>",
        lang.code(),
        escape(title)
    );
}

/// A page with a heading and one sentence: the unknown link, an error.
pub fn message(lang: Lang, title: &str, text: &str) -> String {
    let mut html = String::with_capacity(2048);
    head(&mut html, lang, title);
    let _ = write!(
        html,
        "<main><h1>{}</h1><p>{}</p></main>",
        escape(title),
        escape(text)
    );
    html
}

/// The tracking page. `token` is the report's own tracking token (the form posts to it).
pub fn render(found: &Found, token: &str, notice: Option<&Notice>) -> String {
    let Found {
        tenant,
        report: r,
        notes,
        ..
    } = found;
    let lang = r.lang;
    let reference = escape(&r.reference);
    let town = escape(&tenant.name);
    let mut html = String::with_capacity(8192);
    head(
        &mut html,
        lang,
        &format!(
            "{} – {}",
            texts::TRACK_TITLE.with_ref(lang, &r.reference),
            tenant.name
        ),
    );
    let _ = write!(
        html,
        "<header><p class=town>{town} <span>· {service}</span></p></header><main>\
         <h1>{heading}</h1>",
        service = t::SERVICE.get(lang),
        heading = texts::TRACK_HEADING.with_ref(lang, &reference),
    );
    write_notice(&mut html, lang, notice);

    // The state, the category and the facts a citizen asks about first. The state's colour
    // frames its label: white on the traffic light's yellow is too faint (4.2:1) for text.
    let mut state = escape(r.status.label(lang)).into_owned();
    if let Some(reason) = r.close_reason.filter(|_| !r.status.is_open()) {
        let _ = write!(state, " ({})", escape(reason.label(lang)));
    }
    let _ = write!(
        html,
        "<p><span class=state style='border-color:{hex}'>{state}</span><strong>{cat}</strong></p><dl class=facts>",
        hex = r.status.light().hex(),
        cat = escape(&r.category_name),
    );
    fact(&mut html, t::RECEIVED.get(lang), &time(r.created_at, lang));
    if r.updated_at > r.created_at {
        fact(&mut html, t::CHANGED.get(lang), &time(r.updated_at, lang));
    }
    let place = match (&r.address, r.position) {
        (Some(a), _) => escape(a).into_owned(),
        (None, Some(_)) => t::ON_THE_MAP.get(lang).into(),
        (None, None) => t::NO_PLACE.get(lang).into(),
    };
    fact(&mut html, t::PLACE.get(lang), &place);
    html.push_str("</dl>");
    if let Some(at) = r.position {
        let named = r
            .address
            .clone()
            .unwrap_or_else(|| format!("{:.5}, {:.5}", at.lat, at.lng));
        // Relative tile URLs: the page's `img-src 'self'` then holds for the demo tiles and
        // for an external tile server alike (it is fetched through our caching proxy).
        let tiles = tiles::widget_tile_url("", &tenant.slug, &tenant.tile_url);
        html.push_str(&static_map::html_in(
            Layout::Centred,
            &tiles,
            at,
            r.status.light().hex(),
            &format!("{}: {named}", t::MAP.get(lang)),
            &tenant.tile_attribution,
        ));
    }
    let _ = write!(
        html,
        "<h2>{}</h2><p class=desc>{}</p>",
        t::DESCRIPTION.get(lang),
        escape(&r.description)
    );

    write_photos(&mut html, found, token);

    let _ = write!(
        html,
        "<h2>{}</h2><ol class=history>",
        texts::HISTORY.get(lang)
    );
    for n in notes {
        let _ = write!(
            html,
            // The time on a line of its own (CSS) above the state: a phone's narrow line
            // would otherwise break the state's label apart.
            "<li style='border-color:{hex}'>{at} <strong>{label}</strong>{text}</li>",
            hex = n.status.light().hex(),
            at = time(n.at, lang),
            label = escape(n.status.label(lang)),
            text = if n.text.is_empty() {
                String::new()
            } else {
                format!("<p>{}</p>", escape(&n.text))
            },
        );
    }
    html.push_str("</ol>");

    write_email(&mut html, found);
    let _ = write!(html, "</main><footer><p>{town}");
    // The town's privacy notice, else the generated one; relative, as the page's own links.
    let privacy = crate::http::statements::privacy_link("", tenant, lang);
    for (url, label) in [(&privacy, t::PRIVACY), (&tenant.imprint_url, t::IMPRINT)] {
        if !url.is_empty() {
            let _ = write!(
                html,
                " · <a href=\"{}\">{}</a>",
                escape(url.as_str()),
                label.get(lang)
            );
        }
    }
    html.push_str("</p></footer>");
    html
}

fn fact(html: &mut String, term: &str, value: &str) {
    let _ = write!(html, "<dt>{term}</dt><dd>{value}</dd>");
}

/// A time as the citizen reads it, with the machine-readable instant beside it.
fn time(unix: i64, lang: Lang) -> String {
    format!(
        "<time datetime=\"{}\">{}</time>",
        rfc3339(unix),
        long_time(unix, lang)
    )
}

fn write_notice(html: &mut String, lang: Lang, notice: Option<&Notice>) {
    match notice {
        None => {}
        Some(Notice::Added { released }) => {
            let text = if *released {
                t::PHOTO_RELEASED
            } else {
                t::PHOTO_PENDING
            };
            let _ = write!(
                html,
                "<div class='notice ok' role=status><p>{}</p></div>",
                text.get(lang)
            );
        }
        Some(Notice::Refused(why)) => {
            let _ = write!(
                html,
                "<div class='notice error' role=alert><p><strong>{}</strong> {}</p></div>",
                t::NOT_ADDED.get(lang),
                escape(why.as_str())
            );
        }
    }
}

/// Released photos as thumbnails linking to the full picture; the reporter's photos still
/// under review only counted (never shown: they are not yet checked for faces and plates);
/// the form while the report is open and takes more photos.
fn write_photos(html: &mut String, found: &Found, token: &str) {
    let Found { report: r, .. } = found;
    let lang = r.lang;
    let is = |p: &PhotoInfo, status: PhotoStatus| PhotoStatus::parse(&p.status) == Some(status);
    let citizens = |p: &&PhotoInfo| PhotoKind::parse(&p.kind) != Some(PhotoKind::After);
    // `/media/…` serves released photos of public reports only: before the town has published
    // the report (pre-moderation) its released photos wait like the pending ones.
    let (shown, waiting): (Vec<&PhotoInfo>, usize) = if r.is_public() {
        (
            found
                .photos
                .iter()
                .filter(|p| is(p, PhotoStatus::Released))
                .collect(),
            found
                .photos
                .iter()
                .filter(citizens)
                .filter(|p| is(p, PhotoStatus::Pending))
                .count(),
        )
    } else {
        (
            vec![],
            found
                .photos
                .iter()
                .filter(citizens)
                .filter(|p| !is(p, PhotoStatus::Hidden))
                .count(),
        )
    };
    let _ = write!(html, "<h2 id=photos>{}</h2>", t::PHOTOS.get(lang));
    if shown.is_empty() && waiting == 0 {
        let _ = write!(html, "<p>{}</p>", t::NO_PHOTOS.get(lang));
    }
    if !shown.is_empty() {
        html.push_str("<ul class=photos>");
        for (i, p) in shown.iter().enumerate() {
            let alt = if PhotoKind::parse(&p.kind) == Some(PhotoKind::After) {
                t::AFTER_PHOTO_N.with_n(lang, i + 1)
            } else {
                t::PHOTO_N.with_n(lang, i + 1)
            };
            // The thumbnail's own size (long edge 320 px), so the page does not jump.
            let (w, h) = thumb_size(p.width, p.height);
            let _ = write!(
                html,
                "<li><a href=\"/media/{id}.jpg\"><img src=\"/media/{id}_thumb.jpg\" alt=\"{alt}\" width={w} height={h}></a></li>",
                id = escape(p.public_id.as_str()),
            );
        }
        html.push_str("</ul>");
    }
    match waiting {
        0 => {}
        1 => {
            let _ = write!(html, "<p>{}</p>", t::ONE_WAITING.get(lang));
        }
        n => {
            let _ = write!(html, "<p>{}</p>", t::SOME_WAITING.with_n(lang, n));
        }
    }
    let added = found
        .photos
        .iter()
        .filter(|p| PhotoKind::parse(&p.kind) != Some(PhotoKind::After))
        .count() as i64;
    if !r.status.is_open() {
        let _ = write!(html, "<p>{}</p>", t::PHOTOS_CLOSED.get(lang));
    } else if added >= MAX_CITIZEN_PHOTOS {
        let _ = write!(html, "<p>{}</p>", t::PHOTO_LIMIT.with_n(lang, added));
    } else {
        // A plain form: it works without script, on the oldest phone browser.
        let _ = write!(
            html,
            "<form method=post action=\"/track/{token}/photos\" enctype=multipart/form-data>\
             <label for=photo>{choose}</label>\
             <input type=file id=photo name=photo accept=\"image/jpeg,image/png,image/webp\" required aria-describedby=photo-hint>\
             <p class=hint id=photo-hint>{hint}</p><button type=submit>{add}</button></form>",
            token = escape(token),
            choose = t::CHOOSE_PHOTO.get(lang),
            hint = t::PHOTO_HINT.get(lang),
            add = t::ADD_PHOTO.get(lang),
        );
    }
}

/// The size of a photo's thumbnail: the long edge at most [`crate::photos::THUMB_EDGE`].
fn thumb_size(width: i64, height: i64) -> (i64, i64) {
    let (w, h) = (width.max(1), height.max(1));
    let edge = i64::from(crate::photos::THUMB_EDGE);
    if w <= edge && h <= edge {
        (w, h)
    } else if w >= h {
        (edge, (h * edge / w).max(1))
    } else {
        ((w * edge / h).max(1), edge)
    }
}

/// Whether the reporter gets mail about the report, and the way out; never the address.
fn write_email(html: &mut String, found: &Found) {
    let r = &found.report;
    let lang = r.lang;
    let _ = write!(html, "<h2>{}</h2>", t::EMAIL.get(lang));
    match (r.email_state.as_deref(), &r.email_token) {
        (Some("confirmed"), Some(mail_token)) => {
            let _ = write!(
                html,
                "<p>{} <a href=\"/notify/{}/unsubscribe\">{}</a></p>",
                t::EMAIL_ON.get(lang),
                escape(mail_token.as_str()),
                texts::NO_MORE_MAIL_LINK.get(lang)
            );
        }
        (Some("unconfirmed"), _) => {
            let _ = write!(html, "<p>{}</p>", t::EMAIL_UNCONFIRMED.get(lang));
        }
        (Some("unsubscribed"), _) => {
            let _ = write!(html, "<p>{}</p>", t::EMAIL_OFF.get(lang));
        }
        _ => {
            let _ = write!(html, "<p>{}</p>", t::EMAIL_NONE.get(lang));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::thumb_size;

    #[test]
    fn thumbnails_keep_the_photos_proportions() {
        assert_eq!(thumb_size(1600, 1200), (320, 240));
        assert_eq!(thumb_size(1200, 1600), (240, 320));
        assert_eq!(thumb_size(200, 100), (200, 100));
        assert_eq!(thumb_size(0, 0), (1, 1));
    }
}
