//! `pendamping-bench run`: all of issue 17 in one run and one table, on one
//! database holding `pendamping seed national` (PostgreSQL; on SQLite the
//! parts that need PostgreSQL — pgbench, PostGraphile, the answer cache — are
//! left out):
//!
//! 1. the district-board question (`crates/bench/district-board/`) asked of
//!    three engines, a random district per request: the hand-written
//!    statement (pgbench, prepared), PostGraphile 5 and Pendamping computing
//!    afresh (`reduced.graphql`, and the full district board of
//!    `docs/dashboards.md`), each Pendamping request with that district's own
//!    VIEWER dashboard token; the answers are first checked equal in substance
//!    for a few districts;
//! 2. the answer cache on the full district board while a background writer
//!    commits `--commit-rate` workflow transitions a second on random
//!    districts, beside the fresh figure under the same commits;
//! 3. write throughput: workflow transitions a second over HTTP;
//! 4. the deadline sweeper in process: its first pass and a pass with nothing new;
//! 5. the peak memory (VmHWM) of each server process.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use async_graphql::{Request, Variables};
use clap::{Args, ValueEnum};
use pendamping_api::{ApiSchema, RequestContext};
use pendamping_domain::deadline::DeadlinePolicy;
use pendamping_domain::identity::Scope;
use pendamping_domain::reference::DistrictId;
use pendamping_engine::{
    Actor, AuthConfig, BlobStore, Clock as _, Engine, StatementCounter, SystemClock,
};
use sea_orm::{ConnectionTrait, DatabaseBackend, Statement};
use serde_json::{Value, json};

use crate::load::{Figure, Target};
use crate::{Process, compare, global_id, load, pgbench, postgraphile, writes};

/// A part of the run that `--skip` can leave out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Part {
    /// The equality check of the three engines' answers.
    Check,
    /// The hand-written statement under pgbench.
    Hand,
    /// PostGraphile 5.
    Postgraphile,
    /// Pendamping on `reduced.graphql`, afresh.
    Reduced,
    /// Pendamping on the full district board, afresh.
    Board,
    /// The answer cache (nothing committing, then under `--commit-rate`).
    Cache,
    /// Write throughput.
    Writes,
    /// The deadline sweeper.
    Sweeper,
}

#[derive(Debug, Args)]
pub struct SuiteArgs {
    /// A database holding a national data set (PostgreSQL for every part).
    #[arg(long = "database-url")]
    database_url: String,
    /// Seconds of load per figure.
    #[arg(long, default_value_t = 10.0)]
    duration: f64,
    /// Concurrent clients of the read figures, comma-separated.
    #[arg(long, default_value = "16,64", value_delimiter = ',')]
    concurrency: Vec<usize>,
    /// Concurrent clients of the write figures, comma-separated.
    #[arg(long, default_value = "16,32,64", value_delimiter = ',')]
    write_concurrency: Vec<usize>,
    /// Commits a second of the background writer during the answer-cache figures.
    #[arg(long, default_value_t = 10.0)]
    commit_rate: f64,
    /// Parts to leave out, comma-separated.
    #[arg(long, value_enum, value_delimiter = ',')]
    skip: Vec<Part>,
    /// Districts whose answers are compared across the three engines.
    #[arg(long, default_value_t = 5)]
    check_districts: usize,
    /// The server binary.
    #[arg(long, default_value = "target/release/pendamping")]
    server: PathBuf,
    /// Where the dashboard queries are written down (the full district board).
    #[arg(long, default_value = "docs/dashboards.md")]
    dashboards: PathBuf,
    /// The shared question: reduced.graphql, postgraphile5.graphql, hand.sql.
    #[arg(long, default_value = "crates/bench/district-board")]
    question: PathBuf,
    /// Where PostGraphile 5 is installed (npm install) and run.
    #[arg(long, default_value = "target/postgraphile5")]
    postgraphile_dir: PathBuf,
}

/// One line of the table.
struct Row {
    measurement: String,
    unit: &'static str,
    /// Per client count: the figure.
    cells: BTreeMap<usize, Figure>,
    /// Per client count: CPU ms per request of the database and of the serving process.
    cpu: BTreeMap<usize, (Option<f64>, Option<f64>)>,
    note: String,
}

