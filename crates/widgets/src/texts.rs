//! Every text the widgets show, one table per language. German is the default; `data-lang="en"`
//! picks English. Status labels, legends and validation messages come from `civickit_model`
//! so that the widget and the server say the same thing.

use civickit_model::Lang;

pub struct Texts {
    pub title: &'static str,
    pub loading: &'static str,
    pub load_failed: &'static str,
    pub retry: &'static str,
    pub show_list: &'static str,
    pub show_map: &'static str,
    pub new_report: &'static str,
    pub map_label: &'static str,
    pub map_failed: &'static str,
    pub legend: &'static str,
    pub filters: &'static str,
    pub filter_status: &'static str,
    pub filter_category: &'static str,
    pub all_categories: &'static str,
    pub list_heading: &'static str,
    pub list_empty: &'static str,
    /// "Meldungen" / "Meldung": a count's noun (clusters, the list's area).
    pub reports: &'static str,
    pub report: &'static str,
    pub in_area: &'static str,
    pub show_more: &'static str,
    pub reported_on: &'static str,
    pub supporters: &'static str,
    pub details: &'static str,
    pub close: &'static str,
    pub description: &'static str,
    pub history: &'static str,
    pub no_history: &'static str,
    pub support: &'static str,
    pub support_counted: &'static str,
    pub support_already: &'static str,
    pub support_closed: &'static str,
    pub location: &'static str,
    pub no_position: &'static str,
    // report flow
    pub step_locate: &'static str,
    pub step_details: &'static str,
    pub step_preview: &'static str,
    pub step_of: &'static str,
    pub locate_help: &'static str,
    pub locate_help_no_map: &'static str,
    pub crosshair_help: &'static str,
    pub take_centre: &'static str,
    pub my_location: &'static str,
    pub locating: &'static str,
    pub geolocation_failed: &'static str,
    pub chosen_place: &'static str,
    pub no_place_yet: &'static str,
    /// Before an address: "bei Hauptstraße 12".
    pub near: &'static str,
    pub search_label: &'static str,
    pub search_hint: &'static str,
    pub search_none: &'static str,
    pub search_failed: &'static str,
    pub describe_place: &'static str,
    pub describe_place_hint: &'static str,
    pub next: &'static str,
    pub back: &'static str,
    pub cancel: &'static str,
    pub category: &'static str,
    pub choose_category: &'static str,
    pub duplicates_heading: &'static str,
    pub duplicates_intro: &'static str,
    pub metres_away: &'static str,
    pub description_hint: &'static str,
    pub characters: &'static str,
    pub email: &'static str,
    pub email_hint: &'static str,
    pub photos: &'static str,
    pub privacy: &'static str,
    pub privacy_link: &'static str,
    pub honeypot: &'static str,
    pub to_preview: &'static str,
    pub preview_intro: &'static str,
    pub change: &'static str,
    pub submit: &'static str,
    pub sending: &'static str,
    pub form_has_errors: &'static str,
    pub network_error: &'static str,
    pub server_error: &'static str,
    pub rate_limited: &'static str,
    pub done_heading: &'static str,
    pub done_reference: &'static str,
    pub done_tracking: &'static str,
    pub done_pending: &'static str,
    pub done_announce: &'static str,
    pub another: &'static str,
    pub not_given: &'static str,
    pub coming_soon: &'static str,
}

