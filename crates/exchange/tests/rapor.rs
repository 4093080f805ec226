//! The rapor: its text (extracted with poppler's `pdftotext`) holds the
//! expected names and figures, and its first page is rendered to PNG under
//! `target/report-pages/` (poppler's `pdftoppm`) for a reviewer to look at.

#![allow(
    clippy::unwrap_used,
    reason = "a test should fail loudly on an unexpected shape"
)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::MATENG;
use pendamping_engine::domain::ids::OpdId;
use pendamping_engine::domain::score::ScoreKind;
use pendamping_engine::{
    ActionItemFilter, ActionItemOrder, AggregateOf, MAX_RANKING, Ordering, PageRequest,
    RankingFilter, RankingOf,
};
use pendamping_exchange::labels;

fn pages_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    let dir = target.join("report-pages");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The text of a PDF, as poppler extracts it (layout kept).
fn text_of(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .arg("-layout")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed; .ci/run installs it");
    assert!(
        out.status.success(),
        "pdftotext: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Renders page 1 to `<stem>-1.png` beside the PDF; returns the PNG's path.
fn render_first_page(pdf: &Path) -> PathBuf {
    let stem = pdf.with_extension("");
    let status = Command::new("pdftoppm")
        .args(["-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile"])
        .arg(pdf)
        .arg(&stem)
        .status()
        .expect("pdftoppm (poppler-utils) is installed");
    assert!(status.success());
    let png = stem.with_extension("png");
    let bytes = std::fs::read(&png).unwrap();
    assert!(bytes.starts_with(b"\x89PNG"), "a PNG was written");
    assert!(
        bytes.len() > 10_000,
        "the page is not blank ({} bytes)",
        bytes.len()
    );
    png
}

/// Collapses runs of spaces (pdftotext aligns columns with them).
fn squeeze(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[tokio::test]
async fn a_sekda_gets_the_district_rapor_with_its_zone_chart_and_overdue_list() {
    let (reader, district) = common::mateng_read_by("sekda@mamujutengah.example").await;
    let bytes = pendamping_exchange::district_rapor(&reader, district.id)
        .await
        .unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    let pdf = pages_dir().join("rapor-district.pdf");
    std::fs::write(&pdf, &bytes).unwrap();
    let text = squeeze(&text_of(&pdf));

    assert!(text.contains("RAPOR KEPATUHAN PELAYANAN PUBLIK"), "{text}");
    assert!(text.contains("Kabupaten Mamuju Tengah"));
    assert!(text.contains("Dicetak 28 November 2026"), "{text}");

    // The latest figure, computed independently of the rapor.
    let aggregates = reader
        .period_aggregates(&[AggregateOf::District(district.id)], ScoreKind::Official)
        .await
        .unwrap()
        .remove(&AggregateOf::District(district.id))
        .unwrap();
    let periods = reader.all_periods().await.unwrap();
    let latest = periods
        .iter()
        .rev()
        .find_map(|p| {
            aggregates
                .iter()
                .find(|a| a.period_id == p.id.0)
                .and_then(|a| a.own_total.or(a.members_mean))
        })
        .unwrap();
    assert!(
        text.contains(&labels::score(latest)),
        "the latest figure {} is shown: {text}",
        labels::score(latest)
    );

    // The OPDs' standings: the latest period with OPD figures (the demo's
    // latest period has the district's opinion only), found independently.
    let mut standings = None;
    for period in periods.iter().rev() {
        let ranking = reader
            .ranking(
                RankingOf::Opds,
                RankingFilter {
                    office_id: None,
                    district_id: Some(district.id.0),
                    district_kind: None,
                },
                period.id,
                MAX_RANKING,
            )
            .await
            .unwrap();
        if let Some(best) = ranking.first() {
            standings = Some((period.year, best.member_id, best.total));
            break;
        }
    }
    let (year, best, total) = standings.expect("the demo has OPD figures");
    let best_name = reader.opds_by_ids(&[OpdId(best)]).await.unwrap()[0]
        .name
        .clone();
    assert!(
        !text.contains("Belum ada nilai OPD"),
        "the standings fall back to a period with OPD figures: {text}"
    );
    assert!(text.contains(&format!("Peringkat OPD {year}")), "{text}");
    assert!(
        text.contains(&format!("{best_name} {}", labels::score(total))),
        "the first OPD {best_name} and its figure {}: {text}",
        labels::score(total)
    );

    // The overdue list: its count and the first (earliest due) item.
    let overdue = ActionItemFilter {
        district_id: Some(district.id.0),
        overdue: Some(true),
        ..ActionItemFilter::default()
    };
    let count = reader.count_action_items(&overdue).await.unwrap();
    assert!(count > 0, "the demo has overdue items");
    assert!(
        text.contains(&format!("Rencana aksi terlambat ({count})")),
        "{text}"
    );
    let first = reader
        .action_items(
            &overdue,
            Ordering {
                field: ActionItemOrder::DueOn,
                descending: false,
            },
            &PageRequest {
                first: Some(1),
                ..PageRequest::default()
            },
        )
        .await
        .unwrap();
    let item = &first.items[0].1;
    let due = labels::date_short(item.due_on);
    assert!(
        text.contains(&due),
        "the first overdue item's due date {due}: {text}"
    );

    // The first page holds the chart and the start of the overdue list.
    let first_page = squeeze(
        &String::from_utf8(
            Command::new("pdftotext")
                .args(["-f", "1", "-l", "1", "-layout"])
                .arg(&pdf)
                .arg("-")
                .output()
                .unwrap()
                .stdout,
        )
        .unwrap(),
    );
    assert!(first_page.contains("Nilai kepatuhan dan zona"));
    assert!(first_page.contains("Rencana aksi terlambat"));
    assert!(first_page.contains(&due));
    render_first_page(&pdf);
}

#[tokio::test]
async fn the_agreement_rapor_names_parties_milestones_and_opds() {
    let (reader, district) = common::mateng_read_by("kepala@sulbar.example").await;
    let agreement = pendamping_exchange::agreements_of_district(&reader, district.id)
        .await
        .unwrap()
        .remove(0);
    let bytes = pendamping_exchange::agreement_rapor(&reader, agreement.id)
        .await
        .unwrap();
    let pdf = pages_dir().join("rapor-agreement.pdf");
    std::fs::write(&pdf, &bytes).unwrap();
    let text = squeeze(&text_of(&pdf));
    assert!(text.contains("RAPOR KESEPAKATAN PENDAMPINGAN"));
    assert!(text.contains(&squeeze(&agreement.title)), "{text}");
    if let Some(signatory) = &agreement.district_signatory {
        assert!(text.contains(signatory.as_str()), "{text}");
    }
    let milestones = reader
        .milestones_of_agreements(
            &[agreement.id],
            &PageRequest {
                first: Some(100),
                ..PageRequest::default()
            },
        )
        .await
        .unwrap()
        .remove(&agreement.id)
        .unwrap();
    let (_, milestone) = &milestones.items[0];
    assert!(
        text.contains(&labels::date_short(milestone.planned_on)),
        "{text}"
    );
    assert!(text.contains("Burn-down"));
    render_first_page(&pdf);
}

#[tokio::test]
async fn a_district_outside_the_readers_reach_has_no_rapor() {
    let (engine, other) = common::demo_as("sekda@mamuju.example").await;
    let lead = common::actor(&engine, "kepala@sulbar.example").await;
    let district = common::district(&engine.reader(&lead), MATENG).await;
    let refused = pendamping_exchange::district_rapor(&engine.reader(&other), district.id).await;
    assert!(
        matches!(
            refused,
            Err(pendamping_exchange::ExportError::Engine(
                pendamping_engine::EngineError::NotFound(_)
            ))
        ),
        "{refused:?}"
    );
}
