//! HTTP load: N clients post GraphQL requests in a loop for a while; each
//! request is one of a list of prepared (body, token) pairs picked at random,
//! e.g. one per district with that district's own dashboard token. The figures
//! are answered requests per second and latency percentiles of the answered
//! ones (an answer with `errors`, or a status other than 200, counts as an
//! error, not as throughput).

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::Value;

/// What a load run measured.
#[derive(Debug, Clone, Default)]
pub struct Figure {
    pub per_second: f64,
    /// Requests answered.
    pub answered: u64,
    pub errors: u64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    /// The first error seen, to tell why.
    pub first_error: Option<String>,
}

/// One request a client may send.
#[derive(Debug, Clone)]
pub struct Target {
    pub body: Arc<Vec<u8>>,
    pub token: Option<Arc<str>>,
}

impl Target {
    pub fn new(body: &Value, token: Option<&str>) -> Self {
        Target {
            body: Arc::new(serde_json::to_vec(body).expect("JSON values serialise")),
            token: token.map(Arc::from),
        }
    }
}

/// A small, fast pseudo-random sequence (SplitMix64): which request next.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn seeded(salt: u64) -> Self {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        Rng(nanos ^ salt.wrapping_mul(0x9E37_79B9_7F4A_7C15))
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// What one client saw: latencies of answered requests (ms), errors.
#[derive(Debug, Default)]
pub struct Tally {
    pub latencies: Vec<f64>,
    pub errors: u64,
    pub first_error: Option<String>,
}

impl Tally {
    pub fn ok(&mut self, started: Instant) {
        self.latencies
            .push(started.elapsed().as_secs_f64() * 1000.0);
    }

    pub fn error(&mut self, message: String) {
        self.errors += 1;
        if self.first_error.is_none() {
            self.first_error = Some(message);
        }
    }

    pub fn merge(tallies: Vec<Tally>, elapsed: Duration) -> Figure {
        let mut all = Vec::new();
        let mut errors = 0;
        let mut first_error = None;
        for tally in tallies {
            all.extend(tally.latencies);
            errors += tally.errors;
            first_error = first_error.or(tally.first_error);
        }
        let answered = all.len();
        let (p50_ms, p99_ms) = percentiles(all);
        Figure {
            per_second: answered as f64 / elapsed.as_secs_f64().max(1e-9),
            answered: answered as u64,
            errors,
            p50_ms,
            p99_ms,
            first_error,
        }
    }
}

/// The 50th and 99th percentile of samples (0 when there are none).
pub fn percentiles(mut samples: Vec<f64>) -> (f64, f64) {
    samples.sort_by(f64::total_cmp);
    let at = |q: f64| {
        let index = ((samples.len() as f64 - 1.0) * q).round() as usize;
        samples.get(index).copied().unwrap_or_default()
    };
    (at(0.50), at(0.99))
}

/// A client with a connection for each of `clients`.
pub fn client(clients: usize) -> anyhow::Result<reqwest::Client> {
    Ok(reqwest::Client::builder()
        .pool_max_idle_per_host(clients)
        .timeout(Duration::from_secs(60))
        .build()?)
}

/// `clients` clients, each sending a randomly picked target after the other,
/// for `duration`.
pub async fn hammer(
    endpoint: &str,
    targets: &Arc<Vec<Target>>,
    clients: usize,
    duration: Duration,
) -> anyhow::Result<Figure> {
    anyhow::ensure!(!targets.is_empty(), "nothing to send to {endpoint}");
    let client = client(clients)?;
    // One request first, so a broken endpoint fails loudly instead of measuring errors.
    let probe = &targets[0];
    if let Err(message) = send(&client, endpoint, probe.token.as_deref(), &probe.body).await {
        anyhow::bail!("{endpoint}: {message}");
    }
    let started = Instant::now();
    let deadline = started + duration;
    let mut tasks = Vec::with_capacity(clients);
    for n in 0..clients {
        let (client, targets) = (client.clone(), targets.clone());
        let endpoint = endpoint.to_owned();
        tasks.push(tokio::spawn(async move {
            let mut rng = Rng::seeded(n as u64 + 1);
            let mut tally = Tally::default();
            while Instant::now() < deadline {
                let target = &targets[rng.below(targets.len())];
                let sent = Instant::now();
                match send(&client, &endpoint, target.token.as_deref(), &target.body).await {
                    Ok(_) => tally.ok(sent),
                    Err(message) => tally.error(message),
                }
            }
            tally
        }));
    }
    let mut tallies = Vec::with_capacity(clients);
    for task in tasks {
        tallies.push(task.await?);
    }
    Ok(Tally::merge(tallies, started.elapsed()))
}

/// Posts one GraphQL body; the answer's bytes when it is a 200 without `errors`.
pub async fn send(
    client: &reqwest::Client,
    endpoint: &str,
    token: Option<&str>,
    body: &Arc<Vec<u8>>,
) -> Result<impl AsRef<[u8]> + use<>, String> {
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
    Ok(bytes)
}

/// Posts one GraphQL request and parses the answer.
pub async fn ask(
    client: &reqwest::Client,
    endpoint: &str,
    token: Option<&str>,
    body: &Value,
) -> Result<Value, String> {
    let bytes = send(
        client,
        endpoint,
        token,
        &Arc::new(serde_json::to_vec(body).map_err(|e| e.to_string())?),
    )
    .await?;
    serde_json::from_slice(bytes.as_ref()).map_err(|e| e.to_string())
}
