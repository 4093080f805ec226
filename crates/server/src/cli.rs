//! The command line: `serve`, `migrate`, `seed`, `schema`, `user`, `token`.

use std::io::Read as _;
use std::sync::Arc;

use anyhow::{Context as _, bail};
use clap::{Parser, Subcommand};
use pendamping_domain::deadline::DeadlinePolicy;
use pendamping_domain::identity::{Actor, Role, RoleAssignment};
use pendamping_engine::{AuthConfig, BlobStore, Engine, NewUser, SystemClock};

use crate::config;

/// Pendamping: compliance-mentoring cooperation between the Ombudsman RI and local governments.
#[derive(Debug, Parser)]
#[command(name = "pendamping", version, about)]
pub struct Cli {
    /// Database: `sqlite://…` or `postgres://…`. Default: an SQLite file under ./data/.
    #[arg(long, env = "DATABASE_URL", global = true, hide_env_values = true)]
    pub database_url: Option<String>,

    /// Directory for uploaded evidence files (stored by SHA-256). Default: ./data/evidence.
    #[arg(long, env = "PENDAMPING_EVIDENCE_DIR", global = true)]
    pub evidence_dir: Option<String>,

    /// Keep evidence in an S3-compatible bucket instead: `s3://bucket/prefix`,
    /// credentials and endpoint from the standard `AWS_*` variables.
    #[arg(
        long,
        env = "PENDAMPING_EVIDENCE_STORE",
        global = true,
        conflicts_with = "evidence_dir"
    )]
    pub evidence_store: Option<String>,

    /// Log filter (tracing's EnvFilter syntax); `RUST_LOG` overrides it.
    #[arg(
        long,
        env = "PENDAMPING_LOG",
        default_value = "info,sqlx=warn",
        global = true
    )]
    pub log: String,

    /// Log format: `text` (for people) or `json` (one JSON object a line, each
    /// with the request's `x-request-id` in its span fields, for log shippers).
    #[arg(
        long,
        env = "PENDAMPING_LOG_FORMAT",
        value_enum,
        default_value = "text",
        global = true
    )]
    pub log_format: crate::config::LogFormat,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Migrates the database and serves the web pages (at /) and the API (GraphiQL at /graphql).
    Serve {
        /// Address to listen on.
        #[arg(long, env = "PENDAMPING_BIND", default_value = config::DEFAULT_BIND)]
        bind: String,
        /// Loads the demo data set (Mamuju Tengah, 2021) and its demo users into the database first.
        #[arg(long)]
        demo: bool,
        #[command(flatten)]
        events: EventSettings,
        #[command(flatten)]
        deadlines: DeadlineSettings,
        /// Seconds between two passes of the deadline sweeper inside the server; 0 turns it off (run `pendamping sweep` from cron instead).
        #[arg(long, env = "PENDAMPING_SWEEP_INTERVAL_SECS", default_value_t = 900)]
        sweep_interval_secs: u64,
        /// Megabytes of answers to read-only queries kept for reuse while nothing the caller can read has changed (per-district, per-office and global change counters bumped by database triggers) and the date stays the same (repeated dashboard refreshes); 0 turns it off.
        #[arg(long, env = "PENDAMPING_ANSWER_CACHE_MB", default_value_t = 64)]
        answer_cache_mb: usize,
        /// GraphQL requests over HTTP executed at once; the others wait in the order they came, so a burst does not make some answers much slower than the rest (0: no limit).
        #[arg(long, env = "PENDAMPING_GRAPHQL_CONCURRENCY", default_value_t = pendamping_api::DEFAULT_GRAPHQL_CONCURRENCY)]
        graphql_concurrency: usize,
        /// Mark the web session cookie `Secure`: set it when browsers reach the server over HTTPS (e.g. behind a TLS-terminating proxy).
        #[arg(long, env = "PENDAMPING_SECURE_COOKIES")]
        secure_cookies: bool,
        /// A proxy (address or CIDR range) whose `Forwarded` / `X-Forwarded-For` headers name the client, for login throttling; repeat it for several. The environment variable takes a comma-separated list. Without it, the socket's peer is the client.
        #[arg(
            long = "trusted-proxy",
            env = "PENDAMPING_TRUSTED_PROXIES",
            value_delimiter = ','
        )]
        trusted_proxies: Vec<String>,
        /// A bearer token that may read `GET /metrics` (Prometheus) from anywhere. Without it, only requests from the server's own host (loopback, no `X-Forwarded-For`/`Forwarded` header) may.
        #[arg(long, env = "PENDAMPING_METRICS_TOKEN", hide_env_values = true)]
        metrics_token: Option<String>,
        #[command(flatten)]
        mail: crate::exchange_cli::MailSettings,
    },
    /// One pass of the deadline sweeper (for cron): raises due-soon reminders,
    /// overdue events and escalations, each once, and prints what it did.
    Sweep {
        #[command(flatten)]
        deadlines: DeadlineSettings,
    },
    /// Applies every pending migration and exits.
    Migrate,
    /// Loads a data set.
    Seed {
        #[command(subcommand)]
        set: SeedSet,
    },
    /// Prints the GraphQL schema (SDL).
    Schema,
    /// Writes an online, consistent copy of an SQLite database to a new file
    /// (`VACUUM INTO`), safe while the server runs. For PostgreSQL use
    /// `pg_dump` (docs/operations.md).
    Backup {
        /// The file to write; it must not exist yet.
        #[arg(long)]
        to: std::path::PathBuf,
    },
    /// Manages users.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Manages dashboard API tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Imports a spreadsheet (.xlsx or .csv), all or nothing.
    Import {
        /// What the file holds.
        #[arg(value_enum)]
        kind: crate::exchange_cli::ImportKind,
        /// The file.
        file: std::path::PathBuf,
        /// Check the file and report, without writing.
        #[arg(long)]
        dry_run: bool,
        /// Write the kind's ready-to-fill template (.xlsx) to FILE instead of importing.
        #[arg(long, conflicts_with = "dry_run")]
        template: bool,
    },
    /// Writes a rapor (PDF, in Indonesian).
    Report {
        #[command(subcommand)]
        command: crate::exchange_cli::ReportCommand,
    },
}

