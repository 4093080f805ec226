//! Action items: an OPD's finding and its corrective action, with evidence and comments.

use chrono::{DateTime, NaiveDate, Utc};

use crate::agreement::{AgreementId, MilestoneId};
use crate::identity::UserId;
use crate::reference::{DistrictId, OpdId};

id_type!(
    /// A finding and its corrective action for one OPD.
    ActionItemId
);
id_type!(
    /// A proof that a fix was made.
    EvidenceId
);
id_type!(
    /// A remark on an action item.
    CommentId
);

code_enum! {
    /// Where an action item stands.
    pub enum ActionItemStatus {
        /// Raised by the Ombudsman; the OPD has not started.
        Open = "OPEN",
        /// The OPD is working on it.
        InProgress = "IN_PROGRESS",
        /// The OPD submitted evidence; awaiting verification.
        Submitted = "SUBMITTED",
        /// The Ombudsman accepted the fix.
        Verified = "VERIFIED",
        /// The Ombudsman refused the fix, with a reason; the OPD resumes.
        Rejected = "REJECTED",
        /// Withdrawn by the Ombudsman, with a reason.
        Cancelled = "CANCELLED",
    }
}

impl ActionItemStatus {
    /// Still needs work from someone: not verified and not cancelled.
    pub const OPEN: &'static [ActionItemStatus] = &[
        ActionItemStatus::Open,
        ActionItemStatus::InProgress,
        ActionItemStatus::Submitted,
        ActionItemStatus::Rejected,
    ];

    /// The OPD's move: open, in progress, or rejected back to it. Only then
    /// can the item be late *against the OPD*; while SUBMITTED it waits on the
    /// Ombudsman office's verification instead.
    pub const OPDS_MOVE: &'static [ActionItemStatus] = &[
        ActionItemStatus::Open,
        ActionItemStatus::InProgress,
        ActionItemStatus::Rejected,
    ];

    /// Submitted by the OPD, waiting on the Ombudsman office's verification.
    pub const AWAITING_VERIFICATION: &'static [ActionItemStatus] = &[ActionItemStatus::Submitted];

    /// Nothing more to do: verified or cancelled.
    pub const DONE: &'static [ActionItemStatus] =
        &[ActionItemStatus::Verified, ActionItemStatus::Cancelled];

    /// Still needs work from someone (see [`Self::OPEN`]).
    pub fn is_open_work(self) -> bool {
        Self::OPEN.contains(&self)
    }

    /// The OPD's move (see [`Self::OPDS_MOVE`]).
    pub fn is_opds_move(self) -> bool {
        Self::OPDS_MOVE.contains(&self)
    }
}

code_enum! {
    /// How urgent an action item is.
    pub enum Priority {
        Low = "LOW",
        Medium = "MEDIUM",
        High = "HIGH",
        Critical = "CRITICAL",
    }
}

code_enum! {
    /// The service-standard components of UU 25/2009 art. 21 (PermenPAN-RB 15/2014)
    /// that an action item may fix.
    pub enum StandardComponent {
        /// *Dasar hukum*.
        LegalBasis = "LEGAL_BASIS",
        /// *Persyaratan*.
        Requirements = "REQUIREMENTS",
        /// *Sistem, mekanisme, dan prosedur*.
        Procedure = "PROCEDURE",
        /// *Jangka waktu penyelesaian*.
        CompletionTime = "COMPLETION_TIME",
        /// *Biaya/tarif*.
        Cost = "COST",
        /// *Produk pelayanan*.
        ServiceProduct = "SERVICE_PRODUCT",
        /// *Sarana, prasarana, dan/atau fasilitas*.
        Facilities = "FACILITIES",
        /// *Kompetensi pelaksana*.
        ImplementerCompetence = "IMPLEMENTER_COMPETENCE",
        /// *Pengawasan internal*.
        InternalSupervision = "INTERNAL_SUPERVISION",
        /// *Penanganan pengaduan, saran, dan masukan*.
        ComplaintHandling = "COMPLAINT_HANDLING",
        /// *Jumlah pelaksana*.
        NumberOfImplementers = "NUMBER_OF_IMPLEMENTERS",
        /// *Jaminan pelayanan*.
        ServiceGuarantee = "SERVICE_GUARANTEE",
        /// *Jaminan keamanan dan keselamatan pelayanan*.
        SecurityAndSafety = "SECURITY_AND_SAFETY",
        /// *Evaluasi kinerja pelaksana*.
        PerformanceEvaluation = "PERFORMANCE_EVALUATION",
    }
}

