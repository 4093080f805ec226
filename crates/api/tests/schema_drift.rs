//! `schema.graphql` at the repository root is the schema the code serves.
//! Locally a drifted file is rewritten (review and commit it); in CI the test fails.

use std::path::PathBuf;

#[test]
fn schema_graphql_matches_the_code() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../schema.graphql");
    let current = pendamping_api::sdl();
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if committed != current {
        if std::env::var_os("CI").is_none() {
            std::fs::write(&path, &current).expect("rewrite schema.graphql");
        }
        panic!(
            "schema.graphql differs from the code{}",
            if std::env::var_os("CI").is_none() {
                "; it has been rewritten: review and commit it"
            } else {
                "; run `cargo run -- schema > schema.graphql` and commit it"
            }
        );
    }
}

#[test]
fn every_type_and_field_has_a_description() {
    let sdl = pendamping_api::sdl();
    // A described definition is preceded by a docstring; count the bare ones.
    let mut undocumented = Vec::new();
    let lines: Vec<&str> = sdl.lines().collect();
    let mut in_schema_block = false;
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim();
        if trimmed.starts_with("schema ") {
            in_schema_block = true;
        }
        if in_schema_block {
            in_schema_block = trimmed != "}";
            continue;
        }
        let indented = line.starts_with('\t') || line.starts_with("  ");
        let is_definition = trimmed.starts_with("type ")
            || trimmed.starts_with("input ")
            || trimmed.starts_with("enum ")
            || trimmed.starts_with("interface ")
            || trimmed.starts_with("scalar ")
            || (indented
                && !trimmed.starts_with('"')
                && !trimmed.starts_with(')')
                && (trimmed.contains(':') || trimmed.ends_with('(')));
        if !is_definition || trimmed.starts_with("directive") {
            continue;
        }
        let previous = lines[..i]
            .iter()
            .rev()
            .find(|l| !l.trim().is_empty())
            .map(|l| l.trim())
            .unwrap_or("");
        if !previous.ends_with('"') {
            undocumented.push(trimmed.to_owned());
        }
    }
    assert!(undocumented.is_empty(), "undocumented: {undocumented:#?}");
}
