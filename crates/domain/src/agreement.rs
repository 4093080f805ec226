//! Cooperation agreements (*Perjanjian Kerja Sama*, PKS) and their milestones.

use chrono::{DateTime, NaiveDate, Utc};

use crate::identity::UserId;
use crate::reference::{DistrictId, OfficeId, OpdId};
use crate::validation::Validation;

id_type!(
    /// A cooperation agreement between one office and one district.
    AgreementId
);
id_type!(
    /// An activity of an agreement.
    MilestoneId
);
id_type!(
    /// An amendment (*addendum*) to a signed agreement.
    AmendmentId
);

code_enum! {
    /// Where an agreement stands.
    pub enum AgreementStatus {
        /// Being drafted; not yet signed.
        Draft = "DRAFT",
        /// Signed and running.
        Active = "ACTIVE",
        /// Every milestone done or cancelled, closing summary written.
        Completed = "COMPLETED",
        /// Ended early, with a reason.
        Terminated = "TERMINATED",
        /// Dropped before signing.
        Cancelled = "CANCELLED",
    }
}

code_enum! {
    /// The kind of activity a milestone is.
    pub enum MilestoneKind {
        /// *Sosialisasi*.
        Socialisation = "SOCIALISATION",
        /// *Bimbingan teknis*: technical guidance, e.g. on drafting service standards.
        Bimtek = "BIMTEK",
        /// *Penilaian mandiri*.
        SelfAssessment = "SELF_ASSESSMENT",
        /// *Monitoring*: a visit to OPDs.
        MonitoringVisit = "MONITORING_VISIT",
        /// *Penilaian Kepatuhan*: the assessment itself.
        Assessment = "ASSESSMENT",
        /// *Evaluasi*.
        Evaluation = "EVALUATION",
        /// *Laporan*: a report.
        Report = "REPORT",
        Other = "OTHER",
    }
}

code_enum! {
    /// Where a milestone stands.
    pub enum MilestoneStatus {
        Planned = "PLANNED",
        InProgress = "IN_PROGRESS",
        Done = "DONE",
        Cancelled = "CANCELLED",
    }
}

/// A cooperation agreement. Signed terms are never overwritten: changes after
/// signing are recorded as [`Amendment`]s.
#[derive(Debug, Clone, PartialEq)]
pub struct Agreement {
    pub id: AgreementId,
    pub office_id: OfficeId,
    pub district_id: DistrictId,
    /// The office's number of the document (*nomor* of the Ombudsman party).
    pub office_number: Option<String>,
    /// The district's number of the document.
    pub district_number: Option<String>,
    pub title: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    /// Title of the office's signatory, e.g. *Kepala Perwakilan*.
    pub office_signatory: Option<String>,
    /// Title of the district's signatory, e.g. *Bupati Mamuju Tengah*.
    pub district_signatory: Option<String>,
    pub signed_on: Option<NaiveDate>,
    pub status: AgreementStatus,
    pub closing_summary: Option<String>,
    pub termination_reason: Option<String>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Agreement {
    /// An ACTIVE agreement past its end date (in the district's zone) is overdue.
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.status == AgreementStatus::Active && today > self.period_end
    }

    /// Whole days an ACTIVE agreement is past its end date; zero otherwise.
    pub fn days_overdue(&self, today: NaiveDate) -> i64 {
        if self.status == AgreementStatus::Active {
            crate::deadline::days_past(self.period_end, today)
        } else {
            0
        }
    }
}

/// An amendment (*addendum*) to a signed agreement, kept beside the original terms.
#[derive(Debug, Clone, PartialEq)]
pub struct Amendment {
    pub id: AmendmentId,
    pub agreement_id: AgreementId,
    pub number: String,
    pub signed_on: NaiveDate,
    pub summary: String,
    pub new_period_end: Option<NaiveDate>,
    pub recorded_by: Option<UserId>,
    pub recorded_at: DateTime<Utc>,
    /// The changed terms' text, when the amendment rewrites them.
    pub terms: Option<String>,
    /// OPDs the amendment brings into the agreement's scope.
    pub added_opd_ids: Vec<OpdId>,
    /// OPDs the amendment takes out of the agreement's scope.
    pub removed_opd_ids: Vec<OpdId>,
}

