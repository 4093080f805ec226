//! Shared set-up of the engine's tests (like the API tests' kit): an engine
//! over a fresh, migrated database (SQLite, or PostgreSQL with
//! `PENDAMPING_TEST_DATABASE_URL`) whose clock stands still at the demo's
//! "today", with or without the demo data set, and the demo's people as
//! actors.

#![allow(
    dead_code,
    clippy::unwrap_used,
    reason = "each test file uses part of the kit; a set-up failure should fail the test loudly"
)]

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, TimeZone as _, Utc};
use pendamping_domain::action_item::{
    ActionItem, ActionItemId, ActionItemStatus, Evidence, Priority,
};
use pendamping_domain::agreement::{Agreement, AgreementId, AgreementStatus};
use pendamping_domain::audit::AuditEvent;
use pendamping_domain::identity::Actor;
use pendamping_domain::ids::{DistrictId, OpdId};
use pendamping_domain::lifecycle::ActionItemAction;
use pendamping_engine::{
    ActionInput, ActionItemFilter, AgreementFilter, AuditFilter, AuthConfig, BlobStore, Changed,
    Engine, EngineError, EvidenceSource, FixedClock, NewActionItem, PageRequest,
};
use pendamping_storage::{Db, testing};

pub use pendamping_seed::demo::DEMO_PASSWORD;

/// 28 November 2026, 03:00 UTC (11:00 WITA): the demo's "today".
pub fn demo_now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 28, 3, 0, 0).unwrap()
}

/// An engine over its own fresh database.
pub struct TestEngine {
    pub engine: Engine,
    /// The engine's clock: tests move it on.
    pub clock: Arc<FixedClock>,
    /// The same database the engine writes, for looking underneath it.
    pub db: Db,
    /// Where the database is, for a second connection.
    pub url: String,
}

/// A fresh, migrated, empty database; the clock at [`demo_now`].
pub async fn empty() -> TestEngine {
    let t = testing::migrated().await.unwrap();
    let clock = Arc::new(FixedClock::new(demo_now()));
    let engine = Engine::new(
        t.db.clone(),
        clock.clone(),
        AuthConfig::default(),
        BlobStore::in_memory(),
    );
    TestEngine {
        engine,
        clock,
        db: t.db,
        url: t.url,
    }
}

/// A fresh database with the demo data set loaded.
pub async fn demo() -> TestEngine {
    let t = empty().await;
    pendamping_seed::demo::load(&t.engine).await.unwrap();
    t
}

/// A demo user logged in with the demo password: the actor and the session token.
pub async fn session(engine: &Engine, email: &str) -> (Actor, String) {
    let (issued, _) = engine.login(email, DEMO_PASSWORD, None).await.unwrap();
    (
        engine.authenticate(&issued.token).await.unwrap(),
        issued.token,
    )
}

/// A demo user, as the engine knows them after logging in.
pub async fn actor(engine: &Engine, email: &str) -> Actor {
    session(engine, email).await.0
}

/// The active agreements of a district (of every district with `None`) that
/// `actor` reads: the first page.
pub async fn active_agreements(
    engine: &Engine,
    actor: &Actor,
    district: Option<DistrictId>,
) -> Vec<Agreement> {
    engine
        .reader(actor)
        .agreements(
            &AgreementFilter {
                district_id: district.map(|d| d.0),
                statuses: vec![AgreementStatus::Active],
                ..Default::default()
            },
            &Default::default(),
        )
        .await
        .unwrap()
        .into_items()
}

/// The audit trail of one object that `actor` reads: the first page.
pub async fn audit_of(
    engine: &Engine,
    actor: &Actor,
    object_type: &str,
    object_id: i64,
) -> Vec<AuditEvent> {
    engine
        .reader(actor)
        .audit_events(
            &AuditFilter {
                object_type: Some(object_type.into()),
                object_id: Some(object_id),
                ..Default::default()
            },
            &Default::default(),
        )
        .await
        .unwrap()
        .into_items()
}

