//! The HTML of work orders: one A4 sheet per report (`break-after: page`), German or English,
//! every value escaped. Plain HTML and CSS without script, so the browser's own "Print"
//! (or "Save as PDF") is all an official needs.

use super::qr;
use crate::db::photos::PhotoInfo;
use crate::db::reports::{Note, Report};
use crate::http::local_time::local_time;
use crate::http::static_map;
use crate::texts::Text;
use civickit_model::{Lang, Status};
use quick_xml::escape::escape;
use std::fmt::Write;

const WORK_ORDER: Text = Text("Arbeitsauftrag", "Work order");
const WORK_ORDERS: Text = Text("Arbeitsaufträge", "Work orders");
const CATEGORY: Text = Text("Kategorie", "Category");
const DEPARTMENT: Text = Text("Zuständig", "Department");
const NO_DEPARTMENT: Text = Text("keine Abteilung", "no department");
const STATUS: Text = Text("Stand", "Status");
const RECEIVED: Text = Text("Eingegangen", "Received");
const CHANGED: Text = Text("Letzte Änderung", "Last change");
const PLACE: Text = Text("Ort", "Place");
const POSITION: Text = Text("Position", "Position");
const NO_POSITION: Text = Text("keine Position angegeben", "no position given");
const NO_PLACE: Text = Text("kein Ort angegeben", "no place given");
const SUPPORTERS: Text = Text("Betrifft auch", "Also affected");
const DESCRIPTION: Text = Text("Beschreibung", "Description");
const MAP: Text = Text("Karte", "Map");
const PHOTOS: Text = Text("Fotos", "Photos");
const PHOTO: Text = Text("Foto", "Photo");
const NO_PHOTOS: Text = Text("keine Fotos", "no photos");
const HISTORY: Text = Text("Verlauf", "History");
const NO_HISTORY: Text = Text("noch keine Einträge", "no entries yet");
const INTERNAL: Text = Text("intern", "internal");
const WITHOUT_INTERNAL: Text = Text("ohne interne Notizen", "without internal notes");
const QR_LABEL: Text = Text(
    "QR-Code: die Meldung im Büro öffnen",
    "QR code: open the report in the office",
);
const DONE: Text = Text("Erledigung", "Completion");
const DONE_ON: Text = Text("Erledigt am", "Done on");
const DONE_BY: Text = Text("durch", "by");
const REMARKS: Text = Text("Bemerkung", "Remarks");
const PRINTED: Text = Text("Gedruckt", "Printed");
const BY: Text = Text("von", "by");
const NOTHING: Text = Text(
    "Keine Meldungen passen zu dieser Auswahl.",
    "No reports match this selection.",
);
const TOO_MANY: Text = Text(
    "Mehr als {n} Meldungen passen zu dieser Auswahl; hier stehen die ersten {n}. Bitte die Auswahl enger fassen, um die übrigen zu drucken.",
    "More than {n} reports match this selection; these are the first {n}. Please narrow the selection to print the others.",
);
const NOT_FOUND: Text = Text("Meldung nicht gefunden", "Report not found");
const NOT_FOUND_TEXT: Text = Text(
    "Diese Meldung gibt es nicht, oder sie gehört nicht zu Ihrer Abteilung.",
    "This report does not exist, or it is not one of your department's.",
);

/// What every sheet of one printout shares.
pub struct Sheet<'a> {
    pub lang: Lang,
    pub town: &'a str,
    /// The origin officials reach the office under, for the QR code's link.
    pub base: &'a str,
    /// The town's tiles as the widget gets them (`{z}/{x}/{y}`).
    pub tiles: &'a str,
    pub attribution: &'a str,
    /// Whether internal notes are printed (not for an outside contractor).
    pub internal_notes: bool,
    pub printed_at: i64,
    pub printed_by: &'a str,
}

/// One report with what its sheet shows.
pub struct Order<'a> {
    pub report: &'a Report,
    pub notes: Vec<&'a Note>,
    pub photos: &'a [PhotoInfo],
}

