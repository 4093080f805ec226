//! Reminders by e-mail. The notifications the sweeper makes are each
//! considered once: a recipient who wants e-mail at once gets one message per
//! notification, one who wants a daily digest gets them gathered into one
//! message sent at the digest hour, one who wants none gets nothing. Messages
//! are queued in the database and sent by a separate task over SMTP
//! (`lettre`), retried with exponential backoff, each attempt's outcome kept on
//! the message; the sweeper never waits for it. Nothing runs without an SMTP
//! server configured.

use std::future::Future;
use std::time::Duration;

use base64::Engine as _;
use chrono::{DateTime, NaiveDate, TimeZone as _, Utc};
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Body, Mailbox};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use pendamping_domain::audit::AuditKind;
use pendamping_domain::deadline::{DeadlineKind, DeadlineObject, ReminderKind};
use pendamping_domain::identity::{Actor, UserId};
use pendamping_domain::policy::Target;
use pendamping_domain::reference::TimeZone;
use pendamping_storage::mail::{self as store, MailableNotification, NewMessage, SendOutcome};
use serde_json::json;

use crate::reference::{Subject, append_audit};
use crate::webhooks::backoff;
use crate::{Engine, EngineError};

pub use pendamping_domain::mail::{
    EmailDelivery, EmailMessage, EmailSettings, EmailStatus, Language,
};

/// How e-mail is sent.
#[derive(Debug, Clone)]
pub struct MailConfig {
    /// `smtp://host:port` (plain, or STARTTLS with `?tls=required` /
    /// `?tls=opportunistic`), `smtps://host:port` (TLS from the start);
    /// user and password in the URL when the server asks for them.
    pub smtp_url: String,
    /// The sender, e.g. `Pendamping <noreply@ombudsman.go.id>`.
    pub from: String,
    /// The address the web pages are served at; links in messages start with it.
    pub public_url: Option<String>,
    /// Attempts before a message is given up (FAILED).
    pub max_attempts: i32,
    /// The wait after the first failure; doubled after each further one (capped at an hour).
    pub retry_base: Duration,
    /// The hour (WIB) daily digests are sent at.
    pub digest_hour: u32,
    /// How often the mailer looks for new notifications and due messages.
    pub poll: Duration,
    /// How long one SMTP exchange may take.
    pub timeout: Duration,
}

impl MailConfig {
    pub fn new(smtp_url: impl Into<String>, from: impl Into<String>) -> Self {
        MailConfig {
            smtp_url: smtp_url.into(),
            from: from.into(),
            public_url: None,
            max_attempts: 8,
            retry_base: Duration::from_secs(30),
            digest_hour: 7,
            poll: Duration::from_secs(5),
            timeout: Duration::from_secs(20),
        }
    }
}

/// What one pass of the mailer did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MailPass {
    /// Notifications considered (whatever became of them).
    pub considered: u64,
    /// Messages queued (new immediate messages and new digests).
    pub queued: u64,
    pub sent: u64,
    pub failed: u64,
}

/// Notifications older than this when the mailer first sees them are not
/// mailed (turning SMTP on does not send the backlog of months).
const LOOK_BACK: chrono::Duration = chrono::Duration::days(2);
const BATCH: u64 = 200;

fn global_id(kind: &str, id: i64) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{kind}:{id}"))
}

/// The link to the notified record on the web pages.
pub fn link(public_url: &str, object: DeadlineObject) -> String {
    let path = match object.kind() {
        DeadlineKind::Milestone => "milestones",
        DeadlineKind::ActionItem => "action-items",
    };
    format!(
        "{}/{path}/{}",
        public_url.trim_end_matches('/'),
        global_id(object.object_type(), object.id())
    )
}

fn date_text(language: Language, date: NaiveDate) -> String {
    match language {
        Language::Indonesian => pendamping_domain::reference::long_date(date),
        Language::English => date.format("%-d %B %Y").to_string(),
    }
}

/// The line that says what a notification is about.
fn headline(language: Language, n: &MailableNotification) -> String {
    let what = match (language, n.object.kind()) {
        (Language::Indonesian, DeadlineKind::Milestone) => "Tonggak",
        (Language::Indonesian, DeadlineKind::ActionItem) => "Rencana aksi",
        (Language::English, DeadlineKind::Milestone) => "Milestone",
        (Language::English, DeadlineKind::ActionItem) => "Action item",
    };
    let state = match (language, n.kind) {
        (Language::Indonesian, ReminderKind::DueSoon) => "segera jatuh tempo",
        (Language::Indonesian, ReminderKind::Overdue) => "terlambat",
        (Language::Indonesian, ReminderKind::EscalatedToDistrict) => {
            "terlambat, diteruskan ke koordinator daerah"
        }
        (Language::Indonesian, ReminderKind::EscalatedToOffice) => {
            "terlambat, diteruskan ke Perwakilan Ombudsman"
        }
        (Language::English, ReminderKind::DueSoon) => "due soon",
        (Language::English, ReminderKind::Overdue) => "overdue",
        (Language::English, ReminderKind::EscalatedToDistrict) => {
            "overdue, escalated to the district coordinator"
        }
        (Language::English, ReminderKind::EscalatedToOffice) => {
            "overdue, escalated to the Ombudsman office"
        }
    };
    format!("{what} {state}: {}", n.title)
}

