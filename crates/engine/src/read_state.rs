//! What a read would see if it started now, for callers that keep answers.

use pendamping_domain::identity::Actor;
use pendamping_storage::analytics::Todays;
use pendamping_storage::scope_changes::ScopeChanges;

use crate::{Engine, EngineError};

/// What one caller's read depends on, as of now: the change counters of the
/// scopes its reach can read (bumped by database triggers in the same
/// transaction as every change, whichever process or tool makes it) and
/// today's date in each of Indonesia's zones (what "overdue", slips and the
/// weekly trend are measured against). Reads by the same actor in equal
/// states give equal answers; a read that starts after the state was taken
/// sees that state or a later one, never an earlier one. A commit outside
/// the caller's reach leaves its state as it was.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ReadState {
    todays: Todays,
    changes: ScopeChanges,
}

impl ReadState {
    /// Whether this state was taken after `other`, for the same actor.
    pub fn is_later_than(&self, other: &ReadState) -> bool {
        match self.todays.cmp(&other.todays) {
            std::cmp::Ordering::Equal => self.changes.is_later_than(&other.changes),
            order => order.is_gt(),
        }
    }
}

impl Engine {
    /// The state a read by `actor` (`None`: anonymous) would see now: one
    /// statement. Take it before computing the answer it keys, so that the
    /// answer is at least as new as the state.
    pub async fn read_state(&self, actor: Option<&Actor>) -> Result<ReadState, EngineError> {
        let todays = Todays::at(self.now());
        let reach = actor.map(Actor::reach).unwrap_or_default();
        let changes = pendamping_storage::scope_changes::scope_changes(
            &self.db,
            &reach,
            actor.and_then(|actor| actor.user_id),
        )
        .await?;
        Ok(ReadState { todays, changes })
    }
}
