//! The outbox (`domain_events`) no longer bumps the change counters (issue
//! 17): no query answer reads it — only live subscriptions and webhooks do,
//! and neither is kept in the answer cache — yet every transition paid for a
//! third statement-level trigger bumping the same district's counter the
//! item's own update had just bumped (about 6 % more transitions a second
//! without it on the national data set).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

use crate::m20261130_000016_scope_changes::watching;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            // Dropping the function drops its triggers.
            db.execute_unprepared("DROP FUNCTION IF EXISTS scope_changes_domain_events() CASCADE")
                .await?;
        } else {
            for name in ["insert", "update", "delete"] {
                db.execute_unprepared(&format!(
                    "DROP TRIGGER IF EXISTS scope_changes_{name}_domain_events"
                ))
                .await?;
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let postgres = manager.get_database_backend() == DatabaseBackend::Postgres;
        let db = manager.get_connection();
        for statement in watching("domain_events", postgres) {
            db.execute_unprepared(&statement).await?;
        }
        Ok(())
    }
}
