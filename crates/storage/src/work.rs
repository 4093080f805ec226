//! Agreements, milestones, action items and what hangs off them.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use pendamping_domain::action_item::{
    ActionItem, ActionItemStatus, Comment, Evidence, Priority, StandardComponent,
};
use pendamping_domain::agreement::{
    Agreement, AgreementStatus, Amendment, Milestone, MilestoneKind, MilestoneStatus, Reschedule,
};
use pendamping_domain::identity::Reach;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

use crate::StorageError;
use crate::convert;
use crate::entity::{
    action_items, agreement_amendments, agreement_opds, agreements, comments, districts, evidence,
    milestone_opds, milestone_reschedules, milestones,
};
use crate::page::{self, CursorKey, ListOrder, Page, PageRequest, SortValue};
use crate::reach;

fn id_key(id: i64) -> CursorKey {
    CursorKey {
        sort: SortValue::None,
        id,
    }
}

// ---- agreements ---------------------------------------------------------

/// Which agreements a list holds.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct AgreementFilter {
    pub office_id: Option<i64>,
    pub district_id: Option<i64>,
    pub statuses: Vec<AgreementStatus>,
}

fn agreement_select(
    reach: &Reach,
    filter: &AgreementFilter,
) -> sea_orm::Select<agreements::Entity> {
    let mut select = agreements::Entity::find().filter(reach::agreements(reach));
    if let Some(id) = filter.office_id {
        select = select.filter(agreements::Column::OfficeId.eq(id));
    }
    if let Some(id) = filter.district_id {
        select = select.filter(agreements::Column::DistrictId.eq(id));
    }
    if !filter.statuses.is_empty() {
        select = select
            .filter(agreements::Column::Status.is_in(filter.statuses.iter().map(|s| s.as_str())));
    }
    select
}

pub async fn list_agreements(
    db: &impl ConnectionTrait,
    reach: &Reach,
    filter: &AgreementFilter,
    request: &PageRequest,
) -> Result<Page<Agreement>, StorageError> {
    page::paginate(
        db,
        agreement_select(reach, filter),
        ListOrder::by_id(agreements::Column::Id),
        |m| id_key(m.id),
        request,
    )
    .await?
    .try_map(convert::agreement)
}

pub async fn count_agreements(
    db: &impl ConnectionTrait,
    reach: &Reach,
    filter: &AgreementFilter,
) -> Result<u64, StorageError> {
    page::count(db, agreement_select(reach, filter)).await
}

pub async fn agreements_by_ids(
    db: &impl ConnectionTrait,
    reach: &Reach,
    ids: &[i64],
) -> Result<Vec<Agreement>, StorageError> {
    agreements::Entity::find()
        .filter(agreements::Column::Id.is_in(ids.iter().copied()))
        .filter(reach::agreements(reach))
        .all(db)
        .await?
        .into_iter()
        .map(convert::agreement)
        .collect()
}

/// The time zone of each agreement's district, in one statement: the zone a
/// milestone's or agreement's dates are judged in.
pub async fn time_zones_of_agreements(
    db: &impl ConnectionTrait,
    reach: &Reach,
    ids: &[i64],
) -> Result<HashMap<i64, pendamping_domain::reference::TimeZone>, StorageError> {
    use sea_orm::QuerySelect;
    use sea_orm::sea_query::Expr;
    let rows: Vec<(i64, String)> = agreements::Entity::find()
        .select_only()
        .column(agreements::Column::Id)
        .expr_as(
            Expr::cust("(SELECT d.time_zone FROM districts d WHERE d.id = agreements.district_id)"),
            "time_zone",
        )
        .filter(agreements::Column::Id.is_in(ids.iter().copied()))
        .filter(reach::agreements(reach))
        .into_tuple()
        .all(db)
        .await?;
    rows.into_iter()
        .map(|(id, zone)| Ok((id, zone.parse()?)))
        .collect()
}

/// The OPD ids in scope of each agreement.
pub async fn opd_ids_of_agreements(
    db: &impl ConnectionTrait,
    agreement_ids: &[i64],
) -> Result<HashMap<i64, Vec<i64>>, StorageError> {
    let rows = agreement_opds::Entity::find()
        .filter(agreement_opds::Column::AgreementId.is_in(agreement_ids.iter().copied()))
        .order_by_asc(agreement_opds::Column::OpdId)
        .all(db)
        .await?;
    let mut map: HashMap<i64, Vec<i64>> = HashMap::new();
    for row in rows {
        map.entry(row.agreement_id).or_default().push(row.opd_id);
    }
    Ok(map)
}

