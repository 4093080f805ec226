//! Methodologies (immutable versions with dimensions and bands), assessment
//! periods, and score records with their revisions.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    boolean, integer, integer_null, string_len, string_len_uniq, text, text_null,
};

use crate::columns::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// A score in integer hundredths on 0.00–100.00.
fn hundredths(name: &'static str) -> ColumnDef {
    integer(name)
        .check(Expr::col(name).between(0, 10_000))
        .take()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("methodologies")
                    .col(id())
                    .col(string_len_uniq("code", 40))
                    .col(string_len("name", 300))
                    .col(text("description"))
                    .col(integer("first_year"))
                    .col(integer_null("last_year"))
                    .col(instant("created_at"))
                    .check(Expr::cust("last_year IS NULL OR last_year >= first_year"))
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("methodology_dimensions")
                    .col(id())
                    .col(reference("methodology_id"))
                    .col(string_len("code", 40))
                    .col(string_len("name", 200))
                    // Hundredths of a percent: 21.85 % is 2185; a version's weights sum to 10000.
                    .col(integer("weight_bp").check(Expr::col("weight_bp").between(1, 10_000)))
                    .col(integer("position"))
                    .foreign_key(&mut fk(
                        "methodology_dimensions",
                        "methodology_id",
                        "methodologies",
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_methodology_dimensions_code")
                    .table("methodology_dimensions")
                    .col("methodology_id")
                    .col("code")
                    .unique()
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("methodology_bands")
                    .col(id())
                    .col(reference("methodology_id"))
                    .col(string_len("code", 40))
                    .col(string_len("label", 200))
                    .col(hundredths("min_hundredths"))
                    .col(hundredths("max_hundredths"))
                    .col(code("zone", &["GREEN", "YELLOW", "RED"]))
                    .col(integer("position"))
                    .check(Expr::cust("max_hundredths >= min_hundredths"))
                    .foreign_key(&mut fk(
                        "methodology_bands",
                        "methodology_id",
                        "methodologies",
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_methodology_bands_code")
                    .table("methodology_bands")
                    .col("methodology_id")
                    .col("code")
                    .unique()
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("assessment_periods")
                    .col(id())
                    .col(integer("year"))
                    .col(string_len("name", 200))
                    .col(reference("methodology_id"))
                    .col(instant("created_at"))
                    .foreign_key(&mut fk(
                        "assessment_periods",
                        "methodology_id",
                        "methodologies",
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_assessment_periods_year")
                    .table("assessment_periods")
                    .col("year")
                    .unique()
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("score_records")
                    .col(id())
                    .col(reference("period_id"))
                    // Pinned when recorded; never follows a later change of the period.
                    .col(reference("methodology_id"))
                    .col(reference("district_id"))
                    // NULL for the district's own (government-level) score.
                    .col(optional_reference("opd_id"))
                    .col(code(
                        "kind",
                        &["OFFICIAL", "SELF_ASSESSMENT", "MENTORING_CHECK"],
                    ))
                    .col(hundredths("total_hundredths"))
                    .col(
                        integer_null("computed_total_hundredths")
                            .check(Expr::col("computed_total_hundredths").between(0, 10_000)),
                    )
                    .col(string_len("band_code", 40))
                    .col(integer("revision").check(Expr::col("revision").gte(1)))
                    .col(optional_reference("supersedes_id"))
                    .col(boolean("is_current"))
                    .col(text_null("correction_reason"))
                    .col(optional_reference("recorded_by"))
                    .col(instant("recorded_at"))
                    .check(Expr::cust("revision = 1 OR correction_reason IS NOT NULL"))
                    .foreign_key(&mut fk("score_records", "period_id", "assessment_periods"))
                    .foreign_key(&mut fk("score_records", "methodology_id", "methodologies"))
                    .foreign_key(&mut fk("score_records", "district_id", "districts"))
                    .foreign_key(&mut fk("score_records", "opd_id", "opds"))
                    .foreign_key(&mut fk("score_records", "supersedes_id", "score_records"))
                    .foreign_key(&mut fk("score_records", "recorded_by", "users"))
                    .take(),
            )
            .await?;
        let db = manager.get_connection();
        // One current revision per subject, period and kind. COALESCE folds the
        // district-level row (opd_id NULL) into the key, which NULL alone would not.
        db.execute_unprepared(
            "CREATE UNIQUE INDEX ux_score_records_current ON score_records \
             (period_id, district_id, COALESCE(opd_id, 0), kind) WHERE is_current",
        )
        .await?;
        create_indexes(
            manager,
            vec![
                index("score_records", &["opd_id", "period_id"]),
                index("score_records", &["district_id", "period_id", "kind"]),
            ],
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table("score_dimension_values")
                    .col(reference("score_record_id"))
                    .col(reference("dimension_id"))
                    .col(hundredths("value_hundredths"))
                    .primary_key(Index::create().col("score_record_id").col("dimension_id"))
                    .foreign_key(&mut fk_cascade(
                        "score_dimension_values",
                        "score_record_id",
                        "score_records",
                    ))
                    .foreign_key(&mut fk(
                        "score_dimension_values",
                        "dimension_id",
                        "methodology_dimensions",
                    ))
                    .take(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            &[
                "score_dimension_values",
                "score_records",
                "assessment_periods",
                "methodology_bands",
                "methodology_dimensions",
                "methodologies",
            ],
        )
        .await
    }
}
