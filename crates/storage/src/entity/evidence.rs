//! The `evidence` table: a proof that a fix was made.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "evidence")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub action_item_id: i64,
    pub name: String,
    pub media_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub url: Option<String>,
    pub storage_key: Option<String>,
    pub uploaded_by: Option<i64>,
    pub uploaded_at: DateTimeUtc,
}

no_relations!();
