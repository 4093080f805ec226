//! Cost limits that cover every shape of request, and a cost budget per
//! credential over time.
//!
//! - Before validation, the parsed document is measured: every field
//!   selection counts, aliases and repeats included, fragments expanded
//!   (memoised, so a fragment used a thousand times is measured once). Tens of
//!   thousands of aliases of a cheap field are refused here, before any rule
//!   or resolver runs (`QUERY_TOO_COMPLEX`, `QUERY_TOO_DEEP`).
//! - After validation, the complexity (page sizes multiply their children) is
//!   compared with the limit, and charged to the credential's budget: a leaky
//!   bucket per token (or client address when anonymous), kept in memory per
//!   process (`RATE_LIMITED` with `retryAfterSeconds`).
//! - Every answer reports `extensions.cost { requested, limit, budgetRemaining }`.
//!
//! Every refusal is a GraphQL error with `extensions.code` and the figures
//! (`limit`, `actual`); other validation errors get `GRAPHQL_VALIDATION_FAILED`.

use std::collections::{HashMap, HashSet};
use std::hash::BuildHasher;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextExecute, NextParseQuery, NextValidation,
};
use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{
    ErrorExtensionValues, Name, Response, ServerError, ServerResult, ValidationResult, Value,
    Variables,
};

use crate::context::RequestContext;

/// The limits every request is held to.
#[derive(Debug, Clone)]
pub struct CostLimits {
    /// The most complex query accepted (page sizes multiply their children).
    pub max_complexity: usize,
    /// The deepest query accepted.
    pub max_depth: usize,
    /// The most field selections in one document, aliases and repeats
    /// included, fragments expanded.
    pub max_selections: usize,
    /// Cost points a credential may spend at once (the bucket's size).
    pub budget: u64,
    /// Cost points given back per second.
    pub refill_per_second: u64,
}

/// The most field selections in one document (aliases and repeats count).
pub const MAX_SELECTIONS: usize = 2_000;
/// A credential's cost budget: eight of the largest queries at once…
pub const BUDGET: u64 = 8 * crate::MAX_COMPLEXITY as u64;
/// …given back at this many points per second (one largest query every 12.5 s, sustained).
pub const REFILL_PER_SECOND: u64 = 20_000;

impl Default for CostLimits {
    fn default() -> Self {
        CostLimits {
            max_complexity: crate::MAX_COMPLEXITY,
            max_depth: crate::MAX_DEPTH,
            max_selections: MAX_SELECTIONS,
            budget: BUDGET,
            refill_per_second: REFILL_PER_SECOND,
        }
    }
}

/// The schema extension enforcing [`CostLimits`].
pub(crate) struct Limits {
    limits: Arc<CostLimits>,
    buckets: Arc<Buckets>,
}

impl Limits {
    pub(crate) fn new(limits: CostLimits) -> Self {
        Limits {
            limits: Arc::new(limits),
            buckets: Arc::new(Buckets::default()),
        }
    }
}

impl ExtensionFactory for Limits {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(LimitsExtension {
            limits: self.limits.clone(),
            buckets: self.buckets.clone(),
            charged: Mutex::new(None),
        })
    }
}

struct LimitsExtension {
    limits: Arc<CostLimits>,
    buckets: Arc<Buckets>,
    /// (requested, budget remaining) once the request has been charged.
    charged: Mutex<Option<(usize, u64)>>,
}

fn refusal(code: &str, message: String, figures: &[(&str, Value)]) -> ServerError {
    let mut error = ServerError::new(message, None);
    let mut extensions = ErrorExtensionValues::default();
    extensions.set("code", code);
    for (name, value) in figures {
        extensions.set(*name, value.clone());
    }
    error.extensions = Some(extensions);
    error
}

fn too_complex(limit: usize, actual: usize, measure: &str) -> ServerError {
    refusal(
        "QUERY_TOO_COMPLEX",
        format!("the query is too complex: {measure} {actual}, at most {limit}"),
        &[
            ("limit", Value::from(limit as u64)),
            ("actual", Value::from(actual as u64)),
            ("measure", Value::from(measure)),
        ],
    )
}

