//! Dashboard analytics: score aggregates per period, standings, rankings,
//! action-item statistics and their weekly trend. The figures and what is
//! derived from them come from the domain's read models
//! (`pendamping_domain::figures`), filled by the engine's reader; here they
//! are only batched, classified by the period's methodology and shaped.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use async_graphql::{Context, Enum, Object, SimpleObject};
use pendamping_domain::action_item::ActionItemStatus as DomainStatus;
use pendamping_domain::figures::hundredths as figure;
use pendamping_domain::read::Kinded;
use pendamping_domain::reference::{DistrictId, Opd as DomainOpd, OpdId, TimeZone};
use pendamping_domain::score::{
    AssessmentPeriod as DomainPeriod, AssessmentPeriodId, Score, ScoreKind,
};
use pendamping_engine::{
    AggregateLevel, AggregateOf, AggregatePoint, ItemFigures, ItemStats, ItemsIn, PeriodAggregate,
    Ranked, Standing, Week, WeekCounts,
};

use super::enums::{ActionItemStatus, Zone};
use super::reference::{District, Opd};
use super::scores::{AssessmentPeriod, Band};
use crate::context::batch;
use crate::error::{bad_argument, gql};
use crate::loaders::{Batch, answer_grouped};
use crate::scalars::Date;

type Result<T> = std::result::Result<T, async_graphql::Error>;

// ---- loaders ---------------------------------------------------------------

/// Every assessment period (a handful), loaded once per request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AllPeriods;

impl Loader<AllPeriods> for Batch {
    type Value = Vec<DomainPeriod>;
    type Error = async_graphql::Error;

    async fn load(&self, _: &[AllPeriods]) -> Result<HashMap<AllPeriods, Vec<DomainPeriod>>> {
        let periods = self.reader.all_periods().await.map_err(gql)?;
        Ok(HashMap::from([(AllPeriods, periods)]))
    }
}

/// The per-period aggregates of one district or office.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AggregatesOf {
    pub of: AggregateOf,
    pub kind: ScoreKind,
}

impl Loader<AggregatesOf> for Batch {
    type Value = Vec<PeriodAggregate>;
    type Error = async_graphql::Error;

    async fn load(
        &self,
        keys: &[AggregatesOf],
    ) -> Result<HashMap<AggregatesOf, Vec<PeriodAggregate>>> {
        let read = |kind, subjects: Vec<AggregateOf>| async move {
            let aggregates = self.reader.period_aggregates(&subjects, kind).await;
            aggregates.map_err(gql)
        };
        answer_grouped(keys, |k| (k.kind, k.of), read, |_| Vec::new()).await
    }
}

/// The standings of one district's OPDs or one office's districts in a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StandingsOf {
    pub of: AggregateOf,
    pub period: AssessmentPeriodId,
    pub previous: Option<AssessmentPeriodId>,
    /// Whether both periods share a methodology.
    pub comparable: bool,
    pub limit: u32,
}

impl Loader<StandingsOf> for Batch {
    type Value = Vec<Standing>;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[StandingsOf]) -> Result<HashMap<StandingsOf, Vec<Standing>>> {
        let split = |k: &StandingsOf| ((k.period, k.previous, k.comparable, k.limit), k.of);
        let read = |(period, previous, comparable, limit), parents: Vec<AggregateOf>| async move {
            let standings = self
                .reader
                .standings(&parents, period, previous, comparable, limit)
                .await;
            standings.map_err(gql)
        };
        answer_grouped(keys, split, read, |_| Vec::new()).await
    }
}

/// The action-item statistics of one parent, worked out as far as asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ItemStatsOf(pub ItemsIn, pub ItemFigures);

