//! Webhooks: an admin registers an HTTPS endpoint with an event filter; every
//! matching event is queued for it in the event's own transaction, and a
//! sender in each process delivers the queue, signed, retrying with
//! exponential backoff, logging each attempt on the delivery row.
//!
//! Signature: `Pendamping-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of
//! "<t>.<body>" under the webhook's secret>` (docs/events.md shows how to check it).

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use hmac::{Hmac, Mac};
use pendamping_domain::audit::AuditKind;
use pendamping_domain::events::{
    DomainEvent, Webhook, WebhookDelivery, WebhookId, is_event_kind, validate_webhook_url,
};
use pendamping_domain::identity::Actor;
use pendamping_domain::policy::{Operation, Target};
use pendamping_domain::reference::DistrictId;
use pendamping_domain::validation::Validation;
use pendamping_storage::events;
use pendamping_storage::webhooks::{self as store, AttemptOutcome, WebhookRow};
use rand::RngCore;
use serde_json::json;
use sha2::Sha256;

use crate::reference::{Subject, append_audit, forbid};
use crate::{Engine, EngineError};

/// How webhooks are checked and delivered.
#[derive(Debug, Clone)]
pub struct WebhookConfig {
    /// Allow `http://` URLs to this machine (127.0.0.0/8, ::1, localhost):
    /// for tests and a gateway on the same host. HTTPS is required otherwise.
    pub allow_http_loopback: bool,
    /// Attempts before a delivery is given up (FAILED).
    pub max_attempts: i32,
    /// The wait after the first failure; doubled after each further one (capped at an hour).
    pub retry_base: Duration,
    /// How long one attempt may take.
    pub timeout: Duration,
    /// Hosts (names or addresses) that may be reached although they resolve to
    /// loopback, private, link-local or metadata addresses.
    pub allow_hosts: Vec<String>,
}

impl Default for WebhookConfig {
    fn default() -> Self {
        WebhookConfig {
            allow_http_loopback: false,
            max_attempts: 8,
            retry_base: Duration::from_secs(10),
            timeout: Duration::from_secs(10),
            allow_hosts: Vec::new(),
        }
    }
}

/// Whether `ip` is an address a webhook must not reach by default: loopback,
/// private (RFC 1918, unique local), link-local (the cloud metadata address
/// 169.254.169.254 among them), carrier-grade NAT, unspecified, multicast.
pub(crate) fn internal_address(ip: std::net::IpAddr) -> bool {
    use std::net::IpAddr;
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_multicast()
                || v4.is_broadcast()
                || (a == 100 && (64..128).contains(&b))
                || a == 0
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return internal_address(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
        }
    }
}

impl WebhookConfig {
    /// Whether a webhook to `host`, resolved to `ip`, may be sent.
    pub(crate) fn may_reach(&self, host: &str, ip: std::net::IpAddr) -> bool {
        let host = host.trim_start_matches('[').trim_end_matches(']');
        !internal_address(ip)
            || (self.allow_http_loopback && ip.to_canonical().is_loopback())
            || self
                .allow_hosts
                .iter()
                .any(|h| h.eq_ignore_ascii_case(host))
    }
}

/// The webhook sender's DNS: a name that resolves to an address the
/// configuration does not allow is not connected to (checked after DNS, at
/// delivery time, so a name that changes its answer cannot slip through).
struct GuardedResolver(WebhookConfig);

impl reqwest::dns::Resolve for GuardedResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let config = self.0.clone();
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let addrs: Vec<std::net::SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            if addrs.is_empty() || addrs.iter().any(|a| !config.may_reach(&host, a.ip())) {
                return Err(
                    "the webhook's host resolves to an address that may not be reached".into(),
                );
            }
            Ok(Box::new(addrs.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

/// The host of a webhook URL and, when it is an address, the address.
fn literal_host(url: &str) -> Option<(String, Option<std::net::IpAddr>)> {
    let parsed = reqwest::Url::parse(url.trim()).ok()?;
    let host = parsed.host_str()?.to_owned();
    let ip = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse::<std::net::IpAddr>()
        .ok();
    Some((host, ip))
}

impl Engine {
    /// Whether the webhook URL's host may be reached now (after DNS).
    async fn webhook_target_allowed(&self, url: &str) -> bool {
        let Some((host, ip)) = literal_host(url) else {
            return false;
        };
        if let Some(ip) = ip {
            return self.webhooks.may_reach(&host, ip);
        }
        match tokio::net::lookup_host((host.as_str(), 0)).await {
            Ok(addrs) => {
                let addrs: Vec<_> = addrs.collect();
                !addrs.is_empty() && addrs.iter().all(|a| self.webhooks.may_reach(&host, a.ip()))
            }
            // Not resolvable now: the delivery will say "unreachable".
            Err(_) => true,
        }
    }
}

/// Input for a new webhook.
#[derive(Debug, Clone)]
pub struct NewWebhook {
    pub url: String,
    /// Empty: every kind.
    pub kinds: Vec<String>,
    pub district_id: Option<DistrictId>,
}

/// A registered webhook and its signing secret, shown this once.
#[derive(Clone)]
pub struct RegisteredWebhook {
    pub webhook: Webhook,
    pub secret: String,
}

impl std::fmt::Debug for RegisteredWebhook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RegisteredWebhook")
            .field("webhook", &self.webhook)
            .field("secret", &"[redacted]")
            .finish()
    }
}