fn too_deep(limit: usize, actual: usize) -> ServerError {
    refusal(
        "QUERY_TOO_DEEP",
        format!("the query is nested too deep: depth {actual}, at most {limit}"),
        &[
            ("limit", Value::from(limit as u64)),
            ("actual", Value::from(actual as u64)),
        ],
    )
}

/// Where a request carries the NUL character (U+0000), if anywhere: the
/// variable's path, or the query text (where a string literal can only hold
/// it as the escape `\u0000`). PostgreSQL text cannot hold it, so every text
/// argument with it would fail deep in the database; it is refused up front,
/// the same on both databases.
fn nul_in(query: &str, variables: &Variables) -> Option<String> {
    fn walk(value: &Value, path: &mut String) -> bool {
        match value {
            Value::String(text) => text.contains('\0'),
            Value::List(items) => items.iter().enumerate().any(|(i, item)| {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                let found = walk(item, path);
                if !found {
                    path.truncate(len);
                }
                found
            }),
            Value::Object(members) => members.iter().any(|(name, item)| {
                let len = path.len();
                path.push('.');
                path.push_str(name.as_str());
                let found = name.as_str().contains('\0') || walk(item, path);
                if !found {
                    path.truncate(len);
                }
                found
            }),
            _ => false,
        }
    }
    // GraphQL spells the escape `\u0000` (lower-case `u` only).
    if query.contains('\0') || query.contains("\\u0000") {
        return Some("the query text".to_owned());
    }
    variables.iter().find_map(|(name, value)| {
        let mut path = format!("${}", name.as_str());
        walk(value, &mut path).then_some(path)
    })
}

fn nul_refused(place: &str) -> ServerError {
    refusal(
        "BAD_USER_INPUT",
        format!(
            "{place}: a text contains the NUL character (U+0000), which cannot be stored or searched; remove it"
        ),
        &[("fields", Value::List(vec![Value::from(place)]))],
    )
}

#[async_trait::async_trait]
impl Extension for LimitsExtension {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        if let Some(place) = nul_in(query, variables) {
            return Err(nul_refused(&place));
        }
        let document = next.run(ctx, query, variables).await?;
        let shape = measure(&document);
        if shape.depth > self.limits.max_depth {
            return Err(too_deep(self.limits.max_depth, shape.depth));
        }
        if shape.selections > self.limits.max_selections {
            return Err(too_complex(
                self.limits.max_selections,
                shape.selections,
                "field selections",
            ));
        }
        Ok(document)
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        let result = next.run(ctx).await.map_err(|errors| {
            errors
                .into_iter()
                .map(|mut error| {
                    let extensions = error.extensions.get_or_insert_with(Default::default);
                    if extensions.get("code").is_none() {
                        extensions.set("code", "GRAPHQL_VALIDATION_FAILED");
                    }
                    error
                })
                .collect::<Vec<_>>()
        })?;
        if result.complexity > self.limits.max_complexity {
            return Err(vec![too_complex(
                self.limits.max_complexity,
                result.complexity,
                "complexity",
            )]);
        }
        if result.depth > self.limits.max_depth {
            return Err(vec![too_deep(self.limits.max_depth, result.depth)]);
        }
        let key = match ctx.data_opt::<AdmitOnly>() {
            Some(admitting) => admitting
                .payer
                .as_ref()
                .map(|(kind, who)| (*kind, who.as_str())),
            None => ctx.data_opt::<RequestContext>().and_then(payer),
        };
        if let Some(key) = key {
            let cost = result.complexity.max(1) as u64;
            match self.buckets.take(key, cost, &self.limits) {
                Ok(remaining) => {
                    if let Ok(mut charged) = self.charged.lock() {
                        *charged = Some((result.complexity, remaining));
                    }
                }
                Err(retry_after) => {
                    return Err(vec![refusal(
                        "RATE_LIMITED",
                        format!(
                            "this credential has spent its query budget ({} points, {} given back per second); retry in {retry_after} s",
                            self.limits.budget, self.limits.refill_per_second
                        ),
                        &[
                            ("retryAfterSeconds", Value::from(retry_after)),
                            ("limit", Value::from(self.limits.budget)),
                            ("requested", Value::from(cost)),
                        ],
                    )]);
                }
            }
        }
        Ok(result)
    }

    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        let mut response = if ctx.data_opt::<AdmitOnly>().is_some() {
            Response::new(Value::Null)
        } else {
            next.run(ctx, operation_name).await
        };
        let charged = self.charged.lock().ok().and_then(|c| *c);
        if let Some((requested, remaining)) = charged {
            let cost = serde_json::json!({
                "requested": requested,
                "limit": self.limits.max_complexity,
                "budgetRemaining": remaining,
            });
            if let Ok(cost) = Value::from_json(cost) {
                response.extensions.insert("cost".to_owned(), cost);
            }
        }
        response
    }
}

