//! Recording and correcting scores: weights come from the methodology, bad
//! values are refused by field, corrections append revisions.

#![allow(
    clippy::unwrap_used,
    reason = "a test should fail loudly on an unexpected shape"
)]

mod common;

use common::*;
use serde_json::{Value, json};

const RECORD: &str = r#"mutation($input: RecordScoreInput!) {
  recordScore(input: $input) {
    scoreRecord { id total computedTotal bandCode revision isCurrent band { zone } dimensionValues { code value } methodology { code } }
    userErrors { field message code }
  }
}"#;

const CORRECT: &str = r#"mutation($input: CorrectScoreInput!) {
  correctScore(input: $input) {
    scoreRecord { id total bandCode revision isCurrent correctionReason }
    userErrors { field message code }
  }
}"#;

struct Ids {
    period_2024: String,
    period_2021: String,
    mateng: String,
    /// An OPD of Mamuju Tengah without a 2024 mentoring check.
    opd: String,
}

async fn ids(kit: &Kit) -> Ids {
    let data = kit
        .fetch(
            ADMIN,
            r#"{ assessmentPeriods { nodes { id year } }
                 districts(first: 20) { nodes { id name opds(first: 1) { nodes { id } } } } }"#,
        )
        .await;
    let period = |year: i64| {
        find(&data["assessmentPeriods"]["nodes"], "year", year)["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let mateng = find(&data["districts"]["nodes"], "name", MATENG).clone();
    Ids {
        period_2024: period(2024),
        period_2021: period(2021),
        mateng: mateng["id"].as_str().unwrap().to_owned(),
        opd: mateng["opds"]["nodes"][0]["id"]
            .as_str()
            .unwrap()
            .to_owned(),
    }
}

fn payload(response: &Value, field: &str) -> Value {
    assert!(response.get("errors").is_none(), "{response:#}");
    response["data"][field].clone()
}

#[tokio::test]
async fn the_total_is_the_methodologys_weighted_sum() {
    let kit = Kit::demo().await;
    let ids = ids(&kit).await;
    let dims = json!([
        {"code": "INPUT", "value": 90.0},
        {"code": "PROSES", "value": 80.0},
        {"code": "OUTPUT", "value": 70.0},
        {"code": "PENGADUAN", "value": 60.0}
    ]);
    let response = kit
        .run_as(
            Some(ASSESSOR),
            RECORD,
            json!({"input": {
            "periodId": ids.period_2024, "districtId": ids.mateng, "opdId": ids.opd,
            "kind": "MENTORING_CHECK", "dimensions": dims }}),
        )
        .await;
    let p = payload(&response, "recordScore");
    assert_eq!(p["userErrors"], json!([]));
    // Computed independently: 90×21.85% + 80×32.37% + 70×24.24% + 60×21.54% = 75.453 → 75.45.
    let expected =
        ((90.0 * 21.85 + 80.0 * 32.37 + 70.0 * 24.24 + 60.0 * 21.54) / 100.0_f64 * 100.0).round()
            / 100.0;
    assert_eq!(p["scoreRecord"]["total"], expected);
    assert_eq!(p["scoreRecord"]["computedTotal"], expected);
    assert_eq!(p["scoreRecord"]["bandCode"], "C");
    assert_eq!(p["scoreRecord"]["band"]["zone"], "YELLOW");
    assert_eq!(p["scoreRecord"]["methodology"]["code"], "PKP-2022");
    assert_eq!(p["scoreRecord"]["revision"], 1);

    // The same subject, period and kind again is refused.
    let again = kit
        .run_as(
            Some(ASSESSOR),
            RECORD,
            json!({"input": {
            "periodId": ids.period_2024, "districtId": ids.mateng, "opdId": ids.opd,
            "kind": "MENTORING_CHECK", "total": 80.0 }}),
        )
        .await;
    assert_eq!(
        payload(&again, "recordScore")["userErrors"][0]["code"],
        "BAD_USER_INPUT"
    );
}

#[tokio::test]
async fn a_published_total_is_kept_as_published_beside_the_computed_one() {
    let kit = Kit::demo().await;
    let ids = ids(&kit).await;
    let response = kit
        .run_as(Some(ASSESSOR), RECORD, json!({"input": {
            "periodId": ids.period_2024, "districtId": ids.mateng, "opdId": ids.opd, "kind": "SELF_ASSESSMENT",
            "total": 88.0,
            "dimensions": [{"code": "INPUT", "value": 90}, {"code": "PROSES", "value": 85}, {"code": "OUTPUT", "value": 86}, {"code": "PENGADUAN", "value": 88}] }}))
        .await;
    let record = payload(&response, "recordScore")["scoreRecord"].clone();
    assert_eq!(record["total"], 88.0);
    assert_eq!(record["bandCode"], "A");
    assert_ne!(record["computedTotal"], 88.0);
}

#[tokio::test]
async fn bad_values_are_refused_naming_the_field() {
    let kit = Kit::demo().await;
    let ids = ids(&kit).await;
    let cases = [
        (
            json!({"periodId": ids.period_2024, "districtId": ids.mateng, "kind": "OFFICIAL",
                "dimensions": [{"code": "INPUT", "value": 90}]}),
            "dimensions",
        ),
        (
            json!({"periodId": ids.period_2024, "districtId": ids.mateng, "kind": "OFFICIAL",
                "dimensions": [{"code": "INPUT", "value": 101}]}),
            "dimensions.0.value",
        ),
        (
            json!({"periodId": ids.period_2024, "districtId": ids.mateng, "kind": "OFFICIAL", "total": -1}),
            "total",
        ),
        (
            json!({"periodId": ids.period_2021, "districtId": ids.mateng, "kind": "MENTORING_CHECK",
                "dimensions": [{"code": "INPUT", "value": 90}]}),
            "dimensions",
        ),
        (
            json!({"periodId": ids.period_2021, "districtId": ids.mateng, "kind": "MENTORING_CHECK"}),
            "total",
        ),
        (
            json!({"periodId": ids.mateng, "districtId": ids.mateng, "kind": "OFFICIAL", "total": 50}),
            "periodId",
        ),
    ];
    for (input, field) in cases {
        let response = kit
            .run_as(Some(ASSESSOR), RECORD, json!({"input": input}))
            .await;
        let errors = payload(&response, "recordScore")["userErrors"].clone();
        assert_eq!(errors[0]["code"], "BAD_USER_INPUT", "{input}: {errors}");
        assert_eq!(
            errors[0]["field"],
            json!(["input", field]),
            "{input}: {errors}"
        );
    }
}

#[tokio::test]
async fn a_correction_appends_a_revision_and_keeps_the_old_one() {
    let kit = Kit::demo().await;
    let ids = ids(&kit).await;
    let first = kit
        .run_as(Some(ASSESSOR), RECORD, json!({"input": {
            "periodId": ids.period_2021, "districtId": ids.mateng, "opdId": ids.opd, "kind": "MENTORING_CHECK", "total": 50.99 }}))
        .await;
    let first = payload(&first, "recordScore")["scoreRecord"].clone();
    assert_eq!(first["bandCode"], "MERAH");

    let no_reason = kit
        .run_as(
            Some(ASSESSOR),
            CORRECT,
            json!({"input": {"scoreRecordId": first["id"], "total": 51.0, "reason": " "}}),
        )
        .await;
    assert_eq!(
        payload(&no_reason, "correctScore")["userErrors"][0]["field"],
        json!(["input", "reason"])
    );

    let corrected = kit
        .run_as(Some(ASSESSOR), CORRECT, json!({"input": {"scoreRecordId": first["id"], "total": 51.0, "reason": "typo in the form"}}))
        .await;
    let corrected = payload(&corrected, "correctScore")["scoreRecord"].clone();
    assert_eq!(corrected["revision"], 2);
    assert_eq!(corrected["bandCode"], "KUNING");
    assert_eq!(corrected["correctionReason"], "typo in the form");

    // Correcting the superseded revision is a conflict.
    let stale = kit
        .run_as(
            Some(ASSESSOR),
            CORRECT,
            json!({"input": {"scoreRecordId": first["id"], "total": 52.0, "reason": "again"}}),
        )
        .await;
    assert_eq!(
        payload(&stale, "correctScore")["userErrors"][0]["code"],
        "CONFLICT"
    );

    let history = kit
        .data(ADMIN, r#"query($o: ID!) {
            current: scoreRecords(filter: { opdId: $o, kind: MENTORING_CHECK }) { nodes { total revision } }
            all: scoreRecords(filter: { opdId: $o, kind: MENTORING_CHECK, includeSuperseded: true }) { nodes { total revision isCurrent } } }"#,
            json!({"o": ids.opd}))
        .await;
    let current: Vec<&Value> = history["current"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["revision"] == 2 || n["total"] == 50.99)
        .collect();
    assert_eq!(current.len(), 1);
    assert_eq!(current[0]["total"], 51.0);
    let all = history["all"]["nodes"].as_array().unwrap();
    assert!(
        all.iter()
            .any(|n| n["total"] == 50.99 && n["isCurrent"] == false)
    );
}

