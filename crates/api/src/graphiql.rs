//! GraphiQL, served from the binary: the page at `GET /graphql` (for a
//! browser) and its files at `/graphql/assets/{name}`. Nothing is loaded from
//! another host, so the explorer works on an intranet without internet.
//!
//! The files in `assets/graphiql/vendor/` are GraphiQL's and React's own
//! builds, copied byte-for-byte from the npm packages pinned (with their
//! integrity) in the `package-lock.json` beside them; `.ci/check-graphiql-vendor`
//! proves the copies equal the packages. `index.html`, `init.js` and
//! `page.css` are ours. The page runs no inline script.

use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::session;

/// The page's Content-Security-Policy: scripts and styles from this server
/// only (GraphiQL and CodeMirror set style attributes, hence inline styles),
/// its fonts are data URLs inside its CSS, requests go to this server only.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
     img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; \
     base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const PAGE: &str = include_str!("../assets/graphiql/index.html");

/// The files the page loads: name, content type, bytes.
const ASSETS: &[(&str, &str, &[u8])] = &[
    (
        "graphiql.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/graphiql/vendor/graphiql.min.js"),
    ),
    (
        "graphiql.min.css",
        "text/css; charset=utf-8",
        include_bytes!("../assets/graphiql/vendor/graphiql.min.css"),
    ),
    (
        "react.production.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/graphiql/vendor/react.production.min.js"),
    ),
    (
        "react-dom.production.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/graphiql/vendor/react-dom.production.min.js"),
    ),
    (
        "init.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/graphiql/init.js"),
    ),
    (
        "page.css",
        "text/css; charset=utf-8",
        include_bytes!("../assets/graphiql/page.css"),
    ),
];

/// The GraphiQL page. With a session cookie, the page carries the session's
/// anti-forgery value so that GraphiQL can act with the session.
pub(crate) fn page(headers: &HeaderMap) -> Response {
    let csrf = session::session_cookie(headers)
        .map(|token| {
            format!(
                "<meta name=\"pendamping-csrf\" content=\"{}\">",
                session::csrf_token(&token)
            )
        })
        .unwrap_or_default();
    let html = PAGE.replace("<!--csrf-->", &csrf);
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CONTENT_SECURITY_POLICY, CSP),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (header::REFERRER_POLICY, "same-origin"),
            // The page holds a per-session value: never from a shared cache.
            (header::CACHE_CONTROL, "no-store"),
        ],
        html,
    )
        .into_response()
}

/// One of the page's files, with its content type.
pub(crate) async fn asset(Path(name): Path<String>) -> Response {
    let Some((_, content_type, bytes)) = ASSETS.iter().find(|(file, _, _)| *file == name) else {
        return (StatusCode::NOT_FOUND, "no such file").into_response();
    };
    let mut response = (*bytes).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_the_page_names_is_served() {
        for src in PAGE
            .split("\"/graphql/assets/")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
        {
            assert!(
                ASSETS.iter().any(|(name, _, _)| *name == src),
                "the page loads /graphql/assets/{src}, which is not served"
            );
        }
        assert!(!PAGE.contains("http://") && !PAGE.contains("https://"));
        assert!(!PAGE.contains("<script>"), "no inline script");
    }
}
