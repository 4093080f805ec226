//! The `notifications` table: what one user is told about a deadline.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notifications")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub recipient_id: i64,
    pub reminder_id: i64,
    pub kind: String,
    pub object_type: String,
    pub object_id: i64,
    pub due_on: Date,
    pub district_id: i64,
    pub message: String,
    pub created_at: DateTimeUtc,
    pub read_at: Option<DateTimeUtc>,
    pub withdrawn_at: Option<DateTimeUtc>,
}

no_relations!();
