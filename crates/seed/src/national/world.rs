//! The world decided up front: offices, governments, OPDs and their users,
//! and how many action items each OPD gets.

use std::collections::HashSet;

use pendamping_domain::reference::{DistrictKind, OpdKind};
use pendamping_storage::bulk::tables;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::Generator;
use super::names::{self, PROVINCES, Province};
use super::random::{mix, pick};

/// An office, its province and its staff users.
pub(super) struct OfficePlan {
    pub(super) id: i64,
    pub(super) province: &'static Province,
    pub(super) lead: (i64, String),
    pub(super) assessors: Vec<(i64, String)>,
}

pub(super) struct DistrictPlan {
    pub(super) id: i64,
    pub(super) office: usize,
    pub(super) kind: DistrictKind,
    /// `Kabupaten X`, `Kota X` or `Provinsi X`.
    pub(super) name: String,
    pub(super) province: &'static Province,
    /// Bupati / Wali Kota / Gubernur and the place.
    pub(super) head: String,
    pub(super) coordinator: (i64, String),
    pub(super) opds: Vec<OpdPlan>,
}

pub(super) struct OpdPlan {
    pub(super) id: i64,
    pub(super) name: String,
    pub(super) short_name: Option<String>,
    pub(super) kind: OpdKind,
    pub(super) head_title: String,
    pub(super) officer: (i64, String),
    /// Action items of this OPD, over all its district's agreements.
    pub(super) action_items: u64,
    /// Above 1 the OPD is slow; above 1.5 it also leaves work stalled.
    pub(super) pace: f64,
}

pub(super) struct World {
    pub(super) offices: Vec<OfficePlan>,
    pub(super) districts: Vec<DistrictPlan>,
}

/// A government in the full (scale 1) list, before selection.
struct Government {
    province: usize,
    kind: DistrictKind,
    name: String,
}

/// Composes a place name not used yet.
fn place(rng: &mut ChaCha8Rng, used: &mut HashSet<String>) -> String {
    for attempt in 0.. {
        let mut name = format!(
            "{} {}",
            pick(rng, names::PLACE_PREFIXES),
            pick(rng, names::PLACE_ROOTS)
        );
        if attempt >= 20 {
            name = format!("{name} {}", pick(rng, names::PLACE_SUFFIXES));
        }
        if attempt >= 60 {
            name = format!("{name} {attempt}");
        }
        if used.insert(name.clone()) {
            return name;
        }
    }
    unreachable!("the loop returns")
}

