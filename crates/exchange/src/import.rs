//! Reading spreadsheets for import (calamine for `.xlsx`, csv for `.csv`):
//! the header row names the columns (the export's Indonesian headers), each
//! further row becomes an engine import row or a problem naming its sheet,
//! row, column and value. The engine checks and writes, all or nothing.

use std::str::FromStr;

use calamine::{Data, Reader as _, Xlsx};
use pendamping_engine::domain::reference::OpdKind;
use pendamping_engine::{ImportProblem, OpdImportRow};

use crate::labels;

/// A spreadsheet format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Xlsx,
    Csv,
}

impl Format {
    /// The format of a file by its name's extension.
    pub fn of_file_name(name: &str) -> Option<Format> {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".xlsx") {
            Some(Format::Xlsx)
        } else if lower.ends_with(".csv") {
            Some(Format::Csv)
        } else {
            None
        }
    }
}

/// The first sheet of a file: its name and its rows of text.
pub fn read_table(bytes: &[u8], format: Format) -> Result<(String, Vec<Vec<String>>), String> {
    match format {
        Format::Csv => {
            let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(bytes);
            let mut rows = Vec::new();
            for record in reader.records() {
                let record = record.map_err(|e| format!("not a CSV file: {e}"))?;
                rows.push(record.iter().map(|c| c.trim().to_owned()).collect());
            }
            Ok(("CSV".to_owned(), rows))
        }
        Format::Xlsx => {
            let mut workbook = Xlsx::new(std::io::Cursor::new(bytes.to_vec()))
                .map_err(|e| format!("not an .xlsx file: {e}"))?;
            let name = workbook
                .sheet_names()
                .first()
                .cloned()
                .ok_or("the workbook has no sheet")?;
            let range = workbook
                .worksheet_range(&name)
                .map_err(|e| format!("the sheet cannot be read: {e}"))?;
            let rows = range
                .rows()
                .map(|row| {
                    row.iter()
                        .map(|cell| match cell {
                            Data::Empty => String::new(),
                            Data::Float(f) if f.fract() == 0.0 => format!("{f:.0}"),
                            other => other.to_string().trim().to_owned(),
                        })
                        .collect()
                })
                .collect();
            Ok((name, rows))
        }
    }
}

fn kind_of(text: &str) -> Option<OpdKind> {
    OpdKind::ALL
        .iter()
        .copied()
        .find(|k| labels::opd_kind(*k).eq_ignore_ascii_case(text))
        .or_else(|| OpdKind::from_str(&text.to_ascii_uppercase()).ok())
}

fn whole_file(sheet: &str, code: &str, id: &str, en: &str) -> ImportProblem {
    ImportProblem {
        sheet: sheet.to_owned(),
        row: 1,
        column: String::new(),
        value: String::new(),
        code: code.to_owned(),
        message_id: id.to_owned(),
        message_en: en.to_owned(),
    }
}

/// The rows of an OPD list (columns as the `opds` export: *Kabupaten/Kota*,
/// *Nama OPD*, *Singkatan*, *Jenis*, *Jabatan kepala*), and the problems of
/// the rows that cannot be read.
pub fn parse_opds(bytes: &[u8], format: Format) -> (Vec<OpdImportRow>, Vec<ImportProblem>) {
    let (sheet, rows) = match read_table(bytes, format) {
        Ok(table) => table,
        Err(message) => {
            return (
                Vec::new(),
                vec![whole_file(
                    "",
                    "UNREADABLE",
                    &format!("berkas tidak terbaca: {message}"),
                    &message,
                )],
            );
        }
    };
    let Some(header) = rows.first() else {
        return (
            Vec::new(),
            vec![whole_file(
                &sheet,
                "EMPTY",
                "berkas kosong",
                "the file is empty",
            )],
        );
    };
    let position = |name: &str| header.iter().position(|h| h.eq_ignore_ascii_case(name));
    let mut problems = Vec::new();
    let mut columns = Vec::new();
    for name in [
        "Kabupaten/Kota",
        "Nama OPD",
        "Singkatan",
        "Jenis",
        "Jabatan kepala",
    ] {
        match position(name) {
            Some(i) => columns.push(i),
            None => {
                problems.push(ImportProblem {
                    column: name.to_owned(),
                    ..whole_file(
                        &sheet,
                        "MISSING_COLUMN",
                        &format!("kolom \u{201C}{name}\u{201D} tidak ada pada baris judul"),
                        &format!("the header row has no column \u{201C}{name}\u{201D}"),
                    )
                });
            }
        }
    }
    if !problems.is_empty() {
        return (Vec::new(), problems);
    }
    let mut parsed = Vec::new();
    for (i, row) in rows.iter().enumerate().skip(1) {
        let cell = |c: usize| row.get(columns[c]).cloned().unwrap_or_default();
        if row.iter().all(String::is_empty) {
            continue;
        }
        let number = i + 1;
        let optional = |text: String| (!text.is_empty()).then_some(text);
        let kind_text = cell(3);
        let kind = if kind_text.is_empty() {
            Some(OpdKind::Other)
        } else {
            kind_of(&kind_text)
        };
        let Some(kind) = kind else {
            problems.push(ImportProblem {
                sheet: sheet.clone(),
                row: number,
                column: "Jenis".to_owned(),
                value: kind_text,
                code: "UNKNOWN_KIND".to_owned(),
                message_id: "jenis OPD tidak dikenal (mis. Dinas, Badan, Kecamatan)".to_owned(),
                message_en: "unknown OPD kind (e.g. Dinas, Badan, Kecamatan)".to_owned(),
            });
            continue;
        };
        parsed.push(OpdImportRow {
            sheet: sheet.clone(),
            row: number,
            district: cell(0),
            name: cell(1),
            short_name: optional(cell(2)),
            kind,
            head_title: optional(cell(4)),
        });
    }
    (parsed, problems)
}

/// Imports an OPD list file: every row is read and checked before anything
/// is written; any problem refuses the whole file (nothing is written), and
/// the outcome lists every problem.
pub async fn import_opds(
    engine: &pendamping_engine::Engine,
    actor: &pendamping_engine::Actor,
    bytes: &[u8],
    format: Format,
    dry_run: bool,
) -> Result<pendamping_engine::ImportOutcome, pendamping_engine::EngineError> {
    let (rows, mut problems) = parse_opds(bytes, format);
    let mut outcome = engine
        .import_opds(actor, rows, dry_run || !problems.is_empty())
        .await?;
    if !problems.is_empty() {
        problems.append(&mut outcome.problems);
        problems.sort_by_key(|p| p.row);
        outcome.problems = problems;
        outcome.applied = false;
    }
    Ok(outcome)
}
