//! Live events: one relay per process reads the outbox (`domain_events`) in id
//! order and publishes batches to the process's subscribers; a subscription
//! replays what a client missed, then follows the live batches, each read back
//! through the subscriber's reach and filter.
//!
//! Why the relay holds events back at gaps: on PostgreSQL, ids come from a
//! sequence when a row is inserted, not when its transaction commits, so id 7
//! can become visible after id 8. The relay remembers such holes for
//! `gap_window`, publishes only up to the first open hole (its watermark), and
//! gives a hole up after the window (its transaction rolled back). Subscribers
//! therefore see ids in increasing order, and resuming after the last id seen
//! leaves no gap.
//!
//! Why the relay, not the write, tells other processes: PostgreSQL commits the
//! transactions that sent a NOTIFY one at a time (a database-wide lock held
//! through the commit's flush). A NOTIFY per outbox row made every write wait
//! for the one before it; one NOTIFY per gathering window, sent after the
//! commits, costs nothing of the kind.

use std::collections::{BTreeMap, VecDeque};
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::time::{Duration, Instant};

use futures_util::Stream;
use pendamping_domain::events::{DomainEvent, EventFilter};
use pendamping_domain::identity::{Actor, Reach};
use pendamping_storage::events::{self, EventRange};
use pendamping_storage::{DatabaseTransaction, Db};
use sea_orm::DatabaseBackend;
use tokio::sync::{Notify, broadcast, watch};

use crate::{Engine, EngineError};

/// The PostgreSQL channel on which each process's relay announces the events
/// committed through it.
pub const NOTIFY_CHANNEL: &str = events::ANNOUNCE_CHANNEL;

/// A batch of events in id order, as published by the relay.
pub type EventBatch = Arc<[DomainEvent]>;

/// How the relay wakes and how long it waits for late commits.
#[derive(Debug, Clone)]
pub struct RelayOptions {
    /// The safety-net poll, for wake-ups that were lost (a dropped LISTEN connection).
    pub poll_interval: Duration,
    /// How long a hole in the ids may stay open before it is taken for a rollback.
    pub gap_window: Duration,
}

impl Default for RelayOptions {
    fn default() -> Self {
        RelayOptions {
            poll_interval: Duration::from_secs(2),
            gap_window: Duration::from_secs(5),
        }
    }
}

/// The per-process meeting point of the relay and the subscribers.
#[derive(Clone)]
pub struct EventHub {
    inner: Arc<HubInner>,
}

struct HubInner {
    sender: broadcast::Sender<EventBatch>,
    /// Every event with an id at or below it has been published (or given up).
    watermark: AtomicI64,
    /// Wakes the relay after a local commit.
    nudge: Notify,
    /// Events were committed through this process since the other processes
    /// were last told.
    unannounced: AtomicBool,
    /// Names this process in its announcements, so its own are ignored.
    origin: String,
    /// Set on shutdown: subscriptions end.
    closed: watch::Sender<bool>,
}

impl Default for EventHub {
    fn default() -> Self {
        let (sender, _) = broadcast::channel(1024);
        let (closed, _) = watch::channel(false);
        EventHub {
            inner: Arc::new(HubInner {
                sender,
                watermark: AtomicI64::new(0),
                nudge: Notify::new(),
                unannounced: AtomicBool::new(false),
                origin: format!("{:016x}", rand::random::<u64>()),
                closed,
            }),
        }
    }
}

impl EventHub {
    /// Tells the relay that events were committed here (read them now, not at
    /// the next poll, and tell the other processes).
    pub fn nudge(&self) {
        self.inner.unannounced.store(true, Ordering::SeqCst);
        self.inner.nudge.notify_one();
    }

    /// Wakes the relay for events another process committed.
    fn wake(&self) {
        self.inner.nudge.notify_one();
    }

    /// The live batches, from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<EventBatch> {
        self.inner.sender.subscribe()
    }

    pub fn watermark(&self) -> i64 {
        self.inner.watermark.load(Ordering::SeqCst)
    }

    /// Ends every subscription (server shutdown).
    pub fn close(&self) {
        self.inner.closed.send_replace(true);
    }

    fn closed(&self) -> watch::Receiver<bool> {
        self.inner.closed.subscribe()
    }

    /// The watermark moves before the batch is sent: a subscriber that reads
    /// the watermark after subscribing then misses nothing (see `Subscription`).
    fn publish(&self, watermark: i64, batch: Vec<DomainEvent>) {
        self.inner.watermark.fetch_max(watermark, Ordering::SeqCst);
        if !batch.is_empty() {
            // No receivers is fine: nobody is listening in this process.
            let _ = self.inner.sender.send(batch.into());
        }
    }
}

/// The relay's reading position.
struct Relay {
    db: Db,
    hub: EventHub,
    options: RelayOptions,
    /// The highest id read so far.
    high: i64,
    /// Ids below `high` not seen yet, with when they were first missed.
    gaps: BTreeMap<i64, Instant>,
    /// Read but held back behind a gap.
    held: BTreeMap<i64, DomainEvent>,
}

