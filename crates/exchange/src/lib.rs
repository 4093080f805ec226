//! Data in and out of Pendamping, for people who work in spreadsheets and on
//! paper: exports of the lists and boards a caller can see (`.xlsx`, `.csv`),
//! and the printable rapor (PDF).
//!
//! Everything here reads through the engine's [`Reader`](pendamping_engine::Reader)
//! of the acting user, so an export reaches exactly what the API reaches; large
//! exports are read page by page and written as they are read.

pub mod export;
pub mod labels;
pub mod sink;

pub use export::{Cell, Column, Export, ExportError, ExportKind, ExportParams, Row};
pub use sink::{XlsxWriter, csv_header, csv_rows, next_csv_chunk, temp_path, write_xlsx};
pub mod pdf;
pub mod rapor;

pub use rapor::{agreement_rapor, agreements_of_district, district_rapor, find_district};
pub mod import;
pub mod template;
