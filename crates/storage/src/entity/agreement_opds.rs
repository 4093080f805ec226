//! The `agreement_opds` table: an OPD in an agreement's scope.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "agreement_opds")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub agreement_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub opd_id: i64,
}

no_relations!();
