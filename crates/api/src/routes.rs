//! The HTTP routes of the API: `/graphql` for queries (GET and POST, per the
//! GraphQL-over-HTTP specification) and GraphiQL for browsers (its files at
//! `/graphql/assets/*`, all inside the binary); `/graphql/ws` for
//! subscriptions (graphql-ws protocol, token in `connection_init`).
//!
//! A request authenticates with `Authorization: Bearer <token>`, or — on
//! `POST /graphql` only — with the web application's session cookie together
//! with its anti-forgery header (see [`crate::session`]).

use std::net::SocketAddr;
use std::sync::Arc;

use async_graphql::Data;
use async_graphql::http::ALL_WEBSOCKET_PROTOCOLS;
use async_graphql_axum::{GraphQLProtocol, GraphQLWebSocket};
use axum::Router;
use axum::extract::ws::{CloseFrame, Message, WebSocket};
use axum::extract::{ConnectInfo, Request, State, WebSocketUpgrade};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use pendamping_engine::{Engine, EngineError};

use crate::ApiSchema;
use crate::answers::{AnswerCache, AnswerSlot};
use crate::context::RequestContext;
use crate::http::{HttpLimits, execute_http};

/// Settings of the GraphQL routes.
#[derive(Debug, Clone)]
pub struct ApiConfig {
    pub limits: HttpLimits,
    /// How many bytes of answers to read-only requests may be kept for
    /// reuse while nothing the caller can read has changed; 0 keeps none.
    pub answer_cache_bytes: usize,
    /// How often an open WebSocket asks whether its credential still holds
    /// (one indexed statement); it is closed with 4401/4403 when it does not.
    pub ws_recheck_interval: std::time::Duration,
    /// Proxies whose `Forwarded` / `X-Forwarded-For` headers name the client
    /// (login throttling); from anyone else those headers are ignored.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// How many GraphQL requests over HTTP execute at once; the others wait
    /// in the order they came (0: no limit).
    pub graphql_concurrency: usize,
}

impl Default for ApiConfig {
    fn default() -> Self {
        ApiConfig {
            limits: HttpLimits::default(),
            answer_cache_bytes: 0,
            ws_recheck_interval: std::time::Duration::from_secs(1),
            trusted_proxies: Vec::new(),
            graphql_concurrency: DEFAULT_GRAPHQL_CONCURRENCY,
        }
    }
}

/// GraphQL requests executing at once by default. Past the point where the
/// cores and the database's connections are busy, more requests at once only
/// interleave their statements: each takes longer, and the unlucky ones much
/// longer. Waiting in line (a fair semaphore) keeps the slowest answers
/// close to the typical one under a burst.
pub const DEFAULT_GRAPHQL_CONCURRENCY: usize = 16;

#[derive(Clone)]
struct AppState {
    schema: ApiSchema,
    engine: Engine,
    config: ApiConfig,
    answers: Option<Arc<AnswerCache>>,
    /// Turns for executing (see [`ApiConfig::graphql_concurrency`]); `None`: no limit.
    executing: Option<Arc<tokio::sync::Semaphore>>,
}

/// The `/graphql` routes over one engine.
pub fn router(engine: Engine, config: ApiConfig) -> Router {
    let answers = (config.answer_cache_bytes > 0)
        .then(|| Arc::new(AnswerCache::new(config.answer_cache_bytes)));
    let downloads = crate::exchange::router(engine.clone());
    let executing = (config.graphql_concurrency > 0)
        .then(|| Arc::new(tokio::sync::Semaphore::new(config.graphql_concurrency)));
    let state = AppState {
        schema: crate::schema(),
        engine,
        config,
        answers,
        executing,
    };
    Router::new()
        .route("/graphql", get(graphql).post(graphql))
        .route("/graphql/ws", get(graphql_ws))
        .route("/graphql/assets/{name}", get(crate::graphiql::asset))
        .route("/evidence/{id}", get(evidence))
        .with_state(state)
        .merge(downloads)
}

