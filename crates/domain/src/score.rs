//! Scores, methodologies and their bands (DESIGN.md §5).
//!
//! A score is an exact two-decimal value on 0–100, held as integer hundredths
//! so that band edges such as 80.99 / 81.00 never meet a binary float.

use std::fmt;

use chrono::{DateTime, Utc};

use crate::identity::UserId;
use crate::reference::{DistrictId, OpdId};

id_type!(
    /// A methodology version.
    MethodologyId
);
id_type!(
    /// An assessment period, e.g. *Penilaian Kepatuhan 2021*.
    AssessmentPeriodId
);
id_type!(
    /// One revision of one score.
    ScoreRecordId
);

/// A score on 0–100 with two decimals, as integer hundredths (97.36 → 9736).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Score(u16);

/// A number that is not a score on 0–100.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("a score must be between 0 and 100, not {0}")]
pub struct ScoreOutOfRange(pub f64);

impl Score {
    pub const MAX: Score = Score(10_000);

    /// From integer hundredths, refusing anything above 100.00.
    pub fn from_hundredths(hundredths: i64) -> Result<Self, ScoreOutOfRange> {
        if (0..=10_000).contains(&hundredths) {
            Ok(Score(hundredths as u16))
        } else {
            Err(ScoreOutOfRange(hundredths as f64 / 100.0))
        }
    }

    /// From a decimal number, rounded half away from zero to two decimals
    /// before the range check (totals are rounded before classification).
    pub fn from_decimal(value: f64) -> Result<Self, ScoreOutOfRange> {
        if !value.is_finite() {
            return Err(ScoreOutOfRange(value));
        }
        let hundredths = (value * 100.0).round();
        if (0.0..=10_000.0).contains(&hundredths) {
            Ok(Score(hundredths as u16))
        } else {
            Err(ScoreOutOfRange(value))
        }
    }

    pub fn hundredths(self) -> i64 {
        i64::from(self.0)
    }

    pub fn as_f64(self) -> f64 {
        f64::from(self.0) / 100.0
    }
}

impl fmt::Display for Score {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:02}", self.0 / 100, self.0 % 100)
    }
}

code_enum! {
    /// The colour a band counts as on dashboards.
    pub enum Zone {
        /// *Zona hijau*: high compliance.
        Green = "GREEN",
        /// *Zona kuning*: medium compliance.
        Yellow = "YELLOW",
        /// *Zona merah*: low compliance.
        Red = "RED",
    }
}

code_enum! {
    /// Where a score comes from.
    pub enum ScoreKind {
        /// Published by the Ombudsman for the period.
        Official = "OFFICIAL",
        /// The government's own assessment (*penilaian mandiri*).
        SelfAssessment = "SELF_ASSESSMENT",
        /// A check made during mentoring.
        MentoringCheck = "MENTORING_CHECK",
    }
}

code_enum! {
    /// Where a score's figure comes from, so that no one mistakes an invented
    /// or internal figure for a published one.
    pub enum Provenance {
        /// Published by the Ombudsman (with the document or announcement it comes from).
        Published = "PUBLISHED",
        /// The government's own assessment (*penilaian mandiri*).
        SelfAssessment = "SELF_ASSESSMENT",
        /// A check made during mentoring.
        MentoringCheck = "MENTORING_CHECK",
        /// Invented for illustration (the demo's figures); never a real result.
        Illustrative = "ILLUSTRATIVE",
    }
}

impl Provenance {
    /// The provenance a score of `kind` has when none is given: an official
    /// score is published, the others are what their kind says.
    pub fn default_for(kind: ScoreKind) -> Provenance {
        match kind {
            ScoreKind::Official => Provenance::Published,
            ScoreKind::SelfAssessment => Provenance::SelfAssessment,
            ScoreKind::MentoringCheck => Provenance::MentoringCheck,
        }
    }

    /// Whether a score of `kind` may have this provenance: a published figure
    /// is an official one; self-assessments and mentoring checks are what they
    /// say; any kind may be illustrative.
    pub fn fits(self, kind: ScoreKind) -> bool {
        self == Provenance::Illustrative || self == Provenance::default_for(kind)
    }
}

