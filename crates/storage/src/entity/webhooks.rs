//! The `webhooks` table: an endpoint that receives matching events, signed.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhooks")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub url: String,
    pub secret: String,
    pub kinds_json: String,
    pub district_id: Option<i64>,
    pub active: bool,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub deactivated_at: Option<DateTimeUtc>,
}

no_relations!();
