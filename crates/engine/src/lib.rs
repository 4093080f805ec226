//! Pendamping's use cases. Each one takes the acting [`Actor`], decides whether
//! the actor may act (the policy), validates, and persists the change together
//! with its audit entry in one transaction. Reads go through a [`Reader`] that
//! carries the actor's reach, so no caller can read outside it.
//!
//! Invariants: the engine is the only owner of "now" (through its [`Clock`]);
//! resolvers above it never decide authorisation.

mod accounts;
mod amendments;
mod analytics;
mod auth;
mod clock;
mod credentials;
mod deadlines;
mod drafting;
mod error;
mod events;
mod evidence;
mod guards;
mod imports;
mod mail;
mod observe;
mod paging;
pub mod personal;
mod read_state;
mod reader;
mod reference;
mod reorganise;
mod scores;
mod targets;
mod throttle;
mod webhooks;
mod work_rules;
mod workflow;

use std::sync::Arc;

pub use accounts::{IssuedResetCode, ManagedUser, MySession};
pub use amendments::{DraftEdit, NewAmendment};
pub use analytics::{MAX_RANKING, MAX_TREND_WEEKS, recent_weeks};
pub use auth::{AuthConfig, IssuedToken, NewUser, hash_password};
pub use clock::{Clock, FixedClock, SystemClock};
pub use credentials::CredentialEnd;
pub use deadlines::SweepReport;
pub use drafting::{NewActionItem, NewMilestone};
pub use error::{EngineError, InternalError};
pub use events::{EventBatch, EventHub, NOTIFY_CHANNEL, RelayOptions};
pub use evidence::{
    BlobStore, EVIDENCE_MEDIA_TYPES, EvidenceContent, EvidenceSource, MAX_EVIDENCE_BYTES,
};
pub use imports::{
    FindingImportRow, ImportOutcome, ImportProblem, OpdImportRow, RowAt, ScoreImportRow,
    columns as import_columns,
};
pub use mail::{
    EmailDelivery, EmailMessage, EmailSettings, EmailStatus, Language, MailConfig, MailPass,
    render_digest, render_one,
};
pub use observe::Gauges;
pub use paging::Pages;
pub use pendamping_domain as domain;
pub use pendamping_domain::figures::{
    AggregatePoint, ItemStats, PeriodAggregate, ProductFollowUp, Published, Ranked, Standing, Week,
    WeekCounts,
};
pub use pendamping_domain::identity::Actor;
pub use pendamping_domain::read::{
    ActionItemFilter, ActionItemOrder, AggregateLevel, AggregateOf, AgreementFilter, AuditFilter,
    BULK_PAGE_SIZE, CursorKey, DistrictFilter, HistoryOf, ItemFigures, ItemParent, ItemsIn,
    MAX_PAGE_SIZE, NameOrder, NotificationFilter, OpdFilter, Ordering, Page, PageRequest,
    RankingFilter, RankingOf, ScoreFilter, ScoreSubject, SortValue,
};
/// The database handle and how to open it, for the binary and the test kits
/// (the composition root); nothing read through the engine is a storage type.
pub use pendamping_storage::{Db, StatementCounter, connect, migrate};
pub use read_state::ReadState;
pub use reader::Person;
pub use reader::Reader;
pub use scores::{NewScore, ScoreValues};
pub use targets::NewTarget;
pub use webhooks::{
    NewWebhook, RegisteredWebhook, RenderEvent, SIGNATURE_HEADER, WebhookConfig, backoff, signature,
};
pub use workflow::{ActionInput, Changed, Command, WorkflowAction};

/// The use cases over one database.
#[derive(Clone)]
pub struct Engine {
    db: Db,
    clock: Arc<dyn Clock>,
    auth: AuthConfig,
    blobs: BlobStore,
    immutable: reader::Immutable,
    /// This process's live events (the relay publishes, subscriptions read).
    events: EventHub,
    webhooks: WebhookConfig,
    /// Passwords verified so far (see [`Engine::password_checks`]).
    password_checks: Arc<std::sync::atomic::AtomicU64>,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("auth", &self.auth)
            .finish_non_exhaustive()
    }
}

impl Engine {
    pub fn new(db: Db, clock: Arc<dyn Clock>, auth: AuthConfig, blobs: BlobStore) -> Self {
        Engine {
            db,
            clock,
            auth,
            blobs,
            immutable: reader::Immutable::default(),
            events: EventHub::default(),
            webhooks: WebhookConfig::default(),
            password_checks: Arc::default(),
        }
    }

    /// The current instant, from the engine's clock.
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }

    /// Reads on behalf of `actor`, within the actor's reach.
    pub fn reader(&self, actor: &Actor) -> Reader {
        Reader::new(
            self.db.clone(),
            actor.reach(),
            actor.is_admin(),
            self.clock.now(),
            self.immutable.clone(),
        )
    }

    /// The database, for maintenance and tests.
    pub fn db(&self) -> &Db {
        &self.db
    }

    /// Whether the database answers (readiness).
    pub async fn ping(&self) -> Result<(), EngineError> {
        self.db
            .ping()
            .await
            .map_err(|e| EngineError::Internal(e.into()))
    }
}
