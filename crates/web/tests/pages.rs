//! The web pages through the real router, in process, over the demo data set:
//! each role's first screen, both languages, the session cookie, CSRF, the
//! security headers, and an action item taken from start to verified through
//! the forms.

#![allow(
    clippy::unwrap_used,
    reason = "test helpers: a failure is the test's failure"
)]

mod common;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use http_body_util::BodyExt as _;
use pendamping_engine::Engine;
use pendamping_storage::testing;
use pendamping_web::gql::{self, Answer};
use pendamping_web::{WebConfig, i18n};
use serde_json::{Value, json};
use tower::ServiceExt as _;

const HOST: &str = "pendamping.test";
const ORIGIN: &str = "http://pendamping.test";
const PASSWORD: &str = "pendamping-demo";

struct Site {
    app: Router,
    engine: Engine,
    _db: Option<testing::TestDatabase>,
}

async fn site(config: WebConfig) -> Site {
    let (engine, db) = common::demo_engine().await;
    Site {
        app: pendamping_web::router(engine.clone(), config),
        engine,
        _db: Some(db),
    }
}

struct Page {
    status: StatusCode,
    headers: HeaderMap,
    body: String,
}

impl Page {
    fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }
}

impl Site {
    async fn send(&self, request: Request<Body>) -> Page {
        let response = self
            .app
            .clone()
            .oneshot(request)
            .await
            .expect("the router answers");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        Page {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    async fn get(&self, path: &str, cookie: Option<&str>, lang: &str) -> Page {
        let mut request = Request::get(path)
            .header(header::HOST, HOST)
            .header(header::ACCEPT_LANGUAGE, lang);
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        self.send(request.body(Body::empty()).unwrap()).await
    }

    async fn post(
        &self,
        path: &str,
        cookie: Option<&str>,
        origin: Option<&str>,
        form: &[(&str, &str)],
    ) -> Page {
        let body = serde_urlencoded::to_string(form).unwrap();
        let mut request = Request::post(path)
            .header(header::HOST, HOST)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT_LANGUAGE, "id-ID,id;q=0.9");
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        if let Some(origin) = origin {
            request = request.header(header::ORIGIN, origin);
        }
        self.send(request.body(Body::from(body)).unwrap()).await
    }

    /// Runs `document` through the API with the session `token`, as a page would.
    async fn api(&self, token: &str, document: &str, variables: Value) -> Answer {
        let actor = self.engine.authenticate(token).await.unwrap();
        let (schema, engine) = (pendamping_api::schema(), &self.engine);
        let token = Some(token.to_owned());
        gql::execute(
            &schema,
            engine,
            Some(actor),
            token,
            None,
            document,
            variables,
            None,
        )
        .await
    }

    /// Logs in through the form; the `Cookie` header value of the session.
    async fn login(&self, email: &str) -> String {
        let page = self
            .post(
                "/login",
                None,
                Some(ORIGIN),
                &[("email", email), ("password", PASSWORD), ("next", "/")],
            )
            .await;
        assert_eq!(
            page.status,
            StatusCode::SEE_OTHER,
            "login of {email}: {}",
            page.body
        );
        let set = set_cookie(&page);
        set.split(';').next().unwrap().to_owned()
    }

    /// Posts `form` with the session `cookie` from our own origin, as the browser would.
    async fn submit(&self, path: &str, cookie: &str, form: &[(&str, &str)]) -> Page {
        self.post(path, Some(cookie), Some(ORIGIN), form).await
    }

    /// Posts the login form (from our own origin, no `next`) with `email` and `password`.
    async fn post_login(&self, email: &str, password: &str) -> Page {
        let form = [("email", email), ("password", password)];
        self.post("/login", None, Some(ORIGIN), &form).await
    }

    /// The first screen after login: `/` redirects to it.
    async fn first_screen(&self, cookie: &str, lang: &str) -> (String, Page) {
        let home = self.get("/", Some(cookie), lang).await;
        assert_eq!(home.status, StatusCode::SEE_OTHER);
        let target = home.location().to_owned();
        (target.clone(), self.get(&target, Some(cookie), lang).await)
    }
}

/// The `Set-Cookie` header of an answer.
fn set_cookie(page: &Page) -> String {
    page.headers[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .to_owned()
}

/// The value of the hidden `csrf` field of a page.
fn csrf(body: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let start = body.find(marker).expect("a csrf field") + marker.len();
    body[start..start + 32].to_owned()
}

const ID: &str = "id-ID,id;q=0.9,en;q=0.5";
const EN: &str = "en-GB,en;q=0.9";

#[tokio::test]
async fn every_demo_user_finds_their_work_on_the_first_screen_in_indonesian() {
    let site = site(WebConfig::default()).await;
    let _ = i18n::take_misses();
    let cases = [
        (
            "rsud@mamujutengah.example",
            "data-testid=\"my-items\"",
            "Tugas saya",
        ),
        (
            "dukcapil@mamujutengah.example",
            "data-testid=\"my-items\"",
            "Tenggat",
        ),
        (
            "sekda@mamujutengah.example",
            "data-testid=\"district-board\"",
            "Terlambat",
        ),
        (
            "asisten@sulbar.example",
            "data-testid=\"verification-queue\"",
            "Antrean verifikasi",
        ),
        (
            "kepala@sulbar.example",
            "data-testid=\"office-board\"",
            "Pemerintah daerah",
        ),
        (
            "viewer@mamujutengah.example",
            "data-testid=\"district-board\"",
            "Nilai",
        ),
        (
            "admin@demo.example",
            "data-testid=\"admin\"",
            "Perwakilan Ombudsman",
        ),
    ];
    for (email, testid, text) in cases {
        let cookie = site.login(email).await;
        let (target, page) = site.first_screen(&cookie, ID).await;
        assert_eq!(
            page.status,
            StatusCode::OK,
            "{email} at {target}: {}",
            page.body
        );
        assert!(
            page.body.contains(testid),
            "{email} at {target} lacks {testid}"
        );
        assert!(
            page.body.contains(text),
            "{email} at {target} lacks {text:?}"
        );
        assert!(
            page.body.contains("<html lang=\"id\""),
            "{email}: Indonesian by default"
        );
        // Every link of the navigation renders too (the second click).
        for href in nav_links(&page.body) {
            let linked = site.get(&href, Some(&cookie), ID).await;
            assert_eq!(
                linked.status,
                StatusCode::OK,
                "{email}: {href}: {}",
                linked.body
            );
        }
    }
    let misses = i18n::take_misses();
    assert!(misses.is_empty(), "messages missing: {misses:?}");
}

fn nav_links(body: &str) -> Vec<String> {
    let Some(start) = body.find("<nav") else {
        return Vec::new();
    };
    let end = body[start..]
        .find("</nav>")
        .map_or(body.len(), |e| start + e);
    body[start..end]
        .split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(|href| href.replace("&amp;", "&"))
        .collect()
}

#[tokio::test]
async fn every_page_renders_in_both_languages_without_a_missing_message() {
    let site = site(WebConfig::default()).await;
    let mut pages = Vec::new();
    for email in [
        "sekda@mamujutengah.example",
        "kepala@sulbar.example",
        "asisten@sulbar.example",
        "rsud@mamujutengah.example",
    ] {
        let cookie = site.login(email).await;
        let (first, page) = site.first_screen(&cookie, ID).await;
        pages.push((cookie.clone(), first));
        // Follow every link to an item, OPD, district or agreement on the first screen.
        for href in page
            .body
            .split("href=\"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .filter(|h| {
                [
                    "/items/",
                    "/opds/",
                    "/districts/",
                    "/agreements",
                    "/offices/",
                    "/rankings",
                    "/notifications",
                    "/overdue",
                    "/queue",
                    "/scores/new",
                ]
                .iter()
                .any(|p| h.starts_with(p))
            })
            .take(12)
        {
            pages.push((cookie.clone(), href.replace("&amp;", "&")));
        }
    }
    let _ = i18n::take_misses();
    for (cookie, path) in &pages {
        let id = site.get(path, Some(cookie), ID).await;
        let en = site.get(path, Some(cookie), EN).await;
        assert_eq!(id.status, StatusCode::OK, "{path}: {}", id.body);
        assert_eq!(en.status, StatusCode::OK, "{path}: {}", en.body);
        assert!(en.body.contains("<html lang=\"en\""), "{path} in English");
        assert_ne!(id.body, en.body, "{path}: the languages differ");
    }
    let misses = i18n::take_misses();
    assert!(misses.is_empty(), "messages missing: {misses:?}");
    // The language switch is remembered in a cookie and wins over the browser's.
    let switch = site.get("/lang/en?next=/rankings", None, ID).await;
    assert_eq!(switch.location(), "/rankings");
    let remembered = switch.headers[header::SET_COOKIE].to_str().unwrap();
    assert!(remembered.starts_with("pendamping_lang=en"));
    let cookie = format!("{}; pendamping_lang=en", pages[1].0);
    let page = site.get("/rankings", Some(&cookie), ID).await;
    assert!(page.body.contains("<html lang=\"en\""));
    // Never back to another site.
    let away = site.get("/lang/id?next=//evil.example/", None, ID).await;
    assert_eq!(away.location(), "/");
}

#[tokio::test]
async fn the_session_cookie_is_http_only_same_site_and_secure_when_told() {
    let site = site(WebConfig::default()).await;
    let page = site
        .post_login("sekda@mamujutengah.example", PASSWORD)
        .await;
    let cookie = set_cookie(&page);
    assert!(cookie.starts_with("pendamping_session="), "{cookie}");
    for flag in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(flag), "{flag} in {cookie}");
    }
    assert!(!cookie.contains("Secure"), "plain HTTP: {cookie}");

    let secure = site_with(
        &site,
        WebConfig {
            secure_cookies: true,
        },
    );
    let page = secure
        .post_login("sekda@mamujutengah.example", PASSWORD)
        .await;
    let cookie = set_cookie(&page);
    assert!(cookie.contains("; Secure"), "{cookie}");

    // A wrong password: the login page again, with the reason, no cookie.
    let wrong = site.post_login("sekda@mamujutengah.example", "nope").await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.body.contains("Alamat surel atau kata sandi salah"));
    assert!(wrong.headers.get(header::SET_COOKIE).is_none());
}

