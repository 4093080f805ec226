//! The policy of DESIGN.md §2 as a table: every role × every entry point ×
//! a target inside and outside the role's scope, each cell allowed or denied.
//! Reads that are denied see nothing (null, empty, zero); mutations that are
//! denied answer a `FORBIDDEN` user error and change nothing.

#![allow(
    clippy::unwrap_used,
    reason = "a test should fail loudly on an unexpected shape"
)]

mod common;

use common::*;
use pendamping_domain::identity::Actor;
use pendamping_domain::reference::{
    DistrictKind, NewDistrict, NewOffice, NewOpd, OpdKind, TimeZone,
};
use serde_json::{Value, json};

/// Who asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Admin,
    Lead,
    Assessor,
    Coordinator,
    OpdOfficer,
    Viewer,
    DashboardToken,
}

const EVERYONE: [Who; 7] = [
    Who::Admin,
    Who::Lead,
    Who::Assessor,
    Who::Coordinator,
    Who::OpdOfficer,
    Who::Viewer,
    Who::DashboardToken,
];

/// Where the target sits relative to the asker's scope. "Own" is the RSUD of
/// Mamuju Tengah (inside every demo user's scope); "neighbour" is Kabupaten
/// Mamuju (same office, other district); "elsewhere" is another office.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    Own,
    Neighbour,
    Elsewhere,
}

/// DESIGN.md §2, reads: who sees a record at each place.
#[allow(
    clippy::match_like_matches_macro,
    reason = "written as a table, one row per rule"
)]
fn may_read(who: Who, place: Place) -> bool {
    match (who, place) {
        (Who::Admin, _) => true,
        (Who::Lead | Who::Assessor | Who::DashboardToken, Place::Own | Place::Neighbour) => true,
        (Who::Coordinator | Who::OpdOfficer | Who::Viewer, Place::Own) => true,
        _ => false,
    }
}

/// DESIGN.md §2, reference data: offices, districts, users and tokens are the
/// admin's; a district's coordinator also keeps its own list of OPDs.
fn may_create_opd(who: Who, place: Place) -> bool {
    matches!(
        (who, place),
        (Who::Admin, _) | (Who::Coordinator, Place::Own)
    )
}

/// DESIGN.md §2: assessors record scores within their office.
fn may_record_scores(who: Who, place: Place) -> bool {
    matches!(
        (who, place),
        (Who::Admin, _) | (Who::Assessor, Place::Own | Place::Neighbour)
    )
}

/// Everyone who works on an item may comment on it; dashboards may not.
fn may_comment(who: Who, place: Place) -> bool {
    may_read(who, place) && !matches!(who, Who::Viewer | Who::DashboardToken)
}

/// Agreements are drafted by the office's lead and assessors (not by admins).
fn may_draft(who: Who, place: Place) -> bool {
    matches!(
        (who, place),
        (Who::Lead | Who::Assessor, Place::Own | Place::Neighbour)
    )
}

/// Amendments are signed like agreements: by the office's lead.
fn may_amend(who: Who, place: Place) -> bool {
    matches!((who, place), (Who::Lead, Place::Own | Place::Neighbour))
}

/// Milestones and findings are the assessors' work, within their office.
fn may_run_mentoring(who: Who, place: Place) -> bool {
    matches!((who, place), (Who::Assessor, Place::Own | Place::Neighbour))
}

/// The OPD proves its own fix (its officer), and admins; the district's
/// coordinator may add evidence on behalf of one of its OPDs (issue 14).
fn may_add_evidence(who: Who, place: Place) -> bool {
    matches!(
        (who, place),
        (Who::Admin, _) | (Who::OpdOfficer | Who::Coordinator, Place::Own)
    )
}

fn admin_only(who: Who, _place: Place) -> bool {
    who == Who::Admin
}

/// Accounts (issue 14): an account with roles at the place — an OPD officer
/// and a district viewer — is managed by admins, the office's lead, and the
/// district's coordinator; dashboard tokens of the district likewise.
fn may_manage_accounts(who: Who, place: Place) -> bool {
    matches!(
        (who, place),
        (Who::Admin, _)
            | (Who::Lead, Place::Own | Place::Neighbour)
            | (Who::Coordinator, Place::Own)
    )
}

/// Score targets: admins anywhere, the office's lead for its districts, a
/// district's coordinator for their own district.
fn may_set_targets(who: Who, place: Place) -> bool {
    matches!(
        (who, place),
        (Who::Admin, _)
            | (Who::Lead, Place::Own | Place::Neighbour)
            | (Who::Coordinator, Place::Own)
    )
}

/// A district coordinator's account is made by admins and the office's lead, never by a peer.
fn may_make_coordinators(who: Who, place: Place) -> bool {
    matches!(
        (who, place),
        (Who::Admin, _) | (Who::Lead, Place::Own | Place::Neighbour)
    )
}

struct World {
    kit: Kit,
    /// Every assessment period's ID.
    periods: Vec<String>,
    /// Dashboard tokens made for the revocation cells, one per cell.
    spare_tokens: std::sync::Mutex<Vec<(Place, pendamping_domain::ids::AccessTokenId)>>,
    /// Accounts (an OPD officer who is also a district viewer) for the account cells, one per cell.
    spare_users: std::sync::Mutex<Vec<(Place, bool, String)>>,
    tokens: Vec<(Who, String)>,
    /// Global IDs per place: district, OPD, agreement, action item, score record.
    ids: Vec<(Place, Value)>,
    offices: Vec<(Place, String)>,
    /// OPDs made for the reference-change cells, used up one per cell: (place, active, ID).
    spare_opds: std::sync::Mutex<Vec<(Place, bool, String)>>,
}

