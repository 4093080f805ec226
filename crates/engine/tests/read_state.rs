//! The read state answers are kept under (PostgreSQL): it moves on with every
//! commit, from any connection, and with the date in any of Indonesia's
//! zones. SQLite has none, so nothing is kept there.

#![allow(
    clippy::unwrap_used,
    reason = "a test should fail loudly on an unexpected shape"
)]

mod common;

use chrono::{TimeZone as _, Utc};
use common::TestEngine;
use pendamping_engine::{Engine, ReadState};
use pendamping_storage::{ConnectionTrait as _, testing};

async fn state(engine: &Engine) -> Option<ReadState> {
    engine.read_state().await.unwrap()
}

#[tokio::test]
async fn the_read_state_moves_on_with_every_commit_from_any_connection() {
    let TestEngine { engine, url, .. } = common::empty().await;
    let Some(before) = state(&engine).await else {
        assert!(!testing::on_postgres(), "PostgreSQL has snapshots");
        return;
    };
    // Another process, as far as this engine can tell.
    let other = pendamping_storage::connect(&url, None).await.unwrap();
    other
        .execute_unprepared("INSERT INTO offices (code, name, province, time_zone, created_at) VALUES ('X', 'Perwakilan X', 'X', 'Asia/Jakarta', CURRENT_TIMESTAMP)")
        .await
        .unwrap();
    let after = state(&engine).await.unwrap();
    assert_ne!(after, before);
    assert!(after.is_later_than(&before));
    assert!(!before.is_later_than(&after));

    // Without commits it stays put. Snapshots are cluster-wide and other tests
    // commit beside this one, so "stays put" is seen within a few tries.
    let mut steady = false;
    for _ in 0..200 {
        let (first, second) = (state(&engine).await, state(&engine).await);
        if first == second {
            steady = true;
            break;
        }
    }
    assert!(
        steady,
        "two reads with no commit between saw different states"
    );
}

#[tokio::test]
async fn the_read_state_moves_on_at_midnight_in_each_zone_and_not_within_a_day() {
    let TestEngine { engine, clock, .. } = common::empty().await;
    if state(&engine).await.is_none() {
        assert!(!testing::on_postgres(), "PostgreSQL has snapshots");
        return;
    }
    // WIT's midnight is 15:00 UTC, WITA's 16:00, WIB's 17:00.
    for hour in [15, 16, 17] {
        let mut last_minute = None;
        let mut next_day = None;
        for _ in 0..200 {
            clock.set(
                Utc.with_ymd_and_hms(2026, 11, 28, hour - 1, 59, 59)
                    .unwrap(),
            );
            let before = state(&engine).await.unwrap();
            clock.set(Utc.with_ymd_and_hms(2026, 11, 28, hour, 0, 0).unwrap());
            let after = state(&engine).await.unwrap();
            // Only a pair with no commit elsewhere between tells the date's part.
            clock.set(
                Utc.with_ymd_and_hms(2026, 11, 28, hour - 1, 59, 59)
                    .unwrap(),
            );
            if state(&engine).await.as_ref() == Some(&before) {
                (last_minute, next_day) = (Some(before), Some(after));
                break;
            }
        }
        let (before, after) = (last_minute.unwrap(), next_day.unwrap());
        assert_ne!(before, after, "midnight at {hour}:00 UTC");
        assert!(after.is_later_than(&before));
    }
    // Within one day in every zone (01:00 and 14:00 UTC), the date's part is equal.
    let mut same = false;
    for _ in 0..200 {
        clock.set(Utc.with_ymd_and_hms(2026, 11, 28, 1, 0, 0).unwrap());
        let morning = state(&engine).await;
        clock.set(Utc.with_ymd_and_hms(2026, 11, 28, 14, 0, 0).unwrap());
        if state(&engine).await == morning {
            same = true;
            break;
        }
    }
    assert!(same);
}
