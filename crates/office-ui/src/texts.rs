//! Every text of the office page, one table per language (German first, English second).
//! State and close-reason labels come from civickit-model so that office, widgets and server
//! say the same words.

use civickit_model::{Lang, Status};

pub struct Texts {
    pub app_title: &'static str,
    pub skip_link: &'static str,
    /// The label of the language switch: the *other* language, in that language.
    pub other_lang: &'static str,
    pub other_lang_label: &'static str,
    pub loading: &'static str,
    pub busy: &'static str,

    pub login_heading: &'static str,
    pub login_intro: &'static str,
    pub email: &'static str,
    pub password: &'static str,
    pub tenant: &'static str,
    pub tenant_hint: &'static str,
    pub login_button: &'static str,
    pub login_wrong: &'static str,
    pub login_throttled: &'static str,
    pub login_need_tenant: &'static str,
    pub login_unknown_tenant: &'static str,
    pub session_expired: &'static str,
    pub logged_out: &'static str,
    pub logged_out_everywhere: &'static str,

    pub signed_in_as: &'static str,
    pub role_admin: &'static str,
    pub role_editor: &'static str,
    pub logout: &'static str,
    pub logout_everywhere: &'static str,
    pub nav_label: &'static str,
    pub nav_reports: &'static str,
    pub nav_embed: &'static str,
    pub nav_settings: &'static str,
    pub nav_audit: &'static str,

    pub inbox_heading: &'static str,
    pub filters_label: &'static str,
    pub filter_state: &'static str,
    pub filter_category: &'static str,
    pub filter_department: &'static str,
    pub filter_overdue: &'static str,
    pub all: &'static str,
    pub search_label: &'static str,
    pub search_hint: &'static str,
    pub search_button: &'static str,
    pub reset_filters: &'static str,
    pub sort_label: &'static str,
    pub sort_newest: &'static str,
    pub sort_oldest: &'static str,
    pub sort_updated: &'static str,
    pub no_reports: &'static str,
    pub prev_page: &'static str,
    pub next_page: &'static str,
    pub overdue_badge: &'static str,
    pub hidden_badge: &'static str,
    pub supporters: &'static str,
    pub no_department: &'static str,

    pub pick_report: &'static str,
    pub back_to_list: &'static str,
    pub reference: &'static str,
    pub state: &'static str,
    pub category: &'static str,
    pub department: &'static str,
    pub created: &'static str,
    pub updated: &'static str,
    pub location: &'static str,
    pub reporter_mail: &'static str,
    pub mail_none: &'static str,
    pub mail_unconfirmed: &'static str,
    pub mail_confirmed: &'static str,
    pub mail_unsubscribed: &'static str,
    pub close_reason: &'static str,
    pub duplicate_of_label: &'static str,
    pub description_heading: &'static str,
    pub original_heading: &'static str,
    pub original_hint: &'static str,
    pub history_heading: &'static str,
    pub note_public: &'static str,
    pub note_internal: &'static str,
    pub no_notes: &'static str,

    pub status_heading: &'static str,
    pub new_state: &'static str,
    pub choose: &'static str,
    pub template_label: &'static str,
    pub template_hint: &'static str,
    pub public_note: &'static str,
    pub public_note_hint: &'static str,
    pub internal_note_optional: &'static str,
    pub internal_note_hint: &'static str,
    pub reason: &'static str,
    pub duplicate_of: &'static str,
    pub duplicate_hint: &'static str,
    pub save_status: &'static str,
    pub status_saved: &'static str,
    pub category_heading: &'static str,
    pub category_hint: &'static str,
    pub save_category: &'static str,
    pub category_saved: &'static str,
    pub department_heading: &'static str,
    pub save_department: &'static str,
    pub department_saved: &'static str,
    pub routed_away: &'static str,
    pub description_edit_heading: &'static str,
    pub description_edit_hint: &'static str,
    pub save_description: &'static str,
    pub description_saved: &'static str,
    pub visibility_heading: &'static str,
    pub visible_now: &'static str,
    pub hidden_now: &'static str,
    pub hide: &'static str,
    pub unhide: &'static str,
    pub hidden_saved: &'static str,
    pub unhidden_saved: &'static str,
    pub internal_note_heading: &'static str,
    pub internal_note: &'static str,
    pub add_note: &'static str,
    pub note_saved: &'static str,

