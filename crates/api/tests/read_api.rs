//! The read side of the API on the demo data set, in process.

#![allow(
    clippy::unwrap_used,
    reason = "a test should fail loudly on an unexpected shape"
)]

mod common;

use common::*;
use serde_json::{Value, json};

/// The README's example query.
const README_QUERY: &str = r#"
query MamujuTengah {
  agreements(filter: { status: [ACTIVE, COMPLETED] }, first: 5) {
    totalCount
    nodes {
      title
      signedOn
      status
      district { name timeZone }
      opds { name shortName }
      milestones(first: 10) {
        nodes { kind title plannedOn actualOn status slipDays }
      }
    }
  }
}"#;

#[tokio::test]
async fn the_readme_query_answers_with_mamuju_tengahs_agreement() {
    let data = Kit::demo_fetch(ADMIN, README_QUERY).await;
    let agreements = data["agreements"]["nodes"].as_array().unwrap();
    let mateng = agreements
        .iter()
        .find(|a| a["signedOn"] == "2021-04-29")
        .expect("the agreement signed on 29 April 2021");
    assert_eq!(mateng["district"]["name"], MATENG);
    assert_eq!(mateng["district"]["timeZone"], "WITA");
    assert!(mateng["opds"].as_array().unwrap().len() >= 15);
    let milestones = mateng["milestones"]["nodes"].as_array().unwrap();
    let bimtek = milestones
        .iter()
        .find(|m| m["kind"] == "BIMTEK" && m["plannedOn"] == "2021-04-29")
        .expect("the Bimtek of 29 April 2021");
    assert_eq!(bimtek["status"], "DONE");
}

/// Touches every type and field of the read API at least once.
const EVERYTHING: &str = r#"
fragment score on ScoreRecord {
  id kind total computedTotal bandCode revision isCurrent correctionReason recordedAt
  band { code label min max zone }
  dimensionValues { code value }
  period { id year name }
  methodology { code }
  district { name }
  opd { name }
  recordedBy { displayName }
}
query Everything {
  viewer { label user { id displayName email createdAt roles { role officeId districtId opdId } } roles { role } }
  offices(first: 5) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id code name province timeZone createdAt
      districts(first: 10) { totalCount nodes { id name } } } }
  }
  districts(first: 10) {
    totalCount
    nodes {
      id kind name province timeZone createdAt
      office { name }
      scoreHistory { total bandCode change period { year } score { ...score } }
      opds(first: 50) {
        totalCount
        nodes {
          id name shortName kind headTitle createdAt
          district { name }
          latestScore { ...score }
          scoreHistory(kind: OFFICIAL) { total change bandCode }
          actionItems(first: 5) { totalCount nodes { id } }
        }
      }
    }
  }
  agreements(first: 10) {
    totalCount
    nodes {
      id officeNumber districtNumber title periodStart periodEnd officeSignatory districtSignatory
      signedOn status closingSummary terminationReason version isOverdue createdAt updatedAt
      office { code } district { name } opds { name }
      amendments { number signedOn summary newPeriodEnd recordedAt }
      milestones(first: 20) {
        totalCount
        nodes {
          id kind title plannedOn actualOn location outcomeNotes status cancellationReason version
          createdAt updatedAt slipDays
          agreement { id }
          reschedules { oldDate newDate slipDays reason rescheduledAt }
          opds { name }
          actionItems(first: 5) { totalCount nodes { id } }
        }
      }
      actionItems(first: 50) {
        totalCount
        nodes {
          id title finding standardComponent priority dueOn status rejectionCount cancellationReason
          isOverdue daysOverdue submittedAt verifiedAt version createdAt updatedAt
          agreement { id } opd { name } district { name } milestone { title }
          assignee { displayName } submittedBy { displayName } verifiedBy { displayName }
          evidence(first: 5) { totalCount nodes { id name mediaType sizeBytes sha256 url uploadedAt
            uploadedBy { displayName } actionItem { id } } }
          comments(first: 5) { totalCount nodes { id authorLabel body createdAt author { displayName } actionItem { id } } }
        }
      }
    }
  }
  assessmentPeriods(first: 10) { totalCount nodes { id year name methodology { code } } }
  methodologies { id code name description firstYear lastYear dimensions { code name weightPercent } bands { code label min max zone } }
  scoreRecords(first: 5) { totalCount nodes { ...score } }
  auditEvents(first: 5) { totalCount nodes { id occurredAt actorLabel action objectType objectId before after reason actor { displayName } } }
}"#;

