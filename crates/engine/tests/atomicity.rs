//! A workflow change is all or nothing: when writing its outgoing event fails,
//! the state change and the audit entry written before it in the same
//! transaction are gone too.

#![allow(
    clippy::unwrap_used,
    reason = "a test should fail loudly on an unexpected shape"
)]

mod common;

use common::TestEngine;
use pendamping_domain::action_item::ActionItemStatus;
use pendamping_domain::identity::Actor;
use pendamping_engine::EngineError;
use pendamping_storage::{ConnectionTrait, testing};

#[tokio::test]
async fn a_change_whose_event_cannot_be_written_leaves_no_trace() {
    let TestEngine { engine, db, .. } = common::demo().await;
    let officer = common::actor(&engine, "rsud@mamujutengah.example").await;
    let item = common::first_item_in(&engine, &officer, ActionItemStatus::Open).await;

    // Make the last write of the transaction fail.
    let sabotage = if testing::on_postgres() {
        vec![
            "CREATE FUNCTION refuse_event() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'outbox unavailable'; END $$ LANGUAGE plpgsql",
            "CREATE TRIGGER refuse_event BEFORE INSERT ON domain_events FOR EACH ROW EXECUTE FUNCTION refuse_event()",
        ]
    } else {
        vec![
            "CREATE TRIGGER refuse_event BEFORE INSERT ON domain_events BEGIN SELECT RAISE(ABORT, 'outbox unavailable'); END",
        ]
    };
    for sql in sabotage {
        db.execute_unprepared(sql).await.unwrap();
    }

    let result = common::start(&engine, &officer, &item).await;
    assert!(
        matches!(result, Err(EngineError::Internal(_))),
        "{result:?}"
    );

    let admin = Actor::system("test");
    let after = common::item_now(&engine, item.id).await;
    assert_eq!(
        after.status,
        ActionItemStatus::Open,
        "the state change was rolled back"
    );
    assert_eq!(after.version, item.version, "the version did not move");
    let audit = common::audit_of(&engine, &admin, "ActionItem", item.id.0).await;
    assert!(
        audit.iter().all(|e| e.action != "ACTION_ITEM_STARTED"),
        "the audit entry was rolled back"
    );
}
