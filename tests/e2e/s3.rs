//! Evidence in an S3-compatible bucket: the server configured with
//! `--evidence-store s3://…` stores uploads there, by SHA-256 under the
//! prefix, and serves them back. The bucket is a minimal S3 stand-in (path
//! style PUT/GET/HEAD), like MinIO would answer.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::evidence::{PDF, multipart};
use crate::server::{Server, first_open_item, login, post_upload};

type Objects = Arc<Mutex<HashMap<String, Vec<u8>>>>;

async fn bucket(
    State(objects): State<Objects>,
    method: Method,
    Path(key): Path<String>,
    body: Bytes,
) -> Response {
    let etag = |bytes: &[u8]| format!("\"{:x}\"", Sha256::digest(bytes));
    let mut objects = objects.lock().unwrap();
    match method {
        Method::PUT => {
            let tag = etag(&body);
            objects.insert(key, body.to_vec());
            (StatusCode::OK, [(header::ETAG, tag)]).into_response()
        }
        Method::GET | Method::HEAD => match objects.get(&key) {
            Some(bytes) => {
                let mut headers = HeaderMap::new();
                headers.insert(header::ETAG, etag(bytes).parse().unwrap());
                headers.insert(
                    header::LAST_MODIFIED,
                    "Sat, 28 Nov 2026 10:00:00 GMT".parse().unwrap(),
                );
                headers.insert(header::CONTENT_LENGTH, bytes.len().into());
                let body = if method == Method::HEAD {
                    Vec::new()
                } else {
                    bytes.clone()
                };
                (StatusCode::OK, headers, body).into_response()
            }
            None => (
                StatusCode::NOT_FOUND,
                "<Error><Code>NoSuchKey</Code></Error>",
            )
                .into_response(),
        },
        _ => StatusCode::METHOD_NOT_ALLOWED.into_response(),
    }
}

#[tokio::test]
async fn evidence_goes_to_the_configured_s3_bucket_and_comes_back() {
    let objects: Objects = Arc::default();
    let app = axum::Router::new()
        .route("/{*key}", axum::routing::any(bucket))
        .with_state(objects.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });

    let server = Server::start(
        &["--demo", "--evidence-store", "s3://evidence/pendamping"],
        &[
            ("AWS_ENDPOINT", endpoint.as_str()),
            ("AWS_ALLOW_HTTP", "true"),
            ("AWS_ACCESS_KEY_ID", "test-key"),
            ("AWS_SECRET_ACCESS_KEY", "test-secret"),
            ("AWS_REGION", "ap-southeast-3"),
        ],
    );
    let rsud = login(&server, "rsud@mamujutengah.example", "pendamping-demo").await;
    let item = first_open_item(&server, &rsud).await;

    let (_, body) = post_upload(&server, &rsud, multipart(&item)).await;
    let added = &body["data"]["addEvidence"];
    assert_eq!(added["userErrors"], json!([]), "{body}\n{}", server.logs());

    let sha = format!("{:x}", Sha256::digest(PDF));
    let key = format!("evidence/pendamping/sha256/{}/{sha}", &sha[..2]);
    let stored = objects.lock().unwrap().get(&key).cloned();
    assert_eq!(
        stored.as_deref(),
        Some(PDF),
        "stored under its hash in the bucket; keys: {:?}",
        objects.lock().unwrap().keys().collect::<Vec<_>>()
    );

    let path = added["evidence"]["downloadPath"].as_str().unwrap();
    let download = reqwest::Client::new()
        .get(server.url(path))
        .header("authorization", format!("Bearer {rsud}"))
        .send()
        .await
        .unwrap();
    assert_eq!(download.status(), 200);
    assert_eq!(download.bytes().await.unwrap().as_ref(), PDF);
}

#[test]
fn a_store_url_that_is_not_s3_is_refused_naming_the_setting() {
    let (ok, _, stderr) = crate::server::run_cli(
        &crate::server::fresh_database_url(),
        &["--evidence-store", "ftp://x/y", "migrate"],
        "",
    );
    assert!(!ok);
    assert!(
        stderr.contains("evidenceStore") && stderr.contains("s3://"),
        "{stderr}"
    );
}
