//! Issue 14 at the engine: reference data that changes (rename, deactivate,
//! reorganise), agreements edited as drafts and amended in scope and terms,
//! milestones kept within the period, due dates extended with their history,
//! and "overdue is about whose move it is" in the sweeper. Each change is
//! audited and emits its event in the same transaction. Runs on SQLite and
//! PostgreSQL.

#![allow(
    clippy::unwrap_used,
    reason = "a test should fail loudly on an unexpected shape"
)]

mod common;

use std::sync::Arc;

use chrono::{NaiveDate, TimeZone as _, Utc};
use common::{TestEngine, actor};
use pendamping_domain::action_item::{ActionItem, ActionItemId, ActionItemStatus, Priority};
use pendamping_domain::agreement::{AgreementId, MilestoneKind, NewAgreement};
use pendamping_domain::deadline::{DeadlineObject, DeadlinePolicy, ReminderKind};
use pendamping_domain::identity::{Actor, Scope};
use pendamping_domain::lifecycle::{ActionItemAction, MilestoneAction};
use pendamping_domain::reference::{
    DistrictId, DistrictKind, NewOpd, NewReorganisation, Opd, OpdId, OpdKind, Rename,
    ReorganisationKind,
};
use pendamping_engine::{
    ActionInput, ActionItemFilter, Changed, DraftEdit, Engine, EngineError, FixedClock,
    NewAmendment, NewMilestone, NotificationFilter, OpdFilter, ScoreFilter,
};
use pendamping_storage::{Db, events};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

struct Kit {
    engine: Engine,
    db: Db,
    clock: Arc<FixedClock>,
    admin: Actor,
    lead: Actor,
    assessor: Actor,
    sekda: Actor,
    other_sekda: Actor,
    rsud: Actor,
    district: DistrictId,
}

async fn kit() -> Kit {
    let TestEngine {
        engine, clock, db, ..
    } = common::demo().await;
    let sekda = actor(&engine, "sekda@mamujutengah.example").await;
    let Scope::District(district) = sekda.assignments[0].scope else {
        panic!("the Sekda works for one district")
    };
    Kit {
        admin: actor(&engine, "admin@demo.example").await,
        lead: actor(&engine, "kepala@sulbar.example").await,
        assessor: actor(&engine, "asisten@sulbar.example").await,
        other_sekda: actor(&engine, "sekda@mamuju.example").await,
        rsud: actor(&engine, "rsud@mamujutengah.example").await,
        sekda,
        district,
        engine,
        db,
        clock,
    }
}

fn fields(err: EngineError) -> Vec<String> {
    match err {
        EngineError::Invalid(errors) => errors.into_iter().map(|e| e.field).collect(),
        other => panic!("expected invalid input, got {other:?}"),
    }
}

impl Kit {
    async fn opd(&self, kind: OpdKind) -> Opd {
        self.engine
            .reader(&self.sekda)
            .opds(
                &OpdFilter {
                    district_id: Some(self.district.0),
                    kind: Some(kind),
                    ..Default::default()
                },
                Default::default(),
                &Default::default(),
            )
            .await
            .unwrap()
            .items[0]
            .1
            .clone()
    }

    async fn new_opd(&self, name: &str) -> Opd {
        self.engine
            .create_opd(
                &self.sekda,
                NewOpd {
                    district_id: self.district,
                    name: name.into(),
                    short_name: None,
                    kind: OpdKind::Agency,
                    head_title: None,
                },
            )
            .await
            .unwrap()
    }

    async fn items_of(&self, opd: OpdId, statuses: Vec<ActionItemStatus>) -> Vec<ActionItem> {
        let filter = ActionItemFilter {
            opd_id: Some(opd.0),
            statuses,
            ..Default::default()
        };
        common::action_items(&self.engine, &self.admin, filter, Some(100)).await
    }

