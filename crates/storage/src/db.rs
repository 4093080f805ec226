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
        // A connection used in the last half minute is handed out as it is;
        // pinging each one first cost a round trip per statement. One idle
        // longer (a server restart, a firewall's idle cut) is still tested.
        .test_before_acquire_if_idle_for(Duration::from_secs(30))
        .map_sqlx_sqlite_opts(|opts| {
            // WAL lets dashboards read while a writer commits; the busy timeout
            // makes a second writer wait instead of failing at once.
            opts.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true)
        })
        .map_sqlx_postgres_opts(|opts| {
            // Every statement is prepared and keyed by ids the plan does not
            // depend on; left to choose, PostgreSQL plans most of them afresh
            // on every execution (a third of a millisecond a statement). The
            // generic plan was as fast or faster on every dashboard measured.
            opts.options([("plan_cache_mode", "force_generic_plan")])
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

/// Writes a consistent copy of an SQLite database to `to` while it is in use
/// (`VACUUM INTO`: one read transaction, so the copy is one snapshot).
pub async fn backup_sqlite(db: &Db, to: &std::path::Path) -> Result<(), StorageError> {
    use sea_orm::ConnectionTrait as _;
    let path = to.to_string_lossy().replace('\'', "''");
    db.execute_unprepared(&format!("VACUUM INTO '{path}'"))
        .await?;
    Ok(())
}

/// The rows of `E` whose `id` column is among `ids` and that `within` lets
/// through (a reader's reach), as domain values.
pub(crate) async fn by_ids<E: sea_orm::EntityTrait, T>(
    db: &impl sea_orm::ConnectionTrait,
    id: E::Column,
    ids: &[i64],
    within: sea_orm::Condition,
    convert: impl Fn(E::Model) -> Result<T, crate::StorageError>,
) -> Result<Vec<T>, crate::StorageError> {
    use sea_orm::{ColumnTrait, QueryFilter};
    E::find()
        .filter(id.is_in(ids.iter().copied()))
        .filter(within)
        .all(db)
        .await?
        .into_iter()
        .map(convert)
        .collect()
}

/// Runs an update meant for one row: `true` when exactly one row changed,
/// `false` when none matched (no such row, or its guard, e.g. a version or a
/// status, no longer holds).
pub(crate) async fn updated_one<E: sea_orm::EntityTrait>(
    db: &impl sea_orm::ConnectionTrait,
    update: sea_orm::UpdateMany<E>,
) -> Result<bool, crate::StorageError> {
    Ok(update.exec(db).await?.rows_affected == 1)
}
