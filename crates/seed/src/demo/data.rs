//! The demo data set: the Mamuju Tengah scenario of the Trans89.com report of
//! 30 April 2021 ("Ombudsman Sulbar Gelar Bimtek Penyusunan Standar Pelayanan
//! Publik di Mamuju Tengah"), told as static data for the loader.
//!
//! Only a handful of facts here are published (see `docs/demo.md`): Mamuju
//! Tengah's *zona hijau* in 2019 and its official 2021 score of 97.36 (handed
//! over in Topoyo on 7 February 2022), the 2019 zone colours of Mamuju,
//! Mamasa, Majene, Pasangkayu and the provincial government, a few Mamasa and
//! Polewali Mandar results, the absence of a 2020 assessment, the Bimtek of 29
//! April 2021 at the Bupati's office hall, the 15 OPDs visited and the RSUD's
//! complaint handling found to be a formality. EVERY other number, date, agreement
//! number, finding and score is ILLUSTRATIVE. No person is named anywhere:
//! heads, signatories and comment authors are role titles only.

use pendamping_domain::action_item::{ActionItemStatus, Origin, Priority, StandardComponent};
use pendamping_domain::agreement::{AgreementStatus, MilestoneKind, MilestoneStatus};
use pendamping_domain::reference::{DistrictKind, OpdKind, TimeZone};
use pendamping_domain::score::ScoreKind;

use super::model::*;

// ---------------------------------------------------------------------------
// Office
// ---------------------------------------------------------------------------

/// The Ombudsman's representative office in West Sulawesi.
pub const OFFICE: DemoOffice = DemoOffice {
    code: "SULBAR",
    name: "Ombudsman RI Perwakilan Sulawesi Barat",
    province: "Sulawesi Barat",
    time_zone: TimeZone::Wita,
};

const PROVINCE: &str = "Sulawesi Barat";

// ---------------------------------------------------------------------------
// Districts and their OPDs
// ---------------------------------------------------------------------------

/// The seven governments overseen by Ombudsman RI Perwakilan Sulawesi Barat.
pub const DISTRICTS: &[DemoDistrict] = &[
    DemoDistrict {
        key: "provinsi-sulbar",
        kind: DistrictKind::Province,
        name: "Provinsi Sulawesi Barat",
        province: PROVINCE,
        time_zone: TimeZone::Wita,
        opds: PROVINSI_OPDS,
    },
    DemoDistrict {
        key: "mamuju",
        kind: DistrictKind::Regency,
        name: "Kabupaten Mamuju",
        province: PROVINCE,
        time_zone: TimeZone::Wita,
        opds: MAMUJU_OPDS,
    },
    DemoDistrict {
        key: "mamasa",
        kind: DistrictKind::Regency,
        name: "Kabupaten Mamasa",
        province: PROVINCE,
        time_zone: TimeZone::Wita,
        opds: MAMASA_OPDS,
    },
    DemoDistrict {
        key: "mamuju-tengah",
        kind: DistrictKind::Regency,
        name: "Kabupaten Mamuju Tengah",
        province: PROVINCE,
        time_zone: TimeZone::Wita,
        opds: MAMUJU_TENGAH_OPDS,
    },
    DemoDistrict {
        key: "majene",
        kind: DistrictKind::Regency,
        name: "Kabupaten Majene",
        province: PROVINCE,
        time_zone: TimeZone::Wita,
        opds: MAJENE_OPDS,
    },
    DemoDistrict {
        key: "pasangkayu",
        kind: DistrictKind::Regency,
        name: "Kabupaten Pasangkayu",
        province: PROVINCE,
        time_zone: TimeZone::Wita,
        opds: PASANGKAYU_OPDS,
    },
    DemoDistrict {
        key: "polewali-mandar",
        kind: DistrictKind::Regency,
        name: "Kabupaten Polewali Mandar",
        province: PROVINCE,
        time_zone: TimeZone::Wita,
        opds: POLEWALI_MANDAR_OPDS,
    },
];

const fn opd(
    key: &'static str,
    name: &'static str,
    short_name: Option<&'static str>,
    kind: OpdKind,
    head_title: &'static str,
) -> DemoOpd {
    DemoOpd {
        key,
        name,
        short_name,
        kind,
        head_title: Some(head_title),
    }
}

/// Kabupaten Mamuju Tengah (Mateng): the district of the article.
const MAMUJU_TENGAH_OPDS: &[DemoOpd] = &[
    opd(
        "setda",
        "Sekretariat Daerah Kabupaten Mamuju Tengah",
        Some("Setda"),
        OpdKind::Secretariat,
        "Sekretaris Daerah",
    ),
    opd(
        "sekretariat-dprd",
        "Sekretariat Dewan Perwakilan Rakyat Daerah",
        Some("Setwan"),
        OpdKind::Secretariat,
        "Sekretaris DPRD",
    ),
    opd(
        "inspektorat",
        "Inspektorat Daerah",
        Some("Inspektorat"),
        OpdKind::Inspectorate,
        "Inspektur Daerah",
    ),
    opd(
        "dinkes",
        "Dinas Kesehatan",
        Some("Dinkes"),
        OpdKind::Department,
        "Kepala Dinas Kesehatan",
    ),
    opd(
        "dukcapil",
        "Dinas Kependudukan dan Pencatatan Sipil",
        Some("Disdukcapil"),
        OpdKind::Department,
        "Kepala Dinas Kependudukan dan Pencatatan Sipil",
    ),
    opd(
        "dpmptsp",
        "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
        Some("DPMPTSP"),
        OpdKind::Department,
        "Kepala Dinas Penanaman Modal dan PTSP",
    ),
    opd(
        "rsud",
        "Rumah Sakit Umum Daerah Mamuju Tengah",
        Some("RSUD Mamuju Tengah"),
        OpdKind::Hospital,
        "Direktur RSUD",
    ),
    opd(
        "disdikbud",
        "Dinas Pendidikan dan Kebudayaan",
        Some("Disdikbud"),
        OpdKind::Department,
        "Kepala Dinas Pendidikan dan Kebudayaan",
    ),
    opd(
        "dinsos",
        "Dinas Sosial",
        Some("Dinsos"),
        OpdKind::Department,
        "Kepala Dinas Sosial",
    ),
    opd(
        "dishub",
        "Dinas Perhubungan",
        Some("Dishub"),
        OpdKind::Department,
        "Kepala Dinas Perhubungan",
    ),
    opd(
        "dpupr",
        "Dinas Pekerjaan Umum dan Penataan Ruang",
        Some("Dinas PUPR"),
        OpdKind::Department,
        "Kepala Dinas Pekerjaan Umum dan Penataan Ruang",
    ),
    opd(
        "dlh",
        "Dinas Lingkungan Hidup",
        Some("DLH"),
        OpdKind::Department,
        "Kepala Dinas Lingkungan Hidup",
    ),
    opd(
        "distan",
        "Dinas Pertanian",
        Some("Distan"),
        OpdKind::Department,
        "Kepala Dinas Pertanian",
    ),
    opd(
        "disnakertrans",
        "Dinas Tenaga Kerja dan Transmigrasi",
        Some("Disnakertrans"),
        OpdKind::Department,
        "Kepala Dinas Tenaga Kerja dan Transmigrasi",
    ),
    opd(
        "dpmd",
        "Dinas Pemberdayaan Masyarakat dan Desa",
        Some("DPMD"),
        OpdKind::Department,
        "Kepala Dinas Pemberdayaan Masyarakat dan Desa",
    ),
    opd(
        "bapenda",
        "Badan Pendapatan Daerah",
        Some("Bapenda"),
        OpdKind::Agency,
        "Kepala Badan Pendapatan Daerah",
    ),
    opd(
        "bappeda",
        "Badan Perencanaan Pembangunan Daerah",
        Some("Bappeda"),
        OpdKind::Agency,
        "Kepala Badan Perencanaan Pembangunan Daerah",
    ),
    opd(
        "bkpsdm",
        "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
        Some("BKPSDM"),
        OpdKind::Agency,
        "Kepala Badan Kepegawaian dan PSDM",
    ),
    opd(
        "satpol-pp",
        "Satuan Polisi Pamong Praja",
        Some("Satpol PP"),
        OpdKind::Other,
        "Kepala Satuan Polisi Pamong Praja",
    ),
    opd(
        "puskesmas-topoyo",
        "Puskesmas Topoyo",
        None,
        OpdKind::HealthCentre,
        "Kepala Puskesmas Topoyo",
    ),
    opd(
        "kecamatan-topoyo",
        "Kecamatan Topoyo",
        None,
        OpdKind::Subdistrict,
        "Camat Topoyo",
    ),
    opd(
        "kecamatan-budong-budong",
        "Kecamatan Budong-Budong",
        None,
        OpdKind::Subdistrict,
        "Camat Budong-Budong",
    ),
    opd(
        "kecamatan-pangale",
        "Kecamatan Pangale",
        None,
        OpdKind::Subdistrict,
        "Camat Pangale",
    ),
    opd(
        "kecamatan-tobadak",
        "Kecamatan Tobadak",
        None,
        OpdKind::Subdistrict,
        "Camat Tobadak",
    ),
    opd(
        "kecamatan-karossa",
        "Kecamatan Karossa",
        None,
        OpdKind::Subdistrict,
        "Camat Karossa",
    ),
];

/// Kabupaten Mamuju: a neighbour with its own OPDs, so that cross-district
/// isolation can be seen (its `dukcapil` and `rsud` are not Mateng's).
const MAMUJU_OPDS: &[DemoOpd] = &[
    opd(
        "setda",
        "Sekretariat Daerah Kabupaten Mamuju",
        Some("Setda"),
        OpdKind::Secretariat,
        "Sekretaris Daerah",
    ),
    opd(
        "inspektorat",
        "Inspektorat Daerah",
        Some("Inspektorat"),
        OpdKind::Inspectorate,
        "Inspektur Daerah",
    ),
    opd(
        "dinkes",
        "Dinas Kesehatan",
        Some("Dinkes"),
        OpdKind::Department,
        "Kepala Dinas Kesehatan",
    ),
    opd(
        "dukcapil",
        "Dinas Kependudukan dan Pencatatan Sipil",
        Some("Disdukcapil"),
        OpdKind::Department,
        "Kepala Dinas Kependudukan dan Pencatatan Sipil",
    ),
    opd(
        "dpmptsp",
        "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
        Some("DPMPTSP"),
        OpdKind::Department,
        "Kepala Dinas Penanaman Modal dan PTSP",
    ),
    opd(
        "rsud",
        "Rumah Sakit Umum Daerah Kabupaten Mamuju",
        Some("RSUD Kabupaten Mamuju"),
        OpdKind::Hospital,
        "Direktur RSUD",
    ),
    opd(
        "disdikbud",
        "Dinas Pendidikan dan Kebudayaan",
        Some("Disdikbud"),
        OpdKind::Department,
        "Kepala Dinas Pendidikan dan Kebudayaan",
    ),
    opd(
        "dinsos",
        "Dinas Sosial",
        Some("Dinsos"),
        OpdKind::Department,
        "Kepala Dinas Sosial",
    ),
    opd(
        "kecamatan-kalukku",
        "Kecamatan Kalukku",
        None,
        OpdKind::Subdistrict,
        "Camat Kalukku",
    ),
];

const PROVINSI_OPDS: &[DemoOpd] = &[
    opd(
        "dinkes",
        "Dinas Kesehatan Provinsi Sulawesi Barat",
        Some("Dinkes Provinsi"),
        OpdKind::Department,
        "Kepala Dinas Kesehatan",
    ),
    opd(
        "disdikbud",
        "Dinas Pendidikan dan Kebudayaan Provinsi Sulawesi Barat",
        Some("Disdikbud Provinsi"),
        OpdKind::Department,
        "Kepala Dinas Pendidikan dan Kebudayaan",
    ),
    opd(
        "dpmptsp",
        "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Provinsi Sulawesi Barat",
        Some("DPMPTSP Provinsi"),
        OpdKind::Department,
        "Kepala Dinas Penanaman Modal dan PTSP",
    ),
    opd(
        "bapenda",
        "Badan Pendapatan Daerah Provinsi Sulawesi Barat",
        Some("Bapenda Provinsi"),
        OpdKind::Agency,
        "Kepala Badan Pendapatan Daerah",
    ),
    opd(
        "rsud",
        "Rumah Sakit Umum Daerah Provinsi Sulawesi Barat",
        Some("RSUD Provinsi"),
        OpdKind::Hospital,
        "Direktur RSUD",
    ),
];

const MAMASA_OPDS: &[DemoOpd] = &[
    opd(
        "dinkes",
        "Dinas Kesehatan",
        Some("Dinkes"),
        OpdKind::Department,
        "Kepala Dinas Kesehatan",
    ),
    opd(
        "dukcapil",
        "Dinas Kependudukan dan Pencatatan Sipil",
        Some("Disdukcapil"),
        OpdKind::Department,
        "Kepala Dinas Kependudukan dan Pencatatan Sipil",
    ),
    opd(
        "dpmptsp",
        "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
        Some("DPMPTSP"),
        OpdKind::Department,
        "Kepala Dinas Penanaman Modal dan PTSP",
    ),
    opd(
        "rsud",
        "Rumah Sakit Umum Daerah Kabupaten Mamasa",
        Some("RSUD Mamasa"),
        OpdKind::Hospital,
        "Direktur RSUD",
    ),
];

const MAJENE_OPDS: &[DemoOpd] = &[
    opd(
        "dinkes",
        "Dinas Kesehatan",
        Some("Dinkes"),
        OpdKind::Department,
        "Kepala Dinas Kesehatan",
    ),
    opd(
        "dukcapil",
        "Dinas Kependudukan dan Pencatatan Sipil",
        Some("Disdukcapil"),
        OpdKind::Department,
        "Kepala Dinas Kependudukan dan Pencatatan Sipil",
    ),
    opd(
        "dpmptsp",
        "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
        Some("DPMPTSP"),
        OpdKind::Department,
        "Kepala Dinas Penanaman Modal dan PTSP",
    ),
    opd(
        "rsud",
        "Rumah Sakit Umum Daerah Kabupaten Majene",
        Some("RSUD Majene"),
        OpdKind::Hospital,
        "Direktur RSUD",
    ),
];

const PASANGKAYU_OPDS: &[DemoOpd] = &[
    opd(
        "dinkes",
        "Dinas Kesehatan",
        Some("Dinkes"),
        OpdKind::Department,
        "Kepala Dinas Kesehatan",
    ),
    opd(
        "dukcapil",
        "Dinas Kependudukan dan Pencatatan Sipil",
        Some("Disdukcapil"),
        OpdKind::Department,
        "Kepala Dinas Kependudukan dan Pencatatan Sipil",
    ),
    opd(
        "dpmptsp",
        "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
        Some("DPMPTSP"),
        OpdKind::Department,
        "Kepala Dinas Penanaman Modal dan PTSP",
    ),
];

const POLEWALI_MANDAR_OPDS: &[DemoOpd] = &[
    opd(
        "dinkes",
        "Dinas Kesehatan",
        Some("Dinkes"),
        OpdKind::Department,
        "Kepala Dinas Kesehatan",
    ),
    opd(
        "dukcapil",
        "Dinas Kependudukan dan Pencatatan Sipil",
        Some("Disdukcapil"),
        OpdKind::Department,
        "Kepala Dinas Kependudukan dan Pencatatan Sipil",
    ),
    opd(
        "dpmptsp",
        "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
        Some("DPMPTSP"),
        OpdKind::Department,
        "Kepala Dinas Penanaman Modal dan PTSP",
    ),
    opd(
        "rsud",
        "Rumah Sakit Umum Daerah Kabupaten Polewali Mandar",
        Some("RSUD Polewali Mandar"),
        OpdKind::Hospital,
        "Direktur RSUD",
    ),
];

// ---------------------------------------------------------------------------
// Agreements
// ---------------------------------------------------------------------------

/// Every agreement of the demo. Agreement numbers are ILLUSTRATIVE.
pub const AGREEMENTS: &[DemoAgreement] = &[
    MATENG_2019,
    MATENG_2021,
    MATENG_2022,
    MATENG_2026,
    MAMUJU_2026,
    POLMAN_2023,
    PASANGKAYU_2024,
];

/// Office signatory title used throughout.
const KEPALA_PERWAKILAN: &str = "Kepala Ombudsman RI Perwakilan Sulawesi Barat";

