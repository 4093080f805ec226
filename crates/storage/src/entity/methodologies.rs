//! The `methodologies` table: a methodology version.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "methodologies")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub code: String,
    pub name: String,
    pub description: String,
    pub first_year: i32,
    pub last_year: Option<i32>,
    pub created_at: DateTimeUtc,
    pub legal_basis: Option<String>,
    /// JSON array of `{fact, confidence, reference}`.
    pub sources: Option<String>,
    pub has_zones: bool,
    pub result_prefix: Option<String>,
    /// JSON array of `{code, label}`.
    pub qualifiers: Option<String>,
    /// JSON array of `{code, label}`.
    pub published_labels: Option<String>,
}

no_relations!();
