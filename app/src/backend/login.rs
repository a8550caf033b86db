//! Login (manual 2.3) and the first-login branches (2.1, 2.2). Every wrong credential gets
//! the same answer, and the directory is asked even for malformed IDs, so neither the text
//! nor the time tells which part was wrong.

use super::clock::now_ms;
use super::directory::Directory;
use super::entities::{account, tenant};
use super::internal;
use super::passwords::Passwords;
use super::sessions::Stage;
use crate::domain::UserId;
use crate::error::AppError;
use crate::i18n::Msg;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use secrecy::{ExposeSecret, SecretString};

pub struct LoginAttempt {
    pub user_id: String,
    pub password: SecretString,
    pub second_password: SecretString,
}

pub struct LoggedIn {
    pub account: account::Model,
    pub stage: Stage,
}

fn invalid() -> AppError {
    AppError::Refused(Msg::InvalidCredentials)
}

#[tracing::instrument(skip_all, fields(tenant = %tenant.slug))]
pub async fn log_in(
    db: &impl ConnectionTrait,
    directory: &dyn Directory,
    passwords: &Passwords,
    tenant: &tenant::Model,
    attempt: LoginAttempt,
) -> Result<LoggedIn, AppError> {
    // A malformed ID still costs a hash, like an unknown one.
    let parsed = UserId::parse(&attempt.user_id);
    let probe = parsed
        .clone()
        .unwrap_or_else(|_| UserId::parse("-").expect("a valid probe ID"));
    let known = directory
        .authenticate(tenant, &probe, &attempt.password)
        .await?;
    let (Ok(user_id), Some(_)) = (parsed, known) else {
        tracing::info!("login refused");
        return Err(invalid());
    };
    let account = find_or_create_account(db, tenant.id, &user_id).await?;

    let stage = if account.email_verified_at.is_none() {
        Stage::NeedsEmail
    } else if account.second_password_hash.is_none() {
        Stage::NeedsSecondPassword
    } else {
        let second_ok = !attempt.second_password.expose_secret().is_empty()
            && passwords
                .verify(
                    account.second_password_hash.clone(),
                    attempt.second_password.clone(),
                )
                .await?;
        if !second_ok {
            tracing::info!(account_id = account.id, "login refused");
            return Err(invalid());
        }
        Stage::SignedIn
    };
    tracing::info!(account_id = account.id, ?stage, "login accepted");
    Ok(LoggedIn { account, stage })
}

pub async fn find_account(
    db: &impl ConnectionTrait,
    tenant_id: i32,
    user_id_key: &str,
) -> Result<Option<account::Model>, AppError> {
    account::Entity::find()
        .filter(account::Column::TenantId.eq(tenant_id))
        .filter(account::Column::UserIdKey.eq(user_id_key))
        .one(db)
        .await
        .map_err(internal("reading an account"))
}

async fn find_or_create_account(
    db: &impl ConnectionTrait,
    tenant_id: i32,
    user_id: &UserId,
) -> Result<account::Model, AppError> {
    if let Some(found) = find_account(db, tenant_id, &user_id.key()).await? {
        return Ok(found);
    }
    let now = now_ms();
    let created = account::ActiveModel {
        tenant_id: Set(tenant_id),
        user_id_key: Set(user_id.key()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await;
    match created {
        Ok(account) => Ok(account),
        // Two first logins at once: the other one created it.
        Err(_) => find_account(db, tenant_id, &user_id.key())
            .await?
            .ok_or(AppError::Internal),
    }
}

pub async fn account_by_id(db: &impl ConnectionTrait, id: i32) -> Result<account::Model, AppError> {
    account::Entity::find_by_id(id)
        .one(db)
        .await
        .map_err(internal("reading an account"))?
        .ok_or(AppError::NotSignedIn)
}
