//! One-time links by mail: issue a token, queue the mail that carries its URL, and later
//! claim the token for the account it was issued to. Each purpose has its own page and mail.

use super::entities::{account, one_time_token, tenant};
use super::login::account_by_id;
use super::mail::{enqueue, link_mail};
use super::settings::Settings;
use super::tenants;
use super::tokens::{self, Purpose};
use crate::error::AppError;
use crate::i18n::{Lang, Msg};
use sea_orm::ConnectionTrait;

/// The cookie that carries a one-time URL's token once it has left the address bar.
pub const LINK_COOKIE: &str = "shomei_link";

impl Purpose {
    /// The page the link opens, below `/{tenant}/`.
    fn page(self) -> &'static str {
        match self {
            Purpose::EmailRegistration => "email/confirm",
            Purpose::EmailChange => "email/change/confirm",
            Purpose::SecondPasswordReset => "second-password/reset",
        }
    }

    /// Subject and introduction of the mail that carries the link.
    fn mail(self) -> (Msg, Msg) {
        match self {
            Purpose::EmailRegistration => (Msg::MailEmailSubject, Msg::MailEmailBody),
            Purpose::EmailChange => (Msg::MailEmailChangeSubject, Msg::MailEmailChangeBody),
            Purpose::SecondPasswordReset => (Msg::MailResetSubject, Msg::MailResetBody),
        }
    }
}

/// Issues a link for `account_id` (voiding older ones of the purpose) and queues its mail to
/// `to`, which the token records. Call inside the transaction that must hold both. Returns
/// the expiry.
pub async fn send(
    db: &impl ConnectionTrait,
    settings: &Settings,
    tenant: &tenant::Model,
    purpose: Purpose,
    account_id: i32,
    to: &str,
    lang: Lang,
) -> Result<i64, AppError> {
    let issued = tokens::issue(
        db,
        purpose,
        account_id,
        Some(to),
        tenants::token_ttl_seconds(settings, tenant),
    )
    .await?;
    let url = settings.link(&format!(
        "/{}/{}?token={}",
        tenant.slug,
        purpose.page(),
        issued.raw
    ));
    enqueue(
        db,
        link_mail(
            lang,
            tenants::display_name(tenant, lang),
            to,
            purpose.mail(),
            &url,
            issued.expires_at,
        ),
    )
    .await?;
    Ok(issued.expires_at)
}

/// Uses the link up and returns it with its account, which must belong to `tenant`.
pub async fn claim(
    db: &impl ConnectionTrait,
    tenant: &tenant::Model,
    purpose: Purpose,
    raw_token: &str,
) -> Result<(one_time_token::Model, account::Model), AppError> {
    let token = tokens::consume(db, purpose, raw_token).await?;
    let account = account_of(db, tenant, &token).await?;
    Ok((token, account))
}

/// The link and its account if it can still be used, without using it.
pub async fn peek(
    db: &impl ConnectionTrait,
    tenant: &tenant::Model,
    purpose: Purpose,
    raw_token: &str,
) -> Result<(one_time_token::Model, account::Model), AppError> {
    let token = tokens::usable(db, purpose, raw_token).await?;
    let account = account_of(db, tenant, &token).await?;
    Ok((token, account))
}

async fn account_of(
    db: &impl ConnectionTrait,
    tenant: &tenant::Model,
    token: &one_time_token::Model,
) -> Result<account::Model, AppError> {
    let account = account_by_id(db, token.account_id).await?;
    // A link of one university opened under another's address is unknown there.
    if account.tenant_id == tenant.id {
        Ok(account)
    } else {
        Err(AppError::Refused(Msg::LinkUnknown))
    }
}
