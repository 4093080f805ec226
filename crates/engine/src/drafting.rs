//! Creating workflow objects: draft agreements, milestones, raised action
//! items, and assigning an item to an officer. Each is authorised, validated
//! and audited in one transaction, like every other change.

use chrono::NaiveDate;
use pendamping_domain::action_item::{ActionItem, ActionItemId, Priority, StandardComponent};
use pendamping_domain::agreement::{
    Agreement, AgreementId, AgreementStatus, Milestone, MilestoneKind, MilestoneStatus,
    NewAgreement,
};
use pendamping_domain::events::EventKind;
use pendamping_domain::identity::{Actor, UserId};
use pendamping_domain::ids::{MilestoneId, OpdId};
use pendamping_domain::policy::{Operation, Target};
use pendamping_domain::validation::Validation;
use pendamping_storage::audit;
use pendamping_storage::work::{
    self, ActionItemPatch, ActionItemRow, AgreementRow, ItemProgress, MilestoneRow,
};
use serde_json::json;

use crate::error::{not_found, one_of};
use crate::reference::{Subject, append_audit, audit_row, forbid};
use crate::{Engine, EngineError};

/// A milestone to add to an agreement.
#[derive(Debug, Clone)]
pub struct NewMilestone {
    pub agreement_id: AgreementId,
    pub kind: MilestoneKind,
    pub title: String,
    pub planned_on: NaiveDate,
    pub location: Option<String>,
    pub opd_ids: Vec<OpdId>,
}

/// A finding to raise as an action item.
#[derive(Debug, Clone)]
pub struct NewActionItem {
    pub agreement_id: AgreementId,
    pub opd_id: OpdId,
    pub milestone_id: Option<MilestoneId>,
    pub title: String,
    pub finding: String,
    pub standard_component: Option<StandardComponent>,
    pub priority: Priority,
    pub due_on: NaiveDate,
    /// Where it comes from; `None` for a visit's finding when a milestone is
    /// named, else self-identified.
    pub origin: Option<pendamping_domain::action_item::Origin>,
    /// The Ombudsman product's document number (required for products).
    pub product_number: Option<String>,
    /// The year a product counts for; defaults to the year it is raised in.
    pub product_year: Option<i32>,
}

/// An agreement the actor may not read is, to them, no such agreement.
fn no_such_agreement() -> EngineError {
    EngineError::invalid("agreementId", "no such agreement")
}

impl Engine {
    /// Audits `kind` by `actor` at `now` and emits it as an outgoing event
    /// with the same `after`, both in the caller's transaction.
    pub(crate) async fn audit_and_emit(
        &self,
        txn: &pendamping_storage::DatabaseTransaction,
        actor: &Actor,
        kind: EventKind,
        subject: Subject,
        after: serde_json::Value,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), EngineError> {
        append_audit(txn, actor, kind, subject, after.clone(), now).await?;
        crate::reorganise::emit(self, txn, kind, subject, after).await
    }

    /// The last step of a use case: audits the change, emits its event with
    /// the same `after`, and commits the transaction (waking the relay).
    pub(crate) async fn commit_change(
        &self,
        txn: pendamping_storage::DatabaseTransaction,
        actor: &Actor,
        kind: EventKind,
        subject: Subject,
        after: serde_json::Value,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), EngineError> {
        self.audit_and_emit(&txn, actor, kind, subject, after, now)
            .await?;
        self.commit_events(txn).await
    }