    /// How many scores are recorded for one OPD.
    async fn scores_of(&self, opd: OpdId) -> u64 {
        self.engine
            .reader(&self.admin)
            .count_scores(&ScoreFilter {
                opd_id: Some(opd.0),
                ..Default::default()
            })
            .await
            .unwrap()
    }

    /// The hospital OPD and one of its items still open or in progress.
    async fn hospital_item_not_yet_submitted(&self) -> (Opd, ActionItem) {
        let rsud = self.opd(OpdKind::Hospital).await;
        let item = self
            .items_of(
                rsud.id,
                vec![ActionItemStatus::Open, ActionItemStatus::InProgress],
            )
            .await
            .remove(0);
        (rsud, item)
    }

    async fn open_items_of(&self, opd: OpdId) -> Vec<ActionItem> {
        self.items_of(
            opd,
            vec![
                ActionItemStatus::Open,
                ActionItemStatus::InProgress,
                ActionItemStatus::Submitted,
                ActionItemStatus::Rejected,
            ],
        )
        .await
    }

    async fn active_agreement(&self) -> pendamping_domain::agreement::Agreement {
        common::active_agreements(&self.engine, &self.assessor, Some(self.district))
            .await
            .remove(0)
    }

    /// Raises, as the assessor, a finding for `opd` under the district's
    /// active agreement.
    async fn raise(
        &self,
        opd: OpdId,
        text: (&str, &str),
        priority: Priority,
        due_on: NaiveDate,
    ) -> Result<ActionItem, EngineError> {
        let agreement = self.active_agreement().await;
        let new = common::finding((agreement.id, opd), text, priority, due_on);
        self.engine.raise_action_item(&self.assessor, new).await
    }

    /// The OPDs in the scope of `agreement`, as `who` reads them.
    async fn scope(&self, who: &Actor, agreement: AgreementId) -> Vec<OpdId> {
        self.engine
            .reader(who)
            .opd_ids_of_agreements(&[agreement])
            .await
            .unwrap()
            .remove(&agreement)
            .unwrap()
    }

    async fn events_since(&self, after: i64) -> Vec<String> {
        events::committed_since(&self.db, after, &[], 10_000)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.kind)
            .collect()
    }

    async fn last_event(&self) -> i64 {
        events::last_id(&self.db).await.unwrap()
    }
}

