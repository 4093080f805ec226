//! Bulk loading for generated data sets (`seed national`): rows are written
//! table by table in one transaction, by `COPY … FROM STDIN` on PostgreSQL and
//! by multi-row `INSERT`s of fixed width on SQLite (one cached prepared
//! statement per table, well under SQLite's 32,766 bound parameters).
//!
//! Rows carry their own ids: the loader writes into tables it has checked to
//! be empty (or past their current maximum id), so children can name their
//! parents without a round trip. On commit the PostgreSQL id sequences are
//! moved past the loaded ids and both databases get fresh planner statistics.

use std::fmt::Write as _;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sqlx::{self, Postgres};
use sea_orm::{
    ConnectionTrait, DatabaseBackend, DatabaseTransaction, Statement, TransactionTrait, Value,
};

use crate::{Db, StorageError};

/// One value of a row.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Null,
    Int(i64),
    Bool(bool),
    Text(String),
    Date(NaiveDate),
    Instant(DateTime<Utc>),
}

impl From<i64> for Cell {
    fn from(v: i64) -> Self {
        Cell::Int(v)
    }
}
impl From<i32> for Cell {
    fn from(v: i32) -> Self {
        Cell::Int(i64::from(v))
    }
}
impl From<bool> for Cell {
    fn from(v: bool) -> Self {
        Cell::Bool(v)
    }
}
impl From<String> for Cell {
    fn from(v: String) -> Self {
        Cell::Text(v)
    }
}
impl From<&str> for Cell {
    fn from(v: &str) -> Self {
        Cell::Text(v.to_owned())
    }
}
impl From<NaiveDate> for Cell {
    fn from(v: NaiveDate) -> Self {
        Cell::Date(v)
    }
}
impl From<DateTime<Utc>> for Cell {
    fn from(v: DateTime<Utc>) -> Self {
        Cell::Instant(v)
    }
}
impl<T: Into<Cell>> From<Option<T>> for Cell {
    fn from(v: Option<T>) -> Self {
        v.map_or(Cell::Null, Into::into)
    }
}

/// A table the loader writes, with the columns in the order rows give them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Table {
    pub name: &'static str,
    pub columns: &'static [&'static str],
    /// Whether the table has a generated `id` (its sequence is reset after loading).
    pub has_id: bool,
}

macro_rules! table {
    ($const:ident, $name:literal, $has_id:expr, [$($col:literal),+ $(,)?]) => {
        pub const $const: Table = Table { name: $name, columns: &[$($col),+], has_id: $has_id };
    };
}

/// The tables of a national data set, parents before children.
pub mod tables {
    use super::Table;

