//! Answers kept for repeated read-only queries: on PostgreSQL an answer is
//! reused while nothing has committed (through this server or any other
//! process), only for the same caller, and never for mutations or answers
//! with errors. SQLite keeps none.

use serde_json::{Value, json};

use crate::server::{Server, fresh_database_url, login};

const PASSWORD: &str = "pendamping-demo";

/// The RSUD officer's open items: what a wall dashboard would refresh.
const OPEN_ITEMS: &str =
    "{ actionItems(filter: { status: [OPEN] }, first: 50) { totalCount nodes { id version } } }";

const DISTRICTS: &str = "{ districts(first: 20) { totalCount nodes { name actionItemStats { open overdue verified } } } }";

fn on_postgres() -> bool {
    std::env::var("PENDAMPING_TEST_DATABASE_URL").is_ok_and(|url| !url.is_empty())
}

/// POSTs a query; the `x-cache` header (`hit`, `miss`, or none when the
/// request may not be kept) and the body.
async fn ask(server: &Server, token: Option<&str>, query: &str) -> (Option<String>, Value) {
    let mut request = reqwest::Client::new()
        .post(server.url("/graphql"))
        .header("content-type", "application/json")
        .body(json!({ "query": query }).to_string());
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    let response = request.send().await.unwrap();
    assert_eq!(response.status(), 200);
    let mark = response
        .headers()
        .get("x-cache")
        .map(|v| v.to_str().unwrap().to_owned());
    let mut body: Value = response.json().await.unwrap();
    // `extensions.cost.budgetRemaining` differs between fresh answers by design.
    if let Some(body) = body.as_object_mut() {
        body.remove("extensions");
    }
    (mark, body)
}

/// Asks until the answer is a kept one, checking that every answer on the way
/// is `expected`. PostgreSQL snapshots are cluster-wide, so other tests'
/// commits may make the first tries fresh. SQLite keeps nothing: the first
/// answer is fresh and unmarked.
async fn reused(server: &Server, token: Option<&str>, query: &str, expected: &Value) {
    for _ in 0..100 {
        let (mark, body) = ask(server, token, query).await;
        assert_eq!(&body, expected);
        match mark.as_deref() {
            Some("hit") => return,
            Some("miss") => continue,
            None => {
                assert!(!on_postgres(), "a query is kept on PostgreSQL");
                return;
            }
            Some(other) => panic!("x-cache: {other}"),
        }
    }
    panic!("the answer was never reused");
}

fn marks(expected: &[&str]) -> Vec<Option<String>> {
    if on_postgres() {
        expected.iter().map(|m| Some((*m).to_owned())).collect()
    } else {
        vec![None; expected.len()]
    }
}

#[tokio::test]
async fn a_repeated_query_is_reused_until_anything_commits_through_any_process() {
    let url = fresh_database_url();
    let server = Server::start_with(&url, &["--demo"], &[]);
    let rsud = login(&server, "rsud@mamujutengah.example", PASSWORD).await;

    let (first_mark, first) = ask(&server, Some(&rsud), OPEN_ITEMS).await;
    assert_eq!(vec![first_mark], marks(&["miss"]));
    reused(&server, Some(&rsud), OPEN_ITEMS, &first).await;
    let open = first["data"]["actionItems"]["totalCount"].as_i64().unwrap();
    assert!(open >= 2, "{first}");

    // A transition through the API commits: the next answer is computed afresh.
    let item = &first["data"]["actionItems"]["nodes"][0];
    let (_, started) = ask(
        &server,
        Some(&rsud),
        &format!(
            "mutation {{ startActionItem(input: {{ id: {}, version: {} }}) {{ actionItem {{ status }} }} }}",
            item["id"], item["version"]
        ),
    )
    .await;
    assert_eq!(
        started["data"]["startActionItem"]["actionItem"]["status"], "IN_PROGRESS",
        "{started}"
    );
    let (fresh_mark, fresh) = ask(&server, Some(&rsud), OPEN_ITEMS).await;
    assert_eq!(vec![fresh_mark], marks(&["miss"]));
    assert_eq!(fresh["data"]["actionItems"]["totalCount"], open - 1);
    reused(&server, Some(&rsud), OPEN_ITEMS, &fresh).await;

    // A commit by another process, which this server hears nothing about.
    if on_postgres() {
        let status = std::process::Command::new("psql")
            .arg(&url)
            .arg("-qc")
            .arg("UPDATE action_items SET status = 'IN_PROGRESS', version = version + 1 WHERE status = 'OPEN'")
            .status()
            .unwrap();
        assert!(status.success());
        let (mark, after) = ask(&server, Some(&rsud), OPEN_ITEMS).await;
        assert_eq!(mark.as_deref(), Some("miss"));
        assert_eq!(after["data"]["actionItems"]["totalCount"], 0, "{after}");
    }
}

