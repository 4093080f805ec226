//! The `role_assignments` table: a role held by a user within a scope.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "role_assignments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub user_id: i64,
    pub role: String,
    pub office_id: Option<i64>,
    pub district_id: Option<i64>,
    pub opd_id: Option<i64>,
    pub created_at: DateTimeUtc,
}

no_relations!();
