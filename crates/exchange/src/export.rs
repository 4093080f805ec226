//! The lists and boards a caller can see, as rows for people: read page by
//! page through the caller's [`Reader`] (so the reach is the API's), never
//! more than one page of records in memory at a time.

use std::collections::HashMap;

use chrono::NaiveDate;
use pendamping_engine::domain::ids::{AssessmentPeriodId, DistrictId, MethodologyId, OpdId};
use pendamping_engine::domain::reference::TimeZone;
use pendamping_engine::domain::score::{AssessmentPeriod, Methodology, ScoreKind, Zone};
use pendamping_engine::personal;
use pendamping_engine::{
    ActionItemFilter, ActionItemOrder, AgreementFilter, AuditFilter, BULK_PAGE_SIZE, CursorKey,
    EngineError, MAX_PAGE_SIZE, MAX_RANKING, NameOrder, OpdFilter, Ordering, PageRequest,
    RankingFilter, RankingOf, Reader, ScoreFilter,
};

use crate::labels;

/// One cell of an exported row.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Int(i64),
    Date(NaiveDate),
    /// A score in hundredths, shown with two decimals.
    Score(i64),
    /// A zone, coloured in the spreadsheet.
    Zone(Zone),
}

impl Cell {
    fn text(value: impl Into<String>) -> Cell {
        Cell::Text(value.into())
    }

    fn opt_text(value: Option<&str>) -> Cell {
        value.map_or(Cell::Empty, |v| Cell::Text(v.to_owned()))
    }

    fn opt_date(value: Option<NaiveDate>) -> Cell {
        value.map_or(Cell::Empty, Cell::Date)
    }

    /// The cell as text in a CSV file.
    pub fn csv_text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(text) => text.clone(),
            Cell::Int(n) => n.to_string(),
            Cell::Date(date) => labels::date_short(*date),
            Cell::Score(hundredths) => labels::score_point(*hundredths),
            Cell::Zone(zone) => labels::zone(*zone).to_owned(),
        }
    }
}

/// A row of cells, in the order of the export's columns.
pub type Row = Vec<Cell>;

/// A column of an export: its Indonesian header and its width in characters.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub header: &'static str,
    pub width: f64,
}

const fn col(header: &'static str, width: f64) -> Column {
    Column { header, width }
}

/// What can be exported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportKind {
    Opds,
    ActionItems,
    Agreements,
    Scores,
    DistrictBoard,
    OfficeBoard,
    AuditLog,
}

impl ExportKind {
    pub const ALL: [ExportKind; 7] = [
        ExportKind::Opds,
        ExportKind::ActionItems,
        ExportKind::Agreements,
        ExportKind::Scores,
        ExportKind::DistrictBoard,
        ExportKind::OfficeBoard,
        ExportKind::AuditLog,
    ];

    /// The name in URLs and file names: `opds`, `action-items`, ….
    pub fn slug(self) -> &'static str {
        match self {
            ExportKind::Opds => "opds",
            ExportKind::ActionItems => "action-items",
            ExportKind::Agreements => "agreements",
            ExportKind::Scores => "scores",
            ExportKind::DistrictBoard => "district-board",
            ExportKind::OfficeBoard => "office-board",
            ExportKind::AuditLog => "audit-log",
        }
    }

    pub fn from_slug(slug: &str) -> Option<ExportKind> {
        ExportKind::ALL.into_iter().find(|k| k.slug() == slug)
    }

    /// The worksheet's name.
    pub fn sheet_name(self) -> &'static str {
        match self {
            ExportKind::Opds => "OPD",
            ExportKind::ActionItems => "Rencana aksi",
            ExportKind::Agreements => "Kesepakatan",
            ExportKind::Scores => "Riwayat nilai",
            ExportKind::DistrictBoard => "Papan daerah",
            ExportKind::OfficeBoard => "Papan perwakilan",
            ExportKind::AuditLog => "Log audit",
        }
    }

    pub fn columns(self) -> &'static [Column] {
        match self {
            ExportKind::Opds => OPD_COLUMNS,
            ExportKind::ActionItems => ACTION_ITEM_COLUMNS,
            ExportKind::Agreements => AGREEMENT_COLUMNS,
            ExportKind::Scores => SCORE_COLUMNS,
            ExportKind::DistrictBoard => DISTRICT_BOARD_COLUMNS,
            ExportKind::OfficeBoard => OFFICE_BOARD_COLUMNS,
            ExportKind::AuditLog => AUDIT_COLUMNS,
        }
    }
}

