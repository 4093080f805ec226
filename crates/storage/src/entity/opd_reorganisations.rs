//! The `opd_reorganisations` table: a merger or split of a district's OPDs.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "opd_reorganisations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub district_id: i64,
    pub kind: String,
    pub effective_on: Date,
    pub reason: String,
    pub recorded_by: Option<i64>,
    pub recorded_at: DateTimeUtc,
}

no_relations!();
