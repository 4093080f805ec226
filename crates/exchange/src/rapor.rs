//! The printable rapor, in Indonesian: of a district (score history with the
//! band chart, the current zone or grade, the OPDs' standings, action items by
//! status and the overdue list, the agreement's milestones) and of an
//! agreement (parties and signatories, terms and amendments, milestones with
//! their slips, items by OPD and status, the burn-down). Read through the
//! caller's [`Reader`], so a rapor shows what its reader may see.

use std::collections::HashMap;

use chrono::NaiveDate;
use pendamping_engine::domain::action_item::ActionItemStatus;
use pendamping_engine::domain::agreement::{Agreement, AgreementStatus};
use pendamping_engine::domain::ids::{AgreementId, DistrictId, MethodologyId, OfficeId, OpdId};
use pendamping_engine::domain::reference::{District, Office};
use pendamping_engine::domain::score::{Methodology, Score, ScoreKind, Zone};
use pendamping_engine::{
    ActionItemFilter, ActionItemOrder, AggregateOf, AgreementFilter, DistrictFilter, EngineError,
    ItemFigures, ItemsIn, MAX_PAGE_SIZE, MAX_RANKING, NameOrder, Ordering, PageRequest,
    RankingFilter, RankingOf, Reader,
};

use crate::export::ExportError;
use crate::labels;
use crate::pdf::{Align, CONTENT_WIDTH, Document, MARGIN, Rgb, TableCell, TableColumn, text_width};

/// At most this many overdue items are listed; the rest are counted.
pub const OVERDUE_LISTED: usize = 300;

/// A band's shade in the chart; bands without a zone (the 2025 opinion levels) are grey.
fn zone_colour(zone: Option<Zone>) -> Rgb {
    match zone {
        Some(Zone::Green) => Rgb::GREEN,
        Some(Zone::Yellow) => Rgb::YELLOW,
        Some(Zone::Red) => Rgb::RED,
        None => Rgb::LIGHT,
    }
}

fn zone_cell(zone: Option<Zone>) -> TableCell {
    match zone {
        Some(zone) => TableCell {
            text: labels::zone(zone).to_owned(),
            fill: Some(zone_colour(Some(zone))),
        },
        None => TableCell::from("\u{2013}"),
    }
}

fn column(header: &'static str, width: f32) -> TableColumn {
    TableColumn {
        header,
        width,
        align: Align::Left,
    }
}

fn number(header: &'static str, width: f32) -> TableColumn {
    TableColumn {
        header,
        width,
        align: Align::Right,
    }
}

fn first_page() -> PageRequest {
    PageRequest {
        first: Some(MAX_PAGE_SIZE),
        ..PageRequest::default()
    }
}

/// A district the reader can see, by its exact name (case-insensitive).
pub async fn find_district(reader: &Reader, name: &str) -> Result<Option<District>, EngineError> {
    let mut page = first_page();
    let order = Ordering {
        field: NameOrder::Name,
        descending: false,
    };
    loop {
        let found = reader
            .districts(&DistrictFilter::default(), order, &page)
            .await?;
        if let Some((_, d)) = found
            .items
            .iter()
            .find(|(_, d)| d.name.eq_ignore_ascii_case(name.trim()))
        {
            return Ok(Some(d.clone()));
        }
        match found.items.last() {
            Some((key, _)) if found.has_next_page => page.after = Some(key.clone()),
            _ => return Ok(None),
        }
    }
}

/// The district's agreements the reader can see, newest period first.
pub async fn agreements_of_district(
    reader: &Reader,
    district_id: DistrictId,
) -> Result<Vec<Agreement>, EngineError> {
    let filter = AgreementFilter {
        office_id: None,
        district_id: Some(district_id.0),
        statuses: Vec::new(),
    };
    let (mut pages, mut all) = (pendamping_engine::Pages::default(), Vec::new());
    while let Some(page) = pages.next_request() {
        all.extend(pages.read(reader.agreements(&filter, &page).await?));
    }
    all.sort_by_key(|a| (a.status == AgreementStatus::Active, a.period_start, a.id.0));
    all.reverse();
    Ok(all)
}

/// One period's column of the band chart.
struct PeriodFigure {
    label: String,
    figure: Option<i64>,
    methodology: Option<Methodology>,
}