    pub settings_heading: &'static str,
    pub premoderation: &'static str,
    pub premoderation_hint: &'static str,
    pub response_days: &'static str,
    pub response_days_hint: &'static str,
    pub save_settings: &'static str,
    pub settings_saved: &'static str,

    pub audit_heading: &'static str,
    pub audit_time: &'static str,
    pub audit_user: &'static str,
    pub audit_action: &'static str,
    pub audit_subject: &'static str,
    pub audit_change: &'static str,
    pub audit_empty: &'static str,
    pub audit_system: &'static str,

    pub embed_heading: &'static str,
    pub embed_intro: &'static str,
    pub embed_reports: &'static str,
    pub embed_mailbox: &'static str,
    pub embed_poll: &'static str,
    pub embed_poll_hint: &'static str,
    pub copy: &'static str,
    pub copied: &'static str,
    pub copy_failed: &'static str,
    pub preview_heading: &'static str,
    pub preview_hint: &'static str,
    pub preview_title: &'static str,

    pub err_network: &'static str,
    pub err_forbidden: &'static str,
    pub err_not_found: &'static str,
    pub err_conflict: &'static str,
    pub err_rate_limited: &'static str,
    pub err_check_fields: &'static str,
    pub err_generic: &'static str,
    pub code_required: &'static str,
    pub code_too_long: &'static str,
    pub code_invalid_value: &'static str,
    pub code_unknown_category: &'static str,
    pub code_duplicate_unknown: &'static str,
}

