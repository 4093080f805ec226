//! The `milestones` table: an activity of an agreement.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "milestones")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub agreement_id: i64,
    pub kind: String,
    pub title: String,
    pub planned_on: Date,
    pub actual_on: Option<Date>,
    pub location: Option<String>,
    pub outcome_notes: Option<String>,
    pub status: String,
    pub cancellation_reason: Option<String>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

no_relations!();
