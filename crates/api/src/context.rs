//! What every request carries: the engine, the authenticated actor (if any),
//! its reader and its batcher.

use std::sync::Arc;

use async_graphql::dataloader::{DataLoader, HashMapCache};
use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextParseQuery};
use async_graphql::parser::types::{ExecutableDocument, OperationType};
use async_graphql::{Context, ServerResult, Variables};
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
    /// Whether this context serves one request (HTTP) rather than a whole
    /// WebSocket connection; only then may a query memoise its reads.
    pub(crate) one_request: bool,
}

/// How long the batcher gathers keys before it asks the database. Sibling
/// fields and list items ask within microseconds of each other; the stock
/// millisecond is paid again at every level of a nested query.
const BATCH_WINDOW: std::time::Duration = std::time::Duration::from_micros(250);

/// The request's batcher. Its memo is off unless [`MemoisedReads`] turns it on.
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
            Batch {
                reader: reader.clone(),
            },
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
                one_request: true,
            },
            loader,
        )
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

/// Lets a query read each record once: within one HTTP request whose every
/// operation is a query, the batcher remembers what it loaded (the periods a
/// dashboard classifies forty OPDs by, the OPDs its standings name). A
/// mutation must see what it wrote and a subscription what changed since, so
/// both keep loading afresh.
pub struct MemoisedReads;

impl ExtensionFactory for MemoisedReads {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(MemoisedReads)
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for MemoisedReads {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let document = next.run(ctx, query, variables).await?;
        let only_queries = document
            .operations
            .iter()
            .all(|(_, operation)| operation.node.ty == OperationType::Query);
        let one_request = ctx
            .data_opt::<RequestContext>()
            .is_some_and(|request| request.one_request);
        if only_queries
            && one_request
            && let Some(loader) = ctx.data_opt::<BatchLoader>()
        {
            loader.enable_all_cache(true);
        }
        Ok(document)
    }
}
