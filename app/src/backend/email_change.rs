//! Changing the registered email address (manual 2.4a). The student re-authenticates with the
//! current second password; a one-time URL goes to the new address, and the address changes
//! only when that link's page is confirmed. The old address hears of the request and of the
//! change. Whether the new address is taken is checked only at confirmation, so the request's
//! answer tells nothing about other students' addresses.

use super::email_registration::store_verified_address;
use super::entities::tenant;
use super::internal;
use super::links;
use super::login::account_by_id;
use super::mail::notify;
use super::reauth::{self, Reauth};
use super::settings::Settings;
use super::tokens::Purpose;
use crate::api::views::LinkState;
use crate::domain::EmailAddress;
use crate::error::{AppError, Field};
use crate::i18n::{Lang, Msg};
use sea_orm::{DatabaseConnection, TransactionTrait};
use secrecy::SecretString;

/// What the email-change form sends.
pub struct ChangeRequest {
    pub new_email: EmailAddress,
    pub current_second_password: SecretString,
}

#[tracing::instrument(skip_all, fields(tenant = %tenant.slug, account_id))]
pub async fn request(
    db: &DatabaseConnection,
    settings: &Settings,
    reauth: &Reauth<'_>,
    tenant: &tenant::Model,
    account_id: i32,
    change: ChangeRequest,
    lang: Lang,
) -> Result<(), AppError> {
    let ChangeRequest {
        new_email,
        current_second_password,
    } = change;
    let new_email = &new_email;
    let account = account_by_id(db, account_id).await?;
    reauth::check(db, reauth, tenant, &account, current_second_password).await?;
    if account.email.as_deref() == Some(new_email.as_str()) {
        return Err(AppError::invalid(Field::Email, Msg::EmailUnchanged));
    }
    let txn = db
        .begin()
        .await
        .map_err(internal("starting a transaction"))?;
    links::send(
        &txn,
        settings,
        tenant,
        Purpose::EmailChange,
        account.id,
        new_email.as_str(),
        lang,
    )
    .await?
    .ok_or(AppError::Refused(Msg::TooManyLinkMails))?;
    if let Some(old) = &account.email {
        let texts = (
            Msg::MailChangeRequestedSubject,
            Msg::MailChangeRequestedBody,
        );
        notify(&txn, tenant, old, texts, lang).await?;
    }
    txn.commit()
        .await
        .map_err(internal("committing a change request"))?;
    tracing::info!("email change requested");
    Ok(())
}

pub async fn inspect(
    db: &DatabaseConnection,
    tenant: &tenant::Model,
    raw_token: &str,
) -> Result<LinkState, AppError> {
    links::inspect(db, tenant, Purpose::EmailChange, raw_token).await
}

/// Consumes the link and moves the account to the new address, in one transaction.
#[tracing::instrument(skip_all, fields(tenant = %tenant.slug))]
pub async fn confirm(
    db: &DatabaseConnection,
    tenant: &tenant::Model,
    raw_token: &str,
    lang: Lang,
) -> Result<i32, AppError> {
    let txn = db
        .begin()
        .await
        .map_err(internal("starting a transaction"))?;
    let (token, account) = links::claim(&txn, tenant, Purpose::EmailChange, raw_token).await?;
    let old_email = account.email.clone();
    let account = store_verified_address(&txn, tenant, account, token.email).await?;
    if let Some(old) = old_email {
        let texts = (Msg::MailEmailChangedSubject, Msg::MailEmailChangedBody);
        notify(&txn, tenant, &old, texts, lang).await?;
    }
    txn.commit()
        .await
        .map_err(internal("committing an address change"))?;
    tracing::info!(account_id = account.id, "email address changed");
    Ok(account.id)
}