    table!(
        OFFICES,
        "offices",
        true,
        ["id", "code", "name", "province", "time_zone", "created_at"]
    );
    table!(
        DISTRICTS,
        "districts",
        true,
        [
            "id",
            "office_id",
            "kind",
            "name",
            "province",
            "time_zone",
            "created_at"
        ]
    );
    table!(
        OPDS,
        "opds",
        true,
        [
            "id",
            "district_id",
            "name",
            "short_name",
            "kind",
            "head_title",
            "created_at"
        ]
    );
    table!(
        USERS,
        "users",
        true,
        [
            "id",
            "email",
            "display_name",
            "password_hash",
            "created_at",
            "disabled_at"
        ]
    );
    table!(
        ROLE_ASSIGNMENTS,
        "role_assignments",
        true,
        [
            "id",
            "user_id",
            "role",
            "office_id",
            "district_id",
            "opd_id",
            "created_at"
        ]
    );
    table!(
        ASSESSMENT_PERIODS,
        "assessment_periods",
        true,
        ["id", "year", "name", "methodology_id", "created_at"]
    );
    table!(
        AGREEMENTS,
        "agreements",
        true,
        [
            "id",
            "office_id",
            "district_id",
            "office_number",
            "district_number",
            "title",
            "period_start",
            "period_end",
            "office_signatory",
            "district_signatory",
            "signed_on",
            "status",
            "closing_summary",
            "termination_reason",
            "version",
            "created_at",
            "updated_at",
        ]
    );
    table!(
        AGREEMENT_OPDS,
        "agreement_opds",
        false,
        ["agreement_id", "opd_id"]
    );
    table!(
        MILESTONES,
        "milestones",
        true,
        [
            "id",
            "agreement_id",
            "kind",
            "title",
            "planned_on",
            "actual_on",
            "location",
            "outcome_notes",
            "status",
            "cancellation_reason",
            "version",
            "created_at",
            "updated_at",
        ]
    );
    table!(
        MILESTONE_OPDS,
        "milestone_opds",
        false,
        ["milestone_id", "opd_id"]
    );
    table!(
        MILESTONE_RESCHEDULES,
        "milestone_reschedules",
        true,
        [
            "id",
            "milestone_id",
            "old_date",
            "new_date",
            "reason",
            "rescheduled_by",
            "rescheduled_at",
        ]
    );
    table!(
        ACTION_ITEMS,
        "action_items",
        true,
        [
            "id",
            "agreement_id",
            "opd_id",
            "district_id",
            "milestone_id",
            "title",
            "finding",
            "standard_component",
            "priority",
            "assignee_id",
            "due_on",
            "status",
            "rejection_count",
            "cancellation_reason",
            "submitted_by",
            "submitted_at",
            "verified_by",
            "verified_at",
            "version",
            "created_at",
            "updated_at",
        ]
    );
    table!(
        EVIDENCE,
        "evidence",
        true,
        [
            "id",
            "action_item_id",
            "name",
            "media_type",
            "size_bytes",
            "sha256",
            "url",
            "storage_key",
            "uploaded_by",
            "uploaded_at",
        ]
    );
    table!(
        COMMENTS,
        "comments",
        true,
        [
            "id",
            "action_item_id",
            "author_id",
            "author_label",
            "body",
            "created_at"
        ]
    );
    table!(
        SCORE_RECORDS,
        "score_records",
        true,
        [
            "id",
            "period_id",
            "methodology_id",
            "district_id",
            "opd_id",
            "kind",
            "total_hundredths",
            "computed_total_hundredths",
            "band_code",
            "revision",
            "supersedes_id",
            "is_current",
            "correction_reason",
            "recorded_by",
            "recorded_at",
            "provenance",
        ]
    );
    table!(
        SCORE_DIMENSION_VALUES,
        "score_dimension_values",
        false,
        ["score_record_id", "dimension_id", "value_hundredths"]
    );
    table!(
        AUDIT_EVENTS,
        "audit_events",
        true,
        [
            "id",
            "occurred_at",
            "actor_id",
            "actor_label",
            "action",
            "object_type",
            "object_id",
            "office_id",
            "district_id",
            "before_json",
            "after_json",
            "reason",
        ]
    );

    /// Every table above, in load order.
    pub const ALL: &[Table] = &[
        OFFICES,
        DISTRICTS,
        OPDS,
        USERS,
        ROLE_ASSIGNMENTS,
        ASSESSMENT_PERIODS,
        AGREEMENTS,
        AGREEMENT_OPDS,
        MILESTONES,
        MILESTONE_OPDS,
        MILESTONE_RESCHEDULES,
        ACTION_ITEMS,
        EVIDENCE,
        COMMENTS,
        SCORE_RECORDS,
        SCORE_DIMENSION_VALUES,
        AUDIT_EVENTS,
    ];
}

/// Rows waiting to be written to one table, flattened.
#[derive(Debug)]
pub struct Rows {
    pub table: Table,
    cells: Vec<Cell>,
}

impl Rows {
    pub fn new(table: Table) -> Self {
        Rows {
            table,
            cells: Vec::new(),
        }
    }

    /// Adds a row; its cells must follow `table.columns`.
    pub fn push<const N: usize>(&mut self, row: [Cell; N]) {
        debug_assert_eq!(N, self.table.columns.len(), "{}", self.table.name);
        self.cells.extend(row);
    }

    pub fn len(&self) -> usize {
        self.cells.len() / self.table.columns.len()
    }

    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }
}

