//! Browsers that logged in as a student before (OWASP's device cookie). Such a browser passes
//! the per-user-ID login delay, which an attacker can keep running from anywhere; it has a
//! smaller limit of its own instead, so a stolen cookie is no free pass: past it, the cookie
//! is revoked and the browser waits like any other.

use crate::entities::trusted_device;
use crate::platform::begin;
use crate::platform::login_delays::UserKey;
use crate::platform::secrets::{random_secret, sha256_hex};
use crate::platform::settings::LoginThrottle;
use crate::platform::{storage, StorageError};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set,
    TransactionTrait,
};

/// How long a browser stays known without a login.
pub const DEVICE_LIFETIME_SECONDS: i64 = 90 * 24 * 3600;

/// A login attempt admitted through a device cookie: counted against the cookie's own limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Admitted {
    pub device_id: i32,
}

/// Admits an attempt through the browser's device cookie for this user ID, counting it as a
/// failure in advance (a success clears it). `None` when the cookie is unknown, expired, for
/// someone else, or past its own limit: then the attempt goes through the per-user-ID delay.
pub async fn admit(
    db: &impl TransactionTrait,
    throttle: &LoginThrottle,
    key: UserKey<'_>,
    (raw, now): (&str, i64),
) -> Result<Option<Admitted>, StorageError> {
    let UserKey {
        tenant_id,
        user_id_key,
    } = key;
    let txn = begin(db).await?;
    let found = trusted_device::Entity::find()
        .filter(trusted_device::Column::TokenHash.eq(sha256_hex(raw)))
        .lock_exclusive()
        .one(&txn)
        .await
        .map_err(storage("reading a device"))?;
    let admitted = match found {
        Some(device)
            if device.tenant_id == tenant_id
                && device.user_id_key == user_id_key
                && device.last_used_at > now - DEVICE_LIFETIME_SECONDS * 1000 =>
        {
            if device.failures >= throttle.device_failures {
                // Past its own limit: revoked, as a stolen cookie would be.
                trusted_device::Entity::delete_by_id(device.id)
                    .exec(&txn)
                    .await
                    .map_err(storage("revoking a device"))?;
                tracing::warn!(
                    device_id = device.id,
                    "device cookie revoked after failures"
                );
                None
            } else {
                let (device_id, failures) = (device.id, device.failures + 1);
                let mut counted: trusted_device::ActiveModel = device.into();
                counted.failures = Set(failures);
                counted.update(&txn).await.map_err(storage("counting a device attempt"))?;
                Some(Admitted { device_id })
            }
        }
        _ => None,
    };
    txn.commit().await.map_err(storage("committing a device attempt"))?;
    Ok(admitted)
}

/// The attempt through this device succeeded: its count starts again.
pub async fn succeeded(
    db: &impl ConnectionTrait,
    admitted: Admitted,
    now: i64,
) -> Result<(), StorageError> {
    trusted_device::Entity::update_many()
        .col_expr(trusted_device::Column::Failures, Expr::value(0))
        .col_expr(trusted_device::Column::LastUsedAt, Expr::value(now))
        .filter(trusted_device::Column::Id.eq(admitted.device_id))
        .exec(db)
        .await
        .map_err(storage("clearing a device's failures"))?;
    Ok(())
}

/// Remembers this browser for the student who just logged in; call inside the login's
/// transaction. Returns the cookie value.
pub async fn remember(
    db: &impl ConnectionTrait,
    key: UserKey<'_>,
    now: i64,
) -> Result<String, StorageError> {
    let UserKey {
        tenant_id,
        user_id_key,
    } = key;
    let raw = random_secret();
    // Forget devices unused for their lifetime, so the table does not only grow.
    trusted_device::Entity::delete_many()
        .filter(trusted_device::Column::LastUsedAt.lt(now - DEVICE_LIFETIME_SECONDS * 1000))
        .exec(db)
        .await
        .map_err(storage("forgetting old devices"))?;
    trusted_device::ActiveModel {
        tenant_id: Set(tenant_id),
        user_id_key: Set(user_id_key.to_owned()),
        token_hash: Set(sha256_hex(&raw)),
        failures: Set(0),
        created_at: Set(now),
        last_used_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(storage("remembering a device"))?;
    Ok(raw)
}
