//! Guards across objects, held under concurrency: a change that depends on
//! its agreement's state locks the agreement's row in its own transaction and
//! decides on the state read under the lock (`storage::guards`). Transitions of
//! the agreement take the same lock, so the two changes are ordered: an
//! addition that commits first is seen by the transition's guards, and one
//! that comes after sees the agreement's new state.

use pendamping_domain::agreement::AgreementStatus;
use pendamping_storage::guards;
use sea_orm::ConnectionTrait;

use crate::EngineError;

/// Locks agreement `id` for the rest of the transaction and applies `allowed`
/// to its current status; its refusal becomes `INVALID_TRANSITION`.
pub(crate) async fn agreement_under_lock(
    txn: &impl ConnectionTrait,
    id: i64,
    allowed: impl FnOnce(AgreementStatus) -> Result<(), String>,
) -> Result<(), EngineError> {
    let status = guards::lock_agreement(txn, id)
        .await?
        .ok_or_else(|| EngineError::invalid("agreementId", "no such agreement"))?;
    allowed(status).map_err(EngineError::InvalidTransition)
}
