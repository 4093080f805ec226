//! Live events over a real WebSocket (graphql-ws), resuming after a
//! reconnect, scope, two server processes on one PostgreSQL database, and
//! webhooks signed and retried against a test receiver.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;

use crate::server::{Server, fresh_database_url, graphql, graphql_as, login};
use crate::ws::{self, Said, Socket, next_message, next_said, send};

const PASSWORD: &str = "pendamping-demo";
const SUBSCRIPTION: &str = "subscription($f: EventsFilter, $after: ID) { events(filter: $f, after: $after) { id kind occurredAt objectType objectId districtId opdId agreementId payload } }";

/// Opens `/graphql/ws` with the graphql-ws subprotocol and sends `connection_init`;
/// the socket after `connection_ack`, or the close reason.
async fn connect(server: &Server, token: &str) -> Result<Socket, String> {
    let (mut socket, response) = ws::open(server, token).await;
    assert_eq!(
        response.headers()["sec-websocket-protocol"],
        "graphql-transport-ws"
    );
    match next_message(&mut socket, Duration::from_secs(10)).await {
        Some(Ok(m)) if m["type"] == "connection_ack" => Ok(socket),
        Some(Ok(m)) => Err(m.to_string()),
        Some(Err(reason)) => Err(reason),
        None => Err("no answer".into()),
    }
}

async fn subscribe(socket: &mut Socket, id: &str, variables: Value) {
    send(
        socket,
        json!({"id": id, "type": "subscribe", "payload": {"query": SUBSCRIPTION, "variables": variables}}),
    )
    .await;
}

/// The next event delivered, or `None` if none comes within `wait`.
async fn next_event(socket: &mut Socket, wait: Duration) -> Option<Value> {
    let message = next_message(socket, wait).await?;
    let message = message.unwrap_or_else(|reason| panic!("socket closed: {reason}"));
    assert_eq!(message["type"], "next", "{message}");
    assert!(message["payload"].get("errors").is_none(), "{message}");
    Some(message["payload"]["data"]["events"].clone())
}

/// The RSUD's OPEN action items (id, version), as its officer sees them.
async fn open_items(server: &Server, token: &str) -> Vec<(String, i64)> {
    let (_, body) = graphql_as(
        server,
        token,
        "{ actionItems(filter: { status: [OPEN] }, first: 50) { nodes { id version } } }",
    )
    .await;
    body["data"]["actionItems"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["id"].as_str().unwrap().to_owned(),
                n["version"].as_i64().unwrap(),
            )
        })
        .collect()
}

