//! What every page shares: the frame around it ([`Chrome`]), the navigation
//! of the viewer's roles, and rendering a template into a response.

use askama::Template;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use serde_json::Value;

use crate::assets;
use crate::gql::Rows;
use crate::i18n::Tr;
use crate::session::Session;

/// A link of the navigation bar.
#[derive(Debug, Clone)]
pub struct Link {
    pub href: String,
    pub label: String,
    pub current: bool,
    pub badge: i64,
}

/// A one-line notice at the top of a page.
#[derive(Debug, Clone)]
pub struct Flash {
    /// `ok` or `error` (a CSS class).
    pub kind: &'static str,
    pub text: String,
}

/// The frame of a page: language, title, navigation, session.
#[derive(Debug, Clone)]
pub struct Chrome {
    pub t: Tr,
    pub title: String,
    pub user: Option<String>,
    pub csrf: String,
    pub nav: Vec<Link>,
    /// The page's own address (the language switch comes back to it).
    pub path: String,
    pub css: String,
    pub js: String,
    pub icon: String,
    pub wall: bool,
    /// Seconds after which the page reloads itself (the wall screen without JS).
    pub refresh: Option<u32>,
    /// The page updates itself when events arrive (`/events`).
    pub live: Option<String>,
    pub flashes: Vec<Flash>,
}

impl Chrome {
    /// The frame of a page seen without a session.
    pub fn anonymous(t: Tr, title: String, path: &str) -> Chrome {
        Chrome {
            t,
            title,
            user: None,
            csrf: String::new(),
            nav: Vec::new(),
            path: safe_next(path).to_owned(),
            css: assets::url("app.css"),
            js: assets::url("app.js"),
            icon: assets::url("icon.svg"),
            wall: false,
            refresh: None,
            live: None,
            flashes: Vec::new(),
        }
    }

    /// The frame of a page of a session, with the navigation of its roles.
    pub fn of(t: Tr, session: &Session, home: &Home, title: String, path: &str) -> Chrome {
        let mut chrome = Chrome::anonymous(t, title, path);
        chrome.user = Some(home.name.clone());
        chrome.csrf = session.csrf();
        chrome.nav = home
            .links
            .iter()
            .map(|(href, id)| Link {
                href: href.clone(),
                label: t.m(id),
                current: current(path, href),
                badge: if id == "nav-notifications" {
                    home.unread
                } else {
                    0
                },
            })
            .collect();
        chrome.live = Some("1".to_owned());
        chrome
    }

    pub fn flash(mut self, kind: &'static str, text: String) -> Chrome {
        self.flashes.push(Flash { kind, text });
        self
    }
}

fn current(path: &str, href: &str) -> bool {
    let path = path.split('?').next().unwrap_or(path);
    let href = href.split('?').next().unwrap_or(href);
    path == href
}

/// A local address to come back to; anything else (another host, `//x`) becomes `/`.
pub fn safe_next(next: &str) -> &str {
    if next.starts_with('/') && !next.starts_with("//") && !next.starts_with("/\\") {
        next
    } else {
        "/"
    }
}

/// Where a viewer works: the first screen and the navigation of their roles,
/// from `viewer { roles }` of the API.
#[derive(Debug, Clone, Default)]
pub struct Home {
    pub name: String,
    /// The first screen.
    pub first: String,
    /// (address, message id) of each navigation link.
    pub links: Vec<(String, String)>,
    pub unread: i64,
    /// The roles, for the pages that adapt to them.
    pub roles: Vec<String>,
    pub office_id: Option<String>,
    pub district_id: Option<String>,
    pub opd_id: Option<String>,
}

impl Home {
    /// The viewer's home, from the answer to [`HOME_QUERY`].
    pub fn from_viewer(data: &Value) -> Home {
        let viewer = &data["viewer"];
        let name = viewer["user"]["displayName"]
            .as_str()
            .or_else(|| viewer["label"].as_str())
            .unwrap_or_default()
            .to_owned();
        let roles = viewer["roles"].as_array().cloned().unwrap_or_default();
        let text = |v: &Value, key: &str| v[key].as_str().map(str::to_owned);
        let mut home = Home {
            name,
            unread: data["notifications"]["totalCount"].as_i64().unwrap_or(0),
            ..Home::default()
        };
        for role in &roles {
            let Some(name) = role["role"].as_str() else {
                continue;
            };
            home.roles.push(name.to_owned());
            home.office_id = home.office_id.take().or_else(|| text(role, "officeId"));
            home.district_id = home.district_id.take().or_else(|| text(role, "districtId"));
            home.opd_id = home.opd_id.take().or_else(|| text(role, "opdId"));
        }
        let mut links: Vec<(String, String)> = Vec::new();
        let mut add = |href: String, id: &str| {
            if !links.iter().any(|(h, _)| *h == href) {
                links.push((href, id.to_owned()));
            }
        };
        for role in &home.roles {
            match role.as_str() {
                "OPD_OFFICER" => {
                    add("/items?mine=1".to_owned(), "nav-my-items");
                }
                "DISTRICT_COORDINATOR" => {
                    if let Some(id) = &home.district_id {
                        add(format!("/districts/{id}"), "nav-district-board");
                    }
                    add("/overdue".to_owned(), "nav-overdue");
                    add("/agreements".to_owned(), "nav-agreements");
                }
                "OMBUDSMAN_ASSESSOR" => {
                    add("/queue".to_owned(), "nav-queue");
                    add("/agreements".to_owned(), "nav-agreements");
                    add("/scores/new".to_owned(), "nav-record-score");
                }
                "OMBUDSMAN_LEAD" | "SYSTEM_ADMIN" => {
                    match &home.office_id {
                        Some(id) => add(format!("/offices/{id}"), "nav-office-board"),
                        None => add("/offices".to_owned(), "nav-office-board"),
                    }
                    add("/agreements".to_owned(), "nav-agreements");
                    add("/rankings".to_owned(), "nav-rankings");
                }
                "VIEWER" => match (&home.district_id, &home.office_id) {
                    (Some(id), _) => add(format!("/districts/{id}"), "nav-district-board"),
                    (None, Some(id)) => add(format!("/offices/{id}"), "nav-office-board"),
                    (None, None) => {}
                },
                _ => {}
            }
        }
        if home.roles.iter().any(|r| r != "VIEWER") {
            add("/notifications".to_owned(), "nav-notifications");
        }
        home.first = links
            .first()
            .map_or_else(|| "/notifications".to_owned(), |(href, _)| href.clone());
        home.links = links;
        home
    }
}