/// The OPDs in scope of the 2021 agreement (17).
const MATENG_2021_SCOPE: &[&str] = &[
    "setda",
    "inspektorat",
    "dinkes",
    "dukcapil",
    "dpmptsp",
    "rsud",
    "disdikbud",
    "dinsos",
    "dishub",
    "dpupr",
    "dlh",
    "bapenda",
    "distan",
    "satpol-pp",
    "puskesmas-topoyo",
    "kecamatan-topoyo",
    "kecamatan-tobadak",
];

/// The 15 OPDs visited before the Bimtek (the article's "15 OPD yang kami kunjungi").
const MATENG_2021_VISITED: &[&str] = &[
    "dinkes",
    "dukcapil",
    "dpmptsp",
    "rsud",
    "disdikbud",
    "dinsos",
    "dishub",
    "dpupr",
    "dlh",
    "bapenda",
    "distan",
    "satpol-pp",
    "puskesmas-topoyo",
    "kecamatan-topoyo",
    "kecamatan-tobadak",
];

/// An earlier cooperation, completed: the mentoring the Sekda credits for the
/// district's *zona hijau* (2019). Year, numbers and items are illustrative.
const MATENG_2019: DemoAgreement = DemoAgreement {
    key: "mateng-2019",
    district_key: "mamuju-tengah",
    title: "Perjanjian Kerja Sama Pendampingan Kepatuhan Standar Pelayanan Publik Tahun 2019 antara Pemerintah Kabupaten Mamuju Tengah dan Ombudsman Republik Indonesia Perwakilan Sulawesi Barat",
    office_number: Some("B/041/PW.31/III/2019"),
    district_number: Some("180/027/III/2019"),
    period_start: "2019-03-14",
    period_end: "2019-12-31",
    office_signatory: Some(KEPALA_PERWAKILAN),
    district_signatory: Some("Bupati Mamuju Tengah"),
    signed_on: Some("2019-03-14"),
    status: AgreementStatus::Completed,
    closing_summary: Some(
        "Seluruh kegiatan pendampingan terlaksana. Delapan OPD menetapkan dan memublikasikan standar pelayanan; hasil Penilaian Kepatuhan 2019 menempatkan Kabupaten Mamuju Tengah di zona hijau.",
    ),
    termination_reason: None,
    opd_keys: &[
        "setda",
        "dinkes",
        "dukcapil",
        "dpmptsp",
        "rsud",
        "disdikbud",
        "puskesmas-topoyo",
        "kecamatan-topoyo",
    ],
    amendments: &[],
    milestones: &[
        DemoMilestone {
            key: "bimtek-2019",
            kind: MilestoneKind::Bimtek,
            title: "Bimtek penyusunan dan publikasi standar pelayanan",
            planned_on: "2019-03-14",
            actual_on: Some("2019-03-14"),
            location: Some("Aula Kantor Bupati Mamuju Tengah"),
            outcome_notes: Some(
                "Delapan OPD menyusun rancangan standar pelayanan; target penetapan akhir Mei 2019.",
            ),
            status: MilestoneStatus::Done,
            cancellation_reason: None,
            opd_keys: &[
                "setda",
                "dinkes",
                "dukcapil",
                "dpmptsp",
                "rsud",
                "disdikbud",
                "puskesmas-topoyo",
                "kecamatan-topoyo",
            ],
            reschedules: &[],
        },
        DemoMilestone {
            key: "monitoring-2019",
            kind: MilestoneKind::MonitoringVisit,
            title: "Monitoring penerapan standar pelayanan",
            planned_on: "2019-07-09",
            actual_on: Some("2019-07-10"),
            location: Some("Kabupaten Mamuju Tengah"),
            outcome_notes: Some(
                "Standar pelayanan telah dipajang di tujuh OPD; Kecamatan Topoyo belum memiliki ruang layanan khusus.",
            ),
            status: MilestoneStatus::Done,
            cancellation_reason: None,
            opd_keys: &[
                "dinkes",
                "dukcapil",
                "dpmptsp",
                "rsud",
                "disdikbud",
                "puskesmas-topoyo",
                "kecamatan-topoyo",
            ],
            reschedules: &[],
        },
        DemoMilestone {
            key: "penilaian-2019",
            kind: MilestoneKind::Assessment,
            title: "Penilaian Kepatuhan Standar Pelayanan Publik 2019",
            planned_on: "2019-09-16",
            actual_on: Some("2019-09-18"),
            location: Some("Kabupaten Mamuju Tengah"),
            outcome_notes: Some("Pengambilan data lapangan selesai; hasil resmi: zona hijau."),
            status: MilestoneStatus::Done,
            cancellation_reason: None,
            opd_keys: &[],
            reschedules: &[],
        },
        DemoMilestone {
            key: "sosialisasi-2019",
            kind: MilestoneKind::Socialisation,
            title: "Sosialisasi standar pelayanan kepada kepala desa",
            planned_on: "2019-11-12",
            actual_on: None,
            location: None,
            outcome_notes: None,
            status: MilestoneStatus::Cancelled,
            cancellation_reason: Some(
                "Digabung dengan kegiatan sosialisasi pemerintah kabupaten; tidak dilaksanakan terpisah.",
            ),
            opd_keys: &[],
            reschedules: &[],
        },
        DemoMilestone {
            key: "laporan-2019",
            kind: MilestoneKind::Report,
            title: "Laporan akhir pendampingan 2019",
            planned_on: "2019-12-16",
            actual_on: Some("2019-12-19"),
            location: None,
            outcome_notes: Some(
                "Laporan akhir disampaikan kepada Bupati melalui Sekretariat Daerah.",
            ),
            status: MilestoneStatus::Done,
            cancellation_reason: None,
            opd_keys: &[],
            reschedules: &[],
        },
    ],
    action_items: &[
        DemoActionItem {
            opd_key: "dukcapil",
            product: None,
            milestone_key: Some("bimtek-2019"),
            title: "Tetapkan dan pajang standar pelayanan KTP-el dan KK",
            finding: "Standar pelayanan belum ditetapkan dengan keputusan kepala dinas dan tidak dipajang di ruang layanan.",
            standard_component: Some(StandardComponent::LegalBasis),
            priority: Priority::High,
            due_on: "2019-05-31",
            status: ActionItemStatus::Verified,
            rejections: &[],
            cancellation_reason: None,
            evidence: &[DemoEvidence {
                name: "SK Kepala Dinas tentang Standar Pelayanan 2019.pdf",
                media_type: "application/pdf",
                url: "https://example.org/pendamping-demo/mateng-2019/dukcapil/sk-standar-pelayanan.pdf",
            }],
            comments: &[],
        },
        DemoActionItem {
            opd_key: "dpmptsp",
            product: None,
            milestone_key: Some("bimtek-2019"),
            title: "Publikasikan persyaratan dan jangka waktu perizinan",
            finding: "Persyaratan dan jangka waktu izin usaha tidak diumumkan di loket.",
            standard_component: Some(StandardComponent::Requirements),
            priority: Priority::Medium,
            due_on: "2019-06-28",
            status: ActionItemStatus::Verified,
            rejections: &[],
            cancellation_reason: None,
            evidence: &[DemoEvidence {
                name: "Foto papan informasi loket perizinan.jpg",
                media_type: "image/jpeg",
                url: "https://example.org/pendamping-demo/mateng-2019/dpmptsp/papan-informasi.jpg",
            }],
            comments: &[],
        },
        DemoActionItem {
            opd_key: "rsud",
            product: None,
            milestone_key: Some("monitoring-2019"),
            title: "Sediakan sarana pengaduan di rawat jalan",
            finding: "Belum ada kotak saran maupun nomor pengaduan yang diumumkan di instalasi rawat jalan.",
            standard_component: Some(StandardComponent::ComplaintHandling),
            priority: Priority::Medium,
            due_on: "2019-08-30",
            status: ActionItemStatus::Verified,
            rejections: &[],
            cancellation_reason: None,
            evidence: &[DemoEvidence {
                name: "Foto kotak saran dan nomor pengaduan.jpg",
                media_type: "image/jpeg",
                url: "https://example.org/pendamping-demo/mateng-2019/rsud/kotak-saran.jpg",
            }],
            comments: &[],
        },
        DemoActionItem {
            opd_key: "kecamatan-topoyo",
            product: None,
            milestone_key: Some("monitoring-2019"),
            title: "Sediakan ruang layanan terpisah",
            finding: "Layanan administrasi dilayani di ruang kerja staf; tidak ada ruang tunggu.",
            standard_component: Some(StandardComponent::Facilities),
            priority: Priority::Low,
            due_on: "2019-11-29",
            status: ActionItemStatus::Cancelled,
            rejections: &[],
            cancellation_reason: Some(
                "Kantor kecamatan dijadwalkan direnovasi; temuan dibawa ke perjanjian berikutnya.",
            ),
            evidence: &[],
            comments: &[],
        },
    ],
};

/// The agreement of the article (*perjanjian kerja sama pendampingan kepatuhan
/// tahun 2021*): for the year 2021, signed at the Bimtek on 29 April 2021 by
/// the Sekda of Mamuju Tengah and the head of the Sulbar office, extended by an
/// addendum to 30 June 2022 and completed then. Numbers, most dates and all
/// findings except the RSUD's are illustrative.
const MATENG_2021: DemoAgreement = DemoAgreement {
    key: "mateng-2021",
    district_key: "mamuju-tengah",
    title: "Perjanjian Kerja Sama Pendampingan Kepatuhan Tahun 2021 dan Workshop Peningkatan Kualitas Pelayanan Publik antara Pemerintah Kabupaten Mamuju Tengah dan Ombudsman Republik Indonesia Perwakilan Sulawesi Barat",
    office_number: Some("B/123/PW.31/IV/2021"),
    district_number: Some("180/112/IV/2021"),
    period_start: "2021-01-01",
    period_end: "2021-12-31",
    office_signatory: Some("Lukman Umar, Kepala Ombudsman RI Perwakilan Sulawesi Barat"),
    district_signatory: Some("Askary Anwar, Sekretaris Daerah Kabupaten Mamuju Tengah"),
    signed_on: Some("2021-04-29"),
    status: AgreementStatus::Completed,
    closing_summary: Some(
        "Seluruh kegiatan pendampingan 2021 terlaksana dan hasil Penilaian Kepatuhan 2021 (97,36, zona hijau) diserahkan pada 7 Februari 2022. Temuan pengelolaan pengaduan RSUD terverifikasi setelah perbaikan. Temuan yang belum selesai pada 30 Juni 2022 dicatat ulang dan dilanjutkan dalam PKS 2026–2027.",
    ),
    termination_reason: None,
    opd_keys: MATENG_2021_SCOPE,
    amendments: &[DemoAmendment {
        number: "B/318/PW.31/XII/2021",
        signed_on: "2021-12-20",
        summary: "Addendum I: jangka waktu diperpanjang sampai 30 Juni 2022 untuk penyerahan hasil Penilaian Kepatuhan 2021 dan tindak lanjut temuan OPD.",
        new_period_end: Some("2022-06-30"),
    }],
    milestones: &[
        DemoMilestone {
            key: "monitoring-15-opd",
            kind: MilestoneKind::MonitoringVisit,
            title: "Monitoring pelayanan publik pada 15 OPD",
            planned_on: "2021-04-26",
            actual_on: Some("2021-04-27"),
            location: Some("Kabupaten Mamuju Tengah (15 OPD)"),
            outcome_notes: Some(
                "15 OPD dikunjungi. Pengelolaan pengaduan di RSUD masih bersifat formalitas; beberapa OPD belum menerapkan pelayanan prima, sebagian lain konsisten mempertahankan nilai. Temuan disampaikan pada Bimtek 29 April 2021.",
            ),
            status: MilestoneStatus::Done,
            cancellation_reason: None,
            opd_keys: MATENG_2021_VISITED,
            reschedules: &[],
        },
        DemoMilestone {
            key: "bimtek-standar-pelayanan",
            kind: MilestoneKind::Bimtek,
            title: "Penandatanganan PKS dan Bimtek penyusunan standar pelayanan publik",
            planned_on: "2021-04-29",
            actual_on: Some("2021-04-29"),
            location: Some("Aula Kantor Bupati Mamuju Tengah, Jalan Tammauni Pue Ballung"),
            outcome_notes: Some(
                "PKS pendampingan kepatuhan 2021 ditandatangani; workshop peningkatan kualitas pelayanan publik dan bimtek penyusunan standar pelayanan berdasarkan UU 25/2009 diikuti OPD dalam lingkup. Sekretariat Daerah ditetapkan sebagai koordinator tindak lanjut.",
            ),
            status: MilestoneStatus::Done,
            cancellation_reason: None,
            opd_keys: MATENG_2021_SCOPE,
            reschedules: &[],
        },
        DemoMilestone {
            key: "penilaian-mandiri-2021",
            kind: MilestoneKind::SelfAssessment,
            title: "Penilaian mandiri kepatuhan standar pelayanan oleh OPD",
            planned_on: "2021-07-15",
            actual_on: Some("2021-07-20"),
            location: Some("Kantor Bupati Mamuju Tengah, Topoyo"),
            outcome_notes: Some(
                "Seluruh OPD dalam lingkup mengisi penilaian mandiri; nilai mandiri RSUD jauh di atas hasil pengecekan pendampingan.",
            ),
            status: MilestoneStatus::Done,
            cancellation_reason: None,
            opd_keys: MATENG_2021_SCOPE,
            reschedules: &[DemoReschedule {
                old_date: "2021-06-15",
                new_date: "2021-07-15",
                reason: "Pembatasan kegiatan tatap muka selama pandemi COVID-19; pengisian dipindah ke pertengahan Juli.",
            }],
        },
        DemoMilestone {
            key: "monitoring-lanjutan-2021",
            kind: MilestoneKind::MonitoringVisit,
            title: "Monitoring lanjutan dan pengecekan tindak lanjut temuan",
            planned_on: "2021-09-14",
            actual_on: Some("2021-09-15"),
            location: Some("Kabupaten Mamuju Tengah"),
            outcome_notes: Some(
                "Tindak lanjut dicek di tujuh OPD; ditemukan masalah baru pada pengaduan pupuk bersubsidi dan register layanan Kecamatan Tobadak.",
            ),
            status: MilestoneStatus::Done,
            cancellation_reason: None,
            opd_keys: &[
                "dinkes",
                "dukcapil",
                "rsud",
                "distan",
                "puskesmas-topoyo",
                "kecamatan-topoyo",
                "kecamatan-tobadak",
            ],
            reschedules: &[
                DemoReschedule {
                    old_date: "2021-08-17",
                    new_date: "2021-08-31",
                    reason: "Bertepatan dengan peringatan Hari Kemerdekaan; pejabat OPD tidak di tempat.",
                },
                DemoReschedule {
                    old_date: "2021-08-31",
                    new_date: "2021-09-14",
                    reason: "Tim Asisten Ombudsman ditugaskan pada pemeriksaan laporan masyarakat di kabupaten lain.",
                },
            ],
        },
        DemoMilestone {
            key: "penilaian-kepatuhan-2021",
            kind: MilestoneKind::Assessment,
            title: "Penilaian Kepatuhan Standar Pelayanan Publik 2021",
            planned_on: "2021-10-05",
            actual_on: Some("2021-10-07"),
            location: Some("Kabupaten Mamuju Tengah"),
            outcome_notes: Some(
                "Pengambilan data lapangan oleh Ombudsman RI selesai; produk layanan yang dinilai dicatat per OPD. Hasil resmi diumumkan kemudian.",
            ),
            status: MilestoneStatus::Done,
            cancellation_reason: None,
            opd_keys: MATENG_2021_SCOPE,
            reschedules: &[],
        },
        DemoMilestone {
            key: "sosialisasi-kecamatan-2021",
            kind: MilestoneKind::Socialisation,
            title: "Sosialisasi standar pelayanan di kantor kecamatan",
            planned_on: "2021-11-10",
            actual_on: None,
            location: Some("Kecamatan Tobadak"),
            outcome_notes: None,
            status: MilestoneStatus::Cancelled,
            cancellation_reason: Some(
                "Anggaran perjalanan dialihkan untuk penanganan COVID-19; materi disampaikan kepada camat melalui pertemuan daring.",
            ),
            opd_keys: &["kecamatan-topoyo", "kecamatan-tobadak"],
            reschedules: &[],
        },
        DemoMilestone {
            key: "penyerahan-hasil-2021",
            kind: MilestoneKind::Evaluation,
            title: "Evaluasi dan penyerahan hasil Penilaian Kepatuhan 2021",
            planned_on: "2022-02-07",
            actual_on: Some("2022-02-07"),
            location: Some("Aula Kantor Bupati Mamuju Tengah, Topoyo"),
            outcome_notes: Some(
                "Hasil resmi Penilaian Kepatuhan 2021 diserahkan kepada Wakil Bupati Mamuju Tengah di hadapan para kepala OPD: nilai 97,36, zona hijau, masuk 9 besar dari 416 pemerintah kabupaten yang dinilai. Evaluasi mencatat tindak lanjut temuan yang belum selesai, terutama pengelolaan pengaduan RSUD.",
            ),
            status: MilestoneStatus::Done,
            cancellation_reason: None,
            opd_keys: MATENG_2021_SCOPE,
            reschedules: &[],
        },
        DemoMilestone {
            key: "laporan-akhir-2021",
            kind: MilestoneKind::Report,
            title: "Laporan akhir pelaksanaan perjanjian kerja sama",
            planned_on: "2022-06-28",
            actual_on: Some("2022-06-28"),
            location: None,
            outcome_notes: Some(
                "Laporan akhir disampaikan kepada Sekretaris Daerah. Temuan yang belum selesai dicatat untuk pendampingan berikutnya.",
            ),
            status: MilestoneStatus::Done,
            cancellation_reason: None,
            opd_keys: &[],
            reschedules: &[],
        },
    ],
    action_items: MATENG_2021_ITEMS,
};

