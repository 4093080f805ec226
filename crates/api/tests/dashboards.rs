//! The dashboard analytics: the queries of docs/dashboards.md answer exactly as
//! the document shows, with the same number of statements at any data size;
//! aggregates, rates and rankings agree with values computed here from the
//! plain lists; and nobody sees figures outside their scope.

#![allow(
    clippy::unwrap_used,
    reason = "a test should fail loudly on an unexpected shape"
)]

mod common;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use common::*;
use pendamping_domain::action_item::{ActionItemStatus, Priority};
use pendamping_storage::work::{self, ActionItemRow, ItemProgress};
use serde_json::{Value, json};

const DOC: &str = "docs/dashboards.md";

/// Each ```graphql block of the document, with the ```json answer that follows it, if any.
fn examples(markdown: &str) -> Vec<(String, Option<String>)> {
    let mut examples: Vec<(String, Option<String>)> = Vec::new();
    let mut block: Option<(String, String)> = None;
    for line in markdown.lines() {
        match (&mut block, line.trim_start()) {
            (None, fence) if fence == "```graphql" || fence == "```json" => {
                block = Some((fence[3..].to_owned(), String::new()));
            }
            (Some((kind, text)), "```") => {
                let text = std::mem::take(text);
                if kind == "graphql" {
                    examples.push((text, None));
                } else if let Some(last) = examples.last_mut() {
                    last.1 = Some(text);
                }
                block = None;
            }
            (Some((_, text)), _) => {
                text.push_str(line);
                text.push('\n');
            }
            (None, _) => {}
        }
    }
    examples
}

/// JSON laid out for reading: a value that fits on a line stays on one.
fn layout(value: &Value, indent: usize, out: &mut String) {
    let flat = value.to_string();
    if indent + flat.len() <= 96 || !(value.is_object() || value.is_array()) {
        out.push_str(&flat);
        return;
    }
    let pad = " ".repeat(indent + 2);
    let (open, close, entries): (char, char, Vec<(Option<&String>, &Value)>) = match value {
        Value::Object(map) => ('{', '}', map.iter().map(|(k, v)| (Some(k), v)).collect()),
        Value::Array(items) => ('[', ']', items.iter().map(|v| (None, v)).collect()),
        _ => unreachable!("scalars are flat"),
    };
    out.push(open);
    for (n, (key, item)) in entries.iter().enumerate() {
        out.push('\n');
        out.push_str(&pad);
        if let Some(key) = key {
            out.push_str(&Value::String((*key).clone()).to_string());
            out.push_str(": ");
        }
        layout(item, indent + 2, out);
        if n + 1 < entries.len() {
            out.push(',');
        }
    }
    out.push('\n');
    out.push_str(&" ".repeat(indent));
    out.push(close);
}

/// Runs every example as the demo admin. With `PENDAMPING_BLESS=1` the
/// document's answers are rewritten from the run; otherwise they must match.
#[tokio::test]
async fn the_dashboard_queries_answer_as_the_document_shows() {
    let path = format!("{}/../../{DOC}", env!("CARGO_MANIFEST_DIR"));
    let markdown = std::fs::read_to_string(&path).unwrap();
    let examples = examples(&markdown);
    assert!(
        examples
            .iter()
            .filter(|(_, answer)| answer.is_some())
            .count()
            >= 3,
        "the three dashboards, with answers"
    );
    let kit = Kit::demo().await;
    let bless = std::env::var("PENDAMPING_BLESS").is_ok_and(|v| v == "1");
    let mut blessed = markdown.clone();
    for (query, answer) in &examples {
        let mut response = kit.run_as(Some(ADMIN), query, json!({})).await;
        assert!(
            response.get("errors").is_none(),
            "{DOC}: example failed:\n{query}\n{response:#}"
        );
        // The cost every answer reports (docs/api.md) is not part of the examples.
        if let Some(response) = response.as_object_mut() {
            response.remove("extensions");
        }
        let Some(answer) = answer else { continue };
        if bless {
            let mut text = String::new();
            layout(&response, 0, &mut text);
            blessed = blessed.replacen(
                &format!("```json\n{answer}```"),
                &format!("```json\n{text}\n```"),
                1,
            );
        } else {
            let shown: Value = serde_json::from_str(answer).unwrap();
            assert_eq!(
                response, shown,
                "{DOC}: the answer differs from the document for\n{query}"
            );
        }
    }
    if bless {
        std::fs::write(&path, blessed).unwrap();
    }
}

