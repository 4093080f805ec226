//! The browser session: the `login` mutation's token kept in an `HttpOnly`
//! cookie, the per-session token against cross-site request forgery, and the
//! language cookie.

use axum::http::{HeaderMap, HeaderValue, header};
use pendamping_engine::{Actor, EngineError};

use crate::WebState;
use crate::i18n::Lang;

/// The session cookie's name (the API reads the same cookie).
pub const SESSION_COOKIE: &str = pendamping_api::session::SESSION_COOKIE;
/// The language cookie's name.
pub const LANG_COOKIE: &str = "pendamping_lang";

/// A logged-in browser.
#[derive(Clone)]
pub struct Session {
    pub token: String,
    pub actor: Actor,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("actor", &self.actor.label)
            .finish_non_exhaustive()
    }
}

impl Session {
    /// The anti-forgery token of this session: derived from the secret
    /// session token, so a page of another site can neither read nor guess it.
    pub fn csrf(&self) -> String {
        csrf_for(&self.token)
    }
}

/// The anti-forgery token of a session token: the API's own derivation, so
/// the pages' script could send it as `x-pendamping-csrf` to `/graphql` too.
pub fn csrf_for(token: &str) -> String {
    pendamping_api::session::csrf_token(token)
}

/// The value of cookie `name`, if the request has it.
pub use pendamping_api::session::cookie;

/// The page language: the cookie's, else the browser's preference, else Indonesian.
pub fn language(headers: &HeaderMap) -> Lang {
    if let Some(lang) = cookie(headers, LANG_COOKIE).and_then(Lang::from_code) {
        return lang;
    }
    headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map_or(Lang::Id, Lang::from_accept_language)
}

/// Why a request has no session.
#[derive(Debug)]
pub enum NoSession {
    /// No cookie, or one the server no longer knows (expired, logged out).
    Anonymous,
    /// The database could not be asked.
    Unavailable,
}

/// The session of the request, from its cookie.
pub async fn session(state: &WebState, headers: &HeaderMap) -> Result<Session, NoSession> {
    let token = cookie(headers, SESSION_COOKIE).ok_or(NoSession::Anonymous)?;
    match state.engine.authenticate(token).await {
        Ok(actor) => Ok(Session {
            token: token.to_owned(),
            actor,
        }),
        Err(EngineError::Unauthenticated(_)) => Err(NoSession::Anonymous),
        Err(err) => {
            tracing::warn!(error = %err, "session check failed");
            Err(NoSession::Unavailable)
        }
    }
}

/// Whether the session cookie must be `Secure`: told so, or the request came
/// through a proxy that says it was HTTPS.
pub fn secure(state: &WebState, headers: &HeaderMap) -> bool {
    state.config.secure_cookies
        || headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("https"))
}

/// The `Set-Cookie` value that keeps a session token.
pub fn session_cookie(token: &str, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("pendamping_session=; Path=/; Max-Age=0"))
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn clear_session_cookie(secure: bool) -> HeaderValue {
    if secure {
        HeaderValue::from_static(
            "pendamping_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0; Secure",
        )
    } else {
        HeaderValue::from_static("pendamping_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0")
    }
}

/// The `Set-Cookie` value that remembers the language for a year.
pub fn lang_cookie(lang: Lang) -> HeaderValue {
    match lang {
        Lang::Id => {
            HeaderValue::from_static("pendamping_lang=id; Path=/; Max-Age=31536000; SameSite=Lax")
        }
        Lang::En => {
            HeaderValue::from_static("pendamping_lang=en; Path=/; Max-Age=31536000; SameSite=Lax")
        }
    }
}

/// Whether a state-changing request comes from one of our own pages: its
/// `Origin` (or, without one, its `Referer`) names the host it was sent to.
pub fn same_origin(headers: &HeaderMap) -> bool {
    let hosts: Vec<&str> = [header::HOST.as_str(), "x-forwarded-host"]
        .iter()
        .filter_map(|name| headers.get(*name))
        .filter_map(|v| v.to_str().ok())
        .map(str::trim)
        .collect();
    let source = headers
        .get(header::ORIGIN)
        .or_else(|| headers.get(header::REFERER))
        .and_then(|v| v.to_str().ok());
    let Some(source) = source else {
        return false;
    };
    let Some((_, rest)) = source.split_once("://") else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    !authority.is_empty()
        && hosts
            .iter()
            .any(|host| host.eq_ignore_ascii_case(authority))
}

/// Whether a form post may change anything: same origin, and the session's token.
pub fn form_allowed(headers: &HeaderMap, session: &Session, sent: Option<&str>) -> bool {
    same_origin(headers) && sent.is_some_and(|sent| constant_time_eq(sent, &session.csrf()))
}

fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    #[test]
    fn same_origin_needs_a_matching_origin_or_referer() {
        assert!(same_origin(&headers(&[
            ("host", "127.0.0.1:8080"),
            ("origin", "http://127.0.0.1:8080")
        ])));
        assert!(same_origin(&headers(&[
            ("host", "127.0.0.1:8080"),
            ("referer", "http://127.0.0.1:8080/items/1?x=y")
        ])));
        assert!(!same_origin(&headers(&[
            ("host", "127.0.0.1:8080"),
            ("origin", "http://evil.example")
        ])));
        assert!(!same_origin(&headers(&[
            ("host", "127.0.0.1:8080"),
            ("origin", "http://127.0.0.1:8080.evil.example")
        ])));
        assert!(!same_origin(&headers(&[("host", "127.0.0.1:8080")])));
        assert!(!same_origin(&headers(&[
            ("host", "127.0.0.1:8080"),
            ("origin", "null")
        ])));
    }

    #[test]
    fn cookies_are_read_by_name() {
        let h = headers(&[("cookie", "a=1; pendamping_session=abc; pendamping_lang=en")]);
        assert_eq!(cookie(&h, SESSION_COOKIE), Some("abc"));
        assert_eq!(language(&h), Lang::En);
        assert_eq!(cookie(&h, "missing"), None);
    }

    #[test]
    fn the_session_cookie_is_http_only_and_same_site() {
        let plain = session_cookie("t", false);
        let plain = plain.to_str().unwrap();
        assert!(plain.contains("HttpOnly") && plain.contains("SameSite=Lax"));
        assert!(!plain.contains("Secure"));
        assert!(
            session_cookie("t", true)
                .to_str()
                .unwrap()
                .ends_with("; Secure")
        );
        assert_ne!(csrf_for("a"), csrf_for("b"));
    }
}