/// The OPDs in scope of the current agreement.
const MATENG_2026_SCOPE: &[&str] = &[
    "setda",
    "dukcapil",
    "dpmptsp",
    "rsud",
    "dishub",
    "dpupr",
    "bapenda",
    "distan",
    "puskesmas-topoyo",
    "kecamatan-tobadak",
];

/// The current agreement, carrying today's open work: the unfinished 2021
/// findings and the Ombudsman's 2025 supervision products. Numbers and dates
/// are illustrative.
const MATENG_2026: DemoAgreement = DemoAgreement {
    key: "mateng-2026",
    district_key: "mamuju-tengah",
    title: "Perjanjian Kerja Sama Pendampingan Penyelenggaraan Pelayanan Publik Tahun 2026–2027 antara Pemerintah Kabupaten Mamuju Tengah dan Ombudsman Republik Indonesia Perwakilan Sulawesi Barat",
    office_number: Some("B/031/PW.31/II/2026"),
    district_number: Some("180/021/II/2026"),
    period_start: "2026-02-16",
    period_end: "2027-06-30",
    office_signatory: Some(KEPALA_PERWAKILAN),
    district_signatory: Some("Sekretaris Daerah Kabupaten Mamuju Tengah"),
    signed_on: Some("2026-02-16"),
    status: AgreementStatus::Active,
    closing_summary: None,
    termination_reason: None,
    opd_keys: MATENG_2026_SCOPE,
    amendments: &[],
    milestones: &[
        DemoMilestone {
            key: "penyerahan-opini-2025",
            kind: MilestoneKind::Evaluation,
            title: "Penyerahan Opini Ombudsman RI 2025 dan penandatanganan PKS 2026–2027",
            planned_on: "2026-02-16",
            actual_on: Some("2026-02-16"),
            location: Some("Aula Kantor Bupati Mamuju Tengah, Topoyo"),
            outcome_notes: Some(
                "Opini Ombudsman RI 2025 (ilustratif) diserahkan; satu produk pengawasan Ombudsman 2025 belum tuntas ditindaklanjuti, sehingga kualifikasi Tanpa Maladministrasi belum tercapai.",
            ),
            status: MilestoneStatus::Done,
            cancellation_reason: None,
            opd_keys: MATENG_2026_SCOPE,
            reschedules: &[],
        },
        DemoMilestone {
            key: "monitoring-2026",
            kind: MilestoneKind::MonitoringVisit,
            title: "Monitoring tindak lanjut temuan 2021 dan produk pengawasan Ombudsman",
            planned_on: "2026-03-10",
            actual_on: Some("2026-03-11"),
            location: Some("Kabupaten Mamuju Tengah"),
            outcome_notes: Some(
                "Temuan 2021 yang belum selesai dicek ulang di OPD dan dicatat kembali dengan tenggat baru.",
            ),
            status: MilestoneStatus::Done,
            cancellation_reason: None,
            opd_keys: MATENG_2026_SCOPE,
            reschedules: &[],
        },
        DemoMilestone {
            key: "pendampingan-tindak-lanjut",
            kind: MilestoneKind::Other,
            title: "Pendampingan tindak lanjut tindakan korektif OPD",
            planned_on: "2026-12-15",
            actual_on: None,
            location: Some("Kabupaten Mamuju Tengah"),
            outcome_notes: None,
            status: MilestoneStatus::InProgress,
            cancellation_reason: None,
            opd_keys: &[
                "rsud",
                "dukcapil",
                "dpmptsp",
                "dpupr",
                "bapenda",
                "puskesmas-topoyo",
                "kecamatan-tobadak",
                "setda",
            ],
            reschedules: &[DemoReschedule {
                old_date: "2026-09-30",
                new_date: "2026-12-15",
                reason: "Tindak lanjut tindakan korektif RSUD belum selesai; pendampingan dilanjutkan sampai akhir tahun.",
            }],
        },
        DemoMilestone {
            key: "laporan-akhir-2026",
            kind: MilestoneKind::Report,
            title: "Laporan akhir pelaksanaan perjanjian kerja sama 2026–2027",
            planned_on: "2027-06-15",
            actual_on: None,
            location: None,
            outcome_notes: None,
            status: MilestoneStatus::Planned,
            cancellation_reason: None,
            opd_keys: &[],
            reschedules: &[],
        },
    ],
    action_items: MATENG_2026_ITEMS,
};

/// Illustrative evidence link under `https://example.org/pendamping-demo/`.
const fn link(name: &'static str, media_type: &'static str, url: &'static str) -> DemoEvidence {
    DemoEvidence {
        name,
        media_type,
        url,
    }
}

const fn said(author: &'static str, body: &'static str) -> DemoComment {
    DemoComment { author, body }
}

/// The findings of the 2021 agreement, one action item each (23).
/// Only the RSUD complaint-handling finding comes from the article.
const MATENG_2021_ITEMS: &[DemoActionItem] = &[
    DemoActionItem {
        opd_key: "rsud",
        product: None,
        milestone_key: Some("monitoring-15-opd"),
        title: "Benahi pengelolaan pengaduan yang masih formalitas",
        finding: "Pengelolaan pengaduan di RSUD sifatnya formalitas saja: kotak saran ada, tetapi tidak ada petugas, register, batas waktu tanggapan, maupun laporan tindak lanjut pengaduan.",
        standard_component: Some(StandardComponent::ComplaintHandling),
        priority: Priority::Critical,
        due_on: "2021-10-29",
        status: ActionItemStatus::Verified,
        rejections: &[
            "Bukti hanya foto kotak saran. Lampirkan SK unit pengaduan, register pengaduan yang terisi, dan contoh tanggapan kepada pelapor.",
        ],
        cancellation_reason: None,
        evidence: &[
            link(
                "Foto kotak saran instalasi rawat jalan.jpg",
                "image/jpeg",
                "https://example.org/pendamping-demo/mateng-2021/rsud/kotak-saran-2021.jpg",
            ),
            link(
                "SK Direktur tentang unit pengaduan dan register pengaduan.pdf",
                "application/pdf",
                "https://example.org/pendamping-demo/mateng-2021/rsud/sk-unit-pengaduan-2021.pdf",
            ),
        ],
        comments: &[
            said(
                "Asisten Ombudsman",
                "Temuan monitoring: pengaduan diterima tetapi tidak pernah ditindaklanjuti atau dijawab. Mohon dibentuk unit pengaduan dengan petugas yang jelas.",
            ),
            said(
                "Direktur RSUD",
                "Unit pengaduan sedang dibentuk; SK Direktur dan register pengaduan menyusul.",
            ),
            said(
                "Sekretariat Daerah",
                "Sudah lewat tenggat. Mohon RSUD melaporkan kemajuan pada rapat koordinasi berikutnya.",
            ),
        ],
    },
    DemoActionItem {
        opd_key: "rsud",
        product: None,
        milestone_key: Some("monitoring-15-opd"),
        title: "Umumkan tarif layanan rawat jalan dan rawat inap",
        finding: "Tarif layanan menurut peraturan daerah tidak diumumkan di loket pendaftaran.",
        standard_component: Some(StandardComponent::Cost),
        priority: Priority::Medium,
        due_on: "2021-08-31",
        status: ActionItemStatus::Verified,
        rejections: &[],
        cancellation_reason: None,
        evidence: &[link(
            "Foto papan tarif loket pendaftaran.jpg",
            "image/jpeg",
            "https://example.org/pendamping-demo/mateng-2021/rsud/papan-tarif.jpg",
        )],
        comments: &[said(
            "Asisten Ombudsman",
            "Papan tarif terpasang dan sesuai peraturan daerah. Diverifikasi.",
        )],
    },
    DemoActionItem {
        opd_key: "dukcapil",
        product: None,
        milestone_key: Some("monitoring-15-opd"),
        title: "Publikasikan persyaratan akta kelahiran secara daring",
        finding: "Persyaratan akta kelahiran hanya tersedia di loket; tidak ada informasi daring.",
        standard_component: Some(StandardComponent::Requirements),
        priority: Priority::Medium,
        due_on: "2021-09-30",
        status: ActionItemStatus::Verified,
        rejections: &[],
        cancellation_reason: None,
        evidence: &[
            link(
                "Tangkapan layar laman persyaratan akta kelahiran.png",
                "image/png",
                "https://example.org/pendamping-demo/mateng-2021/dukcapil/laman-persyaratan.png",
            ),
            link(
                "Laman layanan akta kelahiran",
                "text/html",
                "https://example.org/pendamping-demo/mateng-2021/dukcapil/layanan-akta",
            ),
        ],
        comments: &[said(
            "Kepala Dinas Kependudukan dan Pencatatan Sipil",
            "Persyaratan sudah tayang di laman dinas dan media sosial resmi. Mohon diverifikasi.",
        )],
    },
    DemoActionItem {
        opd_key: "dukcapil",
        product: None,
        milestone_key: Some("monitoring-15-opd"),
        title: "Sediakan kanal pengaduan yang diumumkan",
        finding: "Kanal pengaduan tidak diumumkan di ruang layanan.",
        standard_component: Some(StandardComponent::ComplaintHandling),
        priority: Priority::High,
        due_on: "2021-07-30",
        status: ActionItemStatus::Verified,
        rejections: &[],
        cancellation_reason: None,
        evidence: &[link(
            "Foto banner kanal pengaduan.jpg",
            "image/jpeg",
            "https://example.org/pendamping-demo/mateng-2021/dukcapil/banner-pengaduan.jpg",
        )],
        comments: &[],
    },
    DemoActionItem {
        opd_key: "dinkes",
        product: None,
        milestone_key: Some("monitoring-15-opd"),
        title: "Tetapkan standar pelayanan dengan keputusan kepala dinas",
        finding: "Standar pelayanan disusun tetapi belum ditetapkan sehingga tidak memiliki dasar hukum.",
        standard_component: Some(StandardComponent::LegalBasis),
        priority: Priority::High,
        due_on: "2021-06-30",
        status: ActionItemStatus::Verified,
        rejections: &[],
        cancellation_reason: None,
        evidence: &[link(
            "SK Kepala Dinas Kesehatan tentang Standar Pelayanan.pdf",
            "application/pdf",
            "https://example.org/pendamping-demo/mateng-2021/dinkes/sk-standar-pelayanan.pdf",
        )],
        comments: &[],
    },
    DemoActionItem {
        opd_key: "dinkes",
        product: None,
        milestone_key: Some("monitoring-15-opd"),
        title: "Buka loket terpisah untuk surat keterangan sehat",
        finding: "Permohonan surat keterangan sehat dilayani bersama layanan administrasi lain sehingga antrean menumpuk.",
        standard_component: Some(StandardComponent::Procedure),
        priority: Priority::Low,
        due_on: "2021-09-30",
        status: ActionItemStatus::Cancelled,
        rejections: &[],
        cancellation_reason: Some(
            "Layanan surat keterangan sehat dialihkan ke puskesmas; temuan ditindaklanjuti pada item Puskesmas Topoyo.",
        ),
        evidence: &[],
        comments: &[],
    },
    DemoActionItem {
        opd_key: "dpmptsp",
        product: None,
        milestone_key: Some("monitoring-15-opd"),
        title: "Susun SOP pendampingan pemohon izin melalui OSS",
        finding: "Tidak ada prosedur tertulis untuk membantu pemohon yang kesulitan mengakses OSS.",
        standard_component: Some(StandardComponent::Procedure),
        priority: Priority::Medium,
        due_on: "2021-08-31",
        status: ActionItemStatus::Verified,
        rejections: &[],
        cancellation_reason: None,
        evidence: &[link(
            "SOP pendampingan pemohon OSS.pdf",
            "application/pdf",
            "https://example.org/pendamping-demo/mateng-2021/dpmptsp/sop-oss.pdf",
        )],
        comments: &[],
    },
    DemoActionItem {
        opd_key: "disdikbud",
        product: None,
        milestone_key: Some("monitoring-15-opd"),
        title: "Publikasikan standar pelayanan legalisir ijazah",
        finding: "Persyaratan dan waktu layanan legalisir ijazah tidak diumumkan.",
        standard_component: Some(StandardComponent::Requirements),
        priority: Priority::Low,
        due_on: "2021-08-31",
        status: ActionItemStatus::Verified,
        rejections: &[],
        cancellation_reason: None,
        evidence: &[link(
            "Foto standar pelayanan legalisir.jpg",
            "image/jpeg",
            "https://example.org/pendamping-demo/mateng-2021/disdikbud/standar-legalisir.jpg",
        )],
        comments: &[],
    },
    DemoActionItem {
        opd_key: "dinsos",
        product: None,
        milestone_key: Some("monitoring-15-opd"),
        title: "Latih petugas layanan data kesejahteraan sosial",
        finding: "Petugas loket belum dibekali pelatihan layanan pemutakhiran data kesejahteraan sosial.",
        standard_component: Some(StandardComponent::ImplementerCompetence),
        priority: Priority::Medium,
        due_on: "2021-12-15",
        status: ActionItemStatus::Cancelled,
        rejections: &[],
        cancellation_reason: Some(
            "Pelatihan petugas dilaksanakan melalui program nasional Kementerian Sosial pada Maret 2022; temuan ditutup pada evaluasi akhir PKS.",
        ),
        evidence: &[],
        comments: &[said(
            "Sekretariat Daerah",
            "Belum ada tanggapan dari Dinas Sosial; akan dibahas dalam rapat koordinasi.",
        )],
    },
    DemoActionItem {
        opd_key: "dlh",
        product: None,
        milestone_key: Some("monitoring-15-opd"),
        title: "Laksanakan evaluasi kinerja pelaksana layanan",
        finding: "Evaluasi kinerja petugas layanan persetujuan lingkungan tidak pernah dilakukan.",
        standard_component: Some(StandardComponent::PerformanceEvaluation),
        priority: Priority::Low,
        due_on: "2021-11-30",
        status: ActionItemStatus::Verified,
        rejections: &[],
        cancellation_reason: None,
        evidence: &[link(
            "Laporan evaluasi kinerja pelaksana semester II.pdf",
            "application/pdf",
            "https://example.org/pendamping-demo/mateng-2021/dlh/evaluasi-kinerja.pdf",
        )],
        comments: &[],
    },
    DemoActionItem {
        opd_key: "satpol-pp",
        product: None,
        milestone_key: Some("monitoring-15-opd"),
        title: "Tetapkan petugas piket layanan pengaduan ketertiban",
        finding: "Tidak ada petugas yang ditetapkan untuk menerima pengaduan ketertiban umum di luar jam kerja.",
        standard_component: Some(StandardComponent::NumberOfImplementers),
        priority: Priority::Medium,
        due_on: "2021-10-29",
        status: ActionItemStatus::Verified,
        rejections: &[
            "Jadwal piket belum ditandatangani kepala satuan dan nomor layanan belum diumumkan.",
        ],
        cancellation_reason: None,
        evidence: &[
            link(
                "Jadwal piket (draf).pdf",
                "application/pdf",
                "https://example.org/pendamping-demo/mateng-2021/satpol-pp/jadwal-piket-draf.pdf",
            ),
            link(
                "SK jadwal piket dan pengumuman nomor layanan.pdf",
                "application/pdf",
                "https://example.org/pendamping-demo/mateng-2021/satpol-pp/sk-jadwal-piket.pdf",
            ),
        ],
        comments: &[],
    },
    DemoActionItem {
        opd_key: "kecamatan-topoyo",
        product: None,
        milestone_key: Some("monitoring-15-opd"),
        title: "Pajang standar pelayanan administrasi kecamatan",
        finding: "Produk layanan kecamatan (surat keterangan, rekomendasi) tidak diumumkan beserta persyaratannya.",
        standard_component: Some(StandardComponent::ServiceProduct),
        priority: Priority::Low,
        due_on: "2021-07-30",
        status: ActionItemStatus::Verified,
        rejections: &[],
        cancellation_reason: None,
        evidence: &[link(
            "Foto papan standar pelayanan Kecamatan Topoyo.jpg",
            "image/jpeg",
            "https://example.org/pendamping-demo/mateng-2021/kecamatan-topoyo/standar-pelayanan.jpg",
        )],
        comments: &[said(
            "Camat Topoyo",
            "Papan standar pelayanan sudah dipasang di ruang layanan.",
        )],
    },
];

