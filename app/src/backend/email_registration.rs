//! Registering the email address at first login (manual 2.1): a one-time URL goes to the
//! address, and the address is registered only when that link's page is confirmed.

use super::clock::now_ms;
use super::entities::{account, tenant};
use super::internal;
use super::links;
use super::sessions;
use super::settings::Settings;
use super::tokens::{self, Purpose};
use crate::api::views::LinkState;
use crate::domain::EmailAddress;
use crate::error::AppError;
use crate::i18n::{Lang, Msg};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    Set, TransactionTrait,
};

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
    let expires_at = links::send(
        &txn,
        settings,
        tenant,
        Purpose::EmailRegistration,
        account_id,
        email.as_str(),
        lang,
    )
    .await?
    .ok_or(AppError::Refused(Msg::TooManyLinkMails))?;
    txn.commit().await.map_err(internal("committing a mail"))?;
    tracing::info!("email confirmation queued");
    Ok(expires_at)
}

/// Gives the account the address a link confirmed, verified now, unless another account of
/// the tenant has it: addresses are unique within a tenant, checked when a link is confirmed.
pub async fn store_verified_address(
    db: &impl ConnectionTrait,
    tenant: &tenant::Model,
    account: account::Model,
    email: Option<String>,
) -> Result<account::Model, AppError> {
    let email = email.ok_or(AppError::Internal)?;
    let taken = account::Entity::find()
        .filter(account::Column::TenantId.eq(tenant.id))
        .filter(account::Column::Email.eq(email.as_str()))
        .filter(account::Column::Id.ne(account.id))
        .one(db)
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
        .update(db)
        .await
        .map_err(internal("storing an address"))?;
    // A link sent to the former address (a reset, say) must not act on the account now.
    tokens::void_all_unused(db, account.id).await?;
    Ok(account)
}

pub async fn inspect(
    db: &DatabaseConnection,
    tenant: &tenant::Model,
    raw_token: &str,
) -> Result<LinkState, AppError> {
    links::inspect(db, tenant, Purpose::EmailRegistration, raw_token).await
}

/// Consumes the link and registers its address. Everything happens in one transaction: a
/// refusal leaves the token usable and the account unchanged.
#[tracing::instrument(skip_all, fields(tenant = %tenant.slug))]
pub async fn confirm(
    db: &DatabaseConnection,
    tenant: &tenant::Model,
    raw_token: &str,
) -> Result<i32, AppError> {
    let txn = db
        .begin()
        .await
        .map_err(internal("starting a transaction"))?;
    let (token, account) =
        links::claim(&txn, tenant, Purpose::EmailRegistration, raw_token).await?;
    // Registration gives a first address; it never replaces one (that is the change flow,
    // which re-authenticates and tells the old address).
    if account.email_verified_at.is_some() {
        return Err(AppError::Refused(Msg::LinkVoided));
    }
    let account = store_verified_address(&txn, tenant, account, token.email).await?;
    // The first-login session that asked for this address has done its job.
    sessions::end_all_for_account(&txn, account.id).await?;
    txn.commit()
        .await
        .map_err(internal("committing an address"))?;
    tracing::info!(account_id = account.id, "email address registered");
    Ok(account.id)
}
