//! The `methodology_dimensions` table: a weighted dimension of a methodology.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "methodology_dimensions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub methodology_id: i64,
    pub code: String,
    pub name: String,
    pub weight_bp: i32,
    pub position: i32,
}

no_relations!();
