//! The demo data set: Ombudsman RI Perwakilan Sulawesi Barat, the governments
//! it mentors, the 2021 Mamuju Tengah agreement and its story, score history,
//! and the demo users. Loaded in one transaction; loading twice changes nothing.

mod data;
pub mod model;

use std::collections::HashMap;
use std::fmt;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use pendamping_domain::action_item::{ActionItemStatus, ItemOrigin, Origin};
use pendamping_domain::agreement::{MilestoneId, Reschedule};
use pendamping_domain::events::EventKind;
use pendamping_domain::identity::{Actor, Role, RoleAssignment, Scope, UserId};
use pendamping_domain::reference::{DistrictId, NewDistrict, NewOffice, NewOpd, OfficeId, OpdId};
use pendamping_domain::score::Score;
use pendamping_storage::audit::{self, AuditRow};
use pendamping_storage::work::{
    ActionItemRow, AgreementRow, AmendmentRow, EvidenceRow, ItemProgress, MilestoneRow,
};
use pendamping_storage::{
    DatabaseTransaction, TransactionTrait, identity, reference as refs, scores, work,
};
use serde_json::json;
use sha2::{Digest, Sha256};

use pendamping_engine::{Engine, EngineError};

/// The password of every demo user. Demo only: change or drop these users in production.
pub const DEMO_PASSWORD: &str = "pendamping-demo";

/// The demo users: e-mail, display name (a title), role, and scope (district and OPD keys).
pub const DEMO_USERS: &[(&str, &str, Role, DemoScope)] = &[
    (
        "admin@demo.example",
        "Administrator Sistem",
        Role::SystemAdmin,
        DemoScope::Everything,
    ),
    (
        "kepala@sulbar.example",
        "Kepala Perwakilan Sulawesi Barat",
        Role::OmbudsmanLead,
        DemoScope::Office,
    ),
    (
        "asisten@sulbar.example",
        "Asisten Ombudsman",
        Role::OmbudsmanAssessor,
        DemoScope::Office,
    ),
    (
        "sekda@mamujutengah.example",
        "Sekretariat Daerah Mamuju Tengah",
        Role::DistrictCoordinator,
        DemoScope::District("mamuju-tengah"),
    ),
    (
        "rsud@mamujutengah.example",
        "Petugas RSUD Mamuju Tengah",
        Role::OpdOfficer,
        DemoScope::Opd("mamuju-tengah", "rsud"),
    ),
    (
        "dukcapil@mamujutengah.example",
        "Petugas Dukcapil Mamuju Tengah",
        Role::OpdOfficer,
        DemoScope::Opd("mamuju-tengah", "dukcapil"),
    ),
    (
        "viewer@mamujutengah.example",
        "Layar Dasbor Mamuju Tengah",
        Role::Viewer,
        DemoScope::District("mamuju-tengah"),
    ),
    (
        "sekda@mamuju.example",
        "Sekretariat Daerah Mamuju",
        Role::DistrictCoordinator,
        DemoScope::District("mamuju"),
    ),
];

/// Where a demo user's role is held, by demo keys.
#[derive(Debug, Clone, Copy)]
pub enum DemoScope {
    Everything,
    Office,
    District(&'static str),
    Opd(&'static str, &'static str),
}

/// What a load did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct DemoReport {
    pub already_loaded: bool,
    pub districts: usize,
    pub opds: usize,
    pub agreements: usize,
    pub milestones: usize,
    pub action_items: usize,
    pub scores: usize,
    pub users: usize,
}

impl fmt::Display for DemoReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.already_loaded {
            return write!(f, "demo data set already loaded; nothing changed");
        }
        write!(
            f,
            "demo data set loaded: 1 office, {} districts, {} OPDs, {} agreements, {} milestones, {} action items, {} scores, {} demo users (see the README)",
            self.districts,
            self.opds,
            self.agreements,
            self.milestones,
            self.action_items,
            self.scores,
            self.users
        )
    }
}

fn date(text: &str) -> Result<NaiveDate, EngineError> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| EngineError::invalid("demo", format!("`{text}` is not a date")))
}

