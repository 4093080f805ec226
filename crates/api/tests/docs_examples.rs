//! Every GraphQL example in the README and docs/api.md runs on the demo data
//! set as the demo admin, without errors.

#![allow(
    clippy::unwrap_used,
    reason = "a test should fail loudly on an unexpected shape"
)]

mod common;

use common::*;
use serde_json::json;

fn graphql_blocks(markdown: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in markdown.lines() {
        match (&mut current, line.trim_start()) {
            (None, "```graphql") => current = Some(String::new()),
            (Some(block), "```") => {
                blocks.push(std::mem::take(block));
                current = None;
            }
            (Some(block), _) => {
                block.push_str(line);
                block.push('\n');
            }
            (None, _) => {}
        }
    }
    blocks
}

async fn run_examples(file: &str) -> usize {
    let path = format!("{}/../../{file}", env!("CARGO_MANIFEST_DIR"));
    let markdown = std::fs::read_to_string(&path).unwrap();
    let blocks = graphql_blocks(&markdown);
    assert!(!blocks.is_empty(), "{file} has examples");
    let kit = Kit::demo().await;
    for block in &blocks {
        let response = kit.run_as(Some(ADMIN), block, json!({})).await;
        assert!(
            response.get("errors").is_none(),
            "{file}: example failed:\n{block}\n{response:#}"
        );
        // Mutations must succeed too, not only run.
        for (_, payload) in response["data"].as_object().unwrap() {
            if let Some(errors) = payload.get("userErrors") {
                assert_eq!(errors, &json!([]), "{file}: example refused:\n{block}");
            }
        }
    }
    blocks.len()
}

#[tokio::test]
async fn the_api_guide_examples_run() {
    assert!(run_examples("docs/api.md").await >= 10);
}

#[tokio::test]
async fn the_readme_examples_run() {
    assert_eq!(run_examples("README.md").await, 2);
}
