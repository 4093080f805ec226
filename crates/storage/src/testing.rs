//! Test support: a fresh, migrated database per test, on SQLite by default or
//! on the PostgreSQL server named by `PENDAMPING_TEST_DATABASE_URL`. Each test
//! gets its own database, so tests run in parallel without meeting.

use std::sync::atomic::{AtomicU64, Ordering};

use sea_orm::{ConnectionTrait, Database};

use crate::{Db, StatementCounter, StorageError, connect, migrate};

/// The variable that selects PostgreSQL for tests: a URL of a server where
/// the user may create databases, e.g. `postgres://postgres@127.0.0.1:54329/postgres`.
pub const POSTGRES_ENV: &str = "PENDAMPING_TEST_DATABASE_URL";

static NEXT: AtomicU64 = AtomicU64::new(0);

/// A database made for one test.
#[derive(Debug)]
pub struct TestDatabase {
    pub db: Db,
    pub url: String,
    pub counter: StatementCounter,
}

fn unique_name() -> String {
    let n = NEXT.fetch_add(1, Ordering::SeqCst);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    format!("pdp_test_{}_{n}_{nanos}", std::process::id())
}

/// The URL of a new, empty database (not yet migrated).
pub async fn new_database_url() -> Result<String, StorageError> {
    let name = unique_name();
    match std::env::var(POSTGRES_ENV) {
        Ok(admin_url) if !admin_url.is_empty() => {
            let admin = Database::connect(admin_url.as_str()).await?;
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await?;
            admin.close().await?;
            let base = admin_url
                .rsplit_once('/')
                .map(|(base, _)| base)
                .unwrap_or(admin_url.as_str());
            Ok(format!("{base}/{name}"))
        }
        _ => {
            let path = std::env::temp_dir().join(format!("{name}.db"));
            Ok(format!("sqlite://{}?mode=rwc", path.display()))
        }
    }
}

/// A new database with every migration applied, counting its statements.
pub async fn migrated() -> Result<TestDatabase, StorageError> {
    let url = new_database_url().await?;
    let counter = StatementCounter::default();
    let db = connect(&url, Some(counter.clone())).await?;
    migrate(&db).await?;
    Ok(TestDatabase { db, url, counter })
}

/// Whether tests run against PostgreSQL.
pub fn on_postgres() -> bool {
    std::env::var(POSTGRES_ENV).is_ok_and(|v| !v.is_empty())
}
