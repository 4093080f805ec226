//! Guards across objects: a change that depends on its parent agreement's
//! state locks the agreement's row first, in the same transaction, and reads
//! the state again under the lock.
//!
//! The lock is a no-op UPDATE of the row (`version = version`): on PostgreSQL
//! it takes the row lock (like `SELECT … FOR UPDATE`, and it waits for a
//! concurrent transition's UPDATE to commit, then sees its result); on SQLite
//! it makes the transaction a writer before it reads, so no other writer can
//! commit between the read and the write.

use pendamping_domain::agreement::AgreementStatus;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::StorageError;
use crate::entity::agreements;

/// Locks agreement `id` until the transaction ends and returns its current
/// status; `None` when it does not exist.
pub async fn lock_agreement(
    txn: &impl ConnectionTrait,
    id: i64,
) -> Result<Option<AgreementStatus>, StorageError> {
    use agreements::Column as C;
    agreements::Entity::update_many()
        .col_expr(C::Version, Expr::col(C::Version))
        .filter(C::Id.eq(id))
        .exec(txn)
        .await?;
    let Some(row) = agreements::Entity::find_by_id(id).one(txn).await? else {
        return Ok(None);
    };
    Ok(Some(row.status.parse()?))
}
