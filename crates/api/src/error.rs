//! Engine errors to GraphQL errors, mapped here and nowhere else.
//!
//! Queries fail with a top-level error whose `extensions.code` names the kind;
//! mutations report expected failures as `userErrors` in their payload and
//! keep top-level errors for the unauthenticated and the unexpected.

use async_graphql::{ErrorExtensions, SimpleObject};
use pendamping_engine::EngineError;

/// The client codes. Stable: clients branch on them.
pub mod code {
    pub const UNAUTHENTICATED: &str = "UNAUTHENTICATED";
    pub const FORBIDDEN: &str = "FORBIDDEN";
    pub const NOT_FOUND: &str = "NOT_FOUND";
    pub const BAD_USER_INPUT: &str = "BAD_USER_INPUT";
    pub const CONFLICT: &str = "CONFLICT";
    pub const INVALID_TRANSITION: &str = "INVALID_TRANSITION";
    pub const RATE_LIMITED: &str = "RATE_LIMITED";
    pub const INTERNAL: &str = "INTERNAL";
    /// The database could not be reached within a few seconds; retry shortly.
    pub const DATABASE_UNAVAILABLE: &str = "DATABASE_UNAVAILABLE";
}

/// The client code of an engine error.
pub fn code_of(err: &EngineError) -> &'static str {
    match err {
        EngineError::Unauthenticated(_) => code::UNAUTHENTICATED,
        EngineError::Forbidden(_) => code::FORBIDDEN,
        EngineError::NotFound(_) => code::NOT_FOUND,
        EngineError::Invalid(_) => code::BAD_USER_INPUT,
        EngineError::Conflict { .. } => code::CONFLICT,
        EngineError::InvalidTransition(_) => code::INVALID_TRANSITION,
        EngineError::RateLimited(_) | EngineError::Throttled { .. } => code::RATE_LIMITED,
        EngineError::Internal(inner) if inner.is_unavailable() => code::DATABASE_UNAVAILABLE,
        EngineError::Internal(_) | EngineError::Failure(_) => code::INTERNAL,
    }
}

/// What a client may be told. Internal details are logged under a reference
/// that the message carries, and never sent.
fn client_message(err: &EngineError) -> String {
    match err {
        EngineError::Internal(inner) if inner.is_unavailable() => {
            tracing::warn!(error = %inner, "database not reachable");
            "the database cannot be reached at the moment; try again in a few seconds".to_owned()
        }
        EngineError::Internal(_) | EngineError::Failure(_) => {
            let reference = correlation_id();
            tracing::error!(reference = %reference, error = %err, "internal error");
            format!("internal error; quote reference {reference} to the operator")
        }
        other => other.to_string(),
    }
}

fn correlation_id() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    format!("{:x}-{n}", std::process::id())
}

/// An engine error as a top-level GraphQL error.
pub fn gql(err: EngineError) -> async_graphql::Error {
    let code = code_of(&err);
    let fields: Vec<String> = match &err {
        EngineError::Invalid(errors) => errors.iter().map(|e| e.field.clone()).collect(),
        _ => Vec::new(),
    };
    let retry_after = match &err {
        EngineError::Throttled {
            retry_after_seconds,
        } => Some(*retry_after_seconds),
        _ => None,
    };
    async_graphql::Error::new(client_message(&err)).extend_with(|_, ext| {
        ext.set("code", code);
        if let Some(seconds) = retry_after {
            ext.set("retryAfterSeconds", seconds);
        }
        if !fields.is_empty() {
            ext.set("fields", fields.clone());
        }
    })
}

/// `result.gql()?` in resolvers: the one way engine results reach clients.
pub trait OrGql<T> {
    fn gql(self) -> async_graphql::Result<T>;
}

impl<T> OrGql<T> for Result<T, EngineError> {
    fn gql(self) -> async_graphql::Result<T> {
        self.map_err(gql)
    }
}

/// An expected failure of a mutation, returned in its payload.
#[derive(Debug, Clone, SimpleObject)]
pub struct UserError {
    /// The input field at fault, as a path (e.g. `["input", "periodEnd"]`); empty when the whole input is.
    pub field: Vec<String>,
    /// What went wrong, for people.
    pub message: String,
    /// What went wrong, for programs: `BAD_USER_INPUT`, `FORBIDDEN`, `NOT_FOUND`, `CONFLICT`, `INVALID_TRANSITION`, `RATE_LIMITED`.
    pub code: String,
}

/// Splits a mutation's failure: expected ones become `userErrors`, the
/// unauthenticated and internal ones stay top-level errors.
pub fn user_errors(err: EngineError) -> async_graphql::Result<Vec<UserError>> {
    match err {
        EngineError::Invalid(errors) => Ok(errors
            .into_iter()
            .map(|e| UserError {
                field: vec!["input".to_owned(), e.field],
                message: e.message,
                code: code::BAD_USER_INPUT.to_owned(),
            })
            .collect()),
        err @ (EngineError::Unauthenticated(_)
        | EngineError::Internal(_)
        | EngineError::Failure(_)) => Err(gql(err)),
        other => Ok(vec![UserError {
            field: Vec::new(),
            code: code_of(&other).to_owned(),
            message: other.to_string(),
        }]),
    }
}

