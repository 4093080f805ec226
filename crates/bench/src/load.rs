//! HTTP load: N clients post one GraphQL request in a loop for a while; the
//! figure is answered requests per second (an answer with `errors`, or a
//! status other than 200, counts as an error, not as throughput).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use serde_json::Value;

/// What a load run measured.
#[derive(Debug, Clone, Copy)]
pub struct Figure {
    pub per_second: f64,
    pub errors: u64,
}

pub async fn hammer(
    endpoint: &str,
    token: Option<&str>,
    body: &Value,
    clients: usize,
    duration: Duration,
) -> anyhow::Result<Figure> {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(clients)
        .build()?;
    let body = Arc::new(serde_json::to_vec(body)?);
    let ok = Arc::new(AtomicU64::new(0));
    let errors = Arc::new(AtomicU64::new(0));
    // One request first, so a broken endpoint fails loudly instead of measuring errors.
    let probe = send(&client, endpoint, token, &body).await;
    if let Err(message) = probe {
        anyhow::bail!("{endpoint}: {message}");
    }
    let started = Instant::now();
    let deadline = started + duration;
    let mut tasks = Vec::with_capacity(clients);
    for _ in 0..clients {
        let (client, body, ok, errors) = (client.clone(), body.clone(), ok.clone(), errors.clone());
        let endpoint = endpoint.to_owned();
        let token = token.map(str::to_owned);
        tasks.push(tokio::spawn(async move {
            while Instant::now() < deadline {
                match send(&client, &endpoint, token.as_deref(), &body).await {
                    Ok(()) => ok.fetch_add(1, Ordering::Relaxed),
                    Err(_) => errors.fetch_add(1, Ordering::Relaxed),
                };
            }
        }));
    }
    for task in tasks {
        task.await?;
    }
    let elapsed = started.elapsed().as_secs_f64();
    Ok(Figure {
        per_second: ok.load(Ordering::Relaxed) as f64 / elapsed,
        errors: errors.load(Ordering::Relaxed),
    })
}

async fn send(
    client: &reqwest::Client,
    endpoint: &str,
    token: Option<&str>,
    body: &Arc<Vec<u8>>,
) -> Result<(), String> {
    let mut request = client
        .post(endpoint)
        .header("content-type", "application/json")
        .body(body.as_ref().clone());
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.map_err(|e| e.to_string())?;
    let status = response.status();
    let bytes = response.bytes().await.map_err(|e| e.to_string())?;
    if !status.is_success() {
        return Err(format!(
            "status {status}: {}",
            String::from_utf8_lossy(&bytes)
        ));
    }
    // A GraphQL error answer is not throughput.
    if bytes.windows(9).any(|w| w == b"\"errors\":") {
        return Err(format!("errors: {}", String::from_utf8_lossy(&bytes)));
    }
    Ok(())
}
