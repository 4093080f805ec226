//! The `login_throttles` table: the failure count and delay of one account or address.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "login_throttles")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub throttle_key: String,
    pub failures: i32,
    pub last_failure_at: Option<DateTimeUtc>,
    pub blocked_until: Option<DateTimeUtc>,
    pub version: i32,
}

no_relations!();
