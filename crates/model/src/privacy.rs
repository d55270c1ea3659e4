//! Data protection (DSGVO): every kind of personal data civickit holds, and how long it is
//! kept. One catalogue, read by the retention job (what it erases and when), `civickit
//! privacy inventory` and the office's privacy page (what is held, when it goes) and the
//! generated privacy notice (which data, which periods), so that the three cannot disagree.

use crate::validate::{FieldError, ValidationCode};
use crate::Lang;
use serde::{Deserialize, Serialize};
use std::ops::RangeInclusive;

pub const CONTACT_DAYS: RangeInclusive<i64> = 1..=3650;
pub const OUTBOX_DAYS: RangeInclusive<i64> = 1..=365;
pub const TRACKING_DAYS: RangeInclusive<i64> = 1..=3650;
/// Days an unconfirmed e-mail address (double opt-in never completed) is kept.
pub const UNCONFIRMED_DAYS: i64 = 7;
/// `photo_days` when photos of finished reports are erased; 0 keeps them.
pub const PHOTO_DAYS: RangeInclusive<i64> = 1..=3650;

/// A town's retention periods (`GET /office/api/privacy/retention`, `civickit tenant set`).
/// Periods of a report count from the day it was finished (resolved or closed), of a message
/// from the day it was closed, of a mail from the day it was sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Retention {
    /// Days until the contact of a finished report or closed message is erased, with what
    /// belongs to it (see [`PersonalData`]). Default 180. Stored as `tenants.retention_days`,
    /// which the mailbox settings also show.
    pub contact_days: i64,
    /// Whether a closed message's subject and text go too, not only its contact.
    pub erase_text: bool,
    /// Days a sent mail stays in the outbox. Default 30.
    pub outbox_days: i64,
    /// Days after a report is finished until its tracking link and the links in its mails
    /// stop working. Default 90.
    pub tracking_days: i64,
    /// Days after a report is finished until its photos are erased; 0 (the default) keeps
    /// them as part of the public report.
    pub photo_days: i64,
}

impl Default for Retention {
    fn default() -> Self {
        Retention {
            contact_days: 180,
            erase_text: false,
            outbox_days: 30,
            tracking_days: 90,
            photo_days: 0,
        }
    }
}

impl Retention {
    /// Every broken rule, each naming its field; empty if the periods may be stored.
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        let mut check = |field: &str, ok: bool| {
            if !ok {
                errors.push(FieldError::new(field, ValidationCode::InvalidValue));
            }
        };
        check("contact_days", CONTACT_DAYS.contains(&self.contact_days));
        check("outbox_days", OUTBOX_DAYS.contains(&self.outbox_days));
        check("tracking_days", TRACKING_DAYS.contains(&self.tracking_days));
        check(
            "photo_days",
            self.photo_days == 0 || PHOTO_DAYS.contains(&self.photo_days),
        );
        errors
    }
}

/// `POST /office/api/privacy/retention`: what is left out stays as it is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetentionChange {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_days: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub erase_text: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outbox_days: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tracking_days: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub photo_days: Option<i64>,
}

impl RetentionChange {
    pub fn apply(&self, to: Retention) -> Retention {
        Retention {
            contact_days: self.contact_days.unwrap_or(to.contact_days),
            erase_text: self.erase_text.unwrap_or(to.erase_text),
            outbox_days: self.outbox_days.unwrap_or(to.outbox_days),
            tracking_days: self.tracking_days.unwrap_or(to.tracking_days),
            photo_days: self.photo_days.unwrap_or(to.photo_days),
        }
    }
}

/// The kinds of personal data, each with its erasure rule. The retention job implements
/// exactly these rules; the inventory counts exactly these records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PersonalData {
    /// `reports.email` with its opt-in state and mail-link token; and the unedited original
    /// text (`original_description`) when an official changed it. Erased `contact_days`
    /// after the report was finished; on erasure also its internal notes
    /// (`report_notes` not public) and the audit entries' citizen fields about it. An address
    /// never confirmed (double opt-in) goes with its token [`UNCONFIRMED_DAYS`] after the
    /// report was made, finished or not.
    ReportContact,
    /// `reports.tracking_hash` (the reporter's tracking link) and `reports.email_token` (the
    /// links in its mails). Stop working `tracking_days` after the report was finished (the
    /// hash is replaced, the token erased: nothing can match them any more).
    TrackingLinks,
    /// `report_supporters`: "Betrifft mich auch", one keyed hash per address. Deleted
    /// `contact_days` after the report was finished; the count on the report stays.
    Supporters,
    /// `photos` of reports. Erased `photo_days` after the report was finished, when the town
    /// set `photo_days`; otherwise kept with the public report.
    ReportPhotos,
    /// `messages.name`, `email`, `phone`; reply, forward and note texts in `message_events`;
    /// subject and text when `erase_text`. Erased `contact_days` after the message was
    /// closed; with them the audit entries' citizen fields about it. Open messages keep them.
    MessageContact,
    /// `outbox`: mails with recipient and text. A sent mail is deleted `outbox_days` after
    /// sending; one that failed for good after its last attempt plus `outbox_days`.
    SentMails,
    /// `flags`: the flag's keyed hash of an address and its text. Deleted `contact_days`
    /// after an official decided on it.
    Flags,
    /// `poll_voters` and the used marks of `poll_codes`: who took part, never how. Deleted
    /// once the poll has ended (the first retention run after its end).
    PollParticipation,
    /// `users` (officials' name and e-mail), `sessions`, `login_failures`, `audit_log.user_email`:
    /// kept while the account exists; sessions and login failures go when they expire.
    OfficialAccounts,
}

