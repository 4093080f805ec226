//! The pages. Each handler: the session (or the login page), one GraphQL
//! document for the data, one template.

use askama::Template;
use async_graphql::UploadValue;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::json;

use crate::WebState;
use crate::gql::{self, Answer};
use crate::i18n::{Lang, Tr};
use crate::session::{self, NoSession, Session};
use crate::views::{self, Chrome, HOME_QUERY, Home};

pub(crate) mod agreements;
pub(crate) mod boards;
pub(crate) mod imports;
pub(crate) mod items;
pub(crate) mod notifications;
pub(crate) mod scores;

/// What a page handler starts from: the language, and the session with the viewer's home.
pub(crate) struct Visit {
    pub t: Tr,
    pub session: Session,
    pub home: Home,
}

impl Visit {
    /// The frame of a page of this visit.
    pub fn chrome(&self, title_id: &str, path: &str) -> Chrome {
        Chrome::of(self.t, &self.session, &self.home, self.t.m(title_id), path)
    }

    /// Runs a document for the visit's actor.
    pub async fn query(
        &self,
        state: &WebState,
        document: &str,
        variables: serde_json::Value,
    ) -> Answer {
        for_session(state, &self.session, document, variables, None).await
    }

    /// Runs a document for the visit's actor with one uploaded file at the
    /// variable path `upload.0`.
    pub async fn query_with_upload(
        &self,
        state: &WebState,
        document: &str,
        variables: serde_json::Value,
        upload: (&str, UploadValue),
    ) -> Answer {
        for_session(state, &self.session, document, variables, Some(upload)).await
    }
}

/// Runs a document for a session's actor (with an uploaded file, if any).
async fn for_session(
    state: &WebState,
    session: &Session,
    document: &str,
    variables: serde_json::Value,
    upload: Option<(&str, UploadValue)>,
) -> Answer {
    gql::execute(
        &state.schema,
        &state.engine,
        Some(session.actor.clone()),
        Some(session.token.clone()),
        None,
        document,
        variables,
        upload,
    )
    .await
}

/// A page handler's visit, taken from the request like its other parts (and
/// after them): where there is none, the handler is not run and the login
/// page (or "unavailable") is the answer, as [`visit`] says.
impl axum::extract::FromRequestParts<WebState> for Visit {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &WebState,
    ) -> Result<Self, Response> {
        visit(state, &parts.headers, &parts.uri).await
    }
}

/// The visit of a request, or the response to send instead (the login page,
/// or "unavailable").
pub(crate) async fn visit(
    state: &WebState,
    headers: &HeaderMap,
    uri: &Uri,
) -> Result<Visit, Response> {
    let t = Tr::new(session::language(headers));
    let session = match session::session(state, headers).await {
        Ok(session) => session,
        Err(NoSession::Anonymous) => {
            let next = uri.path_and_query().map_or("/", |p| p.as_str());
            let target = if next == "/" {
                "/login".to_owned()
            } else {
                format!("/login?next={}", urlencode(next))
            };
            return Err(Redirect::to(&target).into_response());
        }
        Err(NoSession::Unavailable) => return Err(unavailable(t)),
    };
    Ok(Visit::of(state, t, session).await)
}

impl Visit {
    /// The visit of a known session (or dashboard token): its home, as the
    /// viewer's own query answers it.
    pub(crate) async fn of(state: &WebState, t: Tr, session: Session) -> Visit {
        let answer = for_session(state, &session, HOME_QUERY, json!({}), None).await;
        let home = Home::from_viewer(&answer.data);
        Visit { t, session, home }
    }
}

pub(crate) fn urlencode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(byte as char);
            }
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

#[derive(Template)]
#[template(path = "message.html")]
pub(crate) struct MessagePage {
    pub c: Chrome,
    pub heading: String,
    pub text: String,
}

pub(crate) fn unavailable(t: Tr) -> Response {
    let text = (t.m("unavailable-title"), t.m("unavailable-text"));
    anonymous_message(t, StatusCode::SERVICE_UNAVAILABLE, text)
}

