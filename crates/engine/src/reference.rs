//! Creating reference data: offices, districts, OPDs. Each change is
//! authorised by the policy and audited in its own transaction.

use pendamping_domain::audit::AuditAction;
use pendamping_domain::events::EventKind;
use pendamping_domain::identity::Actor;
use pendamping_domain::policy::{self, Operation, Target};
use pendamping_domain::reference::{
    District, DistrictId, NewDistrict, NewOffice, NewOpd, Office, Opd, OpdId,
};
use pendamping_storage::audit::{self, AuditRow};
use pendamping_storage::reference as refs;
use serde_json::json;

use crate::error::one_of;
use crate::{Engine, EngineError};

/// What one change is about, for its audit entry and its outgoing event: the
/// kind of object and its id, the agreement it belongs to (events carry it
/// for their subscribers), and where it lives (the reach of both).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Subject {
    pub object_type: &'static str,
    pub object_id: i64,
    pub agreement_id: Option<i64>,
    pub target: Target,
}

impl Subject {
    /// An object that belongs to no agreement.
    pub(crate) fn new(object_type: &'static str, object_id: i64, target: Target) -> Self {
        Subject {
            object_type,
            object_id,
            agreement_id: None,
            target,
        }
    }

    /// The same object, as part of agreement `agreement_id`.
    pub(crate) fn in_agreement(self, agreement_id: i64) -> Self {
        Subject {
            agreement_id: Some(agreement_id),
            ..self
        }
    }
}

/// Appends the audit entry of a change made by `actor` about `subject`, in
/// the caller's transaction.
pub(crate) async fn append_audit(
    db: &impl pendamping_storage::ConnectionTrait,
    actor: &Actor,
    action: impl Into<AuditAction>,
    subject: Subject,
    after: serde_json::Value,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), EngineError> {
    let row = audit_row(
        actor,
        action,
        subject.object_type,
        subject.object_id,
        subject.target,
        after,
    );
    audit::append(db, row, now).await?;
    Ok(())
}

/// The audit entry of a change made by `actor`.
pub(crate) fn audit_row(
    actor: &Actor,
    action: impl Into<AuditAction>,
    object_type: &'static str,
    object_id: i64,
    target: Target,
    after: serde_json::Value,
) -> AuditRow {
    AuditRow {
        actor_id: actor.user_id.map(|u| u.0),
        actor_label: actor.label.clone(),
        action: action.into().as_str().to_owned(),
        object_type,
        object_id,
        office_id: target.office.map(|o| o.0),
        district_id: target.district.map(|d| d.0),
        before: None,
        after: Some(after),
        reason: None,
    }
}

pub(crate) fn forbid(
    actor: &Actor,
    operation: Operation,
    target: &Target,
) -> Result<(), EngineError> {
    if policy::permits(actor, operation, target) {
        Ok(())
    } else {
        Err(EngineError::Forbidden(format!(
            "your role does not allow {} here",
            operation.as_str().to_lowercase().replace('_', " ")
        )))
    }
}

impl Engine {
    pub async fn create_office(
        &self,
        actor: &Actor,
        new: NewOffice,
    ) -> Result<Office, EngineError> {
        forbid(actor, Operation::ManageOffices, &Target::everywhere())?;
        new.validate()?;
        let now = self.now();
        let txn = pendamping_storage::begin_write(&self.db).await?;
        let office = refs::insert_office(&txn, &new, now)
            .await
            .map_err(EngineError::from_storage_on("code"))?;
        let target = Target {
            office: Some(office.id),
            ..Target::default()
        };
        let subject = Subject::new("Office", office.id.0, target);
        append_audit(
            &txn,
            actor,
            EventKind::OfficeCreated,
            subject,
            json!({"code": office.code, "name": office.name, "province": office.province,
                       "timeZone": office.time_zone.as_str()}),
            now,
        )
        .await?;
        crate::reorganise::emit(
            self,
            &txn,
            EventKind::OfficeCreated,
            subject,
            json!({"code": office.code, "name": office.name}),
        )
        .await?;
        self.commit_events(txn).await?;
        Ok(office)
    }