/// Raises `count` more action items in Mamuju Tengah (district 4), spread
/// over its OPDs and statuses.
async fn grow(kit: &Kit, count: i64) {
    let db = kit.engine_db();
    let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
    let statuses = [
        ActionItemStatus::Open,
        ActionItemStatus::InProgress,
        ActionItemStatus::Cancelled,
    ];
    for n in 0..count {
        let status = statuses[(n % 3) as usize];
        work::insert_action_item(
            &db,
            ActionItemRow {
                agreement_id: 2,
                opd_id: 20 + n % 5,
                district_id: 4,
                milestone_id: None,
                title: format!("Temuan tambahan {n}"),
                finding: "Standar pelayanan belum dipublikasikan".into(),
                standard_component: None,
                priority: Priority::Medium,
                due_on: d(2025, 6, 30),
                progress: ItemProgress {
                    status,
                    cancellation_reason: (status == ActionItemStatus::Cancelled)
                        .then(|| "Digabung dengan temuan lain".to_owned()),
                    ..ItemProgress::open()
                },
            },
            demo_now(),
        )
        .await
        .unwrap();
    }
}

/// The statements a run of every dashboard example takes, one count per example.
async fn statements(kit: &Kit, token: &str) -> Vec<u64> {
    let path = format!("{}/../../{DOC}", env!("CARGO_MANIFEST_DIR"));
    let markdown = std::fs::read_to_string(&path).unwrap();
    let mut counts = Vec::new();
    for (query, _) in examples(&markdown) {
        let before = kit.counter.get();
        let response = kit
            .run_with_token(Some(token.to_owned()), &query, json!({}))
            .await;
        assert!(response.get("errors").is_none(), "{response:#}");
        counts.push(kit.counter.get() - before);
    }
    counts
}

/// Each dashboard takes at most this many statements once the process has
/// read the methodology versions and periods it classifies by (they never
/// change, so the engine keeps them): 1 authenticates the token, then one per
/// kind of lookup and nesting level, whatever the number of rows: 9, 10, 10,
/// 10 and 7 on the demo data (the district board's OPD page counts its OPDs
/// itself). Lookups of one kind that meet in the loader's window share a
/// batch; on a busy machine a batch can split, hence the margin.
const BOUND: u64 = 14;

#[tokio::test]
async fn each_dashboard_issues_the_same_statements_at_any_size() {
    let kit = Kit::demo().await;
    let token = kit.token(ADMIN).await;
    let cold = statements(&kit, &token).await;
    let small = statements(&kit, &token).await;
    grow(&kit, 120).await;
    let large = statements(&kit, &token).await;
    println!(
        "dashboard statements, first request: {cold:?}; demo data: {small:?}; \
         with 120 more action items: {large:?}"
    );
    for (small, large) in small.iter().zip(&large) {
        assert!(*small <= BOUND, "{small} statements");
        assert!(
            *large <= BOUND,
            "statement count grew with the data: {large}"
        );
    }
}

fn hundredths(value: &Value) -> i64 {
    (value.as_f64().unwrap() * 100.0).round() as i64
}

/// The district board reduced to what PostGraphile can be asked (the shared
/// benchmark question of issue 17), as a wall screen reads it: with the
/// district's own dashboard token.
const REDUCED: &str = r#"query ($district: ID!) {
  node(id: $district) {
    ... on District {
      name
      timeZone
      scoreHistory { period { year } total bandCode }
      actionItemStats { open overdue verified }
      opds(first: 100) {
        totalCount
        nodes {
          name
          scoreHistory(last: 5) { period { year } total bandCode }
          actionItemStats { open overdue }
        }
      }
    }
  }
}"#;

