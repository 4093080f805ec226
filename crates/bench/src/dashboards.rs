//! The dashboard queries, read from `docs/dashboards.md` so that the document
//! and the benchmark never drift: every fenced ```graphql block is one
//! dashboard, named by the heading above it.

use anyhow::{Context as _, bail};

/// One dashboard query.
#[derive(Debug, Clone, PartialEq)]
pub struct Dashboard {
    /// The heading the query sits under, e.g. `District board`.
    pub title: String,
    /// A short key for files: `district-board` (the SQL lives in `sql/<key>.sql`).
    pub key: String,
    pub query: String,
    /// `(name, type)` of each variable the operation declares.
    pub variables: Vec<(String, String)>,
}

/// The dashboards of a Markdown document.
pub fn parse(markdown: &str) -> anyhow::Result<Vec<Dashboard>> {
    let mut dashboards = Vec::new();
    let mut heading = String::new();
    let mut lines = markdown.lines();
    while let Some(line) = lines.next() {
        let trimmed = line.trim_start();
        if trimmed.starts_with('#') {
            heading = trimmed.trim_start_matches('#').trim().to_owned();
            continue;
        }
        if trimmed.starts_with("```graphql") {
            let mut query = String::new();
            for body in lines.by_ref() {
                if body.trim_start().starts_with("```") {
                    break;
                }
                query.push_str(body);
                query.push('\n');
            }
            if heading.is_empty() {
                bail!("a graphql block comes before any heading");
            }
            dashboards.push(Dashboard {
                key: key_of(&heading),
                title: heading.clone(),
                variables: variables_of(&query),
                query,
            });
        }
    }
    if dashboards.is_empty() {
        bail!("no ```graphql blocks found");
    }
    Ok(dashboards)
}

/// `(a) District board — the Sekda's wall` → `district-board`: the words
/// before any dash or colon, lower case, without list markers.
pub fn key_of(heading: &str) -> String {
    let head = heading
        .split([':', '—', '–', '('])
        .find(|part| part.chars().filter(|c| c.is_alphabetic()).count() > 1)
        .unwrap_or(heading);
    let words: Vec<String> = head
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    words.join("-")
}

/// The variables an operation declares: `query X($district: ID!, $year: Int)`.
fn variables_of(query: &str) -> Vec<(String, String)> {
    let Some(open) = query.find('(') else {
        return Vec::new();
    };
    let brace = query.find('{').unwrap_or(query.len());
    if open > brace {
        return Vec::new();
    }
    let Some(close) = query[open..].find(')') else {
        return Vec::new();
    };
    query[open + 1..open + close]
        .split(|c| c == ',' || c == '\n')
        .filter_map(|part| {
            let part = part.trim();
            let (name, ty) = part.strip_prefix('$')?.split_once(':')?;
            let ty = ty.split('=').next().unwrap_or(ty).trim().to_owned();
            Some((name.trim().to_owned(), ty))
        })
        .collect()
}

/// Reads the dashboards from a file.
pub fn read(path: &std::path::Path) -> anyhow::Result<Vec<Dashboard>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    parse(&text).with_context(|| format!("in {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_named_by_their_heading() {
        let doc = "# Dashboards\n\n## (a) District board\n\ntext\n\n```graphql\nquery DistrictBoard($district: ID!, $year: Int = 2024) {\n  node(id: $district) { id }\n}\n```\n\n## Office board: the overview\n```graphql\n{ offices { totalCount } }\n```\n";
        let dashboards = parse(doc).expect("parses");
        assert_eq!(dashboards.len(), 2);
        assert_eq!(dashboards[0].key, "district-board");
        assert_eq!(
            dashboards[0].variables,
            vec![
                ("district".to_owned(), "ID!".to_owned()),
                ("year".to_owned(), "Int".to_owned())
            ]
        );
        assert!(dashboards[0].query.contains("node(id: $district)"));
        assert_eq!(dashboards[1].key, "office-board");
        assert!(dashboards[1].variables.is_empty());
    }
}
