//! `Office`, `District` and `Opd`.

use async_graphql::{Context, ID, InputObject, Object};
use pendamping_domain::reference as d;
use pendamping_domain::score::ScoreKind as DomainScoreKind;
use pendamping_engine::{AggregateOf, ItemParent, ItemsIn, ScoreSubject};

use super::analytics::{self, ActionItemStats, ActionItemWeek, ScoreAggregate, ScoreStandings};
use super::child_connection;
use super::enums::{DistrictKind, OpdKind, ScoreKind, TimeZone};
use super::scores::{ScoreEntry, ScoreHistoryEntry};
use super::work::{ActionItemConnection, ActionItemsFilterInput};
use crate::connection::{OrderTag, page_complexity, page_request};
use crate::context::batch;
use crate::id::{Kind, encode};
use crate::loaders::{CountOf, DistrictsOfOffice, OpdsOfDistrict, ScoreHistoryOf};
use crate::scalars::DateTime;
use crate::total::Total;

pub const DISTRICTS_BY_NAME: OrderTag = OrderTag::new("district", "name");
pub const OPDS_BY_NAME: OrderTag = OrderTag::new("opd", "name");

pub struct Office(pub d::Office);

/// An Ombudsman office (*Ombudsman RI Perwakilan …*), which oversees the districts of its province.
#[Object]
impl Office {
    /// The global ID.
    pub async fn id(&self) -> ID {
        encode(Kind::Office, self.0.id.0)
    }
    /// Short stable code, e.g. `SULBAR`.
    async fn code(&self) -> &str {
        &self.0.code
    }
    /// Full name, e.g. *Ombudsman RI Perwakilan Sulawesi Barat*.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// The province the office serves.
    async fn province(&self) -> &str {
        &self.0.province
    }
    /// The office's time zone.
    async fn time_zone(&self) -> TimeZone {
        self.0.time_zone.into()
    }
    /// When the record was created.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
    /// Its figure per assessment period — the mean of its districts' figures — with zone, change and the zones of its districts; oldest first.
    async fn score_aggregates(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 5, desc = "Only the last this many periods.")] last: i32,
    ) -> async_graphql::Result<Vec<ScoreAggregate>> {
        analytics::aggregates_of(ctx, AggregateOf::Office(self.0.id), Some(last)).await
    }
    /// Its districts that did best, worst, improved most and slipped a zone in a period.
    async fn district_standings(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The assessment year (default: the latest with figures).")] year: Option<
            i32,
        >,
        #[graphql(default = 3, desc = "How many best, worst and most improved (1–100).")]
        limit: i32,
    ) -> async_graphql::Result<Option<ScoreStandings>> {
        analytics::standings_of(ctx, AggregateOf::Office(self.0.id), year, limit).await
    }
    /// Its districts' action items counted by status, overdue, on-time rate and time to verify.
    async fn action_item_stats(&self, ctx: &Context<'_>) -> async_graphql::Result<ActionItemStats> {
        analytics::stats_of(ctx, ItemsIn::Office(self.0.id)).await
    }
    /// Its districts' action items week by week (burn-down), oldest week first.
    async fn action_item_trend(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            default = 12,
            desc = "How many weeks, up to and including this one (1–104)."
        )]
        weeks: i32,
    ) -> async_graphql::Result<Vec<ActionItemWeek>> {
        analytics::trend_of(ctx, ItemsIn::Office(self.0.id), self.0.time_zone, weeks).await
    }
    /// The districts this office oversees, by name.
    #[graphql(complexity = "page_complexity(child_complexity, first, last)")]
    async fn districts(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Take this many items from the start (at most 100; default 20).")]
        first: Option<i32>,
        #[graphql(desc = "Start after this cursor.")] after: Option<String>,
        #[graphql(desc = "Take this many items from the end (at most 100).")] last: Option<i32>,
        #[graphql(desc = "End before this cursor.")] before: Option<String>,
    ) -> async_graphql::Result<DistrictConnection> {
        let id = self.0.id.0;
        child_connection(
            ctx,
            (first, after, last, before),
            DISTRICTS_BY_NAME,
            |page| DistrictsOfOffice(id, page),
            CountOf::DistrictsOfOffice(id),
            District,
        )
        .await
    }
}

pub struct District(pub d::District);