/// One statement authenticates the token, one finds the district, two
/// answer the district (its own scores, its OPD page counting its OPDs), one
/// counts the items of the district's OPDs (the district's counts are their
/// sum) and one reads the OPDs' scores. The periods that order the score
/// histories are kept by the engine once read (the fewest of three runs
/// counts), and `totalCount` costs no statement of its own.
const REDUCED_STATEMENTS: u64 = 6;

#[tokio::test]
async fn the_reduced_district_board_takes_six_statements_at_any_size() {
    use pendamping_domain::identity::Scope;
    use pendamping_domain::reference::DistrictId;
    let kit = Kit::demo().await;
    let token = kit
        .engine
        .create_api_token(
            &pendamping_engine::Actor::system("wall screen"),
            "district board",
            Scope::District(DistrictId(4)),
            None,
        )
        .await
        .unwrap()
        .token;
    let variables = json!({ "district": "RGlzdHJpY3Q6NA" });
    // The fewest of three runs: a batch split by a busy scheduler adds one.
    let statements = async || {
        let mut fewest = u64::MAX;
        let mut answer = Value::Null;
        for _ in 0..3 {
            let before = kit.counter.get();
            answer = kit
                .run_with_token(Some(token.clone()), REDUCED, variables.clone())
                .await;
            fewest = fewest.min(kit.counter.get() - before);
            assert!(answer.get("errors").is_none(), "{answer:#}");
        }
        (fewest, answer)
    };
    let (small, answer) = statements().await;
    grow(&kit, 120).await;
    let (large, grown) = statements().await;
    println!("reduced district board: {small} statements; with 120 more action items: {large}");
    assert!(small <= REDUCED_STATEMENTS, "{small} statements");
    assert!(large <= REDUCED_STATEMENTS, "{large} statements");
    // The total counted with the page is the list's size, as a count of its own says.
    let opds = &answer["data"]["node"]["opds"];
    let listed = opds["nodes"].as_array().unwrap().len();
    assert!(listed > 1, "{answer:#}");
    assert_eq!(opds["totalCount"], json!(listed));
    let counted = kit
        .run_with_token(
            Some(token.clone()),
            r#"{ opds(filter: { districtId: "RGlzdHJpY3Q6NA" }, first: 1) { totalCount } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        counted["data"]["opds"]["totalCount"],
        json!(listed),
        "{counted:#}"
    );
    // More items changed the counts, not the shape.
    assert_ne!(answer, grown);
    assert_eq!(grown["data"]["node"]["opds"]["totalCount"], json!(listed));
}

#[tokio::test]
async fn a_district_figure_is_the_rounded_mean_of_its_opds_or_its_own_score() {
    let data = Kit::demo_fetch(
        ADMIN,
        r#"{
              scoreRecords(filter: { districtId: "RGlzdHJpY3Q6NA", kind: OFFICIAL }, first: 100) {
                nodes { total opd { id } period { year } band { zone } }
              }
              node(id: "RGlzdHJpY3Q6NA") { ... on District {
                scoreAggregates(last: 10) {
                  period { year } score basis membersMean membersScored zone
                  zoneDistribution { green yellow red }
                }
              } }
            }"#,
    )
    .await;
    // Computed here from the plain list of score records.
    let mut opd_totals: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    let mut own: BTreeMap<i64, i64> = BTreeMap::new();
    let mut zones: BTreeMap<i64, [i64; 3]> = BTreeMap::new();
    for record in data["scoreRecords"]["nodes"].as_array().unwrap() {
        let year = record["period"]["year"].as_i64().unwrap();
        if record["opd"].is_null() {
            own.insert(year, hundredths(&record["total"]));
        } else {
            opd_totals
                .entry(year)
                .or_default()
                .push(hundredths(&record["total"]));
            let slot = match record["band"]["zone"].as_str().unwrap() {
                "GREEN" => 0,
                "YELLOW" => 1,
                _ => 2,
            };
            zones.entry(year).or_default()[slot] += 1;
        }
    }
    let aggregates = data["node"]["scoreAggregates"].as_array().unwrap();
    assert!(aggregates.len() >= 3, "{aggregates:?}");
    for aggregate in aggregates {
        let year = aggregate["period"]["year"].as_i64().unwrap();
        let totals = opd_totals.get(&year).cloned().unwrap_or_default();
        if !totals.is_empty() {
            // Half away from zero, as the database rounds.
            let sum: i64 = totals.iter().sum();
            let n = totals.len() as i64;
            let mean = (2 * sum + n) / (2 * n);
            assert_eq!(hundredths(&aggregate["membersMean"]), mean, "{year}");
            assert_eq!(aggregate["membersScored"], json!(n), "{year}");
            let [green, yellow, red] = zones[&year];
            assert_eq!(
                aggregate["zoneDistribution"],
                json!({"green": green, "yellow": yellow, "red": red}),
                "{year}"
            );
        }
        match own.get(&year) {
            Some(total) => {
                assert_eq!(aggregate["basis"], "OWN_SCORE");
                assert_eq!(hundredths(&aggregate["score"]), *total, "{year}");
            }
            None => {
                assert_eq!(aggregate["basis"], "MEAN_OF_OPDS");
                assert_eq!(aggregate["score"], aggregate["membersMean"]);
            }
        }
    }
    // The published 2021 figure of Mamuju Tengah.
    let y2021 = aggregates
        .iter()
        .find(|a| a["period"]["year"] == 2021)
        .unwrap();
    assert_eq!(y2021["score"], json!(97.36));
    assert_eq!(y2021["zone"], "GREEN");
}

