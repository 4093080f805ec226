//! Scores as the Ombudsman publishes them (issue 14 items 4 and 5, issue 18):
//!
//! - where an action item comes from (`origin`), with the Ombudsman product's
//!   document number and year, countable per district and year;
//! - where a score comes from (`provenance`, `source`), the published national
//!   rank, the 2025 opinion's qualifier and secondary label, as published;
//! - a methodology version's legal basis and sources as data, whether it has
//!   colour zones, and which of its bands are inferred rather than published;
//! - the built-in `OPINI-2025` version (no zones; levels with inferred
//!   cut-offs; the total recorded as published) and the 2025 and 2026 periods;
//! - targets per district or OPD and year.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    boolean, integer, integer_null, string_len, string_len_null, text_null,
};

use crate::columns::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const ORIGINS: &[&str] = &[
    "VISIT_FINDING",
    "SELF_IDENTIFIED",
    "CORRECTIVE_ACTION",
    "IMPROVEMENT_SUGGESTION",
    "REFINEMENT_SUGGESTION",
    "RECOMMENDATION",
];

const PROVENANCES: &[&str] = &[
    "PUBLISHED",
    "SELF_ASSESSMENT",
    "MENTORING_CHECK",
    "ILLUSTRATIVE",
];

const KSP_SOURCES: &str = r#"[{"fact":"Zones and their ranges (green 81.00-100, yellow 51.00-80.99, red 0-50.99)","confidence":"CERTAIN","reference":"Ombudsman RI, announcements of the Penilaian Kepatuhan terhadap Standar Pelayanan Publik results 2015-2021"}]"#;

const PKP_SOURCES: &str = r#"[{"fact":"Dimension weights 21.85/32.37/24.24/21.54 and grades A-E with cut-offs 88/78/54/32","confidence":"CERTAIN","reference":"Ombudsman RI, announcements of the Penilaian Kepatuhan Penyelenggaraan Pelayanan Publik results 2022-2024"},{"fact":"Grades A-B count as the green zone, C yellow, D-E red","confidence":"CERTAIN","reference":"Ombudsman RI announcements 2022-2024"}]"#;

const OPINI_SOURCES: &str = r#"[{"fact":"Legal basis Peraturan Ombudsman RI Nomor 61 Tahun 2025; results announced 29 January 2026","confidence":"CERTAIN","reference":"ombudsman.go.id news opini-ombudsman-ri-2025-lima-kementerian-raih-opini-kualitas-tertinggi-tanpa-maladministrasi; pasal.id"},{"fact":"Replaces Peraturan Ombudsman 22/2016","confidence":"LIKELY","reference":"wartamelawi.com"},{"fact":"The result is a quality level (Opini Kualitas Tertinggi/Tinggi/Sedang/Rendah), optionally with the qualifier Tanpa Maladministrasi","confidence":"CERTAIN","reference":"ombudsman.go.id; hariannegeri.com; cermat.co.id; imalut.com; lenteratoday.com"},{"fact":"Kualitas Terendah as the fifth level","confidence":"UNCERTAIN","reference":"inferred by analogy with 2022-2024"},{"fact":"Tanpa Maladministrasi is given for following up the Ombudsman's supervision products to completion, not for a score","confidence":"CERTAIN","reference":"hariannegeri.com (Ombudsman Maluku Utara); lampost.co"},{"fact":"Cut-offs 88.00/78.00/54.00/32.00","confidence":"UNCERTAIN","reference":"inferred from published score and level pairs (kupastuntas.co, cermat.co.id)"},{"fact":"No colour zones from 2025","confidence":"CERTAIN","reference":"topindonesia.id; bgnnews"},{"fact":"Secondary label Sangat Baik/Baik/Cukup/Kurang; its bands are not published","confidence":"CERTAIN (labels), UNCERTAIN (bands)","reference":"cermat.co.id; kupastuntas.co"},{"fact":"Four dimensions weigh 70 %, public trust or compliance 30 % (sources conflict); the total is recorded as published","confidence":"LIKELY, conflicting","reference":"lampost.co; kabartujuhsatu.news"}]"#;

