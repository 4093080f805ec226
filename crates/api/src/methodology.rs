//! Mutations that add assessment methods and periods (system admins). The
//! Ombudsman's next method — the 2025 *Opini Ombudsman* — arrives this way,
//! as data, with no code change.

use async_graphql::{Context, InputObject, Object, SimpleObject};
use pendamping_domain::score::{
    Band, Dimension, MethodologyFacts, MethodologySource, NewMethodology, Score,
};
use pendamping_engine::EngineError;

use crate::context::{actor, request};
use crate::error::{Outcome, UserError, change_with};
use crate::types::enums::Zone;
use crate::types::scores::{AssessmentPeriod, Methodology};

/// A band of a new methodology version.
#[derive(InputObject)]
pub struct BandInput {
    /// Stable code, e.g. `A`.
    pub code: String,
    /// The published label, e.g. *Kualitas Tertinggi*.
    pub label: String,
    /// Lowest total in the band, inclusive (two decimals).
    pub min: f64,
    /// Highest total in the band, inclusive (two decimals).
    pub max: f64,
    /// The colour it counts as on dashboards; leave out on every band of a method without zones.
    pub zone: Option<Zone>,
    /// Whether its edges are inferred rather than published.
    #[graphql(default)]
    pub inferred: bool,
}

/// One fact of a new methodology version and where it comes from.
#[derive(InputObject)]
pub struct MethodologySourceInput {
    /// The fact.
    pub fact: String,
    /// How sure it is: `CERTAIN`, `LIKELY` or `UNCERTAIN`.
    pub confidence: String,
    /// The document, page or announcement.
    pub reference: String,
}

/// A weighted dimension of a new methodology version.
#[derive(InputObject)]
pub struct DimensionInput {
    /// Stable code, e.g. `PROSES`.
    pub code: String,
    /// Name, e.g. *Proses*.
    pub name: String,
    /// Weight in percent with two decimals, e.g. 32.37; a version's weights sum to 100.
    pub weight_percent: f64,
}

/// A new methodology version. Its bands must tile 0–100; its weights, if any, sum to 100 %.
#[derive(InputObject)]
pub struct CreateMethodologyInput {
    /// Version code: capital letters, digits and '-', e.g. `OPINI-2025`.
    pub code: String,
    /// Name, e.g. *Opini Ombudsman*.
    pub name: String,
    /// What it measures and how the total is formed.
    #[graphql(default)]
    pub description: String,
    /// First assessment year it applies to.
    pub first_year: i32,
    /// Last assessment year, if already known.
    pub last_year: Option<i32>,
    /// Weighted dimensions; none when the total is assessed directly.
    #[graphql(default)]
    pub dimensions: Vec<DimensionInput>,
    /// Bands, highest first.
    pub bands: Vec<BandInput>,
    /// The regulation or law it rests on.
    pub legal_basis: Option<String>,
    /// Its facts and where each comes from.
    #[graphql(default)]
    pub sources: Vec<MethodologySourceInput>,
}

/// The result of `createMethodology`.
#[derive(SimpleObject)]
pub struct CreateMethodologyPayload {
    /// The new version.
    pub methodology: Option<Methodology>,
    /// Why it was not created, if it was not.
    pub user_errors: Vec<UserError>,
}

/// A new assessment period.
#[derive(InputObject)]
pub struct CreateAssessmentPeriodInput {
    /// The assessment year; one period per year.
    pub year: i32,
    /// Name, e.g. *Penilaian Kepatuhan 2025*.
    pub name: String,
    /// The methodology version it pins, e.g. `PKP-2022`.
    pub methodology_code: String,
}

/// The result of `createAssessmentPeriod`.
#[derive(SimpleObject)]
pub struct CreateAssessmentPeriodPayload {
    /// The new period.
    pub assessment_period: Option<AssessmentPeriod>,
    /// Why it was not created, if it was not.
    pub user_errors: Vec<UserError>,
}

fn decimal(field: String, value: f64) -> Result<Score, EngineError> {
    Score::from_decimal(value).map_err(|e| EngineError::invalid(&field, e.to_string()))
}

impl CreateMethodologyInput {
    fn into_new(self) -> Result<NewMethodology, EngineError> {
        let zoned = self.bands.iter().filter(|b| b.zone.is_some()).count();
        if zoned != 0 && zoned != self.bands.len() {
            return Err(EngineError::invalid(
                "bands",
                "give every band a zone, or none (a method without colour zones)",
            ));
        }
        let has_zones = zoned != 0;
        let mut bands = Vec::with_capacity(self.bands.len());
        for (i, b) in self.bands.into_iter().enumerate() {
            bands.push(Band {
                min: decimal(format!("bands.{i}.min"), b.min)?,
                max: decimal(format!("bands.{i}.max"), b.max)?,
                code: b.code,
                label: b.label,
                zone: b.zone.map(Into::into),
                inferred: b.inferred,
            });
        }
        let mut dimensions = Vec::with_capacity(self.dimensions.len());
        for (i, d) in self.dimensions.into_iter().enumerate() {
            let weight = decimal(format!("dimensions.{i}.weightPercent"), d.weight_percent)?;
            dimensions.push(Dimension {
                code: d.code,
                name: d.name,
                weight_bp: u32::try_from(weight.hundredths()).unwrap_or(u32::MAX),
            });
        }
        Ok(NewMethodology {
            code: self.code.trim().to_owned(),
            name: self.name.trim().to_owned(),
            description: self.description,
            first_year: self.first_year,
            last_year: self.last_year,
            dimensions,
            bands,
            facts: MethodologyFacts {
                legal_basis: self
                    .legal_basis
                    .map(|l| l.trim().to_owned())
                    .filter(|l| !l.is_empty()),
                sources: self
                    .sources
                    .into_iter()
                    .map(|s| MethodologySource {
                        fact: s.fact,
                        confidence: s.confidence,
                        reference: s.reference,
                    })
                    .collect(),
                has_zones,
                ..MethodologyFacts::default()
            },
        })
    }
}

#[derive(Default)]
pub struct MethodologyMutation;

/// Adding assessment methods and periods.
#[Object]
impl MethodologyMutation {
    /// Adds a methodology version (system admins). Versions never change once added; scores keep the version they were recorded under.
    async fn create_methodology(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The version to add.")] input: CreateMethodologyInput,
    ) -> async_graphql::Result<CreateMethodologyPayload> {
        let actor = actor(ctx)?;
        let engine = &request(ctx)?.engine;
        let result = change_with(input.into_new(), |new| {
            engine.create_methodology(actor, new)
        })
        .await;
        let (methodology, user_errors) = result.map(Methodology).outcome()?;
        Ok(CreateMethodologyPayload {
            methodology,
            user_errors,
        })
    }

    /// Opens an assessment period pinned to one methodology version (system admins).
    async fn create_assessment_period(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The period to open.")] input: CreateAssessmentPeriodInput,
    ) -> async_graphql::Result<CreateAssessmentPeriodPayload> {
        let actor = actor(ctx)?;
        let result = request(ctx)?
            .engine
            .create_assessment_period(actor, input.year, &input.name, &input.methodology_code)
            .await;
        let (assessment_period, user_errors) = result.map(AssessmentPeriod).outcome()?;
        Ok(CreateAssessmentPeriodPayload {
            assessment_period,
            user_errors,
        })
    }
}
