//! The vocabulary of the national data set. Provinces, their time zones,
//! their number of regencies and cities and their capitals are real; every
//! other place name is composed from common Indonesian toponym parts and is
//! ILLUSTRATIVE. No person is named: heads and signatories are role titles.

use pendamping_domain::action_item::StandardComponent;
use pendamping_domain::reference::{OpdKind, TimeZone};

/// A province and its Ombudsman office.
pub struct Province {
    /// Office code (upper case, as `NewOffice` requires).
    pub code: &'static str,
    pub name: &'static str,
    pub time_zone: TimeZone,
    pub regencies: usize,
    pub cities: usize,
    /// The capital, as a full district name (`Kota …`, or `Kabupaten …` where the capital is no city).
    pub capital: &'static str,
}

const fn p(
    code: &'static str,
    name: &'static str,
    time_zone: TimeZone,
    regencies: usize,
    cities: usize,
    capital: &'static str,
) -> Province {
    Province {
        code,
        name,
        time_zone,
        regencies,
        cities,
        capital,
    }
}

use TimeZone::{Wib, Wit, Wita};

/// The 34 provinces with an Ombudsman office (the 2020 division): 514 regencies and cities.
pub const PROVINCES: &[Province] = &[
    p("ACEH", "Aceh", Wib, 18, 5, "Kota Banda Aceh"),
    p("SUMUT", "Sumatera Utara", Wib, 25, 8, "Kota Medan"),
    p("SUMBAR", "Sumatera Barat", Wib, 12, 7, "Kota Padang"),
    p("RIAU", "Riau", Wib, 10, 2, "Kota Pekanbaru"),
    p("JAMBI", "Jambi", Wib, 9, 2, "Kota Jambi"),
    p("SUMSEL", "Sumatera Selatan", Wib, 13, 4, "Kota Palembang"),
    p("BENGKULU", "Bengkulu", Wib, 9, 1, "Kota Bengkulu"),
    p("LAMPUNG", "Lampung", Wib, 13, 2, "Kota Bandar Lampung"),
    p(
        "BABEL",
        "Kepulauan Bangka Belitung",
        Wib,
        6,
        1,
        "Kota Pangkalpinang",
    ),
    p("KEPRI", "Kepulauan Riau", Wib, 5, 2, "Kota Tanjungpinang"),
    p("JAKARTA", "DKI Jakarta", Wib, 1, 5, "Kota Jakarta Pusat"),
    p("JABAR", "Jawa Barat", Wib, 18, 9, "Kota Bandung"),
    p("JATENG", "Jawa Tengah", Wib, 29, 6, "Kota Semarang"),
    p(
        "DIY",
        "Daerah Istimewa Yogyakarta",
        Wib,
        4,
        1,
        "Kota Yogyakarta",
    ),
    p("JATIM", "Jawa Timur", Wib, 29, 9, "Kota Surabaya"),
    p("BANTEN", "Banten", Wib, 4, 4, "Kota Serang"),
    p("BALI", "Bali", Wita, 8, 1, "Kota Denpasar"),
    p("NTB", "Nusa Tenggara Barat", Wita, 8, 2, "Kota Mataram"),
    p("NTT", "Nusa Tenggara Timur", Wita, 21, 1, "Kota Kupang"),
    p("KALBAR", "Kalimantan Barat", Wib, 12, 2, "Kota Pontianak"),
    p(
        "KALTENG",
        "Kalimantan Tengah",
        Wib,
        13,
        1,
        "Kota Palangka Raya",
    ),
    p(
        "KALSEL",
        "Kalimantan Selatan",
        Wita,
        11,
        2,
        "Kota Banjarmasin",
    ),
    p("KALTIM", "Kalimantan Timur", Wita, 7, 3, "Kota Samarinda"),
    p("KALTARA", "Kalimantan Utara", Wita, 4, 1, "Kota Tarakan"),
    p("SULUT", "Sulawesi Utara", Wita, 11, 4, "Kota Manado"),
    p("SULTENG", "Sulawesi Tengah", Wita, 12, 1, "Kota Palu"),
    p("SULSEL", "Sulawesi Selatan", Wita, 21, 3, "Kota Makassar"),
    p("SULTRA", "Sulawesi Tenggara", Wita, 15, 2, "Kota Kendari"),
    p("GORONTALO", "Gorontalo", Wita, 5, 1, "Kota Gorontalo"),
    p("SULBAR", "Sulawesi Barat", Wita, 6, 0, "Kabupaten Mamuju"),
    p("MALUKU", "Maluku", Wit, 9, 2, "Kota Ambon"),
    p("MALUT", "Maluku Utara", Wit, 8, 2, "Kota Ternate"),
    p("PAPUA", "Papua", Wit, 28, 1, "Kota Jayapura"),
    p("PABAR", "Papua Barat", Wit, 12, 1, "Kota Sorong"),
];

