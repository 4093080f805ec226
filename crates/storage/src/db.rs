//! Connecting to the database and migrating it.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use pendamping_migration::{Migrator, MigratorTrait};
use sea_orm::{
    ConnectOptions, Database, DatabaseConnection, DatabaseTransaction, DbErr,
    SqliteTransactionMode, TransactionOptions, TransactionTrait,
};

use crate::StorageError;

/// A pool of connections to SQLite or PostgreSQL.
pub type Db = DatabaseConnection;

/// Counts the SQL statements a connection executes, for tests that prove a
/// query's statement count does not grow with the data.
#[derive(Debug, Clone, Default)]
pub struct StatementCounter(Arc<AtomicU64>);

impl StatementCounter {
    pub fn get(&self) -> u64 {
        self.0.load(Ordering::SeqCst)
    }
}

/// Opens a pool for `url` (`sqlite://…` or `postgres://…`). With a counter,
/// every statement executed through the pool is counted.
pub async fn connect(url: &str, counter: Option<StatementCounter>) -> Result<Db, StorageError> {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .max_connections(if url.starts_with("sqlite") { 4 } else { 16 })
        // Fail fast when the database is away: a request waits at most this
        // long for a connection, then fails with a clear error instead of hanging.
        .connect_timeout(Duration::from_secs(2))
        .acquire_timeout(Duration::from_secs(5))
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(|opts| {
            // WAL lets dashboards read while a writer commits; the busy timeout
            // makes a second writer wait instead of failing at once.
            opts.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true)
        });
    let mut db = Database::connect(options).await?;
    if let Some(counter) = counter {
        db.set_metric_callback(move |_info| {
            counter.0.fetch_add(1, Ordering::SeqCst);
        });
    }
    Ok(db)
}

/// Starts a transaction that will write. On SQLite it takes the write lock at
/// once (`BEGIN IMMEDIATE`): a deferred transaction that has read cannot take
/// the lock once another writer has committed ("database is locked" at once,
/// the busy timeout does not apply), where an immediate one waits its turn.
/// PostgreSQL ignores the mode.
pub async fn begin_write(db: &Db) -> Result<DatabaseTransaction, DbErr> {
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..Default::default()
    })
    .await
}

/// Applies every pending migration.
pub async fn migrate(db: &Db) -> Result<(), StorageError> {
    Migrator::up(db, None).await?;
    Ok(())
}

/// Rolls back every migration (tests of the down path).
pub async fn migrate_down(db: &Db) -> Result<(), StorageError> {
    Migrator::down(db, None).await?;
    Ok(())
}

/// What a PostgreSQL transaction would see if it started now: the
/// transaction ids below `xmax` that are not `in_progress` have committed.
/// Two reads under equal snapshots see exactly the same rows, and a snapshot
/// never recurs once anything commits after it — so an answer computed after
/// taking a snapshot is never older than the data that snapshot shows.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Snapshot {
    /// `xmin:xmax:xip,…` as PostgreSQL prints it.
    text: String,
    xmax: u64,
    in_progress: usize,
}

impl Snapshot {
    /// Parses PostgreSQL's `pg_snapshot` text form.
    pub fn parse(text: &str) -> Option<Snapshot> {
        let mut parts = text.split(':');
        let _xmin: u64 = parts.next()?.parse().ok()?;
        let xmax: u64 = parts.next()?.parse().ok()?;
        let in_progress = match parts.next()? {
            "" => 0,
            list => list
                .split(',')
                .map(|xid| xid.parse::<u64>().ok())
                .collect::<Option<Vec<_>>>()?
                .len(),
        };
        if parts.next().is_some() {
            return None;
        }
        Some(Snapshot {
            text: text.to_owned(),
            xmax,
            in_progress,
        })
    }

    /// Whether this snapshot was taken after `other`: a later snapshot has a
    /// higher `xmax`, or the same with fewer transactions still running.
    pub fn is_later_than(&self, other: &Snapshot) -> bool {
        (self.xmax, std::cmp::Reverse(self.in_progress))
            > (other.xmax, std::cmp::Reverse(other.in_progress))
    }
}

/// The database's current snapshot; `None` on SQLite, which has no such
/// notion across connections. An error where the server lacks
/// `pg_current_snapshot()` (PostgreSQL before 13, some compatible engines).
pub async fn current_snapshot(db: &Db) -> Result<Option<Snapshot>, StorageError> {
    use sea_orm::{ConnectionTrait as _, DbBackend, Statement};
    if db.get_database_backend() != DbBackend::Postgres {
        return Ok(None);
    }
    let statement = Statement::from_string(
        DbBackend::Postgres,
        "SELECT CAST(pg_current_snapshot() AS TEXT) AS snapshot",
    );
    let Some(row) = db.query_one_raw(statement).await? else {
        return Ok(None);
    };
    Ok(Snapshot::parse(&row.try_get::<String>("", "snapshot")?))
}

/// Writes a consistent copy of an SQLite database to `to` while it is in use
/// (`VACUUM INTO`: one read transaction, so the copy is one snapshot).
pub async fn backup_sqlite(db: &Db, to: &std::path::Path) -> Result<(), StorageError> {
    use sea_orm::ConnectionTrait as _;
    let path = to.to_string_lossy().replace('\'', "''");
    db.execute_unprepared(&format!("VACUUM INTO '{path}'"))
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::Snapshot;

    #[test]
    fn snapshots_parse_and_order_as_postgresql_takes_them() {
        let empty = Snapshot::parse("740:740:").unwrap();
        let running = Snapshot::parse("738:742:738,741").unwrap();
        let one_done = Snapshot::parse("738:742:738").unwrap();
        assert!(running.is_later_than(&empty));
        assert!(one_done.is_later_than(&running));
        assert!(!running.is_later_than(&one_done));
        assert!(!one_done.is_later_than(&one_done));
        for bad in ["", "1:2", "1:2:3:4", "a:2:", "1:2:x", "1:2:3,"] {
            assert_eq!(Snapshot::parse(bad), None, "{bad:?}");
        }
    }
}