/// A score range and the zone or grade it means under one methodology.
#[derive(Debug, Clone, PartialEq)]
pub struct Band {
    /// `HIJAU`, `KUNING`, `MERAH`; `A` … `E`; or `TERTINGGI` … `TERENDAH`.
    pub code: String,
    pub label: String,
    pub min: Score,
    pub max: Score,
    /// `None` under a method without colour zones (OPINI-2025).
    pub zone: Option<Zone>,
    /// Whether the edges are inferred rather than published.
    pub inferred: bool,
}

/// One fact of a methodology version and where it comes from.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MethodologySource {
    pub fact: String,
    /// `CERTAIN`, `LIKELY`, `UNCERTAIN`, or a note when a fact mixes them.
    pub confidence: String,
    /// The document, page or announcement.
    pub reference: String,
}

/// A code and its published wording: a qualifier (*Tanpa Maladministrasi*)
/// or a secondary label (*Sangat Baik* …).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PublishedLabel {
    pub code: String,
    pub label: String,
}

/// What a methodology version rests on and publishes beside its bands. All data.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MethodologyFacts {
    /// The regulation or law it rests on.
    pub legal_basis: Option<String>,
    pub sources: Vec<MethodologySource>,
    /// Whether its bands count as colour zones (false from 2025).
    pub has_zones: bool,
    /// Written before the band label in the result's full name (`Opini`).
    pub result_prefix: Option<String>,
    /// Qualifiers an official result may carry, as published.
    pub qualifiers: Vec<PublishedLabel>,
    /// Secondary labels an official result may carry, as published (never computed).
    pub published_labels: Vec<PublishedLabel>,
}

/// A weighted part of a methodology's total, e.g. *Proses* at 32.37 %.
#[derive(Debug, Clone, PartialEq)]
pub struct Dimension {
    pub code: String,
    pub name: String,
    /// Weight in hundredths of a percent (32.37 % → 3237); a version's weights sum to 10000.
    pub weight_bp: u32,
}

/// An immutable version of an assessment method.
#[derive(Debug, Clone, PartialEq)]
pub struct Methodology {
    pub id: MethodologyId,
    /// `KSP-2021`, `PKP-2022`, …
    pub code: String,
    pub name: String,
    pub description: String,
    pub first_year: i32,
    pub last_year: Option<i32>,
    /// Empty when the total is assessed directly (KSP-2021).
    pub dimensions: Vec<Dimension>,
    /// Ordered from the highest band down.
    pub bands: Vec<Band>,
    pub facts: MethodologyFacts,
}

/// Why a set of dimension values cannot make a total.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DimensionError {
    #[error("dimension `{0}` is not part of this methodology")]
    Unknown(String),
    #[error("dimension `{0}` is missing")]
    Missing(String),
    #[error("dimension `{0}` is given more than once")]
    Repeated(String),
    #[error("this methodology has no dimensions; record the total only")]
    NotDimensioned,
}

impl Methodology {
    /// The full name of a result, e.g. "Opini Kualitas Tinggi Tanpa
    /// Maladministrasi"; `None` for a method whose results are a band alone.
    pub fn result_name(&self, band_code: &str, qualifier: Option<&str>) -> Option<String> {
        let prefix = self.facts.result_prefix.as_deref()?;
        let band = self.bands.iter().find(|b| b.code == band_code)?;
        let mut name = format!("{prefix} {}", band.label);
        if let Some(q) = qualifier.and_then(|q| self.facts.qualifiers.iter().find(|l| l.code == q))
        {
            name.push(' ');
            name.push_str(&q.label);
        }
        Some(name)
    }

    /// The band a total falls in. Bands cover 0–100 without gaps, so every
    /// valid score has exactly one.
    pub fn classify(&self, total: Score) -> Option<&Band> {
        self.bands
            .iter()
            .find(|band| band.min <= total && total <= band.max)
    }

    /// The weighted total of per-dimension values: Σ value × weight, rounded
    /// half up to hundredths. Weights come from the methodology, never from input.
    pub fn weighted_total(&self, values: &[(String, Score)]) -> Result<Score, DimensionError> {
        if self.dimensions.is_empty() {
            return Err(DimensionError::NotDimensioned);
        }
        for (i, (code, _)) in values.iter().enumerate() {
            if !self.dimensions.iter().any(|d| &d.code == code) {
                return Err(DimensionError::Unknown(code.clone()));
            }
            if values[..i].iter().any(|(c, _)| c == code) {
                return Err(DimensionError::Repeated(code.clone()));
            }
        }
        let mut sum: u64 = 0;
        for dimension in &self.dimensions {
            let (_, value) = values
                .iter()
                .find(|(code, _)| code == &dimension.code)
                .ok_or_else(|| DimensionError::Missing(dimension.code.clone()))?;
            sum += value.hundredths() as u64 * u64::from(dimension.weight_bp);
        }
        // sum is in hundredths × hundredths-of-percent; 10_000 of those make one hundredth.
        let rounded = (sum + 5_000) / 10_000;
        Ok(Score(rounded.min(10_000) as u16))
    }

