//! The `districts` table: a local government.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "districts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub office_id: i64,
    pub kind: String,
    pub name: String,
    pub province: String,
    pub time_zone: String,
    pub created_at: DateTimeUtc,
}

no_relations!();
