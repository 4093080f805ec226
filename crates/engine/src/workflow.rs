//! Taking workflow actions: one engine for every workflow of
//! `domain::lifecycle`. Each action is load → decide → apply → persist: the
//! object is loaded with the facts its guards need; the table decides (who,
//! asked of the policy; from which state; with which inputs; what must hold)
//! against the version the client read; the domain says what the action
//! writes besides the state; the change is written together with its audit
//! entry and its outgoing event in one transaction — or not at all.

use chrono::{DateTime, NaiveDate, Utc};
use pendamping_domain::action_item::{ActionItem, ActionItemId};
use pendamping_domain::agreement::{Agreement, AgreementId, Milestone, MilestoneId};
use pendamping_domain::code::Code;
use pendamping_domain::deadline::DeadlineObject;
use pendamping_domain::events::EventKind;
use pendamping_domain::identity::Actor;
use pendamping_domain::lifecycle::{
    self, ActionItemAction, ActionItemChange, AgreementAction, AgreementChange, Facts, Given,
    Guard, MilestoneAction, MilestoneChange, Recorded, Refusal, SigningTerms, Transition, Workflow,
};
use pendamping_domain::policy::Target;
use pendamping_domain::reference::OfficeId;
use pendamping_storage::DatabaseTransaction;
use pendamping_storage::audit::{self, AuditRow};
use pendamping_storage::events::{self, EventRow};
use pendamping_storage::work::{
    self, ActionItemForAction, ActionItemPatch, AgreementPatch, MilestonePatch, TransitionWrite,
};
use serde_json::{Value, json};

use crate::error::{not_found, one_of};
use crate::reference::audit_row;
use crate::{Engine, EngineError};

/// An action of one workflow, and the id of the kind of object it is taken on:
/// `take_action(actor, item.id, ActionItemAction::Submit, input)`.
pub trait WorkflowAction: Code {
    /// The id of the object the action is taken on.
    type Id;
    /// The action and its object, as one command.
    fn command(id: Self::Id, action: Self) -> Command;
}

/// An action on an object, typed by its workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    Agreement(AgreementId, AgreementAction),
    Milestone(MilestoneId, MilestoneAction),
    ActionItem(ActionItemId, ActionItemAction),
}

impl WorkflowAction for AgreementAction {
    type Id = AgreementId;
    fn command(id: AgreementId, action: Self) -> Command {
        Command::Agreement(id, action)
    }
}

impl WorkflowAction for MilestoneAction {
    type Id = MilestoneId;
    fn command(id: MilestoneId, action: Self) -> Command {
        Command::Milestone(id, action)
    }
}

impl WorkflowAction for ActionItemAction {
    type Id = ActionItemId;
    fn command(id: ActionItemId, action: Self) -> Command {
        Command::ActionItem(id, action)
    }
}

/// What a client sends with an action: the version it read, and the inputs
/// the action needs (see each action's `inputs` in the workflow table).
#[derive(Debug, Clone, Default)]
pub struct ActionInput {
    pub version: i32,
    pub reason: Option<String>,
    pub closing_summary: Option<String>,
    pub outcome_notes: Option<String>,
    pub actual_on: Option<NaiveDate>,
    pub new_date: Option<NaiveDate>,
    /// Signing terms, when given with `SIGN` (otherwise the draft's are used).
    pub office_number: Option<String>,
    pub district_number: Option<String>,
    pub office_signatory: Option<String>,
    pub district_signatory: Option<String>,
    pub signed_on: Option<NaiveDate>,
}

impl ActionInput {
    fn text(value: &Option<String>) -> Option<String> {
        value
            .as_ref()
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    }

    /// The inputs as the domain reads them (blank text counts as absent).
    fn given(&self) -> Given {
        Given {
            reason: Self::text(&self.reason),
            closing_summary: Self::text(&self.closing_summary),
            outcome_notes: Self::text(&self.outcome_notes),
            actual_on: self.actual_on,
            new_date: self.new_date,
            signing: SigningTerms {
                office_number: Self::text(&self.office_number),
                district_number: Self::text(&self.district_number),
                office_signatory: Self::text(&self.office_signatory),
                district_signatory: Self::text(&self.district_signatory),
                signed_on: self.signed_on,
            },
        }
    }
}

/// The object after an action.
#[derive(Debug, Clone)]
pub enum Changed {
    Agreement(Agreement),
    Milestone(Milestone),
    ActionItem(ActionItem),
}

