//! Mail to citizens: the texts (double opt-in, status updates) and the background worker that
//! sends the outbox over SMTP with retries. Mails never echo what a citizen typed beyond the
//! town's own public notes, so the forms cannot be abused as a spam relay.

use crate::db::outbox::OutgoingMail;
use crate::db::reports::{MailDraft, Report};
use crate::db::tenants::Tenant;
use crate::db::Db;
use civickit_model::Lang;
use lettre::message::header::{ContentTransferEncoding, ContentType, HeaderName, HeaderValue};
use lettre::message::Body;
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

pub fn confirmation(tenant: &Tenant, base: &str, reference: &str, token: &str) -> MailDraft {
    MailDraft {
        subject: format!("Bitte bestätigen: Benachrichtigungen zu Ihrer Meldung {reference}"),
        body: format!(
            "Guten Tag,\n\n\
             vielen Dank für Ihre Meldung {reference} an {town}.\n\n\
             Wenn Sie über Änderungen am Bearbeitungsstand per E-Mail informiert werden möchten, \
             bestätigen Sie bitte Ihre Adresse:\n{base}/notify/{token}/confirm\n\n\
             Wenn Sie nichts tun, erhalten Sie keine weiteren E-Mails.\n\n\
             Stand der Meldung: {base}/notify/{token}\n\n\
             -- \n{town}, Mängelmelder\n",
            town = tenant.name,
        ),
    }
}

pub fn status_update(tenant: &Tenant, base: &str, report: &Report) -> Option<MailDraft> {
    let token = report.email_token.as_deref()?;
    let label = report.status.label(Lang::De);
    let note = report.public_note.as_deref().unwrap_or("");
    Some(MailDraft {
        subject: format!("Ihre Meldung {}: {label}", report.reference),
        body: format!(
            "Guten Tag,\n\n\
             der Stand Ihrer Meldung {reference} ({category}) hat sich geändert: {label}.\n\n\
             Nachricht von {town}:\n{note}\n\n\
             Stand und Verlauf: {base}/notify/{token}\n\n\
             Keine E-Mails mehr zu dieser Meldung: {base}/notify/{token}/unsubscribe\n\n\
             -- \n{town}, Mängelmelder\n",
            reference = report.reference,
            category = report.category_name,
            town = tenant.name,
        ),
    })
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

/// Sends due mail until `shutdown` fires; wakes up when `wake` is notified or every few seconds.
pub async fn run_worker(db: Db, mailer: Mailer, wake: Arc<Notify>) {
    loop {
        match db.claim_due_mail(20).await {
            Ok(batch) => {
                for mail in &batch {
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
        let _ = tokio::time::timeout(Duration::from_secs(5), wake.notified()).await;
    }
}

/// The receipt for a mailbox message: the reference only, never the text (no spam relay).
pub fn message_receipt(tenant: &Tenant, reference: &str) -> MailDraft {
    MailDraft {
        subject: format!("Ihre Nachricht an {}: {reference}", tenant.name),
        body: format!(
            "Guten Tag,\n\n\
             Ihre Nachricht an {town} ist unter der Nummer {reference} eingegangen. \
             Bitte geben Sie diese Nummer an, wenn Sie sich dazu an uns wenden.\n\n\
             Sie haben diese E-Mail erhalten, weil diese Adresse im Bürgerbriefkasten von {town} \
             angegeben wurde. Wenn Sie das nicht waren, können Sie diese E-Mail ignorieren.\n\n\
             -- \n{town}, Bürgerbriefkasten\n",
            town = tenant.name,
        ),
    }
}

/// A message forwarded to a department's mailbox: internal mail, so it carries the text and
/// the contact data the department needs to answer.
pub fn message_forward(tenant: &Tenant, m: &crate::db::messages::Message, base: &str) -> MailDraft {
    let or_dash = |s: &Option<String>| s.clone().unwrap_or_else(|| "–".into());
    MailDraft {
        subject: format!("Bürgerbriefkasten {}: {}", m.reference, or_dash(&m.subject)),
        body: format!(
            "Weitergeleitet aus dem Bürgerbriefkasten von {town}.\n\n\
             Nummer: {reference}\nArt: {kind}\nBetreff: {subject}\n\n{body}\n\n\
             Name: {name}\nE-Mail: {email}\nTelefon: {phone}\n\n\
             Bearbeiten im Büro: {base}/office\n",
            town = tenant.name,
            reference = m.reference,
            kind = m.kind,
            subject = or_dash(&m.subject),
            body = or_dash(&m.body),
            name = or_dash(&m.name),
            email = or_dash(&m.email),
            phone = or_dash(&m.phone),
        ),
    }
}

/// An official's answer to a citizen.
pub fn message_reply(tenant: &Tenant, m: &crate::db::messages::Message, text: &str) -> MailDraft {
    MailDraft {
        subject: format!(
            "Antwort auf Ihre Nachricht {}{}",
            m.reference,
            m.subject
                .as_deref()
                .map(|s| format!(": {s}"))
                .unwrap_or_default()
        ),
        body: format!(
            "{text}\n\n-- \n{town}, Bürgerbriefkasten\n",
            town = tenant.name
        ),
    }
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
