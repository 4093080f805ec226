use sea_orm::{DbErr, RuntimeErr, SqlErr};

/// What can go wrong below the engine.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// A unique key refused the row (e.g. a second office with the same code).
    #[error("a record with the same {0} already exists")]
    Duplicate(String),
    /// A stored value that the domain does not know: the database and the code disagree.
    #[error("stored data is not valid: {0}")]
    Corrupt(String),
    #[error("database error: {0}")]
    Database(DbErr),
}

impl From<DbErr> for StorageError {
    fn from(err: DbErr) -> Self {
        match err.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(detail)) => {
                StorageError::Duplicate(unique_key_name(&detail))
            }
            _ => StorageError::Database(err),
        }
    }
}

/// Best-effort name of the key from a driver message, for a readable error.
fn unique_key_name(detail: &str) -> String {
    for key in ["code", "email", "name", "year", "token_hash"] {
        if detail.contains(key) {
            return key.to_owned();
        }
    }
    "key".to_owned()
}

impl From<pendamping_domain::validation::UnknownCode> for StorageError {
    fn from(err: pendamping_domain::validation::UnknownCode) -> Self {
        StorageError::Corrupt(err.to_string())
    }
}

impl StorageError {
    /// Whether the database could not be reached (no connection within the
    /// pool's timeouts, or one lost under a statement): the caller may retry
    /// shortly, and nothing was written.
    pub fn is_unavailable(&self) -> bool {
        use sea_orm::sqlx::Error as Sqlx;
        let StorageError::Database(err) = self else {
            return false;
        };
        match err {
            DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => true,
            DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e)) => {
                matches!(
                    e.as_ref(),
                    Sqlx::Io(_) | Sqlx::PoolTimedOut | Sqlx::PoolClosed | Sqlx::WorkerCrashed
                )
            }
            _ => false,
        }
    }
}