/// A local government (*Pemerintah Daerah*) — province, regency (*kabupaten*) or city (*kota*) — mentored by one office.
#[Object]
impl District {
    /// The global ID.
    pub async fn id(&self) -> ID {
        encode(Kind::District, self.0.id.0)
    }
    /// Province, regency or city.
    async fn kind(&self) -> DistrictKind {
        self.0.kind.into()
    }
    /// Name, e.g. *Kabupaten Mamuju Tengah*.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// The province it lies in.
    async fn province(&self) -> &str {
        &self.0.province
    }
    /// Its time zone: due dates are calendar dates here.
    async fn time_zone(&self) -> TimeZone {
        self.0.time_zone.into()
    }
    /// When the record was created.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
    /// The office that oversees it.
    async fn office(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Office>> {
        Ok(batch(ctx)?.load_one(self.0.office_id).await?.map(Office))
    }
    /// Its figure per assessment period — its own official score when recorded, else the mean of its OPDs' — with zone, change and the zones of its OPDs; oldest first.
    async fn score_aggregates(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 5, desc = "Only the last this many periods.")] last: i32,
    ) -> async_graphql::Result<Vec<ScoreAggregate>> {
        analytics::aggregates_of(ctx, AggregateOf::District(self.0.id), Some(last)).await
    }
    /// Its OPDs that did best, worst, improved most and slipped a zone in a period.
    async fn opd_standings(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The assessment year (default: the latest with figures).")] year: Option<
            i32,
        >,
        #[graphql(default = 3, desc = "How many best, worst and most improved (1–100).")]
        limit: i32,
    ) -> async_graphql::Result<Option<ScoreStandings>> {
        analytics::standings_of(ctx, AggregateOf::District(self.0.id), year, limit).await
    }
    /// Its action items counted by status, overdue, on-time rate and time to verify.
    async fn action_item_stats(&self, ctx: &Context<'_>) -> async_graphql::Result<ActionItemStats> {
        analytics::district_stats(ctx, self.0.id).await
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
    ) -> async_graphql::Result<Vec<ActionItemWeek>> {
        analytics::trend_of(ctx, ItemsIn::District(self.0.id), self.0.time_zone, weeks).await
    }
    /// Its OPDs (that you may see), by name.
    #[graphql(complexity = "page_complexity(child_complexity, first, last)")]
    async fn opds(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Take this many items from the start (at most 100; default 20).")]
        first: Option<i32>,
        #[graphql(desc = "Start after this cursor.")] after: Option<String>,
        #[graphql(desc = "Take this many items from the end (at most 100).")] last: Option<i32>,
        #[graphql(desc = "End before this cursor.")] before: Option<String>,
    ) -> async_graphql::Result<OpdConnection> {
        let page = page_request(
            first,
            after.as_deref(),
            last,
            before.as_deref(),
            OPDS_BY_NAME,
        )?;
        let loader = batch(ctx)?;
        loader
            .loader()
            .listed_districts
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .insert(self.0.id);
        let found = loader
            .load_one(OpdsOfDistrict(self.0.id.0, page))
            .await?
            .unwrap_or_else(pendamping_engine::Page::empty);
        // A query naming these OPDs again (standings, rankings) finds them here.
        loader
            .feed_many(found.items.iter().map(|(_, opd)| (opd.id, opd.clone())))
            .await;
        Ok(OpdConnection::new(
            OPDS_BY_NAME,
            wrap(found, Opd),
            Total::Nested(CountOf::OpdsOfDistrict(self.0.id.0)),
        ))
    }
    /// The district's own (government-level) scores of one kind, oldest period first.
    async fn score_history(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            default_with = "ScoreKind::Official",
            desc = "Which kind of score (default: official)."
        )]
        kind: ScoreKind,
        #[graphql(desc = "Only periods of this year or later.")] from: Option<i32>,
        #[graphql(desc = "Only periods of this year or earlier.")] to: Option<i32>,
        #[graphql(desc = "Only the last this many periods (at least 1).")] last: Option<i32>,
    ) -> async_graphql::Result<Vec<ScoreHistoryEntry>> {
        let subject = ScoreSubject::District(self.0.id);
        ScoreHistoryEntry::of(ctx, subject, kind.into(), (from, to, last)).await
    }
    /// Its score targets (its own, not its OPDs'), oldest year first.
    async fn score_targets(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<crate::scoring::ScoreTarget>> {
        crate::scoring::targets(ctx, ScoreSubject::District(self.0.id)).await
    }
    /// Its target for a year beside its figure of that year (met or not); null without a target.
    async fn target_progress(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The assessment year.")] year: i32,
    ) -> async_graphql::Result<Option<crate::scoring::TargetProgress>> {
        crate::scoring::progress(ctx, self.0.id, None, year).await
    }
    /// Its Ombudsman supervision products of a year followed up to completion against all of them: the way to *Tanpa Maladministrasi*.
    async fn product_follow_up(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The year the products count for.")] year: i32,
    ) -> async_graphql::Result<crate::scoring::ProductFollowUp> {
        crate::scoring::follow_up(ctx, ScoreSubject::District(self.0.id), year).await
    }
}

