//! The national data set: a generated, deterministic Indonesia-wide world for
//! benchmarks and dashboards (`pendamping seed national [--scale F]`).
//!
//! At scale 1.0: 34 offices (one per province), 548 local governments (each
//! province's own government and its 514 regencies and cities, in the
//! province's time zone), about 22,000 OPDs (35–45 per government), one or two
//! agreements per government with their milestones, 1,000,000 action items
//! whose status, dates, evidence and audit trail follow the workflow, and
//! five assessment periods (2019 and 2021 under KSP-2021; 2022–2024 under
//! PKP-2022) of official scores for every OPD and every government.
//!
//! Scale F multiplies the governments (round(548·F), at least 1, spread
//! evenly over the provinces; above 1 the extra ones are composed names) and
//! the action items (round(1,000,000·F)); offices are those of the provinces
//! the chosen governments lie in. Everything else follows from those.
//!
//! Deterministic: the same scale, seed and reference date give the same rows,
//! ids included (a ChaCha8 generator, portable across machines). The load is
//! one transaction into a database that holds no reference data yet; it
//! refuses otherwise, so it never mixes with or half-writes over real data.

mod names;

use std::collections::HashSet;
use std::fmt;
use std::time::{Duration, Instant};

use chrono::{DateTime, Datelike, Days, NaiveDate, TimeZone as _, Utc};
use pendamping_domain::action_item::{ActionItemStatus, Priority};
use pendamping_domain::agreement::{AgreementStatus, MilestoneKind, MilestoneStatus};
use pendamping_domain::identity::Role;
use pendamping_domain::reference::{DistrictKind, OpdKind};
use pendamping_domain::score::{Methodology, Score, ScoreKind};
use pendamping_storage::bulk::{self, BulkLoad, Cell, Rows, Table, tables};
use pendamping_storage::scores;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use names::{PROVINCES, Province};
use pendamping_engine::{Engine, EngineError};

/// The seed used unless another is given: the date of the seed article.
pub const DEFAULT_SEED: u64 = 20_210_430;

/// Governments and action items at scale 1.0.
pub const GOVERNMENTS_AT_SCALE_1: usize = 548;
pub const ACTION_ITEMS_AT_SCALE_1: u64 = 1_000_000;
/// The largest scale accepted.
pub const MAX_SCALE: f64 = 2.0;

/// The day the generated world is "now" unless another is given: fixed, so the
/// same command always produces the same rows.
pub fn default_as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 28).unwrap_or_default()
}

/// How big, from which seed, and as of which day.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NationalOptions {
    pub scale: f64,
    pub seed: u64,
    /// Items, milestones and agreements are in the states they would have on this day.
    pub as_of: NaiveDate,
}

impl NationalOptions {
    /// Checks the scale: greater than 0 and at most [`MAX_SCALE`].
    pub fn new(scale: f64) -> Result<Self, EngineError> {
        if !scale.is_finite() || scale <= 0.0 || scale > MAX_SCALE {
            return Err(EngineError::invalid(
                "scale",
                format!("must be a number greater than 0 and at most {MAX_SCALE}, not {scale}"),
            ));
        }
        Ok(NationalOptions {
            scale,
            seed: DEFAULT_SEED,
            as_of: default_as_of(),
        })
    }

    /// Local governments at this scale.
    pub fn governments(&self) -> usize {
        ((GOVERNMENTS_AT_SCALE_1 as f64 * self.scale).round() as usize).max(1)
    }

    /// Action items at this scale.
    pub fn action_items(&self) -> u64 {
        (ACTION_ITEMS_AT_SCALE_1 as f64 * self.scale).round() as u64
    }
}

/// Rows written to one table and the time spent writing them.
#[derive(Debug, Clone, PartialEq)]
pub struct TableFigure {
    pub table: &'static str,
    pub rows: u64,
    pub write_time: Duration,
}

/// What a national load did.
#[derive(Debug, Clone, PartialEq)]
pub struct NationalReport {
    pub options: NationalOptions,
    pub backend: &'static str,
    pub tables: Vec<TableFigure>,
    /// Generating, writing and committing, start to end.
    pub elapsed: Duration,
    /// Refreshing planner statistics after the commit.
    pub analyze_time: Duration,
}

impl NationalReport {
    pub fn rows(&self, table: &str) -> u64 {
        self.tables
            .iter()
            .find(|t| t.table == table)
            .map_or(0, |t| t.rows)
    }

    pub fn total_rows(&self) -> u64 {
        self.tables.iter().map(|t| t.rows).sum()
    }
}

fn per_second(rows: u64, time: Duration) -> String {
    let seconds = time.as_secs_f64();
    if seconds <= 0.0 {
        "-".to_owned()
    } else {
        format!("{:.0}", rows as f64 / seconds)
    }
}

impl fmt::Display for NationalReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "national data set loaded on {} (scale {}, seed {}, as of {})",
            self.backend, self.options.scale, self.options.seed, self.options.as_of
        )?;
        writeln!(f)?;
        writeln!(f, "| table | rows | write s | rows/s (write) |")?;
        writeln!(f, "|---|---:|---:|---:|")?;
        for t in &self.tables {
            writeln!(
                f,
                "| {} | {} | {:.2} | {} |",
                t.table,
                t.rows,
                t.write_time.as_secs_f64(),
                per_second(t.rows, t.write_time)
            )?;
        }
        let total = self.total_rows();
        writeln!(
            f,
            "| **total** | **{}** | {:.2} | {} |",
            total,
            self.tables
                .iter()
                .map(|t| t.write_time.as_secs_f64())
                .sum::<f64>(),
            per_second(total, self.tables.iter().map(|t| t.write_time).sum())
        )?;
        writeln!(f)?;
        write!(
            f,
            "elapsed {:.1} s (generate + write + commit), {} rows/s overall; ANALYZE (and VACUUM on PostgreSQL) {:.1} s",
            self.elapsed.as_secs_f64(),
            per_second(total, self.elapsed),
            self.analyze_time.as_secs_f64()
        )
    }
}

