//! Reference data that changes and the rules of mentoring work (issue 14):
//! renaming offices, districts and OPDs, a district's kind, deactivating and
//! reactivating an OPD, recording a reorganisation (*penggabungan/pemecahan
//! OPD*), and extending an action item's due date.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use pendamping_domain::action_item as ai;
use pendamping_domain::reference as d;
use pendamping_engine::{ActionInput, Changed, EngineError};

use crate::context::{actor, request};
use crate::error::{Outcome, UserError, change_with, gql};
use crate::id::{Kind, input_id};
use crate::loaders::Batch;
use crate::scalars::{Date, DateTime};
use crate::types::enums::{DistrictKind, ReorganisationKind};
use crate::types::reference::{District, Office, Opd};
use crate::types::user::User;
use crate::types::work::ActionItem;
use crate::workflow::ActionItemPayload;

fn opd_ids(field: &str, ids: &[ID]) -> Result<Vec<d::OpdId>, EngineError> {
    ids.iter()
        .map(|id| input_id(field, Kind::Opd, id).map(d::OpdId))
        .collect()
}

// ---- output types ----------------------------------------------------------

/// One extension of an action item's due date, with its reason.
pub struct DueDateChange(pub ai::DueDateChange);

/// One extension of an action item's due date, kept in its history like a milestone's reschedules.
#[Object]
impl DueDateChange {
    /// The due date before.
    async fn old_date(&self) -> Date {
        Date(self.0.old_date)
    }
    /// The due date after.
    async fn new_date(&self) -> Date {
        Date(self.0.new_date)
    }
    /// Days the due date moved.
    async fn slip_days(&self) -> i32 {
        i32::try_from(self.0.slip_days()).unwrap_or(i32::MAX)
    }
    /// Why more time was given.
    async fn reason(&self) -> &str {
        &self.0.reason
    }
    /// Who gave it.
    async fn changed_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        crate::types::user::load_user(ctx, self.0.changed_by).await
    }
    /// When the change was recorded.
    async fn changed_at(&self) -> DateTime {
        DateTime(self.0.changed_at)
    }
}

/// A recorded reorganisation of a district's OPDs.
pub struct Reorganisation(pub d::Reorganisation);

/// A reorganisation (*penggabungan/pemecahan OPD*): which OPDs went into which, from when.
#[Object]
impl Reorganisation {
    /// Merger or split.
    async fn kind(&self) -> ReorganisationKind {
        self.0.kind.into()
    }
    /// The date it takes effect (e.g. of the *Perda* on the organisation of the OPDs).
    async fn effective_on(&self) -> Date {
        Date(self.0.effective_on)
    }
    /// Why, or on what legal basis.
    async fn reason(&self) -> &str {
        &self.0.reason
    }
    /// The OPDs reorganised (now inactive; their history and scores stay with them).
    async fn predecessors(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Opd>> {
        opds(ctx, &self.0.predecessor_ids).await
    }
    /// The OPDs that carry on their work.
    async fn successors(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Opd>> {
        opds(ctx, &self.0.successor_ids).await
    }
    /// When it was recorded.
    async fn recorded_at(&self) -> DateTime {
        DateTime(self.0.recorded_at)
    }
}

async fn opds(ctx: &Context<'_>, ids: &[d::OpdId]) -> async_graphql::Result<Vec<Opd>> {
    let found = crate::context::batch(ctx)?
        .load_many(ids.iter().copied())
        .await?;
    Ok(ids
        .iter()
        .filter_map(|id| found.get(id).cloned().map(Opd))
        .collect())
}

// ---- loaders ---------------------------------------------------------------

/// The due-date extensions of one action item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DueDateChangesOf(pub i64);

impl Loader<DueDateChangesOf> for Batch {
    type Value = Vec<ai::DueDateChange>;
    type Error = async_graphql::Error;

    async fn load(
        &self,
        keys: &[DueDateChangesOf],
    ) -> Result<HashMap<DueDateChangesOf, Self::Value>, Self::Error> {
        let ids: Vec<ai::ActionItemId> = keys.iter().map(|k| ai::ActionItemId(k.0)).collect();
        let mut lists = self
            .reader
            .due_date_changes_of_items(&ids)
            .await
            .map_err(gql)?;
        Ok(ids
            .into_iter()
            .map(|id| {
                (
                    DueDateChangesOf(id.0),
                    lists.remove(&id).unwrap_or_default(),
                )
            })
            .collect())
    }
}

/// The OPDs one OPD came from (`predecessors`) or went into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SuccessionOf {
    pub opd: i64,
    pub predecessors: bool,
}

impl Loader<SuccessionOf> for Batch {
    type Value = Vec<d::Opd>;
    type Error = async_graphql::Error;

