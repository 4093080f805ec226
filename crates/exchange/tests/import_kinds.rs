//! Imports beyond creating OPDs: renaming and deactivating OPDs by code or
//! name, score sheets and a visit's findings, and the templates. Every kind
//! is all or nothing, idempotent, limited by the caller's scope and role as
//! the one-at-a-time mutations are, audited and evented.

#![allow(
    clippy::unwrap_used,
    reason = "a test should fail loudly on an unexpected shape"
)]

mod common;

use calamine::{Reader as _, Xlsx};
use common::MATENG;
use pendamping_engine::domain::agreement::AgreementStatus;
use pendamping_engine::domain::reference::Opd;
use pendamping_engine::domain::score::{ScoreKind, ScoreRecord};
use pendamping_engine::{
    ActionItemFilter, ActionItemOrder, Actor, AgreementFilter, AuditFilter, Engine, ImportOutcome,
    ImportProblem, NameOrder, OpdFilter, Ordering, PageRequest, Reader, ScoreFilter,
};
use pendamping_exchange::ExportKind;
use pendamping_exchange::import::{Format, ImportKind, import};

fn page() -> PageRequest {
    PageRequest {
        first: Some(500),
        ..PageRequest::default()
    }
}

async fn run(
    engine: &Engine,
    actor: &Actor,
    kind: ImportKind,
    file: impl AsRef<[u8]>,
    dry_run: bool,
) -> ImportOutcome {
    import(engine, actor, kind, file.as_ref(), Format::Csv, dry_run)
        .await
        .unwrap()
}

/// Imports `file` as the user `email`, who may not: nothing is applied; the problems.
async fn refused_as(
    engine: &Engine,
    email: &str,
    kind: ImportKind,
    file: &str,
) -> Vec<ImportProblem> {
    let outsider = common::actor(engine, email).await;
    let refused = run(engine, &outsider, kind, file, false).await;
    assert!(!refused.applied, "{email}");
    refused.problems
}

/// The current mentoring checks of `filter` (its kind and currency set
/// here) that `reader` reads: the first page.
async fn current_checks(reader: &Reader, filter: ScoreFilter) -> Vec<ScoreRecord> {
    let filter = ScoreFilter {
        kind: Some(ScoreKind::MentoringCheck),
        current_only: true,
        ..filter
    };
    let found = reader.scores(&filter, &page()).await.unwrap();
    found.items.into_iter().map(|(_, s)| s).collect()
}

async fn opds_of_mateng(engine: &Engine) -> Vec<Opd> {
    let reader = engine.reader(&Actor::system("test"));
    let district = common::district(&reader, MATENG).await;
    reader
        .opds(
            &OpdFilter {
                district_id: Some(district.id.0),
                ..OpdFilter::default()
            },
            Ordering {
                field: NameOrder::Name,
                descending: false,
            },
            &page(),
        )
        .await
        .unwrap()
        .into_items()
}

async fn last_event(engine: &Engine) -> i64 {
    pendamping_storage::events::last_id(engine.db())
        .await
        .unwrap()
}

async fn audit_count(engine: &Engine, object_type: &str) -> u64 {
    engine
        .reader(&Actor::system("test"))
        .count_audit_events(&AuditFilter {
            object_type: Some(object_type.to_owned()),
            ..AuditFilter::default()
        })
        .await
        .unwrap()
}

const OPD_HEADER: &str =
    "Kabupaten/Kota,Nama OPD,Singkatan,Jenis,Jabatan kepala,Kode OPD,Nama baru,Status,Alasan\n";