/// First parts of composed place names.
pub const PLACE_PREFIXES: &[&str] = &[
    "Tanjung", "Sungai", "Bukit", "Teluk", "Muara", "Batu", "Air", "Kuala", "Lubuk", "Padang",
    "Labuhan", "Tana", "Pulau", "Gunung", "Rantau", "Koto", "Talang", "Ulu", "Danau", "Lembah",
    "Ujung", "Pematang", "Tebing", "Karang", "Pasir", "Rawa", "Sumber", "Way", "Tanah", "Kampung",
];

/// Second parts of composed place names.
pub const PLACE_ROOTS: &[&str] = &[
    "Jaya",
    "Raya",
    "Baru",
    "Indah",
    "Makmur",
    "Sari",
    "Permai",
    "Mulya",
    "Agung",
    "Sejahtera",
    "Lestari",
    "Harapan",
    "Damai",
    "Mekar",
    "Asri",
    "Wangi",
    "Emas",
    "Perak",
    "Merah",
    "Putih",
    "Hijau",
    "Panjang",
    "Tinggi",
    "Lama",
    "Rejo",
    "Kencana",
    "Sentosa",
    "Bahari",
    "Kembang",
    "Melati",
    "Cempaka",
    "Kenanga",
    "Jati",
    "Pinang",
    "Kelapa",
    "Durian",
    "Bambu",
    "Beringin",
    "Meranti",
    "Rotan",
    "Nipah",
    "Bakau",
    "Mangga",
    "Kemuning",
    "Kuning",
    "Biru",
    "Bening",
    "Dalam",
    "Luhur",
    "Wetan",
    "Kulon",
    "Serai",
    "Pandan",
    "Gading",
    "Intan",
    "Mutiara",
    "Samudra",
    "Selasih",
    "Tembesu",
    "Kapuas",
];

/// Third parts, used once the two-part names run out (scales above 1).
pub const PLACE_SUFFIXES: &[&str] = &[
    "Utara",
    "Selatan",
    "Timur",
    "Barat",
    "Tengah",
    "Hulu",
    "Hilir",
    "Pesisir",
    "Kepulauan",
];

