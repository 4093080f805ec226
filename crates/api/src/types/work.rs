//! `Agreement`, `Milestone`, `ActionItem` and what hangs off them.

use async_graphql::{Context, ID, InputObject, Object};
use pendamping_domain::action_item as ai;
use pendamping_domain::agreement as ag;
use pendamping_domain::reference::OpdId;
use pendamping_engine::{ActionItemFilter, ActionItemParent, Page};

use super::enums::{
    ActionItemStatus, AgreementStatus, MilestoneKind, MilestoneStatus, OrderDirection, Priority,
    StandardComponent,
};
use super::reference::{District, Office, Opd, wrap};
use super::user::User;
use crate::connection::{OrderTag, page_complexity, page_request};
use crate::context::{batch, reader};
use crate::id::{Kind, decode_opt, encode};
use crate::loaders::{
    ActionItemsOf, AmendmentsOf, CommentsOf, CountOf, EvidenceOf, MilestonesOfAgreement,
    OpdIdsOfAgreement, OpdIdsOfMilestone, ReschedulesOf,
};
use crate::scalars::{Date, DateTime};
use crate::total::Total;

pub const AGREEMENTS_BY_ID: OrderTag = OrderTag::new("agreement", "id");
pub const MILESTONES_BY_DATE: OrderTag = OrderTag::new("milestone", "planned");
pub const ACTION_ITEMS_BY_DUE: OrderTag = OrderTag::new("actionItem", "due");
pub const EVIDENCE_BY_ID: OrderTag = OrderTag::new("evidence", "id");
pub const COMMENTS_BY_ID: OrderTag = OrderTag::new("comment", "id");

/// The Relay arguments of a connection field, as resolvers receive them.
pub type PageArgsOwned = (Option<i32>, Option<String>, Option<i32>, Option<String>);

/// The OPDs among `ids` that the caller may see, in the order given.
async fn visible_opds(ctx: &Context<'_>, ids: Vec<i64>) -> async_graphql::Result<Vec<Opd>> {
    let found = batch(ctx)?
        .load_many(ids.iter().map(|id| OpdId(*id)))
        .await?;
    Ok(ids
        .into_iter()
        .filter_map(|id| found.get(&OpdId(id)).cloned().map(Opd))
        .collect())
}

/// The history of one record, oldest first.
async fn history_of(
    ctx: &Context<'_>,
    kind: pendamping_engine::HistoryOf,
    id: i64,
) -> async_graphql::Result<Vec<super::audit::AuditEvent>> {
    Ok(batch(ctx)?
        .load_one(crate::loaders::HistoryOfRecord(kind, id))
        .await?
        .unwrap_or_default()
        .into_iter()
        .map(super::audit::AuditEvent)
        .collect())
}

pub struct Agreement(pub ag::Agreement);