#[tokio::test]
async fn every_read_field_resolves_on_the_demo_data() {
    let data = Kit::demo_fetch(ADMIN, EVERYTHING).await;
    assert_eq!(data["offices"]["totalCount"], 1);
    assert_eq!(data["districts"]["totalCount"], 7);
    assert!(data["agreements"]["totalCount"].as_i64().unwrap() >= 3);
    assert_eq!(data["methodologies"].as_array().unwrap().len(), 3);
    assert_eq!(data["viewer"]["user"]["email"], ADMIN);
    assert_eq!(data["viewer"]["roles"][0]["role"], "SYSTEM_ADMIN");
    // No period of 2020: there was no assessment that year.
    let years: Vec<i64> = data["assessmentPeriods"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["year"].as_i64().unwrap())
        .collect();
    assert!(!years.contains(&2020));
    assert!(years.contains(&2021));
}

#[tokio::test]
async fn mamuju_tengahs_official_2021_score_is_the_published_97_36_in_zona_hijau() {
    let data = Kit::demo_fetch(
        ADMIN,
        r#"{ districts(first: 10) { nodes { name scoreHistory { total bandCode change period { year } } } } }"#,
    )
    .await;
    let mateng = find(&data["districts"]["nodes"], "name", MATENG).clone();
    let year = |y: i64| in_year(&mateng["scoreHistory"], y);
    assert_eq!(year(2021)["total"], 97.36);
    assert_eq!(year(2021)["bandCode"], "HIJAU");
    assert_eq!(year(2019)["bandCode"], "HIJAU");
    // The change is against the previous assessed period (2019; none in 2020).
    let change = year(2021)["change"].as_f64().unwrap();
    let expected = 97.36 - year(2019)["total"].as_f64().unwrap();
    assert!((change - expected).abs() < 0.005, "{change} vs {expected}");
}

fn names(connection: &Value) -> Vec<String> {
    connection["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["name"].as_str().unwrap().to_owned())
        .collect()
}

const OPDS_PAGE: &str = r#"
query($d: ID!, $first: Int, $after: String, $last: Int, $before: String) {
  opds(filter: { districtId: $d }, first: $first, after: $after, last: $last, before: $before) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { name } }
  }
}"#;

