//! Scores as the Ombudsman publishes them (issues 14 and 18): provenance, the
//! 2025 opinion, method breaks, rankings per kind, targets, and the follow-up
//! of the Ombudsman's supervision products.

#![allow(
    clippy::unwrap_used,
    reason = "a test should fail loudly on an unexpected shape"
)]

mod common;

use common::*;
use serde_json::{Value, json};

/// (Mamuju Tengah's id, its RSUD's id, the id of the period of `year`).
async fn mateng(kit: &Kit, year: i64) -> (String, String, String) {
    let data = kit
        .fetch(ADMIN, r#"{ assessmentPeriods { nodes { id year } }
                 districts(first: 20) { nodes { id name opds(first: 100) { nodes { id shortName name } } } } }"#)
        .await;
    let period = find(&data["assessmentPeriods"]["nodes"], "year", year)["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let district = find(&data["districts"]["nodes"], "name", MATENG).clone();
    let rsud = find(
        &district["opds"]["nodes"],
        "shortName",
        "RSUD Mamuju Tengah",
    )["id"]
        .as_str()
        .unwrap()
        .to_owned();
    (district["id"].as_str().unwrap().to_owned(), rsud, period)
}

/// `selection` on Mamuju Tengah, as its Sekda reads it in a fresh demo.
async fn mateng_as_sekda(selection: &str) -> Value {
    let kit = Kit::demo().await;
    let (district, _, _) = mateng(&kit, 2021).await;
    let query =
        format!("query($d: ID!) {{ node(id: $d) {{ ... on District {{ {selection} }} }} }}");
    kit.data(SEKDA_MATENG, &query, json!({"d": district})).await["node"].clone()
}

#[tokio::test]
async fn the_2025_method_is_built_in_with_levels_and_no_zones() {
    let kit = Kit::demo().await;
    let data = kit
        .fetch(
            VIEWER_MATENG,
            r#"{ methodology(code: "OPINI-2025") {
                   code hasZones hasInferredBands legalBasis firstYear
                   sources { fact confidence reference }
                   qualifiers { code label } publishedLabels { code label }
                   bands { code label min max zone inferred }
                   top: classify(total: 88.49) { code zone }
                   mid: classify(total: 77.99) { code label }
                 }
                 assessmentPeriods { nodes { year methodology { code } } } }"#,
        )
        .await;
    let m = &data["methodology"];
    assert_eq!(m["hasZones"], false);
    assert_eq!(m["hasInferredBands"], true);
    assert!(m["legalBasis"].as_str().unwrap().contains("61 Tahun 2025"));
    assert_eq!(m["top"], json!({"code": "TERTINGGI", "zone": null}));
    assert_eq!(
        m["mid"],
        json!({"code": "SEDANG", "label": "Kualitas Sedang"})
    );
    let codes: Vec<&str> = texts(&m["bands"], "code");
    assert_eq!(
        codes,
        ["TERTINGGI", "TINGGI", "SEDANG", "RENDAH", "TERENDAH"]
    );
    assert!(elements(&m["bands"]).all(|b| b["zone"].is_null() && b["inferred"] == true));
    assert_eq!(m["bands"][1]["min"], 78.0);
    assert_eq!(m["qualifiers"][0]["code"], "TANPA_MALADMINISTRASI");
    assert_eq!(m["publishedLabels"].as_array().unwrap().len(), 4);
    assert!(elements(&m["sources"]).any(|s| s["confidence"] == "UNCERTAIN"));
    for year in [2025, 2026] {
        assert!(
            elements(&data["assessmentPeriods"]["nodes"])
                .any(|p| p["year"] == year && p["methodology"]["code"] == "OPINI-2025"),
            "no built-in {year} period"
        );
    }
    // The older versions carry their legal basis too.
    let ksp = kit
        .fetch(
            ADMIN,
            r#"{ methodology(code: "KSP-2021") { legalBasis hasZones } }"#,
        )
        .await;
    assert!(
        ksp["methodology"]["legalBasis"]
            .as_str()
            .unwrap()
            .contains("25/2009")
    );
    assert_eq!(ksp["methodology"]["hasZones"], true);
}

