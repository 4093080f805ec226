//! Recording and correcting scores. Totals are computed here from the
//! methodology's own weights; a published total is kept as published, beside
//! the computed one. A correction appends a revision; nothing is overwritten.

use pendamping_domain::audit::AuditKind;
use pendamping_domain::events::EventKind;
use pendamping_domain::identity::Actor;
use pendamping_domain::policy::{Operation, Target};
use pendamping_domain::reference::{DistrictId, OpdId};
use pendamping_domain::score::{
    AssessmentPeriod, AssessmentPeriodId, Methodology, NewMethodology, Provenance, Score,
    ScoreKind, ScoreRecord, ScoreRecordId,
};
use pendamping_domain::validation::Validation;
use pendamping_storage::audit;
use pendamping_storage::scores::{self, Correction, Published, ScoreRow};
use serde_json::json;

use crate::error::FoundOne;
use crate::reference::{Subject, append_audit, audit_row, forbid};
use crate::{Engine, EngineError};

/// The values of a score as entered: a total, per-dimension values, or both.
#[derive(Debug, Clone, Default)]
pub struct ScoreValues {
    /// The total as published (0–100, rounded to two decimals).
    pub total: Option<f64>,
    /// Per-dimension values by dimension code (0–100 each).
    pub dimensions: Vec<(String, f64)>,
}

/// A first score of a subject in a period.
#[derive(Debug, Clone)]
pub struct NewScore {
    pub period_id: AssessmentPeriodId,
    pub district_id: DistrictId,
    /// `None` for the district's own (government-level) score.
    pub opd_id: Option<OpdId>,
    pub kind: ScoreKind,
    pub values: ScoreValues,
    /// Where the figure comes from; by default what `kind` says (`OFFICIAL` → `PUBLISHED`).
    pub provenance: Option<Provenance>,
    /// What an official result carries as published.
    pub published: Published,
}

