//! How many SQL statements one workflow transition of an action item takes,
//! exactly: the load (the item, its office and its evidence count in one
//! statement), then the write. On PostgreSQL the write is one data-modifying
//! `WITH` (the conditional UPDATE, the audit entry, the outgoing event and its
//! webhook deliveries), atomic on its own; on SQLite it is four statements in
//! a write transaction. Nothing is read back: the changed row comes from
//! `RETURNING`. The counter sees statements, not `BEGIN`/`COMMIT`.
//!
//! A new statement on this path fails this test: say why it is needed, then
//! change the figure.

#![allow(
    clippy::unwrap_used,
    reason = "a test should fail loudly on an unexpected shape"
)]

mod common;

use std::sync::Arc;

use common::at;

use pendamping_domain::action_item::{ActionItem, ActionItemStatus, Priority};
use pendamping_domain::identity::{Actor, Scope};
use pendamping_domain::lifecycle::ActionItemAction;
use pendamping_engine::{
    ActionInput, AuthConfig, BlobStore, Changed, Engine, EngineError, EvidenceSource, FixedClock,
    StatementCounter,
};
use pendamping_storage::testing;

/// Statements of one action-item transition: load, then write.
fn expected() -> u64 {
    if testing::on_postgres() { 2 } else { 1 + 4 }
}

struct Kit {
    engine: Engine,
    counter: StatementCounter,
    assessor: Actor,
    officer: Actor,
}

async fn kit() -> Kit {
    let t = testing::migrated().await.unwrap();
    let clock = Arc::new(FixedClock::new(common::demo_now()));
    let engine = Engine::new(
        t.db.clone(),
        clock,
        AuthConfig::default(),
        BlobStore::in_memory(),
    );
    pendamping_seed::demo::load(&engine).await.unwrap();
    Kit {
        assessor: common::actor(&engine, "asisten@sulbar.example").await,
        officer: common::actor(&engine, "rsud@mamujutengah.example").await,
        engine,
        counter: t.counter,
    }
}

impl Kit {
    /// A new OPEN item of the officer's OPD, in the active agreement of its district.
    async fn new_item(&self) -> ActionItem {
        let Scope::Opd(opd) = self.officer.assignments[0].scope else {
            panic!("the RSUD officer works for one OPD")
        };
        let coordinator = common::actor(&self.engine, "sekda@mamujutengah.example").await;
        let Scope::District(district) = coordinator.assignments[0].scope else {
            panic!("the Sekda works for one district")
        };
        let active = common::active_agreements(&self.engine, &self.assessor, Some(district)).await;
        let agreement = active[0].id;
        self.engine
            .raise_action_item(
                &self.assessor,
                common::finding(
                    (agreement, opd),
                    ("Hitung pernyataan", "Temuan uji"),
                    Priority::Medium,
                    chrono::NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
                ),
            )
            .await
            .unwrap()
    }

    /// Takes `action` at the version of `item` read.
    async fn counted_at(
        &self,
        actor: &Actor,
        item: &ActionItem,
        action: ActionItemAction,
    ) -> (Result<ActionItem, EngineError>, u64) {
        self.counted(actor, item, action, at(item.version)).await
    }

    /// Takes `action` and returns the item after it and the statements it took.
    async fn counted(
        &self,
        actor: &Actor,
        item: &ActionItem,
        action: ActionItemAction,
        input: ActionInput,
    ) -> (Result<ActionItem, EngineError>, u64) {
        let before = self.counter.get();
        let result = self
            .engine
            .take_action(actor, item.id, action, input)
            .await
            .map(|changed| match changed {
                Changed::ActionItem(item) => item,
                other => panic!("an action item, not {other:?}"),
            });
        (result, self.counter.get() - before)
    }
}

#[tokio::test]
async fn a_transition_takes_one_load_and_one_write() {
    let kit = kit().await;
    let item = kit.new_item().await;

    let (started, statements) = kit
        .counted_at(&kit.officer, &item, ActionItemAction::Start)
        .await;
    let started = started.unwrap();
    assert_eq!(started.status, ActionItemStatus::InProgress);
    assert_eq!(started.version, item.version + 1);
    println!("start: {statements} statements");
    assert_eq!(statements, expected(), "start");

    kit.engine
        .add_evidence(
            &kit.officer,
            item.id,
            EvidenceSource::Link {
                name: "Bukti".into(),
                url: "https://example.org/bukti.pdf".into(),
            },
        )
        .await
        .unwrap();
    let (submitted, statements) = kit
        .counted_at(&kit.officer, &started, ActionItemAction::Submit)
        .await;
    let submitted = submitted.unwrap();
    assert_eq!(submitted.status, ActionItemStatus::Submitted);
    assert_eq!(submitted.submitted_by, kit.officer.user_id);
    println!("submit: {statements} statements");
    assert_eq!(statements, expected(), "submit");

    let (verified, statements) = kit
        .counted_at(&kit.assessor, &submitted, ActionItemAction::Verify)
        .await;
    let verified = verified.unwrap();
    assert_eq!(verified.status, ActionItemStatus::Verified);
    println!("verify: {statements} statements");
    assert_eq!(statements, expected(), "verify");

    // What the write recorded: one audit entry and one event per transition.
    let count = |sql: String| {
        let db = kit.engine.db().clone();
        async move {
            use pendamping_storage::ConnectionTrait;
            db.query_one_raw(sea_orm::Statement::from_string(
                db.get_database_backend(),
                sql,
            ))
            .await
            .unwrap()
            .unwrap()
            .try_get_by_index::<i64>(0)
            .unwrap()
        }
    };
    for (table, kind) in [("audit_events", "action"), ("domain_events", "kind")] {
        let sql = format!(
            "SELECT COUNT(*) FROM {table} WHERE object_type = 'ActionItem' \
             AND object_id = {} AND {kind} IN ('ACTION_ITEM_STARTED', 'ACTION_ITEM_SUBMITTED', \
             'ACTION_ITEM_VERIFIED')",
            item.id.0
        );
        assert_eq!(count(sql).await, 3, "{table}");
    }
}

/// A stale version writes nothing: no entry, no event; the refusal reads the
/// current version once more to say which it is.
#[tokio::test]
async fn a_stale_version_writes_nothing() {
    let kit = kit().await;
    let item = kit.new_item().await;
    common::start(&kit.engine, &kit.officer, &item)
        .await
        .unwrap();
    let events = kit.engine.db().clone();
    let total = || async { pendamping_storage::events::last_id(&events).await.unwrap() };
    let last = total().await;
    let (stale, statements) = kit
        .counted(
            &kit.officer,
            &item,
            ActionItemAction::Cancel,
            common::with_reason(item.version, "Tidak relevan"),
        )
        .await;
    assert!(
        matches!(stale, Err(EngineError::Conflict { current, given, .. }) if current == item.version + 1 && given == item.version),
        "{stale:?}"
    );
    // Refused at the version check, before any write.
    assert_eq!(statements, 1, "a stale version is refused on the load");
    assert_eq!(total().await, last);
}
