//! Pendamping's web application: server-rendered pages for every role, in
//! Bahasa Indonesia (the default) and English, served by the same binary.
//!
//! Invariants: every piece of data comes from the public GraphQL schema,
//! executed in process for the session's actor ([`gql::execute`]); this crate
//! never reads storage and never decides permissions (a button exists only
//! when `availableActions` says so). Every word shown is a Fluent message
//! ([`i18n`]). Every asset is compiled in ([`assets`]).

pub mod assets;
mod events;
pub mod gql;
pub mod i18n;
mod pages;
mod session;
mod svg;
mod views;

use std::sync::Arc;

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::Response;
use axum::routing::{get, post};
use pendamping_api::ApiSchema;
use pendamping_engine::Engine;
use tower_http::compression::Predicate as _;

/// Settings of the web pages.
#[derive(Debug, Clone, Default)]
pub struct WebConfig {
    /// Mark the session cookie `Secure` (the server is reached over TLS, e.g.
    /// behind a TLS-terminating proxy).
    pub secure_cookies: bool,
}

pub(crate) struct Inner {
    pub engine: Engine,
    pub schema: ApiSchema,
    pub config: WebConfig,
}

/// The shared state of the pages.
#[derive(Clone)]
pub(crate) struct WebState(pub Arc<Inner>);

impl std::ops::Deref for WebState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

/// The Content-Security-Policy of every page: our own scripts and styles only.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

/// The pages' routes over one engine.
pub fn router(engine: Engine, config: WebConfig) -> Router {
    let state = WebState(Arc::new(Inner {
        engine,
        schema: pendamping_api::schema(),
        config,
    }));
    Router::new()
        .route("/", get(pages::home))
        .route("/login", get(pages::login_page).post(pages::login))
        .route("/logout", post(pages::logout))
        .route("/lang/{code}", get(pages::switch_language))
        .route("/items", get(pages::items::list))
        .route("/items/{id}", get(pages::items::show))
        .route("/items/{id}/act", post(pages::items::act))
        .route("/items/{id}/comment", post(pages::items::comment))
        .route("/items/{id}/evidence", post(pages::items::evidence))
        .route("/queue", get(pages::items::queue))
        .route("/overdue", get(pages::items::overdue))
        .route("/offices", get(pages::boards::offices))
        .route("/offices/{id}", get(pages::boards::office))
        .route("/districts/{id}", get(pages::boards::district))
        .route("/opds/{id}", get(pages::boards::opd))
        .route("/rankings", get(pages::boards::rankings))
        .route("/wall", get(pages::boards::wall))
        .route("/agreements", get(pages::agreements::list))
        .route("/agreements/{id}", get(pages::agreements::show))
        .route(
            "/scores/new",
            get(pages::scores::form).post(pages::scores::record),
        )
        .route(
            "/import",
            get(pages::imports::form).post(pages::imports::upload),
        )
        .route("/notifications", get(pages::notifications::list))
        .route("/notifications/{id}/read", post(pages::notifications::read))
        .route("/events", get(events::stream))
        .route("/assets/{name}", get(assets::serve))
        .fallback(pages::not_found)
        .layer(axum::middleware::map_response(security_headers))
        // gzip what is worth it (HTML, CSS, JS, SVG); never the event stream.
        .layer(
            tower_http::compression::CompressionLayer::new().compress_when(
                tower_http::compression::predicate::SizeAbove::new(512).and(
                    tower_http::compression::predicate::NotForContentType::const_new(
                        "text/event-stream",
                    ),
                ),
            ),
        )
        .with_state(state)
}

/// The security headers of every response of the web pages.
async fn security_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    response
}
