//! Accounts over HTTP: a Sekda gives an OPD officer an account and the
//! officer's password change ends the old session; logins over the WebSocket
//! are throttled like over HTTP; the client address behind a trusted proxy;
//! the command line's recovery paths.

use std::time::Duration;

use serde_json::{Value, json};

use crate::server::{Server, fresh_database_url, graphql, graphql_as, id_where, login, run_cli};
use crate::ws::{self, Socket};

const PASSWORD: &str = "pendamping-demo";
const SEKDA: &str = "sekda@mamujutengah.example";
const LOGIN: &str = "mutation($i: LoginInput!) { login(input: $i) { token retryAfterSeconds userErrors { field code message } } }";

#[tokio::test]
async fn a_sekda_creates_an_officer_who_logs_in_and_changes_the_password() {
    let server = Server::start_demo();
    let sekda = login(&server, SEKDA, PASSWORD).await;
    let (_, opds) = graphql_as(&server, &sekda, "{ opds(first: 50) { nodes { id kind } } }").await;
    let hospital = id_where(&opds["data"]["opds"]["nodes"], "kind", "HOSPITAL");
    let email = "petugas.rsud@mamujutengah.example";
    let (status, created) = graphql(
        &server,
        Some(&sekda),
        "mutation($i: CreateUserInput!) { createUser(input: $i) { user { id email } userErrors { field code message } } }",
        json!({"i": {"email": email, "displayName": "Petugas RSUD", "password": "first password 2026",
                     "roles": [{"role": "OPD_OFFICER", "scopeId": hospital}]}}),
    )
    .await;
    assert_eq!(status, 200, "{created}");
    assert_eq!(
        created["data"]["createUser"]["userErrors"],
        json!([]),
        "{created}"
    );

    // The officer logs in twice (say, a laptop and a phone), then changes the password on one.
    let old_session = login(&server, email, "first password 2026").await;
    let current = login(&server, email, "first password 2026").await;
    let (_, changed) = graphql(
        &server,
        Some(&current),
        "mutation($i: ChangePasswordInput!) { changePassword(input: $i) { user { email } userErrors { field code message } } }",
        json!({"i": {"oldPassword": "first password 2026", "newPassword": "second password 2026"}}),
    )
    .await;
    assert_eq!(
        changed["data"]["changePassword"]["userErrors"],
        json!([]),
        "{changed}"
    );

    // The old session is gone …
    let (status, body) = graphql_as(&server, &old_session, "{ viewer { label } }").await;
    assert_eq!(status, 401, "{body}");
    assert_eq!(body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");
    // … the one that changed it stays, the new password works and the old one does not.
    let (status, body) = graphql_as(&server, &current, "{ viewer { label } }").await;
    assert_eq!(status, 200, "{body}");
    login(&server, email, "second password 2026").await;
    let (_, refused) = graphql(
        &server,
        None,
        LOGIN,
        json!({"i": {"email": email, "password": "first password 2026"}}),
    )
    .await;
    assert_eq!(refused["data"]["login"]["token"], Value::Null);
    assert_eq!(
        refused["data"]["login"]["userErrors"][0]["code"],
        "UNAUTHENTICATED"
    );
}

async fn ws_connect(server: &Server, token: &str) -> Socket {
    let (mut socket, _) = ws::open(server, token).await;
    let ack = ws_next(&mut socket).await;
    assert_eq!(ack["type"], "connection_ack", "{ack}");
    socket
}

/// The next JSON message (pings answered); the test fails on a timeout or a close.
async fn ws_next(socket: &mut Socket) -> Value {
    ws::next_message(socket, Duration::from_secs(30))
        .await
        .expect("an answer")
        .expect("open")
}

/// `login` as a graphql-ws operation on an authenticated connection.
async fn ws_login(socket: &mut Socket, id: &str, email: &str, password: &str) -> Value {
    ws::send(
        socket,
        json!({"id": id, "type": "subscribe", "payload": {"query": LOGIN,
               "variables": {"i": {"email": email, "password": password}}}}),
    )
    .await;
    let answer = ws_next(socket).await;
    assert_eq!(answer["type"], "next", "{answer}");
    let complete = ws_next(socket).await;
    assert_eq!(complete, json!({"id": id, "type": "complete"}));
    answer["payload"]["data"]["login"].clone()
}

/// A connection's client may not dodge the per-address limit by logging in
/// over the WebSocket: failures over HTTP count there, and failures there
/// count over HTTP.
#[tokio::test]
async fn login_over_the_websocket_is_throttled_exactly_like_over_http() {
    let server = Server::start_demo();
    let viewer = login(&server, "viewer@mamujutengah.example", PASSWORD).await;
    let mut socket = ws_connect(&server, &viewer).await;
    // 19 failures over HTTP and one over the WebSocket, each for another account:
    // only the per-address limit (20) can refuse what follows.
    for i in 0..19 {
        let (_, body) = graphql(
            &server,
            None,
            LOGIN,
            json!({"i": {"email": format!("guess{i}@nowhere.example"), "password": "guess"}}),
        )
        .await;
        assert_eq!(
            body["data"]["login"]["userErrors"][0]["code"],
            "UNAUTHENTICATED"
        );
    }
    let failed = ws_login(&mut socket, "1", "guess19@nowhere.example", "guess").await;
    assert_eq!(
        failed["userErrors"][0]["code"], "UNAUTHENTICATED",
        "{failed}"
    );
    // Now even the right password is refused, over either transport, with when to retry.
    let over_ws = ws_login(&mut socket, "2", SEKDA, PASSWORD).await;
    assert_eq!(over_ws["token"], Value::Null, "{over_ws}");
    assert_eq!(
        over_ws["userErrors"][0]["code"], "RATE_LIMITED",
        "{over_ws}"
    );
    assert!(over_ws["retryAfterSeconds"].as_i64().unwrap() > 0);
    let (_, over_http) = graphql(
        &server,
        None,
        LOGIN,
        json!({"i": {"email": SEKDA, "password": PASSWORD}}),
    )
    .await;
    assert_eq!(
        over_http["data"]["login"]["userErrors"][0]["code"], "RATE_LIMITED",
        "{over_http}"
    );
}

async fn login_from(server: &Server, forwarded_for: &str, email: &str, password: &str) -> Value {
    let response = reqwest::Client::new()
        .post(server.url("/graphql"))
        .header("content-type", "application/json")
        .header("x-forwarded-for", forwarded_for)
        .body(
            json!({"query": LOGIN, "variables": {"i": {"email": email, "password": password}}})
                .to_string(),
        )
        .send()
        .await
        .unwrap();
    let body: Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
    body["data"]["login"].clone()
}

/// Behind a trusted proxy each client has its own per-address limit; without
/// the setting, `X-Forwarded-For` is ignored (anyone could write it).
#[tokio::test]
async fn the_client_address_comes_from_a_trusted_proxy_only() {
    for (trusting, extra) in [
        (true, vec!["--demo", "--trusted-proxy", "127.0.0.1/32"]),
        (false, vec!["--demo"]),
    ] {
        let server = Server::start(&extra, &[]);
        for i in 0..20 {
            let failed = login_from(
                &server,
                "198.51.100.1",
                &format!("guess{i}@nowhere.example"),
                "guess",
            )
            .await;
            assert_eq!(failed["userErrors"][0]["code"], "UNAUTHENTICATED");
        }
        let same = login_from(&server, "198.51.100.1", SEKDA, PASSWORD).await;
        assert_eq!(same["userErrors"][0]["code"], "RATE_LIMITED", "{same}");
        let other = login_from(&server, "198.51.100.2", SEKDA, PASSWORD).await;
        assert_eq!(
            other["token"].is_string(),
            trusting,
            "trusting the proxy: {trusting}: {other}"
        );
    }
}

#[tokio::test]
async fn the_command_line_sets_passwords_and_deactivates_users() {
    let db = fresh_database_url();
    let (ok, _, stderr) = run_cli(&db, &["seed", "demo"], "");
    assert!(ok, "{stderr}");
    let (ok, stdout, stderr) = run_cli(
        &db,
        &["user", "set-password", "--email", SEKDA],
        "a recovered password\n",
    );
    assert!(ok, "{stderr}");
    assert!(
        stdout.contains("set the password of sekda@mamujutengah.example"),
        "{stdout}"
    );
    let (ok, _, stderr) = run_cli(&db, &["user", "set-password", "--email", SEKDA], "short\n");
    assert!(!ok && stderr.contains("password"), "{stderr}");
    let (ok, _, stderr) = run_cli(
        &db,
        &["user", "deactivate", "--email", "rsud@mamujutengah.example"],
        "",
    );
    assert!(ok, "{stderr}");
    let (ok, _, _) = run_cli(
        &db,
        &["user", "deactivate", "--email", "nobody@x.example"],
        "",
    );
    assert!(!ok, "an unknown e-mail is an error");

    let server = Server::start_on(&db);
    login(&server, SEKDA, "a recovered password").await;
    let (_, refused) = graphql(
        &server,
        None,
        LOGIN,
        json!({"i": {"email": "rsud@mamujutengah.example", "password": PASSWORD}}),
    )
    .await;
    assert_eq!(refused["data"]["login"]["token"], Value::Null, "{refused}");
    let (ok, _, stderr) = run_cli(
        &db,
        &["user", "reactivate", "--email", "rsud@mamujutengah.example"],
        "",
    );
    assert!(ok, "{stderr}");
    login(&server, "rsud@mamujutengah.example", PASSWORD).await;
}