impl Row {
    fn new(measurement: impl Into<String>, unit: &'static str) -> Self {
        Row {
            measurement: measurement.into(),
            unit,
            cells: BTreeMap::new(),
            cpu: BTreeMap::new(),
            note: String::new(),
        }
    }

    fn note(mut self, note: impl Into<String>) -> Self {
        self.note = note.into();
        self
    }

    fn failed(measurement: impl Into<String>, error: &anyhow::Error) -> Self {
        Row::new(measurement, "").note(format!("FAILED: {}", one_line(&format!("{error:#}"))))
    }
}

fn one_line(text: &str) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() > 300 {
        format!("{}…", flat.chars().take(300).collect::<String>())
    } else {
        flat
    }
}

/// `1234.5` → `1,235`.
fn thousands(value: f64) -> String {
    let digits = format!("{:.0}", value.max(0.0));
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A district, its Pendamping id and its local date.
#[derive(Debug, Clone)]
struct District {
    id: i64,
    global: String,
    today: chrono::NaiveDate,
}

async fn districts(db: &pendamping_engine::Db) -> anyhow::Result<Vec<District>> {
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT CAST(id AS BIGINT), time_zone FROM districts ORDER BY id",
        ))
        .await?;
    let now = SystemClock.now();
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let id: i64 = row.try_get_by_index(0)?;
        let zone: String = row.try_get_by_index(1)?;
        // WIB, WITA, WIT: fixed offsets, no daylight saving.
        let hours = match zone.as_str() {
            "Asia/Jayapura" => 9,
            "Asia/Makassar" => 8,
            _ => 7,
        };
        out.push(District {
            id,
            global: global_id("District", id),
            today: (now + chrono::Duration::hours(hours)).date_naive(),
        });
    }
    if out.is_empty() {
        bail!("no districts: load a data set first (`pendamping seed national`)");
    }
    Ok(out)
}

/// The full district board of `docs/dashboards.md`, asking about `$district`.
fn full_board(path: &Path) -> anyhow::Result<(String, String)> {
    let dashboards = crate::dashboards::read(path)?;
    let board = dashboards
        .into_iter()
        .find(|d| d.key == "district-board")
        .with_context(|| format!("no district board in {}", path.display()))?;
    if let Some((name, _)) = board
        .variables
        .iter()
        .find(|(n, _)| n.to_lowercase().contains("district"))
    {
        return Ok((board.query.clone(), name.clone()));
    }
    // The documented query names a demo district by a literal id: make it a variable.
    let (query, replaced) = crate::dashboards::substitute_ids(&board.query, |kind| {
        (kind == "District").then(|| "__BENCH_DISTRICT__".to_owned())
    });
    if replaced.is_empty() {
        bail!("the district board of {} names no district", path.display());
    }
    let query = query.replace("\"__BENCH_DISTRICT__\"", "$district");
    let brace = query
        .find('{')
        .context("the district board has no selection")?;
    let header = query[..brace].trim();
    if header.contains('(') {
        bail!("the district board declares variables but none for the district");
    }
    let header = if header.is_empty() {
        "query DistrictBoard"
    } else {
        header
    };
    Ok((
        format!("{header}($district: ID!) {}", &query[brace..]),
        "district".to_owned(),
    ))
}

/// Runs one GraphQL request in process: the answer and the statements it issued.
async fn in_process(
    schema: &ApiSchema,
    engine: &Engine,
    counter: &StatementCounter,
    token: &str,
    query: &str,
    variables: Value,
) -> anyhow::Result<(Value, u64)> {
    let actor = engine.authenticate(token).await?;
    let (context, loader) = RequestContext::new(
        engine.clone(),
        Some(actor),
        Some(token.to_owned()),
        Some("127.0.0.1".into()),
    );
    let request = context.attach(
        loader,
        Request::new(query).variables(Variables::from_json(variables)),
    );
    let before = counter.get();
    let response = schema.execute(request).await;
    let issued = counter.get() - before;
    Ok((serde_json::to_value(&response)?, issued))
}