/// SQLite rows per multi-row INSERT: the widest table (21 columns) stays far
/// under SQLite's 32,766 bound parameters, and every full batch reuses one
/// prepared statement.
const SQLITE_ROWS_PER_INSERT: usize = 500;

enum Target {
    Postgres(sqlx::Transaction<'static, Postgres>),
    Sqlite(DatabaseTransaction),
}

/// One bulk load: a transaction that commits everything or nothing.
pub struct BulkLoad {
    target: Target,
}

impl std::fmt::Debug for BulkLoad {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BulkLoad").finish_non_exhaustive()
    }
}

fn sqlx_error(err: sqlx::Error) -> StorageError {
    StorageError::Database(sea_orm::DbErr::Custom(format!("bulk load: {err}")))
}

impl BulkLoad {
    pub async fn begin(db: &Db) -> Result<Self, StorageError> {
        let target = match db.get_database_backend() {
            DatabaseBackend::Postgres => {
                let pool = db.get_postgres_connection_pool();
                Target::Postgres(pool.begin().await.map_err(sqlx_error)?)
            }
            _ => Target::Sqlite(db.begin().await?),
        };
        Ok(BulkLoad { target })
    }

    /// A single integer (e.g. `SELECT COUNT(*) …`, `SELECT COALESCE(MAX(id), 0) …`).
    pub async fn scalar(&mut self, sql: &str) -> Result<i64, StorageError> {
        match &mut self.target {
            Target::Postgres(txn) => {
                let (value,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(sql.to_owned()))
                    .fetch_one(&mut **txn)
                    .await
                    .map_err(sqlx_error)?;
                Ok(value)
            }
            Target::Sqlite(txn) => {
                let row = txn
                    .query_one_raw(Statement::from_string(DatabaseBackend::Sqlite, sql))
                    .await?
                    .ok_or_else(|| StorageError::Corrupt(format!("no row from `{sql}`")))?;
                Ok(row.try_get_by_index::<i64>(0)?)
            }
        }
    }

    /// Writes the rows and empties the buffer.
    pub async fn write(&mut self, rows: &mut Rows) -> Result<u64, StorageError> {
        if rows.is_empty() {
            return Ok(0);
        }
        let width = rows.table.columns.len();
        if !rows.cells.len().is_multiple_of(width) {
            return Err(StorageError::Corrupt(format!(
                "bulk rows for {} are not {width} cells wide",
                rows.table.name
            )));
        }
        let count = rows.len() as u64;
        match &mut self.target {
            Target::Postgres(txn) => copy_in(txn, &rows.table, &rows.cells).await?,
            Target::Sqlite(txn) => insert_sqlite(txn, &rows.table, &rows.cells).await?,
        }
        rows.cells.clear();
        Ok(count)
    }

    /// Commits; then moves id sequences past the loaded rows (PostgreSQL) and
    /// refreshes planner statistics.
    pub async fn commit(self) -> Result<(), StorageError> {
        match self.target {
            Target::Postgres(mut txn) => {
                for table in tables::ALL.iter().filter(|t| t.has_id) {
                    let sql = format!(
                        "SELECT setval(pg_get_serial_sequence('{0}', 'id'), \
                         GREATEST((SELECT COALESCE(MAX(id), 0) FROM {0}), 1))",
                        table.name
                    );
                    // Table names come from the constants above, never from input.
                    sqlx::query(sqlx::AssertSqlSafe(sql))
                        .execute(&mut *txn)
                        .await
                        .map_err(sqlx_error)?;
                }
                txn.commit().await.map_err(sqlx_error)?;
            }
            // SQLite's AUTOINCREMENT follows explicit ids by itself.
            Target::Sqlite(txn) => txn.commit().await?,
        }
        Ok(())
    }
}

/// Refreshes the planner's statistics after a load (outside the load's
/// transaction). PostgreSQL also vacuums, which marks the freshly written
/// pages all-visible: the dashboards' index-only scans need that.
pub async fn analyze(db: &Db) -> Result<(), StorageError> {
    let statement = match db.get_database_backend() {
        DatabaseBackend::Postgres => "VACUUM (ANALYZE)",
        _ => "ANALYZE",
    };
    db.execute_unprepared(statement).await?;
    Ok(())
}

