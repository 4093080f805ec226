//! The one way the pages read and change data: a GraphQL document of the
//! public schema, executed in process for the session's actor, exactly as
//! `/graphql` would execute it for the same bearer token.

use async_graphql::{Request, UploadValue, Variables};
use pendamping_api::{ApiSchema, RequestContext};
use pendamping_engine::{Actor, Engine};
use serde_json::Value;

/// An error the API answered with: its client code and the field it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub code: String,
    pub field: Option<String>,
    /// The API's own (English) text, for the logs only: pages translate the code.
    pub message: String,
}

impl ApiError {
    /// An error with `code`, naming the field `field` holds (when it is a
    /// string), and the API's `message`.
    fn new(code: &str, field: Option<&Value>, message: &str) -> ApiError {
        ApiError {
            code: code.to_owned(),
            field: field.and_then(Value::as_str).map(str::to_owned),
            message: message.to_owned(),
        }
    }
}

/// The string at `key` of a JSON object, if there is one.
fn text<'a>(object: &'a Value, key: &str) -> Option<&'a str> {
    object.get(key).and_then(Value::as_str)
}

/// What one document gave: its data, and the errors of the answer.
#[derive(Debug, Clone)]
pub struct Answer {
    pub data: Value,
    pub errors: Vec<ApiError>,
}

/// A JSON list read as rows.
pub trait Rows {
    /// Each item of the list through `row`; none when the value is not a list
    /// (a field the viewer may not see comes back null).
    fn rows<T>(&self, row: impl FnMut(&Value) -> T) -> Vec<T>;
}

impl Rows for Value {
    fn rows<T>(&self, row: impl FnMut(&Value) -> T) -> Vec<T> {
        self.as_array()
            .map(|list| list.iter().map(row).collect())
            .unwrap_or_default()
    }
}

impl Answer {
    /// The value at a `/`-separated path of the data (JSON pointer).
    pub fn at(&self, pointer: &str) -> &Value {
        self.data.pointer(pointer).unwrap_or(&Value::Null)
    }
}

/// Runs `document` with `variables` for `actor` (anonymous with `None`),
/// with at most one uploaded file at the variable path `upload.0` (e.g.
/// `variables.input.file`); `token` is the session's token (the `logout`
/// mutation ends it).
#[allow(
    clippy::too_many_arguments,
    reason = "the request's parts, each needed"
)]
pub async fn execute(
    schema: &ApiSchema,
    engine: &Engine,
    actor: Option<Actor>,
    token: Option<String>,
    client_address: Option<String>,
    document: &str,
    variables: Value,
    upload: Option<(&str, UploadValue)>,
) -> Answer {
    let (context, loader) = RequestContext::new(engine.clone(), actor, token, client_address);
    let mut request = Request::new(document).variables(Variables::from_json(variables));
    if let Some((path, value)) = upload {
        request.set_upload(path, value);
    }
    let response = schema.execute(context.attach(loader, request)).await;
    let errors = response
        .errors
        .iter()
        .map(|error| {
            let extensions = error
                .extensions
                .as_ref()
                .and_then(|e| serde_json::to_value(e).ok())
                .unwrap_or(Value::Null);
            let fields = extensions.get("fields").and_then(Value::as_array);
            ApiError::new(
                text(&extensions, "code").unwrap_or("INTERNAL"),
                fields.and_then(|fields| fields.first()),
                &error.message,
            )
        })
        .collect::<Vec<_>>();
    for error in &errors {
        if error.code == "INTERNAL" {
            tracing::warn!(message = %error.message, "a page's query failed");
        }
    }
    let data = response.data.into_json().unwrap_or(Value::Null);
    Answer { data, errors }
}

/// What went wrong with a mutation: its payload's `userErrors` at `pointer`,
/// then the answer's own errors.
pub fn mutation_errors(answer: &Answer, pointer: &str) -> Vec<ApiError> {
    let mut errors = user_errors(answer, pointer);
    errors.extend(answer.errors.iter().cloned());
    errors
}

/// The `userErrors` of a mutation's payload at `pointer`, as API errors.
pub fn user_errors(answer: &Answer, pointer: &str) -> Vec<ApiError> {
    answer.at(pointer).rows(|e| {
        // The path's last name is the field (`["input", "reason"]`).
        let path = e.get("field").and_then(Value::as_array);
        ApiError::new(
            text(e, "code").unwrap_or("INVALID"),
            path.and_then(|path| path.last()),
            text(e, "message").unwrap_or_default(),
        )
    })
}
