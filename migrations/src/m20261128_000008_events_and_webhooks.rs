//! Live events and webhooks: the outbox learns which agreement an event
//! belongs to (subscribers filter and scope by it), PostgreSQL announces every
//! new event at commit (`NOTIFY pendamping_events`), and webhooks with their
//! delivery log.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{boolean, integer, integer_null, string_len, text, text_null};
use sea_orm_migration::sea_orm::DatabaseBackend;

use crate::columns::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Fires after each insert into the outbox. NOTIFY is delivered when the
/// inserting transaction commits, so listeners hear only committed events.
const NOTIFY_FUNCTION: &str = r#"
CREATE OR REPLACE FUNCTION pendamping_notify_event() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('pendamping_events', NEW.id::text);
    RETURN NEW;
END;
$$ LANGUAGE plpgsql"#;

const NOTIFY_TRIGGER: &str = "CREATE TRIGGER domain_events_notify AFTER INSERT ON domain_events \
     FOR EACH ROW EXECUTE FUNCTION pendamping_notify_event()";

/// Puts the outbox's NOTIFY trigger in place, or takes it away (PostgreSQL
/// only; migration 000018 takes it away for good).
pub(crate) async fn notify_per_event(manager: &SchemaManager<'_>, on: bool) -> Result<(), DbErr> {
    if manager.get_database_backend() != DatabaseBackend::Postgres {
        return Ok(());
    }
    let db = manager.get_connection();
    let statements: [&str; 2] = if on {
        [NOTIFY_FUNCTION, NOTIFY_TRIGGER]
    } else {
        [
            "DROP TRIGGER IF EXISTS domain_events_notify ON domain_events",
            "DROP FUNCTION IF EXISTS pendamping_notify_event()",
        ]
    };
    for statement in statements {
        db.execute_unprepared(statement).await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("domain_events")
                    .add_column(optional_reference("agreement_id"))
                    .take(),
            )
            .await?;
        create_indexes(
            manager,
            vec![index("domain_events", &["agreement_id", "id"])],
        )
        .await?;
        notify_per_event(manager, true).await?;

        manager
            .create_table(
                Table::create()
                    .table("webhooks")
                    .col(id())
                    .col(string_len("url", 2000))
                    // The signing secret must be readable to sign with; it is shown to the admin once.
                    .col(string_len("secret", 200))
                    // The kinds delivered, as a JSON array; empty means every kind.
                    .col(text("kinds_json"))
                    .col(optional_reference("district_id"))
                    .col(boolean("active"))
                    .col(optional_reference("created_by"))
                    .col(instant("created_at"))
                    .col(optional_instant("deactivated_at"))
                    .foreign_key(&mut fk("webhooks", "district_id", "districts"))
                    .foreign_key(&mut fk("webhooks", "created_by", "users"))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("webhook_deliveries")
                    .col(id())
                    .col(reference("webhook_id"))
                    .col(reference("event_id"))
                    .col(code("status", &["PENDING", "DELIVERED", "FAILED"]))
                    .col(integer("attempts").default(0))
                    .col(integer_null("last_status_code"))
                    .col(text_null("last_error"))
                    .col(instant("next_attempt_at"))
                    .col(optional_instant("last_attempt_at"))
                    .col(optional_instant("delivered_at"))
                    .col(instant("created_at"))
                    .foreign_key(&mut fk_cascade(
                        "webhook_deliveries",
                        "webhook_id",
                        "webhooks",
                    ))
                    .foreign_key(&mut fk("webhook_deliveries", "event_id", "domain_events"))
                    .take(),
            )
            .await?;
        // One delivery per webhook and event, however many processes see the event.
        manager
            .create_index(
                Index::create()
                    .name("ux_webhook_deliveries_webhook_event")
                    .table("webhook_deliveries")
                    .col("webhook_id")
                    .col("event_id")
                    .unique()
                    .take(),
            )
            .await?;
        create_indexes(
            manager,
            vec![index("webhook_deliveries", &["status", "next_attempt_at"])],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["webhook_deliveries", "webhooks"]).await?;
        notify_per_event(manager, false).await?;
        manager
            .drop_index(
                Index::drop()
                    .name("ix_domain_events_agreement_id_id")
                    .table("domain_events")
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("domain_events")
                    .drop_column("agreement_id")
                    .take(),
            )
            .await
    }
}
