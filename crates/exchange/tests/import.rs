//! Imports: an exported OPD list imports into a fresh database as the same
//! records; a file with one bad row among a thousand is refused whole, naming
//! that row; importing the same file twice changes nothing the second time.

#![allow(
    clippy::unwrap_used,
    reason = "a test should fail loudly on an unexpected shape"
)]

mod common;

use common::{export_csv, fresh_with_districts_of};
use pendamping_engine::Actor;
use pendamping_exchange::ExportKind;
use pendamping_exchange::import::{Format, import_opds};

fn sorted_lines(bytes: &[u8]) -> Vec<String> {
    let mut lines: Vec<String> = String::from_utf8_lossy(bytes)
        .lines()
        .map(str::to_owned)
        .collect();
    lines.sort();
    lines
}

#[tokio::test]
async fn an_exported_opd_list_imports_into_a_fresh_database_as_the_same_records() {
    let demo = common::demo().await;
    let system = Actor::system("test");
    let exported = export_csv(&demo, &system, ExportKind::Opds).await;
    let fresh = fresh_with_districts_of(&demo).await;

    let outcome = import_opds(&fresh, &system, &exported, Format::Csv, false)
        .await
        .unwrap();
    assert!(outcome.problems.is_empty(), "{:?}", outcome.problems);
    assert!(outcome.applied);
    let lines = sorted_lines(&exported).len() as u64 - 1;
    assert_eq!(outcome.created, lines);

    let again = export_csv(&fresh, &system, ExportKind::Opds).await;
    assert_eq!(sorted_lines(&again), sorted_lines(&exported));

    // The same file again changes nothing.
    let second = import_opds(&fresh, &system, &exported, Format::Csv, false)
        .await
        .unwrap();
    assert_eq!((second.created, second.unchanged), (0, lines));
    assert_eq!(
        sorted_lines(&export_csv(&fresh, &system, ExportKind::Opds).await),
        sorted_lines(&exported)
    );
}

#[tokio::test]
async fn one_bad_row_among_a_thousand_refuses_the_whole_file_and_is_named() {
    let (demo, sekda) = common::demo_as("sekda@mamujutengah.example").await;
    let before = export_csv(&demo, &sekda, ExportKind::Opds).await;
    let mut file = String::from("Kabupaten/Kota,Nama OPD,Singkatan,Jenis,Jabatan kepala\n");
    for i in 0..1000 {
        let name = if i == 637 {
            String::new()
        } else {
            format!("Kecamatan Uji {i}")
        };
        file.push_str(&format!(
            "Kabupaten Mamuju Tengah,{name},,Kecamatan,Camat\n"
        ));
    }
    let outcome = import_opds(&demo, &sekda, file.as_bytes(), Format::Csv, false)
        .await
        .unwrap();
    assert!(!outcome.applied);
    assert_eq!(outcome.problems.len(), 1, "{:?}", outcome.problems);
    let problem = &outcome.problems[0];
    // Row 1 is the header: data row 637 (from 0) is spreadsheet row 639.
    assert_eq!((problem.row, problem.column.as_str()), (639, "Nama OPD"));
    assert_eq!(problem.code, "INVALID");
    assert!(!problem.message_id.is_empty() && !problem.message_en.is_empty());
    assert_eq!(
        export_csv(&demo, &sekda, ExportKind::Opds).await,
        before,
        "nothing was written"
    );

    // A district outside the caller's scope is refused by the same rule as createOpd.
    let other = common::actor(&demo, "sekda@mamuju.example").await;
    let outcome = import_opds(
        &demo,
        &other,
        b"Kabupaten/Kota,Nama OPD,Singkatan,Jenis,Jabatan kepala\nKabupaten Mamuju Tengah,Dinas Baru,,Dinas,\n",
        Format::Csv,
        false,
    )
    .await
    .unwrap();
    assert_eq!(outcome.problems[0].code, "UNKNOWN_DISTRICT");
    assert!(!outcome.applied);
}