pub const DE: Texts = Texts {
    app_title: "civickit Office",
    skip_link: "Zum Inhalt springen",
    other_lang: "English",
    other_lang_label: "Switch to English",
    loading: "Wird geladen …",
    busy: "Bitte warten …",

    login_heading: "Anmeldung für Mitarbeitende",
    login_intro: "Melden Sie sich mit Ihrer dienstlichen E-Mail-Adresse an.",
    email: "E-Mail-Adresse",
    password: "Passwort",
    tenant: "Gemeinde (Kürzel)",
    tenant_hint: "Dieser Server betreut mehrere Gemeinden. Geben Sie das Kürzel Ihrer Gemeinde an, z. B. musterstadt.",
    login_button: "Anmelden",
    login_wrong: "E-Mail-Adresse oder Passwort ist falsch. Bitte prüfen Sie Ihre Eingaben.",
    login_throttled: "Zu viele fehlgeschlagene Anmeldungen. Bitte warten Sie 15 Minuten und versuchen Sie es dann erneut.",
    login_need_tenant: "Bitte geben Sie zusätzlich Ihre Gemeinde an.",
    login_unknown_tenant: "Diese Gemeinde kennt der Server nicht. Bitte prüfen Sie das Kürzel.",
    session_expired: "Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an.",
    logged_out: "Sie wurden abgemeldet.",
    logged_out_everywhere: "Sie wurden auf allen Geräten abgemeldet.",

    signed_in_as: "Angemeldet als",
    role_admin: "Administration",
    role_editor: "Sachbearbeitung",
    logout: "Abmelden",
    logout_everywhere: "Überall abmelden",
    nav_label: "Bereiche",
    nav_reports: "Meldungen",
    nav_embed: "Einbinden",
    nav_settings: "Einstellungen",
    nav_audit: "Protokoll",

    inbox_heading: "Meldungen",
    filters_label: "Meldungen filtern",
    filter_state: "Status",
    filter_category: "Kategorie",
    filter_department: "Abteilung",
    filter_overdue: "nur überfällige",
    all: "alle",
    search_label: "Suche",
    search_hint: "Aktenzeichen (z. B. M-2026-00042) oder Text",
    search_button: "Suchen",
    reset_filters: "Filter zurücksetzen",
    sort_label: "Sortierung",
    sort_newest: "neueste zuerst",
    sort_oldest: "älteste zuerst",
    sort_updated: "zuletzt geändert",
    no_reports: "Keine Meldungen gefunden.",
    prev_page: "Vorherige Seite",
    next_page: "Nächste Seite",
    overdue_badge: "überfällig",
    hidden_badge: "verborgen",
    supporters: "Unterstützer",
    no_department: "keine Abteilung",

    pick_report: "Wählen Sie links eine Meldung aus, um sie zu bearbeiten.",
    back_to_list: "Zurück zur Liste",
    reference: "Aktenzeichen",
    state: "Status",
    category: "Kategorie",
    department: "Abteilung",
    created: "Eingegangen",
    updated: "Zuletzt geändert",
    location: "Ort",
    reporter_mail: "Benachrichtigung per E-Mail",
    mail_none: "keine E-Mail-Adresse angegeben",
    mail_unconfirmed: "Adresse noch nicht bestätigt",
    mail_confirmed: "bestätigt: die meldende Person erhält Statusmails",
    mail_unsubscribed: "abbestellt",
    close_reason: "Grund",
    duplicate_of_label: "Doppelte Meldung von",
    description_heading: "Beschreibung (öffentlich)",
    original_heading: "Ursprüngliche Beschreibung (nur intern)",
    original_hint: "Die öffentliche Beschreibung wurde bearbeitet; das Original sehen nur Mitarbeitende.",
    history_heading: "Verlauf",
    note_public: "öffentlich",
    note_internal: "intern",
    no_notes: "Noch keine Einträge.",

    status_heading: "Status ändern",
    new_state: "Neuer Status",
    choose: "– bitte wählen –",
    template_label: "Textbaustein",
    template_hint: "Übernimmt den Text in die öffentliche Mitteilung; Sie können ihn danach anpassen.",
    public_note: "Öffentliche Mitteilung",
    public_note_hint: "Sieht jeder auf der Karte; die meldende Person erhält sie per E-Mail. Keine personenbezogenen Daten.",
    internal_note_optional: "Interne Notiz (optional)",
    internal_note_hint: "Nur für Mitarbeitende sichtbar.",
    reason: "Grund für den Abschluss",
    duplicate_of: "Aktenzeichen der ursprünglichen Meldung",
    duplicate_hint: "z. B. M-2026-00042",
    save_status: "Status speichern",
    status_saved: "Status gespeichert.",
    category_heading: "Kategorie ändern",
    category_hint: "Die Meldung geht dabei an die Abteilung, die für die neue Kategorie zuständig ist.",
    save_category: "Kategorie speichern",
    category_saved: "Kategorie gespeichert.",
    department_heading: "An Abteilung weiterleiten",
    save_department: "Weiterleiten",
    department_saved: "Meldung weitergeleitet.",
    routed_away: "Die Meldung wurde an eine andere Abteilung weitergeleitet und ist für Sie nicht mehr sichtbar.",
    description_edit_heading: "Öffentliche Beschreibung bearbeiten",
    description_edit_hint: "Zum Entfernen personenbezogener Daten. Das Original bleibt intern erhalten.",
    save_description: "Beschreibung speichern",
    description_saved: "Beschreibung gespeichert.",
    visibility_heading: "Sichtbarkeit",
    visible_now: "Die Meldung ist öffentlich sichtbar.",
    hidden_now: "Die Meldung ist verborgen: sie erscheint nicht auf der Karte, in Listen oder Open311.",
    hide: "Meldung verbergen",
    unhide: "Meldung wieder anzeigen",
    hidden_saved: "Meldung verborgen.",
    unhidden_saved: "Meldung wieder sichtbar.",
    internal_note_heading: "Interne Notiz hinzufügen",
    internal_note: "Interne Notiz",
    add_note: "Notiz speichern",
    note_saved: "Notiz gespeichert.",

    settings_heading: "Einstellungen",
    premoderation: "Vorab-Moderation: neue Meldungen erst nach Prüfung veröffentlichen",
    premoderation_hint: "Neue Meldungen erhalten den Status „wird geprüft“ und sind bis zur Freigabe nicht öffentlich.",
    response_days: "Reaktionsfrist in Tagen",
    response_days_hint: "Unbearbeitete Meldungen gelten danach als überfällig (1 bis 60 Tage).",
    save_settings: "Einstellungen speichern",
    settings_saved: "Einstellungen gespeichert.",

    audit_heading: "Protokoll",
    audit_time: "Zeit",
    audit_user: "Wer",
    audit_action: "Aktion",
    audit_subject: "Betrifft",
    audit_change: "Änderung",
    audit_empty: "Noch keine Einträge.",
    audit_system: "System",

    embed_heading: "Widgets einbinden",
    embed_intro: "Kopieren Sie den Code in eine beliebige Seite Ihres CMS (TYPO3, WordPress, Joomla, HTML). Das Script-Tag genügt einmal pro Seite.",
    embed_reports: "Mängelmelder",
    embed_mailbox: "Bürgerbriefkasten",
    embed_poll: "Umfrage",
    embed_poll_hint: "Ersetzen Sie UMFRAGE-ID durch die Kennung der Umfrage.",
    copy: "Code kopieren",
    copied: "Code in die Zwischenablage kopiert.",
    copy_failed: "Kopieren nicht möglich: Bitte markieren Sie den Code und drücken Sie Strg+C.",
    preview_heading: "Vorschau des Mängelmelders",
    preview_hint: "So erscheint der Mängelmelder auf Ihrer Seite.",
    preview_title: "Vorschau: Mängelmelder",

    err_network: "Der Server ist nicht erreichbar. Bitte prüfen Sie die Verbindung und versuchen Sie es erneut.",
    err_forbidden: "Dafür fehlt Ihnen die Berechtigung.",
    err_not_found: "Nicht gefunden (oder nicht in Ihrer Abteilung).",
    err_conflict: "Die Meldung ist bereits in diesem Status oder wurde gerade geändert. Bitte laden Sie sie neu.",
    err_rate_limited: "Zu viele Anfragen. Bitte warten Sie einen Moment.",
    err_check_fields: "Bitte prüfen Sie die markierten Felder.",
    err_generic: "Ein Fehler ist aufgetreten. Bitte versuchen Sie es erneut.",
    code_required: "Bitte ausfüllen.",
    code_too_long: "Der Text ist zu lang.",
    code_invalid_value: "Dieser Wert ist nicht zulässig.",
    code_unknown_category: "Unbekannte Kategorie.",
    code_duplicate_unknown: "Eine Meldung mit diesem Aktenzeichen gibt es nicht.",
};