    /// Drafts an agreement between an office and one of its districts (assessors and leads).
    pub async fn create_agreement(
        &self,
        actor: &Actor,
        new: NewAgreement,
    ) -> Result<Agreement, EngineError> {
        let reader = self.reader(actor);
        let (district, target) = self
            .district_for(actor, new.district_id, Operation::DraftAgreements)
            .await?;
        new.validate()?;
        let opds = reader.opds_by_ids(&new.opd_ids).await?;
        if opds.len() != new.opd_ids.len() || opds.iter().any(|o| o.district_id != district.id) {
            return Err(EngineError::invalid(
                "opdIds",
                "every OPD must belong to the agreement's district",
            ));
        }
        if let Some(inactive) = opds.iter().find(|o| !o.active) {
            return Err(EngineError::invalid(
                "opdIds",
                format!("{} is inactive (deactivated or reorganised)", inactive.name),
            ));
        }
        let now = self.now();
        let txn = pendamping_storage::begin_write(&self.db).await?;
        let agreement = work::insert_agreement(
            &txn,
            AgreementRow {
                office_id: district.office_id.0,
                district_id: district.id.0,
                office_number: new.office_number.clone(),
                district_number: new.district_number.clone(),
                title: new.title.trim().to_owned(),
                period_start: new.period_start,
                period_end: new.period_end,
                office_signatory: new.office_signatory.clone(),
                district_signatory: new.district_signatory.clone(),
                signed_on: None,
                status: AgreementStatus::Draft,
                closing_summary: None,
                termination_reason: None,
            },
            &new.opd_ids.iter().map(|o| o.0).collect::<Vec<_>>(),
            now,
        )
        .await?;
        let after = json!({"title": agreement.title, "periodStart": agreement.period_start.to_string(),
                           "periodEnd": agreement.period_end.to_string(), "opds": new.opd_ids.len()});
        let subject =
            Subject::new("Agreement", agreement.id.0, target).in_agreement(agreement.id.0);
        self.commit_change(txn, actor, EventKind::AgreementDrafted, subject, after, now)
            .await?;
        Ok(agreement)
    }

    /// Adds a planned milestone to a draft or active agreement (assessors).
    pub async fn add_milestone(
        &self,
        actor: &Actor,
        new: NewMilestone,
    ) -> Result<Milestone, EngineError> {
        let agreement = self
            .agreement_or(actor, new.agreement_id, no_such_agreement)
            .await?;
        let target = Target::district(agreement.office_id, agreement.district_id);
        forbid(actor, Operation::PlanMilestones, &target)?;
        if !matches!(
            agreement.status,
            AgreementStatus::Draft | AgreementStatus::Active
        ) {
            return Err(EngineError::InvalidTransition(format!(
                "milestones are added to draft or active agreements, not to a {} one",
                agreement.status
            )));
        }
        let mut v = Validation::new();
        v.text("title", &new.title, 300);
        v.optional_text("location", new.location.as_deref(), 300);
        v.finish()?;
        self.check_in_period(actor, &agreement, "plannedOn", new.planned_on)
            .await?;
        let in_scope = self
            .reader(actor)
            .opd_ids_of_agreements(&[agreement.id])
            .await?;
        let scope = in_scope.get(&agreement.id).cloned().unwrap_or_default();
        if new.opd_ids.iter().any(|o| !scope.contains(o)) {
            return Err(EngineError::invalid(
                "opdIds",
                "every OPD must be in the agreement's scope",
            ));
        }
        let now = self.now();
        let txn = pendamping_storage::begin_write(&self.db).await?;
        // The agreement may have ended since it was read: lock it and look again.
        crate::guards::agreement_under_lock(&txn, agreement.id.0, |status| {
            matches!(status, AgreementStatus::Draft | AgreementStatus::Active)
                .then_some(())
                .ok_or_else(|| {
                    format!(
                        "milestones are added to draft or active agreements, not to a {status} one"
                    )
                })
        })
        .await?;
        let milestone = work::insert_milestone(
            &txn,
            MilestoneRow {
                agreement_id: agreement.id.0,
                kind: new.kind,
                title: new.title.trim().to_owned(),
                planned_on: new.planned_on,
                actual_on: None,
                location: new.location.map(|l| l.trim().to_owned()),
                outcome_notes: None,
                status: MilestoneStatus::Planned,
                cancellation_reason: None,
            },
            &new.opd_ids.iter().map(|o| o.0).collect::<Vec<_>>(),
            now,
        )
        .await?;
        let after = json!({"title": milestone.title, "kind": milestone.kind.as_str(), "plannedOn": milestone.planned_on.to_string()});
        let subject =
            Subject::new("Milestone", milestone.id.0, target).in_agreement(agreement.id.0);
        self.commit_change(txn, actor, EventKind::MilestonePlanned, subject, after, now)
            .await?;
        Ok(milestone)
    }