    /// Checks that the bands tile 0.00–100.00 and weights sum to 100 %: the
    /// invariants a new version must keep before it is stored.
    pub fn check_consistency(&self) -> Result<(), String> {
        let mut bands: Vec<&Band> = self.bands.iter().collect();
        bands.sort_by_key(|b| b.min);
        let mut next = 0i64;
        for band in &bands {
            if band.min.hundredths() != next {
                return Err(format!(
                    "band {} starts at {} but the previous band ends below {}",
                    band.code,
                    band.min,
                    Score(next as u16)
                ));
            }
            if band.max < band.min {
                return Err(format!("band {} ends before it starts", band.code));
            }
            next = band.max.hundredths() + 1;
        }
        if next != 10_001 {
            return Err("bands must reach 100.00".into());
        }
        if !self.dimensions.is_empty() {
            let total: u32 = self.dimensions.iter().map(|d| d.weight_bp).sum();
            if total != 10_000 {
                return Err(format!(
                    "dimension weights sum to {}.{:02} %, not 100 %",
                    total / 100,
                    total % 100
                ));
            }
        }
        Ok(())
    }
}

/// A methodology version to add: the Ombudsman's next method (e.g. the 2025
/// *Opini Ombudsman*) enters as data, checked before it is stored.
#[derive(Debug, Clone, PartialEq)]
pub struct NewMethodology {
    pub code: String,
    pub name: String,
    pub description: String,
    pub first_year: i32,
    pub last_year: Option<i32>,
    pub dimensions: Vec<Dimension>,
    pub bands: Vec<Band>,
    pub facts: MethodologyFacts,
}

impl NewMethodology {
    /// Codes, names and years present; band and dimension codes unique; the
    /// bands tile 0–100 and the weights sum to 100 %.
    pub fn validate(&self) -> Result<(), Vec<crate::FieldError>> {
        let mut v = crate::validation::Validation::new();
        v.code("code", &self.code, 40);
        v.text("name", &self.name, 200);
        v.check(
            (2000..=2100).contains(&self.first_year),
            "firstYear",
            "must be a year between 2000 and 2100",
        );
        if let Some(last) = self.last_year {
            v.check(
                last >= self.first_year,
                "lastYear",
                "must not be before firstYear",
            );
        }
        v.check(
            !self.bands.is_empty(),
            "bands",
            "at least one band is needed",
        );
        for (i, band) in self.bands.iter().enumerate() {
            v.text(&format!("bands.{i}.code"), &band.code, 20);
            v.text(&format!("bands.{i}.label"), &band.label, 200);
            let repeated = self.bands[..i].iter().any(|b| b.code == band.code);
            v.check(!repeated, &format!("bands.{i}.code"), "is used twice");
        }
        for (i, dimension) in self.dimensions.iter().enumerate() {
            v.text(&format!("dimensions.{i}.code"), &dimension.code, 40);
            v.text(&format!("dimensions.{i}.name"), &dimension.name, 200);
            let repeated = self.dimensions[..i]
                .iter()
                .any(|d| d.code == dimension.code);
            v.check(!repeated, &format!("dimensions.{i}.code"), "is used twice");
        }
        v.finish()?;
        let candidate = Methodology {
            id: MethodologyId(0),
            code: self.code.clone(),
            name: self.name.clone(),
            description: self.description.clone(),
            first_year: self.first_year,
            last_year: self.last_year,
            dimensions: self.dimensions.clone(),
            bands: self.bands.clone(),
            facts: self.facts.clone(),
        };
        candidate.check_consistency().map_err(|problem| {
            let field = if problem.starts_with("dimension") {
                "dimensions"
            } else {
                "bands"
            };
            vec![crate::FieldError::new(field, problem)]
        })
    }
}

/// An assessment period, e.g. *Penilaian Kepatuhan 2021*, pinned to one methodology.
#[derive(Debug, Clone, PartialEq)]
pub struct AssessmentPeriod {
    pub id: AssessmentPeriodId,
    pub year: i32,
    pub name: String,
    pub methodology_id: MethodologyId,
}

