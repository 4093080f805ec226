//! Agreements: lists, lookups, their OPDs and amendments, new ones and changes.

use super::*;

fn agreement_select(
    reach: &Reach,
    filter: &AgreementFilter,
) -> sea_orm::Select<agreements::Entity> {
    let mut select = agreements::Entity::find().filter(reach::agreements(reach));
    if let Some(id) = filter.office_id {
        select = select.filter(agreements::Column::OfficeId.eq(id));
    }
    if let Some(id) = filter.district_id {
        select = select.filter(agreements::Column::DistrictId.eq(id));
    }
    if !filter.statuses.is_empty() {
        select = select
            .filter(agreements::Column::Status.is_in(filter.statuses.iter().map(|s| s.as_str())));
    }
    select
}

pub async fn list_agreements(
    db: &impl ConnectionTrait,
    reach: &Reach,
    filter: &AgreementFilter,
    request: &PageRequest,
) -> Result<Page<Agreement>, StorageError> {
    page::paginate(
        db,
        agreement_select(reach, filter),
        ListOrder::by_id(agreements::Column::Id),
        |m| id_key(m.id),
        request,
    )
    .await?
    .try_map(convert::agreement)
}

pub async fn count_agreements(
    db: &impl ConnectionTrait,
    reach: &Reach,
    filter: &AgreementFilter,
) -> Result<u64, StorageError> {
    page::count(db, agreement_select(reach, filter)).await
}

pub async fn agreements_by_ids(
    db: &impl ConnectionTrait,
    reach: &Reach,
    ids: &[i64],
) -> Result<Vec<Agreement>, StorageError> {
    let within = reach::agreements(reach);
    by_ids::<agreements::Entity, _>(db, agreements::Column::Id, ids, within, convert::agreement)
        .await
}

/// The time zone of each agreement's district, in one statement: the zone a
/// milestone's or agreement's dates are judged in.
pub async fn time_zones_of_agreements(
    db: &impl ConnectionTrait,
    reach: &Reach,
    ids: &[i64],
) -> Result<HashMap<i64, pendamping_domain::reference::TimeZone>, StorageError> {
    use sea_orm::QuerySelect;
    use sea_orm::sea_query::Expr;
    let rows: Vec<(i64, String)> = agreements::Entity::find()
        .select_only()
        .column(agreements::Column::Id)
        .expr_as(
            Expr::cust("(SELECT d.time_zone FROM districts d WHERE d.id = agreements.district_id)"),
            "time_zone",
        )
        .filter(agreements::Column::Id.is_in(ids.iter().copied()))
        .filter(reach::agreements(reach))
        .into_tuple()
        .all(db)
        .await?;
    rows.into_iter()
        .map(|(id, zone)| Ok((id, zone.parse()?)))
        .collect()
}

/// The OPD ids in scope of each agreement.
pub async fn opd_ids_of_agreements(
    db: &impl ConnectionTrait,
    agreement_ids: &[i64],
) -> Result<HashMap<i64, Vec<i64>>, StorageError> {
    children_of::<agreement_opds::Entity, _>(
        db,
        agreement_opds::Column::AgreementId,
        agreement_ids,
        agreement_opds::Column::OpdId,
        |row| Ok((row.agreement_id, row.opd_id)),
    )
    .await
}

pub async fn amendments_of_agreements(
    db: &impl ConnectionTrait,
    agreement_ids: &[i64],
) -> Result<HashMap<i64, Vec<Amendment>>, StorageError> {
    children_of::<agreement_amendments::Entity, _>(
        db,
        agreement_amendments::Column::AgreementId,
        agreement_ids,
        agreement_amendments::Column::Id,
        |row| Ok((row.agreement_id, convert::amendment(row)?)),
    )
    .await
}

/// A new agreement row, as the engine has validated it.
#[derive(Debug, Clone)]
pub struct AgreementRow {
    pub office_id: i64,
    pub district_id: i64,
    pub office_number: Option<String>,
    pub district_number: Option<String>,
    pub title: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub office_signatory: Option<String>,
    pub district_signatory: Option<String>,
    pub signed_on: Option<NaiveDate>,
    pub status: AgreementStatus,
    pub closing_summary: Option<String>,
    pub termination_reason: Option<String>,
}

