//! The shapes of the demo data set: plain static data, read by the loader.
//! Dates are ISO `YYYY-MM-DD` strings; scores are integer hundredths (97.36 → 9736).
//! Records refer to each other by `key`, never by database id.

use pendamping_domain::action_item::{ActionItemStatus, Origin, Priority, StandardComponent};
use pendamping_domain::agreement::{AgreementStatus, MilestoneKind, MilestoneStatus};
use pendamping_domain::reference::{DistrictKind, OpdKind, TimeZone};
use pendamping_domain::score::ScoreKind;

pub struct DemoOffice {
    pub code: &'static str,
    pub name: &'static str,
    pub province: &'static str,
    pub time_zone: TimeZone,
}

pub struct DemoDistrict {
    /// Stable key, e.g. `mamuju-tengah`.
    pub key: &'static str,
    pub kind: DistrictKind,
    pub name: &'static str,
    pub province: &'static str,
    pub time_zone: TimeZone,
    pub opds: &'static [DemoOpd],
}

pub struct DemoOpd {
    /// Unique within its district, e.g. `rsud`, `dukcapil`.
    pub key: &'static str,
    pub name: &'static str,
    pub short_name: Option<&'static str>,
    pub kind: OpdKind,
    /// A title, never a personal name.
    pub head_title: Option<&'static str>,
}

pub struct DemoAgreement {
    pub key: &'static str,
    pub district_key: &'static str,
    pub title: &'static str,
    pub office_number: Option<&'static str>,
    pub district_number: Option<&'static str>,
    pub period_start: &'static str,
    pub period_end: &'static str,
    pub office_signatory: Option<&'static str>,
    pub district_signatory: Option<&'static str>,
    pub signed_on: Option<&'static str>,
    pub status: AgreementStatus,
    pub closing_summary: Option<&'static str>,
    pub termination_reason: Option<&'static str>,
    /// Keys of the district's OPDs in scope.
    pub opd_keys: &'static [&'static str],
    pub amendments: &'static [DemoAmendment],
    pub milestones: &'static [DemoMilestone],
    pub action_items: &'static [DemoActionItem],
}

pub struct DemoAmendment {
    pub number: &'static str,
    pub signed_on: &'static str,
    pub summary: &'static str,
    pub new_period_end: Option<&'static str>,
}

pub struct DemoMilestone {
    pub key: &'static str,
    pub kind: MilestoneKind,
    pub title: &'static str,
    pub planned_on: &'static str,
    pub actual_on: Option<&'static str>,
    pub location: Option<&'static str>,
    pub outcome_notes: Option<&'static str>,
    pub status: MilestoneStatus,
    pub cancellation_reason: Option<&'static str>,
    pub opd_keys: &'static [&'static str],
    /// Slips in the order they happened; `planned_on` is the date after the last one.
    pub reschedules: &'static [DemoReschedule],
}

pub struct DemoReschedule {
    pub old_date: &'static str,
    pub new_date: &'static str,
    pub reason: &'static str,
}

pub struct DemoActionItem {
    pub opd_key: &'static str,
    /// An Ombudsman supervision product this item follows up; `None` for a
    /// visit's finding (with a milestone) or a self-identified improvement.
    pub product: Option<DemoProduct>,
    pub milestone_key: Option<&'static str>,
    pub title: &'static str,
    pub finding: &'static str,
    pub standard_component: Option<StandardComponent>,
    pub priority: Priority,
    pub due_on: &'static str,
    pub status: ActionItemStatus,
    /// Reasons of past rejections, oldest first; their number is the rejection count.
    pub rejections: &'static [&'static str],
    pub cancellation_reason: Option<&'static str>,
    pub evidence: &'static [DemoEvidence],
    pub comments: &'static [DemoComment],
}

/// An Ombudsman supervision product: its kind, document number and year.
pub struct DemoProduct {
    pub origin: Origin,
    pub number: &'static str,
    pub year: i32,
}

pub struct DemoEvidence {
    pub name: &'static str,
    pub media_type: &'static str,
    /// A link; the demo stores no files.
    pub url: &'static str,
}

pub struct DemoComment {
    /// The author's role title, e.g. `Sekretariat Daerah`.
    pub author: &'static str,
    pub body: &'static str,
}

pub struct DemoPeriod {
    pub year: i32,
    pub name: &'static str,
    /// `KSP-2021`, `PKP-2022` or `OPINI-2025`.
    pub methodology_code: &'static str,
}

/// A published score line: where its total comes from, and the national rank published with it.
pub struct DemoPublished {
    pub year: i32,
    pub district_key: &'static str,
    pub source: &'static str,
    /// (rank, out of).
    pub national_rank: Option<(i32, i32)>,
}

pub struct DemoScore {
    pub year: i32,
    pub district_key: &'static str,
    /// `None` for the district's own (government-level) score.
    pub opd_key: Option<&'static str>,
    pub kind: ScoreKind,
    /// Integer hundredths.
    pub total: u16,
    /// Per-dimension values in hundredths, for PKP-2022 periods; empty otherwise.
    pub dimensions: &'static [(&'static str, u16)],
}
