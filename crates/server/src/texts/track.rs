//! The reporter's tracking page (`/track/{token}`) beyond its title and history (those two are
//! shared with the pages behind the mail links, in `texts.rs`): German and English side by
//! side. `{n}` stands for a number.

use super::Text;

pub const SERVICE: Text = Text("Mängelmelder", "Problem reports");
pub const RECEIVED: Text = Text("Eingegangen", "Received");
pub const CHANGED: Text = Text("Letzte Änderung", "Last change");
pub const PLACE: Text = Text("Ort", "Place");
pub const ON_THE_MAP: Text = Text("auf der Karte markiert", "marked on the map");
pub const NO_PLACE: Text = Text("kein Ort angegeben", "no place given");
pub const MAP: Text = Text("Karte", "Map");
pub const DESCRIPTION: Text = Text("Ihre Beschreibung", "Your description");

pub const PHOTOS: Text = Text("Fotos", "Photos");
pub const PHOTO_N: Text = Text("Foto {n}", "Photo {n}");
pub const AFTER_PHOTO_N: Text = Text(
    "Foto {n}: die Stelle nach der Behebung",
    "Photo {n}: the place after the fix",
);
pub const NO_PHOTOS: Text = Text("Noch keine Fotos.", "No photos yet.");
pub const ONE_WAITING: Text = Text(
    "Ein Foto wird noch geprüft und erscheint danach hier.",
    "One photo is being checked and will appear here afterwards.",
);
pub const SOME_WAITING: Text = Text(
    "{n} Fotos werden noch geprüft und erscheinen danach hier.",
    "{n} photos are being checked and will appear here afterwards.",
);
pub const ADD_PHOTO: Text = Text("Foto hinzufügen", "Add a photo");
pub const CHOOSE_PHOTO: Text = Text("Foto auswählen", "Choose a photo");
pub const PHOTO_HINT: Text = Text(
    "JPEG, PNG oder WebP, höchstens 10 MB. Bitte keine Personen und keine Autokennzeichen fotografieren.",
    "JPEG, PNG or WebP, at most 10 MB. Please leave people and number plates out of the picture.",
);
pub const PHOTO_LIMIT: Text = Text(
    "Sie haben {n} Fotos hinzugefügt; mehr nimmt eine Meldung nicht auf.",
    "You have added {n} photos; a report takes no more.",
);
pub const PHOTOS_CLOSED: Text = Text(
    "Die Meldung ist abgeschlossen; Fotos lassen sich nicht mehr hinzufügen.",
    "The report is closed; photos can no longer be added.",
);

// After the form was sent.
pub const PHOTO_RELEASED: Text = Text(
    "Danke! Ihr Foto ist jetzt bei der Meldung zu sehen.",
    "Thank you! Your photo now shows with the report.",
);
pub const PHOTO_PENDING: Text = Text(
    "Danke! Ihr Foto ist angekommen. Es erscheint hier, sobald die Gemeinde es geprüft hat.",
    "Thank you! Your photo has arrived. It will appear here once the town has checked it.",
);
pub const NOT_ADDED: Text = Text(
    "Das Foto wurde nicht hinzugefügt.",
    "The photo was not added.",
);
pub const REFUSED_CLOSED: Text = Text(
    "Diese Meldung ist abgeschlossen. Fotos können nur hinzugefügt werden, solange sie offen ist.",
    "This report is closed. Photos can only be added while it is open.",
);
pub const NO_FILE: Text = Text(
    "Bitte wählen Sie zuerst ein Foto aus.",
    "Please choose a photo first.",
);
pub const UNSUPPORTED: Text = Text(
    "Diese Datei ist kein Foto, das wir annehmen. Bitte wählen Sie ein Foto als JPEG, PNG oder WebP.",
    "This file is not a photo we accept. Please choose a photo as JPEG, PNG or WebP.",
);
pub const CORRUPT: Text = Text(
    "Die Bilddatei ist beschädigt oder unvollständig. Bitte wählen Sie sie erneut aus.",
    "The image file is damaged or incomplete. Please choose it again.",
);
pub const TOO_MANY_PIXELS: Text = Text(
    "Das Bild ist zu groß (höchstens 12000 Pixel je Seite).",
    "The image is too large (at most 12000 pixels a side).",
);
pub const TOO_BIG: Text = Text(
    "Die Datei ist größer als 10 MB. Bitte wählen Sie ein kleineres Foto.",
    "The file is larger than 10 MB. Please choose a smaller photo.",
);
pub const TOO_MANY: Text = Text(
    "Diese Meldung hat schon {n} Fotos; mehr nimmt sie nicht auf.",
    "This report already has {n} photos; it takes no more.",
);
pub const SLOW_DOWN: Text = Text(
    "Von Ihrem Anschluss kam gerade sehr viel. Bitte versuchen Sie es in einigen Minuten erneut.",
    "Very much came from your connection just now. Please try again in a few minutes.",
);
pub const TRY_LATER: Text = Text(
    "Das hat nicht geklappt. Bitte versuchen Sie es später erneut.",
    "That did not work. Please try again later.",
);

// The e-mail updates; the address itself is never shown.
pub const EMAIL: Text = Text("E-Mail-Benachrichtigung", "E-mail updates");
pub const EMAIL_ON: Text = Text(
    "Sie erhalten E-Mails bei Änderungen.",
    "You get an e-mail whenever this report changes.",
);
pub const EMAIL_UNCONFIRMED: Text = Text(
    "Sie erhalten E-Mails bei Änderungen, sobald Sie Ihre Adresse über den Link in unserer E-Mail bestätigt haben.",
    "You will get an e-mail whenever this report changes once you have confirmed your address with the link in our e-mail.",
);
pub const EMAIL_OFF: Text = Text(
    "Sie haben die E-Mails zu dieser Meldung abbestellt.",
    "You have unsubscribed from e-mails about this report.",
);
pub const EMAIL_NONE: Text = Text(
    "Sie haben keine E-Mail-Adresse angegeben. Den Stand finden Sie jederzeit auf dieser Seite: Bitte bewahren Sie den Link auf.",
    "You gave no e-mail address. You find the status on this page at any time: please keep the link.",
);

pub const PRIVACY: Text = Text("Datenschutz", "Privacy");
pub const IMPRINT: Text = Text("Impressum", "Legal notice");

impl Text {
    /// The text with `{n}` replaced.
    pub fn with_n(&self, lang: civickit_model::Lang, n: impl std::fmt::Display) -> String {
        self.get(lang).replace("{n}", &n.to_string())
    }
}
