//! Shared test set-up: an engine over a fresh database with the demo data
//! set, and a way to run GraphQL as any demo user, in process.

#![allow(dead_code, reason = "each test file uses part of the kit")]

use std::sync::Arc;

use async_graphql::{Request, Variables};
use chrono::TimeZone as _;
use pendamping_api::{ApiSchema, RequestContext, schema};
use pendamping_engine::{AuthConfig, Engine, FixedClock, StatementCounter};
use pendamping_storage::testing;
use serde_json::{Value, json};

/// 28 November 2026, 03:00 UTC (11:00 WITA): the demo's "today".
pub fn demo_now() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc.with_ymd_and_hms(2026, 11, 28, 3, 0, 0).unwrap()
}

pub struct Kit {
    pub db: pendamping_engine::Db,
    pub engine: Engine,
    pub schema: ApiSchema,
    pub counter: StatementCounter,
    pub clock: Arc<FixedClock>,
}

impl Kit {
    /// A fresh database with the demo data set loaded.
    pub async fn demo() -> Kit {
        let kit = Kit::empty().await;
        pendamping_seed::demo::load(&kit.engine)
            .await
            .expect("demo loads");
        kit
    }

    /// `query` (no variables) answered as `email` over a fresh demo data set,
    /// for a test that only reads once.
    pub async fn demo_fetch(email: &str, query: &str) -> Value {
        Kit::demo().await.fetch(email, query).await
    }

    /// A fresh, migrated, empty database.
    pub async fn empty() -> Kit {
        let t = testing::migrated().await.expect("test database");
        let clock = Arc::new(FixedClock::new(demo_now()));
        let engine = Engine::new(
            t.db.clone(),
            clock.clone(),
            AuthConfig::default(),
            pendamping_engine::BlobStore::in_memory(),
        );
        Kit {
            db: t.db,
            engine,
            schema: schema(),
            counter: t.counter,
            clock,
        }
    }

    /// A session token of a demo user.
    pub async fn token(&self, email: &str) -> String {
        let (issued, _) = self
            .engine
            .login(email, pendamping_seed::demo::DEMO_PASSWORD, None)
            .await
            .expect("demo login");
        issued.token
    }

    /// Runs `query` as the user with `email` (anonymous with `None`); returns the whole response as JSON.
    pub async fn run_as(&self, email: Option<&str>, query: &str, variables: Value) -> Value {
        let token = match email {
            Some(email) => Some(self.token(email).await),
            None => None,
        };
        self.run_with_token(token, query, variables).await
    }

    pub async fn run_with_token(
        &self,
        token: Option<String>,
        query: &str,
        variables: Value,
    ) -> Value {
        let actor = match &token {
            Some(token) => Some(self.engine.authenticate(token).await.expect("token works")),
            None => None,
        };
        let (context, loader) =
            RequestContext::new(self.engine.clone(), actor, token, Some("127.0.0.1".into()));
        let request = context.attach(
            loader,
            Request::new(query).variables(Variables::from_json(variables)),
        );
        let response = self.schema.execute(request).await;
        serde_json::to_value(&response).expect("response serialises")
    }

    /// Runs `query` as `email` and returns `data`, failing the test on any error.
    pub async fn data(&self, email: &str, query: &str, variables: Value) -> Value {
        let response = self.run_as(Some(email), query, variables).await;
        assert!(
            response
                .get("errors")
                .is_none_or(|e| e.as_array().is_none_or(Vec::is_empty)),
            "errors: {response:#}"
        );
        response["data"].clone()
    }

    /// Runs `query` (no variables) as `email` and returns `data`, failing the test on any error.
    pub async fn fetch(&self, email: &str, query: &str) -> Value {
        self.data(email, query, json!({})).await
    }

    /// Runs `mutation` as `email` with `input` as its `$input`; the payload
    /// under `field`, failing the test on any GraphQL error.
    pub async fn mutate(&self, email: &str, mutation: &str, field: &str, input: Value) -> Value {
        let response = self
            .run_as(Some(email), mutation, json!({ "input": input }))
            .await;
        assert!(response.get("errors").is_none(), "{response:#}");
        response["data"][field].clone()
    }