const RECORD: &str = r#"mutation($input: RecordScoreInput!) {
  recordScore(input: $input) {
    scoreRecord { id total bandCode provenance source opinion
                  nationalRank { rank outOf }
                  qualifier { code label } publishedLabel { code label }
                  band { code label zone } }
    userErrors { field message code }
  }
}"#;

/// `recordScore` as the assessor with `input`: its payload.
async fn record(kit: &Kit, input: Value) -> Value {
    kit.mutate(ASSESSOR, RECORD, "recordScore", input).await
}

#[tokio::test]
async fn an_official_opinion_is_recorded_and_read_back_whole() {
    let kit = Kit::demo().await;
    let (district, _, period) = mateng(&kit, 2026).await;
    let recorded = record(
        &kit,
        json!({
            "periodId": period, "districtId": district, "kind": "OFFICIAL", "total": 84.43,
            "provenance": "PUBLISHED", "source": "Pengumuman Opini Ombudsman RI 2026",
            "qualifier": "TANPA_MALADMINISTRASI", "publishedLabel": "BAIK",
            "nationalRank": 9, "nationalRankOutOf": 170
        }),
    )
    .await;
    assert_eq!(recorded["userErrors"], json!([]), "{recorded}");
    let id = recorded["scoreRecord"]["id"].as_str().unwrap().to_owned();
    let read = kit
        .data(
            SEKDA_MATENG,
            r#"query($id: ID!) { node(id: $id) { ... on ScoreRecord {
                 total bandCode provenance source opinion nationalRank { rank outOf }
                 qualifier { code label } publishedLabel { code label } band { label zone } } } }"#,
            json!({"id": id}),
        )
        .await;
    let r = &read["node"];
    assert_eq!(r["total"], 84.43);
    assert_eq!(r["bandCode"], "TINGGI");
    assert_eq!(r["band"], json!({"label": "Kualitas Tinggi", "zone": null}));
    assert_eq!(r["provenance"], "PUBLISHED");
    assert_eq!(r["source"], "Pengumuman Opini Ombudsman RI 2026");
    assert_eq!(r["opinion"], "Opini Kualitas Tinggi Tanpa Maladministrasi");
    assert_eq!(
        r["qualifier"],
        json!({"code": "TANPA_MALADMINISTRASI", "label": "Tanpa Maladministrasi"})
    );
    assert_eq!(
        r["publishedLabel"],
        json!({"code": "BAIK", "label": "Baik"})
    );
    assert_eq!(r["nationalRank"], json!({"rank": 9, "outOf": 170}));
}

#[tokio::test]
async fn provenance_and_published_facts_are_checked_by_field() {
    let kit = Kit::demo().await;
    let (district, rsud, period) = mateng(&kit, 2026).await;
    let errors = |input: Value| {
        let kit = &kit;
        async move { record(kit, input).await["userErrors"].clone() }
    };
    // A published figure names its source.
    let e = errors(json!({"periodId": period, "districtId": district, "kind": "OFFICIAL", "total": 80, "provenance": "PUBLISHED"})).await;
    assert_eq!(e[0]["field"], json!(["input", "source"]), "{e}");
    // A self-assessment cannot be published.
    let e = errors(json!({"periodId": period, "districtId": district, "opdId": rsud, "kind": "SELF_ASSESSMENT", "total": 80, "provenance": "PUBLISHED", "source": "x"})).await;
    assert_eq!(e[0]["field"], json!(["input", "provenance"]), "{e}");
    // A qualifier the method does not have, and one on a mentoring check.
    let e = errors(json!({"periodId": period, "districtId": district, "kind": "OFFICIAL", "total": 80, "qualifier": "WTP"})).await;
    assert_eq!(e[0]["field"], json!(["input", "qualifier"]), "{e}");
    let e = errors(json!({"periodId": period, "districtId": district, "opdId": rsud, "kind": "MENTORING_CHECK", "total": 80, "qualifier": "TANPA_MALADMINISTRASI"})).await;
    assert_eq!(e[0]["field"], json!(["input", "qualifier"]), "{e}");
    // A rank needs its "out of".
    let e = errors(json!({"periodId": period, "districtId": district, "kind": "OFFICIAL", "total": 80, "nationalRank": 3})).await;
    assert_eq!(e[0]["field"], json!(["input", "nationalRankOutOf"]), "{e}");
    // Without a provenance, what the kind says; the demo's figures are illustrative.
    let ok = record(
        &kit,
        json!({"periodId": period, "districtId": district, "opdId": rsud, "kind": "SELF_ASSESSMENT", "total": 70}),
    )
    .await;
    assert_eq!(ok["scoreRecord"]["provenance"], "SELF_ASSESSMENT", "{ok}");
    assert_eq!(ok["scoreRecord"]["opinion"], "Opini Kualitas Sedang");
}