impl Loader<ItemStatsOf> for Batch {
    type Value = ItemStats;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[ItemStatsOf]) -> Result<HashMap<ItemStatsOf, ItemStats>> {
        let read = |figures, parents: Vec<ItemsIn>| async move {
            let stats = self.reader.action_item_stats(&parents, figures).await;
            stats.map_err(gql)
        };
        let none = |parent: ItemsIn| ItemStats::none(parent.row());
        answer_grouped(keys, |k| (k.1, k.0), read, none).await
    }
}

/// Verified on time and the median days to verification of one parent
/// (see `district_stats`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TimelinessOf(pub ItemsIn);

impl Loader<TimelinessOf> for Batch {
    type Value = (i64, Option<f64>);
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[TimelinessOf]) -> Result<HashMap<TimelinessOf, Self::Value>> {
        let parents: Vec<ItemsIn> = keys.iter().map(|k| k.0).collect();
        let mut rows = self
            .reader
            .verification_timeliness(&parents)
            .await
            .map_err(gql)?;
        Ok(parents
            .into_iter()
            .map(|p| (TimelinessOf(p), rows.remove(&p).unwrap_or((0, None))))
            .collect())
    }
}

/// The per-OPD counts of one district (see [`opd_counts_in`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OpdCountsIn(pub DistrictId);

impl Loader<OpdCountsIn> for Batch {
    type Value = Arc<HashMap<OpdId, ItemStats>>;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[OpdCountsIn]) -> Result<HashMap<OpdCountsIn, Self::Value>> {
        let districts: Vec<DistrictId> = keys.iter().map(|k| k.0).collect();
        let mut rows = self
            .reader
            .opd_item_counts_in_districts(&districts)
            .await
            .map_err(gql)?;
        Ok(districts
            .into_iter()
            .map(|d| {
                (
                    OpdCountsIn(d),
                    Arc::new(rows.remove(&d).unwrap_or_default()),
                )
            })
            .collect())
    }
}

/// The counts of each OPD of `district` (within reach), counted once per
/// request in one pass over the district's items: the district's own counts
/// are their sum, and the OPDs its board lists read theirs from the same pass.
async fn opd_counts_in(
    ctx: &Context<'_>,
    district: DistrictId,
) -> Result<Arc<HashMap<OpdId, ItemStats>>> {
    let loader = batch(ctx)?;
    loader
        .loader()
        .district_counts
        .get(district, || async move {
            Ok(loader
                .load_one(OpdCountsIn(district))
                .await?
                .unwrap_or_default())
        })
        .await
}

/// A district's action-item figures, as far as the field's selection asks.
pub async fn district_stats(ctx: &Context<'_>, district: DistrictId) -> Result<ActionItemStats> {
    match figures_asked(ctx.look_ahead()) {
        ItemFigures::Counts => {
            let opds = opd_counts_in(ctx, district).await?;
            Ok(ActionItemStats(ItemStats::sum_of(
                district.0,
                opds.values(),
            )))
        }
        // The counts from the same per-OPD pass; of the items, only the
        // verified ones are read again, for the timeliness figures.
        ItemFigures::WithTimeliness => {
            let timeliness = async {
                batch(ctx)?
                    .load_one(TimelinessOf(ItemsIn::District(district)))
                    .await
            };
            let (opds, timeliness) = tokio::join!(opd_counts_in(ctx, district), timeliness);
            let mut stats = ItemStats::sum_of(district.0, opds?.values());
            (stats.verified_on_time, stats.median_days_to_verify) =
                timeliness?.unwrap_or((0, None));
            Ok(ActionItemStats(stats))
        }
    }
}

/// An OPD's action-item figures, as far as the field's selection asks; from
/// its district's per-OPD counts when this request lists the district's OPDs.
pub async fn opd_stats(ctx: &Context<'_>, opd: &DomainOpd) -> Result<ActionItemStats> {
    let figures = figures_asked(ctx.look_ahead());
    let listed = batch(ctx)?
        .loader()
        .listed_districts
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .contains(&opd.district_id);
    if figures == ItemFigures::Counts && listed {
        let opds = opd_counts_in(ctx, opd.district_id).await?;
        let counted = opds.get(&opd.id).cloned();
        return Ok(ActionItemStats(
            counted.unwrap_or_else(|| ItemStats::none(opd.id.0)),
        ));
    }
    stats_as_asked(ctx, ItemsIn::Opd(opd.id), figures).await
}

