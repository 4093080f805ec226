use sea_orm::{DbErr, SqlErr};

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
