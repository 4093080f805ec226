//! The command line of issue 16: `pendamping report …` (the rapor as PDF),
//! `pendamping import KIND FILE`, and the e-mail settings of `serve`.

use std::path::PathBuf;

use anyhow::{Context as _, bail};
use clap::Subcommand;
use pendamping_domain::identity::Actor;
use pendamping_engine::{Engine, MailConfig};

/// How reminders are sent by e-mail; without `--smtp-url` nothing is sent.
#[derive(Debug, Clone, clap::Args)]
pub struct MailSettings {
    /// SMTP server: `smtp://host:25` (plain), `smtp://host:587?tls=required` (STARTTLS),
    /// `smtps://user:password@host:465` (TLS). Unset: no e-mail is sent.
    #[arg(long, env = "PENDAMPING_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,
    /// The sender of reminders.
    #[arg(
        long,
        env = "PENDAMPING_SMTP_FROM",
        default_value = "Pendamping <noreply@localhost>"
    )]
    pub smtp_from: String,
    /// Where the web pages are served; links in e-mail start with it.
    #[arg(long, env = "PENDAMPING_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Seconds between two passes of the mailer.
    #[arg(long, env = "PENDAMPING_MAIL_POLL_SECS", default_value_t = 5)]
    pub mail_poll_secs: u64,
    /// The hour (WIB, 0–23) daily digests go out at.
    #[arg(long, env = "PENDAMPING_MAIL_DIGEST_HOUR", default_value_t = 7)]
    pub mail_digest_hour: u32,
}

impl MailSettings {
    /// The mailer's configuration, when an SMTP server is set.
    pub fn config(&self) -> anyhow::Result<Option<MailConfig>> {
        let Some(url) = self
            .smtp_url
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty())
        else {
            return Ok(None);
        };
        if self.mail_digest_hour > 23 {
            bail!("--mail-digest-hour must be 0–23");
        }
        let mut config = MailConfig::new(url, self.smtp_from.clone());
        config.public_url = self.public_url.clone();
        config.poll = std::time::Duration::from_secs(self.mail_poll_secs.max(1));
        config.digest_hour = self.mail_digest_hour;
        Ok(Some(config))
    }
}

/// Starts the mailer beside the server when SMTP is configured. It runs until
/// the process ends; a message being sent then is retried after its lease.
pub fn start_mailer(engine: &Engine, settings: &MailSettings) -> anyhow::Result<()> {
    match settings.config()? {
        Some(config) => {
            tracing::info!(from = %config.from, "e-mail reminders on");
            tokio::spawn(engine.clone().run_mailer(config, std::future::pending()));
        }
        None => tracing::info!("e-mail reminders off: no --smtp-url"),
    }
    Ok(())
}

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// The rapor of a district.
    District {
        /// The district's name, e.g. "Kabupaten Mamuju Tengah".
        #[arg(long)]
        name: String,
        /// The PDF file to write.
        #[arg(long)]
        out: PathBuf,
    },
    /// The rapor of a district's agreement (the active one, else the latest).
    Agreement {
        /// The district's name.
        #[arg(long)]
        district: String,
        /// The PDF file to write.
        #[arg(long)]
        out: PathBuf,
    },
}

pub async fn report(engine: &Engine, command: &ReportCommand) -> anyhow::Result<()> {
    let reader = engine.reader(&Actor::system("cli"));
    let started = std::time::Instant::now();
    let (bytes, out) = match command {
        ReportCommand::District { name, out } => {
            let district = pendamping_exchange::find_district(&reader, name)
                .await?
                .with_context(|| format!("--name: no district is called {name:?}"))?;
            (
                pendamping_exchange::district_rapor(&reader, district.id).await?,
                out,
            )
        }
        ReportCommand::Agreement { district, out } => {
            let found = pendamping_exchange::find_district(&reader, district)
                .await?
                .with_context(|| format!("--district: no district is called {district:?}"))?;
            let agreement = pendamping_exchange::agreements_of_district(&reader, found.id)
                .await?
                .into_iter()
                .next()
                .with_context(|| format!("{district} has no agreement"))?;
            (
                pendamping_exchange::agreement_rapor(&reader, agreement.id).await?,
                out,
            )
        }
    };
    std::fs::write(out, &bytes).with_context(|| format!("writing {}", out.display()))?;
    println!(
        "wrote {} ({} bytes) in {} ms",
        out.display(),
        bytes.len(),
        started.elapsed().as_millis()
    );
    Ok(())
}

/// What `pendamping import` can read.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ImportKind {
    /// An OPD list (columns as the `opds` export; Kode OPD, Nama baru, Status, Alasan to change OPDs).
    Opds,
    /// A score sheet (official results per district and OPD, with their provenance).
    Scores,
    /// A visit's findings (action items per OPD, linked to the visit's milestone).
    Findings,
}

impl ImportKind {
    fn of(self) -> pendamping_exchange::import::ImportKind {
        match self {
            ImportKind::Opds => pendamping_exchange::import::ImportKind::Opds,
            ImportKind::Scores => pendamping_exchange::import::ImportKind::Scores,
            ImportKind::Findings => pendamping_exchange::import::ImportKind::Findings,
        }
    }
}

/// `pendamping import KIND FILE --template`: the kind's ready-to-fill `.xlsx`.
pub async fn template(
    engine: &Engine,
    kind: ImportKind,
    file: &std::path::Path,
) -> anyhow::Result<()> {
    let bytes =
        pendamping_exchange::template::template(&engine.reader(&Actor::system("cli")), kind.of())
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
    std::fs::write(file, &bytes).with_context(|| format!("writing {}", file.display()))?;
    println!("wrote {} ({} bytes)", file.display(), bytes.len());
    Ok(())
}

/// `pendamping import KIND FILE`: all or nothing, acting as the system.
pub async fn import(
    engine: &Engine,
    kind: ImportKind,
    file: &std::path::Path,
    dry_run: bool,
) -> anyhow::Result<()> {
    let name = file.display().to_string();
    let format = pendamping_exchange::import::Format::of_file_name(&name)
        .with_context(|| format!("{name}: the file must be .xlsx or .csv"))?;
    let bytes = std::fs::read(file).with_context(|| format!("reading {name}"))?;
    let started = std::time::Instant::now();
    let outcome = pendamping_exchange::import::import(
        engine,
        &Actor::system("cli"),
        kind.of(),
        &bytes,
        format,
        dry_run,
    )
    .await?;
    for p in &outcome.problems {
        println!(
            "{} row {} column {:?} value {:?}: {} [{}] / {}",
            p.sheet, p.row, p.column, p.value, p.message_id, p.code, p.message_en
        );
    }
    if !outcome.problems.is_empty() {
        bail!(
            "{} problem(s): nothing was imported",
            outcome.problems.len()
        );
    }
    println!(
        "{}: {} created, {} updated, {} unchanged, {} rows/s, in {} ms",
        if outcome.applied {
            "imported"
        } else {
            "dry run"
        },
        outcome.created,
        outcome.updated,
        outcome.unchanged,
        ((outcome.created + outcome.updated + outcome.unchanged) as f64
            / started.elapsed().as_secs_f64().max(1e-6))
        .round(),
        started.elapsed().as_millis()
    );
    Ok(())
}