/// `hand.sql`'s answer for one district, as JSON.
async fn hand_answer(
    db: &pendamping_engine::Db,
    hand: &str,
    district: i64,
) -> anyhow::Result<Value> {
    let statement = crate::pgbench::hand_statement(hand);
    let sql = format!("SELECT CAST(x.doc AS TEXT) FROM ({statement}) AS x(doc)");
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            DatabaseBackend::Postgres,
            sql,
            [district.into()],
        ))
        .await?
        .context("hand.sql returned no row")?;
    let text: String = row.try_get_by_index(0)?;
    Ok(serde_json::from_str(&text)?)
}

/// CPU seconds so far of PostgreSQL (when it runs on this machine) and of a serving process.
#[derive(Debug, Clone, Copy)]
struct Meter {
    postmaster: Option<u32>,
}

impl Meter {
    async fn new(db: &pendamping_engine::Db) -> Self {
        let backend = match db.get_database_backend() {
            DatabaseBackend::Postgres => crate::scalar(db, "SELECT pg_backend_pid()")
                .await
                .ok()
                .and_then(|pid| u32::try_from(pid).ok()),
            _ => None,
        };
        Meter {
            postmaster: backend.and_then(crate::cpu::postmaster_of),
        }
    }

    fn sample(&self, server: Option<u32>) -> (Option<f64>, Option<f64>) {
        (
            self.postmaster.and_then(crate::cpu::postgres),
            server.and_then(crate::cpu::process),
        )
    }

    /// CPU ms per answered request between two samples.
    fn per_request(
        before: (Option<f64>, Option<f64>),
        after: (Option<f64>, Option<f64>),
        answered: u64,
    ) -> (Option<f64>, Option<f64>) {
        let per =
            |a: Option<f64>, b: Option<f64>| Some((b? - a?) * 1000.0 / (answered.max(1) as f64));
        (per(before.0, after.0), per(before.1, after.1))
    }
}

fn cpu_note(row: &Row, server: &str) -> String {
    let parts: Vec<String> = row
        .cpu
        .iter()
        .filter_map(|(c, (db, process))| match (db, process) {
            (Some(db), Some(p)) => Some(format!("@{c} database {db:.1} + {server} {p:.1}")),
            (Some(db), None) => Some(format!("@{c} database {db:.1}")),
            _ => None,
        })
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("CPU ms per request: {}", parts.join(", "))
    }
}

/// Load at each client count, as one row.
async fn read_row(
    measurement: &str,
    endpoint: &str,
    targets: &Arc<Vec<Target>>,
    concurrency: &[usize],
    duration: Duration,
    (meter, server): (Meter, Option<u32>),
) -> Row {
    let mut row = Row::new(measurement, "req/s");
    for clients in concurrency {
        eprintln!("{measurement} at {clients} clients …");
        let before = meter.sample(server);
        match load::hammer(endpoint, targets, *clients, duration).await {
            Ok(figure) => {
                row.cpu.insert(
                    *clients,
                    Meter::per_request(before, meter.sample(server), figure.answered),
                );
                if let Some(error) = &figure.first_error {
                    eprintln!("  first error: {}", one_line(error));
                }
                row.cells.insert(*clients, figure);
            }
            Err(error) => return Row::failed(measurement, &error),
        }
    }
    row
}

fn errors_note(row: &Row) -> String {
    let errors: u64 = row.cells.values().map(|f| f.errors).sum();
    if errors > 0 {
        let first = row
            .cells
            .values()
            .find_map(|f| f.first_error.clone())
            .unwrap_or_default();
        format!("{errors} errors (first: {})", one_line(&first))
    } else {
        String::new()
    }
}

fn join_notes(parts: &[String]) -> String {
    parts
        .iter()
        .filter(|p| !p.is_empty())
        .cloned()
        .collect::<Vec<_>>()
        .join("; ")
}