    /// The first action item `email` sees in one of `statuses`, with `fields`.
    pub async fn first_item(&self, email: &str, statuses: &[&str], fields: &str) -> Value {
        let query = format!(
            "query($s: [ActionItemStatus!]) {{ actionItems(filter: {{ status: $s }}, first: 1) {{ nodes {{ {fields} }} }} }}"
        );
        self.data(email, &query, json!({ "s": statuses })).await["actionItems"]["nodes"][0].clone()
    }
}

pub const ADMIN: &str = "admin@demo.example";
pub const LEAD: &str = "kepala@sulbar.example";
pub const ASSESSOR: &str = "asisten@sulbar.example";
pub const SEKDA_MATENG: &str = "sekda@mamujutengah.example";
pub const RSUD_OFFICER: &str = "rsud@mamujutengah.example";
pub const DUKCAPIL_OFFICER: &str = "dukcapil@mamujutengah.example";
pub const VIEWER_MATENG: &str = "viewer@mamujutengah.example";
pub const SEKDA_MAMUJU: &str = "sekda@mamuju.example";

/// `startActionItem` (variables: `input` with the item's `id` and `version`),
/// answering the item's id and status and the user errors.
pub const START_ITEM: &str = "mutation($input: WorkflowActionInput!) { startActionItem(input: $input) { \
     actionItem { id status } userErrors { field message code } } }";

/// The name of the demo's district with the most going on (Mamuju Tengah).
pub const MATENG: &str = "Kabupaten Mamuju Tengah";

/// The entry of a score history (a JSON list) for the period of `year`.
pub fn in_year(history: &Value, year: i64) -> Value {
    elements(history)
        .find(|entry| entry["period"]["year"] == year)
        .unwrap_or_else(|| panic!("no {year} in {history}"))
        .clone()
}

/// The first error code of a response.
pub fn error_code(response: &Value) -> Option<String> {
    response["errors"][0]["extensions"]["code"]
        .as_str()
        .map(str::to_owned)
}

impl Kit {
    /// The kit's database, for tests that arrange rows directly.
    pub fn engine_db(&self) -> pendamping_engine::Db {
        self.db.clone()
    }
}

/// The element of the JSON list `list` whose `field` equals `value`; the test
/// fails when there is none.
pub fn find<'a>(list: &'a Value, field: &str, value: impl Into<Value>) -> &'a Value {
    let value = value.into();
    elements(list)
        .find(|element| element[field] == value)
        .unwrap_or_else(|| panic!("no element with {field} = {value} in {list}"))
}

/// The elements of the JSON list `list`; the test fails when it is not a list.
pub fn elements(list: &Value) -> std::slice::Iter<'_, Value> {
    list.as_array()
        .unwrap_or_else(|| panic!("not a list: {list}"))
        .iter()
}

/// The text `field` of each element of the JSON list `list`, in order.
pub fn texts<'a>(list: &'a Value, field: &str) -> Vec<&'a str> {
    elements(list)
        .map(|element| element[field].as_str().expect("text"))
        .collect()
}

/// Posts one GraphQL request over HTTP to `app` with `token`; its answer.
pub async fn post_graphql(app: axum::Router, token: &str, query: &str, variables: Value) -> Value {
    use axum::body::Body;
    use axum::http::{Request, header};
    use http_body_util::BodyExt as _;
    use tower::ServiceExt as _;
    let response = app
        .oneshot(
            Request::post("/graphql")
                .header(header::CONTENT_TYPE, "application/json")
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .body(Body::from(
                    json!({ "query": query, "variables": variables }).to_string(),
                ))
                .expect("a well-formed request"),
        )
        .await
        .expect("the router answers");
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("the whole body")
        .to_bytes();
    serde_json::from_slice(&bytes).expect("a JSON answer")
}