/// Holes wider than this are not tracked one by one (a sequence jump, not in-flight transactions).
const MAX_TRACKED_GAP: i64 = 10_000;
const RELAY_BATCH: u64 = 500;
/// How long the relay lets commits gather after a wake-up before it reads
/// them: under a thousand transitions a second it would otherwise read the
/// outbox (and the webhook sender its queue) once per commit; this way a
/// burst is one read, and a live event arrives at most this much later.
const RELAY_GATHER: Duration = Duration::from_millis(10);

impl Relay {
    async fn catch_up(&mut self) -> Result<(), EngineError> {
        loop {
            let missing: Vec<i64> = self.gaps.keys().copied().collect();
            let rows = events::committed_since(&self.db, self.high, &missing, RELAY_BATCH).await?;
            let full = rows.len() as u64 == RELAY_BATCH;
            let now = Instant::now();
            for row in rows {
                if row.id > self.high {
                    if row.id - self.high <= MAX_TRACKED_GAP {
                        for id in self.high + 1..row.id {
                            self.gaps.insert(id, now);
                        }
                    } else {
                        tracing::warn!(
                            from = self.high,
                            to = row.id,
                            "event ids jumped; not waiting for the hole"
                        );
                    }
                    self.high = row.id;
                } else {
                    self.gaps.remove(&row.id);
                }
                self.held.insert(row.id, row);
            }
            let window = self.options.gap_window;
            self.gaps.retain(|id, since| {
                let open = now.duration_since(*since) < window;
                if !open {
                    tracing::debug!(id, "event id never committed; taken for a rollback");
                }
                open
            });
            let watermark = self
                .gaps
                .keys()
                .next()
                .map_or(self.high, |first_gap| first_gap - 1);
            let rest = self.held.split_off(&(watermark + 1));
            let ready: Vec<DomainEvent> = std::mem::replace(&mut self.held, rest)
                .into_values()
                .collect();
            self.hub.publish(watermark, ready);
            if !full {
                return Ok(());
            }
        }
    }

    /// How long to sleep: the poll interval, or less when a gap is due to expire.
    fn next_wake(&self) -> Duration {
        let poll = self.options.poll_interval;
        match self.gaps.values().min() {
            Some(since) => {
                let expires = *since + self.options.gap_window;
                expires
                    .saturating_duration_since(Instant::now())
                    .min(poll)
                    .max(Duration::from_millis(10))
            }
            None => poll,
        }
    }
}

impl Engine {
    /// This process's event hub.
    pub fn event_hub(&self) -> &EventHub {
        &self.events
    }

    /// Commits a transaction that appended events, and wakes the relay.
    pub(crate) async fn commit_events(&self, txn: DatabaseTransaction) -> Result<(), EngineError> {
        txn.commit().await?;
        self.events.nudge();
        Ok(())
    }

    /// Runs this process's event relay until `shutdown` completes, then ends
    /// every subscription. On PostgreSQL it also LISTENs for events committed
    /// by other processes.
    pub async fn run_event_relay(
        self,
        options: RelayOptions,
        shutdown: impl Future<Output = ()> + Send,
    ) -> Result<(), EngineError> {
        let high = events::last_id(&self.db).await?;
        let mut relay = Relay {
            db: self.db.clone(),
            hub: self.events.clone(),
            options,
            high,
            gaps: BTreeMap::new(),
            held: BTreeMap::new(),
        };
        relay.hub.publish(high, Vec::new());
        let (stop_listener, listener_stopped) = watch::channel(false);
        let listener = (self.db.get_database_backend() == DatabaseBackend::Postgres).then(|| {
            tokio::spawn(listen(
                self.db.clone(),
                self.events.clone(),
                listener_stopped,
            ))
        });
        tracing::info!(from = high, "event relay started");
        tokio::pin!(shutdown);
        loop {
            if self.events.inner.unannounced.swap(false, Ordering::SeqCst)
                && self.db.get_database_backend() == DatabaseBackend::Postgres
            {
                // Once per gathering window, however many commits it holds.
                if let Err(err) = events::announce(&self.db, &self.events.inner.origin).await {
                    tracing::warn!(error = %err, "cannot announce events to other processes");
                }
            }
            if let Err(err) = relay.catch_up().await {
                tracing::warn!(error = %err, "event relay could not read the outbox; retrying");
            }
            tokio::select! {
                () = &mut shutdown => break,
                () = self.events.inner.nudge.notified() => {
                    tokio::time::sleep(RELAY_GATHER).await;
                }
                () = tokio::time::sleep(relay.next_wake()) => {}
            }
        }
        let _ = stop_listener.send(true);
        if let Some(listener) = listener {
            let _ = listener.await;
        }
        self.events.close();
        tracing::info!("event relay stopped");
        Ok(())
    }

