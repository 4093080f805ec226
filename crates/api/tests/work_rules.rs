//! Issue 14 through the API: reference data that changes, agreements edited
//! and amended in scope and terms, milestones within the period, due-date
//! extensions, evidence on an OPD's behalf, and "overdue is about whose move
//! it is". Runs on SQLite and PostgreSQL.

#![allow(
    clippy::unwrap_used,
    reason = "a test should fail loudly on an unexpected shape"
)]

mod common;

use common::*;
use serde_json::{Value, json};

async fn run(kit: &Kit, who: &str, query: &str, input: Value) -> Value {
    let response = kit.run_as(Some(who), query, json!({"input": input})).await;
    assert!(response.get("errors").is_none(), "{response:#}");
    response["data"].clone()
}

/// The Sekda's district.
async fn district_id(kit: &Kit) -> Value {
    kit.fetch(SEKDA_MATENG, "{ districts { nodes { id } } }")
        .await["districts"]["nodes"][0]["id"]
        .clone()
}

async fn opd_id(kit: &Kit, name: &str) -> Value {
    kit.data(
        SEKDA_MATENG,
        "query($n: String) { opds(filter: { nameContains: $n }, first: 1) { nodes { id } } }",
        json!({"n": name}),
    )
    .await["opds"]["nodes"][0]["id"]
        .clone()
}

#[tokio::test]
async fn the_sekda_records_a_merger_and_the_successor_carries_the_work() {
    let kit = Kit::demo().await;
    let district = district_id(&kit).await;
    let rsud = opd_id(&kit, "Rumah Sakit").await;
    let created = run(&kit, SEKDA_MATENG,
        "mutation($input: CreateOpdInput!) { createOpd(input: $input) { opd { id } userErrors { code } } }",
        json!({"districtId": district, "name": "Badan Layanan Umum Daerah RSUD", "kind": "HOSPITAL"})).await;
    let blud = created["createOpd"]["opd"]["id"].clone();
    let merged = run(
        &kit,
        SEKDA_MATENG,
        "mutation($input: RecordReorganisationInput!) { recordReorganisation(input: $input) {
            reorganisation { kind effectiveOn predecessors { id active } successors { id } }
            userErrors { field code message } } }",
        json!({"kind": "MERGER", "predecessorIds": [rsud], "successorIds": [blud],
               "effectiveOn": "2027-01-01", "reason": "Perda 3/2026"}),
    )
    .await;
    let payload = &merged["recordReorganisation"];
    assert_eq!(payload["userErrors"], json!([]), "{payload}");
    assert_eq!(
        payload["reorganisation"]["predecessors"][0]["active"],
        false
    );
    let after = kit
        .data(SEKDA_MATENG, "query($id: ID!) { node(id: $id) { ... on Opd { active predecessors { id scoreHistory { total } }
            actionItems(first: 50, filter: { status: [OPEN, IN_PROGRESS, SUBMITTED, REJECTED] }) { totalCount } } } }",
            json!({"id": blud}))
        .await;
    assert_eq!(after["node"]["active"], true);
    assert_eq!(after["node"]["predecessors"][0]["id"], rsud);
    assert!(
        !after["node"]["predecessors"][0]["scoreHistory"]
            .as_array()
            .unwrap()
            .is_empty(),
        "the predecessor's scores stay readable"
    );
    assert!(after["node"]["actionItems"]["totalCount"].as_i64().unwrap() > 0);
    let old = kit
        .data(SEKDA_MATENG, "query($id: ID!) { node(id: $id) { ... on Opd { active deactivatedAt successors { id } } } }", json!({"id": rsud}))
        .await;
    assert_eq!(old["node"]["successors"][0]["id"], blud);
    assert!(!old["node"]["deactivatedAt"].is_null());

    // Another district's coordinator cannot rename this district's OPDs.
    let foreign = run(&kit, SEKDA_MAMUJU,
        "mutation($input: UpdateOpdInput!) { updateOpd(input: $input) { opd { id } userErrors { field code } } }",
        json!({"id": blud, "name": "X"})).await;
    assert_eq!(foreign["updateOpd"]["userErrors"][0]["code"], "NOT_FOUND");
}

