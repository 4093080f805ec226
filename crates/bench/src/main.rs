//! `pendamping-bench`: the benchmarks of DESIGN.md §8 and issue 17, run by
//! hand on a national data set (`pendamping seed national`), never by the tests.
//!
//! `pendamping-bench run` measures all of issue 17 and prints one table (see
//! [`suite`]): the district-board question asked of hand-written SQL,
//! PostGraphile 5 and Pendamping, the answer cache while commits land, write
//! throughput, the deadline sweeper and the server's memory.
//!
//! `pendamping-bench dashboards`: for each dashboard query of `docs/dashboards.md` and each database given:
//! the SQL statements one execution issues, its in-process latency (p50/p99
//! over N runs, straight against the async-graphql schema) beside the latency
//! of hand-written SQL for the same answer (`sql/<dashboard>.sql`), their
//! ratio, and HTTP requests/s at 16 and 64 concurrent clients against the real
//! `pendamping serve` on loopback. Prints one Markdown table.
//!
//! `pendamping-bench load` drives any GraphQL endpoint the same way (e.g. a
//! peer engine such as PostGraphile over the same database) for comparison.

mod compare;
mod cpu;
mod dashboards;
mod load;
mod pgbench;
mod postgraphile;
mod suite;
mod writes;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use async_graphql::{Request, Variables};
use base64::Engine as _;
use clap::{Args, Parser, Subcommand};
use pendamping_api::{ApiSchema, RequestContext};
use pendamping_domain::identity::Scope;
use pendamping_domain::reference::{DistrictId, OfficeId};
use pendamping_engine::{
    Actor, AuthConfig, BlobStore, Clock as _, Engine, StatementCounter, SystemClock,
};
use sea_orm::{ConnectionTrait, DatabaseBackend, Statement};
use serde_json::{Value, json};

use dashboards::Dashboard;

// The server's allocator, so that in-process figures match what it serves.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Debug, Parser)]
#[command(name = "pendamping-bench", about)]
struct Cli {
    #[command(subcommand)]
    command: BenchCommand,
}

#[derive(Debug, Subcommand)]
enum BenchCommand {
    /// Measures all of issue 17 on one database and prints one table.
    Run(suite::SuiteArgs),
    /// Benchmarks every dashboard query on each database and prints the table.
    Dashboards(RunArgs),
    /// Measures the HTTP throughput of any GraphQL endpoint for one query.
    Load(LoadArgs),
}

#[derive(Debug, Args)]
struct RunArgs {
    /// A database holding a national data set; repeat for PostgreSQL and SQLite.
    #[arg(long = "database-url", required = true)]
    database_urls: Vec<String>,
    /// In-process runs per query (and per hand-written SQL).
    #[arg(long, default_value_t = 200)]
    runs: usize,
    /// Seconds of HTTP load per query and concurrency.
    #[arg(long, default_value_t = 10.0)]
    duration: f64,
    /// Concurrent HTTP clients, comma-separated.
    #[arg(long, default_value = "16,64", value_delimiter = ',')]
    concurrency: Vec<usize>,
    /// A running server to load instead of starting one (only with one database).
    #[arg(long)]
    url: Option<String>,
    /// The server binary started for the HTTP figures.
    #[arg(long, default_value = "target/release/pendamping")]
    server: PathBuf,
    /// Where the dashboard queries are written down.
    #[arg(long, default_value = "docs/dashboards.md")]
    dashboards: PathBuf,
    /// Where the hand-written SQL lives.
    #[arg(long, default_value = "crates/bench/sql")]
    sql_dir: PathBuf,
    /// Skip the HTTP figures.
    #[arg(long)]
    no_http: bool,
    /// Only the dashboards whose key contains this (e.g. `district-board`).
    #[arg(long)]
    only: Option<String>,
}

