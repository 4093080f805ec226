//! Parsed GraphQL documents, kept by their text. A dashboard sends the same
//! document on every request; parsing it again each time costs more server
//! time than most of its statements. Only the parsing is saved: every request
//! is still checked against the schema (validation, depth, complexity) with
//! its own variables, as async-graphql always does.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock, PoisonError};

use async_graphql::Request;
use async_graphql::parser::types::ExecutableDocument;

/// How many documents are kept; the least recently used goes first.
const CAPACITY: usize = 256;
/// Longer documents are parsed every time rather than kept.
const MAX_TEXT_BYTES: usize = 32 * 1024;

#[derive(Default)]
struct Kept {
    documents: HashMap<String, (ExecutableDocument, u64)>,
    /// Advances with every use; a document's last use orders the eviction.
    clock: u64,
}

fn kept() -> &'static Mutex<Kept> {
    static KEPT: OnceLock<Mutex<Kept>> = OnceLock::new();
    KEPT.get_or_init(Mutex::default)
}

/// Gives `request` its parsed document: a copy of the one kept for the same
/// text, else parses it and keeps it (when it parses). A document that does
/// not parse is left for execution to report, as before.
pub(crate) fn prepare(request: &mut Request) {
    if request.query.len() > MAX_TEXT_BYTES {
        return;
    }
    let found = {
        let mut kept = kept().lock().unwrap_or_else(PoisonError::into_inner);
        kept.clock += 1;
        let now = kept.clock;
        kept.documents
            .get_mut(&request.query)
            .map(|(document, used)| {
                *used = now;
                document.clone()
            })
    };
    if let Some(document) = found {
        request.set_parsed_query(document);
        return;
    }
    let Ok(document) = request.parsed_query() else {
        return;
    };
    let document = document.clone();
    let mut kept = kept().lock().unwrap_or_else(PoisonError::into_inner);
    if kept.documents.len() >= CAPACITY
        && let Some(oldest) = kept
            .documents
            .iter()
            .min_by_key(|(_, (_, used))| *used)
            .map(|(text, _)| text.clone())
    {
        kept.documents.remove(&oldest);
    }
    let now = kept.clock;
    kept.documents
        .insert(request.query.clone(), (document, now));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_document_is_the_parsed_one_and_bad_ones_are_not_kept() {
        let text = "query KeptOnce { __typename kept: __typename }";
        let mut first = Request::new(text);
        prepare(&mut first);
        let mut second = Request::new(text);
        prepare(&mut second);
        let parsed = async_graphql::parser::parse_query(text).unwrap();
        assert_eq!(
            format!("{:?}", second.parsed_query().unwrap()),
            format!("{parsed:?}")
        );
        let broken = "{ nope(";
        prepare(&mut Request::new(broken));
        let kept = kept().lock().unwrap();
        assert!(kept.documents.contains_key(text));
        assert!(!kept.documents.contains_key(broken));
        assert!(kept.documents.len() <= CAPACITY);
    }
}
