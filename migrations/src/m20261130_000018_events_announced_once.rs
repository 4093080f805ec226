//! The outbox no longer NOTIFYs per row (issue 17). PostgreSQL serialises the
//! commits of every transaction that sent a NOTIFY behind one database-wide
//! lock held through the commit's WAL flush, so a trigger on the outbox made
//! all writes commit one at a time: about 1,000 transitions a second whatever
//! the number of clients, most of them waiting on `Lock:object`. Each
//! process's event relay now announces what was committed through it, once
//! per gathering window and outside any write (`Engine::run_event_relay`).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

use crate::m20261128_000008_events_and_webhooks::{NOTIFY_FUNCTION, NOTIFY_TRIGGER};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            let db = manager.get_connection();
            db.execute_unprepared("DROP TRIGGER IF EXISTS domain_events_notify ON domain_events")
                .await?;
            db.execute_unprepared("DROP FUNCTION IF EXISTS pendamping_notify_event()")
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            let db = manager.get_connection();
            db.execute_unprepared(NOTIFY_FUNCTION).await?;
            db.execute_unprepared(NOTIFY_TRIGGER).await?;
        }
        Ok(())
    }
}
