//! The notification inbox: deadline reminders and escalations, each written
//! in the page's language from its kind, subject and due date.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::Uri;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::json;

use crate::WebState;
use crate::gql::Rows;
use crate::pages::items::error_page;
use crate::pages::{CarriesCsrf, Posted, Visit};
use crate::views::{self, Chrome, s};

#[derive(Debug, Clone)]
struct NotificationView {
    id: String,
    text: String,
    kind: String,
    href: String,
    at: String,
    read: bool,
}

#[derive(Template)]
#[template(path = "notifications.html")]
struct InboxPage {
    c: Chrome,
    rows: Vec<NotificationView>,
}

const INBOX: &str = r"
{
  notifications(first: 100) {
    nodes {
      id kind dueOn isRead createdAt
      subject {
        __typename
        ... on ActionItem { id title district { timeZone } }
        ... on Milestone { id title agreement { id district { timeZone } } }
      }
    }
  }
}";

/// `GET /notifications`.
pub(crate) async fn list(State(state): State<WebState>, uri: Uri, visit: Visit) -> Response {
    let t = visit.t;
    let answer = visit.query(&state, INBOX, json!({})).await;
    if let Some(error) = answer.errors.first() {
        return error_page(&visit, error, uri.path());
    }
    let rows = answer.at("/notifications/nodes").rows(|n| {
        let subject = &n["subject"];
        let kind = s(n, "kind");
        let (title, href, zone) = match subject["__typename"].as_str() {
            Some("ActionItem") => (
                s(subject, "title"),
                format!("/items/{}", s(subject, "id")),
                s(&subject["district"], "timeZone"),
            ),
            Some("Milestone") => (
                s(subject, "title"),
                format!("/agreements/{}", s(&subject["agreement"], "id")),
                s(&subject["agreement"]["district"], "timeZone"),
            ),
            _ => (
                t.m("notification-hidden-subject"),
                String::new(),
                String::new(),
            ),
        };
        NotificationView {
            id: s(n, "id"),
            text: t.a(
                &format!("notification-{kind}"),
                &[
                    ("title", &title),
                    ("due", &t.date_text(n["dueOn"].as_str().unwrap_or_default())),
                ],
            ),
            kind,
            href,
            at: t.datetime(n["createdAt"].as_str().unwrap_or_default(), &zone),
            read: n["isRead"].as_bool().unwrap_or(false),
        }
    });
    views::render(&InboxPage {
        c: visit.chrome("notifications-title", uri.path()),
        rows,
    })
}

#[derive(Debug, Deserialize)]
pub(crate) struct ReadForm {
    #[serde(default)]
    csrf: String,
}

/// `POST /notifications/{id}/read`.
pub(crate) async fn read(
    State(state): State<WebState>,
    Path(id): Path<String>,
    Posted(visit, _): Posted<ReadForm>,
) -> Response {
    let answer = visit
        .query(
            &state,
            "mutation Read($input: MarkNotificationReadInput!) { markNotificationRead(input: $input) { userErrors { field message code } } }",
            json!({ "input": { "id": id } }),
        )
        .await;
    if let Some(error) = answer.errors.first() {
        return error_page(&visit, error, "/notifications");
    }
    Redirect::to("/notifications").into_response()
}

impl CarriesCsrf for ReadForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}