#[tokio::test]
async fn an_assessor_extends_a_due_date_and_the_history_shows_the_slip() {
    let kit = Kit::demo().await;
    let item = kit
        .first_item(RSUD_OFFICER, &["OPEN", "IN_PROGRESS"], "id version dueOn")
        .await;
    let due =
        chrono::NaiveDate::parse_from_str(item["dueOn"].as_str().unwrap(), "%Y-%m-%d").unwrap();
    let new_date = (due + chrono::Days::new(30)).to_string();
    let query = "mutation($input: ExtendActionItemDueDateInput!) { extendActionItemDueDate(input: $input) {
        actionItem { dueOn slipDays version dueDateChanges { oldDate newDate slipDays reason changedBy { email } } }
        userErrors { field code message } } }";
    let input = json!({"id": item["id"], "version": item["version"], "newDate": new_date, "reason": "Menunggu APBD Perubahan"});
    let refused = run(&kit, RSUD_OFFICER, query, input.clone()).await;
    assert_eq!(
        refused["extendActionItemDueDate"]["userErrors"][0]["code"],
        "FORBIDDEN"
    );
    let done = run(&kit, ASSESSOR, query, input.clone()).await;
    let payload = &done["extendActionItemDueDate"];
    assert_eq!(payload["userErrors"], json!([]), "{payload}");
    assert_eq!(payload["actionItem"]["dueOn"], new_date.as_str());
    assert_eq!(payload["actionItem"]["slipDays"], 30);
    let change = &payload["actionItem"]["dueDateChanges"][0];
    assert_eq!(change["oldDate"], item["dueOn"]);
    assert_eq!(change["slipDays"], 30);
    assert_eq!(change["changedBy"]["email"], ASSESSOR);
    let stale = run(&kit, ASSESSOR, query, input).await;
    assert_eq!(
        stale["extendActionItemDueDate"]["userErrors"][0]["code"],
        "CONFLICT"
    );
}

#[tokio::test]
async fn a_submitted_item_is_not_overdue_and_shows_how_long_it_waits() {
    let kit = Kit::demo().await;
    let items = kit
        .fetch(ADMIN, "{ actionItems(filter: { status: [SUBMITTED] }, first: 50) { nodes { dueOn submittedAt isOverdue daysOverdue awaitingVerificationDays } } }")
        .await;
    let nodes = items["actionItems"]["nodes"].as_array().unwrap();
    assert!(!nodes.is_empty(), "the demo has submitted items");
    let wita = pendamping_domain::reference::TimeZone::Wita;
    let today_wita = wita.today(demo_now());
    for node in nodes {
        assert_eq!(node["isOverdue"], false, "{node}");
        assert_eq!(node["daysOverdue"], 0);
        let submitted = wita.today(
            chrono::DateTime::parse_from_rfc3339(node["submittedAt"].as_str().unwrap())
                .unwrap()
                .with_timezone(&chrono::Utc),
        );
        assert_eq!(
            node["awaitingVerificationDays"].as_i64().unwrap(),
            (today_wita - submitted).num_days(),
            "{node}"
        );
    }
    // The overdue filter leaves them out too.
    let overdue = kit
        .fetch(
            ADMIN,
            "{ actionItems(filter: { overdue: true }, first: 100) { nodes { status } } }",
        )
        .await;
    assert!(elements(&overdue["actionItems"]["nodes"]).all(|n| n["status"] != "SUBMITTED"));
}