/// The weekly trend of one parent's action items.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TrendOf {
    pub parent: ItemsIn,
    pub zone: TimeZone,
    pub weeks: u32,
}

impl Loader<TrendOf> for Batch {
    type Value = Vec<ActionItemWeek>;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[TrendOf]) -> Result<HashMap<TrendOf, Vec<ActionItemWeek>>> {
        let read = |(zone, weeks), parents: Vec<ItemsIn>| async move {
            let (calendar, mut rows) = self
                .reader
                .weekly_trend(&parents, zone, weeks)
                .await
                .map_err(gql)?;
            // Every week of the calendar, counted or not (then zero).
            Ok(parents
                .into_iter()
                .map(|parent| {
                    let counts = rows.remove(&parent).unwrap_or_default();
                    let counted: HashMap<i64, WeekCounts> =
                        counts.into_iter().map(|r| (r.week, r)).collect();
                    let trend = calendar
                        .iter()
                        .enumerate()
                        .map(|(n, week)| ActionItemWeek::new(week, counted.get(&(n as i64))))
                        .collect();
                    (parent, trend)
                })
                .collect())
        };
        answer_grouped(
            keys,
            |k| ((k.zone, k.weeks), k.parent),
            read,
            |_| Vec::new(),
        )
        .await
    }
}

// ---- score aggregates ---------------------------------------------------------

/// What a subject's figure for a period is.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum AggregateBasis {
    /// The district's own official score, as published.
    OwnScore,
    /// The mean of its OPDs' scores (no own score was recorded).
    MeanOfOpds,
    /// The mean of its districts' figures (an office).
    MeanOfDistricts,
}

/// How many members fall in each zone.
#[derive(SimpleObject, Debug, Clone, Copy, PartialEq, Eq)]
pub struct ZoneDistribution {
    /// *Zona hijau* (green; grades A and B).
    pub green: i32,
    /// *Zona kuning* (yellow; grade C).
    pub yellow: i32,
    /// *Zona merah* (red; grades D and E).
    pub red: i32,
}

/// A district's or office's figure in one assessment period.
pub struct ScoreAggregate {
    pub level: AggregateLevel,
    pub point: AggregatePoint,
}

impl ScoreAggregate {
    /// The aggregates of one subject, oldest first, each with the one before it; the last `last`.
    pub fn series(
        level: AggregateLevel,
        rows: Vec<PeriodAggregate>,
        periods: &[DomainPeriod],
        last: Option<i32>,
    ) -> Vec<ScoreAggregate> {
        AggregatePoint::series(rows, periods, last)
            .into_iter()
            .map(|point| ScoreAggregate { level, point })
            .collect()
    }

    /// The figures of the period.
    pub fn row(&self) -> &PeriodAggregate {
        &self.point.aggregate
    }

    fn figure_hundredths(&self) -> Option<i64> {
        self.row().figure()
    }

    async fn classify(&self, ctx: &Context<'_>) -> Result<Option<Band>> {
        let Some(total) = self.figure_hundredths() else {
            return Ok(None);
        };
        let period = batch(ctx)?
            .load_one(pendamping_domain::score::AssessmentPeriodId(
                self.row().period_id,
            ))
            .await?;
        let Some(period) = period else {
            return Ok(None);
        };
        let methodology = batch(ctx)?.load_one(period.methodology_id).await?;
        let score = Score::from_hundredths(total).map_err(|e| bad_argument("total", e))?;
        Ok(methodology.and_then(|m| m.classify(score).map(Band::from)))
    }
}