fn wants_graphiql(method: &Method, headers: &HeaderMap, request: &Request) -> bool {
    let html = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"));
    *method == Method::GET && html && request.uri().query().is_none_or(|q| !q.contains("query="))
}

/// A bearer token from the `Authorization` header: `None` when there is no
/// header, an error when there is one that is not a bearer token.
pub(crate) fn bearer(headers: &HeaderMap) -> Result<Option<String>, &'static str> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let value = value
        .to_str()
        .map_err(|_| "the Authorization header is not text")?;
    let (scheme, token) = value
        .split_once(' ')
        .ok_or("the Authorization header must be `Bearer <token>`")?;
    if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
        return Err("the Authorization header must be `Bearer <token>`");
    }
    Ok(Some(token.trim().to_owned()))
}

/// A refusal before execution: 401 with a GraphQL-shaped error body.
pub(crate) fn unauthorized(message: &str) -> Response {
    let body = serde_json::json!({
        "errors": [{ "message": message, "extensions": { "code": "UNAUTHENTICATED" } }]
    });
    (
        StatusCode::UNAUTHORIZED,
        [
            (header::WWW_AUTHENTICATE, "Bearer realm=\"pendamping\""),
            (header::CONTENT_TYPE, "application/json"),
        ],
        body.to_string(),
    )
        .into_response()
}

/// Media types an evidence file may be shown as inside our pages (`?inline=1`):
/// images and PDFs, never HTML or SVG.
const INLINE_MEDIA_TYPES: &[&str] = &[
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "application/pdf",
];

/// Whether the query string asks for `inline=1`.
fn wants_inline(query: Option<&str>) -> bool {
    query.is_some_and(|q| q.split('&').any(|pair| pair == "inline=1"))
}

