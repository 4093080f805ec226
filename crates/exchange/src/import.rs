//! Reading spreadsheets for import (calamine for `.xlsx`, csv for `.csv`):
//! the header row names the columns (the export's Indonesian headers), each
//! further row becomes an engine import row or a problem naming its sheet,
//! row, column and value. The engine checks and writes, all or nothing.

use std::collections::HashMap;
use std::str::FromStr;

use calamine::{Data, Reader as _, Xlsx};
use chrono::NaiveDate;
use pendamping_engine::domain::action_item::{Priority, StandardComponent};
use pendamping_engine::domain::reference::OpdKind;
use pendamping_engine::domain::score::{Provenance, ScoreKind};
use pendamping_engine::import_columns as col;
use pendamping_engine::{
    Actor, Engine, EngineError, FindingImportRow, ImportOutcome, ImportProblem, OpdImportRow,
    Published, RowAt, ScoreImportRow, ScoreValues,
};

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
                            Data::DateTime(d) => excel_date(d.as_f64())
                                .map(|d| d.to_string())
                                .unwrap_or_else(|| d.to_string()),
                            other => other.to_string().trim().to_owned(),
                        })
                        .collect()
                })
                .collect();
            Ok((name, rows))
        }
    }
}

/// A date from Excel's serial day number (days since 30 December 1899).
fn excel_date(serial: f64) -> Option<NaiveDate> {
    let base = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    base.checked_add_signed(chrono::Duration::days(serial.floor() as i64))
}

/// What an import kind reads: its columns (required and optional) and an
/// example of each, for the template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportKind {
    Opds,
    Scores,
    Findings,
}

impl ImportKind {
    pub const ALL: [ImportKind; 3] = [ImportKind::Opds, ImportKind::Scores, ImportKind::Findings];

    /// The name in URLs, file names and on the command line.
    pub fn slug(self) -> &'static str {
        match self {
            ImportKind::Opds => "opds",
            ImportKind::Scores => "scores",
            ImportKind::Findings => "findings",
        }
    }

    pub fn from_slug(slug: &str) -> Option<ImportKind> {
        ImportKind::ALL.into_iter().find(|k| k.slug() == slug)
    }

    /// The template's sheet name.
    pub fn sheet_name(self) -> &'static str {
        match self {
            ImportKind::Opds => "Daftar OPD",
            ImportKind::Scores => "Lembar nilai",
            ImportKind::Findings => "Temuan kunjungan",
        }
    }

    /// The columns every file must have.
    pub fn required(self) -> &'static [&'static str] {
        match self {
            ImportKind::Opds => &[col::DISTRICT, col::OPD_NAME],
            ImportKind::Scores => &[col::PERIOD, col::METHODOLOGY, col::DISTRICT],
            ImportKind::Findings => &[
                col::DISTRICT,
                col::MILESTONE,
                col::OPD,
                col::TITLE,
                col::FINDING,
                col::DUE_ON,
            ],
        }
    }

    /// Every column read, in the template's order.
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            ImportKind::Opds => &[
                col::DISTRICT,
                col::OPD_NAME,
                col::SHORT_NAME,
                col::OPD_KIND,
                col::HEAD_TITLE,
                col::OPD_CODE,
                col::NEW_NAME,
                col::STATUS,
                col::REASON,
            ],
            ImportKind::Scores => &[
                col::PERIOD,
                col::METHODOLOGY,
                col::DISTRICT,
                col::OPD,
                col::SCORE_KIND,
                col::TOTAL,
                col::DIMENSIONS,
                col::PROVENANCE,
                col::SOURCE,
                col::NATIONAL_RANK,
                col::RANKED_OF,
                col::QUALIFIER,
                col::LABEL,
            ],
            ImportKind::Findings => &[
                col::DISTRICT,
                col::AGREEMENT,
                col::MILESTONE,
                col::OPD,
                col::TITLE,
                col::FINDING,
                col::COMPONENT,
                col::PRIORITY,
                col::DUE_ON,
            ],
        }
    }
}

