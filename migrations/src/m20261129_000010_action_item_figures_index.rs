//! A covering index for the action-item figures of the dashboards: a
//! district's (or its OPDs') counts by status, overdue items, on-time rate and
//! median days to verify read only this index, never the table's wide rows.

use sea_orm_migration::prelude::*;

const NAME: &str = "ix_action_items_district_id_figures";

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name(NAME)
                    .table("action_items")
                    .col("district_id")
                    .col("opd_id")
                    .col("status")
                    .col("due_on")
                    .col("created_at")
                    .col("verified_at")
                    .to_owned(),
            )
            .await?;
        // Statistics for the new index at once: SQLite's planner passes over an
        // index it has none for, and would keep reading the wide rows.
        manager
            .get_connection()
            .execute_unprepared("ANALYZE action_items")
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(Index::drop().name(NAME).table("action_items").to_owned())
            .await
    }
}