#[tokio::test]
async fn the_demo_marks_invented_figures_and_keeps_the_published_rank() {
    let district = mateng_as_sekda(
        r#"scoreHistory { period { year } total bandCode comparable methodBreak change
                          score { provenance source nationalRank { rank outOf } opinion } }"#,
    )
    .await;
    let history = &district["scoreHistory"];
    let year = |y: i64| in_year(history, y);
    let y2021 = year(2021);
    assert_eq!(y2021["score"]["provenance"], "PUBLISHED");
    assert_eq!(
        y2021["score"]["nationalRank"],
        json!({"rank": 9, "outOf": 416})
    );
    assert!(y2021["score"]["source"].as_str().unwrap().contains("2022"));
    // 2021 and 2019 share KSP-2021: a change.
    assert_eq!(y2021["comparable"], true);
    assert_eq!(y2021["methodBreak"], false);
    assert_eq!(y2021["change"], 8.82);
    // KSP-2021 → PKP-2022 and PKP-2022 → OPINI-2025: breaks, no change.
    for y in [2022, 2025] {
        let h = year(y);
        assert_eq!(h["methodBreak"], true, "{h}");
        assert_eq!(h["comparable"], false, "{h}");
        assert!(h["change"].is_null(), "{h}");
    }
    let y2025 = year(2025);
    assert_eq!(y2025["score"]["provenance"], "ILLUSTRATIVE");
    assert_eq!(y2025["bandCode"], "TINGGI");
    assert_eq!(y2025["score"]["opinion"], "Opini Kualitas Tinggi");
    assert!(
        history
            .as_array()
            .unwrap()
            .iter()
            .filter(|h| h["period"]["year"] != 2021)
            .all(|h| h["score"]["provenance"] == "ILLUSTRATIVE"),
        "an invented figure is not marked ILLUSTRATIVE"
    );
}