fn paragraph(language: Language, n: &MailableNotification, public_url: Option<&str>) -> String {
    let due = date_text(language, n.due_on);
    let mut text = match language {
        Language::Indonesian => format!(
            "{}\nDaerah: {}\nJatuh tempo: {due}\n",
            headline(language, n),
            n.district
        ),
        Language::English => format!(
            "{}\nDistrict: {}\nDue: {due}\n",
            headline(language, n),
            n.district
        ),
    };
    if let Some(url) = public_url {
        let label = match language {
            Language::Indonesian => "Buka",
            Language::English => "Open",
        };
        text.push_str(&format!("{label}: {}\n", link(url, n.object)));
    }
    text
}

fn footer(language: Language) -> &'static str {
    match language {
        Language::Indonesian => {
            "\n--\nPesan ini dikirim oleh Pendamping. Anda dapat mengubah atau\n\
             mematikan pemberitahuan e-mail di pengaturan akun Anda.\n"
        }
        Language::English => {
            "\n--\nThis message was sent by Pendamping. You can change or turn off\n\
             e-mail notifications in your account settings.\n"
        }
    }
}

/// The subject and body of a message about one notification.
pub fn render_one(
    language: Language,
    n: &MailableNotification,
    public_url: Option<&str>,
) -> (String, String) {
    let subject = format!("[Pendamping] {}", headline(language, n));
    let greeting = match language {
        Language::Indonesian => "Yth. Bapak/Ibu,\n\n",
        Language::English => "Hello,\n\n",
    };
    let body = format!(
        "{greeting}{}{}",
        paragraph(language, n, public_url),
        footer(language)
    );
    (subject, body)
}

/// The subject and body of a digest of notifications.
pub fn render_digest(
    language: Language,
    items: &[MailableNotification],
    public_url: Option<&str>,
) -> (String, String) {
    let subject = match language {
        Language::Indonesian => format!("[Pendamping] Ringkasan harian: {} pengingat", items.len()),
        Language::English => format!("[Pendamping] Daily digest: {} reminders", items.len()),
    };
    let mut body = match language {
        Language::Indonesian => "Yth. Bapak/Ibu,\n\nBerikut pengingat hari ini:\n\n".to_owned(),
        Language::English => "Hello,\n\nToday's reminders:\n\n".to_owned(),
    };
    for n in items {
        body.push_str(&paragraph(language, n, public_url));
        body.push('\n');
    }
    body.push_str(footer(language));
    (subject, body)
}

/// The next digest time after `now`: `hour` o'clock WIB.
fn next_digest_at(now: DateTime<Utc>, hour: u32) -> DateTime<Utc> {
    let zone = TimeZone::Wib.tz();
    let today = TimeZone::Wib.today(now);
    let at = |day: NaiveDate| {
        zone.from_local_datetime(&day.and_hms_opt(hour.min(23), 0, 0).unwrap_or_default())
            .single()
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or(now)
    };
    let candidate = at(today);
    if candidate > now {
        candidate
    } else {
        at(today + chrono::Duration::days(1))
    }
}

fn mail_error(message: impl Into<String>) -> EngineError {
    EngineError::Failure(crate::InternalError::Mail(message.into()))
}

impl Engine {
    /// The actor's own e-mail settings.
    pub async fn email_settings(&self, actor: &Actor) -> Result<EmailSettings, EngineError> {
        let user = actor
            .user_id
            .ok_or_else(|| EngineError::Forbidden("only a user has e-mail settings".into()))?;
        Ok(store::preferences(&self.db, user.0).await?)
    }

