//! GraphQL over HTTP (the GraphQL Foundation's GraphQL-over-HTTP
//! specification): GET and POST, `Accept` negotiation between
//! `application/graphql-response+json` and `application/json`, the status
//! codes each asks for, and multipart uploads (the GraphQL multipart request
//! specification). The stock async-graphql-axum extractor ignores `Accept`,
//! which the specification does not allow; hence this handler.
//!
//! Conformance is checked by `tests/graphql-http-audit` (the `graphql-http`
//! package's server audits).

use std::cmp::Ordering;

use async_graphql::parser::types::{ExecutableDocument, OperationType};
use async_graphql::{Executor, Request as GqlRequest, Response as GqlResponse, Variables};
use axum::body::{Body, Bytes};
use axum::extract::{Query, Request};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt as _;
use serde_json::{Map, Value};

use crate::answers::{Answer, AnswerSlot, Lookup, MediaType, RequestKey};
use crate::metrics::Outcome;

/// Limits on what one HTTP request may carry.
#[derive(Debug, Clone)]
pub struct HttpLimits {
    /// The largest `application/json` body accepted, in bytes.
    pub max_json_bytes: usize,
    /// The largest uploaded file, in bytes. A multipart request as a whole
    /// may carry `max_file_bytes × max_files` bytes.
    pub max_file_bytes: usize,
    /// The most files in one multipart request.
    pub max_files: usize,
}

impl Default for HttpLimits {
    fn default() -> Self {
        HttpLimits {
            max_json_bytes: 1024 * 1024,
            max_file_bytes: 20 * 1024 * 1024,
            max_files: 5,
        }
    }
}

const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json";
const JSON: &str = "application/json";
const MULTIPART: &str = "multipart/form-data";

/// Serves one GraphQL-over-HTTP request (GET, POST JSON or POST multipart)
/// and never fails: every refusal is an HTTP answer with a 4xx status.
///
/// `prepare` runs only for a well-formed request, just before execution:
/// it is where the caller attaches per-request data (the actor, the loaders).
/// Batched requests are refused; one operation per request.
///
/// With an answer slot, a read-only request whose answer is kept there, or
/// is being computed for another request, is answered with it (`x-cache:
/// hit`); otherwise it is computed, and left there if it has no errors
/// (`x-cache: miss`).
pub async fn execute_http<E: Executor>(
    executor: &E,
    request: Request,
    limits: &HttpLimits,
    answers: Option<AnswerSlot>,
    prepare: impl FnOnce(GqlRequest) -> GqlRequest,
) -> Response {
    let started = std::time::Instant::now();
    let (response, operation, outcome) =
        execute_measured(executor, request, limits, answers, prepare).await;
    crate::metrics::graphql_request(operation.as_deref(), outcome, started.elapsed());
    response
}

/// [`execute_http`], telling the metrics which operation ran and how it ended.
async fn execute_measured<E: Executor>(
    executor: &E,
    request: Request,
    limits: &HttpLimits,
    answers: Option<AnswerSlot>,
    prepare: impl FnOnce(GqlRequest) -> GqlRequest,
) -> (Response, Option<String>, Outcome) {
    if request.method() != Method::GET && request.method() != Method::POST {
        let media = negotiate(request.headers()).unwrap_or(MediaType::Json);
        let refused = Refusal::method_not_allowed("GET, POST", "use GET or POST").render(media);
        return (refused, None, Outcome::Refused);
    }
    let Some(media) = negotiate(request.headers()) else {
        return (not_acceptable(), None, Outcome::Refused);
    };
    let mut gql_request = match read_request(request, limits).await {
        Ok(gql_request) => gql_request,
        Err(refusal) => return (refusal.render(media), None, Outcome::Refused),
    };
    crate::documents::prepare(&mut gql_request);
    let operation = operation_name(&mut gql_request);
    let Some(key) = answers
        .as_ref()
        .and_then(|_| RequestKey::of(&mut gql_request, media))
    else {
        let answer = Answer::of(executor.execute(prepare(gql_request)).await, media);
        let outcome = answer.outcome();
        return (answer.into_response(), operation, outcome);
    };
    let lookup = match answers {
        Some(slot) => Some(slot.lookup(key).await),
        None => None,
    };
    let leader = match lookup {
        Some(Lookup::Kept(answer)) => {
            crate::metrics::answer_cache(true);
            return (answer.into_response_marked("hit"), operation, Outcome::Ok);
        }
        Some(Lookup::Pending(pending)) => match crate::answers::wait(pending).await {
            Some(answer) => {
                crate::metrics::answer_cache(true);
                return (answer.into_response_marked("hit"), operation, Outcome::Ok);
            }
            None => None,
        },
        Some(Lookup::Lead(leader)) => Some(leader),
        Some(Lookup::Stale) | None => None,
    };
    crate::metrics::answer_cache(false);
    let answer = Answer::of(executor.execute(prepare(gql_request)).await, media);
    if let Some(leader) = leader {
        leader.finish(&answer);
    }
    let outcome = answer.outcome();
    (answer.into_response_marked("miss"), operation, outcome)
}

