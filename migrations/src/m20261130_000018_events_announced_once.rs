//! The outbox no longer NOTIFYs per row (issue 17). PostgreSQL serialises the
//! commits of every transaction that sent a NOTIFY behind one database-wide
//! lock held through the commit's WAL flush, so a trigger on the outbox made
//! all writes commit one at a time: about 1,000 transitions a second whatever
//! the number of clients, most of them waiting on `Lock:object`. Each
//! process's event relay now announces what was committed through it, once
//! per gathering window and outside any write (`Engine::run_event_relay`).

use sea_orm_migration::prelude::*;

use crate::m20261128_000008_events_and_webhooks::notify_per_event;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        notify_per_event(manager, false).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        notify_per_event(manager, true).await
    }
}