async fn mateng_id(kit: &Kit) -> String {
    let data = kit
        .fetch(ADMIN, r#"{ districts(first: 20) { nodes { id name } } }"#)
        .await;
    find(&data["districts"]["nodes"], "name", MATENG)["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn pages_walk_forward_and_backward_over_the_same_list() {
    let kit = Kit::demo().await;
    let d = mateng_id(&kit).await;
    let all = kit
        .data(ADMIN, OPDS_PAGE, json!({"d": d, "first": 100}))
        .await;
    let everything = names(&all["opds"]);
    let total = all["opds"]["totalCount"].as_u64().unwrap() as usize;
    assert_eq!(everything.len(), total);
    assert!(total > 10);
    let mut sorted = everything.clone();
    sorted.sort();
    assert_eq!(everything, sorted, "ordered by name");

    // Forward in pages of 4.
    let mut forward = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page = kit
            .data(
                ADMIN,
                OPDS_PAGE,
                json!({"d": d, "first": 4, "after": after}),
            )
            .await;
        let info = &page["opds"]["pageInfo"];
        assert_eq!(info["hasPreviousPage"], after.is_some());
        forward.extend(names(&page["opds"]));
        if !info["hasNextPage"].as_bool().unwrap() {
            break;
        }
        after = info["endCursor"].as_str().map(str::to_owned);
    }
    assert_eq!(forward, everything);

    // Backward in pages of 3.
    let mut backward: Vec<String> = Vec::new();
    let mut before: Option<String> = None;
    loop {
        let page = kit
            .data(
                ADMIN,
                OPDS_PAGE,
                json!({"d": d, "last": 3, "before": before}),
            )
            .await;
        let info = &page["opds"]["pageInfo"];
        let mut chunk = names(&page["opds"]);
        chunk.extend(backward);
        backward = chunk;
        if !info["hasPreviousPage"].as_bool().unwrap() {
            break;
        }
        before = info["startCursor"].as_str().map(str::to_owned);
    }
    assert_eq!(backward, everything);

    // An empty page past the end, and zero-size pages.
    let end = kit
        .data(ADMIN, OPDS_PAGE, json!({"d": d, "first": 0}))
        .await;
    assert_eq!(names(&end["opds"]).len(), 0);
    assert_eq!(end["opds"]["pageInfo"]["startCursor"], Value::Null);
}

#[tokio::test]
async fn bad_page_arguments_are_refused_with_the_argument_named() {
    let kit = Kit::demo().await;
    let d = mateng_id(&kit).await;
    for (vars, field) in [
        (json!({"d": d, "first": -1}), "first"),
        (json!({"d": d, "first": 2, "last": 2}), "last"),
        (json!({"d": d, "after": "bm90IGEgY3Vyc29y"}), "after"),
    ] {
        let response = kit.run_as(Some(ADMIN), OPDS_PAGE, vars).await;
        assert_eq!(
            error_code(&response).as_deref(),
            Some("BAD_USER_INPUT"),
            "{response}"
        );
        let fields = &response["errors"][0]["extensions"]["fields"];
        assert_eq!(fields[0], field, "{response}");
    }
    // A district ID where an OPD ID belongs.
    let response = kit
        .run_as(
            Some(ADMIN),
            r#"query($d: ID!) { actionItems(filter: { opdId: $d }) { totalCount } }"#,
            json!({"d": d}),
        )
        .await;
    assert_eq!(error_code(&response).as_deref(), Some("BAD_USER_INPUT"));
    assert!(
        response["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("filter.opdId")
    );
}

#[tokio::test]
async fn action_items_filter_by_status_overdue_and_due_dates() {
    let kit = Kit::demo().await;
    let query = r#"query($f: ActionItemsFilterInput) {
        actionItems(filter: $f, first: 100) { totalCount nodes { status dueOn isOverdue daysOverdue } } }"#;
    let all = kit.fetch(ADMIN, query).await;
    let items = all["actionItems"]["nodes"].as_array().unwrap().clone();
    assert_eq!(
        items.len() as i64,
        all["actionItems"]["totalCount"].as_i64().unwrap()
    );

    let open = kit
        .data(ADMIN, query, json!({"f": {"status": ["OPEN"]}}))
        .await;
    let expected = items.iter().filter(|i| i["status"] == "OPEN").count();
    assert!(expected > 0);
    assert_eq!(open["actionItems"]["totalCount"], expected);

    let overdue = kit
        .data(ADMIN, query, json!({"f": {"overdue": true}}))
        .await;
    let expected = items.iter().filter(|i| i["isOverdue"] == true).count();
    assert!(expected > 0, "the demo has overdue work");
    assert_eq!(overdue["actionItems"]["totalCount"], expected);
    for item in overdue["actionItems"]["nodes"].as_array().unwrap() {
        assert!(item["daysOverdue"].as_i64().unwrap() > 0);
    }
    let not_overdue = kit
        .data(ADMIN, query, json!({"f": {"overdue": false}}))
        .await;
    assert_eq!(
        not_overdue["actionItems"]["totalCount"].as_u64().unwrap() + expected as u64,
        items.len() as u64
    );

    let range = kit
        .data(
            ADMIN,
            query,
            json!({"f": {"dueFrom": "2021-01-01", "dueTo": "2021-12-31"}}),
        )
        .await;
    let expected = items
        .iter()
        .filter(|i| i["dueOn"].as_str().unwrap().starts_with("2021-"))
        .count();
    assert_eq!(range["actionItems"]["totalCount"], expected);

    let backwards = kit
        .run_as(
            Some(ADMIN),
            query,
            json!({"f": {"dueFrom": "2022-01-01", "dueTo": "2021-01-01"}}),
        )
        .await;
    assert_eq!(error_code(&backwards).as_deref(), Some("BAD_USER_INPUT"));
}

#[tokio::test]
async fn node_and_nodes_fetch_by_global_id() {
    let kit = Kit::demo().await;
    let d = mateng_id(&kit).await;
    let data = kit
        .data(
            ADMIN,
            r#"query($id: ID!, $ids: [ID!]!) {
                node(id: $id) { id ... on District { name } }
                nodes(ids: $ids) { id }
            }"#,
            json!({"id": d, "ids": [d, "bm9wZToxMjM", d]}),
        )
        .await;
    assert_eq!(data["node"]["name"], MATENG);
    assert_eq!(data["nodes"][0]["id"], d);
    assert_eq!(data["nodes"][1], Value::Null);
    assert_eq!(data["nodes"][2]["id"], d);
}

#[tokio::test]
async fn anonymous_callers_read_nothing() {
    let kit = Kit::demo().await;
    let response = kit
        .run_as(None, "{ offices { totalCount } }", json!({}))
        .await;
    assert_eq!(error_code(&response).as_deref(), Some("UNAUTHENTICATED"));
    let response = kit.run_as(None, "{ viewer { label } }", json!({})).await;
    assert_eq!(response["data"]["viewer"], Value::Null);
    let response = kit
        .run_as(None, "{ __schema { queryType { name } } }", json!({}))
        .await;
    assert_eq!(response["data"]["__schema"]["queryType"]["name"], "Query");
}

