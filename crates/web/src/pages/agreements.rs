//! Agreements: the list, and one agreement's page (terms, amendments,
//! milestones on a timeline with their slips, action items by OPD and
//! status, the burn-down).

use askama::Template;
use axum::extract::{Path, State};
use axum::http::Uri;
use axum::response::Response;
use serde_json::{Value, json};

use crate::WebState;
use crate::gql::Rows;
use crate::pages::Visit;
use crate::pages::items::{error_page, node_of};
use crate::svg::{self, Week};
use crate::views::{self, Chrome, s};

#[derive(Debug, Clone)]
struct AgreementRow {
    id: String,
    title: String,
    district: String,
    status: String,
    status_label: String,
    period: String,
    open: i64,
    overdue: i64,
    verified: i64,
    total: i64,
}

#[derive(Template)]
#[template(path = "agreements.html")]
struct ListPage {
    c: Chrome,
    rows: Vec<AgreementRow>,
}

const LIST: &str = r"
{
  agreements(first: 100) {
    nodes {
      id title status periodStart periodEnd district { name }
      actionItemStats { total open overdue verified }
    }
  }
}";

/// `GET /agreements`.
pub(crate) async fn list(State(state): State<WebState>, uri: Uri, visit: Visit) -> Response {
    let t = visit.t;
    let answer = visit.query(&state, LIST, json!({})).await;
    if let Some(error) = answer.errors.first() {
        return error_page(&visit, error, uri.path());
    }
    let rows = answer.at("/agreements/nodes").rows(|a| {
        let status = s(a, "status");
        AgreementRow {
            id: s(a, "id"),
            title: s(a, "title"),
            district: s(&a["district"], "name"),
            status_label: t.e("agreement-status", &status),
            status,
            period: format!(
                "{} – {}",
                t.date_text(a["periodStart"].as_str().unwrap_or_default()),
                t.date_text(a["periodEnd"].as_str().unwrap_or_default())
            ),
            open: a["actionItemStats"]["open"].as_i64().unwrap_or(0),
            overdue: a["actionItemStats"]["overdue"].as_i64().unwrap_or(0),
            verified: a["actionItemStats"]["verified"].as_i64().unwrap_or(0),
            total: a["actionItemStats"]["total"].as_i64().unwrap_or(0),
        }
    });
    views::render(&ListPage {
        c: visit.chrome("agreements-title", uri.path()),
        rows,
    })
}

#[derive(Debug, Clone)]
struct MilestoneView {
    title: String,
    kind: String,
    status: String,
    status_label: String,
    planned: String,
    actual: String,
    slip: String,
    slipped: bool,
    reschedules: Vec<String>,
}

#[derive(Debug, Clone)]
struct OpdStats {
    id: String,
    name: String,
    counts: Vec<(String, i64)>,
    overdue: i64,
}

#[derive(Template)]
#[template(path = "agreement.html")]
struct AgreementPage {
    c: Chrome,
    title: String,
    status: String,
    status_label: String,
    district: String,
    district_id: String,
    office: String,
    terms: Vec<(String, String)>,
    amendments: Vec<(String, String, String, String)>,
    milestones: Vec<MilestoneView>,
    statuses: Vec<String>,
    by_opd: Vec<OpdStats>,
    total: i64,
    open: i64,
    overdue: i64,
    verified: i64,
    burn: String,
}

const ONE: &str = r"
query Agreement($id: ID!) {
  node(id: $id) {
    ... on Agreement {
      id title status signedOn periodStart periodEnd officeNumber districtNumber
      officeSignatory districtSignatory closingSummary terminationReason
      district { id name timeZone } office { name }
      amendments { number signedOn summary newPeriodEnd }
      milestones(first: 100) {
        nodes { title kind status plannedOn actualOn slipDays reschedules { oldDate newDate reason slipDays } }
      }
      actionItemStats { total open overdue verified }
      actionItemStatsByOpd { opd { id name } stats { open overdue verified byStatus { status count } } }
      actionItemTrend(weeks: 26) { weekEnding openAtEnd overdueAtEnd }
    }
  }
}";

const STATUSES: [&str; 6] = [
    "OPEN",
    "IN_PROGRESS",
    "SUBMITTED",
    "REJECTED",
    "VERIFIED",
    "CANCELLED",
];