/// The operation a request runs: its `operationName`, else the name of the
/// document's only operation.
fn operation_name(request: &mut GqlRequest) -> Option<String> {
    if let Some(name) = &request.operation_name {
        return Some(name.clone());
    }
    let document = request.parsed_query().ok()?;
    let mut names = document.operations.iter().map(|(name, _)| name);
    match (names.next(), names.next()) {
        (Some(Some(name)), None) => Some(name.to_string()),
        _ => None,
    }
}

impl RequestKey {
    /// The key of a request whose every operation is a query; `None` for
    /// anything else (mutations, subscriptions, documents that do not parse,
    /// uploads, extensions we would have to interpret).
    fn of(request: &mut GqlRequest, media: MediaType) -> Option<RequestKey> {
        if !request.uploads.is_empty() || !request.extensions.is_empty() {
            return None;
        }
        let document = request.parsed_query().ok()?;
        if !document
            .operations
            .iter()
            .all(|(_, operation)| operation.node.ty == OperationType::Query)
        {
            return None;
        }
        Some(RequestKey {
            media,
            query: request.query.clone(),
            operation_name: request.operation_name.clone(),
            variables: serde_json::to_string(&request.variables).ok()?,
        })
    }
}

impl Answer {
    /// How the request ended, for the metrics.
    fn outcome(&self) -> Outcome {
        if self.clean {
            Outcome::Ok
        } else {
            Outcome::Error
        }
    }

    /// Turns the executor's response into HTTP. A response without `data` whose
    /// errors carry no path failed as a request (parse, validation, variable
    /// coercion, unknown operation): 400 under `application/graphql-response+json`,
    /// 200 under `application/json`, and no `data` entry either way. Anything
    /// that executed answers 200, field errors included.
    fn of(mut response: GqlResponse, media: MediaType) -> Answer {
        let request_failed = response.data == async_graphql::Value::Null
            && !response.errors.is_empty()
            && response.errors.iter().all(|error| error.path.is_empty());
        let body = if request_failed {
            serde_json::to_string(&serde_json::json!({ "errors": response.errors }))
        } else {
            serde_json::to_string(&response)
        };
        let Ok(body) = body else {
            let mut headers = HeaderMap::new();
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/plain; charset=utf-8"),
            );
            return Answer {
                status: StatusCode::INTERNAL_SERVER_ERROR,
                headers,
                body: Bytes::from_static(b"the response could not be serialised"),
                clean: false,
            };
        };
        let status = if request_failed && media == MediaType::GraphqlResponse {
            StatusCode::BAD_REQUEST
        } else {
            StatusCode::OK
        };
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_TYPE, media.header());
        headers.insert(header::VARY, HeaderValue::from_static("accept"));
        // Headers resolvers set through `Context::insert_http_header`; ours win on conflicts.
        for (name, value) in std::mem::take(&mut response.http_headers).iter() {
            if !headers.contains_key(name) {
                headers.append(name.clone(), value.clone());
            }
        }
        Answer {
            status,
            headers,
            body: Bytes::from(body),
            clean: status == StatusCode::OK && response.errors.is_empty(),
        }
    }

    fn into_response_marked(self, cache: &'static str) -> Response {
        let mut response = self.into_response();
        response
            .headers_mut()
            .insert("x-cache", HeaderValue::from_static(cache));
        response
    }
}

impl IntoResponse for Answer {
    fn into_response(self) -> Response {
        let mut response = (self.status, Body::from(self.body)).into_response();
        *response.headers_mut() = self.headers;
        response
    }
}

impl MediaType {
    fn header(self) -> HeaderValue {
        HeaderValue::from_static(match self {
            MediaType::GraphqlResponse => "application/graphql-response+json; charset=utf-8",
            MediaType::Json => "application/json; charset=utf-8",
        })
    }
}

/// How well `Accept` matches one of our media types: the most specific
/// matching range decides (RFC 9110 §12.5.1), with its quality.
#[derive(Debug, Clone, Copy, Default)]
struct Acceptance {
    /// 0 = unmatched, 1 = `*/*`, 2 = `application/*`, 3 = the exact type.
    specificity: u8,
    quality: f32,
}

impl Acceptance {
    fn consider(&mut self, specificity: u8, quality: f32) {
        if specificity > self.specificity {
            *self = Acceptance {
                specificity,
                quality,
            };
        } else if specificity == self.specificity && quality > self.quality {
            self.quality = quality;
        }
    }

    fn acceptable(self) -> bool {
        self.specificity > 0 && self.quality > 0.0
    }
}