/// Marks a request sent to the admitting schema only to be admitted: it is
/// parsed, measured, validated and charged, and answered without running.
struct AdmitOnly {
    /// Who pays for it (see [`payer`]).
    payer: Option<(&'static str, String)>,
}

/// Who pays for a request: its bearer token, else its client's address.
fn payer(request: &RequestContext) -> Option<(&'static str, &str)> {
    request
        .token
        .as_deref()
        .map(|t| ("token", t))
        .or(request.client_address.as_deref().map(|a| ("address", a)))
}

/// Runs `request` through `admission` (the schema with this extension), and,
/// when it is admitted, through `execution` (the same schema without it),
/// with the admission's cost report. A document that does not parse is left
/// to `admission` to report, as any refusal.
pub(crate) async fn admit_then_execute<Q, M, S>(
    admission: &async_graphql::Schema<Q, M, S>,
    execution: &async_graphql::Schema<Q, M, S>,
    mut request: async_graphql::Request,
) -> Response
where
    Q: async_graphql::ObjectType + 'static,
    M: async_graphql::ObjectType + 'static,
    S: async_graphql::SubscriptionType + 'static,
{
    let Ok(document) = request.parsed_query() else {
        return admission.execute(request).await;
    };
    let document = document.clone();
    let payer = request
        .data
        .get(&std::any::TypeId::of::<RequestContext>())
        .and_then(|data| data.downcast_ref::<RequestContext>())
        .and_then(payer)
        .map(|(kind, who)| (kind, who.to_owned()));
    let mut admitting = async_graphql::Request::new(request.query.clone())
        .variables(request.variables.clone())
        .data(AdmitOnly { payer });
    admitting.operation_name = request.operation_name.clone();
    admitting.set_parsed_query(document);
    let admitted = admission.execute(admitting).await;
    if admitted.is_err() {
        return admitted;
    }
    let mut response = execution.execute(request).await;
    response.extensions.extend(admitted.extensions);
    response
}

/// What a document asks for, fragments expanded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Shape {
    selections: usize,
    depth: usize,
}

fn measure(document: &ExecutableDocument) -> Shape {
    let mut memo = HashMap::new();
    let mut visiting = HashSet::new();
    let mut total = Shape::default();
    for (_, operation) in document.operations.iter() {
        let shape = set_shape(
            &operation.node.selection_set.node,
            document,
            &mut memo,
            &mut visiting,
        );
        total.selections = total.selections.saturating_add(shape.selections);
        total.depth = total.depth.max(shape.depth);
    }
    total
}