/// Tables that must be empty before a load: the reference data everything else hangs on.
const MUST_BE_EMPTY: &[&str] = &[
    "offices",
    "districts",
    "opds",
    "agreements",
    "action_items",
    "assessment_periods",
    "score_records",
];

/// Loads the national data set into an empty database, in one transaction.
pub async fn load(
    engine: &Engine,
    options: NationalOptions,
) -> Result<NationalReport, EngineError> {
    NationalOptions::new(options.scale)?;
    let started = Instant::now();
    let methodologies = scores::all_methodologies(engine.db()).await?;
    let ksp = methodology(&methodologies, "KSP-2021")?;
    let pkp = methodology(&methodologies, "PKP-2022")?;
    let ksp_dimensions = scores::dimension_ids(engine.db(), ksp.id).await?;
    let pkp_dimensions = scores::dimension_ids(engine.db(), pkp.id).await?;
    let pkp_dimension_ids = pkp
        .dimensions
        .iter()
        .map(|d| {
            pkp_dimensions.get(&d.code).copied().ok_or_else(|| {
                EngineError::invalid("methodology", format!("no dimension id for {}", d.code))
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    drop(ksp_dimensions);

    let mut load = BulkLoad::begin(engine.db()).await?;
    for table in MUST_BE_EMPTY {
        // The periods built in with the 2025 method (2025, 2026) hold no data.
        let builtin = if *table == "assessment_periods" {
            " WHERE methodology_id NOT IN (SELECT id FROM methodologies WHERE code = 'OPINI-2025')"
        } else {
            ""
        };
        let count = load
            .scalar(&format!("SELECT COUNT(*) FROM {table}{builtin}"))
            .await?;
        if count > 0 {
            return Err(EngineError::invalid(
                "database",
                format!(
                    "already holds data ({count} rows in {table}); the national data set loads only into a database without offices, districts, agreements or scores: use a fresh database"
                ),
            ));
        }
    }
    let mut ids = Ids::default();
    for table in tables::ALL.iter().filter(|t| t.has_id) {
        let max = load
            .scalar(&format!("SELECT COALESCE(MAX(id), 0) FROM {}", table.name))
            .await?;
        ids.base.push((table.name, max));
    }

    let mut generator = Generator {
        options,
        ids,
        out: Output::new(),
        ksp,
        pkp,
        pkp_dimension_ids,
        periods: Vec::new(),
    };
    let world = generator.world();
    generator.reference(&world);
    generator.out.flush(&mut load).await?;
    for (index, district) in world.districts.iter().enumerate() {
        let mut rng = ChaCha8Rng::seed_from_u64(mix(options.seed, 1 + index as u64));
        generator.district(&world, district, &mut rng);
        if generator.out.buffered() >= FLUSH_CELLS {
            generator.out.flush(&mut load).await?;
        }
    }
    generator.out.flush(&mut load).await?;
    load.commit().await?;
    let elapsed = started.elapsed();
    let analyze_started = Instant::now();
    bulk::analyze(engine.db()).await?;
    Ok(NationalReport {
        options,
        backend: match engine.db().get_database_backend() {
            sea_orm::DatabaseBackend::Postgres => "PostgreSQL",
            _ => "SQLite",
        },
        tables: tables::ALL
            .iter()
            .enumerate()
            .map(|(i, t)| TableFigure {
                table: t.name,
                rows: generator.out.written[i],
                write_time: generator.out.time[i],
            })
            .collect(),
        elapsed,
        analyze_time: analyze_started.elapsed(),
    })
}

fn methodology<'a>(all: &'a [Methodology], code: &str) -> Result<&'a Methodology, EngineError> {
    all.iter()
        .find(|m| m.code == code)
        .ok_or_else(|| EngineError::invalid("methodology", format!("built-in {code} is missing")))
}

/// Cells buffered before a flush (about 100k rows).
const FLUSH_CELLS: usize = 1_500_000;

/// A 64-bit mix of the seed and a stream number (SplitMix64's finaliser).
fn mix(seed: u64, stream: u64) -> u64 {
    let mut z = seed ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The next id of each table, after what the database holds.
#[derive(Default)]
struct Ids {
    base: Vec<(&'static str, i64)>,
}

impl Ids {
    fn next(&mut self, table: Table) -> i64 {
        match self.base.iter_mut().find(|(name, _)| *name == table.name) {
            Some((_, last)) => {
                *last += 1;
                *last
            }
            None => 0,
        }
    }
}

/// Row buffers of every table, with what was written and how long it took.
struct Output {
    rows: Vec<Rows>,
    written: Vec<u64>,
    time: Vec<Duration>,
}

impl Output {
    fn new() -> Self {
        Output {
            rows: tables::ALL.iter().map(|t| Rows::new(*t)).collect(),
            written: vec![0; tables::ALL.len()],
            time: vec![Duration::ZERO; tables::ALL.len()],
        }
    }

    fn to(&mut self, table: Table) -> &mut Rows {
        let index = tables::ALL
            .iter()
            .position(|t| t.name == table.name)
            .unwrap_or_default();
        &mut self.rows[index]
    }

    fn buffered(&self) -> usize {
        self.rows
            .iter()
            .map(|r| r.len() * r.table.columns.len())
            .sum()
    }

    /// Writes every buffer, parents before children.
    async fn flush(&mut self, load: &mut BulkLoad) -> Result<(), EngineError> {
        for (i, rows) in self.rows.iter_mut().enumerate() {
            let started = Instant::now();
            self.written[i] += load.write(rows).await?;
            self.time[i] += started.elapsed();
        }
        Ok(())
    }
}

/// A milestone's audit entry: when, action, before, after, reason.
type MilestoneEvent<'a> = (DateTime<Utc>, &'a str, Cell, Cell, Option<&'a str>);
/// An action item's transition: when, taken by the OPD, event, from, to, reason.
type ItemEvent<'a> = (
    DateTime<Utc>,
    bool,
    &'a str,
    &'a str,
    &'a str,
    Option<&'a str>,
);

/// Which of an OPD's action items an agreement holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Portion {
    All,
    /// About a third, for an earlier (completed) agreement.
    Earlier,
    /// What the earlier agreement did not take.
    Rest,
    None,
}

/// An office, its province and its staff users.
struct OfficePlan {
    id: i64,
    province: &'static Province,
    lead: (i64, String),
    assessors: Vec<(i64, String)>,
}

struct DistrictPlan {
    id: i64,
    office: usize,
    kind: DistrictKind,
    /// `Kabupaten X`, `Kota X` or `Provinsi X`.
    name: String,
    province: &'static Province,
    /// Bupati / Wali Kota / Gubernur and the place.
    head: String,
    coordinator: (i64, String),
    opds: Vec<OpdPlan>,
}

struct OpdPlan {
    id: i64,
    name: String,
    short_name: Option<String>,
    kind: OpdKind,
    head_title: String,
    officer: (i64, String),
    /// Action items of this OPD, over all its district's agreements.
    action_items: u64,
    /// Above 1 the OPD is slow; above 1.5 it also leaves work stalled.
    pace: f64,
}

struct World {
    offices: Vec<OfficePlan>,
    districts: Vec<DistrictPlan>,
}

/// A government in the full (scale 1) list, before selection.
struct Government {
    province: usize,
    kind: DistrictKind,
    name: String,
}

struct Generator<'m> {
    options: NationalOptions,
    ids: Ids,
    out: Output,
    ksp: &'m Methodology,
    pkp: &'m Methodology,
    /// PKP-2022 dimension ids in the methodology's order.
    pkp_dimension_ids: Vec<i64>,
    /// (id, year, methodology) of the five periods.
    periods: Vec<(i64, i32, bool)>,
}

const PERIOD_YEARS: &[(i32, bool)] = &[
    (2019, false),
    (2021, false),
    (2022, true),
    (2023, true),
    (2024, true),
];

fn at(day: NaiveDate, minutes: u32) -> DateTime<Utc> {
    // Office hours in Indonesia: 01:00–09:00 UTC is 08:00–16:00 WIB.
    let minutes = minutes.min(8 * 60 - 1);
    Utc.from_utc_datetime(
        &day.and_hms_opt(1 + minutes / 60, minutes % 60, 0)
            .unwrap_or_default(),
    )
}

fn plus(day: NaiveDate, days: i64) -> NaiveDate {
    if days >= 0 {
        day.checked_add_days(Days::new(days as u64))
    } else {
        day.checked_sub_days(Days::new(days.unsigned_abs()))
    }
    .unwrap_or(day)
}

fn roman(month: u32) -> &'static str {
    [
        "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII",
    ][(month.clamp(1, 12) - 1) as usize]
}