#[tokio::test]
async fn an_opd_list_renames_and_deactivates_by_code_or_name_all_or_nothing_once() {
    let (demo, sekda) = common::demo_as("sekda@mamujutengah.example").await;
    let created = run(
        &demo,
        &sekda,
        ImportKind::Opds,
        &format!("{OPD_HEADER}{MATENG},Dinas Uji Impor,DUI,Dinas,Kepala Dinas Uji,,,,\n"),
        false,
    )
    .await;
    assert!(created.applied && created.created == 1, "{created:?}");
    let before = opds_of_mateng(&demo).await;
    let other = before
        .iter()
        .find(|o| o.name != "Dinas Uji Impor")
        .unwrap()
        .clone();

    // Rename one by name (Nama baru) and one by its code (a new short name).
    let renames = format!(
        "{OPD_HEADER}{MATENG},Dinas Uji Impor,,,,,Dinas Uji Impor Baru,,\n\
         {MATENG},{},ZZQ,,,{},,,\n",
        other.name, other.id.0
    );
    let dry = run(&demo, &sekda, ImportKind::Opds, &renames, true).await;
    assert_eq!((dry.updated, dry.applied), (2, false), "{dry:?}");
    assert_eq!(
        opds_of_mateng(&demo).await,
        before,
        "a dry run writes nothing"
    );

    let (events, audits) = (last_event(&demo).await, audit_count(&demo, "Opd").await);
    let done = run(&demo, &sekda, ImportKind::Opds, &renames, false).await;
    assert!(done.applied && done.updated == 2, "{done:?}");
    let after = opds_of_mateng(&demo).await;
    assert!(after.iter().any(|o| o.name == "Dinas Uji Impor Baru"));
    assert!(!after.iter().any(|o| o.name == "Dinas Uji Impor"));
    let renamed = after.iter().find(|o| o.id == other.id).unwrap();
    assert_eq!(renamed.short_name.as_deref(), Some("ZZQ"));
    assert_eq!(renamed.name, other.name);
    assert_eq!(audit_count(&demo, "Opd").await, audits + 2, "audited");
    assert_eq!(last_event(&demo).await, events + 2, "evented");

    // The same file again changes nothing.
    let again = run(&demo, &sekda, ImportKind::Opds, &renames, false).await;
    assert_eq!(
        (again.updated, again.unchanged, again.created),
        (0, 2, 0),
        "{again:?}"
    );
    assert_eq!(opds_of_mateng(&demo).await, after);

    // Deactivating needs a reason (as setOpdActive does); a bad row refuses
    // the good one beside it.
    let no_reason = format!(
        "{OPD_HEADER}{MATENG},Dinas Uji Impor Baru,,,,,,Nonaktif,\n\
         {MATENG},{},,,,,{} Lama,,\n",
        other.name, other.name
    );
    let refused = run(&demo, &sekda, ImportKind::Opds, &no_reason, false).await;
    assert!(!refused.applied);
    assert_eq!(refused.problems.len(), 1, "{:?}", refused.problems);
    assert_eq!(
        (refused.problems[0].row, refused.problems[0].column.as_str()),
        (2, "Alasan")
    );
    assert_eq!(opds_of_mateng(&demo).await, after, "nothing was written");

    let deactivate =
        format!("{OPD_HEADER}{MATENG},Dinas Uji Impor Baru,,,,,,Nonaktif,Digabung ke dinas lain\n");
    let done = run(&demo, &sekda, ImportKind::Opds, &deactivate, false).await;
    assert!(done.applied && done.updated == 1, "{done:?}");
    let gone = opds_of_mateng(&demo).await;
    assert!(
        !gone
            .iter()
            .find(|o| o.name == "Dinas Uji Impor Baru")
            .unwrap()
            .active
    );
    let again = run(&demo, &sekda, ImportKind::Opds, &deactivate, false).await;
    assert_eq!((again.updated, again.unchanged), (0, 1));

    // An OPD with open action items is not deactivated, as with setOpdActive.
    let busy = demo
        .reader(&sekda)
        .action_items(
            &ActionItemFilter::default(),
            Ordering {
                field: ActionItemOrder::DueOn,
                descending: false,
            },
            &page(),
        )
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|(_, i)| i)
        .find(|i| i.status.is_opds_move())
        .unwrap();
    let busy_name = gone
        .iter()
        .find(|o| o.id == busy.opd_id)
        .unwrap()
        .name
        .clone();
    let refused = run(
        &demo,
        &sekda,
        ImportKind::Opds,
        &format!("{OPD_HEADER}{MATENG},{busy_name},,,,,,Nonaktif,Dibubarkan\n"),
        false,
    )
    .await;
    assert_eq!(refused.problems[0].code, "OPEN_ITEMS");

    // Scope and role: another district's Sekda cannot reach Mamuju Tengah;
    // an OPD officer reads it but may not change its OPDs.
    // (The officer sees only their own OPD: another's code is unknown to them.)
    for (email, codes) in [
        ("sekda@mamuju.example", &["UNKNOWN_DISTRICT"][..]),
        (
            "rsud@mamujutengah.example",
            &["FORBIDDEN", "UNKNOWN_OPD"][..],
        ),
    ] {
        let outsider = common::actor(&demo, email).await;
        let refused = run(&demo, &outsider, ImportKind::Opds, &renames, false).await;
        assert!(!refused.applied);
        assert_eq!(refused.problems.len(), 2, "{email}");
        assert!(
            refused
                .problems
                .iter()
                .all(|p| codes.contains(&p.code.as_str())),
            "{email}: {:?}",
            refused.problems
        );
    }
    assert_eq!(
        opds_of_mateng(&demo).await,
        gone,
        "refused files write nothing"
    );
}