/// The score history: one column per period, shaded by that period's bands,
/// and the district's figure as a line.
fn band_chart(doc: &mut Document, periods: &[PeriodFigure]) {
    let height = 150.0;
    let left = MARGIN + 28.0;
    let width = CONTENT_WIDTH - 28.0;
    doc.ensure(height + 40.0);
    let bottom = doc.y - height - 6.0;
    if periods.is_empty() {
        doc.paragraph("Belum ada periode penilaian.", 9.0, false);
        return;
    }
    let step = width / periods.len() as f32;
    let y_of = |hundredths: i64| bottom + (hundredths as f32 / 10_000.0) * height;
    for (i, p) in periods.iter().enumerate() {
        let x = left + step * i as f32;
        match &p.methodology {
            Some(m) => {
                for band in &m.bands {
                    let low = y_of(band.min.hundredths());
                    let high = y_of(band.max.hundredths());
                    doc.fill_rect(x, low, step, (high - low).max(0.5), zone_colour(band.zone));
                }
            }
            None => doc.fill_rect(x, bottom, step, height, Rgb::LIGHT),
        }
        let label_width = text_width(&p.label, 8.0, false);
        doc.text_at(
            x + (step - label_width) / 2.0,
            bottom - 11.0,
            8.0,
            false,
            Rgb::BLACK,
            &p.label,
        );
    }
    for tick in [0, 25, 50, 75, 100] {
        let y = y_of(tick * 100);
        doc.line((left - 3.0, y), (left, y), Rgb::GREY, 0.5);
        let text = tick.to_string();
        doc.text_at(
            left - 6.0 - text_width(&text, 7.5, false),
            y - 2.5,
            7.5,
            false,
            Rgb::GREY,
            &text,
        );
    }
    doc.stroke_rect(left, bottom, width, height, Rgb::GREY);
    let points: Vec<(f32, f32)> = periods
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            p.figure
                .map(|f| (left + step * i as f32 + step / 2.0, y_of(f)))
        })
        .collect();
    doc.polyline(&points, Rgb::INK, 1.6);
    for (i, p) in periods.iter().enumerate() {
        if let Some(f) = p.figure {
            let text = labels::score(f);
            let x = left + step * i as f32 + step / 2.0 - text_width(&text, 8.0, true) / 2.0;
            doc.text_at(x, y_of(f) + 5.0, 8.0, true, Rgb::INK, &text);
        }
    }
    doc.y = bottom - 24.0;
}

/// A line chart of counts over labelled points (the burn-down).
fn count_chart(doc: &mut Document, points: &[(String, i64)], caption: &str) {
    let height = 120.0;
    let left = MARGIN + 28.0;
    let width = CONTENT_WIDTH - 28.0;
    doc.ensure(height + 40.0);
    let bottom = doc.y - height - 6.0;
    let max = points.iter().map(|p| p.1).max().unwrap_or(0).max(1);
    doc.fill_rect(left, bottom, width, height, Rgb::LIGHT);
    doc.stroke_rect(left, bottom, width, height, Rgb::GREY);
    let step = if points.len() > 1 {
        width / (points.len() - 1) as f32
    } else {
        width
    };
    let y_of = |n: i64| bottom + n as f32 / max as f32 * (height - 10.0);
    for tick in [0, max / 2, max] {
        let text = tick.to_string();
        doc.text_at(
            left - 6.0 - text_width(&text, 7.5, false),
            y_of(tick) - 2.5,
            7.5,
            false,
            Rgb::GREY,
            &text,
        );
    }
    let xy: Vec<(f32, f32)> = points
        .iter()
        .enumerate()
        .map(|(i, p)| (left + step * i as f32, y_of(p.1)))
        .collect();
    doc.polyline(&xy, Rgb::INK, 1.4);
    let every = (points.len() / 6).max(1);
    for (i, p) in points.iter().enumerate() {
        if i % every == 0 || i + 1 == points.len() {
            doc.text_at(
                left + step * i as f32 - 12.0,
                bottom - 11.0,
                7.0,
                false,
                Rgb::BLACK,
                &p.0,
            );
        }
    }
    doc.y = bottom - 16.0;
    doc.paragraph(caption, 8.0, false);
}

fn status_counts(by_status: &HashMap<String, i64>) -> Vec<(ActionItemStatus, i64)> {
    ActionItemStatus::ALL
        .iter()
        .map(|s| (*s, by_status.get(s.as_str()).copied().unwrap_or(0)))
        .collect()
}