/// One revision of the score of an OPD, or of a whole district when `opd_id` is `None`.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreRecord {
    pub id: ScoreRecordId,
    pub period_id: AssessmentPeriodId,
    pub methodology_id: MethodologyId,
    pub district_id: DistrictId,
    pub opd_id: Option<OpdId>,
    pub kind: ScoreKind,
    /// The score as published or recorded.
    pub total: Score,
    /// The total recomputed from dimension values, where there are any.
    pub computed_total: Option<Score>,
    pub band_code: String,
    pub revision: i32,
    /// The revision this one corrects.
    pub supersedes_id: Option<ScoreRecordId>,
    pub is_current: bool,
    pub correction_reason: Option<String>,
    pub dimension_values: Vec<(String, Score)>,
    pub recorded_by: Option<UserId>,
    pub recorded_at: DateTime<Utc>,
    /// Where the figure comes from.
    pub provenance: Provenance,
    /// The document or announcement a published figure comes from.
    pub source: Option<String>,
    /// The published national rank ("9 of 416 regencies"): (rank, out of).
    pub national_rank: Option<(i32, i32)>,
    /// The qualifier published with the result (`TANPA_MALADMINISTRASI`).
    pub qualifier: Option<String>,
    /// The secondary label published with the result (`CUKUP`), never computed.
    pub published_label: Option<String>,
}

impl ScoreRecord {
    /// Whether a change from `previous` to this record means anything: both
    /// were assessed under the same methodology version.
    pub fn comparable_with(&self, previous: &ScoreRecord) -> bool {
        self.methodology_id == previous.methodology_id
    }
}

/// What a district (or one of its OPDs) aims for in an assessment year.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreTarget {
    pub id: i64,
    pub district_id: DistrictId,
    pub opd_id: Option<OpdId>,
    pub year: i32,
    /// Reach this zone or better.
    pub zone: Option<Zone>,
    /// Reach this band (grade or level) or better.
    pub band_code: Option<String>,
    /// Reach at least this total.
    pub min_total: Option<Score>,
    pub note: Option<String>,
    pub set_by: Option<UserId>,
    pub set_at: DateTime<Utc>,
}

impl Zone {
    /// Green 3, yellow 2, red 1: higher is better.
    pub fn level(self) -> u8 {
        match self {
            Zone::Green => 3,
            Zone::Yellow => 2,
            Zone::Red => 1,
        }
    }
}

