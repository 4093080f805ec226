//! One workflow transition written at once: the object's conditional
//! `UPDATE` (by id and the version the caller decided on), its audit entry and
//! its outgoing event, with a pending delivery per matching webhook.
//!
//! On PostgreSQL that is ONE statement, a data-modifying `WITH`: the entry and
//! the event are inserted `FROM` the updated row, so they exist exactly when
//! the row changed, and the statement is atomic on its own (no `BEGIN`, no
//! `COMMIT`, no re-read: the changed row comes back from `RETURNING`). On
//! SQLite, which has no data-modifying `WITH`, the same four writes run one
//! after the other in the caller's write transaction.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{
    Alias, Asterisk, CommonTableExpression, Expr, InsertStatement, Query, UpdateStatement,
    WithClause,
};
use sea_orm::{ConnectionTrait, DatabaseBackend, QueryResult};

use crate::StorageError;
use crate::audit::{self, AuditRow};
use crate::entity::{audit_events, domain_events};
use crate::events::{self, EventRow};

/// A transition to write: the row's change, and what records it.
#[derive(Debug, Clone)]
pub struct TransitionWrite {
    /// The conditional `UPDATE` of the object (e.g. [`super::action_item_update`]).
    pub update: UpdateStatement,
    pub audit: AuditRow,
    pub event: EventRow,
}

fn insert_select(
    table: impl sea_orm::sea_query::IntoTableRef,
    columns: impl IntoIterator<Item = impl sea_orm::sea_query::IntoIden>,
    values: Vec<Expr>,
    from: &str,
) -> Result<InsertStatement, StorageError> {
    let select = Query::select().exprs(values).from(Alias::new(from)).take();
    Ok(Query::insert()
        .into_table(table)
        .columns(columns)
        .select_from(select)
        .map_err(|e| StorageError::Corrupt(e.to_string()))?
        .take())
}

/// Writes `transition`: returns the changed row, or `None` when the row was
/// not at the given version any more (then nothing at all was written).
///
/// `db` may be the pool on PostgreSQL (the one statement is atomic); on
/// SQLite it must be a write transaction (`crate::begin_write`), committed by
/// the caller. See [`needs_transaction`].
pub async fn write_transition(
    db: &impl ConnectionTrait,
    transition: TransitionWrite,
    now: DateTime<Utc>,
) -> Result<Option<QueryResult>, StorageError> {
    let TransitionWrite {
        mut update,
        audit,
        event,
    } = transition;
    update.returning_all();
    if db.get_database_backend() == DatabaseBackend::Postgres {
        let audit_insert = insert_select(
            audit_events::Entity,
            audit::COLUMNS,
            audit::values(audit, now),
            "changed",
        )?;
        let mut event_insert = insert_select(
            domain_events::Entity,
            events::COLUMNS,
            events::values(&event, now),
            "changed",
        )?;
        event_insert.returning_col(domain_events::Column::Id);
        let deliveries = events::webhook_deliveries_insert(
            Expr::col((Alias::new("event"), domain_events::Column::Id)),
            Some(Alias::new("event")),
            &event.kind,
            event.district_id,
            now,
        )?;
        let cte = |name: &str, query: sea_orm::sea_query::SubQueryStatement| {
            CommonTableExpression::new()
                .query(query)
                .table_name(Alias::new(name))
                .to_owned()
        };
        let statement = WithClause::new()
            .cte(cte("changed", update.into()))
            .cte(cte("audit", audit_insert.into()))
            .cte(cte("event", event_insert.into()))
            .cte(cte("deliveries", deliveries.into()))
            .to_owned()
            .query(
                Query::select()
                    .column(Asterisk)
                    .from(Alias::new("changed"))
                    .take(),
            );
        return Ok(db.query_one(&statement).await?);
    }
    let Some(changed) = db.query_one(&update).await? else {
        return Ok(None);
    };
    audit::append(db, audit, now).await?;
    events::append(db, event, now).await?;
    Ok(Some(changed))
}

/// Whether [`write_transition`] needs a transaction around it on `backend`
/// (SQLite: four statements), or is atomic on its own (PostgreSQL: one).
pub fn needs_transaction(backend: DatabaseBackend) -> bool {
    backend != DatabaseBackend::Postgres
}
