//! Every text of the office page, one table per language (German first, English second).
//! State and close-reason labels come from civickit-model so that office, widgets and server
//! say the same words.

mod admin;
mod de;
mod embed;
mod en;
mod mail;
mod map;
mod moderation;
mod photos;
mod polls;
mod privacy_inventory;
mod privacy_requests;
mod privacy_retention;
mod privacy_statements;
mod town;

pub use admin::{admin_texts, AdminTexts};
pub use de::DE;
pub use embed::{embed_texts, EmbedTexts};
pub use en::EN;
pub use mail::{kind_label, mail_texts, message_count, MailTexts};
pub use map::{
    address_count, cluster_label, map_texts, marker_count, new_position, osm_url, MapTexts,
};
pub use moderation::{moderation_texts, ModerationTexts};
pub use photos::{photo_texts, PhotoTexts};
pub use polls::{poll_texts, votes_label, PollTexts};
pub use privacy_inventory::{inventory_texts, InventoryMsg, InventoryTexts};
pub use privacy_requests::{erased_summary, request_texts, RequestTexts};
pub use privacy_retention::{retention_texts, RetentionTexts};
pub use privacy_statements::{statement_texts, StatementMsg, StatementTexts};
pub use town::{area_summary, town_texts, TownMsg, TownTexts};

use civickit_model::{Lang, Status};

pub struct Texts {
    pub lang: Lang,
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
    pub nav_moderation: &'static str,
    pub nav_privacy: &'static str,
    pub nav_stats: &'static str,
    pub flag_decided: &'static str,
    pub flag_threshold: &'static str,
    pub flag_threshold_hint: &'static str,
    pub nav_town: &'static str,
    pub nav_audit: &'static str,
    pub nav_admin: &'static str,
    pub admin_saved: &'static str,
    pub admin_saved_relogin: &'static str,
    pub department_still_used: &'static str,
    pub nav_polls: &'static str,
    pub poll_changed: &'static str,
    pub poll_deleted: &'static str,
    pub poll_saved: &'static str,
    pub codes_ready: &'static str,
    pub photo_saved: &'static str,
    pub photo_uploaded: &'static str,
    pub mailbox_forwarded: &'static str,
    pub mailbox_replied: &'static str,
    pub mailbox_noted: &'static str,
    pub mailbox_status_changed: &'static str,
    pub mailbox_settings_saved: &'static str,
    pub mailbox_routed_away: &'static str,
    pub nav_mailbox: &'static str,
    pub nav_mailbox_admin: &'static str,

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

    pub copied: &'static str,
    pub copy_failed: &'static str,

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
        "report.position" => ("Position geändert", "position changed"),
        "tenant.settings" => ("Einstellungen geändert", "settings changed"),
        "tenant.flag_threshold" => ("Schwelle für Hinweise geändert", "flag threshold changed"),
        "flag.add" => ("Hinweis aus der Bürgerschaft", "citizen's flag"),
        "flag.decide" => ("über Hinweise entschieden", "flags decided"),
        "photo.status" => ("Foto-Status geändert", "photo state changed"),
        "statements.fields" => (
            "Angaben für die Erklärungen geändert",
            "statement details changed",
        ),
        "statements.text" => ("Erklärung bearbeitet", "statement edited"),
        "statements.reset" => ("Erklärung zurückgesetzt", "statement reset"),
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
