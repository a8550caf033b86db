//! Server-side sessions in the database, so several instances can share them. The cookie
//! holds 32 random bytes; the table holds only their SHA-256.

use super::passwords::PasswordHash;
use super::secrets::{random_secret, sha256_hex};
use super::settings::Settings;
use super::{begin, storage, StorageError};
use crate::entities::session;
use domain::{AccountId, Stage, TenantId};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, Set,
    TransactionTrait,
};

#[derive(Clone, Debug)]
pub struct Session {
    pub tenant_id: TenantId,
    pub account_id: AccountId,
    pub stage: Stage,
    /// At the second-password setup stage: the university password of the login, hashed.
    pub university_password_hash: Option<PasswordHash>,
}

/// Starts `session` at `now` and returns the cookie value (shown to no one but the browser).
pub async fn start(
    db: &impl TransactionTrait,
    settings: &Settings,
    session: Session,
    now: i64,
) -> Result<String, StorageError> {
    let Session {
        tenant_id,
        account_id,
        stage,
        university_password_hash,
    } = session;
    let raw = random_secret();
    let txn = begin(db).await?;
    // Sessions past their timeouts go, abandoned ones included: a first login left at the
    // setup step must not keep its university password hash.
    session::Entity::delete_many()
        .filter(
            Condition::any()
                .add(session::Column::CreatedAt.lt(now - settings.session_absolute_seconds * 1000))
                .add(session::Column::LastSeenAt.lt(now - settings.session_idle_seconds * 1000)),
        )
        .exec(&txn)
        .await
        .map_err(storage("forgetting old sessions"))?;
    session::ActiveModel {
        id_hash: Set(sha256_hex(&raw)),
        tenant_id: Set(tenant_id.0),
        account_id: Set(account_id.0),
        stage: Set(stage),
        created_at: Set(now),
        last_seen_at: Set(now),
        reauth_failures: Set(0),
        university_password_hash: Set(university_password_hash),
    }
    .insert(&txn)
    .await
    .map_err(storage("starting a session"))?;
    txn.commit().await.map_err(storage("committing a session"))?;
    Ok(raw)
}

/// What a stored session's times (created, last seen) mean at `now` under its timeouts (idle,
/// absolute; in seconds). Students' and staff's sessions differ in their timeouts only.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Liveness {
    /// Past a timeout: deleted on sight, and the request is not signed in.
    Expired,
    /// Live; `refresh` when its last-seen time is worth writing again (at most once a
    /// minute: reading a page should rarely cost a write).
    Live { refresh: bool },
}

pub fn liveness(
    (created_at, last_seen_at): (i64, i64),
    (idle_seconds, absolute_seconds): (i64, i64),
    now: i64,
) -> Liveness {
    let idle_expired = now - last_seen_at > idle_seconds * 1000;
    let absolute_expired = now - created_at > absolute_seconds * 1000;
    match idle_expired || absolute_expired {
        true => Liveness::Expired,
        false => Liveness::Live {
            refresh: now - last_seen_at > 60_000,
        },
    }
}

/// The live session for this cookie value. Sessions past their idle or absolute timeout are
/// deleted on sight.
pub async fn find(
    db: &impl ConnectionTrait,
    settings: &Settings,
    raw: &str,
    now: i64,
) -> Result<Option<Session>, StorageError> {
    let id_hash = sha256_hex(raw);
    let Some(row) = session::Entity::find_by_id(id_hash.clone())
        .one(db)
        .await
        .map_err(storage("reading a session"))?
    else {
        return Ok(None);
    };
    let timeouts = (
        settings.session_idle_seconds,
        settings.session_absolute_seconds,
    );
    let refresh = match liveness((row.created_at, row.last_seen_at), timeouts, now) {
        Liveness::Expired => {
            end(db, raw).await?;
            return Ok(None);
        }
        Liveness::Live { refresh } => refresh,
    };
    if refresh {
        let mut active: session::ActiveModel = row.clone().into();
        active.last_seen_at = Set(now);
        active.update(db).await.map_err(storage("refreshing a session"))?;
    }
    Ok(Some(Session {
        tenant_id: TenantId(row.tenant_id),
        account_id: AccountId(row.account_id),
        stage: row.stage,
        university_password_hash: row.university_password_hash,
    }))
}

pub async fn end(db: &impl ConnectionTrait, raw: &str) -> Result<(), StorageError> {
    session::Entity::delete_by_id(sha256_hex(raw))
        .exec(db)
        .await
        .map_err(storage("ending a session"))?;
    Ok(())
}

