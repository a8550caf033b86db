//! Mails that tell the registered address what was done to the account, with the time.

use super::Result;
use crate::entities::{account, tenant};
use crate::platform::mail_messages::MailMsg;
use crate::platform::outbox::{enqueue, notice_mail};
use crate::tenancy;
use domain::i18n::Lang;
use sea_orm::ConnectionTrait;

/// The subject and body of a notice.
pub type Texts = (MailMsg, MailMsg);

/// Queues a notice to `to` in the caller's transaction: its texts, in which language, and
/// the time of what it tells.
pub async fn notify(
    db: &impl ConnectionTrait,
    tenant: &tenant::Model,
    to: &str,
    (texts, lang, now): (Texts, Lang, i64),
) -> Result<()> {
    let university = tenancy::display_name(tenant, lang);
    enqueue(db, notice_mail(lang, university, to, texts, now), now).await?;
    Ok(())
}

/// Tells the account's registered address, if it has one.
pub async fn notify_account(
    db: &impl ConnectionTrait,
    tenant: &tenant::Model,
    account: &account::Model,
    told: (Texts, Lang, i64),
) -> Result<()> {
    match &account.email {
        Some(to) => notify(db, tenant, to, told).await,
        None => Ok(()),
    }
}
