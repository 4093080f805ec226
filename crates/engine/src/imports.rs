//! Imports of many records at once, all or nothing: every row is checked
//! (reach, role, the same validation as the one-at-a-time mutation) before
//! anything is written; then every change is written and audited in one
//! transaction. A row that changes nothing (the record is already as the
//! file says) is counted, not written, so importing a file twice changes
//! nothing the second time.

use std::collections::{HashMap, HashSet};

use pendamping_domain::events::EventKind;
use pendamping_domain::identity::Actor;
use pendamping_domain::policy::{Operation, Target};
use pendamping_domain::reference::{District, NewOpd, OpdKind};
use pendamping_storage::page::PageRequest;
use pendamping_storage::reference::{self as refs, NameOrder, OpdFilter, Ordering};
use pendamping_storage::{TransactionTrait, audit};
use serde_json::json;

use crate::reference::{audit_row, forbid};
use crate::{Engine, EngineError};

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

/// A row of an OPD list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpdImportRow {
    pub sheet: String,
    pub row: usize,
    pub district: String,
    pub name: String,
    pub short_name: Option<String>,
    pub kind: OpdKind,
    pub head_title: Option<String>,
}

/// What an import did (or, on a dry run or with problems, would have done).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportOutcome {
    pub created: u64,
    pub unchanged: u64,
    /// Empty when the file was accepted.
    pub problems: Vec<ImportProblem>,
    /// Whether anything was written.
    pub applied: bool,
}

fn problem(
    row: &OpdImportRow,
    column: &str,
    value: &str,
    code: &str,
    id: String,
    en: String,
) -> ImportProblem {
    ImportProblem {
        sheet: row.sheet.clone(),
        row: row.row,
        column: column.to_owned(),
        value: value.to_owned(),
        code: code.to_owned(),
        message_id: id,
        message_en: en,
    }
}

impl Engine {
    /// Imports an OPD list: creates the OPDs a district does not have yet (by
    /// name), as `createOpd` would, for a caller allowed to manage the
    /// district's OPDs. All or nothing.
    pub async fn import_opds(
        &self,
        actor: &Actor,
        rows: Vec<OpdImportRow>,
        dry_run: bool,
    ) -> Result<ImportOutcome, EngineError> {
        let reader = self.reader(actor);
        let mut districts: HashMap<String, District> = HashMap::new();
        let mut page = PageRequest {
            first: Some(pendamping_storage::page::MAX_PAGE_SIZE),
            ..PageRequest::default()
        };
        let by_name = Ordering {
            field: NameOrder::Name,
            descending: false,
        };
        loop {
            let found = reader
                .districts(&Default::default(), by_name, &page)
                .await?;
            let last = found.items.last().map(|(k, _)| k.clone());
            for (_, d) in found.items {
                districts.insert(d.name.to_lowercase(), d);
            }
            match last {
                Some(key) if found.has_next_page => page.after = Some(key),
                _ => break,
            }
        }
        let mut existing: HashMap<i64, HashSet<String>> = HashMap::new();
        let mut outcome = ImportOutcome::default();
        let mut seen: HashSet<(i64, String)> = HashSet::new();
        let mut creates = Vec::new();
        for row in &rows {
            let Some(district) = districts.get(&row.district.trim().to_lowercase()) else {
                outcome.problems.push(problem(
                    row,
                    "Kabupaten/Kota",
                    &row.district,
                    "UNKNOWN_DISTRICT",
                    "tidak ada kabupaten/kota dengan nama ini yang dapat Anda akses".into(),
                    "no district of this name that you can read".into(),
                ));
                continue;
            };
            let target = Target::district(district.office_id, district.id);
            if forbid(actor, Operation::ManageOpds, &target).is_err() {
                outcome.problems.push(problem(
                    row,
                    "Kabupaten/Kota",
                    &row.district,
                    "FORBIDDEN",
                    "peran Anda tidak boleh mengelola OPD daerah ini".into(),
                    "your role may not manage this district's OPDs".into(),
                ));
                continue;
            }
            let new = NewOpd {
                district_id: district.id,
                name: row.name.trim().to_owned(),
                short_name: row.short_name.clone(),
                kind: row.kind,
                head_title: row.head_title.clone(),
            };
            if let Err(errors) = new.validate() {
                for e in errors {
                    let (column, value) = match e.field.as_str() {
                        "shortName" => ("Singkatan", row.short_name.clone().unwrap_or_default()),
                        "headTitle" => {
                            ("Jabatan kepala", row.head_title.clone().unwrap_or_default())
                        }
                        _ => ("Nama OPD", row.name.clone()),
                    };
                    outcome.problems.push(problem(
                        row,
                        column,
                        &value,
                        "INVALID",
                        format!("isian tidak sah: {}", e.message),
                        e.message.clone(),
                    ));
                }
                continue;
            }
            if !seen.insert((district.id.0, new.name.to_lowercase())) {
                outcome.problems.push(problem(
                    row,
                    "Nama OPD",
                    &row.name,
                    "DUPLICATE_ROW",
                    "OPD ini sudah ada pada baris sebelumnya".into(),
                    "this OPD is already on an earlier row".into(),
                ));
                continue;
            }
            if let std::collections::hash_map::Entry::Vacant(slot) = existing.entry(district.id.0) {
                let mut names = HashSet::new();
                let mut page = PageRequest {
                    first: Some(pendamping_storage::page::MAX_PAGE_SIZE),
                    ..PageRequest::default()
                };
                let filter = OpdFilter {
                    district_id: Some(district.id.0),
                    ..OpdFilter::default()
                };
                loop {
                    let found =
                        refs::list_opds(&self.db, &actor.reach(), &filter, by_name, &page).await?;
                    let last = found.items.last().map(|(k, _)| k.clone());
                    names.extend(found.items.into_iter().map(|(_, o)| o.name.to_lowercase()));
                    match last {
                        Some(key) if found.has_next_page => page.after = Some(key),
                        _ => break,
                    }
                }
                slot.insert(names);
            }
            if existing
                .get(&district.id.0)
                .is_some_and(|names| names.contains(&new.name.to_lowercase()))
            {
                outcome.unchanged += 1;
            } else {
                creates.push((new, target));
            }
        }
        outcome.created = creates.len() as u64;
        if !outcome.problems.is_empty() || dry_run {
            return Ok(outcome);
        }
        let now = self.now();
        let txn = self.db.begin().await?;
        for (new, target) in &creates {
            let opd = refs::insert_opd(&txn, new, now)
                .await
                .map_err(EngineError::from_storage_on("name"))?;
            audit::append(
                &txn,
                audit_row(
                    actor,
                    EventKind::OpdCreated,
                    "Opd",
                    opd.id.0,
                    *target,
                    json!({"name": opd.name, "shortName": opd.short_name, "kind": opd.kind.as_str(), "import": true}),
                ),
                now,
            )
            .await?;
        }
        txn.commit().await?;
        outcome.applied = true;
        Ok(outcome)
    }
}