/// An OPD of a regency or city government: name, short name, kind, head's title.
pub type OpdTemplate = (&'static str, Option<&'static str>, OpdKind, &'static str);

use OpdKind::{Agency, Department, Hospital, Inspectorate, Secretariat};

/// The work units nearly every regency and city has (PP 18/2016 nomenclature).
pub const LOCAL_OPDS: &[OpdTemplate] = &[
    (
        "Sekretariat Daerah",
        Some("Setda"),
        Secretariat,
        "Sekretaris Daerah",
    ),
    (
        "Sekretariat Dewan Perwakilan Rakyat Daerah",
        Some("Setwan"),
        Secretariat,
        "Sekretaris DPRD",
    ),
    (
        "Inspektorat Daerah",
        Some("Inspektorat"),
        Inspectorate,
        "Inspektur Daerah",
    ),
    (
        "Dinas Pendidikan dan Kebudayaan",
        Some("Disdikbud"),
        Department,
        "Kepala Dinas Pendidikan dan Kebudayaan",
    ),
    (
        "Dinas Kesehatan",
        Some("Dinkes"),
        Department,
        "Kepala Dinas Kesehatan",
    ),
    (
        "Dinas Pekerjaan Umum dan Penataan Ruang",
        Some("Dinas PUPR"),
        Department,
        "Kepala Dinas PUPR",
    ),
    (
        "Dinas Perumahan dan Kawasan Permukiman",
        Some("Disperkim"),
        Department,
        "Kepala Dinas Perumahan dan Kawasan Permukiman",
    ),
    (
        "Satuan Polisi Pamong Praja",
        Some("Satpol PP"),
        Agency,
        "Kepala Satuan Polisi Pamong Praja",
    ),
    (
        "Dinas Sosial",
        Some("Dinsos"),
        Department,
        "Kepala Dinas Sosial",
    ),
    (
        "Dinas Pemberdayaan Perempuan dan Perlindungan Anak",
        Some("DP3A"),
        Department,
        "Kepala Dinas P3A",
    ),
    (
        "Dinas Ketahanan Pangan",
        Some("DKP"),
        Department,
        "Kepala Dinas Ketahanan Pangan",
    ),
    (
        "Dinas Lingkungan Hidup",
        Some("DLH"),
        Department,
        "Kepala Dinas Lingkungan Hidup",
    ),
    (
        "Dinas Kependudukan dan Pencatatan Sipil",
        Some("Disdukcapil"),
        Department,
        "Kepala Dinas Kependudukan dan Pencatatan Sipil",
    ),
    (
        "Dinas Pemberdayaan Masyarakat dan Desa",
        Some("DPMD"),
        Department,
        "Kepala Dinas Pemberdayaan Masyarakat dan Desa",
    ),
    (
        "Dinas Pengendalian Penduduk dan Keluarga Berencana",
        Some("DPPKB"),
        Department,
        "Kepala Dinas PPKB",
    ),
    (
        "Dinas Perhubungan",
        Some("Dishub"),
        Department,
        "Kepala Dinas Perhubungan",
    ),
    (
        "Dinas Komunikasi dan Informatika",
        Some("Diskominfo"),
        Department,
        "Kepala Dinas Komunikasi dan Informatika",
    ),
    (
        "Dinas Koperasi, Usaha Kecil dan Menengah",
        Some("Diskop UKM"),
        Department,
        "Kepala Dinas Koperasi dan UKM",
    ),
    (
        "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
        Some("DPMPTSP"),
        Department,
        "Kepala DPMPTSP",
    ),
    (
        "Dinas Kepemudaan dan Olahraga",
        Some("Dispora"),
        Department,
        "Kepala Dinas Kepemudaan dan Olahraga",
    ),
    (
        "Dinas Perpustakaan dan Kearsipan",
        Some("Dispusip"),
        Department,
        "Kepala Dinas Perpustakaan dan Kearsipan",
    ),
    (
        "Dinas Pariwisata",
        Some("Dispar"),
        Department,
        "Kepala Dinas Pariwisata",
    ),
    (
        "Dinas Pertanian",
        Some("Distan"),
        Department,
        "Kepala Dinas Pertanian",
    ),
    (
        "Dinas Perikanan",
        Some("Diskan"),
        Department,
        "Kepala Dinas Perikanan",
    ),
    (
        "Dinas Perdagangan dan Perindustrian",
        Some("Disperindag"),
        Department,
        "Kepala Dinas Perdagangan dan Perindustrian",
    ),
    (
        "Dinas Tenaga Kerja dan Transmigrasi",
        Some("Disnakertrans"),
        Department,
        "Kepala Dinas Tenaga Kerja dan Transmigrasi",
    ),
    (
        "Badan Perencanaan Pembangunan Daerah",
        Some("Bappeda"),
        Agency,
        "Kepala Bappeda",
    ),
    (
        "Badan Pengelolaan Keuangan dan Aset Daerah",
        Some("BPKAD"),
        Agency,
        "Kepala BPKAD",
    ),
    (
        "Badan Pendapatan Daerah",
        Some("Bapenda"),
        Agency,
        "Kepala Badan Pendapatan Daerah",
    ),
    (
        "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
        Some("BKPSDM"),
        Agency,
        "Kepala BKPSDM",
    ),
    (
        "Badan Penanggulangan Bencana Daerah",
        Some("BPBD"),
        Agency,
        "Kepala Pelaksana BPBD",
    ),
    (
        "Badan Kesatuan Bangsa dan Politik",
        Some("Kesbangpol"),
        Agency,
        "Kepala Badan Kesatuan Bangsa dan Politik",
    ),
    (
        "Rumah Sakit Umum Daerah",
        Some("RSUD"),
        Hospital,
        "Direktur RSUD",
    ),
];

/// Bureaus of a provincial secretariat, added to a province's OPDs.
pub const PROVINCIAL_BUREAUS: &[&str] = &[
    "Biro Pemerintahan dan Otonomi Daerah",
    "Biro Hukum",
    "Biro Organisasi",
    "Biro Perekonomian",
    "Biro Kesejahteraan Rakyat",
    "Biro Pengadaan Barang dan Jasa",
    "Biro Umum",
];

/// Title and finding of a typical action item, per service-standard component.
pub const FINDINGS: &[(StandardComponent, &str, &str)] = &[
    (
        StandardComponent::LegalBasis,
        "Menetapkan standar pelayanan dengan keputusan kepala OPD",
        "Standar pelayanan belum ditetapkan dengan dasar hukum yang sah.",
    ),
    (
        StandardComponent::Requirements,
        "Memublikasikan persyaratan pelayanan di ruang pelayanan dan laman resmi",
        "Persyaratan pelayanan tidak terpampang bagi pengguna layanan.",
    ),
    (
        StandardComponent::Procedure,
        "Menyusun dan memajang bagan alur prosedur pelayanan",
        "Sistem, mekanisme dan prosedur pelayanan tidak tersedia dalam bentuk bagan alur.",
    ),
    (
        StandardComponent::CompletionTime,
        "Mencantumkan jangka waktu penyelesaian setiap jenis layanan",
        "Jangka waktu penyelesaian tidak diinformasikan kepada pengguna layanan.",
    ),
    (
        StandardComponent::Cost,
        "Memajang informasi biaya/tarif pelayanan atau pernyataan gratis",
        "Tidak ada informasi biaya atau tarif pelayanan.",
    ),
    (
        StandardComponent::ServiceProduct,
        "Menyusun daftar produk pelayanan",
        "Produk pelayanan tidak dicantumkan dalam standar pelayanan.",
    ),
    (
        StandardComponent::Facilities,
        "Menyediakan sarana bagi pengguna layanan berkebutuhan khusus",
        "Ruang tunggu dan sarana bagi penyandang disabilitas belum tersedia.",
    ),
    (
        StandardComponent::ImplementerCompetence,
        "Menetapkan kompetensi pelaksana pelayanan",
        "Kompetensi pelaksana belum ditetapkan dan belum ada pelatihan.",
    ),
    (
        StandardComponent::InternalSupervision,
        "Menunjuk atasan langsung sebagai pengawas internal pelayanan",
        "Pengawasan internal pelayanan belum berjalan.",
    ),
    (
        StandardComponent::ComplaintHandling,
        "Menyediakan sarana dan petugas pengelola pengaduan",
        "Pengelolaan pengaduan masih formalitas: tidak ada petugas dan tindak lanjut tidak tercatat.",
    ),
    (
        StandardComponent::NumberOfImplementers,
        "Menetapkan jumlah pelaksana sesuai beban kerja",
        "Jumlah pelaksana tidak sebanding dengan jumlah pengguna layanan.",
    ),
    (
        StandardComponent::ServiceGuarantee,
        "Menerbitkan maklumat pelayanan",
        "Maklumat pelayanan belum ditetapkan dan dipublikasikan.",
    ),
    (
        StandardComponent::SecurityAndSafety,
        "Menyediakan jaminan keamanan dan keselamatan pelayanan",
        "Tidak ada jaminan keamanan dan keselamatan pelayanan yang tertulis.",
    ),
    (
        StandardComponent::PerformanceEvaluation,
        "Melaksanakan survei kepuasan masyarakat dan evaluasi kinerja pelaksana",
        "Evaluasi kinerja pelaksana dan survei kepuasan masyarakat belum dilaksanakan.",
    ),
];

pub const CANCELLATION_REASONS: &[&str] = &[
    "Layanan tidak lagi diselenggarakan oleh OPD ini.",
    "Temuan digabung dengan rencana aksi lain.",
    "Kewenangan beralih ke OPD lain setelah perubahan struktur organisasi.",
];

pub const REJECTION_REASONS: &[&str] = &[
    "Bukti belum menunjukkan penerapan di ruang pelayanan.",
    "Dokumen belum ditandatangani kepala OPD.",
    "Foto tidak memperlihatkan informasi yang diminta.",
];

pub const COMMENTS: &[(&str, &str)] = &[
    (
        "Sekretariat Daerah",
        "Mohon segera ditindaklanjuti sebelum monitoring berikutnya.",
    ),
    (
        "Sekretariat Daerah",
        "Sudah dibahas dalam rapat koordinasi; target minggu depan.",
    ),
    ("Petugas OPD", "Sedang menunggu tanda tangan kepala OPD."),
    (
        "Petugas OPD",
        "Bukti akan diunggah setelah pemasangan papan informasi.",
    ),
];

pub const CORRECTION_REASONS: &[&str] = &[
    "Koreksi entri data setelah verifikasi ulang lembar penilaian.",
    "Perbaikan nilai sesuai hasil klarifikasi penilaian.",
];
