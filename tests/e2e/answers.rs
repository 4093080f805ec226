//! Answers kept for repeated read-only queries, on SQLite and PostgreSQL: an
//! answer is reused while nothing the caller can read has changed (through
//! this server, another server process or `psql`), only for the same caller,
//! and never for mutations or answers with errors. A commit in one district
//! leaves the other districts' answers reused.

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
/// is `expected`.
async fn reused(server: &Server, token: Option<&str>, query: &str, expected: &Value) {
    for _ in 0..100 {
        let (mark, body) = ask(server, token, query).await;
        assert_eq!(&body, expected);
        match mark.as_deref() {
            Some("hit") => return,
            Some("miss") => continue,
            None => panic!("a query is kept"),
            Some(other) => panic!("x-cache: {other}"),
        }
    }
    panic!("the answer was never reused");
}

fn marks(expected: &[&str]) -> Vec<Option<String>> {
    expected.iter().map(|m| Some((*m).to_owned())).collect()
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

/// One district's board, as its own coordinator sees it.
const BOARD: &str = "{ districts(first: 5) { nodes { name actionItemStats { open overdue verified byStatus { status count } } } } }";

/// The first open item a caller sees: its id and version.
async fn an_open_item(server: &Server, token: &str) -> (Value, Value) {
    let (_, items) = ask(server, Some(token), OPEN_ITEMS).await;
    let item = &items["data"]["actionItems"]["nodes"][0];
    assert!(item["id"].is_string(), "{items}");
    (item["id"].clone(), item["version"].clone())
}

/// How many of the board's items are in `status`.
fn in_status(board: &Value, status: &str) -> i64 {
    board["data"]["districts"]["nodes"][0]["actionItemStats"]["byStatus"]
        .as_array()
        .unwrap_or_else(|| panic!("{board}"))
        .iter()
        .find(|count| count["status"] == status)
        .and_then(|count| count["count"].as_i64())
        .unwrap_or_else(|| panic!("{status} in {board}"))
}

/// Two server processes over one database: a transition committed through
/// one makes the other recompute that district's board (and only that
/// one's); a change by raw SQL does the same for its district.
#[tokio::test]
async fn a_commit_in_one_district_leaves_the_other_districts_answers_reused_on_every_server() {
    let url = fresh_database_url();
    let first = Server::start_with(&url, &["--demo"], &[]);
    let second = Server::start_on(&url);
    // What computing afresh gives, to hold the kept answers to.
    let fresh = Server::start_with(&url, &["--answer-cache-mb", "0"], &[]);
    let tengah = login(&first, "sekda@mamujutengah.example", PASSWORD).await;
    let rsud = login(&first, "rsud@mamujutengah.example", PASSWORD).await;
    let mamuju = login(&second, "sekda@mamuju.example", PASSWORD).await;

    // Both boards kept on both servers.
    let mut boards = Vec::new();
    for server in [&first, &second] {
        for token in [&tengah, &mamuju] {
            let (_, board) = ask(server, Some(token), BOARD).await;
            reused(server, Some(token), BOARD, &board).await;
            boards.push(board);
        }
    }
    let (tengah_board, mamuju_board) = (boards[0].clone(), boards[1].clone());
    assert_eq!(boards[2], tengah_board);
    assert_eq!(boards[3], mamuju_board);
    assert_ne!(tengah_board, mamuju_board);

    // A transition in Mamuju Tengah, through the second server.
    let (id, version) = an_open_item(&second, &rsud).await;
    let (_, started) = ask(
        &second,
        Some(&rsud),
        &format!(
            "mutation {{ startActionItem(input: {{ id: {id}, version: {version} }}) {{ actionItem {{ status }} }} }}"
        ),
    )
    .await;
    assert_eq!(
        started["data"]["startActionItem"]["actionItem"]["status"], "IN_PROGRESS",
        "{started}"
    );
    for server in [&first, &second] {
        // Mamuju's board is still the kept one; Mamuju Tengah's is new.
        let (mark, board) = ask(server, Some(&mamuju), BOARD).await;
        assert_eq!((mark.as_deref(), &board), (Some("hit"), &mamuju_board));
        let (mark, board) = ask(server, Some(&tengah), BOARD).await;
        assert_eq!(mark.as_deref(), Some("miss"), "{board}");
        assert_eq!(
            in_status(&board, "IN_PROGRESS"),
            in_status(&tengah_board, "IN_PROGRESS") + 1
        );
        assert_eq!(board, ask(&fresh, Some(&tengah), BOARD).await.1);
        reused(server, Some(&tengah), BOARD, &board).await;
    }

    // A change by raw SQL to Mamuju's items, which no server hears about.
    let sql = "UPDATE action_items SET status = 'IN_PROGRESS', version = version + 1 \
               WHERE status = 'OPEN' AND district_id = \
               (SELECT id FROM districts WHERE name = 'Kabupaten Mamuju')";
    let changed = if on_postgres() {
        std::process::Command::new("psql")
            .arg(&url)
            .arg("-qc")
            .arg(sql)
            .status()
            .unwrap()
    } else {
        let path = url
            .strip_prefix("sqlite://")
            .and_then(|rest| rest.split('?').next())
            .unwrap();
        std::process::Command::new("sqlite3")
            .arg(path)
            .arg(sql)
            .status()
            .expect("the sqlite3 shell runs")
    };
    assert!(changed.success());
    for server in [&first, &second] {
        let (mark, board) = ask(server, Some(&tengah), BOARD).await;
        assert_eq!(mark.as_deref(), Some("hit"), "{board}");
        let (mark, board) = ask(server, Some(&mamuju), BOARD).await;
        assert_eq!(mark.as_deref(), Some("miss"), "{board}");
        assert_eq!(in_status(&board, "OPEN"), 0, "{board}");
        assert!(in_status(&mamuju_board, "OPEN") > 0, "{mamuju_board}");
        assert_eq!(board, ask(&fresh, Some(&mamuju), BOARD).await.1);
    }
}
