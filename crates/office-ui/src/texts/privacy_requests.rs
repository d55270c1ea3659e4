//! Access and erasure for one citizen on the privacy page (`pages/privacy/requests.rs`).
//! German first, English second.

use civickit_model::Lang;

pub struct RequestTexts {
    pub heading: &'static str,
    pub intro: &'static str,
    pub query: &'static str,
    pub query_hint: &'static str,
    pub search: &'static str,
    pub nothing_found: &'static str,
    pub found: &'static str,
    pub reports: &'static str,
    pub messages: &'static str,
    pub mails: &'static str,
    pub created: &'static str,
    pub finished: &'static str,
    pub closed: &'static str,
    pub email_state: &'static str,
    pub sent: &'static str,
    pub not_sent: &'static str,
    pub to: &'static str,
    pub body: &'static str,
    pub download: &'static str,
    pub erase: &'static str,
    pub erase_question: &'static str,
    pub erase_yes: &'static str,
    pub cancel: &'static str,
    pub erased: &'static str,
}

pub static DE: RequestTexts = RequestTexts {
    heading: "Auskunft und Löschung",
    intro: "Für Anfragen nach Art. 15 und 17 DSGVO: alles, was zu einer E-Mail-Adresse oder Telefonnummer gespeichert ist. Suche und Löschung werden protokolliert, ohne die Adresse.",
    query: "E-Mail-Adresse oder Telefonnummer",
    query_hint: "Groß- und Kleinschreibung egal; Telefonnummern in jeder Schreibweise (0171 123456, +49 171 123456).",
    search: "Suchen",
    nothing_found: "Nichts gefunden.",
    found: "Gefunden",
    reports: "Meldungen",
    messages: "Nachrichten",
    mails: "E-Mails im Postausgang",
    created: "vom",
    finished: "abgeschlossen",
    closed: "geschlossen",
    email_state: "E-Mail",
    sent: "versandt",
    not_sent: "nicht versandt",
    to: "an",
    body: "Text der E-Mail",
    download: "Als JSON herunterladen",
    erase: "Alles löschen",
    erase_question: "Wirklich alles zu dieser Adresse löschen? Meldungen behalten ihren öffentlichen Inhalt, Nachrichten werden anonymisiert, E-Mails gelöscht. Das lässt sich nicht rückgängig machen.",
    erase_yes: "Ja, endgültig löschen",
    cancel: "Abbrechen",
    erased: "Gelöscht",
};

pub static EN: RequestTexts = RequestTexts {
    heading: "Access and erasure",
    intro: "For requests under Art. 15 and 17 GDPR: everything stored about an e-mail address or phone number. Searches and erasures are logged, without the address.",
    query: "E-mail address or phone number",
    query_hint: "Any case; phone numbers in any spelling (0171 123456, +49 171 123456).",
    search: "Search",
    nothing_found: "Nothing found.",
    found: "Found",
    reports: "Reports",
    messages: "Messages",
    mails: "E-mails in the outbox",
    created: "of",
    finished: "finished",
    closed: "closed",
    email_state: "E-mail",
    sent: "sent",
    not_sent: "not sent",
    to: "to",
    body: "Text of the e-mail",
    download: "Download as JSON",
    erase: "Erase everything",
    erase_question: "Really erase everything about this address? Reports keep their public content, messages are anonymised, e-mails deleted. This cannot be undone.",
    erase_yes: "Yes, erase for good",
    cancel: "Cancel",
    erased: "Erased",
};

pub fn request_texts(lang: Lang) -> &'static RequestTexts {
    match lang {
        Lang::De => &DE,
        Lang::En => &EN,
    }
}

/// "2 Meldungen anonymisiert, 1 Nachricht anonymisiert, 5 E-Mails gelöscht."
pub fn erased_summary(lang: Lang, reports: i64, messages: i64, mails: i64) -> String {
    match lang {
        Lang::De => format!(
            "{reports} {} anonymisiert, {messages} {} anonymisiert, {mails} {} gelöscht.",
            if reports == 1 { "Meldung" } else { "Meldungen" },
            if messages == 1 {
                "Nachricht"
            } else {
                "Nachrichten"
            },
            if mails == 1 { "E-Mail" } else { "E-Mails" },
        ),
        Lang::En => format!(
            "{reports} {} anonymised, {messages} {} anonymised, {mails} {} deleted.",
            if reports == 1 { "report" } else { "reports" },
            if messages == 1 { "message" } else { "messages" },
            if mails == 1 { "e-mail" } else { "e-mails" },
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_counts_in_words() {
        assert_eq!(
            erased_summary(Lang::De, 1, 2, 0),
            "1 Meldung anonymisiert, 2 Nachrichten anonymisiert, 0 E-Mails gelöscht."
        );
        assert_eq!(
            erased_summary(Lang::En, 2, 1, 1),
            "2 reports anonymised, 1 message anonymised, 1 e-mail deleted."
        );
    }
}
