//! An operator who can see and recover (issue 13, items 3 and 8): metrics at
//! `/metrics` for the operator only, JSON logs carrying the request id the
//! client gets back, the multipart `map` part held to the JSON limit over
//! HTTP, and a server that fails fast while its PostgreSQL database is away
//! and serves again, without a restart, when it returns.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio::net::{TcpListener, TcpStream};

use crate::server::{Server, fresh_database_url, login, post_query};

const PASSWORD: &str = "pendamping-demo";
const ADMIN: &str = "admin@demo.example";

async fn named_query(server: &Server, token: &str) -> (u16, Value) {
    let response = reqwest::Client::new()
        .post(server.url("/graphql"))
        .header("content-type", "application/json")
        .header("authorization", format!("Bearer {token}"))
        .body(
            json!({"query": "query OfficesForMetrics { offices(first: 1) { nodes { id } } }"})
                .to_string(),
        )
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

async fn metrics(server: &Server, headers: &[(&str, &str)]) -> (u16, String) {
    let mut request = reqwest::Client::new().get(server.url("/metrics"));
    for (k, v) in headers {
        request = request.header(*k, *v);
    }
    let response = request.send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

#[tokio::test]
async fn metrics_are_for_the_operator_and_count_requests_by_operation() {
    // A sweep every second: the first runs at start.
    let server = Server::start(
        &["--demo", "--metrics-token", "rahasia-operator"],
        &[("PENDAMPING_SWEEP_INTERVAL_SECS", "1")],
    );
    let token = login(&server, ADMIN, PASSWORD).await;
    let (status, body) = named_query(&server, &token).await;
    assert_eq!(status, 200, "{body}");

    let (status, _) = metrics(&server, &[]).await;
    assert_eq!(status, 403, "no token, no metrics");
    let (status, _) = metrics(&server, &[("authorization", "Bearer salah")]).await;
    assert_eq!(status, 403, "a wrong token, no metrics");
    // The first sweep runs at start, beside the requests above: on a busy
    // machine it may still be running, so wait (a while) for its count.
    let operator = [("authorization", "Bearer rahasia-operator")];
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let (status, text) = loop {
        let (status, text) = metrics(&server, &operator).await;
        if status != 200
            || text.contains("pendamping_sweeper_runs_total{result=\"ok\"}")
            || std::time::Instant::now() > deadline
        {
            break (status, text);
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    };
    assert_eq!(status, 200);
    for series in [
        "pendamping_graphql_requests_total{operation=\"OfficesForMetrics\",outcome=\"ok\"} 1",
        "pendamping_graphql_request_duration_seconds_bucket{le=",
        "pendamping_db_pool_connections ",
        "pendamping_db_pool_max_connections ",
        "pendamping_event_relay_lag_events ",
        "pendamping_webhook_queue_deliveries 0",
        "pendamping_sweeper_runs_total{result=\"ok\"}",
    ] {
        assert!(text.contains(series), "{series} missing from:\n{text}");
    }
    assert!(
        text.contains("pendamping_answer_cache_lookups_total{result=\"miss\"}"),
        "{text}"
    );
    // The login was a request too, by its operation name or as anonymous.
    assert!(text.contains("outcome=\"ok\""));

    // Without a token: the server's own host only, never through a proxy.
    let local = Server::start(&[], &[]);
    let (status, text) = metrics(&local, &[]).await;
    assert_eq!(status, 200, "{text}");
    let (status, _) = metrics(&local, &[("x-forwarded-for", "203.0.113.7")]).await;
    assert_eq!(status, 403, "a proxied request reads no metrics");
}

#[tokio::test]
async fn json_logs_carry_the_request_id_the_client_gets_back() {
    let server = Server::start(
        &["--log-format", "json", "--log", "info,tower_http=debug"],
        &[],
    );
    let response = reqwest::Client::new()
        .post(server.url("/graphql"))
        .header("content-type", "application/json")
        .header("x-request-id", "e2e-permintaan-42")
        .body(json!({"query": "{ __typename }"}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["x-request-id"], "e2e-permintaan-42");
    let generated = reqwest::Client::new()
        .get(server.url("/healthz"))
        .send()
        .await
        .unwrap();
    let id = generated.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(id.len(), 32, "a generated id: {id}");
    tokio::time::sleep(Duration::from_millis(300)).await;
    let logs = server.logs();
    let lines: Vec<Value> = logs
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    assert!(!lines.is_empty());
    for wanted in ["e2e-permintaan-42", id.as_str()] {
        let carried = lines
            .iter()
            .filter(|l| {
                l["spans"]
                    .as_array()
                    .is_some_and(|spans| spans.iter().any(|s| s["id"] == wanted))
            })
            .count();
        assert!(
            carried > 0,
            "no log line carries request id {wanted}:\n{logs}"
        );
    }
}

#[tokio::test]
async fn the_multipart_map_part_is_held_to_the_json_body_limit_over_http() {
    let server = Server::start(&[], &[]);
    let boundary = "pendampingbatas";
    let operations = r#"{"query":"mutation($f: Upload!) { importSpreadsheet(input: {kind: OPDS, file: $f, dryRun: true}) { userErrors { code } } }","variables":{"f":null}}"#;
    // A map just over the 1 MiB JSON limit; before, only the 20 MB file limit held it.
    let padding = " ".repeat(1024 * 1024 + 16);
    let map = format!(r#"{{"0":["variables.f"]{padding}}}"#);
    let mut body = String::new();
    for (name, file, content) in [
        ("operations", None, operations),
        ("map", None, map.as_str()),
        ("0", Some("opd.csv"), "nama\n"),
    ] {
        body.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\""
        ));
        if let Some(file) = file {
            body.push_str(&format!("; filename=\"{file}\"\r\nContent-Type: text/csv"));
        }
        body.push_str(&format!("\r\n\r\n{content}\r\n"));
    }
    body.push_str(&format!("--{boundary}--\r\n"));
    let response = reqwest::Client::new()
        .post(server.url("/graphql"))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .header("accept", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 413);
    let refused: Value = response.json().await.unwrap();
    let error = &refused["errors"][0];
    assert_eq!(
        error["extensions"]["code"], "REQUEST_TOO_LARGE",
        "{refused}"
    );
    assert_eq!(error["extensions"]["part"], "map", "{refused}");
    assert_eq!(error["extensions"]["limit"], 1024 * 1024, "{refused}");
}

/// A TCP proxy in front of PostgreSQL that the test can take down (every
/// connection cut, new ones closed at once, as a stopped server does) and up.
struct Proxy {
    port: u16,
    up: Arc<AtomicBool>,
    connections: Arc<std::sync::Mutex<Vec<tokio::task::AbortHandle>>>,
}

impl Proxy {
    async fn start(upstream: String) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let up = Arc::new(AtomicBool::new(true));
        let connections = Arc::new(std::sync::Mutex::new(Vec::new()));
        let (flag, list) = (up.clone(), connections.clone());
        tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                if !flag.load(Ordering::SeqCst) {
                    drop(client);
                    continue;
                }
                let upstream = upstream.clone();
                let task = tokio::spawn(async move {
                    if let Ok(mut server) = TcpStream::connect(&upstream).await {
                        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                    }
                });
                list.lock().unwrap().push(task.abort_handle());
            }
        });
        Proxy {
            port,
            up,
            connections,
        }
    }

    fn down(&self) {
        self.up.store(false, Ordering::SeqCst);
        for task in self.connections.lock().unwrap().drain(..) {
            task.abort();
        }
    }

    fn up(&self) {
        self.up.store(true, Ordering::SeqCst);
    }
}