/// A safe `Content-Disposition` for a file named `name` (RFC 6266): `attachment`
/// unless `inline` (only images and PDFs shown inside our pages), an ASCII
/// fallback `filename` without quotes, slashes or control characters, and the
/// full name as `filename*` (RFC 8187).
fn content_disposition(name: &str, inline: bool) -> String {
    // The last path segment only, without control characters.
    let name = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let name: String = name.chars().filter(|c| !c.is_control()).collect();
    let name = name.trim().trim_start_matches('.');
    let name = if name.is_empty() { "evidence" } else { name };
    let fallback: String = name
        .chars()
        .map(|c| match c {
            ' ' | '-' | '_' | '.' | '(' | ')' | '[' | ']' | '+' | ',' => c,
            c if c.is_ascii_alphanumeric() => c,
            _ => '_',
        })
        .collect();
    // RFC 8187: attr-char stays, every other byte of the UTF-8 is %-encoded.
    let encoded: String =
        name.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' => (b as char).to_string(),
                b'!' | b'#' | b'$' | b'&' | b'+' | b'-' | b'.' | b'^' | b'_' | b'`' | b'|'
                | b'~' => (b as char).to_string(),
                _ => format!("%{b:02X}"),
            })
            .collect();
    let kind = if inline { "inline" } else { "attachment" };
    format!("{kind}; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

/// Downloads an uploaded evidence file, if the caller may read its action item.
/// A browser of the web pages may use its session cookie (a read: no
/// anti-forgery header needed; the cookie is `SameSite=Lax`). With `?inline=1`
/// an image or PDF is answered for display in the page; anything else is
/// always an attachment, and nothing can run as a page of ours (`nosniff`, and
/// a sandboxing Content-Security-Policy).
async fn evidence(
    State(state): State<AppState>,
    axum::extract::Path(id): axum::extract::Path<String>,
    axum::extract::RawQuery(query): axum::extract::RawQuery,
    headers: HeaderMap,
) -> Response {
    let token = match bearer(&headers) {
        Ok(Some(token)) => token,
        Ok(None) => match crate::session::session_cookie(&headers) {
            Some(token) => token,
            None => return unauthorized("log in first: send `Authorization: Bearer <token>`"),
        },
        Err(message) => return unauthorized(message),
    };
    let actor = match state.engine.authenticate(&token).await {
        Ok(actor) => actor,
        Err(EngineError::Unauthenticated(message)) => return unauthorized(&message),
        Err(_) => {
            return (
                StatusCode::SERVICE_UNAVAILABLE,
                "authentication is unavailable",
            )
                .into_response();
        }
    };
    let Some((crate::id::Kind::Evidence, row)) = crate::id::decode_any(&async_graphql::ID(id))
    else {
        return (StatusCode::NOT_FOUND, "no such evidence").into_response();
    };
    match state
        .engine
        .evidence_content(&actor, pendamping_domain::ids::EvidenceId(row))
        .await
    {
        Ok(content) => {
            let media_type = content.evidence.media_type.to_ascii_lowercase();
            let inline =
                wants_inline(query.as_deref()) && INLINE_MEDIA_TYPES.contains(&media_type.as_str());
            let disposition = content_disposition(&content.evidence.name, inline);
            let mut response = content.bytes.into_response();
            let headers = response.headers_mut();
            headers.insert(
                header::X_CONTENT_TYPE_OPTIONS,
                axum::http::HeaderValue::from_static("nosniff"),
            );
            if let Ok(value) = axum::http::HeaderValue::from_str(&content.evidence.media_type) {
                headers.insert(header::CONTENT_TYPE, value);
            }
            if let Ok(value) = axum::http::HeaderValue::from_str(&disposition) {
                headers.insert(header::CONTENT_DISPOSITION, value);
            }
            headers.insert(
                header::X_CONTENT_TYPE_OPTIONS,
                axum::http::HeaderValue::from_static("nosniff"),
            );
            headers.insert(
                header::CONTENT_SECURITY_POLICY,
                axum::http::HeaderValue::from_static(
                    "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; object-src 'self'",
                ),
            );
            if let Ok(value) =
                axum::http::HeaderValue::from_str(&format!("\"{}\"", content.evidence.sha256))
            {
                headers.insert(header::ETAG, value);
            }
            response
        }
        Err(EngineError::NotFound(_)) => {
            (StatusCode::NOT_FOUND, "no such evidence").into_response()
        }
        Err(err) => {
            let error = crate::error::gql(err);
            (StatusCode::INTERNAL_SERVER_ERROR, error.message).into_response()
        }
    }
}

async fn graphql(State(state): State<AppState>, request: Request) -> Response {
    let headers = request.headers().clone();
    if wants_graphiql(request.method(), &headers, &request) {
        return crate::graphiql::page(&headers);
    }
    let token = match bearer(&headers) {
        Ok(Some(token)) => Some(token),
        // The session cookie counts only on POST and only beside its
        // anti-forgery header, which a cross-site form cannot send.
        Ok(None) if request.method() == Method::POST => {
            match crate::session::cookie_session(&headers) {
                Ok(token) => token,
                Err(message) => return unauthorized(message),
            }
        }
        Ok(None) => None,
        Err(message) => return unauthorized(message),
    };
    let actor = match &token {
        Some(token) => match state.engine.authenticate(token).await {
            Ok(actor) => Some(actor),
            Err(EngineError::Unauthenticated(message)) => return unauthorized(&message),
            Err(err) => {
                // A GraphQL-shaped answer at once (the database is away):
                // `DATABASE_UNAVAILABLE` and when to try again.
                let code = crate::error::code_of(&err);
                let error = crate::error::gql(err);
                tracing::warn!(message = %error.message, "authentication failed");
                let body = serde_json::json!({
                    "errors": [{ "message": format!("authentication is unavailable: {}", error.message), "extensions": { "code": code } }]
                });
                return (
                    StatusCode::SERVICE_UNAVAILABLE,
                    [
                        (header::CONTENT_TYPE, "application/json"),
                        (header::RETRY_AFTER, "5"),
                    ],
                    body.to_string(),
                )
                    .into_response();
            }
        },
        None => None,
    };
    let client_address = crate::client::client_address(
        request
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip()),
        &headers,
        &state.config.trusted_proxies,
    );
    // The read state is read after authenticating (its scopes are the
    // actor's reach), once the request is known to be read-only, and BEFORE
    // the answer is computed (`AnswerSlot::lookup`): every statement of the
    // answer then sees the counters' commits or later ones, so the data is at
    // least as new as the key it is kept under, never older. A commit between
    // the two may show in the answer under the earlier key; that is what this
    // request would have got a moment later anyway, and the commit's bump
    // gives the next request a new key. The actor is part of the key, so
    // roles changed after authenticating cannot leak into another's answer.
    let answers = answer_cache_for(&state, &headers)
        .map(|cache| AnswerSlot::new(cache, state.engine.clone(), actor.clone()));
    let (context, loader) = RequestContext::new(state.engine.clone(), actor, token, client_address);
    // The semaphore is never closed: a turn always comes.
    let _turn = match &state.executing {
        Some(turns) => turns.acquire().await.ok(),
        None => None,
    };
    execute_http(
        &state.schema,
        request,
        &state.config.limits,
        answers,
        move |req| context.attach(loader, req),
    )
    .await
}

