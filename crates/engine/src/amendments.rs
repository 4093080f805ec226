//! Amendments and draft edits. A signed agreement's terms are never
//! overwritten: changes after signing are recorded as amendments beside them.
//! A draft, not yet signed, may be edited freely (with its version).

use chrono::NaiveDate;
use pendamping_domain::agreement::{Agreement, AgreementId, AgreementStatus, Amendment};
use pendamping_domain::events::EventKind;
use pendamping_domain::identity::Actor;
use pendamping_domain::policy::{Operation, Target};
use pendamping_domain::reference::{DistrictId, OpdId};
use pendamping_domain::validation::Validation;
use pendamping_storage::work::{self, AgreementPatch, AmendmentRow};
use pendamping_storage::{audit, changes};
use serde_json::json;

use crate::error::{not_found, one_of};
use crate::reference::{Subject, audit_row, forbid};
use crate::{Engine, EngineError};

/// An amendment to record.
#[derive(Debug, Clone)]
pub struct NewAmendment {
    pub agreement_id: AgreementId,
    /// The agreement's version the client read.
    pub version: i32,
    pub number: String,
    pub signed_on: NaiveDate,
    pub summary: String,
    pub new_period_end: Option<NaiveDate>,
    /// The changed terms' text, when the amendment rewrites them.
    pub terms: Option<String>,
    /// OPDs of the district brought into scope.
    pub add_opd_ids: Vec<OpdId>,
    /// OPDs taken out of scope (none may have open action items under it).
    pub remove_opd_ids: Vec<OpdId>,
}

/// Edits to a draft agreement; `None` keeps a field.
#[derive(Debug, Clone, Default)]
pub struct DraftEdit {
    pub version: i32,
    pub office_number: Option<String>,
    pub district_number: Option<String>,
    pub office_signatory: Option<String>,
    pub district_signatory: Option<String>,
    pub title: Option<String>,
    pub period_start: Option<NaiveDate>,
    pub period_end: Option<NaiveDate>,
    /// The OPDs in scope, replacing the draft's list.
    pub opd_ids: Option<Vec<OpdId>>,
}

impl Engine {
    /// The agreement `actor` means to change at `version` by `operation`, and
    /// where it lives: read within their reach, authorised, and still at that
    /// version.
    async fn agreement_to_change(
        &self,
        actor: &Actor,
        id: AgreementId,
        operation: Operation,
        version: i32,
    ) -> Result<(Agreement, Target), EngineError> {
        let agreement = one_of(
            self.reader(actor).agreements_by_ids(&[id]),
            not_found("agreement"),
        )
        .await?;
        let target = Target::district(agreement.office_id, agreement.district_id);
        forbid(actor, operation, &target)?;
        EngineError::unless_current("Agreement", agreement.version, version)?;
        Ok((agreement, target))
    }

