//! Changes to reference data and the rules of mentoring work: renaming,
//! deactivating and reorganising OPDs (*penggabungan/pemecahan*), draft and
//! amendment changes to an agreement's scope, and due-date extensions.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use pendamping_domain::action_item::{ActionItem, ActionItemId, DueDateChange};
use pendamping_domain::identity::UserId;
use pendamping_domain::reference::{
    DistrictId, DistrictKind, NewReorganisation, OpdId, Rename, Reorganisation, ReorganisationId,
};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

use crate::StorageError;
use crate::convert;
use crate::db::updated_one;
use crate::entity::{
    action_item_due_changes, action_items, agreement_amendments, agreement_opds, agreements,
    districts, milestones, offices, opd_reorganisations, opd_successions, opds,
};
use crate::group::children_of;
use crate::statuses;

// ---- reference data -------------------------------------------------------

/// Renames an office; `false` when there is no such office.
pub async fn rename_office(
    db: &impl ConnectionTrait,
    id: i64,
    name: &str,
) -> Result<bool, StorageError> {
    updated_one(
        db,
        offices::Entity::update_many()
            .col_expr(offices::Column::Name, Expr::value(name.trim()))
            .filter(offices::Column::Id.eq(id)),
    )
    .await
}

/// Renames a district and/or changes its kind; `false` when there is no such district.
pub async fn update_district(
    db: &impl ConnectionTrait,
    id: i64,
    name: Option<&str>,
    kind: Option<DistrictKind>,
) -> Result<bool, StorageError> {
    let mut update = districts::Entity::update_many();
    if let Some(name) = name {
        update = update.col_expr(districts::Column::Name, Expr::value(name.trim()));
    }
    if let Some(kind) = kind {
        update = update.col_expr(districts::Column::Kind, Expr::value(kind.as_str()));
    }
    updated_one(
        db,
        update
            .col_expr(districts::Column::Id, Expr::col(districts::Column::Id))
            .filter(districts::Column::Id.eq(id)),
    )
    .await
}

/// Renames an OPD (name, short name, head's title; `None` keeps each).
pub async fn rename_opd(
    db: &impl ConnectionTrait,
    id: i64,
    rename: &Rename,
) -> Result<bool, StorageError> {
    let trim = |v: &Option<String>| v.as_ref().map(|s| s.trim().to_owned());
    let mut update =
        opds::Entity::update_many().col_expr(opds::Column::Id, Expr::col(opds::Column::Id));
    if let Some(name) = trim(&rename.name) {
        update = update.col_expr(opds::Column::Name, Expr::value(name));
    }
    if let Some(short) = trim(&rename.short_name) {
        update = update.col_expr(opds::Column::ShortName, Expr::value(short));
    }
    if let Some(head) = trim(&rename.head_title) {
        update = update.col_expr(opds::Column::HeadTitle, Expr::value(head));
    }
    updated_one(db, update.filter(opds::Column::Id.eq(id))).await
}

/// Deactivates (or reactivates) OPDs; returns how many changed state.
pub async fn set_opds_active(
    db: &impl ConnectionTrait,
    ids: &[i64],
    active: bool,
    now: DateTime<Utc>,
) -> Result<u64, StorageError> {
    let result = opds::Entity::update_many()
        .col_expr(opds::Column::Active, Expr::value(active))
        .col_expr(
            opds::Column::DeactivatedAt,
            Expr::value(if active { None } else { Some(now) }),
        )
        .filter(opds::Column::Id.is_in(ids.iter().copied()))
        .filter(opds::Column::Active.eq(!active))
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}

