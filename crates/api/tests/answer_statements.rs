//! What the answer cache costs a request over HTTP: a read-only request one
//! statement (its caller's change counters, read before the answer is
//! computed), a mutation nothing — it is never kept, so it reads no
//! counters. Before this held, every transition paid a counter read of
//! about 1.5 ms of database time.

#![allow(
    clippy::unwrap_used,
    reason = "a test should fail loudly on an unexpected shape"
)]

mod common;

use common::*;
use pendamping_api::ApiConfig;
use serde_json::{Value, json};

const ITEMS: &str =
    "{ actionItems(filter: { status: [OPEN] }, first: 2) { nodes { id version } } }";

/// Posts one GraphQL request to a router; its answer and the statements it took.
async fn post(
    kit: &Kit,
    app: &axum::Router,
    token: &str,
    query: &str,
    variables: Value,
) -> (Value, u64) {
    let before = kit.counter.get();
    let answer = post_graphql(app.clone(), token, query, variables).await;
    (answer, kit.counter.get() - before)
}

fn router(kit: &Kit, answer_cache_bytes: usize) -> axum::Router {
    pendamping_api::router(
        kit.engine.clone(),
        ApiConfig {
            answer_cache_bytes,
            ..ApiConfig::default()
        },
    )
}

#[tokio::test]
async fn a_mutation_reads_no_change_counters_and_a_query_reads_them_once() {
    let kit = Kit::demo().await;
    let token = kit.token(RSUD_OFFICER).await;
    let (fresh, cached) = (router(&kit, 0), router(&kit, 1 << 20));

    let (items, query_fresh) = post(&kit, &fresh, &token, ITEMS, json!({})).await;
    let nodes = items["data"]["actionItems"]["nodes"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(nodes.len(), 2, "{items:#}");
    let (again, query_cached) = post(&kit, &cached, &token, ITEMS, json!({})).await;
    assert_eq!(again, items);
    assert_eq!(
        query_cached,
        query_fresh + 1,
        "a query with the cache on reads its counters once"
    );

    let start = |node: &Value| json!({ "input": { "id": node["id"], "version": node["version"] } });
    let (started, mutation_fresh) = post(&kit, &fresh, &token, START_ITEM, start(&nodes[0])).await;
    assert_eq!(
        started["data"]["startActionItem"]["userErrors"],
        json!([]),
        "{started:#}"
    );
    let (started, mutation_cached) =
        post(&kit, &cached, &token, START_ITEM, start(&nodes[1])).await;
    assert_eq!(
        started["data"]["startActionItem"]["userErrors"],
        json!([]),
        "{started:#}"
    );
    assert_eq!(
        mutation_cached, mutation_fresh,
        "a mutation costs the same with the cache on: it reads no counters"
    );
}
