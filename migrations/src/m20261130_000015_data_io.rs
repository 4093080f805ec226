//! E-mail reminders (issue 16): each user's language and e-mail preference,
//! and the outbox of messages to send, with every attempt's outcome.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{integer, string_len, text, text_null};

use crate::columns::*;

const LANGUAGES: &[&str] = &["ID", "EN"];
const DELIVERIES: &[&str] = &["NONE", "IMMEDIATE", "DAILY_DIGEST"];
const STATUSES: &[&str] = &["PENDING", "SENDING", "SENT", "FAILED"];

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Absent row: Indonesian, at once.
        manager
            .create_table(
                Table::create()
                    .table("email_preferences")
                    .col(id())
                    .col(reference("user_id"))
                    .col(code("language", LANGUAGES))
                    .col(code("delivery", DELIVERIES))
                    .col(instant("updated_at"))
                    .foreign_key(&mut fk_cascade("email_preferences", "user_id", "users"))
                    .take(),
            )
            .await?;
        // One message to one address: a reminder at once, or a day's digest.
        manager
            .create_table(
                Table::create()
                    .table("email_messages")
                    .col(id())
                    .col(reference("recipient_id"))
                    .col(string_len("to_address", 320))
                    .col(text("subject"))
                    .col(text("body"))
                    .col(code("delivery", DELIVERIES))
                    .col(code("status", STATUSES))
                    .col(integer("attempts").default(0))
                    .col(instant("next_attempt_at"))
                    .col(optional_instant("lease_until"))
                    .col(text_null("last_error"))
                    .col(instant("created_at"))
                    .col(optional_instant("sent_at"))
                    .foreign_key(&mut fk_cascade("email_messages", "recipient_id", "users"))
                    .take(),
            )
            .await?;
        // Which notification went into which message (or into none, when the
        // recipient wants no e-mail): each notification is considered once.
        manager
            .create_table(
                Table::create()
                    .table("email_notifications")
                    .col(id())
                    .col(reference("notification_id"))
                    .col(optional_reference("message_id"))
                    .col(instant("considered_at"))
                    .foreign_key(&mut fk_cascade(
                        "email_notifications",
                        "notification_id",
                        "notifications",
                    ))
                    .foreign_key(&mut fk_cascade(
                        "email_notifications",
                        "message_id",
                        "email_messages",
                    ))
                    .take(),
            )
            .await?;
        create_indexes(
            manager,
            vec![
                Index::create()
                    .name("ux_email_preferences_user")
                    .table("email_preferences")
                    .col("user_id")
                    .unique()
                    .take(),
                Index::create()
                    .name("ux_email_notifications_notification")
                    .table("email_notifications")
                    .col("notification_id")
                    .unique()
                    .take(),
                index("email_messages", &["status", "next_attempt_at"]),
                index("email_messages", &["recipient_id", "delivery", "status"]),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            &["email_notifications", "email_messages", "email_preferences"],
        )
        .await
    }
}