/// `result.outcome()?` in mutations: the changed object and the `userErrors`
/// every payload carries. Expected failures become `userErrors` (see
/// [`user_errors`]); the unauthenticated and internal ones stay top-level errors.
pub trait Outcome<T> {
    fn outcome(self) -> async_graphql::Result<(Option<T>, Vec<UserError>)>;
}

impl<T> Outcome<T> for Result<T, EngineError> {
    fn outcome(self) -> async_graphql::Result<(Option<T>, Vec<UserError>)> {
        match self {
            Ok(value) => Ok((Some(value), Vec::new())),
            Err(err) => Ok((None, user_errors(err)?)),
        }
    }
}

/// Runs the engine's `change` with what a mutation's input was read as; an
/// input that could not be read (a wrong ID, a bad field) is the result, and
/// nothing runs.
pub(crate) async fn change_with<I, T, F>(
    input: Result<I, EngineError>,
    change: impl FnOnce(I) -> F,
) -> Result<T, EngineError>
where
    F: std::future::Future<Output = Result<T, EngineError>>,
{
    change(input?).await
}

/// A bad argument of a query, as a top-level error naming the argument.
pub fn bad_argument(argument: &str, message: impl std::fmt::Display) -> async_graphql::Error {
    gql(EngineError::invalid(argument, message.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use pendamping_domain::FieldError;
    use pendamping_engine::InternalError;
    use pendamping_storage::StorageError;

    fn code_in(err: async_graphql::Error) -> String {
        let ext = err.extensions.expect("extensions");
        match ext.get("code") {
            Some(async_graphql::Value::String(code)) => code.clone(),
            other => panic!("no code: {other:?}"),
        }
    }

    #[test]
    fn every_engine_error_has_its_code() {
        let cases = [
            (EngineError::Unauthenticated("x".into()), "UNAUTHENTICATED"),
            (EngineError::Forbidden("x".into()), "FORBIDDEN"),
            (EngineError::NotFound("x".into()), "NOT_FOUND"),
            (
                EngineError::invalid("name", "must not be empty"),
                "BAD_USER_INPUT",
            ),
            (
                EngineError::Conflict {
                    object: "x".into(),
                    current: 2,
                    given: 1,
                },
                "CONFLICT",
            ),
            (
                EngineError::InvalidTransition("x".into()),
                "INVALID_TRANSITION",
            ),
            (EngineError::RateLimited("x".into()), "RATE_LIMITED"),
            (
                EngineError::Internal(StorageError::Corrupt("secret detail".into())),
                "INTERNAL",
            ),
            (
                EngineError::Failure(InternalError::Blob("/var/lib/secret".into())),
                "INTERNAL",
            ),
            (
                EngineError::Failure(InternalError::Hashing("argon2".into())),
                "INTERNAL",
            ),
        ];
        for (err, expected) in cases {
            assert_eq!(code_in(gql(err)), expected);
        }
    }

    #[test]
    fn internal_details_never_reach_the_client() {
        let err = gql(EngineError::Internal(StorageError::Corrupt(
            "password_hash column".into(),
        )));
        assert!(!err.message.contains("password_hash"));
        assert!(err.message.starts_with("internal error; quote reference"));
        for failure in [
            InternalError::Blob("/var/lib/pendamping/evidence".into()),
            InternalError::HttpClient("tls backend".into()),
            InternalError::Mail("smtp relay 10.0.0.5".into()),
        ] {
            let detail = failure.to_string();
            let err = gql(EngineError::Failure(failure));
            assert!(!err.message.contains(&detail), "{}", err.message);
            assert!(err.message.starts_with("internal error; quote reference"));
        }
        assert!(
            user_errors(EngineError::Failure(InternalError::Mail("x".into()))).is_err(),
            "an internal failure is a top-level error, not a userError"
        );
    }

    #[test]
    fn validation_failures_become_user_errors_with_their_fields() {
        let errors = user_errors(EngineError::Invalid(vec![
            FieldError::new("name", "must not be empty"),
            FieldError::new("code", "must be at most 20 characters"),
        ]))
        .expect("expected failure");
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[0].field, vec!["input", "name"]);
        assert_eq!(errors[0].code, "BAD_USER_INPUT");
        assert_eq!(errors[1].field, vec!["input", "code"]);
    }

    #[test]
    fn outcome_gives_the_object_or_the_user_errors() {
        let (value, errors) = Ok::<_, EngineError>(7).outcome().expect("a payload");
        assert_eq!((value, errors.len()), (Some(7), 0));
        let (value, errors) = Err::<i32, _>(EngineError::NotFound("agreement".into()))
            .outcome()
            .expect("a payload");
        assert_eq!(value, None);
        assert_eq!(errors[0].code, "NOT_FOUND");
        assert!(
            Err::<i32, _>(EngineError::Unauthenticated("log in".into()))
                .outcome()
                .is_err()
        );
    }

    #[test]
    fn unauthenticated_mutations_fail_at_the_top() {
        assert!(user_errors(EngineError::Unauthenticated("log in".into())).is_err());
        let forbidden = user_errors(EngineError::Forbidden("no".into())).unwrap();
        assert_eq!(forbidden[0].code, "FORBIDDEN");
    }
}
