//! The deadline sweeper looks only at what can have changed since its last
//! pass (issue 17): each pass records the policy it ran with, and two partial
//! indexes find the open action items changed since a given instant and the
//! submitted ones whose wait for verification crossed a threshold. Due dates
//! crossed since the last pass are found by the existing `due_on` index.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::text_null;

/// Each index: name, column, and the rows it holds (open work: not verified,
/// not cancelled, as `ActionItemStatus::is_open_work`; submitted: awaiting
/// the office's verification). The sweeper's statements spell the same sets.
const INDEXES: &[(&str, &str, &str)] = &[
    (
        "ix_action_items_open_updated_at",
        "updated_at",
        "status IN ('OPEN', 'IN_PROGRESS', 'SUBMITTED', 'REJECTED')",
    ),
    (
        "ix_action_items_submitted_at",
        "submitted_at",
        "status = 'SUBMITTED'",
    ),
];

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // The policy a pass ran with (`reminders=3;district=7;office=30;verify=14`):
        // a pass builds on the last one only when their policies are the same.
        manager
            .alter_table(
                Table::alter()
                    .table("deadline_sweeps")
                    .add_column(text_null("policy"))
                    .take(),
            )
            .await?;
        // Partial indexes: the same statement on SQLite and PostgreSQL.
        let db = manager.get_connection();
        for (name, column, predicate) in INDEXES {
            db.execute_unprepared(&format!(
                "CREATE INDEX {name} ON action_items ({column}) WHERE {predicate}"
            ))
            .await?;
        }
        db.execute_unprepared("ANALYZE action_items").await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, _, _) in INDEXES {
            manager
                .drop_index(Index::drop().name(*name).table("action_items").to_owned())
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table("deadline_sweeps")
                    .drop_column("policy")
                    .take(),
            )
            .await
    }
}