/// A fresh database with the demo's offices, districts and periods (no OPDs, no scores).
async fn fresh_like(demo: &Engine) -> Engine {
    let system = Actor::system("test");
    let fresh = common::fresh_with_districts_of(demo).await;
    let reader = demo.reader(&system);
    let methodologies = reader.methodologies().await.unwrap();
    let existing: Vec<i32> = fresh
        .reader(&system)
        .all_periods()
        .await
        .unwrap()
        .iter()
        .map(|p| p.year)
        .collect();
    for p in reader.all_periods().await.unwrap() {
        if existing.contains(&p.year) {
            continue;
        }
        let code = &methodologies
            .iter()
            .find(|m| m.id == p.methodology_id)
            .unwrap()
            .code;
        fresh
            .create_assessment_period(&system, p.year, &p.name, code)
            .await
            .unwrap();
    }
    fresh
}

/// The CSV's lines without one column, sorted.
fn lines_without(bytes: &[u8], column: &str) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes));
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    let skip = rows[0].iter().position(|h| h == column).unwrap();
    let mut rows: Vec<Vec<String>> = rows
        .into_iter()
        .map(|mut r| {
            r.remove(skip);
            r
        })
        .collect();
    rows.sort();
    rows
}

#[tokio::test]
async fn an_exported_score_history_imports_into_a_fresh_database_as_the_same_scores() {
    let demo = common::demo().await;
    let system = Actor::system("test");
    let opds = common::export_csv(&demo, &system, ExportKind::Opds).await;
    let scores = common::export_csv(&demo, &system, ExportKind::Scores).await;
    let fresh = fresh_like(&demo).await;
    let outcome = run(&fresh, &system, ImportKind::Opds, &opds, false).await;
    assert!(outcome.applied, "{:?}", outcome.problems);

    let (events, audits) = (
        last_event(&fresh).await,
        audit_count(&fresh, "ScoreRecord").await,
    );
    let outcome = run(&fresh, &system, ImportKind::Scores, &scores, false).await;
    assert!(outcome.problems.is_empty(), "{:?}", outcome.problems);
    let rows = lines_without(&scores, "Revisi").len() as u64 - 1;
    assert!(rows > 20, "the demo has a score history");
    assert_eq!((outcome.created, outcome.applied), (rows, true));
    assert_eq!(audit_count(&fresh, "ScoreRecord").await, audits + rows);
    assert_eq!(last_event(&fresh).await, events + rows as i64);

    // The same records (totals, bands, zones, dimension values, provenance),
    // every one a first revision now.
    let again = common::export_csv(&fresh, &system, ExportKind::Scores).await;
    assert_eq!(
        lines_without(&again, "Revisi"),
        lines_without(&scores, "Revisi")
    );

    // The same file again changes nothing.
    let second = run(&fresh, &system, ImportKind::Scores, &scores, false).await;
    assert_eq!((second.created, second.unchanged), (0, rows), "{second:?}");
    assert_eq!(
        common::export_csv(&fresh, &system, ExportKind::Scores).await,
        again
    );
}

