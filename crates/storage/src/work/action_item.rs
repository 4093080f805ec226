//! Action items: filtered lists, nested lists per parent, new ones and changes.

use super::*;

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
            .add(C::Status.is_in(statuses::opds_move()))
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
    let within = reach::action_items(reach);
    let id = action_items::Column::Id;
    by_ids::<action_items::Entity, _>(db, id, ids, within, convert::action_item).await
}

/// An action item with what a workflow action on it decides with: the
/// office of its district (the policy's target) and how much evidence it has
/// (a guard), read in one statement.
#[derive(Debug, Clone)]
pub struct ActionItemForAction {
    pub item: ActionItem,
    pub office_id: i64,
    pub evidence_count: u64,
}

/// The action item `id` if `reach` may read it, as [`ActionItemForAction`].
pub async fn action_item_for_action(
    db: &impl ConnectionTrait,
    reach: &Reach,
    id: i64,
) -> Result<Option<ActionItemForAction>, StorageError> {
    use sea_orm::sea_query::{Expr, ExprTrait, Func, Query};
    use sea_orm::{FromQueryResult, QuerySelect, QueryTrait};
    let office = Query::select()
        .column((districts::Entity, districts::Column::OfficeId))
        .from(districts::Entity)
        .and_where(
            Expr::col((districts::Entity, districts::Column::Id))
                .equals((action_items::Entity, action_items::Column::DistrictId)),
        )
        .take();
    let evidence_count = Query::select()
        .expr(Func::count(Expr::col((
            evidence::Entity,
            evidence::Column::Id,
        ))))
        .from(evidence::Entity)
        .and_where(
            Expr::col((evidence::Entity, evidence::Column::ActionItemId))
                .equals((action_items::Entity, action_items::Column::Id)),
        )
        .take();
    let select = action_items::Entity::find()
        .filter(action_items::Column::Id.eq(id))
        .filter(reach::action_items(reach))
        .expr_as(Expr::SubQuery(None, Box::new(office.into())), "office_id")
        .expr_as(
            Expr::SubQuery(None, Box::new(evidence_count.into())),
            "evidence_count",
        )
        .into_query();
    let Some(row) = db.query_one(&select).await? else {
        return Ok(None);
    };
    let model = action_items::Model::from_query_result(&row, "")?;
    let office_id: i64 = row.try_get("", "office_id")?;
    let evidence_count: i64 = row.try_get("", "evidence_count")?;
    Ok(Some(ActionItemForAction {
        item: convert::action_item(model)?,
        office_id,
        evidence_count: u64::try_from(evidence_count).unwrap_or_default(),
    }))
}

/// An action item row as a changing statement returned it (`RETURNING *`).
pub fn action_item_from_row(row: &sea_orm::QueryResult) -> Result<ActionItem, StorageError> {
    use sea_orm::FromQueryResult;
    convert::action_item(action_items::Model::from_query_result(row, "")?)
}

/// Where a nested list's parent sits in an action-item row.
trait ParentColumn {
    fn column(self) -> action_items::Column;
    fn of(self, m: &action_items::Model) -> i64;
}

impl ParentColumn for ActionItemParent {
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
        (parent.column(), None),
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
    pub due_on: NaiveDate,
    pub progress: ItemProgress,
}

/// How far a stored item's work has gone: who holds it, its status, what
/// was submitted and verified. A newly raised item starts [`ItemProgress::open`].
#[derive(Debug, Clone)]
pub struct ItemProgress {
    pub assignee_id: Option<i64>,
    pub status: ActionItemStatus,
    pub rejection_count: i32,
    pub cancellation_reason: Option<String>,
    pub submitted_by: Option<i64>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub verified_by: Option<i64>,
    pub verified_at: Option<DateTime<Utc>>,
}

impl ItemProgress {
    /// Open, unassigned, never submitted, rejected or cancelled.
    pub fn open() -> Self {
        Self {
            assignee_id: None,
            status: ActionItemStatus::Open,
            rejection_count: 0,
            cancellation_reason: None,
            submitted_by: None,
            submitted_at: None,
            verified_by: None,
            verified_at: None,
        }
    }
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
        assignee_id: Set(row.progress.assignee_id),
        due_on: Set(row.due_on),
        status: Set(row.progress.status.as_str().to_owned()),
        rejection_count: Set(row.progress.rejection_count),
        cancellation_reason: Set(row.progress.cancellation_reason),
        submitted_by: Set(row.progress.submitted_by),
        submitted_at: Set(row.progress.submitted_at),
        verified_by: Set(row.progress.verified_by),
        verified_at: Set(row.progress.verified_at),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    convert::action_item(model)
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
    let result = db
        .execute(&action_item_update(id, version, patch, now))
        .await?;
    Ok(result.rows_affected() == 1)
}

/// The conditional `UPDATE` of a change: it changes the row only while its
/// version is still `version` (the one the caller decided on), and bumps it.
pub fn action_item_update(
    id: i64,
    version: i32,
    patch: ActionItemPatch,
    now: DateTime<Utc>,
) -> sea_orm::sea_query::UpdateStatement {
    use action_items::Column as C;
    use sea_orm::QueryTrait;
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
    update
        .filter(C::Id.eq(id))
        .filter(C::Version.eq(version))
        .into_query()
}
