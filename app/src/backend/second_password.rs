//! Setting the second password at first login (manual 2.2).

use super::clock::now_ms;
use super::directory::Directory;
use super::entities::{account, tenant};
use super::internal;
use super::login::account_by_id;
use super::passwords::Passwords;
use super::sessions;
use crate::domain::{passwords_match, SecondPassword, UserId};
use crate::error::{AppError, Field};
use crate::i18n::Msg;
use sea_orm::{ActiveModelTrait, DatabaseConnection, Set, TransactionTrait};
use secrecy::{ExposeSecret, SecretString};

/// Checks every rule of a new second password for `account`: the manual's rule, the
/// confirmation, not the user ID, and not the university password (asked of the directory).
pub async fn check_new(
    directory: &dyn Directory,
    tenant: &tenant::Model,
    user_id_key: &str,
    password: &SecretString,
    confirmation: &SecretString,
) -> Result<SecondPassword, AppError> {
    let candidate = SecondPassword::parse(password.expose_secret())
        .map_err(|msg| AppError::invalid(Field::SecondPassword, msg))?;
    passwords_match(password.expose_secret(), confirmation.expose_secret())
        .map_err(|msg| AppError::invalid(Field::SecondPasswordConfirm, msg))?;
    if candidate.equals_ignoring_case(user_id_key) {
        return Err(AppError::invalid(
            Field::SecondPassword,
            Msg::PasswordEqualsUserId,
        ));
    }
    let user_id = UserId::parse(user_id_key).map_err(|_| AppError::Internal)?;
    if directory
        .authenticate(tenant, &user_id, candidate.secret())
        .await?
        .is_some()
    {
        return Err(AppError::invalid(
            Field::SecondPassword,
            Msg::PasswordEqualsUniversity,
        ));
    }
    Ok(candidate)
}

/// Sets the first second password and ends the account's first-login sessions: the student
/// then logs in with all three fields.
#[tracing::instrument(skip_all, fields(tenant = %tenant.slug, account_id))]
pub async fn set_first(
    db: &DatabaseConnection,
    directory: &dyn Directory,
    passwords: &Passwords,
    tenant: &tenant::Model,
    account_id: i32,
    password: SecretString,
    confirmation: SecretString,
) -> Result<(), AppError> {
    let account = account_by_id(db, account_id).await?;
    if account.second_password_hash.is_some() || account.email_verified_at.is_none() {
        return Err(AppError::NotSignedIn);
    }
    let candidate = check_new(
        directory,
        tenant,
        &account.user_id_key,
        &password,
        &confirmation,
    )
    .await?;
    let hash = passwords.hash(candidate.secret().clone()).await?;

    let txn = db
        .begin()
        .await
        .map_err(internal("starting a transaction"))?;
    let now = now_ms();
    let mut update: account::ActiveModel = account.into();
    update.second_password_hash = Set(Some(hash));
    update.updated_at = Set(now);
    let account = update
        .update(&txn)
        .await
        .map_err(internal("setting a second password"))?;
    sessions::end_all_for_account(&txn, account.id).await?;
    txn.commit()
        .await
        .map_err(internal("committing a second password"))?;
    tracing::info!(account_id = account.id, "second password set");
    Ok(())
}
