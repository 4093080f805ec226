//! Downloads for people: `GET /export/{what}.{xlsx|csv}` (the lists and
//! boards the caller can see) and, later, the rapor. Authenticated like
//! `/evidence/{id}`, by the bearer token; the handlers that take an already
//! authenticated [`Actor`] are public so that another front end (the web
//! pages, with their session cookie) can mount them with its own login.

use std::str::FromStr;

use async_graphql::ID;
use axum::Router;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::{DateTime, NaiveDate, Utc};
use pendamping_domain::action_item::ActionItemStatus;
use pendamping_domain::ids::{AgreementId, DistrictId};
use pendamping_domain::score::ScoreKind;
use pendamping_engine::{Actor, Engine, EngineError};
use pendamping_exchange::{Export, ExportError, ExportKind, ExportParams};

use crate::id::{Kind, decode};

/// The download routes over one engine.
pub fn router(engine: Engine) -> Router {
    Router::new()
        .route("/export/{file}", get(export_route))
        .route(
            "/report/district/{file}",
            get(|engine: State<Engine>, file: Path<String>, actor: Bearer| {
                report_route(ReportOf::District, engine, file, actor)
            }),
        )
        .route(
            "/report/agreement/{file}",
            get(|engine: State<Engine>, file: Path<String>, actor: Bearer| {
                report_route(ReportOf::Agreement, engine, file, actor)
            }),
        )
        .route("/templates/{file}", get(template_route))
        .with_state(engine)
}

/// The actor of a request carrying `Authorization: Bearer …`, or the refusal to send.
pub async fn authenticate(engine: &Engine, headers: &HeaderMap) -> Result<Actor, Response> {
    let token = match crate::routes::bearer(headers) {
        Ok(Some(token)) => token,
        Ok(None) => {
            return Err(crate::routes::unauthorized(
                "log in first: send `Authorization: Bearer <token>`",
            ));
        }
        Err(message) => return Err(crate::routes::unauthorized(message)),
    };
    match engine.authenticate(&token).await {
        Ok(actor) => Ok(actor),
        Err(EngineError::Unauthenticated(message)) => Err(crate::routes::unauthorized(&message)),
        Err(_) => Err((
            StatusCode::SERVICE_UNAVAILABLE,
            "authentication is unavailable",
        )
            .into_response()),
    }
}

/// The actor a download route answers, authenticated from the request's
/// bearer token before the handler runs; the refusal is the response otherwise.
struct Bearer(Actor);

impl axum::extract::FromRequestParts<Engine> for Bearer {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        engine: &Engine,
    ) -> Result<Self, Response> {
        authenticate(engine, &parts.headers).await.map(Bearer)
    }
}

async fn export_route(
    State(engine): State<Engine>,
    Path(file): Path<String>,
    Query(query): Query<Vec<(String, String)>>,
    Bearer(actor): Bearer,
) -> Response {
    export_response(&engine, &actor, &file, &query).await
}

/// A spreadsheet format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SheetFormat {
    Xlsx,
    Csv,
}

impl SheetFormat {
    fn media_type(self) -> &'static str {
        match self {
            SheetFormat::Xlsx => {
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
            SheetFormat::Csv => "text/csv; charset=utf-8",
        }
    }

    fn extension(self) -> &'static str {
        match self {
            SheetFormat::Xlsx => "xlsx",
            SheetFormat::Csv => "csv",
        }
    }
}