const STYLE: &str = "@page{size:A4;margin:12mm 14mm}\
*{box-sizing:border-box}\
body{font:10pt/1.4 system-ui,'DejaVu Sans',sans-serif;color:#000;margin:0}\
.order{break-after:page;page-break-after:always}\
.order:last-of-type{break-after:auto;page-break-after:auto}\
.note{border:1px solid #000;padding:2mm 3mm;margin:0 0 3mm}\
header{display:flex;justify-content:space-between;align-items:flex-start;gap:6mm;border-bottom:2px solid #000;padding-bottom:2mm;margin-bottom:3mm}\
.town{margin:0;font-size:11pt}\
h1{margin:0;font-size:17pt}.ref{font-family:'DejaVu Sans Mono',monospace;white-space:nowrap}\
h2{font-size:10.5pt;margin:3mm 0 1mm;border-bottom:1px solid #888}\
.qrbox{margin:0;text-align:center;font-size:7pt;max-width:44mm;overflow-wrap:anywhere}\
.qr{width:26mm;height:26mm;display:block;margin:0 auto}\
.top{display:flex;gap:5mm;align-items:flex-start}\
.facts{flex:1;display:grid;grid-template-columns:max-content 1fr;gap:.6mm 3mm;margin:0}\
.facts dt{font-weight:bold}.facts dd{margin:0}\
.map{margin:0;width:96mm;flex:none}\
.tiles{position:relative;display:grid;grid-template-columns:repeat(3,1fr);border:1px solid #000;overflow:hidden}\
.tiles img{width:100%;height:auto;display:block}\
.pin{position:absolute;width:6mm;height:9mm;transform:translate(-50%,-100%)}\
.map figcaption{font-size:7pt;color:#333}\
.desc{white-space:pre-wrap;margin:0}\
.photos{list-style:none;display:flex;flex-wrap:wrap;gap:3mm;padding:0;margin:0}\
.photos img{height:30mm;width:auto;max-width:60mm;border:1px solid #888;display:block}\
.history{margin:0;padding-left:5mm}.history li{margin:.4mm 0}\
.internal{font-weight:bold;border:1px solid #000;padding:0 1mm;font-size:8pt}\
section{break-inside:avoid}\
.done{border:1.5px solid #000;padding:1mm 3mm 3mm;margin-top:4mm}\
.done h2{border:0}\
.blank{display:grid;grid-template-columns:1fr 1fr;gap:4mm}\
.line{border-bottom:1px solid #000;height:9mm;display:flex;align-items:flex-end;padding-bottom:.5mm}\
.remarks{border-bottom:1px solid #000;height:22mm;margin-top:3mm}\
footer{margin-top:3mm;font-size:7.5pt;color:#333}\
@media screen{body{background:#ddd}.order,.empty{background:#fff;width:210mm;min-height:297mm;margin:6mm auto;padding:12mm 14mm;box-shadow:0 0 2mm #888}}";

fn head(html: &mut String, lang: Lang, title: &str) {
    let _ = write!(
        html,
        "<!doctype html><html lang={}><meta charset=utf-8>\
         <meta name=viewport content='width=device-width'><meta name=robots content=noindex>\
         <title>{}</title><style>{STYLE}</style><body>",
        lang.code(),
        escape(title)
    );
}

/// A printout: one sheet per report. `limit_hit` says the selection matched more than
/// `limit` reports and only the first ones are here.
pub fn document(
    sheet: &Sheet,
    orders: &[Order],
    selection: bool,
    limit: usize,
    limit_hit: bool,
) -> String {
    let lang = sheet.lang;
    let title = match (selection, orders) {
        (false, [one]) => format!(
            "{} {} – {}",
            WORK_ORDER.get(lang),
            one.report.reference,
            sheet.town
        ),
        _ => format!(
            "{} ({}) – {}",
            WORK_ORDERS.get(lang),
            orders.len(),
            sheet.town
        ),
    };
    let mut html = String::with_capacity(8192 * orders.len().max(1));
    head(&mut html, lang, &title);
    let too_many = limit_hit.then(|| {
        format!(
            "<p class=note role=status>{}</p>",
            TOO_MANY.get(lang).replace("{n}", &limit.to_string())
        )
    });
    if orders.is_empty() {
        let _ = write!(
            html,
            "<main class=empty><h1>{}</h1><p>{}</p></main>",
            escape(&title),
            NOTHING.get(lang)
        );
    }
    for (i, order) in orders.iter().enumerate() {
        let note = if i == 0 { too_many.as_deref() } else { None };
        write_order(&mut html, sheet, order, note.unwrap_or(""));
    }
    html
}

/// The 404 page for a reference that does not exist or is not the official's to see.
pub fn not_found(lang: Lang) -> String {
    let mut html = String::new();
    head(&mut html, lang, NOT_FOUND.get(lang));
    let _ = write!(
        html,
        "<main class=empty><h1>{}</h1><p>{}</p></main>",
        NOT_FOUND.get(lang),
        NOT_FOUND_TEXT.get(lang)
    );
    html
}

fn fact(html: &mut String, term: &Text, lang: Lang, value: &str) {
    let _ = write!(html, "<dt>{}</dt><dd>{value}</dd>", term.get(lang));
}

fn status_label(status: Status, r: &Report, lang: Lang) -> String {
    let mut label = escape(status.label(lang)).into_owned();
    if let Some(reason) = r.close_reason {
        let _ = write!(label, " ({})", escape(reason.label(lang)));
    }
    label
}

