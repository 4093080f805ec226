//! Answers kept for repeated read-only requests. A wall dashboard asks the
//! same question every minute of the day while the data changes a few times
//! an hour; each asking costs ten statements and a few milliseconds of
//! aggregation. An answer is reused only by the same actor, for the same
//! request, in the same [`ReadState`] — the same PostgreSQL snapshot and the
//! same dates — so it is exactly what executing afresh would give: a commit
//! by any process moves the snapshot on, and the old answers with it.
//!
//! Only the newest state's answers are held; a request that took an older
//! state neither finds nor leaves one. On SQLite there is no snapshot to
//! compare, so nothing is kept.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use pendamping_engine::{Actor, ReadState};

use crate::http::{Answer, RequestKey};

/// The answers of the newest read state, up to a size.
pub struct AnswerCache {
    capacity_bytes: usize,
    kept: Mutex<Kept>,
}

#[derive(Default)]
struct Kept {
    state: Option<ReadState>,
    answers: HashMap<(Option<Actor>, RequestKey), Answer>,
    bytes: usize,
}

impl AnswerCache {
    /// A cache holding at most `capacity_bytes` of answers (bodies and requests).
    pub fn new(capacity_bytes: usize) -> Self {
        AnswerCache {
            capacity_bytes,
            kept: Mutex::new(Kept::default()),
        }
    }

    fn kept(&self) -> std::sync::MutexGuard<'_, Kept> {
        // A panic while holding the lock leaves nothing half-done worth refusing.
        self.kept
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Where one request may find its answer, or leave it: the cache, the state
/// the request took before it authenticated, and who is asking.
pub struct AnswerSlot {
    cache: Arc<AnswerCache>,
    state: ReadState,
    actor: Option<Actor>,
}

impl AnswerSlot {
    pub fn new(cache: Arc<AnswerCache>, state: ReadState, actor: Option<Actor>) -> Self {
        AnswerSlot {
            cache,
            state,
            actor,
        }
    }

    /// The answer kept for this request in this state, if any.
    pub(crate) fn find(&self, request: &RequestKey) -> Option<Answer> {
        let kept = self.cache.kept();
        if kept.state.as_ref() != Some(&self.state) {
            return None;
        }
        kept.answers
            .get(&(self.actor.clone(), request.clone()))
            .cloned()
    }

    /// Keeps `answer` for later requests in the same state. A newer state
    /// drops every answer of the old one.
    pub(crate) fn keep(self, request: RequestKey, answer: Answer) {
        let size = request.size() + answer.size();
        let mut kept = self.cache.kept();
        match &kept.state {
            Some(current) if *current == self.state => {}
            Some(current) if !self.state.is_later_than(current) => return,
            _ => {
                *kept = Kept {
                    state: Some(self.state),
                    ..Kept::default()
                }
            }
        }
        if kept.bytes + size > self.cache.capacity_bytes {
            return;
        }
        if kept.answers.insert((self.actor, request), answer).is_none() {
            kept.bytes += size;
        }
    }
}