/// Records a reorganisation and its predecessor → successor links.
pub async fn insert_reorganisation(
    db: &impl ConnectionTrait,
    district_id: DistrictId,
    new: &NewReorganisation,
    recorded_by: Option<UserId>,
    now: DateTime<Utc>,
) -> Result<Reorganisation, StorageError> {
    let model = opd_reorganisations::ActiveModel {
        district_id: Set(district_id.0),
        kind: Set(new.kind.as_str().to_owned()),
        effective_on: Set(new.effective_on),
        reason: Set(new.reason.trim().to_owned()),
        recorded_by: Set(recorded_by.map(|u| u.0)),
        recorded_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let links: Vec<opd_successions::ActiveModel> = new
        .predecessor_ids
        .iter()
        .flat_map(|p| {
            new.successor_ids
                .iter()
                .map(move |s| opd_successions::ActiveModel {
                    reorganisation_id: Set(model.id),
                    predecessor_id: Set(p.0),
                    successor_id: Set(s.0),
                    ..Default::default()
                })
        })
        .collect();
    opd_successions::Entity::insert_many(links).exec(db).await?;
    Ok(Reorganisation {
        id: ReorganisationId(model.id),
        district_id,
        kind: new.kind,
        effective_on: model.effective_on,
        reason: model.reason,
        predecessor_ids: new.predecessor_ids.clone(),
        successor_ids: new.successor_ids.clone(),
        recorded_by,
        recorded_at: model.recorded_at,
    })
}

/// For each OPD of `opd_ids`: the OPDs it came from (`predecessors = true`)
/// or went into, oldest reorganisation first.
pub async fn successions_of(
    db: &impl ConnectionTrait,
    opd_ids: &[i64],
    predecessors: bool,
) -> Result<HashMap<i64, Vec<i64>>, StorageError> {
    let this = if predecessors {
        opd_successions::Column::SuccessorId
    } else {
        opd_successions::Column::PredecessorId
    };
    children_of::<opd_successions::Entity, _>(
        db,
        this,
        opd_ids,
        opd_successions::Column::Id,
        |row| {
            Ok(if predecessors {
                (row.successor_id, row.predecessor_id)
            } else {
                (row.predecessor_id, row.successor_id)
            })
        },
    )
    .await
}

/// The open work (not verified, not cancelled) of the given OPDs, oldest first.
pub async fn open_items_of_opds(
    db: &impl ConnectionTrait,
    opd_ids: &[i64],
) -> Result<Vec<ActionItem>, StorageError> {
    action_items::Entity::find()
        .filter(action_items::Column::OpdId.is_in(opd_ids.iter().copied()))
        .filter(action_items::Column::Status.is_in(statuses::open_work()))
        .order_by_asc(action_items::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(convert::action_item)
        .collect()
}

/// Moves action items to another OPD of the same district: the assignee (an
/// officer of the old OPD) is cleared, and the version moves on.
pub async fn move_items(
    db: &impl ConnectionTrait,
    item_ids: &[ActionItemId],
    to: OpdId,
    now: DateTime<Utc>,
) -> Result<u64, StorageError> {
    use action_items::Column as C;
    if item_ids.is_empty() {
        return Ok(0);
    }
    let result = action_items::Entity::update_many()
        .col_expr(C::OpdId, Expr::value(to.0))
        .col_expr(C::AssigneeId, Expr::value(Option::<i64>::None))
        .col_expr(C::Version, Expr::col(C::Version).add(1))
        .col_expr(C::UpdatedAt, Expr::value(now))
        .filter(C::Id.is_in(item_ids.iter().map(|i| i.0)))
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}

/// Brings OPDs into an agreement's scope (those already in it are left alone).
pub async fn add_agreement_opds(
    db: &impl ConnectionTrait,
    agreement_id: i64,
    opd_ids: &[i64],
) -> Result<(), StorageError> {
    let present: Vec<i64> = agreement_opds::Entity::find()
        .filter(agreement_opds::Column::AgreementId.eq(agreement_id))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.opd_id)
        .collect();
    let mut missing: Vec<i64> = opd_ids
        .iter()
        .copied()
        .filter(|o| !present.contains(o))
        .collect();
    missing.sort_unstable();
    missing.dedup();
    if !missing.is_empty() {
        agreement_opds::Entity::insert_many(missing.into_iter().map(|opd| {
            agreement_opds::ActiveModel {
                agreement_id: Set(agreement_id),
                opd_id: Set(opd),
            }
        }))
        .exec(db)
        .await?;
    }
    Ok(())
}

/// Takes OPDs out of an agreement's scope (and out of its milestones).
pub async fn remove_agreement_opds(
    db: &impl ConnectionTrait,
    agreement_id: i64,
    opd_ids: &[i64],
) -> Result<(), StorageError> {
    if opd_ids.is_empty() {
        return Ok(());
    }
    agreement_opds::Entity::delete_many()
        .filter(agreement_opds::Column::AgreementId.eq(agreement_id))
        .filter(agreement_opds::Column::OpdId.is_in(opd_ids.iter().copied()))
        .exec(db)
        .await?;
    let milestone_ids: Vec<i64> = milestones::Entity::find()
        .filter(milestones::Column::AgreementId.eq(agreement_id))
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.id)
        .collect();
    if !milestone_ids.is_empty() {
        crate::entity::milestone_opds::Entity::delete_many()
            .filter(crate::entity::milestone_opds::Column::MilestoneId.is_in(milestone_ids))
            .filter(crate::entity::milestone_opds::Column::OpdId.is_in(opd_ids.iter().copied()))
            .exec(db)
            .await?;
    }
    Ok(())
}

