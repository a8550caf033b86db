//! Registering the email address at first login (manual 2.1): a one-time URL goes to the
//! address, and the address is registered only when that link's page is confirmed.

use super::clock::now_ms;
use super::entities::{account, tenant};
use super::internal;
use super::login::account_by_id;
use super::mail::{email_registration_mail, enqueue};
use super::sessions;
use super::settings::Settings;
use super::tokens::{self, Purpose};
use crate::api::views::LinkState;
use crate::domain::EmailAddress;
use crate::error::AppError;
use crate::i18n::{Lang, Msg};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set,
    TransactionTrait,
};

pub fn token_ttl_seconds(settings: &Settings, tenant: &tenant::Model) -> i64 {
    tenant
        .token_ttl_seconds
        .unwrap_or(settings.token_ttl_seconds)
}

/// Queues the confirmation mail and its token in one transaction; returns the expiry.
#[tracing::instrument(skip_all, fields(tenant = %tenant.slug, account_id))]
pub async fn request(
    db: &DatabaseConnection,
    settings: &Settings,
    tenant: &tenant::Model,
    account_id: i32,
    email: &EmailAddress,
    lang: Lang,
) -> Result<i64, AppError> {
    let txn = db
        .begin()
        .await
        .map_err(internal("starting a transaction"))?;
    let issued = tokens::issue(
        &txn,
        Purpose::EmailRegistration,
        account_id,
        Some(email.as_str()),
        token_ttl_seconds(settings, tenant),
    )
    .await?;
    let link = settings.link(&format!(
        "/{}/email/confirm?token={}",
        tenant.slug, issued.raw
    ));
    let university = match lang {
        Lang::En => tenant.name_en.as_deref().unwrap_or(&tenant.name),
        Lang::Ja => &tenant.name,
    };
    enqueue(
        &txn,
        email_registration_mail(lang, university, email.as_str(), &link, issued.expires_at),
    )
    .await?;
    txn.commit().await.map_err(internal("committing a mail"))?;
    tracing::info!("email confirmation queued");
    Ok(issued.expires_at)
}

pub async fn inspect(db: &DatabaseConnection, raw_token: &str) -> Result<LinkState, AppError> {
    tokens::inspect(db, Purpose::EmailRegistration, raw_token).await
}

/// Consumes the link and registers its address. Everything happens in one transaction: a
/// refusal leaves the token usable and the account unchanged.
#[tracing::instrument(skip_all, fields(tenant = %tenant.slug))]
pub async fn confirm(
    db: &DatabaseConnection,
    tenant: &tenant::Model,
    raw_token: &str,
) -> Result<(), AppError> {
    let txn = db
        .begin()
        .await
        .map_err(internal("starting a transaction"))?;
    let token = tokens::consume(&txn, Purpose::EmailRegistration, raw_token).await?;
    let account = account_by_id(&txn, token.account_id).await?;
    if account.tenant_id != tenant.id {
        return Err(AppError::Refused(Msg::LinkUnknown));
    }
    let email = token.email.clone().ok_or(AppError::Internal)?;
    let taken = account::Entity::find()
        .filter(account::Column::TenantId.eq(tenant.id))
        .filter(account::Column::Email.eq(email.clone()))
        .filter(account::Column::Id.ne(account.id))
        .one(&txn)
        .await
        .map_err(internal("checking an address"))?
        .is_some();
    if taken {
        return Err(AppError::Refused(Msg::EmailTaken));
    }
    let now = now_ms();
    let mut update: account::ActiveModel = account.into();
    update.email = Set(Some(email));
    update.email_verified_at = Set(Some(now));
    update.updated_at = Set(now);
    let account = update
        .update(&txn)
        .await
        .map_err(internal("registering an address"))?;
    // The first-login session that asked for this address has done its job.
    sessions::end_all_for_account(&txn, account.id).await?;
    txn.commit()
        .await
        .map_err(internal("committing an address"))?;
    tracing::info!(account_id = account.id, "email address registered");
    Ok(())
}
