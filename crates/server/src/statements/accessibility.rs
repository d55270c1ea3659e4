//! The accessibility statement ("Erklärung zur Barrierefreiheit") in the pattern of BITV 2.0
//! and the EU model statement: scope, conformance status with the known limitations and the
//! alternatives offered, how and when the statement was made, the feedback contact and the
//! enforcement procedure. German and English side by side.
//!
//! The limitations are what the widgets really do (`crates/widgets`): keep them true when the
//! widgets change.

use super::{or_placeholder, placeholder, Context, Doc};
use civickit_model::api::office::Conformance;
use civickit_model::Lang;

pub fn write(lang: Lang, ctx: &Context) -> String {
    let de = lang == Lang::De;
    let town = &ctx.town.name;
    let f = ctx.fields;
    let mut doc = Doc::default();
    doc.para(&if de {
        format!(
            "{town} ist bemüht, seine Beteiligungswidgets im Einklang mit den Rechtsvorschriften \
             zur Umsetzung der Richtlinie (EU) 2016/2102 barrierefrei zugänglich zu machen, \
             insbesondere der Barrierefreie-Informationstechnik-Verordnung (BITV 2.0)."
        )
    } else {
        format!(
            "{town} strives to make its participation widgets accessible in accordance with the \
             laws implementing Directive (EU) 2016/2102, in particular the German Barrier-Free \
             Information Technology Ordinance (BITV 2.0)."
        )
    });

    doc.heading(lang.pick("Geltungsbereich", "Scope"));
    doc.para(&if de {
        format!(
            "Diese Erklärung gilt für die Beteiligungswidgets (Mängelmelder, Bürgerbriefkasten, \
             Umfragen), die in die Website der Gemeinde eingebunden sind, für die Seiten, die \
             Bürgerinnen und Bürger über Links in E-Mails erreichen (Verfolgen einer Meldung, \
             Bestätigen und Abbestellen von Benachrichtigungen), und für das Bearbeitungsportal \
             der Verwaltung ({}/office). Für die übrige Website der Gemeinde gilt deren eigene \
             Erklärung.",
            ctx.base
        )
    } else {
        format!(
            "This statement applies to the participation widgets (defect reporter, citizen \
             mailbox, polls) embedded in the town's website, to the pages citizens reach through \
             links in e-mails (following a report, confirming and stopping notifications), and to \
             the administration's office portal ({}/office). The rest of the town's website has \
             its own statement.",
            ctx.base
        )
    });

    doc.heading(lang.pick(
        "Stand der Vereinbarkeit mit den Anforderungen",
        "Compliance status",
    ));
    let status = f.conformance.label(lang);
    doc.para(&match (de, f.conformance) {
        (true, Conformance::Full) => {
            format!("Die Angebote sind mit § 3 Absätze 1 bis 4 und § 4 der BITV 2.0 {status}.")
        }
        (true, _) => format!(
            "Die Angebote sind mit § 3 Absätze 1 bis 4 und § 4 der BITV 2.0 {status}. Die \
             Unvereinbarkeiten und die angebotenen Alternativen sind unten aufgeführt."
        ),
        (false, Conformance::Full) => format!(
            "The services are {status} with section 3 paragraphs 1 to 4 and section 4 of BITV 2.0."
        ),
        (false, _) => format!(
            "The services are {status} with section 3 paragraphs 1 to 4 and section 4 of BITV \
             2.0. The non-compliances and the alternatives offered are listed below."
        ),
    });

    if f.conformance == Conformance::Full {
        doc.heading(lang.pick("Alternativen zur Karte", "Alternatives to the map"));
        doc.list(alternatives(lang));
    } else {
        doc.heading(lang.pick(
            "Nicht barrierefreie Inhalte",
            "Content that is not accessible",
        ));
        doc.list(limitations(lang));
        doc.para(lang.pick("Angebotene Alternativen:", "Alternatives offered:"));
        doc.list(alternatives(lang));
    }

    doc.heading(lang.pick(
        "Erstellung dieser Erklärung",
        "Preparation of this statement",
    ));
    let date = if f.reviewed_on.is_empty() {
        placeholder(lang).to_string()
    } else {
        local_date(&f.reviewed_on, lang)
    };
    doc.para(&if de {
        format!(
            "Diese Erklärung wurde am {date} erstellt oder zuletzt überprüft. Sie beruht auf einer \
             Selbstbewertung: Die Software wird bei jeder Änderung mit automatisierten Tests in \
             einem echten Browser geprüft, darunter Prüfungen mit axe-core auf die Anforderungen \
             der WCAG 2.1 (Stufen A und AA) und Tests der Bedienung mit der Tastatur."
        )
    } else {
        format!(
            "This statement was prepared or last reviewed on {date}. It is based on a \
             self-assessment: every change of the software is checked by automated tests in a \
             real browser, including checks with axe-core against WCAG 2.1 (levels A and AA) and \
             tests of keyboard operation."
        )
    });

    doc.heading(lang.pick(
        "Feedback und Kontaktangaben",
        "Feedback and contact information",
    ));
    doc.para(lang.pick(
        "Sind Ihnen Mängel beim barrierefreien Zugang aufgefallen, oder brauchen Sie Inhalte in \
         einer anderen Form? Dann wenden Sie sich bitte an:",
        "Have you found barriers, or do you need content in another form? Please contact:",
    ));
    let mut contact = Vec::new();
    if !f.feedback_email.is_empty() {
        contact.push(format!(
            "{}: {}",
            lang.pick("E-Mail", "E-mail"),
            f.feedback_email
        ));
    }
    if !f.feedback_phone.is_empty() {
        contact.push(format!(
            "{}: {}",
            lang.pick("Telefon", "Phone"),
            f.feedback_phone
        ));
    }
    if contact.is_empty() {
        contact.push(format!(
            "{}: {}",
            lang.pick("E-Mail oder Telefon", "E-mail or phone"),
            placeholder(lang)
        ));
    }
    doc.list(contact);

    doc.heading(lang.pick(
        "Schlichtungs- und Durchsetzungsverfahren",
        "Conciliation and enforcement procedure",
    ));
    let link = or_placeholder(&f.enforcement_url, lang);
    doc.para(&match (de, f.enforcement_url.is_empty()) {
        (true, true) => format!(
            "Wenn auch nach Ihrem Feedback an den oben genannten Kontakt keine zufriedenstellende \
             Lösung gefunden wurde, können Sie sich an die Schlichtungsstelle nach § 16 BGG oder \
             die für die Gemeinde zuständige Stelle des Landes wenden. Das Schlichtungsverfahren \
             ist kostenlos; Sie brauchen keinen Rechtsbeistand. Zuständige Stelle: {link}"
        ),
        (true, false) => format!(
            "Wenn auch nach Ihrem Feedback an den oben genannten Kontakt keine zufriedenstellende \
             Lösung gefunden wurde, können Sie sich an die zuständige Schlichtungs- oder \
             Durchsetzungsstelle wenden. Das Verfahren ist kostenlos; Sie brauchen keinen \
             Rechtsbeistand. Weitere Informationen: {link}"
        ),
        (false, true) => format!(
            "If your feedback to the contact above did not lead to a satisfactory solution, you \
             can turn to the conciliation body under section 16 of the German Disability Equality \
             Act (Schlichtungsstelle nach § 16 BGG) or the state body responsible for the town. \
             The procedure is free of charge; you need no legal representation. Responsible body: \
             {link}"
        ),
        (false, false) => format!(
            "If your feedback to the contact above did not lead to a satisfactory solution, you \
             can turn to the responsible conciliation or enforcement body. The procedure is free \
             of charge; you need no legal representation. More information: {link}"
        ),
    });
    doc.text()
}

