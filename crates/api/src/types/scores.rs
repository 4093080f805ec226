//! `Methodology`, `AssessmentPeriod`, `ScoreRecord`.

use async_graphql::{Context, ID, Object, SimpleObject};
use pendamping_domain::score as s;

use super::enums::{Provenance, ScoreKind, Zone};
use super::reference::{District, Opd};
use super::user::User;
use crate::connection::OrderTag;
use crate::context::batch;
use crate::error::{bad_argument, gql};
use crate::id::{Kind, encode};

pub const PERIODS_BY_YEAR: OrderTag = OrderTag::new("period", "year");
pub const SCORES_BY_ID: OrderTag = OrderTag::new("score", "id");

/// A score band: a range of totals and the zone, grade or level it means.
#[derive(SimpleObject, Debug, Clone)]
pub struct Band {
    /// `HIJAU`, `KUNING`, `MERAH` (KSP-2021), `A` … `E` (PKP-2022) or `TERTINGGI` … `TERENDAH` (OPINI-2025).
    pub code: String,
    /// The published label, e.g. *Zona Hijau (kepatuhan tinggi)* or *Kualitas Tinggi*.
    pub label: String,
    /// Lowest total in the band, inclusive.
    pub min: f64,
    /// Highest total in the band, inclusive.
    pub max: f64,
    /// The colour the band counts as on dashboards; null under a method without zones (OPINI-2025).
    pub zone: Option<Zone>,
    /// Whether the band's edges are inferred from published results rather than published themselves.
    pub inferred: bool,
}

impl From<&s::Band> for Band {
    fn from(b: &s::Band) -> Self {
        Band {
            code: b.code.clone(),
            label: b.label.clone(),
            min: b.min.as_f64(),
            max: b.max.as_f64(),
            zone: b.zone.map(Into::into),
            inferred: b.inferred,
        }
    }
}

/// One fact of a methodology version and where it comes from.
#[derive(SimpleObject, Debug, Clone)]
pub struct MethodologySource {
    /// The fact, e.g. the cut-offs.
    pub fact: String,
    /// How sure it is: `CERTAIN` (two sources or an official page), `LIKELY` (one credible source), `UNCERTAIN` (inferred).
    pub confidence: String,
    /// Where it comes from: the document, page or announcement.
    pub reference: String,
}

/// A code and its published wording.
#[derive(SimpleObject, Debug, Clone)]
pub struct PublishedLabel {
    /// Stable code, e.g. `TANPA_MALADMINISTRASI` or `CUKUP`.
    pub code: String,
    /// The published wording, e.g. *Tanpa Maladministrasi* or *Cukup*.
    pub label: String,
}

fn labels(list: &[s::PublishedLabel]) -> Vec<PublishedLabel> {
    list.iter()
        .map(|l| PublishedLabel {
            code: l.code.clone(),
            label: l.label.clone(),
        })
        .collect()
}

/// A published national rank, e.g. 9 of 416 regencies.
#[derive(SimpleObject, Debug, Clone, Copy)]
pub struct NationalRank {
    /// The place.
    pub rank: i32,
    /// How many were ranked.
    pub out_of: i32,
}

/// A weighted dimension of a methodology.
#[derive(SimpleObject, Debug, Clone)]
pub struct Dimension {
    /// Stable code, e.g. `PROSES`.
    pub code: String,
    /// Name, e.g. *Proses*.
    pub name: String,
    /// Weight in percent, e.g. 32.37.
    pub weight_percent: f64,
}

pub struct Methodology(pub s::Methodology);

