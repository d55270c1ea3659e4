//! The moderation page (`pages/moderation.rs`). German first, English second.

use civickit_model::Lang;

pub struct ModerationTexts {
    pub heading: &'static str,
    pub intro: &'static str,
    pub empty: &'static str,
    pub report: &'static str,
    pub photo_of: &'static str,
    pub hidden_now: &'static str,
    pub public_now: &'static str,
    pub flags: &'static str,
    pub reasons: &'static str,
    pub notes: &'static str,
    pub description: &'static str,
    pub first_flagged: &'static str,
    pub keep: &'static str,
    pub hide: &'static str,
    pub redact: &'static str,
    pub redact_photo: &'static str,
    pub redact_photo_hint: &'static str,
    pub new_description: &'static str,
    pub new_description_hint: &'static str,
    pub save_redaction: &'static str,
    pub cancel: &'static str,
}

pub static DE: ModerationTexts = ModerationTexts {
    heading: "Moderation",
    intro: "Bürgerinnen und Bürger haben diese öffentlichen Meldungen oder Fotos gemeldet. Ab der eingestellten Zahl von Hinweisen ist ein Eintrag verborgen, bis Sie entscheiden.",
    empty: "Keine offenen Hinweise.",
    report: "Meldung",
    photo_of: "Foto der Meldung",
    hidden_now: "für die Öffentlichkeit verborgen",
    public_now: "öffentlich sichtbar",
    flags: "Hinweise",
    reasons: "Gründe",
    notes: "Anmerkungen",
    description: "Beschreibung",
    first_flagged: "Erster Hinweis",
    keep: "Behalten",
    hide: "Verbergen",
    redact: "Schwärzen",
    redact_photo: "Foto auf der Seite der Meldung schwärzen",
    redact_photo_hint: "Danach hier „Behalten“ wählen.",
    new_description: "Neue öffentliche Beschreibung",
    new_description_hint: "Entfernen Sie Namen und andere persönliche Daten. Der Originaltext bleibt intern erhalten.",
    save_redaction: "Geschwärzt veröffentlichen",
    cancel: "Abbrechen",
};

pub static EN: ModerationTexts = ModerationTexts {
    heading: "Moderation",
    intro: "Citizens flagged these public reports or photos. From the set number of flags on, an item is hidden until you decide.",
    empty: "No open flags.",
    report: "Report",
    photo_of: "Photo of report",
    hidden_now: "hidden from the public",
    public_now: "public",
    flags: "Flags",
    reasons: "Reasons",
    notes: "Notes",
    description: "Description",
    first_flagged: "First flag",
    keep: "Keep",
    hide: "Hide",
    redact: "Redact",
    redact_photo: "Black out the photo on the report's page",
    redact_photo_hint: "Then choose “Keep” here.",
    new_description: "New public description",
    new_description_hint: "Remove names and other personal data. The original text is kept internally.",
    save_redaction: "Publish redacted",
    cancel: "Cancel",
};

pub fn moderation_texts(lang: Lang) -> &'static ModerationTexts {
    match lang {
        Lang::De => &DE,
        Lang::En => &EN,
    }
}