async fn world() -> World {
    let kit = Kit::demo().await;
    let system = Actor::system("test");
    // Another office with its own district and OPD, for "elsewhere".
    let office = kit
        .engine
        .create_office(
            &system,
            NewOffice {
                code: "SULSEL".into(),
                name: "Ombudsman RI Perwakilan Sulawesi Selatan".into(),
                province: "Sulawesi Selatan".into(),
                time_zone: TimeZone::Wita,
            },
        )
        .await
        .unwrap();
    let district = kit
        .engine
        .create_district(
            &system,
            NewDistrict {
                office_id: office.id,
                kind: DistrictKind::City,
                name: "Kota Makassar".into(),
                province: "Sulawesi Selatan".into(),
                time_zone: TimeZone::Wita,
            },
        )
        .await
        .unwrap();
    kit.engine
        .create_opd(
            &system,
            NewOpd {
                district_id: district.id,
                name: "Dinas Kesehatan Kota Makassar".into(),
                short_name: None,
                kind: OpdKind::Department,
                head_title: None,
            },
        )
        .await
        .unwrap();
    let office_token = kit
        .engine
        .create_api_token(
            &system,
            "Wall screen, Perwakilan Sulbar",
            kit.engine
                .resolve_scope(Some("office:SULBAR"))
                .await
                .unwrap(),
            None,
        )
        .await
        .unwrap();
    let mut tokens = Vec::new();
    for (who, email) in [
        (Who::Admin, ADMIN),
        (Who::Lead, LEAD),
        (Who::Assessor, ASSESSOR),
        (Who::Coordinator, SEKDA_MATENG),
        (Who::OpdOfficer, RSUD_OFFICER),
        (Who::Viewer, VIEWER_MATENG),
    ] {
        tokens.push((who, kit.token(email).await));
    }
    tokens.push((Who::DashboardToken, office_token.token));

    // Collect the IDs of one record of each kind at each place, as the admin.
    let data = kit
        .fetch(ADMIN, r#"{ districts(first: 50) { nodes { id name office { id code }
                   opds(first: 50) { nodes { id name kind
                     actionItems(first: 1) { nodes { id agreement { id } } }
                     open: actionItems(first: 1, filter: { status: [OPEN, IN_PROGRESS] }) { nodes { id version } }
                     scoreHistory { score { id } } } } } } }"#)
        .await;
    let mut ids = Vec::new();
    let mut offices = Vec::new();
    for d in data["districts"]["nodes"].as_array().unwrap() {
        let place = match d["name"].as_str().unwrap() {
            "Kabupaten Mamuju Tengah" => Place::Own,
            "Kabupaten Mamuju" => Place::Neighbour,
            "Kota Makassar" => Place::Elsewhere,
            _ => continue,
        };
        offices.push((place, d["office"]["id"].as_str().unwrap().to_owned()));
        let opds = d["opds"]["nodes"].as_array().unwrap();
        // The RSUD where there is one (the OPD officer's own), else the first OPD.
        let opd = opds
            .iter()
            .find(|o| o["kind"] == "HOSPITAL")
            .or_else(|| opds.first())
            .unwrap();
        let mut record =
            json!({ "district": d["id"], "opd": opd["id"], "office": d["office"]["id"] });
        if let Some(item) = opd["actionItems"]["nodes"].as_array().unwrap().first() {
            record["actionItem"] = item["id"].clone();
            record["agreement"] = item["agreement"]["id"].clone();
        }
        // An item still being worked on, for evidence and comments: the chosen
        // OPD's own where it has one, else any OPD's of the district.
        let open_item = std::iter::once(opd).chain(opds.iter()).find_map(|o| {
            o["open"]["nodes"]
                .as_array()
                .unwrap()
                .first()
                .map(|i| (o["id"].clone(), i.clone()))
        });
        if let Some((owner, item)) = open_item {
            record["openItemVersion"] = item["version"].clone();
            record["openItem"] = item["id"].clone();
            record["openItemOfOwnOpd"] = json!(owner == opd["id"]);
        }
        if let Some(score) = opd["scoreHistory"].as_array().unwrap().first() {
            record["score"] = score["score"]["id"].clone();
        }
        // An active agreement of the district with an OPD in its scope, for drafting cells.
        let active = kit
            .data(
                ADMIN,
                "query($d: ID!) { agreements(filter: { districtId: $d, status: [ACTIVE] }, first: 1) { nodes { id version periodStart opds { id } } } }",
                json!({"d": d["id"]}),
            )
            .await;
        if let Some(agreement) = active["agreements"]["nodes"].as_array().unwrap().first() {
            record["activeAgreement"] = agreement["id"].clone();
            record["activeAgreementVersion"] = agreement["version"].clone();
            record["activeAgreementOpd"] = agreement["opds"][0]["id"].clone();
            // Milestones are planned within the agreement's period.
            record["activeAgreementStart"] = agreement["periodStart"].clone();
        }
        ids.push((place, record));
    }
    assert_eq!(ids.len(), 3, "own, neighbour and elsewhere");
    let mut spare_tokens = Vec::new();
    for place in [Place::Own, Place::Neighbour, Place::Elsewhere] {
        let scope = ids.iter().find(|(p, _)| *p == place).unwrap().1["district"]
            .as_str()
            .unwrap()
            .to_owned();
        let (_, row) = pendamping_api_test_id(&scope);
        for _ in 0..EVERYONE.len() {
            let issued = kit
                .engine
                .create_api_token(
                    &system,
                    "spare",
                    pendamping_domain::identity::Scope::District(
                        pendamping_domain::reference::DistrictId(row),
                    ),
                    None,
                )
                .await
                .unwrap();
            spare_tokens.push((place, issued.id));
        }
    }
    // Spare OPDs for the reference-change cells: the first of each place's
    // batch inactive (for reactivation), the rest active.
    let mut spare_opds = Vec::new();
    for place in [Place::Own, Place::Neighbour, Place::Elsewhere] {
        let (_, district) = pendamping_api_test_id(
            ids.iter().find(|(p, _)| *p == place).unwrap().1["district"]
                .as_str()
                .unwrap(),
        );
        for n in 0..EVERYONE.len() * 4 {
            let opd = kit
                .engine
                .create_opd(
                    &system,
                    NewOpd {
                        district_id: pendamping_domain::reference::DistrictId(district),
                        name: format!("Unit Uji {place:?} {n}"),
                        short_name: None,
                        kind: OpdKind::Other,
                        head_title: None,
                    },
                )
                .await
                .unwrap();
            let active = n >= EVERYONE.len();
            if !active {
                kit.engine
                    .set_opd_active(&system, opd.id, false, "dibubarkan (uji)")
                    .await
                    .unwrap();
            }
            use base64::Engine as _;
            let id = base64::engine::general_purpose::URL_SAFE_NO_PAD
                .encode(format!("Opd:{}", opd.id.0));
            spare_opds.push((place, active, id));
        }
    }
    let mut spare_users = Vec::new();
    for place in [Place::Own, Place::Neighbour, Place::Elsewhere] {
        let record = &ids.iter().find(|(p, _)| *p == place).unwrap().1;
        let (_, district) = pendamping_api_test_id(record["district"].as_str().unwrap());
        let (_, opd) = pendamping_api_test_id(record["opd"].as_str().unwrap());
        let district = Some(district);
        for n in 0..(ACCOUNT_WRITES + 1) * EVERYONE.len() + 2 {
            // Every fifth account is an officer only (for the cells that grant a role).
            let viewer_too = n % 5 != 0;
            let user = spare_account(
                &kit,
                &format!("spare.{place:?}.{n}"),
                district.filter(|_| viewer_too),
                opd,
            )
            .await;
            spare_users.push((place, viewer_too, user));
        }
    }
    let periods = kit
        .fetch(ADMIN, "{ assessmentPeriods { nodes { id } } }")
        .await["assessmentPeriods"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_owned())
        .collect();
    World {
        kit,
        periods,
        spare_tokens: std::sync::Mutex::new(spare_tokens),
        spare_users: std::sync::Mutex::new(spare_users),
        tokens,
        ids,
        offices,
        spare_opds: std::sync::Mutex::new(spare_opds),
    }
}