#[tokio::test]
async fn only_assessors_of_the_office_and_admins_record_scores() {
    let kit = Kit::demo().await;
    let ids = ids(&kit).await;
    let opds = kit
        .data(
            ADMIN,
            "query($d: ID!) { opds(filter: { districtId: $d }, first: 10) { nodes { id } } }",
            json!({"d": ids.mateng}),
        )
        .await;
    let opds = opds["opds"]["nodes"].as_array().unwrap().clone();
    let callers = [
        (ADMIN, true),
        (ASSESSOR, true),
        (LEAD, false),
        (SEKDA_MATENG, false),
        (RSUD_OFFICER, false),
        (VIEWER_MATENG, false),
    ];
    // Each caller scores a different OPD, so an allowed call is always a first revision.
    for ((who, allowed), opd) in callers.into_iter().zip(opds.iter()) {
        let response = kit
            .run_as(
                Some(who),
                RECORD,
                json!({"input": {
                "periodId": ids.period_2024, "districtId": ids.mateng, "opdId": opd["id"],
                "kind": "MENTORING_CHECK", "total": 70 }}),
            )
            .await;
        let errors = payload(&response, "recordScore")["userErrors"].clone();
        if allowed {
            assert_eq!(errors, json!([]), "{who}");
        } else {
            assert_eq!(errors[0]["code"], "FORBIDDEN", "{who}: {errors}");
        }
    }
}

