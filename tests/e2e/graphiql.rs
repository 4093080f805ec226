//! GraphiQL from inside the binary, and who `POST /graphql` acts for: the
//! bearer token, or the web session's cookie only beside its anti-forgery header.

use serde_json::{Value, json};

use crate::evidence::evidence_upload;
use crate::server::{Server, first_open_item, graphql_as, login, post_upload};

const WHO: &str = "{ viewer { label } }";

/// POSTs `WHO` with the given cookie and anti-forgery header.
async fn who_with_cookie(server: &Server, cookie: &str, csrf: Option<&str>) -> (u16, Value) {
    let mut request = reqwest::Client::new()
        .post(server.url("/graphql"))
        .header("content-type", "application/json")
        .header("cookie", cookie)
        .body(json!({ "query": WHO }).to_string());
    if let Some(csrf) = csrf {
        request = request.header("x-pendamping-csrf", csrf);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

/// The GraphiQL page as a browser asks for it, with an optional cookie.
async fn graphiql_page(server: &Server, cookie: Option<&str>) -> reqwest::Response {
    let mut request = reqwest::Client::new()
        .get(server.url("/graphql"))
        .header("accept", "text/html,application/xhtml+xml");
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    request.send().await.unwrap()
}

/// The anti-forgery value the GraphiQL page carries for the session of `cookie`.
async fn csrf_of(server: &Server, cookie: &str) -> String {
    let html = graphiql_page(server, Some(cookie))
        .await
        .text()
        .await
        .unwrap();
    html.split("<meta name=\"pendamping-csrf\" content=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the page carries the anti-forgery value")
        .to_owned()
}

#[tokio::test]
async fn graphiql_is_served_from_the_binary_without_any_other_host() {
    let server = Server::start_demo();
    let page = graphiql_page(&server, None).await;
    assert_eq!(page.status(), 200);
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(csp.contains("script-src 'self';"), "{csp}");
    assert!(csp.contains("connect-src 'self'"), "{csp}");
    let html = page.text().await.unwrap();
    assert!(!html.contains("//"), "no URL of another host: {html}");
    assert!(!html.contains("<script>"), "no inline script: {html}");
    assert!(!html.contains("pendamping-csrf"), "no session, no value");

    let assets: Vec<&str> = html
        .split("\"/graphql/assets/")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect();
    assert_eq!(assets.len(), 6, "{assets:?}");
    for asset in assets {
        let response = reqwest::get(server.url(&format!("/graphql/assets/{asset}")))
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{asset}");
        let content_type = response.headers()["content-type"].to_str().unwrap();
        let expected = if asset.ends_with(".js") {
            "text/javascript; charset=utf-8"
        } else {
            "text/css; charset=utf-8"
        };
        assert_eq!(content_type, expected, "{asset}");
        assert_eq!(response.headers()["x-content-type-options"], "nosniff");
        assert!(!response.bytes().await.unwrap().is_empty(), "{asset}");
    }
    let missing = reqwest::get(server.url("/graphql/assets/..%2FCargo.toml"))
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
}

/// How the Sekda appears in labels: the display name, never the e-mail (issue 13, item 5).
const SEKDA_NAME: &str = "Sekretariat Daerah Mamuju Tengah";

#[tokio::test]
async fn graphql_acts_for_a_bearer_or_for_a_session_cookie_with_its_csrf_header() {
    let server = Server::start_demo();
    let email = "sekda@mamujutengah.example";
    let token = login(&server, email, "pendamping-demo").await;

    // The bearer token.
    let (status, body) = graphql_as(&server, &token, WHO).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["viewer"]["label"], SEKDA_NAME);

    // The page GraphiQL runs in carries the session's anti-forgery value.
    let cookie = format!("pendamping_lang=id; pendamping_session={token}");
    let csrf = csrf_of(&server, &cookie).await;
    assert_eq!(csrf.len(), 32, "{csrf}");
    assert!(csrf.chars().all(|c| c.is_ascii_hexdigit()), "{csrf}");

    // Cookie and header: the session's user.
    let (status, body) = who_with_cookie(&server, &cookie, Some(&csrf)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["viewer"]["label"], SEKDA_NAME);

    // The cookie alone, as a cross-site form would send it: nobody.
    let (status, body) = who_with_cookie(&server, &cookie, None).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["viewer"], Value::Null, "{body}");
    let (_, body) = graphql_mutation_with_cookie_only(&server, &cookie).await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
        "a cross-site POST must not act for the session: {body}"
    );

    // A header of another session: refused.
    let other = login(&server, "viewer@mamujutengah.example", "pendamping-demo").await;
    let other_csrf = csrf_of(&server, &format!("pendamping_session={other}")).await;
    assert_ne!(other_csrf, csrf);
    let (status, body) = who_with_cookie(&server, &cookie, Some(&other_csrf)).await;
    assert_eq!(status, 401, "{body}");
    assert_eq!(body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");

    // GET never acts with the cookie, header or not.
    let response = reqwest::Client::new()
        .get(server.url("/graphql"))
        .query(&[("query", WHO)])
        .header("accept", "application/json")
        .header("cookie", &cookie)
        .header("x-pendamping-csrf", &csrf)
        .send()
        .await
        .unwrap();
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["data"]["viewer"], Value::Null, "{body}");

    // The session is still alive after all that.
    let (status, body) = graphql_as(&server, &token, WHO).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["viewer"]["label"], SEKDA_NAME);
}