/// Picks the answer's media type from `Accept`; `None` when the client
/// accepts neither. Without `Accept`, or when only wildcards match, the
/// answer is `application/json` (what legacy clients expect and what the
/// `graphql-http` audit asks for); `application/graphql-response+json` wins
/// whenever the client names it at least as highly as `application/json`.
fn negotiate(headers: &HeaderMap) -> Option<MediaType> {
    let values: Vec<&str> = headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .filter(|value| !value.trim().is_empty())
        .collect();
    if values.is_empty() {
        return Some(MediaType::Json);
    }
    let (mut graphql, mut json) = (Acceptance::default(), Acceptance::default());
    for item in values.iter().flat_map(|value| value.split(',')) {
        let mut parts = item.split(';');
        let range = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
        // A malformed quality counts as "not acceptable" rather than as 1.
        let quality = parts
            .filter_map(|parameter| parameter.split_once('='))
            .find(|(name, _)| name.trim().eq_ignore_ascii_case("q"))
            .map_or(1.0, |(_, q)| q.trim().parse::<f32>().unwrap_or(0.0));
        match range.as_str() {
            "*/*" => {
                graphql.consider(1, quality);
                json.consider(1, quality);
            }
            "application/*" => {
                graphql.consider(2, quality);
                json.consider(2, quality);
            }
            GRAPHQL_RESPONSE_JSON => graphql.consider(3, quality),
            JSON => json.consider(3, quality),
            _ => {}
        }
    }
    match (graphql.acceptable(), json.acceptable()) {
        (false, false) => None,
        (true, false) => Some(MediaType::GraphqlResponse),
        (false, true) => Some(MediaType::Json),
        (true, true) => match graphql.quality.total_cmp(&json.quality) {
            Ordering::Greater => Some(MediaType::GraphqlResponse),
            Ordering::Less => Some(MediaType::Json),
            Ordering::Equal if graphql.specificity == 3 => Some(MediaType::GraphqlResponse),
            Ordering::Equal => Some(MediaType::Json),
        },
    }
}

/// A request refused before execution, as a value; rendered once the answer's
/// media type is known.
#[derive(Debug)]
struct Refusal {
    status: StatusCode,
    message: String,
    /// The `Allow` header of a 405.
    allow: Option<&'static str>,
    /// For a part over its size limit: the part and the limit in bytes.
    limit: Option<(String, u64)>,
}

impl Refusal {
    fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Refusal {
            status,
            message: message.into(),
            allow: None,
            limit: None,
        }
    }

    fn bad_request(message: impl Into<String>) -> Self {
        Refusal::new(StatusCode::BAD_REQUEST, message)
    }

    fn unsupported_media_type(message: impl Into<String>) -> Self {
        Refusal::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, message)
    }

    fn too_large(message: impl Into<String>) -> Self {
        Refusal::new(StatusCode::PAYLOAD_TOO_LARGE, message)
    }

    fn method_not_allowed(allow: &'static str, message: impl Into<String>) -> Self {
        Refusal {
            allow: Some(allow),
            ..Refusal::new(StatusCode::METHOD_NOT_ALLOWED, message)
        }
    }

    /// A GraphQL-shaped body (`errors` only, no `data`) in the negotiated type.
    fn render(self, media: MediaType) -> Response {
        let mut extensions = serde_json::json!({ "code": "BAD_REQUEST" });
        if self.status == StatusCode::PAYLOAD_TOO_LARGE {
            extensions["code"] = "REQUEST_TOO_LARGE".into();
        }
        if let Some((part, limit)) = &self.limit {
            extensions["part"] = part.as_str().into();
            extensions["limit"] = (*limit).into();
        }
        let body = serde_json::json!({
            "errors": [{ "message": self.message, "extensions": extensions }]
        });
        let mut response = answer(self.status, media, body.to_string());
        if let Some(allow) = self.allow {
            response
                .headers_mut()
                .insert(header::ALLOW, HeaderValue::from_static(allow));
        }
        response
    }
}

/// 406: the client accepts none of our media types, so the body is plain text.
fn not_acceptable() -> Response {
    let mut response = (
        StatusCode::NOT_ACCEPTABLE,
        "this endpoint answers application/graphql-response+json or application/json",
    )
        .into_response();
    response
        .headers_mut()
        .insert(header::VARY, HeaderValue::from_static("accept"));
    response
}

/// An answer with a GraphQL-shaped body; it varies with `Accept`.
fn answer(status: StatusCode, media: MediaType, body: String) -> Response {
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, media.header());
    headers.insert(header::VARY, HeaderValue::from_static("accept"));
    response
}

/// Reads the GraphQL request out of a GET or POST.
async fn read_request(request: Request, limits: &HttpLimits) -> Result<GqlRequest, Refusal> {
    if request.method() == Method::GET {
        from_query_string(request.uri())
    } else {
        from_post(request, limits).await
    }
}

