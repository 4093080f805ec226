//! The workflows over GraphQL, as the demo users would take them.

#![allow(
    clippy::unwrap_used,
    reason = "a test should fail loudly on an unexpected shape"
)]

mod common;

use common::*;
use serde_json::{Value, json};

const ITEM: &str = r#"query($id: ID!) { node(id: $id) { ... on ActionItem {
    id status version rejectionCount submittedBy { displayName } verifiedBy { displayName }
    availableActions { action enabled reason }
    history { action reason actorLabel } } } }"#;

fn mutation(name: &str, input_type: &str, object: &str) -> String {
    format!(
        "mutation($input: {input_type}!) {{ {name}(input: $input) {{ {object} {{ id status version }} userErrors {{ field message code }} }} }}"
    )
}

async fn item(kit: &Kit, who: &str, id: &str) -> Value {
    kit.data(who, ITEM, json!({"id": id})).await["node"].clone()
}

/// The first action item of the RSUD of Mamuju Tengah in `status`.
async fn rsud_item(kit: &Kit, status: &str) -> Value {
    kit.first_item(RSUD_OFFICER, &[status], "id version").await
}

async fn take(
    kit: &Kit,
    who: &str,
    name: &str,
    input_type: &str,
    object: &str,
    input: Value,
) -> Value {
    let response = kit
        .run_as(
            Some(who),
            &mutation(name, input_type, object),
            json!({"input": input}),
        )
        .await;
    assert!(response.get("errors").is_none(), "{name}: {response:#}");
    response["data"][name].clone()
}

/// Takes the item step `name` (a `WorkflowActionInput`) as `who` on `item`
/// as last read (its id and version).
async fn step(kit: &Kit, who: &str, name: &str, item: &Value) -> Value {
    let input = json!({"id": item["id"], "version": item["version"]});
    take(kit, who, name, "WorkflowActionInput", "actionItem", input).await
}

/// The agreements `who` sees in `status` (e.g. `ACTIVE`), with `fields`.
async fn agreements_in(kit: &Kit, who: &str, status: &str, fields: &str) -> Value {
    let query =
        format!("{{ agreements(filter: {{ status: [{status}] }}) {{ nodes {{ {fields} }} }} }}");
    kit.fetch(who, &query).await["agreements"]["nodes"].clone()
}

/// Signs an agreement as `who` with `input` (a `SignAgreementInput`).
async fn sign(kit: &Kit, who: &str, input: Value) -> Value {
    take(
        kit,
        who,
        "signAgreement",
        "SignAgreementInput",
        "agreement",
        input,
    )
    .await
}

fn enabled(item: &Value, action: &str) -> bool {
    elements(&item["availableActions"]).any(|a| a["action"] == action && a["enabled"] == true)
}