/// Renders an event as the JSON body webhooks receive (the API's wire shape).
pub type RenderEvent = Arc<dyn Fn(&DomainEvent) -> String + Send + Sync>;

/// The signature header's name.
pub const SIGNATURE_HEADER: &str = "Pendamping-Signature";

/// `t=<unix>,v1=<hex hmac_sha256(secret, "<t>.<body>")>`.
pub fn signature(secret: &str, timestamp: i64, body: &str) -> String {
    #[allow(
        clippy::expect_used,
        reason = "HMAC takes keys of any length; new_from_slice cannot fail"
    )]
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC accepts any key length");
    mac.update(format!("{timestamp}.{body}").as_bytes());
    let digest = mac.finalize().into_bytes();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("t={timestamp},v1={hex}")
}

fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    format!(
        "whsec_{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    )
}

/// The wait before attempt `attempts + 1`, after `attempts` failures.
pub fn backoff(base: Duration, attempts: i32) -> Duration {
    let doublings = u32::try_from(attempts.saturating_sub(1).clamp(0, 20)).unwrap_or(20);
    base.saturating_mul(2u32.saturating_pow(doublings))
        .min(Duration::from_secs(3600))
}

const DUE_BATCH: u64 = 20;

impl Engine {
    /// Sets how webhooks are checked and delivered.
    pub fn with_webhook_config(mut self, config: WebhookConfig) -> Self {
        self.webhooks = config;
        self
    }