/// GET: parameters in the query string, `variables` and `extensions` as
/// JSON; only queries, since GET must be safe.
fn from_query_string(uri: &Uri) -> Result<GqlRequest, Refusal> {
    let Query(pairs) = Query::<Vec<(String, String)>>::try_from_uri(uri)
        .map_err(|_| Refusal::bad_request("the query string is not valid URL encoding"))?;
    let mut object = Map::new();
    for (key, value) in pairs {
        let value = match key.as_str() {
            "variables" | "extensions" if value.trim().is_empty() => Value::Null,
            "variables" | "extensions" => serde_json::from_str(&value)
                .map_err(|_| Refusal::bad_request(format!("`{key}` must be a JSON object")))?,
            _ => Value::String(value),
        };
        object.insert(key, value);
    }
    let mut request = from_params(Value::Object(object))?;
    let operation_name = request.operation_name.clone();
    // Parsed once here; the executor reuses the document. A parse error is
    // left to the executor, which reports it as a GraphQL error.
    if let Ok(document) = request.parsed_query()
        && is_mutation(document, operation_name.as_deref())
    {
        return Err(Refusal::method_not_allowed(
            "POST",
            "mutations must be sent with POST",
        ));
    }
    Ok(request)
}

/// Whether the operation that would run is a mutation.
fn is_mutation(document: &ExecutableDocument, operation_name: Option<&str>) -> bool {
    document.operations.iter().any(|(name, operation)| {
        operation.node.ty == OperationType::Mutation
            && operation_name.is_none_or(|wanted| name.is_some_and(|name| name.as_str() == wanted))
    })
}

/// POST: a JSON body, or a multipart body carrying files.
async fn from_post(request: Request, limits: &HttpLimits) -> Result<GqlRequest, Refusal> {
    const WANTED: &str =
        "send Content-Type: application/json (or multipart/form-data for file uploads)";
    let Some((media, utf8)) = content_type(request.headers()) else {
        return Err(Refusal::unsupported_media_type(WANTED));
    };
    if !utf8 {
        return Err(Refusal::unsupported_media_type(
            "only UTF-8 request bodies are accepted",
        ));
    }
    match media.as_str() {
        JSON => {
            let bytes = read_limited(request.into_body(), limits.max_json_bytes).await?;
            if bytes.is_empty() {
                return Err(Refusal::bad_request("the request body is empty"));
            }
            let body: Value = serde_json::from_slice(&bytes).map_err(|err| {
                Refusal::bad_request(format!("the body is not valid JSON: {err}"))
            })?;
            from_params(body)
        }
        MULTIPART => from_multipart(request, limits).await,
        _ => Err(Refusal::unsupported_media_type(WANTED)),
    }
}

/// The request's media type (lower case), and whether its charset, if any, is UTF-8.
fn content_type(headers: &HeaderMap) -> Option<(String, bool)> {
    let value = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    let mut parts = value.split(';');
    let media = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
    let utf8 = parts.all(|parameter| match parameter.split_once('=') {
        Some((name, charset)) if name.trim().eq_ignore_ascii_case("charset") => charset
            .trim()
            .trim_matches('"')
            .eq_ignore_ascii_case("utf-8"),
        _ => true,
    });
    Some((media, utf8))
}

