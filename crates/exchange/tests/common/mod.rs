//! The demo data set over a fresh database, and its people as actors.

#![allow(dead_code, reason = "each test file uses part of the kit")]

use std::sync::Arc;

use chrono::TimeZone as _;
use pendamping_engine::domain::reference::{District, NewDistrict, NewOffice};
use pendamping_engine::{Actor, AuthConfig, BlobStore, Engine, FixedClock, PageRequest, Reader};
use pendamping_exchange::{Export, ExportKind, ExportParams, csv_header, csv_rows};
use pendamping_seed::demo::DEMO_PASSWORD;
use pendamping_storage::testing;

/// 28 November 2026, 03:00 UTC (11:00 WITA): the demo's "today".
pub fn demo_now() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc
        .with_ymd_and_hms(2026, 11, 28, 3, 0, 0)
        .single()
        .expect("a valid instant")
}

/// The demo's own district, the one most tests look at.
pub const MATENG: &str = "Kabupaten Mamuju Tengah";

/// An engine over a fresh, migrated, empty database, its clock at [`demo_now`].
pub async fn empty() -> Engine {
    let t = testing::migrated().await.expect("test database");
    Engine::new(
        t.db,
        Arc::new(FixedClock::new(demo_now())),
        AuthConfig::default(),
        BlobStore::in_memory(),
    )
}

pub async fn demo() -> Engine {
    let engine = empty().await;
    pendamping_seed::demo::load(&engine)
        .await
        .expect("demo loads");
    engine
}

/// The demo data set, and one of its people as the actor.
pub async fn demo_as(email: &str) -> (Engine, Actor) {
    let engine = demo().await;
    let actor = actor(&engine, email).await;
    (engine, actor)
}

/// Mamuju Tengah as one of the demo's people finds it, with their reader.
pub async fn mateng_read_by(email: &str) -> (Reader, District) {
    let (engine, actor) = demo_as(email).await;
    let reader = engine.reader(&actor);
    let district = district(&reader, MATENG).await;
    (reader, district)
}

/// The first row of a sheet (its header), as text.
pub fn header_of(sheet: &calamine::Range<calamine::Data>) -> Vec<String> {
    sheet
        .rows()
        .next()
        .expect("a header row")
        .iter()
        .map(ToString::to_string)
        .collect()
}

pub async fn actor(engine: &Engine, email: &str) -> Actor {
    let (issued, _) = engine
        .login(email, DEMO_PASSWORD, None)
        .await
        .expect("demo login");
    engine
        .authenticate(&issued.token)
        .await
        .expect("authenticated")
}

/// The district named `name`, which the test knows `reader` reaches.
pub async fn district(reader: &Reader, name: &str) -> District {
    pendamping_exchange::find_district(reader, name)
        .await
        .expect("district read")
        .expect("district in reach")
}

/// The whole CSV export of `kind` as `actor` reads it, with its header.
pub async fn export_csv(engine: &Engine, actor: &Actor, kind: ExportKind) -> Vec<u8> {
    export_csv_with(engine, actor, kind, ExportParams::default()).await
}

/// The whole CSV export of `kind` with `params` as `actor` reads it, with its header.
pub async fn export_csv_with(
    engine: &Engine,
    actor: &Actor,
    kind: ExportKind,
    params: ExportParams,
) -> Vec<u8> {
    let mut export = Export::new(engine.reader(actor), kind, params).expect("export");
    let mut bytes = csv_header(export.columns()).expect("header");
    while let Some(rows) = export.next_rows().await.expect("rows") {
        bytes.extend(csv_rows(&rows).expect("csv rows"));
    }
    bytes
}

/// A fresh database with `demo`'s offices and districts only (no OPDs, no scores).
pub async fn fresh_with_districts_of(demo: &Engine) -> Engine {
    let system = Actor::system("test");
    let fresh = empty().await;
    let reader = demo.reader(&system);
    let page = PageRequest {
        first: Some(500),
        ..PageRequest::default()
    };
    let offices = reader
        .offices(Default::default(), &page)
        .await
        .expect("offices");
    for (_, office) in offices.items {
        let created = fresh
            .create_office(
                &system,
                NewOffice {
                    code: office.code.clone(),
                    name: office.name.clone(),
                    province: office.province.clone(),
                    time_zone: office.time_zone,
                },
            )
            .await
            .expect("office created");
        let districts = reader
            .districts_of_offices(&[office.id], &page)
            .await
            .expect("districts")
            .remove(&office.id)
            .expect("the office's districts");
        for (_, d) in districts.items {
            fresh
                .create_district(
                    &system,
                    NewDistrict {
                        office_id: created.id,
                        kind: d.kind,
                        name: d.name.clone(),
                        province: d.province.clone(),
                        time_zone: d.time_zone,
                    },
                )
                .await
                .expect("district created");
        }
    }
    fresh
}
