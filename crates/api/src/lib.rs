//! Pendamping's GraphQL API: the schema, its types (each wrapping a domain
//! value), batching loaders, the one error mapping, and the HTTP routes.
//!
//! Invariants: this is the only crate that knows the wire format; resolvers
//! read the request context, call the engine, and wrap the result.

mod accounts;
mod actions;
mod answers;
pub mod client;
mod connection;
mod context;
mod documents;
pub mod error;
pub mod events;
pub mod exchange;
mod graphiql;
pub mod http;
mod id;
mod imports;
mod limits;
mod loaders;
mod mail;
mod methodology;
pub mod metrics;
mod mutation;
mod notifications;
mod query;
mod routes;
mod scalars;
mod scoring;
pub mod session;
mod total;
mod types;
mod work_rules;
mod workflow;

use async_graphql::{MergedObject, Schema};

pub use context::{BatchLoader, RequestContext};
pub use limits::{BUDGET, CostLimits, MAX_SELECTIONS, REFILL_PER_SECOND};
pub use routes::{ApiConfig, DEFAULT_GRAPHQL_CONCURRENCY, router};

/// Reading Pendamping: every field answers only what the caller may see.
#[derive(MergedObject, Default)]
#[graphql(name = "Query")]
pub struct Query(query::Query, accounts::AccountsQuery);

/// The root mutation: reference data, identity and scores, the workflow actions, and notifications.
#[derive(MergedObject, Default)]
#[graphql(name = "Mutation")]
pub struct Mutation(
    mutation::CoreMutation,
    workflow::WorkflowMutation,
    methodology::MethodologyMutation,
    events::WebhookMutation,
    notifications::NotificationMutation,
    work_rules::WorkRulesMutation,
    accounts::AccountsMutation,
    scoring::ScoringMutation,
    mail::EmailMutation,
    imports::ImportMutation,
);

/// The async-graphql schema: `Query`, `Mutation`, and `Subscription` (live events).
type GraphSchema = Schema<Query, Mutation, events::Subscription>;

/// The schema, as every request enters it. A query or mutation is first
/// admitted by a copy of the schema that carries the limits extension
/// (`limits.rs`: parsed, measured, validated, charged to its credential),
/// then executed by a copy without extensions: async-graphql wraps every
/// field it resolves in each extension's hook, about a tenth of a
/// dashboard's server time, for nothing the limits need. Subscriptions run
/// on the admitting copy.
#[derive(Clone)]
pub struct ApiSchema {
    admission: GraphSchema,
    execution: GraphSchema,
}

impl ApiSchema {
    /// Admits, then executes, one request.
    pub async fn execute(
        &self,
        request: impl Into<async_graphql::Request>,
    ) -> async_graphql::Response {
        limits::admit_then_execute(&self.admission, &self.execution, request.into()).await
    }

    /// A stream of answers (subscriptions; anything sent over the WebSocket).
    pub fn execute_stream(
        &self,
        request: impl Into<async_graphql::Request>,
    ) -> futures_util::stream::BoxStream<'static, async_graphql::Response> {
        self.admission.execute_stream(request)
    }

    /// The schema in SDL.
    pub fn sdl_with_options(&self, options: async_graphql::SDLExportOptions) -> String {
        self.execution.sdl_with_options(options)
    }
}

impl async_graphql::Executor for ApiSchema {
    async fn execute(&self, request: async_graphql::Request) -> async_graphql::Response {
        ApiSchema::execute(self, request).await
    }

    fn execute_stream(
        &self,
        request: async_graphql::Request,
        session_data: Option<std::sync::Arc<async_graphql::Data>>,
    ) -> futures_util::stream::BoxStream<'static, async_graphql::Response> {
        async_graphql::Executor::execute_stream(&self.admission, request, session_data)
    }
}

/// The deepest query accepted. Leaves room for the standard introspection query.
pub const MAX_DEPTH: usize = 20;
/// The most complex query accepted (page sizes multiply their children).
pub const MAX_COMPLEXITY: usize = 250_000;

/// The schema, with its limits. Request data (the actor, loaders) is added per request.
pub fn schema() -> ApiSchema {
    schema_with(CostLimits::default())
}

/// The schema with other cost limits (`limits.rs`: selections, depth and
/// complexity per request, refused with codes and figures; a budget per credential).
pub fn schema_with(limits: CostLimits) -> ApiSchema {
    // Admission validated the same document with the same variables in
    // full; execution keeps the limits only as a backstop.
    let execution = Schema::build(Query::default(), Mutation::default(), events::Subscription)
        .validation_mode(async_graphql::ValidationMode::Fast)
        .limit_complexity(limits.max_complexity)
        .limit_depth(limits.max_depth)
        .finish();
    let admission = Schema::build(Query::default(), Mutation::default(), events::Subscription)
        .extension(limits::Limits::new(limits))
        .finish();
    ApiSchema {
        admission,
        execution,
    }
}

/// The schema in SDL, as committed in `schema.graphql`.
pub fn sdl() -> String {
    schema().sdl_with_options(
        async_graphql::SDLExportOptions::new()
            .include_specified_by()
            .sorted_fields()
            .sorted_enum_items(),
    )
}