#[derive(Debug, Args)]
struct LoadArgs {
    /// The GraphQL endpoint, e.g. http://127.0.0.1:5000/graphql.
    #[arg(long)]
    endpoint: String,
    /// A file with the query.
    #[arg(long)]
    query_file: PathBuf,
    /// Variables as JSON.
    #[arg(long, default_value = "{}")]
    variables: String,
    /// A bearer token, if the endpoint wants one.
    #[arg(long)]
    token: Option<String>,
    #[arg(long, default_value_t = 10.0)]
    duration: f64,
    #[arg(long, default_value = "16,64", value_delimiter = ',')]
    concurrency: Vec<usize>,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        BenchCommand::Run(args) => suite::run(args).await,
        BenchCommand::Dashboards(args) => run(args).await,
        BenchCommand::Load(args) => {
            let query = std::fs::read_to_string(&args.query_file)
                .with_context(|| format!("reading {}", args.query_file.display()))?;
            let variables: Value =
                serde_json::from_str(&args.variables).context("--variables is not JSON")?;
            let targets = Arc::new(vec![load::Target::new(
                &json!({ "query": query, "variables": variables }),
                args.token.as_deref(),
            )]);
            println!("| endpoint | clients | requests/s | p50 ms | p99 ms | errors |");
            println!("|---|---:|---:|---:|---:|---:|");
            for clients in &args.concurrency {
                let figure = load::hammer(
                    &args.endpoint,
                    &targets,
                    *clients,
                    Duration::from_secs_f64(args.duration),
                )
                .await?;
                println!(
                    "| {} | {clients} | {:.0} | {:.1} | {:.1} | {} |",
                    args.endpoint, figure.per_second, figure.p50_ms, figure.p99_ms, figure.errors
                );
                if let Some(error) = &figure.first_error {
                    eprintln!("first error at {clients} clients: {error}");
                }
            }
            Ok(())
        }
    }
}

/// One line of the table.
struct Line {
    dashboard: String,
    backend: &'static str,
    /// Fewest and most statements over the runs (DataLoader batches can split).
    statements: (u64, u64),
    graphql: (f64, f64),
    sql_statements: Option<usize>,
    sql: Option<(f64, f64)>,
    /// Requests/s and errors per client count: every answer computed afresh.
    http: Vec<(usize, f64, u64)>,
    /// The same with the server's answer cache on (PostgreSQL only).
    http_kept: Vec<(usize, f64, u64)>,
}

async fn run(args: RunArgs) -> anyhow::Result<()> {
    if args.url.is_some() && args.database_urls.len() > 1 {
        bail!("--url names one server, so give one --database-url with it");
    }
    let (dashboards, source) = if args.dashboards.exists() {
        (dashboards::read(&args.dashboards)?, args.dashboards.clone())
    } else {
        let placeholder = Path::new(env!("CARGO_MANIFEST_DIR")).join("placeholder-dashboards.md");
        eprintln!(
            "{} not found: using the placeholder queries of {}",
            args.dashboards.display(),
            placeholder.display()
        );
        (dashboards::read(&placeholder)?, placeholder)
    };
    let dashboards: Vec<Dashboard> = dashboards
        .into_iter()
        .filter(|d| {
            args.only
                .as_ref()
                .is_none_or(|only| d.key.contains(only.as_str()))
        })
        .collect();
    if dashboards.is_empty() {
        bail!("no dashboard of {} matches --only", source.display());
    }
    let mut lines = Vec::new();
    for url in &args.database_urls {
        lines.extend(bench_database(&args, url, &dashboards).await?);
    }
    println!();
    println!(
        "Dashboards from {}; {} in-process runs per query; HTTP {} s per figure on loopback.",
        source.display(),
        args.runs,
        args.duration
    );
    println!();
    let clients: Vec<String> = args
        .concurrency
        .iter()
        .map(|c| format!("HTTP req/s @{c}"))
        .chain(
            args.concurrency
                .iter()
                .map(|c| format!("answer cache req/s @{c}")),
        )
        .collect();
    println!(
        "| dashboard | database | SQL statements | GraphQL p50 ms | GraphQL p99 ms | hand SQL statements | SQL p50 ms | SQL p99 ms | ratio p50 | {} |",
        clients.join(" | ")
    );
    println!(
        "|---|---|---:|---:|---:|---:|---:|---:|---:|{}",
        "---:|".repeat(clients.len())
    );
    for line in &lines {
        let cell = |figures: &[(usize, f64, u64)], c: &usize| {
            figures.iter().find(|(clients, _, _)| clients == c).map_or(
                "-".to_owned(),
                |(_, rate, errors)| {
                    if *errors > 0 {
                        format!("{rate:.0} ({errors} errors)")
                    } else {
                        format!("{rate:.0}")
                    }
                },
            )
        };
        let http: Vec<String> = args
            .concurrency
            .iter()
            .map(|c| cell(&line.http, c))
            .chain(args.concurrency.iter().map(|c| cell(&line.http_kept, c)))
            .collect();
        let (sql_p50, sql_p99, ratio) = match line.sql {
            Some((p50, p99)) => (
                format!("{p50:.2}"),
                format!("{p99:.2}"),
                format!("{:.2}", line.graphql.0 / p50.max(0.001)),
            ),
            None => ("-".into(), "-".into(), "-".into()),
        };
        let statements = if line.statements.0 == line.statements.1 {
            line.statements.1.to_string()
        } else {
            format!("{}–{}", line.statements.0, line.statements.1)
        };
        println!(
            "| {} | {} | {} | {:.2} | {:.2} | {} | {} | {} | {} | {} |",
            line.dashboard,
            line.backend,
            statements,
            line.graphql.0,
            line.graphql.1,
            line.sql_statements
                .map_or("-".to_owned(), |n| n.to_string()),
            sql_p50,
            sql_p99,
            ratio,
            http.join(" | ")
        );
    }
    Ok(())
}

