//! Taking workflow actions: one engine for every workflow of
//! `domain::lifecycle`. Each action is decided by the table, checked against
//! the version the client read, and written together with its audit entry and
//! its outgoing event in one transaction — or not at all.

use chrono::NaiveDate;
use pendamping_domain::action_item::{ActionItem, ActionItemStatus, DueDateChange};
use pendamping_domain::agreement::{
    Agreement, AgreementStatus, Milestone, MilestoneStatus, Reschedule,
};
use pendamping_domain::identity::Actor;
use pendamping_domain::lifecycle::{self, Facts, Input, Refusal, Workflow};
use pendamping_domain::policy::Target;
use pendamping_storage::events::{self, EventRow};
use pendamping_storage::work::{self, ActionItemPatch, AgreementPatch, MilestonePatch};
use pendamping_storage::{TransactionTrait, audit};
use serde_json::{Value, json};

use crate::reference::audit_row;
use crate::{Engine, EngineError};

/// The object an action is taken on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    Agreement(i64),
    Milestone(i64),
    ActionItem(i64),
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

    /// The inputs present (blank text counts as absent).
    fn present(&self) -> Vec<Input> {
        let mut present = Vec::new();
        if Self::text(&self.reason).is_some() {
            present.push(Input::Reason);
        }
        if Self::text(&self.closing_summary).is_some() {
            present.push(Input::ClosingSummary);
        }
        if Self::text(&self.outcome_notes).is_some() {
            present.push(Input::OutcomeNotes);
        }
        if self.actual_on.is_some() {
            present.push(Input::ActualOn);
        }
        if self.new_date.is_some() {
            present.push(Input::NewDate);
        }
        present
    }
}

/// The object after an action.
#[derive(Debug, Clone)]
pub enum Changed {
    Agreement(Agreement),
    Milestone(Milestone),
    ActionItem(ActionItem),
}

/// An object as the workflow engine sees it.
struct Loaded {
    workflow: &'static Workflow,
    status: &'static str,
    version: i32,
    target: Target,
    facts: Facts,
    opd_id: Option<i64>,
    agreement_id: i64,
}

fn refusal(err: Refusal, action: &str) -> EngineError {
    match err {
        Refusal::Forbidden(reason) => EngineError::Forbidden(reason),
        Refusal::InvalidTransition(reason) => EngineError::InvalidTransition(reason),
        Refusal::MissingInput(field) => {
            EngineError::invalid(field, format!("is required to {}", action.to_lowercase()))
        }
    }
}

impl Engine {
    async fn load(
        &self,
        actor: &Actor,
        subject: Subject,
        input: Option<&ActionInput>,
    ) -> Result<(Loaded, Changed), EngineError> {
        let reader = self.reader(actor);
        let district_target = |office, district| Target::district(office, district);
        match subject {
            Subject::Agreement(id) => {
                let a = reader
                    .agreements_by_ids(&[id])
                    .await?
                    .into_iter()
                    .next()
                    .ok_or_else(|| EngineError::NotFound("agreement".into()))?;
                let open_milestones = if work::all_milestones_closed(&self.db, a.id.0).await? {
                    0
                } else {
                    1
                };
                let mut facts = Facts::of_agreement(&a, open_milestones);
                // Signing may bring the terms with it: given terms count as present.
                if let Some(input) = input {
                    let has = |given: &Option<String>, stored: &Option<String>| {
                        ActionInput::text(given).is_some() || stored.is_some()
                    };
                    facts.signing_terms_complete = has(&input.office_number, &a.office_number)
                        && has(&input.district_number, &a.district_number)
                        && has(&input.office_signatory, &a.office_signatory)
                        && has(&input.district_signatory, &a.district_signatory)
                        && (input.signed_on.is_some() || a.signed_on.is_some());
                }
                Ok((
                    Loaded {
                        workflow: &lifecycle::AGREEMENT,
                        status: a.status.as_str(),
                        version: a.version,
                        target: district_target(a.office_id, a.district_id),
                        facts,
                        opd_id: None,
                        agreement_id: a.id.0,
                    },
                    Changed::Agreement(a),
                ))
            }
            Subject::Milestone(id) => {
                let m = reader
                    .milestones_by_ids(&[id])
                    .await?
                    .into_iter()
                    .next()
                    .ok_or_else(|| EngineError::NotFound("milestone".into()))?;
                let a = reader
                    .agreements_by_ids(&[m.agreement_id.0])
                    .await?
                    .into_iter()
                    .next()
                    .ok_or_else(|| EngineError::NotFound("milestone".into()))?;
                Ok((
                    Loaded {
                        workflow: &lifecycle::MILESTONE,
                        status: m.status.as_str(),
                        version: m.version,
                        target: district_target(a.office_id, a.district_id),
                        facts: Facts::of_milestone(&m, input.and_then(|i| i.new_date)),
                        opd_id: None,
                        agreement_id: a.id.0,
                    },
                    Changed::Milestone(m),
                ))
            }
            Subject::ActionItem(id) => {
                let (item, target) = self
                    .item_target(actor, pendamping_domain::action_item::ActionItemId(id))
                    .await?;
                let evidence_count = work::evidence_count(&self.db, item.id.0).await?;
                let mut facts = Facts::of_action_item(&item, evidence_count);
                facts.new_date = input.and_then(|i| i.new_date);
                Ok((
                    Loaded {
                        workflow: &lifecycle::ACTION_ITEM,
                        status: item.status.as_str(),
                        version: item.version,
                        target,
                        facts,
                        opd_id: Some(item.opd_id.0),
                        agreement_id: item.agreement_id.0,
                    },
                    Changed::ActionItem(item),
                ))
            }
        }
    }

