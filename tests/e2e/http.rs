//! The server over HTTP: health, login, the README's query, refusals, shutdown.

use serde_json::json;

use crate::server::{Server, graphql, graphql_as, id_where, login};

const README_QUERY: &str = r#"{
  agreements(filter: { status: [ACTIVE, COMPLETED] }, first: 5) {
    nodes {
      title signedOn
      district { name }
      opds { name }
      milestones(first: 10) { nodes { kind title plannedOn status } }
    }
  }
}"#;

#[tokio::test]
async fn the_demo_answers_the_readme_query_over_http() {
    let mut server = Server::start_demo();
    let client = reqwest::Client::new();
    for probe in ["/healthz", "/readyz"] {
        let status = client.get(server.url(probe)).send().await.unwrap().status();
        assert_eq!(status, 200, "{probe}");
    }

    let token = login(&server, "admin@demo.example", "pendamping-demo").await;
    let (status, body) = graphql_as(&server, &token, README_QUERY).await;
    assert_eq!(status, 200, "{body}");
    let agreements = body["data"]["agreements"]["nodes"].as_array().unwrap();
    let mateng = agreements
        .iter()
        .find(|a| {
            a["district"]["name"] == "Kabupaten Mamuju Tengah" && a["signedOn"] == "2021-04-29"
        })
        .expect("Mamuju Tengah's 2021 agreement");
    assert!(!mateng["opds"].as_array().unwrap().is_empty());
    assert!(
        mateng["milestones"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["kind"] == "BIMTEK")
    );

    // GraphiQL for browsers.
    let page = client
        .get(server.url("/graphql"))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    assert!(
        page.text()
            .await
            .unwrap()
            .to_lowercase()
            .contains("graphiql")
    );

    // Graceful shutdown on SIGTERM exits cleanly.
    assert!(server.stop().success());
}

#[tokio::test]
async fn unknown_and_revoked_tokens_get_401_and_logout_ends_a_session() {
    let server = Server::start_demo();
    let (status, body) = graphql_as(&server, "pdp_not-a-token", "{ viewer { label } }").await;
    assert_eq!(status, 401);
    assert_eq!(body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");

    let token = login(&server, "sekda@mamujutengah.example", "pendamping-demo").await;
    let (status, body) = graphql_as(&server, &token, "{ viewer { label } }").await;
    assert_eq!(status, 200);
    assert_eq!(
        body["data"]["viewer"]["label"],
        "Sekretariat Daerah Mamuju Tengah"
    );
    let (_, body) = graphql_as(&server, &token, "mutation { logout { loggedOut } }").await;
    assert_eq!(body["data"]["logout"]["loggedOut"], true);
    let (status, body) = graphql_as(&server, &token, "{ viewer { label } }").await;
    assert_eq!(status, 401);
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("revoked")
    );
}

#[tokio::test]
async fn a_coordinator_cannot_see_the_other_district_over_http() {
    let server = Server::start_demo();
    let admin = login(&server, "admin@demo.example", "pendamping-demo").await;
    let (_, body) = graphql_as(
        &server,
        &admin,
        "{ districts(first: 20) { nodes { id name } } }",
    )
    .await;
    let mamuju = id_where(
        &body["data"]["districts"]["nodes"],
        "name",
        "Kabupaten Mamuju",
    );
    let (_, body) = graphql(
        &server,
        Some(&admin),
        "query($d: ID!) { opds(filter: { districtId: $d }) { totalCount nodes { id } } }",
        json!({"d": mamuju}),
    )
    .await;
    assert!(body["data"]["opds"]["totalCount"].as_i64().unwrap() > 0);
    let mamuju_opd = body["data"]["opds"]["nodes"][0]["id"].clone();

    let sekda = login(&server, "sekda@mamujutengah.example", "pendamping-demo").await;
    let (_, body) = graphql(
        &server,
        Some(&sekda),
        r#"query($d: ID!, $o: ID!) {
            byList: opds(filter: { districtId: $d }) { totalCount nodes { id } }
            byNode: node(id: $o) { id }
            byNodes: nodes(ids: [$d, $o]) { id }
            items: actionItems(filter: { districtId: $d }) { totalCount }
            districts(first: 20) { totalCount nodes { name } }
            scores: scoreRecords(filter: { districtId: $d }) { totalCount }
        }"#,
        json!({"d": mamuju, "o": mamuju_opd}),
    )
    .await;
    let data = &body["data"];
    assert_eq!(data["byList"]["totalCount"], 0, "{body}");
    assert!(data["byNode"].is_null());
    assert!(data["byNodes"][0].is_null() && data["byNodes"][1].is_null());
    assert_eq!(data["items"]["totalCount"], 0);
    assert_eq!(data["districts"]["totalCount"], 1);
    assert_eq!(
        data["districts"]["nodes"][0]["name"],
        "Kabupaten Mamuju Tengah"
    );
    assert_eq!(data["scores"]["totalCount"], 0);
}

#[tokio::test]
async fn passwords_never_appear_in_logs_or_answers() {
    let server = Server::start(&["--demo"], &[("RUST_LOG", "trace")]);
    let token = login(&server, "admin@demo.example", "pendamping-demo").await;
    let (_, wrong) = graphql(
        &server,
        None,
        "mutation { login(input: { email: \"admin@demo.example\", password: \"hunter2-wrong-secret\" }) { token userErrors { code message } } }",
        json!({}),
    )
    .await;
    assert_eq!(
        wrong["data"]["login"]["userErrors"][0]["code"],
        "UNAUTHENTICATED"
    );
    let (_, body) = graphql_as(&server, &token, "{ viewer { user { email displayName } } }").await;
    let logs = server.logs();
    assert!(!logs.is_empty(), "trace logs were written");
    for secret in ["pendamping-demo", "hunter2-wrong-secret", "$argon2"] {
        assert!(!logs.contains(secret), "`{secret}` appears in the logs");
        assert!(!body.to_string().contains(secret));
        assert!(!wrong.to_string().contains(secret));
    }
}

/// Every response carries a request id: the client's own when it sends a
/// sane one, a generated one otherwise (log lines of the request carry it too).
#[tokio::test]
async fn every_response_carries_a_request_id_that_the_log_names() {
    let server = crate::server::Server::start_demo();
    let client = reqwest::Client::new();
    let healthz = client.get(server.url("/healthz")).send().await.unwrap();
    let generated = healthz.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(generated.len() >= 16, "{generated}");
    let given = client
        .post(server.url("/graphql"))
        .header("content-type", "application/json")
        .header("x-request-id", "dashboard-7f3a9c")
        .body(r#"{"query":"{ __typename }"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(given.headers()["x-request-id"], "dashboard-7f3a9c");
    let odd = client
        .get(server.url("/healthz"))
        .header("x-request-id", "a".repeat(300))
        .send()
        .await
        .unwrap();
    assert_ne!(
        odd.headers()["x-request-id"].to_str().unwrap(),
        "a".repeat(300)
    );
    let ready = client.get(server.url("/readyz")).send().await.unwrap();
    assert!(ready.headers().contains_key("x-request-id"));
}
