//! Action items: the officer's list, the assessor's verification queue, the
//! coordinator's overdue list, one item's page and its forms.

use askama::Template;
use async_graphql::UploadValue;
use axum::body::Bytes;
use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::WebState;
use crate::gql::{self, Answer, ApiError, Rows};
use crate::i18n::Tr;
use crate::pages::{
    CarriesCsrf, MAX_UPLOAD, Posted, Visit, forbidden_form, message, multipart_of, upload_body,
    visit,
};
use crate::session;
use crate::views::{self, Chrome, ITEM_ROW_FIELDS, ItemRow, error_text, reason_text, s};

#[derive(Template)]
#[template(path = "items.html")]
struct ItemsPage {
    c: Chrome,
    heading: String,
    testid: &'static str,
    intro: String,
    items: Vec<ItemRow>,
    total: i64,
    show_all_href: Option<(String, String)>,
    queue: bool,
    empty: String,
}

#[derive(Debug, Deserialize, Default)]
pub(crate) struct ListQuery {
    all: Option<String>,
    opd: Option<String>,
}

const OPEN_STATUSES: [&str; 4] = ["OPEN", "IN_PROGRESS", "REJECTED", "SUBMITTED"];

fn items_document() -> String {
    format!(
        "query Items($filter: ActionItemsFilterInput) {{ actionItems(filter: $filter, orderBy: {{ field: DUE_ON, direction: ASC }}, first: 100) {{ totalCount nodes {{ {ITEM_ROW_FIELDS} }} }} }}"
    )
}

/// The first hundred action items `filter` picks, by due date, or the page
/// saying what the API refused.
async fn items_answer(
    state: &WebState,
    visit: &Visit,
    filter: Value,
    path: &str,
) -> Result<Answer, Box<Response>> {
    let answer = visit
        .query(state, &items_document(), json!({ "filter": filter }))
        .await;
    match answer.errors.first() {
        Some(error) => Err(Box::new(error_page(visit, error, path))),
        None => Ok(answer),
    }
}

/// `GET /items`: the action items in the viewer's scope by due date, overdue
/// marked; those still needing work unless `?all=1`.
pub(crate) async fn list(
    State(state): State<WebState>,
    uri: Uri,
    Query(query): Query<ListQuery>,
    visit: Visit,
) -> Response {
    let t = visit.t;
    let all = query.all.as_deref() == Some("1");
    let mut filter = serde_json::Map::new();
    if !all {
        filter.insert("status".into(), json!(OPEN_STATUSES));
    }
    if let Some(opd) = query.opd.as_deref().filter(|o| !o.is_empty()) {
        filter.insert("opdId".into(), json!(opd));
    }
    let answer = match items_answer(&state, &visit, json!(filter), uri.path()).await {
        Ok(answer) => answer,
        Err(page) => return *page,
    };
    let path = uri.path_and_query().map_or("/items", |p| p.as_str());
    let toggle = if all {
        ("/items?mine=1".to_owned(), t.m("items-show-open"))
    } else {
        ("/items?mine=1&all=1".to_owned(), t.m("items-show-all"))
    };
    let page = ItemsPage {
        c: visit.chrome("items-title", path),
        heading: t.m("items-title"),
        testid: "my-items",
        intro: t.m("items-intro"),
        items: ItemRow::list(t, answer.at("/actionItems/nodes")),
        total: answer.at("/actionItems/totalCount").as_i64().unwrap_or(0),
        show_all_href: Some(toggle),
        queue: false,
        empty: t.m("items-empty"),
    };
    views::render(&page)
}

/// `GET /queue`: submitted items in the viewer's scope, oldest submission first.
pub(crate) async fn queue(State(state): State<WebState>, uri: Uri, visit: Visit) -> Response {
    let t = visit.t;
    let submitted = json!({ "status": ["SUBMITTED"] });
    let answer = match items_answer(&state, &visit, submitted, uri.path()).await {
        Ok(answer) => answer,
        Err(page) => return *page,
    };
    let mut nodes: Vec<Value> = answer
        .at("/actionItems/nodes")
        .as_array()
        .cloned()
        .unwrap_or_default();
    // Oldest submission first: the one waiting longest is verified first.
    nodes.sort_by(|a, b| {
        a["submittedAt"]
            .as_str()
            .unwrap_or_default()
            .cmp(b["submittedAt"].as_str().unwrap_or_default())
    });
    let items: Vec<ItemRow> = nodes.iter().map(|n| ItemRow::from_node(t, n)).collect();
    let page = ItemsPage {
        c: visit.chrome("queue-title", uri.path()),
        heading: t.m("queue-title"),
        testid: "verification-queue",
        intro: t.m("queue-intro"),
        total: items.len() as i64,
        items,
        show_all_href: None,
        queue: true,
        empty: t.m("queue-empty"),
    };
    views::render(&page)
}

