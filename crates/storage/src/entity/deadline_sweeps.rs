//! The `deadline_sweeps` table: one pass of the deadline sweeper.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "deadline_sweeps")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub started_at: DateTimeUtc,
    pub finished_at: Option<DateTimeUtc>,
    pub reminders: i32,
    pub notifications: i32,
    pub withdrawn: i32,
    /// The policy the pass ran with (`DeadlinePolicy::key`); `None` before migration 000017.
    pub policy: Option<String>,
}

no_relations!();
