//! PostGraphile 5 (from npm) over the same database: installed by the bench
//! into `target/postgraphile5` from `crates/bench/postgraphile/package.json`
//! (PostGraphile 5.1.5, simplify-inflection, connection-filter, and Node 22
//! as the npm package `node`: PostGraphile 5 needs Node >= 22), started with
//! `crates/bench/postgraphile/graphile.config.mjs` (amber preset, a pool of 16).

use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use serde_json::json;

/// The files the installation is made from.
fn sources() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("postgraphile")
}

/// Installs (or keeps) PostGraphile 5 under `dir`: `npm install` when the
/// package list changed or nothing is installed yet.
pub fn install(dir: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir)?;
    let package = std::fs::read(sources().join("package.json"))?;
    let config = std::fs::read(sources().join("graphile.config.mjs"))?;
    let installed = std::fs::read(dir.join("package.json")).ok();
    std::fs::write(dir.join("graphile.config.mjs"), config)?;
    let ready = installed.as_deref() == Some(&package[..])
        && dir.join("node_modules/.bin/node").exists()
        && dir
            .join("node_modules/postgraphile/dist/cli-run.js")
            .exists();
    if ready {
        return Ok(());
    }
    std::fs::write(dir.join("package.json"), &package)?;
    eprintln!(
        "installing PostGraphile 5 into {} (npm install)",
        dir.display()
    );
    let status = Command::new("npm")
        .args(["install", "--no-audit", "--no-fund", "--loglevel=error"])
        .current_dir(dir)
        .stdout(Stdio::null())
        .status()
        .context("running npm (is Node.js's npm on PATH?)")?;
    if !status.success() {
        bail!("npm install in {} failed", dir.display());
    }
    Ok(())
}

/// PostGraphile running in its own process group, stopped (the whole group) when dropped.
pub struct Server {
    child: std::process::Child,
    pub endpoint: String,
}

impl Server {
    /// Its process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Its peak resident set so far, in MB.
    pub fn peak_rss_mb(&self) -> Option<f64> {
        crate::peak_rss_mb(self.child.id())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // The group: node and anything it started.
        let _ = Command::new("kill")
            .args(["--", &format!("-{}", self.child.id())])
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts PostGraphile over `database_url` and waits until it answers.
pub async fn start(dir: &Path, database_url: &str) -> anyhow::Result<Server> {
    // The program is named from inside `dir`, where it runs.
    let dir = &dir
        .canonicalize()
        .with_context(|| format!("{} is not there", dir.display()))?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let log = std::fs::File::create(dir.join("postgraphile.log"))?;
    let child = Command::new(dir.join("node_modules/.bin/node"))
        .arg("node_modules/postgraphile/dist/cli-run.js")
        .args(["-C", "graphile.config.mjs"])
        .current_dir(dir)
        .env("DATABASE_URL", database_url)
        .env("PORT", port.to_string())
        .env("NODE_ENV", "production")
        .env("GRAPHILE_ENV", "production")
        .stdout(log.try_clone()?)
        .stderr(log)
        .process_group(0)
        .spawn()
        .context("starting PostGraphile")?;
    let server = Server {
        child,
        endpoint: format!("http://127.0.0.1:{port}/graphql"),
    };
    let client = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let probe = client
            .post(&server.endpoint)
            .json(&json!({ "query": "{ __typename }" }))
            .send()
            .await;
        if probe.is_ok_and(|r| r.status().is_success()) {
            return Ok(server);
        }
        if Instant::now() > deadline {
            bail!(
                "PostGraphile did not answer in 120 s: see {}",
                dir.join("postgraphile.log").display()
            );
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}