#[tokio::test]
async fn a_merger_moves_open_items_to_the_successor_and_keeps_scores_on_the_predecessors() {
    let kit = kit().await;
    let rsud = kit.opd(OpdKind::Hospital).await;
    let open_before = kit.open_items_of(rsud.id).await;
    assert!(!open_before.is_empty(), "the demo RSUD has open work");
    let scores_before = kit.scores_of(rsud.id).await;
    let partner = kit.new_opd("UPTD Puskesmas Uji").await;
    let successor = kit.new_opd("RSUD dan Puskesmas Terpadu").await;
    let before = kit.last_event().await;

    let merger = kit
        .engine
        .record_reorganisation(
            &kit.sekda,
            NewReorganisation {
                kind: ReorganisationKind::Merger,
                predecessor_ids: vec![rsud.id, partner.id],
                successor_ids: vec![successor.id],
                effective_on: date(2027, 1, 1),
                reason: "Perda Kabupaten Mamuju Tengah 3/2026".into(),
                open_items_to: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(merger.predecessor_ids, vec![rsud.id, partner.id]);

    // Open items now belong to the successor, unassigned, version moved on.
    assert!(kit.open_items_of(rsud.id).await.is_empty());
    let moved = kit.open_items_of(successor.id).await;
    assert_eq!(moved.len(), open_before.len());
    for item in &moved {
        let old = open_before.iter().find(|i| i.id == item.id).unwrap();
        assert_eq!(item.version, old.version + 1);
        assert_eq!(item.assignee_id, None);
        assert_eq!(item.status, old.status);
    }
    // The successor joined the items' agreements, so work on them goes on.
    let scope = kit.scope(&kit.assessor, moved[0].agreement_id).await;
    assert!(scope.contains(&successor.id));
    // Past scores stay with the old OPD, reachable through `predecessors`.
    let scores_after = kit.scores_of(rsud.id).await;
    assert_eq!(scores_after, scores_before);
    let reader = kit.engine.reader(&kit.sekda);
    let predecessors = reader.opd_successions(&[successor.id], true).await.unwrap();
    let names: Vec<&str> = predecessors[&successor.id]
        .iter()
        .map(|o| o.name.as_str())
        .collect();
    assert_eq!(names, [rsud.name.as_str(), "UPTD Puskesmas Uji"]);
    let successors = reader.opd_successions(&[rsud.id], false).await.unwrap();
    assert_eq!(successors[&rsud.id][0].id, successor.id);
    let old = reader.opds_by_ids(&[rsud.id]).await.unwrap();
    assert!(!old[0].active && old[0].deactivated_at.is_some());

    // One event for the reorganisation, one per moved item, in the same commit.
    let kinds = kit.events_since(before).await;
    assert_eq!(
        kinds.iter().filter(|k| *k == "OPDS_REORGANISED").count(),
        1,
        "{kinds:?}"
    );
    assert_eq!(
        kinds.iter().filter(|k| *k == "ACTION_ITEM_MOVED").count(),
        moved.len()
    );
    // And audited, per item.
    let audit = common::audit_of(&kit.engine, &kit.admin, "ActionItem", moved[0].id.0).await;
    assert!(audit.iter().any(|e| e.action == "ACTION_ITEM_MOVED"));

    // An inactive OPD takes no new item.
    let refused = kit
        .raise(
            rsud.id,
            ("Temuan baru", "Uji"),
            Priority::Low,
            date(2027, 3, 1),
        )
        .await
        .unwrap_err();
    assert_eq!(fields(refused), ["opdId"]);
}

#[tokio::test]
async fn a_split_with_open_items_names_who_takes_them_and_only_the_districts_coordinator_may() {
    let kit = kit().await;
    let rsud = kit.opd(OpdKind::Hospital).await;
    let a = kit.new_opd("RSUD Pratama Uji").await;
    let b = kit.new_opd("Dinas Kesehatan Uji").await;
    let split = |to: Option<OpdId>| NewReorganisation {
        kind: ReorganisationKind::Split,
        predecessor_ids: vec![rsud.id],
        successor_ids: vec![a.id, b.id],
        effective_on: date(2027, 1, 1),
        reason: "Perda 4/2026".into(),
        open_items_to: to,
    };
    let reorganise = |who, to| kit.engine.record_reorganisation(who, split(to));
    let unnamed = reorganise(&kit.sekda, None).await.unwrap_err();
    assert_eq!(fields(unnamed), ["openItemsTo"]);
    // Another district's coordinator cannot see these OPDs at all.
    let foreign = reorganise(&kit.other_sekda, Some(a.id)).await.unwrap_err();
    assert!(matches!(foreign, EngineError::Invalid(_)), "{foreign:?}");
    // The office's lead sees them but does not keep the district's OPDs.
    let lead = reorganise(&kit.lead, Some(a.id)).await.unwrap_err();
    assert!(matches!(lead, EngineError::Forbidden(_)), "{lead:?}");
    // Nothing was written by the refusals.
    assert!(!kit.open_items_of(rsud.id).await.is_empty());

    reorganise(&kit.sekda, Some(b.id)).await.unwrap();
    assert!(kit.open_items_of(a.id).await.is_empty());
    assert!(!kit.open_items_of(b.id).await.is_empty());
}

#[tokio::test]
async fn renames_kinds_and_deactivation_are_audited_events_and_guarded() {
    let kit = kit().await;
    let before = kit.last_event().await;
    let rsud = kit.opd(OpdKind::Hospital).await;
    let renamed = kit
        .engine
        .rename_opd(
            &kit.sekda,
            rsud.id,
            Rename {
                name: Some("RSUD Mamuju Tengah (baru)".into()),
                ..Rename::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(renamed.name, "RSUD Mamuju Tengah (baru)");
    // The coordinator keeps OPDs, not the district itself.
    let not_theirs = kit
        .engine
        .update_district(&kit.sekda, kit.district, None, Some(DistrictKind::City))
        .await
        .unwrap_err();
    assert!(matches!(not_theirs, EngineError::Forbidden(_)));
    let district = kit
        .engine
        .update_district(&kit.admin, kit.district, None, Some(DistrictKind::City))
        .await
        .unwrap();
    assert_eq!(district.kind, DistrictKind::City);
    let office = kit
        .engine
        .rename_office(
            &kit.admin,
            district.office_id,
            "Ombudsman RI Perwakilan Sulbar",
        )
        .await
        .unwrap();
    assert_eq!(office.name, "Ombudsman RI Perwakilan Sulbar");
    let lead_rename = kit
        .engine
        .rename_office(&kit.lead, district.office_id, "X")
        .await
        .unwrap_err();
    assert!(matches!(lead_rename, EngineError::Forbidden(_)));

    // An OPD with open items is not simply deactivated.
    let set_active =
        |opd, active, reason| kit.engine.set_opd_active(&kit.sekda, opd, active, reason);
    let busy = set_active(rsud.id, false, "Dibubarkan").await.unwrap_err();
    assert_eq!(fields(busy), ["id"]);
    let idle = kit.new_opd("Badan Uji").await;
    let off = set_active(idle.id, false, "Dibubarkan").await.unwrap();
    assert!(!off.active);
    let twice = set_active(idle.id, false, "Dibubarkan").await.unwrap_err();
    assert!(matches!(twice, EngineError::InvalidTransition(_)));
    let on = set_active(idle.id, true, "Dibentuk kembali").await.unwrap();
    assert!(on.active && on.deactivated_at.is_none());

    let kinds = kit.events_since(before).await;
    for kind in [
        "OPD_RENAMED",
        "DISTRICT_UPDATED",
        "OFFICE_RENAMED",
        "OPD_CREATED",
        "OPD_DEACTIVATED",
        "OPD_REACTIVATED",
    ] {
        assert!(kinds.iter().any(|k| k == kind), "{kind} in {kinds:?}");
    }
}

#[tokio::test]
async fn comments_evidence_and_scores_emit_events() {
    let kit = kit().await;
    let (_, item) = kit.hospital_item_not_yet_submitted().await;
    let before = kit.last_event().await;
    kit.engine
        .add_comment(&kit.rsud, item.id, "Sedang disusun")
        .await
        .unwrap();
    let link = ("SK", "https://example.org/sk.pdf");
    common::add_link(&kit.engine, &kit.rsud, item.id, link)
        .await
        .unwrap();
    let score = kit
        .engine
        .reader(&kit.assessor)
        .scores(
            &ScoreFilter {
                district_id: Some(kit.district.0),
                current_only: true,
                ..Default::default()
            },
            &Default::default(),
        )
        .await
        .unwrap()
        .items[0]
        .1
        .clone();
    kit.engine
        .correct_score(
            &kit.assessor,
            score.id,
            pendamping_engine::ScoreValues {
                total: Some(score.total.as_f64()),
                dimensions: Vec::new(),
            },
            "Salah ketik",
        )
        .await
        .unwrap();
    let kinds = kit.events_since(before).await;
    assert_eq!(
        kinds,
        ["COMMENT_ADDED", "EVIDENCE_ADDED", "SCORE_CORRECTED"],
        "one event per change, in commit order"
    );
}

#[tokio::test]
async fn a_coordinator_adds_evidence_on_behalf_of_its_opd_recorded_as_theirs() {
    let kit = kit().await;
    let (rsud, item) = kit.hospital_item_not_yet_submitted().await;
    let link = ("SK Bupati", "https://example.org/sk-bupati.pdf");
    let evidence = common::add_link(&kit.engine, &kit.sekda, item.id, link)
        .await
        .unwrap();
    assert_eq!(evidence.uploaded_by, kit.sekda.user_id);
    let still = common::item_now(&kit.engine, item.id).await;
    assert_eq!(still.opd_id, rsud.id, "the item stays the OPD's");
    // Another district's coordinator cannot.
    let link = ("SK", "https://example.org/x.pdf");
    let foreign = common::add_link(&kit.engine, &kit.other_sekda, item.id, link)
        .await
        .unwrap_err();
    assert!(
        matches!(
            foreign,
            EngineError::NotFound(_) | EngineError::Forbidden(_)
        ),
        "{foreign:?}"
    );
}

async fn extend(
    kit: &Kit,
    who: &Actor,
    item: &ActionItem,
    to: NaiveDate,
) -> Result<Changed, EngineError> {
    kit.engine
        .take_action(
            who,
            item.id,
            ActionItemAction::ExtendDueDate,
            ActionInput {
                version: item.version,
                new_date: Some(to),
                reason: Some("Menunggu APBD Perubahan".into()),
                ..Default::default()
            },
        )
        .await
}

#[tokio::test]
async fn a_due_date_extension_is_kept_in_history_and_must_move_later() {
    let kit = kit().await;
    let (_, item) = kit.hospital_item_not_yet_submitted().await;
    let earlier = extend(&kit, &kit.assessor, &item, item.due_on.pred_opt().unwrap())
        .await
        .unwrap_err();
    assert!(matches!(earlier, EngineError::InvalidTransition(_)));
    let by_officer = extend(&kit, &kit.rsud, &item, date(2027, 6, 30))
        .await
        .unwrap_err();
    assert!(matches!(by_officer, EngineError::Forbidden(_)));
    let new_date = item.due_on + chrono::Days::new(45);
    let Changed::ActionItem(extended) = extend(&kit, &kit.assessor, &item, new_date).await.unwrap()
    else {
        panic!("an action item")
    };
    assert_eq!(extended.due_on, new_date);
    assert_eq!(extended.status, item.status, "the state stays");
    // A stale version is a conflict.
    let stale = extend(&kit, &kit.assessor, &item, new_date + chrono::Days::new(1))
        .await
        .unwrap_err();
    assert!(matches!(stale, EngineError::Conflict { .. }));
    let history = kit
        .engine
        .reader(&kit.rsud)
        .due_date_changes_of_items(&[item.id])
        .await
        .unwrap();
    let changes = &history[&item.id];
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].old_date, item.due_on);
    assert_eq!(changes[0].new_date, new_date);
    assert_eq!(changes[0].slip_days(), 45);
    assert_eq!(changes[0].reason, "Menunggu APBD Perubahan");
}

async fn submitted_late_item(kit: &Kit) -> ActionItemId {
    // Raise an item due a month ago, evidence it and submit it (the OPD's part is done).
    let agreement = kit.active_agreement().await;
    let rsud = kit.opd(OpdKind::Hospital).await;
    let scope = kit.scope(&kit.assessor, agreement.id).await;
    assert!(scope.contains(&rsud.id));
    let text = ("Maklumat pelayanan", "Belum dipasang");
    let item = kit
        .raise(rsud.id, text, Priority::High, date(2026, 10, 28))
        .await
        .unwrap();
    let started = common::start(&kit.engine, &kit.rsud, &item).await.unwrap();
    let Changed::ActionItem(started) = started else {
        panic!()
    };
    let link = ("Foto maklumat", "https://example.org/maklumat.jpg");
    common::add_link(&kit.engine, &kit.rsud, item.id, link)
        .await
        .unwrap();
    kit.engine
        .take_action(
            &kit.rsud,
            item.id,
            ActionItemAction::Submit,
            common::at(started.version),
        )
        .await
        .unwrap();
    item.id
}

#[tokio::test]
async fn a_submitted_item_ages_against_the_office_and_is_never_escalated_to_the_sekda() {
    let kit = kit().await;
    let item = submitted_late_item(&kit).await;
    let stored = common::item_now(&kit.engine, item).await;
    let today = date(2026, 11, 28);
    assert!(
        !stored.is_overdue(today),
        "submitted: not the OPD's overdue"
    );
    assert_eq!(
        stored.awaiting_verification_days(Some(today), today),
        Some(0)
    );
    // Not in the reader's "overdue" list either.
    let overdue = ActionItemFilter {
        overdue: Some(true),
        ..Default::default()
    };
    let overdue = common::action_items(&kit.engine, &kit.sekda, overdue, Some(100)).await;
    assert!(overdue.iter().all(|i| i.id != item));

    // Twenty days on: the sweeper neither tells the OPD it is overdue nor
    // escalates it to the district; it reminds the office (V = 14 days).
    kit.clock
        .set(Utc.with_ymd_and_hms(2026, 12, 18, 3, 0, 0).unwrap());
    let policy = DeadlinePolicy::default();
    kit.engine.sweep_deadlines(&policy).await.unwrap();
    let inbox = |who: &Actor| {
        let engine = kit.engine.clone();
        let who = who.clone();
        async move {
            engine
                .notifications(
                    &who,
                    NotificationFilter {
                        unread_only: false,
                        include_withdrawn: true,
                    },
                    &pendamping_engine::PageRequest {
                        first: Some(100),
                        ..Default::default()
                    },
                )
                .await
                .unwrap()
                .items
                .into_iter()
                .map(|(_, n)| n)
                .filter(|n| n.object == DeadlineObject::ActionItem(item))
                .collect::<Vec<_>>()
        }
    };
    assert!(
        inbox(&kit.rsud).await.is_empty(),
        "not overdue against the OPD"
    );
    assert!(
        inbox(&kit.sekda).await.is_empty(),
        "never escalated to the Sekda"
    );
    let told = inbox(&kit.assessor).await;
    assert_eq!(told.len(), 1, "{told:?}");
    assert_eq!(told[0].kind, ReminderKind::EscalatedToOffice);
    assert!(
        told[0]
            .message
            .starts_with("Awaiting the office's verification"),
        "{}",
        told[0].message
    );
}

#[tokio::test]
async fn milestones_stay_within_the_period_and_drafts_change_title_period_and_opds() {
    let kit = kit().await;
    let rsud = kit.opd(OpdKind::Hospital).await;
    let extra = kit.new_opd("Badan Kepegawaian Uji").await;
    let draft = kit
        .engine
        .create_agreement(
            &kit.assessor,
            NewAgreement {
                office_id: kit.active_agreement().await.office_id,
                district_id: kit.district,
                title: "PKS 2027".into(),
                period_start: date(2027, 1, 1),
                period_end: date(2027, 12, 31),
                office_number: None,
                district_number: None,
                office_signatory: None,
                district_signatory: None,
                opd_ids: vec![rsud.id],
            },
        )
        .await
        .unwrap();
    let milestone = |on: NaiveDate| NewMilestone {
        agreement_id: draft.id,
        kind: MilestoneKind::MonitoringVisit,
        title: "Monitoring".into(),
        planned_on: on,
        location: None,
        opd_ids: vec![],
    };
    let outside = kit
        .engine
        .add_milestone(&kit.assessor, milestone(date(2028, 1, 15)))
        .await
        .unwrap_err();
    assert_eq!(fields(outside), ["plannedOn"]);
    let visit = kit
        .engine
        .add_milestone(&kit.assessor, milestone(date(2027, 11, 15)))
        .await
        .unwrap();
    let moved_out = kit
        .engine
        .take_action(
            &kit.assessor,
            visit.id,
            MilestoneAction::Reschedule,
            ActionInput {
                version: visit.version,
                new_date: Some(date(2028, 2, 1)),
                reason: Some("Banjir".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(fields(moved_out), ["newDate"]);

    // A shorter period would leave the visit outside it: refused, naming the field.
    let edit = |version: i32, end: NaiveDate| DraftEdit {
        version,
        title: Some("PKS Pendampingan 2027".into()),
        period_end: Some(end),
        opd_ids: Some(vec![extra.id]),
        ..DraftEdit::default()
    };
    let edit_draft = |end| {
        kit.engine
            .edit_draft(&kit.assessor, draft.id, edit(draft.version, end))
    };
    let shorter = edit_draft(date(2027, 6, 30)).await.unwrap_err();
    assert_eq!(fields(shorter), ["periodEnd"]);
    let edited = edit_draft(date(2027, 12, 31)).await.unwrap();
    assert_eq!(edited.title, "PKS Pendampingan 2027");
    assert_eq!(edited.version, draft.version + 1);
    assert_eq!(kit.scope(&kit.assessor, draft.id).await, vec![extra.id]);
    let stale = edit_draft(date(2027, 12, 31)).await.unwrap_err();
    assert!(matches!(stale, EngineError::Conflict { .. }));
}

#[tokio::test]
async fn an_amendment_changes_the_opds_covered_and_the_terms() {
    let kit = kit().await;
    let agreement = kit.active_agreement().await;
    let rsud = kit.opd(OpdKind::Hospital).await;
    let extra = kit.new_opd("Dinas Perhubungan Uji").await;
    let amend = |version: i32, add: Vec<OpdId>, remove: Vec<OpdId>| NewAmendment {
        agreement_id: agreement.id,
        version,
        number: "ADD/02/2026".into(),
        signed_on: date(2026, 11, 20),
        summary: "Perluasan OPD dan perubahan pasal 3".into(),
        new_period_end: Some(date(2027, 12, 31)),
        terms: Some("Pasal 3: Para pihak sepakat ...".into()),
        add_opd_ids: add,
        remove_opd_ids: remove,
    };
    // The RSUD still has open items under the agreement: it stays in scope.
    let busy = kit
        .engine
        .record_amendment(&kit.lead, amend(agreement.version, vec![], vec![rsud.id]))
        .await
        .unwrap_err();
    assert_eq!(fields(busy), ["removeOpdIds"]);
    let by_assessor = kit
        .engine
        .record_amendment(
            &kit.assessor,
            amend(agreement.version, vec![extra.id], vec![]),
        )
        .await
        .unwrap_err();
    assert!(matches!(by_assessor, EngineError::Forbidden(_)));
    let amendment = kit
        .engine
        .record_amendment(&kit.lead, amend(agreement.version, vec![extra.id], vec![]))
        .await
        .unwrap();
    assert_eq!(amendment.added_opd_ids, vec![extra.id]);
    assert_eq!(
        amendment.terms.as_deref(),
        Some("Pasal 3: Para pihak sepakat ...")
    );
    // What the lead reads back.
    let as_lead = kit.engine.reader(&kit.lead);
    let stored = as_lead
        .amendments_of_agreements(&[agreement.id])
        .await
        .unwrap();
    let last = stored[&agreement.id].last().unwrap().clone();
    assert_eq!(last.added_opd_ids, vec![extra.id]);
    assert_eq!(last.terms, amendment.terms);
    let scope = as_lead
        .opd_ids_of_agreements(&[agreement.id])
        .await
        .unwrap();
    assert!(scope[&agreement.id].contains(&extra.id));
    // The amended period lets a milestone be planned in 2027.
    kit.engine
        .add_milestone(
            &kit.assessor,
            NewMilestone {
                agreement_id: agreement.id,
                kind: MilestoneKind::Evaluation,
                title: "Evaluasi".into(),
                planned_on: date(2027, 6, 1),
                location: None,
                opd_ids: vec![extra.id],
            },
        )
        .await
        .unwrap();
}
