//! One-time URLs: 32 random bytes, only their SHA-256 stored, bound to a purpose and an
//! account, expiring, and consumed once inside the caller's transaction.

use super::clock::now_ms;
use super::entities::one_time_token as token;
use super::internal;
use crate::api::views::LinkState;
use crate::domain::OneTimeToken;
use crate::error::AppError;
use crate::i18n::Msg;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use sha2::{Digest, Sha256};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    EmailRegistration,
    EmailChange,
    SecondPasswordReset,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Purpose::EmailRegistration => "email_registration",
            Purpose::EmailChange => "email_change",
            Purpose::SecondPasswordReset => "second_password_reset",
        }
    }
}

/// 32 bytes from the operating system's CSPRNG, base64url without padding (43 characters).
pub fn random_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

pub fn sha256_hex(value: &str) -> String {
    Sha256::digest(value.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

pub struct Issued {
    pub raw: String,
    pub expires_at: i64,
}

/// Issues a token and voids every earlier unused one of the same purpose for the account:
/// only the newest mail's link works.
pub async fn issue(
    db: &impl ConnectionTrait,
    purpose: Purpose,
    account_id: i32,
    email: Option<&str>,
    ttl_seconds: i64,
) -> Result<Issued, AppError> {
    let now = now_ms();
    token::Entity::update_many()
        .col_expr(token::Column::VoidedAt, Expr::value(now))
        .filter(token::Column::AccountId.eq(account_id))
        .filter(token::Column::Purpose.eq(purpose.as_str()))
        .filter(token::Column::UsedAt.is_null())
        .filter(token::Column::VoidedAt.is_null())
        .exec(db)
        .await
        .map_err(internal("voiding older tokens"))?;
    let raw = random_secret();
    let expires_at = now + ttl_seconds * 1000;
    token::ActiveModel {
        token_hash: Set(sha256_hex(&raw)),
        purpose: Set(purpose.as_str().to_owned()),
        account_id: Set(account_id),
        email: Set(email.map(str::to_owned)),
        created_at: Set(now),
        expires_at: Set(expires_at),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(internal("issuing a token"))?;
    Ok(Issued { raw, expires_at })
}

/// Voids every unused link of the account, whatever its purpose: after a change of address or
/// second password, no link sent before it may act on the account.
pub async fn void_all_unused(db: &impl ConnectionTrait, account_id: i32) -> Result<(), AppError> {
    token::Entity::update_many()
        .col_expr(token::Column::VoidedAt, Expr::value(now_ms()))
        .filter(token::Column::AccountId.eq(account_id))
        .filter(token::Column::UsedAt.is_null())
        .filter(token::Column::VoidedAt.is_null())
        .exec(db)
        .await
        .map_err(internal("voiding an account's links"))?;
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
    purpose: Purpose,
    raw: &str,
) -> Result<Option<token::Model>, AppError> {
    let Ok(parsed) = OneTimeToken::parse(raw) else {
        return Ok(None);
    };
    token::Entity::find()
        .filter(token::Column::TokenHash.eq(sha256_hex(parsed.as_str())))
        .filter(token::Column::Purpose.eq(purpose.as_str()))
        .one(db)
        .await
        .map_err(internal("reading a token"))
}

/// When a link can no longer be used: its expiry while it is usable, `None` when it is
/// unknown, used, voided or expired. Bounds the cookie that carries it on its page.
pub async fn usable_until(
    db: &impl ConnectionTrait,
    purpose: Purpose,
    raw: &str,
) -> Result<Option<i64>, AppError> {
    let now = now_ms();
    Ok(lookup(db, purpose, raw)
        .await?
        .filter(|row| state_of(row, now) == LinkState::Valid)
        .map(|row| row.expires_at))
}

/// How many tokens of `purpose` were issued to the account since `since` (epoch ms).
pub async fn issued_since(
    db: &impl ConnectionTrait,
    purpose: Purpose,
    account_id: i32,
    since: i64,
) -> Result<u64, AppError> {
    use sea_orm::PaginatorTrait;
    token::Entity::find()
        .filter(token::Column::AccountId.eq(account_id))
        .filter(token::Column::Purpose.eq(purpose.as_str()))
        .filter(token::Column::CreatedAt.gte(since))
        .count(db)
        .await
        .map_err(internal("counting tokens"))
}

/// The token's record if it can still be used, without using it.
pub async fn usable(
    db: &impl ConnectionTrait,
    purpose: Purpose,
    raw: &str,
) -> Result<token::Model, AppError> {
    let row = lookup(db, purpose, raw)
        .await?
        .ok_or(AppError::Refused(Msg::LinkUnknown))?;
    match state_of(&row, now_ms()).refusal() {
        Some(refusal) => Err(AppError::Refused(refusal)),
        None => Ok(row),
    }
}

/// The token's record and what its page should say, without using it.
pub async fn inspect(
    db: &impl ConnectionTrait,
    purpose: Purpose,
    raw: &str,
) -> Result<Option<(token::Model, LinkState)>, AppError> {
    let now = now_ms();
    Ok(lookup(db, purpose, raw).await?.map(|row| {
        let state = state_of(&row, now);
        (row, state)
    }))
}

/// Marks the token used and returns its record, or the reason it cannot be used. The
/// conditional update makes concurrent uses race safely: exactly one of them wins.
pub async fn consume(
    db: &impl ConnectionTrait,
    purpose: Purpose,
    raw: &str,
) -> Result<token::Model, AppError> {
    let row = usable(db, purpose, raw).await?;
    let now = now_ms();
    let claimed = token::Entity::update_many()
        .col_expr(token::Column::UsedAt, Expr::value(now))
        .filter(token::Column::Id.eq(row.id))
        .filter(token::Column::UsedAt.is_null())
        .filter(token::Column::VoidedAt.is_null())
        .exec(db)
        .await
        .map_err(internal("consuming a token"))?;
    if claimed.rows_affected != 1 {
        return Err(AppError::Refused(Msg::LinkUsed));
    }
    Ok(row)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_43_characters_and_differ() {
        let a = random_secret();
        assert_eq!(a.len(), 43);
        assert!(OneTimeToken::parse(&a).is_ok());
        assert_ne!(a, random_secret());
    }
}