impl PersonalData {
    pub const ALL: [PersonalData; 9] = [
        PersonalData::ReportContact,
        PersonalData::TrackingLinks,
        PersonalData::Supporters,
        PersonalData::ReportPhotos,
        PersonalData::MessageContact,
        PersonalData::SentMails,
        PersonalData::Flags,
        PersonalData::PollParticipation,
        PersonalData::OfficialAccounts,
    ];

    /// What it is, for the office, the CLI and the privacy notice.
    pub fn label(self, lang: Lang) -> &'static str {
        use PersonalData::*;
        match self {
            ReportContact => lang.pick(
                "E-Mail-Adressen von Meldenden (für Statusmitteilungen)",
                "Reporters' e-mail addresses (for status mails)",
            ),
            TrackingLinks => lang.pick(
                "Links zum Verfolgen einer Meldung",
                "Links to follow a report",
            ),
            Supporters => lang.pick(
                "„Betrifft mich auch“ (verschlüsselte Anschlusskennung)",
                "“Affects me too” (keyed hash of the connection)",
            ),
            ReportPhotos => lang.pick("Fotos zu Meldungen", "Photos of reports"),
            MessageContact => lang.pick(
                "Name, E-Mail und Telefon im Bürgerbriefkasten, mit Antworten und Notizen",
                "Name, e-mail and phone in the citizen mailbox, with replies and notes",
            ),
            SentMails => lang.pick("Versandte E-Mails", "Sent e-mails"),
            Flags => lang.pick(
                "Hinweise „Meldung melden“ (verschlüsselte Anschlusskennung, Text)",
                "Flags (keyed hash of the connection, text)",
            ),
            PollParticipation => lang.pick(
                "Teilnahme an Umfragen (nie die Stimme)",
                "Poll participation (never the vote)",
            ),
            OfficialAccounts => lang.pick(
                "Konten der Bearbeitenden (Name, E-Mail, Anmeldungen)",
                "Officials' accounts (name, e-mail, logins)",
            ),
        }
    }

    /// When it is erased, in words, with the town's periods.
    pub fn rule(self, lang: Lang, r: &Retention) -> String {
        use PersonalData::*;
        let de = lang == Lang::De;
        match self {
            ReportContact | Supporters => {
                if de {
                    format!("{} Tage nach Abschluss der Meldung", r.contact_days)
                } else {
                    format!("{} days after the report was finished", r.contact_days)
                }
            }
            TrackingLinks => {
                if de {
                    format!(
                        "ungültig {} Tage nach Abschluss der Meldung",
                        r.tracking_days
                    )
                } else {
                    format!(
                        "invalid {} days after the report was finished",
                        r.tracking_days
                    )
                }
            }
            ReportPhotos if r.photo_days == 0 => lang
                .pick(
                    "mit der öffentlichen Meldung aufbewahrt",
                    "kept with the public report",
                )
                .to_string(),
            ReportPhotos => {
                if de {
                    format!("{} Tage nach Abschluss der Meldung", r.photo_days)
                } else {
                    format!("{} days after the report was finished", r.photo_days)
                }
            }
            MessageContact => {
                if de {
                    format!("{} Tage nach Abschluss der Nachricht", r.contact_days)
                } else {
                    format!("{} days after the message was closed", r.contact_days)
                }
            }
            SentMails => {
                if de {
                    format!("{} Tage nach dem Versand", r.outbox_days)
                } else {
                    format!("{} days after sending", r.outbox_days)
                }
            }
            Flags => {
                if de {
                    format!("{} Tage nach der Entscheidung", r.contact_days)
                } else {
                    format!("{} days after the decision", r.contact_days)
                }
            }
            PollParticipation => lang
                .pick("nach dem Ende der Umfrage", "after the poll has ended")
                .to_string(),
            OfficialAccounts => lang
                .pick(
                    "mit dem Konto; Anmeldungen bei Ablauf",
                    "with the account; logins when they expire",
                )
                .to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_bad_periods_name_their_field() {
        assert!(Retention::default().validate().is_empty());
        let bad = RetentionChange {
            outbox_days: Some(0),
            photo_days: Some(-1),
            ..Default::default()
        }
        .apply(Retention::default());
        let fields: Vec<_> = bad.validate().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["outbox_days", "photo_days"]);
    }

    #[test]
    fn rules_name_the_towns_periods() {
        let r = Retention {
            outbox_days: 14,
            ..Default::default()
        };
        assert_eq!(
            PersonalData::SentMails.rule(Lang::De, &r),
            "14 Tage nach dem Versand"
        );
        assert!(PersonalData::ReportPhotos
            .rule(Lang::En, &r)
            .contains("kept"));
    }
}
