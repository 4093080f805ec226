//! The `ActionItem` object, its filter and order, and its nested lists.

use super::*;

#[derive(Clone)]
pub struct ActionItem(pub ai::ActionItem);

/// A finding at one OPD and its corrective action, with a due date, evidence and verification.
#[Object]
impl ActionItem {
    /// The global ID.
    pub async fn id(&self) -> ID {
        encode(Kind::ActionItem, self.0.id.0)
    }
    /// The agreement it falls under.
    async fn agreement(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Agreement>> {
        Ok(batch(ctx)?
            .load_one(self.0.agreement_id)
            .await?
            .map(Agreement))
    }
    /// The OPD that must act.
    async fn opd(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Opd>> {
        Ok(batch(ctx)?.load_one(self.0.opd_id).await?.map(Opd))
    }
    /// The OPD's district.
    async fn district(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<District>> {
        Ok(batch(ctx)?
            .load_one(self.0.district_id)
            .await?
            .map(District))
    }
    /// The milestone it was raised at.
    async fn milestone(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Milestone>> {
        match self.0.milestone_id {
            Some(id) => Ok(batch(ctx)?.load_one(id).await?.map(Milestone)),
            None => Ok(None),
        }
    }
    /// Short title.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// What was found.
    async fn finding(&self) -> &str {
        &self.0.finding
    }
    /// The service-standard component it fixes.
    async fn standard_component(&self) -> Option<StandardComponent> {
        self.0.standard_component.map(Into::into)
    }
    /// Where it comes from: a visit's finding, a self-identified improvement, or an Ombudsman product.
    async fn origin(&self) -> crate::types::enums::ActionItemOrigin {
        self.0.origin.origin.into()
    }
    /// The Ombudsman product's document number (products only).
    async fn product_number(&self) -> Option<&str> {
        self.0.origin.product_number.as_deref()
    }
    /// The year an Ombudsman product counts for (products only).
    async fn product_year(&self) -> Option<i32> {
        self.0.origin.product_year
    }
    /// How urgent it is.
    async fn priority(&self) -> Priority {
        self.0.priority.into()
    }
    /// The officer assigned to it.
    async fn assignee(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        crate::types::user::load_user(ctx, self.0.assignee_id).await
    }
    /// The due date, a calendar date in the district's time zone.
    async fn due_on(&self) -> Date {
        Date(self.0.due_on)
    }
    /// Where it stands.
    async fn status(&self) -> ActionItemStatus {
        self.0.status.into()
    }
    /// How many times the Ombudsman refused a submitted fix.
    async fn rejection_count(&self) -> i32 {
        self.0.rejection_count
    }
    /// Why it was cancelled.
    async fn cancellation_reason(&self) -> Option<&str> {
        self.0.cancellation_reason.as_deref()
    }
    /// Still open work past its due date, judged in the district's time zone.
    async fn is_overdue(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        Ok(self.days_late(ctx).await? > 0)
    }
    /// Whole days past the due date (0 when not overdue).
    async fn days_overdue(&self, ctx: &Context<'_>) -> async_graphql::Result<i32> {
        Ok(i32::try_from(self.days_late(ctx).await?).unwrap_or(i32::MAX))
    }
    /// While SUBMITTED, whole days it has waited for the Ombudsman office's
    /// verification (from the local date of submission); null otherwise. A
    /// submitted item is the office's move, so it is not overdue against the OPD.
    async fn awaiting_verification_days(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<i32>> {
        if self.0.status != ai::ActionItemStatus::Submitted {
            return Ok(None);
        }
        let now = reader(ctx)?.now();
        let zone = batch(ctx)?
            .load_one(self.0.district_id)
            .await?
            .map(|d| d.time_zone)
            .unwrap_or(pendamping_domain::reference::TimeZone::Wib);
        let submitted_on = self.0.submitted_at.map(|at| zone.today(at));
        Ok(self
            .0
            .awaiting_verification_days(submitted_on, zone.today(now))
            .map(|days| i32::try_from(days).unwrap_or(i32::MAX)))
    }
    /// Each extension of the due date, oldest first, with its reason.
    async fn due_date_changes(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<crate::work_rules::DueDateChange>> {
        Ok(batch(ctx)?
            .load_one(crate::work_rules::DueDateChangesOf(self.0.id.0))
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(crate::work_rules::DueDateChange)
            .collect())
    }
    /// Days the due date has slipped through extensions in all (0 when never extended).
    async fn slip_days(&self, ctx: &Context<'_>) -> async_graphql::Result<i32> {
        let changes = batch(ctx)?
            .load_one(crate::work_rules::DueDateChangesOf(self.0.id.0))
            .await?
            .unwrap_or_default();
        Ok(changes
            .first()
            .map(|first| (self.0.due_on - first.old_date).num_days())
            .map_or(0, |days| i32::try_from(days).unwrap_or(i32::MAX)))
    }
    /// Who submitted the fix.
    async fn submitted_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        crate::types::user::load_user(ctx, self.0.submitted_by).await
    }
    /// When the fix was submitted.
    async fn submitted_at(&self) -> Option<DateTime> {
        self.0.submitted_at.map(DateTime)
    }
    /// Who verified the fix (never the submitter).
    async fn verified_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        crate::types::user::load_user(ctx, self.0.verified_by).await
    }
    /// When the fix was verified.
    async fn verified_at(&self) -> Option<DateTime> {
        self.0.verified_at.map(DateTime)
    }
    /// The optimistic-concurrency version; changes must name it.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// When the record was created.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
    /// When the record last changed.
    async fn updated_at(&self) -> DateTime {
        DateTime(self.0.updated_at)
    }
    /// Every action of the item's workflow, and whether you may take it now.
    async fn available_actions(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<crate::actions::AvailableAction>> {
        let b = batch(ctx)?;
        let Some(district) = b.load_one(self.0.district_id).await? else {
            return Ok(Vec::new());
        };
        let evidence = b
            .load_one(CountOf::EvidenceOf(self.0.id.0))
            .await?
            .unwrap_or(0);
        let facts = pendamping_domain::lifecycle::Facts::of_action_item(&self.0, evidence);
        let target =
            pendamping_domain::policy::Target::opd(district.office_id, district.id, self.0.opd_id);
        crate::actions::available(
            ctx,
            &pendamping_domain::lifecycle::ACTION_ITEM,
            target,
            self.0.status,
            &facts,
        )
        .await
    }
    /// Every change to the action item, oldest first: who, what, when, why (rejection reasons among them).
    async fn history(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<crate::types::audit::AuditEvent>> {
        history_of(ctx, pendamping_engine::HistoryOf::ActionItem(self.0.id)).await
    }
    /// Proofs of the fix, oldest first.
    #[graphql(complexity = "page_complexity(child_complexity, first, last)")]
    async fn evidence(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Take this many items from the start (at most 100; default 20).")]
        first: Option<i32>,
        #[graphql(desc = "Start after this cursor.")] after: Option<String>,
        #[graphql(desc = "Take this many items from the end (at most 100).")] last: Option<i32>,
        #[graphql(desc = "End before this cursor.")] before: Option<String>,
    ) -> async_graphql::Result<EvidenceConnection> {
        let id = self.0.id.0;
        child_connection(
            ctx,
            (first, after, last, before),
            EVIDENCE_BY_ID,
            |page| EvidenceOf(id, page),
            CountOf::EvidenceOf(id),
            Evidence,
        )
        .await
    }
    /// Remarks, oldest first.
    #[graphql(complexity = "page_complexity(child_complexity, first, last)")]
    async fn comments(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Take this many items from the start (at most 100; default 20).")]
        first: Option<i32>,
        #[graphql(desc = "Start after this cursor.")] after: Option<String>,
        #[graphql(desc = "Take this many items from the end (at most 100).")] last: Option<i32>,
        #[graphql(desc = "End before this cursor.")] before: Option<String>,
    ) -> async_graphql::Result<CommentConnection> {
        let id = self.0.id.0;
        child_connection(
            ctx,
            (first, after, last, before),
            COMMENTS_BY_ID,
            |page| CommentsOf(id, page),
            CountOf::CommentsOf(id),
            Comment,
        )
        .await
    }
}

impl ActionItem {
    async fn days_late(&self, ctx: &Context<'_>) -> async_graphql::Result<i64> {
        Ok(self
            .0
            .days_overdue(district_today(ctx, self.0.district_id).await?))
    }
}

/// Which action items to list.
#[derive(InputObject, Debug, Default, Clone)]
pub struct ActionItemsFilterInput {
    /// Only items of this district.
    pub district_id: Option<ID>,
    /// Only items of this OPD.
    pub opd_id: Option<ID>,
    /// Only items under this agreement.
    pub agreement_id: Option<ID>,
    /// Only items raised at this milestone.
    pub milestone_id: Option<ID>,
    /// Only items in one of these statuses.
    pub status: Option<Vec<ActionItemStatus>>,
    /// Only open work past its due date (true), or everything else (false).
    pub overdue: Option<bool>,
    /// Only items due on or after this date.
    pub due_from: Option<Date>,
    /// Only items due on or before this date.
    pub due_to: Option<Date>,
    /// Only items of one of these origins.
    pub origin: Option<Vec<crate::types::enums::ActionItemOrigin>>,
    /// Only Ombudsman products counted for this year.
    pub product_year: Option<i32>,
}

impl ActionItemsFilterInput {
    pub fn engine(&self) -> async_graphql::Result<ActionItemFilter> {
        if let (Some(from), Some(to)) = (self.due_from, self.due_to)
            && from.0 > to.0
        {
            return Err(crate::error::bad_argument(
                "filter.dueTo",
                "must not be before dueFrom",
            ));
        }
        Ok(ActionItemFilter {
            district_id: decode_opt(
                "filter.districtId",
                Kind::District,
                self.district_id.as_ref(),
            )?,
            opd_id: decode_opt("filter.opdId", Kind::Opd, self.opd_id.as_ref())?,
            agreement_id: decode_opt(
                "filter.agreementId",
                Kind::Agreement,
                self.agreement_id.as_ref(),
            )?,
            milestone_id: decode_opt(
                "filter.milestoneId",
                Kind::Milestone,
                self.milestone_id.as_ref(),
            )?,
            statuses: self.status.iter().flatten().map(|s| (*s).into()).collect(),
            due_from: self.due_from.map(|d| d.0),
            due_to: self.due_to.map(|d| d.0),
            overdue: self.overdue,
            now: None,
            origins: self.origin.iter().flatten().map(|o| (*o).into()).collect(),
            product_year: self.product_year,
        })
    }
}

/// The field a list of action items is sorted by.
#[derive(async_graphql::Enum, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ActionItemOrderField {
    /// By due date, then by ID.
    #[default]
    DueOn,
    /// By ID (creation order).
    Id,
}

/// How a list of action items is sorted.
#[derive(InputObject, Debug, Clone, Copy, Default)]
pub struct ActionItemOrder {
    /// The field to sort by.
    #[graphql(default)]
    pub field: ActionItemOrderField,
    /// The direction.
    #[graphql(default)]
    pub direction: OrderDirection,
}

impl ActionItemOrder {
    pub fn engine(self) -> pendamping_engine::Ordering<pendamping_engine::ActionItemOrder> {
        pendamping_engine::Ordering {
            field: match self.field {
                ActionItemOrderField::DueOn => pendamping_engine::ActionItemOrder::DueOn,
                ActionItemOrderField::Id => pendamping_engine::ActionItemOrder::Id,
            },
            descending: self.direction == OrderDirection::Desc,
        }
    }

    pub fn tag(self) -> OrderTag {
        OrderTag::new(
            "actionItem",
            match (self.field, self.direction) {
                (ActionItemOrderField::DueOn, OrderDirection::Asc) => "due",
                (ActionItemOrderField::DueOn, OrderDirection::Desc) => "due.desc",
                (ActionItemOrderField::Id, OrderDirection::Asc) => "id",
                (ActionItemOrderField::Id, OrderDirection::Desc) => "id.desc",
            },
        )
    }
}

/// A nested page of action items, batched across parents.
pub async fn nested_action_items(
    ctx: &Context<'_>,
    parent: ItemParent,
    filter: Option<ActionItemsFilterInput>,
    (first, after, last, before): PageArgsOwned,
) -> async_graphql::Result<ActionItemConnection> {
    let filter = filter.unwrap_or_default().engine()?;
    child_connection(
        ctx,
        (first, after, last, before),
        ACTION_ITEMS_BY_DUE,
        |page| ActionItemsOf {
            parent,
            filter: filter.clone(),
            page,
        },
        CountOf::ActionItemsOf(parent, filter.clone()),
        ActionItem,
    )
    .await
}
