//! Reference data: Ombudsman offices, the local governments (districts) they
//! oversee, and the districts' work units (OPDs).

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

use crate::validation::Validation;

id_type!(
    /// An Ombudsman office (*Perwakilan*).
    OfficeId
);
id_type!(
    /// A local government (*Pemerintah Daerah*): province, regency or city.
    DistrictId
);
id_type!(
    /// A work unit of a district (*Organisasi Perangkat Daerah*).
    OpdId
);

code_enum! {
    /// Indonesia's three time zones. A due date is a calendar date in the
    /// district's own zone.
    pub enum TimeZone {
        /// *Waktu Indonesia Barat*, UTC+7.
        Wib = "Asia/Jakarta",
        /// *Waktu Indonesia Tengah*, UTC+8 (Sulawesi, Bali, Nusa Tenggara, Kalimantan Selatan/Timur).
        Wita = "Asia/Makassar",
        /// *Waktu Indonesia Timur*, UTC+9 (Maluku, Papua).
        Wit = "Asia/Jayapura",
    }
}

impl TimeZone {
    /// The IANA zone, for date arithmetic.
    pub fn tz(self) -> Tz {
        match self {
            TimeZone::Wib => chrono_tz::Asia::Jakarta,
            TimeZone::Wita => chrono_tz::Asia::Makassar,
            TimeZone::Wit => chrono_tz::Asia::Jayapura,
        }
    }

    /// The Indonesian abbreviation (WIB, WITA, WIT).
    pub fn abbreviation(self) -> &'static str {
        match self {
            TimeZone::Wib => "WIB",
            TimeZone::Wita => "WITA",
            TimeZone::Wit => "WIT",
        }
    }

    /// The calendar date it is in this zone at the instant `now`.
    pub fn today(self, now: DateTime<Utc>) -> NaiveDate {
        now.with_timezone(&self.tz()).date_naive()
    }
}

/// A date as Indonesian prose writes it: `30 November 2026`.
pub fn long_date(date: NaiveDate) -> String {
    use chrono::Datelike;
    const MONTHS: [&str; 12] = [
        "Januari",
        "Februari",
        "Maret",
        "April",
        "Mei",
        "Juni",
        "Juli",
        "Agustus",
        "September",
        "Oktober",
        "November",
        "Desember",
    ];
    format!(
        "{} {} {}",
        date.day(),
        MONTHS[date.month0() as usize],
        date.year()
    )
}

code_enum! {
    /// The kind of a local government.
    pub enum DistrictKind {
        /// *Pemerintah Provinsi*.
        Province = "PROVINCE",
        /// *Pemerintah Kabupaten*.
        Regency = "REGENCY",
        /// *Pemerintah Kota*.
        City = "CITY",
    }
}

code_enum! {
    /// The kind of an OPD.
    pub enum OpdKind {
        /// *Sekretariat* (Sekretariat Daerah, Sekretariat DPRD).
        Secretariat = "SECRETARIAT",
        /// *Dinas*: a service department.
        Department = "DEPARTMENT",
        /// *Badan*: an agency.
        Agency = "AGENCY",
        /// *Inspektorat*.
        Inspectorate = "INSPECTORATE",
        /// *Rumah Sakit Umum Daerah*.
        Hospital = "HOSPITAL",
        /// *Puskesmas*: a community health centre.
        HealthCentre = "HEALTH_CENTRE",
        /// *Kecamatan*: a sub-district office.
        Subdistrict = "SUBDISTRICT",
        /// *Satuan Polisi Pamong Praja* and other units.
        Other = "OTHER",
    }
}

/// An Ombudsman office (*Ombudsman RI Perwakilan …*).
#[derive(Debug, Clone, PartialEq)]
pub struct Office {
    pub id: OfficeId,
    /// Short stable code, e.g. `SULBAR`.
    pub code: String,
    pub name: String,
    pub province: String,
    pub time_zone: TimeZone,
    pub created_at: DateTime<Utc>,
}

/// A local government overseen by one office.
#[derive(Debug, Clone, PartialEq)]
pub struct District {
    pub id: DistrictId,
    pub office_id: OfficeId,
    pub kind: DistrictKind,
    pub name: String,
    pub province: String,
    pub time_zone: TimeZone,
    pub created_at: DateTime<Utc>,
}

/// A work unit of a district.
#[derive(Debug, Clone, PartialEq)]
pub struct Opd {
    pub id: OpdId,
    pub district_id: DistrictId,
    pub name: String,
    pub short_name: Option<String>,
    pub kind: OpdKind,
    /// The head's title (never a personal name), e.g. *Kepala Dinas Kesehatan*.
    pub head_title: Option<String>,
    pub created_at: DateTime<Utc>,
    /// False once deactivated (dissolved, or merged into another OPD): it
    /// keeps its history and scores but takes no new agreements or items.
    pub active: bool,
    pub deactivated_at: Option<DateTime<Utc>>,
}

