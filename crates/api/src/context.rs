//! What every request carries: the engine, the authenticated actor (if any),
//! its reader and its batcher.

use async_graphql::Context;
use async_graphql::dataloader::DataLoader;
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

impl RequestContext {
    /// The context of one request; anonymous when `actor` is `None`.
    pub fn new(
        engine: Engine,
        actor: Option<Actor>,
        token: Option<String>,
        client_address: Option<String>,
    ) -> (Self, DataLoader<Batch>) {
        let reader = match &actor {
            Some(actor) => engine.reader(actor),
            None => engine.reader(&Actor {
                user_id: None,
                label: "anonymous".to_owned(),
                assignments: Vec::new(),
            }),
        };
        let loader = DataLoader::new(
            Batch {
                reader: reader.clone(),
            },
            tokio::spawn,
        );
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

pub fn batch<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a DataLoader<Batch>> {
    actor(ctx)?;
    ctx.data::<DataLoader<Batch>>()
}
