//! Reminders by e-mail, against a real SMTP server: a small SMTP sink that
//! this test starts on a local port (it speaks enough of RFC 5321 for a
//! client: EHLO, MAIL, RCPT, DATA, QUIT). Nothing here mocks the sending.

#![allow(
    clippy::unwrap_used,
    reason = "a test should fail loudly on an unexpected shape"
)]

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, NaiveDate, TimeZone as _, Utc};
use common::{TestEngine, actor};
use pendamping_domain::action_item::Priority;
use pendamping_domain::deadline::DeadlinePolicy;
use pendamping_domain::identity::{Actor, Scope, UserId};
use pendamping_engine::{
    EmailDelivery, EmailSettings, EmailStatus, Engine, FixedClock, Language, MailConfig,
};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// One message the sink received.
#[derive(Debug, Clone)]
struct Received {
    from: String,
    to: Vec<String>,
    data: String,
}

/// A local SMTP server that accepts every message, or refuses every one
/// (`451`) while `refuse` is set.
struct Sink {
    port: u16,
    received: Arc<Mutex<Vec<Received>>>,
    refuse: Arc<std::sync::atomic::AtomicBool>,
}

impl Sink {
    async fn start() -> Sink {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let refuse = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let store = received.clone();
        let refusing = refuse.clone();
        tokio::spawn(async move {
            loop {
                let Ok((socket, _)) = listener.accept().await else {
                    return;
                };
                let store = store.clone();
                let refusing = refusing.clone();
                tokio::spawn(async move {
                    let (read, mut write) = socket.into_split();
                    let mut lines = BufReader::new(read).lines();
                    write.write_all(b"220 sink ESMTP\r\n").await.ok();
                    let mut from = String::new();
                    let mut to = Vec::new();
                    while let Ok(Some(line)) = lines.next_line().await {
                        let upper = line.to_ascii_uppercase();
                        let reply: &[u8] = if upper.starts_with("EHLO") || upper.starts_with("HELO")
                        {
                            b"250-sink\r\n250 8BITMIME\r\n"
                        } else if upper.starts_with("MAIL FROM:") {
                            from = line[10..].trim().to_owned();
                            to.clear();
                            b"250 OK\r\n"
                        } else if upper.starts_with("RCPT TO:") {
                            to.push(line[8..].trim().to_owned());
                            b"250 OK\r\n"
                        } else if upper == "DATA" {
                            write.write_all(b"354 go ahead\r\n").await.ok();
                            let mut data = String::new();
                            while let Ok(Some(l)) = lines.next_line().await {
                                if l == "." {
                                    break;
                                }
                                data.push_str(&l);
                                data.push('\n');
                            }
                            if refusing.load(std::sync::atomic::Ordering::SeqCst) {
                                b"451 try again later\r\n"
                            } else {
                                store.lock().unwrap().push(Received {
                                    from: from.clone(),
                                    to: to.clone(),
                                    data,
                                });
                                b"250 queued\r\n"
                            }
                        } else if upper == "QUIT" {
                            write.write_all(b"221 bye\r\n").await.ok();
                            return;
                        } else if upper == "RSET" || upper == "NOOP" {
                            b"250 OK\r\n"
                        } else {
                            b"502 not implemented\r\n"
                        };
                        if write.write_all(reply).await.is_err() {
                            return;
                        }
                    }
                });
            }
        });
        Sink {
            port,
            received,
            refuse,
        }
    }

    fn messages(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    /// The messages to an address containing `to` whose text contains `text`.
    fn to_containing(&self, to: &str, text: &str) -> Vec<Received> {
        self.messages()
            .into_iter()
            .filter(|m| m.to.iter().any(|t| t.contains(to)))
            .filter(|m| m.data.contains(text))
            .collect()
    }

    fn config(&self) -> MailConfig {
        let mut config = MailConfig::new(
            format!("smtp://127.0.0.1:{}", self.port),
            "Pendamping <noreply@pendamping.test>",
        );
        config.public_url = Some("https://pendamping.test".to_owned());
        config.retry_base = Duration::from_secs(60);
        config.timeout = Duration::from_secs(5);
        config
    }
}

fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap()
}

struct Kit {
    engine: Engine,
    clock: Arc<FixedClock>,
    assessor: Actor,
    rsud: Actor,
}

async fn kit() -> Kit {
    let TestEngine { engine, clock, .. } = common::demo().await;
    Kit {
        assessor: actor(&engine, "asisten@sulbar.example").await,
        rsud: actor(&engine, "rsud@mamujutengah.example").await,
        engine,
        clock,
    }
}

impl Kit {
    /// The RSUD officer's e-mail settings.
    async fn rsud_reads_mail(&self, language: Language, delivery: EmailDelivery) {
        self.engine
            .set_email_settings(&self.rsud, EmailSettings { language, delivery })
            .await
            .unwrap();
    }

    /// Raises an item for the RSUD due in two days, and sweeps: the RSUD officer is reminded.
    async fn raise_due_soon(&self, title: &str) {
        let Scope::Opd(opd) = self.rsud.assignments[0].scope else {
            panic!("the RSUD officer works for one OPD")
        };
        let reader = self.engine.reader(&self.assessor);
        let opd_row = reader.opds_by_ids(&[opd]).await.unwrap().remove(0);
        let agreements =
            common::active_agreements(&self.engine, &self.assessor, Some(opd_row.district_id))
                .await;
        self.engine
            .raise_action_item(
                &self.assessor,
                common::finding(
                    (agreements[0].id, opd),
                    (title, "Temuan uji e-mail"),
                    Priority::High,
                    NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
                ),
            )
            .await
            .unwrap();
        self.engine
            .sweep_deadlines(&DeadlinePolicy::default())
            .await
            .unwrap();
    }