#[tokio::test]
async fn a_score_sheet_is_checked_whole_computes_pkp_totals_and_keeps_to_scope() {
    let (demo, assessor) = common::demo_as("asisten@sulbar.example").await;
    let reader = demo.reader(&assessor);
    let methodologies = reader.methodologies().await.unwrap();
    let periods = reader.all_periods().await.unwrap();
    let opds = opds_of_mateng(&demo).await;
    let district = common::district(&reader, MATENG).await;
    let recorded: std::collections::HashSet<(i64, Option<i64>)> = current_checks(
        &reader,
        ScoreFilter {
            district_id: Some(district.id.0),
            ..ScoreFilter::default()
        },
    )
    .await
    .into_iter()
    .map(|s| (s.period_id.0, s.opd_id.map(|o| o.0)))
    .collect();
    // Mentoring checks of every OPD in every period, where none is recorded yet.
    let mut file = String::from(
        "Periode,Metodologi,Kabupaten/Kota,OPD,Jenis nilai,Nilai,Nilai dimensi,Asal nilai,Sumber\n",
    );
    let mut count = 0;
    let mut pkp_row = None;
    for period in &periods {
        let m = methodologies
            .iter()
            .find(|m| m.id == period.methodology_id)
            .unwrap();
        for (i, opd) in opds.iter().filter(|o| o.active).enumerate() {
            if recorded.contains(&(period.id.0, Some(opd.id.0))) {
                continue;
            }
            let value = 60 + (i % 40);
            let (total, dimensions) = if m.dimensions.is_empty() {
                (format!("{value},25"), String::new())
            } else {
                let dims: Vec<String> = m
                    .dimensions
                    .iter()
                    .enumerate()
                    .map(|(j, d)| format!("{}={}.{:02}", d.code, value, j * 7 % 100))
                    .collect();
                if pkp_row.is_none() && m.code == "PKP-2022" {
                    pkp_row = Some((period.id, opd.id, m.clone(), dims.clone()));
                }
                (String::new(), dims.join("; "))
            };
            file.push_str(&format!(
                "{},{},{MATENG},{},Pemeriksaan pendampingan,\"{total}\",{dimensions},,\n",
                period.year, m.code, opd.name
            ));
            count += 1;
        }
    }
    assert!(count > 50, "{count} rows");
    // One bad row: a total above 100.
    let bad_at = count / 2;
    let mut lines: Vec<String> = file.lines().map(str::to_owned).collect();
    let bad_line = lines[bad_at + 1].clone();
    let fields: Vec<&str> = bad_line.split(',').collect();
    let bad = format!(
        "{},{},{MATENG},{},Pemeriksaan pendampingan,\"130\",,,",
        fields[0], "KSP-2021", fields[3]
    );
    let bad_year: i32 = fields[0].parse().unwrap();
    let ksp = methodologies.iter().find(|m| m.code == "KSP-2021").unwrap();
    let ksp_year = periods
        .iter()
        .find(|p| p.methodology_id == ksp.id)
        .unwrap()
        .year;
    let bad = if bad_year == ksp_year {
        bad
    } else {
        bad.replacen(&bad_year.to_string(), &ksp_year.to_string(), 1)
    };
    lines[bad_at + 1] = bad;
    let with_bad = lines.join("\n");
    let before = common::export_csv(&demo, &assessor, ExportKind::Scores).await;
    let refused = run(&demo, &assessor, ImportKind::Scores, &with_bad, false).await;
    assert!(!refused.applied);
    assert!(
        refused
            .problems
            .iter()
            .any(|p| p.row == bad_at + 2 && p.column == "Nilai"),
        "row {} named: {:?}",
        bad_at + 2,
        refused.problems
    );
    assert_eq!(
        common::export_csv(&demo, &assessor, ExportKind::Scores).await,
        before,
        "nothing was written"
    );

    // Scope: the Sekda of another district reaches none of these rows; a
    // viewer of the district may not record scores.
    for (email, code) in [
        ("sekda@mamuju.example", "UNKNOWN_DISTRICT"),
        ("viewer@mamujutengah.example", "FORBIDDEN"),
    ] {
        let problems = refused_as(&demo, email, ImportKind::Scores, &file).await;
        assert_eq!(problems.len(), count, "{email}");
        assert!(problems.iter().all(|p| p.code == code), "{email}");
    }

    let done = run(&demo, &assessor, ImportKind::Scores, &file, false).await;
    assert!(done.applied, "{:?}", done.problems);
    assert_eq!(done.created, count as u64);
    let again = run(&demo, &assessor, ImportKind::Scores, &file, false).await;
    assert_eq!((again.created, again.unchanged), (0, count as u64));

    // PKP-2022: the total is the engine's weighted total of the dimensions.
    let (period, opd, methodology, dims) = pkp_row.unwrap();
    let recorded = current_checks(
        &reader,
        ScoreFilter {
            opd_id: Some(opd.0),
            period_id: Some(period.0),
            ..ScoreFilter::default()
        },
    )
    .await
    .remove(0);
    let values: Vec<(String, pendamping_engine::domain::score::Score)> = dims
        .iter()
        .map(|d| {
            let (code, value) = d.split_once('=').unwrap();
            (
                code.to_owned(),
                pendamping_engine::domain::score::Score::from_decimal(value.parse().unwrap())
                    .unwrap(),
            )
        })
        .collect();
    assert_eq!(recorded.total, methodology.weighted_total(&values).unwrap());

    // A different figure for a recorded score is refused (correctScore asks for a reason).
    let changed = file.replacen(",\"60,25\",", ",\"61,25\",", 1);
    assert_ne!(changed, file);
    let refused = run(&demo, &assessor, ImportKind::Scores, &changed, false).await;
    assert!(!refused.applied);
    assert_eq!(refused.problems[0].code, "ALREADY_RECORDED");

    // An official result named PUBLISHED needs its document.
    let unsourced = format!(
        "Periode,Metodologi,Kabupaten/Kota,OPD,Jenis nilai,Nilai,Asal nilai,Sumber\n{ksp_year},KSP-2021,{MATENG},{},Resmi,\"80\",PUBLISHED,\n",
        opds[0].name
    );
    let refused = run(&demo, &assessor, ImportKind::Scores, &unsourced, true).await;
    assert!(
        refused.problems.iter().any(|p| p.column == "Sumber"),
        "{:?}",
        refused.problems
    );
}