/// The cache a request may keep its answer in; `None` when nothing may be
/// kept: no cache, or an upload.
fn answer_cache_for(state: &AppState, headers: &HeaderMap) -> Option<Arc<AnswerCache>> {
    let cache = state.answers.as_ref()?;
    let multipart = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| {
            value
                .trim_start()
                .to_ascii_lowercase()
                .starts_with("multipart/")
        });
    (!multipart).then(|| cache.clone())
}

/// Subscriptions: a WebSocket speaking graphql-ws (`graphql-transport-ws`).
/// The connection is authenticated once, by `{ "token": "…" }` in
/// `connection_init`, and its credential is checked again every
/// `ws_recheck_interval`: when it has ended (logout, revocation, expiry,
/// deactivation — on any process) the socket is closed with 4401 or 4403.
/// `login` (and `resetPassword`) over the WebSocket are throttled exactly as
/// over HTTP: the connection carries its client address, found the same way.
async fn graphql_ws(
    State(state): State<AppState>,
    protocol: GraphQLProtocol,
    headers: HeaderMap,
    peer: Option<axum::Extension<ConnectInfo<SocketAddr>>>,
    upgrade: WebSocketUpgrade,
) -> Response {
    let client_address = crate::client::client_address(
        peer.map(|axum::Extension(ConnectInfo(addr))| addr.ip()),
        &headers,
        &state.config.trusted_proxies,
    );
    upgrade
        .protocols(ALL_WEBSOCKET_PROTOCOLS)
        .on_upgrade(move |socket| serve_ws(state, protocol, socket, client_address))
}

/// Why the server closes a socket: the close code and the reason.
type Ending = Option<(u16, &'static str)>;

async fn serve_ws(
    state: AppState,
    protocol: GraphQLProtocol,
    socket: WebSocket,
    client_address: Option<String>,
) {
    use futures_util::{SinkExt, StreamExt};
    let (mut sink, stream) = socket.split();
    // The GraphQL side writes into a channel; this task forwards to the
    // socket until the credential ends, then sends the close frame itself and
    // drops the GraphQL side (its subscriptions and operations with it).
    let (outgoing, mut queued) = tokio::sync::mpsc::channel::<Message>(16);
    let outgoing = futures_util::sink::unfold(outgoing, |sender, message: Message| async move {
        sender.send(message).await.map(|()| sender)
    });
    let (end_tx, mut ended) = tokio::sync::watch::channel::<Ending>(None);
    let engine = state.engine.clone();
    let every = state.config.ws_recheck_interval;
    let graphql = GraphQLWebSocket::new_with_pair(outgoing, stream, state.schema.clone(), protocol)
        .on_connection_init(move |payload| {
            connection_data(engine, payload, end_tx, every, client_address)
        })
        .serve();
    tokio::pin!(graphql);
    let mut graphql_done = false;
    loop {
        tokio::select! {
            () = &mut graphql, if !graphql_done => graphql_done = true,
            message = queued.recv() => match message {
                Some(message) => {
                    if sink.send(message).await.is_err() {
                        return;
                    }
                }
                // The GraphQL side is done and everything it said is sent.
                None => return,
            },
            Ok(()) = ended.changed() => {
                let Some((code, reason)) = *ended.borrow_and_update() else {
                    continue;
                };
                let frame = CloseFrame { code, reason: reason.into() };
                let _ = sink.send(Message::Close(Some(frame))).await;
                return;
            }
        }
    }
}

/// Asks every `every` whether `token` still authenticates; on the first no,
/// publishes the ending. Stops when the connection is gone.
async fn watch_credential(
    engine: Engine,
    token: String,
    end: tokio::sync::watch::Sender<Ending>,
    every: std::time::Duration,
) {
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    tick.tick().await;
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            () = end.closed() => return,
        }
        match engine.credential_end(&token).await {
            Ok(None) => {}
            Ok(Some(why)) => {
                tracing::debug!(
                    reason = why.reason(),
                    "closing a WebSocket: its credential ended"
                );
                end.send_replace(Some((why.close_code(), why.reason())));
                return;
            }
            // The database is away: keep the socket, ask again next tick.
            Err(err) => tracing::warn!(error = %err, "could not check a WebSocket's credential"),
        }
    }
}

