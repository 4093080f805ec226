//! Imports of many records at once, all or nothing: every row is checked
//! (reach, role, the same validation as the one-at-a-time mutation) before
//! anything is written; then every change is written, audited and evented in
//! one transaction. A row that changes nothing (the record is already as the
//! file says) is counted, not written, so importing a file twice changes
//! nothing the second time.
//!
//! Three kinds: a district's OPD list (create, rename, deactivate or
//! reactivate), score sheets (official results and other scores per district
//! and per OPD for a period), and the findings of a visit (action items per
//! OPD, linked to the visit's milestone).

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use pendamping_domain::action_item::{ActionItem, ItemOrigin, Origin, Priority, StandardComponent};
use pendamping_domain::agreement::{Agreement, AgreementStatus, Milestone};
use pendamping_domain::events::EventKind;
use pendamping_domain::identity::Actor;
use pendamping_domain::policy::{self, Operation, Target};
use pendamping_domain::reference::{District, NewOpd, Opd, OpdKind, Rename};
use pendamping_domain::score::{Methodology, Provenance, ScoreKind, ScoreRecord};
use pendamping_domain::validation::{FieldError, Validation};
use pendamping_storage::page::PageRequest;
use pendamping_storage::reference::{self as refs, NameOrder, OpdFilter, Ordering};
use pendamping_storage::scores::{self, Published, ScoreFilter};
use pendamping_storage::work::{
    self, ActionItemFilter, ActionItemOrder, ActionItemRow, AgreementFilter, ItemProgress,
};
use pendamping_storage::{audit, changes};
use serde_json::json;

use crate::paging::Pages;
use crate::reference::{Subject, append_audit, audit_row, forbid};
use crate::{Engine, EngineError, ScoreValues};

/// One problem with one cell (or row) of an imported file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportProblem {
    pub sheet: String,
    /// The row as a spreadsheet numbers it (the header is row 1).
    pub row: usize,
    /// The column's header.
    pub column: String,
    pub value: String,
    /// For programs: `REQUIRED`, `UNKNOWN_DISTRICT`, `FORBIDDEN`, `INVALID`, `DUPLICATE_ROW`, ….
    pub code: String,
    pub message_id: String,
    pub message_en: String,
}

/// Where a row comes from: its sheet and row number.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RowAt {
    pub sheet: String,
    /// The row as a spreadsheet numbers it (the header is row 1).
    pub row: usize,
}

impl RowAt {
    /// A problem with a cell of this row.
    pub fn problem(
        &self,
        column: &str,
        value: &str,
        code: &str,
        id: impl Into<String>,
        en: impl Into<String>,
    ) -> ImportProblem {
        ImportProblem {
            sheet: self.sheet.clone(),
            row: self.row,
            column: column.to_owned(),
            value: value.to_owned(),
            code: code.to_owned(),
            message_id: id.into(),
            message_en: en.into(),
        }
    }
}

/// A row of an OPD list. The OPD is found by `code` (its number in
/// Pendamping) when given, else by `name` within the district.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpdImportRow {
    pub sheet: String,
    pub row: usize,
    pub district: String,
    pub name: String,
    pub short_name: Option<String>,
    pub kind: OpdKind,
    pub head_title: Option<String>,
    /// The OPD's number in Pendamping: a stable code that survives renames.
    pub code: Option<i64>,
    /// Renames the OPD found by `name` (or, with `code`, `name` is the new name).
    pub new_name: Option<String>,
    /// `Some(false)` deactivates, `Some(true)` reactivates; `None` leaves it.
    pub active: Option<bool>,
    /// Why an OPD is deactivated or reactivated (required then, as in `setOpdActive`).
    pub reason: Option<String>,
}

/// A row of a score sheet: one score of a district (no `opd`) or of one of
/// its OPDs, for the period of `year` under `methodology`.
#[derive(Debug, Clone)]
pub struct ScoreImportRow {
    pub at: RowAt,
    pub year: i32,
    /// The methodology's code, e.g. `KSP-2021`.
    pub methodology: String,
    pub district: String,
    pub opd: Option<String>,
    pub kind: ScoreKind,
    pub values: ScoreValues,
    pub provenance: Option<Provenance>,
    pub published: Published,
}

/// A row of a visit's findings: an action item for an OPD, linked to the
/// visit's milestone of the district's agreement.
#[derive(Debug, Clone)]
pub struct FindingImportRow {
    pub at: RowAt,
    pub district: String,
    /// The agreement's title or number; `None`: the district's only active agreement.
    pub agreement: Option<String>,
    /// The milestone's title (the visit).
    pub milestone: String,
    pub opd: String,
    pub title: String,
    pub finding: String,
    pub standard_component: Option<StandardComponent>,
    pub priority: Priority,
    pub due_on: NaiveDate,
}

