//! Shared set-up of the web tests: an engine over a fresh database with the
//! demo data set, its clock at the demo's "today".

use std::sync::Arc;

use chrono::TimeZone as _;
use pendamping_engine::{AuthConfig, BlobStore, Engine, FixedClock};
use pendamping_storage::testing;

/// The demo's engine, and its database (kept alive as long as the engine is used).
pub async fn demo_engine() -> (Engine, testing::TestDatabase) {
    let db = testing::migrated().await.expect("test database");
    let clock = Arc::new(FixedClock::new(
        chrono::Utc
            .with_ymd_and_hms(2026, 11, 28, 3, 0, 0)
            .single()
            .expect("a valid instant"),
    ));
    let engine = Engine::new(
        db.db.clone(),
        clock,
        AuthConfig::default(),
        BlobStore::in_memory(),
    );
    pendamping_seed::demo::load(&engine)
        .await
        .expect("demo loads");
    (engine, db)
}