#[tokio::test]
async fn the_rsud_carries_an_item_from_open_to_verified_and_every_step_is_in_its_history() {
    let kit = Kit::demo().await;
    let open = rsud_item(&kit, "OPEN").await;
    let id = open["id"].as_str().unwrap().to_owned();

    let before = item(&kit, RSUD_OFFICER, &id).await;
    assert!(enabled(&before, "START"));
    assert!(!enabled(&before, "VERIFY"));
    assert_eq!(
        before["availableActions"].as_array().unwrap().len(),
        pendamping_domain::lifecycle::ACTION_ITEM.actions.len(),
        "every action is listed"
    );

    let started = step(&kit, RSUD_OFFICER, "startActionItem", &before).await;
    assert_eq!(started["userErrors"], json!([]));
    assert_eq!(started["actionItem"]["status"], "IN_PROGRESS");

    // Submitting without evidence is refused with the reason.
    let submit = || {
        step(
            &kit,
            RSUD_OFFICER,
            "submitActionItem",
            &started["actionItem"],
        )
    };
    let early = submit().await;
    assert_eq!(early["userErrors"][0]["code"], "INVALID_TRANSITION");
    assert_eq!(
        early["userErrors"][0]["message"],
        "submit needs at least one evidence"
    );

    let evidence = kit
        .run_as(Some(RSUD_OFFICER), "mutation($i: ID!) { addEvidence(input: { actionItemId: $i, url: \"https://example.org/sop-pengaduan.pdf\", name: \"SOP Pengaduan\" }) { evidence { id } userErrors { code message } } }", json!({"i": id}))
        .await;
    assert_eq!(
        evidence["data"]["addEvidence"]["userErrors"],
        json!([]),
        "{evidence}"
    );

    let submitted = submit().await;
    assert_eq!(submitted["userErrors"], json!([]));
    assert_eq!(submitted["actionItem"]["status"], "SUBMITTED");

    // The OPD cannot verify its own work; the assessor can.
    let verify = |who| step(&kit, who, "verifyActionItem", &submitted["actionItem"]);
    let self_verify = verify(RSUD_OFFICER).await;
    assert_eq!(self_verify["userErrors"][0]["code"], "FORBIDDEN");
    let verified = verify(ASSESSOR).await;
    assert_eq!(verified["userErrors"], json!([]));
    assert_eq!(verified["actionItem"]["status"], "VERIFIED");

    let after = item(&kit, SEKDA_MATENG, &id).await;
    assert_eq!(
        after["submittedBy"]["displayName"],
        "Petugas RSUD Mamuju Tengah"
    );
    // The assessor's scope (the office) lies outside the Sekda's reach: the
    // user is not shown (issue 13, item 5), the history's label still names it.
    assert_eq!(after["verifiedBy"], Value::Null);
    assert!(elements(&after["history"]).any(|e| e["actorLabel"] == "Asisten Ombudsman"));
    let by_lead = item(&kit, LEAD, &id).await;
    assert_eq!(by_lead["verifiedBy"]["displayName"], "Asisten Ombudsman");
    let actions: Vec<&str> = texts(&after["history"], "action");
    let tail: Vec<&str> = actions.iter().rev().take(4).rev().copied().collect();
    assert_eq!(
        tail,
        [
            "ACTION_ITEM_STARTED",
            "EVIDENCE_ADDED",
            "ACTION_ITEM_SUBMITTED",
            "ACTION_ITEM_VERIFIED"
        ]
    );
    assert!(elements(&after["availableActions"]).all(|a| a["enabled"] == false));
}

#[tokio::test]
async fn a_stale_version_is_a_conflict_and_changes_nothing() {
    let kit = Kit::demo().await;
    let open = rsud_item(&kit, "OPEN").await;
    let id = open["id"].as_str().unwrap();
    let version = open["version"].as_i64().unwrap();
    let stale = step(
        &kit,
        RSUD_OFFICER,
        "startActionItem",
        &json!({"id": id, "version": version - 1 + 10}),
    )
    .await;
    assert_eq!(stale["userErrors"][0]["code"], "CONFLICT");
    assert!(
        stale["userErrors"][0]["message"]
            .as_str()
            .unwrap()
            .contains(&format!("version {version}")),
        "{stale}"
    );
    let unchanged = item(&kit, RSUD_OFFICER, id).await;
    assert_eq!(unchanged["status"], "OPEN");
    assert_eq!(unchanged["version"], version);
    assert!(elements(&unchanged["history"]).all(|e| e["action"] != "ACTION_ITEM_STARTED"));
}

#[tokio::test]
async fn rejection_needs_a_reason_is_counted_and_resumed() {
    let kit = Kit::demo().await;
    let submitted = kit
        .first_item(ASSESSOR, &["SUBMITTED"], "id version rejectionCount")
        .await;
    let id = submitted["id"].as_str().unwrap();
    let reject = |reason| {
        let input = json!({"id": id, "version": submitted["version"], "reason": reason});
        take(
            &kit,
            ASSESSOR,
            "rejectActionItem",
            "ReasonedActionInput",
            "actionItem",
            input,
        )
    };
    let blank = reject("  ").await;
    assert_eq!(blank["userErrors"][0]["field"], json!(["input", "reason"]));
    let rejected = reject("Foto bukti tidak terbaca").await;
    assert_eq!(rejected["actionItem"]["status"], "REJECTED");
    let after = item(&kit, ASSESSOR, id).await;
    assert_eq!(
        after["rejectionCount"],
        submitted["rejectionCount"].as_i64().unwrap() + 1
    );
    let last = after["history"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["action"], "ACTION_ITEM_REJECTED");
    assert_eq!(last["reason"], "Foto bukti tidak terbaca");
}

#[tokio::test]
async fn coordinators_take_no_action_and_other_opds_see_nothing() {
    let kit = Kit::demo().await;
    let open = rsud_item(&kit, "OPEN").await;
    let forbidden = step(&kit, SEKDA_MATENG, "startActionItem", &open).await;
    assert_eq!(forbidden["userErrors"][0]["code"], "FORBIDDEN");
    let hidden = step(&kit, DUKCAPIL_OFFICER, "startActionItem", &open).await;
    assert_eq!(hidden["userErrors"][0]["code"], "NOT_FOUND");
}

