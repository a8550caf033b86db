//! Registering the email address at first login (manual 2.1): a one-time URL goes to the
//! address, and the address is registered only when that link's page is confirmed.

use super::links::{self, Purpose, Sending};
use super::{subject, AccountError, Accounts, Caller, Result, StudentSession};
use crate::entities::{account, tenant};
use crate::platform::audit::Event;
use crate::platform::begin;
use crate::platform::one_time_tokens as tokens;
use crate::platform::{sessions, storage};
use domain::{AccountId, EmailAddress, LinkState};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

impl Accounts {
    /// Queues the confirmation mail and its token in one transaction; returns the expiry.
    #[tracing::instrument(skip_all, fields(tenant = %at.tenant.slug))]
    pub async fn request_email_registration(
        &self,
        caller: &Caller,
        at: &StudentSession,
        email: &EmailAddress,
    ) -> Result<i64> {
        let account_id = at.session.account_id;
        let txn = begin(&self.db).await?;
        let sending = Sending {
            purpose: Purpose::EmailRegistration,
            account_id,
            to: email.as_str(),
            lang: caller.lang,
        };
        let expires_at = self
            .send_link(&txn, &at.tenant, sending)
            .await?
            .ok_or(AccountError::TooManyLinkMails)?;
        txn.commit().await.map_err(storage("committing a mail"))?;
        self.outbox.wake();
        tracing::info!("email confirmation queued");
        let about = subject(&at.tenant, Some(account_id), None);
        self.audit(caller, Event::EmailRegistrationRequested, about).await;
        Ok(expires_at)
    }

    /// Consumes the link and registers its address. Everything happens in one transaction:
    /// a refusal leaves the token usable and the account unchanged.
    #[tracing::instrument(skip_all, fields(tenant = %slug))]
    pub async fn confirm_email_registration(
        &self,
        caller: &Caller,
        slug: &str,
        raw_token: &str,
    ) -> Result<()> {
        let tenant = self.tenant(slug).await?;
        let now = self.clock.now_ms();
        let txn = begin(&self.db).await?;
        let claimed = (Purpose::EmailRegistration, raw_token, now);
        let (token, account) = links::claim(&txn, &tenant, claimed).await?;
        // Registration gives a first address; it never replaces one (that is the change flow,
        // which re-authenticates and tells the old address).
        if account.email_verified_at.is_some() {
            return Err(AccountError::Link(LinkState::Voided));
        }
        let verified = (token.email, now);
        let account = store_verified_address(&txn, &tenant, account, verified).await?;
        let account_id = AccountId(account.id);
        // The first-login session that asked for this address has done its job.
        sessions::end_all_for_account(&txn, account_id).await?;
        txn.commit().await.map_err(storage("committing an address"))?;
        tracing::info!(account_id = account.id, "email address registered");
        let about = subject(&tenant, Some(account_id), None);
        self.audit(caller, Event::EmailRegistered, about).await;
        Ok(())
    }
}

/// Gives the account the address a link confirmed, verified at `now`, unless another account
/// of the tenant has it: addresses are unique within a tenant, checked when a link is
/// confirmed.
pub async fn store_verified_address(
    db: &impl ConnectionTrait,
    tenant: &tenant::Model,
    account: account::Model,
    (email, now): (Option<String>, i64),
) -> Result<account::Model> {
    let email = email.ok_or(AccountError::Internal)?;
    let taken = account::Entity::find()
        .filter(account::Column::TenantId.eq(tenant.id))
        .filter(account::Column::Email.eq(email.as_str()))
        .filter(account::Column::Id.ne(account.id))
        .one(db)
        .await
        .map_err(storage("checking an address"))?
        .is_some();
    if taken {
        return Err(AccountError::EmailTaken);
    }
    let mut update: account::ActiveModel = account.into();
    update.email = Set(Some(email));
    update.email_verified_at = Set(Some(now));
    update.updated_at = Set(now);
    let account = update.update(db).await.map_err(storage("storing an address"))?;
    // A link sent to the former address (a reset, say) must not act on the account now.
    tokens::void_all_unused(db, account.id, now).await?;
    Ok(account)
}