/// A page outside any visit's frame saying one thing: its heading and text.
fn anonymous_message(t: Tr, status: StatusCode, (heading, text): (String, String)) -> Response {
    let page = MessagePage {
        c: Chrome::anonymous(t, heading.clone(), "/"),
        heading,
        text,
    };
    views::render_status(status, &page)
}

/// A page in the frame of a visit, saying one thing (not found, refused).
pub(crate) fn message(
    visit: &Visit,
    status: StatusCode,
    heading_id: &str,
    text_id: &str,
    path: &str,
) -> Response {
    let page = MessagePage {
        c: visit.chrome(heading_id, path),
        heading: visit.t.m(heading_id),
        text: visit.t.m(text_id),
    };
    views::render_status(status, &page)
}

/// A form that carries the CSRF token of the session that posts it.
pub(crate) trait CarriesCsrf {
    fn csrf(&self) -> &str;
}

/// A posted form and the visit behind it, once the session may post it (the
/// CSRF token matches and the origin is ours); the page to answer otherwise.
/// The form is read first, as `axum::Form` would be on its own.
pub(crate) struct Posted<F>(pub Visit, pub F);

impl<F> axum::extract::FromRequest<WebState> for Posted<F>
where
    F: serde::de::DeserializeOwned + CarriesCsrf + Send,
{
    type Rejection = Response;

    async fn from_request(
        request: axum::extract::Request,
        state: &WebState,
    ) -> Result<Self, Response> {
        let (headers, uri) = (request.headers().clone(), request.uri().clone());
        let axum::Form(form) = axum::Form::<F>::from_request(request, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let visit = visit(state, &headers, &uri).await?;
        if !session::form_allowed(&headers, &visit.session, Some(form.csrf())) {
            return Err(forbidden_form(visit.t));
        }
        Ok(Posted(visit, form))
    }
}

/// Refuses a form post that did not come from our page of this session.
pub(crate) fn forbidden_form(t: Tr) -> Response {
    let text = (t.m("csrf-title"), t.m("csrf-text"));
    anonymous_message(t, StatusCode::FORBIDDEN, text)
}

/// `/`: the first screen of the viewer's work, or the login page.
pub(crate) async fn home(State(state): State<WebState>, headers: HeaderMap, uri: Uri) -> Response {
    match visit(&state, &headers, &uri).await {
        Ok(visit) => Redirect::to(&visit.home.first).into_response(),
        Err(response) => response,
    }
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    c: Chrome,
    error: Option<String>,
    email: String,
    next: String,
}

#[derive(Debug, Deserialize)]
pub(crate) struct NextQuery {
    next: Option<String>,
}

/// `GET /login`.
pub(crate) async fn login_page(headers: HeaderMap, Query(query): Query<NextQuery>) -> Response {
    let t = Tr::new(session::language(&headers));
    let next = views::safe_next(query.next.as_deref().unwrap_or("/")).to_owned();
    views::render(&LoginPage {
        c: Chrome::anonymous(t, t.m("login-title"), "/login"),
        error: None,
        email: String::new(),
        next,
    })
}

#[derive(Debug, Deserialize)]
pub(crate) struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

const LOGIN: &str = r"
mutation Login($input: LoginInput!) {
  login(input: $input) { token userErrors { field message code } }
}";

/// `POST /login`: the `login` mutation; its token becomes the session cookie.
pub(crate) async fn login(
    State(state): State<WebState>,
    headers: HeaderMap,
    connect: Option<axum::Extension<ConnectInfo<std::net::SocketAddr>>>,
    axum::Form(form): axum::Form<LoginForm>,
) -> Response {
    let t = Tr::new(session::language(&headers));
    if !session::same_origin(&headers) {
        return forbidden_form(t);
    }
    let address = connect.map(|axum::Extension(ConnectInfo(addr))| addr.ip().to_string());
    let answer = gql::execute(
        &state.schema,
        &state.engine,
        None,
        None,
        address,
        LOGIN,
        json!({ "input": { "email": form.email, "password": form.password } }),
        None,
    )
    .await;
    let next = views::safe_next(&form.next).to_owned();
    if let Some(token) = answer.at("/login/token").as_str() {
        let mut response = Redirect::to(&next).into_response();
        response.headers_mut().insert(
            header::SET_COOKIE,
            session::session_cookie(token, session::secure(&state, &headers)),
        );
        return response;
    }
    let errors = gql::user_errors(&answer, "/login/userErrors");
    let code = errors
        .first()
        .map(|e| e.code.clone())
        .or_else(|| answer.errors.first().map(|e| e.code.clone()))
        .unwrap_or_else(|| "INTERNAL".to_owned());
    let error = match code.as_str() {
        "RATE_LIMITED" => t.m("login-error-rate-limited"),
        "UNAUTHENTICATED" | "BAD_USER_INPUT" | "FORBIDDEN" | "NOT_FOUND" => {
            t.m("login-error-wrong")
        }
        _ => t.m("error-INTERNAL"),
    };
    let status = if code == "RATE_LIMITED" {
        StatusCode::TOO_MANY_REQUESTS
    } else {
        StatusCode::UNAUTHORIZED
    };
    views::render_status(
        status,
        &LoginPage {
            c: Chrome::anonymous(t, t.m("login-title"), "/login"),
            error: Some(error),
            email: form.email,
            next,
        },
    )
}

#[derive(Debug, Deserialize)]
pub(crate) struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

/// `POST /logout`: the `logout` mutation ends the session on the server; the cookie goes.
pub(crate) async fn logout(
    State(state): State<WebState>,
    headers: HeaderMap,
    axum::Form(form): axum::Form<CsrfForm>,
) -> Response {
    let t = Tr::new(session::language(&headers));
    let secure = session::secure(&state, &headers);
    match session::session(&state, &headers).await {
        Ok(session) => {
            if !session::form_allowed(&headers, &session, Some(&form.csrf)) {
                return forbidden_form(t);
            }
            let logout = "mutation { logout { loggedOut } }";
            let answer = for_session(&state, &session, logout, json!({}), None).await;
            if !answer.errors.is_empty() {
                tracing::warn!(errors = ?answer.errors, "logout failed");
            }
        }
        Err(NoSession::Unavailable) => return unavailable(t),
        Err(NoSession::Anonymous) => {}
    }
    let mut response = Redirect::to("/login").into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, session::clear_session_cookie(secure));
    response
}