pub async fn run(args: SuiteArgs) -> anyhow::Result<()> {
    let command_line = std::env::args().collect::<Vec<_>>().join(" ");
    let duration = Duration::from_secs_f64(args.duration);
    let counter = StatementCounter::default();
    let db = pendamping_engine::connect(&args.database_url, Some(counter.clone()))
        .await
        .with_context(|| format!("connecting to {}", args.database_url))?;
    let backend = db.get_database_backend();
    let postgres = backend == DatabaseBackend::Postgres;
    let mut skip = args.skip.clone();
    if !postgres {
        eprintln!("not PostgreSQL: pgbench, PostGraphile and the answer cache are left out");
        skip.extend([Part::Hand, Part::Postgraphile, Part::Cache, Part::Check]);
    }
    let on = |part: Part| !skip.contains(&part);
    let engine = Engine::new(
        db.clone(),
        Arc::new(SystemClock),
        AuthConfig::default(),
        BlobStore::in_memory(),
    );
    let started = Instant::now();
    let meter = Meter::new(&db).await;
    let districts = districts(&db).await?;
    let items = scalar_or_zero(&db, "SELECT COUNT(*) FROM action_items").await;
    eprintln!("{} districts, {items} action items", districts.len());
    let mut rows: Vec<Row> = Vec::new();
    let mut sweeper_rows: Vec<Row> = Vec::new();

    // The sweeper first: before anything else raises reminders, its first
    // pass over a freshly seeded data set is the real first pass.
    if on(Part::Sweeper) {
        sweeper_rows = sweeper(&engine, &db, items)
            .await
            .unwrap_or_else(|e| vec![Row::failed("deadline sweeper", &e)]);
    }

    let question = |file: &str| {
        std::fs::read_to_string(args.question.join(file))
            .with_context(|| format!("reading {}", args.question.join(file).display()))
    };
    let reduced = question("reduced.graphql")?;
    let pg5 = question("postgraphile5.graphql")?;
    let hand = question("hand.sql")?;
    let (board, board_variable) = full_board(&args.dashboards)?;

    // One VIEWER dashboard token per district, as each district's wall screen holds.
    let reads = on(Part::Reduced) || on(Part::Board) || on(Part::Cache) || on(Part::Check);
    let mut tokens: Vec<(pendamping_engine::domain::ids::AccessTokenId, String)> = Vec::new();
    if reads {
        let system = Actor::system("pendamping-bench");
        for d in &districts {
            let issued = engine
                .create_api_token(
                    &system,
                    &format!("pendamping-bench district {}", d.id),
                    Scope::District(DistrictId(d.id)),
                    None,
                )
                .await?;
            tokens.push((issued.id, issued.token));
        }
        eprintln!("{} district tokens created", tokens.len());
    }
    let token_of = |i: usize| tokens.get(i).map(|(_, t)| t.as_str());
    let reduced_targets: Arc<Vec<Target>> = Arc::new(
        districts
            .iter()
            .enumerate()
            .map(|(i, d)| {
                Target::new(
                    &json!({ "query": reduced, "variables": { "district": d.global } }),
                    token_of(i),
                )
            })
            .collect(),
    );
    let board_targets: Arc<Vec<Target>> = Arc::new(
        districts
            .iter()
            .enumerate()
            .map(|(i, d)| {
                Target::new(
                    &json!({ "query": board, "variables": { board_variable.as_str(): d.global } }),
                    token_of(i),
                )
            })
            .collect(),
    );
    let pg5_body = |d: &District| json!({ "query": pg5, "variables": { "id": d.id.to_string(), "today": d.today.to_string() } });
    let pg5_targets: Arc<Vec<Target>> = Arc::new(
        districts
            .iter()
            .map(|d| Target::new(&pg5_body(d), None))
            .collect(),
    );

    // Statements per request, in process (the same code the server runs).
    let schema = pendamping_api::schema();
    let mut statements = BTreeMap::new();
    if reads {
        for (name, query) in [("reduced", &reduced), ("board", &board)] {
            let variables = if name == "reduced" {
                json!({ "district": districts[0].global })
            } else {
                json!({ board_variable.as_str(): districts[0].global })
            };
            match in_process(
                &schema,
                &engine,
                &counter,
                &tokens[0].1,
                query,
                variables.clone(),
            )
            .await
            {
                Ok(_) => {
                    let (answer, issued) =
                        in_process(&schema, &engine, &counter, &tokens[0].1, query, variables)
                            .await?;
                    if answer["errors"].as_array().is_some_and(|e| !e.is_empty()) {
                        eprintln!(
                            "{name}: answers with errors in process: {}",
                            answer["errors"]
                        );
                    }
                    statements.insert(name, issued);
                }
                Err(error) => eprintln!("{name} in process: {error:#}"),
            }
        }
    }
    let statements_note = |name: &str| {
        statements.get(name).map_or(String::new(), |n| {
            format!("{n} SQL statements per request in process (+ the token's)")
        })
    };

    // The fresh server: every answer computed afresh.
    let fresh = if on(Part::Reduced) || on(Part::Board) || on(Part::Check) || on(Part::Cache) {
        Some(crate::start_server(&args.server, &args.database_url, false).await?)
    } else {
        None
    };

    // The practical limit: one prepared statement under pgbench.
    if on(Part::Hand) {
        let work = args.postgraphile_dir.with_file_name("pgbench");
        let row = match pgbench::script(&hand, &districts.iter().map(|d| d.id).collect::<Vec<_>>())
        {
            Ok(script) => {
                let mut row =
                    Row::new("hand-written SQL, one prepared statement (pgbench)", "tx/s");
                for clients in &args.concurrency {
                    eprintln!("pgbench at {clients} clients …");
                    let before = meter.sample(None);
                    match pgbench::run(&args.database_url, &script, *clients, duration, &work) {
                        Ok(figure) => {
                            row.cpu.insert(
                                *clients,
                                Meter::per_request(before, meter.sample(None), figure.answered),
                            );
                            row.cells.insert(*clients, figure);
                        }
                        Err(error) => {
                            row = Row::failed("hand-written SQL (pgbench)", &error);
                            break;
                        }
                    }
                }
                let note =
                    join_notes(&[errors_note(&row), "1 statement".into(), cpu_note(&row, "")]);
                row.note(note)
            }
            Err(error) => Row::failed("hand-written SQL (pgbench)", &error),
        };
        rows.push(row);
    }

    // The equality check and PostGraphile.
    let mut check_note = String::new();
    let mut pg5_rss = None;
    if on(Part::Postgraphile) || on(Part::Check) {
        let started_pg5 = async {
            postgraphile::install(&args.postgraphile_dir)?;
            postgraphile::start(&args.postgraphile_dir, &args.database_url).await
        }
        .await;
        match started_pg5 {
            Ok(server) => {
                if on(Part::Check)
                    && let Some((_, base)) = &fresh
                {
                    check_note = check(
                        &db,
                        &format!("{base}/graphql"),
                        &server.endpoint,
                        &districts,
                        &tokens,
                        (&reduced, &hand, &pg5_body),
                        args.check_districts,
                    )
                    .await
                    .unwrap_or_else(|e| format!("check FAILED: {}", one_line(&format!("{e:#}"))));
                    eprintln!("{check_note}");
                }
                if on(Part::Postgraphile) {
                    let row = read_row(
                        "PostGraphile 5",
                        &server.endpoint,
                        &pg5_targets,
                        &args.concurrency,
                        duration,
                        (meter, Some(server.pid())),
                    )
                    .await;
                    let note = join_notes(&[errors_note(&row), cpu_note(&row, "Node"), "no token (PostGraphile has no per-district reach); `today` sent by the client".into()]);
                    rows.push(row.note(note));
                }
                pg5_rss = server.peak_rss_mb();
            }
            Err(error) => rows.push(Row::failed("PostGraphile 5", &error)),
        }
    }

    let fresh_pid = fresh.as_ref().map(|(p, _)| p.0.id());
    if let Some((_, base)) = &fresh {
        let endpoint = format!("{base}/graphql");
        if on(Part::Reduced) {
            let row = read_row(
                "Pendamping, reduced.graphql, afresh",
                &endpoint,
                &reduced_targets,
                &args.concurrency,
                duration,
                (meter, fresh_pid),
            )
            .await;
            let note = join_notes(&[
                errors_note(&row),
                cpu_note(&row, "server"),
                statements_note("reduced"),
            ]);
            rows.push(row.note(note));
        }
        if on(Part::Board) {
            let row = read_row(
                "Pendamping, full district board (a), afresh",
                &endpoint,
                &board_targets,
                &args.concurrency,
                duration,
                (meter, fresh_pid),
            )
            .await;
            let note = join_notes(&[
                errors_note(&row),
                cpu_note(&row, "server"),
                statements_note("board"),
            ]);
            rows.push(row.note(note));
        }
    }

    // The answer cache, nothing committing and then under commits spread over districts.
    let mut cached_server: Option<(Process, String)> = None;
    let need_cached = on(Part::Cache) || on(Part::Writes);
    if need_cached {
        match crate::start_server(&args.server, &args.database_url, postgres).await {
            Ok(server) => cached_server = Some(server),
            Err(error) => rows.push(Row::failed("Pendamping with the answer cache", &error)),
        }
    }
    let cached_pid = cached_server.as_ref().map(|(p, _)| p.0.id());
    if on(Part::Cache)
        && let Some((_, base)) = &cached_server
    {
        let endpoint = format!("{base}/graphql");
        let quiet = read_row(
            "Pendamping, full district board, answer cache, nothing committing",
            &endpoint,
            &board_targets,
            &args.concurrency,
            duration,
            (meter, cached_pid),
        )
        .await;
        let note = join_notes(&[errors_note(&quiet), cpu_note(&quiet, "server")]);
        rows.push(quiet.note(note));

        let per_district = writes::one_per_district(&writes::cyclable(&db).await?);
        let committer =
            writes::Committer::start(engine.clone(), per_district.clone(), args.commit_rate);
        let under = read_row(
            &format!(
                "Pendamping, full district board, answer cache, {} commits/s",
                args.commit_rate
            ),
            &endpoint,
            &board_targets,
            &args.concurrency,
            duration,
            (meter, cached_pid),
        )
        .await;
        let fresh_under = match &fresh {
            Some((_, base)) => Some(
                read_row(
                    &format!(
                        "Pendamping, full district board, afresh, {} commits/s",
                        args.commit_rate
                    ),
                    &format!("{base}/graphql"),
                    &board_targets,
                    &args.concurrency,
                    duration,
                    (meter, fresh_pid),
                )
                .await,
            ),
            None => None,
        };
        let achieved = committer.rate();
        let (commits, failures) = committer.stop().await;
        let ratios: Vec<String> = match &fresh_under {
            Some(f) => under
                .cells
                .iter()
                .filter_map(|(c, figure)| {
                    let fresh = f.cells.get(c)?.per_second;
                    Some(format!(
                        "{:.1}× afresh at {c}",
                        figure.per_second / fresh.max(1e-9)
                    ))
                })
                .collect(),
            None => Vec::new(),
        };
        let writer = format!(
            "background writer: {commits} transitions ({achieved:.1}/s achieved, {failures} failed) over {} districts' items, each on a random district",
            per_district.len()
        );
        let note = join_notes(&[
            errors_note(&under),
            ratios.join(", "),
            writer,
            cpu_note(&under, "server"),
        ]);
        rows.push(under.note(note));
        if let Some(f) = fresh_under {
            let note = join_notes(&[errors_note(&f), cpu_note(&f, "server")]);
            rows.push(f.note(note));
        }
    }

    // Writes over HTTP, against the server as deployed.
    if on(Part::Writes)
        && let Some((_, base)) = &cached_server
    {
        match write_rows(
            &engine,
            &counter,
            &db,
            &format!("{base}/graphql"),
            &args,
            duration,
            (meter, cached_pid),
        )
        .await
        {
            Ok(mut more) => rows.append(&mut more),
            Err(error) => rows.push(Row::failed("workflow transitions over HTTP", &error)),
        }
    }

    // Memory.
    let mut memory = Vec::new();
    if let Some((process, _)) = &fresh
        && let Some(mb) = process.peak_rss_mb()
    {
        memory.push(
            Row::new("peak RSS, Pendamping server computing afresh", "MB")
                .note(format!("{mb:.0} MB (VmHWM over all its load)")),
        );
    }
    if let Some((process, _)) = &cached_server
        && let Some(mb) = process.peak_rss_mb()
    {
        memory.push(
            Row::new("peak RSS, Pendamping server with the answer cache", "MB").note(format!(
                "{mb:.0} MB (VmHWM; cache {} MB)",
                if postgres { 64 } else { 0 }
            )),
        );
    }
    if let Some(mb) = pg5_rss {
        memory.push(
            Row::new("peak RSS, PostGraphile 5 (node)", "MB").note(format!("{mb:.0} MB (VmHWM)")),
        );
    }
    rows.append(&mut sweeper_rows);
    rows.append(&mut memory);
    drop(fresh);
    drop(cached_server);

    // The district tokens are revoked again.
    let system = Actor::system("pendamping-bench");
    for (id, _) in &tokens {
        let _ = engine.revoke_api_token(&system, *id).await;
    }

    print_table(
        &args,
        &command_line,
        &rows,
        &check_note,
        districts.len(),
        items,
        started.elapsed(),
    );
    Ok(())
}

