//! The plugin's German texts: its `.po` file (edited by people) compiled into the `.mo` file
//! WordPress reads, and a check that every text the PHP code translates has a German line.
//! Written here rather than with GNU gettext's `msgfmt` so that a build needs no extra
//! system package; the plugin uses no plural forms, so neither does this.

use crate::util::Result;
use std::collections::BTreeMap;

/// The key gettext looks up: `context \x04 text`, or the text alone.
pub fn key(context: Option<&str>, text: &str) -> String {
    match context {
        Some(c) => format!("{c}\u{4}{text}"),
        None => text.to_string(),
    }
}

/// The entries of a `.po` file: key (see [`key`]) to translation, the header (`msgid ""`)
/// included, untranslated entries left out.
pub fn parse_po(po: &str) -> Result<BTreeMap<String, String>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Field {
        Context,
        Id,
        Str,
    }
    let mut entries = BTreeMap::new();
    let (mut context, mut id, mut translation) = (None::<String>, None::<String>, None::<String>);
    let mut field = None;
    let mut finish = |context: &mut Option<String>,
                      id: &mut Option<String>,
                      translation: &mut Option<String>| {
        if let (Some(i), Some(t)) = (id.take(), translation.take()) {
            if !t.is_empty() {
                entries.insert(key(context.as_deref(), &i), t);
            }
        }
        *context = None;
    };
    for (number, line) in po.lines().enumerate() {
        let line = line.trim();
        let at = || format!("line {}", number + 1);
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (keyword, rest) = match line.split_once(' ') {
            Some((k, r)) if !line.starts_with('"') => (Some(k), r.trim()),
            _ => (None, line),
        };
        let text = unquote(rest).ok_or_else(|| format!("{}: not a quoted string", at()))?;
        match keyword {
            Some("msgctxt") => {
                finish(&mut context, &mut id, &mut translation);
                context = Some(text);
                field = Some(Field::Context);
            }
            Some("msgid") => {
                if field != Some(Field::Context) {
                    finish(&mut context, &mut id, &mut translation);
                }
                id = Some(text);
                field = Some(Field::Id);
            }
            Some("msgstr") => {
                translation = Some(text);
                field = Some(Field::Str);
            }
            Some(other) => return Err(format!("{}: {other} is not supported here", at())),
            None => {
                let target = match field {
                    Some(Field::Context) => &mut context,
                    Some(Field::Id) => &mut id,
                    Some(Field::Str) => &mut translation,
                    None => return Err(format!("{}: a string before any msgid", at())),
                };
                target.get_or_insert_with(String::new).push_str(&text);
            }
        }
    }
    finish(&mut context, &mut id, &mut translation);
    Ok(entries)
}

/// `"…"` with C escapes, as `.po` files write strings.
fn unquote(s: &str) -> Option<String> {
    let inner = s.strip_prefix('"')?.strip_suffix('"')?;
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        out.push(match chars.next()? {
            'n' => '\n',
            't' => '\t',
            '"' => '"',
            '\\' => '\\',
            _ => return None,
        });
    }
    Some(out)
}

/// The `.mo` file of `entries`: the little-endian layout of GNU gettext (magic, the sorted
/// originals' and translations' tables of length and offset, no hash table, then the strings,
/// each followed by a NUL).
pub fn write_mo(entries: &BTreeMap<String, String>) -> Vec<u8> {
    let n = entries.len() as u32;
    let header = 28u32;
    let strings_at = header + 16 * n;
    let mut tables = Vec::new();
    let mut strings = Vec::new();
    let mut originals = Vec::new();
    let mut translations = Vec::new();
    // BTreeMap order is byte order, which gettext's binary search expects.
    for (side, texts) in [
        (&mut originals, entries.keys().collect::<Vec<_>>()),
        (&mut translations, entries.values().collect::<Vec<_>>()),
    ] {
        for text in texts {
            let offset = strings_at + strings.len() as u32;
            side.extend_from_slice(&(text.len() as u32).to_le_bytes());
            side.extend_from_slice(&offset.to_le_bytes());
            strings.extend_from_slice(text.as_bytes());
            strings.push(0);
        }
    }
    for v in [0x9504_12de_u32, 0, n, header, header + 8 * n, 0, strings_at] {
        tables.extend_from_slice(&v.to_le_bytes());
    }
    tables.extend(originals);
    tables.extend(translations);
    tables.extend(strings);
    tables
}

