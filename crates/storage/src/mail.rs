//! E-mail: each user's language and e-mail preference, and the outbox of
//! messages (one reminder at once, or a day's digest), with every attempt's
//! outcome. The notifications the sweeper made are each considered once
//! (`email_notifications`), whatever the recipient's preference was.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use pendamping_domain::deadline::{DeadlineKind, DeadlineObject, ReminderKind};
use pendamping_domain::identity::UserId;
use pendamping_domain::mail::{
    EmailDelivery, EmailMessage, EmailMessageId, EmailSettings, EmailStatus, Language,
};

use crate::StorageError;
use crate::db::updated_one;
use crate::sql::statement;

mod email_preferences {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "email_preferences")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub user_id: i64,
        pub language: String,
        pub delivery: String,
        pub updated_at: DateTimeUtc,
    }

    crate::entity::no_relations!();
}

mod email_messages {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "email_messages")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub recipient_id: i64,
        pub to_address: String,
        pub subject: String,
        pub body: String,
        pub delivery: String,
        pub status: String,
        pub attempts: i32,
        pub next_attempt_at: DateTimeUtc,
        pub lease_until: Option<DateTimeUtc>,
        pub last_error: Option<String>,
        pub created_at: DateTimeUtc,
        pub sent_at: Option<DateTimeUtc>,
    }

    crate::entity::no_relations!();
}

mod email_notifications {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "email_notifications")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub notification_id: i64,
        pub message_id: Option<i64>,
        pub considered_at: DateTimeUtc,
    }

    crate::entity::no_relations!();
}

/// The user's settings (the defaults when never set).
pub async fn preferences(
    db: &impl ConnectionTrait,
    user_id: i64,
) -> Result<EmailSettings, StorageError> {
    use email_preferences::Column as C;
    let stored = email_preferences::Entity::find()
        .filter(C::UserId.eq(user_id))
        .one(db)
        .await?;
    Ok(match stored {
        Some(m) => EmailSettings {
            language: m.language.parse()?,
            delivery: m.delivery.parse()?,
        },
        None => EmailSettings::default(),
    })
}