#[tokio::test]
async fn action_item_figures_agree_with_the_items_themselves() {
    let data = Kit::demo_fetch(
        ADMIN,
        r#"{
              actionItems(filter: { districtId: "RGlzdHJpY3Q6NA" }, first: 100) {
                nodes { status dueOn isOverdue createdAt verifiedAt }
              }
              node(id: "RGlzdHJpY3Q6NA") { ... on District {
                actionItemStats { total open overdue verified onTimeRate medianDaysToVerify
                                  byStatus { status count } }
              } }
            }"#,
    )
    .await;
    let items = data["actionItems"]["nodes"].as_array().unwrap();
    let stats = &data["node"]["actionItemStats"];
    assert_eq!(stats["total"], json!(items.len()));
    let count = |status: &str| items.iter().filter(|i| i["status"] == status).count();
    for entry in stats["byStatus"].as_array().unwrap() {
        assert_eq!(
            entry["count"],
            json!(count(entry["status"].as_str().unwrap())),
            "{entry}"
        );
    }
    let overdue = items.iter().filter(|i| i["isOverdue"] == true).count();
    assert!(overdue > 0, "the demo has overdue items");
    assert_eq!(stats["overdue"], json!(overdue));

    let instant = |v: &Value| chrono::DateTime::parse_from_rfc3339(v.as_str().unwrap()).unwrap();
    let wita = chrono::FixedOffset::east_opt(8 * 3600).unwrap();
    let verified: Vec<&Value> = items.iter().filter(|i| i["status"] == "VERIFIED").collect();
    assert!(verified.len() >= 3);
    let on_time = verified
        .iter()
        .filter(|i| {
            let day = instant(&i["verifiedAt"]).with_timezone(&wita).date_naive();
            day <= NaiveDate::parse_from_str(i["dueOn"].as_str().unwrap(), "%Y-%m-%d").unwrap()
        })
        .count();
    let rate = stats["onTimeRate"].as_f64().unwrap();
    assert!((rate - on_time as f64 / verified.len() as f64).abs() < 1e-9);
    let mut days: Vec<f64> = verified
        .iter()
        .map(|i| {
            (instant(&i["verifiedAt"]) - instant(&i["createdAt"])).num_seconds() as f64 / 86400.0
        })
        .collect();
    days.sort_by(f64::total_cmp);
    let n = days.len();
    let median = if n % 2 == 1 {
        days[n / 2]
    } else {
        (days[n / 2 - 1] + days[n / 2]) / 2.0
    };
    let shown = stats["medianDaysToVerify"].as_f64().unwrap();
    assert!(
        (shown - (median * 10.0).round() / 10.0).abs() < 1e-9,
        "{shown} vs {median}"
    );
}

