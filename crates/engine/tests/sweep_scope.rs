//! A sweeper pass that builds on the previous one (looking only at due dates
//! and waits that crossed a threshold since, and at items changed since)
//! raises exactly what a pass over everything would: after each such pass,
//! a pass over everything finds nothing left to raise. Runs on SQLite and
//! PostgreSQL.

#![allow(
    clippy::unwrap_used,
    reason = "a test should fail loudly on an unexpected shape"
)]

mod common;

use chrono::{Duration, NaiveDate};
use pendamping_domain::action_item::ActionItemStatus;
use pendamping_domain::deadline::{DeadlinePolicy, ReminderKind};
use pendamping_domain::identity::Scope;
use pendamping_storage::deadlines::{self, SweepScope};
use pendamping_storage::work::{self, ActionItemPatch, ActionItemRow, ItemProgress};
use pendamping_storage::{TransactionTrait, begin_write};

/// What a pass over everything would raise now, rolled back.
async fn left_for_a_full_pass(
    db: &pendamping_storage::Db,
    policy: &DeadlinePolicy,
    now: chrono::DateTime<chrono::Utc>,
) -> u64 {
    let txn = begin_write(db).await.unwrap();
    let (sweep_id, _) = deadlines::begin_sweep(&txn, policy, now).await.unwrap();
    let mut raised = 0;
    for kind in ReminderKind::ALL {
        raised +=
            deadlines::raise_for_action_items(&txn, sweep_id, *kind, policy, SweepScope::Full, now)
                .await
                .unwrap();
    }
    txn.rollback().await.unwrap();
    raised
}

#[tokio::test]
async fn a_pass_over_changes_raises_what_a_full_pass_would() {
    let t = common::demo().await;
    let (engine, clock, db) = (&t.engine, &t.clock, &t.db);
    let assessor = common::actor(engine, "asisten@sulbar.example").await;
    let rsud = common::actor(engine, "rsud@mamujutengah.example").await;
    let coordinator = common::actor(engine, "sekda@mamujutengah.example").await;
    let Scope::Opd(opd) = rsud.assignments[0].scope else {
        panic!("one OPD")
    };
    let Scope::District(district) = coordinator.assignments[0].scope else {
        panic!("one district")
    };
    let agreement = common::active_agreements(engine, &assessor, Some(district)).await[0].id;
    let policy = DeadlinePolicy::default();
    let start = common::demo_now();
    let day0 = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
    // Items due from 50 days ago to 40 days ahead, some awaiting verification.
    let mut items = Vec::new();
    for n in 0..120u64 {
        let due_on = day0 + chrono::Days::new(40) - chrono::Days::new(n % 90);
        let submitted = n % 7 == 3;
        let row = ActionItemRow {
            progress: ItemProgress {
                status: if submitted {
                    ActionItemStatus::Submitted
                } else {
                    ActionItemStatus::Open
                },
                submitted_at: submitted.then(|| start - Duration::days((n % 20) as i64)),
                ..ItemProgress::open()
            },
            ..common::generated_item(agreement.0, opd.0, district.0, n, due_on)
        };
        let item = work::insert_action_item(db, row, start).await.unwrap();
        items.push(item);
    }
    let first = engine.sweep_deadlines(&policy).await.unwrap();
    assert!(first.full, "{first}");
    assert!(first.overdue > 0 && first.escalations > 0, "{first}");
    assert_eq!(
        left_for_a_full_pass(db, &policy, clock_now(engine)).await,
        0
    );

    // Forty steps of six to thirty hours; between passes, items change:
    // submitted ones are rejected (the OPD's move again, long overdue), open
    // ones are submitted, due dates move into the past.
    let mut raised_since = 0;
    for step in 0..40u64 {
        clock.advance(Duration::hours(6 + (step * 7 % 25) as i64));
        let now = clock_now(engine);
        for (n, item) in items.iter_mut().enumerate() {
            if !(n as u64 + step).is_multiple_of(11) {
                continue;
            }
            let current = engine
                .reader(&assessor)
                .action_items_by_ids(&[item.id])
                .await
                .unwrap()
                .remove(0);
            let patch = match current.status {
                ActionItemStatus::Submitted => ActionItemPatch {
                    status: Some(ActionItemStatus::Rejected),
                    count_rejection: true,
                    ..Default::default()
                },
                ActionItemStatus::Open | ActionItemStatus::Rejected if n % 2 == 0 => {
                    ActionItemPatch {
                        status: Some(ActionItemStatus::Submitted),
                        submitted_at: Some(now - Duration::days(20)),
                        ..Default::default()
                    }
                }
                _ => ActionItemPatch {
                    due_on: Some(current.due_on - chrono::Days::new(45)),
                    ..Default::default()
                },
            };
            let txn = db.begin().await.unwrap();
            assert!(
                work::update_action_item(&txn, current.id.0, current.version, patch, now)
                    .await
                    .unwrap()
            );
            deadlines::withdraw_stale(
                &txn,
                Some(pendamping_domain::deadline::DeadlineObject::ActionItem(
                    current.id,
                )),
                now,
            )
            .await
            .unwrap();
            txn.commit().await.unwrap();
        }
        let pass = engine.sweep_deadlines(&policy).await.unwrap();
        assert!(!pass.full, "step {step}: {pass}");
        raised_since += pass.reminders + pass.overdue + pass.escalations;
        assert_eq!(
            left_for_a_full_pass(db, &policy, now).await,
            0,
            "step {step}: the pass over changes left something for a full pass ({pass})"
        );
    }
    assert!(raised_since > 50, "the steps raised {raised_since}");
    // A pass with another policy builds on nothing: it looks at everything.
    let other = DeadlinePolicy {
        reminder_days: 5,
        ..policy
    };
    assert!(engine.sweep_deadlines(&other).await.unwrap().full);
}

fn clock_now(engine: &pendamping_engine::Engine) -> chrono::DateTime<chrono::Utc> {
    engine.now()
}
