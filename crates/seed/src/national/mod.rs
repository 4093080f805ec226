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

mod action_items;
mod agreements;
mod days;
mod milestones;
mod names;
mod output;
mod random;
mod reference;
mod scores;
mod world;

use std::fmt;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use pendamping_domain::score::Methodology;
use pendamping_engine::{Engine, EngineError};
use pendamping_storage::bulk::{self, BulkLoad, tables};
use pendamping_storage::scores as stored;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use output::{Ids, Output};
use random::mix;

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
    let methodologies = stored::all_methodologies(engine.db()).await?;
    let ksp = methodology(&methodologies, "KSP-2021")?;
    let pkp = methodology(&methodologies, "PKP-2022")?;
    let ksp_dimensions = stored::dimension_ids(engine.db(), ksp.id).await?;
    let pkp_dimensions = stored::dimension_ids(engine.db(), pkp.id).await?;
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

/// One load's state: the options, the next ids, the row buffers, and the
/// methodologies and periods the scores are recorded under. Each aggregate's
/// rows are written by its own module (`world`, `reference`, `agreements`,
/// `milestones`, `action_items`, `scores`).
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

#[cfg(test)]
mod tests {
    use super::names::PROVINCES;
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
