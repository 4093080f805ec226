//! The demo data set over a fresh database, and its people as actors.

#![allow(dead_code, reason = "each test file uses part of the kit")]

use std::sync::Arc;

use chrono::TimeZone as _;
use pendamping_engine::{Actor, AuthConfig, BlobStore, Engine, FixedClock};
use pendamping_seed::demo::DEMO_PASSWORD;
use pendamping_storage::testing;

/// 28 November 2026, 03:00 UTC (11:00 WITA): the demo's "today".
pub fn demo_now() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc
        .with_ymd_and_hms(2026, 11, 28, 3, 0, 0)
        .single()
        .expect("a valid instant")
}

pub async fn demo() -> Engine {
    let t = testing::migrated().await.expect("test database");
    let engine = Engine::new(
        t.db,
        Arc::new(FixedClock::new(demo_now())),
        AuthConfig::default(),
        BlobStore::in_memory(),
    );
    pendamping_seed::demo::load(&engine)
        .await
        .expect("demo loads");
    engine
}

pub async fn actor(engine: &Engine, email: &str) -> Actor {
    let (issued, _) = engine
        .login(email, DEMO_PASSWORD, None)
        .await
        .expect("demo login");
    engine
        .authenticate(&issued.token)
        .await
        .expect("authenticated")
}
