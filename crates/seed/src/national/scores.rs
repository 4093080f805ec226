//! Official scores of every OPD and every government, in each period.

use chrono::{DateTime, NaiveDate, Utc};
use pendamping_domain::events::EventKind;
use pendamping_domain::score::{Methodology, Score, ScoreKind};
use pendamping_storage::bulk::{Cell, tables};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::Generator;
use super::days::{at, plus};
use super::names;
use super::output::AuditEntry;
use super::random::pick;
use super::world::{DistrictPlan, OfficePlan};

/// Whose score, in which period and under which methodology, recorded by whom.
#[derive(Clone, Copy)]
struct Subject<'a> {
    period_id: i64,
    methodology: &'a Methodology,
    district_id: i64,
    /// None for the government's own score.
    opd_id: Option<i64>,
    assessor: &'a (i64, String),
    office_id: i64,
}

/// A score record's place in its history.
struct Revision<'a> {
    number: i32,
    /// The revision it corrects.
    supersedes: Option<i64>,
    is_current: bool,
    /// Why it was corrected.
    reason: Option<&'a str>,
}

impl Revision<'_> {
    /// The first and current record.
    const FIRST: Revision<'static> = Revision {
        number: 1,
        supersedes: None,
        is_current: true,
        reason: None,
    };
}

