//! Prometheus metrics (issue 13, item 8), served at `GET /metrics` by the
//! server (who may read them: docs/operations.md). One registry per process:
//! GraphQL requests by operation name and outcome with latency histograms,
//! answer-cache hits, deadline-sweeper runs, and gauges the server sets from
//! the engine at each scrape (pool use, event relay lag, webhook queue).

use std::sync::atomic::AtomicI64;
use std::sync::{LazyLock, Mutex};
use std::time::Duration;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

/// Distinct operation names kept as labels; later new names count as `other`
/// (names are chosen by clients: without a cap, a client could grow the
/// registry without end).
const MAX_OPERATION_NAMES: usize = 200;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    operation: String,
    outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OperationLabel {
    operation: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ResultLabel {
    result: &'static str,
}

/// How a GraphQL request over HTTP ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Answered without errors.
    Ok,
    /// Answered with errors (field, validation or limit errors).
    Error,
    /// Refused before execution (malformed, too large, wrong method or media type).
    Refused,
}

impl Outcome {
    fn label(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Error => "error",
            Outcome::Refused => "refused",
        }
    }
}

struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<OperationLabel, Histogram, fn() -> Histogram>,
    answers: Family<ResultLabel, Counter>,
    sweeps: Family<ResultLabel, Counter>,
    pool_size: Gauge,
    pool_idle: Gauge,
    pool_max: Gauge,
    relay_lag: Gauge<i64, AtomicI64>,
    webhook_queue: Gauge,
    names: Mutex<std::collections::HashSet<String>>,
}

fn latency_histogram() -> Histogram {
    // 1 ms … ~16 s.
    Histogram::new(exponential_buckets(0.001, 2.0, 15))
}

static METRICS: LazyLock<Metrics> = LazyLock::new(|| {
    let mut registry = Registry::with_prefix("pendamping");
    let requests = Family::<RequestLabels, Counter>::default();
    registry.register(
        "graphql_requests",
        "GraphQL requests over HTTP by operation name and outcome (ok, error, refused)",
        requests.clone(),
    );
    let latency = Family::<OperationLabel, Histogram, fn() -> Histogram>::new_with_constructor(
        latency_histogram as fn() -> Histogram,
    );
    registry.register(
        "graphql_request_duration_seconds",
        "Time from reading a GraphQL request to its answer, by operation name",
        latency.clone(),
    );
    let answers = Family::<ResultLabel, Counter>::default();
    registry.register(
        "answer_cache_lookups",
        "Read-only requests looked up in the answer cache, by result (hit, miss)",
        answers.clone(),
    );
    let sweeps = Family::<ResultLabel, Counter>::default();
    registry.register(
        "sweeper_runs",
        "Deadline sweeper runs, by result (ok, failed)",
        sweeps.clone(),
    );
    let gauge = |registry: &mut Registry, name: &str, help: &str| {
        let g = Gauge::default();
        registry.register(name, help, g.clone());
        g
    };
    let pool_size = gauge(
        &mut registry,
        "db_pool_connections",
        "Database connections open (busy and idle)",
    );
    let pool_idle = gauge(
        &mut registry,
        "db_pool_idle_connections",
        "Database connections open and idle",
    );
    let pool_max = gauge(
        &mut registry,
        "db_pool_max_connections",
        "The most connections the pool opens",
    );
    let relay_lag = Gauge::<i64, AtomicI64>::default();
    registry.register(
        "event_relay_lag_events",
        "Events committed to the outbox but not yet published by this process's relay",
        relay_lag.clone(),
    );
    let webhook_queue = gauge(
        &mut registry,
        "webhook_queue_deliveries",
        "Webhook deliveries waiting to be sent",
    );
    Metrics {
        registry,
        requests,
        latency,
        answers,
        sweeps,
        pool_size,
        pool_idle,
        pool_max,
        relay_lag,
        webhook_queue,
        names: Mutex::new(std::collections::HashSet::new()),
    }
});

/// The label for an operation name: the name when it is a GraphQL name and
/// one of the first [`MAX_OPERATION_NAMES`] seen, `other` past them,
/// `anonymous` without one.
fn operation_label(name: Option<&str>) -> String {
    let Some(name) = name.filter(|n| !n.is_empty()) else {
        return "anonymous".to_owned();
    };
    let valid = name.len() <= 64
        && name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !valid {
        return "other".to_owned();
    }
    let Ok(mut names) = METRICS.names.lock() else {
        return "other".to_owned();
    };
    if names.contains(name) || names.len() < MAX_OPERATION_NAMES {
        names.insert(name.to_owned());
        name.to_owned()
    } else {
        "other".to_owned()
    }
}

/// Counts one GraphQL request over HTTP and its latency.
pub fn graphql_request(operation: Option<&str>, outcome: Outcome, took: Duration) {
    let operation = operation_label(operation);
    METRICS
        .latency
        .get_or_create(&OperationLabel {
            operation: operation.clone(),
        })
        .observe(took.as_secs_f64());
    METRICS
        .requests
        .get_or_create(&RequestLabels {
            operation,
            outcome: outcome.label(),
        })
        .inc();
}

/// Counts one answer-cache lookup.
pub fn answer_cache(hit: bool) {
    let result = if hit { "hit" } else { "miss" };
    METRICS.answers.get_or_create(&ResultLabel { result }).inc();
}

/// Counts one deadline-sweeper run.
pub fn sweeper_run(ok: bool) {
    let result = if ok { "ok" } else { "failed" };
    METRICS.sweeps.get_or_create(&ResultLabel { result }).inc();
}

/// Sets the gauges read from the engine at a scrape.
pub fn set_gauges(gauges: &pendamping_engine::Gauges) {
    METRICS.pool_size.set(i64::from(gauges.pool_size));
    METRICS.pool_idle.set(i64::from(gauges.pool_idle));
    METRICS.pool_max.set(i64::from(gauges.pool_max));
    METRICS.relay_lag.set(gauges.relay_lag_events);
    METRICS
        .webhook_queue
        .set(i64::try_from(gauges.webhook_queue).unwrap_or(i64::MAX));
}

/// Every metric in the Prometheus text format.
pub fn render() -> String {
    let mut text = String::new();
    // Writing into a String does not fail.
    let _ = prometheus_client::encoding::text::encode(&mut text, &METRICS.registry);
    text
}
