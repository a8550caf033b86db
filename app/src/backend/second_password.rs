//! The second password: set at first login (manual 2.2), changed (2.4b), reset when
//! forgotten (2.4c).

use super::clock::now_ms;
use super::directory::Directory;
use super::entities::{account, tenant};
use super::internal;
use super::links;
use super::login::account_by_id;
use super::mail::notify;
use super::password_rules;
use super::passwords::Passwords;
use super::reauth::{self, Reauth};
use super::sessions;
use super::settings::Settings;
use super::tokens::{self, Purpose};
use crate::api::views::LinkState;
use crate::domain::{passwords_match, EmailAddress, SecondPassword};
use crate::error::{AppError, Field};
use crate::i18n::{Lang, Msg};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    Set, TransactionTrait,
};
use secrecy::{ExposeSecret, SecretString};

/// A new second password as a form sends it: the password and its confirmation.
pub struct NewSecondPassword {
    pub password: SecretString,
    pub confirmation: SecretString,
}

/// Checks every rule of a new second password for `account`: the university's policy, the
/// confirmation, not a common password, not the user ID or student number. The directory is
/// asked only for the student number, never with a password: asking it whether a candidate is
/// the university password would answer an attacker's guesses outside every login limit (and
/// send an LDAP directory a failed login for every ordinary change).
pub async fn check_new(
    directory: &dyn Directory,
    tenant: &tenant::Model,
    user_id_key: &str,
    new: &NewSecondPassword,
) -> Result<SecondPassword, AppError> {
    let student = directory.find(tenant, user_id_key).await?;
    let identifiers = password_rules::Identifiers {
        user_id_key,
        student_number: student.as_ref().and_then(|s| s.student_number.as_deref()),
    };
    let policy = password_rules::policy_of(tenant.password_policy.as_deref());
    let candidate = password_rules::check(policy, new.password.expose_secret(), &identifiers)?;
    passwords_match(
        new.password.expose_secret(),
        new.confirmation.expose_secret(),
    )
    .map_err(|msg| AppError::invalid(Field::SecondPasswordConfirm, msg))?;
    Ok(candidate)
}

/// Sets the first second password and ends the account's first-login sessions: the student
/// then logs in with all three fields. The one place that refuses the university password:
/// it was typed at the login that opened this step, and its hash waits in that session.
#[tracing::instrument(skip_all, fields(tenant = %tenant.slug, account_id))]
pub async fn set_first(
    db: &DatabaseConnection,
    directory: &dyn Directory,
    passwords: &Passwords,
    tenant: &tenant::Model,
    session: &sessions::Session,
    new: NewSecondPassword,
) -> Result<(), AppError> {
    let account = account_by_id(db, session.account_id).await?;
    if account.second_password_hash.is_some() || account.email_verified_at.is_none() {
        return Err(AppError::NotSignedIn);
    }
    let candidate = check_new(directory, tenant, &account.user_id_key, &new).await?;
    if let Some(university) = &session.university_password_hash {
        if passwords
            .verify(Some(university.clone()), candidate.secret().clone())
            .await?
        {
            return Err(AppError::invalid(
                Field::SecondPassword,
                Msg::PasswordEqualsUniversity,
            ));
        }
    }
    let hash = passwords.hash(candidate.secret().clone()).await?;

    let txn = db
        .begin()
        .await
        .map_err(internal("starting a transaction"))?;
    let account = store_hash(&txn, account, hash).await?;
    sessions::end_all_for_account(&txn, account.id).await?;
    txn.commit()
        .await
        .map_err(internal("committing a second password"))?;
    tracing::info!(account_id = account.id, "second password set");
    Ok(())
}

/// Changing the second password while signed in (manual 2.4b): the current one first, the
/// same rules as setup, and not the current one again. Every other session of the student
/// ends, every unused link of the account is void, and the registered address is told.
#[tracing::instrument(skip_all, fields(tenant = %tenant.slug, account_id))]
// The signed-in student (account, session) and the form (current, new) are all needed.
#[allow(clippy::too_many_arguments)]
pub async fn change(
    db: &DatabaseConnection,
    directory: &dyn Directory,
    reauth: &Reauth<'_>,
    tenant: &tenant::Model,
    account_id: i32,
    current: SecretString,
    new: NewSecondPassword,
    lang: Lang,
) -> Result<(), AppError> {
    let account = account_by_id(db, account_id).await?;
    reauth::check(db, reauth, tenant, &account, current.clone()).await?;
    let candidate = check_new(directory, tenant, &account.user_id_key, &new).await?;
    if candidate.secret().expose_secret() == current.expose_secret() {
        return Err(AppError::invalid(
            Field::SecondPassword,
            Msg::PasswordSameAsCurrent,
        ));
    }
    let hash = reauth.passwords.hash(candidate.secret().clone()).await?;

    let txn = db
        .begin()
        .await
        .map_err(internal("starting a transaction"))?;
    let account = store_hash(&txn, account, hash).await?;
    sessions::end_others_for_account(&txn, account.id, &reauth.session).await?;
    notify_account(
        &txn,
        tenant,
        &account,
        (
            Msg::MailSecondPasswordChangedSubject,
            Msg::MailSecondPasswordChangedBody,
        ),
        lang,
    )
    .await?;
    txn.commit()
        .await
        .map_err(internal("committing a second password"))?;
    tracing::info!(account_id = account.id, "second password changed");
    Ok(())
}