impl Generator<'_> {
    /// Official scores of every OPD and of the government, in each period.
    pub(super) fn scores(&mut self, office: &OfficePlan, d: &DistrictPlan, rng: &mut ChaCha8Rng) {
        let level = 40.0 + 45.0 * rng.random::<f64>();
        let growth = 1.0 + 4.0 * rng.random::<f64>();
        let assessor = office.assessors[0].clone();
        let qualities: Vec<f64> = d
            .opds
            .iter()
            .map(|_| level + (rng.random::<f64>() - 0.5) * 24.0)
            .collect();
        let periods = self.periods.clone();
        for (k, (period_id, year, pkp)) in periods.into_iter().enumerate() {
            let methodology = if pkp { self.pkp } else { self.ksp };
            let recorded = at(
                plus(
                    NaiveDate::from_ymd_opt(year, 12, 1).unwrap_or_default(),
                    rng.random_range(0..30),
                ),
                120,
            );
            let of_district = Subject {
                period_id,
                methodology,
                district_id: d.id,
                opd_id: None,
                assessor: &assessor,
                office_id: office.id,
            };
            let mut sums = [0u64; 4];
            let mut totals = 0u64;
            for (o, quality) in d.opds.iter().zip(&qualities) {
                let mean = quality + growth * k as f64 + (rng.random::<f64>() - 0.5) * 8.0;
                let (total, computed, dims) = self.score_values(rng, methodology, mean);
                for (s, v) in sums.iter_mut().zip(&dims) {
                    *s += v.hundredths() as u64;
                }
                totals += total.hundredths() as u64;
                let of_opd = Subject {
                    opd_id: Some(o.id),
                    ..of_district
                };
                if rng.random_bool(0.005) {
                    // A corrected entry: the first revision stays in the history.
                    let wrong = Score::from_hundredths(
                        (total.hundredths() + rng.random_range(-300..300)).clamp(0, 10_000),
                    )
                    .unwrap_or(total);
                    let first = self.score_record(
                        &of_opd,
                        (wrong, computed.map(|_| wrong), &dims),
                        Revision {
                            is_current: false,
                            ..Revision::FIRST
                        },
                        recorded,
                    );
                    let reason = *pick(rng, names::CORRECTION_REASONS);
                    self.score_record(
                        &of_opd,
                        (total, computed, &dims),
                        Revision {
                            number: 2,
                            supersedes: Some(first),
                            is_current: true,
                            reason: Some(reason),
                        },
                        recorded + chrono::Duration::days(rng.random_range(10..60)),
                    );
                } else {
                    self.score_record(&of_opd, (total, computed, &dims), Revision::FIRST, recorded);
                }
            }
            // The government's score: the mean over its OPDs (per dimension under PKP-2022).
            let n = d.opds.len().max(1) as u64;
            let (total, computed, dims) = if pkp {
                let dims: Vec<Score> = sums
                    .iter()
                    .map(|s| Score::from_hundredths(((s + n / 2) / n) as i64).unwrap_or(Score::MAX))
                    .collect();
                let computed = self.weighted(&dims);
                (computed, Some(computed), dims)
            } else {
                let total =
                    Score::from_hundredths(((totals + n / 2) / n) as i64).unwrap_or(Score::MAX);
                (total, None, Vec::new())
            };
            self.score_record(
                &of_district,
                (total, computed, &dims),
                Revision::FIRST,
                recorded + chrono::Duration::days(1),
            );
        }
    }

    fn weighted(&self, dims: &[Score]) -> Score {
        let values: Vec<(String, Score)> = self
            .pkp
            .dimensions
            .iter()
            .zip(dims)
            .map(|(d, v)| (d.code.clone(), *v))
            .collect();
        self.pkp.weighted_total(&values).unwrap_or(Score::MAX)
    }

    /// Published total, computed total and dimension values around `mean`.
    fn score_values(
        &self,
        rng: &mut ChaCha8Rng,
        methodology: &Methodology,
        mean: f64,
    ) -> (Score, Option<Score>, Vec<Score>) {
        let clamp = |v: f64| Score::from_decimal(v.clamp(0.0, 100.0)).unwrap_or(Score::MAX);
        if methodology.dimensions.is_empty() {
            return (clamp(mean), None, Vec::new());
        }
        // Complaint handling lags the rest, as the Ombudsman keeps finding.
        const OFFSETS: [f64; 4] = [4.0, 0.0, -2.0, -8.0];
        let dims: Vec<Score> = OFFSETS
            .iter()
            .map(|offset| clamp(mean + offset + (rng.random::<f64>() - 0.5) * 12.0))
            .collect();
        let computed = self.weighted(&dims);
        // Now and then the published total differs from the parts (stored as published).
        let total = if rng.random_bool(0.02) {
            Score::from_hundredths(
                (computed.hundredths() + rng.random_range(-40..40)).clamp(0, 10_000),
            )
            .unwrap_or(computed)
        } else {
            computed
        };
        (total, Some(computed), dims)
    }

    /// One score record (published total, computed total, dimension values)
    /// and its audit entry; returns its id.
    fn score_record(
        &mut self,
        subject: &Subject<'_>,
        (total, computed, dims): (Score, Option<Score>, &[Score]),
        revision: Revision<'_>,
        recorded: DateTime<Utc>,
    ) -> i64 {
        let Subject {
            period_id,
            methodology,
            district_id,
            opd_id,
            assessor,
            office_id,
        } = *subject;
        let Revision {
            number: revision,
            supersedes,
            is_current,
            reason,
        } = revision;
        let id = self.ids.next(tables::SCORE_RECORDS);
        let band = methodology
            .classify(total)
            .map_or_else(String::new, |b| b.code.clone());
        self.out.to(tables::SCORE_RECORDS).push([
            id.into(),
            period_id.into(),
            methodology.id.0.into(),
            district_id.into(),
            opd_id.into(),
            ScoreKind::Official.as_str().into(),
            total.hundredths().into(),
            computed.map(Score::hundredths).into(),
            band.as_str().into(),
            revision.into(),
            supersedes.into(),
            is_current.into(),
            reason.into(),
            assessor.0.into(),
            recorded.into(),
            // Every figure of the national data set is invented.
            pendamping_domain::score::Provenance::Illustrative
                .as_str()
                .into(),
        ]);
        if !dims.is_empty() {
            for (dimension, value) in self.pkp_dimension_ids.clone().into_iter().zip(dims) {
                self.out.to(tables::SCORE_DIMENSION_VALUES).push([
                    id.into(),
                    dimension.into(),
                    value.hundredths().into(),
                ]);
            }
        }
        self.audit(AuditEntry {
            when: recorded,
            actor: assessor,
            action: if revision == 1 {
                EventKind::ScoreRecorded
            } else {
                EventKind::ScoreCorrected
            },
            object_type: "ScoreRecord",
            object_id: id,
            office_id,
            district_id,
            before: Cell::Null,
            after: Cell::Text(format!(r#"{{"total":"{total}","band":"{band}"}}"#)),
            reason,
        });
        id
    }
}
