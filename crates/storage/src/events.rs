//! The outbox of domain events: written in the same transaction as the change
//! it reports (together with one pending delivery per matching webhook), and
//! read back by the event relay and by subscribers, within their reach.

use chrono::{DateTime, Utc};
use pendamping_domain::agreement::AgreementId;
use pendamping_domain::events::{DomainEvent, EventFilter};
use pendamping_domain::identity::Reach;
use pendamping_domain::reference::{DistrictId, OfficeId, OpdId};
use sea_orm::sea_query::{Expr, ExprTrait, LikeExpr, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::StorageError;
use crate::entity::{domain_events, webhook_deliveries, webhooks};
use crate::reach;

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
    /// The agreement the record belongs to, when it belongs to one: subscribers
    /// filter by it, and OPD officers hear agreement-level events through it.
    pub agreement_id: Option<i64>,
    pub payload: serde_json::Value,
}

/// Appends an event, and queues its delivery to every active webhook whose
/// filter matches, in the caller's transaction.
pub async fn append(
    db: &impl ConnectionTrait,
    row: EventRow,
    now: DateTime<Utc>,
) -> Result<i64, StorageError> {
    let district_id = row.district_id;
    let kind = row.kind.clone();
    let id = domain_events::Entity::insert(active(row, now))
        .exec(db)
        .await?
        .last_insert_id;
    queue_webhook_deliveries(db, id, &kind, district_id, now).await?;
    Ok(id)
}

fn active(row: EventRow, now: DateTime<Utc>) -> domain_events::ActiveModel {
    domain_events::ActiveModel {
        occurred_at: Set(now),
        kind: Set(row.kind),
        object_type: Set(row.object_type.to_owned()),
        object_id: Set(row.object_id),
        office_id: Set(row.office_id),
        district_id: Set(row.district_id),
        opd_id: Set(row.opd_id),
        agreement_id: Set(row.agreement_id),
        payload_json: Set(Some(row.payload.to_string())),
        ..Default::default()
    }
}

/// The values of an event, in [`COLUMNS`] order (for `INSERT … SELECT`).
pub(crate) fn values(row: &EventRow, now: DateTime<Utc>) -> Vec<Expr> {
    vec![
        Expr::val(now),
        Expr::val(row.kind.clone()),
        Expr::val(row.object_type),
        Expr::val(row.object_id),
        Expr::val(row.office_id),
        Expr::val(row.district_id),
        Expr::val(row.opd_id),
        Expr::val(row.agreement_id),
        Expr::val(row.payload.to_string()),
    ]
}

/// The columns [`values`] fills.
pub(crate) const COLUMNS: [domain_events::Column; 9] = {
    use domain_events::Column as C;
    [
        C::OccurredAt,
        C::Kind,
        C::ObjectType,
        C::ObjectId,
        C::OfficeId,
        C::DistrictId,
        C::OpdId,
        C::AgreementId,
        C::PayloadJson,
    ]
};

/// Appends many events in few statements (the deadline sweeper's batch),
/// in the order given.
pub async fn append_many(
    db: &impl ConnectionTrait,
    rows: Vec<EventRow>,
    now: DateTime<Utc>,
) -> Result<u64, StorageError> {
    // Webhooks are queued per event; with none registered (the common case)
    // the batch goes in a few multi-row statements.
    let any_webhook = webhooks::Entity::find()
        .filter(webhooks::Column::Active.eq(true))
        .one(db)
        .await?
        .is_some();
    if any_webhook {
        let total = rows.len() as u64;
        for row in rows {
            append(db, row, now).await?;
        }
        return Ok(total);
    }
    // Well under SQLite's limit of bound parameters per statement.
    const CHUNK: usize = 500;
    let total = rows.len() as u64;
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<_> = rows
            .by_ref()
            .take(CHUNK)
            .map(|row| active(row, now))
            .collect();
        domain_events::Entity::insert_many(chunk).exec(db).await?;
    }
    Ok(total)
}

/// `INSERT INTO webhook_deliveries … SELECT … FROM webhooks WHERE <matches>`:
/// one statement whatever the number of webhooks.
async fn queue_webhook_deliveries(
    db: &impl ConnectionTrait,
    event_id: i64,
    kind: &str,
    district_id: Option<i64>,
    now: DateTime<Utc>,
) -> Result<(), StorageError> {
    let insert = webhook_deliveries_insert(Expr::val(event_id), None, kind, district_id, now)?;
    db.execute(&insert).await?;
    Ok(())
}

/// The `INSERT` of [`queue_webhook_deliveries`] for the event whose id is
/// `event_id`: a value, or a column of `event_table`, joined into the `FROM`
/// (a `WITH` table of the statement that inserts the event).
pub(crate) fn webhook_deliveries_insert(
    event_id: Expr,
    event_table: Option<sea_orm::sea_query::Alias>,
    kind: &str,
    district_id: Option<i64>,
    now: DateTime<Utc>,
) -> Result<sea_orm::sea_query::InsertStatement, StorageError> {
    use webhooks::Column as W;
    // Kinds are stored as a JSON array of SCREAMING_CASE strings; `_` is a LIKE
    // wildcard, so it is escaped to match the kind exactly.
    let pattern = format!(
        "%\"{}\"%",
        kind.replace('\\', "\\\\")
            .replace('_', "\\_")
            .replace('%', "\\%")
    );
    let district = match district_id {
        Some(id) => Condition::any()
            .add(W::DistrictId.is_null())
            .add(W::DistrictId.eq(id)),
        None => Condition::all().add(W::DistrictId.is_null()),
    };
    let mut select = Query::select();
    select
        .column((webhooks::Entity, W::Id))
        .expr(event_id)
        .expr(Expr::val(
            pendamping_domain::events::DeliveryStatus::Pending.as_str(),
        ))
        .expr(Expr::val(0))
        .expr(Expr::val(now))
        .expr(Expr::val(now))
        .from(webhooks::Entity)
        .and_where(W::Active.eq(true))
        .cond_where(district)
        .cond_where(
            Condition::any()
                .add(W::KindsJson.eq("[]"))
                .add(Expr::col(W::KindsJson).like(LikeExpr::new(pattern).escape('\\'))),
        );
    if let Some(table) = event_table {
        select.from(table);
    }
    use webhook_deliveries::Column as D;
    let insert = Query::insert()
        .into_table(webhook_deliveries::Entity)
        .columns([
            D::WebhookId,
            D::EventId,
            D::Status,
            D::Attempts,
            D::NextAttemptAt,
            D::CreatedAt,
        ])
        .select_from(select)
        .map_err(|e| StorageError::Corrupt(e.to_string()))?
        .take();
    Ok(insert)
}

