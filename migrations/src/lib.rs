//! Pendamping's schema, as sea-orm-migration steps that run unchanged on SQLite
//! and PostgreSQL.
//!
//! Invariants: migrations are append-only (a released step is never edited,
//! only followed by a new one); they depend on sea-orm-migration alone, never
//! on today's entities; names read `mYYYYMMDD_HHMMSS_verb_noun`.

pub use sea_orm_migration::prelude::*;

mod columns;
mod m20261128_000001_create_reference_tables;
mod m20261128_000002_create_identity_tables;
mod m20261128_000003_create_agreement_tables;
mod m20261128_000004_create_action_item_tables;
mod m20261128_000005_create_score_tables;
mod m20261128_000006_create_audit_tables;
mod m20261128_000007_insert_builtin_methodologies;
mod m20261128_000008_events_and_webhooks;
mod m20261128_000009_deadlines;
mod m20261129_000010_action_item_figures_index;
mod m20261130_000011_accounts;
mod m20261130_000012_reference_and_work_rules;
mod m20261130_000013_score_provenance_and_opini;
mod m20261130_000015_data_io;
mod m20261130_000016_scope_changes;
mod m20261130_000017_write_path;
mod m20261130_000018_events_announced_once;
mod m20261130_000019_outbox_unwatched;

/// Every migration, oldest first.
#[derive(Debug)]
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261128_000001_create_reference_tables::Migration),
            Box::new(m20261128_000002_create_identity_tables::Migration),
            Box::new(m20261128_000003_create_agreement_tables::Migration),
            Box::new(m20261128_000004_create_action_item_tables::Migration),
            Box::new(m20261128_000005_create_score_tables::Migration),
            Box::new(m20261128_000006_create_audit_tables::Migration),
            Box::new(m20261128_000007_insert_builtin_methodologies::Migration),
            Box::new(m20261128_000008_events_and_webhooks::Migration),
            Box::new(m20261128_000009_deadlines::Migration),
            Box::new(m20261129_000010_action_item_figures_index::Migration),
            Box::new(m20261130_000011_accounts::Migration),
            Box::new(m20261130_000012_reference_and_work_rules::Migration),
            Box::new(m20261130_000013_score_provenance_and_opini::Migration),
            Box::new(m20261130_000015_data_io::Migration),
            Box::new(m20261130_000016_scope_changes::Migration),
            Box::new(m20261130_000017_write_path::Migration),
            Box::new(m20261130_000018_events_announced_once::Migration),
            Box::new(m20261130_000019_outbox_unwatched::Migration),
        ]
    }
}
