//! The `action_item_due_changes` table: one extension of an action item's due date.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "action_item_due_changes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub action_item_id: i64,
    pub old_date: Date,
    pub new_date: Date,
    pub reason: String,
    pub changed_by: Option<i64>,
    pub changed_at: DateTimeUtc,
}

no_relations!();
