//! The deadline sweeper: reminders at the district's own midnight, each once
//! however often and however many sweepers run, to the right people, withdrawn
//! when the due date or the assignee changes. Runs on SQLite and PostgreSQL.
//!
//! Also prints the time of one pass over a generated data set (a figure for
//! the notes, not an assertion).

#![allow(
    clippy::unwrap_used,
    reason = "a test should fail loudly on an unexpected shape"
)]

mod common;

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Instant;

use chrono::{DateTime, NaiveDate, TimeZone as _, Utc};
use common::{TestEngine, actor};
use pendamping_domain::action_item::{ActionItem, Priority};
use pendamping_domain::agreement::{AgreementId, MilestoneKind};
use pendamping_domain::deadline::{DeadlineObject, DeadlinePolicy, NotificationId, ReminderKind};
use pendamping_domain::identity::{Actor, Scope};
use pendamping_domain::lifecycle::MilestoneAction;
use pendamping_engine::{
    ActionInput, AuthConfig, BlobStore, Changed, Engine, EngineError, FixedClock, NewAmendment,
    NewMilestone, NotificationFilter,
};
use pendamping_storage::testing;
use pendamping_storage::{ConnectionTrait, deadlines};

fn at(y: i32, m: u32, d: u32, h: u32, min: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, s).unwrap()
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// The demo data set, its people, and the active agreement of Mamuju Tengah (WITA).
struct Kit {
    engine: Engine,
    clock: Arc<FixedClock>,
    url: String,
    assessor: Actor,
    lead: Actor,
    coordinator: Actor,
    other_coordinator: Actor,
    rsud: Actor,
    agreement: AgreementId,
    rsud_opd: i64,
    district: i64,
}

async fn kit() -> Kit {
    let TestEngine {
        engine, clock, url, ..
    } = common::demo().await;
    let assessor = actor(&engine, "asisten@sulbar.example").await;
    let rsud = actor(&engine, "rsud@mamujutengah.example").await;
    let coordinator = actor(&engine, "sekda@mamujutengah.example").await;
    let Scope::Opd(rsud_opd) = rsud.assignments[0].scope else {
        panic!("the RSUD officer works for one OPD")
    };
    let Scope::District(district) = coordinator.assignments[0].scope else {
        panic!("the Sekda works for one district")
    };
    let active = common::active_agreements(&engine, &assessor, Some(district)).await;
    let lead = actor(&engine, "kepala@sulbar.example").await;
    // Milestones are planned within the agreement's period: the lead extends
    // it by an amendment to cover the dates these tests plan for.
    let agreement = active[0].clone();
    engine
        .record_amendment(
            &lead,
            NewAmendment {
                agreement_id: agreement.id,
                version: agreement.version,
                number: "ADD/UJI/2026".into(),
                signed_on: date(2026, 11, 1),
                summary: "Perpanjangan jangka waktu".into(),
                new_period_end: Some(date(2027, 12, 31)),
                terms: None,
                add_opd_ids: vec![],
                remove_opd_ids: vec![],
            },
        )
        .await
        .unwrap();
    Kit {
        lead,
        other_coordinator: actor(&engine, "sekda@mamuju.example").await,
        engine,
        clock,
        url,
        assessor,
        coordinator,
        rsud,
        agreement: active[0].id,
        rsud_opd: rsud_opd.0,
        district: district.0,
    }
}

impl Kit {
    async fn raise(&self, title: &str, due_on: NaiveDate) -> ActionItem {
        self.engine
            .raise_action_item(
                &self.assessor,
                common::finding(
                    (self.agreement, self.rsud_opd.into()),
                    (title, "Temuan uji tenggat"),
                    Priority::High,
                    due_on,
                ),
            )
            .await
            .unwrap()
    }

    async fn sweep(&self) -> pendamping_engine::SweepReport {
        self.engine
            .sweep_deadlines(&DeadlinePolicy::default())
            .await
            .unwrap()
    }