pub struct Opd(pub d::Opd);

async fn succession(
    ctx: &Context<'_>,
    opd: i64,
    predecessors: bool,
) -> async_graphql::Result<Vec<Opd>> {
    Ok(batch(ctx)?
        .load_one(crate::work_rules::SuccessionOf { opd, predecessors })
        .await?
        .unwrap_or_default()
        .into_iter()
        .map(Opd)
        .collect())
}

/// A work unit of a district (*Organisasi Perangkat Daerah*), e.g. *Dinas Kesehatan* or the *RSUD*.
#[Object]
impl Opd {
    /// The global ID.
    pub async fn id(&self) -> ID {
        encode(Kind::Opd, self.0.id.0)
    }
    /// Full name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Common short name, e.g. *Dukcapil*, *DPMPTSP*.
    async fn short_name(&self) -> Option<&str> {
        self.0.short_name.as_deref()
    }
    /// What kind of unit it is.
    async fn kind(&self) -> OpdKind {
        self.0.kind.into()
    }
    /// The head's title (never a personal name), e.g. *Kepala Dinas Kesehatan*.
    async fn head_title(&self) -> Option<&str> {
        self.0.head_title.as_deref()
    }
    /// False once deactivated (dissolved, or merged or split into other OPDs):
    /// it keeps its history and scores but takes no new agreements or items.
    async fn active(&self) -> bool {
        self.0.active
    }
    /// When it was deactivated, if it is inactive.
    async fn deactivated_at(&self) -> Option<DateTime> {
        self.0.deactivated_at.map(DateTime)
    }
    /// The OPDs it came from through recorded reorganisations (their past scores stay with them).
    async fn predecessors(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Opd>> {
        succession(ctx, self.0.id.0, true).await
    }
    /// The OPDs it went into through recorded reorganisations (its open items moved there).
    async fn successors(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Opd>> {
        succession(ctx, self.0.id.0, false).await
    }
    /// When the record was created.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }
    /// The district it belongs to.
    async fn district(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<District>> {
        Ok(batch(ctx)?
            .load_one(self.0.district_id)
            .await?
            .map(District))
    }
    /// Its action items counted by status, overdue, on-time rate and time to verify.
    async fn action_item_stats(&self, ctx: &Context<'_>) -> async_graphql::Result<ActionItemStats> {
        analytics::opd_stats(ctx, &self.0).await
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
    ) -> async_graphql::Result<Vec<ActionItemWeek>> {
        let zone = match batch(ctx)?.load_one(self.0.district_id).await? {
            Some(district) => district.time_zone,
            None => return Ok(Vec::new()),
        };
        analytics::trend_of(ctx, ItemsIn::Opd(self.0.id), zone, weeks).await
    }
    /// Its action items, by due date.
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
        super::work::nested_action_items(
            ctx,
            ItemParent::Opd(self.0.id),
            filter,
            (first, after, last, before),
        )
        .await
    }
    /// Its scores of one kind, oldest period first, each with its band and the change since the previous period.
    async fn score_history(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            default_with = "ScoreKind::Official",
            desc = "Which kind of score (default: official)."
        )]
        kind: ScoreKind,
        #[graphql(desc = "Only periods of this year or later.")] from: Option<i32>,
        #[graphql(desc = "Only periods of this year or earlier.")] to: Option<i32>,
        #[graphql(desc = "Only the last this many periods (at least 1).")] last: Option<i32>,
    ) -> async_graphql::Result<Vec<ScoreHistoryEntry>> {
        let subject = ScoreSubject::Opd(self.0.id);
        ScoreHistoryEntry::of(ctx, subject, kind.into(), (from, to, last)).await
    }
    /// Its most recent score of one kind.
    async fn latest_score(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            default_with = "ScoreKind::Official",
            desc = "Which kind of score (default: official)."
        )]
        kind: ScoreKind,
    ) -> async_graphql::Result<Option<ScoreEntry>> {
        let records = batch(ctx)?
            .load_one(ScoreHistoryOf {
                subject: ScoreSubject::Opd(self.0.id),
                kind: DomainScoreKind::from(kind),
                with_dimensions: ctx.look_ahead().field("dimensionValues").exists(),
            })
            .await?
            .unwrap_or_default();
        Ok(records.last().cloned().map(ScoreEntry))
    }
    /// Its score targets, oldest year first.
    async fn score_targets(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<crate::scoring::ScoreTarget>> {
        crate::scoring::targets(ctx, ScoreSubject::Opd(self.0.id)).await
    }
    /// Its target for a year beside its official score of that year (met or not); null without a target.
    async fn target_progress(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The assessment year.")] year: i32,
    ) -> async_graphql::Result<Option<crate::scoring::TargetProgress>> {
        crate::scoring::progress(ctx, self.0.district_id, Some(self.0.id), year).await
    }
    /// Its Ombudsman supervision products of a year followed up to completion against all of them.
    async fn product_follow_up(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The year the products count for.")] year: i32,
    ) -> async_graphql::Result<crate::scoring::ProductFollowUp> {
        crate::scoring::follow_up(ctx, ScoreSubject::Opd(self.0.id), year).await
    }
}

