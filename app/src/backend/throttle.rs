//! Growing delays after failed logins of one user ID, kept in the database so that they
//! survive restarts and hold across instances. IDs are counted whether or not they exist (so
//! a delay tells nothing about the account), by their case-insensitive key. A delay ends by
//! itself: an attacker can slow a student down but never lock them out.

use super::clock::now_ms;
use super::entities::login_failure;
use super::internal;
use super::settings::LoginThrottle;
use crate::error::AppError;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

/// Whether a login for this user ID may be tried now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gate {
    Open,
    /// Refused without asking the directory, for this many more seconds.
    Closed {
        retry_after_seconds: i64,
    },
}

async fn row(
    db: &impl ConnectionTrait,
    tenant_id: i32,
    user_id_key: &str,
) -> Result<Option<login_failure::Model>, AppError> {
    login_failure::Entity::find()
        .filter(login_failure::Column::TenantId.eq(tenant_id))
        .filter(login_failure::Column::UserIdKey.eq(user_id_key))
        .one(db)
        .await
        .map_err(internal("reading login failures"))
}

pub async fn gate(
    db: &impl ConnectionTrait,
    tenant_id: i32,
    user_id_key: &str,
) -> Result<Gate, AppError> {
    let now = now_ms();
    Ok(match row(db, tenant_id, user_id_key).await? {
        Some(found) => match found.blocked_until {
            Some(until) if until > now => Gate::Closed {
                retry_after_seconds: (until - now + 999) / 1000,
            },
            _ => Gate::Open,
        },
        None => Gate::Open,
    })
}

/// Counts a failure and starts the delay it earns. Concurrent failures each count: the
/// counter is raised in the database, not read and written back.
pub async fn record_failure(
    db: &impl ConnectionTrait,
    throttle: &LoginThrottle,
    tenant_id: i32,
    user_id_key: &str,
) -> Result<Gate, AppError> {
    let now = now_ms();
    let forget_before = now - throttle.forget_after_seconds * 1000;
    // An old streak is forgotten first, so this failure starts a new one.
    login_failure::Entity::delete_many()
        .filter(login_failure::Column::TenantId.eq(tenant_id))
        .filter(login_failure::Column::UserIdKey.eq(user_id_key))
        .filter(login_failure::Column::LastFailureAt.lt(forget_before))
        .exec(db)
        .await
        .map_err(internal("forgetting old login failures"))?;
    if count_failure(db, tenant_id, user_id_key, now).await? == 0 {
        let inserted = login_failure::ActiveModel {
            tenant_id: Set(tenant_id),
            user_id_key: Set(user_id_key.to_owned()),
            failures: Set(1),
            last_failure_at: Set(now),
            blocked_until: Set(None),
            ..Default::default()
        }
        .insert(db)
        .await;
        if inserted.is_err() {
            // Another failure created the row meanwhile; count this one on it.
            count_failure(db, tenant_id, user_id_key, now).await?;
        }
    }
    let Some(current) = row(db, tenant_id, user_id_key).await? else {
        return Ok(Gate::Open);
    };
    let delay = throttle.delay_seconds(current.failures);
    if delay == 0 {
        return Ok(Gate::Open);
    }
    let until = now + delay * 1000;
    let mut blocked: login_failure::ActiveModel = current.into();
    blocked.blocked_until = Set(Some(until));
    blocked
        .update(db)
        .await
        .map_err(internal("starting a login delay"))?;
    Ok(Gate::Closed {
        retry_after_seconds: delay,
    })
}

/// Raises the counter of an existing row in the database; says how many rows it raised.
async fn count_failure(
    db: &impl ConnectionTrait,
    tenant_id: i32,
    user_id_key: &str,
    now: i64,
) -> Result<u64, AppError> {
    let raised = login_failure::Entity::update_many()
        .col_expr(
            login_failure::Column::Failures,
            Expr::col(login_failure::Column::Failures).add(1),
        )
        .col_expr(login_failure::Column::LastFailureAt, Expr::value(now))
        .filter(login_failure::Column::TenantId.eq(tenant_id))
        .filter(login_failure::Column::UserIdKey.eq(user_id_key))
        .exec(db)
        .await
        .map_err(internal("counting a login failure"))?;
    Ok(raised.rows_affected)
}

/// A successful login ends the streak.
pub async fn record_success(
    db: &impl ConnectionTrait,
    tenant_id: i32,
    user_id_key: &str,
) -> Result<(), AppError> {
    login_failure::Entity::delete_many()
        .filter(login_failure::Column::TenantId.eq(tenant_id))
        .filter(login_failure::Column::UserIdKey.eq(user_id_key))
        .exec(db)
        .await
        .map_err(internal("clearing login failures"))?;
    Ok(())
}