const OPINI_QUALIFIERS: &str =
    r#"[{"code":"TANPA_MALADMINISTRASI","label":"Tanpa Maladministrasi"}]"#;
const OPINI_LABELS: &str = r#"[{"code":"SANGAT_BAIK","label":"Sangat Baik"},{"code":"BAIK","label":"Baik"},{"code":"CUKUP","label":"Cukup"},{"code":"KURANG","label":"Kurang"}]"#;

/// (code, label, min, max, position) of the OPINI-2025 levels, in hundredths.
const OPINI_BANDS: &[(&str, &str, i32, i32, i32)] = &[
    ("TERTINGGI", "Kualitas Tertinggi", 8800, 10000, 1),
    ("TINGGI", "Kualitas Tinggi", 7800, 8799, 2),
    ("SEDANG", "Kualitas Sedang", 5400, 7799, 3),
    ("RENDAH", "Kualitas Rendah", 3200, 5399, 4),
    ("TERENDAH", "Kualitas Terendah", 0, 3199, 5),
];

fn quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

async fn add_column(
    manager: &SchemaManager<'_>,
    table: &'static str,
    column: ColumnDef,
) -> Result<(), DbErr> {
    let mut column = column;
    manager
        .alter_table(Table::alter().table(table).add_column(&mut column).take())
        .await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    /// One transaction on every backend: the SQLite table rebuild below must
    /// run on one connection, and nothing may be half-applied.
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let backend = manager.get_database_backend();

        // ---- action items: origin --------------------------------------
        add_column(
            manager,
            "action_items",
            string_len("origin", 40)
                .default("VISIT_FINDING")
                .check(Expr::col("origin").is_in(ORIGINS.iter().copied()))
                .take(),
        )
        .await?;
        add_column(
            manager,
            "action_items",
            string_len_null("product_number", 100),
        )
        .await?;
        add_column(manager, "action_items", integer_null("product_year")).await?;
        // An item raised without a milestone was not found at a visit.
        db.execute_unprepared(
            "UPDATE action_items SET origin = 'SELF_IDENTIFIED' WHERE milestone_id IS NULL",
        )
        .await?;
        manager
            .create_index(index(
                "action_items",
                &["district_id", "origin", "product_year"],
            ))
            .await?;

        // ---- methodologies: legal basis, sources, zones, qualifiers -------
        add_column(manager, "methodologies", text_null("legal_basis")).await?;
        add_column(manager, "methodologies", text_null("sources")).await?;
        add_column(
            manager,
            "methodologies",
            boolean("has_zones").default(true).take(),
        )
        .await?;
        add_column(
            manager,
            "methodologies",
            string_len_null("result_prefix", 40),
        )
        .await?;
        add_column(manager, "methodologies", text_null("qualifiers")).await?;
        add_column(manager, "methodologies", text_null("published_labels")).await?;

        // A band may have no zone (OPINI-2025), and its edges may be inferred.
        match backend {
            sea_orm::DatabaseBackend::Postgres => {
                db.execute_unprepared(
                    "ALTER TABLE methodology_bands ALTER COLUMN zone DROP NOT NULL",
                )
                .await?;
            }
            _ => {
                // SQLite cannot drop NOT NULL: the table is rebuilt (nothing refers to it).
                manager
                    .create_table(
                        Table::create()
                            .table("methodology_bands_rebuilt")
                            .col(id())
                            .col(reference("methodology_id"))
                            .col(string_len("code", 40))
                            .col(string_len("label", 200))
                            .col(
                                integer("min_hundredths")
                                    .check(Expr::col("min_hundredths").between(0, 10_000))
                                    .take(),
                            )
                            .col(
                                integer("max_hundredths")
                                    .check(Expr::col("max_hundredths").between(0, 10_000))
                                    .take(),
                            )
                            .col(optional_code("zone", &["GREEN", "YELLOW", "RED"]))
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
                db.execute_unprepared(
                    "INSERT INTO methodology_bands_rebuilt \
                     (id, methodology_id, code, label, min_hundredths, max_hundredths, zone, position) \
                     SELECT id, methodology_id, code, label, min_hundredths, max_hundredths, zone, position \
                     FROM methodology_bands",
                )
                .await?;
                db.execute_unprepared("DROP INDEX IF EXISTS ux_methodology_bands_code")
                    .await?;
                db.execute_unprepared("DROP TABLE methodology_bands")
                    .await?;
                db.execute_unprepared(
                    "ALTER TABLE methodology_bands_rebuilt RENAME TO methodology_bands",
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
            }
        }
        add_column(
            manager,
            "methodology_bands",
            boolean("inferred").default(false).take(),
        )
        .await?;

        db.execute_unprepared(&format!(
            "UPDATE methodologies SET legal_basis = {}, sources = {} WHERE code = 'KSP-2021'",
            quoted("UU 25/2009 tentang Pelayanan Publik (standar pelayanan, pasal 21); UU 37/2008 tentang Ombudsman Republik Indonesia"),
            quoted(KSP_SOURCES),
        ))
        .await?;
        db.execute_unprepared(&format!(
            "UPDATE methodologies SET legal_basis = {}, sources = {} WHERE code = 'PKP-2022'",
            quoted("UU 25/2009 tentang Pelayanan Publik; UU 37/2008 tentang Ombudsman Republik Indonesia; Peraturan Ombudsman 22/2016"),
            quoted(PKP_SOURCES),
        ))
        .await?;

        // ---- OPINI-2025 ---------------------------------------------------
        db.execute_unprepared(&format!(
            "INSERT INTO methodologies (code, name, description, first_year, last_year, created_at, \
               legal_basis, sources, has_zones, result_prefix, qualifiers, published_labels) \
             SELECT 'OPINI-2025', 'Penilaian Maladministrasi Penyelenggaraan Pelayanan Publik (Opini Ombudsman RI)', {description}, \
               2025, NULL, CURRENT_TIMESTAMP, {legal}, {sources}, FALSE, 'Opini', {qualifiers}, {labels} \
             WHERE NOT EXISTS (SELECT 1 FROM methodologies WHERE code = 'OPINI-2025')",
            description = quoted(
                "An opinion: a quality level from the total (Kualitas Tertinggi to Terendah), optionally with the qualifier Tanpa Maladministrasi for bodies that followed up the Ombudsman's supervision products to completion. No colour zones. The total is recorded as published: the component weights (70 % four dimensions, 30 % public trust or compliance) are not confirmed. The level cut-offs are inferred from published pairs; the secondary label (Sangat Baik/Baik/Cukup/Kurang) is recorded as published, never computed."
            ),
            legal = quoted(
                "Peraturan Ombudsman RI Nomor 61 Tahun 2025 tentang Penilaian Maladministrasi Penyelenggaraan Pelayanan Publik"
            ),
            sources = quoted(OPINI_SOURCES),
            qualifiers = quoted(OPINI_QUALIFIERS),
            labels = quoted(OPINI_LABELS),
        ))
        .await?;
        for (code, label, min, max, position) in OPINI_BANDS {
            db.execute_unprepared(&format!(
                "INSERT INTO methodology_bands \
                 (methodology_id, code, label, min_hundredths, max_hundredths, zone, position, inferred) \
                 SELECT id, '{code}', '{label}', {min}, {max}, NULL, {position}, TRUE \
                 FROM methodologies WHERE code = 'OPINI-2025' \
                 AND NOT EXISTS (SELECT 1 FROM methodology_bands b JOIN methodologies m ON m.id = b.methodology_id \
                                 WHERE m.code = 'OPINI-2025' AND b.code = '{code}')"
            ))
            .await?;
        }
        for year in [2025, 2026] {
            db.execute_unprepared(&format!(
                "INSERT INTO assessment_periods (year, name, methodology_id, created_at) \
                 SELECT {year}, 'Penilaian Maladministrasi Penyelenggaraan Pelayanan Publik {year}', id, CURRENT_TIMESTAMP \
                 FROM methodologies WHERE code = 'OPINI-2025' \
                 AND NOT EXISTS (SELECT 1 FROM assessment_periods WHERE year = {year})"
            ))
            .await?;
        }

        // ---- score records: provenance, source, rank, opinion ------------
        add_column(
            manager,
            "score_records",
            string_len("provenance", 40)
                .default("PUBLISHED")
                .check(Expr::col("provenance").is_in(PROVENANCES.iter().copied()))
                .take(),
        )
        .await?;
        db.execute_unprepared(
            "UPDATE score_records SET provenance = kind WHERE kind IN ('SELF_ASSESSMENT', 'MENTORING_CHECK')",
        )
        .await?;
        add_column(manager, "score_records", text_null("source")).await?;
        add_column(
            manager,
            "score_records",
            integer_null("national_rank")
                .check(Expr::col("national_rank").gte(1))
                .take(),
        )
        .await?;
        add_column(
            manager,
            "score_records",
            integer_null("national_rank_of")
                .check(Expr::col("national_rank_of").gte(1))
                .take(),
        )
        .await?;
        add_column(manager, "score_records", string_len_null("qualifier", 40)).await?;
        add_column(
            manager,
            "score_records",
            string_len_null("published_label", 40),
        )
        .await?;

        // ---- targets -------------------------------------------------------
        manager
            .create_table(
                Table::create()
                    .table("score_targets")
                    .col(id())
                    .col(reference("district_id"))
                    .col(optional_reference("opd_id"))
                    .col(integer("year"))
                    .col(optional_code("zone", &["GREEN", "YELLOW", "RED"]))
                    .col(string_len_null("band_code", 40))
                    .col(
                        integer_null("min_total_hundredths")
                            .check(Expr::col("min_total_hundredths").between(0, 10_000))
                            .take(),
                    )
                    .col(text_null("note"))
                    .col(optional_reference("set_by"))
                    .col(instant("set_at"))
                    .check(Expr::cust(
                        "zone IS NOT NULL OR band_code IS NOT NULL OR min_total_hundredths IS NOT NULL",
                    ))
                    .foreign_key(&mut fk("score_targets", "district_id", "districts"))
                    .foreign_key(&mut fk("score_targets", "opd_id", "opds"))
                    .foreign_key(&mut fk("score_targets", "set_by", "users"))
                    .take(),
            )
            .await?;
        db.execute_unprepared(
            "CREATE UNIQUE INDEX ux_score_targets_subject ON score_targets \
             (district_id, COALESCE(opd_id, 0), year)",
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        drop_tables(manager, &["score_targets"]).await?;
        db.execute_unprepared(
            "DELETE FROM assessment_periods WHERE methodology_id IN \
             (SELECT id FROM methodologies WHERE code = 'OPINI-2025') \
             AND id NOT IN (SELECT period_id FROM score_records)",
        )
        .await?;
        for (table, column) in [
            ("score_records", "published_label"),
            ("score_records", "qualifier"),
            ("score_records", "national_rank_of"),
            ("score_records", "national_rank"),
            ("score_records", "source"),
            ("score_records", "provenance"),
            ("methodology_bands", "inferred"),
            ("methodologies", "published_labels"),
            ("methodologies", "qualifiers"),
            ("methodologies", "result_prefix"),
            ("methodologies", "has_zones"),
            ("methodologies", "sources"),
            ("methodologies", "legal_basis"),
            ("action_items", "product_year"),
            ("action_items", "product_number"),
            ("action_items", "origin"),
        ] {
            if table == "action_items" && column == "product_year" {
                manager
                    .drop_index(
                        Index::drop()
                            .name("ix_action_items_district_id_origin_product_year")
                            .table("action_items")
                            .to_owned(),
                    )
                    .await?;
            }
            manager
                .alter_table(Table::alter().table(table).drop_column(column).take())
                .await?;
        }
        Ok(())
    }
}
