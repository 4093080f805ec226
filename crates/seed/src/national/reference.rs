//! Reference rows: offices, governments, OPDs, their users and roles, and
//! the assessment periods.

use chrono::{DateTime, Utc};
use pendamping_domain::identity::Role;
use pendamping_storage::bulk::{Cell, tables};

use super::Generator;
use super::days::{at, plus};
use super::world::World;

/// The assessment periods: year, and whether under PKP-2022 (else KSP-2021).
const PERIOD_YEARS: &[(i32, bool)] = &[
    (2019, false),
    (2021, false),
    (2022, true),
    (2023, true),
    (2024, true),
];

impl Generator<'_> {
    /// Offices, governments, OPDs, users and their roles, assessment periods.
    pub(super) fn reference(&mut self, world: &World) {
        let created = at(plus(self.options.as_of, -(6 * 365)), 0);
        for office in &world.offices {
            let p = office.province;
            self.out.to(tables::OFFICES).push([
                office.id.into(),
                p.code.into(),
                format!("Ombudsman RI Perwakilan {}", p.name).into(),
                p.name.into(),
                p.time_zone.as_str().into(),
                created.into(),
            ]);
            self.user(
                &office.lead,
                format!("Kepala Perwakilan {}", p.name),
                Role::OmbudsmanLead,
                (Some(office.id), None, None),
                created,
            );
            for (n, assessor) in office.assessors.iter().enumerate() {
                self.user(
                    assessor,
                    format!("Asisten Ombudsman {} Perwakilan {}", n + 1, p.name),
                    Role::OmbudsmanAssessor,
                    (Some(office.id), None, None),
                    created,
                );
            }
        }
        for d in &world.districts {
            self.out.to(tables::DISTRICTS).push([
                d.id.into(),
                world.offices[d.office].id.into(),
                d.kind.as_str().into(),
                d.name.as_str().into(),
                d.province.name.into(),
                d.province.time_zone.as_str().into(),
                created.into(),
            ]);
            self.user(
                &d.coordinator,
                format!("Sekretariat Daerah {}", d.name),
                Role::DistrictCoordinator,
                (None, Some(d.id), None),
                created,
            );
            for o in &d.opds {
                self.out.to(tables::OPDS).push([
                    o.id.into(),
                    d.id.into(),
                    o.name.as_str().into(),
                    o.short_name.clone().into(),
                    o.kind.as_str().into(),
                    o.head_title.as_str().into(),
                    created.into(),
                ]);
                self.user(
                    &o.officer,
                    format!(
                        "Petugas {} {}",
                        o.short_name.as_deref().unwrap_or(&o.name),
                        d.name
                    ),
                    Role::OpdOfficer,
                    (None, None, Some(o.id)),
                    created,
                );
            }
        }
        for (year, pkp) in PERIOD_YEARS {
            let id = self.ids.next(tables::ASSESSMENT_PERIODS);
            let methodology = if *pkp { self.pkp.id } else { self.ksp.id };
            self.out.to(tables::ASSESSMENT_PERIODS).push([
                id.into(),
                (*year).into(),
                format!("Penilaian Kepatuhan {year}").into(),
                methodology.0.into(),
                created.into(),
            ]);
            self.periods.push((id, *year, *pkp));
        }
    }

    fn user(
        &mut self,
        (id, email): &(i64, String),
        display_name: String,
        role: Role,
        (office, district, opd): (Option<i64>, Option<i64>, Option<i64>),
        created: DateTime<Utc>,
    ) {
        // No password: these users exist to own the history; set one with the CLI to log in.
        self.out.to(tables::USERS).push([
            (*id).into(),
            email.as_str().into(),
            display_name.into(),
            Cell::Null,
            created.into(),
            Cell::Null,
        ]);
        let assignment = self.ids.next(tables::ROLE_ASSIGNMENTS);
        self.out.to(tables::ROLE_ASSIGNMENTS).push([
            assignment.into(),
            (*id).into(),
            role.as_str().into(),
            office.into(),
            district.into(),
            opd.into(),
            created.into(),
        ]);
    }
}
