//! Action items, their evidence and comments.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    big_integer, date, integer, string_len, string_len_null, text, text_null,
};

use crate::columns::*;

const STATUSES: &[&str] = &[
    "OPEN",
    "IN_PROGRESS",
    "SUBMITTED",
    "VERIFIED",
    "REJECTED",
    "CANCELLED",
];
const PRIORITIES: &[&str] = &["LOW", "MEDIUM", "HIGH", "CRITICAL"];
const COMPONENTS: &[&str] = &[
    "LEGAL_BASIS",
    "REQUIREMENTS",
    "PROCEDURE",
    "COMPLETION_TIME",
    "COST",
    "SERVICE_PRODUCT",
    "FACILITIES",
    "IMPLEMENTER_COMPETENCE",
    "INTERNAL_SUPERVISION",
    "COMPLAINT_HANDLING",
    "NUMBER_OF_IMPLEMENTERS",
    "SERVICE_GUARANTEE",
    "SECURITY_AND_SAFETY",
    "PERFORMANCE_EVALUATION",
];

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("action_items")
                    .col(id())
                    .col(reference("agreement_id"))
                    .col(reference("opd_id"))
                    // Denormalised from the OPD so district boards filter without a join.
                    .col(reference("district_id"))
                    .col(optional_reference("milestone_id"))
                    .col(string_len("title", 300))
                    .col(text("finding"))
                    .col(optional_code("standard_component", COMPONENTS))
                    .col(code("priority", PRIORITIES))
                    .col(optional_reference("assignee_id"))
                    .col(date("due_on"))
                    .col(code("status", STATUSES))
                    .col(
                        integer("rejection_count")
                            .default(0)
                            .check(Expr::col("rejection_count").gte(0)),
                    )
                    .col(text_null("cancellation_reason"))
                    .col(optional_reference("submitted_by"))
                    .col(optional_instant("submitted_at"))
                    .col(optional_reference("verified_by"))
                    .col(optional_instant("verified_at"))
                    .col(version())
                    .col(instant("created_at"))
                    .col(instant("updated_at"))
                    .check(Expr::cust(
                        "status <> 'CANCELLED' OR cancellation_reason IS NOT NULL",
                    ))
                    // The verifier is never the submitter (DESIGN.md §4).
                    .check(Expr::cust(
                        "verified_by IS NULL OR submitted_by IS NULL OR verified_by <> submitted_by",
                    ))
                    .foreign_key(&mut fk("action_items", "agreement_id", "agreements"))
                    .foreign_key(&mut fk("action_items", "opd_id", "opds"))
                    .foreign_key(&mut fk("action_items", "district_id", "districts"))
                    .foreign_key(&mut fk("action_items", "milestone_id", "milestones"))
                    .foreign_key(&mut fk("action_items", "assignee_id", "users"))
                    .foreign_key(&mut fk("action_items", "submitted_by", "users"))
                    .foreign_key(&mut fk("action_items", "verified_by", "users"))
                    .take(),
            )
            .await?;
        create_indexes(
            manager,
            vec![
                index("action_items", &["district_id", "status", "due_on"]),
                index("action_items", &["opd_id", "status"]),
                index("action_items", &["agreement_id", "status"]),
                index("action_items", &["milestone_id"]),
                index("action_items", &["assignee_id"]),
                index("action_items", &["due_on"]),
            ],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table("evidence")
                    .col(id())
                    .col(reference("action_item_id"))
                    .col(string_len("name", 300))
                    .col(string_len("media_type", 200))
                    .col(big_integer("size_bytes").check(Expr::col("size_bytes").gte(0)))
                    .col(string_len("sha256", 64).check(Expr::cust("length(sha256) = 64")))
                    .col(text_null("url"))
                    .col(string_len_null("storage_key", 200))
                    .col(optional_reference("uploaded_by"))
                    .col(instant("uploaded_at"))
                    .check(Expr::cust("url IS NOT NULL OR storage_key IS NOT NULL"))
                    .foreign_key(&mut fk("evidence", "action_item_id", "action_items"))
                    .foreign_key(&mut fk("evidence", "uploaded_by", "users"))
                    .take(),
            )
            .await?;
        create_indexes(manager, vec![index("evidence", &["action_item_id"])]).await?;

        manager
            .create_table(
                Table::create()
                    .table("comments")
                    .col(id())
                    .col(reference("action_item_id"))
                    .col(optional_reference("author_id"))
                    .col(string_len("author_label", 200))
                    .col(text("body"))
                    .col(instant("created_at"))
                    .foreign_key(&mut fk("comments", "action_item_id", "action_items"))
                    .foreign_key(&mut fk("comments", "author_id", "users"))
                    .take(),
            )
            .await?;
        create_indexes(manager, vec![index("comments", &["action_item_id"])]).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["comments", "evidence", "action_items"]).await
    }
}
