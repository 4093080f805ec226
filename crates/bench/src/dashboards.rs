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
    // A list marker such as `(a)` is not part of the name.
    let heading = match heading.trim().strip_prefix('(') {
        Some(rest) => rest.split_once(')').map_or(heading, |(_, name)| name),
        None => heading,
    };
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
        .split([',', '\n'])
        .filter_map(|part| {
            let part = part.trim();
            let (name, ty) = part.strip_prefix('$')?.split_once(':')?;
            let ty = ty.split('=').next().unwrap_or(ty).trim().to_owned();
            Some((name.trim().to_owned(), ty))
        })
        .collect()
}

/// Replaces every global-id literal (`"RGlzdHJpY3Q6NA"`, i.e. `District:4`)
/// with the id `choose` gives for its type, so a documented query asks about
/// rows of the data set at hand. Returns the query and what was replaced.
pub fn substitute_ids(
    query: &str,
    choose: impl Fn(&str) -> Option<String>,
) -> (String, Vec<String>) {
    use base64::Engine as _;
    let mut out = String::with_capacity(query.len());
    let mut replaced = Vec::new();
    let mut rest = query;
    while let Some(open) = rest.find('"') {
        out.push_str(&rest[..=open]);
        rest = &rest[open + 1..];
        let Some(close) = rest.find('"') else {
            break;
        };
        let literal = &rest[..close];
        let decoded = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(literal)
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok());
        let chosen = decoded.as_deref().and_then(|text| {
            let (kind, number) = text.split_once(':')?;
            number.parse::<i64>().ok()?;
            choose(kind).map(|id| (kind.to_owned(), id))
        });
        match chosen {
            Some((kind, id)) => {
                replaced.push(format!("{kind} {literal} → {id}"));
                out.push_str(&id);
            }
            None => out.push_str(literal),
        }
        out.push('"');
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    (out, replaced)
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
        assert_eq!(key_of("Trends"), "trends");
    }

    #[test]
    fn global_ids_are_replaced_by_type() {
        let query =
            r#"{ node(id: "RGlzdHJpY3Q6NA") { id } r(officeId: "T2ZmaWNlOjE", name: "x") }"#;
        let (out, replaced) =
            substitute_ids(query, |kind| (kind == "District").then(|| "D9".to_owned()));
        assert_eq!(
            out,
            r#"{ node(id: "D9") { id } r(officeId: "T2ZmaWNlOjE", name: "x") }"#
        );
        assert_eq!(replaced.len(), 1);
    }
}
