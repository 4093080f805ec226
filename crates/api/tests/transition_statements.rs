//! A workflow transition over GraphQL takes the engine's statements for it
//! and nothing more: authenticating the session (one statement: the token,
//! its user and the user's roles together), then one load and one write on
//! PostgreSQL (one load and four writes on SQLite). The payload's action item is the row the write
//! returned: resolving `id status version` reads nothing.

#![allow(
    clippy::unwrap_used,
    reason = "a test should fail loudly on an unexpected shape"
)]

mod common;

use common::*;
use pendamping_storage::testing;
use serde_json::json;

const START: &str = "mutation($input: WorkflowActionInput!) { startActionItem(input: $input) { \
     actionItem { id status version } userErrors { field message code } } }";

/// The engine's statements for one action-item transition (see the engine's
/// `transition_statements` test).
fn engine_statements() -> u64 {
    if testing::on_postgres() { 2 } else { 5 }
}

#[tokio::test]
async fn a_transition_over_graphql_takes_authentication_and_the_engines_statements() {
    let kit = Kit::demo().await;
    let token = kit.token(RSUD_OFFICER).await;
    let data = kit
        .fetch(
            RSUD_OFFICER,
            "{ actionItems(filter: { status: [OPEN] }, first: 1) { nodes { id version } } }",
        )
        .await;
    let item = data["actionItems"]["nodes"][0].clone();

    // Authentication alone: a request that reads nothing else.
    let before = kit.counter.get();
    let response = kit
        .run_with_token(Some(token.clone()), "{ __typename }", json!({}))
        .await;
    let authentication = kit.counter.get() - before;
    assert!(response.get("errors").is_none(), "{response:#}");

    let before = kit.counter.get();
    let response = kit
        .run_with_token(
            Some(token),
            START,
            json!({"input": {"id": item["id"], "version": item["version"]}}),
        )
        .await;
    let statements = kit.counter.get() - before;
    assert!(response.get("errors").is_none(), "{response:#}");
    let started = &response["data"]["startActionItem"];
    assert_eq!(started["userErrors"], json!([]), "{response:#}");
    assert_eq!(started["actionItem"]["status"], "IN_PROGRESS");
    assert_eq!(
        started["actionItem"]["version"],
        item["version"].as_i64().unwrap() + 1
    );
    println!(
        "startActionItem over GraphQL: {statements} statements \
         ({authentication} to authenticate the token)"
    );
    assert_eq!(
        authentication, 1,
        "a session is authenticated by one statement"
    );
    assert_eq!(statements, authentication + engine_statements());
}
