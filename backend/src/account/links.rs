//! One-time links by mail: issue a token, queue the mail that carries its URL, and later
//! claim the token for the account it was issued to. Each purpose has its own page and mail.

use super::{account_by_id, AccountError, Accounts, Result};
use crate::entities::{account, one_time_token, tenant};
use crate::platform::mail_messages::MailMsg;
use crate::platform::one_time_tokens::{self as tokens, NewToken};
use crate::platform::outbox::{enqueue, link_mail};
use crate::platform::storage;
use crate::tenancy;
use domain::i18n::Lang;
use domain::{AccountId, LinkState};
use sea_orm::{ConnectionTrait, EntityTrait, QuerySelect};

/// What a link does when it is opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    EmailRegistration,
    EmailChange,
    SecondPasswordReset,
}

/// Where the page of each kind of link is. The web layer knows its paths; a service only
/// needs one to put into a mail.
pub trait LinkPages: Send + Sync {
    /// The path (no origin) of the page a link of `purpose` at university `slug` opens.
    fn path(&self, slug: &str, purpose: Purpose) -> String;
}

impl Purpose {
    pub const ALL: [Purpose; 3] = [
        Purpose::EmailRegistration,
        Purpose::EmailChange,
        Purpose::SecondPasswordReset,
    ];

    /// The purpose as the tokens table stores it.
    pub fn code(self) -> &'static str {
        match self {
            Purpose::EmailRegistration => "email_registration",
            Purpose::EmailChange => "email_change",
            Purpose::SecondPasswordReset => "second_password_reset",
        }
    }

    /// Mails of this purpose one account may cause per hour, counted in the database (so the
    /// limit holds on every instance). Past it, a reset is dropped silently (its answer must
    /// not differ) and the signed-in flows are told to wait.
    pub fn mails_per_hour(self) -> u64 {
        match self {
            Purpose::EmailRegistration | Purpose::EmailChange => 5,
            Purpose::SecondPasswordReset => 3,
        }
    }

    /// Subject and introduction of the mail that carries the link.
    fn mail(self) -> (MailMsg, MailMsg) {
        match self {
            Purpose::EmailRegistration => (MailMsg::MailEmailSubject, MailMsg::MailEmailBody),
            Purpose::EmailChange => (
                MailMsg::MailEmailChangeSubject,
                MailMsg::MailEmailChangeBody,
            ),
            Purpose::SecondPasswordReset => (MailMsg::MailResetSubject, MailMsg::MailResetBody),
        }
    }
}

/// A link to send: what it is for, to whom, and in which language its mail is written.
pub struct Sending<'a> {
    pub purpose: Purpose,
    pub account_id: AccountId,
    pub to: &'a str,
    pub lang: Lang,
}

impl Accounts {
    /// Issues a link (voiding older ones of the purpose) and queues its mail to `sending.to`,
    /// which the token records, while the account has caused fewer than `mails_per_hour`
    /// mails of this purpose in the last hour; `None` past it. Counted on the account row
    /// locked for update (PostgreSQL; SQLite has one writer at a time), so simultaneous
    /// requests cannot all find room under the limit. Call inside the transaction that
    /// commits the link. Returns the expiry.
    pub(super) async fn send_link(
        &self,
        db: &impl ConnectionTrait,
        tenant: &tenant::Model,
        sending: Sending<'_>,
    ) -> Result<Option<i64>> {
        let Sending {
            purpose,
            account_id,
            to,
            lang,
        } = sending;
        account::Entity::find_by_id(account_id.0)
            .lock_exclusive()
            .one(db)
            .await
            .map_err(storage("locking an account"))?
            .ok_or(AccountError::NotSignedIn)?;
        let now = self.clock.now_ms();
        let hour_ago = now - 3_600_000;
        let recent = tokens::issued_since(db, purpose.code(), account_id.0, hour_ago).await?;
        if recent >= purpose.mails_per_hour() {
            return Ok(None);
        }
        let new = NewToken {
            purpose: purpose.code(),
            account_id: account_id.0,
            email: Some(to),
            now,
            ttl_seconds: tenancy::token_ttl_seconds(&self.settings, tenant),
        };
        let issued = tokens::issue(db, new).await?;
        let url = self.settings.link(&format!(
            "{}?token={}",
            self.link_pages.path(&tenant.slug, purpose),
            issued.raw
        ));
        enqueue(
            db,
            link_mail(
                lang,
                tenancy::display_name(tenant, lang),
                to,
                purpose.mail(),
                &url,
                issued.expires_at,
            ),
            now,
        )
        .await?;
        Ok(Some(issued.expires_at))
    }

