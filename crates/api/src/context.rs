//! What every request carries: the engine, the authenticated actor (if any),
//! its reader and its batcher.

use async_graphql::dataloader::{DataLoader, HashMapCache};
use async_graphql::parser::types::OperationType;
use async_graphql::{Context, Request};
use pendamping_engine::{Actor, Engine, Reader};

use crate::error::gql;
use crate::loaders::Batch;

/// Per-request state, put into the GraphQL request's data by the HTTP layer.
pub struct RequestContext {
    pub engine: Engine,
    pub actor: Option<Actor>,
    /// The bearer token the request came with (for `logout`).
    pub token: Option<String>,
    /// The client's address, for login rate limiting.
    pub client_address: Option<String>,
    pub reader: Reader,
}

/// How long the batcher gathers keys before it asks the database. Sibling
/// fields and list items ask within microseconds of each other; the stock
/// millisecond is paid again at every level of a nested query. On tokio's
/// timer (cheaper than async-io's helper thread, woken for every batch) the
/// wait is rounded up to the timer's next millisecond tick.
const BATCH_WINDOW: std::time::Duration = std::time::Duration::from_micros(250);

/// The request's batcher. Its memo is off unless [`RequestContext::attach`] turns it on.
pub type BatchLoader = DataLoader<Batch, HashMapCache>;

impl RequestContext {
    /// The context of one request; anonymous when `actor` is `None`.
    pub fn new(
        engine: Engine,
        actor: Option<Actor>,
        token: Option<String>,
        client_address: Option<String>,
    ) -> (Self, BatchLoader) {
        let reader = match &actor {
            Some(actor) => engine.reader(actor),
            None => engine.reader(&Actor {
                user_id: None,
                label: "anonymous".to_owned(),
                assignments: Vec::new(),
            }),
        };
        let loader = DataLoader::with_cache(
            Batch::new(reader.clone()),
            tokio::spawn,
            HashMapCache::default(),
        )
        .delay(BATCH_WINDOW);
        loader.enable_all_cache(false);
        (
            RequestContext {
                engine,
                actor,
                token,
                client_address,
                reader,
            },
            loader,
        )
    }

    /// Puts this context and its batcher into one GraphQL request. When every
    /// operation of the document is a query, the batcher remembers what it
    /// loaded for the rest of the request (the periods forty OPDs are
    /// classified by, the OPDs a page already listed). A mutation must see
    /// what it wrote, so it loads afresh; so does a WebSocket connection,
    /// whose context is not attached here.
    pub fn attach(self, loader: BatchLoader, mut request: Request) -> Request {
        // Parsed once: execution takes the parsed document from the request.
        let only_queries = request.parsed_query().is_ok_and(|document| {
            document
                .operations
                .iter()
                .all(|(_, operation)| operation.node.ty == OperationType::Query)
        });
        loader.enable_all_cache(only_queries);
        loader.loader().district_counts.remember(only_queries);
        request.data(self).data(loader)
    }
}

pub fn request<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a RequestContext> {
    ctx.data::<RequestContext>()
}

/// The caller, or an UNAUTHENTICATED error: anonymous callers read nothing.
pub fn actor<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a Actor> {
    request(ctx)?.actor.as_ref().ok_or_else(|| {
        gql(pendamping_engine::EngineError::Unauthenticated(
            "log in first: send `Authorization: Bearer <token>` (the `login` mutation gives a token)".to_owned(),
        ))
    })
}

/// The caller's reader; refuses anonymous callers.
pub fn reader<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a Reader> {
    actor(ctx)?;
    Ok(&request(ctx)?.reader)
}

pub fn batch<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a BatchLoader> {
    actor(ctx)?;
    ctx.data::<BatchLoader>()
}
