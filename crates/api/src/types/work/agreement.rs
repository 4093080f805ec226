//! The `Agreement` and `Amendment` objects and the agreements filter.

use super::*;

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
    ) -> async_graphql::Result<Vec<crate::actions::AvailableAction>> {
        let open = batch(ctx)?
            .load_one(crate::loaders::OpenMilestonesOf(self.0.id.0))
            .await?
            .unwrap_or(0);
        let facts = pendamping_domain::lifecycle::Facts::of_agreement(&self.0, open);
        let target =
            pendamping_domain::policy::Target::district(self.0.office_id, self.0.district_id);
        crate::actions::available(
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
    ) -> async_graphql::Result<Vec<crate::types::audit::AuditEvent>> {
        history_of(ctx, pendamping_engine::HistoryOf::Agreement(self.0.id)).await
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
    ) -> async_graphql::Result<crate::types::analytics::ActionItemStats> {
        let parent = pendamping_engine::ItemsIn::Agreement(self.0.id);
        crate::types::analytics::stats_of(ctx, parent).await
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
    ) -> async_graphql::Result<Vec<crate::types::analytics::ActionItemWeek>> {
        let zone = match batch(ctx)?.load_one(self.0.district_id).await? {
            Some(district) => district.time_zone,
            None => return Ok(Vec::new()),
        };
        let parent = pendamping_engine::ItemsIn::Agreement(self.0.id);
        crate::types::analytics::trend_of(ctx, parent, zone, weeks).await
    }
    /// Its action items by status for each OPD in its scope (those you may see), by OPD name.
    async fn action_item_stats_by_opd(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<crate::types::analytics::OpdActionItemStats>> {
        let ids = batch(ctx)?
            .load_one(OpdIdsOfAgreement(self.0.id.0))
            .await?
            .unwrap_or_default();
        let mut opds = visible_opds(ctx, ids).await?;
        opds.sort_by(|a, b| a.0.name.cmp(&b.0.name));
        let mut rows = Vec::with_capacity(opds.len());
        let in_agreement = |opd| pendamping_engine::ItemsIn::OpdInAgreement(opd, self.0.id);
        let figures = crate::types::analytics::figures_asked(ctx.look_ahead().field("stats"));
        let stats = futures_util::future::try_join_all(opds.iter().map(|opd| {
            crate::types::analytics::stats_as_asked(ctx, in_agreement(opd.0.id), figures)
        }))
        .await?;
        for (opd, stats) in opds.into_iter().zip(stats) {
            rows.push(crate::types::analytics::OpdActionItemStats { opd, stats });
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
        let id = self.0.id.0;
        child_connection(
            ctx,
            (first, after, last, before),
            MILESTONES_BY_DATE,
            |page| MilestonesOfAgreement(id, page),
            CountOf::MilestonesOfAgreement(id),
            Milestone,
        )
        .await
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
            ItemParent::Agreement(self.0.id),
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