/// The values an enumerated column accepts (its data-validation list in the
/// template), Indonesian labels first.
pub fn choices(column: &str) -> Option<Vec<&'static str>> {
    Some(match column {
        c if c == col::OPD_KIND => OpdKind::ALL.iter().map(|k| labels::opd_kind(*k)).collect(),
        c if c == col::STATUS => vec![ACTIVE, INACTIVE],
        c if c == col::SCORE_KIND => ScoreKind::ALL
            .iter()
            .map(|k| labels::score_kind(*k))
            .collect(),
        c if c == col::PROVENANCE => Provenance::ALL.iter().map(|p| p.as_str()).collect(),
        c if c == col::COMPONENT => StandardComponent::ALL
            .iter()
            .map(|c| labels::standard_component(*c))
            .collect(),
        c if c == col::PRIORITY => Priority::ALL.iter().map(|p| labels::priority(*p)).collect(),
        _ => return None,
    })
}

const ACTIVE: &str = "Aktif";
const INACTIVE: &str = "Nonaktif";

/// A file's first sheet with its header row read.
struct Table {
    sheet: String,
    columns: HashMap<&'static str, usize>,
    rows: Vec<(usize, Vec<String>)>,
}

impl Table {
    fn cell(&self, row: &[String], column: &str) -> String {
        self.columns
            .get(column)
            .and_then(|i| row.get(*i))
            .cloned()
            .unwrap_or_default()
    }

    fn optional(&self, row: &[String], column: &str) -> Option<String> {
        Some(self.cell(row, column)).filter(|c| !c.is_empty())
    }
}

fn open(bytes: &[u8], format: Format, kind: ImportKind) -> Result<Table, Vec<ImportProblem>> {
    let (sheet, rows) = read_table(bytes, format).map_err(|message| {
        vec![whole_file(
            "",
            "UNREADABLE",
            &format!("berkas tidak terbaca: {message}"),
            &message,
        )]
    })?;
    let Some(header) = rows.first() else {
        return Err(vec![whole_file(
            &sheet,
            "EMPTY",
            "berkas kosong",
            "the file is empty",
        )]);
    };
    let mut columns = HashMap::new();
    let mut problems = Vec::new();
    for name in kind.columns() {
        match header.iter().position(|h| h.eq_ignore_ascii_case(name)) {
            Some(i) => {
                columns.insert(*name, i);
            }
            None if kind.required().contains(name) => problems.push(ImportProblem {
                column: (*name).to_owned(),
                ..whole_file(
                    &sheet,
                    "MISSING_COLUMN",
                    &format!("kolom \u{201C}{name}\u{201D} tidak ada pada baris judul"),
                    &format!("the header row has no column \u{201C}{name}\u{201D}"),
                )
            }),
            None => {}
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let rows = rows
        .into_iter()
        .enumerate()
        .skip(1)
        .filter(|(_, row)| !row.iter().all(String::is_empty))
        .map(|(i, row)| (i + 1, row))
        .collect();
    Ok(Table {
        sheet,
        columns,
        rows,
    })
}

/// The rows of a file of `kind`, each read by `read` (which notes the row's
/// problems and gives the row when it has none); only the file's own problems
/// when it cannot be read as a table of `kind`.
fn parse_rows<R>(
    bytes: &[u8],
    format: Format,
    kind: ImportKind,
    mut read: impl FnMut(&Table, &[String], RowAt, &mut Vec<ImportProblem>) -> Option<R>,
) -> (Vec<R>, Vec<ImportProblem>) {
    let table = match open(bytes, format, kind) {
        Ok(table) => table,
        Err(problems) => return (Vec::new(), problems),
    };
    let mut parsed = Vec::new();
    let mut problems = Vec::new();
    for (number, row) in &table.rows {
        let at = RowAt {
            sheet: table.sheet.clone(),
            row: *number,
        };
        if let Some(value) = read(&table, row, at, &mut problems) {
            parsed.push(value);
        }
    }
    (parsed, problems)
}

/// Finds a value of an enumeration by its Indonesian label or its code.
fn choose<T: Copy + FromStr>(
    all: &[T],
    label: impl Fn(T) -> &'static str,
    text: &str,
) -> Option<T> {
    all.iter()
        .copied()
        .find(|v| label(*v).eq_ignore_ascii_case(text))
        .or_else(|| T::from_str(&text.trim().to_ascii_uppercase().replace([' ', '-'], "_")).ok())
}

fn not_one_of(at: &RowAt, column: &str, value: &str) -> ImportProblem {
    let known = choices(column).unwrap_or_default().join(", ");
    at.problem(
        column,
        value,
        "UNKNOWN_VALUE",
        format!("nilai tidak dikenal; pilih salah satu: {known}"),
        format!("unknown value; choose one of: {known}"),
    )
}

fn not_a_number(at: &RowAt, column: &str, value: &str) -> ImportProblem {
    at.problem(
        column,
        value,
        "NOT_A_NUMBER",
        "bukan angka (mis. 87,50 atau 87.50)",
        "not a number (e.g. 87.50)",
    )
}

fn required(at: &RowAt, column: &str) -> ImportProblem {
    at.problem(column, "", "REQUIRED", "wajib diisi", "is required")
}

/// A decimal with a comma or a point (`87,50`, `87.50`).
fn decimal(text: &str) -> Option<f64> {
    text.trim()
        .replace(',', ".")
        .parse::<f64>()
        .ok()
        .filter(|f| f.is_finite())
}

/// A date as `2026-12-31`, `31/12/2026` or `31-12-2026`.
fn date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(text, "%d/%m/%Y"))
        .or_else(|_| NaiveDate::parse_from_str(text, "%d-%m-%Y"))
        .ok()
        .or_else(|| {
            text.split(' ')
                .next()
                .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        })
}

