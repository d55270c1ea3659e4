//! The inventory section of the privacy page (`pages/privacy/inventory.rs`). German first,
//! English second. The kinds' names and rules come from `civickit_model::privacy`, so the
//! office, the CLI and the privacy notice use the same words.

use civickit_model::Lang;

/// A text of the section, picked when shown.
pub type InventoryMsg = fn(&'static InventoryTexts) -> &'static str;

pub struct InventoryTexts {
    pub heading: &'static str,
    pub intro: &'static str,
    pub caption: &'static str,
    pub kind: &'static str,
    pub records: &'static str,
    pub oldest: &'static str,
    pub next_erasure: &'static str,
    pub rule: &'static str,
    /// Beside a next erasure in the past: the next retention run takes it.
    pub due: &'static str,
    /// No date (no records, or nothing due on a known date).
    pub none: &'static str,
}

pub static DE: InventoryTexts = InventoryTexts {
    heading: "Gespeicherte personenbezogene Daten",
    intro: "Welche personenbezogenen Daten die Gemeinde in civickit gerade speichert, seit wann, und wann die nächsten nach den eingestellten Fristen gelöscht werden. Die Löschung läuft jede Nacht.",
    caption: "Personenbezogene Daten nach Art: Datensätze, ältester Datensatz, nächste Löschung und Regel",
    kind: "Art der Daten",
    records: "Datensätze",
    oldest: "Ältester",
    next_erasure: "Nächste Löschung",
    rule: "Regel",
    due: "fällig",
    none: "–",
};

pub static EN: InventoryTexts = InventoryTexts {
    heading: "Personal data held",
    intro: "Which personal data the town holds in civickit now, since when, and when the next will be erased under the periods set. Erasure runs every night.",
    caption: "Personal data by kind: records, oldest record, next erasure and rule",
    kind: "Kind of data",
    records: "Records",
    oldest: "Oldest",
    next_erasure: "Next erasure",
    rule: "Rule",
    due: "due",
    none: "–",
};

pub fn inventory_texts(lang: Lang) -> &'static InventoryTexts {
    match lang {
        Lang::De => &DE,
        Lang::En => &EN,
    }
}