async fn ready(server: &Server) -> (u16, Duration) {
    let started = Instant::now();
    let status = reqwest::Client::new()
        .get(server.url("/readyz"))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16();
    (status, started.elapsed())
}

// Several threads: the proxy runs while the test blocks on starting the server.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_the_database_away_the_server_fails_fast_and_recovers_by_itself() {
    let url = fresh_database_url();
    if !url.starts_with("postgres") {
        // SQLite is a file inside the server's process: it cannot be away.
        eprintln!("fail-fast test: PostgreSQL only (set PENDAMPING_TEST_DATABASE_URL)");
        return;
    }
    // postgres://user@host:port/name → the same through the proxy.
    let (head, rest) = url.split_once('@').unwrap();
    let (address, name) = rest.split_once('/').unwrap();
    let proxy = Proxy::start(address.to_owned()).await;
    let proxied = format!("{head}@127.0.0.1:{}/{name}", proxy.port);
    let server = Server::start_with(&proxied, &["--demo", "--answer-cache-mb", "0"], &[]);
    let token = login(&server, ADMIN, PASSWORD).await;
    assert_eq!(ready(&server).await.0, 200);
    assert_eq!(named_query(&server, &token).await.0, 200);

    proxy.down();
    let (status, took) = ready(&server).await;
    println!("database away: /readyz answered {status} in {took:?}");
    assert_eq!(status, 503);
    assert!(took < Duration::from_millis(1500), "/readyz took {took:?}");
    let started = Instant::now();
    let (status, body) = named_query(&server, &token).await;
    let took = started.elapsed();
    println!("database away: a GraphQL request answered {status} in {took:?}: {body}");
    assert!(took < Duration::from_secs(8), "a request hung for {took:?}");
    assert!(status == 503 || status == 200, "{status}: {body}");
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "DATABASE_UNAVAILABLE",
        "{body}"
    );

    proxy.up();
    let back = Instant::now();
    loop {
        if ready(&server).await.0 == 200 && named_query(&server, &token).await.0 == 200 {
            break;
        }
        assert!(
            back.elapsed() < Duration::from_secs(20),
            "the server did not recover"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    println!("database back: serving again after {:?}", back.elapsed());
    let (status, body) = named_query(&server, &token).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.get("errors").is_none(), "{body}");
}

