//! The embed page (`pages/embed/`). German first, English second. `{server}` and `{town}`
//! stand for this server's address and the town's short name.

use civickit_model::Lang;

pub struct EmbedTexts {
    pub heading: &'static str,
    pub intro: &'static str,
    pub form: &'static str,
    pub form_element: &'static str,
    pub form_div: &'static str,
    pub form_shortcode: &'static str,
    pub hint_element: &'static str,
    pub hint_div: &'static str,
    pub hint_shortcode: &'static str,
    pub language: &'static str,
    pub german: &'static str,
    pub english: &'static str,
    pub reports: &'static str,
    pub mailbox: &'static str,
    pub poll: &'static str,
    pub poll_hint: &'static str,
    pub copy: &'static str,
    pub wordpress_heading: &'static str,
    pub wordpress_download: &'static str,
    pub wordpress_steps: [&'static str; 4],
    pub preview_heading: &'static str,
    pub preview_hint: &'static str,
    pub preview_widget: &'static str,
    pub preview_title: &'static str,
}

pub static DE: EmbedTexts = EmbedTexts {
    heading: "Widgets einbinden",
    intro: "Wählen Sie, wie Ihr CMS den Code aufnimmt, und kopieren Sie ihn in eine Seite. Anleitungen für WordPress, TYPO3 und Joomla, auch zur Content-Security-Policy, stehen im README von civickit (Abschnitt „Embedding“).",
    form: "Form des Codes",
    form_element: "Script und Element (HTML, TYPO3, Joomla, WordPress als Administrator)",
    form_div: "Script und <div> (für Editoren, die unbekannte Elemente entfernen)",
    form_shortcode: "WordPress-Shortcode (mit dem civickit-Plugin, für alle Rollen)",
    hint_element: "Das Script-Tag genügt einmal pro Seite, auch für mehrere Widgets.",
    hint_div: "Entfernt der Editor auch das Script-Tag, binden Sie es einmal im Seiten-Template ein; das <div> bleibt im Inhalt.",
    hint_shortcode: "Schreiben Sie den Shortcode in einen Beitrag oder eine Seite, oder fügen Sie den Block „civickit-Widget“ ein. Das Plugin lädt das Script selbst, nur auf Seiten mit Widget.",
    language: "Sprache der Widgets",
    german: "Deutsch",
    english: "Englisch",
    reports: "Mängelmelder",
    mailbox: "Bürgerbriefkasten",
    poll: "Umfrage",
    poll_hint: "Ersetzen Sie UMFRAGE-ID durch die Kennung der Umfrage.",
    copy: "Code kopieren",
    wordpress_heading: "WordPress-Plugin",
    wordpress_download: "Plugin herunterladen (civickit-wordpress.zip)",
    wordpress_steps: [
        "In WordPress als Administrator: Plugins → Installieren → Plugin hochladen, die Datei wählen, installieren und aktivieren.",
        "Einstellungen → civickit: Adresse des civickit-Servers {server}, Standard-Gemeinde {town}.",
        "In Beiträgen und Seiten den Block „civickit-Widget“ oder einen Shortcode von oben einfügen.",
        "Die Adresse Ihrer Website muss auf der Seite „Gemeinde“ unter „Erlaubte Websites (Herkünfte)“ stehen.",
    ],
    preview_heading: "Vorschau",
    preview_hint: "So erscheint das Widget auf einer Seite in der gewählten Form. Es übernimmt die Schrift Ihrer Seite; --civic-font, --civic-accent und --civic-radius im CSS Ihrer Seite ändern Schrift, Farbe und Ecken.",
    preview_widget: "Widget in der Vorschau",
    preview_title: "Vorschau des Widgets",
};

pub static EN: EmbedTexts = EmbedTexts {
    heading: "Embed the widgets",
    intro: "Choose how your CMS takes the code, and copy it into a page. Guides for WordPress, TYPO3 and Joomla, also on the Content-Security-Policy, are in civickit's README (section “Embedding”).",
    form: "Form of the code",
    form_element: "Script and element (HTML, TYPO3, Joomla, WordPress as administrator)",
    form_div: "Script and <div> (for editors that remove unknown elements)",
    form_shortcode: "WordPress shortcode (with the civickit plugin, for every role)",
    hint_element: "The script tag is needed once per page, also for several widgets.",
    hint_div: "If the editor removes the script tag too, put it once into the page template; the <div> stays in the content.",
    hint_shortcode: "Write the shortcode into a post or page, or add the block “civickit widget”. The plugin loads the script itself, only on pages with a widget.",
    language: "Language of the widgets",
    german: "German",
    english: "English",
    reports: "Defect reporter",
    mailbox: "Citizen mailbox",
    poll: "Poll",
    poll_hint: "Replace UMFRAGE-ID with the poll's id.",
    copy: "Copy code",
    wordpress_heading: "WordPress plugin",
    wordpress_download: "Download the plugin (civickit-wordpress.zip)",
    wordpress_steps: [
        "In WordPress as administrator: Plugins → Add New → Upload Plugin, choose the file, install and activate it.",
        "Settings → civickit: address of the civickit server {server}, default town {town}.",
        "In posts and pages, add the block “civickit widget” or a shortcode from above.",
        "Your website's address must be under “Allowed websites (origins)” on the “Town” page.",
    ],
    preview_heading: "Preview",
    preview_hint: "This is how the widget appears on a page in the chosen form. It takes your page's font; --civic-font, --civic-accent and --civic-radius in your page's CSS change font, colour and corners.",
    preview_widget: "Widget in the preview",
    preview_title: "Preview of the widget",
};

pub fn embed_texts(lang: Lang) -> &'static EmbedTexts {
    match lang {
        Lang::De => &DE,
        Lang::En => &EN,
    }
}
