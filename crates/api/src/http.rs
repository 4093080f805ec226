//! GraphQL over HTTP (the GraphQL Foundation's GraphQL-over-HTTP
//! specification): GET and POST, `Accept` negotiation between
//! `application/graphql-response+json` and `application/json`, the status
//! codes each asks for, and multipart uploads (the GraphQL multipart request
//! specification). The stock async-graphql-axum extractor ignores `Accept`,
//! which the specification does not allow; hence this handler.

use async_graphql::http::MultipartOptions;
use async_graphql::parser::types::{DocumentOperations, OperationType};
use async_graphql::{Executor, Request as GqlRequest, ServerError, Variables};
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures_util::TryStreamExt as _;
use serde_json::{Map, Value};

/// Limits on what one HTTP request may carry.
#[derive(Debug, Clone)]
pub struct HttpLimits {
    /// The largest JSON body accepted, in bytes.
    pub max_json_bytes: usize,
    /// The largest uploaded file, in bytes.
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

/// The media type an answer is given in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MediaType {
    /// `application/graphql-response+json`: status codes tell request errors apart.
    GraphqlResponse,
    /// `application/json`: the legacy type; well-formed requests answer 200.
    Json,
}

impl MediaType {
    fn header(self) -> HeaderValue {
        HeaderValue::from_static(match self {
            MediaType::GraphqlResponse => "application/graphql-response+json; charset=utf-8",
            MediaType::Json => "application/json; charset=utf-8",
        })
    }
}

/// Picks the answer's media type from `Accept`; `None` when the client accepts neither.
fn negotiate(headers: &HeaderMap) -> Option<MediaType> {
    let Some(accept) = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()) else {
        // No Accept: the specification's legacy default.
        return Some(MediaType::Json);
    };
    let mut best: Option<(f32, MediaType)> = None;
    for item in accept.split(',') {
        let mut parts = item.split(';');
        let media = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
        let mut quality = 1.0f32;
        for parameter in parts {
            if let Some(q) = parameter.trim().strip_prefix("q=") {
                quality = q.trim().parse().unwrap_or(0.0);
            }
        }
        if quality <= 0.0 {
            continue;
        }
        let candidate = match media.as_str() {
            GRAPHQL_RESPONSE_JSON => MediaType::GraphqlResponse,
            JSON | "application/*" | "*/*" => MediaType::Json,
            _ => continue,
        };
        let better = match best {
            None => true,
            Some((q, current)) => {
                quality > q
                    || (quality == q
                        && candidate == MediaType::GraphqlResponse
                        && current != candidate)
            }
        };
        if better {
            best = Some((quality, candidate));
        }
    }
    best.map(|(_, media)| media)
}

/// An answer with a GraphQL-shaped body.
fn answer(status: StatusCode, media: MediaType, body: impl ToString) -> Response {
    let mut response = (status, body.to_string()).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, media.header());
    response
}

/// A request the server cannot take as GraphQL: always a 4xx, no `data`.
fn malformed(status: StatusCode, media: MediaType, message: &str) -> Response {
    answer(
        status,
        media,
        serde_json::json!({ "errors": [{ "message": message, "extensions": { "code": "BAD_REQUEST" } }] }),
    )
}

/// A request whose parameters are not a GraphQL request (no `query`, a
/// `variables` that is not an object…): 400 in either media type, no `data`.
fn request_error(media: MediaType, message: &str) -> Response {
    answer(
        StatusCode::BAD_REQUEST,
        media,
        serde_json::json!({ "errors": [{ "message": message, "extensions": { "code": "BAD_REQUEST" } }] }),
    )
}

/// The parameters of a GraphQL request, before parsing the document.
struct Params {
    query: String,
    operation_name: Option<String>,
    variables: Option<Map<String, Value>>,
    extensions: Option<Map<String, Value>>,
}

/// Reads the parameters from a JSON object, naming the parameter that is wrong.
fn params_from_json(body: Value) -> Result<Params, String> {
    let Value::Object(mut object) = body else {
        return Err(
            "the request body must be a JSON object (batched requests are not supported)".into(),
        );
    };
    let query = match object.remove("query") {
        Some(Value::String(query)) => query,
        Some(_) => return Err("`query` must be a string".into()),
        None => return Err("`query` is missing".into()),
    };
    let operation_name = match object.remove("operationName") {
        None | Some(Value::Null) => None,
        Some(Value::String(name)) => Some(name),
        Some(_) => return Err("`operationName` must be a string or null".into()),
    };
    let map = |name: &str, value: Option<Value>| match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(map)) => Ok(Some(map)),
        Some(_) => Err(format!("`{name}` must be an object or null")),
    };
    Ok(Params {
        query,
        operation_name,
        variables: map("variables", object.remove("variables"))?,
        extensions: map("extensions", object.remove("extensions"))?,
    })
}