/// Wraps every item of a page.
pub fn wrap<T, U>(
    page: pendamping_engine::Page<T>,
    f: impl Fn(T) -> U,
) -> pendamping_engine::Page<U> {
    match page.try_map(|t| Ok::<U, std::convert::Infallible>(f(t))) {
        Ok(page) => page,
        Err(never) => match never {},
    }
}

crate::connection::connection!(OfficeConnection, OfficeEdge, Office, "Ombudsman offices");
crate::connection::connection!(DistrictConnection, DistrictEdge, District, "districts");
crate::connection::connection!(OpdConnection, OpdEdge, Opd, "OPDs");

/// Which districts to list.
#[derive(InputObject, Debug, Default)]
pub struct DistrictsFilter {
    /// Only districts overseen by this office.
    pub office_id: Option<ID>,
    /// Only districts of this kind.
    pub kind: Option<DistrictKind>,
}

/// Which OPDs to list.
#[derive(InputObject, Debug, Default)]
pub struct OpdsFilter {
    /// Only OPDs of this district.
    pub district_id: Option<ID>,
    /// Only OPDs of this kind.
    pub kind: Option<OpdKind>,
    /// Only OPDs whose name contains this text (case-sensitive).
    pub name_contains: Option<String>,
}

/// The field a list of named records is sorted by.
#[derive(async_graphql::Enum, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NameOrderField {
    /// By name, then by ID.
    #[default]
    Name,
    /// By ID (creation order).
    Id,
}

/// How a list of named records is sorted.
#[derive(InputObject, Debug, Clone, Copy, Default)]
pub struct NameOrder {
    /// The field to sort by.
    #[graphql(default)]
    pub field: NameOrderField,
    /// The direction.
    #[graphql(default)]
    pub direction: super::enums::OrderDirection,
}

impl NameOrder {
    pub fn engine(self) -> pendamping_engine::Ordering<pendamping_engine::NameOrder> {
        pendamping_engine::Ordering {
            field: match self.field {
                NameOrderField::Name => pendamping_engine::NameOrder::Name,
                NameOrderField::Id => pendamping_engine::NameOrder::Id,
            },
            descending: self.direction == super::enums::OrderDirection::Desc,
        }
    }

    /// The cursor tag of this order in the list `list`.
    pub fn tag(self, list: &'static str) -> OrderTag {
        use super::enums::OrderDirection::{Asc, Desc};
        OrderTag::new(
            list,
            match (self.field, self.direction) {
                (NameOrderField::Name, Asc) => "name",
                (NameOrderField::Name, Desc) => "name.desc",
                (NameOrderField::Id, Asc) => "id",
                (NameOrderField::Id, Desc) => "id.desc",
            },
        )
    }
}
