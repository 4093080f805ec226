//! The Ombudsman's published methods as built-in, immutable versions. Their
//! numbers are data: a later version (the 2025 *Opini Ombudsman*) is another
//! migration like this one, not a code change. Sources: docs/methodology.md.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const INSERTS: &[&str] = &[
    "INSERT INTO methodologies (code, name, description, first_year, last_year, created_at) VALUES \
     ('KSP-2021', 'Penilaian Kepatuhan Standar Pelayanan Publik', \
      'Compliance with the service standards of UU 25/2009, assessed per service product; a government''s score is the mean over its assessed products. Total 0-100 with two decimals.', \
      2015, 2021, CURRENT_TIMESTAMP)",
    "INSERT INTO methodologies (code, name, description, first_year, last_year, created_at) VALUES \
     ('PKP-2022', 'Penilaian Kepatuhan Penyelenggaraan Pelayanan Publik', \
      'Four weighted dimensions (input, process, output, complaint management) whose indicators are scored 0-3; total is the weighted sum with two decimals, graded A to E.', \
      2022, 2024, CURRENT_TIMESTAMP)",
];

/// (methodology, code, label, min, max, zone, position), scores in hundredths.
const BANDS: &[(&str, &str, &str, i32, i32, &str, i32)] = &[
    (
        "KSP-2021",
        "HIJAU",
        "Zona Hijau (kepatuhan tinggi)",
        8100,
        10000,
        "GREEN",
        1,
    ),
    (
        "KSP-2021",
        "KUNING",
        "Zona Kuning (kepatuhan sedang)",
        5100,
        8099,
        "YELLOW",
        2,
    ),
    (
        "KSP-2021",
        "MERAH",
        "Zona Merah (kepatuhan rendah)",
        0,
        5099,
        "RED",
        3,
    ),
    (
        "PKP-2022",
        "A",
        "A - Kualitas Tertinggi",
        8800,
        10000,
        "GREEN",
        1,
    ),
    (
        "PKP-2022",
        "B",
        "B - Kualitas Tinggi",
        7800,
        8799,
        "GREEN",
        2,
    ),
    (
        "PKP-2022",
        "C",
        "C - Kualitas Sedang",
        5400,
        7799,
        "YELLOW",
        3,
    ),
    ("PKP-2022", "D", "D - Kualitas Rendah", 3200, 5399, "RED", 4),
    ("PKP-2022", "E", "E - Kualitas Terendah", 0, 3199, "RED", 5),
];

/// (methodology, code, name, weight in hundredths of a percent, position).
const DIMENSIONS: &[(&str, &str, &str, i32, i32)] = &[
    ("PKP-2022", "INPUT", "Input", 2185, 1),
    ("PKP-2022", "PROSES", "Proses", 3237, 2),
    ("PKP-2022", "OUTPUT", "Output", 2424, 3),
    ("PKP-2022", "PENGADUAN", "Pengelolaan Pengaduan", 2154, 4),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for insert in INSERTS {
            db.execute_unprepared(insert).await?;
        }
        for (methodology, code, label, min, max, zone, position) in BANDS {
            db.execute_unprepared(&format!(
                "INSERT INTO methodology_bands \
                 (methodology_id, code, label, min_hundredths, max_hundredths, zone, position) \
                 SELECT id, '{code}', '{label}', {min}, {max}, '{zone}', {position} \
                 FROM methodologies WHERE code = '{methodology}'"
            ))
            .await?;
        }
        for (methodology, code, name, weight, position) in DIMENSIONS {
            db.execute_unprepared(&format!(
                "INSERT INTO methodology_dimensions (methodology_id, code, name, weight_bp, position) \
                 SELECT id, '{code}', '{name}', {weight}, {position} \
                 FROM methodologies WHERE code = '{methodology}'"
            ))
            .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for table in ["methodology_dimensions", "methodology_bands"] {
            db.execute_unprepared(&format!(
                "DELETE FROM {table} WHERE methodology_id IN \
                 (SELECT id FROM methodologies WHERE code IN ('KSP-2021', 'PKP-2022'))"
            ))
            .await?;
        }
        db.execute_unprepared("DELETE FROM methodologies WHERE code IN ('KSP-2021', 'PKP-2022')")
            .await?;
        Ok(())
    }
}
