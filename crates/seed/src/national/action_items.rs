//! Action items: each one's life simulated up to the reference day, with its
//! evidence, comments and audit trail.

use chrono::{DateTime, NaiveDate, Utc};
use pendamping_domain::action_item::{ActionItemStatus, Priority};
use pendamping_domain::agreement::AgreementStatus;
use pendamping_domain::events::EventKind;
use pendamping_storage::bulk::{Cell, tables};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::Generator;
use super::agreements::AgreementPlan;
use super::days::{at, plus};
use super::names;
use super::output::{AuditEntry, json_status};
use super::random::{hex, pick};
use super::world::OpdPlan;

/// An action item's transition: when, taken by the OPD, event, from, to, reason.
type ItemEvent<'a> = (
    DateTime<Utc>,
    bool,
    EventKind,
    &'a str,
    &'a str,
    Option<&'a str>,
);

impl Generator<'_> {
    /// One action item and its history, simulated up to the reference day.
    /// `finding_milestones` are (id, day held) of the agreement's milestones
    /// that raise findings.
    pub(super) fn action_item(
        &mut self,
        plan: &AgreementPlan<'_>,
        o: &OpdPlan,
        finding_milestones: &[(i64, NaiveDate)],
        rng: &mut ChaCha8Rng,
    ) -> ActionItemStatus {
        let AgreementPlan {
            office,
            district: d,
            id: agreement_id,
            start: first_day,
            status: agreement_status,
            assessor,
            ..
        } = *plan;
        let as_of = self.options.as_of;
        let last_day = plan.end.min(as_of).min(plan.closed_on);
        let id = self.ids.next(tables::ACTION_ITEMS);
        let (milestone_id, raised_on) = if !finding_milestones.is_empty() && rng.random_bool(0.6) {
            let (m, done) = *pick(rng, finding_milestones);
            (Some(m), plus(done, rng.random_range(0..4)).min(as_of))
        } else {
            let span = (last_day - first_day).num_days().max(1);
            (None, plus(first_day, rng.random_range(0..span)))
        };
        let due_on = plus(raised_on, *pick(rng, &[30, 45, 60, 60, 90, 120]));
        let (component, title, finding) = if rng.random_bool(0.05) {
            (
                None,
                "Menindaklanjuti saran perbaikan hasil monitoring",
                "Saran perbaikan umum dari kegiatan monitoring.",
            )
        } else {
            let (c, t, f) = pick(rng, names::FINDINGS);
            (Some(*c), *t, *f)
        };
        let priority = match rng.random_range(0..100) {
            0..=14 => Priority::Low,
            15..=59 => Priority::Medium,
            60..=89 => Priority::High,
            _ => Priority::Critical,
        };
        let officer = &o.officer;
        let assignee = rng.random_bool(0.85).then_some(officer.0);
        // A closed agreement leaves no loose ends; a slow OPD leaves work stalled.
        let closed = matches!(
            agreement_status,
            AgreementStatus::Completed | AgreementStatus::Terminated
        );
        let stalls = !closed && o.pace > 1.5 && rng.random_bool(0.35);
        let pace = o.pace;
        let delay = |rng: &mut ChaCha8Rng, lo: i64, hi: i64| -> i64 {
            ((rng.random_range(lo..hi) as f64) * pace).round().max(1.0) as i64
        };

        let raised_at = at(raised_on, rng.random_range(0..240));
        let mut events: Vec<ItemEvent> = vec![(
            raised_at,
            false,
            EventKind::ActionItemRaised,
            "",
            "OPEN",
            None,
        )];
        let mut status = ActionItemStatus::Open;
        let mut day = raised_on;
        let mut rejections = 0i32;
        let mut submitted: Option<DateTime<Utc>> = None;
        let mut verified: Option<DateTime<Utc>> = None;
        let mut cancellation: Option<&str> = None;
        let mut evidence_at: Vec<DateTime<Utc>> = Vec::new();
        let happens = |day: NaiveDate| day <= as_of;
        'life: {
            if rng.random_bool(if closed { 0.10 } else { 0.05 }) {
                let on = plus(day, rng.random_range(3..40));
                if happens(on) {
                    let reason = *pick(rng, names::CANCELLATION_REASONS);
                    events.push((
                        at(on, 300),
                        false,
                        EventKind::ActionItemCancelled,
                        "OPEN",
                        "CANCELLED",
                        Some(reason),
                    ));
                    status = ActionItemStatus::Cancelled;
                    cancellation = Some(reason);
                }
                break 'life;
            }
            if stalls && rng.random_bool(0.5) {
                break 'life;
            }
            day = plus(day, delay(rng, 1, 20));
            if !happens(day) {
                break 'life;
            }
            events.push((
                at(day, 60),
                true,
                EventKind::ActionItemStarted,
                "OPEN",
                "IN_PROGRESS",
                None,
            ));
            status = ActionItemStatus::InProgress;
            if stalls {
                break 'life;
            }
            loop {
                day = plus(day, delay(rng, 5, 45));
                if !happens(day) {
                    break 'life;
                }
                let when = at(day, 180);
                for _ in 0..rng.random_range(1..=2) {
                    evidence_at.push(when - chrono::Duration::minutes(30));
                }
                events.push((
                    when,
                    true,
                    EventKind::ActionItemSubmitted,
                    status.as_str(),
                    "SUBMITTED",
                    None,
                ));
                status = ActionItemStatus::Submitted;
                submitted = Some(when);
                day = plus(day, rng.random_range(2..21));
                if !happens(day) {
                    break 'life;
                }
                if rejections < 3 && rng.random_bool(0.15) {
                    let reason = *pick(rng, names::REJECTION_REASONS);
                    events.push((
                        at(day, 360),
                        false,
                        EventKind::ActionItemRejected,
                        "SUBMITTED",
                        "REJECTED",
                        Some(reason),
                    ));
                    status = ActionItemStatus::Rejected;
                    rejections += 1;
                    day = plus(day, delay(rng, 2, 15));
                    if !happens(day) {
                        break 'life;
                    }
                    events.push((
                        at(day, 60),
                        true,
                        EventKind::ActionItemResumed,
                        "REJECTED",
                        "IN_PROGRESS",
                        None,
                    ));
                    status = ActionItemStatus::InProgress;
                    continue;
                }
                let when = at(day, 360);
                events.push((
                    when,
                    false,
                    EventKind::ActionItemVerified,
                    "SUBMITTED",
                    "VERIFIED",
                    None,
                ));
                status = ActionItemStatus::Verified;
                verified = Some(when);
                break 'life;
            }
        }
        // An item of a completed agreement still open at its close was cancelled then.
        if closed
            && matches!(
                status,
                ActionItemStatus::Open | ActionItemStatus::InProgress
            )
        {
            let when = (events.last().map_or(raised_at, |e| e.0) + chrono::Duration::days(1))
                .min(at(as_of, 479));
            let reason = "Ditutup bersama berakhirnya perjanjian.";
            events.push((
                when,
                false,
                EventKind::ActionItemCancelled,
                status.as_str(),
                "CANCELLED",
                Some(reason),
            ));
            status = ActionItemStatus::Cancelled;
            cancellation = Some(reason);
        }
        let version = events.len() as i32;
        let updated = events.last().map_or(raised_at, |e| e.0);
        let verified_by = verified.map(|_| assessor.0);
        self.out.to(tables::ACTION_ITEMS).push([
            id.into(),
            agreement_id.into(),
            o.id.into(),
            d.id.into(),
            milestone_id.into(),
            title.into(),
            finding.into(),
            component.map(|c| c.as_str()).into(),
            priority.as_str().into(),
            assignee.into(),
            due_on.into(),
            status.as_str().into(),
            rejections.into(),
            cancellation.into(),
            submitted.map(|_| officer.0).into(),
            submitted.into(),
            verified_by.into(),
            verified.into(),
            version.into(),
            raised_at.into(),
            updated.into(),
        ]);
        for (n, when) in evidence_at.into_iter().enumerate() {
            let e_id = self.ids.next(tables::EVIDENCE);
            let (name, media_type) = if n % 2 == 0 {
                ("Bukti tindak lanjut.pdf", "application/pdf")
            } else {
                ("Foto papan informasi pelayanan.jpg", "image/jpeg")
            };
            let sha = hex(rng);
            self.out.to(tables::EVIDENCE).push([
                e_id.into(),
                id.into(),
                name.into(),
                media_type.into(),
                rng.random_range(40_000..3_000_000i64).into(),
                sha.into(),
                format!("https://dokumen.example/pendamping/{id}/{e_id}").into(),
                Cell::Null,
                officer.0.into(),
                when.into(),
            ]);
        }
        let comments = match rng.random_range(0..100) {
            0..=74 => 0,
            75..=94 => 1,
            _ => 2,
        };
        for k in 0..comments {
            let (author, body) = *pick(rng, names::COMMENTS);
            let author_id = if author.starts_with("Sekretariat") {
                d.coordinator.0
            } else {
                officer.0
            };
            let c_id = self.ids.next(tables::COMMENTS);
            self.out.to(tables::COMMENTS).push([
                c_id.into(),
                id.into(),
                author_id.into(),
                author.into(),
                body.into(),
                (raised_at + chrono::Duration::hours(2 + 24 * k)).into(),
            ]);
        }
        for (v, (when, by_opd, event, from, to, reason)) in events.into_iter().enumerate() {
            let actor = if by_opd { officer } else { assessor };
            let version = v as i32 + 1;
            let before = if event == EventKind::ActionItemRaised {
                Cell::Null
            } else {
                json_status(from, version - 1)
            };
            self.audit(AuditEntry {
                when,
                actor,
                action: event,
                object_type: "ActionItem",
                object_id: id,
                office_id: office.id,
                district_id: d.id,
                before,
                after: json_status(to, version),
                reason,
            });
        }
        status
    }
}
