//! Milestones of agreements: lists, their OPDs and reschedules, new ones and changes.

use super::*;

fn milestone_order() -> ListOrder<milestones::Column> {
    ListOrder::by(milestones::Column::PlannedOn, milestones::Column::Id)
}

fn milestone_key(m: &milestones::Model) -> CursorKey {
    CursorKey {
        sort: SortValue::Date(m.planned_on),
        id: m.id,
    }
}

pub async fn milestones_by_ids(
    db: &impl ConnectionTrait,
    reach: &Reach,
    ids: &[i64],
) -> Result<Vec<Milestone>, StorageError> {
    let within = reach::via_agreement(reach, milestones::Column::AgreementId);
    by_ids::<milestones::Entity, _>(db, milestones::Column::Id, ids, within, convert::milestone)
        .await
}

fn milestones_of(reach: &Reach, agreement_ids: &[i64]) -> sea_orm::Select<milestones::Entity> {
    milestones::Entity::find()
        .filter(milestones::Column::AgreementId.is_in(agreement_ids.iter().copied()))
        .filter(reach::via_agreement(reach, milestones::Column::AgreementId))
}

/// One page of milestones (by planned date) for each agreement, in one statement.
pub async fn milestones_of_agreements(
    db: &impl ConnectionTrait,
    reach: &Reach,
    agreement_ids: &[i64],
    request: &PageRequest,
) -> Result<HashMap<i64, Page<Milestone>>, StorageError> {
    let pages = page::paginate_per_parent(
        db,
        milestones_of(reach, agreement_ids),
        (milestones::Column::AgreementId, None),
        |m| m.agreement_id,
        milestone_order(),
        milestone_key,
        request,
    )
    .await?;
    pages
        .into_iter()
        .map(|(parent, page)| Ok((parent, page.try_map(convert::milestone)?)))
        .collect()
}

pub async fn count_milestones_of_agreements(
    db: &impl ConnectionTrait,
    reach: &Reach,
    agreement_ids: &[i64],
) -> Result<HashMap<i64, u64>, StorageError> {
    page::count_per_parent(
        db,
        milestones_of(reach, agreement_ids),
        milestones::Column::AgreementId,
    )
    .await
}

pub async fn opd_ids_of_milestones(
    db: &impl ConnectionTrait,
    milestone_ids: &[i64],
) -> Result<HashMap<i64, Vec<i64>>, StorageError> {
    children_of::<milestone_opds::Entity, _>(
        db,
        milestone_opds::Column::MilestoneId,
        milestone_ids,
        milestone_opds::Column::OpdId,
        |row| Ok((row.milestone_id, row.opd_id)),
    )
    .await
}

/// The slip history of each milestone, oldest first.
pub async fn reschedules_of_milestones(
    db: &impl ConnectionTrait,
    milestone_ids: &[i64],
) -> Result<HashMap<i64, Vec<Reschedule>>, StorageError> {
    children_of::<milestone_reschedules::Entity, _>(
        db,
        milestone_reschedules::Column::MilestoneId,
        milestone_ids,
        milestone_reschedules::Column::Id,
        |row| Ok((row.milestone_id, convert::reschedule(row)?)),
    )
    .await
}

/// A new milestone row.
#[derive(Debug, Clone)]
pub struct MilestoneRow {
    pub agreement_id: i64,
    pub kind: MilestoneKind,
    pub title: String,
    pub planned_on: NaiveDate,
    pub actual_on: Option<NaiveDate>,
    pub location: Option<String>,
    pub outcome_notes: Option<String>,
    pub status: MilestoneStatus,
    pub cancellation_reason: Option<String>,
}

pub async fn insert_milestone(
    db: &impl ConnectionTrait,
    row: MilestoneRow,
    opd_ids: &[i64],
    now: DateTime<Utc>,
) -> Result<Milestone, StorageError> {
    let model = milestones::ActiveModel {
        agreement_id: Set(row.agreement_id),
        kind: Set(row.kind.as_str().to_owned()),
        title: Set(row.title),
        planned_on: Set(row.planned_on),
        actual_on: Set(row.actual_on),
        location: Set(row.location),
        outcome_notes: Set(row.outcome_notes),
        status: Set(row.status.as_str().to_owned()),
        cancellation_reason: Set(row.cancellation_reason),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    if !opd_ids.is_empty() {
        milestone_opds::Entity::insert_many(opd_ids.iter().map(|opd| {
            milestone_opds::ActiveModel {
                milestone_id: Set(model.id),
                opd_id: Set(*opd),
            }
        }))
        .exec(db)
        .await?;
    }
    convert::milestone(model)
}

pub async fn insert_reschedule(
    db: &impl ConnectionTrait,
    reschedule: &Reschedule,
) -> Result<(), StorageError> {
    milestone_reschedules::ActiveModel {
        milestone_id: Set(reschedule.milestone_id.0),
        old_date: Set(reschedule.old_date),
        new_date: Set(reschedule.new_date),
        reason: Set(reschedule.reason.clone()),
        rescheduled_by: Set(reschedule.rescheduled_by.map(|u| u.0)),
        rescheduled_at: Set(reschedule.rescheduled_at),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// A change to a milestone. `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct MilestonePatch {
    pub status: Option<MilestoneStatus>,
    pub planned_on: Option<NaiveDate>,
    pub actual_on: Option<NaiveDate>,
    pub outcome_notes: Option<String>,
    pub cancellation_reason: Option<String>,
}

/// As [`update_agreement`], for a milestone.
pub async fn update_milestone(
    db: &impl ConnectionTrait,
    id: i64,
    version: i32,
    patch: MilestonePatch,
    now: DateTime<Utc>,
) -> Result<bool, StorageError> {
    use milestones::Column as C;
    use sea_orm::sea_query::{Expr, ExprTrait};
    let mut update = milestones::Entity::update_many()
        .col_expr(C::Version, Expr::col(C::Version).add(1))
        .col_expr(C::UpdatedAt, Expr::value(now));
    if let Some(v) = patch.status {
        update = update.col_expr(C::Status, Expr::value(v.as_str()));
    }
    if let Some(v) = patch.planned_on {
        update = update.col_expr(C::PlannedOn, Expr::value(v));
    }
    if let Some(v) = patch.actual_on {
        update = update.col_expr(C::ActualOn, Expr::value(v));
    }
    if let Some(v) = patch.outcome_notes {
        update = update.col_expr(C::OutcomeNotes, Expr::value(v));
    }
    if let Some(v) = patch.cancellation_reason {
        update = update.col_expr(C::CancellationReason, Expr::value(v));
    }
    updated_one(
        db,
        update.filter(C::Id.eq(id)).filter(C::Version.eq(version)),
    )
    .await
}

/// Whether every milestone of an agreement is done or cancelled.
pub async fn all_milestones_closed(
    db: &impl ConnectionTrait,
    agreement_id: i64,
) -> Result<bool, StorageError> {
    let open = milestones::Entity::find()
        .filter(milestones::Column::AgreementId.eq(agreement_id))
        .filter(milestones::Column::Status.is_in(statuses::open_milestones()))
        .one(db)
        .await?;
    Ok(open.is_none())
}

/// Milestones still planned or in progress, per agreement, in one grouped statement.
pub async fn open_milestones_of(
    db: &impl ConnectionTrait,
    reach: &Reach,
    agreement_ids: &[i64],
) -> Result<HashMap<i64, u64>, StorageError> {
    let select = milestones_of(reach, agreement_ids)
        .filter(milestones::Column::Status.is_in(statuses::open_milestones()));
    page::count_per_parent(db, select, milestones::Column::AgreementId).await
}