fn pick<'a, T>(rng: &mut ChaCha8Rng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

fn hex(rng: &mut ChaCha8Rng) -> String {
    let mut text = String::with_capacity(64);
    for _ in 0..4 {
        text.push_str(&format!("{:016x}", rng.random::<u64>()));
    }
    text
}

fn json_status(status: &str, version: i32) -> Cell {
    Cell::Text(format!(r#"{{"status":"{status}","version":{version}}}"#))
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
    fn world(&mut self) -> World {
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

    /// Offices, governments, OPDs, users and their roles, assessment periods.
    fn reference(&mut self, world: &World) {
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

    #[allow(clippy::too_many_arguments)]
    fn audit(
        &mut self,
        when: DateTime<Utc>,
        actor: &(i64, String),
        action: &str,
        object_type: &str,
        object_id: i64,
        office_id: i64,
        district_id: i64,
        before: Cell,
        after: Cell,
        reason: Option<&str>,
    ) {
        let id = self.ids.next(tables::AUDIT_EVENTS);
        self.out.to(tables::AUDIT_EVENTS).push([
            id.into(),
            when.into(),
            actor.0.into(),
            actor.1.as_str().into(),
            action.into(),
            object_type.into(),
            object_id.into(),
            office_id.into(),
            district_id.into(),
            before,
            after,
            reason.into(),
        ]);
    }

    /// Everything of one government: agreements, milestones, action items, scores.
    fn district(&mut self, world: &World, d: &DistrictPlan, rng: &mut ChaCha8Rng) {
        let office = &world.offices[d.office];
        let as_of = self.options.as_of;
        // The current agreement began 2–20 months ago and runs a year (sometimes 18 months).
        let start = plus(as_of, -rng.random_range(60..600));
        let months = if rng.random_bool(0.2) { 18 } else { 12 };
        let end = plus(start, months * 365 / 12 - 1);
        let status = if end < plus(as_of, -45) {
            match rng.random_range(0..10) {
                0..=5 => AgreementStatus::Completed,
                6..=8 => AgreementStatus::Active,
                _ => AgreementStatus::Terminated,
            }
        } else if rng.random_bool(0.04) {
            AgreementStatus::Terminated
        } else {
            AgreementStatus::Active
        };
        let earlier = rng.random_bool(0.45);
        let draft_next = !earlier && rng.random_bool(0.08);

        let mut agreements = Vec::new();
        if earlier {
            let e_start = plus(start, -(730 + rng.random_range(-60..60)));
            agreements.push((e_start, plus(e_start, 364), AgreementStatus::Completed));
        }
        agreements.push((start, end, status));
        if draft_next {
            let n_start = plus(as_of, rng.random_range(20..100));
            agreements.push((n_start, plus(n_start, 364), AgreementStatus::Draft));
        }
        // Each OPD's items go to the current agreement; an earlier one takes about a third.
        for (i, (a_start, a_end, a_status)) in agreements.into_iter().enumerate() {
            let portion = match (a_status, earlier, i) {
                (AgreementStatus::Draft, _, _) => Portion::None,
                (_, true, 0) => Portion::Earlier,
                (_, true, _) => Portion::Rest,
                _ => Portion::All,
            };
            self.agreement(office, d, rng, (a_start, a_end, a_status), portion);
        }
        self.scores(office, d, rng);
    }

    fn agreement(
        &mut self,
        office: &OfficePlan,
        d: &DistrictPlan,
        rng: &mut ChaCha8Rng,
        (start, end, status): (NaiveDate, NaiveDate, AgreementStatus),
        portion: Portion,
    ) {
        let as_of = self.options.as_of;
        let id = self.ids.next(tables::AGREEMENTS);
        let lead = &office.lead;
        let assessor = pick(rng, &office.assessors).clone();
        let created_on = plus(start, -rng.random_range(20..60)).min(as_of);
        let created = at(created_on, rng.random_range(0..480));
        let signed = status != AgreementStatus::Draft;
        let signed_on = plus(start, -rng.random_range(0..14)).max(created_on);
        let closed_on = match status {
            AgreementStatus::Completed => plus(end, rng.random_range(5..40)).min(as_of),
            AgreementStatus::Terminated => plus(start, rng.random_range(90..300))
                .min(as_of)
                .max(signed_on),
            _ => as_of,
        };
        let number: i64 = rng.random_range(1..400);
        let opds: Vec<&OpdPlan> = d.opds.iter().collect();
        for o in &opds {
            self.out
                .to(tables::AGREEMENT_OPDS)
                .push([id.into(), o.id.into()]);
        }

        // Milestones across the period.
        const PLAN: &[(MilestoneKind, f64, &str)] = &[
            (
                MilestoneKind::Socialisation,
                0.03,
                "Sosialisasi standar pelayanan publik",
            ),
            (
                MilestoneKind::Bimtek,
                0.10,
                "Bimtek penyusunan standar pelayanan",
            ),
            (
                MilestoneKind::SelfAssessment,
                0.25,
                "Penilaian mandiri kepatuhan",
            ),
            (
                MilestoneKind::MonitoringVisit,
                0.45,
                "Monitoring pemenuhan standar pelayanan",
            ),
            (MilestoneKind::Assessment, 0.65, "Penilaian kepatuhan"),
            (MilestoneKind::Evaluation, 0.85, "Evaluasi tindak lanjut"),
            (MilestoneKind::Report, 0.97, "Laporan akhir pendampingan"),
        ];
        let length = (end - start).num_days();
        let bare = d.name.split_once(' ').map_or(d.name.as_str(), |(_, b)| b);
        // (id, done on) of milestones where findings are raised.
        let mut finding_milestones: Vec<(i64, NaiveDate)> = Vec::new();
        for (kind, fraction, title) in PLAN {
            let m_id = self.ids.next(tables::MILESTONES);
            let planned_on = plus(start, (length as f64 * fraction) as i64);
            let rescheduled = rng.random_bool(0.12);
            let m_status = match status {
                AgreementStatus::Draft => MilestoneStatus::Planned,
                AgreementStatus::Completed => {
                    if rng.random_bool(0.05) {
                        MilestoneStatus::Cancelled
                    } else {
                        MilestoneStatus::Done
                    }
                }
                _ if planned_on > closed_on && status == AgreementStatus::Terminated => {
                    MilestoneStatus::Cancelled
                }
                _ if planned_on > as_of => MilestoneStatus::Planned,
                _ if planned_on > plus(as_of, -10) => MilestoneStatus::InProgress,
                _ => match rng.random_range(0..100) {
                    0..=2 => MilestoneStatus::Cancelled,
                    3..=6 => MilestoneStatus::InProgress,
                    _ => MilestoneStatus::Done,
                },
            };
            let actual_on = (m_status == MilestoneStatus::Done)
                .then(|| plus(planned_on, rng.random_range(0..4)).min(as_of));
            let location = match kind {
                MilestoneKind::SelfAssessment | MilestoneKind::Report => "Daring".to_owned(),
                MilestoneKind::MonitoringVisit | MilestoneKind::Assessment => {
                    format!("Unit layanan OPD, {bare}")
                }
                _ => format!(
                    "Aula Kantor {}",
                    d.head.split_once(' ').map_or("Bupati", |(h, _)| h)
                ),
            };
            let cancellation = (m_status == MilestoneStatus::Cancelled).then_some(
                if status == AgreementStatus::Terminated {
                    "Perjanjian diakhiri sebelum kegiatan."
                } else {
                    "Kegiatan digabung dengan kegiatan berikutnya."
                },
            );
            let mut version = 1i32;
            let planned_at = at(created_on, 30);
            let mut last = planned_at;
            let mut events: Vec<MilestoneEvent> = vec![(
                planned_at,
                "MILESTONE_PLANNED",
                Cell::Null,
                json_status("PLANNED", 1),
                None,
            )];
            if rescheduled {
                let old_date = plus(planned_on, -rng.random_range(7..30));
                let when = at(plus(old_date, -3).max(created_on), 60);
                version += 1;
                last = last.max(when);
                let r_id = self.ids.next(tables::MILESTONE_RESCHEDULES);
                self.out.to(tables::MILESTONE_RESCHEDULES).push([
                    r_id.into(),
                    m_id.into(),
                    old_date.into(),
                    planned_on.into(),
                    "Menyesuaikan jadwal kegiatan pemerintah daerah.".into(),
                    assessor.0.into(),
                    when.into(),
                ]);
                events.push((
                    when,
                    "MILESTONE_RESCHEDULED",
                    json_status("PLANNED", version - 1),
                    json_status("PLANNED", version),
                    Some("Menyesuaikan jadwal kegiatan pemerintah daerah."),
                ));
            }
            if matches!(
                m_status,
                MilestoneStatus::InProgress | MilestoneStatus::Done
            ) {
                let when = at(planned_on.min(as_of), 0).max(last);
                version += 1;
                last = when;
                events.push((
                    when,
                    "MILESTONE_STARTED",
                    json_status("PLANNED", version - 1),
                    json_status("IN_PROGRESS", version),
                    None,
                ));
            }
            if let Some(done) = actual_on {
                let when = at(done, 420).max(last);
                version += 1;
                last = when;
                events.push((
                    when,
                    "MILESTONE_COMPLETED",
                    json_status("IN_PROGRESS", version - 1),
                    json_status("DONE", version),
                    None,
                ));
                if matches!(
                    kind,
                    MilestoneKind::Bimtek
                        | MilestoneKind::MonitoringVisit
                        | MilestoneKind::Assessment
                        | MilestoneKind::Evaluation
                ) {
                    finding_milestones.push((m_id, done));
                }
            }
            if let Some(reason) = cancellation {
                let when = at(plus(planned_on, -2).min(as_of), 120).max(last);
                version += 1;
                last = when;
                events.push((
                    when,
                    "MILESTONE_CANCELLED",
                    json_status("PLANNED", version - 1),
                    json_status("CANCELLED", version),
                    Some(reason),
                ));
            }
            self.out.to(tables::MILESTONES).push([
                m_id.into(),
                id.into(),
                kind.as_str().into(),
                format!("{title} {bare}").into(),
                planned_on.into(),
                actual_on.into(),
                location.into(),
                actual_on
                    .map(|_| format!("{title} terlaksana; hasil dicatat untuk tindak lanjut OPD."))
                    .into(),
                m_status.as_str().into(),
                cancellation.into(),
                version.into(),
                planned_at.into(),
                last.into(),
            ]);
            // Socialisation reaches every OPD; field activities a sample of them.
            let involved = if *kind == MilestoneKind::Socialisation {
                opds.len()
            } else {
                rng.random_range(5..=15).min(opds.len())
            };
            let offset = rng.random_range(0..opds.len());
            let mut chosen: Vec<i64> = (0..involved)
                .map(|k| opds[(offset + k * 7) % opds.len()].id)
                .collect();
            chosen.sort_unstable();
            chosen.dedup();
            for opd in chosen {
                self.out
                    .to(tables::MILESTONE_OPDS)
                    .push([m_id.into(), opd.into()]);
            }
            for (when, action, before, after, reason) in events {
                self.audit(
                    when,
                    &assessor,
                    action,
                    "Milestone",
                    m_id,
                    office.id,
                    d.id,
                    before,
                    after,
                    reason,
                );
            }
        }

        // Action items.
        let mut verified = 0u64;
        let mut raised = 0u64;
        if portion != Portion::None {
            let last_day = end.min(as_of).min(closed_on);
            for o in &opds {
                let earlier = (o.action_items as f64 * 0.35).round() as u64;
                let count = match portion {
                    Portion::All => o.action_items,
                    Portion::Earlier => earlier,
                    Portion::Rest => o.action_items - earlier,
                    Portion::None => 0,
                };
                for _ in 0..count {
                    let status = self.action_item(
                        office,
                        d,
                        o,
                        rng,
                        id,
                        &assessor,
                        (start, last_day, status),
                        &finding_milestones,
                    );
                    raised += 1;
                    verified += u64::from(status == ActionItemStatus::Verified);
                }
            }
        }

        let year = start.year();
        let (office_number, district_number) = (
            format!(
                "B/{number:03}/PW.{:02}/{}/{year}",
                office.id % 100,
                roman(signed_on.month())
            ),
            format!("180/{:03}/{}/{year}", number + 7, roman(signed_on.month())),
        );
        let mut version = 1i32;
        let mut events = vec![(
            created,
            &assessor,
            "AGREEMENT_DRAFTED",
            Cell::Null,
            json_status("DRAFT", 1),
            None,
        )];
        let mut updated = created;
        if signed {
            version += 1;
            updated = at(signed_on, 240).max(updated);
            events.push((
                updated,
                lead,
                "AGREEMENT_SIGNED",
                json_status("DRAFT", 1),
                json_status("ACTIVE", 2),
                None,
            ));
        }
        let closing_summary = (status == AgreementStatus::Completed).then(|| {
            format!(
                "Seluruh kegiatan pendampingan telah dilaksanakan; {verified} dari {raised} rencana aksi terverifikasi."
            )
        });
        let termination_reason = (status == AgreementStatus::Terminated).then_some(
            "Diakhiri atas kesepakatan para pihak karena perubahan prioritas anggaran daerah.",
        );
        if matches!(
            status,
            AgreementStatus::Completed | AgreementStatus::Terminated
        ) {
            version += 1;
            updated = at(closed_on, 300).max(updated);
            events.push((
                updated,
                lead,
                if status == AgreementStatus::Completed {
                    "AGREEMENT_COMPLETED"
                } else {
                    "AGREEMENT_TERMINATED"
                },
                json_status("ACTIVE", 2),
                json_status(status.as_str(), 3),
                termination_reason,
            ));
        }
        self.out.to(tables::AGREEMENTS).push([
            id.into(),
            office.id.into(),
            d.id.into(),
            signed.then_some(office_number).into(),
            signed.then_some(district_number).into(),
            format!(
                "Perjanjian Kerja Sama Pendampingan Kepatuhan Standar Pelayanan Publik Pemerintah {} {year}",
                d.name
            )
            .into(),
            start.into(),
            end.into(),
            signed
                .then(|| format!("Kepala Ombudsman RI Perwakilan {}", d.province.name))
                .into(),
            signed.then(|| d.head.clone()).into(),
            signed.then_some(signed_on).into(),
            status.as_str().into(),
            closing_summary.into(),
            termination_reason.into(),
            version.into(),
            created.into(),
            updated.into(),
        ]);
        for (when, actor, action, before, after, reason) in events {
            let actor = actor.clone();
            self.audit(
                when,
                &actor,
                action,
                "Agreement",
                id,
                office.id,
                d.id,
                before,
                after,
                reason,
            );
        }
    }

    /// One action item and its history, simulated up to the reference day.
    #[allow(clippy::too_many_arguments)]
    fn action_item(
        &mut self,
        office: &OfficePlan,
        d: &DistrictPlan,
        o: &OpdPlan,
        rng: &mut ChaCha8Rng,
        agreement_id: i64,
        assessor: &(i64, String),
        (first_day, last_day, agreement_status): (NaiveDate, NaiveDate, AgreementStatus),
        finding_milestones: &[(i64, NaiveDate)],
    ) -> ActionItemStatus {
        let as_of = self.options.as_of;
        let id = self.ids.next(tables::ACTION_ITEMS);
        let (milestone_id, raised_on) = if !finding_milestones.is_empty() && rng.random_bool(0.6) {
            let (m, done) = *pick(rng, finding_milestones);
            (Some(m), plus(done, rng.random_range(0..4)).min(as_of))
        } else {
            let span = (last_day - first_day).num_days().max(1);
            (None, plus(first_day, rng.random_range(0..span)))
        };
        let due_on = plus(raised_on, *pick(rng, &[30, 45, 60, 60, 90, 120]));
        let (component, title, finding) = if rng.random_bool(0.05) {
            (
                None,
                "Menindaklanjuti saran perbaikan hasil monitoring",
                "Saran perbaikan umum dari kegiatan monitoring.",
            )
        } else {
            let (c, t, f) = pick(rng, names::FINDINGS);
            (Some(*c), *t, *f)
        };
        let priority = match rng.random_range(0..100) {
            0..=14 => Priority::Low,
            15..=59 => Priority::Medium,
            60..=89 => Priority::High,
            _ => Priority::Critical,
        };
        let officer = &o.officer;
        let assignee = rng.random_bool(0.85).then_some(officer.0);
        // A closed agreement leaves no loose ends; a slow OPD leaves work stalled.
        let closed = matches!(
            agreement_status,
            AgreementStatus::Completed | AgreementStatus::Terminated
        );
        let stalls = !closed && o.pace > 1.5 && rng.random_bool(0.35);
        let pace = o.pace;
        let delay = |rng: &mut ChaCha8Rng, lo: i64, hi: i64| -> i64 {
            ((rng.random_range(lo..hi) as f64) * pace).round().max(1.0) as i64
        };

        let raised_at = at(raised_on, rng.random_range(0..240));
        let mut events: Vec<ItemEvent> = vec![(raised_at, false, "RAISED", "", "OPEN", None)];
        let mut status = ActionItemStatus::Open;
        let mut day = raised_on;
        let mut rejections = 0i32;
        let mut submitted: Option<DateTime<Utc>> = None;
        let mut verified: Option<DateTime<Utc>> = None;
        let mut cancellation: Option<&str> = None;
        let mut evidence_at: Vec<DateTime<Utc>> = Vec::new();
        let happens = |day: NaiveDate| day <= as_of;
        'life: {
            if rng.random_bool(if closed { 0.10 } else { 0.05 }) {
                let on = plus(day, rng.random_range(3..40));
                if happens(on) {
                    let reason = *pick(rng, names::CANCELLATION_REASONS);
                    events.push((
                        at(on, 300),
                        false,
                        "CANCELLED",
                        "OPEN",
                        "CANCELLED",
                        Some(reason),
                    ));
                    status = ActionItemStatus::Cancelled;
                    cancellation = Some(reason);
                }
                break 'life;
            }
            if stalls && rng.random_bool(0.5) {
                break 'life;
            }
            day = plus(day, delay(rng, 1, 20));
            if !happens(day) {
                break 'life;
            }
            events.push((at(day, 60), true, "STARTED", "OPEN", "IN_PROGRESS", None));
            status = ActionItemStatus::InProgress;
            if stalls {
                break 'life;
            }
            loop {
                day = plus(day, delay(rng, 5, 45));
                if !happens(day) {
                    break 'life;
                }
                let when = at(day, 180);
                for _ in 0..rng.random_range(1..=2) {
                    evidence_at.push(when - chrono::Duration::minutes(30));
                }
                events.push((when, true, "SUBMITTED", status.as_str(), "SUBMITTED", None));
                status = ActionItemStatus::Submitted;
                submitted = Some(when);
                day = plus(day, rng.random_range(2..21));
                if !happens(day) {
                    break 'life;
                }
                if rejections < 3 && rng.random_bool(0.15) {
                    let reason = *pick(rng, names::REJECTION_REASONS);
                    events.push((
                        at(day, 360),
                        false,
                        "REJECTED",
                        "SUBMITTED",
                        "REJECTED",
                        Some(reason),
                    ));
                    status = ActionItemStatus::Rejected;
                    rejections += 1;
                    day = plus(day, delay(rng, 2, 15));
                    if !happens(day) {
                        break 'life;
                    }
                    events.push((
                        at(day, 60),
                        true,
                        "RESUMED",
                        "REJECTED",
                        "IN_PROGRESS",
                        None,
                    ));
                    status = ActionItemStatus::InProgress;
                    continue;
                }
                let when = at(day, 360);
                events.push((when, false, "VERIFIED", "SUBMITTED", "VERIFIED", None));
                status = ActionItemStatus::Verified;
                verified = Some(when);
                break 'life;
            }
        }
        // An item of a completed agreement still open at its close was cancelled then.
        if closed
            && matches!(
                status,
                ActionItemStatus::Open | ActionItemStatus::InProgress
            )
        {
            let when = (events.last().map_or(raised_at, |e| e.0) + chrono::Duration::days(1))
                .min(at(as_of, 479));
            let reason = "Ditutup bersama berakhirnya perjanjian.";
            events.push((
                when,
                false,
                "CANCELLED",
                status.as_str(),
                "CANCELLED",
                Some(reason),
            ));
            status = ActionItemStatus::Cancelled;
            cancellation = Some(reason);
        }
        let version = events.len() as i32;
        let updated = events.last().map_or(raised_at, |e| e.0);
        let verified_by = verified.map(|_| assessor.0);
        self.out.to(tables::ACTION_ITEMS).push([
            id.into(),
            agreement_id.into(),
            o.id.into(),
            d.id.into(),
            milestone_id.into(),
            title.into(),
            finding.into(),
            component.map(|c| c.as_str()).into(),
            priority.as_str().into(),
            assignee.into(),
            due_on.into(),
            status.as_str().into(),
            rejections.into(),
            cancellation.into(),
            submitted.map(|_| officer.0).into(),
            submitted.into(),
            verified_by.into(),
            verified.into(),
            version.into(),
            raised_at.into(),
            updated.into(),
        ]);
        for (n, when) in evidence_at.into_iter().enumerate() {
            let e_id = self.ids.next(tables::EVIDENCE);
            let (name, media_type) = if n % 2 == 0 {
                ("Bukti tindak lanjut.pdf", "application/pdf")
            } else {
                ("Foto papan informasi pelayanan.jpg", "image/jpeg")
            };
            let sha = hex(rng);
            self.out.to(tables::EVIDENCE).push([
                e_id.into(),
                id.into(),
                name.into(),
                media_type.into(),
                rng.random_range(40_000..3_000_000i64).into(),
                sha.into(),
                format!("https://dokumen.example/pendamping/{id}/{e_id}").into(),
                Cell::Null,
                officer.0.into(),
                when.into(),
            ]);
        }
        let comments = match rng.random_range(0..100) {
            0..=74 => 0,
            75..=94 => 1,
            _ => 2,
        };
        for k in 0..comments {
            let (author, body) = *pick(rng, names::COMMENTS);
            let author_id = if author.starts_with("Sekretariat") {
                d.coordinator.0
            } else {
                officer.0
            };
            let c_id = self.ids.next(tables::COMMENTS);
            self.out.to(tables::COMMENTS).push([
                c_id.into(),
                id.into(),
                author_id.into(),
                author.into(),
                body.into(),
                (raised_at + chrono::Duration::hours(2 + 24 * k)).into(),
            ]);
        }
        for (v, (when, by_opd, event, from, to, reason)) in events.into_iter().enumerate() {
            let actor = if by_opd { officer } else { assessor };
            let version = v as i32 + 1;
            let before = if event == "RAISED" {
                Cell::Null
            } else {
                json_status(from, version - 1)
            };
            let action = format!("ACTION_ITEM_{event}");
            self.audit(
                when,
                actor,
                &action,
                "ActionItem",
                id,
                office.id,
                d.id,
                before,
                json_status(to, version),
                reason,
            );
        }
        status
    }

    /// Official scores of every OPD and of the government, in each period.
    fn scores(&mut self, office: &OfficePlan, d: &DistrictPlan, rng: &mut ChaCha8Rng) {
        let level = 40.0 + 45.0 * rng.random::<f64>();
        let growth = 1.0 + 4.0 * rng.random::<f64>();
        let assessor = office.assessors[0].clone();
        let qualities: Vec<f64> = d
            .opds
            .iter()
            .map(|_| level + (rng.random::<f64>() - 0.5) * 24.0)
            .collect();
        let periods = self.periods.clone();
        for (k, (period_id, year, pkp)) in periods.into_iter().enumerate() {
            let methodology = if pkp { self.pkp } else { self.ksp };
            let recorded = at(
                plus(
                    NaiveDate::from_ymd_opt(year, 12, 1).unwrap_or_default(),
                    rng.random_range(0..30),
                ),
                120,
            );
            let mut sums = [0u64; 4];
            let mut totals = 0u64;
            for (o, quality) in d.opds.iter().zip(&qualities) {
                let mean = quality + growth * k as f64 + (rng.random::<f64>() - 0.5) * 8.0;
                let (total, computed, dims) = self.score_values(rng, methodology, mean);
                for (s, v) in sums.iter_mut().zip(&dims) {
                    *s += v.hundredths() as u64;
                }
                totals += total.hundredths() as u64;
                if rng.random_bool(0.005) {
                    // A corrected entry: the first revision stays in the history.
                    let wrong = Score::from_hundredths(
                        (total.hundredths() + rng.random_range(-300..300)).clamp(0, 10_000),
                    )
                    .unwrap_or(total);
                    let first = self.score_record(
                        (period_id, methodology, d.id, Some(o.id)),
                        (wrong, computed.map(|_| wrong), &dims),
                        (1, None, false, None),
                        (recorded, &assessor, office.id),
                    );
                    let reason = *pick(rng, names::CORRECTION_REASONS);
                    self.score_record(
                        (period_id, methodology, d.id, Some(o.id)),
                        (total, computed, &dims),
                        (2, Some(first), true, Some(reason)),
                        (
                            recorded + chrono::Duration::days(rng.random_range(10..60)),
                            &assessor,
                            office.id,
                        ),
                    );
                } else {
                    self.score_record(
                        (period_id, methodology, d.id, Some(o.id)),
                        (total, computed, &dims),
                        (1, None, true, None),
                        (recorded, &assessor, office.id),
                    );
                }
            }
            // The government's score: the mean over its OPDs (per dimension under PKP-2022).
            let n = d.opds.len().max(1) as u64;
            let (total, computed, dims) = if pkp {
                let dims: Vec<Score> = sums
                    .iter()
                    .map(|s| Score::from_hundredths(((s + n / 2) / n) as i64).unwrap_or(Score::MAX))
                    .collect();
                let computed = self.weighted(&dims);
                (computed, Some(computed), dims)
            } else {
                let total =
                    Score::from_hundredths(((totals + n / 2) / n) as i64).unwrap_or(Score::MAX);
                (total, None, Vec::new())
            };
            self.score_record(
                (period_id, methodology, d.id, None),
                (total, computed, &dims),
                (1, None, true, None),
                (recorded + chrono::Duration::days(1), &assessor, office.id),
            );
        }
    }

    fn weighted(&self, dims: &[Score]) -> Score {
        let values: Vec<(String, Score)> = self
            .pkp
            .dimensions
            .iter()
            .zip(dims)
            .map(|(d, v)| (d.code.clone(), *v))
            .collect();
        self.pkp.weighted_total(&values).unwrap_or(Score::MAX)
    }

    /// Published total, computed total and dimension values around `mean`.
    fn score_values(
        &self,
        rng: &mut ChaCha8Rng,
        methodology: &Methodology,
        mean: f64,
    ) -> (Score, Option<Score>, Vec<Score>) {
        let clamp = |v: f64| Score::from_decimal(v.clamp(0.0, 100.0)).unwrap_or(Score::MAX);
        if methodology.dimensions.is_empty() {
            return (clamp(mean), None, Vec::new());
        }
        // Complaint handling lags the rest, as the Ombudsman keeps finding.
        const OFFSETS: [f64; 4] = [4.0, 0.0, -2.0, -8.0];
        let dims: Vec<Score> = OFFSETS
            .iter()
            .map(|offset| clamp(mean + offset + (rng.random::<f64>() - 0.5) * 12.0))
            .collect();
        let computed = self.weighted(&dims);
        // Now and then the published total differs from the parts (stored as published).
        let total = if rng.random_bool(0.02) {
            Score::from_hundredths(
                (computed.hundredths() + rng.random_range(-40..40)).clamp(0, 10_000),
            )
            .unwrap_or(computed)
        } else {
            computed
        };
        (total, Some(computed), dims)
    }

    #[allow(clippy::type_complexity)]
    fn score_record(
        &mut self,
        (period_id, methodology, district_id, opd_id): (i64, &Methodology, i64, Option<i64>),
        (total, computed, dims): (Score, Option<Score>, &[Score]),
        (revision, supersedes, is_current, reason): (i32, Option<i64>, bool, Option<&str>),
        (recorded, assessor, office_id): (DateTime<Utc>, &(i64, String), i64),
    ) -> i64 {
        let id = self.ids.next(tables::SCORE_RECORDS);
        let band = methodology
            .classify(total)
            .map_or_else(String::new, |b| b.code.clone());
        self.out.to(tables::SCORE_RECORDS).push([
            id.into(),
            period_id.into(),
            methodology.id.0.into(),
            district_id.into(),
            opd_id.into(),
            ScoreKind::Official.as_str().into(),
            total.hundredths().into(),
            computed.map(Score::hundredths).into(),
            band.as_str().into(),
            revision.into(),
            supersedes.into(),
            is_current.into(),
            reason.into(),
            assessor.0.into(),
            recorded.into(),
            // Every figure of the national data set is invented.
            pendamping_domain::score::Provenance::Illustrative
                .as_str()
                .into(),
        ]);
        if !dims.is_empty() {
            for (dimension, value) in self.pkp_dimension_ids.clone().into_iter().zip(dims) {
                self.out.to(tables::SCORE_DIMENSION_VALUES).push([
                    id.into(),
                    dimension.into(),
                    value.hundredths().into(),
                ]);
            }
        }
        self.audit(
            recorded,
            assessor,
            if revision == 1 {
                "SCORE_RECORDED"
            } else {
                "SCORE_CORRECTED"
            },
            "ScoreRecord",
            id,
            office_id,
            district_id,
            Cell::Null,
            Cell::Text(format!(r#"{{"total":"{total}","band":"{band}"}}"#)),
            reason,
        );
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_provinces_hold_514_regencies_and_cities() {
        let local: usize = PROVINCES.iter().map(|p| p.regencies + p.cities).sum();
        assert_eq!(PROVINCES.len(), 34);
        assert_eq!(local, 514);
        assert_eq!(local + PROVINCES.len(), GOVERNMENTS_AT_SCALE_1);
    }

    #[test]
    fn the_scale_is_checked() {
        for bad in [0.0, -1.0, 2.5, f64::NAN, f64::INFINITY] {
            let err = NationalOptions::new(bad).expect_err("out of range");
            assert!(err.to_string().contains("scale"), "{err}");
        }
        let options = NationalOptions::new(1.0).expect("in range");
        assert_eq!(options.governments(), 548);
        assert_eq!(options.action_items(), 1_000_000);
        assert_eq!(NationalOptions::new(0.001).expect("tiny").governments(), 1);
    }
}
