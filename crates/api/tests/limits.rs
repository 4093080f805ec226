//! Cost limits that cover every shape of request: aliases and repeated
//! fields count, refusals carry a code and figures, page sizes over the
//! maximum are refused, answers report their cost, and each credential has a
//! budget over time.

mod common;

use std::time::{Duration, Instant};

use common::{Kit, RSUD_OFFICER, error_code};
use pendamping_api::{CostLimits, MAX_COMPLEXITY, MAX_DEPTH, schema_with};
use serde_json::{Value, json};

fn aliases(n: usize) -> String {
    let fields: Vec<String> = (0..n).map(|i| format!("a{i}: __typename")).collect();
    format!("{{ {} }}", fields.join(" "))
}

#[tokio::test]
async fn tens_of_thousands_of_aliases_or_repeats_of_a_cheap_field_are_refused_before_execution() {
    let kit = Kit::demo().await;
    for query in [
        aliases(30_000),
        format!("{{ {} }}", vec!["__typename"; 30_000].join(" ")),
        format!("{{ {} }}", vec!["me { id }"; 20_000].join(" ")),
    ] {
        let started = Instant::now();
        let response = kit.run_as(Some(RSUD_OFFICER), &query, json!({})).await;
        let took = started.elapsed();
        assert_eq!(
            error_code(&response).as_deref(),
            Some("QUERY_TOO_COMPLEX"),
            "{:.300}",
            response.to_string()
        );
        let extensions = &response["errors"][0]["extensions"];
        assert!(extensions["limit"].as_u64().is_some(), "{extensions}");
        assert!(
            extensions["actual"].as_u64() > extensions["limit"].as_u64(),
            "{extensions}"
        );
        assert!(response["data"].is_null(), "nothing ran");
        assert!(took < Duration::from_secs(2), "refused quickly: {took:?}");
    }
}

#[tokio::test]
async fn limit_and_validation_refusals_carry_a_code_and_the_figures() {
    let kit = Kit::demo().await;
    let mut deep = String::from("__typename");
    for _ in 0..MAX_DEPTH + 2 {
        deep = format!("me {{ {deep} }}");
    }
    // `me` has no `me`: the depth is refused before the fields are checked.
    let response = kit
        .run_as(Some(RSUD_OFFICER), &format!("{{ {deep} }}"), json!({}))
        .await;
    assert_eq!(
        error_code(&response).as_deref(),
        Some("QUERY_TOO_DEEP"),
        "{response}"
    );
    assert_eq!(response["errors"][0]["extensions"]["limit"], MAX_DEPTH);
    assert!(
        response["errors"][0]["extensions"]["actual"]
            .as_u64()
            .unwrap()
            > MAX_DEPTH as u64
    );

    let response = kit
        .run_as(Some(RSUD_OFFICER), "{ noSuchField }", json!({}))
        .await;
    assert_eq!(
        error_code(&response).as_deref(),
        Some("GRAPHQL_VALIDATION_FAILED"),
        "{response}"
    );

    let response = kit
        .run_as(
            Some(RSUD_OFFICER),
            "{ actionItems(first: 1000) { nodes { id } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        error_code(&response).as_deref(),
        Some("PAGE_TOO_LARGE"),
        "{response}"
    );
    assert_eq!(response["errors"][0]["extensions"]["limit"], 100);
    assert_eq!(response["errors"][0]["extensions"]["actual"], 1000);

    // A big page of big pages is refused as too complex, with the figures.
    let response = kit
        .run_as(
            Some(RSUD_OFFICER),
            "{ agreements(first: 100) { nodes { milestones(first: 100) { nodes { actionItems(first: 100) { nodes { id title } } } } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        error_code(&response).as_deref(),
        Some("QUERY_TOO_COMPLEX"),
        "{response}"
    );
    assert_eq!(response["errors"][0]["extensions"]["limit"], MAX_COMPLEXITY);
}