pub async fn amendments_of_agreements(
    db: &impl ConnectionTrait,
    agreement_ids: &[i64],
) -> Result<HashMap<i64, Vec<Amendment>>, StorageError> {
    let rows = agreement_amendments::Entity::find()
        .filter(agreement_amendments::Column::AgreementId.is_in(agreement_ids.iter().copied()))
        .order_by_asc(agreement_amendments::Column::Id)
        .all(db)
        .await?;
    let mut map: HashMap<i64, Vec<Amendment>> = HashMap::new();
    for row in rows {
        map.entry(row.agreement_id)
            .or_default()
            .push(convert::amendment(row)?);
    }
    Ok(map)
}

/// A new agreement row, as the engine has validated it.
#[derive(Debug, Clone)]
pub struct AgreementRow {
    pub office_id: i64,
    pub district_id: i64,
    pub office_number: Option<String>,
    pub district_number: Option<String>,
    pub title: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub office_signatory: Option<String>,
    pub district_signatory: Option<String>,
    pub signed_on: Option<NaiveDate>,
    pub status: AgreementStatus,
    pub closing_summary: Option<String>,
    pub termination_reason: Option<String>,
}

pub async fn insert_agreement(
    db: &impl ConnectionTrait,
    row: AgreementRow,
    opd_ids: &[i64],
    now: DateTime<Utc>,
) -> Result<Agreement, StorageError> {
    let model = agreements::ActiveModel {
        office_id: Set(row.office_id),
        district_id: Set(row.district_id),
        office_number: Set(row.office_number),
        district_number: Set(row.district_number),
        title: Set(row.title),
        period_start: Set(row.period_start),
        period_end: Set(row.period_end),
        office_signatory: Set(row.office_signatory),
        district_signatory: Set(row.district_signatory),
        signed_on: Set(row.signed_on),
        status: Set(row.status.as_str().to_owned()),
        closing_summary: Set(row.closing_summary),
        termination_reason: Set(row.termination_reason),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    if !opd_ids.is_empty() {
        agreement_opds::Entity::insert_many(opd_ids.iter().map(|opd| {
            agreement_opds::ActiveModel {
                agreement_id: Set(model.id),
                opd_id: Set(*opd),
            }
        }))
        .exec(db)
        .await?;
    }
    convert::agreement(model)
}

/// A new amendment row.
#[derive(Debug, Clone)]
pub struct AmendmentRow {
    pub agreement_id: i64,
    pub number: String,
    pub signed_on: NaiveDate,
    pub summary: String,
    pub new_period_end: Option<NaiveDate>,
    pub recorded_by: Option<i64>,
}

pub async fn insert_amendment(
    db: &impl ConnectionTrait,
    row: AmendmentRow,
    now: DateTime<Utc>,
) -> Result<Amendment, StorageError> {
    let model = agreement_amendments::ActiveModel {
        agreement_id: Set(row.agreement_id),
        number: Set(row.number),
        signed_on: Set(row.signed_on),
        summary: Set(row.summary),
        new_period_end: Set(row.new_period_end),
        recorded_by: Set(row.recorded_by),
        recorded_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    convert::amendment(model)
}

// ---- milestones ---------------------------------------------------------

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
    milestones::Entity::find()
        .filter(milestones::Column::Id.is_in(ids.iter().copied()))
        .filter(reach::via_agreement(reach, milestones::Column::AgreementId))
        .all(db)
        .await?
        .into_iter()
        .map(convert::milestone)
        .collect()
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
        milestones::Column::AgreementId,
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
    let rows = milestone_opds::Entity::find()
        .filter(milestone_opds::Column::MilestoneId.is_in(milestone_ids.iter().copied()))
        .order_by_asc(milestone_opds::Column::OpdId)
        .all(db)
        .await?;
    let mut map: HashMap<i64, Vec<i64>> = HashMap::new();
    for row in rows {
        map.entry(row.milestone_id).or_default().push(row.opd_id);
    }
    Ok(map)
}

/// The slip history of each milestone, oldest first.
pub async fn reschedules_of_milestones(
    db: &impl ConnectionTrait,
    milestone_ids: &[i64],
) -> Result<HashMap<i64, Vec<Reschedule>>, StorageError> {
    let rows = milestone_reschedules::Entity::find()
        .filter(milestone_reschedules::Column::MilestoneId.is_in(milestone_ids.iter().copied()))
        .order_by_asc(milestone_reschedules::Column::Id)
        .all(db)
        .await?;
    let mut map: HashMap<i64, Vec<Reschedule>> = HashMap::new();
    for row in rows {
        map.entry(row.milestone_id)
            .or_default()
            .push(convert::reschedule(row)?);
    }
    Ok(map)
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

// ---- action items -------------------------------------------------------

/// How a list of action items is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ActionItemOrder {
    #[default]
    DueOn,
    Id,
}

/// Which action items a list holds.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct ActionItemFilter {
    pub district_id: Option<i64>,
    pub opd_id: Option<i64>,
    pub agreement_id: Option<i64>,
    pub milestone_id: Option<i64>,
    pub statuses: Vec<ActionItemStatus>,
    pub due_from: Option<NaiveDate>,
    pub due_to: Option<NaiveDate>,
    /// Open work past its due date (`Some(true)`) or not (`Some(false)`), as of `now`.
    pub overdue: Option<bool>,
    /// The instant overdue is judged at; each item's due date is compared with
    /// the calendar date at that instant in its own district's time zone.
    pub now: Option<DateTime<Utc>>,
    /// Only items of these origins (any when empty).
    pub origins: Vec<pendamping_domain::action_item::Origin>,
    /// Only Ombudsman products counted for this year.
    pub product_year: Option<i32>,
}

