//! Cooperation agreements, the OPDs they cover, their amendments, milestones
//! and the milestones' slip history.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{date, date_null, string_len, string_len_null, text, text_null};

use crate::columns::*;

const AGREEMENT_STATUSES: &[&str] = &["DRAFT", "ACTIVE", "COMPLETED", "TERMINATED", "CANCELLED"];
const MILESTONE_KINDS: &[&str] = &[
    "SOCIALISATION",
    "BIMTEK",
    "SELF_ASSESSMENT",
    "MONITORING_VISIT",
    "ASSESSMENT",
    "EVALUATION",
    "REPORT",
    "OTHER",
];
const MILESTONE_STATUSES: &[&str] = &["PLANNED", "IN_PROGRESS", "DONE", "CANCELLED"];

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("agreements")
                    .col(id())
                    .col(reference("office_id"))
                    .col(reference("district_id"))
                    .col(string_len_null("office_number", 100))
                    .col(string_len_null("district_number", 100))
                    .col(string_len("title", 300))
                    .col(date("period_start"))
                    .col(date("period_end"))
                    .col(string_len_null("office_signatory", 200))
                    .col(string_len_null("district_signatory", 200))
                    .col(date_null("signed_on"))
                    .col(code("status", AGREEMENT_STATUSES))
                    .col(text_null("closing_summary"))
                    .col(text_null("termination_reason"))
                    .col(version())
                    .col(instant("created_at"))
                    .col(instant("updated_at"))
                    .check(Expr::cust("period_end >= period_start"))
                    // Signing needs both numbers, both signatories and the date (DESIGN.md §4).
                    .check(Expr::cust(
                        "status IN ('DRAFT', 'CANCELLED') OR (office_number IS NOT NULL \
                         AND district_number IS NOT NULL AND office_signatory IS NOT NULL \
                         AND district_signatory IS NOT NULL AND signed_on IS NOT NULL)",
                    ))
                    .check(Expr::cust(
                        "status <> 'COMPLETED' OR closing_summary IS NOT NULL",
                    ))
                    .check(Expr::cust(
                        "status <> 'TERMINATED' OR termination_reason IS NOT NULL",
                    ))
                    .foreign_key(&mut fk("agreements", "office_id", "offices"))
                    .foreign_key(&mut fk("agreements", "district_id", "districts"))
                    .take(),
            )
            .await?;
        create_indexes(
            manager,
            vec![
                index("agreements", &["district_id", "status"]),
                index("agreements", &["office_id", "status"]),
            ],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table("agreement_opds")
                    .col(reference("agreement_id"))
                    .col(reference("opd_id"))
                    .primary_key(Index::create().col("agreement_id").col("opd_id"))
                    .foreign_key(&mut fk_cascade(
                        "agreement_opds",
                        "agreement_id",
                        "agreements",
                    ))
                    .foreign_key(&mut fk("agreement_opds", "opd_id", "opds"))
                    .take(),
            )
            .await?;
        create_indexes(manager, vec![index("agreement_opds", &["opd_id"])]).await?;

        manager
            .create_table(
                Table::create()
                    .table("agreement_amendments")
                    .col(id())
                    .col(reference("agreement_id"))
                    .col(string_len("number", 100))
                    .col(date("signed_on"))
                    .col(text("summary"))
                    .col(date_null("new_period_end"))
                    .col(optional_reference("recorded_by"))
                    .col(instant("recorded_at"))
                    .foreign_key(&mut fk(
                        "agreement_amendments",
                        "agreement_id",
                        "agreements",
                    ))
                    .foreign_key(&mut fk("agreement_amendments", "recorded_by", "users"))
                    .take(),
            )
            .await?;
        create_indexes(
            manager,
            vec![index("agreement_amendments", &["agreement_id"])],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table("milestones")
                    .col(id())
                    .col(reference("agreement_id"))
                    .col(code("kind", MILESTONE_KINDS))
                    .col(string_len("title", 300))
                    .col(date("planned_on"))
                    .col(date_null("actual_on"))
                    .col(string_len_null("location", 300))
                    .col(text_null("outcome_notes"))
                    .col(code("status", MILESTONE_STATUSES))
                    .col(text_null("cancellation_reason"))
                    .col(version())
                    .col(instant("created_at"))
                    .col(instant("updated_at"))
                    .check(Expr::cust(
                        "status <> 'DONE' OR (actual_on IS NOT NULL AND outcome_notes IS NOT NULL)",
                    ))
                    .check(Expr::cust(
                        "status <> 'CANCELLED' OR cancellation_reason IS NOT NULL",
                    ))
                    .foreign_key(&mut fk("milestones", "agreement_id", "agreements"))
                    .take(),
            )
            .await?;
        create_indexes(
            manager,
            vec![index("milestones", &["agreement_id", "planned_on"])],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table("milestone_opds")
                    .col(reference("milestone_id"))
                    .col(reference("opd_id"))
                    .primary_key(Index::create().col("milestone_id").col("opd_id"))
                    .foreign_key(&mut fk_cascade(
                        "milestone_opds",
                        "milestone_id",
                        "milestones",
                    ))
                    .foreign_key(&mut fk("milestone_opds", "opd_id", "opds"))
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("milestone_reschedules")
                    .col(id())
                    .col(reference("milestone_id"))
                    .col(date("old_date"))
                    .col(date("new_date"))
                    .col(text("reason"))
                    .col(optional_reference("rescheduled_by"))
                    .col(instant("rescheduled_at"))
                    .check(Expr::cust("old_date <> new_date"))
                    .foreign_key(&mut fk(
                        "milestone_reschedules",
                        "milestone_id",
                        "milestones",
                    ))
                    .foreign_key(&mut fk("milestone_reschedules", "rescheduled_by", "users"))
                    .take(),
            )
            .await?;
        create_indexes(
            manager,
            vec![index("milestone_reschedules", &["milestone_id"])],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            &[
                "milestone_reschedules",
                "milestone_opds",
                "milestones",
                "agreement_amendments",
                "agreement_opds",
                "agreements",
            ],
        )
        .await
    }
}