#[tokio::test]
async fn aggregates_and_standings_never_compare_across_methods() {
    let n = &mateng_as_sekda(
        r#"scoreAggregates(last: 10) { period { year } change methodBreak comparable zone }
           s2022: opdStandings(year: 2022, limit: 100) { methodBreak mostImproved { total } movedDownAZone { total } best { change comparable } }
           s2023: opdStandings(year: 2023, limit: 100) { methodBreak mostImproved { total } }"#,
    )
    .await;
    let aggregates = n["scoreAggregates"].as_array().unwrap();
    let at = |y: i64| {
        aggregates
            .iter()
            .find(|a| a["period"]["year"] == y)
            .unwrap()
    };
    assert_eq!(at(2022)["methodBreak"], true);
    assert!(at(2022)["change"].is_null());
    assert_eq!(at(2023)["methodBreak"], false);
    assert!(!at(2023)["change"].is_null());
    assert_eq!(at(2025)["methodBreak"], true);
    assert!(at(2025)["zone"].is_null(), "a 2025 opinion has no zone");
    assert_eq!(n["s2022"]["methodBreak"], true);
    assert_eq!(n["s2022"]["mostImproved"], json!([]));
    assert_eq!(n["s2022"]["movedDownAZone"], json!([]));
    assert!(
        elements(&n["s2022"]["best"]).all(|b| b["change"].is_null() && b["comparable"] == false)
    );
    assert_eq!(n["s2023"]["methodBreak"], false);
    assert!(!n["s2023"]["mostImproved"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn districts_are_ranked_among_their_own_kind() {
    let data = Kit::demo_fetch(
        ADMIN,
        r#"{ all: districtRanking(year: 2024) { district { kind } }
                 regencies: districtRanking(year: 2024, kind: REGENCY) { rank outOf district { kind } }
                 provinces: districtRanking(year: 2024, kind: PROVINCE) { rank outOf district { name } } }"#,
    )
    .await;
    let all = data["all"].as_array().unwrap().len();
    let regencies = data["regencies"].as_array().unwrap();
    assert!(regencies.iter().all(|r| r["district"]["kind"] == "REGENCY"));
    assert_eq!(regencies[0]["outOf"], json!(regencies.len()));
    assert_eq!(regencies.len() + 1, all);
    assert_eq!(data["provinces"][0]["rank"], 1);
    assert_eq!(data["provinces"][0]["outOf"], 1);
    assert_eq!(
        data["provinces"][0]["district"]["name"],
        "Provinsi Sulawesi Barat"
    );
}

const SET_TARGET: &str = r#"mutation($input: SetScoreTargetInput!) {
  setScoreTarget(input: $input) {
    scoreTarget { year zone bandCode minTotal opd { name } }
    userErrors { field message code }
  }
}"#;

#[tokio::test]
async fn a_district_sets_its_target_and_the_board_shows_progress() {
    let kit = Kit::demo().await;
    let (district, rsud, _) = mateng(&kit, 2024).await;
    let set_target =
        |who: &'static str, input: Value| kit.mutate(who, SET_TARGET, "setScoreTarget", input);
    let for_the_opd = json!({"districtId": district, "opdId": rsud, "year": 2024, "zone": "GREEN", "minTotal": 99.5});
    // The Sekda sets the district's and an OPD's target; setting it again
    // replaces it (one target per subject and year).
    for (who, input) in [
        (
            SEKDA_MATENG,
            json!({"districtId": district, "year": 2024, "bandCode": "A", "note": "Target RPJMD"}),
        ),
        (SEKDA_MATENG, for_the_opd.clone()),
        (LEAD, for_the_opd),
    ] {
        let set = set_target(who, input).await;
        assert_eq!(set["userErrors"], json!([]), "{who}: {set}");
    }
    // No zone under a method without zones; no band the method lacks.
    for (input, field) in [
        (
            json!({"districtId": district, "year": 2025, "zone": "GREEN"}),
            "zone",
        ),
        (
            json!({"districtId": district, "year": 2025, "bandCode": "A"}),
            "bandCode",
        ),
    ] {
        let refused = set_target(SEKDA_MATENG, input).await;
        assert_eq!(refused["userErrors"][0]["field"], json!(["input", field]));
    }
    // Neither an assessor, a viewer nor another district's Sekda sets it.
    for who in [ASSESSOR, VIEWER_MATENG, SEKDA_MAMUJU, RSUD_OFFICER] {
        let r = set_target(
            who,
            json!({"districtId": district, "year": 2024, "minTotal": 10}),
        )
        .await;
        assert!(r["scoreTarget"].is_null(), "{who}: {r}");
    }
    let board = kit
        .data(
            VIEWER_MATENG,
            r#"query($d: ID!, $o: ID!) {
                 d: node(id: $d) { ... on District { scoreTargets { year bandCode note }
                     targetProgress(year: 2024) { score met target { bandCode } } } }
                 o: node(id: $o) { ... on Opd { targetProgress(year: 2024) { score met gapToMinTotal } } } }"#,
            json!({"d": district, "o": rsud}),
        )
        .await;
    assert_eq!(
        board["d"]["scoreTargets"],
        json!([{"year": 2024, "bandCode": "A", "note": "Target RPJMD"}])
    );
    let progress = &board["d"]["targetProgress"];
    let score = progress["score"].as_f64().unwrap();
    assert_eq!(progress["met"], json!(score >= 88.0), "{progress}");
    let opd = &board["o"]["targetProgress"];
    assert_eq!(opd["met"], false, "{opd}");
    let gap = opd["gapToMinTotal"].as_f64().unwrap();
    assert!((opd["score"].as_f64().unwrap() - 99.5 - gap).abs() < 0.001);
}