/// What is known not to meet the requirements.
fn limitations(lang: Lang) -> [&'static str; 3] {
    [
        lang.pick(
            "Die Karte ist ein visuelles Angebot: Die Kartenbilder haben keine Textalternative, und \
             einzelne Meldungen sind auf der Karte als Punkte gezeichnet, die weder mit der \
             Tastatur noch mit einem Screenreader einzeln erreichbar sind.",
            "The map is visual: the map images have no text alternative, and single reports are \
             drawn on the map as dots that cannot be reached one by one with the keyboard or a \
             screen reader.",
        ),
        lang.pick(
            "Den Ort einer neuen Meldung auf der Karte zu setzen, ist mit Maus oder Finger am \
             einfachsten; mit der Tastatur geht es über ein Fadenkreuz, mit einem Screenreader \
             nur eingeschränkt.",
            "Placing a new report on the map is easiest with a mouse or a finger; with the \
             keyboard it works through a crosshair, with a screen reader only to a limited \
             degree.",
        ),
        lang.pick(
            "Fotos, die Bürgerinnen und Bürger zu Meldungen hochladen, haben keine Beschreibung \
             ihres Inhalts, nur eine Nummer („Foto 1“).",
            "Photos citizens upload with reports have no description of their content, only a \
             number (“Photo 1”).",
        ),
    ]
}

/// What the widgets and the office offer instead of the map.
fn alternatives(lang: Lang) -> [&'static str; 4] {
    [
        lang.pick(
            "Die Liste („Als Liste anzeigen“) zeigt dieselben Meldungen als Text mit Zustand, \
             Kategorie, Adresse und Datum.",
            "The list (“Show as list”) shows the same reports as text with state, category, \
             address and date.",
        ),
        lang.pick(
            "Den Ort einer Meldung können Sie über die Adresssuche wählen (wo die Gemeinde ihre \
             Adressen hinterlegt hat) oder in Worten beschreiben; mit der Tastatur: Karte \
             fokussieren, das Fadenkreuz mit den Pfeiltasten verschieben, mit Enter übernehmen.",
            "You can choose a report's place through the address search (where the town has \
             provided its addresses) or describe it in words; with the keyboard: focus the map, \
             move the crosshair with the arrow keys, accept with Enter.",
        ),
        lang.pick(
            "Zusammengefasste Meldungen (Gruppen auf der Karte) sind mit der Tab-Taste erreichbar, \
             nennen ihre Anzahl und Zustände in Worten, und Enter vergrößert die Karte dort.",
            "Grouped reports (clusters on the map) can be reached with the Tab key, name their \
             number and states in words, and Enter zooms in there.",
        ),
        lang.pick(
            "Im Bearbeitungsportal gibt es zu jeder Karte eine Liste oder Eingabefelder; die \
             Markierung einer Meldung lässt sich nach einer Bestätigung auch mit der Tastatur \
             verschieben.",
            "In the office portal every map has a list or input fields beside it; a report's pin \
             can also be moved with the keyboard after a confirmation.",
        ),
    ]
}

/// `2026-12-06` as `06.12.2026` in German; English keeps the ISO date.
fn local_date(iso: &str, lang: Lang) -> String {
    match (lang, iso.split('-').collect::<Vec<_>>().as_slice()) {
        (Lang::De, [y, m, d]) => format!("{d}.{m}.{y}"),
        _ => iso.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::local_date;
    use civickit_model::Lang;

    #[test]
    fn dates_read_as_in_the_language() {
        assert_eq!(local_date("2026-12-06", Lang::De), "06.12.2026");
        assert_eq!(local_date("2026-12-06", Lang::En), "2026-12-06");
    }
}