/// Ends every session of the account; returns how many there were.
pub async fn end_all_for_account(
    db: &impl ConnectionTrait,
    account_id: AccountId,
) -> Result<u64, StorageError> {
    let ended = session::Entity::delete_many()
        .filter(session::Column::AccountId.eq(account_id.0))
        .exec(db)
        .await
        .map_err(storage("ending an account's sessions"))?;
    Ok(ended.rows_affected)
}

/// How many sessions of the account are open (within both timeouts) at `now`.
pub async fn count_live_for_account(
    db: &impl ConnectionTrait,
    settings: &Settings,
    account_id: AccountId,
    now: i64,
) -> Result<u64, StorageError> {
    use sea_orm::PaginatorTrait;
    session::Entity::find()
        .filter(session::Column::AccountId.eq(account_id.0))
        .filter(session::Column::CreatedAt.gte(now - settings.session_absolute_seconds * 1000))
        .filter(session::Column::LastSeenAt.gte(now - settings.session_idle_seconds * 1000))
        .count(db)
        .await
        .map_err(storage("counting an account's sessions"))
}

/// Ends every session of the account but the one whose cookie value is `keep`.
pub async fn end_others_for_account(
    db: &impl ConnectionTrait,
    account_id: AccountId,
    keep: &str,
) -> Result<(), StorageError> {
    session::Entity::delete_many()
        .filter(session::Column::AccountId.eq(account_id.0))
        .filter(session::Column::IdHash.ne(sha256_hex(keep)))
        .exec(db)
        .await
        .map_err(storage("ending an account's other sessions"))?;
    Ok(())
}

/// Counts one re-authentication attempt on the session, in advance, while it has made fewer
/// than `limit`: one conditional update, so simultaneous attempts cannot pass the limit.
/// Says whether the attempt was admitted.
pub async fn admit_reauthentication(
    db: &impl ConnectionTrait,
    raw: &str,
    limit: i32,
) -> Result<bool, StorageError> {
    let admitted = session::Entity::update_many()
        .col_expr(
            session::Column::ReauthFailures,
            Expr::col(session::Column::ReauthFailures).add(1),
        )
        .filter(session::Column::IdHash.eq(sha256_hex(raw)))
        .filter(session::Column::ReauthFailures.lt(limit))
        .exec(db)
        .await
        .map_err(storage("counting a re-authentication"))?;
    Ok(admitted.rows_affected == 1)
}

/// The right password was given: the session's count starts again.
pub async fn clear_reauthentication_failures(
    db: &impl ConnectionTrait,
    raw: &str,
) -> Result<(), StorageError> {
    session::Entity::update_many()
        .col_expr(session::Column::ReauthFailures, Expr::value(0))
        .filter(session::Column::IdHash.eq(sha256_hex(raw)))
        .exec(db)
        .await
        .map_err(storage("clearing re-authentication failures"))?;
    Ok(())
}

/// The re-authentication attempts counted on the session; `None` when it has ended.
pub async fn reauthentication_failures(
    db: &impl ConnectionTrait,
    raw: &str,
) -> Result<Option<i32>, StorageError> {
    Ok(session::Entity::find_by_id(sha256_hex(raw))
        .one(db)
        .await
        .map_err(storage("reading a session"))?
        .map(|row| row.reauth_failures))
}

#[cfg(test)]
mod tests {
    use super::{liveness, Liveness};

    const MINUTE: i64 = 60_000;

    #[test]
    fn a_session_ends_at_either_timeout_and_is_refreshed_at_most_once_a_minute() {
        let timeouts = (15 * 60, 8 * 3600);
        let start = 1_000_000_000;
        let at = |seen: i64, now: i64| liveness((start, start + seen), timeouts, start + now);

        assert_eq!(at(0, 30_000), Liveness::Live { refresh: false });
        assert_eq!(at(0, 2 * MINUTE), Liveness::Live { refresh: true });
        assert_eq!(at(0, 15 * MINUTE + 1), Liveness::Expired);
        // Seen every few minutes, it still ends 8 hours after it began.
        assert_eq!(
            at(8 * 60 * MINUTE - 2 * MINUTE, 8 * 60 * MINUTE),
            Liveness::Live { refresh: true }
        );
        assert_eq!(at(8 * 60 * MINUTE, 8 * 60 * MINUTE + 1), Liveness::Expired);
    }
}