/// Statuses that still need work (not verified, not cancelled).
/// The statuses in which an item can be late against its OPD (not SUBMITTED:
/// then it waits on the Ombudsman office's verification).
fn opds_move_statuses() -> Vec<&'static str> {
    ActionItemStatus::ALL
        .iter()
        .filter(|s| s.is_opds_move())
        .map(|s| s.as_str())
        .collect()
}

/// Due before today, where "today" is the date at `now` in the item's district's
/// zone: one branch per Indonesian zone, so the test stays set-based.
fn past_due_in_own_zone(now: DateTime<Utc>) -> sea_orm::Condition {
    use pendamping_domain::reference::TimeZone;
    TimeZone::ALL
        .iter()
        .fold(sea_orm::Condition::any(), |any, zone| {
            any.add(
                sea_orm::Condition::all()
                    .add(
                        action_items::Column::DistrictId.in_subquery(
                            sea_orm::sea_query::Query::select()
                                .column(districts::Column::Id)
                                .from(districts::Entity)
                                .and_where(districts::Column::TimeZone.eq(zone.as_str()))
                                .take(),
                        ),
                    )
                    .add(action_items::Column::DueOn.lt(zone.today(now))),
            )
        })
}

fn action_item_select(
    reach: &Reach,
    filter: &ActionItemFilter,
) -> sea_orm::Select<action_items::Entity> {
    use action_items::Column as C;
    let mut select = action_items::Entity::find().filter(reach::action_items(reach));
    if let Some(id) = filter.district_id {
        select = select.filter(C::DistrictId.eq(id));
    }
    if let Some(id) = filter.opd_id {
        select = select.filter(C::OpdId.eq(id));
    }
    if let Some(id) = filter.agreement_id {
        select = select.filter(C::AgreementId.eq(id));
    }
    if let Some(id) = filter.milestone_id {
        select = select.filter(C::MilestoneId.eq(id));
    }
    if !filter.statuses.is_empty() {
        select = select.filter(C::Status.is_in(filter.statuses.iter().map(|s| s.as_str())));
    }
    if !filter.origins.is_empty() {
        select = select.filter(C::Origin.is_in(filter.origins.iter().map(|o| o.as_str())));
    }
    if let Some(year) = filter.product_year {
        select = select.filter(C::ProductYear.eq(year));
    }
    if let Some(from) = filter.due_from {
        select = select.filter(C::DueOn.gte(from));
    }
    if let Some(to) = filter.due_to {
        select = select.filter(C::DueOn.lte(to));
    }
    if let (Some(overdue), Some(now)) = (filter.overdue, filter.now) {
        let late = sea_orm::Condition::all()
            .add(C::Status.is_in(opds_move_statuses()))
            .add(past_due_in_own_zone(now));
        select = if overdue {
            select.filter(late)
        } else {
            select.filter(late.not())
        };
    }
    select
}

