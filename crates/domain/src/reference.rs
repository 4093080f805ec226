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
}

/// The longest name we accept for offices, districts and OPDs.
pub const NAME_MAX: usize = 200;

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
        v.text("code", &self.code, 20);
        v.check(
            self.code
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-'),
            "code",
            "may hold only capital letters, digits and '-'",
        );
        v.text("name", &self.name, NAME_MAX);
        v.text("province", &self.province, 100);
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
        v.text("name", &self.name, NAME_MAX);
        v.text("province", &self.province, 100);
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