const CREATE_METHODOLOGY: &str = r#"mutation($input: CreateMethodologyInput!) {
  createMethodology(input: $input) {
    methodology { code firstYear dimensions { code weightPercent } bands { code min max zone } }
    userErrors { field message code }
  }
}"#;

const CREATE_PERIOD: &str = r#"mutation($input: CreateAssessmentPeriodInput!) {
  createAssessmentPeriod(input: $input) {
    assessmentPeriod { id year methodology { code } }
    userErrors { field message code }
  }
}"#;

/// A future version with confirmed weights (OPINI-2025 itself is built in,
/// its total recorded as published): the PKP-2022 grades and weights.
fn opini_2025() -> Value {
    json!({
        "code": "OPINI-2027",
        "name": "Opini Ombudsman (bobot terkonfirmasi)",
        "description": "Peraturan Ombudsman 61/2025, weights confirmed.",
        "firstYear": 2027,
        "dimensions": [
            {"code": "INPUT", "name": "Input", "weightPercent": 21.85},
            {"code": "PROSES", "name": "Proses", "weightPercent": 32.37},
            {"code": "OUTPUT", "name": "Output", "weightPercent": 24.24},
            {"code": "PENGADUAN", "name": "Pengaduan", "weightPercent": 21.54}
        ],
        "bands": [
            {"code": "A", "label": "Kualitas Tertinggi", "min": 88, "max": 100, "zone": "GREEN"},
            {"code": "B", "label": "Kualitas Tinggi", "min": 78, "max": 87.99, "zone": "GREEN"},
            {"code": "C", "label": "Kualitas Sedang", "min": 54, "max": 77.99, "zone": "YELLOW"},
            {"code": "D", "label": "Kualitas Rendah", "min": 32, "max": 53.99, "zone": "RED"},
            {"code": "E", "label": "Kualitas Terendah", "min": 0, "max": 31.99, "zone": "RED"}
        ]
    })
}

#[tokio::test]
async fn a_new_methodology_version_and_its_period_are_added_as_data() {
    let kit = Kit::demo().await;
    let created = payload(
        &kit.run_as(
            Some(ADMIN),
            CREATE_METHODOLOGY,
            json!({"input": opini_2025()}),
        )
        .await,
        "createMethodology",
    );
    assert_eq!(created["userErrors"], json!([]), "{created}");
    assert_eq!(
        created["methodology"]["dimensions"][1]["weightPercent"],
        32.37
    );

    let period = payload(
        &kit.run_as(
            Some(ADMIN),
            CREATE_PERIOD,
            json!({"input": {"year": 2027, "name": "Opini Ombudsman 2027", "methodologyCode": "OPINI-2027"}}),
        )
        .await,
        "createAssessmentPeriod",
    );
    assert_eq!(period["userErrors"], json!([]), "{period}");
    assert_eq!(
        period["assessmentPeriod"]["methodology"]["code"],
        "OPINI-2027"
    );

    // A score of the new period is weighed and classified by the new version.
    let ids = ids(&kit).await;
    let recorded = payload(
        &kit.run_as(
            Some(ASSESSOR),
            RECORD,
            json!({"input": {
                "periodId": period["assessmentPeriod"]["id"], "districtId": ids.mateng,
                "opdId": ids.opd, "kind": "OFFICIAL",
                "dimensions": [
                    {"code": "INPUT", "value": 90}, {"code": "PROSES", "value": 90},
                    {"code": "OUTPUT", "value": 90}, {"code": "PENGADUAN", "value": 80}
                ]
            }}),
        )
        .await,
        "recordScore",
    );
    assert_eq!(recorded["userErrors"], json!([]), "{recorded}");
    // 90 × 78.46 % + 80 × 21.54 % = 87.846 → 87.85, grade B.
    assert_eq!(recorded["scoreRecord"]["total"], 87.85);
    assert_eq!(recorded["scoreRecord"]["bandCode"], "B");
    assert_eq!(recorded["scoreRecord"]["methodology"]["code"], "OPINI-2027");

    let classified = kit
        .fetch(
            ADMIN,
            r#"{ methodology(code: "OPINI-2027") { classify(total: 88.0) { code } } }"#,
        )
        .await;
    assert_eq!(classified["methodology"]["classify"]["code"], "A");
}