/// Mamuju Tengah (the demo's district 4) as the admin reads it: `selection`
/// on the district, with the `fragments` it uses.
async fn mateng_as_admin(selection: &str, fragments: &str) -> Value {
    let query = format!(
        r#"{{ node(id: "RGlzdHJpY3Q6NA") {{ ... on District {{ {selection} }} }} }}
           {fragments}"#
    );
    Kit::demo_fetch(ADMIN, &query).await["node"].clone()
}

/// Counts alone are worked out by a lighter statement than counts with the
/// on-time rate and median; both must agree, however the fields are selected.
#[tokio::test]
async fn action_item_counts_agree_whether_or_not_timeliness_is_asked() {
    let district = &mateng_as_admin(
        r#"counts: actionItemStats { total open overdue verified byStatus { status count } }
           full: actionItemStats { ...Timeliness }
           opds(first: 100) { nodes {
             counts: actionItemStats { open overdue verified }
             full: actionItemStats { open overdue verified onTimeRate medianDaysToVerify }
           } }"#,
        r#"fragment Timeliness on ActionItemStats {
             total open overdue verified byStatus { status count } onTimeRate medianDaysToVerify
           }"#,
    )
    .await;
    let full = &district["full"];
    assert!(full["medianDaysToVerify"].is_f64(), "{full}");
    assert!(full["onTimeRate"].is_f64(), "{full}");
    for field in ["total", "open", "overdue", "verified", "byStatus"] {
        assert_eq!(district["counts"][field], full[field], "{field}");
    }
    let opds = district["opds"]["nodes"].as_array().unwrap();
    let mut with_verified = 0;
    for opd in opds {
        for field in ["open", "overdue", "verified"] {
            assert_eq!(opd["counts"][field], opd["full"][field], "{opd}");
        }
        if opd["full"]["verified"].as_i64().unwrap() > 0 {
            with_verified += 1;
            assert!(opd["full"]["medianDaysToVerify"].is_f64(), "{opd}");
        }
    }
    assert!(with_verified > 0, "the demo has OPDs with verified items");
}

/// A history drawn for a chart is read without per-dimension values; asked
/// for them (through a fragment, too), it has them.
#[tokio::test]
async fn score_histories_carry_dimension_values_when_asked() {
    let district = mateng_as_admin(
        r#"opds(first: 100) { nodes {
             latestScore { total ...Dimensions }
             scoreHistory(last: 1) { total score { dimensionValues { code value } } }
             plain: scoreHistory(last: 1) { total }
           } }"#,
        "fragment Dimensions on ScoreRecord { dimensionValues { code value } }",
    )
    .await;
    let opds = district["opds"]["nodes"].as_array().unwrap();
    let mut with_values = 0;
    for opd in opds {
        if opd["latestScore"].is_null() {
            continue;
        }
        let latest = opd["latestScore"]["dimensionValues"].as_array().unwrap();
        let history = &opd["scoreHistory"][0]["score"]["dimensionValues"];
        assert_eq!(&json!(latest), history, "{opd}");
        assert_eq!(opd["plain"][0]["total"], opd["latestScore"]["total"]);
        if !latest.is_empty() {
            with_values += 1;
            let codes: Vec<&str> = latest.iter().map(|v| v["code"].as_str().unwrap()).collect();
            assert_eq!(codes.len(), 4, "PKP-2022 has four dimensions: {codes:?}");
        }
    }
    assert!(
        with_values > 0,
        "the demo's latest scores have dimension values"
    );
}

#[tokio::test]
async fn rankings_share_places_on_ties_and_skip_the_next() {
    let kit = Kit::demo().await;
    let ranking = |data: &Value| -> Vec<(i64, i64)> {
        data["opdRanking"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| (r["rank"].as_i64().unwrap(), hundredths(&r["total"])))
            .collect()
    };
    let query = r#"{ opdRanking(year: 2021, first: 1000) { rank outOf total } }"#;
    let data = kit.fetch(ADMIN, query).await;
    let places = ranking(&data);
    assert!(places.len() >= 5);
    // Competition ranking computed here: 1 + how many did strictly better.
    for (rank, total) in &places {
        let better = places.iter().filter(|(_, t)| t > total).count() as i64;
        assert_eq!(*rank, better + 1, "{places:?}");
    }
    // Force a tie at the top and see the next place skipped.
    let top = places[0].1;
    let second = &places[1];
    let db = kit.engine_db();
    use pendamping_storage::ConnectionTrait as _;
    db.execute_unprepared(&format!(
        "UPDATE score_records SET total_hundredths = {top} WHERE is_current = TRUE \
         AND kind = 'OFFICIAL' AND opd_id IS NOT NULL AND total_hundredths = {} \
         AND period_id = (SELECT id FROM assessment_periods WHERE year = 2021)",
        second.1
    ))
    .await
    .unwrap();
    let tied = ranking(&kit.fetch(ADMIN, query).await);
    assert_eq!(tied[0].0, 1);
    assert_eq!(tied[1], (1, top), "a tie shares the first place: {tied:?}");
    assert_eq!(tied[2].0, 3, "the next place is skipped: {tied:?}");
}