pub const EN: Texts = Texts {
    app_title: "civickit office",
    skip_link: "Skip to content",
    other_lang: "Deutsch",
    other_lang_label: "Auf Deutsch umschalten",
    loading: "Loading …",
    busy: "Please wait …",

    login_heading: "Staff login",
    login_intro: "Log in with your work e-mail address.",
    email: "E-mail address",
    password: "Password",
    tenant: "Municipality (short name)",
    tenant_hint: "This server hosts several municipalities. Enter your municipality's short name, e.g. musterstadt.",
    login_button: "Log in",
    login_wrong: "E-mail address or password is wrong. Please check what you typed.",
    login_throttled: "Too many failed logins. Please wait 15 minutes, then try again.",
    login_need_tenant: "Please also enter your municipality.",
    login_unknown_tenant: "The server does not know this municipality. Please check the short name.",
    session_expired: "Your session has expired. Please log in again.",
    logged_out: "You have been logged out.",
    logged_out_everywhere: "You have been logged out on all devices.",

    signed_in_as: "Logged in as",
    role_admin: "administrator",
    role_editor: "editor",
    logout: "Log out",
    logout_everywhere: "Log out everywhere",
    nav_label: "Sections",
    nav_reports: "Reports",
    nav_embed: "Embed",
    nav_settings: "Settings",
    nav_audit: "Audit log",

    inbox_heading: "Reports",
    filters_label: "Filter reports",
    filter_state: "State",
    filter_category: "Category",
    filter_department: "Department",
    filter_overdue: "overdue only",
    all: "all",
    search_label: "Search",
    search_hint: "Reference (e.g. M-2026-00042) or text",
    search_button: "Search",
    reset_filters: "Reset filters",
    sort_label: "Sort",
    sort_newest: "newest first",
    sort_oldest: "oldest first",
    sort_updated: "recently changed",
    no_reports: "No reports found.",
    prev_page: "Previous page",
    next_page: "Next page",
    overdue_badge: "overdue",
    hidden_badge: "hidden",
    supporters: "supporters",
    no_department: "no department",

    pick_report: "Pick a report from the list to work on it.",
    back_to_list: "Back to the list",
    reference: "Reference",
    state: "State",
    category: "Category",
    department: "Department",
    created: "Received",
    updated: "Last changed",
    location: "Location",
    reporter_mail: "E-mail notification",
    mail_none: "no e-mail address given",
    mail_unconfirmed: "address not confirmed yet",
    mail_confirmed: "confirmed: the reporter gets status mails",
    mail_unsubscribed: "unsubscribed",
    close_reason: "Reason",
    duplicate_of_label: "Duplicate of",
    description_heading: "Description (public)",
    original_heading: "Original description (internal only)",
    original_hint: "The public description was edited; only staff see the original.",
    history_heading: "History",
    note_public: "public",
    note_internal: "internal",
    no_notes: "No entries yet.",

    status_heading: "Change state",
    new_state: "New state",
    choose: "– please choose –",
    template_label: "Text template",
    template_hint: "Copies the text into the public note; you can edit it afterwards.",
    public_note: "Public note",
    public_note_hint: "Everyone sees it on the map; the reporter gets it by e-mail. No personal data.",
    internal_note_optional: "Internal note (optional)",
    internal_note_hint: "Visible to staff only.",
    reason: "Reason for closing",
    duplicate_of: "Reference of the original report",
    duplicate_hint: "e.g. M-2026-00042",
    save_status: "Save state",
    status_saved: "State saved.",
    category_heading: "Change category",
    category_hint: "The report then goes to the department responsible for the new category.",
    save_category: "Save category",
    category_saved: "Category saved.",
    department_heading: "Route to a department",
    save_department: "Route",
    department_saved: "Report routed.",
    routed_away: "The report was routed to another department and is no longer visible to you.",
    description_edit_heading: "Edit the public description",
    description_edit_hint: "To remove personal data. The original is kept internally.",
    save_description: "Save description",
    description_saved: "Description saved.",
    visibility_heading: "Visibility",
    visible_now: "The report is public.",
    hidden_now: "The report is hidden: it appears neither on the map, in lists nor in Open311.",
    hide: "Hide report",
    unhide: "Show report again",
    hidden_saved: "Report hidden.",
    unhidden_saved: "Report visible again.",
    internal_note_heading: "Add an internal note",
    internal_note: "Internal note",
    add_note: "Save note",
    note_saved: "Note saved.",

    settings_heading: "Settings",
    premoderation: "Pre-moderation: publish new reports only after review",
    premoderation_hint: "New reports get the state “under review” and stay private until released.",
    response_days: "Response time in days",
    response_days_hint: "Unprocessed reports count as overdue after this (1 to 60 days).",
    save_settings: "Save settings",
    settings_saved: "Settings saved.",

    audit_heading: "Audit log",
    audit_time: "Time",
    audit_user: "Who",
    audit_action: "Action",
    audit_subject: "Subject",
    audit_change: "Change",
    audit_empty: "No entries yet.",
    audit_system: "system",

    embed_heading: "Embed the widgets",
    embed_intro: "Copy the code into any page of your CMS (TYPO3, WordPress, Joomla, HTML). The script tag is needed once per page.",
    embed_reports: "Defect reporter",
    embed_mailbox: "Citizen mailbox",
    embed_poll: "Poll",
    embed_poll_hint: "Replace UMFRAGE-ID with the poll's id.",
    copy: "Copy code",
    copied: "Code copied to the clipboard.",
    copy_failed: "Copying is not possible: please select the code and press Ctrl+C.",
    preview_heading: "Preview of the defect reporter",
    preview_hint: "This is how the defect reporter appears on your page.",
    preview_title: "Preview: defect reporter",

    err_network: "The server cannot be reached. Please check the connection and try again.",
    err_forbidden: "You are not allowed to do that.",
    err_not_found: "Not found (or not in your department).",
    err_conflict: "The report already has this state or was just changed. Please reload it.",
    err_rate_limited: "Too many requests. Please wait a moment.",
    err_check_fields: "Please check the marked fields.",
    err_generic: "Something went wrong. Please try again.",
    code_required: "Please fill in.",
    code_too_long: "The text is too long.",
    code_invalid_value: "This value is not allowed.",
    code_unknown_category: "Unknown category.",
    code_duplicate_unknown: "There is no report with this reference.",
};

