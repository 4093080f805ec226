//! The append-only audit log and the outbox of domain events.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{big_integer, string_len, text_null};

use crate::columns::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("audit_events")
                    .col(id())
                    .col(instant("occurred_at"))
                    .col(optional_reference("actor_id"))
                    .col(string_len("actor_label", 254))
                    .col(string_len("action", 80))
                    .col(string_len("object_type", 40))
                    .col(big_integer("object_id"))
                    // Where the record belongs, so the log is read within scope like everything else.
                    .col(optional_reference("office_id"))
                    .col(optional_reference("district_id"))
                    .col(text_null("before_json"))
                    .col(text_null("after_json"))
                    .col(text_null("reason"))
                    .foreign_key(&mut fk("audit_events", "actor_id", "users"))
                    .take(),
            )
            .await?;
        create_indexes(
            manager,
            vec![
                index("audit_events", &["object_type", "object_id"]),
                index("audit_events", &["district_id", "occurred_at"]),
                index("audit_events", &["office_id", "occurred_at"]),
                index("audit_events", &["actor_id", "occurred_at"]),
            ],
        )
        .await?;

        // Written in the same transaction as the change it reports; relayed to
        // subscribers and webhooks from here, so no event is lost or invented.
        manager
            .create_table(
                Table::create()
                    .table("domain_events")
                    .col(id())
                    .col(instant("occurred_at"))
                    .col(string_len("kind", 80))
                    .col(string_len("object_type", 40))
                    .col(big_integer("object_id"))
                    .col(optional_reference("office_id"))
                    .col(optional_reference("district_id"))
                    .col(optional_reference("opd_id"))
                    .col(text_null("payload_json"))
                    .take(),
            )
            .await?;
        create_indexes(
            manager,
            vec![index("domain_events", &["district_id", "id"])],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["domain_events", "audit_events"]).await
    }
}