/// What an import did (or, on a dry run or with problems, would have done).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportOutcome {
    pub created: u64,
    /// Records changed (renamed, deactivated, reactivated).
    pub updated: u64,
    pub unchanged: u64,
    /// Empty when the file was accepted.
    pub problems: Vec<ImportProblem>,
    /// Whether anything was written.
    pub applied: bool,
}

/// The column headers of the files, as the templates and exports name them.
pub mod columns {
    pub const DISTRICT: &str = "Kabupaten/Kota";
    pub const OPD_NAME: &str = "Nama OPD";
    pub const SHORT_NAME: &str = "Singkatan";
    pub const OPD_KIND: &str = "Jenis";
    pub const HEAD_TITLE: &str = "Jabatan kepala";
    pub const OPD_CODE: &str = "Kode OPD";
    pub const NEW_NAME: &str = "Nama baru";
    pub const STATUS: &str = "Status";
    pub const REASON: &str = "Alasan";

    pub const PERIOD: &str = "Periode";
    pub const METHODOLOGY: &str = "Metodologi";
    pub const OPD: &str = "OPD";
    pub const SCORE_KIND: &str = "Jenis nilai";
    pub const TOTAL: &str = "Nilai";
    pub const DIMENSIONS: &str = "Nilai dimensi";
    pub const PROVENANCE: &str = "Asal nilai";
    pub const SOURCE: &str = "Sumber";
    pub const NATIONAL_RANK: &str = "Peringkat nasional";
    pub const RANKED_OF: &str = "Dari";
    pub const QUALIFIER: &str = "Kualifikasi";
    pub const LABEL: &str = "Predikat";

    pub const AGREEMENT: &str = "Kesepakatan";
    pub const MILESTONE: &str = "Tonggak";
    pub const TITLE: &str = "Judul";
    pub const FINDING: &str = "Temuan";
    pub const COMPONENT: &str = "Komponen standar";
    pub const PRIORITY: &str = "Prioritas";
    pub const DUE_ON: &str = "Jatuh tempo";
}

use columns as col;

fn lower(text: &str) -> String {
    text.trim().to_lowercase()
}

/// The districts a caller can read, by lower-case name.
async fn districts_by_name(
    engine: &Engine,
    actor: &Actor,
) -> Result<HashMap<String, District>, EngineError> {
    let reader = engine.reader(actor);
    let by_name = Ordering {
        field: NameOrder::Name,
        descending: false,
    };
    let (mut pages, mut districts) = (Pages::default(), HashMap::new());
    while let Some(page) = pages.next_request() {
        let found = reader
            .districts(&Default::default(), by_name, &page)
            .await?;
        districts.extend(pages.read(found).into_iter().map(|d| (lower(&d.name), d)));
    }
    Ok(districts)
}

/// Every OPD of a district the caller can read (active or not).
async fn opds_of(engine: &Engine, actor: &Actor, district: i64) -> Result<Vec<Opd>, EngineError> {
    let filter = OpdFilter {
        district_id: Some(district),
        ..OpdFilter::default()
    };
    let by_name = Ordering {
        field: NameOrder::Name,
        descending: false,
    };
    let (mut pages, mut opds) = (Pages::default(), Vec::new());
    while let Some(page) = pages.next_request() {
        let found = refs::list_opds(&engine.db, &actor.reach(), &filter, by_name, &page).await?;
        opds.extend(pages.read(found));
    }
    Ok(opds)
}

fn unknown_district(at: &RowAt, value: &str) -> ImportProblem {
    at.problem(
        col::DISTRICT,
        value,
        "UNKNOWN_DISTRICT",
        "tidak ada kabupaten/kota dengan nama ini yang dapat Anda akses",
        "no district of this name that you can read",
    )
}

fn unknown_opd(at: &RowAt, column: &str, value: &str) -> ImportProblem {
    at.problem(
        column,
        value,
        "UNKNOWN_OPD",
        "tidak ada OPD ini pada kabupaten/kota tersebut",
        "the district has no such OPD",
    )
}

