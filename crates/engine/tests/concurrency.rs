//! Optimistic concurrency under real contention: many tasks take the same
//! action on the same object with the same version at once; exactly one wins,
//! the audit log has exactly one entry for it, and nothing is lost.
//!
//! Also prints the transitions per second of the contended and uncontended
//! runs (a figure for the notes, not an assertion).

#![allow(
    clippy::unwrap_used,
    reason = "a test should fail loudly on an unexpected shape"
)]

mod common;

use std::time::Instant;

use common::actor;
use pendamping_domain::action_item::ActionItemStatus;
use pendamping_domain::identity::Actor;
use pendamping_domain::lifecycle::ActionItemAction;
use pendamping_engine::EngineError;
use pendamping_storage::testing;

const TASKS: usize = 16;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_many_simultaneous_changes_at_one_version_exactly_one_wins() {
    let engine = common::demo().await.engine;
    let officer = actor(&engine, "rsud@mamujutengah.example").await;
    let item = common::first_item_in(&engine, &officer, ActionItemStatus::Open).await;

    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..TASKS {
        let engine = engine.clone();
        let officer = officer.clone();
        let item = item.clone();
        tasks.push(tokio::spawn(async move {
            common::start(&engine, &officer, &item).await
        }));
    }
    let mut won = 0;
    let mut conflicts = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(_) => won += 1,
            Err(EngineError::Conflict { current, .. }) => {
                assert_eq!(
                    current,
                    item.version + 1,
                    "the conflict names the current version"
                );
                conflicts += 1;
            }
            Err(other) => panic!("unexpected: {other}"),
        }
    }
    let elapsed = started.elapsed();
    assert_eq!(won, 1, "exactly one change wins");
    assert_eq!(conflicts, TASKS - 1);

    let admin = Actor::system("test");
    let history = common::audit_of(&engine, &admin, "ActionItem", item.id.0).await;
    let starts = history
        .iter()
        .filter(|e| e.action == "ACTION_ITEM_STARTED")
        .count();
    assert_eq!(starts, 1, "one audit entry per successful change");
    let now = common::item_now(&engine, item.id).await;
    assert_eq!(
        now.version,
        item.version + 1,
        "no lost update, no double update"
    );

    // Uncontended: transitions per second of start/cancel over distinct items, for the notes.
    let assessor = actor(&engine, "asisten@sulbar.example").await;
    let open = common::items_in(&engine, &assessor, ActionItemStatus::Open).await;
    let uncontended = Instant::now();
    let mut done = 0;
    for item in &open {
        let result = engine
            .take_action(
                &assessor,
                item.id,
                ActionItemAction::Cancel,
                common::with_reason(item.version, "measured"),
            )
            .await;
        if result.is_ok() {
            done += 1;
        }
    }
    let per_second = f64::from(done) / uncontended.elapsed().as_secs_f64();
    println!(
        "contended: {TASKS} simultaneous STARTs resolved in {:.1} ms (1 won, {conflicts} conflicts); \
         uncontended: {done} CANCELs at {per_second:.0} transitions/s ({})",
        elapsed.as_secs_f64() * 1000.0,
        if testing::on_postgres() {
            "PostgreSQL"
        } else {
            "SQLite"
        }
    );
    assert!(done > 0);
}

/// Use cases that read and then write (here: issuing a reset code, which
/// reads the account and then records the code) all succeed when many arrive
/// at once. On SQLite a deferred transaction that has read cannot take the
/// write lock once another writer committed ("database is locked" at once,
/// the busy timeout does not apply); write transactions start IMMEDIATE.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn many_simultaneous_read_then_write_use_cases_all_succeed() {
    let engine = common::demo().await.engine;
    let sekda = actor(&engine, "sekda@mamujutengah.example").await;
    let officer = actor(&engine, "rsud@mamujutengah.example").await;
    let officer_id = officer.user_id.unwrap();
    let mut tasks = Vec::new();
    for _ in 0..TASKS {
        let engine = engine.clone();
        let sekda = sekda.clone();
        tasks.push(tokio::spawn(async move {
            engine.issue_password_reset(&sekda, officer_id).await
        }));
    }
    let mut failures = Vec::new();
    for task in tasks {
        if let Err(err) = task.await.unwrap() {
            failures.push(err.to_string());
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {TASKS} failed: {failures:?}",
        failures.len()
    );
}

/// PostgreSQL lets one transaction at a time commit after a NOTIFY (a
/// database-wide lock held through the commit's flush), so an outbox that
/// NOTIFYs inside the writing transaction makes every write wait for the one
/// before it. A write announces nothing itself; the relay tells the other
/// processes afterwards, once for everything it gathered.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_write_announces_nothing_inside_its_transaction_the_relay_announces_it_after() {
    use pendamping_engine::NOTIFY_CHANNEL;
    use sea_orm::sqlx::postgres::PgListener;
    use std::time::Duration;

    if !testing::on_postgres() {
        println!(
            "announcements: PostgreSQL only (set {})",
            testing::POSTGRES_ENV
        );
        return;
    }
    let t = common::demo().await;
    let officer = actor(&t.engine, "rsud@mamujutengah.example").await;
    let mut listener = PgListener::connect(&t.url).await.unwrap();
    listener.listen(NOTIFY_CHANNEL).await.unwrap();
    let item = common::first_item_in(&t.engine, &officer, ActionItemStatus::Open).await;
    common::start(&t.engine, &officer, &item).await.unwrap();

    let heard = tokio::time::timeout(Duration::from_millis(500), listener.recv()).await;
    assert!(
        heard.is_err(),
        "the write notified from inside its transaction: {heard:?}"
    );

    let relay = tokio::spawn(
        t.engine
            .clone()
            .run_event_relay(Default::default(), std::future::pending()),
    );
    let notice = tokio::time::timeout(Duration::from_secs(5), listener.recv())
        .await
        .expect("the relay announces what was committed here")
        .unwrap();
    assert!(!notice.payload().is_empty(), "it names the process");
    relay.abort();
}