    /// Sets the actor's own language and e-mail delivery (audited).
    pub async fn set_email_settings(
        &self,
        actor: &Actor,
        settings: EmailSettings,
    ) -> Result<EmailSettings, EngineError> {
        let user = actor
            .user_id
            .ok_or_else(|| EngineError::Forbidden("only a user has e-mail settings".into()))?;
        let now = self.now();
        let txn = pendamping_storage::begin_write(&self.db).await?;
        store::set_preferences(&txn, user.0, &settings, now).await?;
        append_audit(
            &txn,
            actor,
            AuditKind::EmailPreferencesChanged,
            Subject::new("User", user.0, Target::everywhere()),
            json!({"language": settings.language.as_str(), "delivery": settings.delivery.as_str()}),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(settings)
    }

    /// The messages queued for a user, newest first (operators and tests).
    pub async fn email_messages_of(
        &self,
        user_id: UserId,
    ) -> Result<Vec<EmailMessage>, EngineError> {
        Ok(store::messages_of(&self.db, user_id.0).await?)
    }

    /// Turns new notifications into queued messages: one pass, in one
    /// transaction per notification (so two mailers never queue one twice:
    /// the second insert of its `email_notifications` row fails and rolls back).
    pub async fn queue_email(&self, config: &MailConfig) -> Result<MailPass, EngineError> {
        let now = self.now();
        let mut pass = MailPass::default();
        loop {
            let found = store::unconsidered(&self.db, now - LOOK_BACK, BATCH).await?;
            let count = found.len() as u64;
            for n in found {
                let (language, delivery) = (n.language, n.delivery);
                let txn = pendamping_storage::begin_write(&self.db).await?;
                let result: Result<bool, EngineError> = async {
                    match delivery {
                        EmailDelivery::None => {
                            store::consider(&txn, n.id, None, now).await?;
                            Ok(false)
                        }
                        EmailDelivery::Immediate => {
                            let (subject, body) =
                                render_one(language, &n, config.public_url.as_deref());
                            let id = store::queue(
                                &txn,
                                NewMessage {
                                    recipient_id: n.recipient_id,
                                    to_address: n.email.clone(),
                                    subject,
                                    body,
                                    delivery,
                                    send_at: now,
                                },
                                now,
                            )
                            .await?;
                            store::consider(&txn, n.id, Some(id), now).await?;
                            Ok(true)
                        }
                        EmailDelivery::DailyDigest => {
                            let (id, new) = match store::open_digest(&txn, n.recipient_id).await? {
                                Some(id) => (id, false),
                                None => {
                                    let id = store::queue(
                                        &txn,
                                        NewMessage {
                                            recipient_id: n.recipient_id,
                                            to_address: n.email.clone(),
                                            subject: String::new(),
                                            body: String::new(),
                                            delivery,
                                            send_at: next_digest_at(now, config.digest_hour),
                                        },
                                        now,
                                    )
                                    .await?;
                                    (id, true)
                                }
                            };
                            store::consider(&txn, n.id, Some(id), now).await?;
                            let items = store::notifications_of_message(&txn, id).await?;
                            let (subject, body) =
                                render_digest(language, &items, config.public_url.as_deref());
                            store::rewrite(&txn, id, &subject, &body).await?;
                            Ok(new)
                        }
                    }
                }
                .await;
                match result {
                    Ok(queued) => {
                        txn.commit().await?;
                        pass.considered += 1;
                        pass.queued += u64::from(queued);
                    }
                    Err(err) => {
                        // Another mailer took it, or the row is unreadable: leave it.
                        tracing::debug!(error = %err, notification = n.id, "not queued");
                        txn.rollback().await?;
                    }
                }
            }
            if count < BATCH {
                break;
            }
        }
        Ok(pass)
    }

    /// Sends the messages that are due; each attempt's outcome is recorded.
    pub async fn send_due_email(&self, config: &MailConfig) -> Result<MailPass, EngineError> {
        let transport = transport(config)?;
        let from: Mailbox = config.from.parse().map_err(|e| {
            mail_error(format!(
                "the sender `{}` is not an address: {e}",
                config.from
            ))
        })?;
        let mut pass = MailPass::default();
        let now = self.now();
        let lease =
            chrono::Duration::from_std(config.timeout * 3).unwrap_or(chrono::Duration::seconds(60));
        for message in store::due(&self.db, now, BATCH).await? {
            if !store::claim(&self.db, &message, now, now + lease).await? {
                continue;
            }
            let attempt = message.attempts + 1;
            let outcome = match send(&transport, &from, &message).await {
                Ok(()) => {
                    pass.sent += 1;
                    SendOutcome::Sent
                }
                Err(error) => {
                    pass.failed += 1;
                    let retry_at = (attempt < config.max_attempts).then(|| {
                        self.now()
                            + chrono::Duration::from_std(backoff(config.retry_base, attempt))
                                .unwrap_or(chrono::Duration::hours(1))
                    });
                    SendOutcome::Failed { error, retry_at }
                }
            };
            tracing::info!(message = message.id.0, attempt, outcome = ?outcome, "e-mail attempt");
            store::record_attempt(&self.db, message.id, outcome, self.now()).await?;
        }
        Ok(pass)
    }

    /// One pass: queue what the sweeper raised, then send what is due.
    pub async fn mail_pass(&self, config: &MailConfig) -> Result<MailPass, EngineError> {
        let queued = self.queue_email(config).await?;
        let sent = self.send_due_email(config).await?;
        Ok(MailPass {
            considered: queued.considered,
            queued: queued.queued,
            sent: sent.sent,
            failed: sent.failed,
        })
    }

    /// Runs the mailer until `shutdown` completes: a pass every `config.poll`.
    /// Errors are logged and the next pass tries again.
    pub async fn run_mailer(self, config: MailConfig, shutdown: impl Future<Output = ()> + Send) {
        tokio::pin!(shutdown);
        loop {
            match self.mail_pass(&config).await {
                Ok(pass) if pass != MailPass::default() => {
                    tracing::info!(?pass, "mailer pass");
                }
                Ok(_) => {}
                Err(err) => tracing::warn!(error = %err, "mailer pass failed"),
            }
            tokio::select! {
                () = &mut shutdown => break,
                () = tokio::time::sleep(config.poll) => {}
            }
        }
    }
}

fn transport(config: &MailConfig) -> Result<AsyncSmtpTransport<Tokio1Executor>, EngineError> {
    Ok(
        AsyncSmtpTransport::<Tokio1Executor>::from_url(&config.smtp_url)
            .map_err(|e| mail_error(format!("the SMTP URL is not usable: {e}")))?
            .timeout(Some(config.timeout))
            .build(),
    )
}

async fn send(
    transport: &AsyncSmtpTransport<Tokio1Executor>,
    from: &Mailbox,
    message: &EmailMessage,
) -> Result<(), String> {
    let to: Mailbox = message.to_address.parse().map_err(|e| {
        format!(
            "the recipient `{}` is not an address: {e}",
            message.to_address
        )
    })?;
    // Plain 8-bit text when every line is short enough; otherwise lettre
    // picks quoted-printable or base64.
    let text = message.body.replace("\r\n", "\n").replace('\n', "\r\n");
    let body =
        Body::new_with_encoding(text, ContentTransferEncoding::EightBit).unwrap_or_else(Body::new);
    let email = Message::builder()
        .from(from.clone())
        .to(to)
        .subject(message.subject.clone())
        .header(ContentType::TEXT_PLAIN)
        .body(body)
        .map_err(|e| format!("the message cannot be built: {e}"))?;
    transport
        .send(email)
        .await
        .map(|_| ())
        .map_err(|e| format!("sending failed: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notification(kind: ReminderKind) -> MailableNotification {
        MailableNotification {
            id: 1,
            recipient_id: 2,
            email: "opd@example.test".into(),
            language: Language::Indonesian,
            delivery: EmailDelivery::Immediate,
            kind,
            object: DeadlineObject::ActionItem(pendamping_domain::ids::ActionItemId(7)),
            due_on: NaiveDate::from_ymd_opt(2026, 12, 3).unwrap_or_default(),
            title: "Maklumat pelayanan".into(),
            district: "Kabupaten Mamuju Tengah".into(),
            time_zone: "Asia/Makassar".into(),
            created_at: Utc
                .with_ymd_and_hms(2026, 11, 30, 1, 0, 0)
                .single()
                .unwrap_or_default(),
        }
    }

    #[test]
    fn a_reminder_reads_in_the_recipients_language_with_a_link() {
        let n = notification(ReminderKind::DueSoon);
        let (subject, body) = render_one(Language::Indonesian, &n, Some("https://p.example/"));
        assert_eq!(
            subject,
            "[Pendamping] Rencana aksi segera jatuh tempo: Maklumat pelayanan"
        );
        assert!(body.contains("Jatuh tempo: 3 Desember 2026"), "{body}");
        assert!(
            body.contains("https://p.example/action-items/QWN0aW9uSXRlbTo3"),
            "{body}"
        );
        let (subject, body) = render_one(Language::English, &n, None);
        assert_eq!(
            subject,
            "[Pendamping] Action item due soon: Maklumat pelayanan"
        );
        assert!(body.contains("Due: 3 December 2026"), "{body}");
    }

    /// An instant on the hour, in UTC.
    fn utc(year: i32, month: u32, day: u32, hour: u32) -> chrono::DateTime<Utc> {
        Utc.with_ymd_and_hms(year, month, day, hour, 0, 0)
            .single()
            .unwrap_or_default()
    }

    #[test]
    fn digests_go_out_at_the_next_digest_hour_wib() {
        // 01:00 UTC is 08:00 WIB: past 07:00, so tomorrow 07:00 WIB (00:00 UTC).
        let now = utc(2026, 11, 30, 1);
        assert_eq!(next_digest_at(now, 7), utc(2026, 12, 1, 0));
        let early = utc(2026, 11, 29, 20);
        assert_eq!(next_digest_at(early, 7), utc(2026, 11, 30, 0));
    }
}