/// The rows of an OPD list (columns as the `opds` export: *Kabupaten/Kota*,
/// *Nama OPD*, *Singkatan*, *Jenis*, *Jabatan kepala*; and, to change OPDs
/// the district has, *Kode OPD*, *Nama baru*, *Status* (Aktif/Nonaktif) and
/// *Alasan*), and the problems of the rows that cannot be read.
pub fn parse_opds(bytes: &[u8], format: Format) -> (Vec<OpdImportRow>, Vec<ImportProblem>) {
    parse_rows(
        bytes,
        format,
        ImportKind::Opds,
        |table, row, at, problems| {
            let before = problems.len();
            let kind_text = table.cell(row, col::OPD_KIND);
            let kind = if kind_text.is_empty() {
                Some(OpdKind::Other)
            } else {
                choose(OpdKind::ALL, labels::opd_kind, &kind_text)
            };
            if kind.is_none() {
                problems.push(at.problem(
                    col::OPD_KIND,
                    &kind_text,
                    "UNKNOWN_KIND",
                    "jenis OPD tidak dikenal (mis. Dinas, Badan, Kecamatan)",
                    "unknown OPD kind (e.g. Dinas, Badan, Kecamatan)",
                ));
            }
            let code_text = table.cell(row, col::OPD_CODE);
            let code = if code_text.is_empty() {
                None
            } else {
                match code_text.parse::<i64>() {
                    Ok(code) => Some(code),
                    Err(_) => {
                        problems.push(not_a_number(&at, col::OPD_CODE, &code_text));
                        None
                    }
                }
            };
            let status = table.cell(row, col::STATUS);
            let active = if status.is_empty() {
                None
            } else if status.eq_ignore_ascii_case(ACTIVE) || status.eq_ignore_ascii_case("ACTIVE") {
                Some(true)
            } else if status.eq_ignore_ascii_case(INACTIVE)
                || status.eq_ignore_ascii_case("INACTIVE")
            {
                Some(false)
            } else {
                problems.push(not_one_of(&at, col::STATUS, &status));
                None
            };
            let (Some(kind), true) = (kind, problems.len() == before) else {
                return None;
            };
            Some(OpdImportRow {
                sheet: table.sheet.clone(),
                row: at.row,
                district: table.cell(row, col::DISTRICT),
                name: table.cell(row, col::OPD_NAME),
                short_name: table.optional(row, col::SHORT_NAME),
                kind,
                head_title: table.optional(row, col::HEAD_TITLE),
                code,
                new_name: table.optional(row, col::NEW_NAME),
                active,
                reason: table.optional(row, col::REASON),
            })
        },
    )
}

