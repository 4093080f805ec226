//! Writing exported rows: CSV as a stream of chunks, one per page; `.xlsx`
//! through rust_xlsxwriter's constant-memory worksheets into a file (a sheet
//! is flushed row by row, so memory does not grow with the rows).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::NaiveDate;
use pendamping_engine::domain::score::Zone;
use rust_xlsxwriter::{Color, Format, FormatBorder, Workbook};

use crate::export::{Cell, Column, Export, ExportError, Row};

/// The byte-order mark that makes spreadsheet programs read a CSV file as UTF-8.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The header line of a CSV export, after the byte-order mark.
pub fn csv_header(columns: &[Column]) -> Result<Vec<u8>, ExportError> {
    let mut writer = csv::Writer::from_writer(BOM.to_vec());
    writer
        .write_record(columns.iter().map(|c| c.header))
        .map_err(|e| ExportError::Write(e.to_string()))?;
    writer
        .into_inner()
        .map_err(|e| ExportError::Write(e.to_string()))
}

/// Rows as CSV lines.
pub fn csv_rows(rows: &[Row]) -> Result<Vec<u8>, ExportError> {
    let mut writer = csv::Writer::from_writer(Vec::with_capacity(rows.len() * 160));
    for row in rows {
        writer
            .write_record(row.iter().map(Cell::csv_text))
            .map_err(|e| ExportError::Write(e.to_string()))?;
    }
    writer
        .into_inner()
        .map_err(|e| ExportError::Write(e.to_string()))
}

/// The whole export as CSV, chunk by chunk: the header, then one chunk per page.
pub async fn next_csv_chunk(
    export: &mut Export,
    started: &mut bool,
) -> Result<Option<Vec<u8>>, ExportError> {
    if !*started {
        *started = true;
        return csv_header(export.columns()).map(Some);
    }
    match export.next_rows().await? {
        Some(rows) => csv_rows(&rows).map(Some),
        None => Ok(None),
    }
}

/// The most rows of data a worksheet takes (Excel's limit less the header).
const SHEET_ROWS: u32 = 1_048_575;

/// Days from Excel's epoch (1899-12-30) to `date`.
fn excel_serial(date: NaiveDate) -> f64 {
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30).unwrap_or_default();
    (date - epoch).num_days() as f64
}

struct Formats {
    header: Format,
    date: Format,
    score: Format,
    green: Format,
    yellow: Format,
    red: Format,
}

impl Formats {
    fn new() -> Self {
        let zone = |rgb: u32| {
            Format::new()
                .set_background_color(Color::RGB(rgb))
                .set_border(FormatBorder::Thin)
        };
        Formats {
            header: Format::new()
                .set_bold()
                .set_background_color(Color::RGB(0xD9E1F2))
                .set_border(FormatBorder::Thin),
            date: Format::new().set_num_format("dd/mm/yyyy"),
            score: Format::new().set_num_format("0.00"),
            green: zone(0xC6EFCE),
            yellow: zone(0xFFEB9C),
            red: zone(0xFFC7CE),
        }
    }

    fn zone(&self, zone: Zone) -> &Format {
        match zone {
            Zone::Green => &self.green,
            Zone::Yellow => &self.yellow,
            Zone::Red => &self.red,
        }
    }
}

/// A workbook being written, one constant-memory worksheet at a time.
pub struct XlsxWriter {
    workbook: Workbook,
    formats: Formats,
    sheet_name: String,
    columns: &'static [Column],
    sheets: u32,
    row: u32,
}

impl std::fmt::Debug for XlsxWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("XlsxWriter")
            .field("sheet", &self.sheet_name)
            .field("row", &self.row)
            .finish_non_exhaustive()
    }
}

fn xlsx_error(err: rust_xlsxwriter::XlsxError) -> ExportError {
    ExportError::Write(err.to_string())
}