/// A district's or office's figure in one assessment period, with its band, change and the zones of its members.
#[Object]
impl ScoreAggregate {
    /// The assessment period.
    async fn period(&self, ctx: &Context<'_>) -> Result<Option<AssessmentPeriod>> {
        Ok(batch(ctx)?
            .load_one(pendamping_domain::score::AssessmentPeriodId(
                self.row().period_id,
            ))
            .await?
            .map(AssessmentPeriod))
    }
    /// The figure: a district's own official score when recorded, else the
    /// mean of its members' figures (rounded to two decimals).
    async fn score(&self) -> Option<f64> {
        self.figure_hundredths().map(figure)
    }
    /// Where the figure comes from.
    async fn basis(&self) -> AggregateBasis {
        match (self.level, self.row().own_total) {
            (AggregateLevel::District, Some(_)) => AggregateBasis::OwnScore,
            (AggregateLevel::District, None) => AggregateBasis::MeanOfOpds,
            (AggregateLevel::Office, _) => AggregateBasis::MeanOfDistricts,
        }
    }
    /// The mean of the members' figures (OPDs of a district, districts of an office).
    async fn members_mean(&self) -> Option<f64> {
        self.row().members_mean.map(figure)
    }
    /// How many members have a figure in this period (that you may see).
    async fn members_scored(&self) -> i32 {
        i32::try_from(self.row().members_scored).unwrap_or(i32::MAX)
    }
    /// The band of the figure under the period's methodology.
    async fn band(&self, ctx: &Context<'_>) -> Result<Option<Band>> {
        self.classify(ctx).await
    }
    /// The zone of the figure.
    async fn zone(&self, ctx: &Context<'_>) -> Result<Option<Zone>> {
        Ok(self.classify(ctx).await?.and_then(|b| b.zone))
    }
    /// Change of the figure since the previous period with one; null for the first and across a change of methodology (`methodBreak`), where a difference is not a change.
    async fn change(&self) -> Option<f64> {
        self.point.change().map(figure)
    }
    /// Whether the methodology changed since the previous period with a figure (KSP-2021 → PKP-2022 → OPINI-2025): a trend draws a break here.
    async fn method_break(&self) -> bool {
        self.point.method_break
    }
    /// Whether this figure can be compared with the previous one (same methodology); false for the first.
    async fn comparable(&self) -> bool {
        self.point.comparable()
    }
    /// How many members are in each zone.
    async fn zone_distribution(&self) -> ZoneDistribution {
        let count = |n: i64| i32::try_from(n).unwrap_or(i32::MAX);
        ZoneDistribution {
            green: count(self.row().green),
            yellow: count(self.row().yellow),
            red: count(self.row().red),
        }
    }
}

/// The period a standings question is about, the one before it, and whether
/// the two share a methodology (comparable).
pub async fn period_and_previous(
    ctx: &Context<'_>,
    year: Option<i32>,
    latest_with_figures: Option<i64>,
) -> Result<Option<(DomainPeriod, Option<AssessmentPeriodId>, bool)>> {
    let periods = batch(ctx)?.load_one(AllPeriods).await?.unwrap_or_default();
    let position = match year {
        Some(year) => periods.iter().position(|p| p.year == year).ok_or_else(|| {
            bad_argument("year", format!("there is no assessment period for {year}"))
        })?,
        None => {
            match latest_with_figures.and_then(|id| periods.iter().position(|p| p.id.0 == id)) {
                Some(position) => position,
                None => return Ok(None),
            }
        }
    };
    let previous = position.checked_sub(1).and_then(|p| periods.get(p));
    let comparable = previous.is_some_and(|p| p.methodology_id == periods[position].methodology_id);
    Ok(Some((
        periods[position].clone(),
        previous.map(|p| p.id),
        comparable,
    )))
}

/// One member's figure in a period beside the period before (and whether the two compare).
pub struct ScoreStanding(pub Standing, pub AggregateLevel, pub bool);

