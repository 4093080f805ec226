//! Nothing personal crosses a scope (issue 13, item 5): a user's name and
//! e-mail reach only callers whose reach includes the user's scope (the
//! e-mail only where `domain::policy::user_visibility` says), and the labels
//! on history, comments, audit entries and event payloads are display names
//! to everyone but admins. Actors from two districts of the same office.

#![allow(
    clippy::unwrap_used,
    reason = "a test should fail loudly on an unexpected shape"
)]

mod common;

use std::time::Duration;

use async_graphql::{Request, Variables};
use common::*;
use futures_util::StreamExt as _;
use pendamping_api::RequestContext;
use serde_json::{Value, json};

const USER: &str = "query($id: ID!) {
  node(id: $id) { id ... on User { displayName email } }
  nodes(ids: [$id]) { id ... on User { displayName email } } }";

/// Every demo account's e-mail: none may appear in what a non-admin reads.
const DEMO_EMAILS: [&str; 8] = [
    ADMIN,
    LEAD,
    ASSESSOR,
    SEKDA_MATENG,
    RSUD_OFFICER,
    DUKCAPIL_OFFICER,
    VIEWER_MATENG,
    SEKDA_MAMUJU,
];
const NEW_OFFICER: &str = "petugas.baru@mamujutengah.example";