/// `GET /overdue`: overdue items in the viewer's scope, with who holds each.
pub(crate) async fn overdue(State(state): State<WebState>, uri: Uri, visit: Visit) -> Response {
    let t = visit.t;
    let overdue = json!({ "overdue": true });
    let answer = match items_answer(&state, &visit, overdue, uri.path()).await {
        Ok(answer) => answer,
        Err(page) => return *page,
    };
    let page = ItemsPage {
        c: visit.chrome("overdue-title", uri.path()),
        heading: t.m("overdue-title"),
        testid: "overdue-items",
        intro: t.m("overdue-intro"),
        items: ItemRow::list(t, answer.at("/actionItems/nodes")),
        total: answer.at("/actionItems/totalCount").as_i64().unwrap_or(0),
        show_all_href: None,
        queue: false,
        empty: t.m("overdue-empty"),
    };
    views::render(&page)
}

/// A page saying what the API refused, in the page's language.
pub(crate) fn error_page(visit: &Visit, error: &ApiError, path: &str) -> Response {
    let status = match error.code.as_str() {
        "NOT_FOUND" => StatusCode::NOT_FOUND,
        "FORBIDDEN" => StatusCode::FORBIDDEN,
        "BAD_USER_INPUT" => StatusCode::BAD_REQUEST,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    };
    if error.code == "NOT_FOUND" {
        return message(visit, status, "not-found-title", "not-found-text", path);
    }
    let page = crate::pages::MessagePage {
        c: visit.chrome("error-title", path),
        heading: visit.t.m("error-title"),
        text: error_text(visit.t, error),
    };
    // A refusal is the caller's; only an unexpected failure is the server's.
    let status = if status == StatusCode::INTERNAL_SERVER_ERROR {
        StatusCode::SERVICE_UNAVAILABLE
    } else {
        status
    };
    views::render_status(status, &page)
}

/// The `node` an answer holds, or the page to show instead (boxed: it is
/// large): the error page when the API refused, not found when there is no
/// such node within reach.
pub(crate) fn node_of<'a>(
    visit: &Visit,
    answer: &'a Answer,
    path: &str,
) -> Result<&'a Value, Box<Response>> {
    if let Some(error) = answer.errors.first() {
        return Err(Box::new(error_page(visit, error, path)));
    }
    let node = answer.at("/node");
    if node.get("id").is_none() {
        return Err(Box::new(message(
            visit,
            StatusCode::NOT_FOUND,
            "not-found-title",
            "not-found-text",
            path,
        )));
    }
    Ok(node)
}

/// One button of an item's page, or the reason it is not there.
#[derive(Debug, Clone)]
pub(crate) struct ActionView {
    pub action: String,
    pub label: String,
    pub enabled: bool,
    pub reason: String,
    /// The action needs a written reason (reject, cancel).
    pub needs_reason: bool,
    pub testid: String,
    /// The API's code for why not ("" when enabled).
    pub reason_code: String,
}