/// One member's figure in a period, beside its figure in the period before.
#[Object]
impl ScoreStanding {
    /// The OPD (in a district's standings); null in an office's.
    async fn opd(&self, ctx: &Context<'_>) -> Result<Option<Opd>> {
        match self.1 {
            AggregateLevel::District => Ok(batch(ctx)?
                .load_one(OpdId(self.0.member_id))
                .await?
                .map(Opd)),
            AggregateLevel::Office => Ok(None),
        }
    }
    /// The district (the OPD's, in a district's standings).
    async fn district(&self, ctx: &Context<'_>) -> Result<Option<District>> {
        Ok(batch(ctx)?
            .load_one(DistrictId(self.0.district_id))
            .await?
            .map(District))
    }
    /// The figure in the period.
    async fn total(&self) -> f64 {
        figure(self.0.total)
    }
    /// Its zone.
    async fn zone(&self) -> Option<Zone> {
        self.0.zone.map(Zone::from)
    }
    /// The figure in the period before, if any.
    async fn previous_total(&self) -> Option<f64> {
        self.0.previous_total.map(figure)
    }
    /// The zone in the period before, if any.
    async fn previous_zone(&self) -> Option<Zone> {
        self.0.previous_zone.map(Zone::from)
    }
    /// Change since the period before; null across a change of methodology.
    async fn change(&self) -> Option<f64> {
        self.0.change(self.2).map(figure)
    }
    /// Whether the period before was assessed under the same methodology.
    async fn comparable(&self) -> bool {
        self.2 && self.0.previous_total.is_some()
    }
}

/// Who did best, worst, improved most and slipped a zone in one period.
pub struct ScoreStandings {
    pub period: DomainPeriod,
    pub level: AggregateLevel,
    pub rows: Vec<Standing>,
    /// Whether the period before shares this period's methodology.
    pub comparable: bool,
}

impl ScoreStandings {
    fn pick(&self, keep: impl Fn(&Standing) -> bool) -> Vec<ScoreStanding> {
        self.rows
            .iter()
            .filter(|r| keep(r))
            .cloned()
            .map(|r| ScoreStanding(r, self.level, self.comparable))
            .collect()
    }
}

/// Who did best, worst, improved most and slipped a zone in one period.
#[Object]
impl ScoreStandings {
    /// The period.
    async fn period(&self) -> AssessmentPeriod {
        AssessmentPeriod(self.period.clone())
    }
    /// Whether the period before was assessed under another methodology: then nobody is "most improved" or "moved down a zone", since a difference across methods is not a change.
    async fn method_break(&self) -> bool {
        !self.comparable
    }
    /// The highest figures, best first.
    async fn best(&self) -> Vec<ScoreStanding> {
        self.pick(|r| r.is_best)
    }
    /// The lowest figures, worst first.
    async fn worst(&self) -> Vec<ScoreStanding> {
        let mut worst = self.pick(|r| r.is_worst);
        worst.sort_by_key(|s| (s.0.total, s.0.member_id));
        worst
    }
    /// The largest gains since the period before, largest first.
    async fn most_improved(&self) -> Vec<ScoreStanding> {
        let mut improved = self.pick(|r| r.is_most_improved);
        improved.sort_by_key(|s| (std::cmp::Reverse(s.0.gain()), s.0.member_id));
        improved
    }
    /// Every member whose zone is lower than in the period before.
    async fn moved_down_a_zone(&self) -> Vec<ScoreStanding> {
        self.pick(|r| r.moved_down)
    }
}

/// A place in a ranking. Ties share a rank (1, 2, 2, 4).
pub struct RankedScore(pub Ranked, pub bool);