impl Generator<'_> {
    /// Offices, governments, OPDs and their users: decided up front, so the
    /// action items can be spread over every OPD exactly.
    pub(super) fn world(&mut self) -> World {
        let mut rng = ChaCha8Rng::seed_from_u64(mix(self.options.seed, 0));
        let mut used: HashSet<String> = HashSet::new();
        for province in PROVINCES {
            if let Some((_, bare)) = province.capital.split_once(' ') {
                used.insert(bare.to_owned());
            }
        }
        let mut all: Vec<Government> = Vec::new();
        for (p, province) in PROVINCES.iter().enumerate() {
            all.push(Government {
                province: p,
                kind: DistrictKind::Province,
                name: format!("Provinsi {}", province.name),
            });
            let capital_is_city = province.capital.starts_with("Kota ");
            all.push(Government {
                province: p,
                kind: if capital_is_city {
                    DistrictKind::City
                } else {
                    DistrictKind::Regency
                },
                name: province.capital.to_owned(),
            });
            let cities = province.cities - usize::from(capital_is_city);
            let regencies = province.regencies - usize::from(!capital_is_city);
            for _ in 0..cities {
                all.push(Government {
                    province: p,
                    kind: DistrictKind::City,
                    name: format!("Kota {}", place(&mut rng, &mut used)),
                });
            }
            for _ in 0..regencies {
                all.push(Government {
                    province: p,
                    kind: DistrictKind::Regency,
                    name: format!("Kabupaten {}", place(&mut rng, &mut used)),
                });
            }
        }
        let wanted = self.options.governments();
        let full = all.len();
        let mut chosen: Vec<Government> = Vec::with_capacity(wanted);
        if wanted <= full {
            // Evenly spaced over the list, so every scale spans the provinces.
            let picks: Vec<usize> = (0..wanted).map(|i| i * full / wanted).collect();
            let mut all: Vec<Option<Government>> = all.into_iter().map(Some).collect();
            for i in picks {
                if let Some(g) = all[i].take() {
                    chosen.push(g);
                }
            }
        } else {
            let extra = wanted - full;
            let provinces: Vec<usize> =
                (0..extra).map(|j| all[j * full / extra].province).collect();
            chosen = all;
            for p in provinces {
                chosen.push(Government {
                    province: p,
                    kind: DistrictKind::Regency,
                    name: format!("Kabupaten {}", place(&mut rng, &mut used)),
                });
            }
            chosen.sort_by_key(|g| g.province);
        }

        let mut offices: Vec<OfficePlan> = Vec::new();
        let mut office_of_province: Vec<Option<usize>> = vec![None; PROVINCES.len()];
        for g in &chosen {
            if office_of_province[g.province].is_none() {
                let province = &PROVINCES[g.province];
                let slug = province.code.to_lowercase();
                let lead_id = self.ids.next(tables::USERS);
                let assessors = (1..=3)
                    .map(|n| {
                        (
                            self.ids.next(tables::USERS),
                            format!("asisten{n}@{slug}.national.example"),
                        )
                    })
                    .collect();
                office_of_province[g.province] = Some(offices.len());
                offices.push(OfficePlan {
                    id: self.ids.next(tables::OFFICES),
                    province,
                    lead: (lead_id, format!("kepala@{slug}.national.example")),
                    assessors,
                });
            }
        }

        let mut opd_total = 0usize;
        let mut districts: Vec<DistrictPlan> = Vec::with_capacity(chosen.len());
        for g in chosen {
            let province = &PROVINCES[g.province];
            let id = self.ids.next(tables::DISTRICTS);
            let bare = g.name.split_once(' ').map_or(g.name.as_str(), |(_, b)| b);
            let head = match g.kind {
                DistrictKind::Province => format!("Gubernur {}", province.name),
                DistrictKind::City => format!("Wali Kota {bare}"),
                DistrictKind::Regency => format!("Bupati {bare}"),
            };
            let coordinator = (
                self.ids.next(tables::USERS),
                format!("sekda@d{id}.national.example"),
            );
            let opds = self.opds(&mut rng, &g);
            opd_total += opds.len();
            districts.push(DistrictPlan {
                id,
                office: office_of_province[g.province].unwrap_or_default(),
                kind: g.kind,
                name: g.name,
                province,
                head,
                coordinator,
                opds,
            });
        }

        // Spread the action items over the OPDs by weight, exactly.
        let total = self.options.action_items();
        let weights: Vec<f64> = districts
            .iter()
            .flat_map(|d| d.opds.iter().map(|o| 0.25 + 1.5 * (o.pace - 0.5) / 1.5))
            .collect();
        let sum: f64 = weights.iter().sum();
        let mut cumulative = 0.0;
        let mut given = 0u64;
        let mut w = weights.into_iter();
        for d in &mut districts {
            for o in &mut d.opds {
                cumulative += w.next().unwrap_or_default();
                let upto = if sum > 0.0 {
                    (total as f64 * cumulative / sum).round() as u64
                } else {
                    0
                };
                o.action_items = upto.saturating_sub(given);
                given = upto.max(given);
            }
        }
        debug_assert!(opd_total > 0);
        World { offices, districts }
    }

    fn opds(&mut self, rng: &mut ChaCha8Rng, g: &Government) -> Vec<OpdPlan> {
        let target = rng.random_range(35..=45usize);
        let mut list: Vec<(String, Option<String>, OpdKind, String)> = names::LOCAL_OPDS
            .iter()
            .map(|(name, short, kind, head)| {
                (
                    (*name).to_owned(),
                    short.map(str::to_owned),
                    *kind,
                    (*head).to_owned(),
                )
            })
            .collect();
        if g.kind == DistrictKind::Province {
            for bureau in names::PROVINCIAL_BUREAUS {
                list.push((
                    (*bureau).to_owned(),
                    None,
                    OpdKind::Secretariat,
                    format!("Kepala {bureau}"),
                ));
            }
        }
        let mut used: HashSet<String> = HashSet::new();
        let mut health_centres = 0;
        while list.len() < target {
            let name = place(rng, &mut used);
            if g.kind != DistrictKind::Province && health_centres < 2 && rng.random_bool(0.25) {
                health_centres += 1;
                list.push((
                    format!("UPTD Puskesmas {name}"),
                    Some("Puskesmas".to_owned()),
                    OpdKind::HealthCentre,
                    "Kepala Puskesmas".to_owned(),
                ));
            } else if g.kind == DistrictKind::Province {
                list.push((
                    format!("UPTD Pendapatan Daerah Wilayah {name}"),
                    Some("Samsat".to_owned()),
                    OpdKind::Other,
                    "Kepala UPTD".to_owned(),
                ));
            } else {
                list.push((
                    format!("Kecamatan {name}"),
                    None,
                    OpdKind::Subdistrict,
                    "Camat".to_owned(),
                ));
            }
        }
        list.truncate(target);
        list.into_iter()
            .map(|(name, short_name, kind, head_title)| {
                let id = self.ids.next(tables::OPDS);
                let pace = 0.5 + 1.5 * rng.random::<f64>();
                OpdPlan {
                    id,
                    name,
                    short_name,
                    kind,
                    head_title,
                    officer: (
                        self.ids.next(tables::USERS),
                        format!("petugas@o{id}.national.example"),
                    ),
                    action_items: 0,
                    pace,
                }
            })
            .collect()
    }
}