/// The row id inside a global ID (the API's IDs are base64 of `Type:id`).
fn pendamping_api_test_id(id: &str) -> (String, i64) {
    use base64::Engine as _;
    let text = String::from_utf8(
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(id)
            .unwrap(),
    )
    .unwrap();
    let (kind, row) = text.split_once(':').unwrap();
    (kind.to_owned(), row.parse().unwrap())
}

impl World {
    /// A live dashboard token of the place (its `ApiToken` global ID), used up by the call.
    fn spare_token(&self, place: Place) -> String {
        use base64::Engine as _;
        let mut spare = self.spare_tokens.lock().unwrap();
        let at = spare.iter().position(|(p, _)| *p == place).unwrap();
        let row = spare.remove(at).1;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("ApiToken:{row}"))
    }

    /// An account of the place (its `User` global ID), used up by the call:
    /// an OPD officer who is also the district's viewer, or (`viewer_too`
    /// false) an OPD officer only.
    fn spare_user(&self, place: Place, viewer_too: bool) -> String {
        let mut spare = self.spare_users.lock().unwrap();
        let at = spare
            .iter()
            .position(|(p, v, _)| *p == place && *v == viewer_too)
            .unwrap();
        spare.remove(at).2
    }

    /// A spare OPD of the place, active or not, used up by the call.
    fn spare_opd(&self, place: Place, active: bool) -> String {
        let mut spare = self.spare_opds.lock().unwrap();
        let at = spare
            .iter()
            .position(|(p, a, _)| *p == place && *a == active)
            .unwrap();
        spare.remove(at).2
    }

    fn token(&self, who: Who) -> String {
        self.tokens
            .iter()
            .find(|(w, _)| *w == who)
            .unwrap()
            .1
            .clone()
    }

    fn ids(&self, place: Place) -> &Value {
        &self.ids.iter().find(|(p, _)| *p == place).unwrap().1
    }

    fn office(&self, place: Place) -> &str {
        &self.offices.iter().find(|(p, _)| *p == place).unwrap().1
    }

    async fn run(&self, who: Who, query: &str, variables: Value) -> Value {
        self.kit
            .run_with_token(Some(self.token(who)), query, variables)
            .await
    }
}

/// A read entry point: the query, and whether its answer shows the target.
struct Read {
    name: &'static str,
    query: &'static str,
    /// The variable the target's ID goes in, and which ID.
    target: (&'static str, &'static str),
    /// A record that must exist at the place for the read to have something to see.
    requires: &'static str,
    sees: fn(&Value) -> bool,
    /// Who may see it, by place.
    rule: fn(Who, Place) -> bool,
}

/// The office record: every role of the office's districts sees its office.
fn may_read_office(who: Who, place: Place) -> bool {
    who == Who::Admin || place != Place::Elsewhere
}

/// The audit log is read by offices and districts; OPD officers follow their
/// records' history through the records themselves.
fn may_read_audit(who: Who, place: Place) -> bool {
    may_read(who, place) && who != Who::OpdOfficer
}

/// Reference data (methodologies, periods) and one's own identity: any caller who is logged in.
fn anyone_logged_in(_: Who, _: Place) -> bool {
    true
}

fn count(v: &Value) -> i64 {
    v.as_i64().unwrap_or(-1)
}

