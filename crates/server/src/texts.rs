//! Everything a citizen reads from the server itself, German and English side by side: the
//! mails (double opt-in, status updates, the mailbox receipt and replies) and the HTML pages
//! behind the links in them (tracking page, confirm and unsubscribe pages). Each report and
//! message remembers the language it was made in, so the citizen who used the English widget
//! keeps getting English. The widgets and the office have their own text tables.
//!
//! Mails never echo what a citizen typed beyond the town's own public notes and answers, so
//! the forms cannot be abused as a spam relay: keep it that way in both languages.

pub mod track;

use crate::db::reports::MailDraft;
use civickit_model::Lang;

/// A short text of a page in both languages, German first. `{ref}` stands for a report's
/// reference where the text has one.
pub struct Text(pub &'static str, pub &'static str);

impl Text {
    pub fn get(&self, lang: Lang) -> &'static str {
        lang.pick(self.0, self.1)
    }

    /// The text with `{ref}` replaced (pass an HTML-escaped value for a page).
    pub fn with_ref(&self, lang: Lang, reference: &str) -> String {
        self.get(lang).replace("{ref}", reference)
    }
}

// ---------- the tracking page (`/track/{token}`) ----------

pub const TRACK_TITLE: Text = Text("Meldung {ref}", "Report {ref}");
pub const TRACK_HEADING: Text = Text("Ihre Meldung {ref}", "Your report {ref}");
pub const TRACK_PLACE: Text = Text("Ort", "Place");
pub const HISTORY: Text = Text("Verlauf", "History");
pub const TRACK_NOT_FOUND: Text = Text("Meldung nicht gefunden", "Report not found");
pub const TRACK_NOT_FOUND_TEXT: Text = Text(
    "Dieser Link ist ungültig. Bitte prüfen Sie, ob Sie ihn vollständig kopiert haben.",
    "This link is not valid. Please check that you copied all of it.",
);
pub const INTERNAL_ERROR: Text = Text("Interner Fehler", "Internal error");
pub const TRACK_EXPIRED: Text = Text("Link abgelaufen", "Link expired");
/// `{town}` stands for the town's name.
pub const TRACK_EXPIRED_TEXT: Text = Text(
    "Dieser Link zu Ihrer Meldung bei {town} ist abgelaufen. Nach Abschluss einer Meldung \
     bleibt er nur eine festgelegte Zeit gültig; danach löscht {town} die Angaben, die \
     Sie mit ihm verbinden.",
    "This link to your report to {town} has expired. After a report is finished, its link \
     works only for a set time; then {town} erases what ties it to you.",
);

// ---------- the pages behind the links in mail (`/notify/{token}…`) ----------

pub const LINK_INVALID: Text = Text("Link ungültig", "Invalid link");
pub const LINK_INVALID_TEXT: Text = Text(
    "Dieser Link ist ungültig oder abgelaufen.",
    "This link is not valid or has expired.",
);
pub const ERROR: Text = Text("Fehler", "Error");
pub const TRY_LATER: Text = Text(
    "Bitte versuchen Sie es später erneut.",
    "Please try again later.",
);
pub const NO_MORE_MAIL_LINK: Text = Text(
    "Keine E-Mails mehr zu dieser Meldung",
    "No more e-mails about this report",
);
pub const CONFIRMED: Text = Text("E-Mail-Adresse bestätigt", "E-mail address confirmed");
pub const CONFIRMED_TEXT: Text = Text(
    "Sie erhalten ab jetzt eine E-Mail, wenn sich der Stand Ihrer Meldung {ref} ändert.",
    "From now on you get an e-mail whenever the status of your report {ref} changes.",
);
pub const CONFIRM: Text = Text("E-Mail-Adresse bestätigen", "Confirm your e-mail address");
pub const CONFIRM_QUESTION: Text = Text(
    "Möchten Sie per E-Mail erfahren, wenn sich der Stand Ihrer Meldung {ref} ändert?",
    "Would you like an e-mail whenever the status of your report {ref} changes?",
);
pub const CONFIRM_BUTTON: Text = Text("Ja, benachrichtigen", "Yes, notify me");
pub const UNSUBSCRIBED: Text = Text("Abgemeldet", "Unsubscribed");
pub const UNSUBSCRIBED_TEXT: Text = Text(
    "Sie erhalten keine E-Mails mehr zur Meldung {ref}.",
    "You will get no more e-mails about report {ref}.",
);
pub const UNSUBSCRIBE: Text = Text("Benachrichtigungen abbestellen", "Stop the notifications");
pub const UNSUBSCRIBE_QUESTION: Text = Text(
    "Keine E-Mails mehr zur Meldung {ref}?",
    "No more e-mails about report {ref}?",
);
pub const UNSUBSCRIBE_BUTTON: Text = Text("Abbestellen", "Unsubscribe");

