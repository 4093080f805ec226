//! Score targets and the follow-up of the Ombudsman's supervision products:
//! `setScoreTarget`, and the board figures `District.scoreTargets`,
//! `District.targetProgress`, `District.productFollowUp` (and the same on `Opd`).

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use pendamping_domain::read::Kinded;
use pendamping_domain::reference::{DistrictId, OpdId};
use pendamping_domain::score::{self as s, Score, ScoreKind};
use pendamping_engine::ProductFollowUp as FollowUpFigures;
use pendamping_engine::{AggregateOf, ScoreSubject};

use crate::context::{actor, batch, reader, request};
use crate::error::{Outcome, UserError, bad_argument, gql};
use crate::id::{Kind, input_id};
use crate::loaders::{Batch, ScoreHistoryOf, answer_grouped};
use crate::types::analytics::{AllPeriods, aggregates_of};
use crate::types::enums::Zone;
use crate::types::reference::{District, Opd};
use crate::types::scores::AssessmentPeriod;
use crate::types::work::ActionItem;

type Result<T> = std::result::Result<T, async_graphql::Error>;

// ---- loaders -------------------------------------------------------------------

/// The targets of one district (its own) or one OPD, every year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TargetsOf(pub ScoreSubject);

impl Loader<TargetsOf> for Batch {
    type Value = Vec<s::ScoreTarget>;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[TargetsOf]) -> Result<HashMap<TargetsOf, Vec<s::ScoreTarget>>> {
        let subjects: Vec<ScoreSubject> = keys.iter().map(|k| k.0).collect();
        let mut targets = self.reader.score_targets(&subjects).await.map_err(gql)?;
        Ok(subjects
            .into_iter()
            .map(|subject| {
                let found = targets.remove(&subject).unwrap_or_default();
                (TargetsOf(subject), found)
            })
            .collect())
    }
}

/// The product follow-up of one district or OPD in one year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FollowUpOf {
    pub subject: ScoreSubject,
    pub year: i32,
}

impl Loader<FollowUpOf> for Batch {
    type Value = FollowUpFigures;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[FollowUpOf]) -> Result<HashMap<FollowUpOf, FollowUpFigures>> {
        let read = |year, subjects: Vec<ScoreSubject>| async move {
            let figures = self.reader.product_follow_up(&subjects, year).await;
            figures.map_err(gql)
        };
        answer_grouped(keys, |k| (k.year, k.subject), read, none_followed_up).await
    }
}

/// The figures of a district or OPD without a product that year.
fn none_followed_up(subject: ScoreSubject) -> FollowUpFigures {
    FollowUpFigures {
        parent_id: subject.row(),
        ..FollowUpFigures::default()
    }
}

// ---- types ---------------------------------------------------------------------

/// What a district (or one of its OPDs) aims for in an assessment year. Every part given must be met.
pub struct ScoreTarget(pub s::ScoreTarget);

/// What a district (or one of its OPDs) aims for in an assessment year. Every part given must be met.
#[Object]
impl ScoreTarget {
    /// The district (the OPD's district, for an OPD's target).
    async fn district(&self, ctx: &Context<'_>) -> Result<Option<District>> {
        Ok(batch(ctx)?
            .load_one(self.0.district_id)
            .await?
            .map(District))
    }
    /// The OPD; null for the district's own target.
    async fn opd(&self, ctx: &Context<'_>) -> Result<Option<Opd>> {
        match self.0.opd_id {
            Some(id) => Ok(batch(ctx)?.load_one(id).await?.map(Opd)),
            None => Ok(None),
        }
    }
    /// The assessment year.
    async fn year(&self) -> i32 {
        self.0.year
    }
    /// Reach this zone or better (methods with zones only).
    async fn zone(&self) -> Option<Zone> {
        self.0.zone.map(Into::into)
    }
    /// Reach this band (grade or level) or better, e.g. `B` or `TINGGI`.
    async fn band_code(&self) -> Option<&str> {
        self.0.band_code.as_deref()
    }
    /// Reach at least this total.
    async fn min_total(&self) -> Option<f64> {
        self.0.min_total.map(Score::as_f64)
    }
    /// Why, or what was agreed.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
    /// Who set it.
    async fn set_by(&self, ctx: &Context<'_>) -> Result<Option<crate::types::user::User>> {
        crate::types::user::load_user(ctx, self.0.set_by).await
    }
    /// When it was set.
    async fn set_at(&self) -> crate::scalars::DateTime {
        crate::scalars::DateTime(self.0.set_at)
    }
}