fn site_with(site: &Site, config: WebConfig) -> Site {
    Site {
        app: pendamping_web::router(site.engine.clone(), config),
        engine: site.engine.clone(),
        _db: None,
    }
}

#[tokio::test]
async fn every_page_has_the_security_headers() {
    let site = site(WebConfig::default()).await;
    let cookie = site.login("sekda@mamujutengah.example").await;
    for (path, cookie) in [
        ("/login", None),
        ("/overdue", Some(cookie.as_str())),
        ("/no-such-page", None),
    ] {
        let page = site.get(path, cookie, ID).await;
        let csp = page.headers[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap();
        assert!(
            csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
            "{path}: {csp}"
        );
        assert!(csp.contains("frame-ancestors 'none'"));
        assert_eq!(page.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert_eq!(page.headers[header::REFERRER_POLICY], "same-origin");
    }
    // No inline script anywhere: the CSP would block it.
    let page = site.get("/overdue", Some(&cookie), ID).await;
    assert!(!page.body.contains("<script>"));
    // The assets are served from the binary, with a long cache.
    let css = page
        .body
        .split("rel=\"stylesheet\" href=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let asset = site.get(css, None, ID).await;
    assert_eq!(asset.status, StatusCode::OK);
    assert!(
        asset.headers[header::CACHE_CONTROL]
            .to_str()
            .unwrap()
            .contains("immutable")
    );
}

#[tokio::test]
async fn forms_without_the_sessions_token_or_from_another_origin_are_refused() {
    let site = site(WebConfig::default()).await;
    let cookie = site.login("rsud@mamujutengah.example").await;
    let (id, version) = open_item(&site, "rsud@mamujutengah.example").await;
    let page = site.get(&format!("/items/{id}"), Some(&cookie), ID).await;
    let token = csrf(&page.body);
    let action = format!("/items/{id}/act");
    let version_text = version.to_string();
    let form = |csrf: &str| {
        vec![
            ("action", "START".to_owned()),
            ("version", version_text.clone()),
            ("csrf", csrf.to_owned()),
        ]
    };
    // No token.
    let refused = site
        .post(&action, Some(&cookie), Some(ORIGIN), &as_refs(&form("")))
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    // A token of another session.
    let other = site
        .post(
            &action,
            Some(&cookie),
            Some(ORIGIN),
            &as_refs(&form("0123456789abcdef0123456789abcdef")),
        )
        .await;
    assert_eq!(other.status, StatusCode::FORBIDDEN);
    // The right token from another site.
    let leaked = token.as_str();
    let cross = site
        .post(
            &action,
            Some(&cookie),
            Some("http://evil.example"),
            &as_refs(&form(leaked)),
        )
        .await;
    assert_eq!(cross.status, StatusCode::FORBIDDEN);
    let no_origin = site
        .post(&action, Some(&cookie), None, &as_refs(&form(leaked)))
        .await;
    assert_eq!(no_origin.status, StatusCode::FORBIDDEN);
    // Login from another site is refused too.
    let login = site
        .post(
            "/login",
            None,
            Some("http://evil.example"),
            &[
                ("email", "rsud@mamujutengah.example"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(login.status, StatusCode::FORBIDDEN);
    // Nothing changed.
    let (_, still) = open_item(&site, "rsud@mamujutengah.example").await;
    assert_eq!(still, version);
    // The same form from our page works.
    let ok = site
        .post(
            &action,
            Some(&cookie),
            Some(ORIGIN),
            &as_refs(&form(leaked)),
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
}

/// An OPEN item of the officer's OPD: its id and version.
async fn open_item(site: &Site, email: &str) -> (String, i64) {
    let (issued, _) = site.engine.login(email, PASSWORD, None).await.unwrap();
    let open =
        "{ actionItems(filter: { status: [OPEN] }, first: 100) { nodes { id version title } } }";
    let answer = site.api(&issued.token, open, json!({})).await;
    let mut nodes = answer
        .at("/actionItems/nodes")
        .as_array()
        .cloned()
        .unwrap_or_default();
    nodes.sort_by_key(|n| n["id"].as_str().unwrap_or_default().to_owned());
    let node = nodes.first().expect("an open item").clone();
    (
        node["id"].as_str().unwrap().to_owned(),
        node["version"].as_i64().unwrap(),
    )
}

#[tokio::test]
async fn an_officer_starts_adds_a_link_and_submits_and_the_assessor_verifies() {
    let site = site(WebConfig::default()).await;
    let officer = site.login("rsud@mamujutengah.example").await;
    let (id, _) = open_item(&site, "rsud@mamujutengah.example").await;
    let item = format!("/items/{id}");

    // Start.
    let page = site.get(&item, Some(&officer), ID).await;
    assert!(page.body.contains("Mulai kerjakan"), "{}", page.body);
    let token = csrf(&page.body);
    let version = hidden(&page.body, "version");
    let started = site
        .submit(
            &format!("{item}/act"),
            &officer,
            &[("csrf", &token), ("action", "START"), ("version", &version)],
        )
        .await;
    assert_eq!(started.status, StatusCode::SEE_OTHER, "{}", started.body);

    // Submitting without evidence is not offered: its reason is shown, translated.
    let page = site.get(&item, Some(&officer), ID).await;
    assert!(page.body.contains("data-status=\"IN_PROGRESS\""));
    assert!(
        !page.body.contains("data-testid=\"submit-item\""),
        "no submit button without evidence"
    );
    assert!(
        page.body
            .contains("Tambahkan setidaknya satu bukti terlebih dahulu.")
    );

    // A bad link: the page again with the field's error, not a 500.
    let bad = site
        .submit(
            &format!("{item}/evidence"),
            &officer,
            &[("csrf", &token), ("url", "javascript:alert(1)")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(bad.body.contains("role=\"alert\""));

    // A link as evidence.
    let added = site
        .submit(
            &format!("{item}/evidence"),
            &officer,
            &[
                ("csrf", &token),
                ("url", "https://mamujutengahkab.go.id/standar-pelayanan"),
                ("name", "Standar pelayanan"),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);

    // Submit.
    let page = site.get(&item, Some(&officer), ID).await;
    assert!(page.body.contains("Standar pelayanan"));
    assert!(page.body.contains("data-testid=\"submit-item\""));
    let version = hidden(&page.body, "version");
    let submitted = site
        .submit(
            &format!("{item}/act"),
            &officer,
            &[
                ("csrf", &token),
                ("action", "SUBMIT"),
                ("version", &version),
            ],
        )
        .await;
    assert_eq!(
        submitted.status,
        StatusCode::SEE_OTHER,
        "{}",
        submitted.body
    );

    // The assessor finds it in the queue and verifies it.
    let assessor = site.login("asisten@sulbar.example").await;
    let queue = site.get("/queue", Some(&assessor), ID).await;
    assert!(
        queue.body.contains(&format!("data-id=\"{id}\"")),
        "the item is in the queue"
    );
    let page = site.get(&item, Some(&assessor), ID).await;
    assert!(page.body.contains("data-testid=\"verify\""));
    // Rejecting without a reason: the form again, with the translated error.
    let version = hidden(&page.body, "version");
    let assessor_token = csrf(&page.body);
    let no_reason = site
        .submit(
            &format!("{item}/act"),
            &assessor,
            &[
                ("csrf", &assessor_token),
                ("action", "REJECT"),
                ("version", &version),
                ("reason", ""),
            ],
        )
        .await;
    assert_eq!(
        no_reason.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        no_reason.body
    );
    assert!(
        no_reason.body.contains("Tuliskan alasannya."),
        "{}",
        no_reason.body
    );
    let verified = site
        .submit(
            &format!("{item}/act"),
            &assessor,
            &[
                ("csrf", &assessor_token),
                ("action", "VERIFY"),
                ("version", &version),
            ],
        )
        .await;
    assert_eq!(verified.status, StatusCode::SEE_OTHER, "{}", verified.body);
    let page = site.get(&item, Some(&officer), ID).await;
    assert!(page.body.contains("data-status=\"VERIFIED\""));
    // The Sekda's board shows it verified.
    let sekda = site.login("sekda@mamujutengah.example").await;
    let (_, board) = site.first_screen(&sekda, ID).await;
    assert!(
        board
            .body
            .contains(&format!("data-id=\"{id}\" data-status=\"VERIFIED\""))
    );
}

fn hidden(body: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = body
        .find(&marker)
        .unwrap_or_else(|| panic!("no {name} field"))
        + marker.len();
    body[start..].split('"').next().unwrap().to_owned()
}

#[tokio::test]
async fn logout_ends_the_session_on_the_server() {
    let site = site(WebConfig::default()).await;
    let cookie = site.login("sekda@mamujutengah.example").await;
    let page = site.get("/overdue", Some(&cookie), ID).await;
    let token = csrf(&page.body);
    let out = site.submit("/logout", &cookie, &[("csrf", &token)]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert!(
        out.headers[header::SET_COOKIE]
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
    // The old cookie no longer works, even if the browser kept it.
    let after = site.get("/overdue", Some(&cookie), ID).await;
    assert_eq!(after.status, StatusCode::SEE_OTHER);
    assert!(after.location().starts_with("/login"));
}

/// The first `value` after the field named `name` (a select's first option).
fn first_value(body: &str, name: &str) -> String {
    let field = body.split(&format!("name=\"{name}\"")).nth(1).unwrap();
    field
        .split("value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned()
}

/// Posts the new-score form of the session `cookie`: target, period, kind and total.
async fn post_score(site: &Site, cookie: &str, token: &str, form: [&str; 4]) -> Page {
    let [target, period, kind, total] = form;
    let fields = [
        ("csrf", token),
        ("target", target),
        ("period", period),
        ("kind", kind),
        ("total", total),
    ];
    site.submit("/scores/new", cookie, &fields).await
}

#[tokio::test]
async fn bad_score_input_shows_the_fields_error_not_a_failure() {
    let site = site(WebConfig::default()).await;
    let cookie = site.login("asisten@sulbar.example").await;
    let page = site.get("/scores/new", Some(&cookie), ID).await;
    assert_eq!(page.status, StatusCode::OK);
    let token = csrf(&page.body);
    let target = first_value(&page.body, "target");
    let period = first_value(&page.body, "period");
    let bad = post_score(
        &site,
        &cookie,
        &token,
        [&target, &period, "OFFICIAL", "sembilan puluh"],
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body.contains("Isi nilai berupa angka antara 0 dan 100"),
        "{}",
        bad.body
    );
    let out_of_range = post_score(
        &site,
        &cookie,
        &token,
        [&target, &period, "MENTORING_CHECK", "140"],
    )
    .await;
    assert_eq!(
        out_of_range.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        out_of_range.body
    );
    let garbage = post_score(&site, &cookie, &token, ["nonsense", "", "X", "1"]).await;
    assert_eq!(garbage.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn the_wall_screen_opens_with_a_dashboard_token_and_refreshes_itself() {
    let site = site(WebConfig::default()).await;
    let (issued, _) = site
        .engine
        .login("viewer@mamujutengah.example", PASSWORD, None)
        .await
        .unwrap();
    let page = site
        .get(&format!("/wall?token={}", issued.token), None, ID)
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("data-testid=\"wall-board\""));
    assert!(page.body.contains("class=\"wall\""));
    assert!(page.body.contains("http-equiv=\"refresh\""));
    let refused = site.get("/wall?token=nope", None, ID).await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_sekdas_board_shows_the_products_follow_up_and_the_wall_its_tile_grid() {
    let site = site(WebConfig::default()).await;
    let cookie = site.login("sekda@mamujutengah.example").await;
    let (target, board) = site.first_screen(&cookie, ID).await;
    assert_eq!(board.status, StatusCode::OK, "{}", board.body);
    let district = target.trim_start_matches("/districts/").to_owned();
    // The figures as the API gives them (2025: the demo's products; the clock is in 2026,
    // which has none, so the board falls back to the latest year with products).
    let (issued, _) = site
        .engine
        .login("sekda@mamujutengah.example", PASSWORD, None)
        .await
        .unwrap();
    let follow_up = "query($id: ID!) { node(id: $id) { ... on District { now: productFollowUp(year: 2026) { total } productFollowUp(year: 2025) { completed total } } } }";
    let answer = site
        .api(&issued.token, follow_up, json!({ "id": district }))
        .await;
    assert!(answer.errors.is_empty(), "{:?}", answer.errors);
    assert_eq!(answer.at("/node/now/total").as_i64(), Some(0));
    let completed = answer
        .at("/node/productFollowUp/completed")
        .as_i64()
        .unwrap();
    let total = answer.at("/node/productFollowUp/total").as_i64().unwrap();
    assert!(total > 0, "the demo has products in 2025");
    let heading = format!("Tindak lanjut produk Ombudsman 2025: {completed} dari {total}");
    assert!(
        board.body.contains(&heading),
        "the board lacks {heading:?}: {}",
        board.body
    );
    assert!(board.body.contains(&format!(
        "data-completed=\"{completed}\" data-total=\"{total}\""
    )));
    // The 2025 opinion has a level and no zone: the headline names the level
    // (the demo's 80,12 is "Kualitas Tinggi"), never "not scored".
    assert!(
        board.body.contains("80,12") && board.body.contains("Kualitas Tinggi"),
        "{}",
        board.body
    );
    if completed < total {
        assert!(
            board
                .body
                .contains("Produk yang belum selesai ditindaklanjuti")
        );
    }
    // With a target for the year, the panel says how far the figure is from it.
    let set_target = "mutation($id: ID!) { setScoreTarget(input: { districtId: $id, year: 2025, minTotal: 99 }) { userErrors { message } } }";
    let set = site
        .api(&issued.token, set_target, json!({ "id": district }))
        .await;
    assert!(set.errors.is_empty(), "{:?}", set.errors);
    assert_eq!(set.at("/setScoreTarget/userErrors"), &json!([]));
    let board = site.get(&target, Some(&cookie), ID).await;
    assert!(
        board.body.contains("Target 2025: nilai minimal 99,00"),
        "{}",
        board.body
    );
    let wall = site
        .get(&format!("{target}?display=wall"), Some(&cookie), ID)
        .await;
    assert_eq!(wall.status, StatusCode::OK, "{}", wall.body);
    assert!(wall.body.contains("class=\"wall-tiles\""));
    assert!(!wall.body.contains("data-testid=\"product-follow-up\""));
}

fn as_refs<'a>(form: &'a [(&'a str, String)]) -> Vec<(&'a str, &'a str)> {
    form.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// Reads the event stream until a `change` event arrives, or `limit` passes.
async fn next_change(body: &mut Body, limit: std::time::Duration) -> Option<String> {
    let deadline = tokio::time::Instant::now() + limit;
    let mut seen = String::new();
    loop {
        let frame = tokio::time::timeout_at(deadline, body.frame())
            .await
            .ok()??
            .ok()?;
        if let Some(data) = frame.data_ref() {
            seen.push_str(&String::from_utf8_lossy(data));
            if let Some(at) = seen.find("event: change") {
                return Some(seen[at..].to_owned());
            }
        }
    }
}

#[tokio::test]
async fn the_event_stream_tells_a_page_in_scope_that_something_changed() {
    let site = site(WebConfig::default()).await;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let relay = tokio::spawn(site.engine.clone().run_event_relay(
        pendamping_engine::RelayOptions {
            poll_interval: std::time::Duration::from_millis(20),
            ..pendamping_engine::RelayOptions::default()
        },
        async {
            let _ = stopped.await;
        },
    ));
    let open = |cookie: String| {
        let app = site.app.clone();
        async move {
            app.oneshot(
                Request::get("/events")
                    .header(header::HOST, HOST)
                    .header(header::COOKIE, cookie)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap()
        }
    };
    let sekda = open(site.login("sekda@mamujutengah.example").await).await;
    assert_eq!(sekda.status(), StatusCode::OK);
    assert!(
        sekda.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/event-stream")
    );
    let other_district = open(site.login("sekda@mamuju.example").await).await;
    let mut sekda = sekda.into_body();
    let mut other_district = other_district.into_body();

    // The RSUD officer starts an item through the page's form.
    let officer = site.login("rsud@mamujutengah.example").await;
    let (id, version) = open_item(&site, "rsud@mamujutengah.example").await;
    let page = site.get(&format!("/items/{id}"), Some(&officer), ID).await;
    let token = csrf(&page.body);
    let started = site
        .submit(
            &format!("/items/{id}/act"),
            &officer,
            &[
                ("csrf", &token),
                ("action", "START"),
                ("version", &version.to_string()),
            ],
        )
        .await;
    assert_eq!(started.status, StatusCode::SEE_OTHER);

    // Read only after the relay has surely taken the event in: the stream was
    // subscribed when it was opened, not when it is first read.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let event = next_change(&mut sekda, std::time::Duration::from_secs(30))
        .await
        .expect("the Sekda's page hears of the change");
    assert!(event.contains("ACTION_ITEM_STARTED"), "{event}");
    // Another district's coordinator is not told: the subscription is scoped.
    assert!(
        next_change(&mut other_district, std::time::Duration::from_millis(800))
            .await
            .is_none()
    );
    // Without a session there is no stream.
    let anonymous = site
        .app
        .clone()
        .oneshot(Request::get("/events").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    let _ = stop.send(());
    let _ = relay.await;
}

/// A multipart upload to `/import`, in the language `lang`.
async fn upload_import(
    site: &Site,
    cookie: &str,
    csrf: &str,
    kind: &str,
    dry_run: bool,
    csv: &str,
    lang: &str,
) -> Page {
    let boundary = "pendampingWEBIMPORT";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\n{kind}\r\n"
    );
    if dry_run {
        body.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"dryRun\"\r\n\r\n1\r\n"
        ));
    }
    body.push_str(&format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"opd.csv\"\r\nContent-Type: text/csv\r\n\r\n{csv}\r\n--{boundary}--\r\n"
    ));
    let request = Request::post("/import")
        .header(header::HOST, HOST)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .header(header::ACCEPT_LANGUAGE, lang)
        .header(header::COOKIE, cookie)
        .header(header::ORIGIN, ORIGIN);
    site.send(request.body(Body::from(body)).unwrap()).await
}

#[tokio::test]
async fn the_district_board_links_an_opd_import_that_reports_in_the_users_language() {
    let site = site(WebConfig::default()).await;
    let cookie = site.login("sekda@mamujutengah.example").await;
    let (_, board) = site.first_screen(&cookie, ID).await;
    assert!(
        board.body.contains("href=\"/import?kind=OPDS\""),
        "the board links the import"
    );
    let form = site.get("/import?kind=OPDS", Some(&cookie), ID).await;
    assert_eq!(form.status, StatusCode::OK);
    let token = csrf(&form.body);
    let good = "Kabupaten/Kota,Nama OPD,Singkatan,Jenis,Jabatan kepala\n\
                Kabupaten Mamuju Tengah,Dinas Uji Web,DUW,Dinas,Kepala Dinas\n";
    let checked = upload_import(&site, &cookie, &token, "OPDS", true, good, ID).await;
    assert_eq!(checked.status, StatusCode::OK, "{}", checked.body);
    assert!(
        checked
            .body
            .contains("Diperiksa: 1 baru, 0 diubah, 0 tidak berubah"),
        "{}",
        checked.body
    );
    let bad = "Kabupaten/Kota,Nama OPD,Singkatan,Jenis,Jabatan kepala\n\
               Kabupaten Mamuju Tengah,Dinas Uji Web,,Planet,\n";
    for (lang, text) in [(ID, "jenis OPD tidak dikenal"), (EN, "unknown OPD kind")] {
        let refused = upload_import(&site, &cookie, &token, "OPDS", false, bad, lang).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.body.contains(text), "{lang}: {}", refused.body);
        assert!(refused.body.contains("Planet"));
    }
    let saved = upload_import(&site, &cookie, &token, "OPDS", false, good, EN).await;
    assert!(
        saved.body.contains("Saved: 1 new, 0 changed, 0 unchanged"),
        "{}",
        saved.body
    );
    // Without the session's CSRF value nothing is imported.
    let forged = upload_import(
        &site,
        &cookie,
        "0".repeat(32).as_str(),
        "OPDS",
        false,
        good,
        ID,
    )
    .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let misses = i18n::take_misses();
    assert!(misses.is_empty(), "messages missing: {misses:?}");
}
