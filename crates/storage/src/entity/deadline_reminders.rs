//! The `deadline_reminders` table: a reminder the sweeper raised, once per
//! object, kind and due date.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "deadline_reminders")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub object_type: String,
    pub object_id: i64,
    pub kind: String,
    pub due_on: Date,
    pub assignee_id: Option<i64>,
    pub agreement_id: i64,
    pub office_id: i64,
    pub district_id: i64,
    pub opd_id: Option<i64>,
    pub sweep_id: i64,
    pub raised_at: DateTimeUtc,
}

no_relations!();