async fn scalar_or_zero(db: &pendamping_engine::Db, sql: &str) -> i64 {
    crate::scalar(db, sql).await.unwrap_or(0)
}

/// The first sweeper pass and one with nothing new, in process.
async fn sweeper(
    engine: &Engine,
    db: &pendamping_engine::Db,
    items: i64,
) -> anyhow::Result<Vec<Row>> {
    let policy = DeadlinePolicy::default();
    let before = scalar_or_zero(db, "SELECT COUNT(*) FROM deadline_sweeps").await;
    eprintln!("deadline sweeper: first pass …");
    let first = engine.sweep_deadlines(&policy).await?;
    eprintln!("{first}");
    let second = engine.sweep_deadlines(&policy).await?;
    eprintln!("{second}");
    let seconds = first.elapsed.as_secs_f64();
    let raised = first.reminders + first.overdue + first.escalations;
    let what = if before == 0 {
        "the data set's first pass".to_owned()
    } else {
        format!(
            "NOT the data set's first pass: it had been swept {before} times before (seed anew for a first pass)"
        )
    };
    Ok(vec![
        Row::new("deadline sweeper, first pass", "s").note(format!(
            "{seconds:.2} s over {} action items ({} items/s): {what}; raised {raised} reminders ({} due soon, {} overdue, {} escalations, {:.0} raised/s), {} notifications",
            thousands(items as f64),
            thousands(items as f64 / seconds.max(1e-9)),
            first.reminders,
            first.overdue,
            first.escalations,
            raised as f64 / seconds.max(1e-9),
            first.notifications,
        )),
        Row::new("deadline sweeper, pass with nothing new", "s").note(format!(
            "{:.3} s (target ≤ 0.5 s); raised {}, notified {}, withdrew {}",
            second.elapsed.as_secs_f64(),
            second.reminders + second.overdue + second.escalations,
            second.notifications,
            second.withdrawn,
        )),
    ])
}

