//! The `opds` table: a work unit of a district.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "opds")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub district_id: i64,
    pub name: String,
    pub short_name: Option<String>,
    pub kind: String,
    pub head_title: Option<String>,
    pub created_at: DateTimeUtc,
    pub active: bool,
    pub deactivated_at: Option<DateTimeUtc>,
}

no_relations!();