#[tokio::test]
async fn drafts_are_edited_amendments_change_scope_and_milestones_stay_in_the_period() {
    let kit = Kit::demo().await;
    let district = district_id(&kit).await;
    let rsud = opd_id(&kit, "Rumah Sakit").await;
    let dinsos = opd_id(&kit, "Dinas Sosial").await;
    let draft = run(&kit, ASSESSOR,
        "mutation($input: CreateAgreementInput!) { createAgreement(input: $input) { agreement { id version } userErrors { code } } }",
        json!({"districtId": district, "title": "PKS 2027", "periodStart": "2027-01-01", "periodEnd": "2027-12-31", "opdIds": [rsud]})).await;
    let agreement = draft["createAgreement"]["agreement"].clone();
    let edit = "mutation($input: UpdateAgreementDraftInput!) { updateAgreementDraft(input: $input) {
        agreement { title periodStart periodEnd version opds { id } } userErrors { field code message } } }";
    let edited = run(
        &kit,
        ASSESSOR,
        edit,
        json!({"id": agreement["id"], "version": agreement["version"],
        "title": "PKS Pendampingan 2027", "periodEnd": "2028-03-31", "opdIds": [rsud, dinsos]}),
    )
    .await;
    let payload = &edited["updateAgreementDraft"];
    assert_eq!(payload["userErrors"], json!([]), "{payload}");
    assert_eq!(payload["agreement"]["title"], "PKS Pendampingan 2027");
    assert_eq!(payload["agreement"]["periodEnd"], "2028-03-31");
    assert_eq!(payload["agreement"]["opds"].as_array().unwrap().len(), 2);
    let stale = run(
        &kit,
        ASSESSOR,
        edit,
        json!({"id": agreement["id"], "version": agreement["version"], "title": "X"}),
    )
    .await;
    assert_eq!(
        stale["updateAgreementDraft"]["userErrors"][0]["code"],
        "CONFLICT"
    );

    let milestone = "mutation($input: AddMilestoneInput!) { addMilestone(input: $input) { milestone { id } userErrors { field code message } } }";
    let outside = run(
        &kit,
        ASSESSOR,
        milestone,
        json!({"agreementId": agreement["id"], "kind": "MONITORING_VISIT",
        "title": "Monitoring", "plannedOn": "2028-05-01"}),
    )
    .await;
    let errors = &outside["addMilestone"]["userErrors"];
    assert_eq!(
        errors[0]["field"],
        json!(["input", "plannedOn"]),
        "{errors}"
    );
    assert_eq!(errors[0]["code"], "BAD_USER_INPUT");
    assert!(
        errors[0]["message"]
            .as_str()
            .unwrap()
            .contains("2027-01-01 to 2028-03-31")
    );

    // An amendment of an active agreement brings an OPD in and rewrites the terms.
    let active = kit
        .data(LEAD, "query($d: ID!) { agreements(filter: { districtId: $d, status: [ACTIVE] }, first: 1) { nodes { id version } } }", json!({"d": district}))
        .await["agreements"]["nodes"][0]
        .clone();
    let kominfo = run(&kit, SEKDA_MATENG,
        "mutation($input: CreateOpdInput!) { createOpd(input: $input) { opd { id } userErrors { code } } }",
        json!({"districtId": district, "name": "Dinas Komunikasi dan Informatika", "kind": "DEPARTMENT"})).await["createOpd"]["opd"]["id"]
        .clone();
    let amended = run(&kit, LEAD,
        "mutation($input: RecordAmendmentInput!) { recordAmendment(input: $input) {
            agreement { opds { id } amendments { number terms addedOpds { id } removedOpds { id } } } userErrors { field code message } } }",
        json!({"id": active["id"], "version": active["version"], "number": "ADD/03/2026", "signedOn": "2026-11-20",
               "summary": "Perluasan OPD", "terms": "Pasal 2 diubah", "addOpdIds": [kominfo]})).await;
    let payload = &amended["recordAmendment"];
    assert_eq!(payload["userErrors"], json!([]), "{payload}");
    let last = payload["agreement"]["amendments"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(last["terms"], "Pasal 2 diubah");
    assert_eq!(last["addedOpds"][0]["id"], kominfo);
    assert!(elements(&payload["agreement"]["opds"]).any(|o| o["id"] == kominfo));
}

#[tokio::test]
async fn a_coordinator_adds_evidence_on_behalf_of_an_opd() {
    let kit = Kit::demo().await;
    let item = kit
        .first_item(SEKDA_MATENG, &["OPEN", "IN_PROGRESS"], "id opd { id }")
        .await;
    let added = run(&kit, SEKDA_MATENG,
        "mutation($input: AddEvidenceInput!) { addEvidence(input: $input) { evidence { uploadedBy { email } } userErrors { code } } }",
        json!({"actionItemId": item["id"], "url": "https://example.org/sk-bupati.pdf", "name": "SK Bupati"})).await;
    assert_eq!(
        added["addEvidence"]["evidence"]["uploadedBy"]["email"],
        SEKDA_MATENG
    );
    let viewer = run(&kit, VIEWER_MATENG,
        "mutation($input: AddEvidenceInput!) { addEvidence(input: $input) { evidence { name } userErrors { code } } }",
        json!({"actionItemId": item["id"], "url": "https://example.org/x.pdf", "name": "X"})).await;
    assert_eq!(viewer["addEvidence"]["userErrors"][0]["code"], "FORBIDDEN");
}
