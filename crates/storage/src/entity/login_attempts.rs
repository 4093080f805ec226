//! The `login_attempts` table: one login attempt, for rate limiting.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "login_attempts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub email: String,
    pub address: Option<String>,
    pub succeeded: bool,
    pub attempted_at: DateTimeUtc,
}

no_relations!();
