//! Reference data that changes: renaming offices, districts and OPDs, a
//! district's kind, deactivating and reactivating an OPD, and recording a
//! reorganisation (*penggabungan/pemecahan OPD*). Who may is one rule in
//! `domain::policy::reference_change`; every change is audited and emits its
//! event in the same transaction.

use pendamping_domain::events::EventKind;
use pendamping_domain::identity::Actor;
use pendamping_domain::policy::{self, Target};
use pendamping_domain::reference::{
    District, DistrictId, DistrictKind, NewReorganisation, Office, OfficeId, Opd, OpdId, Rename,
    Reorganisation,
};
use pendamping_storage::events::{self, EventRow};
use pendamping_storage::{DatabaseTransaction, audit, changes};
use serde_json::{Value, json};

use crate::error::{not_found, one_of};
use crate::reference::{Subject, audit_row, forbid};
use crate::{Engine, EngineError};

/// Appends the outgoing event of `kind` about `subject` in the caller's transaction.
pub(crate) async fn emit(
    engine: &Engine,
    txn: &DatabaseTransaction,
    kind: EventKind,
    subject: Subject,
    payload: Value,
) -> Result<(), EngineError> {
    let Subject {
        object_type,
        object_id,
        agreement_id,
        target,
    } = subject;
    events::append(
        txn,
        EventRow {
            kind: kind.as_str().to_owned(),
            object_type,
            object_id,
            agreement_id,
            office_id: target.office.map(|o| o.0),
            district_id: target.district.map(|d| d.0),
            opd_id: target.opd.map(|o| o.0),
            payload,
        },
        engine.now(),
    )
    .await?;
    Ok(())
}

/// The policy operation for changing a kind of reference record.
fn operation(object_type: &str) -> Result<policy::Operation, EngineError> {
    policy::reference_change(object_type).ok_or_else(|| {
        EngineError::Failure(crate::InternalError::Defect(format!(
            "no reference rule for {object_type}"
        )))
    })
}

impl Engine {
    async fn visible_opd(&self, actor: &Actor, id: OpdId) -> Result<(Opd, District), EngineError> {
        let reader = self.reader(actor);
        let opd = one_of(reader.opds_by_ids(&[id]), not_found("OPD")).await?;
        let district = one_of(
            reader.districts_by_ids(&[opd.district_id]),
            not_found("OPD"),
        )
        .await?;
        Ok((opd, district))
    }

    /// Renames an office (system administrators).
    pub async fn rename_office(
        &self,
        actor: &Actor,
        id: OfficeId,
        name: &str,
    ) -> Result<Office, EngineError> {
        let target = Target {
            office: Some(id),
            ..Target::default()
        };
        forbid(actor, operation("Office")?, &target)?;
        let office = one_of(
            self.reader(actor).offices_by_ids(&[id]),
            not_found("office"),
        )
        .await?;
        Rename {
            name: Some(name.to_owned()),
            ..Rename::default()
        }
        .validate()?;
        let now = self.now();
        let txn = pendamping_storage::begin_write(&self.db).await?;
        changes::rename_office(&txn, id.0, name).await?;
        let after = json!({"name": name.trim()});
        let mut row = audit_row(
            actor,
            EventKind::OfficeRenamed,
            "Office",
            id.0,
            target,
            after.clone(),
        );
        row.before = Some(json!({"name": office.name}));
        audit::append(&txn, row, now).await?;
        emit(
            self,
            &txn,
            EventKind::OfficeRenamed,
            Subject::new("Office", id.0, target),
            after,
        )
        .await?;
        self.commit_events(txn).await?;
        one_of(
            self.reader(actor).offices_by_ids(&[id]),
            not_found("office"),
        )
        .await
    }

    /// Renames a district and/or changes its kind (system administrators).
    pub async fn update_district(
        &self,
        actor: &Actor,
        id: DistrictId,
        name: Option<String>,
        kind: Option<DistrictKind>,
    ) -> Result<District, EngineError> {
        let district = one_of(
            self.reader(actor).districts_by_ids(&[id]),
            not_found("district"),
        )
        .await?;
        let target = Target::district(district.office_id, district.id);
        forbid(actor, operation("District")?, &target)?;
        Rename {
            name: name.clone(),
            ..Rename::default()
        }
        .validate()?;
        if name.is_none() && kind.is_none() {
            return Err(EngineError::invalid("name", "give a new name or kind"));
        }
        let now = self.now();
        let txn = pendamping_storage::begin_write(&self.db).await?;
        changes::update_district(&txn, id.0, name.as_deref(), kind)
            .await
            .map_err(EngineError::from_storage_on("name"))?;
        let after = json!({"name": name.as_deref().map(str::trim).unwrap_or(&district.name),
                           "kind": kind.unwrap_or(district.kind).as_str()});
        let mut row = audit_row(
            actor,
            EventKind::DistrictUpdated,
            "District",
            id.0,
            target,
            after.clone(),
        );
        row.before = Some(json!({"name": district.name, "kind": district.kind.as_str()}));
        audit::append(&txn, row, now).await?;
        emit(
            self,
            &txn,
            EventKind::DistrictUpdated,
            Subject::new("District", id.0, target),
            after,
        )
        .await?;
        self.commit_events(txn).await?;
        one_of(
            self.reader(actor).districts_by_ids(&[id]),
            not_found("district"),
        )
        .await
    }