/// The longest name we accept for offices, districts and OPDs.
pub const NAME_MAX: usize = 200;

/// The rule for the name and province of a place (an office or a district).
fn check_place(v: &mut Validation, name: &str, province: &str) {
    v.text("name", name, NAME_MAX);
    v.text("province", province, 100);
}

/// Input for a new office.
#[derive(Debug, Clone)]
pub struct NewOffice {
    pub code: String,
    pub name: String,
    pub province: String,
    pub time_zone: TimeZone,
}

impl NewOffice {
    pub fn validate(&self) -> Result<(), Vec<crate::FieldError>> {
        let mut v = Validation::new();
        v.code("code", &self.code, 20);
        check_place(&mut v, &self.name, &self.province);
        v.finish()
    }
}

/// Input for a new district.
#[derive(Debug, Clone)]
pub struct NewDistrict {
    pub office_id: OfficeId,
    pub kind: DistrictKind,
    pub name: String,
    pub province: String,
    pub time_zone: TimeZone,
}

impl NewDistrict {
    pub fn validate(&self) -> Result<(), Vec<crate::FieldError>> {
        let mut v = Validation::new();
        check_place(&mut v, &self.name, &self.province);
        v.finish()
    }
}

/// Input for a new OPD.
#[derive(Debug, Clone)]
pub struct NewOpd {
    pub district_id: DistrictId,
    pub name: String,
    pub short_name: Option<String>,
    pub kind: OpdKind,
    pub head_title: Option<String>,
}

impl NewOpd {
    pub fn validate(&self) -> Result<(), Vec<crate::FieldError>> {
        let mut v = Validation::new();
        v.text("name", &self.name, NAME_MAX);
        v.optional_text("shortName", self.short_name.as_deref(), 40);
        v.optional_text("headTitle", self.head_title.as_deref(), NAME_MAX);
        v.finish()
    }
}

id_type!(
    /// A reorganisation of a district's OPDs (*penggabungan/pemecahan OPD*).
    ReorganisationId
);

code_enum! {
    /// How OPDs were reorganised.
    pub enum ReorganisationKind {
        /// *Penggabungan*: two or more OPDs merged into one.
        Merger = "MERGER",
        /// *Pemecahan*: one OPD split into two or more.
        Split = "SPLIT",
    }
}

/// A recorded reorganisation: which OPDs went into which, from when. The
/// predecessors keep their history and scores; their open action items move
/// to a successor.
#[derive(Debug, Clone, PartialEq)]
pub struct Reorganisation {
    pub id: ReorganisationId,
    pub district_id: DistrictId,
    pub kind: ReorganisationKind,
    pub effective_on: NaiveDate,
    pub reason: String,
    pub predecessor_ids: Vec<OpdId>,
    pub successor_ids: Vec<OpdId>,
    pub recorded_by: Option<crate::identity::UserId>,
    pub recorded_at: DateTime<Utc>,
}

/// Input for a reorganisation.
#[derive(Debug, Clone)]
pub struct NewReorganisation {
    pub kind: ReorganisationKind,
    pub predecessor_ids: Vec<OpdId>,
    pub successor_ids: Vec<OpdId>,
    pub effective_on: NaiveDate,
    pub reason: String,
    /// The successor that takes the predecessors' open action items; may be
    /// left out when there is only one successor.
    pub open_items_to: Option<OpdId>,
}

impl NewReorganisation {
    /// The shape of the change, before any OPD is looked up.
    pub fn validate(&self) -> Result<(), Vec<crate::FieldError>> {
        let mut v = Validation::new();
        v.text("reason", &self.reason, 2000);
        let distinct = |ids: &[OpdId]| {
            let mut seen = ids.to_vec();
            seen.sort();
            seen.dedup();
            seen.len() == ids.len()
        };
        v.check(
            distinct(&self.predecessor_ids),
            "predecessorIds",
            "lists an OPD twice",
        );
        v.check(
            distinct(&self.successor_ids),
            "successorIds",
            "lists an OPD twice",
        );
        v.check(
            !self
                .predecessor_ids
                .iter()
                .any(|p| self.successor_ids.contains(p)),
            "successorIds",
            "an OPD cannot be its own successor",
        );
        match self.kind {
            ReorganisationKind::Merger => {
                // One predecessor into an existing OPD is an absorption.
                v.check(
                    !self.predecessor_ids.is_empty(),
                    "predecessorIds",
                    "a merger needs at least one OPD that is merged",
                );
                v.check(
                    self.successor_ids.len() == 1,
                    "successorIds",
                    "a merger has exactly one successor",
                );
            }
            ReorganisationKind::Split => {
                v.check(
                    self.predecessor_ids.len() == 1,
                    "predecessorIds",
                    "a split has exactly one OPD that is split",
                );
                v.check(
                    self.successor_ids.len() >= 2,
                    "successorIds",
                    "a split needs at least two successors",
                );
            }
        }
        if let Some(to) = self.open_items_to {
            v.check(
                self.successor_ids.contains(&to),
                "openItemsTo",
                "must be one of the successors",
            );
        }
        v.finish()
    }

