//! The `access_tokens` table: a bearer token, stored as its hash.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "access_tokens")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub token_hash: String,
    pub kind: String,
    pub user_id: Option<i64>,
    pub label: String,
    pub role: Option<String>,
    pub office_id: Option<i64>,
    pub district_id: Option<i64>,
    pub created_at: DateTimeUtc,
    pub expires_at: Option<DateTimeUtc>,
    pub revoked_at: Option<DateTimeUtc>,
    pub last_used_at: Option<DateTimeUtc>,
}

no_relations!();
