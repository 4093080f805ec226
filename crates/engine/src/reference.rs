//! Creating reference data: offices, districts, OPDs. Each change is
//! authorised by the policy and audited in its own transaction.

use pendamping_domain::audit::AuditAction;
use pendamping_domain::events::EventKind;
use pendamping_domain::identity::Actor;
use pendamping_domain::policy::{self, Operation, Target};
use pendamping_domain::reference::{District, NewDistrict, NewOffice, NewOpd, Office, Opd};
use pendamping_storage::audit::{self, AuditRow};
use pendamping_storage::reference as refs;
use serde_json::json;

use crate::error::FoundOne;
use crate::{Engine, EngineError};

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
        audit::append(
            &txn,
            audit_row(
                actor,
                EventKind::OfficeCreated,
                "Office",
                office.id.0,
                target,
                json!({"code": office.code, "name": office.name, "province": office.province,
                       "timeZone": office.time_zone.as_str()}),
            ),
            now,
        )
        .await?;
        crate::reorganise::emit(
            self,
            &txn,
            EventKind::OfficeCreated,
            "Office",
            office.id.0,
            None,
            target,
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
        audit::append(
            &txn,
            audit_row(
                actor,
                EventKind::DistrictCreated,
                "District",
                district.id.0,
                Target::district(district.office_id, district.id),
                json!({"name": district.name, "kind": district.kind.as_str(),
                       "province": district.province, "timeZone": district.time_zone.as_str()}),
            ),
            now,
        )
        .await?;
        crate::reorganise::emit(
            self,
            &txn,
            EventKind::DistrictCreated,
            "District",
            district.id.0,
            None,
            Target::district(district.office_id, district.id),
            json!({"name": district.name, "kind": district.kind.as_str()}),
        )
        .await?;
        self.commit_events(txn).await?;
        Ok(district)
    }

    pub async fn create_opd(&self, actor: &Actor, new: NewOpd) -> Result<Opd, EngineError> {
        // The district is looked up within reach first, so an out-of-scope
        // district reads as missing rather than confirming that it exists.
        let district = self
            .reader(actor)
            .districts_by_ids(&[new.district_id])
            .await?
            .one_or(|| EngineError::invalid("districtId", "no such district"))?;
        forbid(
            actor,
            Operation::ManageOpds,
            &Target::district(district.office_id, district.id),
        )?;
        new.validate()?;
        let now = self.now();
        let txn = pendamping_storage::begin_write(&self.db).await?;
        let opd = refs::insert_opd(&txn, &new, now)
            .await
            .map_err(EngineError::from_storage_on("name"))?;
        audit::append(
            &txn,
            audit_row(
                actor,
                EventKind::OpdCreated,
                "Opd",
                opd.id.0,
                Target::district(district.office_id, district.id),
                json!({"name": opd.name, "shortName": opd.short_name, "kind": opd.kind.as_str()}),
            ),
            now,
        )
        .await?;
        crate::reorganise::emit(
            self,
            &txn,
            EventKind::OpdCreated,
            "Opd",
            opd.id.0,
            None,
            Target::opd(district.office_id, district.id, opd.id),
            json!({"name": opd.name, "kind": opd.kind.as_str()}),
        )
        .await?;
        self.commit_events(txn).await?;
        Ok(opd)
    }
}
