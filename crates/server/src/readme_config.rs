//! The README's configuration table against the command line it documents:
//! every flag that reads an environment variable is a row with that variable,
//! and every row names a flag (and variable) the command has.

use std::collections::{BTreeMap, BTreeSet};

use clap::CommandFactory;

use crate::cli::Cli;

const README: &str = include_str!("../../../README.md");

/// `--flag` → its environment variable, over the command and every subcommand.
fn cli_flags() -> BTreeMap<String, Option<String>> {
    fn walk(command: &clap::Command, flags: &mut BTreeMap<String, Option<String>>) {
        for arg in command.get_arguments() {
            if let Some(long) = arg.get_long() {
                let env = arg.get_env().map(|e| e.to_string_lossy().into_owned());
                flags.insert(format!("--{long}"), env);
            }
        }
        for sub in command.get_subcommands() {
            walk(sub, flags);
        }
    }
    let mut flags = BTreeMap::new();
    walk(&Cli::command(), &mut flags);
    flags
}

/// The first `code` span of a table cell, if any (`—` cells have none).
fn code_in(cell: &str) -> Option<String> {
    let start = cell.find('`')? + 1;
    let end = start + cell[start..].find('`')?;
    Some(cell[start..end].to_owned())
}

/// The configuration table's rows: (flag, environment variable).
fn readme_rows() -> Vec<(Option<String>, Option<String>)> {
    let section = README
        .split("\n## Configuration")
        .nth(1)
        .expect("README has a Configuration section");
    let section = section.split("\n## ").next().unwrap_or(section);
    section
        .lines()
        .filter(|line| line.starts_with("| `--") || line.starts_with("| —"))
        .map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            (code_in(cells[1]), code_in(cells[2]))
        })
        .collect()
}

#[test]
fn the_readme_configuration_table_matches_the_command_line() {
    let flags = cli_flags();
    let rows = readme_rows();
    let mut documented = BTreeSet::new();
    let mut problems = Vec::new();
    for (flag, env) in &rows {
        let Some(flag) = flag else { continue };
        if !documented.insert(flag.clone()) {
            problems.push(format!("{flag} has two rows"));
        }
        match flags.get(flag) {
            None => problems.push(format!("{flag} is in the README but not a flag")),
            Some(cli_env) if cli_env != env => problems.push(format!(
                "{flag}: the README says environment {env:?}, the command {cli_env:?}"
            )),
            Some(_) => {}
        }
    }
    for (flag, env) in &flags {
        if env.is_some() && !documented.contains(flag) {
            problems.push(format!("{flag} ({env:?}) is missing from the README table"));
        }
    }
    assert!(rows.len() > 10, "the table was not found: {rows:?}");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
