//! E-mail: the language and delivery a person chooses, and the messages
//! queued for them. Plain values: storage keeps them, the engine writes and
//! sends them.

use chrono::{DateTime, Utc};

use crate::identity::UserId;

id_type!(
    /// A queued e-mail message.
    EmailMessageId
);

code_enum! {
    /// The languages a person can read their messages in.
    #[derive(Default)]
    pub enum Language {
        /// Bahasa Indonesia (the default).
        #[default]
        Indonesian = "ID",
        English = "EN",
    }
}

code_enum! {
    /// When a person gets e-mail.
    #[derive(Default)]
    pub enum EmailDelivery {
        /// No e-mail at all.
        None = "NONE",
        /// One message per reminder, as soon as it is raised (the default).
        #[default]
        Immediate = "IMMEDIATE",
        /// The day's reminders in one message, at the digest hour.
        DailyDigest = "DAILY_DIGEST",
    }
}

code_enum! {
    /// Where a queued message stands.
    pub enum EmailStatus {
        /// Waiting for its time, or for another attempt (an attempt in
        /// flight stays pending under a lease).
        Pending = "PENDING",
        /// Allowed by the schema for a sender that marks attempts in flight;
        /// not written today.
        Sending = "SENDING",
        Sent = "SENT",
        /// Given up after the last attempt.
        Failed = "FAILED",
    }
}

/// A person's e-mail settings (the defaults until they choose).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EmailSettings {
    pub language: Language,
    pub delivery: EmailDelivery,
}

/// A queued message, with what its attempts so far came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailMessage {
    pub id: EmailMessageId,
    pub recipient_id: UserId,
    pub to_address: String,
    pub subject: String,
    pub body: String,
    pub delivery: EmailDelivery,
    pub status: EmailStatus,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub next_attempt_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}