    /// Raises a finding as an OPEN action item for an OPD in an active agreement's scope (assessors).
    pub async fn raise_action_item(
        &self,
        actor: &Actor,
        new: NewActionItem,
    ) -> Result<ActionItem, EngineError> {
        let agreement = self
            .agreement_or(actor, new.agreement_id, no_such_agreement)
            .await?;
        let target = Target::opd(agreement.office_id, agreement.district_id, new.opd_id);
        forbid(actor, Operation::RaiseActionItems, &target)?;
        if agreement.status != AgreementStatus::Active {
            return Err(EngineError::InvalidTransition(format!(
                "action items are raised under an active agreement, not a {} one",
                agreement.status
            )));
        }
        let mut v = Validation::new();
        v.text("title", &new.title, 300);
        v.text("finding", &new.finding, 10_000);
        let origin = new
            .origin
            .unwrap_or(pendamping_domain::action_item::Origin::default_for(
                new.milestone_id,
            ));
        let product_number = new
            .product_number
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_owned);
        if origin.is_ombudsman_product() {
            v.check(
                product_number.is_some(),
                "productNumber",
                "is required for an Ombudsman product (the LAHP or letter's number)",
            );
            if let Some(number) = &product_number {
                v.check(
                    number.chars().count() <= 100,
                    "productNumber",
                    "must be at most 100 characters",
                );
            }
            if let Some(year) = new.product_year {
                v.check(
                    (2000..=2100).contains(&year),
                    "productYear",
                    "must be a year between 2000 and 2100",
                );
            }
        } else {
            v.check(
                product_number.is_none() && new.product_year.is_none(),
                "productNumber",
                "is given only for an Ombudsman product (CORRECTIVE_ACTION, IMPROVEMENT_SUGGESTION, REFINEMENT_SUGGESTION, RECOMMENDATION)",
            );
        }
        if new.origin == Some(pendamping_domain::action_item::Origin::VisitFinding) {
            v.check(
                new.milestone_id.is_some(),
                "milestoneId",
                "is required for a visit's finding: name the visit it was found at",
            );
        }
        v.finish()?;
        let reader = self.reader(actor);
        if reader
            .opds_by_ids(&[new.opd_id])
            .await?
            .first()
            .is_some_and(|o| !o.active)
        {
            return Err(EngineError::invalid(
                "opdId",
                "the OPD is inactive (deactivated or reorganised); raise the item for its successor",
            ));
        }
        let scope = reader.opd_ids_of_agreements(&[agreement.id]).await?;
        if !scope
            .get(&agreement.id)
            .is_some_and(|s| s.contains(&new.opd_id))
        {
            return Err(EngineError::invalid(
                "opdId",
                "must be an OPD in the agreement's scope",
            ));
        }
        if let Some(milestone) = new.milestone_id {
            let found = reader.milestones_by_ids(&[milestone]).await?;
            if found.first().is_none_or(|m| m.agreement_id != agreement.id) {
                return Err(EngineError::invalid(
                    "milestoneId",
                    "must be a milestone of the agreement",
                ));
            }
        }
        let now = self.now();
        let item_origin = pendamping_domain::action_item::ItemOrigin {
            origin,
            product_year: origin.is_ombudsman_product().then(|| {
                new.product_year
                    .unwrap_or_else(|| chrono::Datelike::year(&now))
            }),
            product_number,
        };
        let txn = pendamping_storage::begin_write(&self.db).await?;
        // The agreement may have ended since it was read: lock it and look again.
        crate::guards::agreement_under_lock(&txn, agreement.id.0, |status| {
            (status == AgreementStatus::Active)
                .then_some(())
                .ok_or_else(|| {
                    format!("action items are raised under an active agreement, not a {status} one")
                })
        })
        .await?;
        let item = work::insert_action_item_from(
            &txn,
            ActionItemRow {
                agreement_id: agreement.id.0,
                opd_id: new.opd_id.0,
                district_id: agreement.district_id.0,
                milestone_id: new.milestone_id.map(|m| m.0),
                title: new.title.trim().to_owned(),
                finding: new.finding.trim().to_owned(),
                standard_component: new.standard_component,
                priority: new.priority,
                due_on: new.due_on,
                progress: ItemProgress::open(),
            },
            item_origin,
            now,
        )
        .await?;
        let after = json!({"title": item.title, "dueOn": item.due_on.to_string(), "priority": item.priority.as_str(),
                           "standardComponent": item.standard_component.map(|c| c.as_str()),
                           "origin": item.origin.origin.as_str(), "productNumber": item.origin.product_number,
                           "productYear": item.origin.product_year});
        let subject =
            Subject::new("ActionItem", item.id.0, target).in_agreement(item.agreement_id.0);
        self.commit_change(txn, actor, EventKind::ActionItemRaised, subject, after, now)
            .await?;
        Ok(item)
    }

    /// Assigns an action item to an officer of its OPD (the district's coordinator).
    pub async fn assign_action_item(
        &self,
        actor: &Actor,
        id: ActionItemId,
        version: i32,
        assignee: UserId,
    ) -> Result<ActionItem, EngineError> {
        let (item, target) = self.item_target(actor, id).await?;
        forbid(actor, Operation::AssignActionItems, &target)?;
        EngineError::unless_current("ActionItem", item.version, version)?;
        if !item.status.is_open_work() {
            return Err(EngineError::InvalidTransition(format!(
                "a {} item is not assigned any more",
                item.status
            )));
        }
        let officer = pendamping_domain::identity::Actor {
            user_id: Some(assignee),
            label: String::new(),
            assignments: pendamping_storage::identity::assignments_of(&self.db, &[assignee.0])
                .await?
                .remove(&assignee.0)
                .unwrap_or_default(),
        };
        if !pendamping_domain::policy::is_opd_officer_at(&officer, &target) {
            return Err(EngineError::invalid(
                "assigneeId",
                "must be an officer of the item's OPD",
            ));
        }
        let now = self.now();
        let txn = pendamping_storage::begin_write(&self.db).await?;
        let patch = ActionItemPatch {
            assignee_id: Some(assignee.0),
            ..ActionItemPatch::default()
        };
        if !work::update_action_item(&txn, item.id.0, version, patch, now).await? {
            return Err(EngineError::overtaken("ActionItem", version));
        }
        let mut row = audit_row(
            actor,
            EventKind::ActionItemAssigned,
            "ActionItem",
            item.id.0,
            target,
            json!({"assignee": assignee.0}),
        );
        row.before = Some(json!({"assignee": item.assignee_id.map(|u| u.0)}));
        audit::append(&txn, row, now).await?;
        // Reminders sent to the previous assignee (or the OPD at large) are withdrawn.
        crate::deadlines::withdraw_changed(
            &txn,
            pendamping_domain::deadline::DeadlineObject::ActionItem(item.id),
            now,
        )
        .await?;
        crate::reorganise::emit(
            self,
            &txn,
            EventKind::ActionItemAssigned,
            Subject::new("ActionItem", item.id.0, target).in_agreement(item.agreement_id.0),
            json!({"assignee": assignee.0}),
        )
        .await?;
        self.commit_events(txn).await?;
        one_of(
            self.reader(actor).action_items_by_ids(&[item.id]),
            not_found("action item"),
        )
        .await
    }
}