async fn start_item(server: &Server, token: &str, item: &(String, i64)) {
    let (status, body) = graphql(
        server,
        Some(token),
        "mutation($i: ID!, $v: Int!) { startActionItem(input: { id: $i, version: $v }) { actionItem { status } userErrors { code message } } }",
        json!({"i": item.0, "v": item.1}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["data"]["startActionItem"]["actionItem"]["status"], "IN_PROGRESS",
        "{body}"
    );
}

#[tokio::test]
async fn a_dashboard_hears_transitions_in_its_scope_over_websocket_and_others_do_not() {
    let server = Server::start_demo();
    let rsud = login(&server, "rsud@mamujutengah.example", PASSWORD).await;
    let sekda = login(&server, "sekda@mamujutengah.example", PASSWORD).await;
    let neighbour = login(&server, "sekda@mamuju.example", PASSWORD).await;

    let refused = connect(&server, "pdp_not-a-token").await;
    assert!(
        refused.is_err(),
        "a bad token is refused at connection_init"
    );

    let mut inside = connect(&server, &sekda).await.unwrap();
    subscribe(&mut inside, "1", json!({})).await;
    let mut outside = connect(&server, &neighbour).await.unwrap();
    // From the beginning of the log: nothing of Mamuju Tengah, ever.
    subscribe(&mut outside, "1", json!({"after": "0"})).await;
    let mut started_only = connect(&server, &sekda).await.unwrap();
    subscribe(
        &mut started_only,
        "1",
        json!({"f": {"kinds": ["ACTION_ITEM_VERIFIED"]}}),
    )
    .await;
    // Let the subscriptions register before the change.
    tokio::time::sleep(Duration::from_millis(300)).await;

    let item = open_items(&server, &rsud).await.remove(0);
    start_item(&server, &rsud, &item).await;

    let event = next_event(&mut inside, Duration::from_secs(10))
        .await
        .expect("the coordinator hears the start");
    assert_eq!(event["kind"], "ACTION_ITEM_STARTED");
    assert_eq!(event["objectType"], "ActionItem");
    assert_eq!(event["objectId"], item.0.as_str());
    assert!(event["id"].as_str().unwrap().parse::<i64>().unwrap() > 0);
    assert!(event["occurredAt"].as_str().unwrap().ends_with('Z'));
    assert!(!event["agreementId"].is_null(), "{event}");

    // Out of scope and filtered out: nothing arrives.
    for socket in [&mut outside, &mut started_only] {
        assert_eq!(next_event(socket, Duration::from_millis(1500)).await, None);
    }
}

#[tokio::test]
async fn a_subscriber_that_reconnects_resumes_after_the_last_event_without_a_gap() {
    let server = Server::start_demo();
    let rsud = login(&server, "rsud@mamujutengah.example", PASSWORD).await;
    let dukcapil = login(&server, "dukcapil@mamujutengah.example", PASSWORD).await;
    let viewer = login(&server, "viewer@mamujutengah.example", PASSWORD).await;
    // Three OPEN items of the district, each with the officer who may start it.
    let mut starts: Vec<(String, (String, i64))> = Vec::new();
    for officer in [&rsud, &dukcapil] {
        for item in open_items(&server, officer).await {
            starts.push((officer.clone(), item));
        }
    }
    assert!(
        starts.len() >= 3,
        "the demo has OPEN items at the RSUD and Dukcapil"
    );
    let items: Vec<(String, i64)> = starts.iter().map(|(_, item)| item.clone()).collect();

    let mut socket = connect(&server, &viewer).await.unwrap();
    subscribe(&mut socket, "a", json!({})).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    start_item(&server, &starts[0].0, &items[0]).await;
    let first = next_event(&mut socket, Duration::from_secs(10))
        .await
        .unwrap();
    let last_seen = first["id"].as_str().unwrap().to_owned();
    socket.close(None).await.unwrap();

    // While disconnected, two more items start.
    start_item(&server, &starts[1].0, &items[1]).await;
    start_item(&server, &starts[2].0, &items[2]).await;

    let mut socket = connect(&server, &viewer).await.unwrap();
    subscribe(&mut socket, "b", json!({"after": last_seen})).await;
    let missed: Vec<Value> = vec![
        next_event(&mut socket, Duration::from_secs(10))
            .await
            .unwrap(),
        next_event(&mut socket, Duration::from_secs(10))
            .await
            .unwrap(),
    ];
    assert_eq!(missed[0]["objectId"], items[1].0.as_str());
    assert_eq!(missed[1]["objectId"], items[2].0.as_str());
    let ids: Vec<i64> = missed
        .iter()
        .map(|e| e["id"].as_str().unwrap().parse().unwrap())
        .collect();
    assert!(ids[0] > last_seen.parse::<i64>().unwrap() && ids[1] > ids[0]);
    // Nothing twice.
    assert_eq!(
        next_event(&mut socket, Duration::from_millis(800)).await,
        None
    );
}

/// Two `serve` processes on one PostgreSQL database: a change made through one
/// reaches a subscriber of the other (LISTEN/NOTIFY). Prints the latency.
#[tokio::test]
async fn an_event_committed_by_one_process_reaches_subscribers_of_another() {
    if std::env::var("PENDAMPING_TEST_DATABASE_URL").map_or(true, |u| u.is_empty()) {
        println!("two-process event delivery: PostgreSQL only (set PENDAMPING_TEST_DATABASE_URL)");
        return;
    }
    let url = fresh_database_url();
    let writer = Server::start_with(&url, &["--demo"], &[]);
    // A slow safety-net poll, so what is measured is the NOTIFY path.
    let reader = Server::start_with(&url, &[], &[("PENDAMPING_EVENT_POLL_MS", "60000")]);
    let rsud = login(&writer, "rsud@mamujutengah.example", PASSWORD).await;
    let sekda = login(&reader, "sekda@mamujutengah.example", PASSWORD).await;
    let mut socket = connect(&reader, &sekda).await.unwrap();
    subscribe(
        &mut socket,
        "x",
        json!({"f": {"kinds": ["ACTION_ITEM_STARTED"]}}),
    )
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;

    let items = open_items(&writer, &rsud).await;
    let mut latencies = Vec::new();
    for item in items.iter().take(5) {
        let sent = Instant::now();
        start_item(&writer, &rsud, item).await;
        let committed = sent.elapsed();
        let event = next_event(&mut socket, Duration::from_secs(10))
            .await
            .expect("the other process delivers the event");
        let arrived = sent.elapsed();
        assert_eq!(event["objectId"], item.0.as_str());
        latencies.push((arrived, arrived.saturating_sub(committed)));
    }
    assert!(!latencies.is_empty());
    let mut after_commit: Vec<Duration> = latencies.iter().map(|l| l.1).collect();
    after_commit.sort();
    println!(
        "two-process event delivery over PostgreSQL LISTEN/NOTIFY, {} events: \
         mutation sent → event on the other process: {:?}; \
         after the mutation's response: median {:?}, max {:?}",
        latencies.len(),
        latencies.iter().map(|l| l.0).collect::<Vec<_>>(),
        after_commit[after_commit.len() / 2],
        after_commit[after_commit.len() - 1],
    );
}

/// What the test receiver saw: headers of interest and the body.
#[derive(Debug, Clone)]
struct Received {
    signature: String,
    event_id: String,
    body: String,
}

/// An HTTP receiver on loopback that fails the first `failures` requests with 500.
async fn receiver(failures: usize) -> (String, Arc<Mutex<Vec<Received>>>) {
    use axum::http::{HeaderMap, StatusCode};
    let seen: Arc<Mutex<Vec<Received>>> = Arc::default();
    let log = seen.clone();
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: HeaderMap, body: String| {
            let log = log.clone();
            async move {
                let header = |name: &str| {
                    headers
                        .get(name)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or_default()
                        .to_owned()
                };
                let mut log = log.lock().unwrap();
                log.push(Received {
                    signature: header("pendamping-signature"),
                    event_id: header("pendamping-event-id"),
                    body,
                });
                if log.len() <= failures {
                    StatusCode::INTERNAL_SERVER_ERROR
                } else {
                    StatusCode::NO_CONTENT
                }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    (format!("http://{address}/hook"), seen)
}

/// The receiver's side of docs/events.md: recompute the HMAC and compare.
fn verify(secret: &str, signature: &str, body: &str) -> bool {
    let mut parts = signature.split(',');
    let t = parts
        .next()
        .and_then(|p| p.strip_prefix("t="))
        .unwrap_or_default();
    let v1 = parts
        .next()
        .and_then(|p| p.strip_prefix("v1="))
        .unwrap_or_default();
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{t}.{body}").as_bytes());
    let expected: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    !t.is_empty() && expected == v1
}

#[tokio::test]
async fn webhooks_are_signed_and_retried_until_the_receiver_accepts() {
    let (hook_url, seen) = receiver(2).await;
    let server = Server::start(
        &["--demo"],
        &[
            ("PENDAMPING_WEBHOOK_ALLOW_HTTP_LOOPBACK", "true"),
            ("PENDAMPING_WEBHOOK_RETRY_BASE_MS", "100"),
        ],
    );
    let admin = login(&server, "admin@demo.example", PASSWORD).await;
    let rsud = login(&server, "rsud@mamujutengah.example", PASSWORD).await;

    // Plain http elsewhere than loopback is refused, naming the field.
    let (_, body) = graphql(
        &server,
        Some(&admin),
        "mutation($i: RegisterWebhookInput!) { registerWebhook(input: $i) { secret userErrors { field code } } }",
        json!({"i": {"url": "http://gateway.example/hook"}}),
    )
    .await;
    assert_eq!(
        body["data"]["registerWebhook"]["userErrors"][0]["field"],
        json!(["input", "url"]),
        "{body}"
    );
    // Internal addresses are refused even over https (loopback is allowed here by the flag).
    for internal in [
        "https://169.254.169.254/latest/meta-data",
        "https://10.0.0.5/hook",
        "https://[fd00::1]/hook",
    ] {
        let (_, body) = graphql(
            &server,
            Some(&admin),
            "mutation($i: RegisterWebhookInput!) { registerWebhook(input: $i) { secret userErrors { field code } } }",
            json!({"i": {"url": internal}}),
        )
        .await;
        let refused = &body["data"]["registerWebhook"];
        assert!(refused["secret"].is_null(), "{internal}: {body}");
        assert_eq!(
            refused["userErrors"][0]["field"],
            json!(["input", "url"]),
            "{internal}: {body}"
        );
    }
    // Only admins register webhooks.
    let (_, body) = graphql(
        &server,
        Some(&rsud),
        "mutation($i: RegisterWebhookInput!) { registerWebhook(input: $i) { secret userErrors { code } } }",
        json!({"i": {"url": hook_url}}),
    )
    .await;
    assert_eq!(
        body["data"]["registerWebhook"]["userErrors"][0]["code"], "FORBIDDEN",
        "{body}"
    );

    let (_, body) = graphql(
        &server,
        Some(&admin),
        "mutation($i: RegisterWebhookInput!) { registerWebhook(input: $i) { webhook { id kinds active } secret userErrors { code message } } }",
        json!({"i": {"url": hook_url, "kinds": ["ACTION_ITEM_STARTED"]}}),
    )
    .await;
    let secret = body["data"]["registerWebhook"]["secret"]
        .as_str()
        .unwrap_or_else(|| panic!("{body}"))
        .to_owned();

    let item = open_items(&server, &rsud).await.remove(0);
    start_item(&server, &rsud, &item).await;

    let deadline = Instant::now() + Duration::from_secs(20);
    while seen.lock().unwrap().len() < 3 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let received = seen.lock().unwrap().clone();
    assert_eq!(
        received.len(),
        3,
        "two failures, then accepted: {received:?}\n{}",
        server.logs()
    );
    for r in &received {
        assert!(
            verify(&secret, &r.signature, &r.body),
            "signature checks: {r:?}"
        );
        assert!(!verify("another secret", &r.signature, &r.body));
        let event: Value = serde_json::from_str(&r.body).unwrap();
        assert_eq!(event["kind"], "ACTION_ITEM_STARTED");
        assert_eq!(event["objectId"], item.0.as_str());
        assert_eq!(event["id"], r.event_id.as_str());
    }

    // The delivery log: delivered on the third attempt. Wait for the row to be written.
    let mut delivery = Value::Null;
    for _ in 0..50 {
        let (_, body) = graphql_as(&server, &admin, "{ webhooks { id active recentDeliveries { eventId status attempts lastStatusCode lastError deliveredAt } } }")
        .await;
        delivery = body["data"]["webhooks"][0]["recentDeliveries"][0].clone();
        if delivery["status"] == "DELIVERED" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(delivery["status"], "DELIVERED", "{delivery}");
    assert_eq!(delivery["attempts"], 3);
    assert_eq!(delivery["lastStatusCode"], 204);
    // Non-admins see no webhooks.
    let (_, body) = graphql_as(&server, &rsud, "{ webhooks { id } }").await;
    assert_eq!(body["data"]["webhooks"], json!([]));
}

/// Reads until the server closes the socket; the close code and reason, or
/// `None` when nothing closes it within `wait`. Events delivered meanwhile are counted.
async fn closed_within(socket: &mut Socket, wait: Duration) -> Option<(u16, String, usize)> {
    let deadline = tokio::time::Instant::now() + wait;
    let mut delivered = 0;
    loop {
        match next_said(socket, deadline).await? {
            Said::Json(_) => delivered += 1,
            Said::Closed(code, reason) => return Some((code, reason, delivered)),
        }
    }
}

/// Issues a dashboard token for the first district the admin sees; (token, token id).
async fn dashboard_token(
    server: &Server,
    admin: &str,
    expires_at: Option<String>,
) -> (String, String) {
    let (_, body) = graphql_as(server, admin, "{ districts(first: 1) { nodes { id } } }").await;
    let district = body["data"]["districts"]["nodes"][0]["id"].clone();
    let (_, body) = graphql(
        server,
        Some(admin),
        "mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { token tokenId userErrors { field message } } }",
        json!({"i": {"label": "wall screen", "scopeId": district, "expiresAt": expires_at}}),
    )
    .await;
    let payload = &body["data"]["createApiToken"];
    (
        payload["token"]
            .as_str()
            .unwrap_or_else(|| panic!("{body}"))
            .to_owned(),
        payload["tokenId"]
            .as_str()
            .unwrap_or_else(|| panic!("{body}"))
            .to_owned(),
    )
}

/// Logout, revocation and expiry each close the WebSockets that authenticated
/// with the credential (graphql-ws close code 4401) within a few seconds. On
/// PostgreSQL the credential ends on another process than the one serving the
/// socket. Prints the time from the end of the credential to the close.
#[tokio::test]
async fn a_credential_that_ends_closes_its_websockets_within_seconds() {
    let postgres = std::env::var("PENDAMPING_TEST_DATABASE_URL").is_ok_and(|u| !u.is_empty());
    let url = fresh_database_url();
    let writer = Server::start_with(&url, &["--demo"], &[]);
    let second;
    let reader = if postgres {
        second = Server::start_with(&url, &[], &[]);
        &second
    } else {
        &writer
    };
    let admin = login(&writer, "admin@demo.example", PASSWORD).await;
    let sekda = login(&writer, "sekda@mamujutengah.example", PASSWORD).await;
    let mut measured = Vec::new();

    // 1. Logout ends the session's sockets.
    let mut socket = connect(reader, &sekda).await.unwrap();
    subscribe(&mut socket, "1", json!({})).await;
    let mut other = connect(reader, &admin).await.unwrap();
    subscribe(&mut other, "1", json!({})).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let ended = Instant::now();
    let (_, body) = graphql_as(&writer, &sekda, "mutation { logout { loggedOut } }").await;
    assert_eq!(body["data"]["logout"]["loggedOut"], true, "{body}");
    let closed = closed_within(&mut socket, Duration::from_secs(5)).await;
    let (code, reason, _) =
        closed.unwrap_or_else(|| panic!("the socket stays open after logout\n{}", reader.logs()));
    measured.push(("logout", ended.elapsed()));
    assert_eq!(code, 4401, "{reason}");
    // Another credential's socket stays open.
    assert_eq!(
        closed_within(&mut other, Duration::from_millis(1500)).await,
        None
    );
    // And the ended session cannot open a new one.
    assert!(connect(reader, &sekda).await.is_err());

    // 2. Revoking a dashboard token ends its sockets.
    let (token, token_id) = dashboard_token(&writer, &admin, None).await;
    let mut socket = connect(reader, &token).await.unwrap();
    subscribe(&mut socket, "1", json!({})).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let ended = Instant::now();
    let (_, body) = graphql(
        &writer,
        Some(&admin),
        "mutation($i: RevokeApiTokenInput!) { revokeApiToken(input: $i) { revoked } }",
        json!({"i": {"tokenId": token_id}}),
    )
    .await;
    assert_eq!(body["data"]["revokeApiToken"]["revoked"], true, "{body}");
    let (code, reason, _) = closed_within(&mut socket, Duration::from_secs(5))
        .await
        .expect("the socket closes after revocation");
    measured.push(("revocation", ended.elapsed()));
    assert_eq!(code, 4401, "{reason}");

    // 3. A token that expires ends its sockets when it expires.
    // The server's clock is the system clock: an expiry three seconds away, in whole seconds.
    let wall = || chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now());
    let expires = wall() + chrono::Duration::seconds(3);
    let expires =
        expires - chrono::Duration::nanoseconds(i64::from(expires.timestamp_subsec_nanos()));
    let (token, _) = dashboard_token(
        &writer,
        &admin,
        Some(expires.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
    )
    .await;
    let mut socket = connect(reader, &token).await.unwrap();
    subscribe(&mut socket, "1", json!({})).await;
    let (code, reason, _) = closed_within(&mut socket, Duration::from_secs(10))
        .await
        .expect("the socket closes when the token expires");
    let late = (wall() - expires).to_std().unwrap_or_default();
    measured.push(("expiry", late));
    assert_eq!(code, 4401, "{reason}");

    for (what, took) in &measured {
        assert!(*took < Duration::from_secs(4), "{what}: {took:?}");
    }
    println!(
        "credential ended → WebSocket closed ({}): {measured:?}",
        if postgres {
            "PostgreSQL, across two processes"
        } else {
            "SQLite, one process"
        }
    );
}

/// A whole flow at TRACE — login, HTTP with the token, a dashboard token, a
/// WebSocket authenticated with each, a mutation, logout — and no password
/// or token it used appears in the server's logs (the WebSocket library's
/// frame logs included).
#[tokio::test]
async fn no_secret_of_a_full_flow_appears_in_trace_logs() {
    let server = Server::start(&["--demo"], &[("RUST_LOG", "trace")]);
    let admin = login(&server, "admin@demo.example", PASSWORD).await;
    let rsud = login(&server, "rsud@mamujutengah.example", PASSWORD).await;
    let (dashboard, _) = dashboard_token(&server, &admin, None).await;
    let mut sockets = Vec::new();
    for token in [&rsud, &dashboard] {
        let mut socket = connect(&server, token).await.unwrap();
        subscribe(&mut socket, "1", json!({})).await;
        sockets.push(socket);
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let item = open_items(&server, &rsud).await.remove(0);
    start_item(&server, &rsud, &item).await;
    assert!(
        next_event(&mut sockets[0], Duration::from_secs(10))
            .await
            .is_some()
    );
    let (_, body) = graphql_as(&server, &rsud, "mutation { logout { loggedOut } }").await;
    assert_eq!(body["data"]["logout"]["loggedOut"], true);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let logs = server.logs();
    assert!(logs.len() > 10_000, "trace logs were written");
    for (what, secret) in [
        ("the password", PASSWORD),
        ("the admin's session token", admin.as_str()),
        ("the officer's session token", rsud.as_str()),
        ("the dashboard token", dashboard.as_str()),
    ] {
        assert!(!logs.contains(secret), "{what} appears in the trace logs");
        // Nor any long piece of it (a token split across a frame dump).
        let piece = &secret[secret.len().saturating_sub(16)..];
        assert!(
            !logs.contains(piece),
            "part of {what} appears in the trace logs"
        );
    }
}
