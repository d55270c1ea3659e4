//! Mail: the drafts for citizens (their texts, in the citizen's language, are in
//! `texts.rs`) and for officials, and the background worker that sends the outbox over SMTP
//! with retries.

use crate::db::messages;
use crate::db::outbox::OutgoingMail;
use crate::db::reports::{MailDraft, Report};
use crate::db::tenants::Tenant;
use crate::db::Db;
use crate::texts;
use civickit_model::{Lang, ReferenceKind};
use lettre::message::header::{ContentTransferEncoding, ContentType, HeaderName, HeaderValue};
use lettre::message::Body;
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

/// The double opt-in mail for a new report, in the language the citizen used.
pub fn confirmation(
    tenant: &Tenant,
    base: &str,
    reference: &str,
    token: &str,
    place: Option<&str>,
    lang: Lang,
) -> MailDraft {
    texts::confirmation_mail(
        lang,
        &tenant.name,
        reference,
        place,
        &format!("{base}/notify/{token}/confirm"),
        &format!("{base}/notify/{token}"),
    )
}

/// The status mail after a public change, in the report's language; none without a mail token.
pub fn status_update(tenant: &Tenant, base: &str, report: &Report) -> Option<MailDraft> {
    let token = report.email_token.as_deref()?;
    let news = texts::StatusNews {
        town: &tenant.name,
        reference: &report.reference,
        category: &report.category_name,
        place: report.address.as_deref(),
        label: report.status.label(report.lang),
        note: report.public_note.as_deref().unwrap_or(""),
        status_url: &format!("{base}/notify/{token}"),
        unsubscribe_url: &format!("{base}/notify/{token}/unsubscribe"),
    };
    Some(texts::status_mail(report.lang, &news))
}

/// SMTP settings: `smtp://host:port` (plain, for a relay on the same machine),
/// `smtp://host:587?tls=required` (STARTTLS) or `smtps://user:pass@host` (TLS), and the sender.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Mailer {
    pub fn new(smtp_url: &str, from: &str) -> Result<Mailer, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(smtp_url)
            .map_err(|e| format!("SMTP URL {smtp_url:?}: {e}"))?
            .timeout(Some(Duration::from_secs(20)))
            .build();
        let from = from
            .parse()
            .map_err(|e| format!("sender address {from:?}: {e}"))?;
        Ok(Mailer { transport, from })
    }

    async fn send(&self, mail: &OutgoingMail, base_hint: Option<&str>) -> Result<(), String> {
        let to: Mailbox = mail
            .recipient
            .parse()
            .map_err(|e| format!("recipient: {e}"))?;
        let mut builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(&mail.subject)
            .header(ContentType::TEXT_PLAIN);
        if let Some(url) = base_hint {
            builder = builder.raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe"),
                format!("<{url}>"),
            ));
        }
        // Quoted-printable keeps the German text readable in any mail client and in logs.
        let body =
            Body::new_with_encoding(mail.body.clone(), ContentTransferEncoding::QuotedPrintable)
                .map_err(|_| "the body cannot be quoted-printable encoded".to_string())?;
        let message = builder
            .body(body)
            .map_err(|e| format!("building the message: {e}"))?;
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
    }
}

/// The unsubscribe link of a status mail, for the List-Unsubscribe header.
fn unsubscribe_link(body: &str) -> Option<&str> {
    body.lines()
        .find_map(|l| l.split_whitespace().find(|w| w.ends_with("/unsubscribe")))
}

/// Sends due mail until `stop` is cancelled; wakes up when `wake` is notified or every few
/// seconds. On `stop` it finishes the mail it is sending and leaves the rest of its batch: those
/// stay claimed for a few minutes and then go out from whichever instance runs next.
pub async fn run_worker(db: Db, mailer: Mailer, wake: Arc<Notify>, stop: CancellationToken) {
    while !stop.is_cancelled() {
        match db.claim_due_mail(20).await {
            Ok(batch) => {
                for mail in batch.iter().take_while(|_| !stop.is_cancelled()) {
                    match mailer.send(mail, unsubscribe_link(&mail.body)).await {
                        Ok(()) => {
                            if let Err(e) = db.mail_sent(mail.id).await {
                                tracing::error!("outbox: marking mail {} sent: {e}", mail.id);
                            }
                        }
                        Err(e) => {
                            tracing::warn!(
                                "outbox: mail {} failed (attempt {}): {e}",
                                mail.id,
                                mail.attempts + 1
                            );
                            if let Err(e) = db.mail_failed(mail, &e).await {
                                tracing::error!(
                                    "outbox: recording failure of mail {}: {e}",
                                    mail.id
                                );
                            }
                        }
                    }
                }
                if !batch.is_empty() {
                    continue;
                }
            }
            Err(e) => tracing::error!("outbox: {e}"),
        }
        tokio::select! {
            () = stop.cancelled() => {}
            _ = tokio::time::timeout(Duration::from_secs(5), wake.notified()) => {}
        }
    }
}

/// The receipt for a mailbox message, in the language the citizen wrote in: the reference
/// only, never the text (no spam relay).
pub fn message_receipt(tenant: &Tenant, reference: &str, lang: Lang) -> MailDraft {
    texts::receipt_mail(lang, &tenant.name, reference)
}

/// Where an official works a report or a message: the office's deep links, for mails to
/// officials.
pub fn office_link(base: &str, kind: ReferenceKind, reference: &str) -> String {
    let section = match kind {
        ReferenceKind::Report => "reports",
        ReferenceKind::Message => "messages",
    };
    format!("{base}/office/{section}/{reference}")
}

/// A message forwarded to a department's mailbox: internal mail (German, like the office's
/// work), so it carries the text and the contact data the department needs to answer, and the
/// link to the message in the office.
pub fn message_forward(tenant: &Tenant, m: &messages::Message, base: &str) -> MailDraft {
    let or_dash = |s: &Option<String>| s.clone().unwrap_or_else(|| "–".into());
    MailDraft {
        subject: format!("Bürgerbriefkasten {}: {}", m.reference, or_dash(&m.subject)),
        body: format!(
            "Weitergeleitet aus dem Bürgerbriefkasten von {town}.\n\n\
             Nummer: {reference}\nArt: {kind}\nBetreff: {subject}\n\n{body}\n\n\
             Name: {name}\nE-Mail: {email}\nTelefon: {phone}\n\n\
             Bearbeiten im Büro: {link}\n",
            town = tenant.name,
            reference = m.reference,
            kind = m.kind,
            subject = or_dash(&m.subject),
            body = or_dash(&m.body),
            name = or_dash(&m.name),
            email = or_dash(&m.email),
            phone = or_dash(&m.phone),
            link = office_link(base, ReferenceKind::Message, &m.reference),
        ),
    }
}

/// An official's answer to a citizen, in the language the citizen wrote in.
pub fn message_reply(tenant: &Tenant, m: &messages::Message, text: &str) -> MailDraft {
    texts::reply_mail(
        m.lang,
        &tenant.name,
        &m.reference,
        m.subject.as_deref(),
        text,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_unsubscribe_link() {
        let body = "x\nKeine E-Mails mehr zu dieser Meldung: http://h/notify/abc/unsubscribe\n";
        assert_eq!(
            unsubscribe_link(body),
            Some("http://h/notify/abc/unsubscribe")
        );
        assert_eq!(unsubscribe_link("nothing"), None);
    }
}