#[tokio::test]
async fn kept_answers_are_never_shared_between_callers_nor_kept_for_mutations_or_errors() {
    let server = Server::start_demo();
    let admin = login(&server, "admin@demo.example", PASSWORD).await;
    let neighbour = login(&server, "sekda@mamuju.example", PASSWORD).await;

    let (admin_mark, everything) = ask(&server, Some(&admin), DISTRICTS).await;
    reused(&server, Some(&admin), DISTRICTS, &everything).await;
    // The admin's answer is kept now; the neighbour gets its own.
    let (neighbour_mark, own) = ask(&server, Some(&neighbour), DISTRICTS).await;
    assert_eq!(vec![admin_mark, neighbour_mark], marks(&["miss", "miss"]));
    reused(&server, Some(&neighbour), DISTRICTS, &own).await;
    assert_eq!(own["data"]["districts"]["totalCount"], 1, "{own}");
    assert!(
        everything["data"]["districts"]["totalCount"]
            .as_i64()
            .unwrap()
            > 1,
        "{everything}"
    );

    // Anonymous callers get an error, which is never kept.
    let (first, refused) = ask(&server, None, DISTRICTS).await;
    let (second, _) = ask(&server, None, DISTRICTS).await;
    assert!(refused["errors"].is_array(), "{refused}");
    assert_eq!(vec![first, second], marks(&["miss", "miss"]));

    // A mutation is never even considered.
    let wrong = r#"mutation { login(input: { email: "admin@demo.example", password: "salah" }) { token } }"#;
    for _ in 0..2 {
        let (mark, body) = ask(&server, None, wrong).await;
        assert_eq!(mark, None, "{body}");
        assert!(body["data"]["login"]["token"].is_null(), "{body}");
    }
}

#[tokio::test]
async fn dashboards_asking_at_once_share_one_computation() {
    let server = Server::start_demo();
    let sekda = login(&server, "sekda@mamujutengah.example", PASSWORD).await;
    // A new query each round, so each round starts with nothing kept. A round
    // can see other tests' commits on the cluster between its asks; one that
    // sees none computes the answer once.
    for round in 0..20 {
        let query = format!(
            "{{ round{round}: districts(first: 5) {{ nodes {{ name actionItemStats {{ open overdue verified onTimeRate medianDaysToVerify }} }} }} }}"
        );
        let asks = (0..16).map(|_| ask(&server, Some(&sekda), &query));
        let answers = futures_util::future::join_all(asks).await;
        assert!(answers.windows(2).all(|pair| pair[0].1 == pair[1].1));
        if !on_postgres() {
            assert!(answers.iter().all(|(mark, _)| mark.is_none()));
            return;
        }
        let misses = answers
            .iter()
            .filter(|(mark, _)| mark.as_deref() == Some("miss"))
            .count();
        assert!(answers.iter().all(|(mark, _)| mark.is_some()));
        if misses == 1 {
            return;
        }
    }
    panic!("no round of sixteen simultaneous asks shared one computation");
}

#[tokio::test]
async fn with_the_cache_turned_off_every_answer_is_computed_afresh() {
    let server = Server::start(&["--demo"], &[("PENDAMPING_ANSWER_CACHE_MB", "0")]);
    let admin = login(&server, "admin@demo.example", PASSWORD).await;
    let (first_mark, first) = ask(&server, Some(&admin), DISTRICTS).await;
    let (second_mark, second) = ask(&server, Some(&admin), DISTRICTS).await;
    assert_eq!((first_mark, second_mark), (None, None));
    assert_eq!(first, second);
}
