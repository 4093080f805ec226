//! Exports reach what the API reaches, read the Indonesian way, and come out
//! whole in both formats.

#![allow(
    clippy::unwrap_used,
    reason = "a test should fail loudly on an unexpected shape"
)]

mod common;

use calamine::{Data, Reader as _, Xlsx};
use common::MATENG;
use pendamping_engine::{ActionItemFilter, Engine};
use pendamping_exchange::{Export, ExportKind, ExportParams, write_xlsx};

async fn csv_of(
    engine: &Engine,
    who: &str,
    kind: ExportKind,
    params: ExportParams,
) -> Vec<Vec<String>> {
    let actor = common::actor(engine, who).await;
    let bytes = common::export_csv_with(engine, &actor, kind, params).await;
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "a BOM for spreadsheet programs"
    );
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(&bytes[3..]);
    reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

#[tokio::test]
async fn an_opd_officer_exports_only_the_items_of_the_opd() {
    let (engine, rsud) = common::demo_as("rsud@mamujutengah.example").await;
    let expected = engine
        .reader(&rsud)
        .count_action_items(&ActionItemFilter::default())
        .await
        .unwrap();
    let rows = csv_of(
        &engine,
        "rsud@mamujutengah.example",
        ExportKind::ActionItems,
        ExportParams::default(),
    )
    .await;
    assert_eq!(rows[0][0], "Kabupaten/Kota");
    assert_eq!(rows[0][7], "Jatuh tempo");
    assert_eq!(rows.len() as u64 - 1, expected);
    assert!(expected > 0);
    for row in &rows[1..] {
        assert_eq!(row[1], "Rumah Sakit Umum Daerah Mamuju Tengah", "{row:?}");
        // dd/mm/yyyy
        assert_eq!(row[7].len(), 10);
        assert_eq!(&row[7][2..3], "/");
    }

    // The lead of the office sees more.
    let all = csv_of(
        &engine,
        "kepala@sulbar.example",
        ExportKind::ActionItems,
        ExportParams::default(),
    )
    .await;
    assert!(all.len() > rows.len());
}

#[tokio::test]
async fn the_action_item_filter_is_the_query_filter() {
    let (engine, lead) = common::demo_as("kepala@sulbar.example").await;
    let filter = ActionItemFilter {
        overdue: Some(true),
        ..ActionItemFilter::default()
    };
    let expected = engine
        .reader(&lead)
        .count_action_items(&filter)
        .await
        .unwrap();
    let params = ExportParams {
        action_items: filter,
        ..ExportParams::default()
    };
    let rows = csv_of(
        &engine,
        "kepala@sulbar.example",
        ExportKind::ActionItems,
        params,
    )
    .await;
    assert_eq!(rows.len() as u64 - 1, expected);
    assert!(
        rows[1..].iter().all(|r| r[8] == "Ya"),
        "every row is overdue"
    );
}

#[tokio::test]
async fn scores_have_two_decimals_and_zones_in_indonesian() {
    let engine = common::demo().await;
    let rows = csv_of(
        &engine,
        "kepala@sulbar.example",
        ExportKind::Scores,
        ExportParams::default(),
    )
    .await;
    assert!(rows.len() > 1);
    for row in &rows[1..] {
        let (whole, decimals) = row[5].split_once('.').unwrap();
        assert!(
            whole.parse::<u32>().is_ok() && decimals.len() == 2,
            "{row:?}"
        );
        // The 2025 opinion has levels but no zones: its rows leave the zone empty.
        let zones: &[&str] = if row[1].starts_with("OPINI") {
            &[""]
        } else {
            &["Hijau", "Kuning", "Merah"]
        };
        assert!(zones.contains(&row[7].as_str()), "{row:?}");
    }
}

