//! Every CSV the product writes goes through [`cell`]: quoted where the format needs it, and
//! neutralised against formula injection (CSV injection, OWASP): a spreadsheet runs a cell that
//! starts with `=`, `+`, `-` or `@` (or a tab or carriage return before one) as a formula, so a
//! citizen's description `=HYPERLINK("http://x","y")` would become a live link in the office's
//! Excel. Such a cell gets a leading `'`, which spreadsheets show as text. Numbers the server
//! formats itself (ids, counts, coordinates) are written as they are and stay numbers.
//! (Named `csv_out` so it is not confused with the `csv` crate that reads imports.)

/// One text cell: neutralised, then quoted if it holds a separator, quote or line break.
/// `;` is quoted too, for spreadsheets in German locales that split on it.
pub fn cell(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_string()
    };
    if value.contains([',', ';', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn plain_text_stays_as_it_is() {
        assert_eq!(cell("plain"), "plain");
        assert_eq!(cell(""), "");
        assert_eq!(cell("Laterne 3 ist dunkel."), "Laterne 3 ist dunkel.");
    }

    #[test]
    fn separators_quotes_and_line_breaks_are_quoted() {
        assert_eq!(cell("a,b"), "\"a,b\"");
        assert_eq!(cell("a;b"), "\"a;b\"");
        assert_eq!(
            cell("sagt \"hallo\"\nzweite"),
            "\"sagt \"\"hallo\"\"\nzweite\""
        );
    }

    #[test]
    fn formula_starts_are_neutralised() {
        assert_eq!(
            cell("=HYPERLINK(\"http://x\",\"y\")"),
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""
        );
        assert_eq!(cell("+49 661 1234"), "'+49 661 1234");
        assert_eq!(cell("-1+1"), "'-1+1");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("\t=1+1"), "'\t=1+1");
        assert_eq!(cell("\r=1+1"), "\"'\r=1+1\"");
    }

    #[test]
    fn a_formula_sign_later_in_the_text_is_harmless() {
        assert_eq!(cell("a=b"), "a=b");
        assert_eq!(cell("Mail an x@y.de"), "Mail an x@y.de");
    }
}