/// The table's decision, after the version check: a stale version is a
/// conflict whatever else is wrong (the client decided on a state that is no
/// longer there).
#[allow(clippy::too_many_arguments)] // the decision's inputs, each named where it is taken
fn decide<S: Code, A: Code>(
    workflow: &'static Workflow<S, A>,
    action: A,
    actor: &Actor,
    target: &Target,
    (status, version): (S, i32),
    facts: &Facts,
    given: &Given,
    read_version: i32,
) -> Result<(&'static Transition<S, A>, S), EngineError> {
    EngineError::unless_current(workflow.object, version, read_version)?;
    workflow
        .decide(action, actor, target, status, facts, &given.present())
        .map_err(|err| match err {
            Refusal::Forbidden(reason) => EngineError::Forbidden(reason),
            Refusal::InvalidTransition(reason) => EngineError::InvalidTransition(reason),
            Refusal::MissingInput(field) => EngineError::invalid(
                field,
                format!("is required to {}", action.code().to_lowercase()),
            ),
        })
}

/// Where the object an action was taken on sits.
struct Place {
    object_id: i64,
    target: Target,
    opd_id: Option<i64>,
    agreement_id: i64,
}

impl Place {
    /// The place of a record of a whole district (an agreement, a
    /// milestone): no OPD of its own.
    fn of_district(object_id: i64, target: Target, agreement_id: i64) -> Self {
        Place {
            object_id,
            target,
            opd_id: None,
            agreement_id,
        }
    }
}

/// One transition as the audit log and the outbox record it.
struct Taken<'a> {
    object: &'static str,
    event: EventKind,
    action: &'static str,
    from: &'static str,
    to: &'static str,
    version: i32,
    place: Place,
    recorded: &'a Recorded,
    reason: Option<String>,
}

impl<'a> Taken<'a> {
    fn of<S: Code, A: Code>(
        (workflow, transition): (&Workflow<S, A>, &Transition<S, A>),
        (from, to, version): (S, S, i32),
        place: Place,
        recorded: &'a Recorded,
        reason: Option<String>,
    ) -> Self {
        Taken {
            object: workflow.object,
            event: transition.event,
            action: transition.action.code(),
            from: from.code(),
            to: to.code(),
            version,
            place,
            recorded,
            reason,
        }
    }
}

impl Engine {
    /// Takes `action` on the object `id`: decided by the workflow table, refused
    /// on a stale version, written with its audit entry and event atomically.
    pub async fn take_action<A: WorkflowAction>(
        &self,
        actor: &Actor,
        id: A::Id,
        action: A,
        input: ActionInput,
    ) -> Result<Changed, EngineError> {
        match A::command(id, action) {
            Command::Agreement(id, action) => self
                .act_on_agreement(actor, id, action, &input)
                .await
                .map(Changed::Agreement),
            Command::Milestone(id, action) => self
                .act_on_milestone(actor, id, action, &input)
                .await
                .map(Changed::Milestone),
            Command::ActionItem(id, action) => self
                .act_on_action_item(actor, id, action, &input)
                .await
                .map(Changed::ActionItem),
        }
    }

    /// The agreement, if the actor may read it; else the error `missing` makes.
    pub(crate) async fn agreement_or(
        &self,
        actor: &Actor,
        id: AgreementId,
        missing: impl FnOnce() -> EngineError,
    ) -> Result<Agreement, EngineError> {
        one_of(self.reader(actor).agreements_by_ids(&[id]), missing).await
    }

    async fn load_agreement(
        &self,
        actor: &Actor,
        id: AgreementId,
    ) -> Result<Agreement, EngineError> {
        self.agreement_or(actor, id, || EngineError::NotFound("agreement".into()))
            .await
    }

    /// The milestone and its agreement, if the actor may read them.
    async fn load_milestone(
        &self,
        actor: &Actor,
        id: MilestoneId,
    ) -> Result<(Milestone, Agreement), EngineError> {
        let reader = self.reader(actor);
        let milestone = one_of(reader.milestones_by_ids(&[id]), not_found("milestone")).await?;
        let agreement = one_of(
            reader.agreements_by_ids(&[milestone.agreement_id]),
            not_found("milestone"),
        )
        .await?;
        Ok((milestone, agreement))
    }