fn event(m: domain_events::Model) -> DomainEvent {
    DomainEvent {
        id: m.id,
        occurred_at: m.occurred_at,
        kind: m.kind,
        object_type: m.object_type,
        object_id: m.object_id,
        office_id: m.office_id.map(OfficeId),
        district_id: m.district_id.map(DistrictId),
        opd_id: m.opd_id.map(OpdId),
        agreement_id: m.agreement_id.map(AgreementId),
        payload_json: m.payload_json,
    }
}

/// The PostgreSQL channel on which processes tell each other that events were committed.
pub const ANNOUNCE_CHANNEL: &str = "pendamping_events";

/// Tells the other processes on this PostgreSQL database that events were
/// committed (the payload names the process, so it can ignore its own word).
/// Sent on its own, never inside a write: a transaction that NOTIFYs holds a
/// database-wide lock through its commit's flush, one committer at a time.
pub async fn announce(db: &impl ConnectionTrait, origin: &str) -> Result<(), StorageError> {
    db.execute_raw(sea_orm::Statement::from_sql_and_values(
        sea_orm::DatabaseBackend::Postgres,
        "SELECT pg_notify($1, $2)",
        [ANNOUNCE_CHANNEL.into(), origin.into()],
    ))
    .await?;
    Ok(())
}

/// The newest event's id (0 when there is none).
pub async fn last_id(db: &impl ConnectionTrait) -> Result<i64, StorageError> {
    let newest = domain_events::Entity::find()
        .order_by_desc(domain_events::Column::Id)
        .one(db)
        .await?;
    Ok(newest.map_or(0, |m| m.id))
}

/// For the relay: events after `after` and those among `missing` (ids it saw
/// skipped, whose transactions may have committed since), oldest first,
/// whoever may read them.
pub async fn committed_since(
    db: &impl ConnectionTrait,
    after: i64,
    missing: &[i64],
    limit: u64,
) -> Result<Vec<DomainEvent>, StorageError> {
    use domain_events::Column as E;
    let mut which = Condition::any().add(E::Id.gt(after));
    if !missing.is_empty() {
        which = which.add(E::Id.is_in(missing.iter().copied()));
    }
    let rows = domain_events::Entity::find()
        .filter(which)
        .order_by_asc(E::Id)
        .limit(limit)
        .all(db)
        .await?;
    Ok(rows.into_iter().map(event).collect())
}

/// Which events a subscriber reads.
#[derive(Debug, Clone, Copy)]
pub enum EventRange<'a> {
    /// `after < id <= up_to`, at most `limit`, oldest first (replay).
    Between { after: i64, up_to: i64, limit: u64 },
    /// Exactly these (a live batch).
    Among(&'a [i64]),
}

/// The events of `range` that `reach` may read and `filter` asks for, oldest first.
pub async fn readable(
    db: &impl ConnectionTrait,
    reach: &Reach,
    filter: &EventFilter,
    range: EventRange<'_>,
) -> Result<Vec<DomainEvent>, StorageError> {
    use domain_events::Column as E;
    let mut select = domain_events::Entity::find()
        .filter(reach::domain_events(reach))
        .order_by_asc(E::Id);
    select = match range {
        EventRange::Between {
            after,
            up_to,
            limit,
        } => select
            .filter(E::Id.gt(after))
            .filter(E::Id.lte(up_to))
            .limit(limit),
        EventRange::Among(ids) => {
            if ids.is_empty() {
                return Ok(Vec::new());
            }
            select.filter(E::Id.is_in(ids.iter().copied()))
        }
    };
    if let Some(district) = filter.district_id {
        select = select.filter(E::DistrictId.eq(district.0));
    }
    if let Some(opd) = filter.opd_id {
        select = select.filter(E::OpdId.eq(opd.0));
    }
    if let Some(agreement) = filter.agreement_id {
        select = select.filter(E::AgreementId.eq(agreement.0));
    }
    if !filter.kinds.is_empty() {
        select = select.filter(E::Kind.is_in(filter.kinds.iter().cloned()));
    }
    Ok(select.all(db).await?.into_iter().map(event).collect())
}

/// Events by id, whoever may read them (webhook deliveries).
pub async fn by_ids(
    db: &impl ConnectionTrait,
    ids: &[i64],
) -> Result<Vec<DomainEvent>, StorageError> {
    let rows = domain_events::Entity::find()
        .filter(domain_events::Column::Id.is_in(ids.iter().copied()))
        .order_by_asc(domain_events::Column::Id)
        .all(db)
        .await?;
    Ok(rows.into_iter().map(event).collect())
}