#[tokio::test]
async fn a_methodology_that_does_not_add_up_is_refused_naming_the_field() {
    let kit = Kit::demo().await;
    let refused = |input: Value| {
        let kit = &kit;
        async move {
            payload(
                &kit.run_as(Some(ADMIN), CREATE_METHODOLOGY, json!({"input": input}))
                    .await,
                "createMethodology",
            )["userErrors"][0]
                .clone()
        }
    };
    let mut gap = opini_2025();
    gap["bands"][1]["max"] = json!(87.0);
    assert_eq!(refused(gap).await["field"], json!(["input", "bands"]));

    let mut weights = opini_2025();
    weights["dimensions"][0]["weightPercent"] = json!(20.0);
    let error = refused(weights).await;
    assert_eq!(error["field"], json!(["input", "dimensions"]));
    assert!(
        error["message"].as_str().unwrap().contains("98.15"),
        "{error}"
    );

    let mut existing = opini_2025();
    existing["code"] = json!("KSP-2021");
    assert_eq!(refused(existing).await["field"], json!(["input", "code"]));

    let mut out_of_range = opini_2025();
    out_of_range["bands"][0]["max"] = json!(100.5);
    assert_eq!(
        refused(out_of_range).await["field"],
        json!(["input", "bands.0.max"])
    );

    let taken = payload(
        &kit.run_as(
            Some(ADMIN),
            CREATE_PERIOD,
            json!({"input": {"year": 2021, "name": "Lagi", "methodologyCode": "KSP-2021"}}),
        )
        .await,
        "createAssessmentPeriod",
    );
    assert_eq!(taken["userErrors"][0]["field"], json!(["input", "year"]));

    let forbidden = payload(
        &kit.run_as(
            Some(ASSESSOR),
            CREATE_METHODOLOGY,
            json!({"input": opini_2025()}),
        )
        .await,
        "createMethodology",
    );
    assert_eq!(forbidden["userErrors"][0]["code"], "FORBIDDEN");
    let none = kit.fetch(ADMIN, r#"{ methodologies { code } }"#).await;
    assert_eq!(
        none["methodologies"].as_array().unwrap().len(),
        3,
        "nothing half-written (KSP-2021, PKP-2022 and the built-in OPINI-2025)"
    );
}

#[tokio::test]
async fn a_score_history_can_be_cut_to_years_keeping_the_change_since_the_period_before() {
    let kit = Kit::demo().await;
    let query = r#"query($cut: Boolean!) { opds(filter: { nameContains: "Kependudukan" }, first: 1) { nodes {
        all: scoreHistory { period { year } total change }
        cut: scoreHistory(from: 2021, to: 2023) @include(if: $cut) { period { year } total change }
        last: scoreHistory(last: 2) @include(if: $cut) { period { year } }
    } } }"#;
    let data = kit.data(ADMIN, query, json!({"cut": true})).await;
    let opd = &data["opds"]["nodes"][0];
    let years = |list: &Value| -> Vec<i64> {
        list.as_array()
            .unwrap()
            .iter()
            .map(|e| e["period"]["year"].as_i64().unwrap())
            .collect()
    };
    let all = years(&opd["all"]);
    assert!(all.contains(&2019) && all.contains(&2024), "{all:?}");
    assert_eq!(years(&opd["cut"]), vec![2021, 2022, 2023]);
    assert_eq!(years(&opd["last"]), all[all.len() - 2..].to_vec());
    let full_2021 = opd["all"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["period"]["year"] == 2021)
        .unwrap();
    assert_eq!(opd["cut"][0]["change"], full_2021["change"]);
    assert!(
        !opd["cut"][0]["change"].is_null(),
        "2021 compares with 2019"
    );
}