/// A cooperation agreement (*Perjanjian Kerja Sama*, PKS) between one office and one district.
#[Object]
impl Agreement {
    /// The global ID.
    pub async fn id(&self) -> ID {
        encode(Kind::Agreement, self.0.id.0)
    }
    /// The Ombudsman office party.
    async fn office(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Office>> {
        Ok(batch(ctx)?.load_one(self.0.office_id).await?.map(Office))
    }
    /// The local government party.
    async fn district(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<District>> {
        Ok(batch(ctx)?
            .load_one(self.0.district_id)
            .await?
            .map(District))
    }
    /// The office's document number.
    async fn office_number(&self) -> Option<&str> {
        self.0.office_number.as_deref()
    }
    /// The district's document number.
    async fn district_number(&self) -> Option<&str> {
        self.0.district_number.as_deref()
    }
    /// Title of the agreement.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// First day of the period.
    async fn period_start(&self) -> Date {
        Date(self.0.period_start)
    }
    /// Last day of the period, as signed (amendments are listed separately).
    async fn period_end(&self) -> Date {
        Date(self.0.period_end)
    }
    /// Title of the office's signatory, e.g. *Kepala Perwakilan*.
    async fn office_signatory(&self) -> Option<&str> {
        self.0.office_signatory.as_deref()
    }
    /// Title of the district's signatory, e.g. *Bupati*.
    async fn district_signatory(&self) -> Option<&str> {
        self.0.district_signatory.as_deref()
    }
    /// The day both parties signed.
    async fn signed_on(&self) -> Option<Date> {
        self.0.signed_on.map(Date)
    }
    /// Where the agreement stands.
    async fn status(&self) -> AgreementStatus {
        self.0.status.into()
    }
    /// The closing summary of a completed agreement.
    async fn closing_summary(&self) -> Option<&str> {
        self.0.closing_summary.as_deref()
    }
    /// Why a terminated agreement ended early.
    async fn termination_reason(&self) -> Option<&str> {
        self.0.termination_reason.as_deref()
    }
    /// The optimistic-concurrency version; changes must name it.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// Active and past its end date (judged in the district's time zone).
    async fn is_overdue(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        Ok(self
            .0
            .is_overdue(district_today(ctx, self.0.district_id).await?))
    }
    /// Whole days an active agreement is past its end date, in the district's time zone (0 when not overdue).
    async fn days_overdue(&self, ctx: &Context<'_>) -> async_graphql::Result<i32> {
        let days = self
            .0
            .days_overdue(district_today(ctx, self.0.district_id).await?);
        Ok(i32::try_from(days).unwrap_or(i32::MAX))
    }
    /// When the record was created.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
    /// When the record last changed.
    async fn updated_at(&self) -> DateTime {
        DateTime(self.0.updated_at)
    }
    /// Every action of the agreement's workflow, and whether you may take it now.
    async fn available_actions(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<crate::workflow::AvailableAction>> {
        let open = batch(ctx)?
            .load_one(crate::loaders::OpenMilestonesOf(self.0.id.0))
            .await?
            .unwrap_or(0);
        let facts = pendamping_domain::lifecycle::Facts::of_agreement(&self.0, open);
        let target =
            pendamping_domain::policy::Target::district(self.0.office_id, self.0.district_id);
        crate::workflow::available(
            ctx,
            &pendamping_domain::lifecycle::AGREEMENT,
            target,
            self.0.status,
            &facts,
        )
        .await
    }
    /// Every change to the agreement, oldest first: who, what, when, why.
    async fn history(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<super::audit::AuditEvent>> {
        history_of(ctx, pendamping_engine::HistoryOf::Agreement, self.0.id.0).await
    }
    /// The OPDs in the agreement's scope (those you may see).
    async fn opds(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Opd>> {
        let ids = batch(ctx)?
            .load_one(OpdIdsOfAgreement(self.0.id.0))
            .await?
            .unwrap_or_default();
        visible_opds(ctx, ids).await
    }
    /// Its action items counted by status, overdue, on-time rate and time to verify.
    async fn action_item_stats(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<super::analytics::ActionItemStats> {
        super::analytics::stats_of(ctx, pendamping_engine::ItemsOf::Agreement, self.0.id.0).await
    }
    /// Its action items week by week (burn-down), oldest week first.
    async fn action_item_trend(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            default = 12,
            desc = "How many weeks, up to and including this one (1–104)."
        )]
        weeks: i32,
    ) -> async_graphql::Result<Vec<super::analytics::ActionItemWeek>> {
        let zone = match batch(ctx)?.load_one(self.0.district_id).await? {
            Some(district) => district.time_zone,
            None => return Ok(Vec::new()),
        };
        super::analytics::trend_of(
            ctx,
            pendamping_engine::ItemsOf::Agreement,
            self.0.id.0,
            zone,
            weeks,
        )
        .await
    }
    /// Its action items by status for each OPD in its scope (those you may see), by OPD name.
    async fn action_item_stats_by_opd(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<super::analytics::OpdActionItemStats>> {
        let ids = batch(ctx)?
            .load_one(OpdIdsOfAgreement(self.0.id.0))
            .await?
            .unwrap_or_default();
        let mut opds = visible_opds(ctx, ids).await?;
        opds.sort_by(|a, b| a.0.name.cmp(&b.0.name));
        let mut rows = Vec::with_capacity(opds.len());
        let of = pendamping_engine::ItemsOf::OpdsInAgreement(self.0.id.0);
        let figures = super::analytics::figures_asked(ctx.look_ahead().field("stats"));
        let stats = futures_util::future::try_join_all(
            opds.iter()
                .map(|opd| super::analytics::stats_as_asked(ctx, of, opd.0.id.0, figures)),
        )
        .await?;
        for (opd, stats) in opds.into_iter().zip(stats) {
            rows.push(super::analytics::OpdActionItemStats { opd, stats });
        }
        Ok(rows)
    }
    /// Amendments (*addendum*), oldest first. The signed terms above are never overwritten.
    async fn amendments(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Amendment>> {
        Ok(batch(ctx)?
            .load_one(AmendmentsOf(self.0.id.0))
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(Amendment)
            .collect())
    }
    /// The agreement's milestones, by planned date.
    #[graphql(complexity = "page_complexity(child_complexity, first, last)")]
    async fn milestones(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Take this many items from the start (at most 100; default 20).")]
        first: Option<i32>,
        #[graphql(desc = "Start after this cursor.")] after: Option<String>,
        #[graphql(desc = "Take this many items from the end (at most 100).")] last: Option<i32>,
        #[graphql(desc = "End before this cursor.")] before: Option<String>,
    ) -> async_graphql::Result<MilestoneConnection> {
        let page = page_request(
            first,
            after.as_deref(),
            last,
            before.as_deref(),
            MILESTONES_BY_DATE,
        )?;
        let found = batch(ctx)?
            .load_one(MilestonesOfAgreement(self.0.id.0, page))
            .await?
            .unwrap_or_else(Page::empty);
        Ok(MilestoneConnection::new(
            MILESTONES_BY_DATE,
            wrap(found, Milestone),
            Total::Nested(CountOf::MilestonesOfAgreement(self.0.id.0)),
        ))
    }
    /// The agreement's action items, by due date.
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
            ActionItemParent::Agreement,
            self.0.id.0,
            filter,
            (first, after, last, before),
        )
        .await
    }
}

pub struct Amendment(pub ag::Amendment);

/// An amendment (*addendum*) to a signed agreement, recorded beside the original terms.
#[Object]
impl Amendment {
    /// The amendment's document number.
    async fn number(&self) -> &str {
        &self.0.number
    }
    /// When it was signed.
    async fn signed_on(&self) -> Date {
        Date(self.0.signed_on)
    }
    /// What it changes.
    async fn summary(&self) -> &str {
        &self.0.summary
    }
    /// The new end of the period, when the amendment extends or shortens it.
    async fn new_period_end(&self) -> Option<Date> {
        self.0.new_period_end.map(Date)
    }
    /// When it was recorded.
    async fn recorded_at(&self) -> DateTime {
        DateTime(self.0.recorded_at)
    }
    /// The changed terms' text, when the amendment rewrites them.
    async fn terms(&self) -> Option<&str> {
        self.0.terms.as_deref()
    }
    /// The OPDs it brought into the agreement's scope.
    async fn added_opds(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Opd>> {
        opd_list(ctx, &self.0.added_opd_ids).await
    }
    /// The OPDs it took out of the agreement's scope.
    async fn removed_opds(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Opd>> {
        opd_list(ctx, &self.0.removed_opd_ids).await
    }
}

/// The OPDs of `ids` the viewer may read, in order, through the batched loader.
async fn opd_list(ctx: &Context<'_>, ids: &[OpdId]) -> async_graphql::Result<Vec<Opd>> {
    let found = batch(ctx)?.load_many(ids.iter().copied()).await?;
    Ok(ids
        .iter()
        .filter_map(|id| found.get(id).cloned().map(Opd))
        .collect())
}

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
    ) -> async_graphql::Result<Vec<crate::workflow::AvailableAction>> {
        let Some(agreement) = batch(ctx)?.load_one(self.0.agreement_id).await? else {
            return Ok(Vec::new());
        };
        let facts = pendamping_domain::lifecycle::Facts::of_milestone(&self.0, None);
        let target =
            pendamping_domain::policy::Target::district(agreement.office_id, agreement.district_id);
        crate::workflow::available(
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
    ) -> async_graphql::Result<Vec<super::audit::AuditEvent>> {
        history_of(ctx, pendamping_engine::HistoryOf::Milestone, self.0.id.0).await
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
            ActionItemParent::Milestone,
            self.0.id.0,
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
    async fn origin(&self) -> super::enums::ActionItemOrigin {
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
        super::user::load_user(ctx, self.0.assignee_id).await
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
        super::user::load_user(ctx, self.0.submitted_by).await
    }
    /// When the fix was submitted.
    async fn submitted_at(&self) -> Option<DateTime> {
        self.0.submitted_at.map(DateTime)
    }
    /// Who verified the fix (never the submitter).
    async fn verified_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        super::user::load_user(ctx, self.0.verified_by).await
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
    ) -> async_graphql::Result<Vec<crate::workflow::AvailableAction>> {
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
        crate::workflow::available(
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
    ) -> async_graphql::Result<Vec<super::audit::AuditEvent>> {
        history_of(ctx, pendamping_engine::HistoryOf::ActionItem, self.0.id.0).await
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
        let page = page_request(
            first,
            after.as_deref(),
            last,
            before.as_deref(),
            EVIDENCE_BY_ID,
        )?;
        let found = batch(ctx)?
            .load_one(EvidenceOf(self.0.id.0, page))
            .await?
            .unwrap_or_else(Page::empty);
        Ok(EvidenceConnection::new(
            EVIDENCE_BY_ID,
            wrap(found, Evidence),
            Total::Nested(CountOf::EvidenceOf(self.0.id.0)),
        ))
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
        let page = page_request(
            first,
            after.as_deref(),
            last,
            before.as_deref(),
            COMMENTS_BY_ID,
        )?;
        let found = batch(ctx)?
            .load_one(CommentsOf(self.0.id.0, page))
            .await?
            .unwrap_or_else(Page::empty);
        Ok(CommentConnection::new(
            COMMENTS_BY_ID,
            wrap(found, Comment),
            Total::Nested(CountOf::CommentsOf(self.0.id.0)),
        ))
    }
}

impl ActionItem {
    async fn days_late(&self, ctx: &Context<'_>) -> async_graphql::Result<i64> {
        Ok(self
            .0
            .days_overdue(district_today(ctx, self.0.district_id).await?))
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

/// Today's date in the district's time zone, by the engine's clock (the
/// district through the loader, batched with its siblings).
async fn district_today(
    ctx: &Context<'_>,
    district: pendamping_domain::reference::DistrictId,
) -> async_graphql::Result<chrono::NaiveDate> {
    let now = reader(ctx)?.now();
    let zone = batch(ctx)?
        .load_one(district)
        .await?
        .map(|d| d.time_zone)
        .unwrap_or(pendamping_domain::reference::TimeZone::Wib);
    Ok(zone.today(now))
}

pub struct Evidence(pub ai::Evidence);

/// A proof that a fix was made: an uploaded file or a link. Immutable once added.
#[Object]
impl Evidence {
    /// The global ID.
    pub async fn id(&self) -> ID {
        encode(Kind::Evidence, self.0.id.0)
    }
    /// The action item it proves.
    async fn action_item(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<ActionItem>> {
        Ok(batch(ctx)?
            .load_one(self.0.action_item_id)
            .await?
            .map(ActionItem))
    }
    /// File name or link title.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Media type, e.g. `application/pdf`.
    async fn media_type(&self) -> &str {
        &self.0.media_type
    }
    /// Size of the content in bytes (0 for a link).
    async fn size_bytes(&self) -> i64 {
        self.0.size_bytes
    }
    /// Lower-case hex SHA-256 of the content (of the URL, for a link).
    async fn sha256(&self) -> &str {
        &self.0.sha256
    }
    /// The link, for evidence given by reference.
    async fn url(&self) -> Option<&str> {
        self.0.url.as_deref()
    }
    /// Where to download an uploaded file (with the same bearer token); null for a link.
    async fn download_path(&self) -> Option<String> {
        self.0
            .url
            .is_none()
            .then(|| format!("/evidence/{}", encode(Kind::Evidence, self.0.id.0).as_str()))
    }
    /// Who added it.
    async fn uploaded_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        super::user::load_user(ctx, self.0.uploaded_by).await
    }
    /// When it was added.
    async fn uploaded_at(&self) -> DateTime {
        DateTime(self.0.uploaded_at)
    }
}

pub struct Comment(pub ai::Comment);

/// A remark on an action item.
#[Object]
impl Comment {
    /// The global ID.
    pub async fn id(&self) -> ID {
        encode(Kind::Comment, self.0.id.0)
    }
    /// The action item it is on.
    async fn action_item(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<ActionItem>> {
        Ok(batch(ctx)?
            .load_one(self.0.action_item_id)
            .await?
            .map(ActionItem))
    }
    /// The author, when a user wrote it.
    async fn author(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        super::user::load_user(ctx, self.0.author_id).await
    }
    /// The author as shown: the display name (admins read the label as recorded, which is an e-mail on comments written before display names).
    async fn author_label(&self, ctx: &Context<'_>) -> async_graphql::Result<String> {
        super::user::shown_label(ctx, &self.0.author_label, self.0.author_id).await
    }
    /// The text.
    async fn body(&self) -> &str {
        &self.0.body
    }
    /// When it was written.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
}

crate::connection::connection!(AgreementConnection, AgreementEdge, Agreement, "agreements");
crate::connection::connection!(MilestoneConnection, MilestoneEdge, Milestone, "milestones");
crate::connection::connection!(
    ActionItemConnection,
    ActionItemEdge,
    ActionItem,
    "action items"
);
crate::connection::connection!(EvidenceConnection, EvidenceEdge, Evidence, "evidence");
crate::connection::connection!(CommentConnection, CommentEdge, Comment, "comments");

/// Which agreements to list.
#[derive(InputObject, Debug, Default)]
pub struct AgreementsFilter {
    /// Only agreements of this office.
    pub office_id: Option<ID>,
    /// Only agreements with this district.
    pub district_id: Option<ID>,
    /// Only agreements in one of these statuses.
    pub status: Option<Vec<AgreementStatus>>,
}

impl AgreementsFilter {
    pub fn engine(&self) -> async_graphql::Result<pendamping_engine::AgreementFilter> {
        Ok(pendamping_engine::AgreementFilter {
            office_id: decode_opt("filter.officeId", Kind::Office, self.office_id.as_ref())?,
            district_id: decode_opt(
                "filter.districtId",
                Kind::District,
                self.district_id.as_ref(),
            )?,
            statuses: self.status.iter().flatten().map(|s| (*s).into()).collect(),
        })
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
    pub origin: Option<Vec<super::enums::ActionItemOrigin>>,
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
    parent: ActionItemParent,
    id: i64,
    filter: Option<ActionItemsFilterInput>,
    (first, after, last, before): PageArgsOwned,
) -> async_graphql::Result<ActionItemConnection> {
    let filter = filter.unwrap_or_default().engine()?;
    let page = page_request(
        first,
        after.as_deref(),
        last,
        before.as_deref(),
        ACTION_ITEMS_BY_DUE,
    )?;
    let found = batch(ctx)?
        .load_one(ActionItemsOf {
            parent,
            id,
            filter: filter.clone(),
            page,
        })
        .await?
        .unwrap_or_else(Page::empty);
    Ok(ActionItemConnection::new(
        ACTION_ITEMS_BY_DUE,
        wrap(found, ActionItem),
        Total::Nested(CountOf::ActionItemsOf(parent, id, filter)),
    ))
}