/// Checks provenance and what is recorded as published against the kind and
/// the methodology: a published figure names its source when its provenance
/// is given; rank, qualifier and secondary label belong to official results
/// and are the methodology's own codes.
pub(crate) fn check_published(
    methodology: &Methodology,
    kind: ScoreKind,
    provenance: Option<Provenance>,
    published: &Published,
) -> Result<(Provenance, Published), EngineError> {
    let mut v = Validation::new();
    let chosen = provenance.unwrap_or(Provenance::default_for(kind));
    v.check(
        chosen.fits(kind),
        "provenance",
        &format!(
            "a {} score can be {} or ILLUSTRATIVE, not {}",
            kind.as_str(),
            Provenance::default_for(kind).as_str(),
            chosen.as_str()
        ),
    );
    let source = published
        .source
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned);
    if let Some(source) = &source {
        v.check(
            source.chars().count() <= 1000,
            "source",
            "must be at most 1000 characters",
        );
    }
    v.check(
        provenance != Some(Provenance::Published) || source.is_some(),
        "source",
        "is required for a PUBLISHED score: name the document or announcement it comes from",
    );
    let official = kind == ScoreKind::Official;
    if let Some((rank, of)) = published.national_rank {
        v.check(
            official,
            "nationalRank",
            "is recorded only with an official score",
        );
        v.check(
            of >= 1,
            "nationalRankOutOf",
            "is required with nationalRank (how many were ranked)",
        );
        v.check(
            rank >= 1 && (of < 1 || of >= rank),
            "nationalRank",
            "must be a place from 1 to nationalRankOutOf",
        );
    }
    if let Some(q) = &published.qualifier {
        v.check(
            official,
            "qualifier",
            "is recorded only with an official result",
        );
        v.check(
            methodology.facts.qualifiers.iter().any(|l| &l.code == q),
            "qualifier",
            &format!(
                "{} has no qualifier `{q}`{}",
                methodology.code,
                if methodology.facts.qualifiers.is_empty() {
                    String::new()
                } else {
                    format!(
                        " (known: {})",
                        methodology
                            .facts
                            .qualifiers
                            .iter()
                            .map(|l| l.code.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                }
            ),
        );
    }
    if let Some(label) = &published.label {
        v.check(
            official,
            "publishedLabel",
            "is recorded only with an official result",
        );
        v.check(
            methodology
                .facts
                .published_labels
                .iter()
                .any(|l| &l.code == label),
            "publishedLabel",
            &format!("{} publishes no label `{label}`", methodology.code),
        );
    }
    v.finish()?;
    Ok((
        chosen,
        Published {
            source,
            ..published.clone()
        },
    ))
}

/// A checked score: total, computed total, band, and dimension values by id.
pub(crate) struct Checked {
    pub(crate) total: Score,
    pub(crate) computed: Option<Score>,
    pub(crate) band_code: String,
    pub(crate) dimension_values: Vec<(i64, Score)>,
}

/// Where a score is recorded: its period, methodology, district, OPD (none
/// for a district's own score) and kind.
pub(crate) type ScorePlace = (i64, i64, i64, Option<i64>, ScoreKind);

/// Where a recorded score is.
fn place_of(record: &ScoreRecord) -> ScorePlace {
    let opd = record.opd_id.map(|o| o.0);
    let (period, methodology) = (record.period_id.0, record.methodology_id.0);
    (period, methodology, record.district_id.0, opd, record.kind)
}

impl Checked {
    /// The row recording this score at `place`, by `actor`, with where the
    /// figure comes from and what was published with it.
    pub(crate) fn row(
        &self,
        (period_id, methodology_id, district_id, opd_id, kind): ScorePlace,
        actor: &Actor,
        (provenance, published): (Provenance, Published),
    ) -> ScoreRow {
        ScoreRow {
            period_id,
            methodology_id,
            district_id,
            opd_id,
            kind,
            total: self.total,
            computed_total: self.computed,
            band_code: self.band_code.clone(),
            dimension_values: self.dimension_values.clone(),
            recorded_by: actor.user_id.map(|u| u.0),
            provenance,
            published,
        }
    }
}

impl Engine {
    /// Checks values against the period's methodology: every dimension once,
    /// each 0–100; a total given or computed; the band it falls in.
    pub(crate) async fn check_values(
        &self,
        methodology: &pendamping_domain::score::Methodology,
        values: &ScoreValues,
    ) -> Result<Checked, EngineError> {
        let mut v = Validation::new();
        let mut dims = Vec::new();
        for (i, (code, value)) in values.dimensions.iter().enumerate() {
            match Score::from_decimal(*value) {
                Ok(score) => dims.push((code.clone(), score)),
                Err(e) => v.push(&format!("dimensions.{i}.value"), e.to_string()),
            }
        }
        let total = v.optional_score("total", values.total);
        v.finish()?;
        let computed = if methodology.dimensions.is_empty() {
            if !dims.is_empty() {
                return Err(EngineError::invalid(
                    "dimensions",
                    format!(
                        "{} has no dimensions; give the total only",
                        methodology.code
                    ),
                ));
            }
            None
        } else if dims.is_empty() {
            None
        } else {
            Some(
                methodology
                    .weighted_total(&dims)
                    .map_err(|e| EngineError::invalid("dimensions", e.to_string()))?,
            )
        };
        let total = total.or(computed).ok_or_else(|| {
            EngineError::invalid(
                "total",
                if methodology.dimensions.is_empty() {
                    "is required".to_owned()
                } else {
                    "give the total or every dimension".to_owned()
                },
            )
        })?;
        let band = methodology.classify(total).ok_or_else(|| {
            EngineError::invalid(
                "total",
                format!("no band of {} holds {total}", methodology.code),
            )
        })?;
        let ids = scores::dimension_ids(&self.db, methodology.id).await?;
        let dimension_values = dims
            .iter()
            .filter_map(|(code, value)| ids.get(code).map(|id| (*id, *value)))
            .collect();
        Ok(Checked {
            total,
            computed,
            band_code: band.code.clone(),
            dimension_values,
        })
    }

    /// Records the first score of an OPD (or of a district) in a period.
    pub async fn record_score(
        &self,
        actor: &Actor,
        new: NewScore,
    ) -> Result<ScoreRecord, EngineError> {
        let reader = self.reader(actor);
        let (district, _) = self
            .district_for(actor, new.district_id, Operation::RecordScores)
            .await?;
        self.check_opd_of(actor, &district, new.opd_id).await?;
        let period = reader
            .periods_by_ids(&[new.period_id])
            .await?
            .one_or(|| EngineError::invalid("periodId", "no such assessment period"))?;
        let methodology = reader
            .methodologies_by_ids(&[period.methodology_id])
            .await?
            .one_or(|| EngineError::invalid("periodId", "the period's methodology is missing"))?;
        let checked = self.check_values(&methodology, &new.values).await?;
        let (provenance, published) =
            check_published(&methodology, new.kind, new.provenance, &new.published)?;
        let now = self.now();
        let txn = pendamping_storage::begin_write(&self.db).await?;
        if scores::current_score(
            &txn,
            period.id.0,
            district.id.0,
            new.opd_id.map(|o| o.0),
            new.kind,
        )
        .await?
        .is_some()
        {
            return Err(EngineError::invalid(
                "periodId",
                "a score of this kind is already recorded for this period; correct it with correctScore",
            ));
        }
        let place = (
            period.id.0,
            methodology.id.0,
            district.id.0,
            new.opd_id.map(|o| o.0),
            new.kind,
        );
        let row = checked.row(place, actor, (provenance, published.clone()));
        let id = scores::insert_score(&txn, row, now)
            .await
            .map_err(EngineError::from_storage_on("periodId"))?;
        let target = Target::district(district.office_id, district.id);
        let after = json!({"total": checked.total.to_string(), "band": checked.band_code,
                           "kind": new.kind.as_str(), "period": period.year, "methodology": methodology.code,
                           "provenance": provenance.as_str(), "source": published.source,
                           "nationalRank": published.national_rank.map(|r| r.0),
                           "nationalRankOf": published.national_rank.map(|r| r.1),
                           "qualifier": published.qualifier, "publishedLabel": published.label});
        let subject = Subject::new("ScoreRecord", id.0, target);
        append_audit(&txn, actor, EventKind::ScoreRecorded, subject, after, now).await?;
        // The event also names the OPD scored, for its subscribers.
        let subject = Subject::new(
            "ScoreRecord",
            id.0,
            Target {
                opd: new.opd_id,
                ..target
            },
        );
        let payload = json!({"total": checked.total.to_string(), "band": checked.band_code,
                             "kind": new.kind.as_str(), "period": period.year});
        crate::reorganise::emit(self, &txn, EventKind::ScoreRecorded, subject, payload).await?;
        self.commit_events(txn).await?;
        self.score(actor, id).await
    }

    /// Corrects a score: a new revision supersedes the current one, with a reason.
    pub async fn correct_score(
        &self,
        actor: &Actor,
        id: ScoreRecordId,
        values: ScoreValues,
        reason: &str,
    ) -> Result<ScoreRecord, EngineError> {
        let reader = self.reader(actor);
        let old = reader
            .scores_by_ids(&[id])
            .await?
            .one_or(|| EngineError::NotFound("score record".into()))?;
        let district = reader
            .districts_by_ids(&[old.district_id])
            .await?
            .one_or(|| EngineError::NotFound("score record".into()))?;
        let target = Target::district(district.office_id, district.id);
        forbid(actor, Operation::RecordScores, &target)?;
        let mut v = Validation::new();
        v.text("reason", reason, 2000);
        v.finish()?;
        if !old.is_current {
            return Err(EngineError::overtaken("score", old.revision));
        }
        // The revision keeps the methodology it was first recorded under.
        let methodology = reader
            .methodologies_by_ids(&[old.methodology_id])
            .await?
            .one_or(|| EngineError::NotFound("methodology".into()))?;
        let checked = self.check_values(&methodology, &values).await?;
        let now = self.now();
        let txn = pendamping_storage::begin_write(&self.db).await?;
        if !scores::supersede(&txn, old.id).await? {
            return Err(EngineError::overtaken("score", old.revision));
        }
        // A correction keeps where the figure comes from and what was published with it.
        let published = Published {
            source: old.source.clone(),
            national_rank: old.national_rank,
            qualifier: old.qualifier.clone(),
            label: old.published_label.clone(),
        };
        let new_id = scores::insert_revision(
            &txn,
            checked.row(place_of(&old), actor, (old.provenance, published)),
            Some(Correction {
                supersedes: old.id,
                revision: old.revision + 1,
                reason: reason.trim().to_owned(),
            }),
            now,
        )
        .await?;
        let mut row = audit_row(
            actor,
            EventKind::ScoreCorrected,
            "ScoreRecord",
            new_id.0,
            target,
            json!({"total": checked.total.to_string(), "band": checked.band_code, "revision": old.revision + 1}),
        );
        row.before = Some(
            json!({"total": old.total.to_string(), "band": old.band_code, "revision": old.revision}),
        );
        row.reason = Some(reason.trim().to_owned());
        audit::append(&txn, row, now).await?;
        let subject = Subject::new(
            "ScoreRecord",
            new_id.0,
            Target {
                opd: old.opd_id,
                ..target
            },
        );
        let payload = json!({"total": checked.total.to_string(), "band": checked.band_code,
                             "revision": old.revision + 1, "supersedes": old.id.0});
        crate::reorganise::emit(self, &txn, EventKind::ScoreCorrected, subject, payload).await?;
        self.commit_events(txn).await?;
        self.score(actor, new_id).await
    }

    async fn score(&self, actor: &Actor, id: ScoreRecordId) -> Result<ScoreRecord, EngineError> {
        self.reader(actor)
            .scores_by_ids(&[id])
            .await?
            .one_or(|| EngineError::NotFound("score record".into()))
    }
}

impl Engine {
    /// Adds a methodology version (system admins). Versions are immutable:
    /// the next one is added beside the old, which keeps every score recorded
    /// under it.
    pub async fn create_methodology(
        &self,
        actor: &Actor,
        new: NewMethodology,
    ) -> Result<Methodology, EngineError> {
        forbid(actor, Operation::ManageMethodologies, &Target::everywhere())?;
        new.validate()?;
        let now = self.now();
        let txn = pendamping_storage::begin_write(&self.db).await?;
        let id = scores::insert_methodology(&txn, &new, now)
            .await
            .map_err(EngineError::from_storage_on("code"))?;
        append_audit(
            &txn,
            actor,
            AuditKind::MethodologyCreated,
            Subject::new("Methodology", id.0, Target::everywhere()),
            json!({"code": new.code, "firstYear": new.first_year,
                       "bands": new.bands.iter().map(|b| &b.code).collect::<Vec<_>>(),
                       "dimensions": new.dimensions.iter().map(|d| &d.code).collect::<Vec<_>>()}),
            now,
        )
        .await?;
        let created = scores::methodologies_by_ids(&txn, &[id.0])
            .await?
            .one_or(|| EngineError::NotFound("methodology".into()))?;
        txn.commit().await?;
        Ok(created)
    }

    /// Opens an assessment period pinned to one methodology version (system admins).
    pub async fn create_assessment_period(
        &self,
        actor: &Actor,
        year: i32,
        name: &str,
        methodology_code: &str,
    ) -> Result<AssessmentPeriod, EngineError> {
        forbid(actor, Operation::ManageMethodologies, &Target::everywhere())?;
        let mut v = Validation::new();
        v.check(
            (2000..=2100).contains(&year),
            "year",
            "must be a year between 2000 and 2100",
        );
        v.text("name", name, 200);
        v.finish()?;
        let methodology = scores::all_methodologies(&self.db)
            .await?
            .into_iter()
            .find(|m| m.code == methodology_code)
            .ok_or_else(|| {
                EngineError::invalid(
                    "methodologyCode",
                    format!("no methodology version is called `{methodology_code}`"),
                )
            })?;
        let now = self.now();
        let txn = pendamping_storage::begin_write(&self.db).await?;
        if scores::period_by_year(&txn, year).await?.is_some() {
            return Err(EngineError::invalid(
                "year",
                format!("{year} already has an assessment period"),
            ));
        }
        let period = scores::insert_period(&txn, year, name.trim(), methodology.id, now)
            .await
            .map_err(EngineError::from_storage_on("year"))?;
        append_audit(
            &txn,
            actor,
            AuditKind::AssessmentPeriodCreated,
            Subject::new("AssessmentPeriod", period.id.0, Target::everywhere()),
            json!({"year": year, "name": period.name, "methodology": methodology.code}),
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(period)
    }
}
