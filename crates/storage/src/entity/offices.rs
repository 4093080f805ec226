//! The `offices` table: an Ombudsman office.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "offices")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub code: String,
    pub name: String,
    pub province: String,
    pub time_zone: String,
    pub created_at: DateTimeUtc,
}

no_relations!();