/// How many action items `who` can list.
async fn items_seen_by(kit: &Kit, who: &str) -> Value {
    kit.fetch(who, r#"{ actionItems(first: 1) { totalCount } }"#)
        .await["actionItems"]["totalCount"]
        .clone()
}

#[tokio::test]
async fn nobody_sees_figures_outside_their_scope() {
    let kit = Kit::demo().await;
    let query = r#"{
      districtRanking(year: 2021) { outOf district { name } }
      opdRanking(year: 2021, first: 1000) { outOf district { name } }
      offices { nodes { scoreAggregates { membersScored } actionItemStats { total } } }
    }"#;
    let admin = kit.fetch(ADMIN, query).await;
    assert_eq!(admin["districtRanking"][0]["outOf"], 7);

    let sekda = kit.fetch(SEKDA_MATENG, query).await;
    let districts: Vec<&Value> = sekda["districtRanking"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r["district"]["name"])
        .collect();
    assert_eq!(districts, vec![MATENG]);
    assert_eq!(sekda["districtRanking"][0]["outOf"], 1);
    for place in sekda["opdRanking"].as_array().unwrap() {
        assert_eq!(place["district"]["name"], MATENG);
    }
    // The office as its coordinator sees it: one district's figures only.
    for aggregate in sekda["offices"]["nodes"][0]["scoreAggregates"]
        .as_array()
        .unwrap()
    {
        assert_eq!(aggregate["membersScored"], 1);
    }
    assert_eq!(
        sekda["offices"]["nodes"][0]["actionItemStats"]["total"],
        items_seen_by(&kit, SEKDA_MATENG).await
    );

    // An OPD officer's figures are its own OPD's.
    let rsud = kit.fetch(RSUD_OFFICER, query).await;
    let places = rsud["opdRanking"].as_array().unwrap();
    assert!(places.len() <= 1, "{places:?}");
    assert_eq!(
        rsud["offices"]["nodes"][0]["actionItemStats"]["total"],
        items_seen_by(&kit, RSUD_OFFICER).await
    );

    // Another district's coordinator sees nothing of Mamuju Tengah.
    let mamuju = kit.fetch(SEKDA_MAMUJU, query).await;
    for place in mamuju["opdRanking"].as_array().unwrap() {
        assert_eq!(place["district"]["name"], "Kabupaten Mamuju");
    }
    let other = kit
        .run_as(
            Some(SEKDA_MAMUJU),
            r#"{ node(id: "RGlzdHJpY3Q6NA") { ... on District { actionItemStats { total } } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(other["data"]["node"], Value::Null);
}

/// The board counts a district's items once, by OPD, and answers the
/// district's counts as their sum: both agree with the counts asked the
/// other way (an OPD on its own; the district with its on-time rate, which
/// needs every item and is counted directly), for a reader of the whole
/// district and for an OPD officer who sees only the RSUD's items.
#[tokio::test]
async fn a_boards_counts_agree_with_each_opd_and_district_counted_on_its_own() {
    let kit = Kit::demo().await;
    grow(&kit, 60).await;
    let board = r#"query ($district: ID!) {
      node(id: $district) {
        ... on District {
          actionItemStats { total open overdue verified byStatus { status count } }
          opds(first: 100) { nodes { id name actionItemStats { total open overdue verified } } }
        }
      }
    }"#;
    let district_direct = r#"query ($district: ID!) {
      node(id: $district) {
        ... on District { actionItemStats { total open overdue verified onTimeRate byStatus { status count } } }
      }
    }"#;
    let opd_alone = r#"query ($opd: ID!) {
      node(id: $opd) { ... on Opd { actionItemStats { total open overdue verified } } }
    }"#;
    let variables = json!({ "district": "RGlzdHJpY3Q6NA" });
    for reader in [SEKDA_MATENG, RSUD_OFFICER] {
        let answer = kit.data(reader, board, variables.clone()).await;
        let district = &answer["node"];
        let direct = kit.data(reader, district_direct, variables.clone()).await;
        let mut direct_stats = direct["node"]["actionItemStats"].clone();
        direct_stats.as_object_mut().unwrap().remove("onTimeRate");
        assert_eq!(district["actionItemStats"], direct_stats, "{reader}");
        let opds = district["opds"]["nodes"].as_array().unwrap();
        let mut with_items = 0;
        for opd in opds {
            let alone = kit
                .data(reader, opd_alone, json!({ "opd": opd["id"] }))
                .await;
            assert_eq!(
                opd["actionItemStats"], alone["node"]["actionItemStats"],
                "{reader}: {}",
                opd["name"]
            );
            if opd["actionItemStats"]["total"].as_i64().unwrap() > 0 {
                with_items += 1;
            }
        }
        // The district reader sees several OPDs' items; the officer only the RSUD's.
        let expected = if reader == RSUD_OFFICER {
            1..=1
        } else {
            2..=usize::MAX
        };
        assert!(
            expected.contains(&with_items),
            "{reader}: {with_items} OPDs with items"
        );
        assert!(
            district["actionItemStats"]["total"].as_i64().unwrap() > 0,
            "{reader}"
        );
    }
}

