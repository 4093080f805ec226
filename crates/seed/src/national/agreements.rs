//! Agreements: one or two per government (and now and then a draft of the
//! next), their milestones and action items, and their own history.

use chrono::{Datelike, NaiveDate};
use pendamping_domain::action_item::ActionItemStatus;
use pendamping_domain::agreement::AgreementStatus;
use pendamping_domain::events::EventKind;
use pendamping_storage::bulk::{Cell, tables};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::Generator;
use super::days::{at, plus};
use super::output::{AuditEntry, json_status};
use super::random::pick;
use super::world::{DistrictPlan, OfficePlan, World};

/// One agreement being written: whose it is, its term and how it ended, and
/// the assessor who follows it.
pub(super) struct AgreementPlan<'a> {
    pub(super) office: &'a OfficePlan,
    pub(super) district: &'a DistrictPlan,
    pub(super) id: i64,
    /// The day it was drafted.
    pub(super) created_on: NaiveDate,
    pub(super) start: NaiveDate,
    pub(super) end: NaiveDate,
    pub(super) status: AgreementStatus,
    /// The day it was completed or terminated; the reference day while it runs.
    pub(super) closed_on: NaiveDate,
    pub(super) assessor: &'a (i64, String),
}

/// Which of an OPD's action items an agreement holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Portion {
    All,
    /// About a third, for an earlier (completed) agreement.
    Earlier,
    /// What the earlier agreement did not take.
    Rest,
    None,
}

fn roman(month: u32) -> &'static str {
    [
        "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII",
    ][(month.clamp(1, 12) - 1) as usize]
}