impl XlsxWriter {
    pub fn new(sheet_name: &str, columns: &'static [Column]) -> Result<Self, ExportError> {
        let mut writer = XlsxWriter {
            workbook: Workbook::new(),
            formats: Formats::new(),
            sheet_name: sheet_name.to_owned(),
            columns,
            sheets: 0,
            row: 0,
        };
        writer.add_sheet()?;
        Ok(writer)
    }

    fn add_sheet(&mut self) -> Result<(), ExportError> {
        self.sheets += 1;
        let name = if self.sheets == 1 {
            self.sheet_name.clone()
        } else {
            format!("{} ({})", self.sheet_name, self.sheets)
        };
        let sheet = self.workbook.add_worksheet_with_constant_memory();
        sheet.set_name(&name).map_err(xlsx_error)?;
        for (i, column) in self.columns.iter().enumerate() {
            let i = i as u16;
            sheet
                .set_column_width(i, column.width)
                .map_err(xlsx_error)?;
            sheet
                .write_string_with_format(0, i, column.header, &self.formats.header)
                .map_err(xlsx_error)?;
        }
        sheet.set_freeze_panes(1, 0).map_err(xlsx_error)?;
        self.row = 0;
        Ok(())
    }

    pub fn write_rows(&mut self, rows: &[Row]) -> Result<(), ExportError> {
        for row in rows {
            if self.row >= SHEET_ROWS {
                self.add_sheet()?;
            }
            self.row += 1;
            let r = self.row;
            let index = self.sheets as usize - 1;
            let formats = &self.formats;
            let sheet = self
                .workbook
                .worksheet_from_index(index)
                .map_err(xlsx_error)?;
            for (c, cell) in row.iter().enumerate() {
                let c = c as u16;
                let written = match cell {
                    Cell::Empty => continue,
                    Cell::Text(text) => sheet.write_string(r, c, text),
                    Cell::Int(n) => sheet.write_number(r, c, *n as f64),
                    Cell::Date(date) => {
                        sheet.write_number_with_format(r, c, excel_serial(*date), &formats.date)
                    }
                    Cell::Score(h) => {
                        sheet.write_number_with_format(r, c, *h as f64 / 100.0, &formats.score)
                    }
                    Cell::Zone(zone) => sheet.write_string_with_format(
                        r,
                        c,
                        crate::labels::zone(*zone),
                        formats.zone(*zone),
                    ),
                };
                written.map_err(xlsx_error)?;
            }
        }
        Ok(())
    }

    /// Writes the workbook to `path`.
    pub fn save(mut self, path: &Path) -> Result<(), ExportError> {
        self.workbook.save(path).map_err(xlsx_error)
    }
}

static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// A fresh path in the system's temporary directory.
pub fn temp_path(extension: &str) -> PathBuf {
    let n = TEMP_COUNTER.fetch_add(1, Ordering::Relaxed);
    std::env::temp_dir().join(format!("pendamping-{}-{n}.{extension}", std::process::id()))
}

/// Writes the whole export as `.xlsx` to `path`. Pages are read here and
/// written on a blocking thread, at most two pages in flight.
pub async fn write_xlsx(mut export: Export, path: &Path) -> Result<(), ExportError> {
    let (sender, mut receiver) = tokio::sync::mpsc::channel::<Vec<Row>>(2);
    let columns = export.columns();
    let sheet_name = export.kind().sheet_name();
    let target = path.to_owned();
    let writer = tokio::task::spawn_blocking(move || -> Result<(), ExportError> {
        let mut xlsx = XlsxWriter::new(sheet_name, columns)?;
        while let Some(rows) = receiver.blocking_recv() {
            xlsx.write_rows(&rows)?;
        }
        xlsx.save(&target)
    });
    let produced: Result<(), ExportError> = async {
        while let Some(rows) = export.next_rows().await? {
            if sender.send(rows).await.is_err() {
                break;
            }
        }
        Ok(())
    }
    .await;
    drop(sender);
    let written = writer
        .await
        .map_err(|e| ExportError::Write(format!("the writer stopped: {e}")))?;
    produced?;
    written
}