#[tokio::test]
async fn methodology_classifies_totals_and_refuses_out_of_range() {
    let kit = Kit::demo().await;
    let query = r#"query($t: Float!) { methodology(code: "PKP-2022") { classify(total: $t) { code label } } }"#;
    for (total, code) in [
        (88.0, "A"),
        (87.99, "B"),
        (77.995, "B"),
        (53.99, "D"),
        (0.0, "E"),
    ] {
        let data = kit.data(ADMIN, query, json!({"t": total})).await;
        assert_eq!(
            data["methodology"]["classify"]["code"], code,
            "total {total}"
        );
    }
    let response = kit.run_as(Some(ADMIN), query, json!({"t": 100.5})).await;
    assert_eq!(error_code(&response).as_deref(), Some("BAD_USER_INPUT"));
    assert!(
        response["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("total")
    );
}

/// The standard introspection query of GraphQL tools (graphql-js), which nests
/// `ofType` deeply: the depth and complexity limits must still admit it.
const INTROSPECTION: &str = r#"
query IntrospectionQuery {
  __schema {
    queryType { name } mutationType { name } subscriptionType { name }
    types { ...FullType }
    directives { name description locations args { ...InputValue } }
  }
}
fragment FullType on __Type {
  kind name description specifiedByURL
  fields(includeDeprecated: true) { name description args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason }
  inputFields { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
fragment TypeRef on __Type {
  kind name
  ofType { kind name ofType { kind name ofType { kind name ofType { kind name
    ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } }
}"#;

#[tokio::test]
async fn the_standard_introspection_query_passes_the_limits() {
    let kit = Kit::empty().await;
    let response = kit.run_as(None, INTROSPECTION, json!({})).await;
    assert!(response.get("errors").is_none(), "{response:#}");
    let types = response["data"]["__schema"]["types"].as_array().unwrap();
    let date = types.iter().find(|t| t["name"] == "Date").unwrap();
    assert_eq!(date["kind"], "SCALAR");
    assert!(
        date["specifiedByURL"]
            .as_str()
            .unwrap()
            .starts_with("https://")
    );
}

#[tokio::test]
async fn too_deep_or_too_costly_queries_are_refused() {
    let kit = Kit::demo().await;
    let deep = format!(
        "{{ offices(first: 1) {{ nodes {{ {} }} }} }}",
        "districts(first: 1) { nodes { office { ".repeat(6) + "id" + &" } } }".repeat(6)
    );
    let response = kit.run_as(Some(ADMIN), &deep, json!({})).await;
    assert!(
        response["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("too deep"),
        "{response}"
    );
    let costly = "{ opds(first: 100) { nodes { actionItems(first: 100) { nodes { evidence(first: 100) { nodes { name } } } } } } }";
    let response = kit.run_as(Some(ADMIN), costly, json!({})).await;
    assert!(
        response["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("too complex"),
        "{response}"
    );
}

#[tokio::test]
async fn an_items_history_keeps_its_rejection_reasons_and_is_read_through_the_item() {
    let kit = Kit::demo().await;
    let query = r#"{ actionItems(first: 100) { nodes { title rejectionCount status history { action reason actorLabel } } } }"#;
    // The RSUD officer reads the history of the RSUD's own items, though not the office's audit log.
    let data = kit.fetch(RSUD_OFFICER, query).await;
    let items = data["actionItems"]["nodes"].as_array().unwrap();
    assert!(!items.is_empty());
    let rejected: Vec<&Value> = items
        .iter()
        .filter(|i| i["rejectionCount"].as_i64().unwrap() > 0)
        .collect();
    assert!(
        !rejected.is_empty(),
        "the RSUD complaint-handling item was rejected once"
    );
    for item in rejected {
        let history = item["history"].as_array().unwrap();
        assert_eq!(history[0]["action"], "ACTION_ITEM_RAISED");
        let reasons: Vec<&Value> = history
            .iter()
            .filter(|e| e["action"] == "ACTION_ITEM_REJECTED")
            .map(|e| &e["reason"])
            .collect();
        assert_eq!(
            reasons.len() as i64,
            item["rejectionCount"].as_i64().unwrap()
        );
        assert!(
            reasons
                .iter()
                .all(|r| r.as_str().is_some_and(|r| !r.is_empty()))
        );
    }
    let log = kit
        .fetch(RSUD_OFFICER, "{ auditEvents { totalCount } }")
        .await;
    assert_eq!(log["auditEvents"]["totalCount"], 0);
}
