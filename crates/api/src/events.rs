//! Live events (`Subscription.events`, over WebSocket at `/graphql/ws`) and
//! webhooks (admin mutations and the `webhooks` query). The event's wire
//! shape lives here once: subscriptions and webhook bodies share it.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject, Subscription};
use futures_util::{Stream, StreamExt};
use pendamping_domain::agreement::AgreementId;
use pendamping_domain::events as ev;
use pendamping_domain::reference::{DistrictId, OpdId};
use pendamping_engine::{EngineError, NewWebhook};
use serde_json::json;

use crate::context::{actor, request};
use crate::error::{OrGql, Outcome, UserError, bad_argument, change_with, gql};
use crate::id::{Kind, decode_any, decode_opt, encode};
use crate::scalars::DateTime;

/// The global ID of a record named by type and row, when the type is a node.
fn node_id(object_type: &str, row: i64) -> Option<ID> {
    Kind::ALL
        .into_iter()
        .find(|k| k.name() == object_type)
        .map(|k| encode(k, row))
}

/// An event's id on the wire: its position in the log, as decimal text.
fn event_id(id: i64) -> ID {
    ID(id.to_string())
}

/// The event as webhooks receive it: the same fields as the GraphQL `Event`.
pub fn event_json(event: &ev::DomainEvent) -> serde_json::Value {
    // Webhook receivers are not admins: no e-mail address leaves in a body.
    let payload = event
        .payload_json
        .as_deref()
        .map(pendamping_engine::personal::redact_json)
        .as_deref()
        .and_then(|p| serde_json::from_str::<serde_json::Value>(p).ok())
        .unwrap_or(serde_json::Value::Null);
    json!({
        "id": event_id(event.id).0,
        "kind": event.kind,
        "occurredAt": async_graphql::ScalarType::to_value(&DateTime(event.occurred_at)).into_json().unwrap_or_default(),
        "objectType": event.object_type,
        "objectId": node_id(&event.object_type, event.object_id).map(|i| i.0),
        "officeId": event.office_id.map(|o| encode(Kind::Office, o.0).0),
        "districtId": event.district_id.map(|d| encode(Kind::District, d.0).0),
        "opdId": event.opd_id.map(|o| encode(Kind::Opd, o.0).0),
        "agreementId": event.agreement_id.map(|a| encode(Kind::Agreement, a.0).0),
        "payload": payload,
    })
}

/// Renders webhook bodies (handed to the engine's webhook sender).
pub fn webhook_body(event: &ev::DomainEvent) -> String {
    event_json(event).to_string()
}

pub struct Event(pub ev::DomainEvent);

/// Something that happened: a workflow transition, an edit, a reminder, an
/// escalation. Events are delivered in `id` order.
#[Object]
impl Event {
    /// The event's position in the log (decimal, increasing). Pass the last one
    /// seen as `after` to resume without a gap.
    async fn id(&self) -> ID {
        event_id(self.0.id)
    }
    /// What happened, SCREAMING_CASE, e.g. `ACTION_ITEM_STARTED` (docs/events.md); treat kinds you do not know as informational.
    async fn kind(&self) -> &str {
        &self.0.kind
    }
    /// When it happened.
    async fn occurred_at(&self) -> DateTime {
        DateTime(self.0.occurred_at)
    }
    /// The type of the record concerned, e.g. `ActionItem`.
    async fn object_type(&self) -> &str {
        &self.0.object_type
    }
    /// The global ID of the record concerned (fetch it with `node(id:)`).
    async fn object_id(&self) -> Option<ID> {
        node_id(&self.0.object_type, self.0.object_id)
    }
    /// The office the record belongs to.
    async fn office_id(&self) -> Option<ID> {
        self.0.office_id.map(|o| encode(Kind::Office, o.0))
    }
    /// The district the record belongs to.
    async fn district_id(&self) -> Option<ID> {
        self.0.district_id.map(|d| encode(Kind::District, d.0))
    }
    /// The OPD the record belongs to, for OPD-level records (action items).
    async fn opd_id(&self) -> Option<ID> {
        self.0.opd_id.map(|o| encode(Kind::Opd, o.0))
    }
    /// The agreement the record belongs to.
    async fn agreement_id(&self) -> Option<ID> {
        self.0.agreement_id.map(|a| encode(Kind::Agreement, a.0))
    }
    /// The details, as a JSON object (per kind; see docs/events.md; e-mail addresses left out for all but admins).
    async fn payload(&self, ctx: &Context<'_>) -> Option<String> {
        crate::types::user::json_for(ctx, self.0.payload_json.as_deref())
    }
}

