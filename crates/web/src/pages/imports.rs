//! Importing a spreadsheet from the pages: `GET /import?kind=…` shows the
//! upload form (the district board links to it for the OPD list, the score
//! page for a score sheet); `POST /import` runs `importSpreadsheet` with the
//! file for the session's actor and shows the row-by-row report in the
//! page's language. "Check only" (a dry run) is ticked by default.

use askama::Template;
use async_graphql::UploadValue;
use axum::body::Bytes;
use axum::extract::{Query, Request, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use serde::Deserialize;
use serde_json::json;

use crate::WebState;
use crate::gql::{self, Rows};
use crate::i18n::Lang;
use crate::pages::{MAX_UPLOAD, Visit, forbidden_form, multipart_of, upload_body, visit};
use crate::session;
use crate::views::{self, Chrome, error_text, s};

/// The kinds a file may hold, as the API names them.
const KINDS: [&str; 3] = ["OPDS", "SCORES", "FINDINGS"];

#[derive(Debug, Clone)]
struct ProblemView {
    row: String,
    column: String,
    value: String,
    text: String,
}

/// What the import answered, for the page.
#[derive(Debug, Clone, Default)]
struct ReportView {
    shown: bool,
    applied: bool,
    counts: String,
    problems: Vec<ProblemView>,
}

#[derive(Template)]
#[template(path = "import.html")]
struct ImportPage {
    c: Chrome,
    kinds: Vec<(String, String)>,
    kind: String,
    dry_run: bool,
    errors: Vec<String>,
    report: ReportView,
}

#[derive(Debug, Deserialize)]
pub(crate) struct KindQuery {
    #[serde(default)]
    kind: Option<String>,
}

fn page(
    visit: &Visit,
    kind: &str,
    dry_run: bool,
    errors: Vec<String>,
    report: ReportView,
) -> ImportPage {
    let t = visit.t;
    ImportPage {
        c: visit.chrome("import-title", "/import"),
        kinds: KINDS
            .iter()
            .map(|k| ((*k).to_owned(), t.m(&format!("import-kind-{k}"))))
            .collect(),
        kind: if KINDS.contains(&kind) { kind } else { "OPDS" }.to_owned(),
        dry_run,
        errors,
        report,
    }
}

/// `GET /import`.
pub(crate) async fn form(Query(query): Query<KindQuery>, visit: Visit) -> Response {
    let kind = query.kind.unwrap_or_default().to_ascii_uppercase();
    views::render(&page(
        &visit,
        &kind,
        true,
        Vec::new(),
        ReportView::default(),
    ))
}

#[derive(Debug, Default)]
struct UploadForm {
    csrf: String,
    kind: String,
    dry_run: bool,
    file: Option<(String, Bytes)>,
}

/// `POST /import` (multipart: `csrf`, `kind`, `dryRun`, `file`).
pub(crate) async fn upload(State(state): State<WebState>, uri: Uri, request: Request) -> Response {
    let headers = request.headers().clone();
    let visit = match visit(&state, &headers, &uri).await {
        Ok(visit) => visit,
        Err(response) => return response,
    };
    let t = visit.t;
    let form = match read_form(&headers, request).await {
        Ok(form) => form,
        Err(message) => {
            if !session::same_origin(&headers) {
                return forbidden_form(t);
            }
            return views::render_status(
                StatusCode::BAD_REQUEST,
                &page(
                    &visit,
                    "OPDS",
                    true,
                    vec![t.m(message)],
                    ReportView::default(),
                ),
            );
        }
    };
    if !session::form_allowed(&headers, &visit.session, Some(&form.csrf)) {
        return forbidden_form(t);
    }
    let kind = if KINDS.contains(&form.kind.as_str()) {
        form.kind.clone()
    } else {
        "OPDS".to_owned()
    };
    let Some((filename, bytes)) = form.file.filter(|(_, b)| !b.is_empty()) else {
        return views::render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &page(
                &visit,
                &kind,
                form.dry_run,
                vec![t.m("import-error-empty")],
                ReportView::default(),
            ),
        );
    };
    let answer = visit
        .query_with_upload(
            &state,
            "mutation Import($input: ImportSpreadsheetInput!) { importSpreadsheet(input: $input) { applied created updated unchanged problems { row column value messageId messageEn } userErrors { field message code } } }",
        json!({ "input": { "kind": kind, "file": null, "dryRun": form.dry_run } }),
            (
                "variables.input.file",
                UploadValue {
                    filename,
                    content_type: None,
                    content: bytes,
                },
            ),
        )
        .await;
    let mut errors: Vec<String> = gql::mutation_errors(&answer, "/importSpreadsheet/userErrors")
        .iter()
        .map(|e| error_text(t, e))
        .collect();
    let payload = answer.at("/importSpreadsheet");
    let number = |name: &str| payload[name].as_i64().unwrap_or(0).to_string();
    let problems: Vec<ProblemView> = payload["problems"].rows(|p| ProblemView {
        row: p["row"].as_i64().unwrap_or(0).to_string(),
        column: s(p, "column"),
        value: s(p, "value"),
        text: match t.lang {
            Lang::Id => s(p, "messageId"),
            Lang::En => s(p, "messageEn"),
        },
    });
    let applied = payload["applied"].as_bool().unwrap_or(false);
    let report = ReportView {
        shown: errors.is_empty(),
        applied,
        counts: t.a(
            if applied {
                "import-counts-applied"
            } else {
                "import-counts-checked"
            },
            &[
                ("created", &number("created")),
                ("updated", &number("updated")),
                ("unchanged", &number("unchanged")),
            ],
        ),
        problems,
    };
    let status = if report.problems.is_empty() && errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    if !report.problems.is_empty() {
        errors.push(t.m("import-refused"));
    }
    views::render_status(status, &page(&visit, &kind, form.dry_run, errors, report))
}

/// Reads the multipart form; the error is a message id.
async fn read_form(headers: &HeaderMap, request: Request) -> Result<UploadForm, &'static str> {
    let (content_type, body) = upload_body(headers, request)
        .await
        .ok_or("import-error-too-large")?;
    let mut multipart = multipart_of(&content_type, body).ok_or("import-error-form")?;
    let mut form = UploadForm::default();
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|_| "import-error-form")?
    {
        let name = field.name().unwrap_or_default().to_owned();
        match name.as_str() {
            "file" => {
                let filename = field.file_name().unwrap_or("berkas.csv").to_owned();
                let bytes = field.bytes().await.map_err(|_| "import-error-form")?;
                if bytes.len() > MAX_UPLOAD {
                    return Err("import-error-too-large");
                }
                form.file = Some((filename, bytes));
            }
            "csrf" | "kind" | "dryRun" => {
                let text = field.text().await.map_err(|_| "import-error-form")?;
                match name.as_str() {
                    "csrf" => form.csrf = text,
                    "kind" => form.kind = text.trim().to_ascii_uppercase(),
                    _ => form.dry_run = !text.is_empty(),
                }
            }
            _ => {}
        }
    }
    Ok(form)
}