/// 09:00 WITA (UTC+8) on a story date, the start of office hours in Sulbar,
/// never later than `now`: the demo's records carry their story dates.
fn story_at(day: NaiveDate, now: DateTime<Utc>) -> DateTime<Utc> {
    day.and_hms_opt(1, 0, 0)
        .map(|t| t.and_utc())
        .unwrap_or(now)
        .min(now)
}

fn opt_date(text: Option<&str>) -> Result<Option<NaiveDate>, EngineError> {
    text.map(date).transpose()
}

fn owned(text: Option<&str>) -> Option<String> {
    text.map(str::to_owned)
}

fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Ids of what the load created, by demo key.
#[derive(Default)]
struct Keys {
    districts: HashMap<&'static str, DistrictId>,
    opds: HashMap<(&'static str, &'static str), OpdId>,
    users: HashMap<&'static str, UserId>,
}

impl Keys {
    fn district(&self, key: &str) -> Result<DistrictId, EngineError> {
        self.districts
            .get(key)
            .copied()
            .ok_or_else(|| EngineError::invalid("demo", format!("no district `{key}`")))
    }

    fn opd(&self, district: &str, key: &str) -> Result<OpdId, EngineError> {
        self.opds
            .iter()
            .find(|((d, o), _)| *d == district && *o == key)
            .map(|(_, id)| *id)
            .ok_or_else(|| EngineError::invalid("demo", format!("no OPD `{key}` in `{district}`")))
    }
}

/// Loads the demo data set unless it is there already.
pub async fn load(engine: &Engine) -> Result<DemoReport, EngineError> {
    if refs::office_by_code(engine.db(), data::OFFICE.code)
        .await?
        .is_some()
    {
        return Ok(DemoReport {
            already_loaded: true,
            ..DemoReport::default()
        });
    }
    let txn = engine.db().begin().await?;
    let report = load_in(engine, &txn).await?;
    txn.commit().await?;
    Ok(report)
}

async fn load_in(engine: &Engine, txn: &DatabaseTransaction) -> Result<DemoReport, EngineError> {
    let now = engine.now();
    let system = Actor::system("demo seed");
    let mut report = DemoReport::default();
    let mut keys = Keys::default();

    let office = refs::insert_office(
        txn,
        &NewOffice {
            code: data::OFFICE.code.to_owned(),
            name: data::OFFICE.name.to_owned(),
            province: data::OFFICE.province.to_owned(),
            time_zone: data::OFFICE.time_zone,
        },
        now,
    )
    .await?;
    for d in data::DISTRICTS {
        let district = refs::insert_district(
            txn,
            &NewDistrict {
                office_id: office.id,
                kind: d.kind,
                name: d.name.to_owned(),
                province: d.province.to_owned(),
                time_zone: d.time_zone,
            },
            now,
        )
        .await?;
        keys.districts.insert(d.key, district.id);
        report.districts += 1;
        for o in d.opds {
            let opd = refs::insert_opd(
                txn,
                &NewOpd {
                    district_id: district.id,
                    name: o.name.to_owned(),
                    short_name: owned(o.short_name),
                    kind: o.kind,
                    head_title: owned(o.head_title),
                },
                now,
            )
            .await?;
            keys.opds.insert((d.key, o.key), opd.id);
            report.opds += 1;
        }
    }

    let password_hash = pendamping_engine::hash_password(DEMO_PASSWORD)?;
    for (email, name, role, scope) in DEMO_USERS {
        let scope = match scope {
            DemoScope::Everything => Scope::Everything,
            DemoScope::Office => Scope::Office(office.id),
            DemoScope::District(d) => Scope::District(keys.district(d)?),
            DemoScope::Opd(d, o) => Scope::Opd(keys.opd(d, o)?),
        };
        let assignment = RoleAssignment::new(*role, scope)
            .map_err(|e| EngineError::invalid("demo", e.to_string()))?;
        let user =
            identity::insert_user(txn, email, name, Some(password_hash.clone()), now).await?;
        identity::insert_assignment(txn, user.id, assignment, now).await?;
        keys.users.insert(email, user.id);
        report.users += 1;
    }

    load_agreements(txn, &keys, office.id, &system, &mut report, now).await?;
    load_scores(txn, &keys, &mut report, now).await?;
    Ok(report)
}