/// Which events a subscriber wants, within its scope. Every part left out matches all.
#[derive(InputObject, Default)]
pub struct EventsFilter {
    /// Only events of this district.
    pub district_id: Option<ID>,
    /// Only events of this OPD.
    pub opd_id: Option<ID>,
    /// Only events of this agreement (its milestones and action items included).
    pub agreement_id: Option<ID>,
    /// Only these kinds, e.g. `[ACTION_ITEM_SUBMITTED, ACTION_ITEM_OVERDUE]`.
    pub kinds: Option<Vec<String>>,
}

impl EventsFilter {
    fn engine(self) -> async_graphql::Result<ev::EventFilter> {
        Ok(ev::EventFilter {
            district_id: decode_opt(
                "filter.districtId",
                Kind::District,
                self.district_id.as_ref(),
            )?
            .map(DistrictId),
            opd_id: decode_opt("filter.opdId", Kind::Opd, self.opd_id.as_ref())?.map(OpdId),
            agreement_id: decode_opt(
                "filter.agreementId",
                Kind::Agreement,
                self.agreement_id.as_ref(),
            )?
            .map(AgreementId),
            kinds: self.kinds.unwrap_or_default(),
        })
    }
}

#[derive(Default)]
pub struct Subscription;

/// The root subscription, over WebSocket (`/graphql/ws`, graphql-ws protocol;
/// the token goes in `connection_init` as `{ "token": "…" }`).
#[Subscription]
impl Subscription {
    /// Events within your scope, as they are committed, on whichever server
    /// process they happen. With `after`, the events since that id come first
    /// (a reconnecting client passes the last id it saw), then live ones, each once.
    async fn events(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which events.")] filter: Option<EventsFilter>,
        #[graphql(desc = "Resume after this event id (the last one seen).")] after: Option<ID>,
    ) -> async_graphql::Result<impl Stream<Item = async_graphql::Result<Event>> + use<>> {
        let actor = actor(ctx)?;
        let engine = &request(ctx)?.engine;
        let filter = filter.unwrap_or_default().engine()?;
        let after = match after {
            None => None,
            Some(id) => Some(
                id.as_str()
                    .parse::<i64>()
                    .ok()
                    .filter(|n| *n >= 0)
                    .ok_or_else(|| bad_argument("after", "must be an event id seen before"))?,
            ),
        };
        let stream = engine.subscribe_events(actor, filter, after).await.gql()?;
        Ok(stream.map(|item| item.map(Event).map_err(gql)))
    }
}

/// A webhook: an HTTPS endpoint that receives matching events, signed.
pub struct Webhook {
    webhook: ev::Webhook,
    deliveries: Vec<ev::WebhookDelivery>,
}

/// An endpoint that receives the events matching its filter as signed POSTs
/// (header `Pendamping-Signature`; see docs/events.md).
#[Object]
impl Webhook {
    /// The webhook's id.
    async fn id(&self) -> ID {
        ID(self.webhook.id.0.to_string())
    }
    /// Where events are POSTed.
    async fn url(&self) -> &str {
        &self.webhook.url
    }
    /// The kinds delivered; empty means every kind.
    async fn kinds(&self) -> &[String] {
        &self.webhook.kinds
    }
    /// Only events of this district, when set.
    async fn district_id(&self) -> Option<ID> {
        self.webhook
            .district_id
            .map(|d| encode(Kind::District, d.0))
    }
    /// Whether events are still delivered.
    async fn active(&self) -> bool {
        self.webhook.active
    }
    /// When it was registered.
    async fn created_at(&self) -> DateTime {
        DateTime(self.webhook.created_at)
    }
    /// When it was deactivated.
    async fn deactivated_at(&self) -> Option<DateTime> {
        self.webhook.deactivated_at.map(DateTime)
    }
    /// The newest deliveries (at most 20), newest first.
    async fn recent_deliveries(&self) -> Vec<WebhookDelivery> {
        self.deliveries
            .iter()
            .map(|d| WebhookDelivery::from(d.clone()))
            .collect()
    }
}

/// One event's delivery to a webhook, with its attempts so far.
#[derive(SimpleObject)]
pub struct WebhookDelivery {
    /// The delivery's id (also sent as `Pendamping-Delivery-Id`).
    pub id: ID,
    /// The event delivered.
    pub event_id: ID,
    /// `PENDING`, `DELIVERED` or `FAILED` (given up after the last attempt).
    pub status: String,
    /// Attempts made.
    pub attempts: i32,
    /// The HTTP status of the last attempt, when the receiver answered.
    pub last_status_code: Option<i32>,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    /// When the last attempt was made.
    pub last_attempt_at: Option<DateTime>,
    /// When the next attempt is due, while pending.
    pub next_attempt_at: Option<DateTime>,
    /// When it was delivered.
    pub delivered_at: Option<DateTime>,
}