/// The rows the variables are taken from, by raw id.
#[derive(Debug, Clone, Copy)]
struct Subjects {
    office: i64,
    district: i64,
    opd: i64,
    agreement: i64,
    period: i64,
    year: i64,
    /// Today in the district's time zone, for overdue counts.
    today: chrono::NaiveDate,
    /// Hours the district's zone is ahead of UTC (7, 8 or 9).
    utc_offset: i64,
}

impl Subjects {
    /// The Monday that starts the current week in the district's zone.
    fn this_monday(&self) -> chrono::NaiveDate {
        use chrono::Datelike as _;
        self.today - chrono::Duration::days(i64::from(self.today.weekday().num_days_from_monday()))
    }
}

pub(crate) fn global_id(kind: &str, id: i64) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{kind}:{id}"))
}

pub(crate) async fn scalar(db: &pendamping_engine::Db, sql: &str) -> anyhow::Result<i64> {
    // As BIGINT whatever the column: PostgreSQL's INTEGER would not decode as i64.
    let wrapped = format!("SELECT CAST(({sql}) AS BIGINT)");
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), wrapped))
        .await?
        .with_context(|| format!("no row from {sql}"))?;
    Ok(row.try_get_by_index::<i64>(0)?)
}

/// The first office, its first regency or city, that government's first OPD
/// and its current agreement, and the latest assessment period.
async fn subjects(db: &pendamping_engine::Db) -> anyhow::Result<Subjects> {
    let office = scalar(db, "SELECT MIN(id) FROM offices")
        .await
        .context("no offices: load a data set first (`pendamping seed national`)")?;
    let district = scalar(
        db,
        &format!(
            "SELECT COALESCE(MIN(CASE WHEN kind <> 'PROVINCE' THEN id END), MIN(id)) \
             FROM districts WHERE office_id = {office}"
        ),
    )
    .await?;
    let opd = scalar(
        db,
        &format!("SELECT MIN(id) FROM opds WHERE district_id = {district}"),
    )
    .await?;
    let agreement = scalar(
        db,
        &format!(
            "SELECT COALESCE(MAX(CASE WHEN status = 'ACTIVE' THEN id END), MAX(id)) \
             FROM agreements WHERE district_id = {district}"
        ),
    )
    .await?;
    // WIB, WITA, WIT: fixed offsets, no daylight saving.
    let offset = scalar(
        db,
        &format!(
            "SELECT CASE time_zone WHEN 'Asia/Jayapura' THEN 9 WHEN 'Asia/Makassar' THEN 8 ELSE 7 END \
             FROM districts WHERE id = {district}"
        ),
    )
    .await?;
    let (period, year) = (
        scalar(db, "SELECT MAX(id) FROM assessment_periods").await?,
        scalar(db, "SELECT MAX(year) FROM assessment_periods").await?,
    );
    Ok(Subjects {
        office,
        district,
        opd,
        agreement,
        period,
        year,
        today: (SystemClock.now() + chrono::Duration::hours(offset)).date_naive(),
        utc_offset: offset,
    })
}

