//! A statement's plain text as HTML: blocks apart by blank lines; in a block, a line `## …` is
//! a heading (`h2`), lines `- …` a list, other lines a paragraph (kept line by line, as an
//! address is written). Every character of the text is escaped; the only markup is ours:
//! headings, lists, paragraphs, line breaks, links for http(s) URLs and e-mail addresses, and
//! a `mark` around the placeholder of a field the town has not filled in.

use super::placeholder;
use civickit_model::api::office::is_web_link;
use civickit_model::validate::is_valid_email;
use civickit_model::Lang;
use quick_xml::escape::escape;
use std::fmt::Write;

enum Line<'a> {
    Heading(&'a str),
    Item(&'a str),
    Text(&'a str),
}

fn classify(line: &str) -> Line<'_> {
    if let Some(h) = line.strip_prefix("## ") {
        Line::Heading(h.trim())
    } else if let Some(i) = line.strip_prefix("- ") {
        Line::Item(i.trim())
    } else {
        Line::Text(line.trim())
    }
}

pub fn to_html(text: &str) -> String {
    let mut html = String::with_capacity(text.len() * 2);
    let text = text.replace("\r\n", "\n");
    for block in text.split("\n\n") {
        let lines: Vec<Line> = block
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(classify)
            .collect();
        let mut i = 0;
        while i < lines.len() {
            match lines[i] {
                Line::Heading(h) => {
                    let _ = write!(html, "<h2>{}</h2>", inline(h));
                    i += 1;
                }
                Line::Item(_) => {
                    html.push_str("<ul>");
                    while let Some(Line::Item(item)) = lines.get(i) {
                        let _ = write!(html, "<li>{}</li>", inline(item));
                        i += 1;
                    }
                    html.push_str("</ul>");
                }
                Line::Text(_) => {
                    html.push_str("<p>");
                    let mut first = true;
                    while let Some(Line::Text(t)) = lines.get(i) {
                        if !first {
                            html.push_str("<br>");
                        }
                        html.push_str(&inline(t));
                        first = false;
                        i += 1;
                    }
                    html.push_str("</p>");
                }
            }
        }
    }
    html
}

/// One line's text, escaped, with its links and placeholders.
fn inline(text: &str) -> String {
    let marks = [placeholder(Lang::De), placeholder(Lang::En)];
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while !rest.is_empty() {
        let next = marks
            .iter()
            .filter_map(|m| rest.find(m).map(|at| (at, *m)))
            .min_by_key(|(at, _)| *at);
        match next {
            Some((at, mark)) => {
                out.push_str(&words(&rest[..at]));
                let _ = write!(out, "<mark>{}</mark>", escape(mark));
                rest = &rest[at + mark.len()..];
            }
            None => {
                out.push_str(&words(rest));
                rest = "";
            }
        }
    }
    out
}

/// Escaped words; a word that is an http(s) link or an e-mail address (without the
/// punctuation around it) becomes a link.
fn words(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for (n, word) in text.split(' ').enumerate() {
        if n > 0 {
            out.push(' ');
        }
        let core = word
            .trim_start_matches(['(', '„', '“'])
            .trim_end_matches(['.', ',', ';', ':', ')', '!', '?', '“', '”']);
        let href = if core.starts_with("http://") || core.starts_with("https://") {
            is_web_link(core).then(|| core.to_string())
        } else if core.contains('@') && is_valid_email(core) {
            Some(format!("mailto:{core}"))
        } else {
            None
        };
        match href {
            Some(href) if !core.is_empty() => {
                let start = word.find(core).unwrap_or(0);
                let (before, after) = (&word[..start], &word[start + core.len()..]);
                let _ = write!(
                    out,
                    "{}<a href=\"{}\">{}</a>{}",
                    escape(before),
                    escape(href.as_str()),
                    escape(core),
                    escape(after)
                );
            }
            _ => out.push_str(&escape(word)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::to_html;

    #[test]
    fn headings_lists_and_paragraphs() {
        let html = to_html("## Zweck\n\nErste Zeile\nzweite Zeile\n- eins\n- zwei\n\nEnde.");
        assert_eq!(
            html,
            "<h2>Zweck</h2><p>Erste Zeile<br>zweite Zeile</p><ul><li>eins</li><li>zwei</li></ul><p>Ende.</p>"
        );
    }

    #[test]
    fn markup_is_text() {
        let html = to_html("<script>alert(1)</script> & <b>fett</b>\n## <i>x</i>");
        assert_eq!(
            html,
            "<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;fett&lt;/b&gt;</p><h2>&lt;i&gt;x&lt;/i&gt;</h2>"
        );
    }

    #[test]
    fn links_and_addresses_become_links_placeholders_are_marked() {
        let html = to_html(
            "Siehe https://example.org/a?b=1&c=2. Post an (barrierefrei@musterstadt.de), \
             javascript:alert(1) bleibt Text: [von der Gemeinde zu ergänzen]",
        );
        assert_eq!(
            html,
            "<p>Siehe <a href=\"https://example.org/a?b=1&amp;c=2\">https://example.org/a?b=1&amp;c=2</a>. \
             Post an (<a href=\"mailto:barrierefrei@musterstadt.de\">barrierefrei@musterstadt.de</a>), \
             javascript:alert(1) bleibt Text: <mark>[von der Gemeinde zu ergänzen]</mark></p>"
        );
    }
}