async fn copy_in(
    txn: &mut sqlx::Transaction<'static, Postgres>,
    table: &Table,
    cells: &[Cell],
) -> Result<(), StorageError> {
    let statement = format!(
        "COPY {} ({}) FROM STDIN",
        table.name,
        table.columns.join(", ")
    );
    let mut data = String::with_capacity(cells.len() * 16);
    for row in cells.chunks(table.columns.len()) {
        for (i, cell) in row.iter().enumerate() {
            if i > 0 {
                data.push('\t');
            }
            copy_text(&mut data, cell);
        }
        data.push('\n');
    }
    let mut copy = txn.copy_in_raw(&statement).await.map_err(sqlx_error)?;
    // Sent in pieces: the server reads COPY data as a stream.
    for chunk in data.as_bytes().chunks(1 << 20) {
        copy.send(chunk).await.map_err(sqlx_error)?;
    }
    copy.finish().await.map_err(sqlx_error)?;
    Ok(())
}

/// A value in COPY's text format: `\N` for NULL; backslash, tab and line breaks escaped.
fn copy_text(out: &mut String, cell: &Cell) {
    match cell {
        Cell::Null => out.push_str("\\N"),
        Cell::Int(v) => {
            let _ = write!(out, "{v}");
        }
        Cell::Bool(v) => out.push(if *v { 't' } else { 'f' }),
        Cell::Date(d) => {
            let _ = write!(out, "{}", d.format("%Y-%m-%d"));
        }
        Cell::Instant(t) => {
            let _ = write!(out, "{}", t.format("%Y-%m-%d %H:%M:%S%.6f+00"));
        }
        Cell::Text(s) => {
            for c in s.chars() {
                match c {
                    '\\' => out.push_str("\\\\"),
                    '\t' => out.push_str("\\t"),
                    '\n' => out.push_str("\\n"),
                    '\r' => out.push_str("\\r"),
                    c => out.push(c),
                }
            }
        }
    }
}

fn value(cell: &Cell) -> Value {
    match cell {
        Cell::Null => Value::String(None),
        Cell::Int(v) => Value::BigInt(Some(*v)),
        Cell::Bool(v) => Value::Bool(Some(*v)),
        Cell::Text(s) => Value::String(Some(s.clone())),
        Cell::Date(d) => Value::ChronoDate(Some(*d)),
        Cell::Instant(t) => Value::ChronoDateTimeUtc(Some(*t)),
    }
}

async fn insert_sqlite(
    txn: &DatabaseTransaction,
    table: &Table,
    cells: &[Cell],
) -> Result<(), StorageError> {
    let width = table.columns.len();
    let placeholders = format!("({})", vec!["?"; width].join(", "));
    let head = format!(
        "INSERT INTO {} ({}) VALUES ",
        table.name,
        table.columns.join(", ")
    );
    let mut full_batch_sql: Option<String> = None;
    for batch in cells.chunks(width * SQLITE_ROWS_PER_INSERT) {
        let rows = batch.len() / width;
        let sql = if rows == SQLITE_ROWS_PER_INSERT {
            full_batch_sql
                .get_or_insert_with(|| head.clone() + &vec![placeholders.as_str(); rows].join(", "))
                .clone()
        } else {
            head.clone() + &vec![placeholders.as_str(); rows].join(", ")
        };
        let values: Vec<Value> = batch.iter().map(value).collect();
        txn.execute_raw(Statement::from_sql_and_values(
            DatabaseBackend::Sqlite,
            sql,
            values,
        ))
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_text_escapes_what_copy_would_misread() {
        let mut out = String::new();
        copy_text(&mut out, &Cell::Text("a\tb\nc\\d".into()));
        assert_eq!(out, "a\\tb\\nc\\\\d");
        out.clear();
        copy_text(&mut out, &Cell::Null);
        assert_eq!(out, "\\N");
    }

    #[test]
    fn every_table_fits_a_sqlite_batch() {
        for table in tables::ALL {
            assert!(
                table.columns.len() * SQLITE_ROWS_PER_INSERT < 32_766,
                "{}",
                table.name
            );
        }
    }
}
