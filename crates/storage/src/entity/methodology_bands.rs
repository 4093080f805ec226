//! The `methodology_bands` table: a score band of a methodology.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "methodology_bands")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub methodology_id: i64,
    pub code: String,
    pub label: String,
    pub min_hundredths: i32,
    pub max_hundredths: i32,
    pub zone: Option<String>,
    pub position: i32,
    pub inferred: bool,
}

no_relations!();