/// An immutable version of an assessment method: its dimensions, weights and bands.
#[Object]
impl Methodology {
    /// The global ID.
    pub async fn id(&self) -> ID {
        encode(Kind::Methodology, self.0.id.0)
    }
    /// Version code, e.g. `KSP-2021`, `PKP-2022`.
    async fn code(&self) -> &str {
        &self.0.code
    }
    /// Name, e.g. *Penilaian Kepatuhan Standar Pelayanan Publik*.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// What the method measures and how the total is formed.
    async fn description(&self) -> &str {
        &self.0.description
    }
    /// First assessment year it applies to.
    async fn first_year(&self) -> i32 {
        self.0.first_year
    }
    /// Last assessment year it applies to, when superseded.
    async fn last_year(&self) -> Option<i32> {
        self.0.last_year
    }
    /// Its weighted dimensions; empty when the total is assessed directly.
    async fn dimensions(&self) -> Vec<Dimension> {
        self.0
            .dimensions
            .iter()
            .map(|d| Dimension {
                code: d.code.clone(),
                name: d.name.clone(),
                weight_percent: f64::from(d.weight_bp) / 100.0,
            })
            .collect()
    }
    /// Its bands, highest first.
    async fn bands(&self) -> Vec<Band> {
        self.0.bands.iter().map(Band::from).collect()
    }
    /// The regulation or law it rests on.
    async fn legal_basis(&self) -> Option<&str> {
        self.0.facts.legal_basis.as_deref()
    }
    /// Its facts and where each comes from, with how sure each is.
    async fn sources(&self) -> Vec<MethodologySource> {
        self.0
            .facts
            .sources
            .iter()
            .map(|f| MethodologySource {
                fact: f.fact.clone(),
                confidence: f.confidence.clone(),
                reference: f.reference.clone(),
            })
            .collect()
    }
    /// Whether its bands count as colour zones (false from 2025: a client asking for a zone gets none).
    async fn has_zones(&self) -> bool {
        self.0.facts.has_zones
    }
    /// Whether any band's edges are inferred rather than published.
    async fn has_inferred_bands(&self) -> bool {
        self.0.bands.iter().any(|b| b.inferred)
    }
    /// Qualifiers an official result may carry as published, e.g. *Tanpa Maladministrasi*.
    async fn qualifiers(&self) -> Vec<PublishedLabel> {
        labels(&self.0.facts.qualifiers)
    }
    /// Secondary labels an official result may carry as published (never computed), e.g. *Cukup*.
    async fn published_labels(&self) -> Vec<PublishedLabel> {
        labels(&self.0.facts.published_labels)
    }
    /// The band a total falls in. The total is rounded to two decimals first; totals outside 0–100 are refused.
    async fn classify(
        &self,
        #[graphql(desc = "A total on 0–100.")] total: f64,
    ) -> async_graphql::Result<Band> {
        let score = s::Score::from_decimal(total).map_err(|e| bad_argument("total", e))?;
        self.0.classify(score).map(Band::from).ok_or_else(|| {
            bad_argument("total", format!("no band of {} holds {score}", self.0.code))
        })
    }
}

pub struct AssessmentPeriod(pub s::AssessmentPeriod);