    /// Takes `action` on `subject`: decided by the workflow table, refused on a
    /// stale version, written with its audit entry and event atomically.
    pub async fn take_action(
        &self,
        actor: &Actor,
        subject: Subject,
        action: &str,
        input: ActionInput,
    ) -> Result<Changed, EngineError> {
        let (loaded, before) = self.load(actor, subject, Some(&input)).await?;
        let conflict = |current: i32| EngineError::Conflict {
            object: format!("the {}", loaded.workflow.object),
            current,
            given: input.version,
        };
        // A stale version is a conflict whatever else is wrong: the client
        // decided on a state that is no longer there.
        if input.version != loaded.version {
            return Err(conflict(loaded.version));
        }
        let (decided, to) = loaded
            .workflow
            .decide(
                action,
                actor,
                &loaded.target,
                loaded.status,
                &loaded.facts,
                &input.present(),
            )
            .map_err(|e| refusal(e, action))?;
        // A milestone moves only within its agreement's period (as amended).
        if let (Changed::Milestone(_), "RESCHEDULE", Some(date)) =
            (&before, decided.code, input.new_date)
        {
            let agreement = self
                .reader(actor)
                .agreements_by_ids(&[loaded.agreement_id])
                .await?
                .into_iter()
                .next()
                .ok_or_else(|| EngineError::NotFound("milestone".into()))?;
            self.check_in_period(actor, &agreement, "newDate", date)
                .await?;
        }
        let now = self.now();
        let reason = ActionInput::text(&input.reason);
        let txn = self.db.begin().await?;
        if let Changed::Agreement(a) = &before {
            // Guards on other objects (milestones closed) are read again with
            // the agreement locked, so that a milestone added meanwhile counts.
            crate::guards::agreement_under_lock(&txn, a.id.0, |_| Ok(())).await?;
            if decided.code == "COMPLETE" && !work::all_milestones_closed(&txn, a.id.0).await? {
                return Err(EngineError::InvalidTransition(
                    "the agreement still has open milestones: complete or cancel them first".into(),
                ));
            }
        }
        let mut after: Value = json!({ "status": to });
        let applied = match (&before, decided.code) {
            (Changed::Agreement(a), code) => {
                let mut patch = AgreementPatch {
                    status: Some(to.parse::<AgreementStatus>()?),
                    ..AgreementPatch::default()
                };
                match code {
                    "SIGN" => {
                        patch.office_number = ActionInput::text(&input.office_number);
                        patch.district_number = ActionInput::text(&input.district_number);
                        patch.office_signatory = ActionInput::text(&input.office_signatory);
                        patch.district_signatory = ActionInput::text(&input.district_signatory);
                        patch.signed_on = input.signed_on;
                        after["signedOn"] =
                            json!(input.signed_on.or(a.signed_on).map(|d| d.to_string()));
                    }
                    "COMPLETE" => {
                        patch.closing_summary = ActionInput::text(&input.closing_summary);
                        after["closingSummary"] = json!(patch.closing_summary);
                    }
                    "TERMINATE" => patch.termination_reason = reason.clone(),
                    _ => {}
                }
                work::update_agreement(&txn, a.id.0, input.version, patch, now).await?
            }
            (Changed::Milestone(m), code) => {
                let mut patch = MilestonePatch {
                    status: Some(to.parse::<MilestoneStatus>()?),
                    ..MilestonePatch::default()
                };
                match code {
                    "COMPLETE" => {
                        patch.outcome_notes = ActionInput::text(&input.outcome_notes);
                        patch.actual_on = input.actual_on;
                        after["actualOn"] = json!(input.actual_on.map(|d| d.to_string()));
                    }
                    "CANCEL" => patch.cancellation_reason = reason.clone(),
                    "RESCHEDULE" => {
                        patch.planned_on = input.new_date;
                        after["plannedOn"] = json!(input.new_date.map(|d| d.to_string()));
                    }
                    _ => {}
                }
                let done = work::update_milestone(&txn, m.id.0, input.version, patch, now).await?;
                if done
                    && code == "RESCHEDULE"
                    && let Some(new_date) = input.new_date
                {
                    work::insert_reschedule(
                        &txn,
                        &Reschedule {
                            milestone_id: m.id,
                            old_date: m.planned_on,
                            new_date,
                            reason: reason.clone().unwrap_or_default(),
                            rescheduled_by: actor.user_id,
                            rescheduled_at: now,
                        },
                    )
                    .await?;
                    // Reminders for the old date no longer hold.
                    crate::deadlines::withdraw_changed(
                        &txn,
                        pendamping_domain::deadline::DeadlineObject::Milestone(m.id),
                        now,
                    )
                    .await?;
                }
                done
            }
            (Changed::ActionItem(item), code) => {
                let mut patch = ActionItemPatch {
                    status: Some(to.parse::<ActionItemStatus>()?),
                    ..ActionItemPatch::default()
                };
                match code {
                    "SUBMIT" => {
                        patch.submitted_by = actor.user_id.map(|u| u.0);
                        patch.submitted_at = Some(now);
                    }
                    "VERIFY" => {
                        patch.verified_by = actor.user_id.map(|u| u.0);
                        patch.verified_at = Some(now);
                    }
                    "REJECT" => patch.count_rejection = true,
                    "CANCEL" => patch.cancellation_reason = reason.clone(),
                    "EXTEND_DUE_DATE" => {
                        patch.due_on = input.new_date;
                        after["dueOn"] = json!(input.new_date.map(|d| d.to_string()));
                        after["previousDueOn"] = json!(item.due_on.to_string());
                    }
                    _ => {}
                }
                let done =
                    work::update_action_item(&txn, item.id.0, input.version, patch, now).await?;
                if done
                    && code == "EXTEND_DUE_DATE"
                    && let Some(new_date) = input.new_date
                {
                    pendamping_storage::changes::insert_due_change(
                        &txn,
                        &DueDateChange {
                            action_item_id: item.id,
                            old_date: item.due_on,
                            new_date,
                            reason: reason.clone().unwrap_or_default(),
                            changed_by: actor.user_id,
                            changed_at: now,
                        },
                    )
                    .await?;
                    // Reminders for the old date no longer hold.
                    crate::deadlines::withdraw_changed(
                        &txn,
                        pendamping_domain::deadline::DeadlineObject::ActionItem(item.id),
                        now,
                    )
                    .await?;
                }
                done
            }
        };
        if !applied {
            // Someone changed it between our read and our write: nothing was written.
            drop(txn);
            let (current, _) = self.load(actor, subject, None).await?;
            return Err(conflict(current.version));
        }
        let object_id = match subject {
            Subject::Agreement(id) | Subject::Milestone(id) | Subject::ActionItem(id) => id,
        };
        let kind = format!("{}_{}", loaded.workflow.event_prefix, decided.event);
        let mut row = audit_row(
            actor,
            &kind,
            loaded.workflow.object,
            object_id,
            loaded.target,
            after.clone(),
        );
        row.before = Some(json!({ "status": loaded.status, "version": loaded.version }));
        row.reason = reason.clone();
        audit::append(&txn, row, now).await?;
        events::append(
            &txn,
            EventRow {
                kind,
                object_type: loaded.workflow.object,
                object_id,
                office_id: loaded.target.office.map(|o| o.0),
                district_id: loaded.target.district.map(|d| d.0),
                opd_id: loaded.opd_id,
                agreement_id: Some(loaded.agreement_id),
                payload: {
                    let mut payload = json!({ "action": decided.code, "from": loaded.status, "to": to, "actor": actor.label, "reason": reason });
                    for field in ["dueOn", "previousDueOn"] {
                        if let Some(value) = after.get(field) {
                            payload[field] = value.clone();
                        }
                    }
                    payload
                },
            },
            now,
        )
        .await?;
        self.commit_events(txn).await?;
        let (_, changed) = self.load(actor, subject, None).await?;
        Ok(changed)
    }
}