/// The rows of a score sheet (columns as the `scores` export, plus the
/// provenance: *Asal nilai*, *Sumber*, *Peringkat nasional*, *Dari*,
/// *Kualifikasi*, *Predikat*); *Nilai dimensi* reads `CODE=value; …`.
pub fn parse_scores(bytes: &[u8], format: Format) -> (Vec<ScoreImportRow>, Vec<ImportProblem>) {
    parse_rows(
        bytes,
        format,
        ImportKind::Scores,
        |table, row, at, problems| {
            let before = problems.len();
            let year_text = table.cell(row, col::PERIOD);
            let year = year_text.parse::<i32>().ok();
            if year.is_none() {
                problems.push(at.problem(
                    col::PERIOD,
                    &year_text,
                    "INVALID",
                    "tahun periode tidak sah (mis. 2025)",
                    "not a period's year (e.g. 2025)",
                ));
            }
            let methodology = table.cell(row, col::METHODOLOGY);
            if methodology.is_empty() {
                problems.push(required(&at, col::METHODOLOGY));
            }
            let kind_text = table.cell(row, col::SCORE_KIND);
            let kind = if kind_text.is_empty() {
                Some(ScoreKind::Official)
            } else {
                choose(ScoreKind::ALL, labels::score_kind, &kind_text)
            };
            if kind.is_none() {
                problems.push(not_one_of(&at, col::SCORE_KIND, &kind_text));
            }
            let total_text = table.cell(row, col::TOTAL);
            let total = if total_text.is_empty() {
                None
            } else {
                let total = decimal(&total_text);
                if total.is_none() {
                    problems.push(not_a_number(&at, col::TOTAL, &total_text));
                }
                total
            };
            let dims_text = table.cell(row, col::DIMENSIONS);
            let mut dimensions = Vec::new();
            for part in dims_text
                .split(';')
                .map(str::trim)
                .filter(|p| !p.is_empty())
            {
                match part.split_once('=').map(|(c, v)| (c.trim(), decimal(v))) {
                    Some((code, Some(value))) if !code.is_empty() => {
                        dimensions.push((code.to_owned(), value));
                    }
                    _ => problems.push(at.problem(
                        col::DIMENSIONS,
                        &dims_text,
                        "INVALID",
                        "tulis nilai dimensi sebagai KODE=nilai; KODE=nilai",
                        "write dimension values as CODE=value; CODE=value",
                    )),
                }
            }
            let provenance_text = table.cell(row, col::PROVENANCE);
            let provenance = if provenance_text.is_empty() {
                None
            } else {
                let found = choose(Provenance::ALL, |p| p.as_str(), &provenance_text);
                if found.is_none() {
                    problems.push(not_one_of(&at, col::PROVENANCE, &provenance_text));
                }
                found
            };
            let mut whole = |column: &str| {
                let text = table.cell(row, column);
                if text.is_empty() {
                    return None;
                }
                let value = text.parse::<i32>().ok();
                if value.is_none() {
                    problems.push(not_a_number(&at, column, &text));
                }
                value
            };
            let rank = whole(col::NATIONAL_RANK);
            let of = whole(col::RANKED_OF);
            let (Some(year), Some(kind), true) = (year, kind, problems.len() == before) else {
                return None;
            };
            Some(ScoreImportRow {
                at,
                year,
                methodology,
                district: table.cell(row, col::DISTRICT),
                opd: table.optional(row, col::OPD),
                kind,
                values: ScoreValues { total, dimensions },
                provenance,
                published: Published {
                    source: table.optional(row, col::SOURCE),
                    national_rank: rank.map(|r| (r, of.unwrap_or(0))),
                    qualifier: table.optional(row, col::QUALIFIER),
                    label: table.optional(row, col::LABEL),
                },
            })
        },
    )
}