/// `GET /agreements/{id}`.
pub(crate) async fn show(
    State(state): State<WebState>,
    uri: Uri,
    Path(id): Path<String>,
    visit: Visit,
) -> Response {
    let t = visit.t;
    let path = uri.path().to_owned();
    let answer = visit.query(&state, ONE, json!({ "id": id })).await;
    let node = match node_of(&visit, &answer, &path) {
        Ok(node) => node,
        Err(page) => return *page,
    };
    let date = |v: &Value| v.as_str().map(|d| t.date_text(d)).unwrap_or_default();
    let mut terms = vec![
        (
            t.m("agreement-period"),
            format!(
                "{} – {}",
                date(&node["periodStart"]),
                date(&node["periodEnd"])
            ),
        ),
        (
            t.m("agreement-signed-on"),
            node["signedOn"]
                .as_str()
                .map_or_else(|| t.m("not-yet"), |d| t.date_text(d)),
        ),
        (t.m("agreement-office-number"), s(node, "officeNumber")),
        (t.m("agreement-district-number"), s(node, "districtNumber")),
        (
            t.m("agreement-office-signatory"),
            s(node, "officeSignatory"),
        ),
        (
            t.m("agreement-district-signatory"),
            s(node, "districtSignatory"),
        ),
    ];
    for (key, id) in [
        ("closingSummary", "agreement-closing"),
        ("terminationReason", "agreement-termination"),
    ] {
        if let Some(text) = node[key].as_str() {
            terms.push((t.m(id), text.to_owned()));
        }
    }
    terms.retain(|(_, v)| !v.is_empty());
    let amendments = node["amendments"].rows(|a| {
        (
            s(a, "number"),
            date(&a["signedOn"]),
            s(a, "summary"),
            a["newPeriodEnd"]
                .as_str()
                .map(|d| t.date_text(d))
                .unwrap_or_default(),
        )
    });
    let milestones = node["milestones"]["nodes"].rows(|m| {
        let slip = m["slipDays"].as_i64().unwrap_or(0);
        let status = s(m, "status");
        MilestoneView {
            title: s(m, "title"),
            kind: t.e("milestone-kind", m["kind"].as_str().unwrap_or("OTHER")),
            status_label: t.e("milestone-status", &status),
            status,
            planned: date(&m["plannedOn"]),
            actual: date(&m["actualOn"]),
            slip: if slip != 0 {
                t.n("slip-days", slip)
            } else {
                String::new()
            },
            slipped: slip > 0,
            reschedules: m["reschedules"].rows(|r| {
                t.a(
                    "milestone-rescheduled",
                    &[
                        ("from", &date(&r["oldDate"])),
                        ("to", &date(&r["newDate"])),
                        ("reason", &s(r, "reason")),
                    ],
                )
            }),
        }
    });
    let by_opd = node["actionItemStatsByOpd"].rows(|o| {
        let by_status = o["stats"]["byStatus"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        OpdStats {
            id: s(&o["opd"], "id"),
            name: s(&o["opd"], "name"),
            counts: STATUSES
                .iter()
                .map(|st| {
                    let n = by_status
                        .iter()
                        .find(|b| b["status"].as_str() == Some(st))
                        .and_then(|b| b["count"].as_i64())
                        .unwrap_or(0);
                    ((*st).to_owned(), n)
                })
                .collect(),
            overdue: o["stats"]["overdue"].as_i64().unwrap_or(0),
        }
    });
    let weeks: Vec<Week> = node["actionItemTrend"].rows(|w| Week {
        label: w["weekEnding"]
            .as_str()
            .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            .map(|d| {
                use chrono::Datelike as _;
                format!("{} {}", d.day(), t.m(&format!("month-short-{}", d.month())))
            })
            .unwrap_or_default(),
        open: w["openAtEnd"].as_i64().unwrap_or(0),
        overdue: w["overdueAtEnd"].as_i64().unwrap_or(0),
    });
    let status = s(node, "status");
    let stats = &node["actionItemStats"];
    let mut chrome = visit.chrome("agreement-title", &path);
    chrome.title = s(node, "title");
    let page = AgreementPage {
        c: chrome,
        title: s(node, "title"),
        status_label: t.e("agreement-status", &status),
        status,
        district: s(&node["district"], "name"),
        district_id: s(&node["district"], "id"),
        office: s(&node["office"], "name"),
        terms,
        amendments,
        milestones,
        statuses: STATUSES.iter().map(|st| t.e("status", st)).collect(),
        by_opd,
        total: stats["total"].as_i64().unwrap_or(0),
        open: stats["open"].as_i64().unwrap_or(0),
        overdue: stats["overdue"].as_i64().unwrap_or(0),
        verified: stats["verified"].as_i64().unwrap_or(0),
        burn: svg::burn_down(t, &weeks),
    };
    views::render(&page)
}