/// A target beside the figure of its year.
pub struct TargetProgress {
    target: s::ScoreTarget,
    period: Option<s::AssessmentPeriod>,
    figure: Option<Score>,
    met: Option<bool>,
}

/// A target beside the figure of its year: whether it is met (null while there is no figure).
#[Object]
impl TargetProgress {
    /// The target.
    async fn target(&self) -> ScoreTarget {
        ScoreTarget(self.target.clone())
    }
    /// The assessment period of the target's year.
    async fn period(&self) -> Option<AssessmentPeriod> {
        self.period.clone().map(AssessmentPeriod)
    }
    /// The figure of the year (official: a district's own score, else the mean of its OPDs'), if any.
    async fn score(&self) -> Option<f64> {
        self.figure.map(Score::as_f64)
    }
    /// Whether the figure meets every part of the target; null while there is no figure.
    async fn met(&self) -> Option<bool> {
        self.met
    }
    /// How far the figure is from the target's minimum total (negative: short of it); null without both.
    async fn gap_to_min_total(&self) -> Option<f64> {
        let min = self.target.min_total?;
        let figure = self.figure?;
        Some((figure.hundredths() - min.hundredths()) as f64 / 100.0)
    }
}

/// The follow-up of a year's Ombudsman supervision products (*Tindakan Korektif* of a LAHP, *Saran Perbaikan*, *Saran Penyempurnaan*, *Rekomendasi*): the way to the opinion's *Tanpa Maladministrasi*, given to bodies that follow them all up to completion.
pub struct ProductFollowUp {
    subject: ScoreSubject,
    year: i32,
    row: FollowUpFigures,
}

/// The follow-up of a year's Ombudsman supervision products: the way to *Tanpa Maladministrasi*.
#[Object]
impl ProductFollowUp {
    /// The year the products count for.
    async fn year(&self) -> i32 {
        self.year
    }
    /// Every product of the year (withdrawn ones do not count).
    async fn total(&self) -> i32 {
        i32::try_from(self.row.total).unwrap_or(i32::MAX)
    }
    /// Followed up to completion: verified by the Ombudsman.
    async fn completed(&self) -> i32 {
        i32::try_from(self.row.completed).unwrap_or(i32::MAX)
    }
    /// Still open: standing between the body and *Tanpa Maladministrasi*.
    async fn open(&self) -> i32 {
        i32::try_from(self.row.outstanding()).unwrap_or(i32::MAX)
    }
    /// Completed against all (0–1); null when there are no products.
    async fn rate(&self) -> Option<f64> {
        self.row.completion_rate()
    }
    /// Whether every product of the year is followed up to completion (and there is at least one). The qualifier itself is the Ombudsman's to give; this says only that nothing stands in its way.
    async fn all_completed(&self) -> bool {
        self.row.all_completed()
    }
    /// The open products, most urgent due date first (at most `first`).
    async fn open_products(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 20, desc = "How many (1–100).")] first: i32,
    ) -> Result<Vec<ActionItem>> {
        if !(1..=100).contains(&first) {
            return Err(bad_argument("first", "must be between 1 and 100"));
        }
        let mut items = reader(ctx)?
            .open_products(self.subject, self.year, first as u32)
            .await
            .map_err(gql)?;
        items.sort_by_key(|i| (i.due_on, i.id.0));
        Ok(items.into_iter().map(ActionItem).collect())
    }
}

// ---- board fields ---------------------------------------------------------------

/// The targets of a district (its own) or an OPD, oldest year first.
pub async fn targets(ctx: &Context<'_>, subject: ScoreSubject) -> Result<Vec<ScoreTarget>> {
    Ok(batch(ctx)?
        .load_one(TargetsOf(subject))
        .await?
        .unwrap_or_default()
        .into_iter()
        .map(ScoreTarget)
        .collect())
}