/// Stores the user's settings.
pub async fn set_preferences(
    db: &impl ConnectionTrait,
    user_id: i64,
    settings: &EmailSettings,
    now: DateTime<Utc>,
) -> Result<(), StorageError> {
    use email_preferences::Column as C;
    let existing = email_preferences::Entity::find()
        .filter(C::UserId.eq(user_id))
        .one(db)
        .await?;
    match existing {
        Some(row) => {
            let mut row: email_preferences::ActiveModel = row.into();
            row.language = Set(settings.language.as_str().to_owned());
            row.delivery = Set(settings.delivery.as_str().to_owned());
            row.updated_at = Set(now);
            row.update(db).await?;
        }
        None => {
            email_preferences::ActiveModel {
                user_id: Set(user_id),
                language: Set(settings.language.as_str().to_owned()),
                delivery: Set(settings.delivery.as_str().to_owned()),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(db)
            .await?;
        }
    }
    Ok(())
}

/// A notification not yet considered for e-mail, with what a message needs.
#[derive(Debug, Clone, PartialEq)]
pub struct MailableNotification {
    pub id: i64,
    pub recipient_id: i64,
    pub email: String,
    pub language: Language,
    pub delivery: EmailDelivery,
    pub kind: ReminderKind,
    pub object: DeadlineObject,
    pub due_on: NaiveDate,
    pub title: String,
    pub district: String,
    pub time_zone: String,
    pub created_at: DateTime<Utc>,
}

/// What a mailable notification is read from: its columns (a recipient who
/// never chose gets the default settings) over its joins.
fn mailable_from() -> String {
    let defaults = EmailSettings::default();
    format!(
        "n.id, n.recipient_id, u.email, \
         COALESCE(p.language, '{language}') AS language, \
         COALESCE(p.delivery, '{delivery}') AS delivery, \
         n.kind, n.object_type, n.object_id, n.due_on, \
         COALESCE(ai.title, m.title, '') AS title, d.name AS district, d.time_zone, n.created_at \
         FROM notifications n \
         JOIN users u ON u.id = n.recipient_id \
         JOIN districts d ON d.id = n.district_id \
         LEFT JOIN email_preferences p ON p.user_id = n.recipient_id \
         LEFT JOIN action_items ai ON n.object_type = '{action_item}' AND ai.id = n.object_id \
         LEFT JOIN milestones m ON n.object_type = '{milestone}' AND m.id = n.object_id",
        language = defaults.language.as_str(),
        delivery = defaults.delivery.as_str(),
        action_item = DeadlineKind::ActionItem.object_type(),
        milestone = DeadlineKind::Milestone.object_type(),
    )
}

fn mailable(row: &sea_orm::QueryResult) -> Result<MailableNotification, StorageError> {
    Ok(MailableNotification {
        id: row.try_get("", "id")?,
        recipient_id: row.try_get("", "recipient_id")?,
        email: row.try_get("", "email")?,
        language: row.try_get::<String>("", "language")?.parse()?,
        delivery: row.try_get::<String>("", "delivery")?.parse()?,
        kind: row.try_get::<String>("", "kind")?.parse()?,
        object: {
            let object_type: String = row.try_get("", "object_type")?;
            DeadlineObject::from_parts(&object_type, row.try_get("", "object_id")?)
                .ok_or_else(|| StorageError::Corrupt(format!("object type {object_type}")))?
        },
        due_on: row.try_get("", "due_on")?,
        title: row.try_get("", "title")?,
        district: row.try_get("", "district")?,
        time_zone: row.try_get("", "time_zone")?,
        created_at: row.try_get("", "created_at")?,
    })
}

/// Notifications made since `since`, not withdrawn and not yet considered,
/// oldest first.
pub async fn unconsidered(
    db: &impl ConnectionTrait,
    since: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<MailableNotification>, StorageError> {
    let sql = format!(
        "SELECT {from} \
         WHERE n.created_at >= ? AND n.withdrawn_at IS NULL \
           AND NOT EXISTS (SELECT 1 FROM email_notifications e WHERE e.notification_id = n.id) \
         ORDER BY n.id LIMIT {limit}",
        from = mailable_from(),
    );
    mailable_rows(db, &sql, vec![since.into()]).await
}

/// The notifications a statement of [`mailable_from`] reads.
async fn mailable_rows(
    db: &impl ConnectionTrait,
    sql: &str,
    values: Vec<sea_orm::Value>,
) -> Result<Vec<MailableNotification>, StorageError> {
    let rows = db
        .query_all_raw(statement(db.get_database_backend(), sql, values))
        .await?;
    rows.iter().map(mailable).collect()
}

/// The notifications gathered in one message, oldest first.
pub async fn notifications_of_message(
    db: &impl ConnectionTrait,
    message_id: i64,
) -> Result<Vec<MailableNotification>, StorageError> {
    let sql = format!(
        "SELECT {from} \
         JOIN email_notifications e ON e.notification_id = n.id \
         WHERE e.message_id = ? ORDER BY n.id",
        from = mailable_from(),
    );
    mailable_rows(db, &sql, vec![message_id.into()]).await
}

/// Marks a notification considered, in `message_id` or in none.
pub async fn consider(
    db: &impl ConnectionTrait,
    notification_id: i64,
    message_id: Option<i64>,
    now: DateTime<Utc>,
) -> Result<(), StorageError> {
    email_notifications::ActiveModel {
        notification_id: Set(notification_id),
        message_id: Set(message_id),
        considered_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// A message to queue.
#[derive(Debug, Clone)]
pub struct NewMessage {
    pub recipient_id: i64,
    pub to_address: String,
    pub subject: String,
    pub body: String,
    pub delivery: EmailDelivery,
    pub send_at: DateTime<Utc>,
}

/// Queues a message; its id.
pub async fn queue(
    db: &impl ConnectionTrait,
    message: NewMessage,
    now: DateTime<Utc>,
) -> Result<i64, StorageError> {
    let row = email_messages::ActiveModel {
        recipient_id: Set(message.recipient_id),
        to_address: Set(message.to_address),
        subject: Set(message.subject),
        body: Set(message.body),
        delivery: Set(message.delivery.as_str().to_owned()),
        status: Set(EmailStatus::Pending.as_str().to_owned()),
        attempts: Set(0),
        next_attempt_at: Set(message.send_at),
        lease_until: Set(None),
        last_error: Set(None),
        created_at: Set(now),
        sent_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(row.id)
}

/// The recipient's digest still being gathered (pending, never tried).
pub async fn open_digest(
    db: &impl ConnectionTrait,
    recipient_id: i64,
) -> Result<Option<i64>, StorageError> {
    use email_messages::Column as C;
    Ok(email_messages::Entity::find()
        .filter(C::RecipientId.eq(recipient_id))
        .filter(C::Delivery.eq(EmailDelivery::DailyDigest.as_str()))
        .filter(C::Status.eq(EmailStatus::Pending.as_str()))
        .filter(C::Attempts.eq(0))
        .order_by_desc(C::Id)
        .one(db)
        .await?
        .map(|m| m.id))
}

/// Replaces a queued message's text (a digest that gathered another reminder).
pub async fn rewrite(
    db: &impl ConnectionTrait,
    message_id: i64,
    subject: &str,
    body: &str,
) -> Result<(), StorageError> {
    use email_messages::Column as C;
    email_messages::Entity::update_many()
        .col_expr(C::Subject, Expr::val(subject))
        .col_expr(C::Body, Expr::val(body))
        .filter(C::Id.eq(message_id))
        .exec(db)
        .await?;
    Ok(())
}

fn outgoing(m: email_messages::Model) -> Result<EmailMessage, StorageError> {
    Ok(EmailMessage {
        id: EmailMessageId(m.id),
        recipient_id: UserId(m.recipient_id),
        to_address: m.to_address,
        subject: m.subject,
        body: m.body,
        delivery: m.delivery.parse()?,
        status: m.status.parse()?,
        attempts: m.attempts,
        last_error: m.last_error,
        next_attempt_at: m.next_attempt_at,
        sent_at: m.sent_at,
    })
}

/// Pending messages whose time has come, oldest first.
pub async fn due(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<EmailMessage>, StorageError> {
    use email_messages::Column as C;
    email_messages::Entity::find()
        .filter(C::Status.eq(EmailStatus::Pending.as_str()))
        .filter(C::NextAttemptAt.lte(now))
        .order_by_asc(C::NextAttemptAt)
        .order_by_asc(C::Id)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(outgoing)
        .collect()
}

/// Messages of one recipient, newest first (for tests and operators).
pub async fn messages_of(
    db: &impl ConnectionTrait,
    recipient_id: i64,
) -> Result<Vec<EmailMessage>, StorageError> {
    use email_messages::Column as C;
    email_messages::Entity::find()
        .filter(C::RecipientId.eq(recipient_id))
        .order_by_desc(C::Id)
        .all(db)
        .await?
        .into_iter()
        .map(outgoing)
        .collect()
}

/// Claims one attempt: counts it and pushes the next try to `lease_until`
/// (a sender that dies mid-attempt is retried then). True only for the one
/// caller whose update found the row as it read it.
pub async fn claim(
    db: &impl ConnectionTrait,
    seen: &EmailMessage,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
) -> Result<bool, StorageError> {
    use email_messages::Column as C;
    updated_one(
        db,
        email_messages::Entity::update_many()
            .col_expr(C::Attempts, Expr::col(C::Attempts).add(1))
            .col_expr(C::LeaseUntil, Expr::val(lease_until))
            .col_expr(C::NextAttemptAt, Expr::val(lease_until))
            .filter(C::Id.eq(seen.id.0))
            .filter(C::Status.eq(EmailStatus::Pending.as_str()))
            .filter(C::Attempts.eq(seen.attempts))
            .filter(C::NextAttemptAt.lte(now)),
    )
    .await
}

/// How a sending attempt ended.
#[derive(Debug, Clone)]
pub enum SendOutcome {
    Sent,
    /// Failed; tried again at `retry_at`, or given up when `None`.
    Failed {
        error: String,
        retry_at: Option<DateTime<Utc>>,
    },
}

pub async fn record_attempt(
    db: &impl ConnectionTrait,
    id: EmailMessageId,
    outcome: SendOutcome,
    now: DateTime<Utc>,
) -> Result<(), StorageError> {
    use email_messages::Column as C;
    let update = email_messages::Entity::update_many()
        .col_expr(C::LeaseUntil, Expr::val(Option::<DateTime<Utc>>::None))
        .filter(C::Id.eq(id.0));
    let update = match outcome {
        SendOutcome::Sent => update
            .col_expr(C::Status, Expr::val(EmailStatus::Sent.as_str()))
            .col_expr(C::LastError, Expr::val(Option::<String>::None))
            .col_expr(C::SentAt, Expr::val(now)),
        SendOutcome::Failed { error, retry_at } => {
            let update = update.col_expr(C::LastError, Expr::val(error));
            match retry_at {
                Some(at) => update.col_expr(C::NextAttemptAt, Expr::val(at)),
                None => update.col_expr(C::Status, Expr::val(EmailStatus::Failed.as_str())),
            }
        }
    };
    update.exec(db).await?;
    Ok(())
}