fn write_order(html: &mut String, sheet: &Sheet, order: &Order, note: &str) {
    let lang = sheet.lang;
    let r = order.report;
    let reference = escape(&r.reference);
    let link = format!("{}/office/reports/{}", sheet.base, r.reference);
    let _ = write!(
        html,
        "<article class=order aria-labelledby=\"h-{reference}\">{note}<header><div>\
         <p class=town>{town}</p><h1 id=\"h-{reference}\">{title} <span class=ref>{reference}</span></h1></div>\
         <figure class=qrbox>{qr}<figcaption>{link_text}</figcaption></figure></header>",
        town = escape(sheet.town),
        title = WORK_ORDER.get(lang),
        qr = qr::svg(&link, QR_LABEL.get(lang)).unwrap_or_default(),
        link_text = escape(&link),
    );
    html.push_str("<div class=top><dl class=facts>");
    fact(html, &CATEGORY, lang, &escape(&r.category_name));
    let department = r
        .department_name
        .as_deref()
        .map(|d| escape(d).into_owned())
        .unwrap_or_else(|| NO_DEPARTMENT.get(lang).into());
    fact(html, &DEPARTMENT, lang, &department);
    fact(html, &STATUS, lang, &status_label(r.status, r, lang));
    fact(html, &RECEIVED, lang, &local_time(r.created_at, lang));
    fact(html, &CHANGED, lang, &local_time(r.updated_at, lang));
    let coordinates = r.position.map(|p| format!("{:.5}, {:.5}", p.lat, p.lng));
    let place = match (&r.address, &coordinates) {
        (Some(a), _) => escape(a).into_owned(),
        (None, Some(c)) => c.clone(),
        (None, None) => NO_PLACE.get(lang).into(),
    };
    fact(html, &PLACE, lang, &place);
    fact(
        html,
        &POSITION,
        lang,
        coordinates.as_deref().unwrap_or(NO_POSITION.get(lang)),
    );
    if r.supporters > 0 {
        fact(html, &SUPPORTERS, lang, &r.supporters.to_string());
    }
    html.push_str("</dl>");
    if let (Some(at), Some(c)) = (r.position, &coordinates) {
        html.push_str(&static_map::html(
            sheet.tiles,
            at,
            r.status.light().hex(),
            &format!("{}: {c}", MAP.get(lang)),
            sheet.attribution,
        ));
    }
    let _ = write!(
        html,
        "</div><section><h2>{}</h2><p class=desc>{}</p></section><section><h2>{}</h2>",
        DESCRIPTION.get(lang),
        escape(&r.description),
        PHOTOS.get(lang)
    );
    if order.photos.is_empty() {
        let _ = write!(html, "<p>{}</p>", NO_PHOTOS.get(lang));
    } else {
        html.push_str("<ul class=photos>");
        for (i, p) in order.photos.iter().enumerate() {
            let _ = write!(
                html,
                "<li><img src=\"/office/api/photos/{id}/thumb\" alt=\"{photo} {n}\" width={w} height={h}></li>",
                id = p.id,
                photo = PHOTO.get(lang),
                n = i + 1,
                // Thumbnails keep the photo's proportions; the sizes only reserve the space.
                w = p.width.max(1),
                h = p.height.max(1),
            );
        }
        html.push_str("</ul>");
    }
    let _ = write!(html, "</section><section><h2>{}</h2>", HISTORY.get(lang));
    if order.notes.is_empty() {
        let _ = write!(html, "<p>{}</p>", NO_HISTORY.get(lang));
    } else {
        html.push_str("<ol class=history>");
        for n in &order.notes {
            let internal = if n.public {
                String::new()
            } else {
                format!(" <span class=internal>{}</span>", INTERNAL.get(lang))
            };
            let _ = write!(
                html,
                "<li><time datetime=\"{at}\">{local}</time> – <strong>{status}</strong>{internal}: {text}</li>",
                at = crate::http::rfc3339(n.at),
                local = local_time(n.at, lang),
                status = escape(n.status.label(lang)),
                text = escape(&n.text),
            );
        }
        html.push_str("</ol>");
    }
    let _ = write!(
        html,
        "</section><section class=done><h2>{done}</h2><div class=blank>\
         <div class=line>{on}:</div><div class=line>{by}:</div></div>\
         <div class=remarks>{remarks}:</div></section>\
         <footer>{printed}: {at} {by_word} {who}{without}</footer></article>",
        done = DONE.get(lang),
        on = DONE_ON.get(lang),
        by = DONE_BY.get(lang),
        remarks = REMARKS.get(lang),
        printed = PRINTED.get(lang),
        at = local_time(sheet.printed_at, lang),
        by_word = BY.get(lang),
        who = escape(sheet.printed_by),
        without = if sheet.internal_notes {
            String::new()
        } else {
            format!(" · {}", WITHOUT_INTERNAL.get(lang))
        },
    );
}