    async fn load(
        &self,
        keys: &[SuccessionOf],
    ) -> Result<HashMap<SuccessionOf, Self::Value>, Self::Error> {
        let mut found = HashMap::new();
        for predecessors in [true, false] {
            let ids: Vec<d::OpdId> = keys
                .iter()
                .filter(|k| k.predecessors == predecessors)
                .map(|k| d::OpdId(k.opd))
                .collect();
            if ids.is_empty() {
                continue;
            }
            let mut lists = self
                .reader
                .opd_successions(&ids, predecessors)
                .await
                .map_err(gql)?;
            for opd in ids {
                found.insert(
                    SuccessionOf {
                        opd: opd.0,
                        predecessors,
                    },
                    lists.remove(&opd).unwrap_or_default(),
                );
            }
        }
        Ok(found)
    }
}

// ---- inputs and payloads -----------------------------------------------------

/// A new name for an Ombudsman office.
#[derive(InputObject)]
pub struct RenameOfficeInput {
    /// The office.
    pub id: ID,
    /// The new full name.
    pub name: String,
}

/// The result of `renameOffice`.
#[derive(SimpleObject)]
pub struct OfficePayload {
    /// The office after the change.
    pub office: Option<Office>,
    /// Why it was not changed, if it was not.
    pub user_errors: Vec<UserError>,
}

/// A district's new name and/or kind; fields left out stay.
#[derive(InputObject)]
pub struct UpdateDistrictInput {
    /// The district.
    pub id: ID,
    /// The new name; unique.
    pub name: Option<String>,
    /// Province, regency or city (rankings are per kind).
    pub kind: Option<DistrictKind>,
}

/// The result of `updateDistrict`.
#[derive(SimpleObject)]
pub struct DistrictPayload {
    /// The district after the change.
    pub district: Option<District>,
    /// Why it was not changed, if it was not.
    pub user_errors: Vec<UserError>,
}

/// An OPD's new name, short name or head's title; fields left out stay.
#[derive(InputObject)]
pub struct UpdateOpdInput {
    /// The OPD.
    pub id: ID,
    /// The new full name; unique within the district.
    pub name: Option<String>,
    /// The new short name.
    pub short_name: Option<String>,
    /// The new head's title (not a personal name).
    pub head_title: Option<String>,
}

/// Deactivating or reactivating an OPD.
#[derive(InputObject)]
pub struct SetOpdActiveInput {
    /// The OPD.
    pub id: ID,
    /// Why (e.g. the regulation that dissolved or restored it).
    pub reason: String,
}

/// The result of an OPD change.
#[derive(SimpleObject)]
pub struct OpdPayload {
    /// The OPD after the change.
    pub opd: Option<Opd>,
    /// Why it was not changed, if it was not.
    pub user_errors: Vec<UserError>,
}

/// A reorganisation of a district's OPDs: merged (A and B into C, or B absorbed by C) or split (A into B and C).
#[derive(InputObject)]
pub struct RecordReorganisationInput {
    /// Merger or split.
    pub kind: ReorganisationKind,
    /// The OPDs reorganised; they are deactivated and keep their history and scores.
    pub predecessor_ids: Vec<ID>,
    /// The OPDs that carry on (create a new one with `createOpd` first).
    pub successor_ids: Vec<ID>,
    /// The date it takes effect.
    pub effective_on: Date,
    /// Why, or on what legal basis (e.g. the *Perda* number).
    pub reason: String,
    /// The successor that takes the predecessors' open action items; required
    /// when there are several successors and open items.
    pub open_items_to: Option<ID>,
}

/// The result of `recordReorganisation`.
#[derive(SimpleObject)]
pub struct RecordReorganisationPayload {
    /// The recorded reorganisation.
    pub reorganisation: Option<Reorganisation>,
    /// Why it was not recorded, if it was not.
    pub user_errors: Vec<UserError>,
}

/// More time for an action item, with a reason; the old date stays in its `dueDateChanges`.
#[derive(InputObject)]
pub struct ExtendActionItemDueDateInput {
    /// The action item.
    pub id: ID,
    /// The version you read; a stale one is refused with `CONFLICT`.
    pub version: i32,
    /// The new due date: later than the current one.
    pub new_date: Date,
    /// Why more time is given.
    pub reason: String,
}

// ---- mutations ---------------------------------------------------------------

/// Reference-data changes and due-date extensions, merged into the root `Mutation`.
#[derive(Default)]
pub struct WorkRulesMutation;

#[Object]
impl WorkRulesMutation {
    /// Renames an Ombudsman office (system admins).
    async fn rename_office(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The office and its new name.")] input: RenameOfficeInput,
    ) -> async_graphql::Result<OfficePayload> {
        let actor = actor(ctx)?;
        let engine = &request(ctx)?.engine;
        let result = change_with(input_id("id", Kind::Office, &input.id), |id| {
            engine.rename_office(actor, d::OfficeId(id), &input.name)
        })
        .await;
        let (office, user_errors) = result.map(Office).outcome()?;
        Ok(OfficePayload {
            office,
            user_errors,
        })
    }