/// A rapor's district, within the reader's reach.
async fn district_of(reader: &Reader, id: DistrictId) -> Result<District, ExportError> {
    Ok(reader
        .districts_by_ids(&[id])
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| EngineError::NotFound("no such district".to_owned()))?)
}

/// A rapor's office (when readable), its day (the district's today) and its
/// document, titled `title` and the district's name, with `heading` printed.
async fn opened(
    reader: &Reader,
    district: &District,
    office_id: OfficeId,
    title: &str,
    heading: &str,
) -> Result<(Option<Office>, NaiveDate, Document), ExportError> {
    let office = reader
        .offices_by_ids(&[office_id])
        .await?
        .into_iter()
        .next();
    let today = district.time_zone.today(reader.now());
    let mut doc = Document::new(
        &format!("{title} {}", district.name),
        &format!(
            "{title} {} \u{2014} dicetak {}",
            district.name,
            labels::date_long(today)
        ),
    );
    // The head.
    doc.y -= 4.0;
    doc.text_at(MARGIN, doc.y - 14.0, 16.0, true, Rgb::INK, heading);
    Ok((office, today, doc))
}

/// The rapor of one district, as PDF bytes.
pub async fn district_rapor(
    reader: &Reader,
    district_id: DistrictId,
) -> Result<Vec<u8>, ExportError> {
    let district = district_of(reader, district_id).await?;
    let (office, today, mut doc) = opened(
        reader,
        &district,
        district.office_id,
        "Rapor",
        "RAPOR KEPATUHAN PELAYANAN PUBLIK",
    )
    .await?;
    doc.y -= 34.0;
    doc.text_at(MARGIN, doc.y, 14.0, true, Rgb::BLACK, &district.name);
    doc.y -= 6.0;
    doc.field("Provinsi", &district.province);
    if let Some(office) = &office {
        doc.field("Pendamping", &office.name);
    }
    doc.field("Dicetak", &labels::date_long(today));

    // Score history and the current zone.
    let periods = reader.all_periods().await?;
    let methodology_ids: Vec<MethodologyId> = periods.iter().map(|p| p.methodology_id).collect();
    let methodologies: HashMap<i64, Methodology> = reader
        .methodologies_by_ids(&methodology_ids)
        .await?
        .into_iter()
        .map(|m| (m.id.0, m))
        .collect();
    let aggregates = reader
        .period_aggregates(&[AggregateOf::District(district.id)], ScoreKind::Official)
        .await?
        .remove(&AggregateOf::District(district.id))
        .unwrap_or_default();
    let figure_of: HashMap<i64, i64> = aggregates
        .iter()
        .filter_map(|row| {
            row.own_total
                .or(row.members_mean)
                .map(|f| (row.period_id, f))
        })
        .collect();
    let mut columns: Vec<PeriodFigure> = periods
        .iter()
        .map(|p| PeriodFigure {
            label: p.year.to_string(),
            figure: figure_of.get(&p.id.0).copied(),
            methodology: methodologies.get(&p.methodology_id.0).cloned(),
        })
        .collect();
    // Periods before the first figure say nothing; keep the chart on the data.
    while columns.len() > 1 && columns.first().is_some_and(|c| c.figure.is_none()) {
        columns.remove(0);
    }
    let latest = periods
        .iter()
        .rev()
        .find(|p| figure_of.contains_key(&p.id.0));
    let current = latest.and_then(|p| {
        let figure = figure_of.get(&p.id.0).copied()?;
        let methodology = methodologies.get(&p.methodology_id.0)?;
        let band = Score::from_hundredths(figure)
            .ok()
            .and_then(|s| methodology.classify(s))
            .cloned();
        Some((p.clone(), figure, methodology.code.clone(), band))
    });
    doc.heading("Nilai kepatuhan dan zona");
    match &current {
        Some((period, figure, code, band)) => {
            let band_text = band
                .as_ref()
                .map(|b| match b.zone {
                    Some(zone) => format!("{} \u{2014} Zona {}", b.label, labels::zone(zone)),
                    None => b.label.clone(),
                })
                .unwrap_or_default();
            doc.paragraph(
                &format!(
                    "Nilai terakhir ({}, metodologi {code}): {} \u{2014} {band_text}",
                    period.year,
                    labels::score(*figure)
                ),
                10.5,
                true,
            );
        }
        None => doc.paragraph("Belum ada nilai resmi yang tercatat.", 10.0, false),
    }
    band_chart(&mut doc, &columns);

    // Action items: by status, and the overdue list.
    let stats = reader
        .action_item_stats(&[ItemsIn::District(district.id)], ItemFigures::Counts)
        .await?
        .remove(&ItemsIn::District(district.id));
    doc.heading("Rencana aksi menurut status");
    let (counts, overdue_count) = match &stats {
        Some(row) => (status_counts(&row.by_status), row.overdue),
        None => (status_counts(&HashMap::new()), 0),
    };
    let summary = counts
        .iter()
        .map(|(s, n)| format!("{} {n}", labels::action_item_status(*s)))
        .collect::<Vec<_>>()
        .join(" \u{2022} ");
    doc.paragraph(
        &format!("{summary} \u{2022} Terlambat {overdue_count}"),
        9.5,
        false,
    );

    doc.heading(&format!("Rencana aksi terlambat ({overdue_count})"));
    let filter = ActionItemFilter {
        district_id: Some(district_id.0),
        overdue: Some(true),
        ..ActionItemFilter::default()
    };
    let order = Ordering {
        field: ActionItemOrder::DueOn,
        descending: false,
    };
    let mut overdue = Vec::new();
    let mut page = first_page();
    while overdue.len() < OVERDUE_LISTED {
        let found = reader.action_items(&filter, order, &page).await?;
        let last = found.items.last().map(|(k, _)| k.clone());
        overdue.extend(found.items.into_iter().map(|(_, i)| i));
        match last {
            Some(key) if found.has_next_page => page.after = Some(key),
            _ => break,
        }
    }
    overdue.truncate(OVERDUE_LISTED);
    let opd_ids: Vec<OpdId> = {
        let mut ids: Vec<OpdId> = overdue.iter().map(|i| i.opd_id).collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    };
    let opd_names: HashMap<i64, String> = reader
        .opds_by_ids(&opd_ids)
        .await?
        .into_iter()
        .map(|o| (o.id.0, o.name))
        .collect();
    if overdue.is_empty() {
        doc.paragraph("Tidak ada rencana aksi yang terlambat.", 9.5, false);
    } else {
        let rows: Vec<Vec<TableCell>> = overdue
            .iter()
            .map(|item| {
                vec![
                    opd_names
                        .get(&item.opd_id.0)
                        .cloned()
                        .unwrap_or_default()
                        .into(),
                    item.title.clone().into(),
                    labels::date_short(item.due_on).into(),
                    item.days_overdue(today).to_string().into(),
                    labels::action_item_status(item.status).into(),
                ]
            })
            .collect();
        doc.table(
            &[
                column("OPD", 150.0),
                column("Rencana aksi", 185.0),
                column("Jatuh tempo", 60.0),
                number("Hari", 35.0),
                column("Status", 69.0),
            ],
            &rows,
        );
        if (overdue_count as usize) > overdue.len() {
            doc.paragraph(
                &format!(
                    "\u{2026} dan {} rencana aksi terlambat lainnya (lihat ekspor rencana aksi).",
                    overdue_count as usize - overdue.len()
                ),
                8.5,
                false,
            );
        }
    }

    // The OPDs' standings in the latest period that has OPD figures (the
    // latest period may hold the district's own result only, as the 2025
    // opinion does), as the web board shows them.
    if let Some((current_period, ..)) = &current {
        let mut period = current_period.clone();
        let mut ranking = Vec::new();
        for candidate in periods
            .iter()
            .rev()
            .skip_while(|p| p.id != current_period.id)
        {
            ranking = reader
                .ranking(
                    RankingOf::Opds,
                    RankingFilter {
                        office_id: None,
                        district_id: Some(district_id.0),
                        district_kind: None,
                    },
                    candidate.id,
                    MAX_RANKING,
                )
                .await?;
            if !ranking.is_empty() {
                period = candidate.clone();
                break;
            }
        }
        let period = &period;
        let ids: Vec<OpdId> = ranking.iter().map(|r| OpdId(r.member_id)).collect();
        let names: HashMap<i64, String> = reader
            .opds_by_ids(&ids)
            .await?
            .into_iter()
            .map(|o| (o.id.0, o.name))
            .collect();
        doc.heading(&format!("Peringkat OPD {}", period.year));
        if ranking.is_empty() {
            doc.paragraph("Belum ada nilai OPD pada periode ini.", 9.5, false);
        } else {
            let rows: Vec<Vec<TableCell>> = ranking
                .iter()
                .map(|r| {
                    vec![
                        r.rank.to_string().into(),
                        names.get(&r.member_id).cloned().unwrap_or_default().into(),
                        labels::score(r.total).into(),
                        zone_cell(r.zone),
                    ]
                })
                .collect();
            doc.table(
                &[
                    number("No.", 35.0),
                    column("OPD", 300.0),
                    number("Nilai", 70.0),
                    column("Zona", 94.0),
                ],
                &rows,
            );
        }
    }

    // The agreement's milestones.
    let agreements = agreements_of_district(reader, district_id).await?;
    doc.heading("Tonggak kesepakatan");
    match agreements.first() {
        None => doc.paragraph("Belum ada kesepakatan.", 9.5, false),
        Some(agreement) => {
            doc.paragraph(
                &format!(
                    "{} ({} \u{2013} {}, {})",
                    agreement.title,
                    labels::date_long(agreement.period_start),
                    labels::date_long(agreement.period_end),
                    labels::agreement_status(agreement.status)
                ),
                9.5,
                true,
            );
            milestone_table(&mut doc, reader, agreement.id).await?;
        }
    }
    Ok(doc.finish())
}

