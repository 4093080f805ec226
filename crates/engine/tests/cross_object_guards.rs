//! Guards that hold across objects when two changes race: an agreement
//! completes only when all its milestones are closed, nothing is added to an
//! agreement that has ended, and an item is raised only under an active
//! agreement. Many concurrent additions race one completion or termination;
//! afterwards no guard is broken. Runs on SQLite and, with
//! `PENDAMPING_TEST_DATABASE_URL`, on PostgreSQL.

#![allow(
    clippy::unwrap_used,
    reason = "a test should fail loudly on an unexpected shape"
)]

mod common;

use chrono::NaiveDate;
use common::actor;
use pendamping_domain::action_item::Priority;
use pendamping_domain::agreement::{AgreementStatus, MilestoneKind, NewAgreement};
use pendamping_domain::identity::Actor;
use pendamping_domain::lifecycle::AgreementAction;
use pendamping_engine::{
    ActionInput, AuditFilter, Engine, EngineError, NewActionItem, NewMilestone,
};

const ATTEMPTS: usize = 20;
const ROUNDS: usize = 3;

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, d).unwrap()
}

/// Races `ATTEMPTS` additions (`add(i)`, each in a task of its own) with
/// the lead's `action` on agreement `id`, taken a quarter of the way in;
/// the outcome of each.
async fn race<F>(
    engine: &Engine,
    lead: &Actor,
    (id, action, input): (i64, AgreementAction, ActionInput),
    add: impl Fn(usize) -> F,
) -> Vec<Result<(), EngineError>>
where
    F: std::future::Future<Output = Result<(), EngineError>> + Send + 'static,
{
    let mut tasks = Vec::new();
    for i in 0..ATTEMPTS {
        tasks.push(tokio::spawn(add(i)));
        if i == ATTEMPTS / 4 {
            let (engine, lead, input) = (engine.clone(), lead.clone(), input.clone());
            tasks.push(tokio::spawn(async move {
                let id = pendamping_domain::agreement::AgreementId(id);
                engine
                    .take_action(&lead, id, action, input)
                    .await
                    .map(|_| ())
            }));
        }
    }
    let mut outcomes = Vec::new();
    for task in tasks {
        outcomes.push(task.await.unwrap());
    }
    outcomes
}

