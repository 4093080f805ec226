//! The `domain_events` table: an outgoing domain event (outbox).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "domain_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub occurred_at: DateTimeUtc,
    pub kind: String,
    pub object_type: String,
    pub object_id: i64,
    pub office_id: Option<i64>,
    pub district_id: Option<i64>,
    pub opd_id: Option<i64>,
    pub payload_json: Option<String>,
    pub agreement_id: Option<i64>,
}

no_relations!();