/// The rows of a visit's findings: *Kabupaten/Kota*, *Kesepakatan* (title
/// or number; empty: the district's active agreement), *Tonggak* (the
/// visit's milestone), *OPD*, *Judul*, *Temuan*, *Komponen standar*,
/// *Prioritas* (default Sedang), *Jatuh tempo*.
pub fn parse_findings(bytes: &[u8], format: Format) -> (Vec<FindingImportRow>, Vec<ImportProblem>) {
    parse_rows(
        bytes,
        format,
        ImportKind::Findings,
        |table, row, at, problems| {
            let before = problems.len();
            for column in [col::MILESTONE, col::OPD] {
                if table.cell(row, column).is_empty() {
                    problems.push(required(&at, column));
                }
            }
            let component_text = table.cell(row, col::COMPONENT);
            let component = if component_text.is_empty() {
                None
            } else {
                let found = choose(
                    StandardComponent::ALL,
                    labels::standard_component,
                    &component_text,
                );
                if found.is_none() {
                    problems.push(not_one_of(&at, col::COMPONENT, &component_text));
                }
                found
            };
            let priority_text = table.cell(row, col::PRIORITY);
            let priority = if priority_text.is_empty() {
                Some(Priority::Medium)
            } else {
                choose(Priority::ALL, labels::priority, &priority_text)
            };
            if priority.is_none() {
                problems.push(not_one_of(&at, col::PRIORITY, &priority_text));
            }
            let due_text = table.cell(row, col::DUE_ON);
            let due_on = date(&due_text);
            if due_on.is_none() {
                problems.push(at.problem(
                    col::DUE_ON,
                    &due_text,
                    if due_text.is_empty() {
                        "REQUIRED"
                    } else {
                        "INVALID"
                    },
                    "tanggal tidak sah (mis. 31/12/2026 atau 2026-12-31)",
                    "not a date (e.g. 2026-12-31 or 31/12/2026)",
                ));
            }
            let (Some(priority), Some(due_on), true) = (priority, due_on, problems.len() == before)
            else {
                return None;
            };
            Some(FindingImportRow {
                at,
                district: table.cell(row, col::DISTRICT),
                agreement: table.optional(row, col::AGREEMENT),
                milestone: table.cell(row, col::MILESTONE),
                opd: table.cell(row, col::OPD),
                title: table.cell(row, col::TITLE),
                finding: table.cell(row, col::FINDING),
                standard_component: component,
                priority,
                due_on,
            })
        },
    )
}

/// The problems of reading beside the engine's: the file is refused whole
/// when there are any, and the report lists them all in row order.
fn merged(mut problems: Vec<ImportProblem>, mut outcome: ImportOutcome) -> ImportOutcome {
    if !problems.is_empty() {
        problems.append(&mut outcome.problems);
        problems.sort_by_key(|p| p.row);
        outcome.problems = problems;
        outcome.applied = false;
    }
    outcome
}

/// Writes parsed rows all or nothing: a file with any problem (or a dry run)
/// is only checked by `write` (its second argument), and the outcome lists
/// the file's problems with the engine's.
async fn checked<R, Written>(
    (rows, problems): (Vec<R>, Vec<ImportProblem>),
    dry_run: bool,
    write: impl FnOnce(Vec<R>, bool) -> Written,
) -> Result<ImportOutcome, EngineError>
where
    Written: Future<Output = Result<ImportOutcome, EngineError>>,
{
    let outcome = write(rows, dry_run || !problems.is_empty()).await?;
    Ok(merged(problems, outcome))
}

/// Imports an OPD list file: every row is read and checked before anything
/// is written; any problem refuses the whole file (nothing is written), and
/// the outcome lists every problem.
pub async fn import_opds(
    engine: &Engine,
    actor: &Actor,
    bytes: &[u8],
    format: Format,
    dry_run: bool,
) -> Result<ImportOutcome, EngineError> {
    import(engine, actor, ImportKind::Opds, bytes, format, dry_run).await
}

/// Imports a file of any kind, all or nothing (see [`import_opds`]).
pub async fn import(
    engine: &Engine,
    actor: &Actor,
    kind: ImportKind,
    bytes: &[u8],
    format: Format,
    dry_run: bool,
) -> Result<ImportOutcome, EngineError> {
    match kind {
        ImportKind::Opds => {
            checked(parse_opds(bytes, format), dry_run, |rows, only_check| {
                engine.import_opds(actor, rows, only_check)
            })
            .await
        }
        ImportKind::Scores => {
            checked(parse_scores(bytes, format), dry_run, |rows, only_check| {
                engine.import_scores(actor, rows, only_check)
            })
            .await
        }
        ImportKind::Findings => {
            checked(
                parse_findings(bytes, format),
                dry_run,
                |rows, only_check| engine.import_findings(actor, rows, only_check),
            )
            .await
        }
    }
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
