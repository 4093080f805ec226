//! The `action_items` table: a finding and its corrective action for one OPD.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "action_items")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub agreement_id: i64,
    pub opd_id: i64,
    pub district_id: i64,
    pub milestone_id: Option<i64>,
    pub title: String,
    pub finding: String,
    pub standard_component: Option<String>,
    pub priority: String,
    pub assignee_id: Option<i64>,
    pub due_on: Date,
    pub status: String,
    pub rejection_count: i32,
    pub cancellation_reason: Option<String>,
    pub submitted_by: Option<i64>,
    pub submitted_at: Option<DateTimeUtc>,
    pub verified_by: Option<i64>,
    pub verified_at: Option<DateTimeUtc>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub origin: String,
    pub product_number: Option<String>,
    pub product_year: Option<i32>,
}

no_relations!();