// ---------- mails to citizens ----------

/// The double opt-in for status mails, sent when a report came with an address.
pub fn confirmation_mail(
    lang: Lang,
    town: &str,
    reference: &str,
    place: Option<&str>,
    confirm_url: &str,
    status_url: &str,
) -> MailDraft {
    let at = near(lang, place);
    match lang {
        Lang::De => MailDraft {
            subject: format!("Bitte bestätigen: Benachrichtigungen zu Ihrer Meldung {reference}"),
            body: format!(
                "Guten Tag,\n\n\
                 vielen Dank für Ihre Meldung {reference}{at} an {town}.\n\n\
                 Wenn Sie über Änderungen am Bearbeitungsstand per E-Mail informiert werden möchten, \
                 bestätigen Sie bitte Ihre Adresse:\n{confirm_url}\n\n\
                 Wenn Sie nichts tun, erhalten Sie keine weiteren E-Mails.\n\n\
                 Stand der Meldung: {status_url}\n\n\
                 -- \n{town}, Mängelmelder\n"
            ),
        },
        Lang::En => MailDraft {
            subject: format!("Please confirm: notifications about your report {reference}"),
            body: format!(
                "Hello,\n\n\
                 thank you for your report {reference}{at} to {town}.\n\n\
                 If you would like an e-mail whenever its status changes, \
                 please confirm your address:\n{confirm_url}\n\n\
                 If you do nothing, you will get no further e-mails.\n\n\
                 Status of the report: {status_url}\n\n\
                 -- \n{town}, problem reports\n"
            ),
        },
    }
}

/// What a status mail says about a report.
pub struct StatusNews<'a> {
    pub town: &'a str,
    pub reference: &'a str,
    pub category: &'a str,
    /// Where the report is (its address), to tell one report from another.
    pub place: Option<&'a str>,
    /// The new state's label, already in the mail's language.
    pub label: &'a str,
    /// The town's public note.
    pub note: &'a str,
    pub status_url: &'a str,
    pub unsubscribe_url: &'a str,
}

/// The mail after a public change of a report whose reporter confirmed their address.
/// ` bei Hauptstraße 12`, or nothing for a report without an address.
fn near(lang: Lang, place: Option<&str>) -> String {
    place.map_or(String::new(), |p| {
        format!(" {} {p}", lang.pick("bei", "near"))
    })
}

pub fn status_mail(lang: Lang, n: &StatusNews) -> MailDraft {
    let StatusNews {
        town,
        reference,
        category,
        place,
        label,
        note,
        status_url,
        unsubscribe_url,
    } = n;
    let at = near(lang, *place);
    match lang {
        Lang::De => MailDraft {
            subject: format!("Ihre Meldung {reference}: {label}"),
            body: format!(
                "Guten Tag,\n\n\
                 der Stand Ihrer Meldung {reference} ({category}{at}) hat sich geändert: {label}.\n\n\
                 Nachricht von {town}:\n{note}\n\n\
                 Stand und Verlauf: {status_url}\n\n\
                 Keine E-Mails mehr zu dieser Meldung: {unsubscribe_url}\n\n\
                 -- \n{town}, Mängelmelder\n"
            ),
        },
        Lang::En => MailDraft {
            subject: format!("Your report {reference}: {label}"),
            body: format!(
                "Hello,\n\n\
                 the status of your report {reference} ({category}{at}) has changed: {label}.\n\n\
                 Message from {town}:\n{note}\n\n\
                 Status and history: {status_url}\n\n\
                 No more e-mails about this report: {unsubscribe_url}\n\n\
                 -- \n{town}, problem reports\n"
            ),
        },
    }
}