/// Forgotten second password (manual 2.4c), step 1. The answer is the same whether or not
/// the address is registered, and the mail is only queued, so the time does not tell either.
/// Requests past the limits are dropped silently.
#[tracing::instrument(skip_all, fields(tenant = %tenant.slug))]
pub async fn request_reset(
    db: &DatabaseConnection,
    settings: &Settings,
    tenant: &tenant::Model,
    email: &EmailAddress,
    client_allowed: bool,
    lang: Lang,
) -> Result<Option<i32>, AppError> {
    let account = account::Entity::find()
        .filter(account::Column::TenantId.eq(tenant.id))
        .filter(account::Column::Email.eq(email.as_str()))
        .one(db)
        .await
        .map_err(internal("finding an account by address"))?
        .filter(|account| account.email_verified_at.is_some());
    let Some(account) = account else {
        tracing::info!("reset requested for an address that is not registered");
        return Ok(None);
    };
    if !client_allowed {
        tracing::warn!(
            account_id = account.id,
            "reset mail limited for the client address"
        );
        return Ok(Some(account.id));
    }
    let txn = db
        .begin()
        .await
        .map_err(internal("starting a transaction"))?;
    // Counted inside the transaction that issues the link, on the account row locked for
    // update: simultaneous requests cannot all see room under the limit.
    let sent = links::send(
        &txn,
        settings,
        tenant,
        Purpose::SecondPasswordReset,
        account.id,
        email.as_str(),
        lang,
    )
    .await?;
    txn.commit()
        .await
        .map_err(internal("committing a reset mail"))?;
    if sent.is_none() {
        tracing::warn!(
            account_id = account.id,
            "reset mail limited for the account"
        );
        return Ok(Some(account.id));
    }
    tracing::info!(account_id = account.id, "reset mail queued");
    Ok(Some(account.id))
}

pub async fn inspect_reset(
    db: &DatabaseConnection,
    tenant: &tenant::Model,
    raw_token: &str,
) -> Result<LinkState, AppError> {
    links::inspect(db, tenant, Purpose::SecondPasswordReset, raw_token).await
}

/// Forgotten second password, step 2: the link's form. The rules are checked before the
/// link is used, so a refused password leaves the link working. No automatic login: every
/// session of the student ends, and the registered address is told.
#[tracing::instrument(skip_all, fields(tenant = %tenant.slug))]
pub async fn reset(
    db: &DatabaseConnection,
    directory: &dyn Directory,
    passwords: &Passwords,
    tenant: &tenant::Model,
    raw_token: &str,
    new: NewSecondPassword,
    lang: Lang,
) -> Result<i32, AppError> {
    let (_, account) = links::peek(db, tenant, Purpose::SecondPasswordReset, raw_token).await?;
    let candidate = check_new(directory, tenant, &account.user_id_key, &new).await?;
    let hash = passwords.hash(candidate.secret().clone()).await?;

    let txn = db
        .begin()
        .await
        .map_err(internal("starting a transaction"))?;
    // Used up inside the transaction: of two uses at once, one wins.
    links::claim(&txn, tenant, Purpose::SecondPasswordReset, raw_token).await?;
    let account = store_hash(&txn, account, hash).await?;
    sessions::end_all_for_account(&txn, account.id).await?;
    notify_account(
        &txn,
        tenant,
        &account,
        (Msg::MailResetDoneSubject, Msg::MailResetDoneBody),
        lang,
    )
    .await?;
    txn.commit().await.map_err(internal("committing a reset"))?;
    tracing::info!(account_id = account.id, "second password reset");
    Ok(account.id)
}

async fn store_hash(
    db: &impl ConnectionTrait,
    account: account::Model,
    hash: String,
) -> Result<account::Model, AppError> {
    let mut update: account::ActiveModel = account.into();
    update.second_password_hash = Set(Some(hash));
    update.updated_at = Set(now_ms());
    let account = update
        .update(db)
        .await
        .map_err(internal("storing a second password"))?;
    // No link sent before the change may act on the account afterwards.
    tokens::void_all_unused(db, account.id).await?;
    Ok(account)
}

/// Tells the registered address what was done to the account.
async fn notify_account(
    db: &impl ConnectionTrait,
    tenant: &tenant::Model,
    account: &account::Model,
    texts: (Msg, Msg),
    lang: Lang,
) -> Result<(), AppError> {
    match &account.email {
        Some(to) => notify(db, tenant, to, texts, lang).await,
        None => Ok(()),
    }
}