pub(crate) fn actions(t: Tr, list: &Value) -> Vec<ActionView> {
    list.as_array()
        .map(|list| {
            list.iter()
                // Only the actions these pages have a form for; another one (a
                // newer action needing other input) is left to the API's clients.
                .filter(|a| {
                    a["action"].as_str().is_some_and(|action| {
                        matches!(
                            action,
                            "START" | "SUBMIT" | "VERIFY" | "REJECT" | "RESUME" | "CANCEL"
                        )
                    })
                })
                .map(|a| {
                    let action = s(a, "action");
                    let enabled = a["enabled"].as_bool().unwrap_or(false);
                    ActionView {
                        label: t.e("action", &action),
                        reason: if enabled {
                            String::new()
                        } else {
                            reason_text(t, &action, a["reasonCode"].as_str())
                        },
                        needs_reason: matches!(action.as_str(), "REJECT" | "CANCEL"),
                        testid: match action.as_str() {
                            "SUBMIT" => "submit-item".to_owned(),
                            other => other.to_lowercase(),
                        },
                        reason_code: if enabled {
                            String::new()
                        } else {
                            a["reasonCode"].as_str().unwrap_or("FORBIDDEN").to_owned()
                        },
                        action,
                        enabled,
                    }
                })
                .collect()
        })
        .unwrap_or_default()
}

#[derive(Debug, Clone)]
struct EvidenceView {
    name: String,
    href: String,
    is_link: bool,
    is_image: bool,
    is_pdf: bool,
    size: String,
    by: String,
    at: String,
}

#[derive(Debug, Clone)]
struct Entry {
    at: String,
    who: String,
    text: String,
    reason: String,
}

#[derive(Template)]
#[template(path = "item.html")]
struct ItemPage {
    c: Chrome,
    id: String,
    version: i64,
    title: String,
    finding: String,
    status: String,
    status_label: String,
    due: String,
    overdue_label: String,
    priority_label: String,
    opd: String,
    opd_id: String,
    district: String,
    agreement: String,
    agreement_id: String,
    assignee: String,
    rejection: Option<String>,
    rejections: String,
    actions: Vec<ActionView>,
    evidence: Vec<EvidenceView>,
    comments: Vec<Entry>,
    history: Vec<Entry>,
    errors: Vec<String>,
    reason_error: bool,
    comment_body: String,
    link_url: String,
    can_add_evidence: bool,
}

const ITEM: &str = r"
query Item($id: ID!) {
  node(id: $id) {
    ... on ActionItem {
      id title finding status version dueOn isOverdue daysOverdue priority rejectionCount
      opd { id name } district { id name timeZone } agreement { id title }
      assignee { displayName }
      availableActions { action enabled reason reasonCode }
      evidence(first: 50) { nodes { id name mediaType sizeBytes url downloadPath uploadedAt uploadedBy { displayName } } }
      comments(first: 100) { nodes { id body authorLabel createdAt } }
      history { action actorLabel occurredAt reason }
    }
  }
}";

/// What a form left behind, to show again on the item's page.
#[derive(Debug, Default)]
struct Leftover {
    errors: Vec<String>,
    reason_error: bool,
    comment_body: String,
    link_url: String,
    flash: Option<String>,
}

impl Leftover {
    /// What a refused change leaves: its errors, in the visitor's language.
    fn refused(t: Tr, errors: &[ApiError]) -> Leftover {
        Leftover {
            errors: errors.iter().map(|e| error_text(t, e)).collect(),
            ..Leftover::default()
        }
    }
}

/// The item page again after a refused change, with what was left over (422).
async fn refused(state: &WebState, visit: &Visit, id: &str, leftover: Leftover) -> Response {
    item_page(state, visit, id, leftover, StatusCode::UNPROCESSABLE_ENTITY).await
}

/// `GET /items/{id}`.
pub(crate) async fn show(
    State(state): State<WebState>,
    Path(id): Path<String>,
    Query(query): Query<DoneQuery>,
    visit: Visit,
) -> Response {
    let flash = query.done.as_deref().map(|done| visit.t.e("done", done));
    item_page(
        &state,
        &visit,
        &id,
        Leftover {
            flash,
            ..Leftover::default()
        },
        StatusCode::OK,
    )
    .await
}

#[derive(Debug, Deserialize, Default)]
pub(crate) struct DoneQuery {
    done: Option<String>,
}