fn set_shape<'d>(
    set: &'d SelectionSet,
    document: &'d ExecutableDocument,
    memo: &mut HashMap<&'d Name, Shape>,
    visiting: &mut HashSet<&'d Name>,
) -> Shape {
    let mut shape = Shape::default();
    for selection in &set.items {
        let (selections, depth) = match &selection.node {
            Selection::Field(field) => {
                let child = set_shape(&field.node.selection_set.node, document, memo, visiting);
                (child.selections.saturating_add(1), child.depth + 1)
            }
            Selection::InlineFragment(fragment) => {
                let child = set_shape(&fragment.node.selection_set.node, document, memo, visiting);
                (child.selections, child.depth)
            }
            Selection::FragmentSpread(spread) => {
                let name = &spread.node.fragment_name.node;
                let child = match memo.get(name) {
                    Some(shape) => *shape,
                    // A cycle: validation refuses it; count nothing here.
                    None if visiting.contains(name) => Shape::default(),
                    None => match document.fragments.get(name) {
                        Some(fragment) => {
                            visiting.insert(name);
                            let shape = set_shape(
                                &fragment.node.selection_set.node,
                                document,
                                memo,
                                visiting,
                            );
                            visiting.remove(name);
                            memo.insert(name, shape);
                            shape
                        }
                        None => Shape::default(),
                    },
                };
                (child.selections, child.depth)
            }
        };
        shape.selections = shape.selections.saturating_add(selections);
        shape.depth = shape.depth.max(depth);
    }
    shape
}

/// Leaky buckets per credential: how much each has spent, leaking at the refill rate.
#[derive(Default)]
struct Buckets {
    state: Mutex<HashMap<u64, (f64, Instant)>>,
    keys: std::collections::hash_map::RandomState,
}

/// Buckets kept before the empty ones are forgotten.
const MAX_BUCKETS: usize = 10_000;

impl Buckets {
    /// Charges `cost` to `key`: the budget left, or the whole seconds to wait.
    fn take(&self, key: (&str, &str), cost: u64, limits: &CostLimits) -> Result<u64, u64> {
        // Only a keyed hash of the credential is kept, never the token itself.
        let key = self.keys.hash_one(key);
        let rate = limits.refill_per_second.max(1) as f64;
        let budget = limits.budget as f64;
        let now = Instant::now();
        let Ok(mut state) = self.state.lock() else {
            return Ok(limits.budget);
        };
        if state.len() >= MAX_BUCKETS {
            state.retain(|_, (spent, at)| {
                *spent - now.duration_since(*at).as_secs_f64() * rate > 0.0
            });
        }
        let (spent, at) = state.entry(key).or_insert((0.0, now));
        let level = (*spent - now.duration_since(*at).as_secs_f64() * rate).max(0.0);
        let cost = cost as f64;
        if level + cost > budget {
            let wait = ((level + cost - budget) / rate).ceil().max(1.0);
            *spent = level;
            *at = now;
            return Err(wait as u64);
        }
        *spent = level + cost;
        *at = now;
        Ok((budget - *spent).floor().max(0.0) as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(query: &str) -> Shape {
        measure(&async_graphql::parser::parse_query(query).unwrap())
    }

    #[test]
    fn aliases_repeats_and_fragments_all_count() {
        assert_eq!(
            shape("{ a b: a c: a }"),
            Shape {
                selections: 3,
                depth: 1
            }
        );
        assert_eq!(
            shape("{ x { y z } }"),
            Shape {
                selections: 3,
                depth: 2
            }
        );
        let doubled = "query { ...F ...F } fragment F on Q { a { b c } }";
        assert_eq!(
            shape(doubled),
            Shape {
                selections: 6,
                depth: 2
            }
        );
        // Fragments that double each level count their expansion, not their text.
        let mut doc = String::from("query { ...F0 } fragment F20 on Q { a }");
        for i in 0..20 {
            doc.push_str(&format!(
                " fragment F{i} on Q {{ ...F{n} ...F{n} }}",
                n = i + 1
            ));
        }
        assert_eq!(shape(&doc).selections, 1 << 20);
    }

    #[test]
    fn a_bucket_leaks_at_its_rate_and_says_when_to_retry() {
        let limits = CostLimits {
            budget: 100,
            refill_per_second: 10,
            ..CostLimits::default()
        };
        let buckets = Buckets::default();
        assert_eq!(buckets.take(("token", "a"), 60, &limits), Ok(40));
        assert_eq!(buckets.take(("token", "a"), 60, &limits), Err(2));
        assert_eq!(buckets.take(("token", "b"), 60, &limits), Ok(40));
    }
}