pub const OPD_COLUMNS: &[Column] = &[
    col("Kabupaten/Kota", 28.0),
    col("Nama OPD", 44.0),
    col("Singkatan", 14.0),
    col("Jenis", 14.0),
    col("Jabatan kepala", 32.0),
];

pub const ACTION_ITEM_COLUMNS: &[Column] = &[
    col("Kabupaten/Kota", 24.0),
    col("OPD", 36.0),
    col("Judul", 40.0),
    col("Temuan", 48.0),
    col("Komponen standar", 28.0),
    col("Prioritas", 10.0),
    col("Status", 14.0),
    col("Jatuh tempo", 12.0),
    col("Terlambat", 10.0),
    col("Hari terlambat", 10.0),
];

pub const AGREEMENT_COLUMNS: &[Column] = &[
    col("Kabupaten/Kota", 24.0),
    col("Judul kesepakatan", 40.0),
    col("Nomor Ombudsman", 22.0),
    col("Nomor daerah", 22.0),
    col("Mulai", 12.0),
    col("Selesai", 12.0),
    col("Status", 12.0),
    col("Tonggak", 36.0),
    col("Jenis tonggak", 20.0),
    col("Rencana", 12.0),
    col("Realisasi", 12.0),
    col("Status tonggak", 14.0),
];

pub const SCORE_COLUMNS: &[Column] = &[
    col("Periode", 10.0),
    col("Metodologi", 12.0),
    col("Kabupaten/Kota", 24.0),
    col("OPD", 36.0),
    col("Jenis nilai", 16.0),
    col("Nilai", 8.0),
    col("Kategori", 10.0),
    col("Zona", 8.0),
    col("Revisi", 7.0),
    col("Nilai dimensi", 40.0),
    col("Asal nilai", 16.0),
    col("Sumber", 40.0),
    col("Peringkat nasional", 10.0),
    col("Dari", 6.0),
    col("Kualifikasi", 20.0),
    col("Predikat", 12.0),
];

pub const DISTRICT_BOARD_COLUMNS: &[Column] = &[
    col("Peringkat", 10.0),
    col("Dari", 6.0),
    col("OPD", 40.0),
    col("Nilai", 8.0),
    col("Zona", 8.0),
];

pub const OFFICE_BOARD_COLUMNS: &[Column] = &[
    col("Peringkat", 10.0),
    col("Dari", 6.0),
    col("Kabupaten/Kota", 32.0),
    col("Nilai", 8.0),
    col("Zona", 8.0),
];

pub const AUDIT_COLUMNS: &[Column] = &[
    col("Waktu", 20.0),
    col("Pelaku", 28.0),
    col("Tindakan", 26.0),
    col("Objek", 14.0),
    col("Nomor objek", 10.0),
    col("Alasan", 30.0),
    col("Sebelum", 40.0),
    col("Sesudah", 40.0),
];

/// What to export: the filters of the matching queries.
#[derive(Debug, Clone, Default)]
pub struct ExportParams {
    /// For action items: the same filter as the `actionItems` query.
    pub action_items: ActionItemFilter,
    pub action_item_order: Ordering<ActionItemOrder>,
    pub office_id: Option<i64>,
    pub district_id: Option<i64>,
    pub opd_id: Option<i64>,
    pub period_id: Option<i64>,
    pub score_kind: Option<ScoreKind>,
    pub audit: AuditFilter,
}

/// Problems an export can have beyond the engine's.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Engine(#[from] EngineError),
    #[error("{0}")]
    BadRequest(String),
    #[error("writing the spreadsheet failed: {0}")]
    Write(String),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// Names of districts and OPDs met so far; cleared when it grows past a bound,