/// `logout` with the cookie and no header, like a form posted from another site.
async fn graphql_mutation_with_cookie_only(server: &Server, cookie: &str) -> (u16, Value) {
    let response = reqwest::Client::new()
        .post(server.url("/graphql"))
        .header("content-type", "application/json")
        .header("cookie", cookie)
        .body(json!({ "query": "mutation { logout { loggedOut } }" }).to_string())
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

#[tokio::test]
async fn evidence_opens_with_the_session_and_only_images_and_pdfs_show_inline() {
    let server = Server::start_demo();
    let rsud = login(&server, "rsud@mamujutengah.example", "pendamping-demo").await;
    let item = first_open_item(&server, &rsud).await;
    let client = reqwest::Client::new();
    let mut paths = Vec::new();
    for (filename, media_type, bytes) in [
        ("sop.pdf", "application/pdf", crate::evidence::PDF),
        // HTML itself is refused at upload; a text file holding HTML is kept.
        (
            "page.txt",
            "text/plain",
            b"<html><script>alert(1)</script></html>".as_slice(),
        ),
    ] {
        let (_, body) = post_upload(
            &server,
            &rsud,
            evidence_upload(&item, filename, filename, media_type, bytes),
        )
        .await;
        let added = &body["data"]["addEvidence"];
        assert_eq!(added["userErrors"], json!([]), "{body}");
        paths.push(
            added["evidence"]["downloadPath"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    let get = |path: String, cookie: Option<String>| {
        let client = client.clone();
        let url = server.url(&path);
        async move {
            let mut request = client.get(url);
            if let Some(cookie) = cookie {
                request = request.header("cookie", cookie);
            }
            request.send().await.unwrap()
        }
    };
    let cookie = Some(format!("pendamping_session={rsud}"));

    // Without any credential: refused; with the session cookie: the file.
    assert_eq!(get(paths[0].clone(), None).await.status(), 401);
    let pdf = get(paths[0].clone(), cookie.clone()).await;
    assert_eq!(pdf.status(), 200);
    let disposition = pdf.headers()["content-disposition"].to_str().unwrap();
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    assert_eq!(pdf.headers()["x-content-type-options"], "nosniff");
    let csp = pdf.headers()["content-security-policy"].to_str().unwrap();
    assert!(csp.starts_with("sandbox;"), "{csp}");

    // `?inline=1`: a PDF is shown in the page ...
    let pdf = get(format!("{}?inline=1", paths[0]), cookie.clone()).await;
    let disposition = pdf.headers()["content-disposition"].to_str().unwrap();
    assert!(disposition.starts_with("inline;"), "{disposition}");

    // ... a text file holding HTML never is, and never runs as ours.
    let html = get(format!("{}?inline=1", paths[1]), cookie).await;
    assert_eq!(html.status(), 200);
    let disposition = html.headers()["content-disposition"].to_str().unwrap();
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    assert_eq!(html.headers()["x-content-type-options"], "nosniff");
    let csp = html.headers()["content-security-policy"].to_str().unwrap();
    assert!(
        csp.starts_with("sandbox;") && csp.contains("default-src 'none'"),
        "{csp}"
    );
}