/// The deadline sweeper's thresholds, in days.
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct DeadlineSettings {
    /// Remind the assignee this many days before a due date.
    #[arg(long, env = "PENDAMPING_REMINDER_DAYS", default_value_t = 3)]
    pub reminder_days: u32,
    /// Escalate to the district coordinator when overdue by more than this many days.
    #[arg(long, env = "PENDAMPING_ESCALATE_DISTRICT_DAYS", default_value_t = 7)]
    pub escalate_district_days: u32,
    /// Escalate to the Ombudsman office when overdue by more than this many days.
    #[arg(long, env = "PENDAMPING_ESCALATE_OFFICE_DAYS", default_value_t = 30)]
    pub escalate_office_days: u32,
    /// Remind the office's assessors when a submitted action item has waited
    /// for verification more than this many days.
    #[arg(long, env = "PENDAMPING_VERIFY_WITHIN_DAYS", default_value_t = 14)]
    pub verify_within_days: u32,
}

impl DeadlineSettings {
    fn policy(self) -> anyhow::Result<DeadlinePolicy> {
        let policy = DeadlinePolicy {
            reminder_days: self.reminder_days,
            escalate_district_days: self.escalate_district_days,
            escalate_office_days: self.escalate_office_days,
            verify_within_days: self.verify_within_days,
        };
        policy.validate().map_err(|errors| {
            anyhow::anyhow!(
                "deadline settings: {}",
                errors
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; ")
            )
        })?;
        Ok(policy)
    }
}