/// The question as each engine is asked it: `reduced.graphql`, `hand.sql`,
/// and PostGraphile's request body for a district.
type Question<'a> = (&'a str, &'a str, &'a dyn Fn(&District) -> Value);

/// The answers of the three engines for a few districts, compared in substance.
async fn check(
    db: &pendamping_engine::Db,
    pendamping: &str,
    postgraphile: &str,
    districts: &[District],
    tokens: &[(pendamping_engine::domain::ids::AccessTokenId, String)],
    (reduced, hand, pg5_body): Question<'_>,
    count: usize,
) -> anyhow::Result<String> {
    let client = load::client(2)?;
    let mut rng = load::Rng::seeded(5);
    let mut picks: Vec<usize> = vec![0, districts.len() - 1];
    while picks.len() < count.min(districts.len()) {
        picks.push(rng.below(districts.len()));
    }
    picks.sort_unstable();
    picks.dedup();
    let mut equal = 0;
    let mut differences = Vec::new();
    for i in &picks {
        let d = &districts[*i];
        let ours = load::ask(
            &client,
            pendamping,
            Some(&tokens[*i].1),
            &json!({ "query": reduced, "variables": { "district": d.global } }),
        )
        .await
        .map_err(|e| anyhow::anyhow!("Pendamping on district {}: {e}", d.id))?;
        let theirs = load::ask(&client, postgraphile, None, &pg5_body(d))
            .await
            .map_err(|e| anyhow::anyhow!("PostGraphile on district {}: {e}", d.id))?;
        let handmade = hand_answer(db, hand, d.id).await?;
        let ours = compare::pendamping(&ours);
        let mut same = true;
        for (engine, other) in [
            ("PostGraphile", compare::postgraphile(&theirs)),
            ("hand.sql", compare::hand(&handmade)),
        ] {
            if let Some(at) = compare::difference(&ours, &other) {
                same = false;
                differences.push(format!(
                    "district {}: Pendamping and {engine} differ at {at}",
                    d.id
                ));
            }
        }
        equal += usize::from(same);
    }
    Ok(if differences.is_empty() {
        format!(
            "the three answers are equal in substance for {equal} of {} districts checked",
            picks.len()
        )
    } else {
        format!(
            "the three answers differ for {} of {} districts checked: {}",
            picks.len() - equal,
            picks.len(),
            differences
                .iter()
                .take(4)
                .cloned()
                .collect::<Vec<_>>()
                .join("; ")
        )
    })
}

