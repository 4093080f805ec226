//! The `Milestone` and `Reschedule` objects.

use super::*;

pub struct Milestone(pub ag::Milestone);

/// An activity of an agreement: socialisation, Bimtek, monitoring visit, assessment, …
#[Object]
impl Milestone {
    /// The global ID.
    pub async fn id(&self) -> ID {
        encode(Kind::Milestone, self.0.id.0)
    }
    /// The agreement it belongs to.
    async fn agreement(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Agreement>> {
        Ok(batch(ctx)?
            .load_one(self.0.agreement_id)
            .await?
            .map(Agreement))
    }
    /// What kind of activity it is.
    async fn kind(&self) -> MilestoneKind {
        self.0.kind.into()
    }
    /// Title.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// The date it is planned for (after any reschedules).
    async fn planned_on(&self) -> Date {
        Date(self.0.planned_on)
    }
    /// The date it was actually held.
    async fn actual_on(&self) -> Option<Date> {
        self.0.actual_on.map(Date)
    }
    /// Where it is held.
    async fn location(&self) -> Option<&str> {
        self.0.location.as_deref()
    }
    /// What came of it.
    async fn outcome_notes(&self) -> Option<&str> {
        self.0.outcome_notes.as_deref()
    }
    /// Where it stands.
    async fn status(&self) -> MilestoneStatus {
        self.0.status.into()
    }
    /// Why it was cancelled.
    async fn cancellation_reason(&self) -> Option<&str> {
        self.0.cancellation_reason.as_deref()
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
    /// Every action of the milestone's workflow, and whether you may take it now.
    async fn available_actions(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<crate::actions::AvailableAction>> {
        let Some(agreement) = batch(ctx)?.load_one(self.0.agreement_id).await? else {
            return Ok(Vec::new());
        };
        let facts = pendamping_domain::lifecycle::Facts::of_milestone(&self.0, None);
        let target =
            pendamping_domain::policy::Target::district(agreement.office_id, agreement.district_id);
        crate::actions::available(
            ctx,
            &pendamping_domain::lifecycle::MILESTONE,
            target,
            self.0.status,
            &facts,
        )
        .await
    }
    /// Every change to the milestone, oldest first: who, what, when, why.
    async fn history(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<crate::types::audit::AuditEvent>> {
        history_of(ctx, pendamping_engine::HistoryOf::Milestone(self.0.id)).await
    }
    /// Every change of the planned date, oldest first.
    async fn reschedules(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Reschedule>> {
        Ok(batch(ctx)?
            .load_one(ReschedulesOf(self.0.id.0))
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(Reschedule)
            .collect())
    }
    /// Planned or in progress and past its planned date, judged in the district's time zone.
    async fn is_overdue(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        Ok(self.days_late(ctx).await? > 0)
    }
    /// Whole days past the planned date while still open, in the district's time zone (0 when not overdue).
    async fn days_overdue(&self, ctx: &Context<'_>) -> async_graphql::Result<i32> {
        Ok(i32::try_from(self.days_late(ctx).await?).unwrap_or(i32::MAX))
    }
    /// Days between the first planned date and the current one (0 when never moved).
    async fn slip_days(&self, ctx: &Context<'_>) -> async_graphql::Result<i32> {
        let slips = batch(ctx)?
            .load_one(ReschedulesOf(self.0.id.0))
            .await?
            .unwrap_or_default();
        let total: i64 = slips.iter().map(ag::Reschedule::slip_days).sum();
        Ok(i32::try_from(total).unwrap_or(i32::MAX))
    }
    /// The OPDs involved (those you may see).
    async fn opds(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Opd>> {
        let ids = batch(ctx)?
            .load_one(OpdIdsOfMilestone(self.0.id.0))
            .await?
            .unwrap_or_default();
        visible_opds(ctx, ids).await
    }
    /// Action items raised at this milestone, by due date.
    #[graphql(complexity = "page_complexity(child_complexity, first, last)")]
    async fn action_items(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which action items.")] filter: Option<ActionItemsFilterInput>,
        #[graphql(desc = "Take this many items from the start (at most 100; default 20).")]
        first: Option<i32>,
        #[graphql(desc = "Start after this cursor.")] after: Option<String>,
        #[graphql(desc = "Take this many items from the end (at most 100).")] last: Option<i32>,
        #[graphql(desc = "End before this cursor.")] before: Option<String>,
    ) -> async_graphql::Result<ActionItemConnection> {
        nested_action_items(
            ctx,
            ItemParent::Milestone(self.0.id),
            filter,
            (first, after, last, before),
        )
        .await
    }
}

pub struct Reschedule(pub ag::Reschedule);

/// One change of a milestone's planned date, with its reason.
#[Object]
impl Reschedule {
    /// The planned date before.
    async fn old_date(&self) -> Date {
        Date(self.0.old_date)
    }
    /// The planned date after.
    async fn new_date(&self) -> Date {
        Date(self.0.new_date)
    }
    /// Days moved (negative when brought forward).
    async fn slip_days(&self) -> i32 {
        i32::try_from(self.0.slip_days()).unwrap_or(i32::MAX)
    }
    /// Why.
    async fn reason(&self) -> &str {
        &self.0.reason
    }
    /// When the change was recorded.
    async fn rescheduled_at(&self) -> DateTime {
        DateTime(self.0.rescheduled_at)
    }
}

impl Milestone {
    /// The zone comes through the agreement, in one batched lookup for the whole level.
    async fn days_late(&self, ctx: &Context<'_>) -> async_graphql::Result<i64> {
        let now = reader(ctx)?.now();
        let Some(zone) = batch(ctx)?
            .load_one(crate::loaders::ZoneOfAgreement(self.0.agreement_id))
            .await?
        else {
            return Ok(0);
        };
        Ok(self.0.days_overdue(zone.today(now)))
    }
}