async fn user_id(kit: &Kit, email: &str) -> String {
    kit.fetch(email, "{ viewer { user { id } } }").await["viewer"]["user"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn seen(kit: &Kit, reader: &str, id: &str) -> Value {
    let data = kit.data(reader, USER, json!({"id": id})).await;
    assert_eq!(
        data["node"], data["nodes"][0],
        "node and nodes agree for {reader}"
    );
    data["node"].clone()
}

#[tokio::test]
async fn a_user_is_seen_only_by_callers_whose_reach_includes_the_users_scope() {
    let kit = Kit::demo().await;
    let rsud = user_id(&kit, RSUD_OFFICER).await;
    let sekda = user_id(&kit, SEKDA_MATENG).await;

    // Another district of the same office: not even the name.
    assert_eq!(
        seen(&kit, SEKDA_MAMUJU, &rsud).await,
        Value::Null,
        "the Sekda of Mamuju sees a Mamuju Tengah officer"
    );
    assert_eq!(
        seen(&kit, SEKDA_MAMUJU, &sekda).await,
        Value::Null,
        "the Sekda of Mamuju sees the Sekda of Mamuju Tengah"
    );
    // An OPD officer's reach is the OPD: the district's coordinator lies outside it.
    assert_eq!(seen(&kit, RSUD_OFFICER, &sekda).await, Value::Null);
    // Another OPD of the same district: outside an OPD officer's reach.
    let dukcapil = user_id(&kit, DUKCAPIL_OFFICER).await;
    assert_eq!(seen(&kit, RSUD_OFFICER, &dukcapil).await, Value::Null);

    // Within reach but not managing the account: the name, never the e-mail.
    for reader in [VIEWER_MATENG, ASSESSOR] {
        let user = seen(&kit, reader, &rsud).await;
        assert!(user["displayName"].is_string(), "{reader}: {user}");
        assert_eq!(user["email"], Value::Null, "{reader} sees the e-mail");
    }
    // Whoever manages the account (the district's coordinator, the office's lead),
    // the user themself and admins: the e-mail too.
    for reader in [SEKDA_MATENG, LEAD, RSUD_OFFICER, ADMIN] {
        let user = seen(&kit, reader, &rsud).await;
        assert_eq!(user["email"], RSUD_OFFICER, "{reader}: {user}");
    }
}

/// An action item of the RSUD of Mamuju Tengah that can be started, and its OPD.
async fn open_rsud_item(kit: &Kit) -> (String, Value, String) {
    let item = kit
        .first_item(
            RSUD_OFFICER,
            &["OPEN"],
            "id version opd { id district { id } }",
        )
        .await;
    (
        item["id"].as_str().unwrap().to_owned(),
        item["version"].clone(),
        item["opd"]["id"].as_str().unwrap().to_owned(),
    )
}

/// The events `who` receives for one OPD, replayed from the start of the log.
async fn events_seen(kit: &Kit, who: &str, opd: &str) -> Vec<Value> {
    let token = kit.token(who).await;
    let actor = kit.engine.authenticate(&token).await.unwrap();
    let (context, loader) = RequestContext::new(kit.engine.clone(), Some(actor), Some(token), None);
    let request = context.attach(
        loader,
        Request::new(
            "subscription($opd: ID!) { events(after: \"0\", filter: { opdId: $opd, kinds: [\"ACTION_ITEM_STARTED\", \"COMMENT_ADDED\"] }) { kind payload } }",
        )
        .variables(Variables::from_json(json!({"opd": opd}))),
    );
    let mut stream = kit.schema.execute_stream(request);
    let mut seen = Vec::new();
    while let Ok(Some(response)) = tokio::time::timeout(Duration::from_secs(2), stream.next()).await
    {
        let response = serde_json::to_value(&response).unwrap();
        assert!(response.get("errors").is_none(), "{response:#}");
        seen.push(response["data"]["events"].clone());
        if seen.len() >= 2 {
            break;
        }
    }
    seen
}

#[tokio::test]
async fn labels_in_history_comments_audit_and_events_are_display_names_for_all_but_admins() {
    let kit = Kit::demo().await;
    let (item, version, opd) = open_rsud_item(&kit).await;

    // The RSUD officer starts the item and comments on it; the Sekda creates an account.
    let started = kit
        .data(RSUD_OFFICER, "mutation($input: WorkflowActionInput!) { startActionItem(input: $input) { userErrors { code } } }", json!({"input": {"id": item, "version": version}}))
        .await;
    assert_eq!(started["startActionItem"]["userErrors"], json!([]));
    let commented = kit
        .data(RSUD_OFFICER, "mutation($i: ID!) { addComment(input: { actionItemId: $i, body: \"SOP sedang disusun\" }) { userErrors { code } } }", json!({"i": item}))
        .await;
    assert_eq!(commented["addComment"]["userErrors"], json!([]));
    let created = kit
        .data(SEKDA_MATENG, "mutation($input: CreateUserInput!) { createUser(input: $input) { userErrors { field code message } } }", json!({"input": {
            "email": NEW_OFFICER, "displayName": "Petugas RSUD", "password": "kata-sandi-panjang-sekali",
            "roles": [{"role": "OPD_OFFICER", "scopeId": opd}]}}))
        .await;
    assert_eq!(created["createUser"]["userErrors"], json!([]));

    // The relay publishes what is committed; subscriptions replay up to it.
    tokio::spawn(
        kit.engine
            .clone()
            .run_event_relay(Default::default(), std::future::pending()),
    );
    while kit.engine.event_hub().watermark() == 0 {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    const READ: &str = "query($i: ID!) {
      node(id: $i) { ... on ActionItem {
        history { actorLabel before after }
        comments(first: 50) { nodes { authorLabel body } } } }
      auditEvents(first: 100) { nodes { action actorLabel before after } } }";
    let emails: Vec<&str> = DEMO_EMAILS.iter().copied().chain([NEW_OFFICER]).collect();
    for reader in [VIEWER_MATENG, ASSESSOR, SEKDA_MATENG, RSUD_OFFICER, LEAD] {
        let read = kit.data(reader, READ, json!({"i": item})).await;
        let history = read["node"]["history"].as_array().unwrap();
        assert!(
            history.len() >= 2,
            "{reader} reads the item's history: {read:#}"
        );
        assert_eq!(
            history.last().unwrap()["actorLabel"],
            "Petugas RSUD Mamuju Tengah",
            "{reader}: the officer's display name labels the start"
        );
        let text = read.to_string();
        for email in &emails {
            assert!(!text.contains(email), "{reader} reads {email} in {read:#}");
        }
        let events = events_seen(&kit, reader, &opd).await;
        assert_eq!(events.len(), 2, "{reader} receives both events: {events:?}");
        let text = serde_json::to_string(&events).unwrap();
        for email in &emails {
            assert!(!text.contains(email), "{reader} reads {email} in {text}");
        }
    }

    // An admin reads who acted by e-mail through the user.
    let admin = kit
        .data(
            ADMIN,
            "query($i: ID!) { node(id: $i) { ... on ActionItem { history { actor { email } } } } }",
            json!({"i": item}),
        )
        .await;
    assert_eq!(
        admin["node"]["history"].as_array().unwrap().last().unwrap()["actor"]["email"],
        RSUD_OFFICER
    );
}
