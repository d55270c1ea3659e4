//! The retention periods on the privacy page (`pages/privacy/retention.rs`). German first,
//! English second. The hints say what each period erases (`civickit_model::privacy`).

use civickit_model::Lang;

pub struct RetentionTexts {
    pub heading: &'static str,
    pub intro: &'static str,
    pub contact_days: &'static str,
    pub contact_days_hint: &'static str,
    pub erase_text: &'static str,
    pub erase_text_hint: &'static str,
    pub outbox_days: &'static str,
    pub outbox_days_hint: &'static str,
    pub tracking_days: &'static str,
    pub tracking_days_hint: &'static str,
    pub photo_days: &'static str,
    pub photo_days_hint: &'static str,
    pub save: &'static str,
    pub saved: &'static str,
}

pub static DE: RetentionTexts = RetentionTexts {
    heading: "Aufbewahrungsfristen",
    intro: "Jede Nacht löscht civickit, was älter ist als diese Fristen. Offene Meldungen und Nachrichten behalten ihre Angaben. Zahlen und Statistiken bleiben.",
    contact_days: "Kontaktdaten (Tage)",
    contact_days_hint: "Tage nach Abschluss einer Meldung oder Nachricht (1–3650): E-Mail-Adresse, Name und Telefon, der Originaltext einer Meldung, interne Notizen, Antworten und Weiterleitungen, „Betrifft mich auch“ und entschiedene Hinweise „Meldung melden“. Unbestätigte E-Mail-Adressen gehen nach 7 Tagen.",
    erase_text: "Auch Betreff und Text geschlossener Nachrichten löschen",
    erase_text_hint: "Sonst bleiben sie ohne Absender erhalten.",
    outbox_days: "Versandte E-Mails (Tage)",
    outbox_days_hint: "Tage nach dem Versand (1–365), bis eine E-Mail aus dem Postausgang gelöscht wird; endgültig gescheiterte ebenso lange nach dem letzten Versuch.",
    tracking_days: "Links zum Verfolgen (Tage)",
    tracking_days_hint: "Tage nach Abschluss einer Meldung (1–3650): dann funktionieren der Link zum Verfolgen und die Links in den E-Mails nicht mehr; der Link sagt nur noch, dass er abgelaufen ist.",
    photo_days: "Fotos (Tage, 0 = behalten)",
    photo_days_hint: "Tage nach Abschluss einer Meldung (1–3650), bis ihre Fotos gelöscht werden; 0 behält sie mit der öffentlichen Meldung.",
    save: "Fristen speichern",
    saved: "Die Fristen sind gespeichert.",
};

pub static EN: RetentionTexts = RetentionTexts {
    heading: "Retention periods",
    intro: "Every night civickit erases what is older than these periods. Open reports and messages keep their data. Counts and statistics stay.",
    contact_days: "Contact data (days)",
    contact_days_hint: "Days after a report or message is finished (1–3650): e-mail address, name and phone, a report's original text, internal notes, replies and forwards, “affects me too” and decided flags. Unconfirmed e-mail addresses go after 7 days.",
    erase_text: "Also erase the subject and text of closed messages",
    erase_text_hint: "Otherwise they stay, without their sender.",
    outbox_days: "Sent e-mails (days)",
    outbox_days_hint: "Days after sending (1–365) until an e-mail is deleted from the outbox; those that failed for good as long after the last attempt.",
    tracking_days: "Tracking links (days)",
    tracking_days_hint: "Days after a report is finished (1–3650): then the tracking link and the links in its e-mails stop working; the link only says that it has expired.",
    photo_days: "Photos (days, 0 = keep)",
    photo_days_hint: "Days after a report is finished (1–3650) until its photos are erased; 0 keeps them with the public report.",
    save: "Save periods",
    saved: "The periods are saved.",
};

pub fn retention_texts(lang: Lang) -> &'static RetentionTexts {
    match lang {
        Lang::De => &DE,
        Lang::En => &EN,
    }
}