#[tokio::test]
async fn milestones_keep_their_slips_and_agreements_complete_only_when_milestones_are_closed() {
    let kit = Kit::demo().await;
    // A milestone moves only within its agreement's period: the lead extends
    // the period by an amendment first (as an office would).
    let active = agreements_in(&kit, LEAD, "ACTIVE", "id version").await;
    for a in active.as_array().unwrap() {
        let amended = take(&kit, LEAD, "recordAmendment", "RecordAmendmentInput", "agreement",
            json!({"id": a["id"], "version": a["version"], "number": "ADD/UJI/2026", "signedOn": "2026-11-01",
                   "summary": "Perpanjangan jangka waktu", "newPeriodEnd": "2027-12-31"})).await;
        assert_eq!(amended["userErrors"], json!([]), "{amended}");
    }
    let fields = "id version title
            milestones(first: 50) { nodes { id version status plannedOn reschedules { oldDate } } }";
    let agreement = agreements_in(&kit, ASSESSOR, "ACTIVE", fields)
        .await
        .as_array()
        .unwrap()
        .iter()
        .find(|a| elements(&a["milestones"]["nodes"]).any(|m| m["status"] == "PLANNED"))
        .unwrap()
        .clone();
    let planned = find(&agreement["milestones"]["nodes"], "status", "PLANNED").clone();
    let slips = planned["reschedules"].as_array().unwrap().len();
    let moved = take(&kit, ASSESSOR, "rescheduleMilestone", "RescheduleMilestoneInput", "milestone",
        json!({"id": planned["id"], "version": planned["version"], "newDate": "2027-02-15", "reason": "Menunggu anggaran perubahan"})).await;
    assert_eq!(moved["userErrors"], json!([]), "{moved}");
    let after = kit
        .data(ASSESSOR, "query($id: ID!) { node(id: $id) { ... on Milestone { plannedOn status reschedules { oldDate newDate reason } } } }", json!({"id": planned["id"]}))
        .await;
    let reschedules = after["node"]["reschedules"].as_array().unwrap();
    assert_eq!(reschedules.len(), slips + 1);
    assert_eq!(reschedules.last().unwrap()["oldDate"], planned["plannedOn"]);
    assert_eq!(after["node"]["plannedOn"], "2027-02-15");
    assert_eq!(after["node"]["status"], "PLANNED");

    // The lead cannot complete an agreement with open milestones.
    let early = take(&kit, LEAD, "completeAgreement", "CompleteAgreementInput", "agreement",
        json!({"id": agreement["id"], "version": agreement["version"], "closingSummary": "Selesai"})).await;
    assert_eq!(early["userErrors"][0]["code"], "INVALID_TRANSITION");
    assert_eq!(
        early["userErrors"][0]["message"],
        "complete needs every milestone done or cancelled"
    );
}

#[tokio::test]
async fn a_draft_is_signed_only_with_its_terms_and_only_by_the_lead() {
    let kit = Kit::demo().await;
    let draft = agreements_in(&kit, LEAD, "DRAFT", "id version officeNumber").await[0].clone();
    // Signed by the assessor, or by the lead without its terms: refused.
    for (who, code) in [(ASSESSOR, "FORBIDDEN"), (LEAD, "INVALID_TRANSITION")] {
        let bare = json!({"id": draft["id"], "version": draft["version"]});
        let refused = sign(&kit, who, bare).await;
        assert_eq!(refused["userErrors"][0]["code"], code, "{who}");
    }
    let signed = sign(&kit, LEAD, json!({
        "id": draft["id"], "version": draft["version"],
        "officeNumber": "B/001/PW.31/I/2027", "districtNumber": "180/001/I/2027",
        "officeSignatory": "Kepala Perwakilan", "districtSignatory": "Bupati Mamuju Tengah", "signedOn": "2027-01-10"})).await;
    assert_eq!(signed["userErrors"], json!([]), "{signed}");
    assert_eq!(signed["agreement"]["status"], "ACTIVE");
}