/// A burn-down has a row for every week asked, oldest first, Monday to Sunday,
/// whether anything happened in it or not: a new OPD with no items has its
/// weeks at zero, beside its district's counted ones.
#[tokio::test]
async fn a_trend_has_every_week_asked_even_with_nothing_to_count() {
    let kit = Kit::demo().await;
    let created = kit
        .mutate(
            ADMIN,
            "mutation($input: CreateOpdInput!) { createOpd(input: $input) { opd { id } userErrors { code } } }",
            "createOpd",
            json!({ "districtId": "RGlzdHJpY3Q6NA", "name": "Dinas Perpustakaan", "kind": "DEPARTMENT" }),
        )
        .await;
    let opd = created["opd"]["id"].as_str().unwrap().to_owned();
    let weeks = "actionItemTrend(weeks: 4) { weekStarting weekEnding raised verified openAtEnd overdueAtEnd }";
    let data = kit
        .fetch(
            ADMIN,
            &format!(
                r#"{{ district: node(id: "RGlzdHJpY3Q6NA") {{ ... on District {{ {weeks} }} }}
                     opd: node(id: "{opd}") {{ ... on Opd {{ {weeks} }} }} }}"#
            ),
        )
        .await;
    let day = |week: &Value, field: &str| {
        NaiveDate::parse_from_str(week[field].as_str().unwrap(), "%Y-%m-%d").unwrap()
    };
    let district = data["district"]["actionItemTrend"].as_array().unwrap();
    let empty = data["opd"]["actionItemTrend"].as_array().unwrap();
    assert_eq!(district.len(), 4, "{district:?}");
    assert_eq!(
        empty.len(),
        4,
        "every week of a parent with no items: {empty:?}"
    );
    for (counted, zero) in district.iter().zip(empty) {
        assert_eq!(counted["weekStarting"], zero["weekStarting"]);
        assert_eq!(
            day(zero, "weekEnding") - day(zero, "weekStarting"),
            chrono::Duration::days(6)
        );
        for count in ["raised", "verified", "openAtEnd", "overdueAtEnd"] {
            assert_eq!(zero[count], 0, "{count} of a new OPD: {zero}");
        }
    }
    assert!(
        district
            .iter()
            .any(|w| w["openAtEnd"].as_i64().unwrap() > 0),
        "the demo district has open items: {district:?}"
    );
}
