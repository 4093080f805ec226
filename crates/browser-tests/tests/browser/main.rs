//! Pendamping in a real browser: the real server binary (`serve --demo` on a
//! free port over a fresh SQLite database) and Debian's headless Chromium,
//! driven over the DevTools protocol. One server and one Chromium serve all
//! scenarios, which run in order; every scenario's tab is its own browser
//! context (its own cookies). Screenshots go to `target/browser-screenshots/`.
//!
//! Run: `cargo build -p pendamping && cargo test -p pendamping-browser-tests --features chromium`
//! (a name after `--` runs the scenarios whose name contains it). Without
//! Chromium the run FAILS and says how to install it; it is never skipped.

#![allow(
    clippy::unwrap_used,
    reason = "a test should fail loudly on an unexpected shape"
)]

mod kit;
mod scenarios;

use std::future::Future;
use std::pin::Pin;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use kit::{Chromium, Server};

/// What every scenario gets: the server and the browser.
pub struct World {
    pub server: Server,
    pub chromium: Chromium,
}

type Scenario =
    for<'a> fn(&'a World) -> Pin<Box<dyn Future<Output = anyhow::Result<()>> + Send + 'a>>;

/// The longest a scenario may run.
const SCENARIO_LIMIT: Duration = Duration::from_secs(180);

fn main() -> ExitCode {
    let filter: Vec<String> = std::env::args()
        .skip(1)
        .filter(|arg| !arg.starts_with('-'))
        .collect();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("browser tests: no async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(run(filter))
}

async fn run(filter: Vec<String>) -> ExitCode {
    let started = Instant::now();
    let selected: Vec<(&str, Scenario)> = scenarios::ALL
        .iter()
        .copied()
        .filter(|(name, _)| filter.is_empty() || filter.iter().any(|f| name.contains(f.as_str())))
        .collect();
    println!("\nrunning {} browser scenarios", selected.len());

    // A full run starts from an empty screenshot folder: no stale pictures.
    if filter.is_empty() {
        let _ = std::fs::remove_dir_all(kit::screenshot_dir());
    }
    // No Chromium, no server: the whole run fails, loudly.
    let world = match set_up().await {
        Ok(world) => world,
        Err(err) => {
            eprintln!("\nbrowser tests FAILED before any scenario: {err:#}\n");
            println!("0 passed, {} failed", selected.len().max(1));
            return ExitCode::FAILURE;
        }
    };
    println!(
        "server {} and Chromium ready in {:.1?}",
        world.server.base,
        started.elapsed()
    );

    let mut failed = Vec::new();
    for (name, scenario) in &selected {
        let began = Instant::now();
        let outcome = tokio::time::timeout(SCENARIO_LIMIT, scenario(&world)).await;
        let outcome = match outcome {
            Ok(result) => result,
            Err(_) => Err(anyhow::anyhow!("did not finish in {SCENARIO_LIMIT:?}")),
        };
        match outcome {
            Ok(()) => println!("test {name} ... ok ({:.1?})", began.elapsed()),
            Err(err) => {
                println!("test {name} ... FAILED ({:.1?})", began.elapsed());
                eprintln!("\n---- {name} ----\n{err:#}\n");
                failed.push(*name);
            }
        }
    }
    if !failed.is_empty() {
        let log = world.server.log();
        let tail: Vec<&str> = log.lines().rev().take(40).collect();
        eprintln!("---- server log (last lines) ----");
        for line in tail.iter().rev() {
            eprintln!("{line}");
        }
    }
    let World { server, chromium } = world;
    chromium.close().await;
    drop(server);

    println!(
        "\nscreenshots in {}\nbrowser scenarios took {:.1?}",
        kit::screenshot_dir()
            .canonicalize()
            .unwrap_or_else(|_| kit::screenshot_dir())
            .display(),
        started.elapsed()
    );
    if !failed.is_empty() {
        println!("failures: {}", failed.join(", "));
    }
    println!(
        "{} passed, {} failed",
        selected.len() - failed.len(),
        failed.len()
    );
    if failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

async fn set_up() -> anyhow::Result<World> {
    // Chromium first: its absence is the likeliest failure and the clearest.
    kit::chromium()?;
    let server = Server::start()?;
    let chromium = Chromium::launch().await?;
    Ok(World { server, chromium })
}