fn bad_request(message: impl Into<String>) -> Response {
    let body = serde_json::json!({
        "errors": [{ "message": message.into(), "extensions": { "code": "BAD_USER_INPUT" } }]
    });
    (
        StatusCode::BAD_REQUEST,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

fn engine_refusal(err: EngineError) -> Response {
    let status = match &err {
        EngineError::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
        EngineError::Forbidden(_) => StatusCode::FORBIDDEN,
        EngineError::NotFound(_) => StatusCode::NOT_FOUND,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    };
    let error = crate::error::gql(err);
    let code = error
        .extensions
        .as_ref()
        .and_then(|e| e.get("code"))
        .map(|c| c.to_string().trim_matches('"').to_owned())
        .unwrap_or_else(|| "INTERNAL".to_owned());
    let body = serde_json::json!({
        "errors": [{ "message": error.message, "extensions": { "code": code } }]
    });
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

fn export_refusal(err: ExportError) -> Response {
    match err {
        ExportError::Engine(err) => engine_refusal(err),
        ExportError::BadRequest(message) => bad_request(message),
        other => {
            tracing::warn!(error = %other, "export failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "the export failed").into_response()
        }
    }
}

fn id_param(name: &str, kind: Kind, value: &str) -> Result<i64, String> {
    decode(name, kind, &ID(value.to_owned())).map_err(|e| e.message)
}

fn date_param(name: &str, value: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .map_err(|_| format!("{name}: `{value}` is not a date (YYYY-MM-DD)"))
}

fn instant_param(name: &str, value: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(value)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| format!("{name}: `{value}` is not an RFC 3339 instant"))
}

fn bool_param(name: &str, value: &str) -> Result<bool, String> {
    match value {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(format!("{name}: expected true or false")),
    }
}

/// The export parameters named like the GraphQL filters' fields
/// (`districtId`, `status`, `dueFrom`, …); unknown names are refused.
pub fn export_params(query: &[(String, String)]) -> Result<ExportParams, String> {
    let mut params = ExportParams::default();
    for (name, value) in query {
        let value = value.trim();
        match name.as_str() {
            "districtId" => {
                let id = id_param(name, Kind::District, value)?;
                params.district_id = Some(id);
                params.action_items.district_id = Some(id);
                params.audit.district_id = Some(id);
            }
            "officeId" => {
                let id = id_param(name, Kind::Office, value)?;
                params.office_id = Some(id);
                params.audit.office_id = Some(id);
            }
            "opdId" => {
                let id = id_param(name, Kind::Opd, value)?;
                params.opd_id = Some(id);
                params.action_items.opd_id = Some(id);
            }
            "agreementId" => {
                params.action_items.agreement_id = Some(id_param(name, Kind::Agreement, value)?);
            }
            "milestoneId" => {
                params.action_items.milestone_id = Some(id_param(name, Kind::Milestone, value)?);
            }
            "periodId" => {
                params.period_id = Some(id_param(name, Kind::AssessmentPeriod, value)?);
            }
            "status" => {
                for code in value.split(',').map(str::trim).filter(|c| !c.is_empty()) {
                    let status = ActionItemStatus::from_str(code)
                        .map_err(|_| format!("status: `{code}` is not an action item status"))?;
                    params.action_items.statuses.push(status);
                }
            }
            "overdue" => params.action_items.overdue = Some(bool_param(name, value)?),
            "dueFrom" => params.action_items.due_from = Some(date_param(name, value)?),
            "dueTo" => params.action_items.due_to = Some(date_param(name, value)?),
            "orderBy" => {
                params.action_item_order.field = match value {
                    "DUE_ON" => pendamping_engine::ActionItemOrder::DueOn,
                    "ID" => pendamping_engine::ActionItemOrder::Id,
                    _ => return Err("orderBy: expected DUE_ON or ID".to_owned()),
                }
            }
            "direction" => {
                params.action_item_order.descending = match value {
                    "ASC" => false,
                    "DESC" => true,
                    _ => return Err("direction: expected ASC or DESC".to_owned()),
                }
            }
            "kind" => {
                params.score_kind = Some(
                    ScoreKind::from_str(value)
                        .map_err(|_| format!("kind: `{value}` is not a score kind"))?,
                );
            }
            "objectType" => params.audit.object_type = Some(value.to_owned()),
            "from" => params.audit.from = Some(instant_param(name, value)?),
            "to" => params.audit.to = Some(instant_param(name, value)?),
            other => {
                return Err(format!("`{other}` is not a parameter of exports"));
            }
        }
    }
    if let (Some(from), Some(to)) = (params.action_items.due_from, params.action_items.due_to)
        && from > to
    {
        return Err("dueTo: must not be before dueFrom".to_owned());
    }
    Ok(params)
}

fn attachment(response: &mut Response, media_type: &str, file_name: &str) {
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(media_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{file_name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
}

/// The answer to `GET /export/{file}` for an authenticated actor: `file` is
/// `{what}.{xlsx|csv}`, `query` the parameters.
pub async fn export_response(
    engine: &Engine,
    actor: &Actor,
    file: &str,
    query: &[(String, String)],
) -> Response {
    let Some((what, extension)) = file.rsplit_once('.') else {
        return (StatusCode::NOT_FOUND, "no such export").into_response();
    };
    let Some(kind) = ExportKind::from_slug(what) else {
        return (StatusCode::NOT_FOUND, "no such export").into_response();
    };
    let format = match extension {
        "xlsx" => SheetFormat::Xlsx,
        "csv" => SheetFormat::Csv,
        _ => return (StatusCode::NOT_FOUND, "exports are .xlsx or .csv").into_response(),
    };
    let params = match export_params(query) {
        Ok(params) => params,
        Err(message) => return bad_request(message),
    };
    let mut export = match Export::new(engine.reader(actor), kind, params) {
        Ok(export) => export,
        Err(err) => return export_refusal(err),
    };
    let file_name = format!("{}.{}", kind.slug(), format.extension());
    match format {
        SheetFormat::Csv => {
            // The first page is read before answering, so that a refusal
            // (an unknown district, a forbidden read) is still an HTTP error.
            let first = match pendamping_exchange::next_csv_chunk(&mut export, &mut false).await {
                Ok(header) => header,
                Err(err) => return export_refusal(err),
            };
            let rows = match export.next_rows().await {
                Ok(rows) => rows.unwrap_or_default(),
                Err(err) => return export_refusal(err),
            };
            let mut head = first.unwrap_or_default();
            match pendamping_exchange::csv_rows(&rows) {
                Ok(bytes) => head.extend(bytes),
                Err(err) => return export_refusal(err),
            }
            let rest = futures_util::stream::unfold(Some(export), |state| async move {
                let mut export = state?;
                match export.next_rows().await {
                    Ok(Some(rows)) => match pendamping_exchange::csv_rows(&rows) {
                        Ok(bytes) => Some((Ok::<_, ExportError>(bytes), Some(export))),
                        Err(err) => Some((Err(err), None)),
                    },
                    Ok(None) => None,
                    Err(err) => {
                        tracing::warn!(error = %err, "export stopped");
                        Some((Err(err), None))
                    }
                }
            });
            let stream = futures_util::StreamExt::chain(
                futures_util::stream::once(async move { Ok(head) }),
                rest,
            );
            let mut response = Body::from_stream(stream).into_response();
            attachment(&mut response, format.media_type(), &file_name);
            response
        }
        SheetFormat::Xlsx => {
            let path = pendamping_exchange::temp_path("xlsx");
            let target = path.clone();
            let mut writing =
                tokio::spawn(async move { pendamping_exchange::write_xlsx(export, &target).await });
            // A large sheet takes longer to write than a request may wait for
            // its headers (the server's timeout): after a while, answer and let
            // the body wait for the file. A failure then cuts the download
            // short (and is logged) instead of changing the status.
            let body = match tokio::time::timeout(XLSX_HEADERS_AFTER, &mut writing).await {
                Ok(written) => {
                    if let Some(refusal) = written_or_refusal(written, &path) {
                        return refusal;
                    }
                    match stream_file(path).await {
                        Ok(body) => body,
                        Err(err) => {
                            tracing::warn!(error = %err, "reading the export back failed");
                            return (StatusCode::INTERNAL_SERVER_ERROR, "the export failed")
                                .into_response();
                        }
                    }
                }
                Err(_) => {
                    let late = futures_util::stream::once(async move {
                        let written = writing.await;
                        if written_or_refusal(written, &path).is_some() {
                            return Err(std::io::Error::other("the export failed"));
                        }
                        file_stream(path).await
                    });
                    let flat = futures_util::StreamExt::flatten(futures_util::StreamExt::map(
                        late,
                        |opened| match opened {
                            Ok(stream) => futures_util::StreamExt::left_stream(stream),
                            Err(err) => futures_util::StreamExt::right_stream(
                                futures_util::stream::once(async move { Err(err) }),
                            ),
                        },
                    ));
                    Body::from_stream(flat)
                }
            };
            let mut response = body.into_response();
            attachment(&mut response, format.media_type(), &file_name);
            response
        }
    }
}

/// How long an `.xlsx` export may take to write before its headers are sent
/// (below the server's 60-second request timeout).
const XLSX_HEADERS_AFTER: std::time::Duration = std::time::Duration::from_secs(20);

/// The outcome of writing an `.xlsx` export: `None` when written, else the
/// refusal to send (the temporary file removed).
fn written_or_refusal(
    written: Result<Result<(), ExportError>, tokio::task::JoinError>,
    path: &std::path::Path,
) -> Option<Response> {
    let failed = match written {
        Ok(Ok(())) => return None,
        Ok(Err(err)) => export_refusal(err),
        Err(err) => {
            tracing::warn!(error = %err, "the export's writer stopped");
            (StatusCode::INTERNAL_SERVER_ERROR, "the export failed").into_response()
        }
    };
    let _ = std::fs::remove_file(path);
    Some(failed)
}

/// A body streaming a temporary file, which is removed once opened (the open
/// handle keeps its content until the body is done).
async fn stream_file(path: std::path::PathBuf) -> std::io::Result<Body> {
    Ok(Body::from_stream(file_stream(path).await?))
}

/// The chunks of a temporary file, which is removed once opened.
async fn file_stream(
    path: std::path::PathBuf,
) -> std::io::Result<impl futures_util::Stream<Item = std::io::Result<Vec<u8>>> + Send + 'static> {
    let (file, length) = tokio::task::spawn_blocking(move || {
        let file = std::fs::File::open(&path)?;
        let length = file.metadata()?.len();
        let _ = std::fs::remove_file(&path);
        Ok::<_, std::io::Error>((file, length))
    })
    .await
    .map_err(std::io::Error::other)??;
    tracing::debug!(bytes = length, "streaming an export");
    let stream = futures_util::stream::unfold(Some(file), |state| async move {
        let mut file = state?;
        let read = tokio::task::spawn_blocking(move || {
            use std::io::Read;
            let mut buffer = vec![0u8; 256 * 1024];
            let n = file.read(&mut buffer)?;
            buffer.truncate(n);
            Ok::<_, std::io::Error>((buffer, file))
        })
        .await
        .map_err(std::io::Error::other);
        match read {
            Ok(Ok((buffer, _))) if buffer.is_empty() => None,
            Ok(Ok((buffer, file))) => Some((Ok(buffer), Some(file))),
            Ok(Err(err)) | Err(err) => Some((Err(err), None)),
        }
    });
    Ok(stream)
}

/// `GET /report/{district|agreement}/{file}`: the rapor `of` one record.
async fn report_route(
    of: ReportOf,
    State(engine): State<Engine>,
    Path(file): Path<String>,
    Bearer(actor): Bearer,
) -> Response {
    report_response(&engine, &actor, of, &file).await
}

/// What a rapor is of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportOf {
    District,
    Agreement,
}

/// The answer to `GET /report/{district|agreement}/{globalId}.pdf` for an
/// authenticated actor: the rapor, or 404 when the record is not theirs to see.
pub async fn report_response(engine: &Engine, actor: &Actor, of: ReportOf, file: &str) -> Response {
    let kind = match of {
        ReportOf::District => Kind::District,
        ReportOf::Agreement => Kind::Agreement,
    };
    let Some(id) = file.strip_suffix(".pdf") else {
        return (StatusCode::NOT_FOUND, "a rapor is a .pdf").into_response();
    };
    let row = match crate::id::decode_any(&ID(id.to_owned())) {
        Some((found, row)) if found == kind => row,
        _ => return (StatusCode::NOT_FOUND, "no such record").into_response(),
    };
    let reader = engine.reader(actor);
    let started = std::time::Instant::now();
    let rendered = match kind {
        Kind::District => pendamping_exchange::district_rapor(&reader, DistrictId(row)).await,
        _ => pendamping_exchange::agreement_rapor(&reader, AgreementId(row)).await,
    };
    match rendered {
        Ok(bytes) => {
            tracing::info!(
                kind = kind.name(),
                id = row,
                bytes = bytes.len(),
                millis = started.elapsed().as_millis() as u64,
                "rapor rendered"
            );
            let mut response = bytes.into_response();
            let name = format!("rapor-{}-{row}.pdf", kind.name().to_lowercase());
            attachment(&mut response, "application/pdf", &name);
            response
        }
        Err(err) => export_refusal(err),
    }
}

async fn template_route(
    State(engine): State<Engine>,
    Path(file): Path<String>,
    Bearer(actor): Bearer,
) -> Response {
    template_response(&engine, &actor, &file).await
}

/// The answer to `GET /templates/{opds|scores|findings}.xlsx` for an
/// authenticated actor: the ready-to-fill import template, its example row
/// taken from what the actor can see.
pub async fn template_response(engine: &Engine, actor: &Actor, file: &str) -> Response {
    let kind = file
        .strip_suffix(".xlsx")
        .and_then(pendamping_exchange::import::ImportKind::from_slug);
    let Some(kind) = kind else {
        return (
            StatusCode::NOT_FOUND,
            "templates: opds.xlsx, scores.xlsx, findings.xlsx",
        )
            .into_response();
    };
    match pendamping_exchange::template::template(&engine.reader(actor), kind).await {
        Ok(bytes) => {
            let mut response = bytes.into_response();
            attachment(
                &mut response,
                SheetFormat::Xlsx.media_type(),
                &format!("templat-{}.xlsx", kind.slug()),
            );
            response
        }
        Err(err) => export_refusal(err),
    }
}
