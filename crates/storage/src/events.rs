//! The outbox of domain events: written in the same transaction as the change
//! it reports, relayed to subscribers and webhooks from here.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};

use crate::StorageError;
use crate::entity::domain_events;

/// A new domain event.
#[derive(Debug, Clone)]
pub struct EventRow {
    /// SCREAMING_CASE, e.g. `ACTION_ITEM_STARTED`.
    pub kind: String,
    pub object_type: &'static str,
    pub object_id: i64,
    pub office_id: Option<i64>,
    pub district_id: Option<i64>,
    pub opd_id: Option<i64>,
    pub payload: serde_json::Value,
}

pub async fn append(
    db: &impl ConnectionTrait,
    row: EventRow,
    now: DateTime<Utc>,
) -> Result<i64, StorageError> {
    let model = domain_events::ActiveModel {
        occurred_at: Set(now),
        kind: Set(row.kind),
        object_type: Set(row.object_type.to_owned()),
        object_id: Set(row.object_id),
        office_id: Set(row.office_id),
        district_id: Set(row.district_id),
        opd_id: Set(row.opd_id),
        payload_json: Set(Some(row.payload.to_string())),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(model.id)
}

/// Appends many events in few statements (the deadline sweeper's batch),
/// in the order given.
pub async fn append_many(
    db: &impl ConnectionTrait,
    rows: Vec<EventRow>,
    now: DateTime<Utc>,
) -> Result<u64, StorageError> {
    use sea_orm::EntityTrait;
    // Well under SQLite's limit of bound parameters per statement.
    const CHUNK: usize = 500;
    let total = rows.len() as u64;
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<_> = rows
            .by_ref()
            .take(CHUNK)
            .map(|row| domain_events::ActiveModel {
                occurred_at: Set(now),
                kind: Set(row.kind),
                object_type: Set(row.object_type.to_owned()),
                object_id: Set(row.object_id),
                office_id: Set(row.office_id),
                district_id: Set(row.district_id),
                opd_id: Set(row.opd_id),
                payload_json: Set(Some(row.payload.to_string())),
                ..Default::default()
            })
            .collect();
        domain_events::Entity::insert_many(chunk).exec(db).await?;
    }
    Ok(total)
}
