//! The `comments` table: a remark on an action item.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "comments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub action_item_id: i64,
    pub author_id: Option<i64>,
    pub author_label: String,
    pub body: String,
    pub created_at: DateTimeUtc,
}

no_relations!();
