//! The practical limit: the hand-written statement (`hand.sql`, one statement
//! returning the answer as one JSON document) run by pgbench as ONE prepared
//! statement (`-M prepared`), a random district per execution, N connections.
//! Latency percentiles come from pgbench's per-transaction log.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use anyhow::{Context as _, bail};

use crate::load::{Figure, percentiles};

/// The one statement of `hand.sql`: its comment lines taken out, without
/// the closing `;`.
pub fn hand_statement(hand_sql: &str) -> String {
    let statement: String = hand_sql
        .lines()
        .filter(|l| !l.trim_start().starts_with("--"))
        .collect::<Vec<_>>()
        .join("\n");
    statement.trim().trim_end_matches(';').to_owned()
}

/// The statement of `hand.sql` with its comments taken out and `$1` bound to
/// pgbench's variable `:d`.
pub fn script(hand_sql: &str, districts: &[i64]) -> anyhow::Result<String> {
    let statement = hand_statement(hand_sql);
    if !statement.contains("$1") {
        bail!("hand.sql does not take the district id as $1");
    }
    let (first, last) = match (districts.iter().min(), districts.iter().max()) {
        (Some(first), Some(last)) => (*first, *last),
        _ => bail!("no districts"),
    };
    // pgbench draws from a range: the district ids must fill it.
    if (last - first + 1) as usize != districts.len() {
        bail!(
            "district ids {first}..={last} have gaps ({} districts): pgbench draws from a range",
            districts.len()
        );
    }
    // One line per meta-command; the SQL may span lines (it ends at the `;`).
    Ok(format!(
        "\\set d random({first}, {last})\n{};\n",
        statement.replace("$1", ":d")
    ))
}

/// The count pgbench reports on its line starting with `label` (`label` ends
/// with the `:` before the number).
fn count_after(stdout: &str, label: &str) -> Option<u64> {
    stdout
        .lines()
        .find(|l| l.starts_with(label))
        .and_then(|l| l.split(':').nth(1))
        .and_then(|n| n.split_whitespace().next())
        .and_then(|n| n.parse::<u64>().ok())
}

/// Runs the script at `clients` connections for `duration`.
pub fn run(
    database_url: &str,
    script: &str,
    clients: usize,
    duration: Duration,
    work: &Path,
) -> anyhow::Result<Figure> {
    std::fs::create_dir_all(work)?;
    let file = work.join("hand.pgbench.sql");
    std::fs::write(&file, script)?;
    let logs = work.join(format!("log-{clients}"));
    let _ = std::fs::remove_dir_all(&logs);
    std::fs::create_dir_all(&logs)?;
    let seconds = duration.as_secs().max(1);
    let output = Command::new("pgbench")
        .args(["-n", "-M", "prepared", "-f"])
        .arg(&file)
        .args(["-c", &clients.to_string()])
        .args(["-j", &clients.min(2).to_string()])
        .args(["-T", &seconds.to_string()])
        .arg("-l")
        .arg(format!("--log-prefix={}", logs.join("pgbench").display()))
        .args(["-d", database_url])
        .output()
        .context("running pgbench (is it on PATH?)")?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        bail!("pgbench failed: {stdout}\n{stderr}");
    }
    let tps = stdout
        .lines()
        .find(|l| l.starts_with("tps = "))
        .and_then(|l| l.trim_start_matches("tps = ").split_whitespace().next())
        .and_then(|n| n.parse::<f64>().ok())
        .with_context(|| format!("no tps in pgbench's output:\n{stdout}"))?;
    let processed = count_after(&stdout, "number of transactions actually processed:")
        .unwrap_or((tps * seconds as f64) as u64);
    let failed = count_after(&stdout, "number of failed transactions:").unwrap_or(0);
    // Per-transaction log lines: client transaction latency_us script epoch us.
    let mut latencies = Vec::new();
    for entry in std::fs::read_dir(&logs)? {
        let text = std::fs::read_to_string(entry?.path())?;
        latencies.extend(text.lines().filter_map(|line| {
            let micros: f64 = line.split_whitespace().nth(2)?.parse().ok()?;
            Some(micros / 1000.0)
        }));
    }
    let _ = std::fs::remove_dir_all(&logs);
    let (p50_ms, p99_ms) = percentiles(latencies);
    Ok(Figure {
        per_second: tps,
        answered: processed,
        errors: failed,
        p50_ms,
        p99_ms,
        first_error: (!stderr.trim().is_empty() && failed > 0).then(|| stderr.into_owned()),
    })
}
