//! The `opd_successions` table: one predecessor → successor link of a reorganisation.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "opd_successions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub reorganisation_id: i64,
    pub predecessor_id: i64,
    pub successor_id: i64,
}

no_relations!();
