//! The `users` table: a user.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub password_hash: Option<String>,
    pub created_at: DateTimeUtc,
    pub disabled_at: Option<DateTimeUtc>,
}

no_relations!();
