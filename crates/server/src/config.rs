//! Configuration: flags and `PENDAMPING_*` / `DATABASE_URL` environment
//! variables, with defaults that run a newcomer's copy with no setup at all.
//! The README's configuration table lists the same settings.

use std::path::Path;

use anyhow::Context as _;

/// Where the embedded database lives when no URL is given.
pub const DEFAULT_DATA_DIR: &str = "./data";
pub const DEFAULT_SQLITE_URL: &str = "sqlite://./data/pendamping.db?mode=rwc";
pub const DEFAULT_BIND: &str = "127.0.0.1:8080";

/// The database URL to use, creating the data directory for the default SQLite file.
pub fn database_url(given: Option<&str>) -> anyhow::Result<String> {
    match given {
        Some(url) if !url.trim().is_empty() => {
            let url = url.trim();
            if !(url.starts_with("sqlite:")
                || url.starts_with("postgres://")
                || url.starts_with("postgresql://"))
            {
                anyhow::bail!(
                    "--database-url / DATABASE_URL must start with sqlite: or postgres://, not `{}`",
                    redact(url)
                );
            }
            Ok(url.to_owned())
        }
        _ => {
            std::fs::create_dir_all(Path::new(DEFAULT_DATA_DIR))
                .with_context(|| format!("creating {DEFAULT_DATA_DIR}"))?;
            Ok(DEFAULT_SQLITE_URL.to_owned())
        }
    }
}

/// Where evidence files are kept.
pub fn blob_dir(given: Option<&str>) -> std::path::PathBuf {
    match given {
        Some(dir) if !dir.trim().is_empty() => std::path::PathBuf::from(dir.trim()),
        _ => Path::new(DEFAULT_DATA_DIR).join("evidence"),
    }
}

/// A database URL fit for logs: the password, if any, replaced.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

/// Log targets that would write secrets (tokens in WebSocket frames) below INFO.
const SECRET_BEARING_TARGETS: [&str; 2] = ["tungstenite", "tokio_tungstenite"];

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object a line: `timestamp`, `level`, `fields.message`,
    /// `target`, and `span`/`spans` (the `request` span carries `id`, the
    /// request id returned to the client in `x-request-id`).
    Json,
}

/// Logs go to stderr through `tracing`; `RUST_LOG` or `--log` sets the filter.
pub fn init_tracing(filter: &str, format: LogFormat) {
    let mut filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(filter));
    // The WebSocket library logs whole frames at TRACE, `connection_init`
    // and its token among them: it is held at INFO whatever the filter says
    // (a directive added last replaces one for the same target).
    for target in SECRET_BEARING_TARGETS {
        if let Ok(directive) = format!("{target}=info").parse() {
            filter = filter.add_directive(directive);
        }
    }
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Text => logs.init(),
        LogFormat::Json => logs
            .json()
            .with_current_span(true)
            .with_span_list(true)
            .init(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_reach_the_logs() {
        assert_eq!(
            redact("postgres://app:s3cret@db.example:5432/pendamping"),
            "postgres://app:***@db.example:5432/pendamping"
        );
        assert_eq!(redact("sqlite://./data/x.db"), "sqlite://./data/x.db");
    }

    #[test]
    fn only_sqlite_and_postgres_are_accepted() {
        assert!(database_url(Some("mysql://x")).is_err());
        assert_eq!(
            database_url(Some("sqlite:///tmp/x.db?mode=rwc")).unwrap(),
            "sqlite:///tmp/x.db?mode=rwc"
        );
    }
}