pub static DE: Texts = Texts {
    title: "Mängelmelder",
    loading: "Meldungen werden geladen …",
    load_failed: "Die Meldungen konnten nicht geladen werden. Bitte prüfen Sie Ihre Verbindung.",
    retry: "Erneut versuchen",
    show_list: "Als Liste anzeigen",
    show_map: "Als Karte anzeigen",
    new_report: "Mangel melden",
    map_label: "Karte der Meldungen",
    map_failed: "Die Karte kann nicht geladen werden. Alle Meldungen stehen in der Liste, und Sie können den Ort in Worten beschreiben.",
    legend: "Legende",
    filters: "Filter",
    filter_status: "Status",
    filter_category: "Kategorie",
    all_categories: "Alle Kategorien",
    list_heading: "Meldungen",
    list_empty: "Keine Meldungen in diesem Ausschnitt und mit diesen Filtern.",
    reports: "Meldungen",
    report: "Meldung",
    in_area: "in diesem Bereich",
    show_more: "Weitere anzeigen",
    reported_on: "gemeldet am",
    supporters: "Betrifft auch",
    details: "Details",
    close: "Schließen",
    description: "Beschreibung",
    history: "Bearbeitungsverlauf",
    no_history: "Noch keine Einträge.",
    support: "Betrifft mich auch",
    support_counted: "Danke! Ihre Unterstützung wurde gezählt.",
    support_already: "Sie haben diese Meldung bereits unterstützt.",
    support_closed: "Diese Meldung ist abgeschlossen und kann nicht mehr unterstützt werden.",
    location: "Ort",
    no_position: "ohne Kartenposition",
    step_locate: "Ort wählen",
    step_details: "Angaben",
    step_preview: "Prüfen und absenden",
    step_of: "Schritt",
    locate_help: "Tippen oder klicken Sie auf die Karte, oder ziehen Sie die Markierung. Mit der Tastatur: Karte fokussieren, mit den Pfeiltasten das Fadenkreuz verschieben, mit Enter übernehmen.",
    locate_help_no_map: "Beschreiben Sie den Ort in Worten oder nutzen Sie Ihren Standort.",
    crosshair_help: "Fadenkreuz: Pfeiltasten verschieben die Karte, Enter übernimmt die Mitte als Ort.",
    take_centre: "Kartenmitte übernehmen",
    my_location: "Mein Standort",
    locating: "Standort wird ermittelt …",
    geolocation_failed: "Ihr Standort konnte nicht ermittelt werden. Bitte wählen Sie den Ort auf der Karte oder beschreiben Sie ihn.",
    chosen_place: "Gewählter Ort",
    no_place_yet: "Noch kein Ort gewählt.",
    near: "bei",
    search_label: "Adresse suchen",
    search_hint: "Straße und Hausnummer",
    search_none: "Keine Adresse gefunden",
    search_failed: "Die Adresssuche ist gerade nicht erreichbar.",
    describe_place: "Ort beschreiben (optional, wenn Sie die Karte nutzen)",
    describe_place_hint: "z. B. „Ecke Hauptstraße / Kirchweg, vor Hausnummer 12“",
    next: "Weiter",
    back: "Zurück",
    cancel: "Abbrechen",
    category: "Kategorie",
    choose_category: "Bitte wählen …",
    duplicates_heading: "Ist es einer davon?",
    duplicates_intro: "In der Nähe gibt es schon offene Meldungen dieser Kategorie. Wenn Ihr Anliegen dabei ist, klicken Sie „Betrifft mich auch“ statt einer neuen Meldung.",
    metres_away: "m entfernt",
    description_hint: "Was ist kaputt oder verschmutzt? Bitte keine persönlichen Daten.",
    characters: "Zeichen",
    email: "E-Mail (optional, für Nachrichten zum Bearbeitungsstand)",
    email_hint: "Wird nicht veröffentlicht.",
    photos: "Fotos",
    privacy: "Hinweise zum Datenschutz:",
    privacy_link: "Datenschutzerklärung",
    honeypot: "Bitte leer lassen",
    to_preview: "Weiter zur Vorschau",
    preview_intro: "Bitte prüfen Sie Ihre Meldung. Sie können jede Angabe noch ändern.",
    change: "Ändern",
    submit: "Meldung absenden",
    sending: "Wird gesendet …",
    form_has_errors: "Bitte prüfen Sie die markierten Felder.",
    network_error: "Keine Verbindung zum Server. Ihre Eingaben bleiben erhalten; bitte versuchen Sie es erneut.",
    server_error: "Der Server hat die Meldung nicht angenommen. Ihre Eingaben bleiben erhalten; bitte versuchen Sie es später erneut.",
    rate_limited: "Zu viele Meldungen in kurzer Zeit. Bitte warten Sie einen Moment; Ihre Eingaben bleiben erhalten.",
    done_heading: "Vielen Dank für Ihre Meldung!",
    done_reference: "Ihre Vorgangsnummer:",
    done_tracking: "Bearbeitungsstand verfolgen",
    done_pending: "Ihre Meldung wird vor der Veröffentlichung geprüft.",
    done_announce: "Meldung gesendet. Vorgangsnummer",
    another: "Weitere Meldung",
    not_given: "keine Angabe",
    coming_soon: "demnächst verfügbar",
};