/// An assessment period, e.g. *Penilaian Kepatuhan 2021*, pinned to one methodology version.
#[Object]
impl AssessmentPeriod {
    /// The global ID.
    pub async fn id(&self) -> ID {
        encode(Kind::AssessmentPeriod, self.0.id.0)
    }
    /// The assessment year.
    async fn year(&self) -> i32 {
        self.0.year
    }
    /// Name, e.g. *Penilaian Kepatuhan 2021*.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// The methodology version it uses.
    async fn methodology(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Methodology>> {
        Ok(batch(ctx)?
            .load_one(self.0.methodology_id)
            .await?
            .map(Methodology))
    }
}

/// One dimension's value within a score.
#[derive(SimpleObject, Debug, Clone)]
pub struct DimensionValue {
    /// The dimension's code.
    pub code: String,
    /// Its value, 0–100.
    pub value: f64,
}

pub struct ScoreEntry(pub s::ScoreRecord);

/// One revision of the score of an OPD (or of a district as a whole) in one period. Corrections add a revision; none is lost.
#[Object(name = "ScoreRecord")]
impl ScoreEntry {
    /// The global ID.
    pub async fn id(&self) -> ID {
        encode(Kind::ScoreRecord, self.0.id.0)
    }
    /// The period.
    async fn period(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<AssessmentPeriod>> {
        Ok(batch(ctx)?
            .load_one(self.0.period_id)
            .await?
            .map(AssessmentPeriod))
    }
    /// The methodology version it was recorded under (kept for ever).
    async fn methodology(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Methodology>> {
        Ok(batch(ctx)?
            .load_one(self.0.methodology_id)
            .await?
            .map(Methodology))
    }
    /// The district scored, or the OPD's district.
    async fn district(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<District>> {
        Ok(batch(ctx)?
            .load_one(self.0.district_id)
            .await?
            .map(District))
    }
    /// The OPD scored; null for a district's own score.
    async fn opd(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Opd>> {
        match self.0.opd_id {
            Some(id) => Ok(batch(ctx)?.load_one(id).await?.map(Opd)),
            None => Ok(None),
        }
    }
    /// Official, self-assessment or mentoring check.
    async fn kind(&self) -> ScoreKind {
        self.0.kind.into()
    }
    /// The total, 0–100 with two decimals, as published or recorded.
    async fn total(&self) -> f64 {
        self.0.total.as_f64()
    }
    /// The total recomputed from dimension values, where there are any.
    async fn computed_total(&self) -> Option<f64> {
        self.0.computed_total.map(s::Score::as_f64)
    }
    /// The band code the total falls in under its methodology.
    async fn band_code(&self) -> &str {
        &self.0.band_code
    }
    /// The band and its zone.
    async fn band(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Band>> {
        let methodology = batch(ctx)?.load_one(self.0.methodology_id).await?;
        Ok(methodology.and_then(|m| m.classify(self.0.total).map(Band::from)))
    }
    /// Per-dimension values.
    async fn dimension_values(&self) -> Vec<DimensionValue> {
        self.0
            .dimension_values
            .iter()
            .map(|(code, value)| DimensionValue {
                code: code.clone(),
                value: value.as_f64(),
            })
            .collect()
    }
    /// 1 for the first record; each correction adds one.
    async fn revision(&self) -> i32 {
        self.0.revision
    }
    /// Whether this is the revision in force.
    async fn is_current(&self) -> bool {
        self.0.is_current
    }
    /// Why this revision corrected the previous one.
    async fn correction_reason(&self) -> Option<&str> {
        self.0.correction_reason.as_deref()
    }
    /// Where the figure comes from: published, self-assessment, mentoring check or illustrative.
    async fn provenance(&self) -> Provenance {
        self.0.provenance.into()
    }
    /// The document or announcement a published figure comes from.
    async fn source(&self) -> Option<&str> {
        self.0.source.as_deref()
    }
    /// The published national rank recorded with an official score, e.g. 9 of 416 regencies.
    async fn national_rank(&self) -> Option<NationalRank> {
        self.0
            .national_rank
            .map(|(rank, out_of)| NationalRank { rank, out_of })
    }
    /// The qualifier published with the result, e.g. `TANPA_MALADMINISTRASI`.
    async fn qualifier(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<PublishedLabel>> {
        let Some(code) = &self.0.qualifier else {
            return Ok(None);
        };
        let methodology = batch(ctx)?.load_one(self.0.methodology_id).await?;
        Ok(methodology.and_then(|m| {
            labels(&m.facts.qualifiers)
                .into_iter()
                .find(|l| &l.code == code)
        }))
    }
    /// The secondary label published with the result (*Sangat Baik*, *Baik*, *Cukup*, *Kurang*); never computed.
    async fn published_label(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<PublishedLabel>> {
        let Some(code) = &self.0.published_label else {
            return Ok(None);
        };
        let methodology = batch(ctx)?.load_one(self.0.methodology_id).await?;
        Ok(methodology.and_then(|m| {
            labels(&m.facts.published_labels)
                .into_iter()
                .find(|l| &l.code == code)
        }))
    }
    /// The result's full name under a method that names its results, e.g. "Opini Kualitas Tinggi Tanpa Maladministrasi"; null otherwise.
    async fn opinion(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<String>> {
        let methodology = batch(ctx)?.load_one(self.0.methodology_id).await?;
        Ok(methodology.and_then(|m| m.result_name(&self.0.band_code, self.0.qualifier.as_deref())))
    }
    /// Who recorded it.
    async fn recorded_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        super::user::load_user(ctx, self.0.recorded_by).await
    }
    /// When it was recorded.
    async fn recorded_at(&self) -> crate::scalars::DateTime {
        crate::scalars::DateTime(self.0.recorded_at)
    }
}

/// A score in a history, with the change since the previous period: the
/// history is shared by its entries, each knowing its place in it.
pub struct ScoreHistoryEntry {
    records: std::sync::Arc<[s::ScoreRecord]>,
    at: usize,
}

impl ScoreHistoryEntry {
    /// One entry for each record (oldest first), each with the one before it.
    pub fn history(records: std::sync::Arc<[s::ScoreRecord]>) -> Vec<ScoreHistoryEntry> {
        (0..records.len())
            .map(|at| ScoreHistoryEntry {
                records: records.clone(),
                at,
            })
            .collect()
    }

    fn record(&self) -> &s::ScoreRecord {
        &self.records[self.at]
    }

    fn previous(&self) -> Option<&s::ScoreRecord> {
        self.at.checked_sub(1).map(|before| &self.records[before])
    }

    /// The score history of one subject of `kind` (a district's own scores
    /// or an OPD's): its periods within the years
    /// `from`..=`to`, the last `last` of them.
    pub async fn of(
        ctx: &Context<'_>,
        subject: pendamping_engine::ScoreSubject,
        kind: s::ScoreKind,
        (from, to, last): (Option<i32>, Option<i32>, Option<i32>),
    ) -> async_graphql::Result<Vec<ScoreHistoryEntry>> {
        let records = batch(ctx)?
            .load_one(crate::loaders::ScoreHistoryOf {
                subject,
                kind,
                with_dimensions: ctx
                    .look_ahead()
                    .field("score")
                    .field("dimensionValues")
                    .exists(),
            })
            .await?
            .unwrap_or_default();
        let history = ScoreHistoryEntry::within_years(ctx, records, from, to).await?;
        ScoreHistoryEntry::last(history, last)
    }

    /// The history of `records` within the years `from`..=`to` (either
    /// open). Only a bound needs the periods' years: without one every
    /// record counts (its period exists: a foreign key), and no statement is made.
    pub async fn within_years(
        ctx: &async_graphql::Context<'_>,
        records: std::sync::Arc<[s::ScoreRecord]>,
        from: Option<i32>,
        to: Option<i32>,
    ) -> async_graphql::Result<Vec<ScoreHistoryEntry>> {
        let history = ScoreHistoryEntry::history(records);
        if from.is_none() && to.is_none() {
            return Ok(history);
        }
        let periods = batch(ctx)?
            .load_one(super::analytics::AllPeriods)
            .await?
            .unwrap_or_default();
        Ok(history
            .into_iter()
            .filter(|entry| entry.within(&periods, from, to))
            .collect())
    }

    /// Whether the entry's period lies in the years `from`..=`to` (either open).
    pub fn within(
        &self,
        periods: &[s::AssessmentPeriod],
        from: Option<i32>,
        to: Option<i32>,
    ) -> bool {
        let Some(year) = periods
            .iter()
            .find(|p| p.id == self.record().period_id)
            .map(|p| p.year)
        else {
            return false;
        };
        from.is_none_or(|from| year >= from) && to.is_none_or(|to| year <= to)
    }

    /// The last `last` entries (all when `None`).
    pub fn last(
        mut entries: Vec<ScoreHistoryEntry>,
        last: Option<i32>,
    ) -> async_graphql::Result<Vec<ScoreHistoryEntry>> {
        if let Some(last) = last {
            if last < 1 {
                return Err(bad_argument("last", "must be at least 1"));
            }
            let skip = entries.len().saturating_sub(last as usize);
            entries.drain(..skip);
        }
        Ok(entries)
    }
}

/// One period of a score history.
#[Object]
impl ScoreHistoryEntry {
    /// The score of this period.
    async fn score(&self) -> ScoreEntry {
        ScoreEntry(self.record().clone())
    }
    /// The period.
    async fn period(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<AssessmentPeriod>> {
        let batch = batch(ctx)?;
        let id = self.record().period_id;
        if let Some(period) = batch.loader().reader.kept_period(id).map_err(gql)? {
            return Ok(Some(AssessmentPeriod(period)));
        }
        Ok(batch.load_one(id).await?.map(AssessmentPeriod))
    }
    /// The total, 0–100.
    async fn total(&self) -> f64 {
        self.record().total.as_f64()
    }
    /// The band code (zone or grade).
    async fn band_code(&self) -> &str {
        &self.record().band_code
    }
    /// Change of the total since the previous assessed period; null for the first and across a change of methodology (`methodBreak`), where a difference is not a change.
    async fn change(&self) -> Option<f64> {
        self.previous()
            .as_ref()
            .filter(|p| self.record().comparable_with(p))
            .map(|p| (self.record().total.hundredths() - p.total.hundredths()) as f64 / 100.0)
    }
    /// Whether this period can be compared with the previous one: both assessed under the same methodology version. False for the first.
    async fn comparable(&self) -> bool {
        self.previous()
            .as_ref()
            .is_some_and(|p| self.record().comparable_with(p))
    }
    /// Whether the methodology changed since the previous period (KSP-2021 → PKP-2022 → OPINI-2025): a trend draws a break here.
    async fn method_break(&self) -> bool {
        self.previous()
            .as_ref()
            .is_some_and(|p| !self.record().comparable_with(p))
    }
    /// The provenance of the score: published, self-assessment, mentoring check or illustrative.
    async fn provenance(&self) -> Provenance {
        self.record().provenance.into()
    }
}
