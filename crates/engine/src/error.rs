//! The errors of the use cases. The API maps each variant to one client code,
//! in one place.

use pendamping_domain::FieldError;
use pendamping_storage::StorageError;

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// No valid credentials came with the request.
    #[error("authentication required: {0}")]
    Unauthenticated(String),
    /// The actor may not do this here.
    #[error("{0}")]
    Forbidden(String),
    /// The record does not exist, or the actor cannot see it (the two are not told apart).
    #[error("{0} not found")]
    NotFound(String),
    /// The input is wrong; each error names its field.
    #[error("invalid input: {}", list(.0))]
    Invalid(Vec<FieldError>),
    /// The record changed since the client read it.
    #[error("{object} was changed by someone else: it is at version {current}, not {given}")]
    Conflict {
        object: String,
        current: i32,
        given: i32,
    },
    /// The action is not possible in the record's current state.
    #[error("{0}")]
    InvalidTransition(String),
    /// Too many attempts; try again later.
    #[error("{0}")]
    RateLimited(String),
    /// Too many failed attempts at a password or code for this account or
    /// address: the next one is evaluated after the delay.
    #[error("too many failed attempts; try again in {retry_after_seconds} seconds")]
    Throttled { retry_after_seconds: u64 },
    /// Anything the client cannot fix; logged, never shown in detail.
    #[error("internal error: {0}")]
    Internal(#[from] StorageError),
    /// A failure outside the database the client cannot fix either (blob
    /// I/O, hashing, the HTTP client, mail); logged, never shown in detail.
    #[error("internal error: {0}")]
    Failure(#[from] InternalError),
}

/// What goes wrong beside the database: the client cannot fix it, the
/// operator can (a full disk, an unreachable mail relay, a closed pool).
#[derive(Debug, thiserror::Error)]
pub enum InternalError {
    /// Storing or reading an evidence file.
    #[error("blob store: {0}")]
    Blob(String),
    /// Hashing or checking a password off the async workers.
    #[error("password hashing: {0}")]
    Hashing(String),
    /// Building or using the outgoing HTTP client (webhooks).
    #[error("HTTP client: {0}")]
    HttpClient(String),
    /// Rendering or sending mail.
    #[error("mail: {0}")]
    Mail(String),
    /// The code and its own tables disagree (a defect, not bad input).
    #[error("defect: {0}")]
    Defect(String),
}

fn list(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

impl EngineError {
    /// A change made at version `given` of `object` when it is at `current`:
    /// someone else changed it first (optimistic concurrency).
    pub fn conflict(object: &str, current: i32, given: i32) -> Self {
        EngineError::Conflict {
            object: format!("the {object}"),
            current,
            given,
        }
    }

    /// A change made at version `given` that someone else's came before: the
    /// object is now at least at the next version.
    pub fn overtaken(object: &str, given: i32) -> Self {
        Self::conflict(object, given + 1, given)
    }

    /// Refuses a change made at a version `object` no longer has.
    pub fn unless_current(object: &str, current: i32, given: i32) -> Result<(), Self> {
        if current == given {
            Ok(())
        } else {
            Err(Self::conflict(object, current, given))
        }
    }

    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        EngineError::Invalid(vec![FieldError::new(field, message)])
    }

    /// Maps storage failures that are the client's doing (a duplicate key) to
    /// an input error on `field`; everything else stays internal.
    pub(crate) fn from_storage_on(field: &str) -> impl FnOnce(StorageError) -> EngineError + '_ {
        move |err| match err {
            StorageError::Duplicate(key) => {
                EngineError::invalid(field, format!("a record with this {key} already exists"))
            }
            other => EngineError::Internal(other),
        }
    }
}

impl From<Vec<FieldError>> for EngineError {
    fn from(errors: Vec<FieldError>) -> Self {
        EngineError::Invalid(errors)
    }
}

impl From<sea_orm::DbErr> for EngineError {
    fn from(err: sea_orm::DbErr) -> Self {
        EngineError::Internal(err.into())
    }
}

/// A workflow table naming a state the code does not know is a defect, not bad input.
impl From<pendamping_domain::validation::UnknownCode> for EngineError {
    fn from(err: pendamping_domain::validation::UnknownCode) -> Self {
        EngineError::Internal(err.into())
    }
}

/// The one record a lookup by a single id found, or `missing` when it found
/// none (not there, or outside the caller's reach).
pub(crate) trait FoundOne<T> {
    fn one_or(self, missing: impl FnOnce() -> EngineError) -> Result<T, EngineError>;
}

impl<T> FoundOne<T> for Vec<T> {
    fn one_or(self, missing: impl FnOnce() -> EngineError) -> Result<T, EngineError> {
        self.into_iter().next().ok_or_else(missing)
    }
}

/// [`FoundOne::one_or`] of what `read` (a lookup by a single id) answers.
pub(crate) async fn one_of<T, E>(
    read: impl std::future::Future<Output = Result<Vec<T>, E>>,
    missing: impl FnOnce() -> EngineError,
) -> Result<T, EngineError>
where
    EngineError: From<E>,
{
    read.await?.one_or(missing)
}

/// `NotFound` naming `what`: absent, or outside the caller's reach.
pub(crate) fn not_found(what: &'static str) -> impl FnOnce() -> EngineError {
    move || EngineError::NotFound(what.into())
}
