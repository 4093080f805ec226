//! What a read would see if it started now, for callers that keep answers.

use pendamping_storage::Snapshot;
use pendamping_storage::analytics::Todays;

use crate::{Engine, EngineError};

/// The data a read would see if it started now: the database's snapshot and
/// today's date in each of Indonesia's zones (what "overdue", slips and the
/// weekly trend are measured against). Reads by the same actor in equal
/// states give equal answers; a read that starts after the state was taken
/// sees that state or a later one, never an earlier one.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ReadState {
    todays: Todays,
    snapshot: Snapshot,
}

impl ReadState {
    /// Whether this state was taken after `other`.
    pub fn is_later_than(&self, other: &ReadState) -> bool {
        match self.todays.cmp(&other.todays) {
            std::cmp::Ordering::Equal => self.snapshot.is_later_than(&other.snapshot),
            order => order.is_gt(),
        }
    }
}

impl Engine {
    /// The state a read would see now; `None` where the database cannot
    /// tell (SQLite), so nothing may be kept.
    pub async fn read_state(&self) -> Result<Option<ReadState>, EngineError> {
        let todays = Todays::at(self.now());
        let snapshot = pendamping_storage::current_snapshot(&self.db).await?;
        Ok(snapshot.map(|snapshot| ReadState { todays, snapshot }))
    }
}
