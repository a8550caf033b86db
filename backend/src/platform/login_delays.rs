//! Growing delays after failed logins of one user ID, kept in the database so that they
//! survive restarts and hold across instances. IDs are counted whether or not they exist (so
//! a delay tells nothing about the account), by their case-insensitive key. A delay ends by
//! itself, and a browser the student logged in with before passes it (`account::devices`): an
//! attacker can slow down guessing but cannot keep the student out. Staff sign-ins count here
//! too, under keys of their own ([`staff_key`]).

use crate::entities::login_failure;
use crate::platform::begin;
use crate::platform::settings::LoginThrottle;
use crate::platform::{storage, StorageError};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set,
    TransactionTrait,
};

/// Whether a login for this user ID may be tried now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gate {
    /// The attempt was counted in advance, as a failure; a success clears the count.
    Open,
    /// Refused without asking the directory: a delay is running.
    Closed,
}

/// A user ID at one university, by its case-insensitive key: what delays and device cookies
/// count against.
#[derive(Clone, Copy, Debug)]
pub struct UserKey<'a> {
    pub tenant_id: i32,
    pub user_id_key: &'a str,
}

/// The key a staff login ID is counted under: it starts with a space, which no student's
/// user ID can hold, so a staff member and a student of the same name never share a count.
pub fn staff_key(login_key: &str) -> String {
    format!(" staff {login_key}")
}

/// Reserves one attempt for this user ID before any password is hashed, or refuses it while a
/// delay runs. The attempt is counted as a failure at once, and the delay that failure would
/// earn starts at once, in one transaction on the row locked for update: of any number of
/// simultaneous guesses, exactly as many reach the directory as one after another would.
pub async fn reserve(
    db: &impl TransactionTrait,
    throttle: &LoginThrottle,
    key: UserKey<'_>,
    now: i64,
) -> Result<Gate, StorageError> {
    let UserKey {
        tenant_id,
        user_id_key,
    } = key;
    let txn = begin(db).await?;
    let fresh = login_failure::ActiveModel {
        tenant_id: Set(tenant_id),
        user_id_key: Set(user_id_key.to_owned()),
        failures: Set(0),
        last_failure_at: Set(now),
        blocked_until: Set(None),
        ..Default::default()
    };
    login_failure::Entity::insert(fresh)
        .on_conflict(
            OnConflict::columns([
                login_failure::Column::TenantId,
                login_failure::Column::UserIdKey,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(&txn)
        .await
        .map_err(storage("starting a login failure count"))?;
    // PostgreSQL locks the row until commit; SQLite runs one writer at a time anyway.
    let current = login_failure::Entity::find()
        .filter(login_failure::Column::TenantId.eq(tenant_id))
        .filter(login_failure::Column::UserIdKey.eq(user_id_key))
        .lock_exclusive()
        .one(&txn)
        .await
        .map_err(storage("reading login failures"))?
        .ok_or(StorageError)?;
    if current.blocked_until.is_some_and(|until| until > now) {
        txn.commit().await.map_err(storage("ending a refused login attempt"))?;
        return Ok(Gate::Closed);
    }
    // A streak older than the forgetting time starts again from zero.
    let forgotten = current.last_failure_at < now - throttle.forget_after_seconds * 1000;
    let failures = if forgotten { 1 } else { current.failures + 1 };
    let delay = throttle.delay_seconds(failures);
    let mut counted: login_failure::ActiveModel = current.into();
    counted.failures = Set(failures);
    counted.last_failure_at = Set(now);
    counted.blocked_until = Set((delay > 0).then_some(now + delay * 1000));
    counted.update(&txn).await.map_err(storage("counting a login attempt"))?;
    txn.commit().await.map_err(storage("committing a login attempt"))?;
    Ok(Gate::Open)
}

/// Where a user ID's streak of failures stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Streak {
    pub failures: i32,
    /// Until when logins wait (epoch ms), if a delay was earned.
    pub delayed_until: Option<i64>,
}

/// The user ID's streak of failures, if one is counted.
pub async fn streak(
    db: &impl ConnectionTrait,
    key: UserKey<'_>,
) -> Result<Option<Streak>, StorageError> {
    Ok(login_failure::Entity::find()
        .filter(login_failure::Column::TenantId.eq(key.tenant_id))
        .filter(login_failure::Column::UserIdKey.eq(key.user_id_key))
        .one(db)
        .await
        .map_err(storage("reading login failures"))?
        .map(|row| Streak {
            failures: row.failures,
            delayed_until: row.blocked_until,
        }))
}

/// Ends the streak: a successful login does, and the help desk may.
pub async fn clear(db: &impl ConnectionTrait, key: UserKey<'_>) -> Result<(), StorageError> {
    let UserKey {
        tenant_id,
        user_id_key,
    } = key;
    login_failure::Entity::delete_many()
        .filter(login_failure::Column::TenantId.eq(tenant_id))
        .filter(login_failure::Column::UserIdKey.eq(user_id_key))
        .exec(db)
        .await
        .map_err(storage("clearing login failures"))?;
    Ok(())
}