fn action_item_order(
    order: crate::reference::Ordering<ActionItemOrder>,
) -> ListOrder<action_items::Column> {
    match order.field {
        ActionItemOrder::DueOn => {
            ListOrder::by(action_items::Column::DueOn, action_items::Column::Id)
        }
        ActionItemOrder::Id => ListOrder::by_id(action_items::Column::Id),
    }
    .descending(order.descending)
}

fn action_item_key(order: ActionItemOrder) -> impl Fn(&action_items::Model) -> CursorKey {
    move |m| CursorKey {
        sort: match order {
            ActionItemOrder::DueOn => SortValue::Date(m.due_on),
            ActionItemOrder::Id => SortValue::None,
        },
        id: m.id,
    }
}

pub async fn list_action_items(
    db: &impl ConnectionTrait,
    reach: &Reach,
    filter: &ActionItemFilter,
    order: crate::reference::Ordering<ActionItemOrder>,
    request: &PageRequest,
) -> Result<Page<ActionItem>, StorageError> {
    page::paginate(
        db,
        action_item_select(reach, filter),
        action_item_order(order),
        action_item_key(order.field),
        request,
    )
    .await?
    .try_map(convert::action_item)
}

pub async fn count_action_items(
    db: &impl ConnectionTrait,
    reach: &Reach,
    filter: &ActionItemFilter,
) -> Result<u64, StorageError> {
    page::count(db, action_item_select(reach, filter)).await
}

pub async fn action_items_by_ids(
    db: &impl ConnectionTrait,
    reach: &Reach,
    ids: &[i64],
) -> Result<Vec<ActionItem>, StorageError> {
    action_items::Entity::find()
        .filter(action_items::Column::Id.is_in(ids.iter().copied()))
        .filter(reach::action_items(reach))
        .all(db)
        .await?
        .into_iter()
        .map(convert::action_item)
        .collect()
}

/// The parent a nested list of action items hangs from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ActionItemParent {
    Agreement,
    Milestone,
    Opd,
}

impl ActionItemParent {
    fn column(self) -> action_items::Column {
        match self {
            ActionItemParent::Agreement => action_items::Column::AgreementId,
            ActionItemParent::Milestone => action_items::Column::MilestoneId,
            ActionItemParent::Opd => action_items::Column::OpdId,
        }
    }

    fn of(self, m: &action_items::Model) -> i64 {
        match self {
            ActionItemParent::Agreement => m.agreement_id,
            ActionItemParent::Milestone => m.milestone_id.unwrap_or_default(),
            ActionItemParent::Opd => m.opd_id,
        }
    }
}

/// One page of action items (by due date) for each parent, in one statement.
pub async fn action_items_of(
    db: &impl ConnectionTrait,
    reach: &Reach,
    parent: ActionItemParent,
    parent_ids: &[i64],
    filter: &ActionItemFilter,
    request: &PageRequest,
) -> Result<HashMap<i64, Page<ActionItem>>, StorageError> {
    let select =
        action_item_select(reach, filter).filter(parent.column().is_in(parent_ids.iter().copied()));
    let order = crate::reference::Ordering::<ActionItemOrder>::default();
    let pages = page::paginate_per_parent(
        db,
        select,
        parent.column(),
        |m| parent.of(m),
        action_item_order(order),
        action_item_key(order.field),
        request,
    )
    .await?;
    pages
        .into_iter()
        .map(|(id, page)| Ok((id, page.try_map(convert::action_item)?)))
        .collect()
}

pub async fn count_action_items_of(
    db: &impl ConnectionTrait,
    reach: &Reach,
    parent: ActionItemParent,
    parent_ids: &[i64],
    filter: &ActionItemFilter,
) -> Result<HashMap<i64, u64>, StorageError> {
    let select =
        action_item_select(reach, filter).filter(parent.column().is_in(parent_ids.iter().copied()));
    page::count_per_parent(db, select, parent.column()).await
}

