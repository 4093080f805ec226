//! Nested lists are batched: the number of SQL statements a nested query
//! issues does not grow with the number of rows it returns.

#![allow(
    clippy::unwrap_used,
    reason = "a test should fail loudly on an unexpected shape"
)]

mod common;

use chrono::NaiveDate;
use common::*;
use pendamping_domain::action_item::Priority;
use pendamping_domain::agreement::{AgreementStatus, MilestoneKind, MilestoneStatus};
use pendamping_storage::work::{
    self, ActionItemRow, AgreementRow, EvidenceRow, ItemProgress, MilestoneRow,
};
use serde_json::json;

const NESTED: &str = r#"{
  agreements(first: 20) {
    totalCount
    nodes {
      title
      availableActions { action enabled }
      district { name office { code } }
      opds { name }
      milestones(first: 10) {
        totalCount
        nodes {
          title isOverdue daysOverdue
          availableActions { action enabled reason }
          reschedules { newDate }
          actionItems(first: 20) {
            totalCount
            nodes {
              title isOverdue daysOverdue
              availableActions { action enabled reason }
              opd { name district { name } }
              evidence(first: 5) { totalCount nodes { name } }
              comments(first: 5) { nodes { body } }
            }
          }
        }
      }
    }
  }
}"#;

/// Adds `agreements` agreements to Mamuju Tengah, each with 3 milestones of 4 action items with evidence.
async fn grow(kit: &Kit, agreements: usize) {
    let db = kit.engine_db();
    let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
    let now = demo_now();
    for a in 0..agreements {
        let agreement = work::insert_agreement(
            &db,
            AgreementRow {
                office_id: 1,
                district_id: 4,
                office_number: Some(format!("B/{a}/X")),
                district_number: Some(format!("180/{a}")),
                title: format!("PKS tambahan {a}"),
                period_start: d(2025, 1, 1),
                period_end: d(2025, 12, 31),
                office_signatory: Some("Kepala Perwakilan".into()),
                district_signatory: Some("Bupati".into()),
                signed_on: Some(d(2025, 1, 1)),
                status: AgreementStatus::Active,
                closing_summary: None,
                termination_reason: None,
            },
            &[],
            now,
        )
        .await
        .unwrap();
        for m in 0..3 {
            let milestone = work::insert_milestone(
                &db,
                MilestoneRow {
                    agreement_id: agreement.id.0,
                    kind: MilestoneKind::MonitoringVisit,
                    title: format!("Monitoring {m}"),
                    planned_on: d(2025, 3, 1 + m),
                    actual_on: None,
                    location: None,
                    outcome_notes: None,
                    status: MilestoneStatus::Planned,
                    cancellation_reason: None,
                },
                &[],
                now,
            )
            .await
            .unwrap();
            for i in 0..4 {
                let item = work::insert_action_item(
                    &db,
                    ActionItemRow {
                        agreement_id: agreement.id.0,
                        opd_id: 20 + i,
                        district_id: 4,
                        milestone_id: Some(milestone.id.0),
                        title: format!("Temuan {i}"),
                        finding: "Standar pelayanan belum dipublikasikan".into(),
                        standard_component: None,
                        priority: Priority::Medium,
                        due_on: d(2025, 6, 30),
                        progress: ItemProgress::open(),
                    },
                    now,
                )
                .await
                .unwrap();
                work::insert_evidence(
                    &db,
                    EvidenceRow {
                        action_item_id: item.id.0,
                        name: "foto.jpg".into(),
                        media_type: "image/jpeg".into(),
                        size_bytes: 1,
                        sha256: "0".repeat(64),
                        url: Some("https://example.org/foto.jpg".into()),
                        storage_key: None,
                        uploaded_by: None,
                    },
                    now,
                )
                .await
                .unwrap();
            }
        }
    }
}

async fn statements_for(kit: &Kit, token: &str) -> (u64, usize) {
    let before = kit.counter.get();
    let response = kit
        .run_with_token(Some(token.to_owned()), NESTED, json!({}))
        .await;
    let after = kit.counter.get();
    assert!(response.get("errors").is_none(), "{response:#}");
    let items: usize = response["data"]["agreements"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|a| a["milestones"]["nodes"].as_array().unwrap().clone())
        .map(|m| m["actionItems"]["nodes"].as_array().unwrap().len())
        .sum();
    (after - before, items)
}

/// The statements the nested query may take: 1 to authenticate the token,
/// then at most one per kind of lookup and nesting level (pages, counts,
/// parents, children), whatever the number of rows. Two lookups of the same
/// kind may share a batch when they meet in the loader's window, so a run can
/// take fewer; never more. (`isOverdue` on milestones reads each agreement's
/// district for its time zone: two more kinds of lookup than before.)
const BOUND: u64 = 25;

#[tokio::test]
async fn a_nested_list_query_issues_the_same_statements_at_any_size() {
    let kit = Kit::demo().await;
    let token = kit.token(ADMIN).await;
    // Authentication of the token is counted too: the same at both sizes.
    let (small, small_items) = statements_for(&kit, &token).await;
    grow(&kit, 6).await;
    let (large, large_items) = statements_for(&kit, &token).await;
    println!(
        "nested query: {small} statements for {small_items} action items; {large} for {large_items}"
    );
    assert!(
        large_items >= small_items + 72,
        "the data grew: {small_items} -> {large_items}"
    );
    assert!(small <= BOUND, "{small} statements for the small data set");
    assert!(
        large <= BOUND,
        "statement count grew with the data: {large}"
    );
}
