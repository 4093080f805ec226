//! Ready-to-fill `.xlsx` templates for the imports: the header row the
//! importer reads, data-validation lists on the enumerated columns (their
//! values on a hidden sheet *Daftar*), and one example row taken from what
//! the caller can see, so that the example imports as it stands.

use chrono::Duration;
use pendamping_engine::domain::action_item::{Priority, StandardComponent};
use pendamping_engine::domain::agreement::AgreementStatus;
use pendamping_engine::domain::reference::OpdKind;
use pendamping_engine::domain::score::{Provenance, ScoreKind};
use pendamping_engine::import_columns as col;
use pendamping_engine::{
    AgreementFilter, DistrictFilter, EngineError, NameOrder, OpdFilter, Ordering, PageRequest,
    Reader, ScoreFilter,
};
use rust_xlsxwriter::{DataValidation, Format, Formula, Workbook};

use crate::export::ExportError;
use crate::import::{ImportKind, choices};
use crate::labels;

fn first_page() -> PageRequest {
    PageRequest {
        first: Some(pendamping_engine::MAX_PAGE_SIZE),
        ..PageRequest::default()
    }
}

const BY_NAME: Ordering<NameOrder> = Ordering {
    field: NameOrder::Name,
    descending: false,
};

/// The example row of a kind, column by column (empty where none is needed).
async fn example(reader: &Reader, kind: ImportKind) -> Result<Vec<String>, EngineError> {
    let district = reader
        .districts(&DistrictFilter::default(), BY_NAME, &first_page())
        .await?
        .items
        .into_iter()
        .next()
        .map(|(_, d)| d);
    let district_name = district
        .as_ref()
        .map_or_else(|| "Kabupaten Contoh".to_owned(), |d| d.name.clone());
    let mut cells: Vec<(&str, String)> = Vec::new();
    match kind {
        ImportKind::Opds => {
            cells.push((col::DISTRICT, district_name));
            cells.push((col::OPD_NAME, "Dinas Contoh Pelayanan Terpadu".to_owned()));
            cells.push((col::SHORT_NAME, "DCPT".to_owned()));
            cells.push((
                col::OPD_KIND,
                labels::opd_kind(OpdKind::Department).to_owned(),
            ));
            cells.push((
                col::HEAD_TITLE,
                "Kepala Dinas Contoh Pelayanan Terpadu".to_owned(),
            ));
        }
        ImportKind::Scores => {
            let periods = reader.all_periods().await?;
            let methodologies = reader.methodologies().await?;
            let mut chosen = None;
            if let Some(d) = &district {
                let recorded: std::collections::HashSet<(i64, Option<i64>)> = reader
                    .scores(
                        &ScoreFilter {
                            district_id: Some(d.id.0),
                            kind: Some(ScoreKind::Official),
                            current_only: true,
                            ..ScoreFilter::default()
                        },
                        &first_page(),
                    )
                    .await?
                    .items
                    .into_iter()
                    .map(|(_, s)| (s.period_id.0, s.opd_id.map(|o| o.0)))
                    .collect();
                let filter = OpdFilter {
                    district_id: Some(d.id.0),
                    ..OpdFilter::default()
                };
                let opds = reader.opds(&filter, BY_NAME, &first_page()).await?.items;
                'periods: for period in periods.iter().rev() {
                    if !recorded.contains(&(period.id.0, None)) {
                        chosen = Some((period, None));
                        break;
                    }
                    for (_, opd) in &opds {
                        if !recorded.contains(&(period.id.0, Some(opd.id.0))) {
                            chosen = Some((period, Some(opd.name.clone())));
                            break 'periods;
                        }
                    }
                }
            }
            let period = chosen.as_ref().map(|(p, _)| *p).or(periods.last());
            let methodology = period
                .and_then(|p| methodologies.iter().find(|m| m.id == p.methodology_id))
                .or(methodologies.last());
            cells.push((
                col::PERIOD,
                period.map_or_else(|| "2025".to_owned(), |p| p.year.to_string()),
            ));
            cells.push((
                col::METHODOLOGY,
                methodology.map_or_else(|| "KSP-2021".to_owned(), |m| m.code.clone()),
            ));
            cells.push((col::DISTRICT, district_name));
            cells.push((
                col::OPD,
                chosen.and_then(|(_, opd)| opd).unwrap_or_default(),
            ));
            cells.push((
                col::SCORE_KIND,
                labels::score_kind(ScoreKind::Official).to_owned(),
            ));
            match methodology.filter(|m| !m.dimensions.is_empty()) {
                Some(m) => cells.push((
                    col::DIMENSIONS,
                    m.dimensions
                        .iter()
                        .map(|d| format!("{}=80.00", d.code))
                        .collect::<Vec<_>>()
                        .join("; "),
                )),
                None => cells.push((col::TOTAL, "80.00".to_owned())),
            }
            cells.push((col::PROVENANCE, Provenance::Published.as_str().to_owned()));
            cells.push((
                col::SOURCE,
                "Contoh: Laporan Hasil Penilaian Kepatuhan Ombudsman RI".to_owned(),
            ));
        }
        ImportKind::Findings => {
            let agreement = reader
                .agreements(
                    &AgreementFilter {
                        statuses: vec![AgreementStatus::Active],
                        ..AgreementFilter::default()
                    },
                    &first_page(),
                )
                .await?
                .items
                .into_iter()
                .next()
                .map(|(_, a)| a);
            let mut district_name = district_name;
            let (mut milestone, mut opd, mut due) = (
                "Kunjungan monitoring".to_owned(),
                "Dinas Contoh".to_owned(),
                None,
            );
            if let Some(a) = &agreement {
                if let Some(d) = reader.districts_by_ids(&[a.district_id]).await?.first() {
                    district_name = d.name.clone();
                }
                if let Some((_, m)) = reader
                    .milestones_of_agreements(&[a.id], &first_page())
                    .await?
                    .remove(&a.id)
                    .and_then(|p| p.items.into_iter().next())
                {
                    milestone = m.title.clone();
                    due = Some(m.planned_on + Duration::days(60));
                }
                let scope = reader
                    .opd_ids_of_agreements(&[a.id])
                    .await?
                    .remove(&a.id)
                    .unwrap_or_default();
                if let Some(o) = reader
                    .opds_by_ids(&scope)
                    .await?
                    .into_iter()
                    .find(|o| o.active)
                {
                    opd = o.name;
                }
            }
            cells.push((col::DISTRICT, district_name));
            cells.push((
                col::AGREEMENT,
                agreement.map(|a| a.title).unwrap_or_default(),
            ));
            cells.push((col::MILESTONE, milestone));
            cells.push((col::OPD, opd));
            cells.push((
                col::TITLE,
                "Contoh: maklumat pelayanan belum dipajang".to_owned(),
            ));
            cells.push((
                col::FINDING,
                "Contoh: pada kunjungan, maklumat pelayanan tidak terlihat di ruang tunggu."
                    .to_owned(),
            ));
            cells.push((
                col::COMPONENT,
                labels::standard_component(StandardComponent::ServiceGuarantee).to_owned(),
            ));
            cells.push((col::PRIORITY, labels::priority(Priority::Medium).to_owned()));
            cells.push((
                col::DUE_ON,
                due.map_or_else(|| "2026-12-31".to_owned(), |d| d.to_string()),
            ));
        }
    }
    Ok(kind
        .columns()
        .iter()
        .map(|c| {
            cells
                .iter()
                .find(|(name, _)| name == c)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        })
        .collect())
}

