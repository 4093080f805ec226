//! Requests wait their turn: with `graphql_concurrency` turns, a request past
//! them waits until one ends, in the order they came, instead of running
//! beside the others. Here one turn is held by a mutation that cannot write
//! (another transaction holds the write lock), and a query behind it waits;
//! with no limit, the same query overtakes it.

#![allow(
    clippy::unwrap_used,
    reason = "a test should fail loudly on an unexpected shape"
)]

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use common::*;
use pendamping_api::ApiConfig;
use pendamping_storage::ConnectionTrait as _;
use serde_json::json;

const ITEMS: &str =
    "{ actionItems(filter: { status: [OPEN] }, first: 1) { nodes { id version } } }";

/// Whether a query sent while a blocked mutation holds one of `turns`
/// turns finished before the mutation could go on, and the order in which
/// the two finished (mutation first: `true`).
async fn query_behind_a_blocked_mutation(turns: usize) -> (bool, bool) {
    let kit = Kit::demo().await;
    let token = kit.token(RSUD_OFFICER).await;
    let app = pendamping_api::router(
        kit.engine.clone(),
        ApiConfig {
            graphql_concurrency: turns,
            ..ApiConfig::default()
        },
    );
    let items = post_graphql(app.clone(), &token, ITEMS, json!({})).await;
    let item = items["data"]["actionItems"]["nodes"][0].clone();
    assert!(item.is_object(), "{items:#}");

    // Another transaction takes the write lock (SQLite: BEGIN IMMEDIATE;
    // PostgreSQL: a lock that lets reads through and stops writes).
    let db = kit.engine_db();
    let holder = pendamping_storage::begin_write(&db).await.unwrap();
    if holder.get_database_backend() == pendamping_storage::DbBackend::Postgres {
        holder
            .execute_unprepared("LOCK TABLE action_items IN EXCLUSIVE MODE")
            .await
            .unwrap();
    }

    let finished = Arc::new(AtomicUsize::new(0));
    let mutation = tokio::spawn({
        let (app, token, finished) = (app.clone(), token.clone(), finished.clone());
        let input = json!({ "input": { "id": item["id"], "version": item["version"] } });
        async move {
            let answer = post_graphql(app, &token, START_ITEM, input).await;
            (answer, finished.fetch_add(1, Ordering::SeqCst))
        }
    });
    // The mutation is now waiting for the lock, inside its turn.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let query = tokio::spawn({
        let (app, token, finished) = (app.clone(), token.clone(), finished.clone());
        async move {
            let answer = post_graphql(app, &token, ITEMS, json!({})).await;
            (answer, finished.fetch_add(1, Ordering::SeqCst))
        }
    });
    tokio::time::sleep(Duration::from_millis(700)).await;
    let query_done_while_blocked = query.is_finished();

    holder.rollback().await.unwrap();
    let (started, mutation_place) = mutation.await.unwrap();
    let (listed, query_place) = query.await.unwrap();
    assert_eq!(
        started["data"]["startActionItem"]["userErrors"],
        json!([]),
        "{started:#}"
    );
    assert!(
        listed["data"]["actionItems"]["nodes"].is_array(),
        "{listed:#}"
    );
    (query_done_while_blocked, mutation_place < query_place)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_one_turn_a_query_waits_for_the_request_before_it() {
    let (query_done_while_blocked, mutation_first) = query_behind_a_blocked_mutation(1).await;
    assert!(
        !query_done_while_blocked,
        "the query ran while the only turn was taken"
    );
    assert!(
        mutation_first,
        "the query finished before the request ahead of it"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_no_limit_the_same_query_overtakes_the_blocked_request() {
    let (query_done_while_blocked, mutation_first) = query_behind_a_blocked_mutation(0).await;
    assert!(query_done_while_blocked, "nothing held the query back");
    assert!(!mutation_first);
}