/// so an export's memory does not grow with the data.
#[derive(Default)]
struct Names {
    districts: HashMap<i64, (String, TimeZone)>,
    opds: HashMap<i64, String>,
}

const NAMES_BOUND: usize = 50_000;

/// The ids among `ids` that `known` does not hold yet, as `id`s, sorted and
/// once each; `None` when every one is known (then there is nothing to read).
fn not_yet_known<V, Id>(
    ids: impl IntoIterator<Item = i64>,
    known: &HashMap<i64, V>,
    id: fn(i64) -> Id,
) -> Option<Vec<Id>> {
    let mut missing: Vec<i64> = ids.into_iter().filter(|i| !known.contains_key(i)).collect();
    missing.sort_unstable();
    missing.dedup();
    (!missing.is_empty()).then(|| missing.into_iter().map(id).collect())
}

impl Names {
    async fn load(
        &mut self,
        reader: &Reader,
        districts: impl IntoIterator<Item = i64>,
        opds: impl IntoIterator<Item = i64>,
    ) -> Result<(), EngineError> {
        if self.districts.len() > NAMES_BOUND || self.opds.len() > NAMES_BOUND {
            self.districts.clear();
            self.opds.clear();
        }
        if let Some(missing) = not_yet_known(districts, &self.districts, DistrictId) {
            for d in reader.districts_by_ids(&missing).await? {
                self.districts.insert(d.id.0, (d.name, d.time_zone));
            }
        }
        if let Some(missing) = not_yet_known(opds, &self.opds, OpdId) {
            for o in reader.opds_by_ids(&missing).await? {
                self.opds.insert(o.id.0, o.name);
            }
        }
        Ok(())
    }

    fn district(&self, id: i64) -> Cell {
        self.districts
            .get(&id)
            .map_or(Cell::Empty, |(name, _)| Cell::text(name.clone()))
    }

    fn zone_of(&self, district: i64) -> TimeZone {
        self.districts
            .get(&district)
            .map_or(TimeZone::Wib, |(_, zone)| *zone)
    }

    fn opd(&self, id: i64) -> Cell {
        self.opds
            .get(&id)
            .map_or(Cell::Empty, |name| Cell::text(name.clone()))
    }
}

/// An export in progress: ask [`Export::next_rows`] until it answers `None`.
pub struct Export {
    reader: Reader,
    kind: ExportKind,
    params: ExportParams,
    after: Option<CursorKey>,
    done: bool,
    names: Names,
    methodologies: HashMap<i64, Methodology>,
    periods: HashMap<i64, AssessmentPeriod>,
}

impl std::fmt::Debug for Export {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Export")
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}

impl Export {
    /// An export of `kind` read by `reader`. Boards need their district or office.
    pub fn new(
        reader: Reader,
        kind: ExportKind,
        params: ExportParams,
    ) -> Result<Self, ExportError> {
        match kind {
            ExportKind::DistrictBoard if params.district_id.is_none() => {
                return Err(ExportError::BadRequest(
                    "district: the district board needs `district`".to_owned(),
                ));
            }
            ExportKind::OfficeBoard if params.office_id.is_none() => {
                return Err(ExportError::BadRequest(
                    "office: the office board needs `office`".to_owned(),
                ));
            }
            _ => {}
        }
        if !reader.reaches_anything() {
            return Err(EngineError::Unauthenticated("log in to export".to_owned()).into());
        }
        Ok(Export {
            reader,
            kind,
            params,
            after: None,
            done: false,
            names: Names::default(),
            methodologies: HashMap::new(),
            periods: HashMap::new(),
        })
    }

    pub fn kind(&self) -> ExportKind {
        self.kind
    }

