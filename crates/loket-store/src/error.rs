//! Storage errors, with unique and foreign-key violations told apart so that
//! services can turn them into field errors.

use loket_core::ApiError;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("unique constraint violated: {0}")]
    Unique(String),
    #[error("foreign key violated: {0}")]
    ForeignKey(String),
    #[error("database unavailable: {0}")]
    Unavailable(String),
    #[error("database error: {0}")]
    Other(#[from] sqlx::Error),
    #[error("stored data is invalid: {0}")]
    Corrupt(String),
}

impl StoreError {
    pub(crate) fn from_sqlx(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::Database(db) => {
                let msg = db.message().to_owned();
                match db.kind() {
                    sqlx::error::ErrorKind::UniqueViolation => StoreError::Unique(msg),
                    sqlx::error::ErrorKind::ForeignKeyViolation => StoreError::ForeignKey(msg),
                    _ => StoreError::Other(e),
                }
            }
            sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => {
                StoreError::Unavailable(e.to_string())
            }
            _ => StoreError::Other(e),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Unavailable(m) => ApiError::Unavailable(format!("De database is niet bereikbaar ({m}).")),
            other => ApiError::internal(other),
        }
    }
}
