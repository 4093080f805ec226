//! The national data set at a tiny scale: the same options give the same rows,
//! counts follow the documented scale, the result passes the schema's checks
//! (the load would fail otherwise) and a second load is refused.

#![allow(
    clippy::unwrap_used,
    reason = "a test should fail loudly on an unexpected shape"
)]

use std::sync::Arc;

use chrono::{NaiveDate, TimeZone as _, Utc};
use pendamping_engine::{AuthConfig, BlobStore, Engine, EngineError, FixedClock};
use pendamping_seed::national::{self, NationalOptions};
use pendamping_storage::testing;
use sea_orm::{ConnectionTrait, Statement};

async fn engine() -> Engine {
    let t = testing::migrated().await.unwrap();
    let clock = Arc::new(FixedClock::new(
        Utc.with_ymd_and_hms(2026, 11, 28, 3, 0, 0).unwrap(),
    ));
    Engine::new(t.db, clock, AuthConfig::default(), BlobStore::in_memory())
}

fn options() -> NationalOptions {
    let mut options = NationalOptions::new(0.01).unwrap();
    options.seed = 7;
    options.as_of = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
    options
}

/// FNV-1a over the text of every row of `sql`, with the row count.
async fn fingerprint(engine: &Engine, sql: &str, columns: usize) -> (usize, u64) {
    let db = engine.db();
    let rows = db
        .query_all_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap();
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for row in &rows {
        for i in 0..columns {
            let text = row
                .try_get_by_index::<Option<String>>(i)
                .unwrap()
                .unwrap_or_default();
            for byte in text.bytes().chain([0]) {
                hash ^= u64::from(byte);
                hash = hash.wrapping_mul(0x100_0000_01b3);
            }
        }
    }
    (rows.len(), hash)
}

async fn count(engine: &Engine, sql: &str) -> i64 {
    let db = engine.db();
    db.query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap()
        .unwrap()
        .try_get_by_index::<i64>(0)
        .unwrap()
}

const FINGERPRINTS: &[(&str, usize)] = &[
    (
        "SELECT CAST(id AS TEXT), CAST(opd_id AS TEXT), status, CAST(due_on AS TEXT), title, \
         CAST(rejection_count AS TEXT) FROM action_items ORDER BY id",
        6,
    ),
    (
        "SELECT CAST(id AS TEXT), CAST(total_hundredths AS TEXT), band_code, \
         CAST(COALESCE(opd_id, 0) AS TEXT) FROM score_records ORDER BY id",
        4,
    ),
    ("SELECT name, time_zone FROM districts ORDER BY id", 2),
    ("SELECT name FROM opds ORDER BY id", 1),
    (
        "SELECT action, CAST(object_id AS TEXT), COALESCE(reason, '') FROM audit_events ORDER BY id",
        3,
    ),
];

#[tokio::test]
async fn the_same_options_give_the_same_rows() {
    let (first, second) = (engine().await, engine().await);
    let a = national::load(&first, options()).await.unwrap();
    let b = national::load(&second, options()).await.unwrap();
    for (table, rows) in a.tables.iter().map(|t| (t.table, t.rows)) {
        assert_eq!(rows, b.rows(table), "{table}");
    }
    for (sql, columns) in FINGERPRINTS {
        let fa = fingerprint(&first, sql, *columns).await;
        let fb = fingerprint(&second, sql, *columns).await;
        assert!(fa.0 > 0, "{sql} returned no rows");
        assert_eq!(fa, fb, "{sql}");
    }

    // Another seed gives another world.
    let third = engine().await;
    let mut other = options();
    other.seed = 8;
    national::load(&third, other).await.unwrap();
    assert_ne!(
        fingerprint(&first, FINGERPRINTS[0].0, FINGERPRINTS[0].1).await,
        fingerprint(&third, FINGERPRINTS[0].0, FINGERPRINTS[0].1).await
    );
}

#[tokio::test]
async fn counts_follow_the_scale() {
    let engine = engine().await;
    let report = national::load(&engine, options()).await.unwrap();
    println!("{report}");
    // round(548 × 0.01) governments, round(1,000,000 × 0.01) action items, exactly.
    assert_eq!(report.rows("districts"), 5);
    assert_eq!(report.rows("action_items"), 10_000);
    assert_eq!(
        count(&engine, "SELECT COUNT(*) FROM action_items").await,
        10_000
    );
    let opds = report.rows("opds");
    assert!((5 * 35..=5 * 45).contains(&opds), "{opds} OPDs");
    // Offices: one per province the governments lie in.
    assert_eq!(
        count(&engine, "SELECT COUNT(DISTINCT province) FROM districts").await,
        report.rows("offices") as i64
    );
    // Five periods; one current official score per OPD and per government in each.
    assert_eq!(report.rows("assessment_periods"), 5);
    assert_eq!(
        count(
            &engine,
            "SELECT COUNT(*) FROM score_records WHERE is_current"
        )
        .await,
        5 * (opds as i64 + 5)
    );
    // PKP-2022 periods carry four dimension values per record.
    assert_eq!(
        count(
            &engine,
            "SELECT COUNT(*) FROM score_records s JOIN assessment_periods p ON p.id = s.period_id \
             WHERE p.year >= 2022"
        )
        .await
            * 4,
        report.rows("score_dimension_values") as i64
    );
    // A realistic mix: most work verified, some still open, some overdue.
    let verified = count(
        &engine,
        "SELECT COUNT(*) FROM action_items WHERE status = 'VERIFIED'",
    )
    .await;
    let overdue = count(
        &engine,
        "SELECT COUNT(*) FROM action_items WHERE status NOT IN ('VERIFIED', 'CANCELLED') \
         AND due_on < '2026-11-28'",
    )
    .await;
    assert!((4_000..9_000).contains(&verified), "{verified} verified");
    assert!((100..3_000).contains(&overdue), "{overdue} overdue");
    // Every submitted item has evidence; every item has its audit trail.
    assert_eq!(
        count(
            &engine,
            "SELECT COUNT(*) FROM action_items i WHERE i.submitted_at IS NOT NULL \
             AND NOT EXISTS (SELECT 1 FROM evidence e WHERE e.action_item_id = i.id)"
        )
        .await,
        0
    );
    assert_eq!(
        count(
            &engine,
            "SELECT COUNT(*) FROM audit_events WHERE action = 'ACTION_ITEM_RAISED'"
        )
        .await,
        10_000
    );
}

#[tokio::test]
async fn a_database_with_data_is_refused() {
    let engine = engine().await;
    pendamping_seed::demo::load(&engine).await.unwrap();
    let err = national::load(&engine, options()).await.unwrap_err();
    assert!(matches!(err, EngineError::Invalid(_)), "{err}");
    assert!(err.to_string().contains("fresh database"), "{err}");
    // Nothing was written: the demo's one office is all there is.
    assert_eq!(count(&engine, "SELECT COUNT(*) FROM offices").await, 1);
}