impl ScoreTarget {
    /// Whether `total` under `methodology` meets every part of the target.
    /// A zone target cannot be met under a method without zones.
    pub fn met_by(&self, methodology: &Methodology, total: Score) -> bool {
        let band = methodology.classify(total);
        let zone_ok = self.zone.is_none_or(|want| {
            band.and_then(|b| b.zone)
                .is_some_and(|got| got.level() >= want.level())
        });
        let band_ok = self.band_code.as_deref().is_none_or(|want| {
            methodology
                .bands
                .iter()
                .find(|b| b.code == want)
                .is_some_and(|wanted| total >= wanted.min)
        });
        let total_ok = self.min_total.is_none_or(|min| total >= min);
        zone_ok && band_ok && total_ok
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(value: f64) -> Score {
        Score::from_decimal(value).unwrap()
    }

    fn band(code: &str, min: f64, max: f64, zone: Zone) -> Band {
        Band {
            code: code.into(),
            label: code.into(),
            min: s(min),
            max: s(max),
            zone: Some(zone),
            inferred: false,
        }
    }

    fn ksp() -> Methodology {
        Methodology {
            id: MethodologyId(1),
            code: "KSP-2021".into(),
            name: "Penilaian Kepatuhan Standar Pelayanan Publik".into(),
            description: String::new(),
            first_year: 2015,
            last_year: Some(2021),
            dimensions: vec![],
            bands: vec![
                band("HIJAU", 81.0, 100.0, Zone::Green),
                band("KUNING", 51.0, 80.99, Zone::Yellow),
                band("MERAH", 0.0, 50.99, Zone::Red),
            ],
            facts: MethodologyFacts::default(),
        }
    }

    fn pkp() -> Methodology {
        let dim = |code: &str, weight_bp| Dimension {
            code: code.into(),
            name: code.into(),
            weight_bp,
        };
        Methodology {
            id: MethodologyId(2),
            code: "PKP-2022".into(),
            name: "Penilaian Kepatuhan Penyelenggaraan Pelayanan Publik".into(),
            description: String::new(),
            first_year: 2022,
            last_year: Some(2024),
            dimensions: vec![
                dim("INPUT", 2185),
                dim("PROSES", 3237),
                dim("OUTPUT", 2424),
                dim("PENGADUAN", 2154),
            ],
            bands: vec![
                band("A", 88.0, 100.0, Zone::Green),
                band("B", 78.0, 87.99, Zone::Green),
                band("C", 54.0, 77.99, Zone::Yellow),
                band("D", 32.0, 53.99, Zone::Red),
                band("E", 0.0, 31.99, Zone::Red),
            ],
            facts: MethodologyFacts::default(),
        }
    }

    fn code_of(m: &Methodology, total: f64) -> String {
        m.classify(s(total)).unwrap().code.clone()
    }

    #[test]
    fn ksp_zones_meet_at_51_and_81() {
        let m = ksp();
        assert_eq!(code_of(&m, 0.0), "MERAH");
        assert_eq!(code_of(&m, 50.0), "MERAH");
        assert_eq!(code_of(&m, 50.99), "MERAH");
        assert_eq!(code_of(&m, 51.0), "KUNING");
        assert_eq!(code_of(&m, 80.0), "KUNING");
        assert_eq!(code_of(&m, 80.99), "KUNING");
        assert_eq!(code_of(&m, 81.0), "HIJAU");
        assert_eq!(code_of(&m, 97.36), "HIJAU");
        assert_eq!(code_of(&m, 100.0), "HIJAU");
    }

    #[test]
    fn totals_are_rounded_to_two_decimals_before_classification() {
        // 80.995 rounds to 81.00 and is green; 50.994 rounds to 50.99 and is red.
        assert_eq!(code_of(&ksp(), 80.995), "HIJAU");
        assert_eq!(code_of(&ksp(), 50.994), "MERAH");
    }

    #[test]
    fn pkp_grades_meet_at_their_published_edges() {
        let m = pkp();
        assert_eq!(code_of(&m, 88.0), "A");
        assert_eq!(code_of(&m, 88.01), "A");
        assert_eq!(code_of(&m, 87.99), "B");
        assert_eq!(code_of(&m, 78.0), "B");
        assert_eq!(code_of(&m, 77.99), "C");
        assert_eq!(code_of(&m, 54.0), "C");
        assert_eq!(code_of(&m, 53.99), "D");
        assert_eq!(code_of(&m, 32.0), "D");
        assert_eq!(code_of(&m, 31.99), "E");
        assert_eq!(m.classify(s(78.0)).unwrap().zone, Some(Zone::Green));
        assert_eq!(m.classify(s(60.0)).unwrap().zone, Some(Zone::Yellow));
        assert_eq!(m.classify(s(40.0)).unwrap().zone, Some(Zone::Red));
    }

    #[test]
    fn scores_outside_zero_to_hundred_are_refused() {
        assert!(Score::from_decimal(-0.01).is_err());
        assert!(Score::from_decimal(100.01).is_err());
        assert!(Score::from_decimal(f64::NAN).is_err());
        assert!(Score::from_hundredths(10_001).is_err());
        assert_eq!(Score::from_decimal(100.0).unwrap(), Score::MAX);
    }

    #[test]
    fn pkp_total_is_the_weighted_sum_of_its_dimensions() {
        let values = vec![
            ("INPUT".to_string(), s(90.0)),
            ("PROSES".to_string(), s(80.0)),
            ("OUTPUT".to_string(), s(70.0)),
            ("PENGADUAN".to_string(), s(60.0)),
        ];
        // 90×0.2185 + 80×0.3237 + 70×0.2424 + 60×0.2154 = 19.665 + 25.896 + 16.968 + 12.924 = 75.453
        assert_eq!(pkp().weighted_total(&values).unwrap(), s(75.45));
    }

    #[test]
    fn a_weighted_total_needs_every_dimension_once() {
        let m = pkp();
        let missing = vec![("INPUT".to_string(), s(90.0))];
        assert_eq!(
            m.weighted_total(&missing),
            Err(DimensionError::Missing("PROSES".into()))
        );
        let unknown = vec![("KUALITAS".to_string(), s(90.0))];
        assert_eq!(
            m.weighted_total(&unknown),
            Err(DimensionError::Unknown("KUALITAS".into()))
        );
        assert_eq!(
            ksp().weighted_total(&[]),
            Err(DimensionError::NotDimensioned)
        );
    }

    #[test]
    fn built_in_shapes_are_consistent_and_gaps_are_caught() {
        assert_eq!(ksp().check_consistency(), Ok(()));
        assert_eq!(pkp().check_consistency(), Ok(()));
        let mut gap = ksp();
        gap.bands[1].max = s(80.0);
        assert!(gap.check_consistency().is_err());
    }

    fn opini() -> Methodology {
        let level = |code: &str, label: &str, min: f64, max: f64| Band {
            code: code.into(),
            label: label.into(),
            min: s(min),
            max: s(max),
            zone: None,
            inferred: true,
        };
        Methodology {
            id: MethodologyId(3),
            code: "OPINI-2025".into(),
            name: "Opini Ombudsman".into(),
            description: String::new(),
            first_year: 2025,
            last_year: None,
            dimensions: vec![],
            bands: vec![
                level("TERTINGGI", "Kualitas Tertinggi", 88.0, 100.0),
                level("TINGGI", "Kualitas Tinggi", 78.0, 87.99),
                level("SEDANG", "Kualitas Sedang", 54.0, 77.99),
                level("RENDAH", "Kualitas Rendah", 32.0, 53.99),
                level("TERENDAH", "Kualitas Terendah", 0.0, 31.99),
            ],
            facts: MethodologyFacts {
                has_zones: false,
                result_prefix: Some("Opini".into()),
                qualifiers: vec![PublishedLabel {
                    code: "TANPA_MALADMINISTRASI".into(),
                    label: "Tanpa Maladministrasi".into(),
                }],
                ..MethodologyFacts::default()
            },
        }
    }

    #[test]
    fn an_opinion_has_a_level_no_zone_and_a_full_name() {
        let m = opini();
        assert_eq!(m.check_consistency(), Ok(()));
        assert_eq!(code_of(&m, 88.49), "TERTINGGI");
        assert_eq!(code_of(&m, 77.99), "SEDANG");
        assert_eq!(code_of(&m, 84.43), "TINGGI");
        assert_eq!(m.classify(s(84.43)).unwrap().zone, None);
        assert_eq!(
            m.result_name("TINGGI", Some("TANPA_MALADMINISTRASI"))
                .as_deref(),
            Some("Opini Kualitas Tinggi Tanpa Maladministrasi")
        );
        assert_eq!(
            m.result_name("SEDANG", None).as_deref(),
            Some("Opini Kualitas Sedang")
        );
        assert_eq!(pkp().result_name("A", None), None);
    }

    #[test]
    fn a_target_is_met_by_zone_band_or_minimum_and_never_by_a_missing_zone() {
        let target = |zone: Option<Zone>, band: Option<&str>, min: Option<f64>| ScoreTarget {
            id: 1,
            district_id: DistrictId(1),
            opd_id: None,
            year: 2024,
            zone,
            band_code: band.map(str::to_owned),
            min_total: min.map(s),
            note: None,
            set_by: None,
            set_at: DateTime::<Utc>::MIN_UTC,
        };
        assert!(target(Some(Zone::Green), None, None).met_by(&pkp(), s(78.0)));
        assert!(!target(Some(Zone::Green), None, None).met_by(&pkp(), s(77.99)));
        assert!(target(None, Some("B"), None).met_by(&pkp(), s(90.0)));
        assert!(!target(None, Some("A"), None).met_by(&pkp(), s(87.99)));
        assert!(target(None, None, Some(80.0)).met_by(&pkp(), s(80.0)));
        assert!(!target(Some(Zone::Red), None, None).met_by(&opini(), s(99.0)));
    }

    #[test]
    fn provenance_fits_its_kind() {
        assert!(Provenance::Published.fits(ScoreKind::Official));
        assert!(!Provenance::Published.fits(ScoreKind::SelfAssessment));
        assert!(Provenance::Illustrative.fits(ScoreKind::MentoringCheck));
        assert_eq!(
            Provenance::default_for(ScoreKind::Official),
            Provenance::Published
        );
    }

    #[test]
    fn a_score_prints_with_two_decimals() {
        assert_eq!(s(97.36).to_string(), "97.36");
        assert_eq!(s(51.0).to_string(), "51.00");
        assert_eq!(s(0.5).to_string(), "0.50");
    }
}