/// A place in a ranking. Ties share a rank (1, 2, 2, 4).
#[Object]
impl RankedScore {
    /// The place, 1 for the best.
    async fn rank(&self) -> i32 {
        i32::try_from(self.0.rank).unwrap_or(i32::MAX)
    }
    /// How many were ranked (that you may see).
    async fn out_of(&self) -> i32 {
        i32::try_from(self.0.ranked).unwrap_or(i32::MAX)
    }
    /// The OPD, in an OPD ranking.
    async fn opd(&self, ctx: &Context<'_>) -> Result<Option<Opd>> {
        if !self.1 {
            return Ok(None);
        }
        Ok(batch(ctx)?
            .load_one(OpdId(self.0.member_id))
            .await?
            .map(Opd))
    }
    /// The district (the OPD's, in an OPD ranking).
    async fn district(&self, ctx: &Context<'_>) -> Result<Option<District>> {
        Ok(batch(ctx)?
            .load_one(DistrictId(self.0.district_id))
            .await?
            .map(District))
    }
    /// The figure ranked.
    async fn total(&self) -> f64 {
        figure(self.0.total)
    }
    /// Its zone.
    async fn zone(&self) -> Option<Zone> {
        self.0.zone.map(Zone::from)
    }
}

// ---- action items ----------------------------------------------------------

/// How many action items are in one status.
#[derive(SimpleObject, Debug, Clone, Copy)]
pub struct StatusCount {
    /// The status.
    pub status: ActionItemStatus,
    /// How many action items are in it.
    pub count: i32,
}

/// Action-item figures of an office, district, OPD or agreement.
pub struct ActionItemStats(pub ItemStats);

fn small(n: i64) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// Action-item figures of an office, district, OPD or agreement, within what you may see.
#[Object]
impl ActionItemStats {
    /// Every action item, whatever its status.
    async fn total(&self) -> i32 {
        small(self.0.total())
    }
    /// The count in each status, every status listed.
    async fn by_status(&self) -> Vec<StatusCount> {
        DomainStatus::ALL
            .iter()
            .map(|s| StatusCount {
                status: (*s).into(),
                count: small(self.0.count(*s)),
            })
            .collect()
    }
    /// Still needing work: not verified and not cancelled.
    async fn open(&self) -> i32 {
        small(self.0.open())
    }
    /// Open and past their due date in the district's time zone.
    async fn overdue(&self) -> i32 {
        small(self.0.overdue)
    }
    /// Verified by the Ombudsman.
    async fn verified(&self) -> i32 {
        small(self.0.verified())
    }
    /// The share (0–1) of verified items verified by their due date; null when none is verified.
    async fn on_time_rate(&self) -> Option<f64> {
        self.0.on_time_rate()
    }
    /// The median days from raising an item to its verification; null when none is verified.
    async fn median_days_to_verify(&self) -> Option<f64> {
        self.0.median_days_to_verify()
    }
}

/// One OPD's action items within an agreement.
pub struct OpdActionItemStats {
    pub opd: Opd,
    pub stats: ActionItemStats,
}

/// One OPD's action items within an agreement.
#[Object]
impl OpdActionItemStats {
    /// The OPD.
    async fn opd(&self) -> &Opd {
        &self.opd
    }
    /// Its action items of the agreement.
    async fn stats(&self) -> &ActionItemStats {
        &self.stats
    }
}

/// One week (Monday to Sunday, in the district's zone) of action items.
#[derive(SimpleObject, Debug, Clone)]
pub struct ActionItemWeek {
    /// The Monday it starts on.
    pub week_starting: Date,
    /// The Sunday it ends on.
    pub week_ending: Date,
    /// Raised during the week.
    pub raised: i32,
    /// Verified during the week.
    pub verified: i32,
    /// Still open at the end of the week (for the current week: now).
    pub open_at_end: i32,
    /// Open and past due at the end of the week.
    pub overdue_at_end: i32,
}

impl ActionItemWeek {
    fn new(week: &Week, counted: Option<&WeekCounts>) -> Self {
        let n = |f: fn(&WeekCounts) -> i64| small(counted.map(f).unwrap_or(0));
        ActionItemWeek {
            week_starting: Date(week.last_day - chrono::Duration::days(6)),
            week_ending: Date(week.last_day),
            raised: n(|r| r.raised),
            verified: n(|r| r.verified),
            open_at_end: n(|r| r.open_at_end),
            overdue_at_end: n(|r| r.overdue_at_end),
        }
    }
}