/// What every page of a session asks first: who the viewer is, and their unread notifications.
pub const HOME_QUERY: &str = r"
query Home {
  viewer { label user { displayName } roles { role officeId districtId opdId } }
  notifications(unreadOnly: true, first: 1) { totalCount }
}";

/// A template as an HTML response; a rendering failure is logged and answered plainly.
pub fn render(template: &impl Template) -> Response {
    render_status(StatusCode::OK, template)
}

pub fn render_status(status: StatusCode, template: &impl Template) -> Response {
    match template.render() {
        Ok(html) => {
            let mut response = (status, Html(html)).into_response();
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            response
        }
        Err(err) => {
            tracing::error!(error = %err, "template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "template error").into_response()
        }
    }
}

/// An API error in the page's language, from its code and field only.
pub fn error_text(t: Tr, error: &crate::gql::ApiError) -> String {
    let code = error.code.as_str();
    if let Some(field) = &error.field {
        let specific = format!("error-{code}-{field}");
        if t.has(&specific) {
            return t.m(&specific);
        }
        let label = format!("field-{field}");
        if t.has(&label) {
            return t.a(
                "error-field",
                &[("field", &t.m(&label)), ("problem", &t.e("error", code))],
            );
        }
    }
    let general = format!("error-{code}");
    if t.has(&general) {
        t.m(&general)
    } else {
        t.m("error-INTERNAL")
    }
}

/// The page's text for a disabled action: the reason's code, translated.
pub fn reason_text(t: Tr, action: &str, code: Option<&str>) -> String {
    let code = code.unwrap_or("FORBIDDEN");
    let specific = format!("reason-{action}-{code}");
    if t.has(&specific) {
        t.m(&specific)
    } else if t.has(&format!("reason-{code}")) {
        t.e("reason", code)
    } else {
        t.m("reason-FORBIDDEN")
    }
}

/// Text at a key of a JSON object ("" when absent).
pub fn s(value: &Value, key: &str) -> String {
    value[key].as_str().unwrap_or_default().to_owned()
}

/// One action item in a list.
#[derive(Debug, Clone)]
pub struct ItemRow {
    pub id: String,
    pub title: String,
    pub status: String,
    pub status_label: String,
    pub due: String,
    pub overdue: bool,
    pub overdue_label: String,
    pub opd: String,
    pub opd_id: String,
    pub priority: String,
    pub priority_label: String,
    pub assignee: String,
    pub submitted: String,
}

/// The fields an [`ItemRow`] is made of, for the documents that list items.
pub const ITEM_ROW_FIELDS: &str = "id title status dueOn isOverdue daysOverdue priority submittedAt opd { id name shortName } district { timeZone } assignee { displayName }";

impl ItemRow {
    pub fn from_node(t: Tr, node: &Value) -> ItemRow {
        let status = s(node, "status");
        let priority = s(node, "priority");
        let days = node["daysOverdue"].as_i64().unwrap_or(0);
        let overdue = node["isOverdue"].as_bool().unwrap_or(false);
        let zone = node["district"]["timeZone"]
            .as_str()
            .unwrap_or("Asia/Jakarta");
        let submitted = node["submittedAt"]
            .as_str()
            .map(|at| t.datetime(at, zone))
            .unwrap_or_default();
        ItemRow {
            id: s(node, "id"),
            title: s(node, "title"),
            status_label: t.e("status", &status),
            status,
            due: t.date_text(node["dueOn"].as_str().unwrap_or_default()),
            overdue,
            overdue_label: if overdue {
                t.n("overdue-days", days)
            } else {
                String::new()
            },
            opd: node["opd"]["shortName"]
                .as_str()
                .or_else(|| node["opd"]["name"].as_str())
                .unwrap_or_default()
                .to_owned(),
            opd_id: s(&node["opd"], "id"),
            priority_label: t.e("priority", &priority),
            priority,
            assignee: node["assignee"]["displayName"]
                .as_str()
                .map_or_else(|| t.m("nobody"), str::to_owned),
            submitted,
        }
    }

    pub fn list(t: Tr, nodes: &Value) -> Vec<ItemRow> {
        nodes.rows(|n| ItemRow::from_node(t, n))
    }
}
