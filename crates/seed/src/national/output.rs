//! Where generated rows go: the next id of each table, the row buffers
//! flushed through storage's bulk path, and the audit trail every aggregate
//! writes.

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use pendamping_domain::events::EventKind;
use pendamping_engine::EngineError;
use pendamping_storage::bulk::{BulkLoad, Cell, Rows, Table, tables};

use super::Generator;

/// The next id of each table, after what the database holds.
#[derive(Default)]
pub(super) struct Ids {
    pub(super) base: Vec<(&'static str, i64)>,
}

impl Ids {
    pub(super) fn next(&mut self, table: Table) -> i64 {
        match self.base.iter_mut().find(|(name, _)| *name == table.name) {
            Some((_, last)) => {
                *last += 1;
                *last
            }
            None => 0,
        }
    }
}

/// Row buffers of every table, with what was written and how long it took.
pub(super) struct Output {
    rows: Vec<Rows>,
    pub(super) written: Vec<u64>,
    pub(super) time: Vec<Duration>,
}

impl Output {
    pub(super) fn new() -> Self {
        Output {
            rows: tables::ALL.iter().map(|t| Rows::new(*t)).collect(),
            written: vec![0; tables::ALL.len()],
            time: vec![Duration::ZERO; tables::ALL.len()],
        }
    }

    pub(super) fn to(&mut self, table: Table) -> &mut Rows {
        let index = tables::ALL
            .iter()
            .position(|t| t.name == table.name)
            .unwrap_or_default();
        &mut self.rows[index]
    }

    pub(super) fn buffered(&self) -> usize {
        self.rows
            .iter()
            .map(|r| r.len() * r.table.columns.len())
            .sum()
    }

    /// Writes every buffer, parents before children.
    pub(super) async fn flush(&mut self, load: &mut BulkLoad) -> Result<(), EngineError> {
        for (i, rows) in self.rows.iter_mut().enumerate() {
            let started = Instant::now();
            self.written[i] += load.write(rows).await?;
            self.time[i] += started.elapsed();
        }
        Ok(())
    }
}

pub(super) fn json_status(status: &str, version: i32) -> Cell {
    Cell::Text(format!(r#"{{"status":"{status}","version":{version}}}"#))
}

/// One audit entry: who did what to which object (and the office and
/// government it belongs to), when, with its state before and after.
pub(super) struct AuditEntry<'a> {
    pub(super) when: DateTime<Utc>,
    pub(super) actor: &'a (i64, String),
    pub(super) action: EventKind,
    pub(super) object_type: &'static str,
    pub(super) object_id: i64,
    pub(super) office_id: i64,
    pub(super) district_id: i64,
    pub(super) before: Cell,
    pub(super) after: Cell,
    pub(super) reason: Option<&'a str>,
}

impl Generator<'_> {
    pub(super) fn audit(&mut self, entry: AuditEntry<'_>) {
        let AuditEntry {
            when,
            actor,
            action,
            object_type,
            object_id,
            office_id,
            district_id,
            before,
            after,
            reason,
        } = entry;
        let id = self.ids.next(tables::AUDIT_EVENTS);
        self.out.to(tables::AUDIT_EVENTS).push([
            id.into(),
            when.into(),
            actor.0.into(),
            actor.1.as_str().into(),
            action.as_str().into(),
            object_type.into(),
            object_id.into(),
            office_id.into(),
            district_id.into(),
            before,
            after,
            reason.into(),
        ]);
    }
}
