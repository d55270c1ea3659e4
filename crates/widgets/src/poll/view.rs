//! The parts of a poll built from its data: a question as a fieldset, the results, and the
//! texts they need (times, percentages, "choose 1 to N").

use super::texts::Texts;
use crate::ui::H;
use civickit_model::api::widget::{PollDefinition, PollResults};
use civickit_model::poll::{question_field, PollState, Question, QuestionKind, Visibility};
use civickit_model::Lang;
use wasm_bindgen::{JsCast, JsValue};

/// An RFC 3339 time as the reader expects it, in the browser's time zone:
/// `24. Dezember 2026 um 18:00` / `24 December 2026 at 18:00`.
pub fn when(rfc3339: &str, lang: Lang) -> String {
    let date = js_sys::Date::new(&JsValue::from_str(rfc3339));
    if date.get_time().is_nan() {
        return rfc3339.to_string();
    }
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"dateStyle".into(), &"long".into());
    let _ = js_sys::Reflect::set(&options, &"timeStyle".into(), &"short".into());
    let locale = lang.pick("de-DE", "en-GB");
    date.to_locale_string(locale, &options).into()
}

/// `58.3` as `58,3 %` (de) or `58.3 %` (en).
pub fn percent(p: f64, lang: Lang) -> String {
    let s = format!("{p:.1}");
    let s = s.strip_suffix(".0").unwrap_or(&s).to_string();
    match lang {
        Lang::De => format!("{} %", s.replace('.', ",")),
        Lang::En => format!("{s} %"),
    }
}

/// The "how many may I choose" hint of a question.
pub fn choice_hint(q: &Question, t: &Texts) -> String {
    let (min, max) = (q.min_choices.max(1), q.max_choices.max(1));
    match q.kind {
        QuestionKind::Single => t.choose_one.to_string(),
        QuestionKind::Multiple if min == max => t.choose_exactly.replace("{n}", &min.to_string()),
        QuestionKind::Multiple => t
            .choose_range
            .replace("{min}", &min.to_string())
            .replace("{max}", &max.to_string()),
    }
}

/// The results: per question a list of options with their counts and percentages in text,
/// and a bar whose length repeats the percentage for sighted readers (hidden from screen
/// readers, who get the text). Never colour alone: the numbers are always written out.
pub fn results_view(r: &PollResults, p: &PollDefinition, t: &Texts, lang: Lang) -> H {
    let heading = if p.state == PollState::Closed || p.visibility != Visibility::Live {
        t.results
    } else {
        t.results_live
    };
    let section = H::new("section")
        .class("civic-results")
        .attr("aria-labelledby", "civic-poll-results-h")
        .child(&H::new("h3").id("civic-poll-results-h").text(heading))
        .child(
            &H::new("p")
                .class("civic-meta")
                .text(&if r.participations == 1 {
                    t.participation_one.to_string()
                } else {
                    t.participations
                        .replace("{n}", &r.participations.to_string())
                }),
        );
    // Interim counts (ballot secrecy): say that they move only every N votes.
    if let Some(n) = r.interim_step {
        let _ = section.0.append_child(
            &H::new("p")
                .class("civic-meta civic-interim")
                .text(&t.interim.replace("{n}", &n.to_string()))
                .0,
        );
    }
    for q in &r.questions {
        let list = H::new("ul")
            .class("civic-bars")
            .attr("data-question", &q.id.to_string());
        for o in &q.options {
            let votes = if o.votes == 1 {
                t.vote_one.to_string()
            } else {
                t.votes_many.replace("{n}", &o.votes.to_string())
            };
            let fill = H::new("span").class("civic-bar-fill");
            // CSSOM, not a style attribute: allowed under a strict style-src CSP.
            if let Some(el) = fill.0.dyn_ref::<web_sys::HtmlElement>() {
                let _ = el
                    .style()
                    .set_property("width", &format!("{}%", o.percent.clamp(0.0, 100.0)));
            }
            let _ = list.0.append_child(
                &H::new("li")
                    .attr("data-option", &o.id.to_string())
                    .child(
                        &H::new("span")
                            .class("civic-bar-text")
                            .text(&o.text)
                            .text(": ")
                            .child(
                                &H::new("strong")
                                    .text(&format!("{votes} ({})", percent(o.percent, lang))),
                            ),
                    )
                    .child(
                        &H::new("span")
                            .class("civic-bar")
                            .attr("aria-hidden", "true")
                            .child(&fill),
                    )
                    .0,
            );
        }
        let _ = section.0.append_child(&H::new("h4").text(&q.text).0);
        let _ = section.0.append_child(&list.0);
    }
    section
}

/// One question as a fieldset: legend, "choose …" hint, radios or checkboxes, error line.
pub fn question_view(q: &Question, t: &Texts) -> H {
    let field = question_field(q.id);
    let hint_id = format!("civic-q{}-hint", q.id);
    let err_id = format!("civic-q{}-err", q.id);
    let input_type = if q.kind == QuestionKind::Single {
        "radio"
    } else {
        "checkbox"
    };
    let set = H::new("fieldset")
        .class("civic-question")
        .id(&field)
        .attr("data-question", &q.id.to_string())
        .attr("aria-describedby", &format!("{hint_id} {err_id}"))
        .child(&H::new("legend").text(&q.text))
        .child(
            &H::new("p")
                .class("civic-help")
                .id(&hint_id)
                .text(&choice_hint(q, t)),
        );
    for o in &q.options {
        let id = format!("civic-o{}", o.id);
        let _ = set.0.append_child(
            &H::new("div")
                .class("civic-check civic-option")
                .child(
                    &H::new("input")
                        .attr("type", input_type)
                        .id(&id)
                        .attr("name", &field)
                        .attr("value", &o.id.to_string())
                        .attr("data-field", &field)
                        .attr("aria-invalid", "false"),
                )
                .child(&H::new("label").attr("for", &id).text(&o.text))
                .0,
        );
    }
    set.child(
        &H::new("p")
            .class("civic-error")
            .id(&err_id)
            .attr("data-error-for", &field),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::poll::texts::texts;

    #[test]
    fn percentages_and_hints() {
        assert_eq!(percent(58.3, Lang::De), "58,3 %");
        assert_eq!(percent(100.0, Lang::En), "100 %");
        let q = Question {
            id: 1,
            text: "?".into(),
            kind: QuestionKind::Multiple,
            min_choices: 1,
            max_choices: 2,
            options: vec![],
        };
        assert_eq!(
            choice_hint(&q, texts(Lang::De)),
            "Wählen Sie 1 bis 2 Antworten."
        );
    }
}
