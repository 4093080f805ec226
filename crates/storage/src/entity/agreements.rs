//! The `agreements` table: a cooperation agreement.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "agreements")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub office_id: i64,
    pub district_id: i64,
    pub office_number: Option<String>,
    pub district_number: Option<String>,
    pub title: String,
    pub period_start: Date,
    pub period_end: Date,
    pub office_signatory: Option<String>,
    pub district_signatory: Option<String>,
    pub signed_on: Option<Date>,
    pub status: String,
    pub closing_summary: Option<String>,
    pub termination_reason: Option<String>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

no_relations!();