async fn load_agreements(
    txn: &DatabaseTransaction,
    keys: &Keys,
    office: OfficeId,
    system: &Actor,
    report: &mut DemoReport,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), EngineError> {
    let assessor = keys.users.get("asisten@sulbar.example").copied();
    for a in data::AGREEMENTS {
        let district = keys.district(a.district_key)?;
        let opd_ids = a
            .opd_keys
            .iter()
            .map(|k| keys.opd(a.district_key, k).map(|id| id.0))
            .collect::<Result<Vec<_>, _>>()?;
        // Drafted a fortnight before it was signed (or before its period, if unsigned).
        let drafted_on = opt_date(a.signed_on)?.unwrap_or(date(a.period_start)?);
        let drafted = story_at(drafted_on - Duration::days(14), now);
        let agreement = work::insert_agreement(
            txn,
            AgreementRow {
                office_id: office.0,
                district_id: district.0,
                office_number: owned(a.office_number),
                district_number: owned(a.district_number),
                title: a.title.to_owned(),
                period_start: date(a.period_start)?,
                period_end: date(a.period_end)?,
                office_signatory: owned(a.office_signatory),
                district_signatory: owned(a.district_signatory),
                signed_on: opt_date(a.signed_on)?,
                status: a.status,
                closing_summary: owned(a.closing_summary),
                termination_reason: owned(a.termination_reason),
            },
            &opd_ids,
            drafted,
        )
        .await?;
        report.agreements += 1;
        for amendment in a.amendments {
            work::insert_amendment(
                txn,
                AmendmentRow {
                    agreement_id: agreement.id.0,
                    number: amendment.number.to_owned(),
                    signed_on: date(amendment.signed_on)?,
                    summary: amendment.summary.to_owned(),
                    new_period_end: opt_date(amendment.new_period_end)?,
                    recorded_by: None,
                },
                story_at(date(amendment.signed_on)?, now),
            )
            .await?;
        }

        let mut milestones: HashMap<&str, MilestoneId> = HashMap::new();
        let mut held_on: HashMap<&str, NaiveDate> = HashMap::new();
        for m in a.milestones {
            let opd_ids = m
                .opd_keys
                .iter()
                .map(|k| keys.opd(a.district_key, k).map(|id| id.0))
                .collect::<Result<Vec<_>, _>>()?;
            let milestone = work::insert_milestone(
                txn,
                MilestoneRow {
                    agreement_id: agreement.id.0,
                    kind: m.kind,
                    title: m.title.to_owned(),
                    planned_on: date(m.planned_on)?,
                    actual_on: opt_date(m.actual_on)?,
                    location: owned(m.location),
                    outcome_notes: owned(m.outcome_notes),
                    status: m.status,
                    cancellation_reason: owned(m.cancellation_reason),
                },
                &opd_ids,
                drafted,
            )
            .await?;
            for slip in m.reschedules {
                work::insert_reschedule(
                    txn,
                    &Reschedule {
                        milestone_id: milestone.id,
                        old_date: date(slip.old_date)?,
                        new_date: date(slip.new_date)?,
                        reason: slip.reason.to_owned(),
                        rescheduled_by: assessor,
                        // Decided a week before the date it moved from.
                        rescheduled_at: story_at(date(slip.old_date)? - Duration::days(7), now),
                    },
                )
                .await?;
            }
            milestones.insert(m.key, milestone.id);
            let held = opt_date(m.actual_on)?.unwrap_or(date(m.planned_on)?);
            held_on.insert(m.key, held);
            report.milestones += 1;
        }

        for (index, item) in a.action_items.iter().enumerate() {
            let opd = keys.opd(a.district_key, item.opd_key)?;
            // A visit's finding is raised on the day of the visit; anything
            // else when the agreement was signed (or its period began).
            let raised_on = match item.milestone_key.and_then(|k| held_on.get(k)) {
                Some(day) => *day,
                None => opt_date(a.signed_on)?.unwrap_or(date(a.period_start)?),
            };
            let moments = Moments::of(date(item.due_on)?, index, now, raised_on);
            let officer = keys
                .users
                .iter()
                .find(|(email, _)| {
                    email.starts_with(item.opd_key) && a.district_key == "mamuju-tengah"
                })
                .map(|(_, id)| *id);
            let submitted = matches!(
                item.status,
                ActionItemStatus::Submitted | ActionItemStatus::Verified
            );
            let row = ActionItemRow {
                agreement_id: agreement.id.0,
                opd_id: opd.0,
                district_id: district.0,
                milestone_id: item
                    .milestone_key
                    .and_then(|k| milestones.get(k))
                    .map(|id| id.0),
                title: item.title.to_owned(),
                finding: item.finding.to_owned(),
                standard_component: item.standard_component,
                priority: item.priority,
                due_on: date(item.due_on)?,
                progress: ItemProgress {
                    assignee_id: officer.map(|u| u.0),
                    status: item.status,
                    rejection_count: i32::try_from(item.rejections.len()).unwrap_or(i32::MAX),
                    cancellation_reason: owned(item.cancellation_reason),
                    submitted_by: officer.filter(|_| submitted).map(|u| u.0),
                    submitted_at: submitted.then_some(moments.submitted),
                    verified_by: assessor
                        .filter(|_| item.status == ActionItemStatus::Verified)
                        .map(|u| u.0),
                    verified_at: (item.status == ActionItemStatus::Verified)
                        .then_some(moments.verified),
                },
            };
            let origin = match &item.product {
                Some(product) => ItemOrigin {
                    origin: product.origin,
                    product_number: Some(product.number.to_owned()),
                    product_year: Some(product.year),
                },
                None => ItemOrigin {
                    origin: Origin::default_for(row.milestone_id.map(MilestoneId)),
                    product_number: None,
                    product_year: None,
                },
            };
            let created = work::insert_action_item_from(txn, row, origin, moments.raised).await?;
            report.action_items += 1;
            let target = |action: EventKind, reason: Option<&str>| AuditRow {
                actor_id: system.user_id.map(|u| u.0),
                actor_label: system.label.clone(),
                action: action.as_str().to_owned(),
                object_type: "ActionItem",
                object_id: created.id.0,
                office_id: Some(office.0),
                district_id: Some(district.0),
                before: None,
                after: Some(json!({"status": item.status.as_str()})),
                reason: reason.map(str::to_owned),
            };
            audit::append(
                txn,
                target(EventKind::ActionItemRaised, None),
                moments.raised,
            )
            .await?;
            // Rejections fall between raising and the (last) submission.
            let rejections = item.rejections.len();
            for (n, reason) in item.rejections.iter().enumerate() {
                let at = moments.between(n + 1, rejections + 1, moments.submitted);
                audit::append(txn, target(EventKind::ActionItemRejected, Some(reason)), at).await?;
            }
            for e in item.evidence {
                work::insert_evidence(
                    txn,
                    EvidenceRow {
                        action_item_id: created.id.0,
                        name: e.name.to_owned(),
                        media_type: e.media_type.to_owned(),
                        size_bytes: 0,
                        sha256: sha256_hex(e.url),
                        url: Some(e.url.to_owned()),
                        storage_key: None,
                        uploaded_by: officer.map(|u| u.0),
                    },
                    // Uploaded just before the (first) submission.
                    moments.between(1, 2, moments.submitted),
                )
                .await?;
            }
            // Comments spread over the item's working life.
            let until = if item.status.is_open_work() {
                now
            } else {
                moments.verified
            };
            let count = item.comments.len();
            for (n, c) in item.comments.iter().enumerate() {
                let at = moments.between(n + 1, count + 1, until);
                work::insert_comment(txn, created.id.0, None, c.author, c.body, at).await?;
            }
        }
    }
    Ok(())
}