code_enum! {
    /// Where an action item comes from.
    pub enum Origin {
        /// A finding of a mentoring visit (linked to its milestone).
        VisitFinding = "VISIT_FINDING",
        /// An improvement the government identified itself.
        SelfIdentified = "SELF_IDENTIFIED",
        /// *Tindakan Korektif* of an Ombudsman LAHP.
        CorrectiveAction = "CORRECTIVE_ACTION",
        /// *Saran Perbaikan* of the Ombudsman.
        ImprovementSuggestion = "IMPROVEMENT_SUGGESTION",
        /// *Saran Penyempurnaan* of the Ombudsman.
        RefinementSuggestion = "REFINEMENT_SUGGESTION",
        /// *Rekomendasi* of the Ombudsman.
        Recommendation = "RECOMMENDATION",
    }
}

impl Origin {
    /// An Ombudsman supervision product, whose follow-up to completion counts
    /// towards the 2025 opinion's *Tanpa Maladministrasi* (and needs a document number).
    pub fn is_ombudsman_product(self) -> bool {
        !matches!(self, Origin::VisitFinding | Origin::SelfIdentified)
    }

    /// The origin of an item raised without one: a visit's finding when it
    /// names the milestone it was found at, else self-identified.
    pub fn default_for(milestone: Option<crate::agreement::MilestoneId>) -> Origin {
        if milestone.is_some() {
            Origin::VisitFinding
        } else {
            Origin::SelfIdentified
        }
    }
}

/// Where an action item comes from, with the product's document number and year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemOrigin {
    pub origin: Origin,
    /// The Ombudsman product's document number (products only).
    pub product_number: Option<String>,
    /// The year the product counts for (products only).
    pub product_year: Option<i32>,
}

/// A finding and its corrective action for one OPD under one agreement.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionItem {
    pub id: ActionItemId,
    pub agreement_id: AgreementId,
    pub opd_id: OpdId,
    /// The OPD's district, kept on the item so scoped lists need no join.
    pub district_id: DistrictId,
    pub milestone_id: Option<MilestoneId>,
    pub title: String,
    pub finding: String,
    pub standard_component: Option<StandardComponent>,
    pub priority: Priority,
    pub assignee_id: Option<UserId>,
    pub due_on: NaiveDate,
    pub status: ActionItemStatus,
    pub rejection_count: i32,
    pub cancellation_reason: Option<String>,
    pub submitted_by: Option<UserId>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub verified_by: Option<UserId>,
    pub verified_at: Option<DateTime<Utc>>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Where the item comes from.
    pub origin: ItemOrigin,
}

impl ActionItem {
    /// Past its due date (a calendar date in the district's zone) while it is
    /// the OPD's move. A SUBMITTED item is not overdue against the OPD: it
    /// waits on the Ombudsman office (see [`Self::awaiting_verification_days`]).
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.status.is_opds_move() && today > self.due_on
    }

    /// Whole days past the due date while it is the OPD's move; zero otherwise.
    pub fn days_overdue(&self, today: NaiveDate) -> i64 {
        if self.status.is_opds_move() {
            crate::deadline::days_past(self.due_on, today)
        } else {
            0
        }
    }

    /// Whole days a SUBMITTED item has waited for verification, counted from
    /// the local date it was submitted (`submitted_on`) to `today`; `None`
    /// when it is not waiting.
    pub fn awaiting_verification_days(
        &self,
        submitted_on: Option<NaiveDate>,
        today: NaiveDate,
    ) -> Option<i64> {
        match (self.status, submitted_on) {
            (ActionItemStatus::Submitted, Some(on)) => Some(crate::deadline::days_past(on, today)),
            _ => None,
        }
    }
}