/// A fresh ACTIVE agreement with no milestones, like the demo's active one; (id, version, OPDs).
async fn active_agreement(engine: &Engine, lead: &Actor, n: usize) -> (i64, i32, Vec<i64>) {
    let reader = engine.reader(lead);
    let template = common::active_agreements(engine, lead, None)
        .await
        .remove(0);
    let opds = reader
        .opd_ids_of_agreements(&[template.id])
        .await
        .unwrap()
        .remove(&template.id)
        .unwrap();
    let draft = engine
        .create_agreement(
            lead,
            NewAgreement {
                office_id: template.office_id,
                district_id: template.district_id,
                title: format!("Race {n}"),
                period_start: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
                period_end: NaiveDate::from_ymd_opt(2027, 12, 31).unwrap(),
                office_number: Some(format!("OFF/{n}")),
                district_number: Some(format!("DIS/{n}")),
                office_signatory: Some("Kepala".into()),
                district_signatory: Some("Bupati".into()),
                opd_ids: opds.clone(),
            },
        )
        .await
        .unwrap();
    let signed = engine
        .take_action(
            lead,
            draft.id,
            AgreementAction::Sign,
            ActionInput {
                version: draft.version,
                signed_on: Some(NaiveDate::from_ymd_opt(2026, 11, 1).unwrap()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let pendamping_engine::Changed::Agreement(signed) = signed else {
        panic!("an agreement")
    };
    let opds = pendamping_domain::reference::OpdId::rows(&opds);
    (signed.id.0, signed.version, opds)
}

/// The audit ids of `action` entries about `object_type` (in commit-ish order: ids are taken at insert).
async fn audit_ids(engine: &Engine, object_type: &str, action: &str) -> Vec<i64> {
    let admin = Actor::system("test");
    let mut ids = Vec::new();
    let page = engine
        .reader(&admin)
        .audit_events(
            &AuditFilter {
                object_type: Some(object_type.into()),
                ..Default::default()
            },
            &pendamping_engine::PageRequest {
                first: Some(100),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    for (_, entry) in page.items {
        if entry.action == action {
            ids.push(entry.id.0);
        }
    }
    ids
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_agreement_completed_while_milestones_are_added_never_has_an_open_milestone() {
    let engine = common::demo().await.engine;
    let lead = actor(&engine, "kepala@sulbar.example").await;
    let assessor = actor(&engine, "asisten@sulbar.example").await;
    let mut completed = 0;
    for round in 0..ROUNDS {
        let (id, version, opds) = active_agreement(&engine, &lead, round).await;
        let input = ActionInput {
            version,
            closing_summary: Some("done".into()),
            ..Default::default()
        };
        let closing = (id, AgreementAction::Complete, input);
        let outcomes = race(&engine, &lead, closing, |i| {
            let (e, l, opds) = (engine.clone(), assessor.clone(), opds.clone());
            async move {
                e.add_milestone(
                    &l,
                    NewMilestone {
                        agreement_id: pendamping_domain::agreement::AgreementId(id),
                        kind: MilestoneKind::MonitoringVisit,
                        title: format!("Visit {i}"),
                        planned_on: day(10),
                        location: None,
                        opd_ids: opds[..1].iter().map(|&o| o.into()).collect(),
                    },
                )
                .await
                .map(|_| ())
            }
        })
        .await;
        for outcome in outcomes {
            match outcome {
                Ok(())
                | Err(EngineError::InvalidTransition(_))
                | Err(EngineError::Conflict { .. }) => {}
                Err(other) => panic!("unexpected: {other:?}"),
            }
        }
        let admin = Actor::system("test");
        let id = pendamping_domain::agreement::AgreementId(id);
        let agreement = engine
            .reader(&admin)
            .agreements_by_ids(&[id])
            .await
            .unwrap()
            .remove(0);
        let open = engine
            .reader(&admin)
            .open_milestones_of(&[id])
            .await
            .unwrap()
            .get(&id)
            .copied()
            .unwrap_or(0);
        if agreement.status == AgreementStatus::Completed {
            completed += 1;
            assert_eq!(
                open, 0,
                "round {round}: a completed agreement has {open} open milestones"
            );
        }
    }
    println!(
        "completion raced {ATTEMPTS} additions {ROUNDS} times: completed {completed} times, no guard broken"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn items_raised_while_the_agreement_is_terminated_are_all_raised_before_it_ends() {
    let engine = common::demo().await.engine;
    let lead = actor(&engine, "kepala@sulbar.example").await;
    let assessor = actor(&engine, "asisten@sulbar.example").await;
    let mut late = 0;
    for round in 0..ROUNDS {
        let (id, version, opds) = active_agreement(&engine, &lead, 10 + round).await;
        let before_items = audit_ids(&engine, "ActionItem", "ACTION_ITEM_RAISED").await;
        let input = common::with_reason(version, "the district withdrew");
        let closing = (id, AgreementAction::Terminate, input);
        let outcomes = race(&engine, &lead, closing, |i| {
            let (e, a, opds) = (engine.clone(), assessor.clone(), opds.clone());
            async move {
                e.raise_action_item(
                    &a,
                    NewActionItem {
                        agreement_id: pendamping_domain::agreement::AgreementId(id),
                        opd_id: opds[0].into(),
                        milestone_id: None,
                        title: format!("Finding {i}"),
                        finding: "The service standard is not displayed.".into(),
                        standard_component: None,
                        priority: Priority::Medium,
                        due_on: day(20),
                        origin: None,
                        product_number: None,
                        product_year: None,
                    },
                )
                .await
                .map(|_| ())
            }
        })
        .await;
        for outcome in outcomes {
            match outcome {
                Ok(()) | Err(EngineError::InvalidTransition(_)) => {}
                Err(other) => panic!("unexpected: {other:?}"),
            }
        }
        let terminated = audit_ids(&engine, "Agreement", "AGREEMENT_TERMINATED").await;
        let ended = terminated.into_iter().max().unwrap();
        let raised: Vec<i64> = audit_ids(&engine, "ActionItem", "ACTION_ITEM_RAISED")
            .await
            .into_iter()
            .filter(|i| !before_items.contains(i))
            .collect();
        late += raised.iter().filter(|i| **i > ended).count();
    }
    assert_eq!(
        late, 0,
        "items were raised after their agreement was terminated"
    );
}