/// A new action item row.
#[derive(Debug, Clone)]
pub struct ActionItemRow {
    pub agreement_id: i64,
    pub opd_id: i64,
    pub district_id: i64,
    pub milestone_id: Option<i64>,
    pub title: String,
    pub finding: String,
    pub standard_component: Option<StandardComponent>,
    pub priority: Priority,
    pub assignee_id: Option<i64>,
    pub due_on: NaiveDate,
    pub status: ActionItemStatus,
    pub rejection_count: i32,
    pub cancellation_reason: Option<String>,
    pub submitted_by: Option<i64>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub verified_by: Option<i64>,
    pub verified_at: Option<DateTime<Utc>>,
}

pub async fn insert_action_item(
    db: &impl ConnectionTrait,
    row: ActionItemRow,
    now: DateTime<Utc>,
) -> Result<ActionItem, StorageError> {
    let origin = pendamping_domain::action_item::ItemOrigin {
        origin: pendamping_domain::action_item::Origin::default_for(
            row.milestone_id
                .map(pendamping_domain::agreement::MilestoneId),
        ),
        product_number: None,
        product_year: None,
    };
    insert_action_item_from(db, row, origin, now).await
}

/// Stores a new action item with where it comes from.
pub async fn insert_action_item_from(
    db: &impl ConnectionTrait,
    row: ActionItemRow,
    origin: pendamping_domain::action_item::ItemOrigin,
    now: DateTime<Utc>,
) -> Result<ActionItem, StorageError> {
    let model = action_items::ActiveModel {
        origin: Set(origin.origin.as_str().to_owned()),
        product_number: Set(origin.product_number),
        product_year: Set(origin.product_year),
        agreement_id: Set(row.agreement_id),
        opd_id: Set(row.opd_id),
        district_id: Set(row.district_id),
        milestone_id: Set(row.milestone_id),
        title: Set(row.title),
        finding: Set(row.finding),
        standard_component: Set(row.standard_component.map(|c| c.as_str().to_owned())),
        priority: Set(row.priority.as_str().to_owned()),
        assignee_id: Set(row.assignee_id),
        due_on: Set(row.due_on),
        status: Set(row.status.as_str().to_owned()),
        rejection_count: Set(row.rejection_count),
        cancellation_reason: Set(row.cancellation_reason),
        submitted_by: Set(row.submitted_by),
        submitted_at: Set(row.submitted_at),
        verified_by: Set(row.verified_by),
        verified_at: Set(row.verified_at),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    convert::action_item(model)
}

// ---- evidence and comments ----------------------------------------------

/// One page of evidence for each action item, in one statement.
pub async fn evidence_of_action_items(
    db: &impl ConnectionTrait,
    reach: &Reach,
    action_item_ids: &[i64],
    request: &PageRequest,
) -> Result<HashMap<i64, Page<Evidence>>, StorageError> {
    let select = evidence::Entity::find()
        .filter(evidence::Column::ActionItemId.is_in(action_item_ids.iter().copied()))
        .filter(reach::via_action_item(
            reach,
            evidence::Column::ActionItemId,
        ));
    let pages = page::paginate_per_parent(
        db,
        select,
        evidence::Column::ActionItemId,
        |m| m.action_item_id,
        ListOrder::by_id(evidence::Column::Id),
        |m| id_key(m.id),
        request,
    )
    .await?;
    pages
        .into_iter()
        .map(|(id, page)| Ok((id, page.try_map(convert::evidence)?)))
        .collect()
}

pub async fn count_evidence_of_action_items(
    db: &impl ConnectionTrait,
    reach: &Reach,
    action_item_ids: &[i64],
) -> Result<HashMap<i64, u64>, StorageError> {
    let select = evidence::Entity::find()
        .filter(evidence::Column::ActionItemId.is_in(action_item_ids.iter().copied()))
        .filter(reach::via_action_item(
            reach,
            evidence::Column::ActionItemId,
        ));
    page::count_per_parent(db, select, evidence::Column::ActionItemId).await
}

pub async fn evidence_by_ids(
    db: &impl ConnectionTrait,
    reach: &Reach,
    ids: &[i64],
) -> Result<Vec<Evidence>, StorageError> {
    evidence::Entity::find()
        .filter(evidence::Column::Id.is_in(ids.iter().copied()))
        .filter(reach::via_action_item(
            reach,
            evidence::Column::ActionItemId,
        ))
        .all(db)
        .await?
        .into_iter()
        .map(convert::evidence)
        .collect()
}

/// A new evidence row.
#[derive(Debug, Clone)]
pub struct EvidenceRow {
    pub action_item_id: i64,
    pub name: String,
    pub media_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub url: Option<String>,
    pub storage_key: Option<String>,
    pub uploaded_by: Option<i64>,
}

pub async fn insert_evidence(
    db: &impl ConnectionTrait,
    row: EvidenceRow,
    now: DateTime<Utc>,
) -> Result<Evidence, StorageError> {
    let model = evidence::ActiveModel {
        action_item_id: Set(row.action_item_id),
        name: Set(row.name),
        media_type: Set(row.media_type),
        size_bytes: Set(row.size_bytes),
        sha256: Set(row.sha256),
        url: Set(row.url),
        storage_key: Set(row.storage_key),
        uploaded_by: Set(row.uploaded_by),
        uploaded_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    convert::evidence(model)
}

/// One page of comments (oldest first) for each action item, in one statement.
pub async fn comments_of_action_items(
    db: &impl ConnectionTrait,
    reach: &Reach,
    action_item_ids: &[i64],
    request: &PageRequest,
) -> Result<HashMap<i64, Page<Comment>>, StorageError> {
    let select = comments::Entity::find()
        .filter(comments::Column::ActionItemId.is_in(action_item_ids.iter().copied()))
        .filter(reach::via_action_item(
            reach,
            comments::Column::ActionItemId,
        ));
    let pages = page::paginate_per_parent(
        db,
        select,
        comments::Column::ActionItemId,
        |m| m.action_item_id,
        ListOrder::by_id(comments::Column::Id),
        |m| id_key(m.id),
        request,
    )
    .await?;
    pages
        .into_iter()
        .map(|(id, page)| Ok((id, page.try_map(convert::comment)?)))
        .collect()
}

pub async fn count_comments_of_action_items(
    db: &impl ConnectionTrait,
    reach: &Reach,
    action_item_ids: &[i64],
) -> Result<HashMap<i64, u64>, StorageError> {
    let select = comments::Entity::find()
        .filter(comments::Column::ActionItemId.is_in(action_item_ids.iter().copied()))
        .filter(reach::via_action_item(
            reach,
            comments::Column::ActionItemId,
        ));
    page::count_per_parent(db, select, comments::Column::ActionItemId).await
}

pub async fn comments_by_ids(
    db: &impl ConnectionTrait,
    reach: &Reach,
    ids: &[i64],
) -> Result<Vec<Comment>, StorageError> {
    comments::Entity::find()
        .filter(comments::Column::Id.is_in(ids.iter().copied()))
        .filter(reach::via_action_item(
            reach,
            comments::Column::ActionItemId,
        ))
        .all(db)
        .await?
        .into_iter()
        .map(convert::comment)
        .collect()
}

pub async fn insert_comment(
    db: &impl ConnectionTrait,
    action_item_id: i64,
    author_id: Option<i64>,
    author_label: &str,
    body: &str,
    now: DateTime<Utc>,
) -> Result<Comment, StorageError> {
    let model = comments::ActiveModel {
        action_item_id: Set(action_item_id),
        author_id: Set(author_id),
        author_label: Set(author_label.to_owned()),
        body: Set(body.to_owned()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    convert::comment(model)
}

/// Whether any agreement exists (the demo loader's idempotence check).
pub async fn any_agreement_for_district(
    db: &impl ConnectionTrait,
    district_id: i64,
) -> Result<bool, StorageError> {
    let found = agreements::Entity::find()
        .filter(agreements::Column::DistrictId.eq(district_id))
        .one(db)
        .await?;
    Ok(found.is_some())
}

// ---- changes under optimistic concurrency --------------------------------

/// A change to an agreement. `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct AgreementPatch {
    pub status: Option<AgreementStatus>,
    pub office_number: Option<String>,
    pub district_number: Option<String>,
    pub office_signatory: Option<String>,
    pub district_signatory: Option<String>,
    pub signed_on: Option<NaiveDate>,
    pub closing_summary: Option<String>,
    pub termination_reason: Option<String>,
}

/// Applies `patch` if the agreement is still at `version`; `false` when it is not
/// (someone changed it first), in which case nothing is written.
pub async fn update_agreement(
    db: &impl ConnectionTrait,
    id: i64,
    version: i32,
    patch: AgreementPatch,
    now: DateTime<Utc>,
) -> Result<bool, StorageError> {
    use agreements::Column as C;
    use sea_orm::sea_query::{Expr, ExprTrait};
    let mut update = agreements::Entity::update_many()
        .col_expr(C::Version, Expr::col(C::Version).add(1))
        .col_expr(C::UpdatedAt, Expr::value(now));
    if let Some(v) = patch.status {
        update = update.col_expr(C::Status, Expr::value(v.as_str()));
    }
    for (column, value) in [
        (C::OfficeNumber, patch.office_number),
        (C::DistrictNumber, patch.district_number),
        (C::OfficeSignatory, patch.office_signatory),
        (C::DistrictSignatory, patch.district_signatory),
        (C::ClosingSummary, patch.closing_summary),
        (C::TerminationReason, patch.termination_reason),
    ] {
        if let Some(value) = value {
            update = update.col_expr(column, Expr::value(value));
        }
    }
    if let Some(v) = patch.signed_on {
        update = update.col_expr(C::SignedOn, Expr::value(v));
    }
    let result = update
        .filter(C::Id.eq(id))
        .filter(C::Version.eq(version))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
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
    let result = update
        .filter(C::Id.eq(id))
        .filter(C::Version.eq(version))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// A change to an action item. `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct ActionItemPatch {
    pub status: Option<ActionItemStatus>,
    /// Adds one to the rejection count.
    pub count_rejection: bool,
    pub cancellation_reason: Option<String>,
    pub submitted_by: Option<i64>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub verified_by: Option<i64>,
    pub verified_at: Option<DateTime<Utc>>,
    pub assignee_id: Option<i64>,
    pub due_on: Option<NaiveDate>,
}

/// As [`update_agreement`], for an action item.
pub async fn update_action_item(
    db: &impl ConnectionTrait,
    id: i64,
    version: i32,
    patch: ActionItemPatch,
    now: DateTime<Utc>,
) -> Result<bool, StorageError> {
    use action_items::Column as C;
    use sea_orm::sea_query::{Expr, ExprTrait};
    let mut update = action_items::Entity::update_many()
        .col_expr(C::Version, Expr::col(C::Version).add(1))
        .col_expr(C::UpdatedAt, Expr::value(now));
    if let Some(v) = patch.status {
        update = update.col_expr(C::Status, Expr::value(v.as_str()));
    }
    if patch.count_rejection {
        update = update.col_expr(C::RejectionCount, Expr::col(C::RejectionCount).add(1));
    }
    if let Some(v) = patch.cancellation_reason {
        update = update.col_expr(C::CancellationReason, Expr::value(v));
    }
    for (column, value) in [
        (C::SubmittedBy, patch.submitted_by),
        (C::VerifiedBy, patch.verified_by),
        (C::AssigneeId, patch.assignee_id),
    ] {
        if let Some(value) = value {
            update = update.col_expr(column, Expr::value(value));
        }
    }
    for (column, value) in [
        (C::SubmittedAt, patch.submitted_at),
        (C::VerifiedAt, patch.verified_at),
    ] {
        if let Some(value) = value {
            update = update.col_expr(column, Expr::value(value));
        }
    }
    if let Some(v) = patch.due_on {
        update = update.col_expr(C::DueOn, Expr::value(v));
    }
    let result = update
        .filter(C::Id.eq(id))
        .filter(C::Version.eq(version))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// How many evidence rows an action item has.
pub async fn evidence_count(
    db: &impl ConnectionTrait,
    action_item_id: i64,
) -> Result<u64, StorageError> {
    use sea_orm::PaginatorTrait;
    Ok(evidence::Entity::find()
        .filter(evidence::Column::ActionItemId.eq(action_item_id))
        .count(db)
        .await?)
}

/// Whether every milestone of an agreement is done or cancelled.
pub async fn all_milestones_closed(
    db: &impl ConnectionTrait,
    agreement_id: i64,
) -> Result<bool, StorageError> {
    let open = milestones::Entity::find()
        .filter(milestones::Column::AgreementId.eq(agreement_id))
        .filter(milestones::Column::Status.is_in([
            MilestoneStatus::Planned.as_str(),
            MilestoneStatus::InProgress.as_str(),
        ]))
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
    let select = milestones_of(reach, agreement_ids).filter(milestones::Column::Status.is_in([
        MilestoneStatus::Planned.as_str(),
        MilestoneStatus::InProgress.as_str(),
    ]));
    page::count_per_parent(db, select, milestones::Column::AgreementId).await
}
