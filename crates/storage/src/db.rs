//! Connecting to the database and migrating it.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use pendamping_migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, Database, DatabaseConnection};

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
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(30))
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
