//! Mails that tell the registered address what was done to the account, with the time.

use super::Result;
use crate::entities::{account, tenant};
use crate::platform::clock::now_ms;
use crate::platform::outbox::{enqueue, notice_mail};
use crate::tenancy;
use domain::i18n::{Lang, Msg};
use sea_orm::ConnectionTrait;

/// Queues a notice to `to` in the caller's transaction; `texts` are its subject and body.
pub async fn notify(
    db: &impl ConnectionTrait,
    tenant: &tenant::Model,
    to: &str,
    texts: (Msg, Msg),
    lang: Lang,
) -> Result<()> {
    let university = tenancy::display_name(tenant, lang);
    enqueue(db, notice_mail(lang, university, to, texts, now_ms())).await?;
    Ok(())
}

/// Tells the account's registered address, if it has one.
pub async fn notify_account(
    db: &impl ConnectionTrait,
    tenant: &tenant::Model,
    account: &account::Model,
    texts: (Msg, Msg),
    lang: Lang,
) -> Result<()> {
    match &account.email {
        Some(to) => notify(db, tenant, to, texts, lang).await,
        None => Ok(()),
    }
}