impl From<ev::WebhookDelivery> for WebhookDelivery {
    fn from(d: ev::WebhookDelivery) -> Self {
        WebhookDelivery {
            id: ID(d.id.to_string()),
            event_id: event_id(d.event_id),
            status: d.status.as_str().to_owned(),
            attempts: d.attempts,
            last_status_code: d.last_status_code,
            last_error: d.last_error,
            last_attempt_at: d.last_attempt_at.map(DateTime),
            next_attempt_at: (d.status == ev::DeliveryStatus::Pending)
                .then_some(DateTime(d.next_attempt_at)),
            delivered_at: d.delivered_at.map(DateTime),
        }
    }
}

const RECENT_DELIVERIES: usize = 20;

/// Webhooks with their recent deliveries: two statements in all.
pub async fn webhooks(ctx: &Context<'_>) -> async_graphql::Result<Vec<Webhook>> {
    let actor = actor(ctx)?;
    let engine = &request(ctx)?.engine;
    let hooks = engine.webhooks(actor).await.gql()?;
    let ids: Vec<_> = hooks.iter().map(|w| w.id).collect();
    let deliveries = engine
        .webhook_deliveries(actor, &ids, RECENT_DELIVERIES)
        .await
        .gql()?;
    Ok(hooks
        .into_iter()
        .map(|webhook| Webhook {
            deliveries: deliveries
                .iter()
                .filter(|d| d.webhook_id == webhook.id)
                .cloned()
                .collect(),
            webhook,
        })
        .collect())
}

/// A new webhook.
#[derive(InputObject)]
pub struct RegisterWebhookInput {
    /// An `https://` URL (plain `http://` only to this machine, when the server allows it).
    pub url: String,
    /// The kinds to deliver, e.g. `[ACTION_ITEM_OVERDUE]`; empty or left out: every kind.
    pub kinds: Option<Vec<String>>,
    /// Only events of this district.
    pub district_id: Option<ID>,
}

/// The result of `registerWebhook`.
#[derive(SimpleObject)]
pub struct RegisterWebhookPayload {
    /// The webhook registered.
    pub webhook: Option<Webhook>,
    /// The signing secret. Shown this once: store it where the receiver can verify signatures.
    pub secret: Option<String>,
    /// Why it was not registered, if it was not.
    pub user_errors: Vec<UserError>,
}

/// Which webhook to deactivate.
#[derive(InputObject)]
pub struct DeactivateWebhookInput {
    /// The webhook's id.
    pub id: ID,
}

/// The result of `deactivateWebhook`.
#[derive(SimpleObject)]
pub struct DeactivateWebhookPayload {
    /// The webhook, now inactive.
    pub webhook: Option<Webhook>,
    /// Why not, if it was not deactivated.
    pub user_errors: Vec<UserError>,
}

/// Webhook administration (system admins).
#[derive(Default)]
pub struct WebhookMutation;

#[Object]
impl WebhookMutation {
    /// Registers an HTTPS endpoint that receives matching events, signed with
    /// the secret returned once (system admins).
    async fn register_webhook(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to register.")] input: RegisterWebhookInput,
    ) -> async_graphql::Result<RegisterWebhookPayload> {
        let actor = actor(ctx)?;
        let engine = &request(ctx)?.engine;
        let district = match &input.district_id {
            None => Ok(None),
            Some(id) => match decode_any(id) {
                Some((Kind::District, row)) => Ok(Some(DistrictId(row))),
                _ => Err(EngineError::invalid(
                    "districtId",
                    "must be the ID of a District",
                )),
            },
        };
        let result = change_with(district, |district_id| {
            engine.register_webhook(
                actor,
                NewWebhook {
                    url: input.url,
                    kinds: input.kinds.unwrap_or_default(),
                    district_id,
                },
            )
        })
        .await;
        let (registered, user_errors) = result.outcome()?;
        let (webhook, secret) = match registered {
            Some(registered) => (
                Some(Webhook {
                    webhook: registered.webhook,
                    deliveries: Vec::new(),
                }),
                Some(registered.secret),
            ),
            None => (None, None),
        };
        Ok(RegisterWebhookPayload {
            webhook,
            secret,
            user_errors,
        })
    }

    /// Stops deliveries to a webhook (system admins).
    async fn deactivate_webhook(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which webhook.")] input: DeactivateWebhookInput,
    ) -> async_graphql::Result<DeactivateWebhookPayload> {
        let actor = actor(ctx)?;
        let engine = &request(ctx)?.engine;
        let result = match input.id.as_str().parse::<i64>() {
            Ok(id) => engine.deactivate_webhook(actor, ev::WebhookId(id)).await,
            Err(_) => Err(EngineError::invalid("id", "is not a webhook id")),
        };
        let (webhook, user_errors) = result
            .map(|webhook| Webhook {
                webhook,
                deliveries: Vec::new(),
            })
            .outcome()?;
        Ok(DeactivateWebhookPayload {
            webhook,
            user_errors,
        })
    }
}