/// Values for the variables a dashboard declares, by name.
fn variables(dashboard: &Dashboard, s: &Subjects) -> anyhow::Result<Value> {
    let mut map = serde_json::Map::new();
    for (name, ty) in &dashboard.variables {
        let lower = name.to_lowercase();
        let value = if lower.contains("district") {
            json!(global_id("District", s.district))
        } else if lower.contains("office") {
            json!(global_id("Office", s.office))
        } else if lower.contains("agreement") {
            json!(global_id("Agreement", s.agreement))
        } else if lower.contains("opd") {
            json!(global_id("Opd", s.opd))
        } else if lower.contains("period") && ty.starts_with("ID") {
            json!(global_id("AssessmentPeriod", s.period))
        } else if lower.contains("year") {
            json!(s.year)
        } else if ty.ends_with('!') {
            bail!(
                "{}: no value for the required variable ${name}: {ty}",
                dashboard.title
            );
        } else {
            continue;
        };
        map.insert(name.clone(), value);
    }
    Ok(Value::Object(map))
}

/// `{office_id}`, `{district_id}`, … in hand-written SQL, filled with raw ids.
fn fill_sql(sql: &str, s: &Subjects) -> String {
    sql.replace("{office_id}", &s.office.to_string())
        .replace("{district_id}", &s.district.to_string())
        .replace("{opd_id}", &s.opd.to_string())
        .replace("{agreement_id}", &s.agreement.to_string())
        .replace("{period_id}", &s.period.to_string())
        .replace("{year}", &s.year.to_string())
        .replace("{today}", &s.today.to_string())
        .replace("{this_monday}", &s.this_monday().to_string())
        .replace("{utc_offset}", &s.utc_offset.to_string())
}

/// The hand-written SQL of a dashboard: `sql/<key>.<backend>.sql`, else `sql/<key>.sql`;
/// statements separated by lines ending in `;`.
fn hand_sql(dir: &Path, key: &str, backend: DatabaseBackend) -> Option<Vec<String>> {
    let suffix = match backend {
        DatabaseBackend::Postgres => "postgres",
        _ => "sqlite",
    };
    let text = std::fs::read_to_string(dir.join(format!("{key}.{suffix}.sql")))
        .or_else(|_| std::fs::read_to_string(dir.join(format!("{key}.sql"))))
        .ok()?;
    let statements: Vec<String> = text
        .split(";\n")
        .map(|s| {
            s.lines()
                .filter(|l| !l.trim_start().starts_with("--"))
                .collect::<Vec<_>>()
                .join("\n")
        })
        .map(|s| s.trim().trim_end_matches(';').to_owned())
        .filter(|s| !s.is_empty())
        .collect();
    (!statements.is_empty()).then_some(statements)
}

use load::percentiles;

/// A child process, stopped when dropped.
pub(crate) struct Process(pub(crate) Child);

impl Process {
    /// Its peak resident set so far (`VmHWM`), in MB, while it runs (Linux).
    pub(crate) fn peak_rss_mb(&self) -> Option<f64> {
        peak_rss_mb(self.0.id())
    }
}