    async fn act_on_agreement(
        &self,
        actor: &Actor,
        id: AgreementId,
        action: AgreementAction,
        input: &ActionInput,
    ) -> Result<Agreement, EngineError> {
        let workflow = &lifecycle::AGREEMENT;
        // Load.
        let a = self.load_agreement(actor, id).await?;
        let given = input.given();
        let open_milestones = if work::all_milestones_closed(&self.db, a.id.0).await? {
            0
        } else {
            1
        };
        // Signing may bring the terms with it: given terms count as present.
        let facts = Facts::of_agreement_signing(&a, open_milestones, &given.signing);
        let target = Target::district(a.office_id, a.district_id);
        // Decide.
        let (transition, to) = decide(
            workflow,
            action,
            actor,
            &target,
            (a.status, a.version),
            &facts,
            &given,
            input.version,
        )?;
        // Apply.
        let AgreementChange {
            signing,
            closing_summary,
            termination_reason,
            recorded,
        } = action.effect(&a, &given);
        // Persist.
        let now = self.now();
        let txn = pendamping_storage::begin_write(&self.db).await?;
        // Guards on other objects (milestones closed) are read again with the
        // agreement locked, so that a milestone added meanwhile counts.
        crate::guards::agreement_under_lock(&txn, a.id.0, |_| Ok(())).await?;
        if transition.guards.contains(&Guard::MilestonesClosed)
            && !work::all_milestones_closed(&txn, a.id.0).await?
        {
            return Err(EngineError::InvalidTransition(
                "the agreement still has open milestones: complete or cancel them first".into(),
            ));
        }
        let patch = AgreementPatch {
            status: Some(to),
            office_number: signing.office_number,
            district_number: signing.district_number,
            office_signatory: signing.office_signatory,
            district_signatory: signing.district_signatory,
            signed_on: signing.signed_on,
            closing_summary,
            termination_reason,
        };
        if !work::update_agreement(&txn, a.id.0, input.version, patch, now).await? {
            // Someone changed it between our read and our write: nothing was written.
            drop(txn);
            let current = self.load_agreement(actor, id).await?;
            return Err(EngineError::conflict(
                workflow.object,
                current.version,
                input.version,
            ));
        }
        let taken = Taken::of(
            (workflow, transition),
            (a.status, to, a.version),
            Place::of_district(a.id.0, target, a.id.0),
            &recorded,
            given.reason,
        );
        self.record_and_commit(txn, actor, taken, now).await?;
        self.load_agreement(actor, id).await
    }

    async fn act_on_milestone(
        &self,
        actor: &Actor,
        id: MilestoneId,
        action: MilestoneAction,
        input: &ActionInput,
    ) -> Result<Milestone, EngineError> {
        let workflow = &lifecycle::MILESTONE;
        // Load.
        let (m, agreement) = self.load_milestone(actor, id).await?;
        let given = input.given();
        let facts = Facts::of_milestone(&m, given.new_date);
        let target = Target::district(agreement.office_id, agreement.district_id);
        // Decide.
        let (transition, to) = decide(
            workflow,
            action,
            actor,
            &target,
            (m.status, m.version),
            &facts,
            &given,
            input.version,
        )?;
        // Apply.
        let now = self.now();
        let MilestoneChange {
            outcome_notes,
            actual_on,
            cancellation_reason,
            reschedule,
            recorded,
        } = action.effect(&m, actor, now, &given);
        // A milestone moves only within its agreement's period (as amended).
        if let Some(moved) = &reschedule {
            self.check_in_period(actor, &agreement, "newDate", moved.new_date)
                .await?;
        }
        // Persist.
        let txn = pendamping_storage::begin_write(&self.db).await?;
        let patch = MilestonePatch {
            status: Some(to),
            planned_on: reschedule.as_ref().map(|r| r.new_date),
            actual_on,
            outcome_notes,
            cancellation_reason,
        };
        if !work::update_milestone(&txn, m.id.0, input.version, patch, now).await? {
            drop(txn);
            let (current, _) = self.load_milestone(actor, id).await?;
            return Err(EngineError::conflict(
                workflow.object,
                current.version,
                input.version,
            ));
        }
        if let Some(reschedule) = &reschedule {
            work::insert_reschedule(&txn, reschedule).await?;
            // Reminders for the old date no longer hold.
            crate::deadlines::withdraw_changed(&txn, DeadlineObject::Milestone(m.id), now).await?;
        }
        let taken = Taken::of(
            (workflow, transition),
            (m.status, to, m.version),
            Place::of_district(m.id.0, target, agreement.id.0),
            &recorded,
            given.reason,
        );
        self.record_and_commit(txn, actor, taken, now).await?;
        Ok(self.load_milestone(actor, id).await?.0)
    }

