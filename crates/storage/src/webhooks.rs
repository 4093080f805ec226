//! Webhooks and their delivery log. Deliveries are queued with the event (see
//! `events::append`); any number of processes may work the queue: a delivery
//! is claimed by a conditional update, so only one of them sends each attempt.

use chrono::{DateTime, Utc};
use pendamping_domain::events::{DeliveryStatus, Webhook, WebhookDelivery, WebhookId};
use pendamping_domain::identity::UserId;
use pendamping_domain::reference::DistrictId;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use crate::StorageError;
use crate::db::updated_one;
use crate::entity::{webhook_deliveries, webhooks};

/// A new webhook.
#[derive(Debug, Clone)]
pub struct WebhookRow {
    pub url: String,
    pub secret: String,
    pub kinds: Vec<String>,
    pub district_id: Option<i64>,
    pub created_by: Option<i64>,
}

fn webhook(m: webhooks::Model) -> Result<Webhook, StorageError> {
    let kinds: Vec<String> = serde_json::from_str(&m.kinds_json)
        .map_err(|e| StorageError::Corrupt(format!("webhook {} kinds: {e}", m.id)))?;
    Ok(Webhook {
        id: WebhookId(m.id),
        url: m.url,
        kinds,
        district_id: m.district_id.map(DistrictId),
        active: m.active,
        created_by: m.created_by.map(UserId),
        created_at: m.created_at,
        deactivated_at: m.deactivated_at,
    })
}

fn delivery(m: webhook_deliveries::Model) -> Result<WebhookDelivery, StorageError> {
    Ok(WebhookDelivery {
        id: m.id,
        webhook_id: WebhookId(m.webhook_id),
        event_id: m.event_id,
        status: m.status.parse::<DeliveryStatus>()?,
        attempts: m.attempts,
        last_status_code: m.last_status_code,
        last_error: m.last_error,
        next_attempt_at: m.next_attempt_at,
        last_attempt_at: m.last_attempt_at,
        delivered_at: m.delivered_at,
    })
}

