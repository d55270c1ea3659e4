//! The code a webmaster pastes, in each form the embed page offers, and the preview's page.

use civickit_model::Lang;

/// How the town's CMS takes the code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    /// `<script>` and `<civic-reports>`: plain HTML, TYPO3, Joomla, WordPress's administrators.
    Element,
    /// `<script>` and `<div data-civic-widget>`, for editors that remove unknown elements.
    Div,
    /// `[civickit …]` for the WordPress plugin, which every role may write.
    Shortcode,
}

impl Form {
    pub const ALL: [Form; 3] = [Form::Element, Form::Div, Form::Shortcode];

    /// The value of the form's choice in the page's select.
    pub fn key(self) -> &'static str {
        match self {
            Form::Element => "element",
            Form::Div => "div",
            Form::Shortcode => "shortcode",
        }
    }

    pub fn from_key(key: &str) -> Form {
        Form::ALL
            .into_iter()
            .find(|f| f.key() == key)
            .unwrap_or(Form::Element)
    }
}

/// The widgets by the names the loader and the plugin use.
pub const WIDGETS: [&str; 4] = ["reports", "mailbox", "poll", "stats"];
/// What the poll's code holds until the webmaster puts the poll's id in.
pub const POLL_PLACEHOLDER: &str = "UMFRAGE-ID";

/// The code for `widget` of `tenant` in `form`, the loader named by this server's `origin`.
pub fn snippet(form: Form, widget: &str, origin: &str, tenant: &str, lang: Lang) -> String {
    if form == Form::Shortcode {
        let poll = if widget == "poll" {
            format!(" poll=\"{POLL_PLACEHOLDER}\"")
        } else {
            String::new()
        };
        // The language always: without it the plugin follows the WordPress site's language.
        return format!(
            "[civickit widget=\"{widget}\" tenant=\"{}\"{poll} lang=\"{}\"]",
            attribute(tenant),
            lang.code()
        );
    }
    format!(
        "<script src=\"{}/widgets/civic.js\" defer></script>\n{}",
        attribute(origin),
        element(form, widget, tenant, lang)
    )
}

/// The widget's element alone; for the shortcode, the element the plugin writes.
fn element(form: Form, widget: &str, tenant: &str, lang: Lang) -> String {
    let mut attributes = format!(" data-tenant=\"{}\"", attribute(tenant));
    if widget == "poll" {
        attributes += &format!(" data-poll=\"{POLL_PLACEHOLDER}\"");
    }
    if lang != Lang::De {
        attributes += &format!(" data-lang=\"{}\"", lang.code());
    }
    match form {
        Form::Div => format!("<div data-civic-widget=\"{widget}\"{attributes}></div>"),
        Form::Element | Form::Shortcode => {
            format!("<civic-{widget}{attributes}></civic-{widget}>")
        }
    }
}

/// The page the preview frame shows: the form's code (for the shortcode, what the plugin puts
/// on the page) in a plain page whose font the widget takes.
pub fn preview_page(form: Form, widget: &str, origin: &str, tenant: &str, lang: Lang) -> String {
    let code = match form {
        Form::Shortcode => snippet(Form::Element, widget, origin, tenant, lang),
        _ => snippet(form, widget, origin, tenant, lang),
    };
    format!(
        "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"></head><body style=\"margin:0;font-family:sans-serif\">{code}</body></html>",
        lang.code()
    )
}

/// A value for a double-quoted HTML attribute. Short names and origins hold none of these
/// characters; the preview shows the code as HTML on the office's origin, so it is made sure.
fn attribute(value: &str) -> String {
    value
        .replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    const ORIGIN: &str = "https://buerger.example";

    #[test]
    fn the_element_form_names_the_loader_and_the_town() {
        assert_eq!(
            snippet(Form::Element, "reports", ORIGIN, "musterstadt", Lang::De),
            "<script src=\"https://buerger.example/widgets/civic.js\" defer></script>\n<civic-reports data-tenant=\"musterstadt\"></civic-reports>"
        );
        assert!(snippet(Form::Element, "poll", ORIGIN, "t", Lang::De)
            .ends_with("<civic-poll data-tenant=\"t\" data-poll=\"UMFRAGE-ID\"></civic-poll>"));
        assert!(snippet(Form::Element, "mailbox", ORIGIN, "t", Lang::En)
            .ends_with("<civic-mailbox data-tenant=\"t\" data-lang=\"en\"></civic-mailbox>"));
    }

    #[test]
    fn the_div_form_keeps_the_loader_and_names_the_widget_in_data() {
        assert_eq!(
            snippet(Form::Div, "mailbox", ORIGIN, "musterstadt", Lang::En),
            "<script src=\"https://buerger.example/widgets/civic.js\" defer></script>\n<div data-civic-widget=\"mailbox\" data-tenant=\"musterstadt\" data-lang=\"en\"></div>"
        );
    }

    #[test]
    fn the_shortcode_names_widget_town_poll_and_language_and_no_server() {
        assert_eq!(
            snippet(Form::Shortcode, "reports", ORIGIN, "musterstadt", Lang::De),
            "[civickit widget=\"reports\" tenant=\"musterstadt\" lang=\"de\"]"
        );
        assert_eq!(
            snippet(Form::Shortcode, "poll", ORIGIN, "musterstadt", Lang::En),
            "[civickit widget=\"poll\" tenant=\"musterstadt\" poll=\"UMFRAGE-ID\" lang=\"en\"]"
        );
    }

    #[test]
    fn the_preview_of_a_shortcode_is_the_element_the_plugin_writes() {
        let page = preview_page(Form::Shortcode, "reports", ORIGIN, "musterstadt", Lang::En);
        assert!(page.contains("<html lang=\"en\">"));
        assert!(page.contains("<script src=\"https://buerger.example/widgets/civic.js\" defer></script>\n<civic-reports data-tenant=\"musterstadt\" data-lang=\"en\"></civic-reports>"));
        assert!(!page.contains("[civickit"));
    }

    #[test]
    fn values_cannot_leave_their_attribute() {
        let code = snippet(Form::Div, "reports", ORIGIN, "x\"><script>", Lang::De);
        assert!(code.contains("data-tenant=\"x&quot;&gt;&lt;script&gt;\""));
        assert_eq!(code.matches("<script").count(), 1);
        assert_eq!(Form::from_key("shortcode"), Form::Shortcode);
        assert_eq!(Form::from_key("nonsense"), Form::Element);
    }
}
