//! `/events`: server-sent events for the pages, fed by the GraphQL
//! subscription `events` executed in process for the session's actor — so a
//! page hears of exactly the events the API would send that actor.
//! The page's script re-renders its main region when one arrives.

use std::convert::Infallible;
use std::time::Duration;

use async_graphql::{Request, Variables};
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::{FutureExt as _, StreamExt as _};
use pendamping_api::RequestContext;
use serde::Deserialize;

use crate::WebState;
use crate::session;

#[derive(Debug, Deserialize, Default)]
pub(crate) struct EventsQuery {
    /// A dashboard token (the wall screen has no session).
    token: Option<String>,
}

const EVENTS: &str = "subscription Events($after: ID) { events(after: $after) { id kind objectType objectId districtId opdId agreementId } }";

/// `GET /events`: one SSE event `change` per committed event in the actor's scope.
pub(crate) async fn stream(
    State(state): State<WebState>,
    headers: HeaderMap,
    Query(query): Query<EventsQuery>,
) -> Response {
    let actor_and_token = match query
        .token
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        Some(token) => state
            .engine
            .authenticate(token)
            .await
            .ok()
            .map(|actor| (actor, token.to_owned())),
        None => session::session(&state, &headers)
            .await
            .ok()
            .map(|s| (s.actor, s.token)),
    };
    let Some((actor, token)) = actor_and_token else {
        return (StatusCode::UNAUTHORIZED, "log in first").into_response();
    };
    let (context, loader) =
        RequestContext::new(state.engine.clone(), Some(actor), Some(token), None);
    // A browser that reconnects sends the last id it saw: it gets what it missed.
    let after = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()))
        .map(str::to_owned);
    let variables = Variables::from_json(serde_json::json!({ "after": after }));
    let request = context.attach(loader, Request::new(EVENTS).variables(variables));
    let mut stream = state.schema.execute_stream(request).fuse();
    // Polled once here, so the subscription exists before the answer leaves:
    // an event committed right after the page opened its stream is not missed.
    let first = stream.next().now_or_never().flatten();
    let events = futures_util::stream::iter(first)
        .chain(stream)
        .map(|response| {
            let event = if response.errors.is_empty() {
                let data = response.data.into_json().unwrap_or_default();
                let id = data["events"]["id"].as_str().unwrap_or_default().to_owned();
                Event::default()
                    .event("change")
                    .id(id)
                    .data(data["events"].to_string())
            } else {
                Event::default().event("error").data("refused")
            };
            Ok::<_, Infallible>(event)
        });
    Sse::new(events)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(20)))
        .into_response()
}
