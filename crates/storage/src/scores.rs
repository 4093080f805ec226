//! Methodologies, assessment periods and score records.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use pendamping_domain::identity::Reach;
use pendamping_domain::reference::{DistrictId, OpdId};
use pendamping_domain::score::{
    AssessmentPeriod, AssessmentPeriodId, Band, Dimension, Methodology, MethodologyFacts,
    MethodologyId, NewMethodology, Provenance, Score, ScoreKind, ScoreRecord, ScoreRecordId,
    ScoreTarget,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, JoinType, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use crate::StorageError;
use crate::entity::{
    assessment_periods, methodologies, methodology_bands, methodology_dimensions,
    score_dimension_values, score_records,
};
use crate::group::children_of;
use crate::keys;
use crate::page::{self, CursorKey, ListOrder, Page, PageRequest, SortValue};
use crate::reach;

pub use pendamping_domain::figures::Published;
pub use pendamping_domain::read::ScoreFilter;

fn score(hundredths: i32) -> Result<Score, StorageError> {
    Score::from_hundredths(i64::from(hundredths)).map_err(|e| StorageError::Corrupt(e.to_string()))
}

/// Every methodology version with its dimensions and bands, in three statements.
pub async fn all_methodologies(
    db: &impl ConnectionTrait,
) -> Result<Vec<Methodology>, StorageError> {
    let rows = methodologies::Entity::find()
        .order_by_asc(methodologies::Column::FirstYear)
        .order_by_asc(methodologies::Column::Id)
        .all(db)
        .await?;
    assemble_methodologies(db, rows).await
}

pub async fn methodologies_by_ids(
    db: &impl ConnectionTrait,
    ids: &[i64],
) -> Result<Vec<Methodology>, StorageError> {
    let rows = methodologies::Entity::find()
        .filter(methodologies::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?;
    assemble_methodologies(db, rows).await
}

async fn assemble_methodologies(
    db: &impl ConnectionTrait,
    rows: Vec<methodologies::Model>,
) -> Result<Vec<Methodology>, StorageError> {
    let ids: Vec<i64> = rows.iter().map(|m| m.id).collect();
    let mut dimensions = children_of::<methodology_dimensions::Entity, _>(
        db,
        methodology_dimensions::Column::MethodologyId,
        &ids,
        methodology_dimensions::Column::Position,
        |d| {
            let dimension = Dimension {
                code: d.code,
                name: d.name,
                weight_bp: u32::try_from(d.weight_bp)
                    .map_err(|_| StorageError::Corrupt("negative dimension weight".into()))?,
            };
            Ok((d.methodology_id, dimension))
        },
    )
    .await?;
    let mut bands = children_of::<methodology_bands::Entity, _>(
        db,
        methodology_bands::Column::MethodologyId,
        &ids,
        methodology_bands::Column::Position,
        |b| {
            let band = Band {
                code: b.code,
                label: b.label,
                min: score(b.min_hundredths)?,
                max: score(b.max_hundredths)?,
                zone: b.zone.map(|z| z.parse()).transpose()?,
                inferred: b.inferred,
            };
            Ok((b.methodology_id, band))
        },
    )
    .await?;
    rows.into_iter()
        .map(|m| {
            Ok(Methodology {
                id: MethodologyId(m.id),
                dimensions: dimensions.remove(&m.id).unwrap_or_default(),
                bands: bands.remove(&m.id).unwrap_or_default(),
                facts: MethodologyFacts {
                    legal_basis: m.legal_basis,
                    sources: json_list(m.sources.as_deref())?,
                    has_zones: m.has_zones,
                    result_prefix: m.result_prefix,
                    qualifiers: json_list(m.qualifiers.as_deref())?,
                    published_labels: json_list(m.published_labels.as_deref())?,
                },
                code: m.code,
                name: m.name,
                description: m.description,
                first_year: m.first_year,
                last_year: m.last_year,
            })
        })
        .collect()
}

/// A JSON array column (`NULL` is empty).
fn json_list<T: serde::de::DeserializeOwned>(text: Option<&str>) -> Result<Vec<T>, StorageError> {
    match text {
        None => Ok(Vec::new()),
        Some(text) => serde_json::from_str(text)
            .map_err(|e| StorageError::Corrupt(format!("methodology list: {e}"))),
    }
}

fn json_text<T: serde::Serialize>(list: &[T]) -> Option<String> {
    (!list.is_empty()).then(|| serde_json::to_string(list).unwrap_or_default())
}

/// Stores a new methodology version with its bands and dimensions; the id.
pub async fn insert_methodology(
    db: &impl ConnectionTrait,
    new: &NewMethodology,
    now: DateTime<Utc>,
) -> Result<MethodologyId, StorageError> {
    let model = methodologies::ActiveModel {
        code: Set(new.code.clone()),
        name: Set(new.name.clone()),
        description: Set(new.description.clone()),
        first_year: Set(new.first_year),
        last_year: Set(new.last_year),
        created_at: Set(now),
        legal_basis: Set(new.facts.legal_basis.clone()),
        sources: Set(json_text(&new.facts.sources)),
        has_zones: Set(new.facts.has_zones),
        result_prefix: Set(new.facts.result_prefix.clone()),
        qualifiers: Set(json_text(&new.facts.qualifiers)),
        published_labels: Set(json_text(&new.facts.published_labels)),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let position = |i: usize| i32::try_from(i).unwrap_or(i32::MAX);
    methodology_bands::Entity::insert_many(new.bands.iter().enumerate().map(|(i, b)| {
        methodology_bands::ActiveModel {
            methodology_id: Set(model.id),
            code: Set(b.code.clone()),
            label: Set(b.label.clone()),
            min_hundredths: Set(b.min.hundredths() as i32),
            max_hundredths: Set(b.max.hundredths() as i32),
            zone: Set(b.zone.map(|z| z.as_str().to_owned())),
            position: Set(position(i)),
            inferred: Set(b.inferred),
            ..Default::default()
        }
    }))
    .exec(db)
    .await?;
    if !new.dimensions.is_empty() {
        methodology_dimensions::Entity::insert_many(new.dimensions.iter().enumerate().map(
            |(i, d)| methodology_dimensions::ActiveModel {
                methodology_id: Set(model.id),
                code: Set(d.code.clone()),
                name: Set(d.name.clone()),
                weight_bp: Set(i32::try_from(d.weight_bp).unwrap_or(i32::MAX)),
                position: Set(position(i)),
                ..Default::default()
            },
        ))
        .exec(db)
        .await?;
    }
    Ok(MethodologyId(model.id))
}

fn period(m: assessment_periods::Model) -> AssessmentPeriod {
    AssessmentPeriod {
        id: AssessmentPeriodId(m.id),
        year: m.year,
        name: m.name,
        methodology_id: MethodologyId(m.methodology_id),
    }
}

/// Assessment periods, by year. They are public reference data.
pub async fn list_periods(
    db: &impl ConnectionTrait,
    request: &PageRequest,
) -> Result<Page<AssessmentPeriod>, StorageError> {
    let page = page::paginate(
        db,
        assessment_periods::Entity::find(),
        ListOrder::by(
            assessment_periods::Column::Year,
            assessment_periods::Column::Id,
        ),
        |m| CursorKey {
            sort: SortValue::Int(i64::from(m.year)),
            id: m.id,
        },
        request,
    )
    .await?;
    page.try_map(|m| Ok(period(m)))
}

/// Every assessment period, oldest first (a handful: one a year).
pub async fn all_periods(db: &impl ConnectionTrait) -> Result<Vec<AssessmentPeriod>, StorageError> {
    Ok(assessment_periods::Entity::find()
        .order_by_asc(assessment_periods::Column::Year)
        .order_by_asc(assessment_periods::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(period)
        .collect())
}

pub async fn count_periods(db: &impl ConnectionTrait) -> Result<u64, StorageError> {
    page::count(db, assessment_periods::Entity::find()).await
}

pub async fn periods_by_ids(
    db: &impl ConnectionTrait,
    ids: &[i64],
) -> Result<Vec<AssessmentPeriod>, StorageError> {
    // Periods are public reference data.
    let everyone = sea_orm::Condition::all();
    let id = assessment_periods::Column::Id;
    crate::db::by_ids::<assessment_periods::Entity, _>(db, id, ids, everyone, |m| Ok(period(m)))
        .await
}

pub async fn period_by_year(
    db: &impl ConnectionTrait,
    year: i32,
) -> Result<Option<AssessmentPeriod>, StorageError> {
    Ok(assessment_periods::Entity::find()
        .filter(assessment_periods::Column::Year.eq(year))
        .one(db)
        .await?
        .map(period))
}

pub async fn insert_period(
    db: &impl ConnectionTrait,
    year: i32,
    name: &str,
    methodology_id: MethodologyId,
    now: DateTime<Utc>,
) -> Result<AssessmentPeriod, StorageError> {
    let model = assessment_periods::ActiveModel {
        year: Set(year),
        name: Set(name.to_owned()),
        methodology_id: Set(methodology_id.0),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(period(model))
}

// ---- score records ------------------------------------------------------

fn score_select(reach: &Reach, filter: &ScoreFilter) -> sea_orm::Select<score_records::Entity> {
    use score_records::Column as C;
    let mut select = score_records::Entity::find().filter(reach::score_records(reach));
    if let Some(id) = filter.district_id {
        select = select.filter(C::DistrictId.eq(id));
    }
    if let Some(id) = filter.opd_id {
        select = select.filter(C::OpdId.eq(id));
    }
    match filter.district_level {
        Some(true) => select = select.filter(C::OpdId.is_null()),
        Some(false) => select = select.filter(C::OpdId.is_not_null()),
        None => {}
    }
    if let Some(id) = filter.period_id {
        select = select.filter(C::PeriodId.eq(id));
    }
    if let Some(kind) = filter.kind {
        select = select.filter(C::Kind.eq(kind.as_str()));
    }
    if filter.current_only {
        select = select.filter(C::IsCurrent.eq(true));
    }
    select
}

/// Score records from their rows; with their per-dimension values when
/// `with_dimensions` (a history drawn for a chart does without them).
async fn assemble_scores(
    db: &impl ConnectionTrait,
    rows: Vec<score_records::Model>,
    with_dimensions: bool,
) -> Result<Vec<ScoreRecord>, StorageError> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    // Each value with its dimension's code, in one statement.
    let mut values: HashMap<i64, Vec<(String, i32)>> = HashMap::new();
    if with_dimensions && !ids.is_empty() {
        let coded: Vec<(i64, String, i32)> = score_dimension_values::Entity::find()
            .select_only()
            .column(score_dimension_values::Column::ScoreRecordId)
            .column(methodology_dimensions::Column::Code)
            .column(score_dimension_values::Column::ValueHundredths)
            .join(
                JoinType::InnerJoin,
                score_dimension_values::Entity::belongs_to(methodology_dimensions::Entity)
                    .from(score_dimension_values::Column::DimensionId)
                    .to(methodology_dimensions::Column::Id)
                    .into(),
            )
            .filter(keys::among(
                db.get_database_backend(),
                score_dimension_values::Column::ScoreRecordId,
                &ids,
            ))
            .order_by_asc(score_dimension_values::Column::ScoreRecordId)
            .order_by_asc(score_dimension_values::Column::DimensionId)
            .into_tuple()
            .all(db)
            .await?;
        for (record, code, value) in coded {
            values.entry(record).or_default().push((code, value));
        }
    }
    rows.into_iter()
        .map(|r| {
            let mut dimension_values = Vec::new();
            for (code, value) in values.remove(&r.id).unwrap_or_default() {
                dimension_values.push((code, score(value)?));
            }
            Ok(ScoreRecord {
                id: ScoreRecordId(r.id),
                period_id: AssessmentPeriodId(r.period_id),
                methodology_id: MethodologyId(r.methodology_id),
                district_id: DistrictId(r.district_id),
                opd_id: r.opd_id.map(OpdId),
                kind: r.kind.parse()?,
                total: score(r.total_hundredths)?,
                computed_total: r.computed_total_hundredths.map(score).transpose()?,
                band_code: r.band_code,
                revision: r.revision,
                supersedes_id: r.supersedes_id.map(ScoreRecordId),
                is_current: r.is_current,
                correction_reason: r.correction_reason,
                dimension_values,
                recorded_by: r.recorded_by.map(pendamping_domain::identity::UserId),
                recorded_at: r.recorded_at,
                provenance: r.provenance.parse()?,
                source: r.source,
                national_rank: r.national_rank.zip(r.national_rank_of),
                qualifier: r.qualifier,
                published_label: r.published_label,
            })
        })
        .collect()
}

pub async fn list_scores(
    db: &impl ConnectionTrait,
    reach: &Reach,
    filter: &ScoreFilter,
    request: &PageRequest,
) -> Result<Page<ScoreRecord>, StorageError> {
    let page = page::paginate(
        db,
        score_select(reach, filter),
        ListOrder::by_id(score_records::Column::Id),
        |m| CursorKey {
            sort: SortValue::None,
            id: m.id,
        },
        request,
    )
    .await?;
    let keys: Vec<CursorKey> = page.items.iter().map(|(k, _)| k.clone()).collect();
    let records =
        assemble_scores(db, page.items.into_iter().map(|(_, m)| m).collect(), true).await?;
    Ok(Page {
        items: keys.into_iter().zip(records).collect(),
        has_next_page: page.has_next_page,
        has_previous_page: page.has_previous_page,
        total: page.total,
    })
}

pub async fn count_scores(
    db: &impl ConnectionTrait,
    reach: &Reach,
    filter: &ScoreFilter,
) -> Result<u64, StorageError> {
    page::count(db, score_select(reach, filter)).await
}

pub async fn scores_by_ids(
    db: &impl ConnectionTrait,
    reach: &Reach,
    ids: &[i64],
) -> Result<Vec<ScoreRecord>, StorageError> {
    let select = score_records::Entity::find()
        .filter(keys::among(
            db.get_database_backend(),
            score_records::Column::Id,
            ids,
        ))
        .filter(reach::score_records(reach));
    let rows = crate::positional::score_records(db, select).await?;
    assemble_scores(db, rows, true).await
}

/// The current scores of many OPDs (or, with `district_level`, many districts'
/// own scores) of one kind, every period, in two statements, by period id.
pub async fn score_history(
    db: &impl ConnectionTrait,
    reach: &Reach,
    subject_ids: &[i64],
    district_level: bool,
    kind: ScoreKind,
    with_dimensions: bool,
) -> Result<HashMap<i64, Vec<ScoreRecord>>, StorageError> {
    use score_records::Column as C;
    let subject = if district_level {
        C::DistrictId
    } else {
        C::OpdId
    };
    let mut select = score_records::Entity::find()
        .filter(reach::score_records(reach))
        .filter(keys::among(db.get_database_backend(), subject, subject_ids))
        .filter(C::Kind.eq(kind.as_str()))
        .filter(C::IsCurrent.eq(true))
        // The engine orders each history by its periods' years (which it keeps).
        .order_by_asc(C::PeriodId);
    if district_level {
        select = select.filter(C::OpdId.is_null());
    }
    let rows = crate::positional::score_records(db, select).await?;
    let mut map: HashMap<i64, Vec<ScoreRecord>> = HashMap::new();
    for record in assemble_scores(db, rows, with_dimensions).await? {
        let key = if district_level {
            record.district_id.0
        } else {
            record.opd_id.map(|o| o.0).unwrap_or_default()
        };
        map.entry(key).or_default().push(record);
    }
    Ok(map)
}

/// A new score revision.
#[derive(Debug, Clone)]
pub struct ScoreRow {
    pub period_id: i64,
    pub methodology_id: i64,
    pub district_id: i64,
    pub opd_id: Option<i64>,
    pub kind: ScoreKind,
    pub total: Score,
    pub computed_total: Option<Score>,
    pub band_code: String,
    /// Dimension id and value.
    pub dimension_values: Vec<(i64, Score)>,
    pub recorded_by: Option<i64>,
    pub provenance: Provenance,
    pub published: Published,
}

/// What a correction replaces: the revision it supersedes and why.
#[derive(Debug, Clone)]
pub struct Correction {
    pub supersedes: ScoreRecordId,
    pub revision: i32,
    pub reason: String,
}

/// Stores a first revision.
pub async fn insert_score(
    db: &impl ConnectionTrait,
    row: ScoreRow,
    now: DateTime<Utc>,
) -> Result<ScoreRecordId, StorageError> {
    insert_revision(db, row, None, now).await
}

/// Marks a revision as no longer current; `false` when it already was not
/// (someone corrected it first).
pub async fn supersede(db: &impl ConnectionTrait, id: ScoreRecordId) -> Result<bool, StorageError> {
    use sea_orm::sea_query::Expr;
    let update = score_records::Entity::update_many()
        .col_expr(score_records::Column::IsCurrent, Expr::value(false))
        .filter(score_records::Column::Id.eq(id.0))
        .filter(score_records::Column::IsCurrent.eq(true));
    crate::db::updated_one(db, update).await
}

/// Stores a revision: the first when `correction` is `None`, else one that supersedes another.
pub async fn insert_revision(
    db: &impl ConnectionTrait,
    row: ScoreRow,
    correction: Option<Correction>,
    now: DateTime<Utc>,
) -> Result<ScoreRecordId, StorageError> {
    let model = score_records::ActiveModel {
        period_id: Set(row.period_id),
        methodology_id: Set(row.methodology_id),
        district_id: Set(row.district_id),
        opd_id: Set(row.opd_id),
        kind: Set(row.kind.as_str().to_owned()),
        total_hundredths: Set(row.total.hundredths() as i32),
        computed_total_hundredths: Set(row.computed_total.map(|s| s.hundredths() as i32)),
        band_code: Set(row.band_code),
        revision: Set(correction.as_ref().map_or(1, |c| c.revision)),
        supersedes_id: Set(correction.as_ref().map(|c| c.supersedes.0)),
        is_current: Set(true),
        correction_reason: Set(correction.map(|c| c.reason)),
        recorded_by: Set(row.recorded_by),
        recorded_at: Set(now),
        provenance: Set(row.provenance.as_str().to_owned()),
        source: Set(row.published.source),
        national_rank: Set(row.published.national_rank.map(|r| r.0)),
        national_rank_of: Set(row.published.national_rank.map(|r| r.1)),
        qualifier: Set(row.published.qualifier),
        published_label: Set(row.published.label),
        ..Default::default()
    }
    .insert(db)
    .await?;
    if !row.dimension_values.is_empty() {
        score_dimension_values::Entity::insert_many(row.dimension_values.iter().map(
            |(dimension, value)| score_dimension_values::ActiveModel {
                score_record_id: Set(model.id),
                dimension_id: Set(*dimension),
                value_hundredths: Set(value.hundredths() as i32),
            },
        ))
        .exec(db)
        .await?;
    }
    Ok(ScoreRecordId(model.id))
}

/// The current record of a subject, period and kind, if any.
pub async fn current_score(
    db: &impl ConnectionTrait,
    period_id: i64,
    district_id: i64,
    opd_id: Option<i64>,
    kind: ScoreKind,
) -> Result<Option<ScoreRecordId>, StorageError> {
    use score_records::Column as C;
    let mut select = score_records::Entity::find()
        .filter(C::PeriodId.eq(period_id))
        .filter(C::DistrictId.eq(district_id))
        .filter(C::Kind.eq(kind.as_str()))
        .filter(C::IsCurrent.eq(true));
    select = match opd_id {
        Some(opd) => select.filter(C::OpdId.eq(opd)),
        None => select.filter(C::OpdId.is_null()),
    };
    Ok(select.one(db).await?.map(|m| ScoreRecordId(m.id)))
}

/// Dimension ids of a methodology by code.
pub async fn dimension_ids(
    db: &impl ConnectionTrait,
    methodology_id: MethodologyId,
) -> Result<HashMap<String, i64>, StorageError> {
    Ok(methodology_dimensions::Entity::find()
        .filter(methodology_dimensions::Column::MethodologyId.eq(methodology_id.0))
        .all(db)
        .await?
        .into_iter()
        .map(|d| (d.code, d.id))
        .collect())
}

// ---- targets ------------------------------------------------------------------

fn target(m: crate::entity::score_targets::Model) -> Result<ScoreTarget, StorageError> {
    Ok(ScoreTarget {
        id: m.id,
        district_id: DistrictId(m.district_id),
        opd_id: m.opd_id.map(OpdId),
        year: m.year,
        zone: m.zone.map(|z| z.parse()).transpose()?,
        band_code: m.band_code,
        min_total: m.min_total_hundredths.map(score).transpose()?,
        note: m.note,
        set_by: m.set_by.map(pendamping_domain::identity::UserId),
        set_at: m.set_at,
    })
}

/// Sets (or replaces) the target of a district or OPD for a year; the target as stored.
pub async fn set_target(
    db: &impl ConnectionTrait,
    new: &ScoreTarget,
    now: DateTime<Utc>,
) -> Result<ScoreTarget, StorageError> {
    use crate::entity::score_targets::{self as t, Column as C};
    let mut existing = t::Entity::find()
        .filter(C::DistrictId.eq(new.district_id.0))
        .filter(C::Year.eq(new.year));
    existing = match new.opd_id {
        Some(opd) => existing.filter(C::OpdId.eq(opd.0)),
        None => existing.filter(C::OpdId.is_null()),
    };
    let found = existing.one(db).await?;
    let replacing = found.is_some();
    let mut model = match found {
        Some(found) => t::ActiveModel::from(found),
        None => t::ActiveModel {
            district_id: Set(new.district_id.0),
            opd_id: Set(new.opd_id.map(|o| o.0)),
            year: Set(new.year),
            ..Default::default()
        },
    };
    model.zone = Set(new.zone.map(|z| z.as_str().to_owned()));
    model.band_code = Set(new.band_code.clone());
    model.min_total_hundredths = Set(new.min_total.map(|s| s.hundredths() as i32));
    model.note = Set(new.note.clone());
    model.set_by = Set(new.set_by.map(|u| u.0));
    model.set_at = Set(now);
    let saved = if replacing {
        model.update(db).await?
    } else {
        model.insert(db).await?
    };
    target(saved)
}

/// The targets of many districts (their own, `opd_id` NULL) or many OPDs, every year, in one statement.
pub async fn targets_of(
    db: &impl ConnectionTrait,
    reach: &Reach,
    subject_ids: &[i64],
    district_level: bool,
) -> Result<Vec<ScoreTarget>, StorageError> {
    use crate::entity::score_targets::{self as t, Column as C};
    let backend = db.get_database_backend();
    let mut select = t::Entity::find().filter(reach::district_or_opd_subject(
        reach,
        C::DistrictId,
        C::OpdId,
    ));
    select = if district_level {
        select
            .filter(keys::among(backend, C::DistrictId, subject_ids))
            .filter(C::OpdId.is_null())
    } else {
        select.filter(keys::among(backend, C::OpdId, subject_ids))
    };
    select
        .order_by_asc(C::Year)
        .all(db)
        .await?
        .into_iter()
        .map(target)
        .collect()
}