/// One alias of the widest read: a page of 100 action items with their
/// history, comments, evidence and actions.
fn wide(alias: usize) -> String {
    format!(
        "a{alias}: actionItems(first: 100) {{ nodes {{ id title finding status dueOn daysOverdue isOverdue \
         opd {{ name district {{ name }} }} history {{ action actorLabel occurredAt }} \
         comments(first: 100) {{ nodes {{ id body authorLabel createdAt }} }} \
         evidence(first: 100) {{ nodes {{ id }} }} availableActions {{ action enabled reason }} }} }}"
    )
}

async fn post(server: &Server, token: &str, query: &str) -> (Duration, Value) {
    let started = Instant::now();
    let body = post_query(&reqwest::Client::new(), &server.base, token, query).await;
    (started.elapsed(), body)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

/// The figure of issue 13: a small query's latency while the largest allowed
/// query runs 8 times at once (each on its own session: a credential's cost
/// budget holds eight of them). The answer cache is off, so each runs in full.
#[tokio::test]
async fn a_small_query_is_answered_while_eight_of_the_largest_run() {
    let server = Server::start(&["--demo", "--answer-cache-mb", "0"], &[]);
    let small = "{ viewer { label } }";
    let me = login(&server, ADMIN, PASSWORD).await;

    // The largest query the limits accept: as many aliases of the widest read as fit.
    let (_, one) = post(&server, &me, &format!("{{ {} }}", wide(0))).await;
    let cost = one["extensions"]["cost"]["requested"].as_u64().unwrap();
    let limit = one["extensions"]["cost"]["limit"].as_u64().unwrap();
    let aliases = usize::try_from(limit / cost).unwrap().max(1);
    let largest = format!(
        "{{ {} }}",
        (0..aliases).map(wide).collect::<Vec<_>>().join(" ")
    );
    let (took, answer) = post(&server, &me, &largest).await;
    assert!(
        answer.get("errors").is_none(),
        "the largest query runs: {answer}"
    );
    let largest_cost = answer["extensions"]["cost"]["requested"].as_u64().unwrap();
    println!(
        "largest allowed query: {aliases} aliases, cost {largest_cost} of {limit}, {took:?} alone"
    );

    let mut idle = Vec::new();
    for _ in 0..20 {
        idle.push(post(&server, &me, small).await.0);
    }
    idle.sort_unstable();

    let mut sessions = Vec::new();
    for _ in 0..8 {
        sessions.push(login(&server, ADMIN, PASSWORD).await);
    }
    let running = Arc::new(AtomicBool::new(true));
    let mut heavy = Vec::new();
    for token in sessions {
        let (server_url, query, running) = (server.base.clone(), largest.clone(), running.clone());
        heavy.push(tokio::spawn(async move {
            let mut runs = Vec::new();
            while running.load(Ordering::SeqCst) && runs.len() < 3 {
                let started = Instant::now();
                let body = post_query(&reqwest::Client::new(), &server_url, &token, &query).await;
                assert!(
                    body.get("errors").is_none(),
                    "a largest query failed: {}",
                    body["errors"]
                );
                runs.push(started.elapsed());
            }
            runs
        }));
    }
    // Small queries, one after another, while the eight run.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut loaded = Vec::new();
    while !heavy.iter().all(tokio::task::JoinHandle::is_finished) && loaded.len() < 400 {
        let (took, body) = post(&server, &me, small).await;
        assert!(body.get("errors").is_none(), "{body}");
        loaded.push(took);
    }
    running.store(false, Ordering::SeqCst);
    let mut heavy_runs = Vec::new();
    for task in heavy {
        heavy_runs.extend(task.await.unwrap());
    }
    heavy_runs.sort_unstable();
    loaded.sort_unstable();
    assert!(!loaded.is_empty());
    println!(
        "small query alone: p50 {:?}, p95 {:?} ({} runs)",
        percentile(&idle, 0.5),
        percentile(&idle, 0.95),
        idle.len()
    );
    println!(
        "small query while 8 largest run at once: p50 {:?}, p95 {:?}, max {:?} ({} runs); the largest took p50 {:?} each ({} runs)",
        percentile(&loaded, 0.5),
        percentile(&loaded, 0.95),
        loaded[loaded.len() - 1],
        loaded.len(),
        percentile(&heavy_runs, 0.5),
        heavy_runs.len()
    );
    // Nothing starves: no small query waits as long as the request timeout.
    assert!(loaded[loaded.len() - 1] < Duration::from_secs(30));
}

/// Runs `psql` on `url` and returns the single value printed.
fn psql(url: &str, sql: &str) -> String {
    let output = std::process::Command::new("psql")
        .args([url, "-tAc", sql])
        .output()
        .expect("psql runs");
    assert!(
        output.status.success(),
        "{sql}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).trim().to_owned()
}

/// The PostgreSQL backup of docs/operations.md, automated: `pg_dump -Fc` of a
/// served database, `pg_restore` into a new one, the same rows, and a server on
/// the copy that serves the same answers and resumes the event ids.
#[tokio::test]
async fn a_postgresql_database_survives_a_pg_dump_and_pg_restore_round_trip() {
    let url = fresh_database_url();
    if !url.starts_with("postgres") {
        eprintln!(
            "pg_dump round trip: PostgreSQL only (SQLite: `pendamping backup`, tests/e2e/cli.rs)"
        );
        return;
    }
    let server = Server::start_with(&url, &["--demo"], &[]);
    let token = login(&server, ADMIN, PASSWORD).await;
    const COUNT: &str =
        "{ actionItems(first: 1) { totalCount } auditEvents(first: 1) { totalCount } }";
    let before = crate::server::graphql_as(&server, &token, COUNT).await.1;

    let dump = std::env::temp_dir().join(format!("pdp_dump_{}.dump", std::process::id()));
    let status = std::process::Command::new("pg_dump")
        .args(["-Fc", "-f"])
        .arg(&dump)
        .arg(&url)
        .status()
        .expect("pg_dump runs");
    assert!(status.success(), "pg_dump");
    let restored = format!("{}_restored", url.rsplit_once('/').unwrap().1);
    let admin = std::env::var("PENDAMPING_TEST_DATABASE_URL").unwrap();
    psql(&admin, &format!("CREATE DATABASE {restored}"));
    let restored_url = format!("{}/{restored}", url.rsplit_once('/').unwrap().0);
    let status = std::process::Command::new("pg_restore")
        .args(["--no-owner", "-d", &restored_url])
        .arg(&dump)
        .status()
        .expect("pg_restore runs");
    assert!(status.success(), "pg_restore");
    let _ = std::fs::remove_file(&dump);
    for table in [
        "action_items",
        "audit_events",
        "domain_events",
        "users",
        "comments",
    ] {
        let sql = format!("SELECT count(*) FROM {table}");
        assert_eq!(psql(&url, &sql), psql(&restored_url, &sql), "{table}");
    }
    let newest = psql(&url, "SELECT coalesce(max(id), 0) FROM domain_events");

    // A server on the copy: the same answers; new events would follow the old ids.
    let copy = Server::start_with(&restored_url, &[], &[]);
    let token = login(&copy, ADMIN, PASSWORD).await;
    let after = crate::server::graphql_as(&copy, &token, COUNT).await.1;
    assert_eq!(before["data"], after["data"]);
    let sequence_ok = psql(
        &restored_url,
        &format!("SELECT nextval(pg_get_serial_sequence('domain_events', 'id')) > {newest}"),
    );
    assert_eq!(sequence_ok, "t", "the event id sequence was restored");
}