const READS: &[Read] = &[
    Read {
        name: "node(District)",
        query: "query($id: ID!) { node(id: $id) { id } }",
        target: ("id", "district"),
        requires: "district",
        sees: |d| !d["node"].is_null(),
        rule: may_read,
    },
    Read {
        name: "node(Opd)",
        query: "query($id: ID!) { node(id: $id) { id } }",
        target: ("id", "opd"),
        requires: "opd",
        sees: |d| !d["node"].is_null(),
        rule: may_read,
    },
    Read {
        name: "nodes([Opd])",
        query: "query($id: ID!) { nodes(ids: [$id]) { id } }",
        target: ("id", "opd"),
        requires: "opd",
        sees: |d| !d["nodes"][0].is_null(),
        rule: may_read,
    },
    Read {
        name: "node(ActionItem)",
        query: "query($id: ID!) { node(id: $id) { id } }",
        target: ("id", "actionItem"),
        requires: "actionItem",
        sees: |d| !d["node"].is_null(),
        rule: may_read,
    },
    Read {
        name: "node(Agreement)",
        query: "query($id: ID!) { node(id: $id) { id } }",
        target: ("id", "agreement"),
        requires: "agreement",
        sees: |d| !d["node"].is_null(),
        rule: may_read,
    },
    Read {
        name: "node(ScoreRecord)",
        query: "query($id: ID!) { node(id: $id) { id } }",
        target: ("id", "score"),
        requires: "score",
        sees: |d| !d["node"].is_null(),
        rule: may_read,
    },
    Read {
        name: "districts",
        query: "query($id: ID!) { districts(first: 100) { totalCount nodes { id } } n: node(id: $id) { id } }",
        target: ("id", "district"),
        requires: "district",
        sees: |d| {
            elements(&d["districts"]["nodes"]).any(|n| n["id"] == d["n"]["id"]) && !d["n"].is_null()
        },
        rule: may_read,
    },
    Read {
        name: "opds(filter: district)",
        query: "query($id: ID!) { opds(filter: { districtId: $id }) { totalCount nodes { id } } }",
        target: ("id", "district"),
        requires: "district",
        sees: |d| count(&d["opds"]["totalCount"]) > 0,
        rule: may_read,
    },
    Read {
        name: "agreements(filter: district)",
        query: "query($id: ID!) { agreements(filter: { districtId: $id }) { totalCount } }",
        target: ("id", "district"),
        requires: "agreement",
        sees: |d| count(&d["agreements"]["totalCount"]) > 0,
        rule: may_read,
    },
    Read {
        name: "actionItems(filter: opd)",
        query: "query($id: ID!) { actionItems(filter: { opdId: $id }) { totalCount } }",
        target: ("id", "opd"),
        requires: "actionItem",
        sees: |d| count(&d["actionItems"]["totalCount"]) > 0,
        rule: may_read,
    },
    Read {
        name: "scoreRecords(filter: opd)",
        query: "query($id: ID!) { scoreRecords(filter: { opdId: $id }) { totalCount } }",
        target: ("id", "opd"),
        requires: "score",
        sees: |d| count(&d["scoreRecords"]["totalCount"]) > 0,
        rule: may_read,
    },
    Read {
        name: "Opd.scoreHistory",
        query: "query($id: ID!) { opds(filter: { districtId: $id }) { nodes { scoreHistory { total } } } }",
        target: ("id", "district"),
        requires: "score",
        sees: |d| {
            elements(&d["opds"]["nodes"]).any(|o| !o["scoreHistory"].as_array().unwrap().is_empty())
        },
        rule: may_read,
    },
    Read {
        name: "opdRanking(districtId)",
        query: "query($id: ID!) { \
            a: opdRanking(year: 2019, districtId: $id, first: 1000) { rank } \
            b: opdRanking(year: 2021, districtId: $id, first: 1000) { rank } \
            c: opdRanking(year: 2022, districtId: $id, first: 1000) { rank } \
            d: opdRanking(year: 2023, districtId: $id, first: 1000) { rank } \
            e: opdRanking(year: 2024, districtId: $id, first: 1000) { rank } }",
        target: ("id", "district"),
        requires: "score",
        sees: |d| {
            ["a", "b", "c", "d", "e"]
                .iter()
                .any(|y| !d[*y].as_array().unwrap().is_empty())
        },
        rule: may_read,
    },
    Read {
        name: "districtRanking",
        query: "query($id: ID!) { \
            a: districtRanking(year: 2019, first: 1000) { district { id } } \
            b: districtRanking(year: 2021, first: 1000) { district { id } } \
            c: districtRanking(year: 2022, first: 1000) { district { id } } \
            d: districtRanking(year: 2023, first: 1000) { district { id } } \
            e: districtRanking(year: 2024, first: 1000) { district { id } } \
            n: node(id: $id) { id } }",
        target: ("id", "district"),
        requires: "score",
        sees: |d| {
            !d["n"].is_null()
                && ["a", "b", "c", "d", "e"]
                    .iter()
                    .any(|y| elements(&d[*y]).any(|r| r["district"]["id"] == d["n"]["id"]))
        },
        rule: may_read,
    },
    Read {
        name: "offices / node(Office)",
        query: "query($id: ID!) { offices(first: 10) { nodes { id } } o: node(id: $id) { id } }",
        target: ("id", "office"),
        requires: "office",
        sees: |d| {
            !d["o"].is_null() && elements(&d["offices"]["nodes"]).any(|o| o["id"] == d["o"]["id"])
        },
        rule: may_read_office,
    },
    Read {
        name: "auditEvents(filter: district)",
        query: "query($id: ID!) { auditEvents(filter: { districtId: $id }) { totalCount } }",
        target: ("id", "district"),
        requires: "district",
        sees: |d| count(&d["auditEvents"]["totalCount"]) > 0,
        rule: may_read_audit,
    },
    Read {
        name: "assessmentPeriods",
        query: "query($id: ID!) { assessmentPeriods { totalCount } n: node(id: $id) { id } }",
        target: ("id", "district"),
        requires: "district",
        sees: |d| count(&d["assessmentPeriods"]["totalCount"]) > 0,
        rule: anyone_logged_in,
    },
    Read {
        name: "methodologies",
        query: "query($id: ID!) { methodologies { code } methodology(code: \"PKP-2022\") { code } n: node(id: $id) { id } }",
        target: ("id", "district"),
        requires: "district",
        sees: |d| d["methodologies"].as_array().unwrap().len() == 3 && !d["methodology"].is_null(),
        rule: anyone_logged_in,
    },
    Read {
        name: "viewer",
        query: "query($id: ID!) { viewer { roles { role } } n: node(id: $id) { id } }",
        target: ("id", "district"),
        requires: "district",
        sees: |d| !d["viewer"]["roles"].as_array().unwrap().is_empty(),
        rule: anyone_logged_in,
    },
];

#[tokio::test]
async fn every_role_reads_exactly_its_scope() {
    let w = world().await;
    let mut cells = 0;
    let mut failures = Vec::new();
    for read in READS {
        for who in EVERYONE {
            for place in [Place::Own, Place::Neighbour, Place::Elsewhere] {
                let id = &w.ids(place)[read.target.1];
                if w.ids(place)[read.requires].is_null() {
                    continue; // nothing of the kind at this place (e.g. no scores elsewhere)
                }
                let response = w.run(who, read.query, json!({ read.target.0: id })).await;
                assert!(
                    response.get("errors").is_none(),
                    "{} as {who:?}: {response}",
                    read.name
                );
                let sees = (read.sees)(&response["data"]);
                // An OPD officer sees its own OPD's records, not its neighbours' in the district.
                let expected = (read.rule)(who, place);
                if sees != expected {
                    failures.push(format!(
                        "{} as {who:?} at {place:?}: sees {sees}, expected {expected}",
                        read.name
                    ));
                }
                cells += 1;
            }
        }
    }
    println!("read matrix: {cells} cells");
    assert!(failures.is_empty(), "{failures:#?}");
}

#[tokio::test]
async fn an_opd_officer_reads_its_own_opd_and_not_the_others_of_its_district() {
    let w = world().await;
    let own_district = w.ids(Place::Own)["district"].clone();
    let data = w
        .run(Who::OpdOfficer, "query($id: ID!) { opds(filter: { districtId: $id }) { totalCount nodes { kind } } actionItems(first: 100) { totalCount nodes { opd { kind } } } }", json!({"id": own_district}))
        .await;
    assert_eq!(data["data"]["opds"]["totalCount"], 1, "{data}");
    assert_eq!(data["data"]["opds"]["nodes"][0]["kind"], "HOSPITAL");
    for item in data["data"]["actionItems"]["nodes"].as_array().unwrap() {
        assert_eq!(item["opd"]["kind"], "HOSPITAL");
    }
    let coordinator = w
        .run(
            Who::Coordinator,
            "query($id: ID!) { opds(filter: { districtId: $id }) { totalCount } }",
            json!({"id": own_district}),
        )
        .await;
    assert!(count(&coordinator["data"]["opds"]["totalCount"]) > 20);
}

/// A mutation entry point and the rule it follows.
struct Write {
    name: &'static str,
    rule: fn(Who, Place) -> bool,
    query: &'static str,
    /// The payload field holding the created object (or flag).
    field: &'static str,
    variables: fn(&World, Place, usize) -> Value,
}