async fn milestone_table(
    doc: &mut Document,
    reader: &Reader,
    agreement_id: AgreementId,
) -> Result<(), ExportError> {
    let milestones = reader
        .milestones_of_agreements(&[agreement_id], &first_page())
        .await?
        .remove(&agreement_id)
        .map(|p| p.items)
        .unwrap_or_default();
    let ids: Vec<_> = milestones.iter().map(|(_, m)| m.id).collect();
    let slips = reader.reschedules_of_milestones(&ids).await?;
    if milestones.is_empty() {
        doc.paragraph("Belum ada tonggak.", 9.5, false);
        return Ok(());
    }
    let rows: Vec<Vec<TableCell>> = milestones
        .iter()
        .map(|(_, m)| {
            let slipped: i64 = slips
                .get(&m.id)
                .map(|r| r.iter().map(|s| s.slip_days()).sum())
                .unwrap_or(0);
            let times = slips.get(&m.id).map_or(0, Vec::len);
            vec![
                m.title.clone().into(),
                labels::milestone_kind(m.kind).into(),
                labels::date_short(m.planned_on).into(),
                m.actual_on
                    .map(labels::date_short)
                    .unwrap_or_else(|| "\u{2013}".to_owned())
                    .into(),
                labels::milestone_status(m.status).into(),
                if times == 0 {
                    "\u{2013}".to_owned()
                } else {
                    format!("{slipped} hari ({times}x)")
                }
                .into(),
            ]
        })
        .collect();
    doc.table(
        &[
            column("Tonggak", 165.0),
            column("Jenis", 85.0),
            column("Rencana", 55.0),
            column("Realisasi", 55.0),
            column("Status", 65.0),
            column("Pergeseran", 74.0),
        ],
        &rows,
    );
    Ok(())
}