#[tokio::test]
async fn a_visits_findings_become_action_items_on_its_milestone_once() {
    let (demo, assessor) = common::demo_as("asisten@sulbar.example").await;
    let reader = demo.reader(&assessor);
    let district = common::district(&reader, MATENG).await;
    let agreement = reader
        .agreements(
            &AgreementFilter {
                district_id: Some(district.id.0),
                statuses: vec![AgreementStatus::Active],
                ..AgreementFilter::default()
            },
            &page(),
        )
        .await
        .unwrap()
        .items
        .remove(0)
        .1;
    let milestone = reader
        .milestones_of_agreements(&[agreement.id], &page())
        .await
        .unwrap()
        .remove(&agreement.id)
        .unwrap()
        .items
        .remove(0)
        .1;
    let scope = reader
        .opd_ids_of_agreements(&[agreement.id])
        .await
        .unwrap()
        .remove(&agreement.id)
        .unwrap();
    let opds: Vec<Opd> = reader
        .opds_by_ids(&scope)
        .await
        .unwrap()
        .into_iter()
        .filter(|o| o.active)
        .take(3)
        .collect();
    let mut file = String::from(
        "Kabupaten/Kota,Kesepakatan,Tonggak,OPD,Judul,Temuan,Komponen standar,Prioritas,Jatuh tempo\n",
    );
    for (i, opd) in opds.iter().enumerate() {
        file.push_str(&format!(
            "{MATENG},,{},{},Temuan kunjungan {i},Papan maklumat tidak ada,Jaminan pelayanan,Tinggi,31/01/2027\n",
            milestone.title, opd.name
        ));
    }
    let items_filter = ActionItemFilter {
        milestone_id: Some(milestone.id.0),
        ..ActionItemFilter::default()
    };
    let before = reader.count_action_items(&items_filter).await.unwrap();

    // A bad row (an unknown milestone) refuses the file whole.
    let bad = format!(
        "{file}{MATENG},,Kunjungan yang tidak ada,{},Temuan lain,Isi,,,2027-01-31\n",
        opds[0].name
    );
    let refused = run(&demo, &assessor, ImportKind::Findings, &bad, false).await;
    assert!(!refused.applied);
    assert_eq!(refused.problems.len(), 1, "{:?}", refused.problems);
    assert_eq!(
        (
            refused.problems[0].row,
            refused.problems[0].column.as_str(),
            refused.problems[0].code.as_str()
        ),
        (opds.len() + 2, "Tonggak", "UNKNOWN_MILESTONE")
    );
    assert_eq!(
        reader.count_action_items(&items_filter).await.unwrap(),
        before
    );

    // Scope and role.
    for (email, code) in [
        ("sekda@mamuju.example", "UNKNOWN_DISTRICT"),
        ("sekda@mamujutengah.example", "FORBIDDEN"),
    ] {
        let problems = refused_as(&demo, email, ImportKind::Findings, &file).await;
        assert!(
            !problems.is_empty() && problems.iter().all(|p| p.code == code),
            "{email}: {problems:?}"
        );
    }

    let (events, audits) = (
        last_event(&demo).await,
        audit_count(&demo, "ActionItem").await,
    );
    let done = run(&demo, &assessor, ImportKind::Findings, &file, false).await;
    assert!(done.applied, "{:?}", done.problems);
    assert_eq!(done.created, opds.len() as u64);
    assert_eq!(
        reader.count_action_items(&items_filter).await.unwrap(),
        before + opds.len() as u64
    );
    assert_eq!(
        audit_count(&demo, "ActionItem").await,
        audits + opds.len() as u64
    );
    assert!(last_event(&demo).await >= events + opds.len() as i64);
    let raised = reader
        .action_items(
            &items_filter,
            Ordering {
                field: ActionItemOrder::DueOn,
                descending: true,
            },
            &page(),
        )
        .await
        .unwrap();
    let item = raised
        .items
        .iter()
        .map(|(_, i)| i)
        .find(|i| i.title == "Temuan kunjungan 0")
        .unwrap();
    assert_eq!(item.due_on.to_string(), "2027-01-31");
    assert_eq!(item.origin.origin.as_str(), "VISIT_FINDING");
    assert_eq!(item.priority.as_str(), "HIGH");

    let again = run(&demo, &assessor, ImportKind::Findings, &file, false).await;
    assert_eq!((again.created, again.unchanged), (0, opds.len() as u64));
    assert_eq!(
        reader.count_action_items(&items_filter).await.unwrap(),
        before + opds.len() as u64
    );
}