    fn rsud_id(&self) -> UserId {
        self.rsud.user_id.unwrap()
    }
}

#[tokio::test]
async fn a_reminder_raised_by_the_sweeper_arrives_in_indonesian() {
    let kit = kit().await;
    let sink = Sink::start().await;
    kit.raise_due_soon("Maklumat pelayanan RSUD belum dipasang")
        .await;

    let pass = kit.engine.mail_pass(&sink.config()).await.unwrap();
    assert!(
        pass.sent >= 1,
        "{pass:?}: {:?}",
        kit.engine.email_messages_of(kit.rsud_id()).await.unwrap()
    );
    let to_rsud: Vec<Received> = sink.to_containing(
        "rsud@mamujutengah.example",
        "Maklumat pelayanan RSUD belum dipasang",
    );
    assert_eq!(to_rsud.len(), 1, "{:?}", sink.messages());
    let message = &to_rsud[0];
    assert!(message.from.contains("noreply@pendamping.test"));
    let data = &message.data;
    assert!(
        data.contains("Rencana aksi segera jatuh tempo"),
        "the reminder is in Indonesian: {data}"
    );
    assert!(data.contains("Jatuh tempo: 30 November 2026"), "{data}");
    assert!(
        data.contains("https://pendamping.test/action-items/"),
        "{data}"
    );

    // A second pass sends nothing again.
    let again = kit.engine.mail_pass(&sink.config()).await.unwrap();
    assert_eq!((again.queued, again.sent), (0, 0));
    assert_eq!(sink.messages().len(), pass.sent as usize);
}

#[tokio::test]
async fn english_readers_get_english_and_those_who_opt_out_get_nothing() {
    let kit = kit().await;
    let sink = Sink::start().await;
    kit.rsud_reads_mail(Language::English, EmailDelivery::Immediate)
        .await;
    kit.raise_due_soon("Service notice missing").await;
    kit.engine.mail_pass(&sink.config()).await.unwrap();
    let to_rsud: Vec<Received> = sink.to_containing("rsud@", "Service notice missing");
    assert_eq!(to_rsud.len(), 1);
    assert!(
        to_rsud[0].data.contains("Action item due soon"),
        "{}",
        to_rsud[0].data
    );

    kit.rsud_reads_mail(Language::Indonesian, EmailDelivery::None)
        .await;
    kit.clock.set(at(2026, 11, 28, 4));
    kit.raise_due_soon("Pengingat kedua").await;
    kit.engine.mail_pass(&sink.config()).await.unwrap();
    let after: usize = sink.to_containing("rsud@", "Pengingat kedua").len();
    assert_eq!(after, 0, "no e-mail once turned off");
}

#[tokio::test]
async fn a_refused_message_is_retried_with_backoff_and_recorded() {
    let kit = kit().await;
    let sink = Sink::start().await;
    sink.refuse.store(true, std::sync::atomic::Ordering::SeqCst);
    kit.raise_due_soon("Ditolak dulu").await;
    let pass = kit.engine.mail_pass(&sink.config()).await.unwrap();
    assert!(pass.failed >= 1, "{pass:?}");
    let messages = kit.engine.email_messages_of(kit.rsud_id()).await.unwrap();
    let message = &messages[0];
    assert_eq!(message.status, EmailStatus::Pending);
    assert_eq!(message.attempts, 1);
    assert!(
        message.last_error.as_deref().unwrap_or("").contains("451"),
        "{message:?}"
    );
    assert!(message.next_attempt_at > at(2026, 11, 28, 3));

    // Not yet due: nothing is tried.
    sink.refuse
        .store(false, std::sync::atomic::Ordering::SeqCst);
    let early = kit.engine.mail_pass(&sink.config()).await.unwrap();
    assert_eq!(early.sent, 0);
    // After the backoff it goes out.
    kit.clock.set(at(2026, 11, 28, 4));
    let later = kit.engine.mail_pass(&sink.config()).await.unwrap();
    assert!(later.sent >= 1, "{later:?}");
    let messages = kit.engine.email_messages_of(kit.rsud_id()).await.unwrap();
    assert_eq!(messages[0].status, EmailStatus::Sent);
    assert_eq!(messages[0].attempts, 2);
}

#[tokio::test]
async fn a_daily_digest_gathers_the_days_reminders_into_one_message() {
    let kit = kit().await;
    let sink = Sink::start().await;
    kit.rsud_reads_mail(Language::Indonesian, EmailDelivery::DailyDigest)
        .await;
    kit.raise_due_soon("Pertama").await;
    kit.clock.set(at(2026, 11, 28, 5));
    kit.raise_due_soon("Kedua").await;
    kit.engine.mail_pass(&sink.config()).await.unwrap();
    assert!(
        !sink
            .messages()
            .iter()
            .any(|m| m.to.iter().any(|t| t.contains("rsud@"))),
        "a digest waits for its hour"
    );
    // 07:00 WIB on 29 November is 00:00 UTC.
    kit.clock.set(at(2026, 11, 29, 0));
    kit.engine.mail_pass(&sink.config()).await.unwrap();
    let digests: Vec<Received> = sink
        .messages()
        .into_iter()
        .filter(|m| m.to.iter().any(|t| t.contains("rsud@")))
        .collect();
    assert_eq!(digests.len(), 1);
    assert!(digests[0].data.contains("Pertama") && digests[0].data.contains("Kedua"));
    assert!(
        digests[0].data.contains("Ringkasan harian"),
        "{}",
        digests[0].data
    );
}