/// The OPDs among `opd_ids` that still have open work under the agreement.
pub async fn opds_with_open_items(
    db: &impl ConnectionTrait,
    agreement_id: i64,
    opd_ids: &[i64],
) -> Result<Vec<i64>, StorageError> {
    let mut found: Vec<i64> = action_items::Entity::find()
        .filter(action_items::Column::AgreementId.eq(agreement_id))
        .filter(action_items::Column::OpdId.is_in(opd_ids.iter().copied()))
        .filter(action_items::Column::Status.is_not_in(statuses::done()))
        .all(db)
        .await?
        .into_iter()
        .map(|i| i.opd_id)
        .collect();
    found.sort_unstable();
    found.dedup();
    Ok(found)
}

/// Stores what an amendment changed beyond its summary.
pub async fn set_amendment_changes(
    db: &impl ConnectionTrait,
    amendment_id: i64,
    terms: Option<&str>,
    added: &[i64],
    removed: &[i64],
) -> Result<(), StorageError> {
    let list = |ids: &[i64]| {
        (!ids.is_empty()).then(|| serde_json::to_string(ids).unwrap_or_else(|_| "[]".into()))
    };
    agreement_amendments::Entity::update_many()
        .col_expr(
            agreement_amendments::Column::Terms,
            Expr::value(terms.map(str::to_owned)),
        )
        .col_expr(
            agreement_amendments::Column::AddedOpdIds,
            Expr::value(list(added)),
        )
        .col_expr(
            agreement_amendments::Column::RemovedOpdIds,
            Expr::value(list(removed)),
        )
        .filter(agreement_amendments::Column::Id.eq(amendment_id))
        .exec(db)
        .await?;
    Ok(())
}

/// A draft's title (`None` keeps it) and period. The caller has already
/// checked and moved the draft's version in the same transaction.
pub async fn update_draft_terms(
    db: &impl ConnectionTrait,
    id: i64,
    title: Option<&str>,
    period: (NaiveDate, NaiveDate),
) -> Result<bool, StorageError> {
    use agreements::Column as C;
    let mut update = agreements::Entity::update_many()
        .col_expr(C::PeriodStart, Expr::value(period.0))
        .col_expr(C::PeriodEnd, Expr::value(period.1));
    if let Some(title) = title {
        update = update.col_expr(C::Title, Expr::value(title.trim()));
    }
    updated_one(
        db,
        update.filter(C::Id.eq(id)).filter(C::Status.eq("DRAFT")),
    )
    .await
}

/// Titles and dates of an agreement's open milestones planned outside `[start, end]`.
pub async fn milestones_outside(
    db: &impl ConnectionTrait,
    agreement_id: i64,
    start: NaiveDate,
    end: NaiveDate,
) -> Result<Vec<(String, NaiveDate)>, StorageError> {
    Ok(milestones::Entity::find()
        .filter(milestones::Column::AgreementId.eq(agreement_id))
        .filter(milestones::Column::Status.is_in(statuses::open_milestones()))
        .filter(
            milestones::Column::PlannedOn
                .lt(start)
                .or(milestones::Column::PlannedOn.gt(end)),
        )
        .order_by_asc(milestones::Column::PlannedOn)
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.title, m.planned_on))
        .collect())
}

// ---- due dates ------------------------------------------------------------

pub async fn insert_due_change(
    db: &impl ConnectionTrait,
    change: &DueDateChange,
) -> Result<(), StorageError> {
    action_item_due_changes::ActiveModel {
        action_item_id: Set(change.action_item_id.0),
        old_date: Set(change.old_date),
        new_date: Set(change.new_date),
        reason: Set(change.reason.clone()),
        changed_by: Set(change.changed_by.map(|u| u.0)),
        changed_at: Set(change.changed_at),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The due-date extensions of each action item, oldest first.
pub async fn due_changes_of_items(
    db: &impl ConnectionTrait,
    item_ids: &[i64],
) -> Result<HashMap<i64, Vec<DueDateChange>>, StorageError> {
    children_of::<action_item_due_changes::Entity, _>(
        db,
        action_item_due_changes::Column::ActionItemId,
        item_ids,
        action_item_due_changes::Column::Id,
        |row| {
            let change = DueDateChange {
                action_item_id: ActionItemId(row.action_item_id),
                old_date: row.old_date,
                new_date: row.new_date,
                reason: row.reason,
                changed_by: row.changed_by.map(UserId),
                changed_at: row.changed_at,
            };
            Ok((row.action_item_id, change))
        },
    )
    .await
}
