//! One-time URLs: 32 random bytes, only their SHA-256 stored, bound to a purpose and an
//! account, expiring, and consumed once inside the caller's transaction.

use super::secrets::{random_secret, sha256_hex};
use super::{storage, StorageError};
use crate::entities::one_time_token as token;
use domain::{LinkState, OneTimeToken};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

/// What a token is for, as stored with it: a token of one purpose never acts for another.
/// The contexts that issue tokens name their purposes.
pub type PurposeCode = &'static str;

/// Why a token cannot be used.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// Unknown, used, voided or expired (never `Valid`).
    #[error("the link cannot be used: {0:?}")]
    Unusable(LinkState),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

pub struct Issued {
    pub raw: String,
    pub expires_at: i64,
}

/// A token to issue: for what, to which account, the address it is sent to, when, and for how
/// long.
pub struct NewToken<'a> {
    pub purpose: PurposeCode,
    pub account_id: i32,
    pub email: Option<&'a str>,
    pub now: i64,
    pub ttl_seconds: i64,
}

/// Issues a token and voids every earlier unused one of the same purpose for the account:
/// only the newest mail's link works.
pub async fn issue(db: &impl ConnectionTrait, new: NewToken<'_>) -> Result<Issued, StorageError> {
    let NewToken {
        purpose,
        account_id,
        email,
        now,
        ttl_seconds,
    } = new;
    token::Entity::update_many()
        .col_expr(token::Column::VoidedAt, Expr::value(now))
        .filter(token::Column::AccountId.eq(account_id))
        .filter(token::Column::Purpose.eq(purpose))
        .filter(token::Column::UsedAt.is_null())
        .filter(token::Column::VoidedAt.is_null())
        .exec(db)
        .await
        .map_err(storage("voiding older tokens"))?;
    let raw = random_secret();
    let expires_at = now + ttl_seconds * 1000;
    token::ActiveModel {
        token_hash: Set(sha256_hex(&raw)),
        purpose: Set(purpose.to_owned()),
        account_id: Set(account_id),
        email: Set(email.map(str::to_owned)),
        created_at: Set(now),
        expires_at: Set(expires_at),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(storage("issuing a token"))?;
    Ok(Issued { raw, expires_at })
}

/// Voids every unused link of the account, whatever its purpose: after a change of address or
/// second password, no link sent before it may act on the account.
pub async fn void_all_unused(
    db: &impl ConnectionTrait,
    account_id: i32,
    now: i64,
) -> Result<(), StorageError> {
    token::Entity::update_many()
        .col_expr(token::Column::VoidedAt, Expr::value(now))
        .filter(token::Column::AccountId.eq(account_id))
        .filter(token::Column::UsedAt.is_null())
        .filter(token::Column::VoidedAt.is_null())
        .exec(db)
        .await
        .map_err(storage("voiding an account's links"))?;
    Ok(())
}

fn state_of(row: &token::Model, now: i64) -> LinkState {
    if row.used_at.is_some() {
        LinkState::Used
    } else if row.voided_at.is_some() {
        LinkState::Voided
    } else if row.expires_at <= now {
        LinkState::Expired
    } else {
        LinkState::Valid
    }
}

async fn lookup(
    db: &impl ConnectionTrait,
    purpose: PurposeCode,
    raw: &str,
) -> Result<Option<token::Model>, StorageError> {
    let Ok(parsed) = OneTimeToken::parse(raw) else {
        return Ok(None);
    };
    token::Entity::find()
        .filter(token::Column::TokenHash.eq(sha256_hex(parsed.as_str())))
        .filter(token::Column::Purpose.eq(purpose))
        .one(db)
        .await
        .map_err(storage("reading a token"))
}

/// When a link can no longer be used: its expiry while it is usable, `None` when it is
/// unknown, used, voided or expired. Bounds the cookie that carries it on its page.
pub async fn usable_until(
    db: &impl ConnectionTrait,
    purpose: PurposeCode,
    raw: &str,
    now: i64,
) -> Result<Option<i64>, StorageError> {
    Ok(lookup(db, purpose, raw)
        .await?
        .filter(|row| state_of(row, now) == LinkState::Valid)
        .map(|row| row.expires_at))
}

/// How many tokens of `purpose` were issued to the account since `since` (epoch ms).
pub async fn issued_since(
    db: &impl ConnectionTrait,
    purpose: PurposeCode,
    account_id: i32,
    since: i64,
) -> Result<u64, StorageError> {
    use sea_orm::PaginatorTrait;
    token::Entity::find()
        .filter(token::Column::AccountId.eq(account_id))
        .filter(token::Column::Purpose.eq(purpose))
        .filter(token::Column::CreatedAt.gte(since))
        .count(db)
        .await
        .map_err(storage("counting tokens"))
}

/// The newest token of `purpose` issued to the account, whatever its state.
pub async fn newest_for_account(
    db: &impl ConnectionTrait,
    purpose: PurposeCode,
    account_id: i32,
) -> Result<Option<token::Model>, StorageError> {
    use sea_orm::QueryOrder;
    token::Entity::find()
        .filter(token::Column::AccountId.eq(account_id))
        .filter(token::Column::Purpose.eq(purpose))
        .order_by_desc(token::Column::Id)
        .one(db)
        .await
        .map_err(storage("reading an account's newest token"))
}

/// The token's record if it can still be used, without using it.
pub async fn usable(
    db: &impl ConnectionTrait,
    purpose: PurposeCode,
    raw: &str,
    now: i64,
) -> Result<token::Model, TokenError> {
    let row = lookup(db, purpose, raw)
        .await?
        .ok_or(TokenError::Unusable(LinkState::Unknown))?;
    match state_of(&row, now) {
        LinkState::Valid => Ok(row),
        refused => Err(TokenError::Unusable(refused)),
    }
}

/// The token's record and what its page should say, without using it.
pub async fn inspect(
    db: &impl ConnectionTrait,
    purpose: PurposeCode,
    raw: &str,
    now: i64,
) -> Result<Option<(token::Model, LinkState)>, StorageError> {
    Ok(lookup(db, purpose, raw).await?.map(|row| {
        let state = state_of(&row, now);
        (row, state)
    }))
}

/// Marks the token used and returns its record, or the reason it cannot be used. The
/// conditional update makes concurrent uses race safely: exactly one of them wins.
pub async fn consume(
    db: &impl ConnectionTrait,
    purpose: PurposeCode,
    raw: &str,
    now: i64,
) -> Result<token::Model, TokenError> {
    let row = usable(db, purpose, raw, now).await?;
    let claimed = token::Entity::update_many()
        .col_expr(token::Column::UsedAt, Expr::value(now))
        .filter(token::Column::Id.eq(row.id))
        .filter(token::Column::UsedAt.is_null())
        .filter(token::Column::VoidedAt.is_null())
        .exec(db)
        .await
        .map_err(storage("consuming a token"))?;
    if claimed.rows_affected != 1 {
        return Err(TokenError::Unusable(LinkState::Used));
    }
    Ok(row)
}