const WRITES: &[Write] = &[
    Write {
        name: "createOffice",
        rule: admin_only,
        query: "mutation($input: CreateOfficeInput!) { createOffice(input: $input) { office { id } userErrors { code message } } }",
        field: "createOffice",
        variables: |_, _, n| json!({"input": {"code": format!("T-{n}"), "name": format!("Kantor {n}"), "province": "X", "timeZone": "WIB"}}),
    },
    Write {
        name: "createDistrict",
        rule: admin_only,
        query: "mutation($input: CreateDistrictInput!) { createDistrict(input: $input) { district { id } userErrors { code message } } }",
        field: "createDistrict",
        variables: |w, place, n| json!({"input": {"officeId": w.office(place), "kind": "CITY", "name": format!("Kota Uji {n}"), "province": "X", "timeZone": "WITA"}}),
    },
    Write {
        name: "createOpd",
        rule: may_create_opd,
        query: "mutation($input: CreateOpdInput!) { createOpd(input: $input) { opd { id } userErrors { code message } } }",
        field: "createOpd",
        variables: |w, place, n| json!({"input": {"districtId": w.ids(place)["district"], "name": format!("Dinas Uji {n}"), "kind": "DEPARTMENT"}}),
    },
    Write {
        name: "createUser",
        rule: may_make_coordinators,
        query: "mutation($input: CreateUserInput!) { createUser(input: $input) { user { id } userErrors { code message } } }",
        field: "createUser",
        variables: |w, place, n| json!({"input": {"email": format!("u{n}@test.example"), "displayName": "Uji", "password": "a long enough password", "roles": [{"role": "DISTRICT_COORDINATOR", "scopeId": w.ids(place)["district"]}]}}),
    },
    Write {
        name: "recordScore",
        rule: may_record_scores,
        query: "mutation($input: RecordScoreInput!) { recordScore(input: $input) { scoreRecord { id } userErrors { code message } } }",
        field: "recordScore",
        variables: |w, place, n| json!({"input": {"periodId": w.periods[(n / 3) % w.periods.len()], "districtId": w.ids(place)["district"], "kind": "MENTORING_CHECK", "total": 70.5}}),
    },
    Write {
        name: "createMethodology",
        rule: admin_only,
        query: "mutation($input: CreateMethodologyInput!) { createMethodology(input: $input) { methodology { id } userErrors { code message } } }",
        field: "createMethodology",
        variables: |_, _, n| json!({"input": {"code": format!("UJI-{n}"), "name": "Metode uji", "firstYear": 2030, "bands": [{"code": "X", "label": "Semua", "min": 0, "max": 100, "zone": "GREEN"}]}}),
    },
    Write {
        name: "createAssessmentPeriod",
        rule: admin_only,
        query: "mutation($input: CreateAssessmentPeriodInput!) { createAssessmentPeriod(input: $input) { assessmentPeriod { id } userErrors { code message } } }",
        field: "createAssessmentPeriod",
        variables: |_, _, n| json!({"input": {"year": 2030 + n % 70, "name": format!("Penilaian uji {n}"), "methodologyCode": "PKP-2022"}}),
    },
    Write {
        name: "setScoreTarget",
        rule: may_set_targets,
        query: "mutation($input: SetScoreTargetInput!) { setScoreTarget(input: $input) { scoreTarget { year } userErrors { code message } } }",
        field: "setScoreTarget",
        variables: |w, place, n| json!({"input": {"districtId": w.ids(place)["district"], "year": 2024, "minTotal": 50 + (n % 40) as i64}}),
    },
    Write {
        name: "addComment",
        rule: may_comment,
        query: "mutation($input: AddCommentInput!) { addComment(input: $input) { comment { id } userErrors { code message } } }",
        field: "addComment",
        variables: |w, place, n| json!({"input": {"actionItemId": w.ids(place)["openItem"], "body": format!("Catatan {n}")}}),
    },
    Write {
        name: "addEvidence",
        rule: may_add_evidence,
        query: "mutation($input: AddEvidenceInput!) { addEvidence(input: $input) { evidence { id } userErrors { code message } } }",
        field: "addEvidence",
        variables: |w, place, n| json!({"input": {"actionItemId": w.ids(place)["openItem"], "url": format!("https://example.org/bukti/{n}"), "name": "Bukti"}}),
    },
    Write {
        name: "createAgreement",
        rule: may_draft,
        query: "mutation($input: CreateAgreementInput!) { createAgreement(input: $input) { agreement { id } userErrors { code message } } }",
        field: "createAgreement",
        variables: |w, place, n| json!({"input": {"districtId": w.ids(place)["district"], "title": format!("PKS uji {n}"), "periodStart": "2027-01-01", "periodEnd": "2027-12-31"}}),
    },
    Write {
        name: "addMilestone",
        rule: may_run_mentoring,
        query: "mutation($input: AddMilestoneInput!) { addMilestone(input: $input) { milestone { id } userErrors { code message } } }",
        field: "addMilestone",
        variables: |w, place, n| json!({"input": {"agreementId": w.ids(place)["activeAgreement"], "kind": "MONITORING_VISIT", "title": format!("Monitoring {n}"), "plannedOn": w.ids(place)["activeAgreementStart"]}}),
    },
    Write {
        name: "raiseActionItem",
        rule: may_run_mentoring,
        query: "mutation($input: RaiseActionItemInput!) { raiseActionItem(input: $input) { actionItem { id } userErrors { code message } } }",
        field: "raiseActionItem",
        variables: |w, place, n| json!({"input": {"agreementId": w.ids(place)["activeAgreement"], "opdId": w.ids(place)["activeAgreementOpd"], "title": format!("Temuan {n}"), "finding": "Standar pelayanan belum dipublikasikan", "dueOn": "2027-06-30"}}),
    },
    Write {
        name: "recordAmendment",
        rule: may_amend,
        query: "mutation($input: RecordAmendmentInput!) { recordAmendment(input: $input) { agreement { id } userErrors { code message } } }",
        field: "recordAmendment",
        variables: |w, place, n| json!({"input": {"id": w.ids(place)["activeAgreement"], "version": w.ids(place)["activeAgreementVersion"], "number": format!("ADD/{n}"), "signedOn": "2027-01-15", "summary": "Perubahan jadwal"}}),
    },
    Write {
        name: "revokeApiToken",
        rule: may_manage_accounts,
        query: "mutation($input: RevokeApiTokenInput!) { revokeApiToken(input: $input) { revoked userErrors { code message } } }",
        field: "revokeApiToken",
        variables: |w, place, _| json!({"input": {"tokenId": w.spare_token(place)}}),
    },
    Write {
        name: "createApiToken",
        rule: may_manage_accounts,
        query: "mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { token userErrors { code message } } }",
        field: "createApiToken",
        variables: |w, place, n| json!({"input": {"label": format!("screen {n}"), "scopeId": w.ids(place)["district"]}}),
    },
    // ---- issue 14: reference data that changes, and due-date extensions ----
    Write {
        name: "renameOffice",
        rule: admin_only,
        query: "mutation($input: RenameOfficeInput!) { renameOffice(input: $input) { office { id } userErrors { code message } } }",
        field: "renameOffice",
        variables: |w, place, n| json!({"input": {"id": w.office(place), "name": format!("Ombudsman RI Perwakilan Uji {n}")}}),
    },
    Write {
        name: "updateDistrict",
        rule: admin_only,
        query: "mutation($input: UpdateDistrictInput!) { updateDistrict(input: $input) { district { id } userErrors { code message } } }",
        field: "updateDistrict",
        variables: |w, place, _| json!({"input": {"id": w.ids(place)["district"], "kind": if place == Place::Elsewhere { "CITY" } else { "REGENCY" }}}),
    },
    Write {
        name: "updateOpd",
        rule: may_create_opd,
        query: "mutation($input: UpdateOpdInput!) { updateOpd(input: $input) { opd { id } userErrors { code message } } }",
        field: "updateOpd",
        variables: |w, place, n| json!({"input": {"id": w.ids(place)["opd"], "shortName": format!("U{n}")}}),
    },
    Write {
        name: "deactivateOpd",
        rule: may_create_opd,
        query: "mutation($input: SetOpdActiveInput!) { deactivateOpd(input: $input) { opd { id active } userErrors { code message } } }",
        field: "deactivateOpd",
        variables: |w, place, _| json!({"input": {"id": w.spare_opd(place, true), "reason": "Dibubarkan"}}),
    },
    Write {
        name: "reactivateOpd",
        rule: may_create_opd,
        query: "mutation($input: SetOpdActiveInput!) { reactivateOpd(input: $input) { opd { id active } userErrors { code message } } }",
        field: "reactivateOpd",
        variables: |w, place, _| json!({"input": {"id": w.spare_opd(place, false), "reason": "Dibentuk kembali"}}),
    },
    Write {
        name: "recordReorganisation",
        rule: may_create_opd,
        query: "mutation($input: RecordReorganisationInput!) { recordReorganisation(input: $input) { reorganisation { kind } userErrors { code message } } }",
        field: "recordReorganisation",
        variables: |w, place, _| {
            json!({"input": {"kind": "MERGER", "predecessorIds": [w.spare_opd(place, true)],
            "successorIds": [w.spare_opd(place, true)], "effectiveOn": "2027-01-01", "reason": "Perda uji"}})
        },
    },
    Write {
        name: "extendActionItemDueDate",
        rule: may_run_mentoring,
        query: "mutation($input: ExtendActionItemDueDateInput!) { extendActionItemDueDate(input: $input) { actionItem { id } userErrors { code message } } }",
        field: "extendActionItemDueDate",
        variables: |w, place, _| {
            json!({"input": {"id": w.ids(place)["openItem"], "version": w.ids(place)["openItemVersion"],
            "newDate": "2031-12-31", "reason": "Menunggu anggaran perubahan"}})
        },
    },
    // ---- accounts (issue 14): each cell acts on a fresh account of the place ----
    Write {
        name: "createUser (OPD officer)",
        rule: may_manage_accounts,
        query: "mutation($input: CreateUserInput!) { createUser(input: $input) { user { id } userErrors { code message } } }",
        field: "createUser",
        variables: |w, place, n| json!({"input": {"email": format!("officer{n}@test.example"), "displayName": "Petugas", "password": "a long enough password", "roles": [{"role": "OPD_OFFICER", "scopeId": w.ids(place)["opd"]}]}}),
    },
    Write {
        name: "grantRole",
        rule: may_manage_accounts,
        query: "mutation($input: GrantRoleInput!) { grantRole(input: $input) { user { id } userErrors { code message } } }",
        field: "grantRole",
        variables: |w, place, _| json!({"input": {"userId": w.spare_user(place, false), "role": "VIEWER", "scopeId": w.ids(place)["district"]}}),
    },
    Write {
        name: "revokeRole",
        rule: may_manage_accounts,
        query: "mutation($input: RevokeRoleInput!) { revokeRole(input: $input) { user { id } userErrors { code message } } }",
        field: "revokeRole",
        variables: |w, place, _| json!({"input": {"userId": w.spare_user(place, true), "role": "VIEWER", "scopeId": w.ids(place)["district"]}}),
    },
    Write {
        name: "deactivateUser",
        rule: may_manage_accounts,
        query: "mutation($input: DeactivateUserInput!) { deactivateUser(input: $input) { user { id active } userErrors { code message } } }",
        field: "deactivateUser",
        variables: |w, place, _| json!({"input": {"userId": w.spare_user(place, true)}}),
    },
    Write {
        name: "reactivateUser",
        rule: may_manage_accounts,
        query: "mutation($input: ReactivateUserInput!) { reactivateUser(input: $input) { user { id active } userErrors { code message } } }",
        field: "reactivateUser",
        variables: |w, place, _| json!({"input": {"userId": w.spare_user(place, true)}}),
    },
    Write {
        name: "issuePasswordReset",
        rule: may_manage_accounts,
        query: "mutation($input: IssuePasswordResetInput!) { issuePasswordReset(input: $input) { resetCode userErrors { code message } } }",
        field: "issuePasswordReset",
        variables: |w, place, _| json!({"input": {"userId": w.spare_user(place, true)}}),
    },
];