    async fn act_on_action_item(
        &self,
        actor: &Actor,
        id: ActionItemId,
        action: ActionItemAction,
        input: &ActionInput,
    ) -> Result<ActionItem, EngineError> {
        let workflow = &lifecycle::ACTION_ITEM;
        // Load: the item, its office and its evidence count in one statement.
        let ActionItemForAction {
            item,
            office_id,
            evidence_count,
        } = work::action_item_for_action(&self.db, &actor.reach(), id.0)
            .await?
            .ok_or_else(|| EngineError::NotFound("action item".into()))?;
        let target = Target::opd(OfficeId(office_id), item.district_id, item.opd_id);
        let given = input.given();
        let mut facts = Facts::of_action_item(&item, evidence_count);
        facts.new_date = given.new_date;
        // Decide.
        let (transition, to) = decide(
            workflow,
            action,
            actor,
            &target,
            (item.status, item.version),
            &facts,
            &given,
            input.version,
        )?;
        // Apply.
        let now = self.now();
        let ActionItemChange {
            submitted,
            verified,
            count_rejection,
            cancellation_reason,
            due_date_change,
            recorded,
        } = action.effect(&item, actor, now, &given);
        // Persist: the conditional UPDATE (still at the version decided on),
        // its audit entry and its event at once; the changed row comes back.
        let patch = ActionItemPatch {
            status: Some(to),
            count_rejection,
            cancellation_reason,
            submitted_by: submitted.and_then(|s| s.by).map(|u| u.0),
            submitted_at: submitted.map(|s| s.at),
            verified_by: verified.and_then(|s| s.by).map(|u| u.0),
            verified_at: verified.map(|s| s.at),
            assignee_id: None,
            due_on: due_date_change.as_ref().map(|c| c.new_date),
        };
        let place = Place {
            object_id: item.id.0,
            target,
            opd_id: Some(item.opd_id.0),
            agreement_id: item.agreement_id.0,
        };
        let taken = Taken::of(
            (workflow, transition),
            (item.status, to, item.version),
            place,
            &recorded,
            given.reason,
        );
        let (audit, event) = transition_records(actor, taken);
        let write = TransitionWrite {
            update: work::action_item_update(item.id.0, input.version, patch, now),
            audit,
            event,
        };
        let changed = match &due_date_change {
            // The one statement is atomic on PostgreSQL: no transaction around it.
            None if !work::needs_transaction(self.db.get_database_backend()) => {
                let changed = work::write_transition(&self.db, write, now).await?;
                if changed.is_some() {
                    self.events.nudge();
                }
                changed
            }
            _ => {
                let txn = pendamping_storage::begin_write(&self.db).await?;
                let changed = work::write_transition(&txn, write, now).await?;
                if changed.is_some() {
                    if let Some(change) = &due_date_change {
                        pendamping_storage::changes::insert_due_change(&txn, change).await?;
                        // Reminders for the old date no longer hold.
                        crate::deadlines::withdraw_changed(
                            &txn,
                            DeadlineObject::ActionItem(item.id),
                            now,
                        )
                        .await?;
                    }
                    self.commit_events(txn).await?;
                }
                changed
            }
        };
        match changed {
            Some(row) => Ok(work::action_item_from_row(&row)?),
            // Someone changed it between our read and our write: nothing was written.
            None => {
                let (current, _) = self.item_target(actor, id).await?;
                Err(EngineError::conflict(
                    workflow.object,
                    current.version,
                    input.version,
                ))
            }
        }
    }

    /// Appends a transition's audit entry and its outgoing event, and commits.
    async fn record_and_commit(
        &self,
        txn: DatabaseTransaction,
        actor: &Actor,
        taken: Taken<'_>,
        now: DateTime<Utc>,
    ) -> Result<(), EngineError> {
        let (audit, event) = transition_records(actor, taken);
        audit::append(&txn, audit, now).await?;
        events::append(&txn, event, now).await?;
        self.commit_events(txn).await
    }
}

/// A transition's audit entry and its outgoing event.
fn transition_records(actor: &Actor, taken: Taken<'_>) -> (AuditRow, EventRow) {
    let mut after: Value = json!({ "status": taken.to });
    for (field, value) in taken.recorded {
        after[*field] = json!(value);
    }
    let mut row = audit_row(
        actor,
        taken.event,
        taken.object,
        taken.place.object_id,
        taken.place.target,
        after.clone(),
    );
    row.before = Some(json!({ "status": taken.from, "version": taken.version }));
    row.reason = taken.reason.clone();
    let mut payload = json!({
        "action": taken.action,
        "from": taken.from,
        "to": taken.to,
        "actor": actor.label,
        "reason": taken.reason,
    });
    // A due-date extension tells subscribers both dates.
    for field in ["dueOn", "previousDueOn"] {
        if let Some(value) = after.get(field) {
            payload[field] = value.clone();
        }
    }
    let event = EventRow {
        kind: taken.event.as_str().to_owned(),
        object_type: taken.object,
        object_id: taken.place.object_id,
        office_id: taken.place.target.office.map(|o| o.0),
        district_id: taken.place.target.district.map(|d| d.0),
        opd_id: taken.place.opd_id,
        agreement_id: Some(taken.place.agreement_id),
        payload,
    };
    (row, event)
}