async fn load_scores(
    txn: &DatabaseTransaction,
    keys: &Keys,
    report: &mut DemoReport,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), EngineError> {
    let methodologies = scores::all_methodologies(txn).await?;
    let mut periods = HashMap::new();
    for p in data::PERIODS {
        let methodology = methodologies
            .iter()
            .find(|m| m.code == p.methodology_code)
            .ok_or_else(|| {
                EngineError::invalid("demo", format!("no methodology {}", p.methodology_code))
            })?;
        let period = match scores::period_by_year(txn, p.year).await? {
            Some(existing) => existing,
            None => scores::insert_period(txn, p.year, p.name, methodology.id, now).await?,
        };
        periods.insert(p.year, (period, methodology));
    }
    for s in data::SCORES {
        let (period, methodology) = periods
            .get(&s.year)
            .ok_or_else(|| EngineError::invalid("demo", format!("no period {}", s.year)))?;
        let total = Score::from_hundredths(i64::from(s.total))
            .map_err(|e| EngineError::invalid("demo", e.to_string()))?;
        let band = methodology
            .classify(total)
            .ok_or_else(|| EngineError::invalid("demo", format!("no band for {total}")))?;
        let values: Vec<(String, Score)> = s
            .dimensions
            .iter()
            .map(|(code, v)| {
                Score::from_hundredths(i64::from(*v))
                    .map(|score| ((*code).to_owned(), score))
                    .map_err(|e| EngineError::invalid("demo", e.to_string()))
            })
            .collect::<Result<_, _>>()?;
        let computed = if values.is_empty() {
            None
        } else {
            Some(
                methodology
                    .weighted_total(&values)
                    .map_err(|e| EngineError::invalid("demo", e.to_string()))?,
            )
        };
        let dimension_ids = scores::dimension_ids(txn, methodology.id).await?;
        let dimension_values = values
            .iter()
            .map(|(code, v)| {
                dimension_ids
                    .get(code)
                    .map(|id| (*id, *v))
                    .ok_or_else(|| EngineError::invalid("demo", format!("no dimension {code}")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let district = keys.district(s.district_key)?;
        let opd = s.opd_key.map(|k| keys.opd(s.district_key, k)).transpose()?;
        // A published total says where it comes from; every other figure is invented.
        let published = data::PUBLISHED_SCORES.iter().find(|p| {
            s.opd_key.is_none()
                && s.kind == pendamping_domain::score::ScoreKind::Official
                && p.year == s.year
                && p.district_key == s.district_key
        });
        let (provenance, facts) = match published {
            Some(p) => (
                pendamping_domain::score::Provenance::Published,
                scores::Published {
                    source: Some(p.source.to_owned()),
                    national_rank: p.national_rank,
                    ..scores::Published::default()
                },
            ),
            None => (
                pendamping_domain::score::Provenance::Illustrative,
                scores::Published::default(),
            ),
        };
        // Results are announced early in the following year.
        let recorded = NaiveDate::from_ymd_opt(s.year + 1, 1, 31)
            .map(|day| story_at(day, now))
            .unwrap_or(now);
        scores::insert_score(
            txn,
            scores::ScoreRow {
                period_id: period.id.0,
                methodology_id: methodology.id.0,
                district_id: district.0,
                opd_id: opd.map(|o| o.0),
                kind: s.kind,
                total,
                computed_total: computed,
                band_code: band.code.clone(),
                dimension_values,
                recorded_by: None,
                // Invented figures say so: no one may take them for published ones.
                provenance,
                published: facts,
            },
            recorded,
        )
        .await?;
        report.scores += 1;
    }
    Ok(())
}

/// When a demo action item was raised, submitted and verified. Raised on the
/// day of the visit it was found at (or when its agreement was signed); the
/// article gives no other dates, so the rest are illustrative (docs/demo.md):
/// fixed and verified within a fortnight either side of the due date, never
/// later than now.
struct Moments {
    raised: DateTime<Utc>,
    submitted: DateTime<Utc>,
    verified: DateTime<Utc>,
}

impl Moments {
    fn of(due: NaiveDate, index: usize, now: DateTime<Utc>, raised_on: NaiveDate) -> Moments {
        let at = |day: NaiveDate| story_at(day, now);
        let spread = i64::try_from(index % 24).unwrap_or(0) * 7 % 24 - 12;
        let raised = at(raised_on.min(due));
        let verified = at(due + Duration::days(spread)).max(raised);
        let submitted = at(due + Duration::days(spread - 4)).clamp(raised, verified);
        Moments {
            raised,
            submitted,
            verified,
        }
    }

    /// The instant `n / of` of the way from raising to `until`.
    fn between(&self, n: usize, of: usize, until: DateTime<Utc>) -> DateTime<Utc> {
        let span = (until - self.raised).max(Duration::zero());
        let n = i32::try_from(n).unwrap_or(0);
        let of = i32::try_from(of.max(1)).unwrap_or(1);
        self.raised + span * n / of
    }
}