/// Reads a whole body, refusing it as soon as it grows past `limit` bytes.
async fn read_limited(body: Body, limit: usize) -> Result<Vec<u8>, Refusal> {
    let mut stream = body.into_data_stream();
    let mut bytes = Vec::new();
    while let Some(chunk) = stream.next().await {
        let chunk =
            chunk.map_err(|_| Refusal::bad_request("the request body could not be read"))?;
        if bytes.len().saturating_add(chunk.len()) > limit {
            return Err(Refusal::too_large(format!(
                "the request body is larger than {limit} bytes"
            )));
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

/// A multipart request: `operations` (one request, not a batch), `map`, files.
///
/// Read here with `multer` rather than async-graphql's reader, which caps
/// every part at the file limit: the `operations` and `map` parts are JSON
/// parsed in memory and so are held to the JSON body limit, refused as soon
/// as either grows past it (`REQUEST_TOO_LARGE`, with `limit` and `part`).
async fn from_multipart(request: Request, limits: &HttpLimits) -> Result<GqlRequest, Refusal> {
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let boundary = multer::parse_boundary(&content_type)
        .map_err(|err| Refusal::bad_request(format!("the multipart request is invalid: {err}")))?;
    let max_files = limits.max_files.max(1);
    let max_file_bytes = limits.max_file_bytes.min(usize::MAX / (max_files + 2));
    let json = limits.max_json_bytes as u64;
    let whole = (max_file_bytes as u64)
        .saturating_mul(max_files as u64)
        .saturating_add(json.saturating_mul(2));
    let constraints = multer::Constraints::new().size_limit(
        multer::SizeLimit::new()
            .whole_stream(whole)
            .per_field(max_file_bytes as u64)
            .for_field("operations", json)
            .for_field("map", json),
    );
    let mut multipart = multer::Multipart::with_constraints(
        request.into_body().into_data_stream(),
        boundary,
        constraints,
    );
    let too_large = |err: multer::Error| match err {
        multer::Error::FieldSizeExceeded { limit, field_name } => {
            let part = field_name.unwrap_or_default();
            let mut refusal = Refusal::too_large(match part.as_str() {
                "operations" | "map" => format!(
                    "the multipart request's `{part}` part is larger than {limit} bytes (the JSON body limit)"
                ),
                _ => format!("a file is larger than {limit} bytes"),
            });
            refusal.limit = Some((part, limit));
            refusal
        }
        multer::Error::StreamSizeExceeded { limit } => Refusal::too_large(format!(
            "the multipart request is larger than {limit} bytes"
        )),
        other => Refusal::bad_request(format!("the multipart request is invalid: {other}")),
    };
    let mut request: Option<GqlRequest> = None;
    let mut map: Option<std::collections::HashMap<String, Vec<String>>> = None;
    let mut files = 0usize;
    while let Some(field) = multipart.next_field().await.map_err(too_large)? {
        let name = field.name().unwrap_or_default().to_owned();
        match name.as_str() {
            "operations" => {
                let bytes = field.bytes().await.map_err(too_large)?;
                let body: Value = serde_json::from_slice(&bytes).map_err(|err| {
                    Refusal::bad_request(format!("`operations` is not JSON: {err}"))
                })?;
                request = Some(from_params(body)?);
            }
            "map" => {
                let bytes = field.bytes().await.map_err(too_large)?;
                map = Some(serde_json::from_slice(&bytes).map_err(|err| {
                    Refusal::bad_request(format!(
                        "`map` must be an object of file names to lists of paths: {err}"
                    ))
                })?);
            }
            _ => {
                let (Some(gql), Some(map)) = (request.as_mut(), map.as_ref()) else {
                    return Err(Refusal::bad_request(
                        "the `operations` and `map` parts must come before the files",
                    ));
                };
                let Some(paths) = map.get(&name) else {
                    continue;
                };
                files += 1;
                if files > limits.max_files {
                    return Err(Refusal::too_large(format!(
                        "at most {} files may be sent in one request",
                        limits.max_files
                    )));
                }
                let filename = field.file_name().unwrap_or_default().to_owned();
                let content_type = field.content_type().map(ToString::to_string);
                let content = field.bytes().await.map_err(too_large)?;
                for path in paths {
                    gql.set_upload(
                        path,
                        async_graphql::UploadValue {
                            filename: filename.clone(),
                            content_type: content_type.clone(),
                            content: content.clone(),
                        },
                    );
                }
            }
        }
    }
    match (request, map) {
        (Some(request), Some(_)) => Ok(request),
        (None, _) => Err(Refusal::bad_request(
            "the multipart request has no `operations` part",
        )),
        (Some(_), None) => Err(Refusal::bad_request(
            "the multipart request has no `map` part",
        )),
    }
}

/// Reads the request parameters from a JSON object, naming the one that is wrong.
fn from_params(body: Value) -> Result<GqlRequest, Refusal> {
    let Value::Object(mut object) = body else {
        return Err(Refusal::bad_request(
            "the request must be a JSON object (batched requests are not supported)",
        ));
    };
    let query = match object.remove("query") {
        Some(Value::String(query)) => query,
        Some(_) => return Err(Refusal::bad_request("`query` must be a string")),
        None => return Err(Refusal::bad_request("`query` is missing")),
    };
    let mut request = GqlRequest::new(query);
    match object.remove("operationName") {
        None | Some(Value::Null) => {}
        Some(Value::String(name)) => request = request.operation_name(name),
        Some(_) => {
            return Err(Refusal::bad_request(
                "`operationName` must be a string or null",
            ));
        }
    }
    if let Some(variables) = json_map("variables", object.remove("variables"))? {
        request = request.variables(Variables::from_json(Value::Object(variables)));
    }
    for (key, value) in json_map("extensions", object.remove("extensions"))?.unwrap_or_default() {
        if let Ok(value) = async_graphql::Value::from_json(value) {
            request.extensions.insert(key, value);
        }
    }
    Ok(request)
}

/// A parameter that must be a JSON object or null.
fn json_map(name: &str, value: Option<Value>) -> Result<Option<Map<String, Value>>, Refusal> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(map)) => Ok(Some(map)),
        Some(_) => Err(Refusal::bad_request(format!(
            "`{name}` must be an object or null"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use async_graphql::{Context, EmptySubscription, Object, Schema, Upload};

    struct Query;

    #[Object]
    impl Query {
        async fn greet(&self, name: String) -> String {
            format!("halo, {name}")
        }

        async fn broken(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<i32>> {
            ctx.insert_http_header("x-greeting", "halo");
            Err("not today".into())
        }
    }

    struct Mutation;

    #[Object]
    impl Mutation {
        async fn touch(&self) -> bool {
            true
        }

        async fn upload(&self, ctx: &Context<'_>, file: Upload) -> async_graphql::Result<String> {
            use std::io::Read as _;
            let mut text = String::new();
            file.value(ctx)?.into_read().read_to_string(&mut text)?;
            Ok(text)
        }

        async fn count(&self, files: Vec<Upload>) -> usize {
            files.len()
        }
    }

    fn schema() -> Schema<Query, Mutation, EmptySubscription> {
        Schema::new(Query, Mutation, EmptySubscription)
    }

    async fn send(request: Request) -> Response {
        send_with(request, &HttpLimits::default()).await
    }

    async fn send_with(request: Request, limits: &HttpLimits) -> Response {
        execute_http(&schema(), request, limits, None, |r| r).await
    }

    fn post(accept: Option<&str>, content_type: Option<&str>, body: &str) -> Request {
        let mut builder = axum::http::Request::post("/graphql");
        if let Some(accept) = accept {
            builder = builder.header(header::ACCEPT, accept);
        }
        if let Some(content_type) = content_type {
            builder = builder.header(header::CONTENT_TYPE, content_type);
        }
        builder.body(Body::from(body.to_owned())).unwrap()
    }

    fn get(uri: &str, accept: &str) -> Request {
        axum::http::Request::get(uri)
            .header(header::ACCEPT, accept)
            .body(Body::empty())
            .unwrap()
    }

    fn media_of(response: &Response) -> &str {
        response.headers()[header::CONTENT_TYPE].to_str().unwrap()
    }

    async fn body_json(response: Response) -> Value {
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        serde_json::from_slice(&bytes).unwrap_or(Value::Null)
    }

    /// A multipart body from (field name, file name, content); returns (content type, body).
    fn multipart(parts: &[(&str, Option<&str>, &str)]) -> (String, String) {
        let boundary = "XBOUNDARY";
        let mut body = String::new();
        for (name, filename, content) in parts {
            body.push_str(&format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\""
            ));
            if let Some(filename) = filename {
                body.push_str(&format!(
                    "; filename=\"{filename}\"\r\nContent-Type: text/plain"
                ));
            }
            body.push_str(&format!("\r\n\r\n{content}\r\n"));
        }
        body.push_str(&format!("--{boundary}--\r\n"));
        (format!("multipart/form-data; boundary={boundary}"), body)
    }

    /// A multipart request uploading `n` one-byte files as `count(files:)`.
    fn files(n: usize) -> (String, String) {
        let operations = format!(
            r#"{{"query":"mutation($f: [Upload!]!){{count(files:$f)}}","variables":{{"f":[{}]}}}}"#,
            vec!["null"; n].join(",")
        );
        let map = (0..n)
            .map(|i| format!(r#""{i}":["variables.f.{i}"]"#))
            .collect::<Vec<_>>()
            .join(",");
        let map = format!("{{{map}}}");
        let names: Vec<String> = (0..n).map(|i| i.to_string()).collect();
        let mut parts = vec![
            ("operations", None, operations.as_str()),
            ("map", None, &map),
        ];
        parts.extend(names.iter().map(|name| (name.as_str(), Some("f.txt"), "x")));
        multipart(&parts)
    }

    #[tokio::test]
    async fn a_get_query_runs_and_answers_in_the_accepted_type() {
        let response = send(get(
            "/graphql?query=%7Bgreet(name%3A%22Topoyo%22)%7D",
            GRAPHQL_RESPONSE_JSON,
        ))
        .await;
        assert_eq!(response.status(), StatusCode::OK);
        assert!(media_of(&response).starts_with(GRAPHQL_RESPONSE_JSON));
        assert_eq!(response.headers()[header::VARY], "accept");
        assert_eq!(body_json(response).await["data"]["greet"], "halo, Topoyo");
    }

    #[tokio::test]
    async fn a_get_query_takes_json_variables_and_refuses_bad_ones() {
        let response = send(get(
            "/graphql?query=query(%24n%3AString!)%7Bgreet(name%3A%24n)%7D&variables=%7B%22n%22%3A%22Budong+Budong%22%7D",
            JSON,
        ))
        .await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(
            body_json(response).await["data"]["greet"],
            "halo, Budong Budong"
        );
        for bad in ["variables=%7Bnope", "variables=%5B1%5D", "extensions=1"] {
            let response = send(get(
                &format!("/graphql?query=%7B__typename%7D&{bad}"),
                GRAPHQL_RESPONSE_JSON,
            ))
            .await;
            assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{bad}");
        }
        let response = send(get("/graphql", GRAPHQL_RESPONSE_JSON)).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    }

    #[tokio::test]
    async fn a_mutation_over_get_is_refused_with_405() {
        let response = send(get("/graphql?query=mutation%7Btouch%7D", JSON)).await;
        assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(response.headers()[header::ALLOW], "POST");
        // The named operation decides, not the first one in the document.
        let document = "query%20Q%7B__typename%7D%20mutation%20M%7Btouch%7D";
        let refused = send(get(
            &format!("/graphql?query={document}&operationName=M"),
            JSON,
        ))
        .await;
        assert_eq!(refused.status(), StatusCode::METHOD_NOT_ALLOWED);
        let allowed = send(get(
            &format!("/graphql?query={document}&operationName=Q"),
            JSON,
        ))
        .await;
        assert_eq!(allowed.status(), StatusCode::OK);
    }

    #[tokio::test]
    async fn post_json_runs_with_variables() {
        let response = send(post(
            Some(JSON),
            Some("application/json; charset=utf-8"),
            r#"{"query":"query($n: String!){greet(name:$n)}","variables":{"n":"Mateng"},"operationName":null,"extensions":{"x":1}}"#,
        ))
        .await;
        assert_eq!(response.status(), StatusCode::OK);
        assert!(media_of(&response).starts_with(JSON));
        assert_eq!(body_json(response).await["data"]["greet"], "halo, Mateng");
    }

    #[tokio::test]
    async fn parse_and_validation_errors_are_400_for_graphql_response_json_and_200_for_json() {
        for body in [
            r#"{"query":"{ greet("}"#,
            r#"{"query":"{ nope }"}"#,
            r#"{"query":"query($n: String!){greet(name:$n)}","variables":{"n":1}}"#,
            r#"{"query":"{ __typename }","operationName":"Missing"}"#,
        ] {
            let response = send(post(Some(GRAPHQL_RESPONSE_JSON), Some(JSON), body)).await;
            assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{body}");
            assert!(media_of(&response).starts_with(GRAPHQL_RESPONSE_JSON));
            let json = body_json(response).await;
            assert!(json.get("data").is_none(), "no data entry: {json}");
            assert!(json["errors"].is_array());

            let legacy = send(post(Some(JSON), Some(JSON), body)).await;
            assert_eq!(legacy.status(), StatusCode::OK, "{body}");
            assert!(body_json(legacy).await.get("data").is_none());
        }
    }

    #[tokio::test]
    async fn field_errors_answer_200_with_data_and_resolver_headers() {
        let response = send(post(
            Some(GRAPHQL_RESPONSE_JSON),
            Some(JSON),
            r#"{"query":"{ broken }"}"#,
        ))
        .await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()["x-greeting"], "halo");
        let json = body_json(response).await;
        assert_eq!(json["data"]["broken"], Value::Null);
        assert_eq!(json["errors"][0]["path"][0], "broken");
    }

    #[tokio::test]
    async fn malformed_requests_are_refused() {
        let cases: [(Request, StatusCode); 10] = [
            (
                post(Some("text/html"), Some(JSON), r#"{"query":"{__typename}"}"#),
                StatusCode::NOT_ACCEPTABLE,
            ),
            (
                post(Some(JSON), Some("text/plain"), "{__typename}"),
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ),
            (
                post(Some(JSON), None, r#"{"query":"{__typename}"}"#),
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ),
            (
                post(
                    Some(JSON),
                    Some("application/json; charset=iso-8859-1"),
                    r#"{"query":"{__typename}"}"#,
                ),
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ),
            (
                post(Some(JSON), Some(JSON), "{not json"),
                StatusCode::BAD_REQUEST,
            ),
            (post(Some(JSON), Some(JSON), ""), StatusCode::BAD_REQUEST),
            (
                post(
                    Some(GRAPHQL_RESPONSE_JSON),
                    Some(JSON),
                    r#"{"query":"{__typename}","variables":"x"}"#,
                ),
                StatusCode::BAD_REQUEST,
            ),
            (
                post(Some(JSON), Some(JSON), r#"{"query":{"x":1}}"#),
                StatusCode::BAD_REQUEST,
            ),
            (
                post(Some(JSON), Some(JSON), r#"[{"query":"{__typename}"}]"#),
                StatusCode::BAD_REQUEST,
            ),
            (
                post(Some(JSON), Some(JSON), r#"{"qeury":"{__typename}"}"#),
                StatusCode::BAD_REQUEST,
            ),
        ];
        for (request, status) in cases {
            let response = send(request).await;
            assert_eq!(response.status(), status);
        }
        let put = axum::http::Request::put("/graphql")
            .body(Body::empty())
            .unwrap();
        let response = send(put).await;
        assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(response.headers()[header::ALLOW], "GET, POST");
    }

    #[tokio::test]
    async fn a_json_body_over_the_limit_is_413() {
        let limits = HttpLimits {
            max_json_bytes: 16,
            ..HttpLimits::default()
        };
        let response = send_with(
            post(Some(JSON), Some(JSON), r#"{"query":"{ __typename }"}"#),
            &limits,
        )
        .await;
        assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    }

    #[test]
    fn accept_negotiation_prefers_graphql_response_json_when_named() {
        use MediaType::{GraphqlResponse, Json};
        let pick = |accept: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::ACCEPT, HeaderValue::from_str(accept).unwrap());
            negotiate(&headers)
        };
        assert_eq!(negotiate(&HeaderMap::new()), Some(Json));
        assert_eq!(pick("*/*"), Some(Json));
        assert_eq!(pick("application/*"), Some(Json));
        assert_eq!(pick(JSON), Some(Json));
        assert_eq!(pick(GRAPHQL_RESPONSE_JSON), Some(GraphqlResponse));
        assert_eq!(
            pick("application/json, application/graphql-response+json"),
            Some(GraphqlResponse)
        );
        assert_eq!(
            pick("application/graphql-response+json, application/json;q=0.9"),
            Some(GraphqlResponse)
        );
        assert_eq!(
            pick("application/graphql-response+json;q=0.5, application/json"),
            Some(Json)
        );
        assert_eq!(
            pick("application/graphql-response+json, */*"),
            Some(GraphqlResponse)
        );
        assert_eq!(pick("application/json;q=0, */*"), Some(GraphqlResponse));
        assert_eq!(
            pick("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"),
            Some(Json)
        );
        assert_eq!(pick("text/html"), None);
        assert_eq!(pick("application/json;q=0"), None);
    }

    #[tokio::test]
    async fn a_multipart_upload_reaches_the_resolver() {
        let (content_type, body) = multipart(&[
            (
                "operations",
                None,
                r#"{"query":"mutation($f: Upload!){upload(file:$f)}","variables":{"f":null}}"#,
            ),
            ("map", None, r#"{"0":["variables.f"]}"#),
            ("0", Some("bukti.txt"), "pengaduan sudah ditangani"),
        ]);
        let response = send(post(
            Some(GRAPHQL_RESPONSE_JSON),
            Some(&content_type),
            &body,
        ))
        .await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(
            body_json(response).await["data"]["upload"],
            "pengaduan sudah ditangani"
        );
    }

    #[tokio::test]
    async fn multipart_limits_and_mistakes_are_refused() {
        // Files small enough that only the file count can refuse them.
        let limits = HttpLimits {
            max_file_bytes: 1024,
            max_files: 2,
            ..HttpLimits::default()
        };
        let (content_type, body) = files(2);
        let response = send_with(post(Some(JSON), Some(&content_type), &body), &limits).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(body_json(response).await["data"]["count"], 2);
        let (content_type, body) = files(3);
        let response = send_with(post(Some(JSON), Some(&content_type), &body), &limits).await;
        assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);

        // One file over its own limit, the request as a whole under size × count.
        let big = "x".repeat(1100);
        let (content_type, body) = multipart(&[
            (
                "operations",
                None,
                r#"{"query":"mutation($f: Upload!){upload(file:$f)}","variables":{"f":null}}"#,
            ),
            ("map", None, r#"{"0":["variables.f"]}"#),
            ("0", Some("big.txt"), &big),
        ]);
        let response = send_with(post(Some(JSON), Some(&content_type), &body), &limits).await;
        assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);

        let (content_type, body) = multipart(&[("map", None, r#"{"0":["variables.f"]}"#)]);
        let response = send(post(Some(JSON), Some(&content_type), &body)).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);

        // The operations part is held to the JSON body limit, not the file limit.
        let limits = HttpLimits {
            max_json_bytes: 200,
            ..HttpLimits::default()
        };
        let padding = " ".repeat(300);
        let operations = format!(
            r#"{{"query":"mutation($f: Upload!){{upload(file:$f)}}{padding}","variables":{{"f":null}}}}"#
        );
        let (content_type, body) = multipart(&[
            ("operations", None, &operations),
            ("map", None, r#"{"0":["variables.f"]}"#),
            ("0", Some("small.txt"), "x"),
        ]);
        let response = send_with(post(Some(JSON), Some(&content_type), &body), &limits).await;
        assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
        let refused = body_json(response).await;
        assert_eq!(
            refused["errors"][0]["extensions"]["code"],
            "REQUEST_TOO_LARGE"
        );
        assert_eq!(refused["errors"][0]["extensions"]["part"], "operations");
        assert_eq!(refused["errors"][0]["extensions"]["limit"], 200);

        // So is the `map` part (before: held only to the file limit).
        let map = format!(r#"{{"0":["variables.f"]{padding}}}"#);
        let (content_type, body) = multipart(&[
            (
                "operations",
                None,
                r#"{"query":"mutation($f: Upload!){upload(file:$f)}","variables":{"f":null}}"#,
            ),
            ("map", None, &map),
            ("0", Some("small.txt"), "x"),
        ]);
        let response = send_with(post(Some(JSON), Some(&content_type), &body), &limits).await;
        assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
        let refused = body_json(response).await;
        assert_eq!(
            refused["errors"][0]["extensions"]["part"], "map",
            "{refused}"
        );
        assert!(
            refused["errors"][0]["message"]
                .as_str()
                .unwrap_or_default()
                .contains("`map` part is larger than 200 bytes"),
            "{refused}"
        );

        let response = send(post(Some(JSON), Some("multipart/form-data"), "x")).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    }
}