async fn write_rows(
    engine: &Engine,
    counter: &StatementCounter,
    db: &pendamping_engine::Db,
    endpoint: &str,
    args: &SuiteArgs,
    duration: Duration,
    (meter, server): (Meter, Option<u32>),
) -> anyhow::Result<Vec<Row>> {
    let most = args.write_concurrency.iter().copied().max().unwrap_or(1);
    let all = writes::cyclable(db).await?;
    let mut items = writes::spread(&all, most + 1);
    if items.len() < most + 1 {
        bail!(
            "only {} action items can cycle (in progress, submitted or rejected, with evidence, one per OPD); {most} writing clients need {}",
            items.len(),
            most + 1
        );
    }
    // Statements per transition, in process: one full cycle on the spare item.
    let mut spare = items.pop().context("a spare item")?;
    let mut per_step = Vec::new();
    for _ in 0..3 {
        let action = spare.status.clone();
        let before = counter.get();
        writes::step(engine, &mut spare).await?;
        per_step.push(format!("{} from {action}", counter.get() - before));
    }
    eprintln!(
        "writes: sessions for {} officers and their assessors …",
        items.len()
    );
    let sessions = Arc::new(writes::Sessions::for_items(engine, &items).await?);
    let mut row = Row::new(
        "workflow transitions over HTTP (submit / reject / resume)",
        "tx/s",
    );
    for clients in &args.write_concurrency {
        eprintln!("writes at {clients} clients …");
        let before = meter.sample(server);
        let (figure, after) =
            writes::hammer(endpoint, &items, &sessions, *clients, duration).await?;
        if let Some(error) = &figure.first_error {
            eprintln!("  first error: {}", one_line(error));
        }
        items = after;
        row.cpu.insert(
            *clients,
            Meter::per_request(before, meter.sample(server), figure.answered),
        );
        row.cells.insert(*clients, figure);
    }
    let note = join_notes(&[
        errors_note(&row),
        cpu_note(&row, "server").replace("per request", "per transition"),
        format!(
            "each client cycles its own item of its own OPD, spread over districts; statements per transition in process: {}",
            per_step.join(", ")
        ),
    ]);
    Ok(vec![row.note(note)])
}