/// The receipt for a mailbox message: the reference only, never the text (no spam relay).
pub fn receipt_mail(lang: Lang, town: &str, reference: &str) -> MailDraft {
    match lang {
        Lang::De => MailDraft {
            subject: format!("Ihre Nachricht an {town}: {reference}"),
            body: format!(
                "Guten Tag,\n\n\
                 Ihre Nachricht an {town} ist unter der Nummer {reference} eingegangen. \
                 Bitte geben Sie diese Nummer an, wenn Sie sich dazu an uns wenden.\n\n\
                 Sie haben diese E-Mail erhalten, weil diese Adresse im Bürgerbriefkasten von {town} \
                 angegeben wurde. Wenn Sie das nicht waren, können Sie diese E-Mail ignorieren.\n\n\
                 -- \n{town}, Bürgerbriefkasten\n"
            ),
        },
        Lang::En => MailDraft {
            subject: format!("Your message to {town}: {reference}"),
            body: format!(
                "Hello,\n\n\
                 your message to {town} has been received under the number {reference}. \
                 Please quote this number whenever you contact us about it.\n\n\
                 You got this e-mail because this address was given in the citizen mailbox of \
                 {town}. If that was not you, you can ignore this e-mail.\n\n\
                 -- \n{town}, citizen mailbox\n"
            ),
        },
    }
}

/// An official's answer to a citizen's message; `subject` is the citizen's own subject line.
pub fn reply_mail(
    lang: Lang,
    town: &str,
    reference: &str,
    subject: Option<&str>,
    text: &str,
) -> MailDraft {
    let about = subject.map(|s| format!(": {s}")).unwrap_or_default();
    match lang {
        Lang::De => MailDraft {
            subject: format!("Antwort auf Ihre Nachricht {reference}{about}"),
            body: format!("{text}\n\n-- \n{town}, Bürgerbriefkasten\n"),
        },
        Lang::En => MailDraft {
            subject: format!("Reply to your message {reference}{about}"),
            body: format!("{text}\n\n-- \n{town}, citizen mailbox\n"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_texts_fill_in_the_reference() {
        assert_eq!(TRACK_TITLE.with_ref(Lang::De, "M-1"), "Meldung M-1");
        assert_eq!(TRACK_TITLE.with_ref(Lang::En, "M-1"), "Report M-1");
        assert_eq!(HISTORY.get(Lang::En), "History");
    }

    #[test]
    fn both_languages_carry_the_same_links() {
        for lang in [Lang::De, Lang::En] {
            let m = confirmation_mail(
                lang,
                "Musterstadt",
                "M-1",
                Some("Hauptstraße 12"),
                "http://h/c",
                "http://h/s",
            );
            assert!(m.subject.contains("M-1"));
            assert!(m.body.contains(" Hauptstraße 12 "), "{}", m.body);
            assert!(m.body.contains("http://h/c\n") && m.body.contains("http://h/s"));
            let news = StatusNews {
                town: "Musterstadt",
                reference: "M-1",
                category: "Licht",
                place: Some("Hauptstraße 12"),
                label: "x",
                note: "Note",
                status_url: "http://h/s",
                unsubscribe_url: "http://h/s/unsubscribe",
            };
            let m = status_mail(lang, &news);
            assert!(m.body.contains("Note") && m.body.contains("http://h/s/unsubscribe\n"));
            assert!(m.body.contains(" Hauptstraße 12)"), "{}", m.body);
            let m = receipt_mail(lang, "Musterstadt", "B-1");
            assert!(m.subject.contains("B-1") && m.body.contains("B-1"));
            let m = reply_mail(lang, "Musterstadt", "B-1", Some("Bank"), "Antwort");
            assert!(m.subject.ends_with("B-1: Bank") && m.body.starts_with("Antwort\n"));
        }
    }
}