/// The problems of a refused check, one per field, in the file's columns.
fn field_problems(
    at: &RowAt,
    errors: Vec<FieldError>,
    column_of: impl Fn(&str) -> (&'static str, String),
) -> Vec<ImportProblem> {
    errors
        .into_iter()
        .map(|e| {
            let (column, value) = column_of(&e.field);
            at.problem(
                column,
                &value,
                "INVALID",
                format!("isian tidak sah: {}", e.message),
                e.message,
            )
        })
        .collect()
}

/// Current scores by period, OPD and kind.
type ScoresByKey = HashMap<(i64, Option<i64>, ScoreKind), ScoreRecord>;

/// A change an OPD list asks for.
enum OpdChange {
    Create(NewOpd, Target),
    Rename(Opd, Rename, Target),
    SetActive(Opd, bool, String, Target),
}

impl Engine {
    /// Imports an OPD list: creates the OPDs a district does not have yet (by
    /// name), renames (a new name, short name or head's title) and deactivates
    /// or reactivates those it has (by code or name), as `createOpd`,
    /// `renameOpd` and `setOpdActive` would, for a caller allowed to. All or
    /// nothing.
    pub async fn import_opds(
        &self,
        actor: &Actor,
        rows: Vec<OpdImportRow>,
        dry_run: bool,
    ) -> Result<ImportOutcome, EngineError> {
        let districts = districts_by_name(self, actor).await?;
        let change_rule = policy::reference_change("Opd").unwrap_or(Operation::ManageOpds);
        let mut known: HashMap<i64, Vec<Opd>> = HashMap::new();
        let mut outcome = ImportOutcome::default();
        let mut seen: HashSet<(i64, String)> = HashSet::new();
        let mut changes_asked = Vec::new();
        for row in &rows {
            let at = RowAt {
                sheet: row.sheet.clone(),
                row: row.row,
            };
            let Some(district) = districts.get(&lower(&row.district)) else {
                outcome.problems.push(unknown_district(&at, &row.district));
                continue;
            };
            let target = Target::district(district.office_id, district.id);
            if let std::collections::hash_map::Entry::Vacant(slot) = known.entry(district.id.0) {
                slot.insert(opds_of(self, actor, district.id.0).await?);
            }
            let opds = &known[&district.id.0];
            let by_name = |name: &str| opds.iter().find(|o| lower(&o.name) == lower(name));
            let found = match row.code {
                Some(code) => match opds.iter().find(|o| o.id.0 == code) {
                    Some(opd) => Some(opd),
                    None => {
                        outcome
                            .problems
                            .push(unknown_opd(&at, col::OPD_CODE, &code.to_string()));
                        continue;
                    }
                },
                None => by_name(&row.name).or_else(|| {
                    // Renamed already (a second import of the same file).
                    row.new_name.as_deref().and_then(by_name)
                }),
            };
            let final_name = row
                .new_name
                .clone()
                .or_else(|| found.is_none().then(|| row.name.clone()))
                .or_else(|| row.code.map(|_| row.name.clone()))
                .map(|n| n.trim().to_owned());
            let identity = final_name
                .as_deref()
                .map(lower)
                .or_else(|| found.map(|o| lower(&o.name)))
                .unwrap_or_else(|| lower(&row.name));
            if !seen.insert((district.id.0, identity)) {
                outcome.problems.push(at.problem(
                    col::OPD_NAME,
                    &row.name,
                    "DUPLICATE_ROW",
                    "OPD ini sudah ada pada baris sebelumnya",
                    "this OPD is already on an earlier row",
                ));
                continue;
            }
            let Some(opd) = found else {
                if row.active == Some(false) {
                    outcome
                        .problems
                        .push(unknown_opd(&at, col::OPD_NAME, &row.name));
                    continue;
                }
                if forbid(actor, Operation::ManageOpds, &target).is_err() {
                    outcome.problems.push(at.problem(
                        col::DISTRICT,
                        &row.district,
                        "FORBIDDEN",
                        "peran Anda tidak boleh mengelola OPD daerah ini",
                        "your role may not manage this district's OPDs",
                    ));
                    continue;
                }
                let new = NewOpd {
                    district_id: district.id,
                    name: final_name.unwrap_or_default(),
                    short_name: row.short_name.clone(),
                    kind: row.kind,
                    head_title: row.head_title.clone(),
                };
                if let Err(errors) = new.validate() {
                    outcome
                        .problems
                        .extend(field_problems(&at, errors, |f| opd_column(row, f)));
                    continue;
                }
                outcome.created += 1;
                changes_asked.push(OpdChange::Create(new, target));
                continue;
            };
            let differs = |wanted: &Option<String>, now: &Option<String>| {
                wanted
                    .as_deref()
                    .map(str::trim)
                    .filter(|w| !w.is_empty() && Some(*w) != now.as_deref())
                    .map(str::to_owned)
            };
            let rename = Rename {
                name: final_name.filter(|n| *n != opd.name),
                short_name: differs(&row.short_name, &opd.short_name),
                head_title: differs(&row.head_title, &opd.head_title),
            };
            let renames =
                rename.name.is_some() || rename.short_name.is_some() || rename.head_title.is_some();
            let activity = row.active.filter(|a| *a != opd.active);
            if !renames && activity.is_none() {
                outcome.unchanged += 1;
                continue;
            }
            if forbid(actor, change_rule, &target).is_err() {
                outcome.problems.push(at.problem(
                    col::DISTRICT,
                    &row.district,
                    "FORBIDDEN",
                    "peran Anda tidak boleh mengubah OPD daerah ini",
                    "your role may not change this district's OPDs",
                ));
                continue;
            }
            let opd_target = Target::opd(district.office_id, district.id, opd.id);
            let before = outcome.problems.len();
            if renames {
                if let Err(errors) = rename.validate() {
                    outcome
                        .problems
                        .extend(field_problems(&at, errors, |f| opd_column(row, f)));
                } else if let Some(name) = &rename.name
                    && opds
                        .iter()
                        .any(|o| o.id != opd.id && lower(&o.name) == lower(name))
                {
                    outcome.problems.push(at.problem(
                        col::NEW_NAME,
                        name,
                        "NAME_TAKEN",
                        "kabupaten/kota ini sudah memiliki OPD dengan nama tersebut",
                        "the district already has an OPD of that name",
                    ));
                }
            }
            if let Some(active) = activity {
                let reason = row.reason.as_deref().map(str::trim).unwrap_or_default();
                let mut v = Validation::new();
                v.text("reason", reason, 2000);
                if let Err(errors) = v.finish() {
                    outcome.problems.extend(field_problems(&at, errors, |_| {
                        (col::REASON, reason.to_owned())
                    }));
                } else if !active
                    && !changes::open_items_of_opds(&self.db, &[opd.id.0])
                        .await?
                        .is_empty()
                {
                    outcome.problems.push(at.problem(
                        col::STATUS,
                        "Nonaktif",
                        "OPEN_ITEMS",
                        "OPD ini masih memiliki rencana aksi terbuka: catat reorganisasi untuk memindahkannya, atau selesaikan dahulu",
                        "the OPD still has open action items: record a reorganisation to move them, or close them first",
                    ));
                }
            }
            if outcome.problems.len() > before {
                continue;
            }
            outcome.updated += 1;
            if renames {
                changes_asked.push(OpdChange::Rename(opd.clone(), rename, opd_target));
            }
            if let Some(active) = activity {
                let reason = row.reason.clone().unwrap_or_default().trim().to_owned();
                changes_asked.push(OpdChange::SetActive(
                    opd.clone(),
                    active,
                    reason,
                    opd_target,
                ));
            }
        }
        if !outcome.problems.is_empty() || dry_run {
            return Ok(outcome);
        }
        let now = self.now();
        let txn = pendamping_storage::begin_write(&self.db).await?;
        for change in &changes_asked {
            match change {
                OpdChange::Create(new, target) => {
                    self.insert_opd_in(&txn, actor, new, *target, true, now)
                        .await?;
                }
                OpdChange::Rename(opd, rename, target) => {
                    changes::rename_opd(&txn, opd.id.0, rename)
                        .await
                        .map_err(EngineError::from_storage_on("name"))?;
                    let after = json!({"name": rename.name.as_deref().map(str::trim).unwrap_or(&opd.name),
                                       "shortName": rename.short_name.as_deref().map(str::trim).or(opd.short_name.as_deref()),
                                       "headTitle": rename.head_title.as_deref().map(str::trim).or(opd.head_title.as_deref())});
                    let mut row = audit_row(
                        actor,
                        EventKind::OpdRenamed,
                        "Opd",
                        opd.id.0,
                        *target,
                        after.clone(),
                    );
                    row.before = Some(
                        json!({"name": opd.name, "shortName": opd.short_name, "headTitle": opd.head_title}),
                    );
                    audit::append(&txn, row, now).await?;
                    crate::reorganise::emit(
                        self,
                        &txn,
                        EventKind::OpdRenamed,
                        Subject::new("Opd", opd.id.0, *target),
                        after,
                    )
                    .await?;
                }
                OpdChange::SetActive(opd, active, reason, target) => {
                    changes::set_opds_active(&txn, &[opd.id.0], *active, now).await?;
                    let kind = if *active {
                        EventKind::OpdReactivated
                    } else {
                        EventKind::OpdDeactivated
                    };
                    let mut row = audit_row(
                        actor,
                        kind,
                        "Opd",
                        opd.id.0,
                        *target,
                        json!({"active": active, "import": true}),
                    );
                    row.before = Some(json!({"active": opd.active}));
                    row.reason = Some(reason.clone());
                    audit::append(&txn, row, now).await?;
                    crate::reorganise::emit(
                        self,
                        &txn,
                        kind,
                        Subject::new("Opd", opd.id.0, *target),
                        json!({"active": active, "reason": reason}),
                    )
                    .await?;
                }
            }
        }
        self.commit_events(txn).await?;
        outcome.applied = true;
        Ok(outcome)
    }

    /// Imports a score sheet: records each row's score as `recordScore`
    /// would (totals computed from dimension values by the methodology; the
    /// provenance and what was published kept), for a caller allowed to
    /// record the district's scores. A score already recorded with the same
    /// total is unchanged; one with a different total is refused (correct it
    /// with `correctScore`, which asks for a reason). All or nothing.
    pub async fn import_scores(
        &self,
        actor: &Actor,
        rows: Vec<ScoreImportRow>,
        dry_run: bool,
    ) -> Result<ImportOutcome, EngineError> {
        let reader = self.reader(actor);
        let districts = districts_by_name(self, actor).await?;
        let methodologies: HashMap<i64, Methodology> = reader
            .methodologies()
            .await?
            .into_iter()
            .map(|m| (m.id.0, m))
            .collect();
        let periods: HashMap<(i32, String), (i64, i64)> = reader
            .all_periods()
            .await?
            .into_iter()
            .filter_map(|p| {
                let m = methodologies.get(&p.methodology_id.0)?;
                Some(((p.year, m.code.to_uppercase()), (p.id.0, m.id.0)))
            })
            .collect();
        let mut opds: HashMap<i64, HashMap<String, Opd>> = HashMap::new();
        let mut current: HashMap<i64, ScoresByKey> = HashMap::new();
        let mut seen = HashSet::new();
        let mut outcome = ImportOutcome::default();
        let mut inserts = Vec::new();
        for row in &rows {
            let at = &row.at;
            let Some(district) = districts.get(&lower(&row.district)) else {
                outcome.problems.push(unknown_district(at, &row.district));
                continue;
            };
            let target = Target::district(district.office_id, district.id);
            if forbid(actor, Operation::RecordScores, &target).is_err() {
                outcome.problems.push(at.problem(
                    col::DISTRICT,
                    &row.district,
                    "FORBIDDEN",
                    "peran Anda tidak boleh mencatat nilai daerah ini",
                    "your role may not record this district's scores",
                ));
                continue;
            }
            let Some(&(period_id, methodology_id)) =
                periods.get(&(row.year, row.methodology.trim().to_uppercase()))
            else {
                outcome.problems.push(at.problem(
                    col::PERIOD,
                    &format!("{} {}", row.year, row.methodology),
                    "UNKNOWN_PERIOD",
                    "tidak ada periode penilaian dengan tahun dan metodologi ini",
                    "no assessment period of this year and methodology",
                ));
                continue;
            };
            let methodology = &methodologies[&methodology_id];
            if let std::collections::hash_map::Entry::Vacant(slot) = opds.entry(district.id.0) {
                slot.insert(
                    opds_of(self, actor, district.id.0)
                        .await?
                        .into_iter()
                        .map(|o| (lower(&o.name), o))
                        .collect(),
                );
            }
            let opd = match row.opd.as_deref().filter(|o| !o.trim().is_empty()) {
                None => None,
                Some(name) => match opds[&district.id.0].get(&lower(name)) {
                    Some(opd) => Some(opd.id),
                    None => {
                        outcome.problems.push(unknown_opd(at, col::OPD, name));
                        continue;
                    }
                },
            };
            let checked = match self.check_values(methodology, &row.values).await {
                Ok(checked) => checked,
                Err(EngineError::Invalid(errors)) => {
                    outcome
                        .problems
                        .extend(field_problems(at, errors, |f| score_column(row, f)));
                    continue;
                }
                Err(other) => return Err(other),
            };
            let (provenance, published) = match crate::scores::check_published(
                methodology,
                row.kind,
                row.provenance,
                &row.published,
            ) {
                Ok(checked) => checked,
                Err(EngineError::Invalid(errors)) => {
                    outcome
                        .problems
                        .extend(field_problems(at, errors, |f| score_column(row, f)));
                    continue;
                }
                Err(other) => return Err(other),
            };
            let key = (period_id, opd.map(|o| o.0), row.kind);
            if !seen.insert((district.id.0, key)) {
                outcome.problems.push(at.problem(
                    col::TOTAL,
                    &checked.total.to_string(),
                    "DUPLICATE_ROW",
                    "nilai ini (periode, daerah/OPD, jenis) sudah ada pada baris sebelumnya",
                    "this score (period, district/OPD, kind) is already on an earlier row",
                ));
                continue;
            }
            if let std::collections::hash_map::Entry::Vacant(slot) = current.entry(district.id.0) {
                slot.insert(self.current_scores(actor, district.id.0).await?);
            }
            if let Some(existing) = current[&district.id.0].get(&key) {
                if existing.total == checked.total && existing.band_code == checked.band_code {
                    outcome.unchanged += 1;
                } else {
                    outcome.problems.push(at.problem(
                        col::TOTAL,
                        &checked.total.to_string(),
                        "ALREADY_RECORDED",
                        format!(
                            "nilai ini sudah tercatat sebagai {}; koreksi lewat correctScore dengan alasan",
                            existing.total
                        ),
                        format!(
                            "this score is already recorded as {}; correct it with correctScore, giving a reason",
                            existing.total
                        ),
                    ));
                }
                continue;
            }
            outcome.created += 1;
            inserts.push((
                row,
                target,
                opd,
                period_id,
                methodology,
                checked,
                provenance,
                published,
            ));
        }
        if !outcome.problems.is_empty() || dry_run {
            return Ok(outcome);
        }
        let years: HashMap<i64, i32> = reader
            .all_periods()
            .await?
            .into_iter()
            .map(|p| (p.id.0, p.year))
            .collect();
        let now = self.now();
        let txn = pendamping_storage::begin_write(&self.db).await?;
        for (row, target, opd, period_id, methodology, checked, provenance, published) in inserts {
            let (total, band_code) = (checked.total, &checked.band_code);
            let place = (
                period_id,
                methodology.id.0,
                target.district.map_or(0, |d| d.0),
                opd.map(|o| o.0),
                row.kind,
            );
            let score = checked.row(place, actor, (provenance, published.clone()));
            let id = scores::insert_score(&txn, score, now)
                .await
                .map_err(EngineError::from_storage_on("periodId"))?;
            let year = years.get(&period_id).copied().unwrap_or(row.year);
            append_audit(
                &txn,
                actor,
                EventKind::ScoreRecorded,
                Subject::new("ScoreRecord", id.0, target),
                json!({"total": total.to_string(), "band": band_code, "kind": row.kind.as_str(),
                           "period": year, "methodology": methodology.code,
                           "provenance": provenance.as_str(), "source": published.source,
                           "nationalRank": published.national_rank.map(|r| r.0),
                           "nationalRankOf": published.national_rank.map(|r| r.1),
                           "qualifier": published.qualifier, "publishedLabel": published.label,
                           "import": true}),
                now,
            )
            .await?;
            let subject = Subject::new("ScoreRecord", id.0, Target { opd, ..target });
            let payload = json!({"total": total.to_string(), "band": band_code,
                                 "kind": row.kind.as_str(), "period": year});
            crate::reorganise::emit(self, &txn, EventKind::ScoreRecorded, subject, payload).await?;
        }
        self.commit_events(txn).await?;
        outcome.applied = true;
        Ok(outcome)
    }

    /// The current scores of a district, by period, OPD and kind.
    async fn current_scores(
        &self,
        actor: &Actor,
        district: i64,
    ) -> Result<ScoresByKey, EngineError> {
        let reader = self.reader(actor);
        let filter = ScoreFilter {
            district_id: Some(district),
            current_only: true,
            ..ScoreFilter::default()
        };
        let (mut pages, mut found) = (Pages::default(), HashMap::new());
        while let Some(page) = pages.next_request() {
            let scores = pages.read(reader.scores(&filter, &page).await?);
            found.extend(
                scores
                    .into_iter()
                    .map(|s| ((s.period_id.0, s.opd_id.map(|o| o.0), s.kind), s)),
            );
        }
        Ok(found)
    }

    /// Imports a visit's findings: raises each row as an OPEN action item of
    /// a visit finding, linked to the milestone, as `raiseActionItem` would,
    /// for a caller allowed to raise items for the OPD. An item already raised
    /// (same agreement, milestone, OPD and title) is unchanged. All or nothing.
    pub async fn import_findings(
        &self,
        actor: &Actor,
        rows: Vec<FindingImportRow>,
        dry_run: bool,
    ) -> Result<ImportOutcome, EngineError> {
        let reader = self.reader(actor);
        let districts = districts_by_name(self, actor).await?;
        let mut agreements: HashMap<i64, Vec<Agreement>> = HashMap::new();
        let mut opds: HashMap<i64, HashMap<String, Opd>> = HashMap::new();
        let mut scopes: HashMap<i64, HashSet<i64>> = HashMap::new();
        let mut milestones: HashMap<i64, Vec<Milestone>> = HashMap::new();
        let mut raised: HashMap<i64, HashSet<(i64, Option<i64>, String)>> = HashMap::new();
        let mut seen = HashSet::new();
        let mut outcome = ImportOutcome::default();
        let mut inserts = Vec::new();
        let page_all = PageRequest {
            first: Some(pendamping_storage::page::MAX_PAGE_SIZE),
            ..PageRequest::default()
        };
        for row in &rows {
            let at = &row.at;
            let Some(district) = districts.get(&lower(&row.district)) else {
                outcome.problems.push(unknown_district(at, &row.district));
                continue;
            };
            if let std::collections::hash_map::Entry::Vacant(slot) = agreements.entry(district.id.0)
            {
                let filter = AgreementFilter {
                    district_id: Some(district.id.0),
                    ..AgreementFilter::default()
                };
                let (mut pages, mut all) = (Pages::default(), Vec::new());
                while let Some(page) = pages.next_request() {
                    all.extend(pages.read(reader.agreements(&filter, &page).await?));
                }
                slot.insert(all);
                opds.insert(
                    district.id.0,
                    opds_of(self, actor, district.id.0)
                        .await?
                        .into_iter()
                        .map(|o| (lower(&o.name), o))
                        .collect(),
                );
            }
            let candidates = &agreements[&district.id.0];
            let agreement = match row.agreement.as_deref().filter(|a| !a.trim().is_empty()) {
                Some(text) => {
                    let wanted = lower(text);
                    candidates.iter().find(|a| {
                        lower(&a.title) == wanted
                            || a.office_number.as_deref().map(lower) == Some(wanted.clone())
                            || a.district_number.as_deref().map(lower) == Some(wanted.clone())
                    })
                }
                None => {
                    let mut active = candidates
                        .iter()
                        .filter(|a| a.status == AgreementStatus::Active);
                    match (active.next(), active.next()) {
                        (Some(only), None) => Some(only),
                        _ => None,
                    }
                }
            };
            let Some(agreement) = agreement else {
                outcome.problems.push(at.problem(
                    col::AGREEMENT,
                    row.agreement.as_deref().unwrap_or_default(),
                    "UNKNOWN_AGREEMENT",
                    "tidak ada kesepakatan dengan judul atau nomor ini (tanpa isian: harus ada tepat satu kesepakatan yang berjalan)",
                    "no agreement of this title or number (when empty, the district must have exactly one active agreement)",
                ));
                continue;
            };
            if agreement.status != AgreementStatus::Active {
                outcome.problems.push(at.problem(
                    col::AGREEMENT,
                    &agreement.title,
                    "AGREEMENT_NOT_ACTIVE",
                    "rencana aksi hanya dapat diajukan pada kesepakatan yang berjalan",
                    format!(
                        "action items are raised under an active agreement, not a {} one",
                        agreement.status
                    ),
                ));
                continue;
            }
            let Some(opd) = opds[&district.id.0].get(&lower(&row.opd)) else {
                outcome.problems.push(unknown_opd(at, col::OPD, &row.opd));
                continue;
            };
            let target = Target::opd(agreement.office_id, agreement.district_id, opd.id);
            if forbid(actor, Operation::RaiseActionItems, &target).is_err() {
                outcome.problems.push(at.problem(
                    col::OPD,
                    &row.opd,
                    "FORBIDDEN",
                    "peran Anda tidak boleh mengajukan rencana aksi untuk OPD ini",
                    "your role may not raise action items for this OPD",
                ));
                continue;
            }
            if !opd.active {
                outcome.problems.push(at.problem(
                    col::OPD,
                    &row.opd,
                    "OPD_INACTIVE",
                    "OPD ini sudah nonaktif; ajukan untuk OPD penggantinya",
                    "the OPD is inactive; raise the item for its successor",
                ));
                continue;
            }
            if let std::collections::hash_map::Entry::Vacant(slot) = scopes.entry(agreement.id.0) {
                let scope = reader
                    .opd_ids_of_agreements(&[agreement.id])
                    .await?
                    .remove(&agreement.id)
                    .unwrap_or_default();
                slot.insert(
                    pendamping_domain::ids::OpdId::rows(&scope)
                        .into_iter()
                        .collect(),
                );
                let found = reader
                    .milestones_of_agreements(&[agreement.id], &page_all)
                    .await?
                    .remove(&agreement.id)
                    .map(|p| p.items.into_iter().map(|(_, m)| m).collect())
                    .unwrap_or_default();
                milestones.insert(agreement.id.0, found);
                raised.insert(
                    agreement.id.0,
                    self.raised_items(actor, agreement.id.0).await?,
                );
            }
            if !scopes[&agreement.id.0].contains(&opd.id.0) {
                outcome.problems.push(at.problem(
                    col::OPD,
                    &row.opd,
                    "OUT_OF_SCOPE",
                    "OPD ini tidak termasuk dalam cakupan kesepakatan",
                    "the OPD is not in the agreement's scope",
                ));
                continue;
            }
            let Some(milestone) = milestones[&agreement.id.0]
                .iter()
                .find(|m| lower(&m.title) == lower(&row.milestone))
            else {
                outcome.problems.push(at.problem(
                    col::MILESTONE,
                    &row.milestone,
                    "UNKNOWN_MILESTONE",
                    "kesepakatan ini tidak memiliki tonggak (kunjungan) dengan judul ini",
                    "the agreement has no milestone (visit) of this title",
                ));
                continue;
            };
            let mut v = Validation::new();
            v.text("title", &row.title, 300);
            v.text("finding", &row.finding, 10_000);
            if let Err(errors) = v.finish() {
                outcome.problems.extend(field_problems(at, errors, |f| {
                    if f == "finding" {
                        (col::FINDING, row.finding.clone())
                    } else {
                        (col::TITLE, row.title.clone())
                    }
                }));
                continue;
            }
            let key = (opd.id.0, Some(milestone.id.0), lower(&row.title));
            if !seen.insert((agreement.id.0, key.clone())) {
                outcome.problems.push(at.problem(
                    col::TITLE,
                    &row.title,
                    "DUPLICATE_ROW",
                    "temuan ini (OPD, tonggak, judul) sudah ada pada baris sebelumnya",
                    "this finding (OPD, milestone, title) is already on an earlier row",
                ));
                continue;
            }
            if raised[&agreement.id.0].contains(&key) {
                outcome.unchanged += 1;
                continue;
            }
            outcome.created += 1;
            inserts.push((row, agreement.clone(), opd.id.0, milestone.id.0, target));
        }
        if !outcome.problems.is_empty() || dry_run {
            return Ok(outcome);
        }
        let now = self.now();
        let txn = pendamping_storage::begin_write(&self.db).await?;
        let mut locked = HashSet::new();
        for (row, agreement, opd_id, milestone_id, target) in inserts {
            if locked.insert(agreement.id.0) {
                // The agreement may have ended since it was read: lock it and look again.
                crate::guards::agreement_under_lock(&txn, agreement.id.0, |status| {
                    (status == AgreementStatus::Active)
                        .then_some(())
                        .ok_or_else(|| {
                            format!(
                                "action items are raised under an active agreement, not a {status} one"
                            )
                        })
                })
                .await?;
            }
            let item: ActionItem = work::insert_action_item_from(
                &txn,
                ActionItemRow {
                    agreement_id: agreement.id.0,
                    opd_id,
                    district_id: agreement.district_id.0,
                    milestone_id: Some(milestone_id),
                    title: row.title.trim().to_owned(),
                    finding: row.finding.trim().to_owned(),
                    standard_component: row.standard_component,
                    priority: row.priority,
                    due_on: row.due_on,
                    progress: ItemProgress::open(),
                },
                ItemOrigin {
                    origin: Origin::VisitFinding,
                    product_year: None,
                    product_number: None,
                },
                now,
            )
            .await?;
            let after = json!({"title": item.title, "dueOn": item.due_on.to_string(), "priority": item.priority.as_str(),
                               "standardComponent": item.standard_component.map(|c| c.as_str()),
                               "origin": item.origin.origin.as_str(), "import": true});
            self.audit_and_emit(
                &txn,
                actor,
                EventKind::ActionItemRaised,
                Subject::new("ActionItem", item.id.0, target).in_agreement(item.agreement_id.0),
                after,
                now,
            )
            .await?;
        }
        self.commit_events(txn).await?;
        outcome.applied = true;
        Ok(outcome)
    }

    /// The items of an agreement by OPD, milestone and lower-case title.
    async fn raised_items(
        &self,
        actor: &Actor,
        agreement: i64,
    ) -> Result<HashSet<(i64, Option<i64>, String)>, EngineError> {
        let reader = self.reader(actor);
        let filter = ActionItemFilter {
            agreement_id: Some(agreement),
            ..ActionItemFilter::default()
        };
        let order = Ordering {
            field: ActionItemOrder::DueOn,
            descending: false,
        };
        let (mut pages, mut found) = (Pages::default(), HashSet::new());
        while let Some(page) = pages.next_request() {
            let items = pages.read(reader.action_items(&filter, order, &page).await?);
            found.extend(
                items
                    .into_iter()
                    .map(|i| (i.opd_id.0, i.milestone_id.map(|m| m.0), lower(&i.title))),
            );
        }
        Ok(found)
    }
}

/// The column (and value) of an OPD row a field error is about.
fn opd_column(row: &OpdImportRow, field: &str) -> (&'static str, String) {
    match field {
        "shortName" => (col::SHORT_NAME, row.short_name.clone().unwrap_or_default()),
        "headTitle" => (col::HEAD_TITLE, row.head_title.clone().unwrap_or_default()),
        _ => match &row.new_name {
            Some(new) => (col::NEW_NAME, new.clone()),
            None => (col::OPD_NAME, row.name.clone()),
        },
    }
}

/// The column (and value) of a score row a field error is about.
fn score_column(row: &ScoreImportRow, field: &str) -> (&'static str, String) {
    let dimensions = || {
        row.values
            .dimensions
            .iter()
            .map(|(c, v)| format!("{c}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    };
    match field {
        "total" => (
            col::TOTAL,
            row.values.total.map(|t| t.to_string()).unwrap_or_default(),
        ),
        f if f.starts_with("dimensions") => (col::DIMENSIONS, dimensions()),
        "provenance" => (
            col::PROVENANCE,
            row.provenance
                .map(|p| p.as_str().to_owned())
                .unwrap_or_default(),
        ),
        "source" => (
            col::SOURCE,
            row.published.source.clone().unwrap_or_default(),
        ),
        "nationalRank" | "nationalRankOutOf" => (
            col::NATIONAL_RANK,
            row.published
                .national_rank
                .map(|(r, o)| format!("{r}/{o}"))
                .unwrap_or_default(),
        ),
        "qualifier" => (
            col::QUALIFIER,
            row.published.qualifier.clone().unwrap_or_default(),
        ),
        "publishedLabel" => (col::LABEL, row.published.label.clone().unwrap_or_default()),
        _ => (col::TOTAL, String::new()),
    }
}