/// Live events and webhooks.
#[derive(Debug, Clone, clap::Args)]
pub struct EventSettings {
    /// Accept webhook URLs with plain http:// to this machine (127.0.0.1, ::1, localhost). HTTPS is required otherwise.
    #[arg(long, env = "PENDAMPING_WEBHOOK_ALLOW_HTTP_LOOPBACK")]
    pub webhook_allow_http_loopback: bool,
    /// Hosts (names or addresses, comma-separated) webhooks may reach although they resolve to loopback, private, link-local or metadata addresses; refused otherwise, at registration and again at delivery, after DNS.
    #[arg(long, env = "PENDAMPING_WEBHOOK_ALLOW_HOSTS", value_delimiter = ',')]
    pub webhook_allow_hosts: Vec<String>,
    /// Attempts per webhook delivery before it is given up.
    #[arg(long, env = "PENDAMPING_WEBHOOK_MAX_ATTEMPTS", default_value_t = 8)]
    pub webhook_max_attempts: i32,
    /// Wait after a failed webhook delivery, in milliseconds; doubled after each further failure (at most an hour).
    #[arg(
        long,
        env = "PENDAMPING_WEBHOOK_RETRY_BASE_MS",
        default_value_t = 10_000
    )]
    pub webhook_retry_base_ms: u64,
    /// The event relay's safety-net poll of the outbox, in milliseconds (events normally arrive at once).
    #[arg(long, env = "PENDAMPING_EVENT_POLL_MS", default_value_t = 2_000)]
    pub event_poll_ms: u64,
}