    pub fn columns(&self) -> &'static [Column] {
        self.kind.columns()
    }

    fn page(&self) -> PageRequest {
        PageRequest {
            first: Some(BULK_PAGE_SIZE),
            after: self.after.clone(),
            last: None,
            before: None,
        }
    }

    /// The next rows, or `None` at the end.
    pub async fn next_rows(&mut self) -> Result<Option<Vec<Row>>, ExportError> {
        if self.done {
            return Ok(None);
        }
        let rows = match self.kind {
            ExportKind::Opds => self.opds().await?,
            ExportKind::ActionItems => self.action_items().await?,
            ExportKind::Agreements => self.agreements().await?,
            ExportKind::Scores => self.scores().await?,
            ExportKind::DistrictBoard | ExportKind::OfficeBoard => self.board().await?,
            ExportKind::AuditLog => self.audit().await?,
        };
        Ok(Some(rows))
    }

    /// Records the page's end; the export is done when there is no next page.
    fn advance<T>(&mut self, page: &pendamping_engine::Page<T>) {
        self.after = page.items.last().map(|(key, _)| key.clone());
        if !page.has_next_page || self.after.is_none() {
            self.done = true;
        }
    }

    async fn opds(&mut self) -> Result<Vec<Row>, ExportError> {
        let filter = OpdFilter {
            district_id: self.params.district_id,
            ..OpdFilter::default()
        };
        let order = Ordering {
            field: NameOrder::Name,
            descending: false,
        };
        let page = self.reader.opds(&filter, order, &self.page()).await?;
        self.advance(&page);
        self.names
            .load(
                &self.reader,
                page.items.iter().map(|(_, o)| o.district_id.0),
                [],
            )
            .await?;
        Ok(page
            .items
            .into_iter()
            .map(|(_, o)| {
                vec![
                    self.names.district(o.district_id.0),
                    Cell::text(o.name),
                    Cell::opt_text(o.short_name.as_deref()),
                    Cell::text(labels::opd_kind(o.kind)),
                    Cell::opt_text(o.head_title.as_deref()),
                ]
            })
            .collect())
    }

    async fn action_items(&mut self) -> Result<Vec<Row>, ExportError> {
        let page = self
            .reader
            .action_items(
                &self.params.action_items,
                self.params.action_item_order,
                &self.page(),
            )
            .await?;
        self.advance(&page);
        self.names
            .load(
                &self.reader,
                page.items.iter().map(|(_, i)| i.district_id.0),
                page.items.iter().map(|(_, i)| i.opd_id.0),
            )
            .await?;
        let now = self.reader.now();
        Ok(page
            .items
            .into_iter()
            .map(|(_, item)| {
                let today = self.names.zone_of(item.district_id.0).today(now);
                vec![
                    self.names.district(item.district_id.0),
                    self.names.opd(item.opd_id.0),
                    Cell::text(item.title.clone()),
                    Cell::text(item.finding.clone()),
                    item.standard_component
                        .map_or(Cell::Empty, |c| Cell::text(labels::standard_component(c))),
                    Cell::text(labels::priority(item.priority)),
                    Cell::text(labels::action_item_status(item.status)),
                    Cell::Date(item.due_on),
                    Cell::text(labels::yes_no(item.is_overdue(today))),
                    Cell::Int(item.days_overdue(today)),
                ]
            })
            .collect())
    }

    async fn agreements(&mut self) -> Result<Vec<Row>, ExportError> {
        let filter = AgreementFilter {
            office_id: self.params.office_id,
            district_id: self.params.district_id,
            statuses: Vec::new(),
        };
        let page = self.reader.agreements(&filter, &self.page()).await?;
        self.advance(&page);
        let ids: Vec<_> = page.items.iter().map(|(_, a)| a.id).collect();
        let all_milestones = PageRequest {
            first: Some(MAX_PAGE_SIZE),
            ..PageRequest::default()
        };
        let mut milestones = self
            .reader
            .milestones_of_agreements(&ids, &all_milestones)
            .await?;
        self.names
            .load(
                &self.reader,
                page.items.iter().map(|(_, a)| a.district_id.0),
                [],
            )
            .await?;
        let mut rows = Vec::new();
        for (_, a) in page.items {
            let head = [
                self.names.district(a.district_id.0),
                Cell::text(a.title.clone()),
                Cell::opt_text(a.office_number.as_deref()),
                Cell::opt_text(a.district_number.as_deref()),
                Cell::Date(a.period_start),
                Cell::Date(a.period_end),
                Cell::text(labels::agreement_status(a.status)),
            ];
            let of_this = milestones
                .remove(&a.id)
                .map(|p| p.items)
                .unwrap_or_default();
            if of_this.is_empty() {
                let mut row = head.to_vec();
                row.extend([
                    Cell::Empty,
                    Cell::Empty,
                    Cell::Empty,
                    Cell::Empty,
                    Cell::Empty,
                ]);
                rows.push(row);
            }
            for (_, m) in of_this {
                let mut row = head.to_vec();
                row.extend([
                    Cell::text(m.title),
                    Cell::text(labels::milestone_kind(m.kind)),
                    Cell::Date(m.planned_on),
                    Cell::opt_date(m.actual_on),
                    Cell::text(labels::milestone_status(m.status)),
                ]);
                rows.push(row);
            }
        }
        Ok(rows)
    }

    async fn remember_scoring(
        &mut self,
        methodologies: &[i64],
        periods: &[i64],
    ) -> Result<(), EngineError> {
        let methodologies = methodologies.iter().copied();
        if let Some(missing) = not_yet_known(methodologies, &self.methodologies, MethodologyId) {
            for m in self.reader.methodologies_by_ids(&missing).await? {
                self.methodologies.insert(m.id.0, m);
            }
        }
        let periods = periods.iter().copied();
        if let Some(missing) = not_yet_known(periods, &self.periods, AssessmentPeriodId) {
            for p in self.reader.periods_by_ids(&missing).await? {
                self.periods.insert(p.id.0, p);
            }
        }
        Ok(())
    }

    fn zone_of_band(&self, methodology: i64, band: &str) -> Cell {
        self.methodologies
            .get(&methodology)
            .and_then(|m| m.bands.iter().find(|b| b.code == band))
            .and_then(|b| b.zone)
            .map_or(Cell::Empty, Cell::Zone)
    }

    async fn scores(&mut self) -> Result<Vec<Row>, ExportError> {
        let filter = ScoreFilter {
            district_id: self.params.district_id,
            opd_id: self.params.opd_id,
            district_level: None,
            period_id: self.params.period_id,
            kind: self.params.score_kind,
            current_only: true,
        };
        let page = self.reader.scores(&filter, &self.page()).await?;
        self.advance(&page);
        let methodologies: Vec<i64> = page.items.iter().map(|(_, s)| s.methodology_id.0).collect();
        let periods: Vec<i64> = page.items.iter().map(|(_, s)| s.period_id.0).collect();
        self.remember_scoring(&methodologies, &periods).await?;
        self.names
            .load(
                &self.reader,
                page.items.iter().map(|(_, s)| s.district_id.0),
                page.items.iter().filter_map(|(_, s)| s.opd_id.map(|o| o.0)),
            )
            .await?;
        Ok(page
            .items
            .into_iter()
            .map(|(_, s)| {
                let dimensions = s
                    .dimension_values
                    .iter()
                    .map(|(code, value)| {
                        format!("{code}={}", labels::score_point(value.hundredths()))
                    })
                    .collect::<Vec<_>>()
                    .join("; ");
                vec![
                    self.periods
                        .get(&s.period_id.0)
                        .map_or(Cell::Empty, |p| Cell::Int(i64::from(p.year))),
                    self.methodologies
                        .get(&s.methodology_id.0)
                        .map_or(Cell::Empty, |m| Cell::text(m.code.clone())),
                    self.names.district(s.district_id.0),
                    s.opd_id.map_or(Cell::Empty, |o| self.names.opd(o.0)),
                    Cell::text(labels::score_kind(s.kind)),
                    Cell::Score(s.total.hundredths()),
                    Cell::text(s.band_code.clone()),
                    self.zone_of_band(s.methodology_id.0, &s.band_code),
                    Cell::Int(i64::from(s.revision)),
                    if dimensions.is_empty() {
                        Cell::Empty
                    } else {
                        Cell::Text(dimensions)
                    },
                    Cell::text(s.provenance.as_str()),
                    Cell::opt_text(s.source.as_deref()),
                    s.national_rank
                        .map_or(Cell::Empty, |(rank, _)| Cell::Int(i64::from(rank))),
                    s.national_rank
                        .map_or(Cell::Empty, |(_, of)| Cell::Int(i64::from(of))),
                    Cell::opt_text(s.qualifier.as_deref()),
                    Cell::opt_text(s.published_label.as_deref()),
                ]
            })
            .collect())
    }

    /// The period a board shows: the one asked for, or the latest.
    async fn board_period(&self) -> Result<Option<AssessmentPeriodId>, EngineError> {
        if let Some(period) = self.params.period_id {
            return Ok(Some(AssessmentPeriodId(period)));
        }
        Ok(self.reader.all_periods().await?.last().map(|p| p.id))
    }

    async fn board(&mut self) -> Result<Vec<Row>, ExportError> {
        self.done = true;
        let Some(period) = self.board_period().await? else {
            return Ok(Vec::new());
        };
        let (of, filter) = match self.kind {
            ExportKind::DistrictBoard => (
                RankingOf::Opds,
                RankingFilter {
                    office_id: None,
                    district_id: self.params.district_id,
                    district_kind: None,
                },
            ),
            _ => (
                RankingOf::Districts,
                RankingFilter {
                    office_id: self.params.office_id,
                    district_id: None,
                    district_kind: None,
                },
            ),
        };
        let rows = self.reader.ranking(of, filter, period, MAX_RANKING).await?;
        let opds = of == RankingOf::Opds;
        self.names
            .load(
                &self.reader,
                rows.iter().map(|r| r.district_id),
                rows.iter().filter(|_| opds).map(|r| r.member_id),
            )
            .await?;
        Ok(rows
            .into_iter()
            .map(|r| {
                vec![
                    Cell::Int(r.rank),
                    Cell::Int(r.ranked),
                    if opds {
                        self.names.opd(r.member_id)
                    } else {
                        self.names.district(r.member_id)
                    },
                    Cell::Score(r.total),
                    r.zone.map_or(Cell::Empty, Cell::Zone),
                ]
            })
            .collect())
    }

    async fn audit(&mut self) -> Result<Vec<Row>, ExportError> {
        let page = self
            .reader
            .audit_events(&self.params.audit, &self.page())
            .await?;
        self.advance(&page);
        self.names
            .load(
                &self.reader,
                page.items
                    .iter()
                    .filter_map(|(_, e)| e.district_id.map(|d| d.0)),
                [],
            )
            .await?;
        // Like the API's audit log: nobody but an admin reads an e-mail in a
        // recorded label or payload, only the acting user's display name.
        let recorded = self.reader.reads_recorded_labels();
        let mut names = HashMap::new();
        if !recorded {
            let ids: Vec<_> = page
                .items
                .iter()
                .filter(|(_, e)| personal::label_needs_name(&e.actor_label))
                .filter_map(|(_, e)| e.actor_id)
                .collect();
            if !ids.is_empty() {
                for person in self.reader.people_by_ids(&ids).await? {
                    names.insert(person.user.id.0, person.user.display_name);
                }
            }
        }
        let shown_json = |text: Option<String>| {
            text.map(|t| {
                if recorded {
                    t
                } else {
                    personal::redact_json(&t)
                }
            })
        };
        Ok(page
            .items
            .into_iter()
            .map(|(_, e)| {
                let zone = e
                    .district_id
                    .map_or(TimeZone::Wib, |d| self.names.zone_of(d.0));
                let name = e.actor_id.and_then(|id| names.get(&id.0).cloned());
                let label = personal::shown_label(recorded, e.actor_label, name);
                vec![
                    Cell::Text(labels::instant(e.occurred_at, zone)),
                    Cell::Text(label),
                    Cell::Text(e.action),
                    Cell::Text(e.object_type),
                    Cell::Int(e.object_id),
                    Cell::opt_text(e.reason.as_deref()),
                    Cell::opt_text(shown_json(e.before).as_deref()),
                    Cell::opt_text(shown_json(e.after).as_deref()),
                ]
            })
            .collect())
    }
}
