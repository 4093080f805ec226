//! The change counters of the scopes a caller reaches (`scope_changes`,
//! bumped by database triggers in the same transaction as every change to a
//! table the read API shows; see the migration `m20261130_000016`).
//!
//! Scopes: the global one (reference data everyone reads), one per office,
//! one per district, one per user (their own notifications and sessions),
//! and the national one (what only national readers see). A caller's
//! answers can depend on the global scope, its own user's, the offices and
//! districts it reaches (an office reaches all its districts, an OPD officer
//! its OPD's district, a district its office), and for a national reader
//! every office and district and the national scope.

use pendamping_domain::identity::{Reach, UserId};
use sea_orm::{ConnectionTrait as _, DbBackend, Statement, Value};

use crate::{Db, StorageError};

/// The counters of one caller's scopes, read in one statement. Counters only
/// grow, and any change to the set of scopes a reach covers (a district moved
/// to another office, an OPD reorganised) is a change to reference data,
/// which bumps `global`: so within equal `global`, the set is fixed and a
/// larger `scoped` means later. Equal values mean nothing the caller may read
/// has changed between the two reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ScopeChanges {
    /// The global scope's counter.
    global: i64,
    /// The sum of the counters of every other scope reached.
    scoped: i64,
}

impl ScopeChanges {
    /// Whether this was read after `other` (for the same caller) and something
    /// changed in between.
    pub fn is_later_than(&self, other: &ScopeChanges) -> bool {
        self > other
    }
}

/// A list of ids as one bound text parameter, in the form the backend's
/// `ids(…)` SQL below unpacks: no statement text varies with the reach.
fn id_list(ids: impl Iterator<Item = i64>, backend: DbBackend) -> Value {
    let list: Vec<String> = ids.map(|id| id.to_string()).collect();
    let text = match backend {
        DbBackend::Postgres => format!("{{{}}}", list.join(",")),
        _ => format!("[{}]", list.join(",")),
    };
    Value::from(text)
}

/// The ids of parameter `n` as a one-column SELECT (`x`).
fn ids(n: u8, backend: DbBackend) -> String {
    match backend {
        DbBackend::Postgres => format!("SELECT x FROM unnest(CAST(${n} AS BIGINT[])) AS u(x)"),
        _ => format!("SELECT value AS x FROM json_each(?{n})"),
    }
}

/// The statement for a reach short of everything: the wanted (kind, id)
/// pairs, each looked up by the primary key. Parameters: 1 the user,
/// 2 districts, 3 offices, 4 OPDs.
fn scoped_sql(backend: DbBackend) -> String {
    let user = match backend {
        DbBackend::Postgres => "$1",
        _ => "?1",
    };
    let (districts, offices, opds) = (ids(2, backend), ids(3, backend), ids(4, backend));
    let wanted = format!(
        "SELECT 0 AS k, 0 AS i \
         UNION SELECT 3, CAST({user} AS BIGINT) \
         UNION SELECT 2, x FROM ({districts}) a \
         UNION SELECT 2, d.id FROM districts d WHERE d.office_id IN ({offices}) \
         UNION SELECT 2, o.district_id FROM opds o WHERE o.id IN ({opds}) \
         UNION SELECT 1, x FROM ({offices}) b \
         UNION SELECT 1, d.office_id FROM districts d WHERE d.id IN ({districts}) \
         UNION SELECT 1, d.office_id FROM districts d \
           WHERE d.id IN (SELECT o.district_id FROM opds o WHERE o.id IN ({opds}))"
    );
    let sums = "SELECT CAST(COALESCE(SUM(CASE WHEN w.k = 0 THEN c.changes END), 0) AS BIGINT) AS global_changes, \
                CAST(COALESCE(SUM(CASE WHEN w.k <> 0 THEN c.changes END), 0) AS BIGINT) AS scoped_changes";
    match backend {
        // A handful of wanted rows, each one primary-key lookup: the LATERAL
        // with LIMIT keeps PostgreSQL from hashing all of `scope_changes`
        // (one row per user: a seq scan of thousands) under a generic plan
        // that cannot know how few ids the arrays hold.
        DbBackend::Postgres => format!(
            "{sums} FROM ({wanted}) w CROSS JOIN LATERAL \
             (SELECT c.changes FROM scope_changes c \
              WHERE c.scope_kind = w.k AND c.scope_id = w.i LIMIT 1) c"
        ),
        _ => format!(
            "{sums} FROM ({wanted}) w JOIN scope_changes c ON c.scope_kind = w.k AND c.scope_id = w.i"
        ),
    }
}

/// The statement for a national reader: every office, district and the
/// national scope, its own user's, and the global one. Parameter: 1 the user.
fn everything_sql(backend: DbBackend) -> String {
    let user = match backend {
        DbBackend::Postgres => "$1",
        _ => "?1",
    };
    format!(
        "SELECT CAST(COALESCE(SUM(CASE WHEN scope_kind = 0 THEN changes END), 0) AS BIGINT) AS global_changes, \
                CAST(COALESCE(SUM(CASE WHEN scope_kind <> 0 THEN changes END), 0) AS BIGINT) AS scoped_changes \
         FROM scope_changes \
         WHERE scope_kind IN (0, 1, 2, 4) OR (scope_kind = 3 AND scope_id = {user})"
    )
}

/// The counters of the scopes `reach` (of `user`, if any) can read, in one
/// statement.
pub async fn scope_changes(
    db: &Db,
    reach: &Reach,
    user: Option<UserId>,
) -> Result<ScopeChanges, StorageError> {
    let backend = db.get_database_backend();
    let user = Value::from(user.map(|user| user.0));
    let statement = if reach.everything {
        Statement::from_sql_and_values(backend, everything_sql(backend), [user])
    } else {
        Statement::from_sql_and_values(
            backend,
            scoped_sql(backend),
            [
                user,
                id_list(reach.districts.iter().map(|id| id.0), backend),
                id_list(reach.offices.iter().map(|id| id.0), backend),
                id_list(reach.opds.iter().map(|id| id.0), backend),
            ],
        )
    };
    let row = db.query_one_raw(statement).await?.ok_or_else(|| {
        StorageError::Database(sea_orm::DbErr::RecordNotFound("scope_changes".to_owned()))
    })?;
    Ok(ScopeChanges {
        global: row.try_get("", "global_changes")?,
        scoped: row.try_get("", "scoped_changes")?,
    })
}
