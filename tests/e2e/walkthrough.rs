//! `docs/walkthrough.md` runs as written: its shell blocks, against the real
//! server, carry an RSUD action item from OPEN to VERIFIED.

use std::process::Command;

use crate::server::Server;

#[test]
fn the_walkthrough_runs_as_written() {
    let server = Server::start_demo();
    let markdown = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/walkthrough.md"
    ))
    .unwrap();
    let mut script = String::from("set -euo pipefail\n");
    let mut in_block = false;
    for line in markdown.lines() {
        match line.trim() {
            "```sh" => in_block = true,
            "```" if in_block => in_block = false,
            _ if in_block => {
                script.push_str(
                    &line.replace("http://127.0.0.1:8080/graphql", &server.url("/graphql")),
                );
                script.push('\n');
            }
            _ => {}
        }
    }
    let output = Command::new("bash")
        .arg("-c")
        .arg(&script)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(!stdout.contains("\"errors\""), "{stdout}");
    assert!(stdout.contains(r#""status":"VERIFIED""#), "{stdout}");
    for step in [
        "ACTION_ITEM_STARTED",
        "EVIDENCE_ADDED",
        "ACTION_ITEM_SUBMITTED",
        "ACTION_ITEM_VERIFIED",
    ] {
        assert!(
            stdout.contains(step),
            "{step} missing from the history: {stdout}"
        );
    }
}