#[tokio::test]
async fn each_answer_reports_its_cost() {
    let kit = Kit::demo().await;
    let response = kit
        .run_as(
            Some(RSUD_OFFICER),
            "{ actionItems(first: 10) { nodes { id } } }",
            json!({}),
        )
        .await;
    assert!(response.get("errors").is_none(), "{response}");
    let cost = &response["extensions"]["cost"];
    let requested = cost["requested"]
        .as_u64()
        .unwrap_or_else(|| panic!("{response}"));
    assert!(requested >= 10, "{cost}");
    assert_eq!(cost["limit"], MAX_COMPLEXITY);
    assert!(cost["budgetRemaining"].as_u64().is_some(), "{cost}");
}

#[tokio::test]
async fn a_credential_that_spends_its_budget_is_rate_limited_with_a_retry_time() {
    let mut kit = Kit::demo().await;
    kit.schema = schema_with(CostLimits {
        budget: 100,
        refill_per_second: 1,
        ..CostLimits::default()
    });
    let token = kit.token(RSUD_OFFICER).await;
    let query = "{ actionItems(first: 30) { nodes { id } } }";
    let mut refused: Option<Value> = None;
    let mut remaining = Vec::new();
    for _ in 0..10 {
        let response = kit
            .run_with_token(Some(token.clone()), query, json!({}))
            .await;
        if error_code(&response).is_some() {
            refused = Some(response);
            break;
        }
        remaining.push(
            response["extensions"]["cost"]["budgetRemaining"]
                .as_u64()
                .unwrap(),
        );
    }
    let refused = refused.expect("the budget runs out");
    assert_eq!(
        error_code(&refused).as_deref(),
        Some("RATE_LIMITED"),
        "{refused}"
    );
    assert!(
        refused["errors"][0]["extensions"]["retryAfterSeconds"]
            .as_u64()
            .unwrap()
            >= 1,
        "{refused}"
    );
    assert!(refused["data"].is_null());
    assert!(remaining.windows(2).all(|w| w[1] < w[0]), "{remaining:?}");
    // Another credential has its own budget.
    let other = kit.token(common::DUKCAPIL_OFFICER).await;
    let response = kit.run_with_token(Some(other), query, json!({})).await;
    assert!(response.get("errors").is_none(), "{response}");
}

/// PostgreSQL text cannot hold U+0000: a search or a lookup carrying it would
/// fail deep in the database as an internal error (the fuzzer found
/// `opds(filter: {nameContains: "\u0000"})` and `methodology(code:)`). It is
/// refused up front as bad input naming where it was, on both databases.
#[tokio::test]
async fn a_nul_character_in_any_text_is_bad_input_not_an_internal_error() {
    let kit = Kit::demo().await;
    let cases = [
        (
            r#"{ opds(filter: {nameContains: "RSUD\u0000"}) { totalCount } }"#.to_owned(),
            json!({}),
            "the query text",
        ),
        (
            r#"{ methodology(code: "KSP-2021\u0000") { code } }"#.to_owned(),
            json!({}),
            "the query text",
        ),
        (
            "query ($f: OpdsFilter) { opds(filter: $f) { totalCount } }".to_owned(),
            json!({"f": {"nameContains": "RSUD\u{0}"}}),
            "$f.nameContains",
        ),
    ];
    for (query, variables, place) in cases {
        let response = kit.run_as(Some(RSUD_OFFICER), &query, variables).await;
        assert_eq!(
            error_code(&response).as_deref(),
            Some("BAD_USER_INPUT"),
            "{response}"
        );
        let message = response["errors"][0]["message"]
            .as_str()
            .unwrap_or_default();
        assert!(message.starts_with(place), "{message}");
        assert!(message.contains("U+0000"), "{message}");
    }
    // The same search without it still answers.
    let fine = kit
        .run_as(
            Some(RSUD_OFFICER),
            r#"{ opds(filter: {nameContains: "RSUD"}) { totalCount } }"#,
            json!({}),
        )
        .await;
    assert!(fine["errors"].is_null(), "{fine}");
}