/// One extension of an action item's due date, with its reason (kept like a
/// milestone's reschedules).
#[derive(Debug, Clone, PartialEq)]
pub struct DueDateChange {
    pub action_item_id: ActionItemId,
    pub old_date: NaiveDate,
    pub new_date: NaiveDate,
    pub reason: String,
    pub changed_by: Option<UserId>,
    pub changed_at: DateTime<Utc>,
}

impl DueDateChange {
    /// Days the due date slipped by this change.
    pub fn slip_days(&self) -> i64 {
        (self.new_date - self.old_date).num_days()
    }
}

/// A proof that a fix was made: a stored file or a link. Immutable once added.
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    pub id: EvidenceId,
    pub action_item_id: ActionItemId,
    pub name: String,
    pub media_type: String,
    pub size_bytes: i64,
    /// Lower-case hex SHA-256 of the content (of the URL for a link).
    pub sha256: String,
    pub url: Option<String>,
    pub uploaded_by: Option<UserId>,
    pub uploaded_at: DateTime<Utc>,
}

/// A remark on an action item.
#[derive(Debug, Clone, PartialEq)]
pub struct Comment {
    pub id: CommentId,
    pub action_item_id: ActionItemId,
    pub author_id: Option<UserId>,
    /// The author as shown to readers: a role title or an e-mail.
    pub author_label: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn item(status: ActionItemStatus, due_on: NaiveDate) -> ActionItem {
        let t = DateTime::<Utc>::MIN_UTC;
        ActionItem {
            id: ActionItemId(1),
            agreement_id: AgreementId(1),
            opd_id: OpdId(1),
            district_id: DistrictId(1),
            milestone_id: None,
            title: "Pengaduan".into(),
            finding: "Formalitas".into(),
            standard_component: Some(StandardComponent::ComplaintHandling),
            priority: Priority::High,
            assignee_id: None,
            due_on,
            status,
            rejection_count: 0,
            cancellation_reason: None,
            submitted_by: None,
            submitted_at: None,
            verified_by: None,
            verified_at: None,
            version: 1,
            created_at: t,
            updated_at: t,
            origin: ItemOrigin {
                origin: Origin::VisitFinding,
                product_number: None,
                product_year: None,
            },
        }
    }

    #[test]
    fn an_item_is_overdue_only_after_its_due_date_and_while_open() {
        let due = NaiveDate::from_ymd_opt(2021, 6, 30).unwrap();
        let on_due_day = due;
        let next_day = due.succ_opt().unwrap();
        assert!(!item(ActionItemStatus::Open, due).is_overdue(on_due_day));
        assert!(item(ActionItemStatus::Open, due).is_overdue(next_day));
        assert_eq!(
            item(ActionItemStatus::InProgress, due).days_overdue(next_day),
            1
        );
        assert!(!item(ActionItemStatus::Verified, due).is_overdue(next_day));
        assert!(!item(ActionItemStatus::Cancelled, due).is_overdue(next_day));
    }

    #[test]
    fn a_submitted_item_waits_on_the_office_not_the_opd() {
        let due = NaiveDate::from_ymd_opt(2021, 6, 30).unwrap();
        let later = NaiveDate::from_ymd_opt(2021, 7, 10).unwrap();
        let submitted = item(ActionItemStatus::Submitted, due);
        assert!(!submitted.is_overdue(later));
        assert_eq!(submitted.days_overdue(later), 0);
        assert_eq!(
            submitted.awaiting_verification_days(Some(due), later),
            Some(10)
        );
        let rejected = item(ActionItemStatus::Rejected, due);
        assert!(rejected.is_overdue(later), "rejected: the OPD's move again");
        assert_eq!(rejected.awaiting_verification_days(Some(due), later), None);
    }
}
