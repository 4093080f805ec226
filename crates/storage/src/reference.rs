//! Offices, districts and OPDs.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use pendamping_domain::identity::Reach;
use pendamping_domain::reference::{District, NewDistrict, NewOffice, NewOpd, Office, Opd};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, Select,
    Set,
};

use crate::StorageError;
use crate::convert;
use crate::entity::{districts, offices, opds};
use crate::keys;
use crate::page::{self, CursorKey, ListOrder, Page, PageRequest, SortValue};
use crate::reach;

pub use pendamping_domain::read::{DistrictFilter, NameOrder, OpdFilter, Ordering};

fn name_order<C: sea_orm::ColumnTrait>(order: Ordering<NameOrder>, name: C, id: C) -> ListOrder<C> {
    match order.field {
        NameOrder::Name => ListOrder::by(name, id),
        NameOrder::Id => ListOrder::by_id(id),
    }
    .descending(order.descending)
}

fn name_key(order: Ordering<NameOrder>, name: &str, id: i64) -> CursorKey {
    CursorKey {
        sort: match order.field {
            NameOrder::Name => SortValue::Text(name.to_owned()),
            NameOrder::Id => SortValue::None,
        },
        id,
    }
}

/// What offices, districts and OPDs share as tables: listed by name or id,
/// read within the caller's reach, converted to their domain records.
trait NamedTable: EntityTrait<Model: Sync> {
    type Record;
    const NAME: Self::Column;
    const ID: Self::Column;
    /// The rows the caller may read.
    fn within(reach: &Reach) -> Condition;
    fn name_and_id(model: &Self::Model) -> (&str, i64);
    fn convert(model: Self::Model) -> Result<Self::Record, StorageError>;
}

impl NamedTable for offices::Entity {
    type Record = Office;
    const NAME: offices::Column = offices::Column::Name;
    const ID: offices::Column = offices::Column::Id;
    fn within(reach: &Reach) -> Condition {
        reach::offices(reach)
    }
    fn name_and_id(model: &offices::Model) -> (&str, i64) {
        (&model.name, model.id)
    }
    fn convert(model: offices::Model) -> Result<Office, StorageError> {
        convert::office(model)
    }
}

impl NamedTable for districts::Entity {
    type Record = District;
    const NAME: districts::Column = districts::Column::Name;
    const ID: districts::Column = districts::Column::Id;
    fn within(reach: &Reach) -> Condition {
        reach::districts(reach)
    }
    fn name_and_id(model: &districts::Model) -> (&str, i64) {
        (&model.name, model.id)
    }
    fn convert(model: districts::Model) -> Result<District, StorageError> {
        convert::district(model)
    }
}

impl NamedTable for opds::Entity {
    type Record = Opd;
    const NAME: opds::Column = opds::Column::Name;
    const ID: opds::Column = opds::Column::Id;
    fn within(reach: &Reach) -> Condition {
        reach::opds(reach)
    }
    fn name_and_id(model: &opds::Model) -> (&str, i64) {
        (&model.name, model.id)
    }
    fn convert(model: opds::Model) -> Result<Opd, StorageError> {
        convert::opd(model)
    }
}

/// One page of `select` in `order`.
async fn list_named<E: NamedTable>(
    db: &impl ConnectionTrait,
    select: Select<E>,
    order: Ordering<NameOrder>,
    request: &PageRequest,
) -> Result<Page<E::Record>, StorageError> {
    page::paginate(
        db,
        select,
        name_order(order, E::NAME, E::ID),
        |m| {
            let (name, id) = E::name_and_id(m);
            name_key(order, name, id)
        },
        request,
    )
    .await?
    .try_map(E::convert)
}

/// The rows among `ids` that the caller may read.
async fn named_by_ids<E: NamedTable>(
    db: &impl ConnectionTrait,
    reach: &Reach,
    ids: &[i64],
) -> Result<Vec<E::Record>, StorageError> {
    E::find()
        .filter(keys::among(db.get_database_backend(), E::ID, ids))
        .filter(E::within(reach))
        .all(db)
        .await?
        .into_iter()
        .map(E::convert)
        .collect()
}

/// The rows under any of `parents` (by the `parent` column) that the caller may read.
fn of_parents<E: NamedTable>(
    db: &impl ConnectionTrait,
    reach: &Reach,
    parent: E::Column,
    parents: &[i64],
) -> Select<E> {
    E::find().filter(E::within(reach)).filter(keys::among(
        db.get_database_backend(),
        parent,
        parents,
    ))
}