    /// Renames an OPD (name, short name, head's title): the admin or the
    /// district's coordinator.
    pub async fn rename_opd(
        &self,
        actor: &Actor,
        id: OpdId,
        rename: Rename,
    ) -> Result<Opd, EngineError> {
        let (opd, district) = self.visible_opd(actor, id).await?;
        let target = Target::district(district.office_id, district.id);
        forbid(actor, operation("Opd")?, &target)?;
        rename.validate()?;
        if rename.name.is_none() && rename.short_name.is_none() && rename.head_title.is_none() {
            return Err(EngineError::invalid(
                "name",
                "give a new name, short name or head's title",
            ));
        }
        let now = self.now();
        let txn = pendamping_storage::begin_write(&self.db).await?;
        changes::rename_opd(&txn, id.0, &rename)
            .await
            .map_err(EngineError::from_storage_on("name"))?;
        let after = json!({"name": rename.name.as_deref().map(str::trim).unwrap_or(&opd.name),
                           "shortName": rename.short_name.as_deref().map(str::trim).or(opd.short_name.as_deref()),
                           "headTitle": rename.head_title.as_deref().map(str::trim).or(opd.head_title.as_deref())});
        let opd_target = Target::opd(district.office_id, district.id, id);
        let mut row = audit_row(
            actor,
            EventKind::OpdRenamed,
            "Opd",
            id.0,
            opd_target,
            after.clone(),
        );
        row.before = Some(
            json!({"name": opd.name, "shortName": opd.short_name, "headTitle": opd.head_title}),
        );
        audit::append(&txn, row, now).await?;
        emit(
            self,
            &txn,
            EventKind::OpdRenamed,
            Subject::new("Opd", id.0, opd_target),
            after,
        )
        .await?;
        self.commit_events(txn).await?;
        Ok(self.visible_opd(actor, id).await?.0)
    }

    /// Deactivates (`active = false`) or reactivates an OPD: the admin or the
    /// district's coordinator. An OPD with open action items is not
    /// deactivated: record a reorganisation to move them, or finish them first.
    pub async fn set_opd_active(
        &self,
        actor: &Actor,
        id: OpdId,
        active: bool,
        reason: &str,
    ) -> Result<Opd, EngineError> {
        let (opd, district) = self.visible_opd(actor, id).await?;
        let target = Target::district(district.office_id, district.id);
        forbid(actor, operation("Opd")?, &target)?;
        let mut v = pendamping_domain::validation::Validation::new();
        v.text("reason", reason, 2000);
        v.finish()?;
        if opd.active == active {
            return Err(EngineError::InvalidTransition(format!(
                "the OPD is {} already",
                if active { "active" } else { "inactive" }
            )));
        }
        if !active
            && !changes::open_items_of_opds(&self.db, &[id.0])
                .await?
                .is_empty()
        {
            return Err(EngineError::invalid(
                "id",
                "the OPD still has open action items: record a reorganisation to move them to its successor, or close them first",
            ));
        }
        let now = self.now();
        let txn = pendamping_storage::begin_write(&self.db).await?;
        changes::set_opds_active(&txn, &[id.0], active, now).await?;
        let kind = if active {
            EventKind::OpdReactivated
        } else {
            EventKind::OpdDeactivated
        };
        let after = json!({"active": active});
        let opd_target = Target::opd(district.office_id, district.id, id);
        let mut row = audit_row(actor, kind, "Opd", id.0, opd_target, after.clone());
        row.before = Some(json!({"active": opd.active}));
        row.reason = Some(reason.trim().to_owned());
        audit::append(&txn, row, now).await?;
        emit(
            self,
            &txn,
            kind,
            Subject::new("Opd", id.0, opd_target),
            json!({"active": active, "reason": reason.trim()}),
        )
        .await?;
        self.commit_events(txn).await?;
        Ok(self.visible_opd(actor, id).await?.0)
    }

