//! The read state answers are kept under: the change counters of the scopes
//! a caller reaches, bumped by database triggers whoever commits, and the
//! date in each of Indonesia's zones. A commit moves the state of the
//! callers who can read what it changed, and no one else's.

#![allow(
    clippy::unwrap_used,
    reason = "a test should fail loudly on an unexpected shape"
)]

mod common;

use chrono::{TimeZone as _, Utc};
use common::TestEngine;
use pendamping_engine::{Actor, Engine, ReadState};
use pendamping_storage::{ConnectionTrait as _, Db, testing};
use sea_orm::{DbBackend, Statement};

async fn state(engine: &Engine, actor: Option<&Actor>) -> ReadState {
    engine.read_state(actor).await.unwrap()
}

/// Runs `sql` on a connection of its own, as another process (or `psql`) would.
async fn elsewhere(url: &str, sql: &str) {
    let other = pendamping_storage::connect(url, None).await.unwrap();
    other.execute_unprepared(sql).await.unwrap();
}

const MAMUJU_TENGAH: &str = "(SELECT id FROM districts WHERE name = 'Kabupaten Mamuju Tengah')";
const MAMUJU: &str = "(SELECT id FROM districts WHERE name = 'Kabupaten Mamuju')";

/// Everyone's state now: Mamuju Tengah's coordinator, its RSUD officer (an
/// OPD), Mamuju's coordinator, the office's lead, the national admin.
async fn states(engine: &Engine, actors: &[Actor]) -> Vec<ReadState> {
    let mut all = Vec::new();
    for actor in actors {
        all.push(state(engine, Some(actor)).await);
    }
    all
}

/// Which of the states moved on (`true`) or stayed (`false`); a state may
/// never go back.
fn moved(before: &[ReadState], after: &[ReadState]) -> Vec<bool> {
    before
        .iter()
        .zip(after)
        .map(|(before, after)| {
            assert!(!before.is_later_than(after), "{before:?} → {after:?}");
            after != before
        })
        .collect()
}

#[tokio::test]
async fn a_commit_moves_the_state_of_those_who_can_read_it_and_no_one_elses() {
    let TestEngine { engine, url, .. } = common::demo().await;
    let mut actors = Vec::new();
    for email in [
        "sekda@mamujutengah.example",
        "rsud@mamujutengah.example",
        "sekda@mamuju.example",
        "kepala@sulbar.example",
        "admin@demo.example",
    ] {
        actors.push(common::actor(&engine, email).await);
    }
    // Each commit made elsewhere, and which of the states it moves on.
    let commits: [(String, [bool; 5]); 8] = [
        // A change to Mamuju Tengah's action items, by raw SQL from elsewhere.
        (
            format!(
                "UPDATE action_items SET title = title || '.' WHERE district_id = {MAMUJU_TENGAH}"
            ),
            [true, true, false, true, true],
        ),
        // A statement that changes no row changes no state.
        (
            "UPDATE action_items SET title = 'x' WHERE id < 0".to_owned(),
            [false; 5],
        ),
        // Mamuju Tengah's milestones (no district column: through their agreement).
        (
            format!(
                "UPDATE milestones SET title = title || '.' WHERE agreement_id IN \
                 (SELECT id FROM agreements WHERE district_id = {MAMUJU_TENGAH})"
            ),
            [true, true, false, true, true],
        ),
        // Evidence and comments, through their action item: Mamuju Tengah's.
        (
            format!(
                "INSERT INTO comments (action_item_id, author_label, body, created_at) \
                 SELECT MIN(id), 'psql', 'from outside', CURRENT_TIMESTAMP FROM action_items \
                 WHERE district_id = {MAMUJU_TENGAH}"
            ),
            [true, true, false, true, true],
        ),
        // An audit entry of no place, about a Mamuju Tengah item: its history is
        // read with the item.
        (
            format!(
                "INSERT INTO audit_events (occurred_at, actor_label, action, object_type, object_id) \
                 SELECT CURRENT_TIMESTAMP, 'psql', 'NOTE', 'ActionItem', MIN(id) FROM action_items \
                 WHERE district_id = {MAMUJU_TENGAH}"
            ),
            [true, true, false, true, true],
        ),
        // An item moving from Mamuju Tengah to Mamuju: both districts see it.
        (
            format!(
                "UPDATE action_items SET district_id = {MAMUJU} \
                 WHERE id = (SELECT MIN(id) FROM action_items WHERE district_id = {MAMUJU_TENGAH})"
            ),
            [true, true, true, true, true],
        ),
        // Reference data everyone reads.
        ("UPDATE methodologies SET name = name".to_owned(), [true; 5]),
        // A national-only record (a webhook) moves the admin's state alone.
        (
            "INSERT INTO webhooks (url, secret, kinds_json, active, created_at) \
             VALUES ('https://example.org/hook', 's', '[]', true, CURRENT_TIMESTAMP)"
                .to_owned(),
            [false, false, false, false, true],
        ),
    ];
    let mut before = states(&engine, &actors).await;
    assert_eq!(states(&engine, &actors).await, before, "nothing committed");
    for (sql, expected) in commits {
        elsewhere(&url, &sql).await;
        let after = states(&engine, &actors).await;
        assert_eq!(moved(&before, &after), expected, "{sql}");
        before = after;
    }
}