impl Generator<'_> {
    /// Everything of one government: agreements, milestones, action items, scores.
    pub(super) fn district(&mut self, world: &World, d: &DistrictPlan, rng: &mut ChaCha8Rng) {
        let office = &world.offices[d.office];
        let as_of = self.options.as_of;
        // The current agreement began 2–20 months ago and runs a year (sometimes 18 months).
        let start = plus(as_of, -rng.random_range(60..600));
        let months = if rng.random_bool(0.2) { 18 } else { 12 };
        let end = plus(start, months * 365 / 12 - 1);
        let status = if end < plus(as_of, -45) {
            match rng.random_range(0..10) {
                0..=5 => AgreementStatus::Completed,
                6..=8 => AgreementStatus::Active,
                _ => AgreementStatus::Terminated,
            }
        } else if rng.random_bool(0.04) {
            AgreementStatus::Terminated
        } else {
            AgreementStatus::Active
        };
        let earlier = rng.random_bool(0.45);
        let draft_next = !earlier && rng.random_bool(0.08);

        let mut agreements = Vec::new();
        if earlier {
            let e_start = plus(start, -(730 + rng.random_range(-60..60)));
            agreements.push((e_start, plus(e_start, 364), AgreementStatus::Completed));
        }
        agreements.push((start, end, status));
        if draft_next {
            let n_start = plus(as_of, rng.random_range(20..100));
            agreements.push((n_start, plus(n_start, 364), AgreementStatus::Draft));
        }
        // Each OPD's items go to the current agreement; an earlier one takes about a third.
        for (i, (a_start, a_end, a_status)) in agreements.into_iter().enumerate() {
            let portion = match (a_status, earlier, i) {
                (AgreementStatus::Draft, _, _) => Portion::None,
                (_, true, 0) => Portion::Earlier,
                (_, true, _) => Portion::Rest,
                _ => Portion::All,
            };
            self.agreement(office, d, rng, (a_start, a_end, a_status), portion);
        }
        self.scores(office, d, rng);
    }

    fn agreement(
        &mut self,
        office: &OfficePlan,
        d: &DistrictPlan,
        rng: &mut ChaCha8Rng,
        (start, end, status): (NaiveDate, NaiveDate, AgreementStatus),
        portion: Portion,
    ) {
        let as_of = self.options.as_of;
        let id = self.ids.next(tables::AGREEMENTS);
        let lead = &office.lead;
        let assessor = pick(rng, &office.assessors).clone();
        let created_on = plus(start, -rng.random_range(20..60)).min(as_of);
        let created = at(created_on, rng.random_range(0..480));
        let signed = status != AgreementStatus::Draft;
        let signed_on = plus(start, -rng.random_range(0..14)).max(created_on);
        let closed_on = match status {
            AgreementStatus::Completed => plus(end, rng.random_range(5..40)).min(as_of),
            AgreementStatus::Terminated => plus(start, rng.random_range(90..300))
                .min(as_of)
                .max(signed_on),
            _ => as_of,
        };
        let number: i64 = rng.random_range(1..400);
        for o in &d.opds {
            self.out
                .to(tables::AGREEMENT_OPDS)
                .push([id.into(), o.id.into()]);
        }

        let plan = AgreementPlan {
            office,
            district: d,
            id,
            created_on,
            start,
            end,
            status,
            closed_on,
            assessor: &assessor,
        };
        let finding_milestones = self.milestones(&plan, rng);

        // Action items.
        let mut verified = 0u64;
        let mut raised = 0u64;
        if portion != Portion::None {
            for o in &d.opds {
                let earlier = (o.action_items as f64 * 0.35).round() as u64;
                let count = match portion {
                    Portion::All => o.action_items,
                    Portion::Earlier => earlier,
                    Portion::Rest => o.action_items - earlier,
                    Portion::None => 0,
                };
                for _ in 0..count {
                    let status = self.action_item(&plan, o, &finding_milestones, rng);
                    raised += 1;
                    verified += u64::from(status == ActionItemStatus::Verified);
                }
            }
        }

        let year = start.year();
        let (office_number, district_number) = (
            format!(
                "B/{number:03}/PW.{:02}/{}/{year}",
                office.id % 100,
                roman(signed_on.month())
            ),
            format!("180/{:03}/{}/{year}", number + 7, roman(signed_on.month())),
        );
        let mut version = 1i32;
        let mut events = vec![(
            created,
            &assessor,
            EventKind::AgreementDrafted,
            Cell::Null,
            json_status("DRAFT", 1),
            None,
        )];
        let mut updated = created;
        if signed {
            version += 1;
            updated = at(signed_on, 240).max(updated);
            events.push((
                updated,
                lead,
                EventKind::AgreementSigned,
                json_status("DRAFT", 1),
                json_status("ACTIVE", 2),
                None,
            ));
        }
        let closing_summary = (status == AgreementStatus::Completed).then(|| {
            format!(
                "Seluruh kegiatan pendampingan telah dilaksanakan; {verified} dari {raised} rencana aksi terverifikasi."
            )
        });
        let termination_reason = (status == AgreementStatus::Terminated).then_some(
            "Diakhiri atas kesepakatan para pihak karena perubahan prioritas anggaran daerah.",
        );
        if matches!(
            status,
            AgreementStatus::Completed | AgreementStatus::Terminated
        ) {
            version += 1;
            updated = at(closed_on, 300).max(updated);
            events.push((
                updated,
                lead,
                if status == AgreementStatus::Completed {
                    EventKind::AgreementCompleted
                } else {
                    EventKind::AgreementTerminated
                },
                json_status("ACTIVE", 2),
                json_status(status.as_str(), 3),
                termination_reason,
            ));
        }
        self.out.to(tables::AGREEMENTS).push([
            id.into(),
            office.id.into(),
            d.id.into(),
            signed.then_some(office_number).into(),
            signed.then_some(district_number).into(),
            format!(
                "Perjanjian Kerja Sama Pendampingan Kepatuhan Standar Pelayanan Publik Pemerintah {} {year}",
                d.name
            )
            .into(),
            start.into(),
            end.into(),
            signed
                .then(|| format!("Kepala Ombudsman RI Perwakilan {}", d.province.name))
                .into(),
            signed.then(|| d.head.clone()).into(),
            signed.then_some(signed_on).into(),
            status.as_str().into(),
            closing_summary.into(),
            termination_reason.into(),
            version.into(),
            created.into(),
            updated.into(),
        ]);
        for (when, actor, action, before, after, reason) in events {
            let actor = actor.clone();
            self.audit(AuditEntry {
                when,
                actor: &actor,
                action,
                object_type: "Agreement",
                object_id: id,
                office_id: office.id,
                district_id: d.id,
                before,
                after,
                reason,
            });
        }
    }
}
