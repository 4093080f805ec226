//! GraphiQL from inside the binary, and who `POST /graphql` acts for: the
//! bearer token, or the web session's cookie only beside its anti-forgery header.

use serde_json::{Value, json};

use crate::server::{Server, graphql, login};

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

#[tokio::test]
async fn graphql_acts_for_a_bearer_or_for_a_session_cookie_with_its_csrf_header() {
    let server = Server::start_demo();
    let email = "sekda@mamujutengah.example";
    let token = login(&server, email, "pendamping-demo").await;

    // The bearer token.
    let (status, body) = graphql(&server, Some(&token), WHO, json!({})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["viewer"]["label"], email);

    // The page GraphiQL runs in carries the session's anti-forgery value.
    let cookie = format!("pendamping_lang=id; pendamping_session={token}");
    let html = graphiql_page(&server, Some(&cookie))
        .await
        .text()
        .await
        .unwrap();
    let csrf = html
        .split("<meta name=\"pendamping-csrf\" content=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the page carries the anti-forgery value")
        .to_owned();
    assert_eq!(csrf.len(), 32, "{csrf}");
    assert!(csrf.chars().all(|c| c.is_ascii_hexdigit()), "{csrf}");

    // Cookie and header: the session's user.
    let (status, body) = who_with_cookie(&server, &cookie, Some(&csrf)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["viewer"]["label"], email);

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
    let other_html = graphiql_page(&server, Some(&format!("pendamping_session={other}")))
        .await
        .text()
        .await
        .unwrap();
    let other_csrf = other_html
        .split("<meta name=\"pendamping-csrf\" content=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
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
    let (status, body) = graphql(&server, Some(&token), WHO, json!({})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["viewer"]["label"], email);
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