async fn item_page(
    state: &WebState,
    visit: &Visit,
    id: &str,
    leftover: Leftover,
    status: StatusCode,
) -> Response {
    let t = visit.t;
    let path = format!("/items/{id}");
    let answer = visit.query(state, ITEM, json!({ "id": id })).await;
    let node = match node_of(visit, &answer, &path) {
        Ok(node) => node,
        Err(page) => return *page,
    };
    let zone = node["district"]["timeZone"]
        .as_str()
        .unwrap_or("Asia/Jakarta")
        .to_owned();
    let item_status = s(node, "status");
    let history_nodes = node["history"].as_array().cloned().unwrap_or_default();
    let rejection = if item_status == "REJECTED" {
        history_nodes
            .iter()
            .rev()
            .find(|h| {
                h["action"]
                    .as_str()
                    .is_some_and(|a| a.ends_with("REJECT") || a.contains("REJECT"))
            })
            .and_then(|h| h["reason"].as_str())
            .map(str::to_owned)
            .or_else(|| Some(t.m("item-rejected-no-reason")))
    } else {
        None
    };
    let history = history_nodes
        .iter()
        .map(|h| {
            let action = s(h, "action");
            Entry {
                at: t.datetime(h["occurredAt"].as_str().unwrap_or_default(), &zone),
                who: s(h, "actorLabel"),
                text: history_text(t, &action),
                reason: s(h, "reason"),
            }
        })
        .collect();
    let comments = node["comments"]["nodes"].rows(|c| Entry {
        at: t.datetime(c["createdAt"].as_str().unwrap_or_default(), &zone),
        who: s(c, "authorLabel"),
        text: s(c, "body"),
        reason: String::new(),
    });
    let evidence = node["evidence"]["nodes"].rows(|e| {
        let media = s(e, "mediaType");
        let link = e["url"].as_str().filter(|u| !u.is_empty());
        let href = match link {
            Some(url) if url.starts_with("https://") || url.starts_with("http://") => {
                url.to_owned()
            }
            Some(_) => String::new(),
            None => e["downloadPath"]
                .as_str()
                .map_or_else(|| format!("/evidence/{}", s(e, "id")), str::to_owned),
        };
        EvidenceView {
            name: s(e, "name"),
            is_link: link.is_some(),
            is_image: link.is_none() && media.starts_with("image/"),
            is_pdf: link.is_none() && media == "application/pdf",
            href,
            size: if link.is_some() {
                String::new()
            } else {
                size_text(t, e["sizeBytes"].as_i64().unwrap_or(0))
            },
            by: s(&e["uploadedBy"], "displayName"),
            at: t.datetime(e["uploadedAt"].as_str().unwrap_or_default(), &zone),
        }
    });
    let actions = actions(t, &node["availableActions"]);
    // Evidence is added while the item is being worked on, by those the API
    // lets work on it: their START/SUBMIT/RESUME is not refused for role or scope.
    let can_add_evidence = matches!(item_status.as_str(), "IN_PROGRESS" | "OPEN" | "REJECTED")
        && actions.iter().any(|a| {
            matches!(a.action.as_str(), "START" | "SUBMIT" | "RESUME")
                && a.reason_code != "FORBIDDEN"
        });
    let days = node["daysOverdue"].as_i64().unwrap_or(0);
    let mut chrome = visit.chrome("item-title", &path);
    chrome.title = s(node, "title");
    if let Some(flash) = leftover.flash {
        chrome = chrome.flash("ok", flash);
    }
    let page = ItemPage {
        c: chrome,
        id: s(node, "id"),
        version: node["version"].as_i64().unwrap_or(0),
        title: s(node, "title"),
        finding: s(node, "finding"),
        status_label: t.e("status", &item_status),
        status: item_status,
        due: t.date_text(node["dueOn"].as_str().unwrap_or_default()),
        overdue_label: if node["isOverdue"].as_bool().unwrap_or(false) {
            t.n("overdue-days", days)
        } else {
            String::new()
        },
        priority_label: t.e("priority", node["priority"].as_str().unwrap_or("MEDIUM")),
        opd: s(&node["opd"], "name"),
        opd_id: s(&node["opd"], "id"),
        district: s(&node["district"], "name"),
        agreement: s(&node["agreement"], "title"),
        agreement_id: s(&node["agreement"], "id"),
        assignee: node["assignee"]["displayName"]
            .as_str()
            .map_or_else(|| t.m("nobody"), str::to_owned),
        rejection,
        rejections: t.n(
            "item-rejections",
            node["rejectionCount"].as_i64().unwrap_or(0),
        ),
        actions,
        evidence,
        comments,
        history,
        errors: leftover.errors,
        reason_error: leftover.reason_error,
        comment_body: leftover.comment_body,
        link_url: leftover.link_url,
        can_add_evidence,
    };
    views::render_status(status, &page)
}

