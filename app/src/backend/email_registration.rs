//! Registering the email address at first login (manual 2.1): a one-time URL goes to the
//! address, and the address is registered only when that link's page is confirmed.

use super::clock::now_ms;
use super::entities::{account, tenant};
use super::internal;
use super::login::account_by_id;
use super::mail::{enqueue, link_mail};
use super::sessions;
use super::settings::Settings;
use super::tenants;
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
    let issued = tokens::issue(
        &txn,
        Purpose::EmailRegistration,
        account_id,
        Some(email.as_str()),
        tenants::token_ttl_seconds(settings, tenant),
    )
    .await?;
    let link = settings.link(&format!(
        "/{}/email/confirm?token={}",
        tenant.slug, issued.raw
    ));
    enqueue(
        &txn,
        link_mail(
            lang,
            tenants::display_name(tenant, lang),
            email.as_str(),
            (Msg::MailEmailSubject, Msg::MailEmailBody),
            &link,
            issued.expires_at,
        ),
    )
    .await?;
    txn.commit().await.map_err(internal("committing a mail"))?;
    tracing::info!("email confirmation queued");
    Ok(issued.expires_at)
}

/// Whether another account of the tenant already has `email`.
pub async fn address_taken(
    db: &impl ConnectionTrait,
    tenant_id: i32,
    email: &str,
    except_account: i32,
) -> Result<bool, AppError> {
    Ok(account::Entity::find()
        .filter(account::Column::TenantId.eq(tenant_id))
        .filter(account::Column::Email.eq(email))
        .filter(account::Column::Id.ne(except_account))
        .one(db)
        .await
        .map_err(internal("checking an address"))?
        .is_some())
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
    if address_taken(&txn, tenant.id, &email, account.id).await? {
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