#[tokio::test]
async fn each_templates_example_row_imports_as_it_stands() {
    let demo = common::demo().await;
    for (kind, email) in [
        (ImportKind::Opds, "sekda@mamujutengah.example"),
        (ImportKind::Scores, "asisten@sulbar.example"),
        (ImportKind::Findings, "asisten@sulbar.example"),
    ] {
        let actor = common::actor(&demo, email).await;
        let bytes = pendamping_exchange::template::template(&demo.reader(&actor), kind)
            .await
            .unwrap();
        let mut workbook = Xlsx::new(std::io::Cursor::new(bytes.clone())).unwrap();
        assert_eq!(
            workbook.sheet_names(),
            vec![kind.sheet_name().to_owned(), "Daftar".to_owned()]
        );
        let header = common::header_of(&workbook.worksheet_range(kind.sheet_name()).unwrap());
        assert_eq!(header, kind.columns());
        let lists = workbook.worksheet_range("Daftar").unwrap();
        assert!(lists.rows().count() >= 2, "the enumerations' lists");
        let outcome = import(&demo, &actor, kind, &bytes, Format::Xlsx, true)
            .await
            .unwrap();
        assert!(
            outcome.problems.is_empty(),
            "{kind:?}: {:?}",
            outcome.problems
        );
        assert_eq!(outcome.created, 1, "{kind:?}");
    }
}
