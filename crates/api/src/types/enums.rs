//! GraphQL enums, each the wire twin of a domain enum.

use async_graphql::Enum;
use pendamping_domain as d;

/// Declares a GraphQL enum with the same variants as a domain enum, and the
/// conversions both ways.
macro_rules! mirror {
    ($(#[$meta:meta])* $name:ident => $domain:path { $($(#[$vmeta:meta])* $variant:ident),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl From<$domain> for $name {
            fn from(value: $domain) -> Self {
                match value { $(<$domain>::$variant => $name::$variant),+ }
            }
        }

        impl From<$name> for $domain {
            fn from(value: $name) -> Self {
                match value { $($name::$variant => <$domain>::$variant),+ }
            }
        }
    };
}

mirror! {
    /// The kind of a local government.
    DistrictKind => d::reference::DistrictKind {
        /// *Pemerintah Provinsi*.
        Province,
        /// *Pemerintah Kabupaten* (regency).
        Regency,
        /// *Pemerintah Kota* (city).
        City,
    }
}

mirror! {
    /// Indonesia's time zones; a district's due dates are dates in its zone.
    TimeZone => d::reference::TimeZone {
        /// WIB, UTC+7 (`Asia/Jakarta`).
        Wib,
        /// WITA, UTC+8 (`Asia/Makassar`).
        Wita,
        /// WIT, UTC+9 (`Asia/Jayapura`).
        Wit,
    }
}

mirror! {
    /// The kind of an OPD.
    OpdKind => d::reference::OpdKind {
        /// *Sekretariat*.
        Secretariat,
        /// *Dinas*: a service department.
        Department,
        /// *Badan*: an agency.
        Agency,
        /// *Inspektorat*.
        Inspectorate,
        /// *Rumah Sakit Umum Daerah*: a regional hospital.
        Hospital,
        /// *Puskesmas*: a community health centre.
        HealthCentre,
        /// *Kecamatan*: a sub-district office.
        Subdistrict,
        /// Any other unit.
        Other,
    }
}

mirror! {
    /// Where an agreement stands.
    AgreementStatus => d::agreement::AgreementStatus {
        /// Being drafted; not yet signed.
        Draft,
        /// Signed and running.
        Active,
        /// Finished: every milestone done or cancelled, closing summary written.
        Completed,
        /// Ended early, with a reason.
        Terminated,
        /// Dropped before signing.
        Cancelled,
    }
}

mirror! {
    /// The kind of activity a milestone is.
    MilestoneKind => d::agreement::MilestoneKind {
        /// *Sosialisasi*.
        Socialisation,
        /// *Bimbingan teknis*: technical guidance.
        Bimtek,
        /// *Penilaian mandiri*.
        SelfAssessment,
        /// A monitoring visit to OPDs.
        MonitoringVisit,
        /// *Penilaian Kepatuhan*: the assessment.
        Assessment,
        /// *Evaluasi*.
        Evaluation,
        /// *Laporan*.
        Report,
        /// Any other activity.
        Other,
    }
}

mirror! {
    /// Where a milestone stands.
    MilestoneStatus => d::agreement::MilestoneStatus {
        /// Not started.
        Planned,
        /// Under way.
        InProgress,
        /// Held, with outcome notes and the actual date.
        Done,
        /// Called off, with a reason.
        Cancelled,
    }
}

mirror! {
    /// Where an action item stands.
    ActionItemStatus => d::action_item::ActionItemStatus {
        /// Raised; the OPD has not started.
        Open,
        /// The OPD is working on it.
        InProgress,
        /// Evidence submitted; awaiting verification.
        Submitted,
        /// Accepted by the Ombudsman.
        Verified,
        /// Refused by the Ombudsman, with a reason; the OPD resumes.
        Rejected,
        /// Withdrawn by the Ombudsman, with a reason.
        Cancelled,
    }
}

mirror! {
    /// How urgent an action item is.
    Priority => d::action_item::Priority {
        /// Low.
        Low,
        /// Medium.
        Medium,
        /// High.
        High,
        /// Critical.
        Critical,
    }
}