pub fn texts(lang: Lang) -> &'static Texts {
    match lang {
        Lang::De => &DE,
        Lang::En => &EN,
    }
}

/// Ready-made public notes per target state (the official can edit them before saving).
pub fn templates(lang: Lang, state: Status) -> &'static [&'static str] {
    match (lang, state) {
        (Lang::De, Status::Received) => &[
            "Vielen Dank für Ihre Meldung. Wir kümmern uns darum.",
        ],
        (Lang::De, Status::InProgress) => &[
            "Vielen Dank für Ihre Meldung. Die zuständige Stelle ist informiert und kümmert sich darum.",
            "Wir prüfen den Sachverhalt vor Ort.",
            "Der Auftrag ist an eine Fachfirma vergeben.",
        ],
        (Lang::De, Status::Resolved) => &[
            "Der Mangel wurde behoben. Vielen Dank für Ihren Hinweis!",
            "Die Reparatur ist erledigt.",
        ],
        (Lang::De, Status::Closed) => &[
            "Dieser Mangel wurde bereits gemeldet; wir bearbeiten die frühere Meldung.",
            "Hierfür ist die Stadt nicht zuständig. Wir haben die zuständige Stelle informiert.",
            "Leider kann der Mangel nicht behoben werden.",
        ],
        (Lang::En, Status::Received) => &["Thank you for your report. We are taking care of it."],
        (Lang::En, Status::InProgress) => &[
            "Thank you for your report. The responsible department has been informed and is taking care of it.",
            "We are checking the situation on site.",
            "A contractor has been commissioned.",
        ],
        (Lang::En, Status::Resolved) => &[
            "The defect has been fixed. Thank you for your report!",
            "The repair is done.",
        ],
        (Lang::En, Status::Closed) => &[
            "This defect has already been reported; we are working on the earlier report.",
            "The town is not responsible for this. We have informed the responsible body.",
            "Unfortunately the defect cannot be fixed.",
        ],
        (_, Status::PendingReview) => &[],
    }
}

