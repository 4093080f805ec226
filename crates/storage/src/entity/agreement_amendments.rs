//! The `agreement_amendments` table: an amendment of a signed agreement.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "agreement_amendments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub agreement_id: i64,
    pub number: String,
    pub signed_on: Date,
    pub summary: String,
    pub new_period_end: Option<Date>,
    pub recorded_by: Option<i64>,
    pub recorded_at: DateTimeUtc,
    pub terms: Option<String>,
    pub added_opd_ids: Option<String>,
    pub removed_opd_ids: Option<String>,
}

no_relations!();