pub async fn insert_agreement(
    db: &impl ConnectionTrait,
    row: AgreementRow,
    opd_ids: &[i64],
    now: DateTime<Utc>,
) -> Result<Agreement, StorageError> {
    let model = agreements::ActiveModel {
        office_id: Set(row.office_id),
        district_id: Set(row.district_id),
        office_number: Set(row.office_number),
        district_number: Set(row.district_number),
        title: Set(row.title),
        period_start: Set(row.period_start),
        period_end: Set(row.period_end),
        office_signatory: Set(row.office_signatory),
        district_signatory: Set(row.district_signatory),
        signed_on: Set(row.signed_on),
        status: Set(row.status.as_str().to_owned()),
        closing_summary: Set(row.closing_summary),
        termination_reason: Set(row.termination_reason),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    if !opd_ids.is_empty() {
        agreement_opds::Entity::insert_many(opd_ids.iter().map(|opd| {
            agreement_opds::ActiveModel {
                agreement_id: Set(model.id),
                opd_id: Set(*opd),
            }
        }))
        .exec(db)
        .await?;
    }
    convert::agreement(model)
}

/// A new amendment row.
#[derive(Debug, Clone)]
pub struct AmendmentRow {
    pub agreement_id: i64,
    pub number: String,
    pub signed_on: NaiveDate,
    pub summary: String,
    pub new_period_end: Option<NaiveDate>,
    pub recorded_by: Option<i64>,
}

pub async fn insert_amendment(
    db: &impl ConnectionTrait,
    row: AmendmentRow,
    now: DateTime<Utc>,
) -> Result<Amendment, StorageError> {
    let model = agreement_amendments::ActiveModel {
        agreement_id: Set(row.agreement_id),
        number: Set(row.number),
        signed_on: Set(row.signed_on),
        summary: Set(row.summary),
        new_period_end: Set(row.new_period_end),
        recorded_by: Set(row.recorded_by),
        recorded_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    convert::amendment(model)
}

/// Whether any agreement exists (the demo loader's idempotence check).
pub async fn any_agreement_for_district(
    db: &impl ConnectionTrait,
    district_id: i64,
) -> Result<bool, StorageError> {
    let found = agreements::Entity::find()
        .filter(agreements::Column::DistrictId.eq(district_id))
        .one(db)
        .await?;
    Ok(found.is_some())
}

/// A change to an agreement. `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct AgreementPatch {
    pub status: Option<AgreementStatus>,
    pub office_number: Option<String>,
    pub district_number: Option<String>,
    pub office_signatory: Option<String>,
    pub district_signatory: Option<String>,
    pub signed_on: Option<NaiveDate>,
    pub closing_summary: Option<String>,
    pub termination_reason: Option<String>,
}

/// Applies `patch` if the agreement is still at `version`; `false` when it is not
/// (someone changed it first), in which case nothing is written.
pub async fn update_agreement(
    db: &impl ConnectionTrait,
    id: i64,
    version: i32,
    patch: AgreementPatch,
    now: DateTime<Utc>,
) -> Result<bool, StorageError> {
    use agreements::Column as C;
    use sea_orm::sea_query::{Expr, ExprTrait};
    let mut update = agreements::Entity::update_many()
        .col_expr(C::Version, Expr::col(C::Version).add(1))
        .col_expr(C::UpdatedAt, Expr::value(now));
    if let Some(v) = patch.status {
        update = update.col_expr(C::Status, Expr::value(v.as_str()));
    }
    for (column, value) in [
        (C::OfficeNumber, patch.office_number),
        (C::DistrictNumber, patch.district_number),
        (C::OfficeSignatory, patch.office_signatory),
        (C::DistrictSignatory, patch.district_signatory),
        (C::ClosingSummary, patch.closing_summary),
        (C::TerminationReason, patch.termination_reason),
    ] {
        if let Some(value) = value {
            update = update.col_expr(column, Expr::value(value));
        }
    }
    if let Some(v) = patch.signed_on {
        update = update.col_expr(C::SignedOn, Expr::value(v));
    }
    updated_one(
        db,
        update.filter(C::Id.eq(id)).filter(C::Version.eq(version)),
    )
    .await
}