fn history_text(t: Tr, action: &str) -> String {
    let id = format!("history-{action}");
    if t.has(&id) {
        t.m(&id)
    } else {
        t.m("history-other")
    }
}

fn size_text(t: Tr, bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{} MB", t.num(bytes as f64 / (1024.0 * 1024.0), 1))
    } else {
        format!("{} KB", t.num((bytes as f64 / 1024.0).max(0.1), 1))
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct ActForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    action: String,
    /// The version the page showed (text, so that a mangled form is a
    /// conflict to report, not a rejected request).
    #[serde(default)]
    version: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    next: String,
}

/// `POST /items/{id}/act`: one workflow action (start, submit, verify, reject, resume, cancel).
pub(crate) async fn act(
    State(state): State<WebState>,
    Path(id): Path<String>,
    Posted(visit, form): Posted<ActForm>,
) -> Response {
    let (mutation, input_type, with_reason) = match form.action.as_str() {
        "START" => ("startActionItem", "WorkflowActionInput", false),
        "SUBMIT" => ("submitActionItem", "WorkflowActionInput", false),
        "VERIFY" => ("verifyActionItem", "WorkflowActionInput", false),
        "RESUME" => ("resumeActionItem", "WorkflowActionInput", false),
        "REJECT" => ("rejectActionItem", "ReasonedActionInput", true),
        "CANCEL" => ("cancelActionItem", "ReasonedActionInput", true),
        _ => {
            let leftover = Leftover {
                errors: vec![visit.t.m("error-unknown-action")],
                ..Leftover::default()
            };
            return item_page(&state, &visit, &id, leftover, StatusCode::BAD_REQUEST).await;
        }
    };
    let document = format!(
        "mutation Act($input: {input_type}!) {{ {mutation}(input: $input) {{ actionItem {{ id status }} userErrors {{ field message code }} }} }}"
    );
    let version = form.version.trim().parse::<i32>().unwrap_or(-1);
    let mut input = json!({ "id": id, "version": version });
    if with_reason {
        input["reason"] = json!(form.reason);
    }
    let answer = visit
        .query(&state, &document, json!({ "input": input }))
        .await;
    let errors = gql::mutation_errors(&answer, &format!("/{mutation}/userErrors"));
    if errors.is_empty() {
        let next = views::safe_next(&form.next);
        let target = if next == "/" {
            format!("/items/{id}?done={}", form.action)
        } else {
            next.to_owned()
        };
        return Redirect::to(&target).into_response();
    }
    let leftover = Leftover {
        reason_error: errors.iter().any(|e| e.field.as_deref() == Some("reason")),
        ..Leftover::refused(visit.t, &errors)
    };
    refused(&state, &visit, &id, leftover).await
}

#[derive(Debug, Deserialize)]
pub(crate) struct CommentForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    body: String,
}

/// `POST /items/{id}/comment`.
pub(crate) async fn comment(
    State(state): State<WebState>,
    Path(id): Path<String>,
    Posted(visit, form): Posted<CommentForm>,
) -> Response {
    let answer = visit
        .query(
            &state,
            "mutation Comment($input: AddCommentInput!) { addComment(input: $input) { userErrors { field message code } } }",
            json!({ "input": { "actionItemId": id, "body": form.body } }),
        )
        .await;
    let errors = gql::mutation_errors(&answer, "/addComment/userErrors");
    if errors.is_empty() {
        return Redirect::to(&format!("/items/{id}?done=COMMENT#comments")).into_response();
    }
    let leftover = Leftover {
        comment_body: form.body,
        ..Leftover::refused(visit.t, &errors)
    };
    refused(&state, &visit, &id, leftover).await
}

