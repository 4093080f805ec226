//! The `score_targets` table: what a district or OPD aims for in a year.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "score_targets")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub district_id: i64,
    pub opd_id: Option<i64>,
    pub year: i32,
    pub zone: Option<String>,
    pub band_code: Option<String>,
    pub min_total_hundredths: Option<i32>,
    pub note: Option<String>,
    pub set_by: Option<i64>,
    pub set_at: DateTimeUtc,
}

no_relations!();