    /// What the page of a link of `purpose` at `slug` should say, without using it. A link
    /// of another university is unknown here, whatever its state there.
    pub async fn link_state(
        &self,
        slug: &str,
        purpose: Purpose,
        raw_token: &str,
    ) -> Result<LinkState> {
        let tenant = self.tenant(slug).await?;
        let db = &self.db;
        let now = self.clock.now_ms();
        let Some((token, state)) = tokens::inspect(db, purpose.code(), raw_token, now).await?
        else {
            return Ok(LinkState::Unknown);
        };
        let account = match account_of(db, &tenant, &token).await {
            Ok(account) => account,
            Err(AccountError::Internal) => return Err(AccountError::Internal),
            Err(_) => return Ok(LinkState::Unknown),
        };
        if state == LinkState::Valid && still_addressed(purpose, &token, &account).is_err() {
            return Ok(LinkState::Voided);
        }
        Ok(state)
    }

    /// When a link can no longer be used: its expiry while it is usable, `None` when it is
    /// unknown, used, voided or expired. Bounds the cookie that carries it on its page.
    pub async fn link_usable_until(
        &self,
        purpose: Purpose,
        raw_token: &str,
    ) -> Result<Option<i64>> {
        let now = self.clock.now_ms();
        Ok(tokens::usable_until(&self.db, purpose.code(), raw_token, now).await?)
    }
}

/// Which link, and when: the purpose, the token as the browser sent it, and the time.
pub type LinkUse<'a> = (Purpose, &'a str, i64);

/// Uses the link up and returns it with its account, which must belong to `tenant`.
pub async fn claim(
    db: &impl ConnectionTrait,
    tenant: &tenant::Model,
    (purpose, raw_token, now): LinkUse<'_>,
) -> Result<(one_time_token::Model, account::Model)> {
    let token = tokens::consume(db, purpose.code(), raw_token, now).await?;
    with_account(db, tenant, purpose, token).await
}

/// The link and its account if it can still be used, without using it.
pub async fn peek(
    db: &impl ConnectionTrait,
    tenant: &tenant::Model,
    (purpose, raw_token, now): LinkUse<'_>,
) -> Result<(one_time_token::Model, account::Model)> {
    let token = tokens::usable(db, purpose.code(), raw_token, now).await?;
    with_account(db, tenant, purpose, token).await
}

async fn with_account(
    db: &impl ConnectionTrait,
    tenant: &tenant::Model,
    purpose: Purpose,
    token: one_time_token::Model,
) -> Result<(one_time_token::Model, account::Model)> {
    let account = account_of(db, tenant, &token).await?;
    still_addressed(purpose, &token, &account)?;
    Ok((token, account))
}

/// A reset link proves control of the address it was sent to; once the account has another
/// address, it proves nothing and is void.
fn still_addressed(
    purpose: Purpose,
    token: &one_time_token::Model,
    account: &account::Model,
) -> Result<()> {
    if purpose == Purpose::SecondPasswordReset
        && (token.email.is_none() || token.email != account.email)
    {
        return Err(AccountError::Link(LinkState::Voided));
    }
    Ok(())
}

async fn account_of(
    db: &impl ConnectionTrait,
    tenant: &tenant::Model,
    token: &one_time_token::Model,
) -> Result<account::Model> {
    let account = account_by_id(db, AccountId(token.account_id)).await?;
    // A link of one university opened under another's address is unknown there.
    if account.tenant_id == tenant.id {
        Ok(account)
    } else {
        Err(AccountError::Link(LinkState::Unknown))
    }
}