#[tokio::test]
async fn an_agreement_is_drafted_planned_signed_and_its_findings_raised_and_assigned() {
    let kit = Kit::demo().await;
    let ids = kit
        .fetch(ASSESSOR, r#"{ districts(first: 10) { nodes { id name opds(first: 50) { nodes { id kind shortName } } } } }"#)
        .await;
    let mateng = find(&ids["districts"]["nodes"], "name", MATENG).clone();
    let mamuju = find(&ids["districts"]["nodes"], "name", "Kabupaten Mamuju").clone();
    let rsud = find(&mateng["opds"]["nodes"], "kind", "HOSPITAL")["id"].clone();
    let other = mamuju["opds"]["nodes"][0]["id"].clone();

    let create = |input: Value| {
        let kit = &kit;
        async move {
            let r = kit.run_as(Some(ASSESSOR), "mutation($input: CreateAgreementInput!) { createAgreement(input: $input) { agreement { id version status } userErrors { field code message } } }", json!({"input": input})).await;
            r["data"]["createAgreement"].clone()
        }
    };
    let backwards = create(json!({"districtId": mateng["id"], "title": "PKS 2027", "periodStart": "2027-01-01", "periodEnd": "2026-12-31"})).await;
    assert_eq!(
        backwards["userErrors"][0]["field"],
        json!(["input", "periodEnd"])
    );
    let foreign_opd = create(json!({"districtId": mateng["id"], "title": "PKS 2027", "periodStart": "2027-01-01", "periodEnd": "2027-12-31", "opdIds": [other]})).await;
    assert_eq!(
        foreign_opd["userErrors"][0]["field"],
        json!(["input", "opdIds"])
    );
    let draft = create(json!({"districtId": mateng["id"], "title": "PKS Pendampingan Kepatuhan 2027", "periodStart": "2027-01-01", "periodEnd": "2027-12-31", "opdIds": [rsud]})).await;
    assert_eq!(draft["userErrors"], json!([]), "{draft}");
    assert_eq!(draft["agreement"]["status"], "DRAFT");
    let agreement = draft["agreement"]["id"].clone();

    let milestone = kit
        .run_as(Some(ASSESSOR), "mutation($input: AddMilestoneInput!) { addMilestone(input: $input) { milestone { id status } userErrors { code message } } }",
            json!({"input": {"agreementId": agreement, "kind": "MONITORING_VISIT", "title": "Monitoring RSUD", "plannedOn": "2027-03-01", "opdIds": [rsud]}}))
        .await;
    assert_eq!(
        milestone["data"]["addMilestone"]["milestone"]["status"], "PLANNED",
        "{milestone}"
    );

    let raise = |who: &'static str, input: Value| {
        let kit = &kit;
        async move {
            let r = kit.run_as(Some(who), "mutation($input: RaiseActionItemInput!) { raiseActionItem(input: $input) { actionItem { id version status } userErrors { field code message } } }", json!({"input": input})).await;
            r["data"]["raiseActionItem"].clone()
        }
    };
    let finding = json!({"agreementId": agreement, "opdId": rsud, "title": "Kanal pengaduan daring", "finding": "Belum ada kanal pengaduan daring", "standardComponent": "COMPLAINT_HANDLING", "dueOn": "2027-06-30"});
    let on_draft = raise(ASSESSOR, finding.clone()).await;
    assert_eq!(on_draft["userErrors"][0]["code"], "INVALID_TRANSITION");

    let signed = sign(&kit, LEAD, json!({
        "id": agreement, "version": draft["agreement"]["version"], "officeNumber": "B/9/PW.31/2027", "districtNumber": "180/9/2027",
        "officeSignatory": "Kepala Perwakilan", "districtSignatory": "Bupati Mamuju Tengah", "signedOn": "2027-01-05"})).await;
    assert_eq!(signed["agreement"]["status"], "ACTIVE", "{signed}");

    let by_sekda = raise(SEKDA_MATENG, finding.clone()).await;
    assert_eq!(by_sekda["userErrors"][0]["code"], "FORBIDDEN");
    let mut outside = finding.clone();
    outside["opdId"] = other.clone();
    assert_eq!(
        raise(ASSESSOR, outside).await["userErrors"][0]["code"],
        "BAD_USER_INPUT"
    );
    let raised = raise(ASSESSOR, finding).await;
    assert_eq!(raised["userErrors"], json!([]), "{raised}");
    assert_eq!(raised["actionItem"]["status"], "OPEN");

    // The Sekda's secretariat assigns it to the RSUD's officer.
    let officer =
        kit.fetch(RSUD_OFFICER, "{ viewer { user { id } } }").await["viewer"]["user"]["id"].clone();
    let sekda =
        kit.fetch(SEKDA_MATENG, "{ viewer { user { id } } }").await["viewer"]["user"]["id"].clone();
    let assign = |assignee: Value| {
        let kit = &kit;
        let item = raised["actionItem"].clone();
        async move {
            let r = kit.run_as(Some(SEKDA_MATENG), "mutation($input: AssignActionItemInput!) { assignActionItem(input: $input) { actionItem { id assignee { displayName } } userErrors { field code } } }",
                json!({"input": {"id": item["id"], "version": item["version"], "assigneeId": assignee}})).await;
            r["data"]["assignActionItem"].clone()
        }
    };
    assert_eq!(
        assign(sekda).await["userErrors"][0]["field"],
        json!(["input", "assigneeId"])
    );
    let assigned = assign(officer).await;
    assert_eq!(
        assigned["actionItem"]["assignee"]["displayName"], "Petugas RSUD Mamuju Tengah",
        "{assigned}"
    );
    let seen = kit
        .data(
            RSUD_OFFICER,
            "query($id: ID!) { node(id: $id) { ... on ActionItem { title history { action } } } }",
            json!({"id": raised["actionItem"]["id"]}),
        )
        .await;
    let actions: Vec<&str> = texts(&seen["node"]["history"], "action");
    assert_eq!(actions, ["ACTION_ITEM_RAISED", "ACTION_ITEM_ASSIGNED"]);
}