/// The rapor of one agreement, as PDF bytes.
pub async fn agreement_rapor(
    reader: &Reader,
    agreement_id: AgreementId,
) -> Result<Vec<u8>, ExportError> {
    let agreement = reader
        .agreements_by_ids(&[agreement_id])
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| EngineError::NotFound("no such agreement".to_owned()))?;
    let district = district_of(reader, agreement.district_id).await?;
    let (office, _, mut doc) = opened(
        reader,
        &district,
        agreement.office_id,
        "Rapor kesepakatan",
        "RAPOR KESEPAKATAN PENDAMPINGAN",
    )
    .await?;
    doc.y -= 30.0;
    doc.paragraph(&agreement.title, 12.0, true);
    doc.field("Status", labels::agreement_status(agreement.status));
    doc.field(
        "Masa berlaku",
        &format!(
            "{} \u{2013} {}",
            labels::date_long(agreement.period_start),
            labels::date_long(agreement.period_end)
        ),
    );
    if let Some(signed) = agreement.signed_on {
        doc.field("Ditandatangani", &labels::date_long(signed));
    }

    doc.heading("Para pihak dan penandatangan");
    let dash = || "\u{2013}".to_owned();
    doc.field(
        "Pihak pertama",
        &office
            .as_ref()
            .map(|o| o.name.clone())
            .unwrap_or_else(|| "Ombudsman Republik Indonesia".to_owned()),
    );
    doc.field(
        "Penandatangan",
        &agreement.office_signatory.clone().unwrap_or_else(dash),
    );
    doc.field(
        "Nomor",
        &agreement.office_number.clone().unwrap_or_else(dash),
    );
    doc.field("Pihak kedua", &format!("Pemerintah {}", district.name));
    doc.field(
        "Penandatangan",
        &agreement.district_signatory.clone().unwrap_or_else(dash),
    );
    doc.field(
        "Nomor",
        &agreement.district_number.clone().unwrap_or_else(dash),
    );

    doc.heading("Ketentuan dan perubahan (adendum)");
    if let Some(summary) = &agreement.closing_summary {
        doc.field("Ringkasan penutupan", summary);
    }
    if let Some(reason) = &agreement.termination_reason {
        doc.field("Alasan pengakhiran", reason);
    }
    let amendments = reader
        .amendments_of_agreements(&[agreement_id])
        .await?
        .remove(&agreement_id)
        .unwrap_or_default();
    if amendments.is_empty() {
        doc.paragraph("Tidak ada adendum.", 9.5, false);
    } else {
        let rows: Vec<Vec<TableCell>> = amendments
            .iter()
            .map(|a| {
                vec![
                    a.number.clone().into(),
                    labels::date_short(a.signed_on).into(),
                    a.summary.clone().into(),
                    a.new_period_end
                        .map(labels::date_short)
                        .unwrap_or_else(dash)
                        .into(),
                ]
            })
            .collect();
        doc.table(
            &[
                column("Nomor", 110.0),
                column("Tanggal", 60.0),
                column("Ringkasan", 260.0),
                column("Akhir baru", 69.0),
            ],
            &rows,
        );
    }

    doc.heading("Tonggak dan pergeserannya");
    milestone_table(&mut doc, reader, agreement_id).await?;

    doc.heading("Rencana aksi per OPD dan status");
    let opd_ids = reader
        .opd_ids_of_agreements(&[agreement_id])
        .await?
        .remove(&agreement_id)
        .unwrap_or_default();
    let opds = reader.opds_by_ids(&opd_ids).await?;
    let in_agreement = |opd| ItemsIn::OpdInAgreement(opd, agreement_id);
    let visible: Vec<ItemsIn> = opds.iter().map(|o| in_agreement(o.id)).collect();
    let stats = reader
        .action_item_stats(&visible, ItemFigures::Counts)
        .await?;
    let mut opds = opds;
    opds.sort_by(|a, b| a.name.cmp(&b.name));
    let rows: Vec<Vec<TableCell>> = opds
        .iter()
        .map(|o| {
            let (counts, overdue) = stats.get(&in_agreement(o.id)).map_or_else(
                || (status_counts(&HashMap::new()), 0),
                |row| (status_counts(&row.by_status), row.overdue),
            );
            let mut row: Vec<TableCell> = vec![o.name.clone().into()];
            row.extend(counts.iter().map(|(_, n)| TableCell::from(n.to_string())));
            row.push(overdue.to_string().into());
            row
        })
        .collect();
    if rows.is_empty() {
        doc.paragraph("Belum ada OPD dalam lingkup kesepakatan.", 9.5, false);
    } else {
        doc.table(
            &[
                column("OPD", 170.0),
                number("Terbuka", 42.0),
                number("Dikerjakan", 50.0),
                number("Diajukan", 45.0),
                number("Terverifikasi", 60.0),
                number("Ditolak", 40.0),
                number("Batal", 40.0),
                number("Terlambat", 52.0),
            ],
            &rows,
        );
    }

    doc.heading("Burn-down: rencana aksi terbuka per minggu");
    let (weeks, trend) = reader
        .weekly_trend(&[ItemsIn::Agreement(agreement_id)], district.time_zone, 26)
        .await?;
    let rows = trend
        .get(&ItemsIn::Agreement(agreement_id))
        .cloned()
        .unwrap_or_default();
    let open_at: HashMap<i64, i64> = rows.iter().map(|r| (r.week, r.open_at_end)).collect();
    let points: Vec<(String, i64)> = weeks
        .iter()
        .enumerate()
        .map(|(i, w)| {
            (
                w.last_day.format("%d/%m").to_string(),
                open_at.get(&(i as i64)).copied().unwrap_or(0),
            )
        })
        .collect();
    let now_open = points.last().map_or(0, |p| p.1);
    count_chart(
        &mut doc,
        &points,
        &format!(
            "Jumlah rencana aksi yang belum selesai pada akhir tiap minggu (26 minggu terakhir); kini {now_open}."
        ),
    );
    Ok(doc.finish())
}
