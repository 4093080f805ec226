//! The append-only audit log.

use chrono::{DateTime, Utc};
use pendamping_domain::audit::AuditEvent;
use pendamping_domain::identity::Reach;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use crate::StorageError;
use crate::convert;
use crate::entity::audit_events;
use crate::page::{self, CursorKey, ListOrder, Page, PageRequest, SortValue};
use crate::reach;

pub use pendamping_domain::read::AuditFilter;

/// A new audit entry. Written in the same transaction as the change it records.
#[derive(Debug, Clone)]
pub struct AuditRow {
    pub actor_id: Option<i64>,
    pub actor_label: String,
    pub action: String,
    pub object_type: &'static str,
    pub object_id: i64,
    pub office_id: Option<i64>,
    pub district_id: Option<i64>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    pub reason: Option<String>,
}

/// Appends an entry: one `INSERT` that reads nothing back.
pub async fn append(
    db: &impl ConnectionTrait,
    row: AuditRow,
    now: DateTime<Utc>,
) -> Result<(), StorageError> {
    audit_events::Entity::insert(active(row, now))
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// The values of an entry, in [`COLUMNS`] order (for `INSERT … SELECT`).
pub(crate) fn values(row: AuditRow, now: DateTime<Utc>) -> Vec<sea_orm::sea_query::Expr> {
    use sea_orm::sea_query::Expr;
    vec![
        Expr::val(now),
        Expr::val(row.actor_id),
        Expr::val(row.actor_label),
        Expr::val(row.action),
        Expr::val(row.object_type),
        Expr::val(row.object_id),
        Expr::val(row.office_id),
        Expr::val(row.district_id),
        Expr::val(row.before.map(|v| v.to_string())),
        Expr::val(row.after.map(|v| v.to_string())),
        Expr::val(row.reason),
    ]
}

/// The columns [`values`] fills.
pub(crate) const COLUMNS: [audit_events::Column; 11] = {
    use audit_events::Column as C;
    [
        C::OccurredAt,
        C::ActorId,
        C::ActorLabel,
        C::Action,
        C::ObjectType,
        C::ObjectId,
        C::OfficeId,
        C::DistrictId,
        C::BeforeJson,
        C::AfterJson,
        C::Reason,
    ]
};

fn active(row: AuditRow, now: DateTime<Utc>) -> audit_events::ActiveModel {
    audit_events::ActiveModel {
        occurred_at: Set(now),
        actor_id: Set(row.actor_id),
        actor_label: Set(row.actor_label),
        action: Set(row.action),
        object_type: Set(row.object_type.to_owned()),
        object_id: Set(row.object_id),
        office_id: Set(row.office_id),
        district_id: Set(row.district_id),
        before_json: Set(row.before.map(|v| v.to_string())),
        after_json: Set(row.after.map(|v| v.to_string())),
        reason: Set(row.reason),
        ..Default::default()
    }
}

fn select(reach: &Reach, filter: &AuditFilter) -> sea_orm::Select<audit_events::Entity> {
    use audit_events::Column as C;
    let mut select = audit_events::Entity::find().filter(reach::audit_events(reach));
    if let Some(t) = &filter.object_type {
        select = select.filter(C::ObjectType.eq(t.as_str()));
    }
    if let Some(id) = filter.object_id {
        select = select.filter(C::ObjectId.eq(id));
    }
    if let Some(id) = filter.actor_id {
        select = select.filter(C::ActorId.eq(id));
    }
    if let Some(id) = filter.district_id {
        select = select.filter(C::DistrictId.eq(id));
    }
    if let Some(id) = filter.office_id {
        select = select.filter(C::OfficeId.eq(id));
    }
    if let Some(from) = filter.from {
        select = select.filter(C::OccurredAt.gte(from));
    }
    if let Some(to) = filter.to {
        select = select.filter(C::OccurredAt.lt(to));
    }
    select
}

/// Newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    reach: &Reach,
    filter: &AuditFilter,
    request: &PageRequest,
) -> Result<Page<AuditEvent>, StorageError> {
    page::paginate(
        db,
        select(reach, filter),
        ListOrder::by_id(audit_events::Column::Id).descending(true),
        |m| CursorKey {
            sort: SortValue::None,
            id: m.id,
        },
        request,
    )
    .await?
    .try_map(convert::audit_event)
}

pub async fn count(
    db: &impl ConnectionTrait,
    reach: &Reach,
    filter: &AuditFilter,
) -> Result<u64, StorageError> {
    page::count(db, select(reach, filter)).await
}

pub async fn by_ids(
    db: &impl ConnectionTrait,
    reach: &Reach,
    ids: &[i64],
) -> Result<Vec<AuditEvent>, StorageError> {
    let within = reach::audit_events(reach);
    let id = audit_events::Column::Id;
    crate::db::by_ids::<audit_events::Entity, _>(db, id, ids, within, convert::audit_event).await
}

/// The audit entries of many records of one type, oldest first, in one
/// statement. Callers pass only records the actor may already read: a
/// record's history is read through the record.
pub async fn history_of(
    db: &impl ConnectionTrait,
    object_type: &str,
    object_ids: &[i64],
) -> Result<std::collections::HashMap<i64, Vec<AuditEvent>>, StorageError> {
    use sea_orm::QueryOrder;
    let rows = audit_events::Entity::find()
        .filter(audit_events::Column::ObjectType.eq(object_type))
        .filter(audit_events::Column::ObjectId.is_in(object_ids.iter().copied()))
        .order_by_asc(audit_events::Column::Id)
        .all(db)
        .await?;
    crate::group::group(rows, |row| Ok((row.object_id, convert::audit_event(row)?)))
}
