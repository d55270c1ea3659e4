//! The office's maps: the inbox as a map with its address search, and the place of a report
//! (mini map, OpenStreetMap link, moving the pin). German first, English second.

use civickit_model::Lang;

pub struct MapTexts {
    pub view_label: &'static str,
    pub view_list: &'static str,
    pub view_map: &'static str,
    pub map_label: &'static str,
    pub map_unavailable: &'static str,
    pub no_markers: &'static str,
    pub legend: &'static str,
    pub search_label: &'static str,
    pub search_hint: &'static str,
    pub search_none: &'static str,
    pub search_failed: &'static str,
    pub place_heading: &'static str,
    pub mini_map_label: &'static str,
    pub no_address: &'static str,
    pub no_position: &'static str,
    pub osm_link: &'static str,
    pub new_window: &'static str,
    pub print_order: &'static str,
    pub print_selection: &'static str,
    pub print_window: &'static str,
    pub pin_title: &'static str,
    pub pin_hint: &'static str,
    pub confirm_question: &'static str,
    pub confirm_yes: &'static str,
    pub confirm_no: &'static str,
    pub position_saved: &'static str,
    pub outside_area: &'static str,
    pub pin_back: &'static str,
}

pub static DE: MapTexts = MapTexts {
    view_label: "Ansicht",
    view_list: "Liste",
    view_map: "Karte",
    map_label: "Karte der Meldungen",
    map_unavailable: "Die Karte konnte nicht geladen werden. Die Liste zeigt dieselben Meldungen.",
    no_markers: "Keine Meldung mit Ort passt zu diesen Filtern.",
    legend: "Legende",
    search_label: "Adresse suchen",
    search_hint: "Straße und Hausnummer, z. B. „Linden 1“. Mit den Pfeiltasten wählen, mit der Eingabetaste die Karte dorthin bewegen.",
    search_none: "Keine Adresse gefunden.",
    search_failed: "Die Adresssuche ist gerade nicht erreichbar.",
    place_heading: "Ort",
    mini_map_label: "Karte: Ort der Meldung und Meldungen in der Nähe",
    no_address: "Keine Adresse bekannt",
    no_position: "Diese Meldung hat keinen Ort auf der Karte.",
    osm_link: "In OpenStreetMap öffnen",
    new_window: "(neues Fenster, openstreetmap.org)",
    print_order: "Arbeitsauftrag drucken",
    print_selection: "Auswahl als Arbeitsaufträge drucken",
    print_window: "(neues Fenster)",
    pin_title: "Ort der Meldung",
    pin_hint: "Stimmt der Ort nicht? Ziehen Sie die Markierung an die richtige Stelle, oder wählen Sie sie mit der Tabulatortaste, verschieben Sie sie mit den Pfeiltasten und bestätigen Sie mit der Eingabetaste.",
    confirm_question: "Position ändern?",
    confirm_yes: "Position ändern",
    confirm_no: "Abbrechen",
    position_saved: "Die Position wurde geändert.",
    outside_area: "Diese Stelle liegt außerhalb des Gemeindegebiets.",
    pin_back: "Die Markierung steht wieder am gespeicherten Ort.",
};

pub static EN: MapTexts = MapTexts {
    view_label: "View",
    view_list: "List",
    view_map: "Map",
    map_label: "Map of the reports",
    map_unavailable: "The map could not be loaded. The list shows the same reports.",
    no_markers: "No report with a place matches these filters.",
    legend: "Legend",
    search_label: "Search an address",
    search_hint: "Street and house number, e.g. “Linden 1”. Choose with the arrow keys, Enter moves the map there.",
    search_none: "No address found.",
    search_failed: "The address search cannot be reached right now.",
    place_heading: "Place",
    mini_map_label: "Map: the report's place and reports nearby",
    no_address: "No address known",
    no_position: "This report has no place on the map.",
    osm_link: "Open in OpenStreetMap",
    new_window: "(new window, openstreetmap.org)",
    print_order: "Print work order",
    print_selection: "Print the selection as work orders",
    print_window: "(new window)",
    pin_title: "Place of the report",
    pin_hint: "Is the place wrong? Drag the marker to the right spot, or reach it with the Tab key, move it with the arrow keys and confirm with Enter.",
    confirm_question: "Change the position?",
    confirm_yes: "Change position",
    confirm_no: "Cancel",
    position_saved: "The position was changed.",
    outside_area: "This place is outside the municipality.",
    pin_back: "The marker is back at the saved place.",
};

pub fn map_texts(lang: Lang) -> &'static MapTexts {
    match lang {
        Lang::De => &DE,
        Lang::En => &EN,
    }
}

/// "12 Meldungen auf der Karte", or that the limit cut the map short.
pub fn marker_count(lang: Lang, n: usize, truncated: bool) -> String {
    match (lang, truncated) {
        (Lang::De, false) if n == 1 => "1 Meldung auf der Karte".into(),
        (Lang::De, false) => format!("{n} Meldungen auf der Karte"),
        (Lang::De, true) => format!(
            "Zu viele Meldungen für eine Karte: die neuesten {n} im Kartenausschnitt werden gezeigt. Bitte hineinzoomen oder filtern."
        ),
        (Lang::En, false) if n == 1 => "1 report on the map".into(),
        (Lang::En, false) => format!("{n} reports on the map"),
        (Lang::En, true) => format!(
            "Too many reports for one map: the newest {n} in view are shown. Please zoom in or filter."
        ),
    }
}

/// A cluster's name for screen readers.
pub fn cluster_label(lang: Lang, n: usize) -> String {
    match lang {
        Lang::De => format!("{n} Meldungen, zum Vergrößern wählen"),
        Lang::En => format!("{n} reports, choose to zoom in"),
    }
}

/// How many addresses the search found.
pub fn address_count(lang: Lang, n: usize) -> String {
    match (lang, n) {
        (Lang::De, 1) => "1 Adresse gefunden.".into(),
        (Lang::De, n) => format!("{n} Adressen gefunden."),
        (Lang::En, 1) => "1 address found.".into(),
        (Lang::En, n) => format!("{n} addresses found."),
    }
}

/// The question's detail: where the pin now is.
pub fn new_position(lang: Lang, lat: f64, lng: f64) -> String {
    match lang {
        Lang::De => format!("Neue Position: {lat:.5}, {lng:.5}"),
        Lang::En => format!("New position: {lat:.5}, {lng:.5}"),
    }
}

/// `https://www.openstreetmap.org/?mlat=…&mlon=…#map=18/…/…`: a link the official follows;
/// the page itself never asks openstreetmap.org for anything.
pub fn osm_url(lat: f64, lng: f64) -> String {
    format!("https://www.openstreetmap.org/?mlat={lat:.6}&mlon={lng:.6}#map=18/{lat:.6}/{lng:.6}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_osm_link_marks_the_place() {
        assert_eq!(
            osm_url(50.5521, 9.6771),
            "https://www.openstreetmap.org/?mlat=50.552100&mlon=9.677100#map=18/50.552100/9.677100"
        );
    }

    #[test]
    fn counts_read_well() {
        assert_eq!(
            marker_count(Lang::De, 12, false),
            "12 Meldungen auf der Karte"
        );
        assert_eq!(marker_count(Lang::En, 1, false), "1 report on the map");
        assert!(marker_count(Lang::De, 5000, true).contains("hineinzoomen"));
        assert_eq!(address_count(Lang::De, 1), "1 Adresse gefunden.");
    }
}