fn column_letter(index: u16) -> String {
    let mut n = u32::from(index) + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

fn write_error(e: rust_xlsxwriter::XlsxError) -> ExportError {
    ExportError::Write(e.to_string())
}

/// The template of an import kind as `.xlsx` bytes, its example row taken
/// from what `reader` can see.
pub async fn template(reader: &Reader, kind: ImportKind) -> Result<Vec<u8>, ExportError> {
    let example = example(reader, kind).await?;
    let mut workbook = Workbook::new();
    let header = Format::new().set_bold().set_background_color("D9E2F3");
    let columns = kind.columns();
    let lists: Vec<(u16, Vec<&'static str>)> = columns
        .iter()
        .enumerate()
        .filter_map(|(i, c)| Some((u16::try_from(i).ok()?, choices(c)?)))
        .collect();
    {
        let sheet = workbook.add_worksheet();
        sheet.set_name(kind.sheet_name()).map_err(write_error)?;
        for (i, name) in columns.iter().enumerate() {
            let i = u16::try_from(i).unwrap_or(u16::MAX);
            sheet
                .write_string_with_format(0, i, *name, &header)
                .map_err(write_error)?;
            sheet
                .set_column_width(i, (name.len() as f64 + 4.0).max(16.0))
                .map_err(write_error)?;
        }
        for (i, value) in example.iter().enumerate() {
            if !value.is_empty() {
                sheet
                    .write_string(1, u16::try_from(i).unwrap_or(u16::MAX), value)
                    .map_err(write_error)?;
            }
        }
        for (i, values) in &lists {
            let letter = column_letter(*i);
            let validation = DataValidation::new()
                .allow_list_formula(Formula::new(format!(
                    "=Daftar!${letter}$1:${letter}${}",
                    values.len()
                )))
                .set_error_message(
                    "Pilih salah satu nilai dari daftar / choose a value from the list",
                )
                .map_err(write_error)?;
            sheet
                .add_data_validation(1, *i, 10_000, *i, &validation)
                .map_err(write_error)?;
        }
        sheet.set_freeze_panes(1, 0).map_err(write_error)?;
    }
    let lists_sheet = workbook.add_worksheet();
    lists_sheet.set_name("Daftar").map_err(write_error)?;
    for (i, values) in &lists {
        for (row, value) in values.iter().enumerate() {
            lists_sheet
                .write_string(u32::try_from(row).unwrap_or(0), *i, *value)
                .map_err(write_error)?;
        }
    }
    lists_sheet.set_hidden(true);
    workbook.save_to_buffer().map_err(write_error)
}
