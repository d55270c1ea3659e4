//! The generated statements of a town (issue 16): the privacy notice for the widgets
//! (`privacy.rs`) and the accessibility statement in the BITV 2.0 pattern
//! (`accessibility.rs`), German and English side by side. Each is written as plain text from
//! the town's settings, its retention periods (`PersonalData::rule`, the same words the
//! inventory uses) and the fields only the town can fill in, which stay visibly marked
//! ([`placeholder`]) while empty. An admin's text replaces a generated one per language.
//!
//! The plain text is the one format: the office shows it in a textarea, an admin edits it,
//! and `render.rs` turns it into escaped HTML for the public page, so what an admin sees is
//! what is published and no admin can inject markup.

mod accessibility;
mod privacy;
pub mod render;

use crate::db::statements::EditedTexts;
use crate::db::tenants::Tenant;
use civickit_model::api::office::{StatementFields, StatementKind};
use civickit_model::privacy::Retention;
use civickit_model::Lang;

/// Everything a statement is written from.
pub struct Context<'a> {
    pub town: &'a Tenant,
    pub fields: &'a StatementFields,
    pub retention: &'a Retention,
    /// The origin citizens reach this server under, e.g. `https://beteiligung.example.de`.
    pub base: &'a str,
}

/// What stands where the town has not filled in a field yet.
pub fn placeholder(lang: Lang) -> &'static str {
    lang.pick(
        "[von der Gemeinde zu ergänzen]",
        "[to be completed by the town]",
    )
}

/// The generated text of a statement.
pub fn generate(kind: StatementKind, lang: Lang, ctx: &Context) -> String {
    match kind {
        StatementKind::Privacy => privacy::write(lang, ctx),
        StatementKind::Accessibility => accessibility::write(lang, ctx),
    }
}

/// The text the public page shows: the admin's if there is one (`true`), else the generated.
pub fn current(
    kind: StatementKind,
    lang: Lang,
    ctx: &Context,
    edited: &EditedTexts,
) -> (String, bool) {
    match edited.get(&(kind, lang)) {
        Some(text) => (text.clone(), true),
        None => (generate(kind, lang, ctx), false),
    }
}

/// The public page of a statement, `/t/{slug}/datenschutz?lang=en`; relative to this server.
pub fn page_path(kind: StatementKind, slug: &str, lang: Lang) -> String {
    let path = format!("/t/{slug}/{}", kind.path_segment());
    match lang {
        Lang::De => path,
        Lang::En => format!("{path}?lang=en"),
    }
}

/// Builds a statement's plain text block by block (see `render.rs` for the format).
#[derive(Default)]
pub(crate) struct Doc(String);

impl Doc {
    fn block(&mut self, text: &str) {
        if !self.0.is_empty() {
            self.0.push_str("\n\n");
        }
        self.0.push_str(text.trim_end());
    }
    pub fn heading(&mut self, text: &str) {
        self.block(&format!("## {text}"));
    }
    pub fn para(&mut self, text: &str) {
        self.block(text);
    }
    pub fn list<S: AsRef<str>>(&mut self, items: impl IntoIterator<Item = S>) {
        let lines: Vec<String> = items
            .into_iter()
            .map(|i| format!("- {}", i.as_ref().replace('\n', " ")))
            .collect();
        self.block(&lines.join("\n"));
    }
    pub fn text(self) -> String {
        self.0
    }
}

/// A field's value, or the placeholder while it is empty.
pub(crate) fn or_placeholder(value: &str, lang: Lang) -> &str {
    if value.trim().is_empty() {
        placeholder(lang)
    } else {
        value
    }
}

/// The host of an http(s) URL (`https://tiles.example.org/{z}/…` → `tiles.example.org`).
pub(crate) fn host_of(url: &str) -> &str {
    url.split_once("://")
        .map(|(_, rest)| rest)
        .unwrap_or(url)
        .split(['/', '?', '#'])
        .next()
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_apart_by_blank_lines() {
        let mut doc = Doc::default();
        doc.heading("Zweck");
        doc.para("Erster Absatz.\nZweite Zeile.");
        doc.list(["eins", "zwei\ndrei"]);
        assert_eq!(
            doc.text(),
            "## Zweck\n\nErster Absatz.\nZweite Zeile.\n\n- eins\n- zwei drei"
        );
    }

    #[test]
    fn hosts_and_pages() {
        assert_eq!(
            host_of("https://tiles.example.org/{z}/{x}/{y}.png"),
            "tiles.example.org"
        );
        assert_eq!(host_of("http://127.0.0.1:8080"), "127.0.0.1:8080");
        assert_eq!(
            page_path(StatementKind::Accessibility, "musterstadt", Lang::En),
            "/t/musterstadt/barrierefreiheit?lang=en"
        );
    }
}