    /// Registers a webhook (admins). The secret is returned once.
    pub async fn register_webhook(
        &self,
        actor: &Actor,
        new: NewWebhook,
    ) -> Result<RegisteredWebhook, EngineError> {
        forbid(actor, Operation::ManageWebhooks, &Target::everywhere())?;
        let mut v = Validation::new();
        if let Err(errors) = validate_webhook_url(&new.url, self.webhooks.allow_http_loopback) {
            for e in errors {
                v.push(&e.field, e.message);
            }
        }
        for kind in &new.kinds {
            v.check(
                is_event_kind(kind),
                "kinds",
                "every kind must be SCREAMING_CASE, e.g. ACTION_ITEM_STARTED",
            );
        }
        v.finish()?;
        if !self.webhook_target_allowed(&new.url).await {
            return Err(EngineError::invalid(
                "url",
                "must not point to a loopback, private, link-local or metadata address (unless the server's webhook host allow-list names it)",
            ));
        }
        if let Some(district) = new.district_id
            && self
                .reader(actor)
                .districts_by_ids(&[district])
                .await?
                .is_empty()
        {
            return Err(EngineError::invalid("districtId", "no such district"));
        }
        let mut kinds = new.kinds.clone();
        kinds.sort();
        kinds.dedup();
        let secret = new_secret();
        let now = self.now();
        let txn = pendamping_storage::begin_write(&self.db).await?;
        let webhook = store::insert(
            &txn,
            WebhookRow {
                url: new.url.trim().to_owned(),
                secret: secret.clone(),
                kinds: kinds.clone(),
                district_id: new.district_id.map(|d| d.0),
                created_by: actor.user_id.map(|u| u.0),
            },
            now,
        )
        .await?;
        let after = json!({"url": webhook.url, "kinds": kinds,
                           "districtId": webhook.district_id.map(|d| d.0)});
        let subject = Subject::new("Webhook", webhook.id.0, Target::everywhere());
        append_audit(
            &txn,
            actor,
            AuditKind::WebhookRegistered,
            subject,
            after,
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(RegisteredWebhook { webhook, secret })
    }

    /// Stops deliveries to a webhook (admins).
    pub async fn deactivate_webhook(
        &self,
        actor: &Actor,
        id: WebhookId,
    ) -> Result<Webhook, EngineError> {
        forbid(actor, Operation::ManageWebhooks, &Target::everywhere())?;
        let now = self.now();
        let txn = pendamping_storage::begin_write(&self.db).await?;
        if !store::deactivate(&txn, id.0, now).await? {
            return Err(EngineError::NotFound("active webhook".into()));
        }
        append_audit(
            &txn,
            actor,
            AuditKind::WebhookDeactivated,
            Subject::new("Webhook", id.0, Target::everywhere()),
            json!({"active": false}),
            now,
        )
        .await?;
        txn.commit().await?;
        self.webhooks(actor)
            .await?
            .into_iter()
            .find(|w| w.id == id)
            .ok_or_else(|| EngineError::NotFound("webhook".into()))
    }

    /// Every webhook, for admins; nothing for anyone else.
    pub async fn webhooks(&self, actor: &Actor) -> Result<Vec<Webhook>, EngineError> {
        if forbid(actor, Operation::ManageWebhooks, &Target::everywhere()).is_err() {
            return Ok(Vec::new());
        }
        Ok(store::list(&self.db).await?)
    }

    /// The newest deliveries of the given webhooks (admins), in one statement.
    pub async fn webhook_deliveries(
        &self,
        actor: &Actor,
        webhook_ids: &[WebhookId],
        per_webhook: usize,
    ) -> Result<Vec<WebhookDelivery>, EngineError> {
        if forbid(actor, Operation::ManageWebhooks, &Target::everywhere()).is_err() {
            return Ok(Vec::new());
        }
        let ids = WebhookId::rows(webhook_ids);
        Ok(store::recent_deliveries(&self.db, &ids, per_webhook).await?)
    }

    /// Delivers due webhook deliveries until `shutdown` completes: woken by
    /// new events in this process and by a one-second poll (retries, other
    /// processes' events).
    pub async fn run_webhook_sender(
        self,
        render: RenderEvent,
        shutdown: impl Future<Output = ()> + Send,
    ) -> Result<(), EngineError> {
        let client = reqwest::Client::builder()
            .timeout(self.webhooks.timeout)
            .dns_resolver(Arc::new(GuardedResolver(self.webhooks.clone())))
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("pendamping-webhooks/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| EngineError::Failure(crate::InternalError::HttpClient(e.to_string())))?;
        let mut live = self.events.subscribe();
        tokio::pin!(shutdown);
        loop {
            loop {
                match self.send_due(&client, &render).await {
                    Ok(n) if n as u64 == DUE_BATCH => continue,
                    Ok(_) => break,
                    Err(err) => {
                        tracing::warn!(error = %err, "webhook sender could not read its queue");
                        break;
                    }
                }
            }
            tokio::select! {
                () = &mut shutdown => break,
                _ = live.recv() => {}
                () = tokio::time::sleep(Duration::from_secs(1)) => {}
            }
        }
        Ok(())
    }

    /// One pass over the due deliveries; how many were due.
    async fn send_due(
        &self,
        client: &reqwest::Client,
        render: &RenderEvent,
    ) -> Result<usize, EngineError> {
        let now = self.now();
        let due = store::due(&self.db, now, DUE_BATCH).await?;
        let count = due.len();
        let lease = chrono::Duration::from_std(self.webhooks.timeout * 2)
            .unwrap_or(chrono::Duration::seconds(60));
        let mut claimed = Vec::new();
        for delivery in due {
            if store::claim(&self.db, &delivery, now, now + lease).await? {
                claimed.push(delivery);
            }
        }
        if claimed.is_empty() {
            return Ok(count);
        }
        let event_ids: Vec<i64> = claimed.iter().map(|d| d.event_id).collect();
        let hook_ids: Vec<i64> = claimed.iter().map(|d| d.webhook_id.0).collect();
        let events = events::by_ids(&self.db, &event_ids).await?;
        let hooks = store::with_secrets(&self.db, &hook_ids).await?;
        let attempts = claimed.into_iter().filter_map(|delivery| {
            let event = events.iter().find(|e| e.id == delivery.event_id)?;
            let (hook, secret) = hooks.iter().find(|(h, _)| h.id == delivery.webhook_id)?;
            Some(self.attempt(client, delivery, hook, secret, render(event), event))
        });
        futures_util::future::join_all(attempts).await;
        Ok(count)
    }

    async fn attempt(
        &self,
        client: &reqwest::Client,
        delivery: WebhookDelivery,
        hook: &Webhook,
        secret: &str,
        body: String,
        event: &DomainEvent,
    ) {
        let attempt = delivery.attempts + 1;
        let timestamp = self.now().timestamp();
        // An address in the URL itself is not resolved: check it here.
        let literal_refused = literal_host(&hook.url)
            .and_then(|(host, ip)| ip.map(|ip| !self.webhooks.may_reach(&host, ip)))
            .unwrap_or(false);
        let response = if literal_refused {
            Err(None)
        } else {
            client
                .post(&hook.url)
                .header("content-type", "application/json")
                .header(SIGNATURE_HEADER, signature(secret, timestamp, &body))
                .header("Pendamping-Event-Id", event.id.to_string())
                .header("Pendamping-Event-Kind", &event.kind)
                .header("Pendamping-Delivery-Id", delivery.id.to_string())
                .body(body)
                .send()
                .await
                .map_err(Some)
        };
        let (status_code, error) = match response {
            Ok(r) if r.status().is_success() => (Some(i32::from(r.status().as_u16())), None),
            Ok(r) => (
                Some(i32::from(r.status().as_u16())),
                Some(format!("the receiver answered {}", r.status())),
            ),
            // The receiver's side stays private: the log has the detail,
            // the delivery record only "unreachable".
            Err(err) => {
                tracing::warn!(webhook = hook.id.0, error = ?err.map(|e| e.to_string()), "webhook unreachable");
                (None, Some("unreachable".to_owned()))
            }
        };
        let now = self.now();
        let outcome = match error {
            None => AttemptOutcome::Delivered {
                status_code: status_code.unwrap_or(200),
            },
            Some(error) => {
                let retry_at = (attempt < self.webhooks.max_attempts).then(|| {
                    now + chrono::Duration::from_std(backoff(self.webhooks.retry_base, attempt))
                        .unwrap_or(chrono::Duration::hours(1))
                });
                AttemptOutcome::Failed {
                    status_code,
                    error,
                    retry_at,
                }
            }
        };
        tracing::info!(
            webhook = hook.id.0,
            delivery = delivery.id,
            event = event.id,
            attempt,
            status = ?status_code,
            outcome = ?outcome,
            "webhook delivery attempt"
        );
        if let Err(err) = store::record_attempt(&self.db, delivery.id, outcome, now).await {
            tracing::warn!(error = %err, delivery = delivery.id, "could not record a webhook attempt");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_are_hmac_sha256_over_timestamp_and_body() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
        let sig = signature("Jefe", 0, "what do ya want for nothing?");
        assert!(sig.starts_with("t=0,v1="));
        let other = signature("Jefe", 1, "what do ya want for nothing?");
        assert_ne!(sig, other, "the timestamp is signed");
        assert_eq!(sig.len(), "t=0,v1=".len() + 64);
    }

    #[test]
    fn internal_addresses_are_refused_unless_allowed() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "::1",
            "fe80::1",
            "fd00::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
        ] {
            let ip: std::net::IpAddr = ip.parse().unwrap();
            assert!(internal_address(ip), "{ip} is internal");
        }
        for ip in ["203.0.113.7", "8.8.8.8", "2001:4860:4860::8888"] {
            let ip: std::net::IpAddr = ip.parse().unwrap();
            assert!(!internal_address(ip), "{ip} is public");
        }
        let strict = WebhookConfig::default();
        let ip = |s: &str| s.parse::<std::net::IpAddr>().unwrap();
        assert!(!strict.may_reach("metadata.internal", ip("169.254.169.254")));
        assert!(!strict.may_reach("127.0.0.1", ip("127.0.0.1")));
        assert!(strict.may_reach("hooks.example", ip("203.0.113.7")));
        let loopback = WebhookConfig {
            allow_http_loopback: true,
            ..WebhookConfig::default()
        };
        assert!(loopback.may_reach("localhost", ip("127.0.0.1")));
        assert!(!loopback.may_reach("intranet", ip("10.0.0.5")));
        let listed = WebhookConfig {
            allow_hosts: vec!["gateway.pemda.internal".into(), "10.0.0.6".into()],
            ..WebhookConfig::default()
        };
        assert!(listed.may_reach("Gateway.Pemda.Internal", ip("10.0.0.5")));
        assert!(listed.may_reach("10.0.0.6", ip("10.0.0.6")));
        assert!(!listed.may_reach("other.internal", ip("10.0.0.7")));
    }

    #[test]
    fn retries_back_off_exponentially_up_to_an_hour() {
        let base = Duration::from_secs(10);
        assert_eq!(backoff(base, 1), Duration::from_secs(10));
        assert_eq!(backoff(base, 2), Duration::from_secs(20));
        assert_eq!(backoff(base, 4), Duration::from_secs(80));
        assert_eq!(backoff(base, 30), Duration::from_secs(3600));
    }
}