    /// Where the predecessors' open items go: the named successor, or the only one.
    pub fn items_go_to(&self) -> Option<OpdId> {
        self.open_items_to.or(match self.successor_ids.as_slice() {
            [only] => Some(*only),
            _ => None,
        })
    }
}

/// A new name (and, for an OPD, short name and head's title) for a record; `None` keeps a field.
#[derive(Debug, Clone, Default)]
pub struct Rename {
    pub name: Option<String>,
    pub short_name: Option<String>,
    pub head_title: Option<String>,
}

impl Rename {
    pub fn validate(&self) -> Result<(), Vec<crate::FieldError>> {
        let mut v = Validation::new();
        if let Some(name) = &self.name {
            v.text("name", name, NAME_MAX);
        }
        v.optional_text("shortName", self.short_name.as_deref(), 40);
        v.optional_text("headTitle", self.head_title.as_deref(), NAME_MAX);
        v.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone as _;

    #[test]
    fn the_same_instant_is_a_different_date_in_each_zone_near_midnight() {
        // 16:30 UTC on 30 April is 23:30 WIB, 00:30 WITA and 01:30 WIT.
        let now = Utc.with_ymd_and_hms(2021, 4, 30, 16, 30, 0).unwrap();
        let april_30 = NaiveDate::from_ymd_opt(2021, 4, 30).unwrap();
        let may_1 = NaiveDate::from_ymd_opt(2021, 5, 1).unwrap();
        assert_eq!(TimeZone::Wib.today(now), april_30);
        assert_eq!(TimeZone::Wita.today(now), may_1);
        assert_eq!(TimeZone::Wit.today(now), may_1);
    }

    fn reorganisation(
        kind: ReorganisationKind,
        predecessors: &[i64],
        successors: &[i64],
    ) -> NewReorganisation {
        NewReorganisation {
            kind,
            predecessor_ids: predecessors.iter().copied().map(OpdId).collect(),
            successor_ids: successors.iter().copied().map(OpdId).collect(),
            effective_on: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
            reason: "Perda 5/2024".into(),
            open_items_to: None,
        }
    }

    #[test]
    fn a_merger_has_many_predecessors_and_one_successor() {
        let merger = reorganisation(ReorganisationKind::Merger, &[1, 2], &[3]);
        assert!(merger.validate().is_ok());
        assert_eq!(merger.items_go_to(), Some(OpdId(3)));
        let errors = reorganisation(ReorganisationKind::Merger, &[], &[3, 4])
            .validate()
            .expect_err("no predecessor, two successors");
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["predecessorIds", "successorIds"]);
        assert!(
            reorganisation(ReorganisationKind::Merger, &[1], &[3])
                .validate()
                .is_ok(),
            "an absorption"
        );
    }

    #[test]
    fn a_split_names_where_open_items_go_among_its_successors() {
        let mut split = reorganisation(ReorganisationKind::Split, &[1], &[2, 3]);
        assert!(split.validate().is_ok());
        assert_eq!(split.items_go_to(), None, "two successors: must be named");
        split.open_items_to = Some(OpdId(9));
        let errors = split.validate().expect_err("not a successor");
        assert_eq!(errors[0].field, "openItemsTo");
        split.open_items_to = Some(OpdId(3));
        assert_eq!(split.items_go_to(), Some(OpdId(3)));
        let own = reorganisation(ReorganisationKind::Split, &[1], &[1, 2]);
        assert!(own.validate().is_err(), "an OPD cannot succeed itself");
    }

    #[test]
    fn zone_codes_round_trip() {
        for zone in TimeZone::ALL {
            assert_eq!(zone.as_str().parse::<TimeZone>(), Ok(*zone));
        }
        assert!("Asia/Tokyo".parse::<TimeZone>().is_err());
    }

    #[test]
    fn an_office_code_is_short_and_plain() {
        let office = NewOffice {
            code: "sul bar".into(),
            name: "Ombudsman RI Perwakilan Sulawesi Barat".into(),
            province: "Sulawesi Barat".into(),
            time_zone: TimeZone::Wita,
        };
        let errors = office.validate().expect_err("lower case and a space");
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, "code");
    }
}