/// The peak resident set (`VmHWM`) of a process, in MB (Linux only).
pub(crate) fn peak_rss_mb(pid: u32) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub(crate) async fn start_server(
    binary: &Path,
    database_url: &str,
    answer_cache: bool,
) -> anyhow::Result<(Process, String)> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let child = Command::new(binary)
        .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
        .env("DATABASE_URL", database_url)
        .env("PENDAMPING_LOG", "error")
        // The deadline sweeper would write beside the measured reads; a
        // benchmark of dashboards runs without it.
        .env("PENDAMPING_SWEEP_INTERVAL_SECS", "0")
        .env(
            "PENDAMPING_ANSWER_CACHE_MB",
            if answer_cache { "64" } else { "0" },
        )
        .stdout(Stdio::null())
        .spawn()
        .with_context(|| {
            format!(
                "starting {} (build it: cargo build --release -p pendamping)",
                binary.display()
            )
        })?;
    let process = Process(child);
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if let Ok(response) = client.get(format!("{base}/readyz")).send().await
            && response.status().is_success()
        {
            return Ok((process, base));
        }
        if Instant::now() > deadline {
            bail!("the server at {base} did not become ready in 120 s");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn bench_database(
    args: &RunArgs,
    url: &str,
    dashboards: &[Dashboard],
) -> anyhow::Result<Vec<Line>> {
    let counter = StatementCounter::default();
    let db = pendamping_engine::connect(url, Some(counter.clone()))
        .await
        .with_context(|| format!("connecting to {url}"))?;
    let backend = db.get_database_backend();
    let backend_name = match backend {
        DatabaseBackend::Postgres => "PostgreSQL",
        _ => "SQLite",
    };
    let engine = Engine::new(
        db.clone(),
        Arc::new(SystemClock),
        AuthConfig::default(),
        BlobStore::in_memory(),
    );
    let s = subjects(&db).await?;
    eprintln!(
        "{backend_name}: office {}, district {}, agreement {}",
        s.office, s.district, s.agreement
    );

    // Dashboard tokens, as a wall screen would hold: the district board reads
    // with a district token, the others with an office token.
    let system = Actor::system("pendamping-bench");
    let token = |label, scope| engine.create_api_token(&system, label, scope, None);
    let office_token = token("bench office board", Scope::Office(OfficeId(s.office)))
        .await?
        .token;
    let district_token = token(
        "bench district board",
        Scope::District(DistrictId(s.district)),
    )
    .await?
    .token;

    let schema = pendamping_api::schema();
    // Two servers: one computing every answer afresh (the engine's own
    // throughput) and, on PostgreSQL, one as deployed, reusing an answer
    // while the database snapshot stays the same.
    let server = match (&args.url, args.no_http) {
        (_, true) => None,
        (Some(url), false) => Some((None, url.trim_end_matches('/').to_owned())),
        (None, false) => {
            let (process, base) = start_server(&args.server, url, false).await?;
            Some((Some(process), base))
        }
    };
    let kept_server = match (&args.url, args.no_http, backend) {
        (None, false, DatabaseBackend::Postgres) => {
            Some(start_server(&args.server, url, true).await?)
        }
        _ => None,
    };

    let mut lines = Vec::new();
    for dashboard in dashboards {
        let token = if dashboard.key.contains("district") {
            &district_token
        } else {
            &office_token
        };
        let actor = engine.authenticate(token).await?;
        let variables = variables(dashboard, &s)?;
        // The documented queries name demo rows by literal global ids: ask about ours.
        let (query, replaced) = dashboards::substitute_ids(&dashboard.query, |kind| match kind {
            "Office" => Some(global_id("Office", s.office)),
            "District" => Some(global_id("District", s.district)),
            "Opd" => Some(global_id("Opd", s.opd)),
            "Agreement" => Some(global_id("Agreement", s.agreement)),
            "AssessmentPeriod" => Some(global_id("AssessmentPeriod", s.period)),
            _ => None,
        });
        if !replaced.is_empty() {
            eprintln!("{}: {}", dashboard.title, replaced.join(", "));
        }
        let dashboard = &Dashboard {
            query,
            ..dashboard.clone()
        };

        // In process: warm up, check the answer, then time N runs.
        let first = execute(&schema, &engine, &actor, token, dashboard, &variables).await?;
        let errors = &first["errors"];
        if errors.as_array().is_some_and(|e| !e.is_empty()) {
            bail!("{} answers with errors: {errors}", dashboard.title);
        }
        for _ in 0..5 {
            execute(&schema, &engine, &actor, token, dashboard, &variables).await?;
        }
        let mut samples = Vec::with_capacity(args.runs);
        let mut statements = (u64::MAX, 0);
        for _ in 0..args.runs {
            let before = counter.get();
            let started = Instant::now();
            execute(&schema, &engine, &actor, token, dashboard, &variables).await?;
            samples.push(started.elapsed().as_secs_f64() * 1000.0);
            let issued = counter.get() - before;
            statements = (statements.0.min(issued), statements.1.max(issued));
        }
        let graphql = percentiles(samples);

        // The hand-written SQL for the same answer.
        let hand = hand_sql(&args.sql_dir, &dashboard.key, backend);
        let mut sql = None;
        if let Some(statements) = &hand {
            let statements: Vec<String> = statements.iter().map(|q| fill_sql(q, &s)).collect();
            let mut samples = Vec::with_capacity(args.runs);
            for run in 0..args.runs + 5 {
                let started = Instant::now();
                for q in &statements {
                    db.query_all_raw(Statement::from_string(backend, q.clone()))
                        .await
                        .with_context(|| {
                            format!("{}: hand-written SQL failed:\n{q}", dashboard.key)
                        })?;
                }
                if run >= 5 {
                    samples.push(started.elapsed().as_secs_f64() * 1000.0);
                }
            }
            sql = Some(percentiles(samples));
        } else {
            eprintln!(
                "{}: no {}/{}.sql; the SQL columns stay empty",
                dashboard.title,
                args.sql_dir.display(),
                dashboard.key
            );
        }

        // Over HTTP, against the real server.
        let targets = Arc::new(vec![load::Target::new(
            &json!({ "query": dashboard.query, "variables": variables }),
            Some(token),
        )]);
        let hammer_all = async |base: &str| -> anyhow::Result<Vec<(usize, f64, u64)>> {
            let mut figures = Vec::new();
            for clients in &args.concurrency {
                let figure = load::hammer(
                    &format!("{base}/graphql"),
                    &targets,
                    *clients,
                    Duration::from_secs_f64(args.duration),
                )
                .await?;
                figures.push((*clients, figure.per_second, figure.errors));
            }
            Ok(figures)
        };
        let http = match &server {
            Some((_, base)) => hammer_all(base).await?,
            None => Vec::new(),
        };
        let http_kept = match &kept_server {
            Some((_, base)) => hammer_all(base).await?,
            None => Vec::new(),
        };
        eprintln!(
            "{backend_name} {}: {}–{} statements, p50 {:.2} ms",
            dashboard.title, statements.0, statements.1, graphql.0
        );
        lines.push(Line {
            dashboard: dashboard.title.clone(),
            backend: backend_name,
            statements,
            graphql,
            sql_statements: hand.as_ref().map(Vec::len),
            sql,
            http,
            http_kept,
        });
    }
    drop(server);
    drop(kept_server);
    Ok(lines)
}

async fn execute(
    schema: &ApiSchema,
    engine: &Engine,
    actor: &Actor,
    token: &str,
    dashboard: &Dashboard,
    variables: &Value,
) -> anyhow::Result<Value> {
    let (context, loader) = RequestContext::new(
        engine.clone(),
        Some(actor.clone()),
        Some(token.to_owned()),
        Some("127.0.0.1".into()),
    );
    let request = context.attach(
        loader,
        Request::new(dashboard.query.clone()).variables(Variables::from_json(variables.clone())),
    );
    let response = schema.execute(request).await;
    Ok(serde_json::to_value(&response)?)
}