/// The account writes that use up an officer-and-viewer account per cell.
const ACCOUNT_WRITES: usize = 4;

/// An account of a place for one cell: an officer of the place's OPD who is
/// also a viewer of its district. Written directly (no password to hash).
async fn spare_account(kit: &Kit, name: &str, district: Option<i64>, opd: i64) -> String {
    use base64::Engine as _;
    use pendamping_domain::identity::{Role, RoleAssignment, Scope};
    use pendamping_domain::reference::{DistrictId, OpdId};
    let db = kit.engine_db();
    let user = pendamping_storage::identity::insert_user(
        &db,
        &format!("{}@test.example", name.to_lowercase()),
        name,
        None,
        demo_now(),
    )
    .await
    .unwrap();
    let mut roles = vec![RoleAssignment::new(Role::OpdOfficer, Scope::Opd(OpdId(opd))).unwrap()];
    if let Some(district) = district {
        roles.push(
            RoleAssignment::new(Role::Viewer, Scope::District(DistrictId(district))).unwrap(),
        );
    }
    for assignment in roles {
        pendamping_storage::identity::insert_assignment(&db, user.id, assignment, demo_now())
            .await
            .unwrap();
    }
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("User:{}", user.id.0))
}

#[tokio::test]
async fn every_role_changes_exactly_what_the_policy_allows() {
    let w = world().await;
    let mut cells = 0;
    let mut failures = Vec::new();
    for write in WRITES {
        for who in EVERYONE {
            for place in [Place::Own, Place::Neighbour, Place::Elsewhere] {
                if (write.name == "addComment"
                    || write.name == "addEvidence"
                    || write.name == "extendActionItemDueDate")
                    && w.ids(place)["openItem"].is_null()
                {
                    continue; // no item being worked on at this place
                }
                if (write.name == "addMilestone"
                    || write.name == "raiseActionItem"
                    || write.name == "recordAmendment")
                    && w.ids(place)["activeAgreement"].is_null()
                {
                    continue; // no active agreement at this place
                }
                cells += 1;
                let mut vars = (write.variables)(&w, place, cells);
                if write.name == "extendActionItemDueDate" {
                    // A workflow action checks the version first: give the
                    // current one, so each cell is judged on role and scope.
                    let now = w
                        .kit
                        .data(
                            ADMIN,
                            "query($id: ID!) { node(id: $id) { ... on ActionItem { version } } }",
                            json!({"id": w.ids(place)["openItem"]}),
                        )
                        .await;
                    vars["input"]["version"] = now["node"]["version"].clone();
                }
                let response = w.run(who, write.query, vars).await;
                assert!(
                    response.get("errors").is_none(),
                    "{} as {who:?}: {response}",
                    write.name
                );
                let payload = &response["data"][write.field];
                let errors = payload["userErrors"].as_array().unwrap();
                let allowed = (write.rule)(who, place);
                let done = errors.is_empty();
                if done != allowed {
                    failures.push(format!(
                        "{} as {who:?} at {place:?}: done {done}, expected {allowed}: {payload}",
                        write.name
                    ));
                } else if !allowed
                    // Outside the reach the record reads as missing, which leaks nothing.
                    && !matches!(
                        errors[0]["code"].as_str(),
                        Some("FORBIDDEN" | "BAD_USER_INPUT" | "NOT_FOUND")
                    )
                {
                    failures.push(format!(
                        "{} as {who:?} at {place:?}: refused with {}",
                        write.name, errors[0]["code"]
                    ));
                }
            }
        }
    }
    println!("write matrix: {cells} cells");
    assert!(failures.is_empty(), "{failures:#?}");
}