/// The open work of today: findings of 2021 that were not finished when the
/// 2021 agreement closed, carried into the current agreement and re-recorded
/// at its first monitoring visit, and the Ombudsman's 2025 supervision
/// products (*Tindakan Korektif*, *Saran Perbaikan*, *Saran Penyempurnaan*),
/// one of them still open.
const MATENG_2026_ITEMS: &[DemoActionItem] = &[
    DemoActionItem {
        opd_key: "rsud",
        product: None,
        milestone_key: Some("monitoring-2026"),
        title: "Pasang maklumat pelayanan di IGD dan rawat jalan",
        finding: "Maklumat pelayanan belum dipajang di IGD dan instalasi rawat jalan; pengguna layanan tidak mengetahui janji layanan rumah sakit.",
        standard_component: Some(StandardComponent::ServiceGuarantee),
        priority: Priority::High,
        due_on: "2026-12-18",
        status: ActionItemStatus::Open,
        rejections: &[],
        cancellation_reason: None,
        evidence: &[],
        comments: &[],
    },
    DemoActionItem {
        opd_key: "rsud",
        product: None,
        milestone_key: Some("monitoring-2026"),
        title: "Sediakan fasilitas bagi pengguna berkebutuhan khusus",
        finding: "Tidak ada jalur landai, kursi roda siap pakai, maupun loket prioritas bagi penyandang disabilitas dan lansia.",
        standard_component: Some(StandardComponent::Facilities),
        priority: Priority::High,
        due_on: "2026-10-30",
        status: ActionItemStatus::Open,
        rejections: &[],
        cancellation_reason: None,
        evidence: &[],
        comments: &[said(
            "Sekretariat Daerah",
            "Menunggu alokasi anggaran perubahan; mohon RSUD menyiapkan rencana kebutuhan.",
        )],
    },
    DemoActionItem {
        opd_key: "dukcapil",
        product: None,
        milestone_key: Some("monitoring-2026"),
        title: "Cantumkan jangka waktu penyelesaian KTP-el dan KK",
        finding: "Standar pelayanan penerbitan KTP-el dan Kartu Keluarga belum memuat jangka waktu penyelesaian.",
        standard_component: Some(StandardComponent::CompletionTime),
        priority: Priority::Medium,
        due_on: "2027-03-31",
        status: ActionItemStatus::Open,
        rejections: &[],
        cancellation_reason: None,
        evidence: &[],
        comments: &[],
    },
    DemoActionItem {
        opd_key: "dpmptsp",
        product: None,
        milestone_key: Some("monitoring-2026"),
        title: "Perbarui maklumat pelayanan perizinan",
        finding: "Maklumat pelayanan masih mengacu pada prosedur perizinan lama sebelum OSS berbasis risiko.",
        standard_component: Some(StandardComponent::ServiceGuarantee),
        priority: Priority::Medium,
        due_on: "2026-12-31",
        status: ActionItemStatus::Submitted,
        rejections: &[],
        cancellation_reason: None,
        evidence: &[link(
            "Maklumat pelayanan DPMPTSP (revisi).pdf",
            "application/pdf",
            "https://example.org/pendamping-demo/mateng-2026/dpmptsp/maklumat-revisi.pdf",
        )],
        comments: &[said(
            "Kepala Dinas Penanaman Modal dan PTSP",
            "Maklumat baru sudah ditandatangani dan dipajang.",
        )],
    },
    DemoActionItem {
        opd_key: "puskesmas-topoyo",
        product: None,
        milestone_key: Some("monitoring-2026"),
        title: "Sediakan ruang laktasi dan kursi roda",
        finding: "Ruang laktasi belum tersedia dan kursi roda rusak.",
        standard_component: Some(StandardComponent::Facilities),
        priority: Priority::Medium,
        due_on: "2026-12-31",
        status: ActionItemStatus::InProgress,
        rejections: &[],
        cancellation_reason: None,
        evidence: &[],
        comments: &[said(
            "Kepala Puskesmas Topoyo",
            "Ruang laktasi sedang direnovasi; pengadaan kursi roda melalui anggaran tahun berjalan.",
        )],
    },
    DemoActionItem {
        opd_key: "dishub",
        product: None,
        milestone_key: Some("monitoring-2026"),
        title: "Umumkan tarif retribusi terminal dan parkir",
        finding: "Tarif retribusi terminal dan parkir tepi jalan tidak diumumkan kepada pengguna.",
        standard_component: Some(StandardComponent::Cost),
        priority: Priority::Medium,
        due_on: "2026-10-30",
        status: ActionItemStatus::Rejected,
        rejections: &[
            "Foto papan tarif tidak terbaca dan belum mencantumkan dasar hukum peraturan daerah tentang retribusi.",
        ],
        cancellation_reason: None,
        evidence: &[link(
            "Foto papan tarif terminal.jpg",
            "image/jpeg",
            "https://example.org/pendamping-demo/mateng-2026/dishub/papan-tarif-terminal.jpg",
        )],
        comments: &[said(
            "Asisten Ombudsman",
            "Ditolak: mohon foto ulang dan lengkapi dasar hukumnya.",
        )],
    },
    DemoActionItem {
        opd_key: "dpupr",
        product: None,
        milestone_key: Some("monitoring-2026"),
        title: "Tetapkan jangka waktu layanan rekomendasi teknis bangunan",
        finding: "Layanan rekomendasi teknis persetujuan bangunan tidak memiliki jangka waktu penyelesaian yang pasti.",
        standard_component: Some(StandardComponent::CompletionTime),
        priority: Priority::Medium,
        due_on: "2027-06-30",
        status: ActionItemStatus::InProgress,
        rejections: &[],
        cancellation_reason: None,
        evidence: &[],
        comments: &[],
    },
    DemoActionItem {
        opd_key: "bapenda",
        product: None,
        milestone_key: Some("monitoring-2026"),
        title: "Jelaskan prosedur pembayaran PBB-P2",
        finding: "Alur pembayaran PBB-P2 dan keberatan atas ketetapan pajak tidak dijelaskan kepada wajib pajak.",
        standard_component: Some(StandardComponent::Procedure),
        priority: Priority::Medium,
        due_on: "2026-08-31",
        status: ActionItemStatus::InProgress,
        rejections: &[],
        cancellation_reason: None,
        evidence: &[],
        comments: &[],
    },
    DemoActionItem {
        opd_key: "distan",
        product: None,
        milestone_key: Some("monitoring-2026"),
        title: "Tangani pengaduan distribusi pupuk bersubsidi",
        finding: "Pengaduan petani tentang distribusi pupuk bersubsidi tidak dicatat dan tidak dijawab.",
        standard_component: Some(StandardComponent::ComplaintHandling),
        priority: Priority::High,
        due_on: "2027-02-26",
        status: ActionItemStatus::Open,
        rejections: &[],
        cancellation_reason: None,
        evidence: &[],
        comments: &[],
    },
    DemoActionItem {
        opd_key: "kecamatan-tobadak",
        product: None,
        milestone_key: Some("monitoring-2026"),
        title: "Buat register layanan dan pengawasan oleh camat",
        finding: "Tidak ada register layanan harian sehingga camat tidak dapat mengawasi waktu penyelesaian.",
        standard_component: Some(StandardComponent::InternalSupervision),
        priority: Priority::Low,
        due_on: "2026-12-31",
        status: ActionItemStatus::InProgress,
        rejections: &[],
        cancellation_reason: None,
        evidence: &[],
        comments: &[],
    },
    DemoActionItem {
        opd_key: "setda",
        product: None,
        milestone_key: Some("monitoring-2026"),
        title: "Terbitkan Keputusan Bupati tentang penetapan standar pelayanan OPD",
        finding: "Standar pelayanan OPD ditetapkan masing-masing tanpa payung keputusan bupati dan tanpa jadwal peninjauan.",
        standard_component: Some(StandardComponent::LegalBasis),
        priority: Priority::High,
        due_on: "2027-01-29",
        status: ActionItemStatus::InProgress,
        rejections: &[],
        cancellation_reason: None,
        evidence: &[],
        comments: &[said(
            "Sekretariat Daerah",
            "Rancangan keputusan sedang diharmonisasi oleh Bagian Hukum.",
        )],
    }, // --- Ombudsman supervision products of 2025 (one still open) --------------
    DemoActionItem {
        opd_key: "rsud",
        product: Some(DemoProduct {
            origin: Origin::CorrectiveAction,
            number: "LAHP/0007/LM.31/IX/2025",
            year: 2025,
        }),
        milestone_key: None,
        title: "Tindakan Korektif: tanggapi pengaduan pasien dalam batas waktu",
        finding: "LAHP atas laporan masyarakat tentang layanan rawat inap: pengaduan pasien tercatat di register tetapi tidak dijawab dalam 14 hari sebagaimana standar pelayanan RSUD. Tindakan korektif: tetapkan penanggung jawab jawaban, batas waktu, dan laporan bulanan kepada Direktur.",
        standard_component: Some(StandardComponent::ComplaintHandling),
        priority: Priority::High,
        due_on: "2026-12-31",
        status: ActionItemStatus::Open,
        rejections: &[],
        cancellation_reason: None,
        evidence: &[],
        comments: &[],
    },
    DemoActionItem {
        opd_key: "dukcapil",
        product: Some(DemoProduct {
            origin: Origin::ImprovementSuggestion,
            number: "B/0412/SRN.31/VI/2025",
            year: 2025,
        }),
        milestone_key: None,
        title: "Saran Perbaikan: akta kelahiran tanpa surat pengantar desa",
        finding: "Saran perbaikan Ombudsman: persyaratan surat pengantar desa untuk akta kelahiran tidak diatur dalam peraturan dan memperlambat layanan; hapus dari standar pelayanan.",
        standard_component: Some(StandardComponent::Requirements),
        priority: Priority::Medium,
        due_on: "2026-04-30",
        status: ActionItemStatus::Verified,
        rejections: &[],
        cancellation_reason: None,
        evidence: &[link(
            "Standar pelayanan akta kelahiran (revisi 2026).pdf",
            "application/pdf",
            "https://example.org/pendamping-demo/mateng-2026/dukcapil/standar-akta-2026.pdf",
        )],
        comments: &[],
    },
    DemoActionItem {
        opd_key: "dpmptsp",
        product: Some(DemoProduct {
            origin: Origin::RefinementSuggestion,
            number: "B/0588/SRN.31/X/2025",
            year: 2025,
        }),
        milestone_key: None,
        title: "Saran Penyempurnaan: informasi status permohonan izin",
        finding: "Saran penyempurnaan Ombudsman: pemohon izin tidak dapat mengetahui status permohonannya tanpa datang ke loket; sediakan informasi status melalui SMS atau laman.",
        standard_component: Some(StandardComponent::Procedure),
        priority: Priority::Medium,
        due_on: "2026-05-29",
        status: ActionItemStatus::Verified,
        rejections: &[],
        cancellation_reason: None,
        evidence: &[link(
            "Tangkapan layar laman status permohonan.png",
            "image/png",
            "https://example.org/pendamping-demo/mateng-2026/dpmptsp/status-permohonan.png",
        )],
        comments: &[],
    },
];

/// The follow-up agreement for 2022, never signed: still a draft.
const MATENG_2022: DemoAgreement = DemoAgreement {
    key: "mateng-2022",
    district_key: "mamuju-tengah",
    title: "Perjanjian Kerja Sama Pendampingan Kepatuhan Penyelenggaraan Pelayanan Publik Tahun 2022 antara Pemerintah Kabupaten Mamuju Tengah dan Ombudsman Republik Indonesia Perwakilan Sulawesi Barat",
    office_number: None,
    district_number: None,
    period_start: "2022-03-01",
    period_end: "2022-12-31",
    office_signatory: Some(KEPALA_PERWAKILAN),
    district_signatory: Some("Bupati Mamuju Tengah"),
    signed_on: None,
    status: AgreementStatus::Draft,
    closing_summary: None,
    termination_reason: None,
    opd_keys: &[
        "setda",
        "inspektorat",
        "dinkes",
        "dukcapil",
        "dpmptsp",
        "rsud",
        "disdikbud",
        "dinsos",
        "dpupr",
        "bapenda",
        "distan",
        "puskesmas-topoyo",
        "kecamatan-topoyo",
        "kecamatan-budong-budong",
        "kecamatan-pangale",
        "kecamatan-tobadak",
        "kecamatan-karossa",
    ],
    amendments: &[],
    milestones: &[
        DemoMilestone {
            key: "sosialisasi-pkp-2022",
            kind: MilestoneKind::Socialisation,
            title: "Sosialisasi metode Penilaian Kepatuhan Penyelenggaraan Pelayanan Publik 2022",
            planned_on: "2022-03-15",
            actual_on: None,
            location: Some("Aula Kantor Bupati Mamuju Tengah"),
            outcome_notes: None,
            status: MilestoneStatus::Planned,
            cancellation_reason: None,
            opd_keys: &[],
            reschedules: &[],
        },
        DemoMilestone {
            key: "bimtek-pengaduan-2022",
            kind: MilestoneKind::Bimtek,
            title: "Bimtek pengelolaan pengaduan bagi seluruh kecamatan",
            planned_on: "2022-04-20",
            actual_on: None,
            location: Some("Topoyo"),
            outcome_notes: None,
            status: MilestoneStatus::Planned,
            cancellation_reason: None,
            opd_keys: &[
                "kecamatan-topoyo",
                "kecamatan-budong-budong",
                "kecamatan-pangale",
                "kecamatan-tobadak",
                "kecamatan-karossa",
            ],
            reschedules: &[],
        },
    ],
    action_items: &[],
};