/// `POST /items/{id}/evidence`: a file or a photo (multipart), or a link.
pub(crate) async fn evidence(
    State(state): State<WebState>,
    uri: Uri,
    Path(id): Path<String>,
    request: Request,
) -> Response {
    let headers = request.headers().clone();
    let visit = match visit(&state, &headers, &uri).await {
        Ok(visit) => visit,
        Err(response) => return response,
    };
    let t = visit.t;
    let form = match read_evidence_form(&headers, request).await {
        Ok(form) => form,
        Err(id_of_error) => {
            if !session::same_origin(&headers) {
                return forbidden_form(t);
            }
            let leftover = Leftover {
                errors: vec![t.m(id_of_error)],
                ..Leftover::default()
            };
            return item_page(&state, &visit, &id, leftover, StatusCode::BAD_REQUEST).await;
        }
    };
    if !session::form_allowed(&headers, &visit.session, Some(&form.csrf)) {
        return forbidden_form(t);
    }
    let document = "mutation Evidence($input: AddEvidenceInput!) { addEvidence(input: $input) { userErrors { field message code } } }";
    let answer = match form.file {
        Some((filename, content_type, bytes)) if !bytes.is_empty() => {
            let upload = UploadValue {
                filename: filename.clone(),
                content_type,
                content: bytes,
            };
            visit
                .query_with_upload(
                    &state,
                    document,
                    json!({ "input": { "actionItemId": id, "file": null, "name": filename } }),
                    ("variables.input.file", upload),
                )
                .await
        }
        _ if !form.url.trim().is_empty() => {
            let name = if form.name.trim().is_empty() {
                form.url.trim().to_owned()
            } else {
                form.name.trim().to_owned()
            };
            visit
                .query(
                    &state,
                    document,
                    json!({ "input": { "actionItemId": id, "url": form.url.trim(), "name": name } }),
                )
                .await
        }
        _ => {
            let leftover = Leftover {
                errors: vec![t.m("evidence-error-empty")],
                ..Leftover::default()
            };
            return refused(&state, &visit, &id, leftover).await;
        }
    };
    let errors = gql::mutation_errors(&answer, "/addEvidence/userErrors");
    if errors.is_empty() {
        return Redirect::to(&format!("/items/{id}?done=EVIDENCE#evidence")).into_response();
    }
    let leftover = Leftover {
        link_url: form.url,
        ..Leftover::refused(t, &errors)
    };
    refused(&state, &visit, &id, leftover).await
}

#[derive(Debug, Default)]
struct EvidenceForm {
    csrf: String,
    url: String,
    name: String,
    file: Option<(String, Option<String>, Bytes)>,
}

/// Reads the evidence form: multipart (with a file) or url-encoded (a link
/// only). The error is a message id.
async fn read_evidence_form(
    headers: &HeaderMap,
    request: Request,
) -> Result<EvidenceForm, &'static str> {
    let (content_type, body) = upload_body(headers, request)
        .await
        .ok_or("evidence-error-too-large")?;
    let mut form = EvidenceForm::default();
    if content_type.starts_with("application/x-www-form-urlencoded") {
        for (key, value) in form_urlencoded_pairs(&body) {
            match key.as_str() {
                "csrf" => form.csrf = value,
                "url" => form.url = value,
                "name" => form.name = value,
                _ => {}
            }
        }
        return Ok(form);
    }
    let mut multipart = multipart_of(&content_type, body).ok_or("evidence-error-form")?;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|_| "evidence-error-form")?
    {
        let name = field.name().unwrap_or_default().to_owned();
        match name.as_str() {
            "file" | "photo" => {
                let filename = field.file_name().unwrap_or("berkas").to_owned();
                let media = field.content_type().map(ToString::to_string);
                let bytes = field.bytes().await.map_err(|_| "evidence-error-form")?;
                if bytes.len() > MAX_UPLOAD {
                    return Err("evidence-error-too-large");
                }
                if !bytes.is_empty() && form.file.is_none() {
                    form.file = Some((filename, media, bytes));
                }
            }
            "csrf" | "url" | "name" => {
                let text = field.text().await.map_err(|_| "evidence-error-form")?;
                match name.as_str() {
                    "csrf" => form.csrf = text,
                    "url" => form.url = text,
                    _ => form.name = text,
                }
            }
            _ => {}
        }
    }
    Ok(form)
}

fn form_urlencoded_pairs(body: &[u8]) -> Vec<(String, String)> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body).unwrap_or_default()
}

impl CarriesCsrf for ActForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

impl CarriesCsrf for CommentForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}