#[tokio::test]
async fn the_way_to_tanpa_maladministrasi_counts_followed_up_products() {
    let kit = Kit::demo().await;
    let (district, rsud, _) = mateng(&kit, 2025).await;
    let board = kit
        .data(
            SEKDA_MATENG,
            r#"query($d: ID!, $o: ID!) {
                 d: node(id: $d) { ... on District { productFollowUp(year: 2025) {
                     total completed open rate allCompleted
                     openProducts { title origin productNumber productYear status opd { shortName } } } } }
                 o: node(id: $o) { ... on Opd { productFollowUp(year: 2025) { total completed open } } }
                 products: actionItems(filter: { origin: [CORRECTIVE_ACTION, IMPROVEMENT_SUGGESTION, REFINEMENT_SUGGESTION, RECOMMENDATION], productYear: 2025 }) { totalCount } }"#,
            json!({"d": district, "o": rsud}),
        )
        .await;
    let f = &board["d"]["productFollowUp"];
    assert_eq!(f["total"], 3, "{f}");
    assert_eq!(f["completed"], 2);
    assert_eq!(f["open"], 1);
    assert_eq!(f["allCompleted"], false);
    assert_eq!(f["openProducts"].as_array().unwrap().len(), 1);
    assert_eq!(f["openProducts"][0]["origin"], "CORRECTIVE_ACTION");
    assert_eq!(
        f["openProducts"][0]["opd"]["shortName"],
        "RSUD Mamuju Tengah"
    );
    assert!(
        f["openProducts"][0]["productNumber"]
            .as_str()
            .unwrap()
            .starts_with("LAHP")
    );
    assert_eq!(
        board["o"]["productFollowUp"],
        json!({"total": 1, "completed": 0, "open": 1})
    );
    assert_eq!(board["products"]["totalCount"], 3);
    // Another district's Sekda sees none of it.
    let other = kit
        .fetch(SEKDA_MAMUJU, r#"{ actionItems(filter: { origin: [CORRECTIVE_ACTION], productYear: 2025 }) { totalCount } }"#)
        .await;
    assert_eq!(other["actionItems"]["totalCount"], 0);
}

const RAISE: &str = r#"mutation($input: RaiseActionItemInput!) {
  raiseActionItem(input: $input) {
    actionItem { origin productNumber productYear milestone { id } }
    userErrors { field message code }
  }
}"#;

#[tokio::test]
async fn an_item_says_where_it_comes_from() {
    let kit = Kit::demo().await;
    let data = kit
        .fetch(ASSESSOR, r#"{ agreements(first: 50) { nodes { id status district { name } opds { id } milestones(first: 1) { nodes { id } } } } }"#)
        .await;
    let agreement = data["agreements"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["status"] == "ACTIVE" && a["district"]["name"] == MATENG)
        .unwrap()
        .clone();
    let base = json!({
        "agreementId": agreement["id"], "opdId": agreement["opds"][0]["id"],
        "title": "Temuan", "finding": "Uraian", "dueOn": "2026-12-30"
    });
    let with = |extra: Value| {
        let mut input = base.clone();
        input
            .as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        input
    };
    let raise = |input: Value| {
        let kit = &kit;
        async move { kit.mutate(ASSESSOR, RAISE, "raiseActionItem", input).await }
    };
    let product = raise(with(
        json!({"origin": "RECOMMENDATION", "productNumber": "REK/01/2026", "productYear": 2026}),
    ))
    .await;
    assert_eq!(product["userErrors"], json!([]), "{product}");
    assert_eq!(product["actionItem"]["origin"], "RECOMMENDATION");
    assert_eq!(product["actionItem"]["productNumber"], "REK/01/2026");
    assert_eq!(product["actionItem"]["productYear"], 2026);
    let no_number = raise(with(json!({"origin": "CORRECTIVE_ACTION"}))).await;
    assert_eq!(
        no_number["userErrors"][0]["field"],
        json!(["input", "productNumber"]),
        "{no_number}"
    );
    let visit_without_milestone = raise(with(json!({"origin": "VISIT_FINDING"}))).await;
    assert_eq!(
        visit_without_milestone["userErrors"][0]["field"],
        json!(["input", "milestoneId"])
    );
    let number_on_finding = raise(with(
        json!({"origin": "SELF_IDENTIFIED", "productNumber": "X"}),
    ))
    .await;
    assert_eq!(
        number_on_finding["userErrors"][0]["field"],
        json!(["input", "productNumber"])
    );
    let default = raise(with(
        json!({"milestoneId": agreement["milestones"]["nodes"][0]["id"]}),
    ))
    .await;
    assert_eq!(
        default["actionItem"]["origin"], "VISIT_FINDING",
        "{default}"
    );
    let plain = raise(base.clone()).await;
    assert_eq!(plain["actionItem"]["origin"], "SELF_IDENTIFIED", "{plain}");
}
