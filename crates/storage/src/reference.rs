//! Offices, districts and OPDs.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use pendamping_domain::identity::Reach;
use pendamping_domain::reference::{District, NewDistrict, NewOffice, NewOpd, Office, Opd};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

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

// ---- offices ------------------------------------------------------------

pub async fn list_offices(
    db: &impl ConnectionTrait,
    reach: &Reach,
    order: Ordering<NameOrder>,
    request: &PageRequest,
) -> Result<Page<Office>, StorageError> {
    let select = offices::Entity::find().filter(reach::offices(reach));
    let list_order = name_order(order, offices::Column::Name, offices::Column::Id);
    page::paginate(
        db,
        select,
        list_order,
        |m| name_key(order, &m.name, m.id),
        request,
    )
    .await?
    .try_map(convert::office)
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
    offices::Entity::find()
        .filter(keys::among(
            db.get_database_backend(),
            offices::Column::Id,
            ids,
        ))
        .filter(reach::offices(reach))
        .all(db)
        .await?
        .into_iter()
        .map(convert::office)
        .collect()
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
    let list_order = name_order(order, districts::Column::Name, districts::Column::Id);
    page::paginate(
        db,
        district_select(reach, filter),
        list_order,
        |m| name_key(order, &m.name, m.id),
        request,
    )
    .await?
    .try_map(convert::district)
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
    districts::Entity::find()
        .filter(keys::among(
            db.get_database_backend(),
            districts::Column::Id,
            ids,
        ))
        .filter(reach::districts(reach))
        .all(db)
        .await?
        .into_iter()
        .map(convert::district)
        .collect()
}

/// One page of districts for each office, in one statement.
pub async fn districts_of_offices(
    db: &impl ConnectionTrait,
    reach: &Reach,
    office_ids: &[i64],
    request: &PageRequest,
) -> Result<HashMap<i64, Page<District>>, StorageError> {
    let order = Ordering::default();
    let select = districts::Entity::find()
        .filter(reach::districts(reach))
        .filter(keys::among(
            db.get_database_backend(),
            districts::Column::OfficeId,
            office_ids,
        ));
    let pages = page::paginate_per_parent_counted(
        db,
        select,
        districts::Column::OfficeId,
        office_ids,
        |m| m.office_id,
        name_order(order, districts::Column::Name, districts::Column::Id),
        |m| name_key(order, &m.name, m.id),
        request,
    )
    .await?;
    pages
        .into_iter()
        .map(|(parent, page)| Ok((parent, page.try_map(convert::district)?)))
        .collect()
}

pub async fn count_districts_of_offices(
    db: &impl ConnectionTrait,
    reach: &Reach,
    office_ids: &[i64],
) -> Result<HashMap<i64, u64>, StorageError> {
    let select = districts::Entity::find()
        .filter(reach::districts(reach))
        .filter(keys::among(
            db.get_database_backend(),
            districts::Column::OfficeId,
            office_ids,
        ));
    page::count_per_parent(db, select, districts::Column::OfficeId).await
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
    let list_order = name_order(order, opds::Column::Name, opds::Column::Id);
    page::paginate(
        db,
        opd_select(reach, filter),
        list_order,
        |m| name_key(order, &m.name, m.id),
        request,
    )
    .await?
    .try_map(convert::opd)
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
    opds::Entity::find()
        .filter(keys::among(
            db.get_database_backend(),
            opds::Column::Id,
            ids,
        ))
        .filter(reach::opds(reach))
        .all(db)
        .await?
        .into_iter()
        .map(convert::opd)
        .collect()
}

/// One page of OPDs for each district, in one statement.
pub async fn opds_of_districts(
    db: &impl ConnectionTrait,
    reach: &Reach,
    district_ids: &[i64],
    request: &PageRequest,
) -> Result<HashMap<i64, Page<Opd>>, StorageError> {
    let order = Ordering::default();
    let select = opds::Entity::find()
        .filter(reach::opds(reach))
        .filter(keys::among(
            db.get_database_backend(),
            opds::Column::DistrictId,
            district_ids,
        ));
    let pages = page::paginate_per_parent_counted(
        db,
        select,
        opds::Column::DistrictId,
        district_ids,
        |m| m.district_id,
        name_order(order, opds::Column::Name, opds::Column::Id),
        |m| name_key(order, &m.name, m.id),
        request,
    )
    .await?;
    pages
        .into_iter()
        .map(|(parent, page)| Ok((parent, page.try_map(convert::opd)?)))
        .collect()
}

pub async fn count_opds_of_districts(
    db: &impl ConnectionTrait,
    reach: &Reach,
    district_ids: &[i64],
) -> Result<HashMap<i64, u64>, StorageError> {
    let select = opds::Entity::find()
        .filter(reach::opds(reach))
        .filter(keys::among(
            db.get_database_backend(),
            opds::Column::DistrictId,
            district_ids,
        ));
    page::count_per_parent(db, select, opds::Column::DistrictId).await
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