    /// The kinds of the viewer's current (not withdrawn) notifications about `object`.
    async fn told(&self, who: &Actor, object: DeadlineObject) -> Vec<ReminderKind> {
        self.told_with(who, object, false).await
    }

    async fn told_with(
        &self,
        who: &Actor,
        object: DeadlineObject,
        include_withdrawn: bool,
    ) -> Vec<ReminderKind> {
        let page = self
            .engine
            .notifications(
                who,
                NotificationFilter {
                    unread_only: false,
                    include_withdrawn,
                },
                &pendamping_engine::PageRequest {
                    first: Some(100),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let mut kinds: Vec<_> = page
            .items
            .into_iter()
            .filter(|(_, n)| n.object == object)
            .map(|(_, n)| n.kind)
            .collect();
        kinds.sort();
        kinds
    }

    async fn count(&self, sql: &str) -> i64 {
        let row = self
            .engine
            .db()
            .query_one_raw(sea_orm::Statement::from_string(
                self.engine.db().get_database_backend(),
                sql,
            ))
            .await
            .unwrap()
            .unwrap();
        row.try_get_by_index::<i64>(0).unwrap()
    }

    /// Outgoing sweeper events that say the same thing twice.
    async fn duplicate_events(&self) -> i64 {
        self.count(
            "SELECT COUNT(*) FROM (SELECT kind, object_type, object_id, payload_json \
             FROM domain_events GROUP BY kind, object_type, object_id, payload_json \
             HAVING COUNT(*) > 1) dup",
        )
        .await
    }
}

fn item(i: &ActionItem) -> DeadlineObject {
    DeadlineObject::ActionItem(i.id)
}

#[tokio::test]
async fn a_second_pass_raises_nothing_twice() {
    let kit = kit().await;
    kit.raise("Segera jatuh tempo", date(2026, 11, 30)).await;
    let first = kit.sweep().await;
    // The demo's 2021 items still open are long overdue; ours is due in two days.
    assert!(first.overdue > 0 && first.escalations > 0, "{first}");
    assert_eq!(first.reminders, 1, "{first}");
    assert!(first.notifications > 0, "{first}");
    let totals = deadlines::totals(kit.engine.db()).await.unwrap();
    let events = kit.count("SELECT COUNT(*) FROM domain_events").await;

    let second = kit.sweep().await;
    assert!(second.is_empty(), "the second pass did something: {second}");
    assert_eq!(deadlines::totals(kit.engine.db()).await.unwrap(), totals);
    assert_eq!(
        kit.count("SELECT COUNT(*) FROM domain_events").await,
        events
    );
    assert_eq!(kit.duplicate_events().await, 0);
    // One event per reminder, of the documented kinds.
    let sweeper_events = kit
        .count(
            "SELECT COUNT(*) FROM domain_events WHERE kind IN ('ACTION_ITEM_DUE_SOON', \
             'ACTION_ITEM_OVERDUE', 'ACTION_ITEM_ESCALATED', 'MILESTONE_DUE_SOON', 'MILESTONE_OVERDUE')",
        )
        .await;
    assert_eq!(sweeper_events as u64, totals.0);
}

#[tokio::test]
async fn reminders_reach_the_assignee_then_the_district_then_the_office() {
    let kit = kit().await;
    let due = kit.raise("Maklumat pelayanan", date(2026, 12, 1)).await;
    let object = item(&due);

    // Three days ahead: due soon, to the OPD's officers (nobody is assigned yet).
    kit.sweep().await;
    assert_eq!(kit.told(&kit.rsud, object).await, [ReminderKind::DueSoon]);
    assert!(kit.told(&kit.coordinator, object).await.is_empty());

    // 2 December in Mamuju Tengah: overdue, still to the OPD.
    kit.clock.set(at(2026, 12, 2, 3, 0, 0));
    kit.sweep().await;
    assert_eq!(
        kit.told(&kit.rsud, object).await,
        [ReminderKind::DueSoon, ReminderKind::Overdue]
    );

    // Eight days late (more than M = 7): the district coordinator hears, not another district's.
    kit.clock.set(at(2026, 12, 9, 3, 0, 0));
    kit.sweep().await;
    assert_eq!(
        kit.told(&kit.coordinator, object).await,
        [ReminderKind::EscalatedToDistrict]
    );
    assert!(kit.told(&kit.other_coordinator, object).await.is_empty());
    assert!(kit.told(&kit.lead, object).await.is_empty());

    // Thirty-one days late (more than K = 30): the office's lead and assessors.
    kit.clock.set(at(2027, 1, 1, 3, 0, 0));
    kit.sweep().await;
    for office in [&kit.lead, &kit.assessor] {
        assert_eq!(
            kit.told(office, object).await,
            [ReminderKind::EscalatedToOffice]
        );
    }
    // The OPD was told each thing once.
    assert_eq!(
        kit.told(&kit.rsud, object).await,
        [ReminderKind::DueSoon, ReminderKind::Overdue]
    );
}

/// Due on 28 November in Mamuju Tengah: overdue from 16:00Z (midnight WITA);
/// moved to WIB, from 17:00Z; to WIT, from 15:00Z.
#[tokio::test]
async fn overdue_is_raised_at_midnight_in_the_districts_own_zone() {
    for (zone, midnight) in [
        ("Asia/Makassar", 16),
        ("Asia/Jakarta", 17),
        ("Asia/Jayapura", 15),
    ] {
        let kit = kit().await;
        kit.engine
            .db()
            .execute_unprepared(&format!(
                "UPDATE districts SET time_zone = '{zone}' WHERE id = {}",
                kit.district
            ))
            .await
            .unwrap();
        let due = kit.raise("Batas hari ini", date(2026, 11, 28)).await;
        let object = item(&due);

        kit.clock.set(at(2026, 11, 28, midnight - 1, 59, 59));
        kit.sweep().await;
        assert_eq!(
            kit.told(&kit.rsud, object).await,
            [ReminderKind::DueSoon],
            "{zone}: one second before midnight"
        );

        kit.clock.set(at(2026, 11, 28, midnight, 0, 0));
        kit.sweep().await;
        assert_eq!(
            kit.told(&kit.rsud, object).await,
            [ReminderKind::DueSoon, ReminderKind::Overdue],
            "{zone}: at midnight"
        );
    }
}

#[tokio::test]
async fn rescheduling_a_milestone_withdraws_its_pending_reminders() {
    let kit = kit().await;
    let milestone = kit
        .engine
        .add_milestone(
            &kit.assessor,
            NewMilestone {
                agreement_id: kit.agreement,
                kind: MilestoneKind::MonitoringVisit,
                title: "Monitoring RSUD".into(),
                planned_on: date(2026, 11, 30),
                location: None,
                opd_ids: vec![],
            },
        )
        .await
        .unwrap();
    let object = DeadlineObject::Milestone(milestone.id);
    kit.sweep().await;
    assert_eq!(
        kit.told(&kit.assessor, object).await,
        [ReminderKind::DueSoon]
    );
    assert_eq!(
        kit.told(&kit.coordinator, object).await,
        [ReminderKind::DueSoon]
    );

    let moved = kit
        .engine
        .take_action(
            &kit.assessor,
            milestone.id,
            MilestoneAction::Reschedule,
            ActionInput {
                version: milestone.version,
                new_date: Some(date(2027, 2, 1)),
                reason: Some("Banjir".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let Changed::Milestone(moved) = moved else {
        panic!("a milestone")
    };
    assert_eq!(moved.planned_on, date(2027, 2, 1));
    // The reminder for 30 November is withdrawn at once, kept only as history.
    assert!(kit.told(&kit.assessor, object).await.is_empty());
    assert_eq!(
        kit.told_with(&kit.assessor, object, true).await,
        [ReminderKind::DueSoon]
    );
    // Nothing is due for the new date yet…
    let quiet = kit.sweep().await;
    assert!(kit.told(&kit.assessor, object).await.is_empty(), "{quiet}");
    // …until three days before it.
    kit.clock.set(at(2027, 1, 29, 3, 0, 0));
    kit.sweep().await;
    assert_eq!(
        kit.told(&kit.assessor, object).await,
        [ReminderKind::DueSoon]
    );
}

#[tokio::test]
async fn assigning_an_item_withdraws_what_the_opd_was_told_and_replans_for_the_assignee() {
    let kit = kit().await;
    let due = kit.raise("Standar pelayanan", date(2026, 11, 30)).await;
    let object = item(&due);
    kit.sweep().await;
    assert_eq!(kit.told(&kit.rsud, object).await, [ReminderKind::DueSoon]);

    let officer = kit.rsud.user_id.unwrap();
    kit.engine
        .assign_action_item(&kit.coordinator, due.id, due.version, officer)
        .await
        .unwrap();
    assert!(kit.told(&kit.rsud, object).await.is_empty(), "withdrawn");

    let report = kit.sweep().await;
    assert_eq!(report.reminders, 1, "{report}");
    assert_eq!(kit.told(&kit.rsud, object).await, [ReminderKind::DueSoon]);
    // Withdrawn and re-raised: two due-soon events, one per assignee, none the same.
    assert_eq!(
        kit.count(&format!(
            "SELECT COUNT(*) FROM domain_events WHERE kind = 'ACTION_ITEM_DUE_SOON' AND object_id = {}",
            due.id.0
        ))
        .await,
        2
    );
    assert_eq!(kit.duplicate_events().await, 0);
}

#[tokio::test]
async fn notifications_are_read_by_their_recipient_only() {
    let kit = kit().await;
    let due = kit.raise("Pengaduan", date(2026, 11, 30)).await;
    kit.sweep().await;
    let unread = NotificationFilter {
        unread_only: true,
        include_withdrawn: false,
    };
    let mine = kit
        .engine
        .notifications(&kit.rsud, unread, &Default::default())
        .await
        .unwrap();
    let (_, first) = mine
        .items
        .iter()
        .find(|(_, n)| n.object == item(&due))
        .unwrap()
        .clone();
    assert!(first.message.contains("Pengaduan"), "{}", first.message);
    assert!(first.message.contains("2026-11-30"), "{}", first.message);
    let before = kit
        .engine
        .count_notifications(&kit.rsud, unread)
        .await
        .unwrap();

    // Someone else's notification does not exist for you.
    let err = kit
        .engine
        .mark_notification_read(&kit.coordinator, first.id)
        .await
        .unwrap_err();
    assert!(matches!(err, EngineError::NotFound(_)), "{err:?}");
    let err = kit
        .engine
        .mark_notification_read(&kit.rsud, NotificationId(i64::MAX))
        .await
        .unwrap_err();
    assert!(matches!(err, EngineError::NotFound(_)), "{err:?}");

    let read = kit
        .engine
        .mark_notification_read(&kit.rsud, first.id)
        .await
        .unwrap();
    assert!(read.read_at.is_some());
    assert_eq!(
        kit.engine
            .count_notifications(&kit.rsud, unread)
            .await
            .unwrap(),
        before - 1
    );
    // Reading it again changes nothing and is no error.
    let again = kit
        .engine
        .mark_notification_read(&kit.rsud, first.id)
        .await
        .unwrap();
    assert_eq!(again.read_at, read.read_at);

    let marked = kit
        .engine
        .mark_all_notifications_read(&kit.rsud)
        .await
        .unwrap();
    assert_eq!(marked, before - 1);
    assert_eq!(
        kit.engine
            .count_notifications(&kit.rsud, unread)
            .await
            .unwrap(),
        0
    );
}

/// Two processes sweeping the same database at the same instant: every
/// reminder, notification and event exists once.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_sweepers_at_once_raise_each_reminder_once() {
    let kit = kit().await;
    for day in [28, 29, 30] {
        kit.raise(&format!("Jatuh tempo {day}"), date(2026, 11, day))
            .await;
    }
    // A second engine on its own connection pool, as another process would have.
    let other_db = pendamping_engine::connect(&kit.url, None).await.unwrap();
    let other = Engine::new(
        other_db,
        kit.clock.clone(),
        AuthConfig::default(),
        BlobStore::in_memory(),
    );
    let policy = DeadlinePolicy::default();
    let mut tasks = Vec::new();
    for engine in [kit.engine.clone(), other.clone(), kit.engine.clone(), other] {
        tasks.push(tokio::spawn(async move {
            engine.sweep_deadlines(&policy).await
        }));
    }
    let mut raised = 0;
    let mut notified = 0;
    let mut passes = HashSet::new();
    for task in tasks {
        let report = task.await.unwrap().unwrap();
        passes.insert(report.sweep_id);
        raised += report.reminders + report.overdue + report.escalations;
        notified += report.notifications;
    }
    assert_eq!(passes.len(), 4, "four distinct passes");
    let (reminders, notifications) = deadlines::totals(kit.engine.db()).await.unwrap();
    assert_eq!(
        raised, reminders,
        "the passes together raised each reminder once"
    );
    assert_eq!(notified, notifications);
    assert_eq!(kit.duplicate_events().await, 0);
    assert_eq!(
        kit.count(
            "SELECT COUNT(*) FROM (SELECT reminder_id, recipient_id FROM notifications \
             GROUP BY reminder_id, recipient_id HAVING COUNT(*) > 1) dup"
        )
        .await,
        0
    );
    assert!(reminders >= 3, "our three items at least: {reminders}");
}

/// A figure for the notes: one pass over `PENDAMPING_SWEEP_BENCH_ITEMS` open
/// action items (default 5,000; 20,000 is about one per OPD nationally), with due dates
/// spread so every kind of reminder is raised, then a second pass with nothing
/// new. Prints rows and elapsed time; asserts only that the second pass is empty.
#[tokio::test]
async fn sweep_time_over_a_generated_data_set() {
    use pendamping_storage::work;
    let kit = kit().await;
    let items: usize = std::env::var("PENDAMPING_SWEEP_BENCH_ITEMS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5_000);
    let now = kit.engine.now();
    let started = Instant::now();
    let txn = sea_orm::TransactionTrait::begin(kit.engine.db())
        .await
        .unwrap();
    for n in 0..items {
        // Due dates from 60 days ago to 20 days ahead.
        let due_on =
            date(2026, 11, 28) + chrono::Days::new(20) - chrono::Days::new((n % 80) as u64);
        let row = common::generated_item(kit.agreement.0, kit.rsud_opd, kit.district, n, due_on);
        work::insert_action_item(&txn, row, now).await.unwrap();
    }
    txn.commit().await.unwrap();
    let generated = started.elapsed();

    let first = kit.sweep().await;
    let second = kit.sweep().await;
    let (reminders, notifications) = deadlines::totals(kit.engine.db()).await.unwrap();
    println!(
        "sweep bench on {}: {items} open action items generated in {:.1} s",
        if testing::on_postgres() {
            "PostgreSQL"
        } else {
            "SQLite"
        },
        generated.as_secs_f64()
    );
    println!("  first pass:  {first}");
    println!("  second pass: {second}");
    println!("  stored: {reminders} reminders, {notifications} notifications");
    assert!(second.is_empty(), "{second}");
    assert!(first.overdue as usize >= items / 2, "{first}");
}