/// Kabupaten Mamuju's own running agreement: a second district with work in
/// flight, so a Mateng user can be seen NOT to see it.
const MAMUJU_2026: DemoAgreement = DemoAgreement {
    key: "mamuju-2026",
    district_key: "mamuju",
    title: "Perjanjian Kerja Sama Pendampingan Peningkatan Kepatuhan Penyelenggaraan Pelayanan Publik Tahun 2026 antara Pemerintah Kabupaten Mamuju dan Ombudsman Republik Indonesia Perwakilan Sulawesi Barat",
    office_number: Some("B/027/PW.31/II/2026"),
    district_number: Some("180/019/II/2026"),
    period_start: "2026-02-02",
    period_end: "2026-12-31",
    office_signatory: Some(KEPALA_PERWAKILAN),
    district_signatory: Some("Bupati Mamuju"),
    signed_on: Some("2026-02-02"),
    status: AgreementStatus::Active,
    closing_summary: None,
    termination_reason: None,
    opd_keys: &[
        "setda",
        "dinkes",
        "dukcapil",
        "dpmptsp",
        "rsud",
        "kecamatan-kalukku",
    ],
    amendments: &[],
    milestones: &[
        DemoMilestone {
            key: "bimtek-mamuju-2026",
            kind: MilestoneKind::Bimtek,
            title: "Penandatanganan PKS dan Bimtek tindak lanjut tindakan korektif",
            planned_on: "2026-02-02",
            actual_on: Some("2026-02-02"),
            location: Some("Kantor Bupati Mamuju"),
            outcome_notes: Some(
                "PKS ditandatangani; OPD dalam lingkup menerima daftar tindakan korektif dari penilaian sebelumnya.",
            ),
            status: MilestoneStatus::Done,
            cancellation_reason: None,
            opd_keys: &[
                "setda",
                "dinkes",
                "dukcapil",
                "dpmptsp",
                "rsud",
                "kecamatan-kalukku",
            ],
            reschedules: &[],
        },
        DemoMilestone {
            key: "monitoring-mamuju-2026",
            kind: MilestoneKind::MonitoringVisit,
            title: "Monitoring pelayanan pada OPD dalam lingkup",
            planned_on: "2026-05-12",
            actual_on: Some("2026-05-13"),
            location: Some("Kabupaten Mamuju"),
            outcome_notes: Some("Lima OPD dikunjungi; temuan dicatat sebagai tindakan korektif."),
            status: MilestoneStatus::Done,
            cancellation_reason: None,
            opd_keys: &["dinkes", "dukcapil", "dpmptsp", "rsud", "kecamatan-kalukku"],
            reschedules: &[],
        },
        DemoMilestone {
            key: "evaluasi-mamuju-2026",
            kind: MilestoneKind::Evaluation,
            title: "Evaluasi akhir tahun pendampingan",
            planned_on: "2026-12-10",
            actual_on: None,
            location: Some("Kantor Bupati Mamuju"),
            outcome_notes: None,
            status: MilestoneStatus::Planned,
            cancellation_reason: None,
            opd_keys: &[],
            reschedules: &[],
        },
    ],
    action_items: &[
        DemoActionItem {
            opd_key: "dpmptsp",
            product: None,
            milestone_key: Some("bimtek-mamuju-2026"),
            title: "Tampilkan survei kepuasan masyarakat dan tindak lanjutnya",
            finding: "Hasil survei kepuasan masyarakat tidak dipublikasikan beserta rencana tindak lanjutnya.",
            standard_component: Some(StandardComponent::PerformanceEvaluation),
            priority: Priority::Medium,
            due_on: "2026-05-29",
            status: ActionItemStatus::Verified,
            rejections: &[],
            cancellation_reason: None,
            evidence: &[link(
                "Publikasi hasil SKM triwulan I.pdf",
                "application/pdf",
                "https://example.org/pendamping-demo/mamuju-2026/dpmptsp/skm-triwulan-1.pdf",
            )],
            comments: &[],
        },
        DemoActionItem {
            opd_key: "rsud",
            product: None,
            milestone_key: Some("monitoring-mamuju-2026"),
            title: "Tetapkan batas waktu tanggapan pengaduan",
            finding: "Pengaduan pasien dicatat tetapi tidak ada batas waktu tanggapan kepada pelapor.",
            standard_component: Some(StandardComponent::ComplaintHandling),
            priority: Priority::High,
            due_on: "2026-09-30",
            status: ActionItemStatus::Submitted,
            rejections: &[],
            cancellation_reason: None,
            evidence: &[link(
                "SOP penanganan pengaduan RSUD Kabupaten Mamuju.pdf",
                "application/pdf",
                "https://example.org/pendamping-demo/mamuju-2026/rsud/sop-pengaduan.pdf",
            )],
            comments: &[said(
                "Direktur RSUD",
                "SOP baru berlaku sejak September; mohon diverifikasi.",
            )],
        },
        DemoActionItem {
            opd_key: "dinkes",
            product: None,
            milestone_key: Some("monitoring-mamuju-2026"),
            title: "Umumkan jadwal dan persyaratan layanan perizinan tenaga kesehatan",
            finding: "Persyaratan surat izin praktik tenaga kesehatan tidak diumumkan.",
            standard_component: Some(StandardComponent::Requirements),
            priority: Priority::Medium,
            due_on: "2026-12-18",
            status: ActionItemStatus::Open,
            rejections: &[],
            cancellation_reason: None,
            evidence: &[],
            comments: &[],
        },
        DemoActionItem {
            opd_key: "dukcapil",
            product: None,
            milestone_key: Some("monitoring-mamuju-2026"),
            title: "Tambah petugas loket layanan akta di hari pasar",
            finding: "Antrean akta pencatatan sipil melebihi kapasitas petugas pada hari pasar.",
            standard_component: Some(StandardComponent::NumberOfImplementers),
            priority: Priority::Low,
            due_on: "2027-01-29",
            status: ActionItemStatus::InProgress,
            rejections: &[],
            cancellation_reason: None,
            evidence: &[],
            comments: &[],
        },
        DemoActionItem {
            opd_key: "kecamatan-kalukku",
            product: None,
            milestone_key: Some("monitoring-mamuju-2026"),
            title: "Pasang maklumat pelayanan kecamatan",
            finding: "Maklumat pelayanan kecamatan tidak tersedia.",
            standard_component: Some(StandardComponent::ServiceGuarantee),
            priority: Priority::Low,
            due_on: "2026-08-31",
            status: ActionItemStatus::Open,
            rejections: &[],
            cancellation_reason: None,
            evidence: &[],
            comments: &[],
        },
    ],
};

/// An agreement ended early by both parties (illustrative).
const POLMAN_2023: DemoAgreement = DemoAgreement {
    key: "polman-2023",
    district_key: "polewali-mandar",
    title: "Perjanjian Kerja Sama Pendampingan Kepatuhan Penyelenggaraan Pelayanan Publik Tahun 2023 antara Pemerintah Kabupaten Polewali Mandar dan Ombudsman Republik Indonesia Perwakilan Sulawesi Barat",
    office_number: Some("B/052/PW.31/III/2023"),
    district_number: Some("180/044/III/2023"),
    period_start: "2023-03-06",
    period_end: "2023-12-29",
    office_signatory: Some(KEPALA_PERWAKILAN),
    district_signatory: Some("Bupati Polewali Mandar"),
    signed_on: Some("2023-03-06"),
    status: AgreementStatus::Terminated,
    closing_summary: None,
    termination_reason: Some(
        "Diakhiri lebih awal atas kesepakatan para pihak karena penataan ulang perangkat daerah; pendampingan dilanjutkan melalui perjanjian baru setelah penataan selesai.",
    ),
    opd_keys: &["dinkes", "dukcapil", "dpmptsp", "rsud"],
    amendments: &[],
    milestones: &[
        DemoMilestone {
            key: "bimtek-polman-2023",
            kind: MilestoneKind::Bimtek,
            title: "Bimtek standar pelayanan dan pengelolaan pengaduan",
            planned_on: "2023-03-06",
            actual_on: Some("2023-03-06"),
            location: Some("Kantor Bupati Polewali Mandar"),
            outcome_notes: Some(
                "Empat OPD mengikuti bimtek dan menerima daftar tindakan korektif.",
            ),
            status: MilestoneStatus::Done,
            cancellation_reason: None,
            opd_keys: &["dinkes", "dukcapil", "dpmptsp", "rsud"],
            reschedules: &[],
        },
        DemoMilestone {
            key: "monitoring-polman-2023",
            kind: MilestoneKind::MonitoringVisit,
            title: "Monitoring tindak lanjut",
            planned_on: "2023-08-15",
            actual_on: None,
            location: None,
            outcome_notes: None,
            status: MilestoneStatus::Cancelled,
            cancellation_reason: Some("Perjanjian diakhiri sebelum monitoring dilaksanakan."),
            opd_keys: &[],
            reschedules: &[],
        },
    ],
    action_items: &[
        DemoActionItem {
            opd_key: "dukcapil",
            product: None,
            milestone_key: Some("bimtek-polman-2023"),
            title: "Publikasikan jangka waktu layanan pencatatan sipil",
            finding: "Jangka waktu penyelesaian akta tidak diumumkan.",
            standard_component: Some(StandardComponent::CompletionTime),
            priority: Priority::Medium,
            due_on: "2023-05-31",
            status: ActionItemStatus::Verified,
            rejections: &[],
            cancellation_reason: None,
            evidence: &[link(
                "Foto standar pelayanan pencatatan sipil.jpg",
                "image/jpeg",
                "https://example.org/pendamping-demo/polman-2023/dukcapil/standar-pelayanan.jpg",
            )],
            comments: &[],
        },
        DemoActionItem {
            opd_key: "rsud",
            product: None,
            milestone_key: Some("bimtek-polman-2023"),
            title: "Bentuk unit pengaduan rumah sakit",
            finding: "Pengaduan pasien diterima oleh bagian umum tanpa pencatatan.",
            standard_component: Some(StandardComponent::ComplaintHandling),
            priority: Priority::High,
            due_on: "2023-07-31",
            status: ActionItemStatus::Cancelled,
            rejections: &[],
            cancellation_reason: Some(
                "Perjanjian diakhiri; temuan akan dimuat ulang dalam perjanjian berikutnya.",
            ),
            evidence: &[],
            comments: &[],
        },
    ],
};

/// A draft dropped before signing (illustrative).
const PASANGKAYU_2024: DemoAgreement = DemoAgreement {
    key: "pasangkayu-2024",
    district_key: "pasangkayu",
    title: "Perjanjian Kerja Sama Pendampingan Kepatuhan Penyelenggaraan Pelayanan Publik Tahun 2024 antara Pemerintah Kabupaten Pasangkayu dan Ombudsman Republik Indonesia Perwakilan Sulawesi Barat",
    office_number: None,
    district_number: None,
    period_start: "2024-04-01",
    period_end: "2024-12-31",
    office_signatory: Some(KEPALA_PERWAKILAN),
    district_signatory: Some("Bupati Pasangkayu"),
    signed_on: None,
    status: AgreementStatus::Cancelled,
    closing_summary: None,
    termination_reason: None,
    opd_keys: &["dinkes", "dukcapil", "dpmptsp"],
    amendments: &[],
    milestones: &[DemoMilestone {
        key: "sosialisasi-pasangkayu-2024",
        kind: MilestoneKind::Socialisation,
        title: "Sosialisasi rencana pendampingan",
        planned_on: "2024-05-15",
        actual_on: None,
        location: None,
        outcome_notes: None,
        status: MilestoneStatus::Cancelled,
        cancellation_reason: Some("Rancangan perjanjian tidak dilanjutkan oleh para pihak."),
        opd_keys: &[],
        reschedules: &[],
    }],
    action_items: &[],
};

// ---------------------------------------------------------------------------
// Assessment periods and scores
// ---------------------------------------------------------------------------

/// Assessment periods. There was no assessment in 2020, so there is no 2020 period.
pub const PERIODS: &[DemoPeriod] = &[
    DemoPeriod {
        year: 2018,
        name: "Penilaian Kepatuhan Standar Pelayanan Publik 2018",
        methodology_code: "KSP-2021",
    },
    DemoPeriod {
        year: 2019,
        name: "Penilaian Kepatuhan Standar Pelayanan Publik 2019",
        methodology_code: "KSP-2021",
    },
    DemoPeriod {
        year: 2021,
        name: "Penilaian Kepatuhan Standar Pelayanan Publik 2021",
        methodology_code: "KSP-2021",
    },
    DemoPeriod {
        year: 2022,
        name: "Penilaian Kepatuhan Penyelenggaraan Pelayanan Publik 2022",
        methodology_code: "PKP-2022",
    },
    DemoPeriod {
        year: 2023,
        name: "Penilaian Kepatuhan Penyelenggaraan Pelayanan Publik 2023",
        methodology_code: "PKP-2022",
    },
    DemoPeriod {
        year: 2024,
        name: "Penilaian Kepatuhan Penyelenggaraan Pelayanan Publik 2024",
        methodology_code: "PKP-2022",
    },
    DemoPeriod {
        year: 2025,
        name: "Penilaian Maladministrasi Penyelenggaraan Pelayanan Publik 2025",
        methodology_code: "OPINI-2025",
    },
];

/// The score lines whose totals are published, with where they come from:
/// these carry provenance `PUBLISHED`; every other demo score is `ILLUSTRATIVE`.
pub const PUBLISHED_SCORES: &[DemoPublished] = &[
    DemoPublished {
        year: 2021,
        district_key: "mamuju-tengah",
        source: "Hasil Penilaian Kepatuhan 2021 Ombudsman RI, diserahkan di Topoyo 7 Februari 2022 (lenterasulawesi.com, rakyatsulbar.com)",
        national_rank: Some((9, 416)),
    },
    DemoPublished {
        year: 2019,
        district_key: "mamasa",
        source: "ombudsman.go.id; rakyatsulbar.com, Februari 2022",
        national_rank: None,
    },
    DemoPublished {
        year: 2021,
        district_key: "mamasa",
        source: "ombudsman.go.id; rakyatsulbar.com, Februari 2022",
        national_rank: None,
    },
    DemoPublished {
        year: 2024,
        district_key: "mamasa",
        source: "busurmamasa.com, Desember 2024",
        national_rank: None,
    },
];