/// An activity of an agreement.
#[derive(Debug, Clone, PartialEq)]
pub struct Milestone {
    pub id: MilestoneId,
    pub agreement_id: AgreementId,
    pub kind: MilestoneKind,
    pub title: String,
    pub planned_on: NaiveDate,
    pub actual_on: Option<NaiveDate>,
    pub location: Option<String>,
    pub outcome_notes: Option<String>,
    pub status: MilestoneStatus,
    pub cancellation_reason: Option<String>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl MilestoneStatus {
    /// Still to happen: planned or in progress.
    pub const OPEN: &'static [MilestoneStatus] =
        &[MilestoneStatus::Planned, MilestoneStatus::InProgress];

    /// Closed: done or cancelled (an agreement completes only when all are).
    pub const CLOSED: &'static [MilestoneStatus] =
        &[MilestoneStatus::Done, MilestoneStatus::Cancelled];

    /// Still to happen (see [`Self::OPEN`]).
    pub fn is_open(self) -> bool {
        Self::OPEN.contains(&self)
    }
}

impl Milestone {
    /// Planned or in progress and past its planned date (in the district's zone).
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.status.is_open() && today > self.planned_on
    }

    /// Whole days past the planned date while still open; zero otherwise.
    pub fn days_overdue(&self, today: NaiveDate) -> i64 {
        if self.status.is_open() {
            crate::deadline::days_past(self.planned_on, today)
        } else {
            0
        }
    }
}

/// One slip of a milestone's planned date.
#[derive(Debug, Clone, PartialEq)]
pub struct Reschedule {
    pub milestone_id: MilestoneId,
    pub old_date: NaiveDate,
    pub new_date: NaiveDate,
    pub reason: String,
    pub rescheduled_by: Option<UserId>,
    pub rescheduled_at: DateTime<Utc>,
}

impl Reschedule {
    /// Days the milestone slipped (negative when brought forward).
    pub fn slip_days(&self) -> i64 {
        (self.new_date - self.old_date).num_days()
    }
}

/// Input for a new draft agreement.
#[derive(Debug, Clone)]
pub struct NewAgreement {
    pub office_id: OfficeId,
    pub district_id: DistrictId,
    pub title: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub office_number: Option<String>,
    pub district_number: Option<String>,
    pub office_signatory: Option<String>,
    pub district_signatory: Option<String>,
    pub opd_ids: Vec<OpdId>,
}

impl NewAgreement {
    pub fn validate(&self) -> Result<(), Vec<crate::FieldError>> {
        let mut v = Validation::new();
        v.text("title", &self.title, 300);
        v.check(
            self.period_end >= self.period_start,
            "periodEnd",
            "must not be before periodStart",
        );
        v.optional_text("officeNumber", self.office_number.as_deref(), 100);
        v.optional_text("districtNumber", self.district_number.as_deref(), 100);
        v.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn an_agreement_cannot_end_before_it_starts() {
        let draft = NewAgreement {
            office_id: OfficeId(1),
            district_id: DistrictId(1),
            title: "PKS Pendampingan Kepatuhan 2021".into(),
            period_start: date(2021, 4, 29),
            period_end: date(2021, 4, 28),
            office_number: None,
            district_number: None,
            office_signatory: None,
            district_signatory: None,
            opd_ids: vec![],
        };
        let errors = draft.validate().unwrap_err();
        assert_eq!(errors[0].field, "periodEnd");
    }

    #[test]
    fn a_slip_counts_calendar_days() {
        let slip = Reschedule {
            milestone_id: MilestoneId(1),
            old_date: date(2021, 6, 28),
            new_date: date(2021, 7, 12),
            reason: "Idul Adha".into(),
            rescheduled_by: None,
            rescheduled_at: DateTime::<Utc>::MIN_UTC,
        };
        assert_eq!(slip.slip_days(), 14);
    }
}
