//! Starting and stopping the real server.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use serde_json::{Value, json};

static NEXT: AtomicU64 = AtomicU64::new(0);

/// A database URL for one test: a fresh PostgreSQL database when
/// `PENDAMPING_TEST_DATABASE_URL` names a server, else a fresh SQLite file.
pub fn fresh_database_url() -> String {
    let n = NEXT.fetch_add(1, Ordering::SeqCst);
    let name = format!("pdp_e2e_{}_{n}", std::process::id());
    match std::env::var("PENDAMPING_TEST_DATABASE_URL") {
        Ok(admin) if !admin.is_empty() => {
            let status = Command::new("psql")
                .arg(&admin)
                .arg("-qc")
                .arg(format!("CREATE DATABASE {name}"))
                .status()
                .expect("psql runs");
            assert!(status.success(), "created database {name}");
            let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin);
            format!("{base}/{name}")
        }
        _ => {
            let path = std::env::temp_dir().join(format!("{name}.db"));
            format!("sqlite://{}?mode=rwc", path.display())
        }
    }
}

pub fn binary() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_pendamping"));
    command.env_remove("RUST_LOG");
    command
}

/// A running server, stopped (SIGTERM) when dropped.
pub struct Server {
    pub child: Child,
    pub base: String,
    pub stderr_path: std::path::PathBuf,
}

impl Server {
    /// Starts `pendamping serve --demo` on a free port.
    pub fn start_demo() -> Server {
        Server::start(&["--demo"], &[])
    }

    pub fn start(extra: &[&str], env: &[(&str, &str)]) -> Server {
        Server::start_with(&fresh_database_url(), extra, env)
    }

    /// Starts `pendamping serve` on an existing database.
    pub fn start_on(database_url: &str) -> Server {
        Server::start_with(database_url, &[], &[])
    }

    pub fn start_with(database_url: &str, extra: &[&str], env: &[(&str, &str)]) -> Server {
        let n = NEXT.fetch_add(1, Ordering::SeqCst);
        let stderr_path =
            std::env::temp_dir().join(format!("pdp_e2e_{}_{n}.log", std::process::id()));
        let stderr = std::fs::File::create(&stderr_path).unwrap();
        let mut command = binary();
        command
            .args([
                "serve",
                "--bind",
                "127.0.0.1:0",
                "--database-url",
                database_url,
            ])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::from(stderr));
        // The deadline sweeper would add reminder events to what event tests
        // hear; it is tested on its own (`sweep` here, and the engine's tests).
        command.env("PENDAMPING_SWEEP_INTERVAL_SECS", "0");
        for (k, v) in env {
            command.env(k, v);
        }
        let mut child = command.spawn().expect("server starts");
        let stdout = child.stdout.take().unwrap();
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).unwrap();
        let base = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("unexpected first line: {line:?}"))
            .to_owned();
        Server {
            child,
            base,
            stderr_path,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn logs(&self) -> String {
        std::fs::read_to_string(&self.stderr_path).unwrap_or_default()
    }

    /// Sends SIGTERM and waits; the exit status.
    pub fn stop(&mut self) -> std::process::ExitStatus {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        for _ in 0..100 {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        self.child.wait().unwrap()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// POSTs a GraphQL request; returns status and JSON body.
pub async fn graphql(
    server: &Server,
    token: Option<&str>,
    query: &str,
    variables: Value,
) -> (u16, Value) {
    let client = reqwest::Client::new();
    let mut request = client
        .post(server.url("/graphql"))
        .header("content-type", "application/json")
        .header("accept", "application/graphql-response+json")
        .body(json!({ "query": query, "variables": variables }).to_string());
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

/// POSTs a GraphQL request without variables, with a bearer token; status and JSON body.
pub async fn graphql_as(server: &Server, token: &str, query: &str) -> (u16, Value) {
    graphql(server, Some(token), query, json!({})).await
}

/// GETs `path` of the server, with a bearer token when there is one.
pub async fn get(server: &Server, token: Option<&str>, path: &str) -> reqwest::Response {
    let mut request = reqwest::Client::new().get(server.url(path));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.unwrap()
}

/// Asserts that `path` refuses (401) a caller without a bearer token.
pub async fn assert_needs_a_token(server: &Server, path: &str) {
    assert_eq!(get(server, None, path).await.status(), 401, "{path}");
}

/// Logs in a demo user over HTTP; the bearer token.
pub async fn login(server: &Server, email: &str, password: &str) -> String {
    let (status, body) = graphql(
        server,
        None,
        "mutation($i: LoginInput!) { login(input: $i) { token userErrors { code message } } }",
        json!({"i": {"email": email, "password": password}}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    body["data"]["login"]["token"]
        .as_str()
        .unwrap_or_else(|| panic!("login failed: {body}"))
        .to_owned()
}

/// Runs the binary with arguments and standard input; (success, stdout, stderr).
pub fn run_cli(database_url: &str, args: &[&str], stdin: &str) -> (bool, String, String) {
    let mut child = binary()
        .arg("--database-url")
        .arg(database_url)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// A GraphQL multipart request (the upload spec): `operations` whose one file,
/// at `variables.input.file`, is `bytes` named `file_name`; (content type, body).
pub fn multipart(operations: Value, file_name: &str, media_type: &str, bytes: &[u8]) -> Upload {
    let boundary = "pendampingBOUNDARY";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"operations\"\r\n\r\n{operations}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"map\"\r\n\r\n{{\"0\":[\"variables.input.file\"]}}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"0\"; filename=\"{file_name}\"\r\nContent-Type: {media_type}\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    Upload {
        content_type: format!("multipart/form-data; boundary={boundary}"),
        body,
    }
}

/// A multipart request's content type and body.
pub struct Upload {
    pub content_type: String,
    pub body: Vec<u8>,
}

/// POSTs a multipart GraphQL request with a bearer token; status and JSON body.
pub async fn post_upload(server: &Server, token: &str, upload: Upload) -> (u16, Value) {
    let response = reqwest::Client::new()
        .post(server.url("/graphql"))
        .bearer_auth(token)
        .header("content-type", upload.content_type)
        .body(upload.body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

/// The `id` of the first of `nodes` whose `field` is `value`.
pub fn id_where(nodes: &Value, field: &str, value: &str) -> Value {
    nodes
        .as_array()
        .unwrap()
        .iter()
        .find(|node| node[field] == value)
        .unwrap()["id"]
        .clone()
}

/// The global ID of the first open or in-progress action item `token` reads.
pub async fn first_open_item(server: &Server, token: &str) -> String {
    let (_, body) = graphql_as(
        server,
        token,
        "{ actionItems(filter: { status: [OPEN, IN_PROGRESS] }, first: 1) { nodes { id } } }",
    )
    .await;
    body["data"]["actionItems"]["nodes"][0]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no open action item: {body}"))
        .to_owned()
}

/// POSTs `query` as JSON with a bearer token, through `client`, to the server
/// at `base`; the JSON body.
pub async fn post_query(client: &reqwest::Client, base: &str, token: &str, query: &str) -> Value {
    client
        .post(format!("{base}/graphql"))
        .header("content-type", "application/json")
        .header("authorization", format!("Bearer {token}"))
        .body(json!({ "query": query }).to_string())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}