/// The data of an authenticated WebSocket connection; a missing or refused
/// token closes it with the reason.
async fn connection_data(
    engine: Engine,
    payload: serde_json::Value,
    end: tokio::sync::watch::Sender<Ending>,
    every: std::time::Duration,
    client_address: Option<String>,
) -> async_graphql::Result<Data> {
    let token = payload
        .get("token")
        .and_then(|t| t.as_str())
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            async_graphql::Error::new("send your token in connection_init: { \"token\": \"…\" }")
        })?
        .to_owned();
    let actor = match engine.authenticate(&token).await {
        Ok(actor) => actor,
        Err(EngineError::Unauthenticated(message)) => {
            return Err(async_graphql::Error::new(message));
        }
        Err(err) => {
            let error = crate::error::gql(err);
            tracing::warn!(message = %error.message, "authentication failed");
            return Err(async_graphql::Error::new("authentication is unavailable"));
        }
    };
    tokio::spawn(watch_credential(engine.clone(), token.clone(), end, every));
    // One context for the whole connection: its reads are never memoised.
    let (context, loader) = RequestContext::new(engine, Some(actor), Some(token), client_address);
    let mut data = Data::default();
    data.insert(context);
    data.insert(loader);
    Ok(data)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn with_auth(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::AUTHORIZATION, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn download_names_are_sanitised_and_given_as_rfc_6266_attachments() {
        let header = content_disposition("Laporan \"akhir\"\r\nX-Evil: 1 ☃/../ok.pdf", false);
        assert!(header.starts_with("attachment; filename=\""), "{header}");
        assert!(!header.contains('\r') && !header.contains('\n'), "{header}");
        assert!(header.is_ascii(), "{header}");
        assert!(header.contains("filename*=UTF-8''"), "{header}");
        assert!(!header.contains("../"), "{header}");
        assert!(axum::http::HeaderValue::from_str(&header).is_ok());
        // The quoted fallback holds no quote or backslash of the name.
        let fallback = header.split('"').nth(1).unwrap_or_default();
        assert!(
            !fallback.contains('\\') && !fallback.contains('/'),
            "{header}"
        );
        assert_eq!(
            content_disposition("", false),
            "attachment; filename=\"evidence\"; filename*=UTF-8''evidence"
        );
    }

    #[test]
    fn bearer_tokens_are_read_and_other_schemes_refused() {
        assert_eq!(bearer(&HeaderMap::new()), Ok(None));
        assert_eq!(bearer(&with_auth("Bearer abc")), Ok(Some("abc".into())));
        assert_eq!(bearer(&with_auth("bearer  abc ")), Ok(Some("abc".into())));
        assert!(bearer(&with_auth("Basic dXNlcjpwYXNz")).is_err());
        assert!(bearer(&with_auth("Bearer ")).is_err());
    }
}
