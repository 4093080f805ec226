//! The HTTP server: the API routes, health checks, graceful shutdown.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use pendamping_api::ApiConfig;
use pendamping_domain::deadline::DeadlinePolicy;
use pendamping_engine::{Engine, RelayOptions};
use pendamping_web::WebConfig;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

/// Who may read `GET /metrics`.
#[derive(Debug, Clone, Default)]
pub struct MetricsAccess {
    /// With a token, whoever sends `Authorization: Bearer <token>`; without
    /// one, only requests from this host (a loopback peer, not forwarded by a proxy).
    pub token: Option<String>,
}

/// All routes of the server: the web pages, the API, health checks, metrics.
pub fn app(engine: Engine, api: ApiConfig, web: WebConfig, metrics: MetricsAccess) -> Router {
    let health = Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(ready))
        .with_state(engine.clone());
    let metrics = Router::new()
        .route("/metrics", get(serve_metrics))
        .with_state((engine.clone(), Arc::new(metrics)));
    pendamping_api::router(engine.clone(), api)
        .merge(health)
        .merge(metrics)
        .merge(pendamping_web::router(engine, web))
        .layer(TraceLayer::new_for_http())
        .layer(axum::middleware::from_fn(request_id))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::GATEWAY_TIMEOUT,
            Duration::from_secs(60),
        ))
}

/// The request id header: accepted from the client when sane, generated otherwise.
const REQUEST_ID: &str = "x-request-id";

/// Gives every request an id (the client's `x-request-id` when it is 1–128
/// visible ASCII characters, else 32 random hex digits), runs it inside a
/// `request` span naming the id, and returns the id in the response.
async fn request_id(
    mut request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use tracing::Instrument as _;
    let given = request
        .headers()
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty() && v.len() <= 128 && v.bytes().all(|b| b.is_ascii_graphic()))
        .map(str::to_owned);
    let id = given.unwrap_or_else(|| {
        use rand::RngCore as _;
        let mut bytes = [0u8; 16];
        rand::rng().fill_bytes(&mut bytes);
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    });
    let value = axum::http::HeaderValue::from_str(&id)
        .unwrap_or_else(|_| axum::http::HeaderValue::from_static("invalid"));
    request.headers_mut().insert(REQUEST_ID, value.clone());
    let span = tracing::info_span!("request", id = %id);
    let mut response = next.run(request).instrument(span).await;
    response.headers_mut().insert(REQUEST_ID, value);
    response
}

/// Prometheus metrics (text format), to an operator only (see [`MetricsAccess`]).
async fn serve_metrics(
    State((engine, access)): State<(Engine, Arc<MetricsAccess>)>,
    axum::extract::ConnectInfo(peer): axum::extract::ConnectInfo<SocketAddr>,
    headers: axum::http::HeaderMap,
) -> axum::response::Response {
    let allowed = match &access.token {
        Some(token) => headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .is_some_and(|given| {
                use sha2::Digest as _;
                // Compared as digests: equal time whatever the prefix that matches.
                sha2::Sha256::digest(given.trim()) == sha2::Sha256::digest(token)
            }),
        None => {
            peer.ip().is_loopback()
                && !headers.contains_key("x-forwarded-for")
                && !headers.contains_key(axum::http::header::FORWARDED)
        }
    };
    if !allowed {
        return (
            StatusCode::FORBIDDEN,
            "metrics are for the operator: send the --metrics-token as a bearer token, or ask from the server's own host",
        )
            .into_response();
    }
    // The pool's use needs no statement; the rest waits at most a second.
    let gauges = match tokio::time::timeout(READY_TIMEOUT, engine.gauges()).await {
        Ok(Ok(gauges)) => gauges,
        _ => engine.pool_gauges(),
    };
    pendamping_api::metrics::set_gauges(&gauges);
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        pendamping_api::metrics::render(),
    )
        .into_response()
}

/// How long readiness waits for the database before it answers 503.
const READY_TIMEOUT: Duration = Duration::from_secs(1);

/// Ready when the database answers within a second.
async fn ready(State(engine): State<Engine>) -> impl IntoResponse {
    match tokio::time::timeout(READY_TIMEOUT, engine.ping()).await {
        Ok(Ok(())) => (StatusCode::OK, "ready"),
        Ok(Err(err)) => {
            tracing::warn!(error = %err, "database not reachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database not reachable")
        }
        Err(_) => {
            tracing::warn!("database did not answer within a second");
            (StatusCode::SERVICE_UNAVAILABLE, "database not reachable")
        }
    }
}

/// Serves until SIGINT or SIGTERM, then finishes in-flight requests. The
/// event relay and the webhook sender run beside the server and stop with it;
/// live subscriptions end at the signal (clients resume with `after`).
pub async fn serve(
    engine: Engine,
    bind: &str,
    api: ApiConfig,
    web: WebConfig,
    relay: RelayOptions,
    sweeper: Option<(DeadlinePolicy, Duration)>,
    metrics: MetricsAccess,
) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(bind)
        .await
        .with_context(|| format!("binding {bind}"))?;
    let local = listener.local_addr()?;
    tracing::info!(address = %local, "serving the web pages at http://{local}/ and GraphQL at http://{local}/graphql");
    // Printed for scripts and tests that start the server on port 0.
    println!("listening on http://{local}");
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let until_stopped = |mut stopped: tokio::sync::watch::Receiver<bool>| async move {
        let _ = stopped.wait_for(|s| *s).await;
    };
    let relay_task = tokio::spawn(
        engine
            .clone()
            .run_event_relay(relay, until_stopped(stopped.clone())),
    );
    let sender_task = tokio::spawn(engine.clone().run_webhook_sender(
        Arc::new(pendamping_api::events::webhook_body),
        until_stopped(stopped.clone()),
    ));
    let sweeper_task = tokio::spawn(sweep_periodically(
        engine.clone(),
        sweeper,
        until_stopped(stopped),
    ));
    axum::serve(
        listener,
        app(engine, api, web, metrics).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async move {
        shutdown_signal().await;
        let _ = stop.send(true);
    })
    .await
    .context("serving")?;
    for (name, task) in [
        ("event relay", relay_task),
        ("webhook sender", sender_task),
        ("deadline sweeper", sweeper_task),
    ] {
        match task.await {
            Ok(Ok(())) => {}
            Ok(Err(err)) => tracing::warn!(error = %err, "{name} failed"),
            Err(err) => tracing::warn!(error = %err, "{name} panicked"),
        }
    }
    tracing::info!("stopped");
    Ok(())
}

/// Sweeps deadlines every `interval` until `stop`. Several processes may
/// sweep the same database: the sweeper's unique keys keep every reminder single.
async fn sweep_periodically(
    engine: Engine,
    sweeper: Option<(DeadlinePolicy, Duration)>,
    stop: impl std::future::Future<Output = ()>,
) -> Result<(), pendamping_engine::EngineError> {
    let Some((policy, interval)) = sweeper else {
        stop.await;
        return Ok(());
    };
    tokio::pin!(stop);
    let mut ticks = tokio::time::interval(interval);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            () = &mut stop => return Ok(()),
            _ = ticks.tick() => {
                let swept = engine.sweep_deadlines(&policy).await;
                pendamping_api::metrics::sweeper_run(swept.is_ok());
                match swept {
                    Ok(report) if report.is_empty() => tracing::debug!("{report}"),
                    Ok(report) => tracing::info!("{report}"),
                    Err(err) => tracing::warn!(error = %err, "deadline sweep failed"),
                }
            }
        }
    }
}

async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing in-flight requests");
}
