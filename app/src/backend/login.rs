//! Login (manual 2.3) and the first-login branches (2.1, 2.2). Every wrong credential gets
//! the same answer, and the directory is asked even for malformed IDs, so neither the text
//! nor the time tells which part was wrong.

use super::audit::{self, Actor, Event, Subject};
use super::clock::now_ms;
use super::devices;
use super::directory::Directory;
use super::entities::{account, tenant};
use super::internal;
use super::passwords::Passwords;
use super::sessions::Stage;
use super::settings::LoginThrottle;
use super::throttle::{self, Gate};
use crate::domain::UserId;
use crate::error::AppError;
use crate::i18n::Msg;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    Set, TransactionTrait,
};
use secrecy::{ExposeSecret, SecretString};

pub struct LoginAttempt {
    pub user_id: String,
    pub password: SecretString,
    pub second_password: SecretString,
    /// The browser's device cookie, if it sent one.
    pub device: Option<String>,
}

pub struct LoggedIn {
    pub account: account::Model,
    pub stage: Stage,
    /// A new device cookie for this browser, when it was not yet known for this student.
    pub new_device: Option<String>,
    /// At the second-password setup stage: the university password just typed, hashed, so
    /// that setup can refuse it without asking the directory.
    pub university_password_hash: Option<String>,
}

fn invalid() -> AppError {
    AppError::Refused(Msg::InvalidCredentials)
}

/// What a login needs besides the form: the services and the request's sender.
pub struct LoginContext<'a> {
    pub directory: &'a dyn Directory,
    pub passwords: &'a Passwords,
    pub throttle: &'a LoginThrottle,
    pub actor: &'a Actor,
}

#[tracing::instrument(skip_all, fields(tenant = %tenant.slug))]
pub async fn log_in(
    db: &DatabaseConnection,
    context: &LoginContext<'_>,
    tenant: &tenant::Model,
    attempt: LoginAttempt,
) -> Result<LoggedIn, AppError> {
    let parsed = UserId::parse(&attempt.user_id);
    // Each attempt is counted before anything is hashed: through the browser's device cookie
    // if it logged in as this student before, else against the user ID, whose delay refuses
    // it before the directory is asked (so guessing here never counts towards the
    // university's own lockout).
    let mut via_device = None;
    if let Ok(user_id) = &parsed {
        if let Some(raw) = attempt.device.as_deref() {
            via_device =
                devices::admit(db, context.throttle, tenant.id, &user_id.key(), raw).await?;
        }
        if via_device.is_none()
            && throttle::reserve(db, context.throttle, tenant.id, &user_id.key()).await?
                == Gate::Closed
        {
            audit(db, context, Event::LoginThrottled, tenant, None, user_id).await;
            return Err(AppError::Throttled);
        }
    }
    // A malformed ID still costs a hash, like an unknown one.
    let probe = parsed
        .clone()
        .unwrap_or_else(|_| UserId::parse("-").expect("a valid probe ID"));
    let known = context
        .directory
        .authenticate(tenant, &probe, &attempt.password)
        .await?;
    let account = match (&parsed, &known) {
        (Ok(user_id), Some(_)) => Some(find_or_create_account(db, tenant.id, user_id).await?),
        _ => None,
    };
    // A typed second password always costs a second hash, the account's or the dummy's, so
    // the time does not tell whether the university password was right.
    let second_typed = !attempt.second_password.expose_secret().is_empty();
    let second_ok = if second_typed {
        let hash = account
            .as_ref()
            .and_then(|account| account.second_password_hash.clone());
        context
            .passwords
            .verify(hash, attempt.second_password.clone())
            .await?
    } else {
        false
    };
    let Ok(user_id) = parsed else {
        tracing::info!("login refused");
        return Err(invalid());
    };
    let Some(account) = account else {
        return refuse(db, context, tenant, None, &user_id).await;
    };

    let stage = if account.email_verified_at.is_none() {
        Stage::NeedsEmail
    } else if account.second_password_hash.is_none() {
        Stage::NeedsSecondPassword
    } else if second_ok {
        Stage::SignedIn
    } else {
        return refuse(db, context, tenant, Some(account.id), &user_id).await;
    };
    let university_password_hash = match stage {
        Stage::NeedsSecondPassword => Some(context.passwords.hash(attempt.password.clone()).await?),
        _ => None,
    };
    let txn = db
        .begin()
        .await
        .map_err(internal("starting a transaction"))?;
    let new_device = match via_device {
        // The streak against the user ID may be an attacker's; a student's own browser leaves
        // it alone and clears only its own count.
        Some(admitted) => {
            devices::succeeded(&txn, admitted).await?;
            None
        }
        None => {
            throttle::record_success(&txn, tenant.id, &user_id.key()).await?;
            Some(devices::remember(&txn, tenant.id, &user_id.key()).await?)
        }
    };
    txn.commit().await.map_err(internal("committing a login"))?;
    audit(
        db,
        context,
        Event::LoginSucceeded,
        tenant,
        Some(account.id),
        &user_id,
    )
    .await;
    tracing::info!(account_id = account.id, ?stage, "login accepted");
    Ok(LoggedIn {
        account,
        stage,
        new_device,
        university_password_hash,
    })
}

/// The attempt was counted when it was admitted; the answer is the same whichever part was
/// wrong.
async fn refuse<T>(
    db: &impl ConnectionTrait,
    context: &LoginContext<'_>,
    tenant: &tenant::Model,
    account_id: Option<i32>,
    user_id: &UserId,
) -> Result<T, AppError> {
    tracing::info!(account_id, "login refused");
    audit(db, context, Event::LoginFailed, tenant, account_id, user_id).await;
    Err(invalid())
}

async fn audit(
    db: &impl ConnectionTrait,
    context: &LoginContext<'_>,
    event: Event,
    tenant: &tenant::Model,
    account_id: Option<i32>,
    user_id: &UserId,
) {
    let key = user_id.key();
    let subject = Subject {
        tenant_id: Some(tenant.id),
        account_id,
        user_id_key: Some(&key),
    };
    audit::record(db, context.actor, event, subject).await;
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