/// The texts a PHP file passes to WordPress's translation functions with `domain`, in
/// single quotes as the plugin writes them: `__( 'Text', 'civickit' )`.
pub fn php_texts(php: &str, domain: &str) -> Vec<String> {
    const CALLS: &[&str] = &["__(", "_e(", "esc_html__(", "esc_html_e(", "esc_attr__("];
    let mut found = Vec::new();
    for (at, _) in php.match_indices('(') {
        let before = &php[..=at];
        let is_call = CALLS.iter().any(|c| {
            before.ends_with(c)
                && !before[..before.len() - c.len()]
                    .ends_with(|ch: char| ch.is_alphanumeric() || ch == '_')
        });
        if !is_call {
            continue;
        }
        let rest = php[at + 1..].trim_start();
        let Some((text, after)) = single_quoted(rest) else {
            continue;
        };
        let after = after.trim_start();
        if let Some(arg) = after.strip_prefix(',') {
            if single_quoted(arg.trim_start()).is_some_and(|(d, _)| d == domain) {
                found.push(text);
            }
        }
    }
    found
}

/// A PHP single-quoted string at the start of `s` (only `\'` and `\\` are escapes) and the rest.
fn single_quoted(s: &str) -> Option<(String, &str)> {
    let inner = s.strip_prefix('\'')?;
    let mut out = String::new();
    let mut chars = inner.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\'' => return Some((out, &inner[i + 1..])),
            '\\' => match chars.next()? {
                (_, q @ ('\'' | '\\')) => out.push(q),
                (_, other) => {
                    out.push('\\');
                    out.push(other);
                }
            },
            c => out.push(c),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const PO: &str = r#"# a comment
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"

msgctxt "block title"
msgid "civickit widget"
msgstr "civickit-Widget"

msgid "Say \"hi\""
msgstr "Sag "
"„hallo“"

msgid "Not yet"
msgstr ""
"#;

    #[test]
    fn po_entries_with_context_continuations_and_escapes() {
        let e = parse_po(PO).unwrap();
        assert_eq!(e[""], "Content-Type: text/plain; charset=UTF-8\n");
        assert_eq!(e["block title\u{4}civickit widget"], "civickit-Widget");
        assert_eq!(e["Say \"hi\""], "Sag „hallo“");
        assert!(
            !e.contains_key("Not yet"),
            "untranslated entries are left out"
        );
        assert!(parse_po("msgid_plural \"x\"").is_err());
    }

    #[test]
    fn mo_tables_point_at_the_sorted_strings() {
        let e = parse_po(PO).unwrap();
        let mo = write_mo(&e);
        let word = |at: usize| u32::from_le_bytes(mo[at..at + 4].try_into().unwrap()) as usize;
        assert_eq!(word(0), 0x9504_12de);
        assert_eq!(word(8), e.len());
        let (originals, translations) = (word(12), word(16));
        let string = |table: usize, i: usize| {
            let (len, at) = (word(table + 8 * i), word(table + 8 * i + 4));
            assert_eq!(mo[at + len], 0, "NUL after each string");
            std::str::from_utf8(&mo[at..at + len]).unwrap().to_string()
        };
        let pairs: Vec<(String, String)> = (0..e.len())
            .map(|i| (string(originals, i), string(translations, i)))
            .collect();
        let expected: Vec<(String, String)> =
            e.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        assert_eq!(pairs, expected);
        assert_eq!(pairs[0].0, "", "the header first, as gettext sorts");
    }

    #[test]
    fn php_texts_of_the_domain_only() {
        let php = r#"<?php
            echo esc_html__( 'Town’s \'name\'', 'civickit' );
            $x = __( 'Settings', 'civickit' ) . __('Other', 'default') . my__( 'No', 'civickit' );
            esc_html_e( 'In posts', 'civickit' );
            sprintf( __( 'civickit: “%s” (poll="…").', 'civickit' ), $v );
        "#;
        assert_eq!(
            php_texts(php, "civickit"),
            [
                "Town’s 'name'",
                "Settings",
                "In posts",
                "civickit: “%s” (poll=\"…\")."
            ]
        );
    }
}
