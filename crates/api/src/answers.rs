//! Answers kept for repeated read-only requests. A wall dashboard asks the
//! same question every minute of the day while the data changes a few times
//! an hour; each asking costs ten statements and a few milliseconds of
//! aggregation. An answer is reused only by the same actor, for the same
//! request, in the same [`ReadState`] — the same change counters of the
//! scopes the actor reaches, and the same dates — so it is exactly what
//! executing afresh would give: a commit by any process (or `psql`) to data
//! the actor can read bumps a counter of its scopes in the same transaction,
//! and the old answer is not found again. A commit in another district
//! leaves it as it was. Works the same on SQLite and PostgreSQL, and across
//! server processes over one database.
//!
//! Requests that arrive while the same answer is being computed wait for it
//! instead of computing it again: after a commit, sixty-four dashboards
//! asking at once cost one computation, not sixty-four.
//!
//! Each (actor, request) holds the answer of its newest state only; a request
//! that took an older state than the one kept neither finds nor leaves one.
//! When the answers fill the capacity, the cache starts over empty.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use pendamping_engine::{Actor, Engine, ReadState};
use tokio::sync::watch;

type Key = (Option<Actor>, RequestKey);

/// What identifies a read-only request's answer, besides who asks and when:
/// the document, the operation, the variables and the media type. Built by
/// `http` from the request.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct RequestKey {
    pub(crate) media: MediaType,
    pub(crate) query: String,
    pub(crate) operation_name: Option<String>,
    pub(crate) variables: String,
}

impl RequestKey {
    pub(crate) fn size(&self) -> usize {
        self.query.len()
            + self.variables.len()
            + self.operation_name.as_ref().map_or(0, String::len)
    }
}

/// The media type an answer is given in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum MediaType {
    /// `application/graphql-response+json`: status codes tell request errors apart.
    GraphqlResponse,
    /// `application/json`: the legacy type; well-formed requests answer 200.
    Json,
}

/// One answer, ready to send again. Built and sent by `http`.
#[derive(Debug, Clone)]
pub(crate) struct Answer {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
    /// Executed without a single error: only such answers are kept.
    pub(crate) clean: bool,
}

impl Answer {
    pub(crate) fn may_be_kept(&self) -> bool {
        self.clean
    }

    pub(crate) fn size(&self) -> usize {
        self.body.len() + 256
    }
}

/// The newest answer of each (actor, request), up to a size.
pub struct AnswerCache {
    capacity_bytes: usize,
    kept: Mutex<Kept>,
}

#[derive(Default)]
struct Kept {
    answers: HashMap<Key, (ReadState, Answer)>,
    /// Answers being computed now, for requests that ask meanwhile.
    pending: HashMap<Key, (ReadState, watch::Receiver<Option<Answer>>)>,
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

fn size(key: &Key, answer: &Answer) -> usize {
    key.1.size() + answer.size()
}

/// Where one request may find its answer, or leave it: the cache, who is
/// asking, and the engine its read state is read from — only once the request
/// is known to be read-only (a mutation pays no statement for it), and before
/// anything is computed.
pub struct AnswerSlot {
    cache: Arc<AnswerCache>,
    engine: Engine,
    actor: Option<Actor>,
}

/// What the cache has for one request.
pub(crate) enum Lookup {
    /// The answer, kept in this state.
    Kept(Answer),
    /// Another request is computing it in this state: wait for it.
    Pending(watch::Receiver<Option<Answer>>),
    /// Nobody is: compute it and hand it over.
    Lead(Leader),
    /// The request's state is older than the one kept or being computed:
    /// compute it, keep nothing.
    Stale,
}

impl AnswerSlot {
    pub fn new(cache: Arc<AnswerCache>, engine: Engine, actor: Option<Actor>) -> Self {
        AnswerSlot {
            cache,
            engine,
            actor,
        }
    }

    /// Reads the caller's state, then looks the request up in it; a request
    /// with a newer state than the one kept drops the old answer. A state
    /// that cannot be read keeps nothing (the request is answered afresh).
    pub(crate) async fn lookup(self, request: RequestKey) -> Lookup {
        // Read BEFORE the answer is computed: every statement of the answer
        // then sees the counted commits or later ones, so the data is at
        // least as new as the key it is kept under, never older.
        let current = match self.engine.read_state(self.actor.as_ref()).await {
            Ok(current) => current,
            Err(err) => {
                tracing::debug!(error = %err, "no read state; answering afresh");
                return Lookup::Stale;
            }
        };
        let key = (self.actor, request);
        let mut kept = self.cache.kept();
        if let Some((state, answer)) = kept.answers.get(&key) {
            if *state == current {
                return Lookup::Kept(answer.clone());
            }
            if !current.is_later_than(state) {
                return Lookup::Stale;
            }
            let freed = size(&key, answer);
            kept.answers.remove(&key);
            kept.bytes -= freed;
        }
        if let Some((state, pending)) = kept.pending.get(&key) {
            if *state == current {
                return Lookup::Pending(pending.clone());
            }
            if !current.is_later_than(state) {
                return Lookup::Stale;
            }
        }
        let (sender, receiver) = watch::channel(None);
        kept.pending
            .insert(key.clone(), (current.clone(), receiver));
        drop(kept);
        Lookup::Lead(Leader {
            cache: self.cache,
            state: current,
            key,
            sender,
        })
    }
}

/// Waits for the answer another request is computing; `None` when it ended
/// without one that may be shared (an error, a dropped connection).
pub(crate) async fn wait(mut pending: watch::Receiver<Option<Answer>>) -> Option<Answer> {
    pending
        .wait_for(Option::is_some)
        .await
        .ok()
        .and_then(|answer| answer.clone())
}

/// The request computing an answer others may wait for.
pub(crate) struct Leader {
    cache: Arc<AnswerCache>,
    state: ReadState,
    key: Key,
    sender: watch::Sender<Option<Answer>>,
}

impl Leader {
    /// Keeps `answer` if it may be kept and nothing newer is, and hands it
    /// to those waiting.
    pub(crate) fn finish(self, answer: &Answer) {
        if !answer.may_be_kept() {
            // Dropping the sender tells the waiting requests to compute their own.
            return;
        }
        let size = size(&self.key, answer);
        {
            let mut kept = self.cache.kept();
            let newer_kept = kept
                .answers
                .get(&self.key)
                .is_some_and(|(state, _)| !self.state.is_later_than(state));
            if !newer_kept && size <= self.cache.capacity_bytes {
                if let Some((_, old)) = kept.answers.remove(&self.key) {
                    kept.bytes -= self::size(&self.key, &old);
                }
                if kept.bytes + size > self.cache.capacity_bytes {
                    kept.answers.clear();
                    kept.bytes = 0;
                }
                kept.answers
                    .insert(self.key.clone(), (self.state.clone(), answer.clone()));
                kept.bytes += size;
            }
        }
        let _ = self.sender.send(Some(answer.clone()));
    }
}

impl Drop for Leader {
    /// Finished or not (a client that hung up drops its request), the
    /// computation is no longer pending.
    fn drop(&mut self) {
        let mut kept = self.cache.kept();
        if kept
            .pending
            .get(&self.key)
            .is_some_and(|(_, pending)| pending.same_channel(&self.sender.subscribe()))
        {
            kept.pending.remove(&self.key);
        }
    }
}