/// A district's or OPD's target for a year beside its figure; `None` without a target.
pub async fn progress(
    ctx: &Context<'_>,
    district_id: DistrictId,
    opd_id: Option<OpdId>,
    year: i32,
) -> Result<Option<TargetProgress>> {
    let subject = match opd_id {
        Some(opd) => ScoreSubject::Opd(opd),
        None => ScoreSubject::District(district_id),
    };
    let Some(target) = batch(ctx)?
        .load_one(TargetsOf(subject))
        .await?
        .unwrap_or_default()
        .into_iter()
        .find(|t| t.year == year)
    else {
        return Ok(None);
    };
    let periods = batch(ctx)?.load_one(AllPeriods).await?.unwrap_or_default();
    let period = periods.into_iter().find(|p| p.year == year);
    let mut figure = None;
    if let Some(period) = &period {
        figure = if let ScoreSubject::District(district) = subject {
            aggregates_of(ctx, AggregateOf::District(district), None)
                .await?
                .into_iter()
                .find(|a| a.row().period_id == period.id.0)
                .and_then(|a| a.row().figure())
                .and_then(|h| Score::from_hundredths(h).ok())
        } else {
            batch(ctx)?
                .load_one(ScoreHistoryOf {
                    subject,
                    kind: ScoreKind::Official,
                    with_dimensions: false,
                })
                .await?
                .unwrap_or_default()
                .iter()
                .find(|r| r.period_id == period.id)
                .map(|r| r.total)
        };
    }
    let met = match (&period, figure) {
        (Some(period), Some(score)) => batch(ctx)?
            .load_one(period.methodology_id)
            .await?
            .map(|m| target.met_by(&m, score)),
        _ => None,
    };
    Ok(Some(TargetProgress {
        target,
        period,
        figure,
        met,
    }))
}

/// The product follow-up of a district or OPD for a year, through the batcher.
pub async fn follow_up(
    ctx: &Context<'_>,
    subject: ScoreSubject,
    year: i32,
) -> Result<ProductFollowUp> {
    if !(2000..=2100).contains(&year) {
        return Err(bad_argument("year", "must be a year between 2000 and 2100"));
    }
    let row = batch(ctx)?
        .load_one(FollowUpOf { subject, year })
        .await?
        .unwrap_or_else(|| none_followed_up(subject));
    Ok(ProductFollowUp { subject, year, row })
}

// ---- mutation ------------------------------------------------------------------

/// A target for a district, or one of its OPDs, and year. Give a zone, a band, a minimum total, or several; setting it again replaces it.
#[derive(InputObject)]
pub struct SetScoreTargetInput {
    /// The district.
    pub district_id: ID,
    /// One of its OPDs; leave out for the district's own target.
    pub opd_id: Option<ID>,
    /// The assessment year (a period must exist for it).
    pub year: i32,
    /// Reach this zone or better (not under a method without zones, such as OPINI-2025).
    pub zone: Option<Zone>,
    /// Reach this band or better, e.g. `B` (PKP-2022) or `TINGGI` (OPINI-2025).
    pub band_code: Option<String>,
    /// Reach at least this total (0–100).
    pub min_total: Option<f64>,
    /// Why, or what was agreed.
    pub note: Option<String>,
}

/// The result of `setScoreTarget`.
#[derive(SimpleObject)]
pub struct SetScoreTargetPayload {
    /// The target as set.
    pub score_target: Option<ScoreTarget>,
    /// Why it was not set, if it was not.
    pub user_errors: Vec<UserError>,
}

#[derive(Default)]
pub struct ScoringMutation;

/// Score targets.
#[Object]
impl ScoringMutation {
    /// Sets (or replaces) the score target of a district or OPD for a year: the district's coordinator for their district, the office's lead for its districts, admins anywhere.
    async fn set_score_target(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The target.")] input: SetScoreTargetInput,
    ) -> Result<SetScoreTargetPayload> {
        let actor = actor(ctx)?;
        let engine = &request(ctx)?.engine;
        let result = async {
            let new = pendamping_engine::NewTarget {
                district_id: DistrictId(input_id(
                    "districtId",
                    Kind::District,
                    &input.district_id,
                )?),
                opd_id: input
                    .opd_id
                    .as_ref()
                    .map(|id| input_id("opdId", Kind::Opd, id).map(OpdId))
                    .transpose()?,
                year: input.year,
                zone: input.zone.map(Into::into),
                band_code: input
                    .band_code
                    .map(|b| b.trim().to_owned())
                    .filter(|b| !b.is_empty()),
                min_total: input.min_total,
                note: input.note,
            };
            engine.set_score_target(actor, new).await
        }
        .await;
        let (score_target, user_errors) = result.map(ScoreTarget).outcome()?;
        Ok(SetScoreTargetPayload {
            score_target,
            user_errors,
        })
    }
}
