//! The `milestone_reschedules` table: one slip of a milestone's planned date.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "milestone_reschedules")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub milestone_id: i64,
    pub old_date: Date,
    pub new_date: Date,
    pub reason: String,
    pub rescheduled_by: Option<i64>,
    pub rescheduled_at: DateTimeUtc,
}

no_relations!();