/// The action items matching `filter` that `actor` reads, in the default
/// order: the first `first` of them (the default page size with `None`).
pub async fn action_items(
    engine: &Engine,
    actor: &Actor,
    filter: ActionItemFilter,
    first: Option<u64>,
) -> Vec<ActionItem> {
    engine
        .reader(actor)
        .action_items(
            &filter,
            Default::default(),
            &PageRequest {
                first,
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .into_items()
}

/// The action items in `status` that `actor` reads: the first page.
pub async fn items_in(engine: &Engine, actor: &Actor, status: ActionItemStatus) -> Vec<ActionItem> {
    let filter = ActionItemFilter {
        statuses: vec![status],
        ..Default::default()
    };
    action_items(engine, actor, filter, None).await
}

/// The first action item in `status` that `actor` reads.
pub async fn first_item_in(engine: &Engine, actor: &Actor, status: ActionItemStatus) -> ActionItem {
    items_in(engine, actor, status).await.remove(0)
}

/// An action's input that names only the version the actor read.
pub fn at(version: i32) -> ActionInput {
    ActionInput {
        version,
        ..Default::default()
    }
}

/// An action's input that names the version the actor read and a reason.
pub fn with_reason(version: i32, reason: &str) -> ActionInput {
    ActionInput {
        version,
        reason: Some(reason.into()),
        ..Default::default()
    }
}

/// The action item `id` as it is stored now (read by the system).
pub async fn item_now(engine: &Engine, id: ActionItemId) -> ActionItem {
    engine
        .reader(&Actor::system("test"))
        .action_items_by_ids(&[id])
        .await
        .unwrap()
        .remove(0)
}

/// `actor` starts work on `item`, at the version read.
pub async fn start(
    engine: &Engine,
    actor: &Actor,
    item: &ActionItem,
) -> Result<Changed, EngineError> {
    engine
        .take_action(actor, item.id, ActionItemAction::Start, at(item.version))
        .await
}

/// The `n`th generated finding of an OPD under an agreement, open and due on
/// `due_on`: bulk rows for the sweeper's tests, written under the engine.
pub fn generated_item(
    agreement_id: i64,
    opd_id: i64,
    district_id: i64,
    n: impl std::fmt::Display,
    due_on: chrono::NaiveDate,
) -> pendamping_storage::work::ActionItemRow {
    pendamping_storage::work::ActionItemRow {
        agreement_id,
        opd_id,
        district_id,
        milestone_id: None,
        title: format!("Temuan {n}"),
        finding: "Dibangkitkan".into(),
        standard_component: None,
        priority: pendamping_domain::action_item::Priority::Medium,
        due_on,
        progress: pendamping_storage::work::ItemProgress::open(),
    }
}

/// A finding titled `title` (described by `finding`) for `opd_id` under
/// `agreement_id`, due on `due_on`: no milestone, standard component,
/// origin or product, as most tests raise one.
pub fn finding(
    (agreement_id, opd_id): (AgreementId, OpdId),
    (title, finding): (&str, &str),
    priority: Priority,
    due_on: NaiveDate,
) -> NewActionItem {
    NewActionItem {
        agreement_id,
        opd_id,
        milestone_id: None,
        title: title.into(),
        finding: finding.into(),
        standard_component: None,
        priority,
        due_on,
        origin: None,
        product_number: None,
        product_year: None,
    }
}

/// Adds the link `url`, named `name`, as evidence of `item`, as `who`.
pub async fn add_link(
    engine: &Engine,
    who: &Actor,
    item: ActionItemId,
    (name, url): (&str, &str),
) -> Result<Evidence, EngineError> {
    let source = EvidenceSource::Link {
        name: name.into(),
        url: url.into(),
    };
    engine.add_evidence(who, item, source).await
}