pub async fn insert(
    db: &impl ConnectionTrait,
    row: WebhookRow,
    now: DateTime<Utc>,
) -> Result<Webhook, StorageError> {
    let model = webhooks::ActiveModel {
        url: Set(row.url),
        secret: Set(row.secret),
        kinds_json: Set(serde_json::Value::from(row.kinds).to_string()),
        district_id: Set(row.district_id),
        active: Set(true),
        created_by: Set(row.created_by),
        created_at: Set(now),
        deactivated_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    webhook(model)
}

/// Stops deliveries to a webhook (pending ones are not sent). False when it
/// does not exist or was already inactive.
pub async fn deactivate(
    db: &impl ConnectionTrait,
    id: i64,
    now: DateTime<Utc>,
) -> Result<bool, StorageError> {
    updated_one(
        db,
        webhooks::Entity::update_many()
            .col_expr(webhooks::Column::Active, Expr::val(false))
            .col_expr(webhooks::Column::DeactivatedAt, Expr::val(now))
            .filter(webhooks::Column::Id.eq(id))
            .filter(webhooks::Column::Active.eq(true)),
    )
    .await
}

/// Every webhook, newest first.
pub async fn list(db: &impl ConnectionTrait) -> Result<Vec<Webhook>, StorageError> {
    webhooks::Entity::find()
        .order_by_desc(webhooks::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(webhook)
        .collect()
}

/// Webhooks by id, with their signing secrets (for the sender only).
pub async fn with_secrets(
    db: &impl ConnectionTrait,
    ids: &[i64],
) -> Result<Vec<(Webhook, String)>, StorageError> {
    webhooks::Entity::find()
        .filter(webhooks::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|m| {
            let secret = m.secret.clone();
            webhook(m).map(|w| (w, secret))
        })
        .collect()
}

/// The newest deliveries of the given webhooks, at most `per_webhook` each, in one statement.
pub async fn recent_deliveries(
    db: &impl ConnectionTrait,
    webhook_ids: &[i64],
    per_webhook: usize,
) -> Result<Vec<WebhookDelivery>, StorageError> {
    if webhook_ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows = webhook_deliveries::Entity::find()
        .filter(webhook_deliveries::Column::WebhookId.is_in(webhook_ids.iter().copied()))
        .order_by_desc(webhook_deliveries::Column::Id)
        .limit((per_webhook * webhook_ids.len()) as u64 * 4)
        .all(db)
        .await?;
    let mut taken = std::collections::HashMap::<i64, usize>::new();
    let mut out = Vec::new();
    for row in rows {
        let n = taken.entry(row.webhook_id).or_default();
        if *n < per_webhook {
            *n += 1;
            out.push(delivery(row)?);
        }
    }
    Ok(out)
}

/// Pending deliveries of active webhooks that are due, oldest first.
pub async fn due(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<WebhookDelivery>, StorageError> {
    use webhook_deliveries::Column as D;
    let active = sea_orm::sea_query::Query::select()
        .column(webhooks::Column::Id)
        .from(webhooks::Entity)
        .and_where(webhooks::Column::Active.eq(true))
        .take();
    webhook_deliveries::Entity::find()
        .filter(D::Status.eq(DeliveryStatus::Pending.as_str()))
        .filter(D::NextAttemptAt.lte(now))
        .filter(D::WebhookId.in_subquery(active))
        .order_by_asc(D::NextAttemptAt)
        .order_by_asc(D::Id)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(delivery)
        .collect()
}

/// Claims one attempt of a due delivery: counts the attempt and pushes the
/// next try to `lease_until` (so a sender that dies mid-attempt is retried
/// then). True only for the one caller whose update found the row as it read it.
pub async fn claim(
    db: &impl ConnectionTrait,
    seen: &WebhookDelivery,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
) -> Result<bool, StorageError> {
    use webhook_deliveries::Column as D;
    updated_one(
        db,
        webhook_deliveries::Entity::update_many()
            .col_expr(D::Attempts, Expr::col(D::Attempts).add(1))
            .col_expr(D::LastAttemptAt, Expr::val(now))
            .col_expr(D::NextAttemptAt, Expr::val(lease_until))
            .filter(D::Id.eq(seen.id))
            .filter(D::Status.eq(DeliveryStatus::Pending.as_str()))
            .filter(D::Attempts.eq(seen.attempts))
            .filter(D::NextAttemptAt.lte(now)),
    )
    .await
}

/// How an attempt ended.
#[derive(Debug, Clone)]
pub enum AttemptOutcome {
    Delivered {
        status_code: i32,
    },
    /// Failed; tried again at `retry_at`, or given up when `None`.
    Failed {
        status_code: Option<i32>,
        error: String,
        retry_at: Option<DateTime<Utc>>,
    },
}

pub async fn record_attempt(
    db: &impl ConnectionTrait,
    id: i64,
    outcome: AttemptOutcome,
    now: DateTime<Utc>,
) -> Result<(), StorageError> {
    use webhook_deliveries::Column as D;
    let update = webhook_deliveries::Entity::update_many().filter(D::Id.eq(id));
    let update = match outcome {
        AttemptOutcome::Delivered { status_code } => update
            .col_expr(D::Status, Expr::val(DeliveryStatus::Delivered.as_str()))
            .col_expr(D::LastStatusCode, Expr::val(status_code))
            .col_expr(D::LastError, Expr::val(Option::<String>::None))
            .col_expr(D::DeliveredAt, Expr::val(now)),
        AttemptOutcome::Failed {
            status_code,
            error,
            retry_at,
        } => {
            let update = update
                .col_expr(D::LastStatusCode, Expr::val(status_code))
                .col_expr(D::LastError, Expr::val(error));
            match retry_at {
                Some(at) => update.col_expr(D::NextAttemptAt, Expr::val(at)),
                None => update.col_expr(D::Status, Expr::val(DeliveryStatus::Failed.as_str())),
            }
        }
    };
    update.exec(db).await?;
    Ok(())
}

/// How many deliveries wait to be sent (pending, of active webhooks): the
/// webhook queue an operator's metrics show.
pub async fn pending_count(db: &impl ConnectionTrait) -> Result<u64, StorageError> {
    use sea_orm::PaginatorTrait as _;
    use webhook_deliveries::Column as D;
    let active = sea_orm::sea_query::Query::select()
        .column(webhooks::Column::Id)
        .from(webhooks::Entity)
        .and_where(webhooks::Column::Active.eq(true))
        .take();
    Ok(webhook_deliveries::Entity::find()
        .filter(D::Status.eq(DeliveryStatus::Pending.as_str()))
        .filter(D::WebhookId.in_subquery(active))
        .count(db)
        .await?)
}