    pub async fn create_district(
        &self,
        actor: &Actor,
        new: NewDistrict,
    ) -> Result<District, EngineError> {
        let target = Target {
            office: Some(new.office_id),
            ..Target::default()
        };
        forbid(actor, Operation::ManageDistricts, &target)?;
        new.validate()?;
        let reader = self.reader(actor);
        if reader.offices_by_ids(&[new.office_id]).await?.is_empty() {
            return Err(EngineError::invalid("officeId", "no such office"));
        }
        let now = self.now();
        let txn = pendamping_storage::begin_write(&self.db).await?;
        let district = refs::insert_district(&txn, &new, now)
            .await
            .map_err(EngineError::from_storage_on("name"))?;
        let target = Target::district(district.office_id, district.id);
        let subject = Subject::new("District", district.id.0, target);
        append_audit(
            &txn,
            actor,
            EventKind::DistrictCreated,
            subject,
            json!({"name": district.name, "kind": district.kind.as_str(),
                       "province": district.province, "timeZone": district.time_zone.as_str()}),
            now,
        )
        .await?;
        crate::reorganise::emit(
            self,
            &txn,
            EventKind::DistrictCreated,
            subject,
            json!({"name": district.name, "kind": district.kind.as_str()}),
        )
        .await?;
        self.commit_events(txn).await?;
        Ok(district)
    }

    pub async fn create_opd(&self, actor: &Actor, new: NewOpd) -> Result<Opd, EngineError> {
        // The district is looked up within reach first, so an out-of-scope
        // district reads as missing rather than confirming that it exists.
        let district = one_of(
            self.reader(actor).districts_by_ids(&[new.district_id]),
            || EngineError::invalid("districtId", "no such district"),
        )
        .await?;
        forbid(
            actor,
            Operation::ManageOpds,
            &Target::district(district.office_id, district.id),
        )?;
        new.validate()?;
        let now = self.now();
        let txn = pendamping_storage::begin_write(&self.db).await?;
        let target = Target::district(district.office_id, district.id);
        let opd = self
            .insert_opd_in(&txn, actor, &new, target, false, now)
            .await?;
        self.commit_events(txn).await?;
        Ok(opd)
    }

    /// Inserts an OPD of the district `target`, audits it (`imported` when an
    /// import made it) and announces it, all in `txn`.
    pub(crate) async fn insert_opd_in(
        &self,
        txn: &pendamping_storage::DatabaseTransaction,
        actor: &Actor,
        new: &NewOpd,
        target: Target,
        imported: bool,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Opd, EngineError> {
        let opd = refs::insert_opd(txn, new, now)
            .await
            .map_err(EngineError::from_storage_on("name"))?;
        let mut after =
            json!({"name": opd.name, "shortName": opd.short_name, "kind": opd.kind.as_str()});
        if imported {
            after["import"] = json!(true);
        }
        let subject = Subject::new("Opd", opd.id.0, target);
        append_audit(txn, actor, EventKind::OpdCreated, subject, after, now).await?;
        let subject = Subject::new(
            "Opd",
            opd.id.0,
            Target {
                opd: Some(opd.id),
                ..target
            },
        );
        let payload = json!({"name": opd.name, "kind": opd.kind.as_str()});
        crate::reorganise::emit(self, txn, EventKind::OpdCreated, subject, payload).await?;
        Ok(opd)
    }
}

impl Engine {
    /// The district (within `actor`'s reach) a change is for, and where it
    /// lives, once `actor` may do `operation` there.
    pub(crate) async fn district_for(
        &self,
        actor: &Actor,
        id: DistrictId,
        operation: Operation,
    ) -> Result<(District, Target), EngineError> {
        let district = one_of(self.reader(actor).districts_by_ids(&[id]), || {
            EngineError::invalid("districtId", "no such district")
        })
        .await?;
        let target = Target::district(district.office_id, district.id);
        forbid(actor, operation, &target)?;
        Ok((district, target))
    }

    /// Refuses an `opdId` that is not an OPD of `district` (within reach).
    pub(crate) async fn check_opd_of(
        &self,
        actor: &Actor,
        district: &District,
        opd: Option<OpdId>,
    ) -> Result<(), EngineError> {
        let Some(opd) = opd else {
            return Ok(());
        };
        let found = self.reader(actor).opds_by_ids(&[opd]).await?;
        if found.first().is_none_or(|o| o.district_id != district.id) {
            return Err(EngineError::invalid(
                "opdId",
                "is not an OPD of this district",
            ));
        }
        Ok(())
    }
}
