//! Milestones across an agreement's period, with their reschedules, the
//! OPDs they involve and their audit trail.

use chrono::{DateTime, NaiveDate, Utc};
use pendamping_domain::agreement::{AgreementStatus, MilestoneKind, MilestoneStatus};
use pendamping_domain::events::EventKind;
use pendamping_storage::bulk::{Cell, tables};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::Generator;
use super::agreements::AgreementPlan;
use super::days::{at, plus};
use super::output::{AuditEntry, json_status};

/// A milestone's audit entry: when, action, before, after, reason.
type MilestoneEvent<'a> = (DateTime<Utc>, EventKind, Cell, Cell, Option<&'a str>);

impl Generator<'_> {
    /// The agreement's milestones; returns (id, day held) of those where
    /// findings are raised.
    pub(super) fn milestones(
        &mut self,
        plan: &AgreementPlan<'_>,
        rng: &mut ChaCha8Rng,
    ) -> Vec<(i64, NaiveDate)> {
        let AgreementPlan {
            office,
            district: d,
            id,
            created_on,
            start,
            end,
            status,
            closed_on,
            assessor,
        } = *plan;
        let as_of = self.options.as_of;
        let opds = &d.opds;
        const PLAN: &[(MilestoneKind, f64, &str)] = &[
            (
                MilestoneKind::Socialisation,
                0.03,
                "Sosialisasi standar pelayanan publik",
            ),
            (
                MilestoneKind::Bimtek,
                0.10,
                "Bimtek penyusunan standar pelayanan",
            ),
            (
                MilestoneKind::SelfAssessment,
                0.25,
                "Penilaian mandiri kepatuhan",
            ),
            (
                MilestoneKind::MonitoringVisit,
                0.45,
                "Monitoring pemenuhan standar pelayanan",
            ),
            (MilestoneKind::Assessment, 0.65, "Penilaian kepatuhan"),
            (MilestoneKind::Evaluation, 0.85, "Evaluasi tindak lanjut"),
            (MilestoneKind::Report, 0.97, "Laporan akhir pendampingan"),
        ];
        let length = (end - start).num_days();
        let bare = d.name.split_once(' ').map_or(d.name.as_str(), |(_, b)| b);
        // (id, done on) of milestones where findings are raised.
        let mut finding_milestones: Vec<(i64, NaiveDate)> = Vec::new();
        for (kind, fraction, title) in PLAN {
            let m_id = self.ids.next(tables::MILESTONES);
            let planned_on = plus(start, (length as f64 * fraction) as i64);
            let rescheduled = rng.random_bool(0.12);
            let m_status = match status {
                AgreementStatus::Draft => MilestoneStatus::Planned,
                AgreementStatus::Completed => {
                    if rng.random_bool(0.05) {
                        MilestoneStatus::Cancelled
                    } else {
                        MilestoneStatus::Done
                    }
                }
                _ if planned_on > closed_on && status == AgreementStatus::Terminated => {
                    MilestoneStatus::Cancelled
                }
                _ if planned_on > as_of => MilestoneStatus::Planned,
                _ if planned_on > plus(as_of, -10) => MilestoneStatus::InProgress,
                _ => match rng.random_range(0..100) {
                    0..=2 => MilestoneStatus::Cancelled,
                    3..=6 => MilestoneStatus::InProgress,
                    _ => MilestoneStatus::Done,
                },
            };
            let actual_on = (m_status == MilestoneStatus::Done)
                .then(|| plus(planned_on, rng.random_range(0..4)).min(as_of));
            let location = match kind {
                MilestoneKind::SelfAssessment | MilestoneKind::Report => "Daring".to_owned(),
                MilestoneKind::MonitoringVisit | MilestoneKind::Assessment => {
                    format!("Unit layanan OPD, {bare}")
                }
                _ => format!(
                    "Aula Kantor {}",
                    d.head.split_once(' ').map_or("Bupati", |(h, _)| h)
                ),
            };
            let cancellation = (m_status == MilestoneStatus::Cancelled).then_some(
                if status == AgreementStatus::Terminated {
                    "Perjanjian diakhiri sebelum kegiatan."
                } else {
                    "Kegiatan digabung dengan kegiatan berikutnya."
                },
            );
            let mut version = 1i32;
            let planned_at = at(created_on, 30);
            let mut last = planned_at;
            let mut events: Vec<MilestoneEvent> = vec![(
                planned_at,
                EventKind::MilestonePlanned,
                Cell::Null,
                json_status("PLANNED", 1),
                None,
            )];
            if rescheduled {
                let old_date = plus(planned_on, -rng.random_range(7..30));
                let when = at(plus(old_date, -3).max(created_on), 60);
                version += 1;
                last = last.max(when);
                let r_id = self.ids.next(tables::MILESTONE_RESCHEDULES);
                self.out.to(tables::MILESTONE_RESCHEDULES).push([
                    r_id.into(),
                    m_id.into(),
                    old_date.into(),
                    planned_on.into(),
                    "Menyesuaikan jadwal kegiatan pemerintah daerah.".into(),
                    assessor.0.into(),
                    when.into(),
                ]);
                events.push((
                    when,
                    EventKind::MilestoneRescheduled,
                    json_status("PLANNED", version - 1),
                    json_status("PLANNED", version),
                    Some("Menyesuaikan jadwal kegiatan pemerintah daerah."),
                ));
            }
            if matches!(
                m_status,
                MilestoneStatus::InProgress | MilestoneStatus::Done
            ) {
                let when = at(planned_on.min(as_of), 0).max(last);
                version += 1;
                last = when;
                events.push((
                    when,
                    EventKind::MilestoneStarted,
                    json_status("PLANNED", version - 1),
                    json_status("IN_PROGRESS", version),
                    None,
                ));
            }
            if let Some(done) = actual_on {
                let when = at(done, 420).max(last);
                version += 1;
                last = when;
                events.push((
                    when,
                    EventKind::MilestoneCompleted,
                    json_status("IN_PROGRESS", version - 1),
                    json_status("DONE", version),
                    None,
                ));
                if matches!(
                    kind,
                    MilestoneKind::Bimtek
                        | MilestoneKind::MonitoringVisit
                        | MilestoneKind::Assessment
                        | MilestoneKind::Evaluation
                ) {
                    finding_milestones.push((m_id, done));
                }
            }
            if let Some(reason) = cancellation {
                let when = at(plus(planned_on, -2).min(as_of), 120).max(last);
                version += 1;
                last = when;
                events.push((
                    when,
                    EventKind::MilestoneCancelled,
                    json_status("PLANNED", version - 1),
                    json_status("CANCELLED", version),
                    Some(reason),
                ));
            }
            self.out.to(tables::MILESTONES).push([
                m_id.into(),
                id.into(),
                kind.as_str().into(),
                format!("{title} {bare}").into(),
                planned_on.into(),
                actual_on.into(),
                location.into(),
                actual_on
                    .map(|_| format!("{title} terlaksana; hasil dicatat untuk tindak lanjut OPD."))
                    .into(),
                m_status.as_str().into(),
                cancellation.into(),
                version.into(),
                planned_at.into(),
                last.into(),
            ]);
            // Socialisation reaches every OPD; field activities a sample of them.
            let involved = if *kind == MilestoneKind::Socialisation {
                opds.len()
            } else {
                rng.random_range(5..=15).min(opds.len())
            };
            let offset = rng.random_range(0..opds.len());
            let mut chosen: Vec<i64> = (0..involved)
                .map(|k| opds[(offset + k * 7) % opds.len()].id)
                .collect();
            chosen.sort_unstable();
            chosen.dedup();
            for opd in chosen {
                self.out
                    .to(tables::MILESTONE_OPDS)
                    .push([m_id.into(), opd.into()]);
            }
            for (when, action, before, after, reason) in events {
                self.audit(AuditEntry {
                    when,
                    actor: assessor,
                    action,
                    object_type: "Milestone",
                    object_id: m_id,
                    office_id: office.id,
                    district_id: d.id,
                    before,
                    after,
                    reason,
                });
            }
        }
        finding_milestones
    }
}