/// Rows changed by one statement bump each scope once on PostgreSQL
/// (statement-level triggers), so a bulk load does not bump a counter per
/// row; SQLite's triggers are per row.
#[tokio::test]
async fn one_statement_bumps_each_scope_it_touched_once_on_postgresql() {
    let TestEngine { db, url, .. } = common::demo().await;
    let counter = |db: Db| async move {
        let row = db
            .query_one_raw(Statement::from_string(
                db.get_database_backend(),
                format!(
                    "SELECT changes FROM scope_changes WHERE scope_kind = 2 AND scope_id = {MAMUJU_TENGAH}"
                ),
            ))
            .await
            .unwrap()
            .unwrap();
        row.try_get::<i64>("", "changes").unwrap()
    };
    let items: i64 = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            format!("SELECT COUNT(*) AS n FROM action_items WHERE district_id = {MAMUJU_TENGAH}"),
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get("", "n")
        .unwrap();
    assert!(items > 1);
    let before = counter(db.clone()).await;
    elsewhere(
        &url,
        &format!(
            "UPDATE action_items SET title = title || '.' WHERE district_id = {MAMUJU_TENGAH}"
        ),
    )
    .await;
    let bumps = counter(db.clone()).await - before;
    if testing::on_postgres() {
        assert_eq!(bumps, 1);
    } else {
        assert_eq!(bumps, items);
    }
}

/// Tables no query answer reads; every other table must be watched.
const UNWATCHED: &[&str] = &[
    "email_messages",
    "email_notifications",
    "login_attempts",
    "login_throttles",
    "password_reset_codes",
    "deadline_sweeps",
    "seaql_migrations",
    "scope_changes",
    // The outbox: read by live subscriptions and webhooks, never by a query answer.
    "domain_events",
];

#[tokio::test]
async fn every_table_the_read_api_can_show_bumps_its_scopes() {
    let TestEngine { db, .. } = common::empty().await;
    let backend = db.get_database_backend();
    let (tables, triggers) = match backend {
        DbBackend::Postgres => (
            "SELECT CAST(tablename AS TEXT) AS name FROM pg_tables WHERE schemaname = current_schema()",
            "SELECT CAST(c.relname AS TEXT) AS name FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid \
             WHERE t.tgname LIKE 'scope_changes_%' GROUP BY c.relname HAVING COUNT(*) = 4",
        ),
        _ => (
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
            "SELECT tbl_name AS name FROM sqlite_master WHERE type = 'trigger' \
             AND name LIKE 'scope_changes_%' GROUP BY tbl_name HAVING COUNT(*) = 3",
        ),
    };
    let names = |sql: &'static str| {
        let db = db.clone();
        async move {
            let rows = db
                .query_all_raw(Statement::from_string(backend, sql))
                .await
                .unwrap();
            let mut names: Vec<String> = rows
                .iter()
                .map(|row| row.try_get::<String>("", "name").unwrap())
                .collect();
            names.sort();
            names
        }
    };
    let watched = names(triggers).await;
    let expected: Vec<String> = names(tables)
        .await
        .into_iter()
        .filter(|table| !UNWATCHED.contains(&table.as_str()))
        .collect();
    assert!(expected.len() > 25, "{expected:?}");
    assert_eq!(watched, expected);
}

#[tokio::test]
async fn the_read_state_moves_on_at_midnight_in_each_zone_and_not_within_a_day() {
    let TestEngine { engine, clock, .. } = common::empty().await;
    // WIT's midnight is 15:00 UTC, WITA's 16:00, WIB's 17:00.
    for hour in [15, 16, 17] {
        clock.set(
            Utc.with_ymd_and_hms(2026, 11, 28, hour - 1, 59, 59)
                .unwrap(),
        );
        let before = state(&engine, None).await;
        clock.set(Utc.with_ymd_and_hms(2026, 11, 28, hour, 0, 0).unwrap());
        let after = state(&engine, None).await;
        assert_ne!(before, after, "midnight at {hour}:00 UTC");
        assert!(after.is_later_than(&before));
    }
    // Within one day in every zone (01:00 and 14:00 UTC), the state is equal.
    clock.set(Utc.with_ymd_and_hms(2026, 11, 28, 1, 0, 0).unwrap());
    let morning = state(&engine, None).await;
    clock.set(Utc.with_ymd_and_hms(2026, 11, 28, 14, 0, 0).unwrap());
    assert_eq!(state(&engine, None).await, morning);
}