/// `GET /lang/{id|en}?next=…`: remembers the language and goes back.
pub(crate) async fn switch_language(
    Path(code): Path<String>,
    Query(query): Query<NextQuery>,
) -> Response {
    let lang = Lang::from_code(&code).unwrap_or(Lang::Id);
    let next = views::safe_next(query.next.as_deref().unwrap_or("/"));
    let mut response = Redirect::to(next).into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, session::lang_cookie(lang));
    response
}

/// Any other address.
pub(crate) async fn not_found(headers: HeaderMap, uri: Uri) -> Response {
    let t = Tr::new(session::language(&headers));
    let page = MessagePage {
        c: Chrome::anonymous(t, t.m("not-found-title"), uri.path()),
        heading: t.m("not-found-title"),
        text: t.m("not-found-text"),
    };
    views::render_status(StatusCode::NOT_FOUND, &page)
}

/// The largest file a page accepts for upload (the API's own limit).
pub(crate) const MAX_UPLOAD: usize = 20 * 1024 * 1024;

/// The content type and the whole body of an upload; `None` when the body is
/// larger than a file of [`MAX_UPLOAD`] and its form fields.
pub(crate) async fn upload_body(
    headers: &HeaderMap,
    request: axum::extract::Request,
) -> Option<(String, axum::body::Bytes)> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body = axum::body::to_bytes(request.into_body(), MAX_UPLOAD + 64 * 1024)
        .await
        .ok()?;
    Some((content_type, body))
}

/// The fields of a multipart body already read; `None` when the content type
/// names no boundary.
pub(crate) fn multipart_of(
    content_type: &str,
    body: axum::body::Bytes,
) -> Option<multer::Multipart<'static>> {
    let boundary = multer::parse_boundary(content_type).ok()?;
    let stream =
        futures_util::stream::once(async move { Ok::<axum::body::Bytes, std::io::Error>(body) });
    Some(multer::Multipart::new(stream, boundary))
}