#[tokio::test]
async fn amendments_stand_beside_the_signed_terms_and_drafts_are_edited_before_signing() {
    let kit = Kit::demo().await;
    let fields = "id version periodEnd amendments { number }";
    let active = agreements_in(&kit, LEAD, "ACTIVE", fields).await[0].clone();
    let amend = |who: &'static str, input: Value| {
        let kit = &kit;
        async move {
            let r = kit.run_as(Some(who), "mutation($input: RecordAmendmentInput!) { recordAmendment(input: $input) { agreement { version periodEnd amendments { number newPeriodEnd } } userErrors { field code message } } }", json!({"input": input})).await;
            r["data"]["recordAmendment"].clone()
        }
    };
    let input = json!({"id": active["id"], "version": active["version"], "number": "ADD/01/2027", "signedOn": "2027-01-15",
                       "summary": "Perpanjangan masa pendampingan", "newPeriodEnd": "2027-12-31"});
    assert_eq!(
        amend(ASSESSOR, input.clone()).await["userErrors"][0]["code"],
        "FORBIDDEN"
    );
    let amended = amend(LEAD, input.clone()).await;
    assert_eq!(amended["userErrors"], json!([]), "{amended}");
    // The signed period is not overwritten; the amendment stands beside it.
    assert_eq!(amended["agreement"]["periodEnd"], active["periodEnd"]);
    let amendments = amended["agreement"]["amendments"].as_array().unwrap();
    assert_eq!(
        amendments.len(),
        active["amendments"].as_array().unwrap().len() + 1
    );
    assert_eq!(amendments.last().unwrap()["newPeriodEnd"], "2027-12-31");
    // The same version again is a conflict.
    assert_eq!(
        amend(LEAD, input).await["userErrors"][0]["code"],
        "CONFLICT"
    );

    // A signed agreement is not edited as a draft.
    let edit = |input: Value| {
        let kit = &kit;
        async move {
            let r = kit.run_as(Some(ASSESSOR), "mutation($input: UpdateAgreementDraftInput!) { updateAgreementDraft(input: $input) { agreement { officeNumber version } userErrors { code message } } }", json!({"input": input})).await;
            r["data"]["updateAgreementDraft"].clone()
        }
    };
    let signed = edit(json!({"id": active["id"], "version": amended["agreement"]["version"], "officeNumber": "X"})).await;
    assert_eq!(signed["userErrors"][0]["code"], "INVALID_TRANSITION");
    let draft = agreements_in(&kit, ASSESSOR, "DRAFT", "id version").await[0].clone();
    let edited = edit(
        json!({"id": draft["id"], "version": draft["version"], "officeNumber": "B/77/PW.31/2027"}),
    )
    .await;
    assert_eq!(
        edited["agreement"]["officeNumber"], "B/77/PW.31/2027",
        "{edited}"
    );
}
