//! The weight of the district board's first load (empty cache), compressed as
//! the server sends it, for docs/web.md; and a ceiling so it stays light.

#![allow(
    clippy::unwrap_used,
    reason = "test helpers: a failure is the test's failure"
)]

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt as _;
use pendamping_web::WebConfig;
use tower::ServiceExt as _;

/// What a slow district link should at most carry for the board, compressed.
const CEILING_BYTES: usize = 60 * 1024;

#[tokio::test]
async fn the_district_board_is_light_on_a_slow_link() {
    let (engine, _db) = common::demo_engine().await;
    let app = pendamping_web::router(engine.clone(), WebConfig::default());
    let (issued, _) = engine
        .login("sekda@mamujutengah.example", "pendamping-demo", None)
        .await
        .unwrap();
    let cookie = format!("pendamping_session={}", issued.token);

    let fetch = |path: String| {
        let app = app.clone();
        let cookie = cookie.clone();
        async move {
            let response = app
                .oneshot(
                    Request::get(&path)
                        .header(header::HOST, "pendamping.test")
                        .header(header::COOKIE, cookie)
                        .header(header::ACCEPT_ENCODING, "gzip")
                        .body(Body::empty())
                        .unwrap(),
                )
                .await
                .unwrap();
            let status = response.status();
            let location = response
                .headers()
                .get(header::LOCATION)
                .map(|v| v.to_str().unwrap().to_owned());
            let gzip = response
                .headers()
                .get(header::CONTENT_ENCODING)
                .is_some_and(|v| v == "gzip");
            let bytes = response.into_body().collect().await.unwrap().to_bytes();
            (status, location, gzip, bytes)
        }
    };
    let (_, location, _, _) = fetch("/".to_owned()).await;
    let board = location.expect("the Sekda's first screen");
    let (status, _, gzip, page) = fetch(board.clone()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(gzip, "the page is sent compressed");
    let html = {
        let mut decoder = Vec::new();
        // The page's assets are named in its head; read them from the uncompressed page.
        let (_, _, _, plain) = {
            let response = app
                .clone()
                .oneshot(
                    Request::get(&board)
                        .header(header::HOST, "pendamping.test")
                        .header(header::COOKIE, &cookie)
                        .body(Body::empty())
                        .unwrap(),
                )
                .await
                .unwrap();
            let bytes = response.into_body().collect().await.unwrap().to_bytes();
            ((), (), (), bytes)
        };
        decoder.extend_from_slice(&plain);
        String::from_utf8(decoder).unwrap()
    };
    let mut total = page.len();
    let mut lines = vec![format!(
        "| {board} (HTML) | {} | {} |",
        html.len(),
        page.len()
    )];
    for marker in [
        "rel=\"stylesheet\" href=\"",
        "<script src=\"",
        "rel=\"icon\" href=\"",
    ] {
        let path = html
            .split(marker)
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .expect("an asset")
            .to_owned();
        let (status, _, _, bytes) = fetch(path.clone()).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        let (_, _, _, plain) = {
            let response = app
                .clone()
                .oneshot(Request::get(&path).body(Body::empty()).unwrap())
                .await
                .unwrap();
            (
                (),
                (),
                (),
                response.into_body().collect().await.unwrap().to_bytes(),
            )
        };
        total += bytes.len();
        lines.push(format!("| {path} | {} | {} |", plain.len(), bytes.len()));
    }
    println!("| request | bytes | bytes sent (gzip) |\n|---|---:|---:|");
    for line in &lines {
        println!("{line}");
    }
    println!("| **total** | | **{total}** |");
    assert!(
        total < CEILING_BYTES,
        "the board's first load weighs {total} bytes compressed"
    );
}