/// One page (by name) of the rows under each of `parents`, in one statement.
async fn named_of_parents<E: NamedTable>(
    db: &impl ConnectionTrait,
    reach: &Reach,
    parent: E::Column,
    parent_of: impl Fn(&E::Model) -> i64,
    parents: &[i64],
    request: &PageRequest,
) -> Result<HashMap<i64, Page<E::Record>>, StorageError> {
    let order = Ordering::default();
    let pages = page::paginate_per_parent(
        db,
        of_parents::<E>(db, reach, parent, parents),
        (parent, Some(parents)),
        parent_of,
        name_order(order, E::NAME, E::ID),
        |m| {
            let (name, id) = E::name_and_id(m);
            name_key(order, name, id)
        },
        request,
    )
    .await?;
    pages
        .into_iter()
        .map(|(parent, page)| Ok((parent, page.try_map(E::convert)?)))
        .collect()
}

// ---- offices ------------------------------------------------------------

pub async fn list_offices(
    db: &impl ConnectionTrait,
    reach: &Reach,
    order: Ordering<NameOrder>,
    request: &PageRequest,
) -> Result<Page<Office>, StorageError> {
    let select = offices::Entity::find().filter(reach::offices(reach));
    list_named(db, select, order, request).await
}

pub async fn count_offices(db: &impl ConnectionTrait, reach: &Reach) -> Result<u64, StorageError> {
    page::count(db, offices::Entity::find().filter(reach::offices(reach))).await
}

/// The offices among `ids` that the caller may read.
pub async fn offices_by_ids(
    db: &impl ConnectionTrait,
    reach: &Reach,
    ids: &[i64],
) -> Result<Vec<Office>, StorageError> {
    named_by_ids::<offices::Entity>(db, reach, ids).await
}

pub async fn office_by_code(
    db: &impl ConnectionTrait,
    code: &str,
) -> Result<Option<Office>, StorageError> {
    offices::Entity::find()
        .filter(offices::Column::Code.eq(code))
        .one(db)
        .await?
        .map(convert::office)
        .transpose()
}