#[tokio::test]
async fn anonymous_callers_may_only_log_in() {
    let w = world().await;
    for write in WRITES {
        let vars = (write.variables)(&w, Place::Own, 999);
        let response = w.kit.run_with_token(None, write.query, vars).await;
        assert_eq!(
            error_code(&response).as_deref(),
            Some("UNAUTHENTICATED"),
            "{}",
            write.name
        );
    }
    for read in READS {
        let id = &w.ids(Place::Own)[read.target.1];
        let response = w
            .kit
            .run_with_token(None, read.query, json!({ read.target.0: id }))
            .await;
        assert_eq!(
            error_code(&response).as_deref(),
            Some("UNAUTHENTICATED"),
            "{}",
            read.name
        );
    }
}

const MY_NOTIFICATIONS: &str = "{ notifications(first: 100, includeWithdrawn: true) { totalCount nodes { id kind subject { __typename ... on ActionItem { id } ... on Milestone { id } } } } }";
const MARK_READ: &str = "mutation($id: ID!) { markNotificationRead(input: { id: $id }) { notification { id isRead } userErrors { code message } } }";
const MARK_ALL_READ: &str =
    "mutation { markAllNotificationsRead { marked userErrors { code message } } }";

/// Who the deadline sweeper tells about the demo's long-overdue items: the
/// office (escalations), the district's coordinator, and the OPD that does
/// the work. Administrators, viewers and dashboard tokens have no inbox.
fn receives_notifications(who: Who) -> bool {
    matches!(
        who,
        Who::Lead | Who::Assessor | Who::Coordinator | Who::OpdOfficer
    )
}