    /// Events as `actor` may read them: those after `after` first (a resuming
    /// client), then live ones, each once, in id order, until the hub closes.
    pub async fn subscribe_events(
        &self,
        actor: &Actor,
        filter: EventFilter,
        after: Option<i64>,
    ) -> Result<impl Stream<Item = Result<DomainEvent, EngineError>> + Send + use<>, EngineError>
    {
        filter.validate("filter.kinds")?;
        if actor.reach().is_empty() {
            return Err(EngineError::Forbidden("this account reads nothing".into()));
        }
        // Subscribe first, then read the watermark: nothing falls between.
        let live = self.events.subscribe();
        let watermark = self.events.watermark();
        let subscription = Subscription {
            db: self.db.clone(),
            reach: actor.reach(),
            filter,
            hub: self.events.clone(),
            live,
            closed: self.events.closed(),
            cursor: after.unwrap_or(watermark).max(0),
            replay_to: watermark,
            ready: VecDeque::new(),
            ended: false,
        };
        Ok(futures_util::stream::unfold(
            subscription,
            |mut s| async move {
                let next = s.next().await?;
                Some((next, s))
            },
        ))
    }
}

/// Forwards PostgreSQL notifications to the hub, reconnecting as needed.
async fn listen(db: Db, hub: EventHub, mut stop: watch::Receiver<bool>) {
    use sea_orm::sqlx::postgres::PgListener;
    let pool = db.get_postgres_connection_pool().clone();
    let mut listener: Option<PgListener> = None;
    loop {
        if *stop.borrow() {
            return;
        }
        let Some(active) = listener.as_mut() else {
            let connected = async {
                let mut l = PgListener::connect_with(&pool).await?;
                l.listen(NOTIFY_CHANNEL).await?;
                Ok::<_, sea_orm::sqlx::Error>(l)
            };
            tokio::select! {
                _ = stop.changed() => return,
                result = connected => match result {
                    Ok(l) => {
                        tracing::debug!("listening for events from other processes");
                        listener = Some(l);
                        // Whatever was committed while we were not listening.
                        hub.wake();
                    }
                    Err(err) => {
                        tracing::warn!(error = %err, "cannot LISTEN for events; polling meanwhile");
                        tokio::select! {
                            _ = stop.changed() => return,
                            () = tokio::time::sleep(Duration::from_secs(2)) => {}
                        }
                    }
                }
            }
            continue;
        };
        tokio::select! {
            _ = stop.changed() => return,
            received = active.try_recv() => match received {
                // Our own announcement: the relay has read those already.
                Ok(Some(notice)) if notice.payload() == hub.inner.origin => {}
                Ok(Some(_)) => hub.wake(),
                // The connection dropped; notifications may have been lost meanwhile.
                Ok(None) => hub.wake(),
                Err(err) => {
                    tracing::warn!(error = %err, "event LISTEN connection failed; reconnecting");
                    listener = None;
                    hub.wake();
                }
            }
        }
    }
}

/// One subscriber's position: everything at or below `cursor` was delivered
/// or filtered out.
struct Subscription {
    db: Db,
    reach: Reach,
    filter: EventFilter,
    hub: EventHub,
    live: broadcast::Receiver<EventBatch>,
    closed: watch::Receiver<bool>,
    cursor: i64,
    /// Replay from the outbox up to here before following the live batches.
    replay_to: i64,
    ready: VecDeque<DomainEvent>,
    ended: bool,
}

const REPLAY_PAGE: u64 = 200;

impl Subscription {
    async fn next(&mut self) -> Option<Result<DomainEvent, EngineError>> {
        loop {
            if let Some(event) = self.ready.pop_front() {
                return Some(Ok(event));
            }
            if self.ended || *self.closed.borrow() {
                return None;
            }
            if self.cursor < self.replay_to {
                let range = EventRange::Between {
                    after: self.cursor,
                    up_to: self.replay_to,
                    limit: REPLAY_PAGE,
                };
                match events::readable(&self.db, &self.reach, &self.filter, range).await {
                    Ok(rows) => {
                        self.cursor = if rows.len() as u64 == REPLAY_PAGE {
                            rows.last().map_or(self.replay_to, |r| r.id)
                        } else {
                            self.replay_to
                        };
                        self.ready.extend(rows);
                    }
                    Err(err) => return Some(self.fail(err.into())),
                }
                continue;
            }
            let batch = tokio::select! {
                _ = self.closed.changed() => return None,
                received = self.live.recv() => received,
            };
            match batch {
                Ok(batch) => {
                    let ids: Vec<i64> = batch
                        .iter()
                        .map(|e| e.id)
                        .filter(|id| *id > self.cursor)
                        .collect();
                    let Some(&newest) = ids.last() else { continue };
                    match events::readable(
                        &self.db,
                        &self.reach,
                        &self.filter,
                        EventRange::Among(&ids),
                    )
                    .await
                    {
                        Ok(rows) => {
                            self.cursor = newest;
                            self.ready.extend(rows);
                        }
                        Err(err) => return Some(self.fail(err.into())),
                    }
                }
                // Too slow to keep up: catch up from the outbox instead.
                Err(broadcast::error::RecvError::Lagged(_)) => {
                    self.replay_to = self.hub.watermark();
                }
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    }

    /// Reports the error and ends the stream; the client resumes with `after`.
    fn fail(&mut self, err: EngineError) -> Result<DomainEvent, EngineError> {
        tracing::warn!(error = %err, "subscription ended by a storage error");
        self.ended = true;
        Err(err)
    }
}