mirror! {
    /// A service-standard component of UU 25/2009 art. 21.
    StandardComponent => d::action_item::StandardComponent {
        /// *Dasar hukum*.
        LegalBasis,
        /// *Persyaratan*.
        Requirements,
        /// *Sistem, mekanisme, dan prosedur*.
        Procedure,
        /// *Jangka waktu penyelesaian*.
        CompletionTime,
        /// *Biaya/tarif*.
        Cost,
        /// *Produk pelayanan*.
        ServiceProduct,
        /// *Sarana, prasarana, dan/atau fasilitas*.
        Facilities,
        /// *Kompetensi pelaksana*.
        ImplementerCompetence,
        /// *Pengawasan internal*.
        InternalSupervision,
        /// *Penanganan pengaduan, saran, dan masukan*.
        ComplaintHandling,
        /// *Jumlah pelaksana*.
        NumberOfImplementers,
        /// *Jaminan pelayanan*.
        ServiceGuarantee,
        /// *Jaminan keamanan dan keselamatan pelayanan*.
        SecurityAndSafety,
        /// *Evaluasi kinerja pelaksana*.
        PerformanceEvaluation,
    }
}

mirror! {
    /// The colour a score band counts as.
    Zone => d::score::Zone {
        /// *Zona hijau*: high compliance.
        Green,
        /// *Zona kuning*: medium compliance.
        Yellow,
        /// *Zona merah*: low compliance.
        Red,
    }
}

mirror! {
    /// Where an action item comes from.
    ActionItemOrigin => d::action_item::Origin {
        /// A finding of a mentoring visit (linked to its milestone).
        VisitFinding,
        /// An improvement the government identified itself.
        SelfIdentified,
        /// *Tindakan Korektif* of an Ombudsman LAHP.
        CorrectiveAction,
        /// *Saran Perbaikan* of the Ombudsman.
        ImprovementSuggestion,
        /// *Saran Penyempurnaan* of the Ombudsman.
        RefinementSuggestion,
        /// *Rekomendasi* of the Ombudsman.
        Recommendation,
    }
}

mirror! {
    /// Where a score's figure comes from.
    Provenance => d::score::Provenance {
        /// Published by the Ombudsman, with the document or announcement it comes from.
        Published,
        /// The government's own assessment (*penilaian mandiri*).
        SelfAssessment,
        /// A check made during mentoring.
        MentoringCheck,
        /// Invented for illustration (the demo's figures): never a real result.
        Illustrative,
    }
}

mirror! {
    /// Where a score comes from.
    ScoreKind => d::score::ScoreKind {
        /// Published by the Ombudsman.
        Official,
        /// The government's own assessment.
        SelfAssessment,
        /// A check made during mentoring.
        MentoringCheck,
    }
}

mirror! {
    /// A role a user holds within a scope.
    Role => d::identity::Role {
        /// Manages offices, users and methodologies; sees everything.
        SystemAdmin,
        /// *Kepala Perwakilan*: reads the whole office; signs off agreements.
        OmbudsmanLead,
        /// *Asisten Ombudsman*: drafts agreements, runs milestones, raises and verifies action items.
        OmbudsmanAssessor,
        /// The *Sekda*'s secretariat: reads the whole district; assigns and chases.
        DistrictCoordinator,
        /// An officer of one OPD.
        OpdOfficer,
        /// A read-only dashboard.
        Viewer,
    }
}

/// Which way a list is sorted.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OrderDirection {
    /// Smallest first.
    #[default]
    Asc,
    /// Largest first.
    Desc,
}

mirror! {
    /// What a deadline notification tells you.
    ReminderKind => d::deadline::ReminderKind {
        /// The due date is near (at most the configured number of days away).
        DueSoon,
        /// The due date has passed.
        Overdue,
        /// Overdue by more than the district threshold: sent to the district coordinators.
        EscalatedToDistrict,
        /// Overdue by more than the office threshold: sent to the Ombudsman office.
        EscalatedToOffice,
    }
}

mirror! {
    /// How a district's OPDs were reorganised.
    ReorganisationKind => d::reference::ReorganisationKind {
        /// *Penggabungan*: OPDs merged into one (or absorbed by another).
        Merger,
        /// *Pemecahan*: one OPD split into several.
        Split,
    }
}