pub static EN: Texts = Texts {
    title: "Report a problem",
    loading: "Loading reports …",
    load_failed: "The reports could not be loaded. Please check your connection.",
    retry: "Try again",
    show_list: "Show as list",
    show_map: "Show as map",
    new_report: "Report a problem",
    map_label: "Map of reports",
    map_failed: "The map cannot be loaded. All reports are in the list, and you can describe the place in words.",
    legend: "Legend",
    filters: "Filters",
    filter_status: "Status",
    filter_category: "Category",
    all_categories: "All categories",
    list_heading: "Reports",
    list_empty: "No reports in this area with these filters.",
    reports: "reports",
    report: "report",
    in_area: "in this area",
    show_more: "Show more",
    reported_on: "reported on",
    supporters: "Also affects",
    details: "Details",
    close: "Close",
    description: "Description",
    history: "History",
    no_history: "No entries yet.",
    support: "Affects me too",
    support_counted: "Thank you! Your support has been counted.",
    support_already: "You have already supported this report.",
    support_closed: "This report is closed and can no longer be supported.",
    location: "Place",
    no_position: "no map position",
    step_locate: "Choose the place",
    step_details: "Details",
    step_preview: "Check and send",
    step_of: "Step",
    locate_help: "Tap or click the map, or drag the pin. With the keyboard: focus the map, move the crosshair with the arrow keys, accept with Enter.",
    locate_help_no_map: "Describe the place in words or use your location.",
    crosshair_help: "Crosshair: arrow keys move the map, Enter takes the centre as the place.",
    take_centre: "Use map centre",
    my_location: "My location",
    locating: "Finding your location …",
    geolocation_failed: "Your location could not be determined. Please choose the place on the map or describe it.",
    chosen_place: "Chosen place",
    no_place_yet: "No place chosen yet.",
    near: "near",
    search_label: "Search address",
    search_hint: "Street and number",
    search_none: "No address found",
    search_failed: "The address search is not available right now.",
    describe_place: "Describe the place (optional if you use the map)",
    describe_place_hint: "e.g. “corner of Hauptstraße / Kirchweg, in front of no. 12”",
    next: "Next",
    back: "Back",
    cancel: "Cancel",
    category: "Category",
    choose_category: "Please choose …",
    duplicates_heading: "Is it one of these?",
    duplicates_intro: "There are open reports of this category nearby. If yours is among them, click “Affects me too” instead of filing a new report.",
    metres_away: "m away",
    description_hint: "What is broken or dirty? Please no personal data.",
    characters: "characters",
    email: "E-mail (optional, for status updates)",
    email_hint: "Never published.",
    photos: "Photos",
    privacy: "Privacy:",
    privacy_link: "privacy notice",
    honeypot: "Please leave empty",
    to_preview: "Continue to preview",
    preview_intro: "Please check your report. You can still change everything.",
    change: "Change",
    submit: "Send report",
    sending: "Sending …",
    form_has_errors: "Please check the marked fields.",
    network_error: "No connection to the server. Your input is kept; please try again.",
    server_error: "The server did not accept the report. Your input is kept; please try again later.",
    rate_limited: "Too many reports in a short time. Please wait a moment; your input is kept.",
    done_heading: "Thank you for your report!",
    done_reference: "Your reference number:",
    done_tracking: "Follow the status",
    done_pending: "Your report is reviewed before it is published.",
    done_announce: "Report sent. Reference",
    another: "Another report",
    not_given: "not given",
    coming_soon: "coming soon",
};

pub fn texts(lang: Lang) -> &'static Texts {
    match lang {
        Lang::De => &DE,
        Lang::En => &EN,
    }
}

/// `1234` as the reader writes it: `1.234`, `1,234`. By hand: the browser's `toLocaleString`
/// builds a number format on each call, a millisecond a cluster's name when the map draws
/// hundreds of them.
pub fn count(n: u64, lang: Lang) -> String {
    // As u32: its formatting is in the wasm already, u64's would be more bytes.
    let digits = (n.min(u64::from(u32::MAX)) as u32).to_string();
    let sep = match lang {
        Lang::De => '.',
        Lang::En => ',',
    };
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// `2026-11-22T10:15:00Z` as the reader expects it: `22.11.2026` or `2026-11-22`.
pub fn date(rfc3339: &str, lang: Lang) -> String {
    let d = rfc3339.get(..10).unwrap_or(rfc3339);
    let parts: Vec<&str> = d.split('-').collect();
    match (lang, parts.as_slice()) {
        (Lang::De, [y, m, day]) => format!("{day}.{m}.{y}"),
        _ => d.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts() {
        assert_eq!(count(7, Lang::De), "7");
        assert_eq!(count(999, Lang::De), "999");
        assert_eq!(count(1234, Lang::De), "1.234");
        assert_eq!(count(1_234_567, Lang::En), "1,234,567");
        assert_eq!(count(100_000, Lang::De), "100.000");
    }

    #[test]
    fn dates() {
        assert_eq!(date("2026-11-22T10:15:00Z", Lang::De), "22.11.2026");
        assert_eq!(date("2026-11-22T10:15:00Z", Lang::En), "2026-11-22");
        assert_eq!(date("garbage", Lang::De), "garbage");
    }
}
