//! A list of keys in a statement whose text does not depend on it.
//!
//! `id IN ($1, $2, …)` is a new statement for every number of keys: on
//! PostgreSQL each new text is parsed and planned again, and a connection's
//! statement cache fills with near-copies. A batched lookup (forty OPDs of one
//! district, a hundred of another) binds its keys as ONE array instead.

use sea_orm::sea_query::extension::postgres::PgFunc;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, DbBackend};

/// `column IN (ids)`: on PostgreSQL `column = ANY($n)` with the ids bound as
/// one `BIGINT[]`; SQLite (no arrays, cheap to prepare) keeps `IN (?, …)`.
pub(crate) fn among<C: ColumnTrait>(backend: DbBackend, column: C, ids: &[i64]) -> Expr {
    match backend {
        DbBackend::Postgres => {
            Expr::col(column.as_column_ref()).eq(PgFunc::any(Expr::val(ids.to_vec())))
        }
        _ => column.is_in(ids.iter().copied()),
    }
}
