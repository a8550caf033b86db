//! Changing the registered email address (manual 2.4a). The student re-authenticates with the
//! current second password; a one-time URL goes to the new address, and the address changes
//! only when that link's page is confirmed. The old address hears of the request and of the
//! change. Whether the new address is taken is checked only at confirmation, so the request's
//! answer tells nothing about other students' addresses.

use super::email_registration::store_verified_address;
use super::links::{self, Purpose, Sending};
use super::notices::notify;
use super::{account_by_id, subject, AccountError, Accounts, Caller, Result, StudentSession};
use crate::platform::audit::Event;
use crate::platform::begin;
use crate::platform::storage;

use crate::platform::mail_messages::MailMsg;
use domain::{AccountId, EmailAddress};
use secrecy::SecretString;

/// What the email-change form sends.
pub struct ChangeRequest {
    pub new_email: EmailAddress,
    pub current_second_password: SecretString,
}

impl Accounts {
    #[tracing::instrument(skip_all, fields(tenant = %at.tenant.slug))]
    pub async fn request_email_change(
        &self,
        caller: &Caller,
        at: &StudentSession,
        change: ChangeRequest,
    ) -> Result<()> {
        let ChangeRequest {
            new_email,
            current_second_password,
        } = change;
        let (tenant, lang, now) = (&at.tenant, caller.lang, self.clock.now_ms());
        let account = account_by_id(&self.db, at.session.account_id).await?;
        self.reauthenticate(caller, at, &account, current_second_password).await?;
        if account.email.as_deref() == Some(new_email.as_str()) {
            return Err(AccountError::EmailUnchanged);
        }
        let txn = begin(&self.db).await?;
        let sending = Sending {
            purpose: Purpose::EmailChange,
            account_id: AccountId(account.id),
            to: new_email.as_str(),
            lang,
        };
        self.send_link(&txn, tenant, sending)
            .await?
            .ok_or(AccountError::TooManyLinkMails)?;
        if let Some(old) = &account.email {
            let texts = (
                MailMsg::MailChangeRequestedSubject,
                MailMsg::MailChangeRequestedBody,
            );
            notify(&txn, tenant, old, (texts, lang, now)).await?;
        }
        txn.commit().await.map_err(storage("committing a change request"))?;
        self.outbox.wake();
        tracing::info!("email change requested");
        let about = subject(tenant, Some(AccountId(account.id)), None);
        self.audit(caller, Event::EmailChangeRequested, about).await;
        Ok(())
    }

    /// Consumes the link and moves the account to the new address, in one transaction.
    #[tracing::instrument(skip_all, fields(tenant = %slug))]
    pub async fn confirm_email_change(
        &self,
        caller: &Caller,
        slug: &str,
        raw_token: &str,
    ) -> Result<()> {
        let tenant = self.tenant(slug).await?;
        let now = self.clock.now_ms();
        let txn = begin(&self.db).await?;
        let claimed = (Purpose::EmailChange, raw_token, now);
        let (token, account) = links::claim(&txn, &tenant, claimed).await?;
        let old_email = account.email.clone();
        let verified = (token.email, now);
        let account = store_verified_address(&txn, &tenant, account, verified).await?;
        if let Some(old) = old_email {
            let texts = (
                MailMsg::MailEmailChangedSubject,
                MailMsg::MailEmailChangedBody,
            );
            notify(&txn, &tenant, &old, (texts, caller.lang, now)).await?;
        }
        txn.commit().await.map_err(storage("committing an address change"))?;
        tracing::info!(account_id = account.id, "email address changed");
        let about = subject(&tenant, Some(AccountId(account.id)), None);
        self.audit(caller, Event::EmailChanged, about).await;
        self.outbox.wake();
        Ok(())
    }
}