    /// Renames a district or changes its kind (system admins).
    async fn update_district(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The district and what changes.")] input: UpdateDistrictInput,
    ) -> async_graphql::Result<DistrictPayload> {
        let actor = actor(ctx)?;
        let engine = &request(ctx)?.engine;
        let result = change_with(input_id("id", Kind::District, &input.id), |id| {
            engine.update_district(
                actor,
                d::DistrictId(id),
                input.name,
                input.kind.map(Into::into),
            )
        })
        .await;
        let (district, user_errors) = result.map(District).outcome()?;
        Ok(DistrictPayload {
            district,
            user_errors,
        })
    }

    /// Renames an OPD (system admins, and the district's coordinator).
    async fn update_opd(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The OPD and what changes.")] input: UpdateOpdInput,
    ) -> async_graphql::Result<OpdPayload> {
        let actor = actor(ctx)?;
        let engine = &request(ctx)?.engine;
        let result = change_with(input_id("id", Kind::Opd, &input.id), |id| {
            engine.rename_opd(
                actor,
                d::OpdId(id),
                d::Rename {
                    name: input.name,
                    short_name: input.short_name,
                    head_title: input.head_title,
                },
            )
        })
        .await;
        let (opd, user_errors) = result.map(Opd).outcome()?;
        Ok(OpdPayload { opd, user_errors })
    }

    /// Deactivates an OPD that has no open action items (system admins, and the district's coordinator).
    async fn deactivate_opd(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The OPD and the reason.")] input: SetOpdActiveInput,
    ) -> async_graphql::Result<OpdPayload> {
        set_active(ctx, input, false).await
    }

    /// Reactivates an inactive OPD (system admins, and the district's coordinator).
    async fn reactivate_opd(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The OPD and the reason.")] input: SetOpdActiveInput,
    ) -> async_graphql::Result<OpdPayload> {
        set_active(ctx, input, true).await
    }

    /// Records a merger or split of a district's OPDs; open action items move
    /// to the successor, past scores stay with the predecessors (system admins,
    /// and the district's coordinator).
    async fn record_reorganisation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The reorganisation.")] input: RecordReorganisationInput,
    ) -> async_graphql::Result<RecordReorganisationPayload> {
        let actor = actor(ctx)?;
        let engine = &request(ctx)?.engine;
        let result = async {
            let new = d::NewReorganisation {
                kind: input.kind.into(),
                predecessor_ids: opd_ids("predecessorIds", &input.predecessor_ids)?,
                successor_ids: opd_ids("successorIds", &input.successor_ids)?,
                effective_on: input.effective_on.0,
                reason: input.reason,
                open_items_to: input
                    .open_items_to
                    .as_ref()
                    .map(|id| input_id("openItemsTo", Kind::Opd, id).map(d::OpdId))
                    .transpose()?,
            };
            engine.record_reorganisation(actor, new).await
        }
        .await;
        let (reorganisation, user_errors) = result.map(Reorganisation).outcome()?;
        Ok(RecordReorganisationPayload {
            reorganisation,
            user_errors,
        })
    }

    /// Gives an action item more time while it is the OPD's move (OPEN,
    /// IN_PROGRESS, REJECTED), with a reason (assessors).
    async fn extend_action_item_due_date(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The action item, the new due date and the reason.")]
        input: ExtendActionItemDueDateInput,
    ) -> async_graphql::Result<ActionItemPayload> {
        let actor = actor(ctx)?;
        let engine = &request(ctx)?.engine;
        let result = change_with(input_id("id", Kind::ActionItem, &input.id), |id| {
            engine.take_action(
                actor,
                pendamping_domain::action_item::ActionItemId(id),
                pendamping_domain::lifecycle::ActionItemAction::ExtendDueDate,
                ActionInput {
                    version: input.version,
                    new_date: Some(input.new_date.0),
                    reason: Some(input.reason),
                    ..ActionInput::default()
                },
            )
        })
        .await;
        let (changed, user_errors) = result.outcome()?;
        Ok(ActionItemPayload {
            action_item: match changed {
                Some(Changed::ActionItem(item)) => Some(ActionItem(item)),
                _ => None,
            },
            user_errors,
        })
    }
}

async fn set_active(
    ctx: &Context<'_>,
    input: SetOpdActiveInput,
    active: bool,
) -> async_graphql::Result<OpdPayload> {
    let actor = actor(ctx)?;
    let engine = &request(ctx)?.engine;
    let result = change_with(input_id("id", Kind::Opd, &input.id), |id| {
        engine.set_opd_active(actor, d::OpdId(id), active, &input.reason)
    })
    .await;
    let (opd, user_errors) = result.map(Opd).outcome()?;
    Ok(OpdPayload { opd, user_errors })
}
