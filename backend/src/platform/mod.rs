//! What every context stands on. Imports no context.

pub mod audit;
pub mod clock;
pub mod db;
pub mod login_delays;
pub mod mail_messages;
pub mod one_time_tokens;
pub mod outbox;
pub mod passwords;
pub mod permissions;
pub mod rate_limit;
pub mod secrets;
pub mod sessions;
pub mod settings;

/// The database: SQLite or PostgreSQL, behind sea-orm.
pub type Db = sea_orm::DatabaseConnection;

/// The database failed. The cause is logged where it happened; nothing more is said, to the
/// student or in the answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("storage failed")]
pub struct StorageError;

/// Starts a transaction (PostgreSQL, or SQLite's one writer at a time).
pub async fn begin(
    db: &impl sea_orm::TransactionTrait,
) -> Result<sea_orm::DatabaseTransaction, StorageError> {
    db.begin().await.map_err(storage("starting a transaction"))
}

/// Whether the database refused a write because a unique index already holds its key (two
/// requests at once, or a name already taken).
pub fn is_unique_violation(err: &sea_orm::DbErr) -> bool {
    matches!(
        err.sql_err(),
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
    )
}

/// Logs a database failure with what was being done, and turns it into `StorageError`.
pub fn storage(doing: &'static str) -> impl FnOnce(sea_orm::DbErr) -> StorageError {
    move |err| {
        tracing::error!(error = %err, "{doing}");
        StorageError
    }
}
