//! The `score_records` table: one revision of one score.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "score_records")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub period_id: i64,
    pub methodology_id: i64,
    pub district_id: i64,
    pub opd_id: Option<i64>,
    pub kind: String,
    pub total_hundredths: i32,
    pub computed_total_hundredths: Option<i32>,
    pub band_code: String,
    pub revision: i32,
    pub supersedes_id: Option<i64>,
    pub is_current: bool,
    pub correction_reason: Option<String>,
    pub recorded_by: Option<i64>,
    pub recorded_at: DateTimeUtc,
    pub provenance: String,
    pub source: Option<String>,
    pub national_rank: Option<i32>,
    pub national_rank_of: Option<i32>,
    pub qualifier: Option<String>,
    pub published_label: Option<String>,
}

no_relations!();