/// Scores in hundredths. PUBLISHED: Mamuju Tengah 2021 = 97.36 (assessed only
/// in 2019 and 2021 under KSP, so it has no 2018 score); the 2019 zone colours
/// of Mamuju Tengah, Mamuju, Mamasa (green) and Majene, Pasangkayu, the
/// province (yellow); Polewali Mandar green since 2017; Mamasa 89.02 (2019),
/// 95.75 (2021) and 78.90 (2024, green). The lines marked (PUBLISHED) carry a
/// published total; every other value, and every dimension value, is
/// ILLUSTRATIVE. PKP-2022 totals are the weighted sums of their dimensions
/// (Input 21.85 %, Proses 32.37 %, Output 24.24 %, Pengaduan 21.54 %),
/// rounded half up; the comment gives the total and its grade or zone.
#[rustfmt::skip]
pub const SCORES: &[DemoScore] = &[
    DemoScore { year: 2018, district_key: "provinsi-sulbar", opd_key: None, kind: ScoreKind::Official, total: 5820, dimensions: &[] },  // 58.20 KUNING
    DemoScore { year: 2019, district_key: "provinsi-sulbar", opd_key: None, kind: ScoreKind::Official, total: 6847, dimensions: &[] },  // 68.47 KUNING
    DemoScore { year: 2021, district_key: "provinsi-sulbar", opd_key: None, kind: ScoreKind::Official, total: 7962, dimensions: &[] },  // 79.62 KUNING
    DemoScore { year: 2018, district_key: "mamuju", opd_key: None, kind: ScoreKind::Official, total: 7245, dimensions: &[] },  // 72.45 KUNING
    DemoScore { year: 2019, district_key: "mamuju", opd_key: None, kind: ScoreKind::Official, total: 8512, dimensions: &[] },  // 85.12 HIJAU
    DemoScore { year: 2021, district_key: "mamuju", opd_key: None, kind: ScoreKind::Official, total: 8940, dimensions: &[] },  // 89.40 HIJAU
    DemoScore { year: 2018, district_key: "mamasa", opd_key: None, kind: ScoreKind::Official, total: 6610, dimensions: &[] },  // 66.10 KUNING
    DemoScore { year: 2019, district_key: "mamasa", opd_key: None, kind: ScoreKind::Official, total: 8902, dimensions: &[] },  // 89.02 HIJAU (PUBLISHED)
    DemoScore { year: 2021, district_key: "mamasa", opd_key: None, kind: ScoreKind::Official, total: 9575, dimensions: &[] },  // 95.75 HIJAU (PUBLISHED)
    DemoScore { year: 2019, district_key: "mamuju-tengah", opd_key: None, kind: ScoreKind::Official, total: 8854, dimensions: &[] },  // 88.54 HIJAU
    DemoScore { year: 2021, district_key: "mamuju-tengah", opd_key: None, kind: ScoreKind::Official, total: 9736, dimensions: &[] },  // 97.36 HIJAU (PUBLISHED)
    DemoScore { year: 2018, district_key: "majene", opd_key: None, kind: ScoreKind::Official, total: 5530, dimensions: &[] },  // 55.30 KUNING
    DemoScore { year: 2019, district_key: "majene", opd_key: None, kind: ScoreKind::Official, total: 7025, dimensions: &[] },  // 70.25 KUNING
    DemoScore { year: 2021, district_key: "majene", opd_key: None, kind: ScoreKind::Official, total: 8173, dimensions: &[] },  // 81.73 HIJAU
    DemoScore { year: 2018, district_key: "pasangkayu", opd_key: None, kind: ScoreKind::Official, total: 4980, dimensions: &[] },  // 49.80 MERAH
    DemoScore { year: 2019, district_key: "pasangkayu", opd_key: None, kind: ScoreKind::Official, total: 6390, dimensions: &[] },  // 63.90 KUNING
    DemoScore { year: 2021, district_key: "pasangkayu", opd_key: None, kind: ScoreKind::Official, total: 7605, dimensions: &[] },  // 76.05 KUNING
    DemoScore { year: 2018, district_key: "polewali-mandar", opd_key: None, kind: ScoreKind::Official, total: 8245, dimensions: &[] },  // 82.45 HIJAU
    DemoScore { year: 2019, district_key: "polewali-mandar", opd_key: None, kind: ScoreKind::Official, total: 8530, dimensions: &[] },  // 85.30 HIJAU
    DemoScore { year: 2021, district_key: "polewali-mandar", opd_key: None, kind: ScoreKind::Official, total: 8327, dimensions: &[] },  // 83.27 HIJAU
    DemoScore { year: 2022, district_key: "provinsi-sulbar", opd_key: None, kind: ScoreKind::Official, total: 6992, dimensions: &[("INPUT", 7650), ("PROSES", 7020), ("OUTPUT", 6880), ("PENGADUAN", 6410)] },  // 69.92 grade C
    DemoScore { year: 2023, district_key: "provinsi-sulbar", opd_key: None, kind: ScoreKind::Official, total: 7602, dimensions: &[("INPUT", 8010), ("PROSES", 7760), ("OUTPUT", 7540), ("PENGADUAN", 7020)] },  // 76.02 grade C
    DemoScore { year: 2024, district_key: "provinsi-sulbar", opd_key: None, kind: ScoreKind::Official, total: 8056, dimensions: &[("INPUT", 8420), ("PROSES", 8130), ("OUTPUT", 7990), ("PENGADUAN", 7650)] },  // 80.56 grade B
    DemoScore { year: 2022, district_key: "mamuju", opd_key: None, kind: ScoreKind::Official, total: 8444, dimensions: &[("INPUT", 8870), ("PROSES", 8540), ("OUTPUT", 8310), ("PENGADUAN", 8020)] },  // 84.44 grade B
    DemoScore { year: 2023, district_key: "mamuju", opd_key: None, kind: ScoreKind::Official, total: 8701, dimensions: &[("INPUT", 9020), ("PROSES", 8790), ("OUTPUT", 8650), ("PENGADUAN", 8300)] },  // 87.01 grade B
    DemoScore { year: 2024, district_key: "mamuju", opd_key: None, kind: ScoreKind::Official, total: 8875, dimensions: &[("INPUT", 9110), ("PROSES", 8960), ("OUTPUT", 8820), ("PENGADUAN", 8570)] },  // 88.75 grade A
    DemoScore { year: 2022, district_key: "mamasa", opd_key: None, kind: ScoreKind::Official, total: 7603, dimensions: &[("INPUT", 8150), ("PROSES", 7720), ("OUTPUT", 7480), ("PENGADUAN", 7010)] },  // 76.03 grade C
    DemoScore { year: 2023, district_key: "mamasa", opd_key: None, kind: ScoreKind::Official, total: 7902, dimensions: &[("INPUT", 8390), ("PROSES", 8010), ("OUTPUT", 7860), ("PENGADUAN", 7290)] },  // 79.02 grade B
    DemoScore { year: 2024, district_key: "mamasa", opd_key: None, kind: ScoreKind::Official, total: 7890, dimensions: &[("INPUT", 8460), ("PROSES", 7930), ("OUTPUT", 7780), ("PENGADUAN", 7374)] },  // 78.90 grade B (PUBLISHED)
    DemoScore { year: 2022, district_key: "mamuju-tengah", opd_key: None, kind: ScoreKind::Official, total: 8960, dimensions: &[("INPUT", 9340), ("PROSES", 9105), ("OUTPUT", 8870), ("PENGADUAN", 8460)] },  // 89.60 grade A
    DemoScore { year: 2023, district_key: "mamuju-tengah", opd_key: None, kind: ScoreKind::Official, total: 9143, dimensions: &[("INPUT", 9460), ("PROSES", 9280), ("OUTPUT", 9050), ("PENGADUAN", 8720)] },  // 91.43 grade A
    DemoScore { year: 2024, district_key: "mamuju-tengah", opd_key: None, kind: ScoreKind::Official, total: 9264, dimensions: &[("INPUT", 9510), ("PROSES", 9390), ("OUTPUT", 9160), ("PENGADUAN", 8940)] },  // 92.64 grade A
    DemoScore { year: 2022, district_key: "majene", opd_key: None, kind: ScoreKind::Official, total: 7382, dimensions: &[("INPUT", 7980), ("PROSES", 7460), ("OUTPUT", 7210), ("PENGADUAN", 6850)] },  // 73.82 grade C
    DemoScore { year: 2023, district_key: "majene", opd_key: None, kind: ScoreKind::Official, total: 7813, dimensions: &[("INPUT", 8260), ("PROSES", 7910), ("OUTPUT", 7700), ("PENGADUAN", 7340)] },  // 78.13 grade B
    DemoScore { year: 2024, district_key: "majene", opd_key: None, kind: ScoreKind::Official, total: 8140, dimensions: &[("INPUT", 8540), ("PROSES", 8220), ("OUTPUT", 8010), ("PENGADUAN", 7760)] },  // 81.40 grade B
    DemoScore { year: 2022, district_key: "pasangkayu", opd_key: None, kind: ScoreKind::Official, total: 6412, dimensions: &[("INPUT", 7020), ("PROSES", 6540), ("OUTPUT", 6210), ("PENGADUAN", 5830)] },  // 64.12 grade C
    DemoScore { year: 2023, district_key: "pasangkayu", opd_key: None, kind: ScoreKind::Official, total: 6862, dimensions: &[("INPUT", 7440), ("PROSES", 6980), ("OUTPUT", 6720), ("PENGADUAN", 6260)] },  // 68.62 grade C
    DemoScore { year: 2024, district_key: "pasangkayu", opd_key: None, kind: ScoreKind::Official, total: 7273, dimensions: &[("INPUT", 7810), ("PROSES", 7390), ("OUTPUT", 7150), ("PENGADUAN", 6690)] },  // 72.73 grade C
    DemoScore { year: 2022, district_key: "polewali-mandar", opd_key: None, kind: ScoreKind::Official, total: 7948, dimensions: &[("INPUT", 8420), ("PROSES", 8060), ("OUTPUT", 7850), ("PENGADUAN", 7410)] },  // 79.48 grade B
    DemoScore { year: 2023, district_key: "polewali-mandar", opd_key: None, kind: ScoreKind::Official, total: 8217, dimensions: &[("INPUT", 8610), ("PROSES", 8330), ("OUTPUT", 8120), ("PENGADUAN", 7760)] },  // 82.17 grade B
    DemoScore { year: 2024, district_key: "polewali-mandar", opd_key: None, kind: ScoreKind::Official, total: 8430, dimensions: &[("INPUT", 8790), ("PROSES", 8520), ("OUTPUT", 8360), ("PENGADUAN", 8010)] },  // 84.30 grade B
    DemoScore { year: 2019, district_key: "mamuju-tengah", opd_key: Some("rsud"), kind: ScoreKind::Official, total: 8210, dimensions: &[] },  // 82.10 HIJAU
    DemoScore { year: 2021, district_key: "mamuju-tengah", opd_key: Some("rsud"), kind: ScoreKind::Official, total: 7640, dimensions: &[] },  // 76.40 KUNING
    DemoScore { year: 2022, district_key: "mamuju-tengah", opd_key: Some("rsud"), kind: ScoreKind::Official, total: 6824, dimensions: &[("INPUT", 7850), ("PROSES", 7120), ("OUTPUT", 6940), ("PENGADUAN", 5210)] },  // 68.24 grade C
    DemoScore { year: 2023, district_key: "mamuju-tengah", opd_key: Some("rsud"), kind: ScoreKind::Official, total: 7918, dimensions: &[("INPUT", 8630), ("PROSES", 8040), ("OUTPUT", 7910), ("PENGADUAN", 7020)] },  // 79.18 grade B
    DemoScore { year: 2024, district_key: "mamuju-tengah", opd_key: Some("rsud"), kind: ScoreKind::Official, total: 8253, dimensions: &[("INPUT", 8810), ("PROSES", 8350), ("OUTPUT", 8120), ("PENGADUAN", 7690)] },  // 82.53 grade B
    DemoScore { year: 2019, district_key: "mamuju-tengah", opd_key: Some("dukcapil"), kind: ScoreKind::Official, total: 8690, dimensions: &[] },  // 86.90 HIJAU
    DemoScore { year: 2021, district_key: "mamuju-tengah", opd_key: Some("dukcapil"), kind: ScoreKind::Official, total: 9810, dimensions: &[] },  // 98.10 HIJAU
    DemoScore { year: 2022, district_key: "mamuju-tengah", opd_key: Some("dukcapil"), kind: ScoreKind::Official, total: 9047, dimensions: &[("INPUT", 9420), ("PROSES", 9150), ("OUTPUT", 8960), ("PENGADUAN", 8610)] },  // 90.47 grade A
    DemoScore { year: 2023, district_key: "mamuju-tengah", opd_key: Some("dukcapil"), kind: ScoreKind::Official, total: 9228, dimensions: &[("INPUT", 9580), ("PROSES", 9310), ("OUTPUT", 9120), ("PENGADUAN", 8870)] },  // 92.28 grade A
    DemoScore { year: 2024, district_key: "mamuju-tengah", opd_key: Some("dukcapil"), kind: ScoreKind::Official, total: 8681, dimensions: &[("INPUT", 9050), ("PROSES", 8720), ("OUTPUT", 8610), ("PENGADUAN", 8330)] },  // 86.81 grade B
    DemoScore { year: 2019, district_key: "mamuju-tengah", opd_key: Some("dpmptsp"), kind: ScoreKind::Official, total: 7920, dimensions: &[] },  // 79.20 KUNING
    DemoScore { year: 2021, district_key: "mamuju-tengah", opd_key: Some("dpmptsp"), kind: ScoreKind::Official, total: 9680, dimensions: &[] },  // 96.80 HIJAU
    DemoScore { year: 2022, district_key: "mamuju-tengah", opd_key: Some("dpmptsp"), kind: ScoreKind::Official, total: 8961, dimensions: &[("INPUT", 9310), ("PROSES", 9060), ("OUTPUT", 8890), ("PENGADUAN", 8540)] },  // 89.61 grade A
    DemoScore { year: 2023, district_key: "mamuju-tengah", opd_key: Some("dpmptsp"), kind: ScoreKind::Official, total: 9125, dimensions: &[("INPUT", 9450), ("PROSES", 9220), ("OUTPUT", 9030), ("PENGADUAN", 8760)] },  // 91.25 grade A
    DemoScore { year: 2024, district_key: "mamuju-tengah", opd_key: Some("dpmptsp"), kind: ScoreKind::Official, total: 9266, dimensions: &[("INPUT", 9520), ("PROSES", 9370), ("OUTPUT", 9180), ("PENGADUAN", 8950)] },  // 92.66 grade A
    DemoScore { year: 2019, district_key: "mamuju-tengah", opd_key: Some("dinkes"), kind: ScoreKind::Official, total: 8340, dimensions: &[] },  // 83.40 HIJAU
    DemoScore { year: 2021, district_key: "mamuju-tengah", opd_key: Some("dinkes"), kind: ScoreKind::Official, total: 9520, dimensions: &[] },  // 95.20 HIJAU
    DemoScore { year: 2022, district_key: "mamuju-tengah", opd_key: Some("dinkes"), kind: ScoreKind::Official, total: 8142, dimensions: &[("INPUT", 8650), ("PROSES", 8270), ("OUTPUT", 8030), ("PENGADUAN", 7560)] },  // 81.42 grade B
    DemoScore { year: 2023, district_key: "mamuju-tengah", opd_key: Some("dinkes"), kind: ScoreKind::Official, total: 7459, dimensions: &[("INPUT", 7920), ("PROSES", 7640), ("OUTPUT", 7380), ("PENGADUAN", 6810)] },  // 74.59 grade C
    DemoScore { year: 2024, district_key: "mamuju-tengah", opd_key: Some("dinkes"), kind: ScoreKind::Official, total: 8100, dimensions: &[("INPUT", 8540), ("PROSES", 8210), ("OUTPUT", 7990), ("PENGADUAN", 7610)] },  // 81.00 grade B
    DemoScore { year: 2019, district_key: "mamuju-tengah", opd_key: Some("puskesmas-topoyo"), kind: ScoreKind::Official, total: 5830, dimensions: &[] },  // 58.30 KUNING
    DemoScore { year: 2021, district_key: "mamuju-tengah", opd_key: Some("puskesmas-topoyo"), kind: ScoreKind::Official, total: 8890, dimensions: &[] },  // 88.90 HIJAU
    DemoScore { year: 2022, district_key: "mamuju-tengah", opd_key: Some("puskesmas-topoyo"), kind: ScoreKind::Official, total: 7110, dimensions: &[("INPUT", 7640), ("PROSES", 7310), ("OUTPUT", 6980), ("PENGADUAN", 6420)] },  // 71.10 grade C
    DemoScore { year: 2023, district_key: "mamuju-tengah", opd_key: Some("puskesmas-topoyo"), kind: ScoreKind::Official, total: 8025, dimensions: &[("INPUT", 8420), ("PROSES", 8130), ("OUTPUT", 7960), ("PENGADUAN", 7540)] },  // 80.25 grade B
    DemoScore { year: 2024, district_key: "mamuju-tengah", opd_key: Some("puskesmas-topoyo"), kind: ScoreKind::Official, total: 8959, dimensions: &[("INPUT", 9280), ("PROSES", 9040), ("OUTPUT", 8870), ("PENGADUAN", 8610)] },  // 89.59 grade A
    DemoScore { year: 2019, district_key: "mamuju-tengah", opd_key: Some("kecamatan-topoyo"), kind: ScoreKind::Official, total: 4560, dimensions: &[] },  // 45.60 MERAH
    DemoScore { year: 2021, district_key: "mamuju-tengah", opd_key: Some("kecamatan-topoyo"), kind: ScoreKind::Official, total: 7410, dimensions: &[] },  // 74.10 KUNING
    DemoScore { year: 2022, district_key: "mamuju-tengah", opd_key: Some("kecamatan-topoyo"), kind: ScoreKind::Official, total: 4956, dimensions: &[("INPUT", 5620), ("PROSES", 5080), ("OUTPUT", 4810), ("PENGADUAN", 4260)] },  // 49.56 grade D
    DemoScore { year: 2023, district_key: "mamuju-tengah", opd_key: Some("kecamatan-topoyo"), kind: ScoreKind::Official, total: 6106, dimensions: &[("INPUT", 6710), ("PROSES", 6250), ("OUTPUT", 5980), ("PENGADUAN", 5420)] },  // 61.06 grade C
    DemoScore { year: 2024, district_key: "mamuju-tengah", opd_key: Some("kecamatan-topoyo"), kind: ScoreKind::Official, total: 6728, dimensions: &[("INPUT", 7390), ("PROSES", 6840), ("OUTPUT", 6620), ("PENGADUAN", 6010)] },  // 67.28 grade C
    DemoScore { year: 2019, district_key: "mamuju-tengah", opd_key: Some("disdikbud"), kind: ScoreKind::Official, total: 7480, dimensions: &[] },  // 74.80 KUNING
    DemoScore { year: 2021, district_key: "mamuju-tengah", opd_key: Some("disdikbud"), kind: ScoreKind::Official, total: 8620, dimensions: &[] },  // 86.20 HIJAU
    DemoScore { year: 2022, district_key: "mamuju-tengah", opd_key: Some("disdikbud"), kind: ScoreKind::Official, total: 7693, dimensions: &[("INPUT", 8230), ("PROSES", 7810), ("OUTPUT", 7560), ("PENGADUAN", 7120)] },  // 76.93 grade C
    DemoScore { year: 2023, district_key: "mamuju-tengah", opd_key: Some("disdikbud"), kind: ScoreKind::Official, total: 7978, dimensions: &[("INPUT", 8510), ("PROSES", 8090), ("OUTPUT", 7870), ("PENGADUAN", 7390)] },  // 79.78 grade B
    DemoScore { year: 2024, district_key: "mamuju-tengah", opd_key: Some("disdikbud"), kind: ScoreKind::Official, total: 8293, dimensions: &[("INPUT", 8720), ("PROSES", 8390), ("OUTPUT", 8180), ("PENGADUAN", 7840)] },  // 82.93 grade B
    DemoScore { year: 2019, district_key: "mamuju-tengah", opd_key: Some("dinsos"), kind: ScoreKind::Official, total: 6890, dimensions: &[] },  // 68.90 KUNING
    DemoScore { year: 2021, district_key: "mamuju-tengah", opd_key: Some("dinsos"), kind: ScoreKind::Official, total: 7930, dimensions: &[] },  // 79.30 KUNING
    DemoScore { year: 2022, district_key: "mamuju-tengah", opd_key: Some("dinsos"), kind: ScoreKind::Official, total: 6945, dimensions: &[("INPUT", 7560), ("PROSES", 7080), ("OUTPUT", 6830), ("PENGADUAN", 6250)] },  // 69.45 grade C
    DemoScore { year: 2023, district_key: "mamuju-tengah", opd_key: Some("dinsos"), kind: ScoreKind::Official, total: 7302, dimensions: &[("INPUT", 7890), ("PROSES", 7420), ("OUTPUT", 7210), ("PENGADUAN", 6630)] },  // 73.02 grade C
    DemoScore { year: 2024, district_key: "mamuju-tengah", opd_key: Some("dinsos"), kind: ScoreKind::Official, total: 7737, dimensions: &[("INPUT", 8240), ("PROSES", 7860), ("OUTPUT", 7650), ("PENGADUAN", 7140)] },  // 77.37 grade C
    DemoScore { year: 2019, district_key: "mamuju", opd_key: Some("dinkes"), kind: ScoreKind::Official, total: 8010, dimensions: &[] },  // 80.10 KUNING
    DemoScore { year: 2021, district_key: "mamuju", opd_key: Some("dinkes"), kind: ScoreKind::Official, total: 8760, dimensions: &[] },  // 87.60 HIJAU
    DemoScore { year: 2022, district_key: "mamuju", opd_key: Some("dinkes"), kind: ScoreKind::Official, total: 8111, dimensions: &[("INPUT", 8510), ("PROSES", 8230), ("OUTPUT", 8010), ("PENGADUAN", 7640)] },  // 81.11 grade B
    DemoScore { year: 2023, district_key: "mamuju", opd_key: Some("dinkes"), kind: ScoreKind::Official, total: 8347, dimensions: &[("INPUT", 8730), ("PROSES", 8460), ("OUTPUT", 8240), ("PENGADUAN", 7910)] },  // 83.47 grade B
    DemoScore { year: 2024, district_key: "mamuju", opd_key: Some("dinkes"), kind: ScoreKind::Official, total: 8522, dimensions: &[("INPUT", 8860), ("PROSES", 8610), ("OUTPUT", 8420), ("PENGADUAN", 8160)] },  // 85.22 grade B
    DemoScore { year: 2019, district_key: "mamuju", opd_key: Some("dukcapil"), kind: ScoreKind::Official, total: 8870, dimensions: &[] },  // 88.70 HIJAU
    DemoScore { year: 2021, district_key: "mamuju", opd_key: Some("dukcapil"), kind: ScoreKind::Official, total: 9320, dimensions: &[] },  // 93.20 HIJAU
    DemoScore { year: 2022, district_key: "mamuju", opd_key: Some("dukcapil"), kind: ScoreKind::Official, total: 8851, dimensions: &[("INPUT", 9210), ("PROSES", 8970), ("OUTPUT", 8750), ("PENGADUAN", 8420)] },  // 88.51 grade A
    DemoScore { year: 2023, district_key: "mamuju", opd_key: Some("dukcapil"), kind: ScoreKind::Official, total: 9026, dimensions: &[("INPUT", 9350), ("PROSES", 9110), ("OUTPUT", 8930), ("PENGADUAN", 8680)] },  // 90.26 grade A
    DemoScore { year: 2024, district_key: "mamuju", opd_key: Some("dukcapil"), kind: ScoreKind::Official, total: 9145, dimensions: &[("INPUT", 9430), ("PROSES", 9240), ("OUTPUT", 9060), ("PENGADUAN", 8810)] },  // 91.45 grade A
    DemoScore { year: 2019, district_key: "mamuju", opd_key: Some("dpmptsp"), kind: ScoreKind::Official, total: 8450, dimensions: &[] },  // 84.50 HIJAU
    DemoScore { year: 2021, district_key: "mamuju", opd_key: Some("dpmptsp"), kind: ScoreKind::Official, total: 9050, dimensions: &[] },  // 90.50 HIJAU
    DemoScore { year: 2022, district_key: "mamuju", opd_key: Some("dpmptsp"), kind: ScoreKind::Official, total: 8515, dimensions: &[("INPUT", 8920), ("PROSES", 8630), ("OUTPUT", 8410), ("PENGADUAN", 8050)] },  // 85.15 grade B
    DemoScore { year: 2023, district_key: "mamuju", opd_key: Some("dpmptsp"), kind: ScoreKind::Official, total: 8702, dimensions: &[("INPUT", 9080), ("PROSES", 8810), ("OUTPUT", 8600), ("PENGADUAN", 8270)] },  // 87.02 grade B
    DemoScore { year: 2024, district_key: "mamuju", opd_key: Some("dpmptsp"), kind: ScoreKind::Official, total: 8853, dimensions: &[("INPUT", 9190), ("PROSES", 8950), ("OUTPUT", 8770), ("PENGADUAN", 8460)] },  // 88.53 grade A
    DemoScore { year: 2019, district_key: "mamuju", opd_key: Some("rsud"), kind: ScoreKind::Official, total: 7390, dimensions: &[] },  // 73.90 KUNING
    DemoScore { year: 2021, district_key: "mamuju", opd_key: Some("rsud"), kind: ScoreKind::Official, total: 8210, dimensions: &[] },  // 82.10 HIJAU
    DemoScore { year: 2022, district_key: "mamuju", opd_key: Some("rsud"), kind: ScoreKind::Official, total: 7458, dimensions: &[("INPUT", 8020), ("PROSES", 7610), ("OUTPUT", 7350), ("PENGADUAN", 6780)] },  // 74.58 grade C
    DemoScore { year: 2023, district_key: "mamuju", opd_key: Some("rsud"), kind: ScoreKind::Official, total: 7088, dimensions: &[("INPUT", 7710), ("PROSES", 7260), ("OUTPUT", 6990), ("PENGADUAN", 6310)] },  // 70.88 grade C
    DemoScore { year: 2024, district_key: "mamuju", opd_key: Some("rsud"), kind: ScoreKind::Official, total: 7375, dimensions: &[("INPUT", 7940), ("PROSES", 7520), ("OUTPUT", 7280), ("PENGADUAN", 6690)] },  // 73.75 grade C
    DemoScore { year: 2021, district_key: "mamuju-tengah", opd_key: Some("rsud"), kind: ScoreKind::SelfAssessment, total: 9200, dimensions: &[] },
    DemoScore { year: 2021, district_key: "mamuju-tengah", opd_key: Some("dukcapil"), kind: ScoreKind::SelfAssessment, total: 9550, dimensions: &[] },
    DemoScore { year: 2021, district_key: "mamuju-tengah", opd_key: Some("dpmptsp"), kind: ScoreKind::SelfAssessment, total: 9400, dimensions: &[] },
    DemoScore { year: 2021, district_key: "mamuju-tengah", opd_key: Some("dinkes"), kind: ScoreKind::SelfAssessment, total: 9010, dimensions: &[] },
    DemoScore { year: 2021, district_key: "mamuju-tengah", opd_key: Some("kecamatan-topoyo"), kind: ScoreKind::SelfAssessment, total: 8350, dimensions: &[] },
    DemoScore { year: 2021, district_key: "mamuju-tengah", opd_key: None, kind: ScoreKind::SelfAssessment, total: 9480, dimensions: &[] },
    DemoScore { year: 2021, district_key: "mamuju-tengah", opd_key: Some("rsud"), kind: ScoreKind::MentoringCheck, total: 7125, dimensions: &[] },
    DemoScore { year: 2021, district_key: "mamuju-tengah", opd_key: Some("dukcapil"), kind: ScoreKind::MentoringCheck, total: 9380, dimensions: &[] },
    DemoScore { year: 2021, district_key: "mamuju-tengah", opd_key: Some("kecamatan-topoyo"), kind: ScoreKind::MentoringCheck, total: 6840, dimensions: &[] },
    DemoScore { year: 2021, district_key: "mamuju-tengah", opd_key: Some("puskesmas-topoyo"), kind: ScoreKind::MentoringCheck, total: 8610, dimensions: &[] },
    DemoScore { year: 2021, district_key: "mamuju-tengah", opd_key: None, kind: ScoreKind::MentoringCheck, total: 9210, dimensions: &[] },
    // 2025 (OPINI-2025): ILLUSTRATIVE — no published Sulawesi Barat result was found.
    DemoScore { year: 2025, district_key: "mamuju-tengah", opd_key: None, kind: ScoreKind::Official, total: 8012, dimensions: &[] },  // 80.12 Kualitas Tinggi
];

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use chrono::NaiveDate;

    use super::*;

    const PKP_WEIGHTS: &[(&str, u64)] = &[
        ("INPUT", 2185),
        ("PROSES", 3237),
        ("OUTPUT", 2424),
        ("PENGADUAN", 2154),
    ];

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .unwrap_or_else(|e| panic!("{s:?} is not a YYYY-MM-DD date: {e}"))
    }

    fn district(key: &str) -> &'static DemoDistrict {
        DISTRICTS
            .iter()
            .find(|d| d.key == key)
            .unwrap_or_else(|| panic!("no district {key:?}"))
    }

    fn agreement(key: &str) -> &'static DemoAgreement {
        AGREEMENTS
            .iter()
            .find(|a| a.key == key)
            .unwrap_or_else(|| panic!("no agreement {key:?}"))
    }

    fn has_opd(district_key: &str, opd_key: &str) -> bool {
        district(district_key).opds.iter().any(|o| o.key == opd_key)
    }

    fn period(year: i32) -> Option<&'static DemoPeriod> {
        PERIODS.iter().find(|p| p.year == year)
    }

    /// Every date string of the data set, with where it comes from.
    fn all_dates() -> Vec<(String, &'static str)> {
        let mut out = Vec::new();
        for a in AGREEMENTS {
            let at = |what: &str| format!("{}.{what}", a.key);
            out.push((at("period_start"), a.period_start));
            out.push((at("period_end"), a.period_end));
            if let Some(d) = a.signed_on {
                out.push((at("signed_on"), d));
            }
            for m in a.amendments {
                out.push((at("amendment.signed_on"), m.signed_on));
                if let Some(d) = m.new_period_end {
                    out.push((at("amendment.new_period_end"), d));
                }
            }
            for m in a.milestones {
                out.push((at(&format!("{}.planned_on", m.key)), m.planned_on));
                if let Some(d) = m.actual_on {
                    out.push((at(&format!("{}.actual_on", m.key)), d));
                }
                for r in m.reschedules {
                    out.push((at(&format!("{}.reschedule.old", m.key)), r.old_date));
                    out.push((at(&format!("{}.reschedule.new", m.key)), r.new_date));
                }
            }
            for i in a.action_items {
                out.push((at(&format!("item {:?}.due_on", i.title)), i.due_on));
            }
        }
        out
    }

    /// Every free text of the data set.
    fn all_texts() -> Vec<&'static str> {
        let mut out = vec![OFFICE.code, OFFICE.name, OFFICE.province];
        for d in DISTRICTS {
            out.extend([d.key, d.name, d.province]);
            for o in d.opds {
                out.extend([o.key, o.name]);
                out.extend(o.short_name);
                out.extend(o.head_title);
            }
        }
        for a in AGREEMENTS {
            out.extend([a.key, a.title]);
            out.extend(a.office_number);
            out.extend(a.district_number);
            out.extend(a.office_signatory);
            out.extend(a.district_signatory);
            out.extend(a.closing_summary);
            out.extend(a.termination_reason);
            for m in a.amendments {
                out.extend([m.number, m.summary]);
            }
            for m in a.milestones {
                out.extend([m.key, m.title]);
                out.extend(m.location);
                out.extend(m.outcome_notes);
                out.extend(m.cancellation_reason);
                out.extend(m.reschedules.iter().map(|r| r.reason));
            }
            for i in a.action_items {
                out.extend([i.title, i.finding]);
                out.extend(i.rejections.iter().copied());
                out.extend(i.cancellation_reason);
                for e in i.evidence {
                    out.extend([e.name, e.media_type, e.url]);
                }
                for c in i.comments {
                    out.extend([c.author, c.body]);
                }
            }
        }
        for p in PERIODS {
            out.push(p.name);
        }
        out
    }

    #[test]
    fn every_date_parses() {
        let dates = all_dates();
        assert!(
            dates.len() > 50,
            "expected many dates, found {}",
            dates.len()
        );
        for (at, d) in dates {
            assert!(
                NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok(),
                "{at}: {d:?} is not a YYYY-MM-DD date"
            );
        }
    }

    #[test]
    fn the_office_and_districts_are_sulawesi_barat_in_wita() {
        assert_eq!(OFFICE.code, "SULBAR");
        assert_eq!(OFFICE.time_zone, TimeZone::Wita);
        assert_eq!(DISTRICTS.len(), 7);
        let keys: HashSet<_> = DISTRICTS.iter().map(|d| d.key).collect();
        assert_eq!(keys.len(), DISTRICTS.len(), "district keys must be unique");
        for d in DISTRICTS {
            assert_eq!(d.time_zone, TimeZone::Wita, "{}", d.key);
            assert_eq!(d.province, "Sulawesi Barat", "{}", d.key);
        }
        assert_eq!(
            DISTRICTS
                .iter()
                .filter(|d| d.kind == DistrictKind::Province)
                .count(),
            1
        );
    }

    #[test]
    fn opds_are_unique_per_district_and_sized_as_briefed() {
        for d in DISTRICTS {
            let keys: HashSet<_> = d.opds.iter().map(|o| o.key).collect();
            assert_eq!(keys.len(), d.opds.len(), "duplicate OPD key in {}", d.key);
            let n = d.opds.len();
            let ok = match d.key {
                "mamuju-tengah" => (22..=26).contains(&n),
                "mamuju" => (8..=10).contains(&n),
                _ => (3..=5).contains(&n),
            };
            assert!(ok, "{} has {n} OPDs", d.key);
            for o in d.opds {
                assert!(
                    o.name.chars().count() <= 200,
                    "{}/{} name too long",
                    d.key,
                    o.key
                );
                if let Some(s) = o.short_name {
                    assert!(
                        s.chars().count() <= 40,
                        "{}/{} short name too long",
                        d.key,
                        o.key
                    );
                }
                assert!(
                    o.head_title.is_some(),
                    "{}/{} has no head title",
                    d.key,
                    o.key
                );
            }
        }
        for key in ["rsud", "dukcapil", "dpmptsp", "dinkes", "setda"] {
            assert!(has_opd("mamuju-tengah", key), "mamuju-tengah lacks {key}");
            assert!(has_opd("mamuju", key), "mamuju lacks {key}");
        }
        for kec in ["topoyo", "budong-budong", "pangale", "tobadak", "karossa"] {
            assert!(
                has_opd("mamuju-tengah", &format!("kecamatan-{kec}")),
                "no kecamatan {kec}"
            );
        }
    }

    #[test]
    fn no_person_from_the_article_is_named_but_the_2021_signatories() {
        // The 2021 agreement names its two signatories, as signed; nobody
        // else from the article is named, and they appear nowhere else.
        let a = agreement("mateng-2021");
        assert_eq!(
            a.district_signatory,
            Some("Askary Anwar, Sekretaris Daerah Kabupaten Mamuju Tengah")
        );
        assert_eq!(
            a.office_signatory,
            Some("Lukman Umar, Kepala Ombudsman RI Perwakilan Sulawesi Barat")
        );
        let names = ["amin jasa", "askary", "anwar", "lukman", "umar", "uchon"];
        let signatories = [a.district_signatory, a.office_signatory];
        for text in all_texts() {
            if signatories.contains(&Some(text)) {
                continue;
            }
            let lower = text.to_lowercase();
            for name in names {
                assert!(!lower.contains(name), "{text:?} names a person ({name})");
            }
        }
    }

    #[test]
    fn agreements_are_consistent() {
        let keys: HashSet<_> = AGREEMENTS.iter().map(|a| a.key).collect();
        assert_eq!(
            keys.len(),
            AGREEMENTS.len(),
            "agreement keys must be unique"
        );
        for status in AgreementStatus::ALL {
            assert!(
                AGREEMENTS.iter().any(|a| a.status == *status),
                "no agreement is {status}"
            );
        }
        for a in AGREEMENTS {
            district(a.district_key);
            assert!(a.title.chars().count() <= 300, "{}: title too long", a.key);
            assert!(
                date(a.period_end) >= date(a.period_start),
                "{}: ends before it starts",
                a.key
            );
            let signed = matches!(
                a.status,
                AgreementStatus::Active | AgreementStatus::Completed | AgreementStatus::Terminated
            );
            if signed {
                assert!(
                    a.office_number.is_some() && a.district_number.is_some(),
                    "{}: numbers",
                    a.key
                );
                assert!(
                    a.office_signatory.is_some() && a.district_signatory.is_some(),
                    "{}: signatories",
                    a.key
                );
                assert!(a.signed_on.is_some(), "{}: signed_on", a.key);
            } else {
                assert!(
                    a.signed_on.is_none(),
                    "{}: unsigned but has signed_on",
                    a.key
                );
                assert!(
                    a.office_number.is_none() && a.district_number.is_none(),
                    "{}: unsigned but numbered",
                    a.key
                );
                assert!(a.amendments.is_empty(), "{}: unsigned but amended", a.key);
                assert!(
                    a.action_items.is_empty(),
                    "{}: unsigned but has action items",
                    a.key
                );
            }
            assert_eq!(
                a.closing_summary.is_some(),
                a.status == AgreementStatus::Completed,
                "{}: closing summary",
                a.key
            );
            assert_eq!(
                a.termination_reason.is_some(),
                a.status == AgreementStatus::Terminated,
                "{}: termination reason",
                a.key
            );
            if a.status == AgreementStatus::Completed {
                assert!(
                    a.milestones.iter().all(|m| matches!(
                        m.status,
                        MilestoneStatus::Done | MilestoneStatus::Cancelled
                    )),
                    "{}: completed with open milestones",
                    a.key
                );
            }
            for n in [a.office_number, a.district_number].into_iter().flatten() {
                assert!(n.chars().count() <= 100, "{}: number too long", a.key);
            }
            let scope: HashSet<_> = a.opd_keys.iter().copied().collect();
            assert_eq!(
                scope.len(),
                a.opd_keys.len(),
                "{}: duplicate OPD in scope",
                a.key
            );
            for k in a.opd_keys {
                assert!(
                    has_opd(a.district_key, k),
                    "{}: scope names unknown OPD {k}",
                    a.key
                );
            }
            let mut last_end = date(a.period_end);
            for m in a.amendments {
                assert!(
                    date(m.signed_on) >= date(a.period_start),
                    "{}: amendment before start",
                    a.key
                );
                if let Some(end) = m.new_period_end {
                    assert!(
                        date(end) >= last_end,
                        "{}: amendment shortens the period",
                        a.key
                    );
                    last_end = date(end);
                }
            }
        }
    }

    #[test]
    fn milestones_are_consistent() {
        for a in AGREEMENTS {
            let keys: HashSet<_> = a.milestones.iter().map(|m| m.key).collect();
            assert_eq!(
                keys.len(),
                a.milestones.len(),
                "{}: duplicate milestone key",
                a.key
            );
            for m in a.milestones {
                let at = format!("{}/{}", a.key, m.key);
                for k in m.opd_keys {
                    assert!(
                        a.opd_keys.contains(k),
                        "{at}: OPD {k} not in the agreement's scope"
                    );
                }
                match m.status {
                    MilestoneStatus::Done => {
                        assert!(
                            m.actual_on.is_some() && m.outcome_notes.is_some(),
                            "{at}: done needs actual date and notes"
                        );
                    }
                    MilestoneStatus::Cancelled => {
                        assert!(
                            m.cancellation_reason.is_some(),
                            "{at}: cancelled needs a reason"
                        );
                    }
                    MilestoneStatus::Planned | MilestoneStatus::InProgress => {
                        assert!(
                            m.actual_on.is_none(),
                            "{at}: not done but has an actual date"
                        );
                    }
                }
                if m.status != MilestoneStatus::Cancelled {
                    assert!(
                        m.cancellation_reason.is_none(),
                        "{at}: reason without cancellation"
                    );
                }
                let mut previous: Option<&str> = None;
                for r in m.reschedules {
                    assert_ne!(r.old_date, r.new_date, "{at}: empty reschedule");
                    if let Some(p) = previous {
                        assert_eq!(r.old_date, p, "{at}: reschedules do not chain");
                    }
                    previous = Some(r.new_date);
                }
                if let Some(last) = previous {
                    assert_eq!(
                        last, m.planned_on,
                        "{at}: planned_on is not the last new date"
                    );
                }
            }
        }
        let mateng = agreement("mateng-2021");
        for status in MilestoneStatus::ALL {
            assert!(
                AGREEMENTS
                    .iter()
                    .flat_map(|a| a.milestones)
                    .any(|m| m.status == *status),
                "no {status} milestone"
            );
        }
        // Every held milestone of a signed agreement lies within its period
        // (as amended): the visits to 15 OPDs fall in the year 2021 agreement.
        for a in AGREEMENTS.iter().filter(|a| a.signed_on.is_some()) {
            let end = a
                .amendments
                .iter()
                .filter_map(|m| m.new_period_end)
                .next_back()
                .unwrap_or(a.period_end);
            for m in a.milestones {
                let day = m.actual_on.unwrap_or(m.planned_on);
                assert!(
                    date(a.period_start) <= date(day) && date(day) <= date(end),
                    "{}/{}: {day} outside the agreement's period",
                    a.key,
                    m.key
                );
            }
        }
        assert!(
            mateng.milestones.iter().any(|m| !m.reschedules.is_empty()),
            "no rescheduled milestone"
        );
        let bimtek = mateng
            .milestones
            .iter()
            .find(|m| m.kind == MilestoneKind::Bimtek)
            .expect("a Bimtek milestone");
        assert_eq!(bimtek.actual_on, Some("2021-04-29"));
        assert_eq!(bimtek.status, MilestoneStatus::Done);
        let visit = mateng
            .milestones
            .iter()
            .find(|m| m.key == "monitoring-15-opd")
            .expect("the visit to 15 OPDs");
        assert_eq!(visit.opd_keys.len(), 15);
        let handover = mateng
            .milestones
            .iter()
            .find(|m| m.kind == MilestoneKind::Evaluation)
            .expect("the handover");
        assert_eq!(handover.actual_on, Some("2022-02-07"));
    }

    #[test]
    fn action_items_are_consistent() {
        for a in AGREEMENTS {
            for i in a.action_items {
                let at = format!("{}/{}: {:?}", a.key, i.opd_key, i.title);
                assert!(
                    has_opd(a.district_key, i.opd_key),
                    "{at}: OPD not in district"
                );
                assert!(
                    a.opd_keys.contains(&i.opd_key),
                    "{at}: OPD not in the agreement's scope"
                );
                if let Some(mk) = i.milestone_key {
                    let m = a
                        .milestones
                        .iter()
                        .find(|m| m.key == mk)
                        .unwrap_or_else(|| panic!("{at}: unknown milestone {mk}"));
                    assert!(
                        m.opd_keys.is_empty() || m.opd_keys.contains(&i.opd_key),
                        "{at}: OPD not involved in milestone {mk}"
                    );
                }
                let needs_evidence = matches!(
                    i.status,
                    ActionItemStatus::Submitted
                        | ActionItemStatus::Verified
                        | ActionItemStatus::Rejected
                ) || !i.rejections.is_empty();
                if needs_evidence {
                    assert!(!i.evidence.is_empty(), "{at}: {} needs evidence", i.status);
                }
                match i.status {
                    ActionItemStatus::Rejected => {
                        assert!(!i.rejections.is_empty(), "{at}: rejected without a reason")
                    }
                    ActionItemStatus::Open => assert!(
                        i.rejections.is_empty() && i.evidence.is_empty(),
                        "{at}: open but worked on"
                    ),
                    _ => {}
                }
                assert_eq!(
                    i.cancellation_reason.is_some(),
                    i.status == ActionItemStatus::Cancelled,
                    "{at}: cancellation reason iff cancelled"
                );
                for e in i.evidence {
                    assert!(
                        e.url.starts_with("https://example.org/"),
                        "{at}: evidence URL {}",
                        e.url
                    );
                }
            }
        }
    }

    #[test]
    fn the_2021_agreement_tells_the_story() {
        let a = agreement("mateng-2021");
        assert_eq!(a.district_key, "mamuju-tengah");
        // Completed after its addendum, not five years overdue.
        assert_eq!(a.status, AgreementStatus::Completed);
        assert_eq!(a.signed_on, Some("2021-04-29"));
        assert!(a.opd_keys.len() >= 15);
        assert!(a.opd_keys.contains(&"rsud") && a.opd_keys.contains(&"dukcapil"));
        assert!(
            a.action_items.iter().all(|i| !i.status.is_open_work()),
            "a completed agreement with open work"
        );
        let visit = a
            .milestones
            .iter()
            .find(|m| m.key == "monitoring-15-opd")
            .expect("the visit");
        assert!(
            a.action_items.iter().any(|i| i.opd_key == "rsud"
                && i.milestone_key == Some(visit.key)
                && i.standard_component == Some(StandardComponent::ComplaintHandling)
                && i.finding.contains("formalitas")),
            "the article's RSUD finding is missing or not raised at the visit"
        );
        assert!(
            a.action_items
                .iter()
                .any(|i| i.status == ActionItemStatus::Verified && !i.rejections.is_empty()),
            "no item verified after a rejection"
        );
        for status in ActionItemStatus::ALL {
            assert!(
                AGREEMENTS
                    .iter()
                    .flat_map(|a| a.action_items)
                    .any(|i| i.status == *status),
                "no {status} item"
            );
        }
    }

    #[test]
    fn the_current_agreement_carries_todays_open_work() {
        let a = agreement("mateng-2026");
        assert_eq!(a.status, AgreementStatus::Active);
        let today = date("2026-11-28");
        assert!(date(a.period_start) <= today && today <= date(a.period_end));
        for opd in ["rsud", "dukcapil"] {
            assert!(
                a.action_items
                    .iter()
                    .any(|i| i.opd_key == opd && i.status == ActionItemStatus::Open),
                "{opd} has no OPEN item"
            );
        }
        let open: Vec<_> = a
            .action_items
            .iter()
            .filter(|i| i.status.is_open_work())
            .collect();
        assert!(
            open.iter().any(|i| date(i.due_on) < today),
            "nothing is overdue"
        );
        assert!(
            open.iter()
                .filter(|i| matches!(
                    i.status,
                    ActionItemStatus::Open | ActionItemStatus::InProgress
                ))
                .filter(|i| date(i.due_on) >= date("2026-12-01"))
                .count()
                >= 3,
            "too few OPEN/IN_PROGRESS items due from 2026-12"
        );
        // Ombudsman products of 2025, one of them still open.
        let products: Vec<_> = a
            .action_items
            .iter()
            .filter_map(|i| i.product.as_ref().map(|p| (i, p)))
            .collect();
        assert!(products.len() >= 3);
        assert!(
            products
                .iter()
                .all(|(_, p)| p.origin.is_ombudsman_product() && p.year == 2025)
        );
        assert_eq!(
            products
                .iter()
                .filter(|(i, _)| i.status.is_open_work())
                .count(),
            1
        );
    }

    #[test]
    fn periods_follow_the_published_calendar() {
        assert!(period(2020).is_none(), "there was no assessment in 2020");
        for year in [2018, 2019, 2021, 2022, 2023, 2024, 2025] {
            let p = period(year).unwrap_or_else(|| panic!("no {year} period"));
            let expected = match year {
                ..=2021 => "KSP-2021",
                2022..=2024 => "PKP-2022",
                _ => "OPINI-2025",
            };
            assert_eq!(p.methodology_code, expected, "{year}");
        }
        let years: HashSet<_> = PERIODS.iter().map(|p| p.year).collect();
        assert_eq!(years.len(), PERIODS.len(), "duplicate period year");
    }

    #[test]
    fn scores_are_well_formed() {
        let mut seen = HashSet::new();
        for s in SCORES {
            let at = format!("{} {} {:?} {}", s.year, s.district_key, s.opd_key, s.kind);
            assert!(
                seen.insert((s.year, s.district_key, s.opd_key, s.kind)),
                "{at}: duplicate"
            );
            assert!(s.total <= 10_000, "{at}: total out of range");
            district(s.district_key);
            if let Some(o) = s.opd_key {
                assert!(has_opd(s.district_key, o), "{at}: unknown OPD");
            }
            let p = period(s.year).unwrap_or_else(|| panic!("{at}: no period"));
            if p.methodology_code == "PKP-2022" {
                assert_eq!(s.dimensions.len(), PKP_WEIGHTS.len(), "{at}: dimensions");
                let mut sum: u64 = 0;
                for (code, weight) in PKP_WEIGHTS {
                    let value = s
                        .dimensions
                        .iter()
                        .find(|(c, _)| c == code)
                        .unwrap_or_else(|| panic!("{at}: no {code}"))
                        .1;
                    assert!(value <= 10_000, "{at}: {code} out of range");
                    sum += u64::from(value) * weight;
                }
                assert_eq!(
                    u64::from(s.total),
                    (sum + 5_000) / 10_000,
                    "{at}: total is not the weighted sum"
                );
            } else {
                assert!(
                    s.dimensions.is_empty(),
                    "{at}: KSP scores have no dimensions"
                );
            }
        }
    }

    fn official(year: i32, district_key: &str) -> u16 {
        SCORES
            .iter()
            .find(|s| {
                s.year == year
                    && s.district_key == district_key
                    && s.opd_key.is_none()
                    && s.kind == ScoreKind::Official
            })
            .unwrap_or_else(|| panic!("no official {year} score for {district_key}"))
            .total
    }

    #[test]
    fn scores_agree_with_the_published_facts() {
        assert_eq!(official(2021, "mamuju-tengah"), 9736);
        for d in DISTRICTS {
            official(2019, d.key);
            official(2021, d.key);
        }
        for green in ["mamuju-tengah", "mamuju", "mamasa"] {
            assert!(official(2019, green) >= 8100, "{green} was green in 2019");
        }
        for yellow in ["majene", "pasangkayu", "provinsi-sulbar"] {
            let t = official(2019, yellow);
            assert!(
                (5100..=8099).contains(&t),
                "{yellow} was yellow in 2019, not {t}"
            );
        }
        assert!(SCORES.iter().all(|s| s.year != 2020));
        // Mamuju Tengah was assessed twice under KSP: 2019 and 2021.
        assert!(
            !SCORES
                .iter()
                .any(|s| s.district_key == "mamuju-tengah" && s.year == 2018),
            "Mamuju Tengah was first assessed in 2019"
        );
        assert_eq!(official(2019, "mamasa"), 8902);
        assert_eq!(official(2021, "mamasa"), 9575);
        assert_eq!(official(2024, "mamasa"), 7890);
        for year in [2018, 2019] {
            assert!(
                official(year, "polewali-mandar") >= 8100,
                "Polewali Mandar green since 2017"
            );
        }
    }

    #[test]
    fn opd_scores_show_movement_and_other_kinds() {
        let zone = |t: u16| {
            if t >= 8100 {
                2
            } else if t >= 5100 {
                1
            } else {
                0
            }
        };
        let series = |d: &str, o: &str| -> Vec<u16> {
            SCORES
                .iter()
                .filter(|s| {
                    s.district_key == d
                        && s.opd_key == Some(o)
                        && s.kind == ScoreKind::Official
                        && s.year <= 2021
                })
                .map(|s| s.total)
                .collect()
        };
        let mut up = false;
        let mut down = false;
        for o in MAMUJU_TENGAH_OPDS {
            let z: Vec<_> = series("mamuju-tengah", o.key)
                .into_iter()
                .map(zone)
                .collect();
            up |= z.windows(2).any(|w| w[1] > w[0]);
            down |= z.windows(2).any(|w| w[1] < w[0]);
        }
        assert!(
            up && down,
            "OPD zones should move both ways (up {up}, down {down})"
        );
        for kind in [ScoreKind::SelfAssessment, ScoreKind::MentoringCheck] {
            assert!(
                SCORES.iter().any(|s| s.year == 2021 && s.kind == kind),
                "no {kind} score in 2021"
            );
        }
        assert!(
            SCORES
                .iter()
                .any(|s| s.district_key == "mamuju" && s.opd_key.is_some())
        );
    }
}
