//! What people read in an export or a rapor: Indonesian labels of the codes,
//! Indonesian dates, scores with two decimals.

use chrono::{DateTime, NaiveDate, Utc};
use pendamping_engine::domain::action_item::{ActionItemStatus, Priority, StandardComponent};
use pendamping_engine::domain::agreement::{AgreementStatus, MilestoneKind, MilestoneStatus};
use pendamping_engine::domain::reference::{DistrictKind, OpdKind, TimeZone};
use pendamping_engine::domain::score::{ScoreKind, Zone};

/// `30/11/2026`: the short form, as Indonesian spreadsheets write dates.
pub fn date_short(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

/// `30 November 2026`.
pub fn date_long(date: NaiveDate) -> String {
    pendamping_engine::domain::reference::long_date(date)
}

/// An instant in a zone, `30/11/2026 14:05 WITA`.
pub fn instant(at: DateTime<Utc>, zone: TimeZone) -> String {
    let local = at.with_timezone(&zone.tz());
    format!(
        "{} {}",
        local.format("%d/%m/%Y %H:%M"),
        zone_abbreviation(zone)
    )
}

pub fn zone_abbreviation(zone: TimeZone) -> &'static str {
    match zone {
        TimeZone::Wib => "WIB",
        TimeZone::Wita => "WITA",
        TimeZone::Wit => "WIT",
    }
}

/// A score in hundredths as people write it: `87,50` (Indonesian decimal comma).
pub fn score(hundredths: i64) -> String {
    let sign = if hundredths < 0 { "-" } else { "" };
    let abs = hundredths.abs();
    format!("{sign}{},{:02}", abs / 100, abs % 100)
}

/// A score in hundredths with a decimal point, for CSV files (`87.50`).
pub fn score_point(hundredths: i64) -> String {
    let sign = if hundredths < 0 { "-" } else { "" };
    let abs = hundredths.abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

pub fn yes_no(value: bool) -> &'static str {
    if value { "Ya" } else { "Tidak" }
}

pub fn action_item_status(status: ActionItemStatus) -> &'static str {
    match status {
        ActionItemStatus::Open => "Terbuka",
        ActionItemStatus::InProgress => "Dikerjakan",
        ActionItemStatus::Submitted => "Diajukan",
        ActionItemStatus::Verified => "Terverifikasi",
        ActionItemStatus::Rejected => "Ditolak",
        ActionItemStatus::Cancelled => "Dibatalkan",
    }
}

pub fn priority(priority: Priority) -> &'static str {
    match priority {
        Priority::Low => "Rendah",
        Priority::Medium => "Sedang",
        Priority::High => "Tinggi",
        Priority::Critical => "Kritis",
    }
}

pub fn standard_component(component: StandardComponent) -> &'static str {
    match component {
        StandardComponent::LegalBasis => "Dasar hukum",
        StandardComponent::Requirements => "Persyaratan",
        StandardComponent::Procedure => "Sistem, mekanisme, dan prosedur",
        StandardComponent::CompletionTime => "Jangka waktu penyelesaian",
        StandardComponent::Cost => "Biaya/tarif",
        StandardComponent::ServiceProduct => "Produk pelayanan",
        StandardComponent::Facilities => "Sarana, prasarana, dan/atau fasilitas",
        StandardComponent::ImplementerCompetence => "Kompetensi pelaksana",
        StandardComponent::InternalSupervision => "Pengawasan internal",
        StandardComponent::ComplaintHandling => "Penanganan pengaduan, saran, dan masukan",
        StandardComponent::NumberOfImplementers => "Jumlah pelaksana",
        StandardComponent::ServiceGuarantee => "Jaminan pelayanan",
        StandardComponent::SecurityAndSafety => "Jaminan keamanan dan keselamatan pelayanan",
        StandardComponent::PerformanceEvaluation => "Evaluasi kinerja pelaksana",
    }
}

pub fn agreement_status(status: AgreementStatus) -> &'static str {
    match status {
        AgreementStatus::Draft => "Draf",
        AgreementStatus::Active => "Berjalan",
        AgreementStatus::Completed => "Selesai",
        AgreementStatus::Terminated => "Diakhiri",
        AgreementStatus::Cancelled => "Dibatalkan",
    }
}

pub fn milestone_kind(kind: MilestoneKind) -> &'static str {
    match kind {
        MilestoneKind::Socialisation => "Sosialisasi",
        MilestoneKind::Bimtek => "Bimbingan teknis",
        MilestoneKind::SelfAssessment => "Penilaian mandiri",
        MilestoneKind::MonitoringVisit => "Kunjungan monitoring",
        MilestoneKind::Assessment => "Penilaian",
        MilestoneKind::Evaluation => "Evaluasi",
        MilestoneKind::Report => "Laporan",
        MilestoneKind::Other => "Lainnya",
    }
}

pub fn milestone_status(status: MilestoneStatus) -> &'static str {
    match status {
        MilestoneStatus::Planned => "Direncanakan",
        MilestoneStatus::InProgress => "Berlangsung",
        MilestoneStatus::Done => "Terlaksana",
        MilestoneStatus::Cancelled => "Dibatalkan",
    }
}

pub fn score_kind(kind: ScoreKind) -> &'static str {
    match kind {
        ScoreKind::Official => "Resmi",
        ScoreKind::SelfAssessment => "Penilaian mandiri",
        ScoreKind::MentoringCheck => "Pemeriksaan pendampingan",
    }
}

pub fn zone(zone: Zone) -> &'static str {
    match zone {
        Zone::Green => "Hijau",
        Zone::Yellow => "Kuning",
        Zone::Red => "Merah",
    }
}

pub fn opd_kind(kind: OpdKind) -> &'static str {
    match kind {
        OpdKind::Secretariat => "Sekretariat",
        OpdKind::Department => "Dinas",
        OpdKind::Agency => "Badan",
        OpdKind::Inspectorate => "Inspektorat",
        OpdKind::Hospital => "Rumah sakit",
        OpdKind::HealthCentre => "Puskesmas",
        OpdKind::Subdistrict => "Kecamatan",
        OpdKind::Other => "Lainnya",
    }
}

pub fn district_kind(kind: DistrictKind) -> &'static str {
    match kind {
        DistrictKind::Province => "Provinsi",
        DistrictKind::Regency => "Kabupaten",
        DistrictKind::City => "Kota",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_scores_read_the_indonesian_way() {
        let day = NaiveDate::from_ymd_opt(2026, 3, 5).expect("a date");
        assert_eq!(date_long(day), "5 Maret 2026");
        assert_eq!(date_short(day), "05/03/2026");
        assert_eq!(score(8750), "87,50");
        assert_eq!(score(7), "0,07");
        assert_eq!(score_point(10000), "100.00");
    }
}