    /// Records an amendment of an active agreement (the office's lead). The
    /// signed terms stay as they were; the amendment stands beside them.
    pub async fn record_amendment(
        &self,
        actor: &Actor,
        new: NewAmendment,
    ) -> Result<Amendment, EngineError> {
        let (agreement, target) = self
            .agreement_to_change(
                actor,
                new.agreement_id,
                Operation::AmendAgreements,
                new.version,
            )
            .await?;
        if agreement.status != AgreementStatus::Active {
            return Err(EngineError::InvalidTransition(format!(
                "only an active agreement is amended; a {} one is not",
                agreement.status
            )));
        }
        let mut v = Validation::new();
        v.text("number", &new.number, 100);
        v.text("summary", &new.summary, 10_000);
        v.optional_text("terms", new.terms.as_deref(), 100_000);
        if let Some(end) = new.new_period_end {
            v.check(
                end >= agreement.period_start,
                "newPeriodEnd",
                "must not be before the period's start",
            );
        }
        v.check(
            !new.add_opd_ids
                .iter()
                .any(|o| new.remove_opd_ids.contains(o)),
            "removeOpdIds",
            "an OPD cannot be both added and removed",
        );
        v.finish()?;
        let scope = self
            .reader(actor)
            .opd_ids_of_agreements(&[agreement.id])
            .await?
            .remove(&agreement.id)
            .unwrap_or_default();
        self.check_opds("addOpdIds", agreement.district_id, &new.add_opd_ids, actor)
            .await?;
        if let Some(already) = new.add_opd_ids.iter().find(|o| scope.contains(o)) {
            return Err(EngineError::invalid(
                "addOpdIds",
                format!("OPD {} is in the agreement's scope already", already.0),
            ));
        }
        if new.remove_opd_ids.iter().any(|o| !scope.contains(o)) {
            return Err(EngineError::invalid(
                "removeOpdIds",
                "every OPD removed must be in the agreement's scope",
            ));
        }
        let removed: Vec<i64> = new.remove_opd_ids.iter().map(|o| o.0).collect();
        let added: Vec<i64> = new.add_opd_ids.iter().map(|o| o.0).collect();
        if !changes::opds_with_open_items(&self.db, agreement.id.0, &removed)
            .await?
            .is_empty()
        {
            return Err(EngineError::invalid(
                "removeOpdIds",
                "an OPD with open action items under this agreement stays in scope until they are verified or cancelled",
            ));
        }
        let now = self.now();
        let txn = pendamping_storage::begin_write(&self.db).await?;
        // Bumping the version makes a second, concurrent amendment a conflict.
        if !work::update_agreement(
            &txn,
            agreement.id.0,
            new.version,
            AgreementPatch::default(),
            now,
        )
        .await?
        {
            return Err(EngineError::overtaken("Agreement", new.version));
        }
        let amendment = work::insert_amendment(
            &txn,
            AmendmentRow {
                agreement_id: agreement.id.0,
                number: new.number.trim().to_owned(),
                signed_on: new.signed_on,
                summary: new.summary.trim().to_owned(),
                new_period_end: new.new_period_end,
                recorded_by: actor.user_id.map(|u| u.0),
            },
            now,
        )
        .await?;
        let terms = new
            .terms
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty());
        changes::set_amendment_changes(&txn, amendment.id.0, terms, &added, &removed).await?;
        changes::add_agreement_opds(&txn, agreement.id.0, &added).await?;
        changes::remove_agreement_opds(&txn, agreement.id.0, &removed).await?;
        let amendment = Amendment {
            terms: terms.map(str::to_owned),
            added_opd_ids: new.add_opd_ids.clone(),
            removed_opd_ids: new.remove_opd_ids.clone(),
            ..amendment
        };
        let after = json!({"number": amendment.number, "signedOn": amendment.signed_on.to_string(),
                           "newPeriodEnd": amendment.new_period_end.map(|d| d.to_string()),
                           "termsChanged": amendment.terms.is_some(),
                           "addedOpdIds": added, "removedOpdIds": removed});
        let subject =
            Subject::new("Agreement", agreement.id.0, target).in_agreement(agreement.id.0);
        self.commit_change(txn, actor, EventKind::AgreementAmended, subject, after, now)
            .await?;
        Ok(amendment)
    }

    /// Edits a draft's numbers and signatories before signing (assessors and leads).
    pub async fn edit_draft(
        &self,
        actor: &Actor,
        id: AgreementId,
        edit: DraftEdit,
    ) -> Result<Agreement, EngineError> {
        let reader = self.reader(actor);
        let (agreement, target) = self
            .agreement_to_change(actor, id, Operation::DraftAgreements, edit.version)
            .await?;
        if agreement.status != AgreementStatus::Draft {
            return Err(EngineError::InvalidTransition(
                "a signed agreement is not edited; record an amendment".into(),
            ));
        }
        let mut v = Validation::new();
        v.optional_text("officeNumber", edit.office_number.as_deref(), 100);
        v.optional_text("districtNumber", edit.district_number.as_deref(), 100);
        v.optional_text("officeSignatory", edit.office_signatory.as_deref(), 200);
        v.optional_text("districtSignatory", edit.district_signatory.as_deref(), 200);
        if let Some(title) = &edit.title {
            v.text("title", title, 300);
        }
        let start = edit.period_start.unwrap_or(agreement.period_start);
        let end = edit.period_end.unwrap_or(agreement.period_end);
        v.check(
            end >= start,
            "periodEnd",
            "must not be before the period's start",
        );
        v.finish()?;
        let period_moves = (start, end) != (agreement.period_start, agreement.period_end);
        if period_moves {
            let outside = changes::milestones_outside(&self.db, agreement.id.0, start, end).await?;
            if let Some((title, on)) = outside.first() {
                return Err(EngineError::invalid(
                    if *on < start {
                        "periodStart"
                    } else {
                        "periodEnd"
                    },
                    format!(
                        "the period would leave {} planned milestone(s) outside it (first: \"{title}\" on {on}); reschedule them first",
                        outside.len()
                    ),
                ));
            }
        }
        let scope_change = match &edit.opd_ids {
            Some(ids) => {
                self.check_opds("opdIds", agreement.district_id, ids, actor)
                    .await?;
                let now_in = OpdId::rows(
                    &reader
                        .opd_ids_of_agreements(&[agreement.id])
                        .await?
                        .remove(&agreement.id)
                        .unwrap_or_default(),
                );
                let wanted = OpdId::rows(ids);
                let add: Vec<i64> = wanted
                    .iter()
                    .copied()
                    .filter(|o| !now_in.contains(o))
                    .collect();
                let remove: Vec<i64> = now_in
                    .iter()
                    .copied()
                    .filter(|o| !wanted.contains(o))
                    .collect();
                Some((add, remove))
            }
            None => None,
        };
        let trim = |v: Option<String>| v.map(|s| s.trim().to_owned());
        let patch = AgreementPatch {
            office_number: trim(edit.office_number),
            district_number: trim(edit.district_number),
            office_signatory: trim(edit.office_signatory),
            district_signatory: trim(edit.district_signatory),
            ..AgreementPatch::default()
        };
        let title = edit.title.as_deref().map(str::trim);
        let after = json!({"officeNumber": patch.office_number, "districtNumber": patch.district_number,
                           "officeSignatory": patch.office_signatory, "districtSignatory": patch.district_signatory,
                           "title": title, "periodStart": start.to_string(), "periodEnd": end.to_string(),
                           "addedOpdIds": scope_change.as_ref().map(|c| &c.0),
                           "removedOpdIds": scope_change.as_ref().map(|c| &c.1)});
        let now = self.now();
        let txn = pendamping_storage::begin_write(&self.db).await?;
        if !work::update_agreement(&txn, agreement.id.0, edit.version, patch, now).await? {
            return Err(EngineError::overtaken("Agreement", edit.version));
        }
        // The version check and bump above guard the rest of the draft too.
        if title.is_some() || period_moves {
            changes::update_draft_terms(&txn, agreement.id.0, title, (start, end)).await?;
        }
        if let Some((add, remove)) = &scope_change {
            changes::add_agreement_opds(&txn, agreement.id.0, add).await?;
            changes::remove_agreement_opds(&txn, agreement.id.0, remove).await?;
        }
        let mut row = audit_row(
            actor,
            EventKind::AgreementDraftEdited,
            "Agreement",
            agreement.id.0,
            target,
            after.clone(),
        );
        row.before = Some(
            json!({"officeNumber": agreement.office_number, "districtNumber": agreement.district_number,
                                 "officeSignatory": agreement.office_signatory, "districtSignatory": agreement.district_signatory,
                                 "title": agreement.title, "periodStart": agreement.period_start.to_string(),
                                 "periodEnd": agreement.period_end.to_string()}),
        );
        audit::append(&txn, row, now).await?;
        crate::reorganise::emit(
            self,
            &txn,
            EventKind::AgreementDraftEdited,
            Subject::new("Agreement", agreement.id.0, target).in_agreement(agreement.id.0),
            after,
        )
        .await?;
        self.commit_events(txn).await?;
        one_of(reader.agreements_by_ids(&[id]), not_found("agreement")).await
    }
}

impl Engine {
    /// Every OPD of `ids` exists within reach, belongs to `district` and is active.
    pub(crate) async fn check_opds(
        &self,
        field: &str,
        district: DistrictId,
        ids: &[OpdId],
        actor: &Actor,
    ) -> Result<(), EngineError> {
        let found = self.reader(actor).opds_by_ids(ids).await?;
        for id in ids {
            match found.iter().find(|o| o.id == *id) {
                Some(opd) if opd.district_id == district && opd.active => {}
                Some(opd) if opd.district_id == district => {
                    return Err(EngineError::invalid(
                        field,
                        format!("{} is inactive (deactivated or reorganised)", opd.name),
                    ));
                }
                _ => {
                    return Err(EngineError::invalid(
                        field,
                        "every OPD must belong to the agreement's district",
                    ));
                }
            }
        }
        Ok(())
    }
}