#[derive(Debug, Clone, Copy, Subcommand)]
pub enum SeedSet {
    /// The Mamuju Tengah scenario of the seed article, with demo users.
    Demo,
    /// A generated, deterministic national data set for benchmarks: at scale 1,
    /// 34 offices, 548 governments, ~22,000 OPDs, 1,000,000 action items, five
    /// assessment periods. Loads only into a database without reference data.
    National {
        /// Size relative to Indonesia (0 < F <= 2): governments and action items scale with it.
        #[arg(long, default_value_t = 1.0)]
        scale: f64,
        /// Seed of the generator: the same seed, scale and date give the same rows.
        #[arg(long, default_value_t = pendamping_seed::national::DEFAULT_SEED)]
        seed: u64,
        /// The day the data set is "today" (YYYY-MM-DD); default 2026-11-28.
        #[arg(long)]
        as_of: Option<chrono::NaiveDate>,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Creates a user. The password is read from standard input (first line).
    Create {
        #[arg(long)]
        email: String,
        /// SYSTEM_ADMIN, OMBUDSMAN_LEAD, OMBUDSMAN_ASSESSOR, DISTRICT_COORDINATOR, OPD_OFFICER or VIEWER.
        #[arg(long)]
        role: String,
        /// `office:<code or id>`, `district:<name or id>`, `opd:<id>` or `opd:<district name>/<OPD name>`; none for SYSTEM_ADMIN.
        #[arg(long)]
        scope: Option<String>,
        /// Name as shown (a title is fine). Defaults to the e-mail.
        #[arg(long)]
        display_name: Option<String>,
    },
    /// Sets a user's password (the first admin's, or recovery) and ends all
    /// of the user's sessions. The password is read from standard input (first line).
    SetPassword {
        #[arg(long)]
        email: String,
    },
    /// Deactivates a user: no more logins, and every session ends at once.
    Deactivate {
        #[arg(long)]
        email: String,
    },
    /// Reactivates a deactivated user.
    Reactivate {
        #[arg(long)]
        email: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Creates a read-only dashboard token and prints it once.
    Create {
        /// Only VIEWER tokens exist.
        #[arg(long, default_value = "VIEWER")]
        role: String,
        /// `office:<code or id>` or `district:<name or id>`.
        #[arg(long)]
        scope: String,
        /// What the token is for.
        #[arg(long, default_value = "dashboard")]
        label: String,
    },
    /// Revokes a dashboard token by the id `token create` printed (never a login session).
    Revoke { id: i64 },
}

async fn engine(cli: &Cli) -> anyhow::Result<Engine> {
    let url = config::database_url(cli.database_url.as_deref())?;
    tracing::info!(database = %config::redact(&url), "connecting");
    let db = pendamping_engine::connect(&url, None)
        .await
        .with_context(|| format!("connecting to {}", config::redact(&url)))?;
    pendamping_engine::migrate(&db).await.context("migrating")?;
    let blobs = match cli.evidence_store.as_deref().map(str::trim) {
        Some(url) if !url.is_empty() => BlobStore::s3(url, &[])?,
        _ => BlobStore::local(&config::blob_dir(cli.evidence_dir.as_deref()))?,
    };
    Ok(Engine::new(
        db,
        Arc::new(SystemClock),
        AuthConfig::default(),
        blobs,
    ))
}

/// The command line acts as the system: it is run by whoever runs the server.
fn system() -> Actor {
    Actor::system("cli")
}

fn read_password() -> anyhow::Result<String> {
    let mut input = String::new();
    std::io::stdin()
        .read_to_string(&mut input)
        .context("reading the password from standard input")?;
    let password = input.lines().next().unwrap_or_default().to_owned();
    if password.is_empty() {
        bail!(
            "no password on standard input; pipe it in, e.g. `echo \"$PASSWORD\" | pendamping user create …`"
        );
    }
    Ok(password)
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match &cli.command {
        Command::Schema => {
            print!("{}", pendamping_api::sdl());
            Ok(())
        }
        Command::Migrate => {
            engine(&cli).await?;
            println!("migrated");
            Ok(())
        }
        Command::Seed { set: SeedSet::Demo } => {
            let engine = engine(&cli).await?;
            let report = pendamping_seed::demo::load(&engine).await?;
            println!("{report}");
            Ok(())
        }
        Command::Seed {
            set: SeedSet::National { scale, seed, as_of },
        } => {
            let mut options = pendamping_seed::national::NationalOptions::new(*scale)
                .map_err(|e| anyhow::anyhow!("--scale: {e}"))?;
            options.seed = *seed;
            if let Some(day) = as_of {
                options.as_of = *day;
            }
            let engine = engine(&cli).await?;
            let report = pendamping_seed::national::load(&engine, options).await?;
            println!("{report}");
            Ok(())
        }
        Command::Sweep { deadlines } => {
            let policy = deadlines.policy()?;
            let engine = engine(&cli).await?;
            let report = engine.sweep_deadlines(&policy).await?;
            println!("{report}");
            Ok(())
        }
        Command::Serve {
            bind,
            demo,
            events,
            deadlines,
            sweep_interval_secs,
            answer_cache_mb,
            graphql_concurrency,
            secure_cookies,
            trusted_proxies,
            metrics_token,
            mail,
        } => {
            let trusted_proxies = trusted_proxies
                .iter()
                .filter(|p| !p.trim().is_empty())
                .map(|p| pendamping_api::client::parse_trusted_proxy(p))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| {
                    anyhow::anyhow!("--trusted-proxy / PENDAMPING_TRUSTED_PROXIES: {e}")
                })?;
            let policy = deadlines.policy()?;
            let sweeper = (*sweep_interval_secs > 0)
                .then(|| (policy, std::time::Duration::from_secs(*sweep_interval_secs)));
            if events.webhook_max_attempts < 1 {
                bail!(
                    "--webhook-max-attempts / PENDAMPING_WEBHOOK_MAX_ATTEMPTS must be at least 1"
                );
            }
            let engine =
                engine(&cli)
                    .await?
                    .with_webhook_config(pendamping_engine::WebhookConfig {
                        allow_http_loopback: events.webhook_allow_http_loopback,
                        allow_hosts: events
                            .webhook_allow_hosts
                            .iter()
                            .map(|h| h.trim().to_owned())
                            .filter(|h| !h.is_empty())
                            .collect(),
                        max_attempts: events.webhook_max_attempts,
                        retry_base: std::time::Duration::from_millis(
                            events.webhook_retry_base_ms.max(1),
                        ),
                        ..pendamping_engine::WebhookConfig::default()
                    });
            if *demo {
                let report = pendamping_seed::demo::load(&engine).await?;
                tracing::info!("{report}");
            }
            let relay = pendamping_engine::RelayOptions {
                poll_interval: std::time::Duration::from_millis(events.event_poll_ms.max(10)),
                ..pendamping_engine::RelayOptions::default()
            };
            let api = pendamping_api::ApiConfig {
                answer_cache_bytes: answer_cache_mb.saturating_mul(1024 * 1024),
                graphql_concurrency: *graphql_concurrency,
                trusted_proxies,
                ..pendamping_api::ApiConfig::default()
            };
            let web = pendamping_web::WebConfig {
                secure_cookies: *secure_cookies,
            };
            crate::exchange_cli::start_mailer(&engine, mail)?;
            let metrics = crate::serve::MetricsAccess {
                token: metrics_token
                    .as_deref()
                    .map(str::trim)
                    .filter(|t| !t.is_empty())
                    .map(str::to_owned),
            };
            crate::serve::serve(engine, bind, api, web, relay, sweeper, metrics).await
        }
        Command::User {
            command:
                UserCommand::Create {
                    email,
                    role,
                    scope,
                    display_name,
                },
        } => {
            let engine = engine(&cli).await?;
            let role: Role = role.parse().map_err(|e| anyhow::anyhow!("--role: {e}"))?;
            let scope = engine
                .resolve_scope(scope.as_deref())
                .await
                .map_err(|e| anyhow::anyhow!("--scope: {e}"))?;
            let assignment =
                RoleAssignment::new(role, scope).map_err(|e| anyhow::anyhow!("--scope: {e}"))?;
            let password = read_password()?;
            let user = engine
                .create_user(
                    &system(),
                    NewUser {
                        email: email.clone(),
                        display_name: display_name.clone().unwrap_or_else(|| email.clone()),
                        password,
                        assignments: vec![assignment],
                    },
                )
                .await?;
            println!("created user {} ({})", user.email, user.id);
            Ok(())
        }
        Command::User {
            command: UserCommand::SetPassword { email },
        } => {
            let engine = engine(&cli).await?;
            let password = read_password()?;
            let user = engine
                .set_password_by_email(&system(), email, &password)
                .await?;
            println!(
                "set the password of {} ({}); its sessions ended",
                user.email, user.id
            );
            Ok(())
        }
        Command::User {
            command:
                command @ (UserCommand::Deactivate { email } | UserCommand::Reactivate { email }),
        } => {
            let active = matches!(command, UserCommand::Reactivate { .. });
            let engine = engine(&cli).await?;
            let user = engine.set_active_by_email(&system(), email, active).await?;
            let (email, id) = (&user.user.email, user.user.id);
            if active {
                println!("reactivated {email} ({id})");
            } else {
                println!("deactivated {email} ({id}); its sessions ended");
            }
            Ok(())
        }
        Command::Token {
            command: TokenCommand::Create { role, scope, label },
        } => {
            if role != "VIEWER" {
                bail!("--role: dashboard tokens are VIEWER tokens");
            }
            let engine = engine(&cli).await?;
            let scope = engine
                .resolve_scope(Some(scope))
                .await
                .map_err(|e| anyhow::anyhow!("--scope: {e}"))?;
            let issued = engine
                .create_api_token(&system(), label, scope, None)
                .await?;
            println!("token id {}", issued.id);
            println!("{}", issued.token);
            Ok(())
        }
        Command::Import {
            kind,
            file,
            dry_run,
            template,
        } => {
            let engine = engine(&cli).await?;
            if *template {
                return crate::exchange_cli::template(&engine, *kind, file).await;
            }
            crate::exchange_cli::import(&engine, *kind, file, *dry_run).await
        }
        Command::Report { command } => {
            let engine = engine(&cli).await?;
            crate::exchange_cli::report(&engine, command).await
        }
        Command::Backup { to } => {
            let url = config::database_url(cli.database_url.as_deref())?;
            if !url.starts_with("sqlite:") {
                bail!(
                    "backup copies SQLite databases; for PostgreSQL use pg_dump (docs/operations.md)"
                );
            }
            if to.exists() {
                bail!("--to: {} exists already; choose a new file", to.display());
            }
            let db = pendamping_engine::connect(&url, None)
                .await
                .with_context(|| format!("connecting to {}", config::redact(&url)))?;
            pendamping_storage::backup_sqlite(&db, to)
                .await
                .with_context(|| format!("backing up to {}", to.display()))?;
            println!("backed up to {}", to.display());
            Ok(())
        }
        Command::Token {
            command: TokenCommand::Revoke { id },
        } => {
            let engine = engine(&cli).await?;
            engine
                .revoke_api_token(&system(), pendamping_domain::ids::AccessTokenId(*id))
                .await?;
            println!("revoked token {id}");
            Ok(())
        }
    }
}