pub async fn insert_office(
    db: &impl ConnectionTrait,
    new: &NewOffice,
    now: DateTime<Utc>,
) -> Result<Office, StorageError> {
    let model = offices::ActiveModel {
        code: Set(new.code.trim().to_owned()),
        name: Set(new.name.trim().to_owned()),
        province: Set(new.province.trim().to_owned()),
        time_zone: Set(new.time_zone.as_str().to_owned()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    convert::office(model)
}

// ---- districts ----------------------------------------------------------

fn district_select(reach: &Reach, filter: &DistrictFilter) -> sea_orm::Select<districts::Entity> {
    let mut select = districts::Entity::find().filter(reach::districts(reach));
    if let Some(office_id) = filter.office_id {
        select = select.filter(districts::Column::OfficeId.eq(office_id));
    }
    if let Some(kind) = filter.kind {
        select = select.filter(districts::Column::Kind.eq(kind.as_str()));
    }
    select
}

pub async fn list_districts(
    db: &impl ConnectionTrait,
    reach: &Reach,
    filter: &DistrictFilter,
    order: Ordering<NameOrder>,
    request: &PageRequest,
) -> Result<Page<District>, StorageError> {
    list_named(db, district_select(reach, filter), order, request).await
}

pub async fn count_districts(
    db: &impl ConnectionTrait,
    reach: &Reach,
    filter: &DistrictFilter,
) -> Result<u64, StorageError> {
    page::count(db, district_select(reach, filter)).await
}

pub async fn districts_by_ids(
    db: &impl ConnectionTrait,
    reach: &Reach,
    ids: &[i64],
) -> Result<Vec<District>, StorageError> {
    named_by_ids::<districts::Entity>(db, reach, ids).await
}

/// One page of districts for each office, in one statement.
pub async fn districts_of_offices(
    db: &impl ConnectionTrait,
    reach: &Reach,
    office_ids: &[i64],
    request: &PageRequest,
) -> Result<HashMap<i64, Page<District>>, StorageError> {
    let parent = districts::Column::OfficeId;
    named_of_parents::<districts::Entity>(db, reach, parent, |m| m.office_id, office_ids, request)
        .await
}

pub async fn count_districts_of_offices(
    db: &impl ConnectionTrait,
    reach: &Reach,
    office_ids: &[i64],
) -> Result<HashMap<i64, u64>, StorageError> {
    let parent = districts::Column::OfficeId;
    page::count_per_parent(
        db,
        of_parents::<districts::Entity>(db, reach, parent, office_ids),
        parent,
    )
    .await
}

pub async fn district_by_name(
    db: &impl ConnectionTrait,
    name: &str,
) -> Result<Option<District>, StorageError> {
    districts::Entity::find()
        .filter(districts::Column::Name.eq(name))
        .one(db)
        .await?
        .map(convert::district)
        .transpose()
}

pub async fn insert_district(
    db: &impl ConnectionTrait,
    new: &NewDistrict,
    now: DateTime<Utc>,
) -> Result<District, StorageError> {
    let model = districts::ActiveModel {
        office_id: Set(new.office_id.0),
        kind: Set(new.kind.as_str().to_owned()),
        name: Set(new.name.trim().to_owned()),
        province: Set(new.province.trim().to_owned()),
        time_zone: Set(new.time_zone.as_str().to_owned()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    convert::district(model)
}

// ---- OPDs ---------------------------------------------------------------

fn opd_select(reach: &Reach, filter: &OpdFilter) -> sea_orm::Select<opds::Entity> {
    let mut select = opds::Entity::find().filter(reach::opds(reach));
    if let Some(district_id) = filter.district_id {
        select = select.filter(opds::Column::DistrictId.eq(district_id));
    }
    if let Some(kind) = filter.kind {
        select = select.filter(opds::Column::Kind.eq(kind.as_str()));
    }
    if let Some(part) = &filter.name_contains {
        select = select.filter(opds::Column::Name.contains(part));
    }
    select
}

pub async fn list_opds(
    db: &impl ConnectionTrait,
    reach: &Reach,
    filter: &OpdFilter,
    order: Ordering<NameOrder>,
    request: &PageRequest,
) -> Result<Page<Opd>, StorageError> {
    list_named(db, opd_select(reach, filter), order, request).await
}

pub async fn count_opds(
    db: &impl ConnectionTrait,
    reach: &Reach,
    filter: &OpdFilter,
) -> Result<u64, StorageError> {
    page::count(db, opd_select(reach, filter)).await
}

pub async fn opds_by_ids(
    db: &impl ConnectionTrait,
    reach: &Reach,
    ids: &[i64],
) -> Result<Vec<Opd>, StorageError> {
    named_by_ids::<opds::Entity>(db, reach, ids).await
}

/// One page of OPDs for each district, in one statement.
pub async fn opds_of_districts(
    db: &impl ConnectionTrait,
    reach: &Reach,
    district_ids: &[i64],
    request: &PageRequest,
) -> Result<HashMap<i64, Page<Opd>>, StorageError> {
    let parent = opds::Column::DistrictId;
    named_of_parents::<opds::Entity>(db, reach, parent, |m| m.district_id, district_ids, request)
        .await
}

pub async fn count_opds_of_districts(
    db: &impl ConnectionTrait,
    reach: &Reach,
    district_ids: &[i64],
) -> Result<HashMap<i64, u64>, StorageError> {
    let parent = opds::Column::DistrictId;
    page::count_per_parent(
        db,
        of_parents::<opds::Entity>(db, reach, parent, district_ids),
        parent,
    )
    .await
}

pub async fn opd_by_name(
    db: &impl ConnectionTrait,
    district_id: i64,
    name: &str,
) -> Result<Option<Opd>, StorageError> {
    opds::Entity::find()
        .filter(opds::Column::DistrictId.eq(district_id))
        .filter(opds::Column::Name.eq(name))
        .one(db)
        .await?
        .map(convert::opd)
        .transpose()
}

pub async fn insert_opd(
    db: &impl ConnectionTrait,
    new: &NewOpd,
    now: DateTime<Utc>,
) -> Result<Opd, StorageError> {
    let model = opds::ActiveModel {
        district_id: Set(new.district_id.0),
        name: Set(new.name.trim().to_owned()),
        short_name: Set(new.short_name.as_ref().map(|s| s.trim().to_owned())),
        kind: Set(new.kind.as_str().to_owned()),
        head_title: Set(new.head_title.as_ref().map(|s| s.trim().to_owned())),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    convert::opd(model)
}