fn print_table(
    args: &SuiteArgs,
    command_line: &str,
    rows: &[Row],
    check_note: &str,
    districts: usize,
    items: i64,
    elapsed: Duration,
) {
    let mut clients: Vec<usize> = rows.iter().flat_map(|r| r.cells.keys().copied()).collect();
    clients.sort_unstable();
    clients.dedup();
    println!();
    println!("`{command_line}`");
    println!();
    println!(
        "{districts} districts, {} action items; {} s per figure; a random district per request, each Pendamping request with that district's VIEWER token; run took {:.0} s.{}",
        thousands(items as f64),
        args.duration,
        elapsed.as_secs_f64(),
        if check_note.is_empty() {
            String::new()
        } else {
            format!(" Check: {check_note}.")
        }
    );
    println!();
    let mut header = vec!["measurement".to_owned(), "unit".to_owned()];
    header.extend(clients.iter().map(|c| format!("@{c}")));
    header.extend(clients.iter().map(|c| format!("p99 ms @{c}")));
    header.push("figure / notes".to_owned());
    println!("| {} |", header.join(" | "));
    println!("|---|---|{}---|", "---:|".repeat(clients.len() * 2));
    for row in rows {
        let mut cells = vec![row.measurement.clone(), row.unit.to_owned()];
        cells.extend(clients.iter().map(|c| {
            row.cells.get(c).map_or("-".to_owned(), |f| {
                if f.errors > 0 {
                    format!("{} ({} err)", thousands(f.per_second), f.errors)
                } else {
                    thousands(f.per_second)
                }
            })
        }));
        cells.extend(clients.iter().map(|c| {
            row.cells
                .get(c)
                .map_or("-".to_owned(), |f| format!("{:.0}", f.p99_ms))
        }));
        cells.push(row.note.replace('|', "\\|"));
        println!("| {} |", cells.join(" | "));
    }
}
