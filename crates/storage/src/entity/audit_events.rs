//! The `audit_events` table: an entry of the audit log.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub occurred_at: DateTimeUtc,
    pub actor_id: Option<i64>,
    pub actor_label: String,
    pub action: String,
    pub object_type: String,
    pub object_id: i64,
    pub office_id: Option<i64>,
    pub district_id: Option<i64>,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
    pub reason: Option<String>,
}

no_relations!();