/// "vor 3 Tagen" / "3 days ago" for an age in seconds.
pub fn age(lang: Lang, seconds: f64) -> String {
    let s = seconds.max(0.0) as i64;
    let (n, de_one, de_many, en_one, en_many) = if s < 60 {
        return lang.pick("gerade eben", "just now").to_string();
    } else if s < 3600 {
        (s / 60, "Minute", "Minuten", "minute", "minutes")
    } else if s < 86_400 {
        (s / 3600, "Stunde", "Stunden", "hour", "hours")
    } else {
        (s / 86_400, "Tag", "Tagen", "day", "days")
    };
    match lang {
        Lang::De => format!("vor {n} {}", if n == 1 { de_one } else { de_many }),
        Lang::En => format!("{n} {} ago", if n == 1 { en_one } else { en_many }),
    }
}

/// "12 Meldungen" / "12 reports", with "+" when there are more pages.
pub fn count(lang: Lang, n: usize, more: bool) -> String {
    let plus = if more { "+" } else { "" };
    match (lang, n) {
        (Lang::De, 1) => "1 Meldung".into(),
        (Lang::De, n) => format!("{n}{plus} Meldungen"),
        (Lang::En, 1) => "1 report".into(),
        (Lang::En, n) => format!("{n}{plus} reports"),
    }
}

/// A human name for an audit action, falling back to the action code.
pub fn audit_action(lang: Lang, action: &str) -> String {
    let (de, en) = match action {
        "report.status" => ("Status geändert", "state changed"),
        "report.category" => ("Kategorie geändert", "category changed"),
        "report.department" => ("weitergeleitet", "routed"),
        "report.description" => ("Beschreibung bearbeitet", "description edited"),
        "report.hide" => ("verborgen", "hidden"),
        "report.show" => ("wieder angezeigt", "shown again"),
        "report.note" => ("interne Notiz", "internal note"),
        "tenant.settings" => ("Einstellungen geändert", "settings changed"),
        other => return other.to_string(),
    };
    lang.pick(de, en).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_tables_fill_every_text() {
        // A missing field would not compile; an empty one would render nothing.
        for t in [&DE, &EN] {
            assert!(!t.login_wrong.is_empty() && !t.skip_link.is_empty());
        }
        assert_ne!(DE.login_button, EN.login_button);
    }

    #[test]
    fn every_public_state_has_templates_in_both_languages() {
        for lang in [Lang::De, Lang::En] {
            for s in Status::PUBLIC {
                assert!(!templates(lang, s).is_empty(), "{lang:?} {s:?}");
            }
        }
    }

    #[test]
    fn ages_read_naturally() {
        assert_eq!(age(Lang::De, 5.0), "gerade eben");
        assert_eq!(age(Lang::De, 61.0), "vor 1 Minute");
        assert_eq!(age(Lang::De, 3.0 * 86_400.0 + 5.0), "vor 3 Tagen");
        assert_eq!(age(Lang::En, 2.0 * 3600.0), "2 hours ago");
        assert_eq!(age(Lang::En, 86_400.0), "1 day ago");
    }

    #[test]
    fn counts_and_audit_actions() {
        assert_eq!(count(Lang::De, 100, true), "100+ Meldungen");
        assert_eq!(count(Lang::En, 1, false), "1 report");
        assert_eq!(audit_action(Lang::De, "report.status"), "Status geändert");
        assert_eq!(audit_action(Lang::En, "something.new"), "something.new");
    }
}
