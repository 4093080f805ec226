//! Amendments and draft edits. A signed agreement's terms are never
//! overwritten: changes after signing are recorded as amendments beside them.
//! A draft, not yet signed, may be edited freely (with its version).

use chrono::NaiveDate;
use pendamping_domain::agreement::{Agreement, AgreementId, AgreementStatus, Amendment};
use pendamping_domain::identity::Actor;
use pendamping_domain::policy::{Operation, Target};
use pendamping_domain::validation::Validation;
use pendamping_storage::work::{self, AgreementPatch, AmendmentRow};
use pendamping_storage::{TransactionTrait, audit};
use serde_json::json;

use crate::reference::{audit_row, forbid};
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
}

/// Edits to a draft agreement; `None` keeps a field.
#[derive(Debug, Clone, Default)]
pub struct DraftEdit {
    pub version: i32,
    pub office_number: Option<String>,
    pub district_number: Option<String>,
    pub office_signatory: Option<String>,
    pub district_signatory: Option<String>,
}

impl Engine {
    /// Records an amendment of an active agreement (the office's lead). The
    /// signed terms stay as they were; the amendment stands beside them.
    pub async fn record_amendment(
        &self,
        actor: &Actor,
        new: NewAmendment,
    ) -> Result<Amendment, EngineError> {
        let agreement = self
            .reader(actor)
            .agreements_by_ids(&[new.agreement_id.0])
            .await?
            .into_iter()
            .next()
            .ok_or_else(|| EngineError::NotFound("agreement".into()))?;
        let target = Target::district(agreement.office_id, agreement.district_id);
        forbid(actor, Operation::AmendAgreements, &target)?;
        if agreement.version != new.version {
            return Err(EngineError::Conflict {
                object: "the Agreement".into(),
                current: agreement.version,
                given: new.version,
            });
        }
        if agreement.status != AgreementStatus::Active {
            return Err(EngineError::InvalidTransition(format!(
                "only an active agreement is amended; a {} one is not",
                agreement.status
            )));
        }
        let mut v = Validation::new();
        v.text("number", &new.number, 100);
        v.text("summary", &new.summary, 10_000);
        if let Some(end) = new.new_period_end {
            v.check(
                end >= agreement.period_start,
                "newPeriodEnd",
                "must not be before the period's start",
            );
        }
        v.finish()?;
        let now = self.now();
        let txn = self.db.begin().await?;
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
            return Err(EngineError::Conflict {
                object: "the Agreement".into(),
                current: new.version + 1,
                given: new.version,
            });
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
        let after = json!({"number": amendment.number, "signedOn": amendment.signed_on.to_string(),
                           "newPeriodEnd": amendment.new_period_end.map(|d| d.to_string())});
        audit::append(
            &txn,
            audit_row(
                actor,
                "AGREEMENT_AMENDED",
                "Agreement",
                agreement.id.0,
                target,
                after.clone(),
            ),
            now,
        )
        .await?;
        self.event(
            &txn,
            "AGREEMENT_AMENDED",
            "Agreement",
            agreement.id.0,
            agreement.id.0,
            target,
            after,
        )
        .await?;
        self.commit_events(txn).await?;
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
        let agreement = reader
            .agreements_by_ids(&[id.0])
            .await?
            .into_iter()
            .next()
            .ok_or_else(|| EngineError::NotFound("agreement".into()))?;
        let target = Target::district(agreement.office_id, agreement.district_id);
        forbid(actor, Operation::DraftAgreements, &target)?;
        if agreement.version != edit.version {
            return Err(EngineError::Conflict {
                object: "the Agreement".into(),
                current: agreement.version,
                given: edit.version,
            });
        }
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
        v.finish()?;
        let trim = |v: Option<String>| v.map(|s| s.trim().to_owned());
        let patch = AgreementPatch {
            office_number: trim(edit.office_number),
            district_number: trim(edit.district_number),
            office_signatory: trim(edit.office_signatory),
            district_signatory: trim(edit.district_signatory),
            ..AgreementPatch::default()
        };
        let after = json!({"officeNumber": patch.office_number, "districtNumber": patch.district_number,
                           "officeSignatory": patch.office_signatory, "districtSignatory": patch.district_signatory});
        let now = self.now();
        let txn = self.db.begin().await?;
        if !work::update_agreement(&txn, agreement.id.0, edit.version, patch, now).await? {
            return Err(EngineError::Conflict {
                object: "the Agreement".into(),
                current: edit.version + 1,
                given: edit.version,
            });
        }
        let mut row = audit_row(
            actor,
            "AGREEMENT_DRAFT_EDITED",
            "Agreement",
            agreement.id.0,
            target,
            after,
        );
        row.before = Some(
            json!({"officeNumber": agreement.office_number, "districtNumber": agreement.district_number,
                                 "officeSignatory": agreement.office_signatory, "districtSignatory": agreement.district_signatory}),
        );
        audit::append(&txn, row, now).await?;
        self.commit_events(txn).await?;
        reader
            .agreements_by_ids(&[id.0])
            .await?
            .into_iter()
            .next()
            .ok_or_else(|| EngineError::NotFound("agreement".into()))
    }
}
