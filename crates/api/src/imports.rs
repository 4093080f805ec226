//! `importSpreadsheet`: a file upload (multipart request) imported all or
//! nothing, answered with a row-by-row report.

use std::io::Read as _;

use async_graphql::{Context, Enum, InputObject, Object, SimpleObject, Upload};
use pendamping_engine::EngineError;
use pendamping_exchange::import::{self as exchange_import, Format};

use crate::context::{actor, request};
use crate::error::{Outcome, UserError};

/// The most bytes an imported file may have.
pub const MAX_IMPORT_BYTES: u64 = 20 * 1024 * 1024;

/// What an imported spreadsheet holds.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportKind {
    /// A district's OPD list (columns as the `opds` export, Kabupaten/Kota, Nama OPD, Singkatan, Jenis, Jabatan kepala; to change OPDs it has, Kode OPD, Nama baru, Status (Aktif/Nonaktif), Alasan).
    Opds,
    /// A score sheet (Periode, Metodologi, Kabupaten/Kota, OPD empty for the district's own, Jenis nilai, Nilai or Nilai dimensi as `CODE=value; …`, Asal nilai, Sumber, Peringkat nasional, Dari, Kualifikasi, Predikat).
    Scores,
    /// A visit's findings (Kabupaten/Kota, Kesepakatan, Tonggak, OPD, Judul, Temuan, Komponen standar, Prioritas, Jatuh tempo).
    Findings,
}

/// A spreadsheet to import.
#[derive(InputObject)]
pub struct ImportSpreadsheetInput {
    /// What the file holds.
    pub kind: ImportKind,
    /// The file (.xlsx or .csv), as a multipart upload.
    pub file: Upload,
    /// Check and report without writing.
    #[graphql(default)]
    pub dry_run: bool,
}

/// One problem with one row of an imported file.
#[derive(SimpleObject)]
pub struct ImportProblem {
    /// The sheet (`CSV` for a CSV file).
    pub sheet: String,
    /// The row as the spreadsheet numbers it (the header is row 1).
    pub row: i32,
    /// The column's header; empty when the whole row or file is at fault.
    pub column: String,
    /// The cell's value.
    pub value: String,
    /// For programs: `REQUIRED`, `INVALID`, `UNKNOWN_DISTRICT`, `UNKNOWN_KIND`, `DUPLICATE_ROW`, `MISSING_COLUMN`, `FORBIDDEN`, `UNKNOWN_OPD`, `UNKNOWN_PERIOD`, `UNKNOWN_MILESTONE`, `ALREADY_RECORDED`, ….
    pub code: String,
    /// The problem in Indonesian.
    pub message_id: String,
    /// The problem in English.
    pub message_en: String,
}

/// The result of `importSpreadsheet`.
#[derive(SimpleObject)]
pub struct ImportSpreadsheetPayload {
    /// Whether anything was written (false on a dry run or when any row has a problem).
    pub applied: bool,
    /// Records created (or, on a dry run, that would be).
    pub created: i32,
    /// Records changed (renamed, deactivated or reactivated; or, on a dry run, that would be).
    pub updated: i32,
    /// Rows that match a record already as the file says (nothing to do).
    pub unchanged: i32,
    /// Every problem found; the file is refused whole when there is any.
    pub problems: Vec<ImportProblem>,
    /// Why the file could not be taken at all.
    pub user_errors: Vec<UserError>,
}

#[derive(Default)]
pub struct ImportMutation;

/// Imports of spreadsheets.
#[Object]
impl ImportMutation {
    /// Imports a spreadsheet all or nothing: every row is checked (your scope
    /// and role, as the one-at-a-time mutations do) before anything is
    /// written; importing the same file twice changes nothing the second time.
    async fn import_spreadsheet(
        &self,
        ctx: &Context<'_>,
        input: ImportSpreadsheetInput,
    ) -> async_graphql::Result<ImportSpreadsheetPayload> {
        let actor = actor(ctx)?;
        let engine = &request(ctx)?.engine;
        let outcome = async {
            let upload = input
                .file
                .value(ctx)
                .map_err(|_| EngineError::invalid("file", "the upload could not be read"))?;
            let format = Format::of_file_name(&upload.filename)
                .ok_or_else(|| EngineError::invalid("file", "must be a .xlsx or .csv file"))?;
            let mut bytes = Vec::new();
            upload
                .into_read()
                .take(MAX_IMPORT_BYTES + 1)
                .read_to_end(&mut bytes)
                .map_err(|_| EngineError::invalid("file", "the upload could not be read"))?;
            if bytes.len() as u64 > MAX_IMPORT_BYTES {
                return Err(EngineError::invalid("file", "is larger than 20 MB"));
            }
            let kind = match input.kind {
                ImportKind::Opds => exchange_import::ImportKind::Opds,
                ImportKind::Scores => exchange_import::ImportKind::Scores,
                ImportKind::Findings => exchange_import::ImportKind::Findings,
            };
            exchange_import::import(engine, actor, kind, &bytes, format, input.dry_run).await
        }
        .await;
        let (outcome, user_errors) = outcome.outcome()?;
        match outcome {
            Some(outcome) => Ok(ImportSpreadsheetPayload {
                applied: outcome.applied,
                created: i32::try_from(outcome.created).unwrap_or(i32::MAX),
                updated: i32::try_from(outcome.updated).unwrap_or(i32::MAX),
                unchanged: i32::try_from(outcome.unchanged).unwrap_or(i32::MAX),
                problems: outcome
                    .problems
                    .into_iter()
                    .map(|p| ImportProblem {
                        sheet: p.sheet,
                        row: i32::try_from(p.row).unwrap_or(i32::MAX),
                        column: p.column,
                        value: p.value,
                        code: p.code,
                        message_id: p.message_id,
                        message_en: p.message_en,
                    })
                    .collect(),
                user_errors,
            }),
            None => Ok(ImportSpreadsheetPayload {
                applied: false,
                created: 0,
                updated: 0,
                unchanged: 0,
                problems: Vec::new(),
                user_errors,
            }),
        }
    }
}