/// `notifications`, `markNotificationRead` and `markAllNotificationsRead`:
/// each user reads and marks only their own; someone else's notification does
/// not exist for them.
#[tokio::test]
async fn everyone_reads_and_marks_only_their_own_notifications() {
    let w = world().await;
    w.kit
        .engine
        .sweep_deadlines(&pendamping_domain::deadline::DeadlinePolicy::default())
        .await
        .unwrap();
    let mut inboxes = Vec::new();
    let mut failures = Vec::new();
    for who in EVERYONE {
        let response = w.run(who, MY_NOTIFICATIONS, json!({})).await;
        assert!(response.get("errors").is_none(), "{who:?}: {response}");
        let list = &response["data"]["notifications"];
        let ids: Vec<String> = list["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["id"].as_str().unwrap().to_owned())
            .collect();
        if ids.is_empty() == receives_notifications(who) {
            failures.push(format!("{who:?} has {} notifications", ids.len()));
        }
        assert_eq!(count(&list["totalCount"]), ids.len() as i64, "{who:?}");
        // What you are told about, you may read.
        for node in list["nodes"].as_array().unwrap() {
            if node["subject"].is_null() {
                failures.push(format!("{who:?} cannot see the subject of {node}"));
            }
        }
        inboxes.push((who, ids));
    }
    let mut cells = 0;
    for asker in EVERYONE {
        for (owner, ids) in &inboxes {
            let Some(id) = ids.first() else { continue };
            cells += 1;
            let response = w.run(asker, MARK_READ, json!({"id": id})).await;
            assert!(response.get("errors").is_none(), "{asker:?}: {response}");
            let payload = &response["data"]["markNotificationRead"];
            let errors = payload["userErrors"].as_array().unwrap();
            let allowed = asker == *owner;
            if errors.is_empty() != allowed {
                failures.push(format!(
                    "markNotificationRead of {owner:?}'s as {asker:?}: {payload}"
                ));
            } else if !allowed
                && !matches!(errors[0]["code"].as_str(), Some("NOT_FOUND" | "FORBIDDEN"))
            {
                failures.push(format!(
                    "markNotificationRead as {asker:?}: refused with {}",
                    errors[0]["code"]
                ));
            } else if allowed && payload["notification"]["isRead"] != true {
                failures.push(format!("{asker:?} marked but not read: {payload}"));
            }
        }
        cells += 1;
        let response = w.run(asker, MARK_ALL_READ, json!({})).await;
        assert!(response.get("errors").is_none(), "{asker:?}: {response}");
        let errors = response["data"]["markAllNotificationsRead"]["userErrors"]
            .as_array()
            .unwrap();
        // A dashboard token is nobody: it has no notifications to mark.
        if errors.is_empty() == (asker == Who::DashboardToken) {
            failures.push(format!("markAllNotificationsRead as {asker:?}: {response}"));
        }
    }
    println!("notification matrix: {cells} cells");
    assert!(failures.is_empty(), "{failures:#?}");
}

#[tokio::test]
async fn anonymous_callers_have_no_notifications() {
    let w = world().await;
    for (query, variables) in [
        (MY_NOTIFICATIONS, json!({})),
        (MARK_READ, json!({"id": "Tm90aWZpY2F0aW9uOjE"})),
        (MARK_ALL_READ, json!({})),
    ] {
        let response = w.kit.run_with_token(None, query, variables).await;
        assert_eq!(
            error_code(&response).as_deref(),
            Some("UNAUTHENTICATED"),
            "{query}"
        );
    }
}

// ---- accounts and sessions (issue 14) ------------------------------------

const USERS: &str =
    "{ users(first: 100) { totalCount nodes { email active lastLoginAt roles { role } } } }";

/// `users` lists exactly the accounts a caller manages: every role × the
/// accounts of every place.
#[tokio::test]
async fn everyone_lists_exactly_the_accounts_they_manage() {
    let w = world().await;
    let mut failures = Vec::new();
    let mut cells = 0;
    for who in EVERYONE {
        let response = w.run(who, USERS, json!({})).await;
        assert!(response.get("errors").is_none(), "{who:?}: {response}");
        let nodes = response["data"]["users"]["nodes"].as_array().unwrap();
        for place in [Place::Own, Place::Neighbour, Place::Elsewhere] {
            cells += 1;
            let prefix = format!("spare.{place:?}.").to_lowercase();
            let listed: Vec<&Value> = nodes
                .iter()
                .filter(|n| n["email"].as_str().unwrap().starts_with(&prefix))
                .collect();
            let expected = may_manage_accounts(who, place);
            if listed.is_empty() == expected {
                failures.push(format!(
                    "users as {who:?} at {place:?}: expected {expected}"
                ));
            }
            for n in listed {
                if n["roles"].as_array().unwrap().is_empty() || n["active"] != true {
                    failures.push(format!("users as {who:?}: {n} lacks its roles"));
                }
            }
        }
    }
    // The Sekda logged in (the world's tokens): whoever manages the account sees when.
    let lead = w.run(Who::Lead, USERS, json!({})).await;
    let sekda = lead["data"]["users"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["email"] == SEKDA_MATENG)
        .cloned()
        .unwrap();
    assert!(sekda["lastLoginAt"].is_string(), "{sekda}");
    println!("users matrix: {cells} cells");
    assert!(failures.is_empty(), "{failures:#?}");
}

const MY_SESSIONS: &str = "{ mySessions { id current createdAt expiresAt } }";
const REVOKE_SESSION: &str = "mutation($id: ID!) { revokeSession(input: { sessionId: $id }) { revoked userErrors { code message } } }";

/// `mySessions` and `revokeSession`: everyone sees and ends only their own
/// sessions; a dashboard token has none.
#[tokio::test]
async fn everyone_sees_and_ends_only_their_own_sessions() {
    let w = world().await;
    let mut failures = Vec::new();
    let mut spare = Vec::new();
    // A second session of each person, to be ended.
    for (who, email) in [
        (Who::Admin, ADMIN),
        (Who::Lead, LEAD),
        (Who::Assessor, ASSESSOR),
        (Who::Coordinator, SEKDA_MATENG),
        (Who::OpdOfficer, RSUD_OFFICER),
        (Who::Viewer, VIEWER_MATENG),
    ] {
        let token = w.kit.token(email).await;
        let list = w
            .kit
            .run_with_token(Some(token.clone()), MY_SESSIONS, json!({}))
            .await;
        let current = find(&list["data"]["mySessions"], "current", true)["id"].clone();
        spare.push((who, token, current));
    }
    let mut cells = 0;
    for asker in EVERYONE {
        let mine = w.run(asker, MY_SESSIONS, json!({})).await;
        let sessions = mine["data"]["mySessions"].as_array().unwrap();
        let has_sessions = asker != Who::DashboardToken;
        if sessions.is_empty() == has_sessions
            || (has_sessions && sessions.iter().filter(|s| s["current"] == true).count() != 1)
        {
            failures.push(format!("mySessions as {asker:?}: {mine}"));
        }
        for (owner, _, id) in &spare {
            if *owner == asker {
                continue; // ended below, by the owner, once the others have tried
            }
            cells += 1;
            let response = w.run(asker, REVOKE_SESSION, json!({"id": id})).await;
            let errors = response["data"]["revokeSession"]["userErrors"]
                .as_array()
                .unwrap();
            if errors.is_empty() || errors[0]["code"] != "NOT_FOUND" {
                failures.push(format!(
                    "revokeSession of {owner:?}'s as {asker:?}: {response}"
                ));
            }
        }
    }
    for (owner, token, id) in &spare {
        cells += 1;
        assert!(
            w.kit.engine.authenticate(token).await.is_ok(),
            "{owner:?}'s session still works"
        );
        let response = w.run(*owner, REVOKE_SESSION, json!({"id": id})).await;
        if response["data"]["revokeSession"]["revoked"] != true {
            failures.push(format!(
                "{owner:?} could not end its own session: {response}"
            ));
        }
        if w.kit.engine.authenticate(token).await.is_ok() {
            failures.push(format!("{owner:?}'s ended session still works"));
        }
    }
    println!("session matrix: {cells} cells");
    assert!(failures.is_empty(), "{failures:#?}");
}

#[tokio::test]
async fn anonymous_callers_see_no_accounts_and_may_only_reset_with_a_code() {
    let w = world().await;
    for (query, variables) in [
        (USERS, json!({})),
        (MY_SESSIONS, json!({})),
        (REVOKE_SESSION, json!({"id": "U2Vzc2lvbjox"})),
        (
            "mutation { changePassword(input: { oldPassword: \"pendamping-demo\", newPassword: \"a long enough password\" }) { user { id } } }",
            json!({}),
        ),
    ] {
        let response = w.kit.run_with_token(None, query, variables).await;
        assert_eq!(
            error_code(&response).as_deref(),
            Some("UNAUTHENTICATED"),
            "{query}"
        );
    }
    let wrong = w
        .kit
        .run_with_token(
            None,
            "mutation { resetPassword(input: { email: \"rsud@mamujutengah.example\", code: \"AAAA-AAAA-AAAA\", newPassword: \"a long enough password\" }) { reset userErrors { field code } } }",
            json!({}),
        )
        .await;
    assert_eq!(wrong["data"]["resetPassword"]["reset"], false, "{wrong}");
    assert_eq!(
        wrong["data"]["resetPassword"]["userErrors"][0]["field"],
        json!(["input", "code"])
    );
}
