//! The database: opened once at start-up, migrated, and shared by every context.

use super::Db;
use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DbBackend};
use secrecy::{ExposeSecret, SecretString};
use std::time::Duration;

/// Opens the database (creating a SQLite file if needed) and applies the migrations.
pub async fn connect_and_migrate(database_url: &SecretString) -> Result<Db, String> {
    let url = database_url.expose_secret();
    let mut options = ConnectOptions::new(url.to_owned());
    // SQLite allows one writer; a transaction that reads and then writes on a second
    // connection fails at once with SQLITE_BUSY when another wrote meanwhile. One connection
    // serialises them instead. PostgreSQL gets a real pool.
    let is_sqlite = url.starts_with("sqlite:");
    options
        .max_connections(if is_sqlite { 1 } else { 16 })
        .acquire_timeout(Duration::from_secs(30))
        .connect_timeout(Duration::from_secs(10))
        // No ping before each use of a pooled connection: it doubled the round trips of every
        // statement outside a transaction (docs/PERFORMANCE.md). A connection the database
        // dropped (a restart) fails one statement, which the request answers as a storage
        // error, and the pool then replaces it; connections are renewed every 30 minutes.
        .test_before_acquire(false)
        .max_lifetime(Duration::from_secs(30 * 60))
        .sqlx_logging(false);
    let db = Database::connect(options)
        .await
        .map_err(|err| format!("could not open the database: {err}"))?;
    if db.get_database_backend() == DbBackend::Sqlite {
        // WAL lets readers go on while one request writes; foreign keys are off by default.
        for pragma in [
            "PRAGMA journal_mode=WAL",
            "PRAGMA foreign_keys=ON",
            "PRAGMA busy_timeout=5000",
        ] {
            db.execute_unprepared(pragma)
                .await
                .map_err(|err| format!("could not set up SQLite: {err}"))?;
        }
    }
    Migrator::up(&db, None)
        .await
        .map_err(|err| format!("could not apply migrations: {err}"))?;
    Ok(db)
}
