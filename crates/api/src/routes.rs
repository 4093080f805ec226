//! The HTTP routes of the API: `/graphql` for queries (GET and POST, per the
//! GraphQL-over-HTTP specification) and GraphiQL for browsers; `/graphql/ws`
//! for subscriptions (graphql-ws protocol, token in `connection_init`).

use std::net::SocketAddr;
use std::sync::Arc;

use async_graphql::Data;
use async_graphql::http::{ALL_WEBSOCKET_PROTOCOLS, GraphiQLSource};
use async_graphql_axum::{GraphQLProtocol, GraphQLWebSocket};
use axum::Router;
use axum::extract::{ConnectInfo, Request, State, WebSocketUpgrade};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use pendamping_engine::{Engine, EngineError, ReadState};

use crate::ApiSchema;
use crate::answers::{AnswerCache, AnswerSlot};
use crate::context::RequestContext;
use crate::http::{HttpLimits, execute_http};

/// Settings of the GraphQL routes.
#[derive(Debug, Clone, Default)]
pub struct ApiConfig {
    pub limits: HttpLimits,
    /// How many bytes of answers to read-only requests may be kept for
    /// reuse in the same database snapshot (PostgreSQL only); 0 keeps none.
    pub answer_cache_bytes: usize,
}

#[derive(Clone)]
struct AppState {
    schema: ApiSchema,
    engine: Engine,
    config: ApiConfig,
    answers: Option<Arc<AnswerCache>>,
}

/// The `/graphql` routes over one engine.
pub fn router(engine: Engine, config: ApiConfig) -> Router {
    let answers = (config.answer_cache_bytes > 0)
        .then(|| Arc::new(AnswerCache::new(config.answer_cache_bytes)));
    let downloads = crate::exchange::router(engine.clone());
    let state = AppState {
        schema: crate::schema(),
        engine,
        config,
        answers,
    };
    Router::new()
        .route("/graphql", get(graphql).post(graphql))
        .route("/graphql/ws", get(graphql_ws))
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

/// Downloads an uploaded evidence file, if the caller may read its action item.
async fn evidence(
    State(state): State<AppState>,
    axum::extract::Path(id): axum::extract::Path<String>,
    headers: HeaderMap,
) -> Response {
    let token = match bearer(&headers) {
        Ok(Some(token)) => token,
        Ok(None) => return unauthorized("log in first: send `Authorization: Bearer <token>`"),
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
    match state.engine.evidence_content(&actor, row).await {
        Ok(content) => {
            let disposition = format!(
                "attachment; filename=\"{}\"",
                content.evidence.name.replace(['"', '\\', '\r', '\n'], "_")
            );
            let mut response = content.bytes.into_response();
            let headers = response.headers_mut();
            if let Ok(value) = axum::http::HeaderValue::from_str(&content.evidence.media_type) {
                headers.insert(header::CONTENT_TYPE, value);
            }
            if let Ok(value) = axum::http::HeaderValue::from_str(&disposition) {
                headers.insert(header::CONTENT_DISPOSITION, value);
            }
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
        return Html(
            GraphiQLSource::build()
                .endpoint("/graphql")
                .subscription_endpoint("/graphql/ws")
                .finish(),
        )
        .into_response();
    }
    let token = match bearer(&headers) {
        Ok(token) => token,
        Err(message) => return unauthorized(message),
    };
    // Taken before authenticating, so that everything the answer is made of
    // (the actor's roles included) is at least as new as the state.
    let read_state = read_state_for_answers(&state, &headers).await;
    let actor = match &token {
        Some(token) => match state.engine.authenticate(token).await {
            Ok(actor) => Some(actor),
            Err(EngineError::Unauthenticated(message)) => return unauthorized(&message),
            Err(err) => {
                let error = crate::error::gql(err);
                tracing::warn!(message = %error.message, "authentication failed");
                return (
                    StatusCode::SERVICE_UNAVAILABLE,
                    "authentication is unavailable",
                )
                    .into_response();
            }
        },
        None => None,
    };
    let client_address = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip().to_string());
    let answers =
        read_state.map(|(cache, read_state)| AnswerSlot::new(cache, read_state, actor.clone()));
    let (context, loader) = RequestContext::new(state.engine.clone(), actor, token, client_address);
    execute_http(
        &state.schema,
        request,
        &state.config.limits,
        answers,
        move |req| context.attach(loader, req),
    )
    .await
}

/// The cache and the read state a request may keep its answer under; `None`
/// when nothing may be kept: no cache, an upload, a database without
/// snapshots, or a failure reading one (the request is then answered afresh).
async fn read_state_for_answers(
    state: &AppState,
    headers: &HeaderMap,
) -> Option<(Arc<AnswerCache>, ReadState)> {
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
    if multipart {
        return None;
    }
    match state.engine.read_state().await {
        Ok(read_state) => Some((cache.clone(), read_state?)),
        Err(err) => {
            tracing::debug!(error = %err, "no read state; answering afresh");
            None
        }
    }
}

/// Subscriptions: a WebSocket speaking graphql-ws (`graphql-transport-ws`).
/// The connection is authenticated once, by `{ "token": "…" }` in `connection_init`.
async fn graphql_ws(
    State(state): State<AppState>,
    protocol: GraphQLProtocol,
    upgrade: WebSocketUpgrade,
) -> Response {
    let engine = state.engine.clone();
    upgrade
        .protocols(ALL_WEBSOCKET_PROTOCOLS)
        .on_upgrade(move |stream| {
            GraphQLWebSocket::new(stream, state.schema.clone(), protocol)
                .on_connection_init(move |payload| connection_data(engine, payload))
                .serve()
        })
}

/// The data of an authenticated WebSocket connection; a missing or refused
/// token closes it with the reason.
async fn connection_data(
    engine: Engine,
    payload: serde_json::Value,
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
    // One context for the whole connection: its reads are never memoised.
    let (context, loader) = RequestContext::new(engine, Some(actor), Some(token), None);
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
    fn bearer_tokens_are_read_and_other_schemes_refused() {
        assert_eq!(bearer(&HeaderMap::new()), Ok(None));
        assert_eq!(bearer(&with_auth("Bearer abc")), Ok(Some("abc".into())));
        assert_eq!(bearer(&with_auth("bearer  abc ")), Ok(Some("abc".into())));
        assert!(bearer(&with_auth("Basic dXNlcjpwYXNz")).is_err());
        assert!(bearer(&with_auth("Bearer ")).is_err());
    }
}
