//! The `score_dimension_values` table: a per-dimension value of a score record.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "score_dimension_values")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub score_record_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub dimension_id: i64,
    pub value_hundredths: i32,
}

no_relations!();
