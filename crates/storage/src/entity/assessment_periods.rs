//! The `assessment_periods` table: an assessment period.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "assessment_periods")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub year: i32,
    pub name: String,
    pub methodology_id: i64,
    pub created_at: DateTimeUtc,
}

no_relations!();
