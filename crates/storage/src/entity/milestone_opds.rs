//! The `milestone_opds` table: an OPD involved in a milestone.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "milestone_opds")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub milestone_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub opd_id: i64,
}

no_relations!();