/// How far the `ActionItemStats` selected by `selection` must be worked out:
/// the on-time rate and the median need every verified item's dates.
pub fn figures_asked(selection: async_graphql::Lookahead<'_>) -> ItemFigures {
    if selection.field("onTimeRate").exists() || selection.field("medianDaysToVerify").exists() {
        ItemFigures::WithTimeliness
    } else {
        ItemFigures::Counts
    }
}

/// The action-item statistics of one parent, through the batcher, as far as
/// the current field's selection asks.
pub async fn stats_of(ctx: &Context<'_>, parent: ItemsIn) -> Result<ActionItemStats> {
    stats_as_asked(ctx, parent, figures_asked(ctx.look_ahead())).await
}

/// The action-item statistics of one parent, worked out as far as `figures`.
pub async fn stats_as_asked(
    ctx: &Context<'_>,
    parent: ItemsIn,
    figures: ItemFigures,
) -> Result<ActionItemStats> {
    let row = batch(ctx)?.load_one(ItemStatsOf(parent, figures)).await?;
    Ok(ActionItemStats(
        row.unwrap_or_else(|| ItemStats::none(parent.row())),
    ))
}

/// The weekly trend of one parent, through the batcher.
pub async fn trend_of(
    ctx: &Context<'_>,
    parent: ItemsIn,
    zone: TimeZone,
    weeks: i32,
) -> Result<Vec<ActionItemWeek>> {
    if !(1..=pendamping_engine::MAX_TREND_WEEKS as i32).contains(&weeks) {
        return Err(bad_argument(
            "weeks",
            format!(
                "must be between 1 and {}",
                pendamping_engine::MAX_TREND_WEEKS
            ),
        ));
    }
    let key = TrendOf {
        parent,
        zone,
        weeks: weeks as u32,
    };
    Ok(batch(ctx)?.load_one(key).await?.unwrap_or_default())
}

/// The aggregates of one subject, through the batcher.
pub async fn aggregates_of(
    ctx: &Context<'_>,
    of: AggregateOf,
    last: Option<i32>,
) -> Result<Vec<ScoreAggregate>> {
    if let Some(last) = last
        && last < 1
    {
        return Err(bad_argument("last", "must be at least 1"));
    }
    let rows = batch(ctx)?
        .load_one(AggregatesOf {
            of,
            kind: ScoreKind::Official,
        })
        .await?
        .unwrap_or_default();
    let periods = batch(ctx)?.load_one(AllPeriods).await?.unwrap_or_default();
    Ok(ScoreAggregate::series(of.kind(), rows, &periods, last))
}

/// The standings of one subject's members, through the batcher.
pub async fn standings_of(
    ctx: &Context<'_>,
    of: AggregateOf,
    year: Option<i32>,
    limit: i32,
) -> Result<Option<ScoreStandings>> {
    if !(1..=100).contains(&limit) {
        return Err(bad_argument("limit", "must be between 1 and 100"));
    }
    // The latest period in which its members have figures (a district's own
    // 2025 opinion, without OPD figures, has nothing to stand members on).
    let latest = aggregates_of(ctx, of, None)
        .await?
        .iter()
        .rev()
        .find(|a| a.row().members_scored > 0)
        .map(|a| a.row().period_id);
    let Some((period, previous, comparable)) = period_and_previous(ctx, year, latest).await? else {
        return Ok(None);
    };
    let rows = batch(ctx)?
        .load_one(StandingsOf {
            of,
            period: period.id,
            previous,
            comparable,
            limit: limit as u32,
        })
        .await?
        .unwrap_or_default();
    Ok(Some(ScoreStandings {
        period,
        level: of.kind(),
        rows,
        comparable,
    }))
}
