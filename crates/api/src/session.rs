//! The web application's session on the API. A browser logged in to the web
//! application holds its session token in an `HttpOnly` cookie; `POST /graphql`
//! accepts that cookie only when the request also carries [`CSRF_HEADER`] with
//! the value [`csrf_token`] derives from the session. A cross-site form cannot
//! set a header, and a cross-site script cannot read the value (it is rendered
//! only into our own pages), so a forged request from another site runs
//! unauthenticated. Bearer tokens need none of this and take precedence.

use axum::http::{HeaderMap, header};
use sha2::{Digest, Sha256};

/// The name of the cookie that holds the session token of the web application.
pub const SESSION_COOKIE: &str = "pendamping_session";

/// The request header that must carry [`csrf_token`] of the session for the
/// session cookie to count on `POST /graphql`.
pub const CSRF_HEADER: &str = "x-pendamping-csrf";

/// The anti-forgery value of a session: the first 128 bits of SHA-256 over a
/// domain tag and the session token, in lowercase hex. Only who knows the
/// token (the server, from the `HttpOnly` cookie) can compute it; it changes
/// with every login and dies with the session; the server keeps no state for it.
pub fn csrf_token(session_token: &str) -> String {
    let digest = Sha256::new()
        .chain_update(b"pendamping-csrf\0")
        .chain_update(session_token.as_bytes())
        .finalize();
    digest
        .iter()
        .take(16)
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// The session token from the request's cookies, if there is a non-empty one.
pub fn session_cookie(headers: &HeaderMap) -> Option<String> {
    cookie(headers, SESSION_COOKIE)
        .map(|value| value.trim_matches('"').to_owned())
        .filter(|value| !value.is_empty())
}

/// The value of cookie `name`, if the request has a non-empty one (the web
/// pages read theirs with it too).
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.trim())
        .filter(|value| !value.is_empty())
}

/// The session token a request may act with through its cookie: `Ok(None)`
/// without a cookie or without the header (the request is then anonymous),
/// an error when the header is there but does not belong to the session.
pub(crate) fn cookie_session(headers: &HeaderMap) -> Result<Option<String>, &'static str> {
    let Some(session) = session_cookie(headers) else {
        return Ok(None);
    };
    let Some(sent) = headers.get(CSRF_HEADER) else {
        return Ok(None);
    };
    let expected = csrf_token(&session);
    if constant_time_eq(sent.as_bytes(), expected.as_bytes()) {
        Ok(Some(session))
    } else {
        Err("the x-pendamping-csrf header does not belong to this session; reload the page")
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(cookie: Option<&str>, csrf: Option<&str>) -> HeaderMap {
        let mut headers = HeaderMap::new();
        if let Some(cookie) = cookie {
            headers.insert(header::COOKIE, HeaderValue::from_str(cookie).unwrap());
        }
        if let Some(csrf) = csrf {
            headers.insert(CSRF_HEADER, HeaderValue::from_str(csrf).unwrap());
        }
        headers
    }

    #[test]
    fn the_csrf_value_depends_on_the_session() {
        assert_eq!(csrf_token("abc").len(), 32);
        assert_eq!(csrf_token("abc"), csrf_token("abc"));
        assert_ne!(csrf_token("abc"), csrf_token("abd"));
    }

    #[test]
    fn the_cookie_counts_only_with_the_matching_header() {
        let cookie = "lang=id; pendamping_session=tok123; other=x";
        assert_eq!(cookie_session(&headers(Some(cookie), None)), Ok(None));
        assert_eq!(
            cookie_session(&headers(Some(cookie), Some(&csrf_token("tok123")))),
            Ok(Some("tok123".to_owned()))
        );
        assert!(cookie_session(&headers(Some(cookie), Some(&csrf_token("other")))).is_err());
        assert_eq!(
            cookie_session(&headers(None, Some(&csrf_token("tok123")))),
            Ok(None)
        );
        assert_eq!(
            cookie_session(&headers(Some("pendamping_session_x=tok123"), Some("x"))),
            Ok(None)
        );
    }
}