/// Reads the parameters from a GET query string.
fn params_from_query_string(raw: &str) -> Result<Params, String> {
    let mut object = Map::new();
    for (key, value) in form_urlencoded(raw) {
        let value = match key.as_str() {
            "variables" | "extensions" if !value.is_empty() => serde_json::from_str(&value)
                .map_err(|_| format!("`{key}` must be a JSON-encoded object"))?,
            "variables" | "extensions" => Value::Null,
            _ => Value::String(value),
        };
        object.insert(key, value);
    }
    params_from_json(Value::Object(object))
}

/// Decodes `application/x-www-form-urlencoded` pairs.
fn form_urlencoded(raw: &str) -> Vec<(String, String)> {
    raw.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(key), percent_decode(value))
        })
        .collect()
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                match u8::from_str_radix(hex, 16) {
                    Ok(byte) => {
                        out.push(byte);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn to_request(params: Params) -> GqlRequest {
    let mut request = GqlRequest::new(params.query);
    if let Some(name) = params.operation_name {
        request = request.operation_name(name);
    }
    if let Some(variables) = params.variables {
        request = request.variables(Variables::from_json(Value::Object(variables)));
    }
    if let Some(extensions) = params.extensions {
        for (key, value) in extensions {
            if let Ok(value) = async_graphql::Value::from_json(value) {
                request.extensions.insert(key, value);
            }
        }
    }
    request
}

/// Whether the operation a GET would run is a mutation (GET may only read).
fn is_mutation(query: &str, operation_name: Option<&str>) -> bool {
    let Ok(document) = async_graphql::parser::parse_query(query) else {
        return false; // the executor reports the parse error
    };
    match &document.operations {
        DocumentOperations::Single(operation) => operation.node.ty == OperationType::Mutation,
        DocumentOperations::Multiple(operations) => operation_name
            .and_then(|name| operations.get(name))
            .is_some_and(|operation| operation.node.ty == OperationType::Mutation),
    }
}

/// The request's media type, and whether its charset (if given) is UTF-8.
fn content_type(headers: &HeaderMap) -> Option<(String, bool)> {
    let value = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    let mut parts = value.split(';');
    let media = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
    let utf8 = parts.all(|parameter| match parameter.trim().split_once('=') {
        Some((name, charset)) if name.trim().eq_ignore_ascii_case("charset") => charset
            .trim()
            .trim_matches('"')
            .eq_ignore_ascii_case("utf-8"),
        _ => true,
    });
    Some((media, utf8))
}

/// Request errors (parse, validation, variable coercion) carry no path;
/// errors raised while executing always do.
fn is_request_error(errors: &[ServerError]) -> bool {
    !errors.is_empty() && errors.iter().all(|e| e.path.is_empty())
}

/// Serves one GraphQL-over-HTTP request. `prepare` adds per-request data
/// (the actor, the loaders) to the GraphQL request before it runs.
pub async fn execute_http<E: Executor>(
    executor: &E,
    request: Request,
    limits: &HttpLimits,
    prepare: impl FnOnce(GqlRequest) -> GqlRequest,
) -> Response {
    let headers = request.headers().clone();
    let Some(media) = negotiate(&headers) else {
        let mut response = (
            StatusCode::NOT_ACCEPTABLE,
            "this endpoint answers application/graphql-response+json or application/json",
        )
            .into_response();
        response
            .headers_mut()
            .insert(header::VARY, HeaderValue::from_static("accept"));
        return response;
    };
    let method = request.method().clone();
    let gql_request = if method == Method::GET {
        let params = match params_from_query_string(request.uri().query().unwrap_or_default()) {
            Ok(params) => params,
            Err(message) => return request_error(media, &message),
        };
        if is_mutation(&params.query, params.operation_name.as_deref()) {
            let mut response = malformed(
                StatusCode::METHOD_NOT_ALLOWED,
                media,
                "mutations must be sent with POST",
            );
            response
                .headers_mut()
                .insert(header::ALLOW, HeaderValue::from_static("POST"));
            return response;
        }
        to_request(params)
    } else if method == Method::POST {
        match content_type(&headers) {
            None => {
                return malformed(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    media,
                    "send a Content-Type: application/json (or multipart/form-data for uploads)",
                );
            }
            Some((_, false)) => {
                return malformed(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    media,
                    "only UTF-8 bodies are accepted",
                );
            }
            Some((kind, true)) if kind == JSON => {
                let bytes =
                    match axum::body::to_bytes(request.into_body(), limits.max_json_bytes).await {
                        Ok(bytes) => bytes,
                        Err(_) => {
                            return malformed(
                                StatusCode::PAYLOAD_TOO_LARGE,
                                media,
                                &format!("the body is larger than {} bytes", limits.max_json_bytes),
                            );
                        }
                    };
                if bytes.is_empty() {
                    return malformed(StatusCode::BAD_REQUEST, media, "the request body is empty");
                }
                let body: Value = match serde_json::from_slice(&bytes) {
                    Ok(body) => body,
                    Err(err) => {
                        return malformed(
                            StatusCode::BAD_REQUEST,
                            media,
                            &format!("the body is not valid JSON: {err}"),
                        );
                    }
                };
                match params_from_json(body) {
                    Ok(params) => to_request(params),
                    Err(message) => return request_error(media, &message),
                }
            }
            Some((kind, true)) if kind == "multipart/form-data" => {
                let content_type = headers
                    .get(header::CONTENT_TYPE)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned);
                let body = request
                    .into_body()
                    .into_data_stream()
                    .map_err(std::io::Error::other)
                    .into_async_read();
                let options = MultipartOptions::default()
                    .max_file_size(limits.max_file_bytes)
                    .max_num_files(limits.max_files);
                match async_graphql::http::receive_body(content_type, body, options).await {
                    Ok(request) => request,
                    Err(err) => {
                        let status = match err {
                            async_graphql::ParseRequestError::PayloadTooLarge => {
                                StatusCode::PAYLOAD_TOO_LARGE
                            }
                            _ => StatusCode::BAD_REQUEST,
                        };
                        return malformed(
                            status,
                            media,
                            &format!("the multipart request is invalid: {err}"),
                        );
                    }
                }
            }
            Some(_) => {
                return malformed(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    media,
                    "send a Content-Type: application/json (or multipart/form-data for uploads)",
                );
            }
        }
    } else {
        let mut response = (StatusCode::METHOD_NOT_ALLOWED, "use GET or POST").into_response();
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, POST"));
        return response;
    };

    let response = executor.execute(prepare(gql_request)).await;
    let request_failed =
        response.data == async_graphql::Value::Null && is_request_error(&response.errors);
    // Serialised straight from the response, so fields keep the order of the query.
    let body = if request_failed {
        serde_json::to_string(&serde_json::json!({ "errors": response.errors }))
    } else {
        serde_json::to_string(&response)
    }
    .unwrap_or_else(|_| {
        r#"{"errors":[{"message":"the response could not be serialised"}]}"#.to_owned()
    });
    let status = if request_failed && media == MediaType::GraphqlResponse {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let mut answer = answer(status, media, body);
    answer
        .headers_mut()
        .insert(header::VARY, HeaderValue::from_static("accept"));
    answer
}

/// The body of a response as JSON (tests).
#[cfg(test)]
async fn body_json(response: Response) -> Value {
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    serde_json::from_slice(&bytes).unwrap_or(Value::Null)
}

#[cfg(test)]
mod tests {
    use super::*;
    use async_graphql::{EmptySubscription, Object, Schema, Upload};
    use axum::body::Body;

    struct Query;

    #[Object]
    impl Query {
        async fn greet(&self, name: String) -> String {
            format!("halo, {name}")
        }
    }

    struct Mutation;

    #[Object]
    impl Mutation {
        async fn touch(&self) -> bool {
            true
        }

        async fn upload(
            &self,
            ctx: &async_graphql::Context<'_>,
            file: Upload,
        ) -> async_graphql::Result<String> {
            use std::io::Read as _;
            let mut text = String::new();
            file.value(ctx)?.into_read().read_to_string(&mut text)?;
            Ok(text)
        }
    }

    fn schema() -> Schema<Query, Mutation, EmptySubscription> {
        Schema::new(Query, Mutation, EmptySubscription)
    }

    async fn send(request: axum::http::Request<Body>) -> Response {
        execute_http(&schema(), request, &HttpLimits::default(), |r| r).await
    }

    fn post(
        accept: Option<&str>,
        content_type: Option<&str>,
        body: &str,
    ) -> axum::http::Request<Body> {
        let mut builder = axum::http::Request::post("/graphql");
        if let Some(accept) = accept {
            builder = builder.header(header::ACCEPT, accept);
        }
        if let Some(content_type) = content_type {
            builder = builder.header(header::CONTENT_TYPE, content_type);
        }
        builder.body(Body::from(body.to_owned())).unwrap()
    }

    fn get(uri: &str, accept: &str) -> axum::http::Request<Body> {
        axum::http::Request::get(uri)
            .header(header::ACCEPT, accept)
            .body(Body::empty())
            .unwrap()
    }

    fn media_of(response: &Response) -> &str {
        response.headers()[header::CONTENT_TYPE].to_str().unwrap()
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
        assert_eq!(body_json(response).await["data"]["greet"], "halo, Topoyo");
    }

    #[tokio::test]
    async fn a_mutation_over_get_is_refused_with_405() {
        let response = send(get("/graphql?query=mutation%7Btouch%7D", JSON)).await;
        assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(response.headers()[header::ALLOW], "POST");
    }

    #[tokio::test]
    async fn post_json_runs_with_variables() {
        let response = send(post(
            Some(JSON),
            Some("application/json; charset=utf-8"),
            r#"{"query":"query($n: String!){greet(name:$n)}","variables":{"n":"Mateng"}}"#,
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
        ] {
            let response = send(post(Some(GRAPHQL_RESPONSE_JSON), Some(JSON), body)).await;
            assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{body}");
            let json = body_json(response).await;
            assert!(json.get("data").is_none(), "no data entry: {json}");
            assert!(json["errors"].is_array());

            let legacy = send(post(Some(JSON), Some(JSON), body)).await;
            assert_eq!(legacy.status(), StatusCode::OK, "{body}");
        }
    }

    #[tokio::test]
    async fn malformed_requests_are_refused() {
        assert_eq!(
            send(post(
                Some("text/html"),
                Some(JSON),
                r#"{"query":"{__typename}"}"#
            ))
            .await
            .status(),
            StatusCode::NOT_ACCEPTABLE
        );
        assert_eq!(
            send(post(Some(JSON), Some("text/plain"), "{__typename}"))
                .await
                .status(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE
        );
        assert_eq!(
            send(post(Some(JSON), None, r#"{"query":"{__typename}"}"#))
                .await
                .status(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE
        );
        assert_eq!(
            send(post(Some(JSON), Some(JSON), "{not json"))
                .await
                .status(),
            StatusCode::BAD_REQUEST
        );
        assert_eq!(
            send(post(Some(JSON), Some(JSON), "")).await.status(),
            StatusCode::BAD_REQUEST
        );
        assert_eq!(
            send(post(
                Some(GRAPHQL_RESPONSE_JSON),
                Some(JSON),
                r#"{"query":"{__typename}","variables":"x"}"#
            ))
            .await
            .status(),
            StatusCode::BAD_REQUEST
        );
        assert_eq!(
            send(post(
                Some(GRAPHQL_RESPONSE_JSON),
                Some(JSON),
                r#"{"query":{"x":1}}"#
            ))
            .await
            .status(),
            StatusCode::BAD_REQUEST
        );
        let put = axum::http::Request::put("/graphql")
            .body(Body::empty())
            .unwrap();
        assert_eq!(send(put).await.status(), StatusCode::METHOD_NOT_ALLOWED);
    }

    #[tokio::test]
    async fn without_accept_the_answer_is_application_json() {
        let response = send(post(None, Some(JSON), r#"{"query":"{__typename}"}"#)).await;
        assert!(media_of(&response).starts_with(JSON));
        let response = send(post(Some("*/*"), Some(JSON), r#"{"query":"{__typename}"}"#)).await;
        assert!(media_of(&response).starts_with(JSON));
    }

    #[tokio::test]
    async fn a_multipart_upload_reaches_the_resolver() {
        let boundary = "XBOUNDARY";
        let body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"operations\"\r\n\r\n\
             {{\"query\":\"mutation($f: Upload!){{upload(file:$f)}}\",\"variables\":{{\"f\":null}}}}\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"map\"\r\n\r\n{{\"0\":[\"variables.f\"]}}\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"0\"; filename=\"bukti.txt\"\r\nContent-Type: text/plain\r\n\r\n\
             pengaduan sudah ditangani\r\n--{boundary}--\r\n"
        );
        let response = send(post(
            Some(JSON),
            Some(&format!("multipart/form-data; boundary={boundary}")),
            &body,
        ))
        .await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(
            body_json(response).await["data"]["upload"],
            "pengaduan sudah ditangani"
        );
    }

    #[test]
    fn percent_decoding_handles_plus_and_escapes() {
        assert_eq!(percent_decode("a+b%20c%7B%7D"), "a b c{}");
        assert_eq!(percent_decode("100%"), "100%");
    }
}