#[tokio::test]
async fn every_kind_exports_as_xlsx_and_reads_back() {
    let (engine, lead) = common::demo_as("kepala@sulbar.example").await;
    let reader = engine.reader(&lead);
    let district = common::district(&reader, MATENG).await;
    for kind in ExportKind::ALL {
        let params = ExportParams {
            district_id: Some(district.id.0),
            office_id: Some(district.office_id.0),
            ..ExportParams::default()
        };
        let csv = csv_of(&engine, "kepala@sulbar.example", kind, params.clone()).await;
        let export = Export::new(engine.reader(&lead), kind, params).unwrap();
        let path = pendamping_exchange::temp_path("xlsx");
        write_xlsx(export, &path).await.unwrap();
        let mut workbook: Xlsx<_> = calamine::open_workbook(&path).unwrap();
        let sheet = workbook.worksheet_range(kind.sheet_name()).unwrap();
        std::fs::remove_file(&path).unwrap();
        assert_eq!(
            sheet.height(),
            csv.len(),
            "{kind:?}: the sheet and the CSV hold the same rows"
        );
        let header = common::header_of(&sheet);
        assert_eq!(header, csv[0], "{kind:?}");
        if kind == ExportKind::Scores {
            let value = &sheet.rows().nth(1).unwrap()[5];
            assert!(
                matches!(value, Data::Float(_)),
                "scores are numbers: {value:?}"
            );
        }
    }
}

#[tokio::test]
async fn boards_need_their_district_or_office() {
    let (engine, lead) = common::demo_as("kepala@sulbar.example").await;
    assert!(
        Export::new(
            engine.reader(&lead),
            ExportKind::DistrictBoard,
            ExportParams::default()
        )
        .is_err()
    );
    assert!(
        Export::new(
            engine.reader(&lead),
            ExportKind::OfficeBoard,
            ExportParams::default()
        )
        .is_err()
    );
}

/// Nothing personal crosses a scope in a spreadsheet either: an audit entry
/// recorded with an e-mail as its label (as entries were before labels became
/// display names) shows the user's display name to a Sekda, and its payload
/// loses the e-mail; only an admin reads the entry as recorded.
#[tokio::test]
async fn the_audit_log_export_shows_display_names_not_e_mails_to_non_admins() {
    let (engine, rsud) = common::demo_as("rsud@mamujutengah.example").await;
    let sekda = common::actor(&engine, "sekda@mamujutengah.example").await;
    let district = sekda
        .assignments
        .iter()
        .find_map(|a| match a.scope {
            pendamping_engine::domain::identity::Scope::District(d) => Some(d.0),
            _ => None,
        })
        .unwrap();
    pendamping_storage::audit::append(
        engine.db(),
        pendamping_storage::audit::AuditRow {
            actor_id: rsud.user_id.map(|u| u.0),
            actor_label: "rsud@mamujutengah.example".to_owned(),
            action: "ACTION_ITEM_SUBMITTED".to_owned(),
            object_type: "ActionItem",
            object_id: 1,
            office_id: None,
            district_id: Some(district),
            before: Some(serde_json::json!({"email": "rsud@mamujutengah.example"})),
            after: Some(serde_json::json!({"submittedBy": "rsud@mamujutengah.example", "status": "SUBMITTED"})),
            reason: None,
        },
        common::demo_now(),
    )
    .await
    .unwrap();

    let seen_by = |who: &'static str| {
        let engine = &engine;
        async move { csv_of(engine, who, ExportKind::AuditLog, ExportParams::default()).await }
    };
    let by_sekda = seen_by("sekda@mamujutengah.example").await;
    let mine = by_sekda
        .iter()
        .find(|row| row[2] == "ACTION_ITEM_SUBMITTED" && row[7].contains("SUBMITTED"))
        .expect("the Sekda reads the district's entry");
    assert_eq!(mine[1], "Petugas RSUD Mamuju Tengah");
    for row in &by_sekda {
        assert!(
            row.iter()
                .all(|cell| !cell.contains("@mamujutengah.example")),
            "an e-mail reached the Sekda: {row:?}"
        );
    }

    let by_admin = seen_by("admin@demo.example").await;
    assert!(
        by_admin
            .iter()
            .any(|row| row[1] == "rsud@mamujutengah.example"),
        "the admin reads the label as recorded"
    );
}