    /// Records a reorganisation of a district's OPDs (the admin or the
    /// district's coordinator). The predecessors are deactivated and keep
    /// their history and scores; their open action items move to the successor
    /// (the only one, or `open_items_to`), each with its own audit entry and
    /// event, and the successor joins those items' agreements.
    pub async fn record_reorganisation(
        &self,
        actor: &Actor,
        new: NewReorganisation,
    ) -> Result<Reorganisation, EngineError> {
        let reader = self.reader(actor);
        let all: Vec<OpdId> = new
            .predecessor_ids
            .iter()
            .chain(&new.successor_ids)
            .copied()
            .collect();
        let found = reader.opds_by_ids(&all).await?;
        let first = found
            .first()
            .ok_or_else(|| EngineError::invalid("predecessorIds", "no such OPD"))?;
        let district = one_of(reader.districts_by_ids(&[first.district_id]), || {
            EngineError::invalid("predecessorIds", "no such OPD")
        })
        .await?;
        let target = Target::district(district.office_id, district.id);
        forbid(actor, operation("Opd")?, &target)?;
        new.validate()?;
        for (field, ids) in [
            ("predecessorIds", &new.predecessor_ids),
            ("successorIds", &new.successor_ids),
        ] {
            for id in ids {
                let Some(opd) = found.iter().find(|o| o.id == *id) else {
                    return Err(EngineError::invalid(field, "no such OPD"));
                };
                if opd.district_id != district.id {
                    return Err(EngineError::invalid(
                        field,
                        "every OPD of a reorganisation must belong to one district",
                    ));
                }
                if !opd.active {
                    return Err(EngineError::invalid(
                        field,
                        format!("{} is inactive already", opd.name),
                    ));
                }
            }
        }
        let predecessors: Vec<i64> = new.predecessor_ids.iter().map(|o| o.0).collect();
        let open = changes::open_items_of_opds(&self.db, &predecessors).await?;
        let to = new.items_go_to();
        if !open.is_empty() && to.is_none() {
            return Err(EngineError::invalid(
                "openItemsTo",
                format!(
                    "is required: the OPDs reorganised have {} open action items; name the successor that takes them",
                    open.len()
                ),
            ));
        }
        let now = self.now();
        let txn = pendamping_storage::begin_write(&self.db).await?;
        let reorganisation =
            changes::insert_reorganisation(&txn, district.id, &new, actor.user_id, now).await?;
        changes::set_opds_active(&txn, &predecessors, false, now).await?;
        let after = json!({
            "kind": new.kind.as_str(),
            "effectiveOn": new.effective_on.to_string(),
            "predecessorIds": predecessors,
            "successorIds": new.successor_ids.iter().map(|o| o.0).collect::<Vec<_>>(),
            "openItemsMoved": open.len(),
            "openItemsTo": to.map(|o| o.0),
        });
        let mut row = audit_row(
            actor,
            EventKind::OpdsReorganised,
            "Reorganisation",
            reorganisation.id.0,
            target,
            after.clone(),
        );
        row.reason = Some(new.reason.trim().to_owned());
        audit::append(&txn, row, now).await?;
        emit(
            self,
            &txn,
            EventKind::OpdsReorganised,
            Subject::new("Reorganisation", reorganisation.id.0, target),
            after,
        )
        .await?;
        if let Some(to) = to {
            let ids: Vec<_> = open.iter().map(|i| i.id).collect();
            changes::move_items(&txn, &ids, to, now).await?;
            let mut agreements: Vec<i64> = open.iter().map(|i| i.agreement_id.0).collect();
            agreements.sort_unstable();
            agreements.dedup();
            for agreement in agreements {
                changes::add_agreement_opds(&txn, agreement, &[to.0]).await?;
            }
            for item in &open {
                let item_target = Target::opd(district.office_id, district.id, to);
                let moved = json!({"fromOpdId": item.opd_id.0, "toOpdId": to.0,
                                   "reorganisationId": reorganisation.id.0});
                let mut row = audit_row(
                    actor,
                    EventKind::ActionItemMoved,
                    "ActionItem",
                    item.id.0,
                    item_target,
                    moved.clone(),
                );
                row.before = Some(
                    json!({"opdId": item.opd_id.0, "assignee": item.assignee_id.map(|u| u.0),
                                         "version": item.version}),
                );
                audit::append(&txn, row, now).await?;
                emit(
                    self,
                    &txn,
                    EventKind::ActionItemMoved,
                    Subject::new("ActionItem", item.id.0, item_target)
                        .in_agreement(item.agreement_id.0),
                    moved,
                )
                .await?;
                // Reminders that went to the old OPD's officers no longer hold.
                crate::deadlines::withdraw_changed(
                    &txn,
                    pendamping_domain::deadline::DeadlineObject::ActionItem(item.id),
                    now,
                )
                .await?;
            }
        }
        self.commit_events(txn).await?;
        Ok(reorganisation)
    }
}
