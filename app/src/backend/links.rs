//! One-time links by mail: issue a token, queue the mail that carries its URL, and later
//! claim the token for the account it was issued to. Each purpose has its own page and mail.

use super::clock::now_ms;
use super::entities::{account, one_time_token, tenant};
use super::internal;
use super::login::account_by_id;
use super::mail::{enqueue, link_mail};
use super::settings::Settings;
use super::tenants;
use super::tokens::{self, Purpose};
use crate::api::views::LinkState;
use crate::error::AppError;
use crate::i18n::{Lang, Msg};
use crate::routes::Page;
use sea_orm::{ConnectionTrait, EntityTrait, QuerySelect};

/// The cookie that carries a one-time URL's token once it has left the address bar.
pub const LINK_COOKIE: &str = "shomei_link";

impl Purpose {
    pub const ALL: [Purpose; 3] = [
        Purpose::EmailRegistration,
        Purpose::EmailChange,
        Purpose::SecondPasswordReset,
    ];

    /// The page the link opens.
    pub fn page(self) -> Page {
        match self {
            Purpose::EmailRegistration => Page::EmailConfirm,
            Purpose::EmailChange => Page::EmailChangeConfirm,
            Purpose::SecondPasswordReset => Page::SecondPasswordReset,
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
    fn mail(self) -> (Msg, Msg) {
        match self {
            Purpose::EmailRegistration => (Msg::MailEmailSubject, Msg::MailEmailBody),
            Purpose::EmailChange => (Msg::MailEmailChangeSubject, Msg::MailEmailChangeBody),
            Purpose::SecondPasswordReset => (Msg::MailResetSubject, Msg::MailResetBody),
        }
    }
}

/// The path of the page a link of `purpose` opens at the university `slug`.
pub fn page_path(slug: &str, purpose: Purpose) -> String {
    purpose.page().href(slug)
}

/// The university and purpose of a link page's path, when `path` is exactly one: a valid
/// university slug followed by one of the link pages. Nothing else is a link page.
pub fn link_page(path: &str) -> Option<(&str, Purpose)> {
    let (slug, page) = Page::of_path(path)?;
    if !tenants::slug_is_valid(slug) {
        return None;
    }
    let purpose = Purpose::ALL.into_iter().find(|p| p.page() == page)?;
    Some((slug, purpose))
}

/// `Set-Cookie` for the token of a link page at `page`, living `max_age_seconds`. HttpOnly; `Lax`,
/// because the link is opened from a mail, a navigation from another site.
pub fn link_cookie(settings: &Settings, page: &str, token: &str, max_age_seconds: i64) -> String {
    let secure = settings.secure_attribute();
    format!(
        "{LINK_COOKIE}={token}; Path={page}; Max-Age={max_age_seconds}; HttpOnly; SameSite=Lax{secure}"
    )
}

/// Ends the link cookie of the page of `purpose` at `slug`, once its link has been used.
pub fn spent_link_cookie(settings: &Settings, slug: &str, purpose: Purpose) -> String {
    link_cookie(settings, &page_path(slug, purpose), "", 0)
}

/// Issues a link for `account_id` (voiding older ones of the purpose) and queues its mail to
/// `to`, which the token records, while the account has caused fewer than `mails_per_hour`
/// mails of this purpose in the last hour; `None` past it. Counted on the account row locked
/// for update (PostgreSQL; SQLite has one writer at a time), so simultaneous requests cannot
/// all find room under the limit. Call inside the transaction that commits the link. Returns
/// the expiry.
pub async fn send(
    db: &impl ConnectionTrait,
    settings: &Settings,
    tenant: &tenant::Model,
    purpose: Purpose,
    account_id: i32,
    to: &str,
    lang: Lang,
) -> Result<Option<i64>, AppError> {
    account::Entity::find_by_id(account_id)
        .lock_exclusive()
        .one(db)
        .await
        .map_err(internal("locking an account"))?
        .ok_or(AppError::NotSignedIn)?;
    let hour_ago = now_ms() - 3_600_000;
    let recent = tokens::issued_since(db, purpose, account_id, hour_ago).await?;
    if recent >= purpose.mails_per_hour() {
        return Ok(None);
    }
    let issued = tokens::issue(
        db,
        purpose,
        account_id,
        Some(to),
        tenants::token_ttl_seconds(settings, tenant),
    )
    .await?;
    let url = settings.link(&format!(
        "{}?token={}",
        page_path(&tenant.slug, purpose),
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
    Ok(Some(issued.expires_at))
}

/// Uses the link up and returns it with its account, which must belong to `tenant`.
pub async fn claim(
    db: &impl ConnectionTrait,
    tenant: &tenant::Model,
    purpose: Purpose,
    raw_token: &str,
) -> Result<(one_time_token::Model, account::Model), AppError> {
    let token = tokens::consume(db, purpose, raw_token).await?;
    with_account(db, tenant, purpose, token).await
}

/// The link and its account if it can still be used, without using it.
pub async fn peek(
    db: &impl ConnectionTrait,
    tenant: &tenant::Model,
    purpose: Purpose,
    raw_token: &str,
) -> Result<(one_time_token::Model, account::Model), AppError> {
    let token = tokens::usable(db, purpose, raw_token).await?;
    with_account(db, tenant, purpose, token).await
}

async fn with_account(
    db: &impl ConnectionTrait,
    tenant: &tenant::Model,
    purpose: Purpose,
    token: one_time_token::Model,
) -> Result<(one_time_token::Model, account::Model), AppError> {
    let account = account_of(db, tenant, &token).await?;
    still_addressed(purpose, &token, &account)?;
    Ok((token, account))
}

/// What the link's page at `tenant` should say, without using it. A link of another
/// university is unknown here, whatever its state there.
pub async fn inspect(
    db: &impl ConnectionTrait,
    tenant: &tenant::Model,
    purpose: Purpose,
    raw_token: &str,
) -> Result<LinkState, AppError> {
    let Some((token, state)) = tokens::inspect(db, purpose, raw_token).await? else {
        return Ok(LinkState::Unknown);
    };
    let account = match account_of(db, tenant, &token).await {
        Ok(account) => account,
        Err(AppError::Internal) => return Err(AppError::Internal),
        Err(_) => return Ok(LinkState::Unknown),
    };
    if state == LinkState::Valid && still_addressed(purpose, &token, &account).is_err() {
        return Ok(LinkState::Voided);
    }
    Ok(state)
}

/// A reset link proves control of the address it was sent to; once the account has another
/// address, it proves nothing and is void.
fn still_addressed(
    purpose: Purpose,
    token: &one_time_token::Model,
    account: &account::Model,
) -> Result<(), AppError> {
    if purpose == Purpose::SecondPasswordReset
        && (token.email.is_none() || token.email != account.email)
    {
        return Err(AppError::Refused(Msg::LinkVoided));
    }
    Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_three_link_pages_of_a_valid_university_are_link_pages() {
        assert_eq!(
            link_page("/demo/email/confirm"),
            Some(("demo", Purpose::EmailRegistration))
        );
        assert_eq!(
            link_page("/demo/email/change/confirm"),
            Some(("demo", Purpose::EmailChange))
        );
        assert_eq!(
            link_page("/demo/second-password/reset"),
            Some(("demo", Purpose::SecondPasswordReset))
        );
        for path in [
            "//evil.example/email/confirm",
            "/demo/home",
            "/demo/email/confirm/",
            "/demo/email/confirm;Domain=evil",
            "/Demo/email/confirm",
            "/../email/confirm",
            "/demo",
        ] {
            assert_eq!(link_page(path), None, "{path}");
        }
    }
}
