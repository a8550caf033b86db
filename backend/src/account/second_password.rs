//! The second password: set at first login (manual 2.2), changed (2.4b), reset when
//! forgotten (2.4c).

use super::links::{self, Purpose, Sending};
use super::notices::notify_account;
use super::password_rules;
use super::{account_by_id, subject, AccountError, Accounts, Caller, Result};
use super::{SessionCookies, StudentSession};
use crate::entities::{account, tenant};
use crate::platform::audit::Event;
use crate::platform::begin;
use crate::platform::mail_messages::MailMsg;
use crate::platform::one_time_tokens as tokens;
use crate::platform::passwords::PasswordHash;
use crate::platform::{sessions, storage};
use crate::tenancy;
use domain::i18n::FieldMsg;
use domain::{passwords_match, AccountId, EmailAddress, SecondPassword};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use secrecy::{ExposeSecret, SecretString};

/// A new second password as a form sends it: the password and its confirmation.
pub struct NewSecondPassword {
    pub password: SecretString,
    pub confirmation: SecretString,
}

/// The change form: the current second password and the new one.
pub struct PasswordChange {
    pub current: SecretString,
    pub new: NewSecondPassword,
}

/// The reset link's form: the link's token and the new second password, and the sessions
/// the browser has, which end with the reset (no automatic login).
pub struct PasswordReset {
    pub token: String,
    pub new: NewSecondPassword,
    pub browser_sessions: SessionCookies,
}

impl Accounts {
    /// Checks every rule of a new second password for the student `user_id_key`: the
    /// university's policy, the confirmation, not a common password, not the user ID or
    /// student number. The directory is asked only for the student number, never with a
    /// password: asking it whether a candidate is the university password would answer an
    /// attacker's guesses outside every login limit (and send an LDAP directory a failed
    /// login for every ordinary change).
    pub async fn check_new_second_password(
        &self,
        tenant: &tenant::Model,
        user_id_key: &str,
        new: &NewSecondPassword,
    ) -> Result<SecondPassword> {
        let student = self.directory.find(tenant, user_id_key).await?;
        let identifiers = password_rules::Identifiers {
            user_id_key,
            student_number: student.as_ref().and_then(|s| s.student_number.as_deref()),
        };
        let policy = tenancy::password_policy(tenant);
        let candidate = password_rules::check(policy, new.password.expose_secret(), &identifiers)
            .map_err(AccountError::NewSecondPassword)?;
        passwords_match(
            new.password.expose_secret(),
            new.confirmation.expose_secret(),
        )
        .map_err(AccountError::Confirmation)?;
        Ok(candidate)
    }

    /// Sets the first second password and ends the account's first-login sessions: the
    /// student then logs in with all three fields. The one place that refuses the university
    /// password: it was typed at the login that opened this step, and its hash waits in that
    /// session.
    #[tracing::instrument(skip_all, fields(tenant = %at.tenant.slug))]
    pub async fn set_first_second_password(
        &self,
        caller: &Caller,
        at: &StudentSession,
        new: NewSecondPassword,
    ) -> Result<()> {
        let tenant = &at.tenant;
        let account = account_by_id(&self.db, at.session.account_id).await?;
        if account.second_password_hash.is_some() || account.email_verified_at.is_none() {
            return Err(AccountError::NotSignedIn);
        }
        let candidate = self.check_new_second_password(tenant, &account.user_id_key, &new).await?;
        if let Some(university) = &at.session.university_password_hash {
            if self
                .passwords
                .verify(Some(university.clone()), candidate.secret().clone())
                .await?
            {
                return Err(AccountError::NewSecondPassword(
                    FieldMsg::PasswordEqualsUniversity,
                ));
            }
        }
        let hash = self.passwords.hash(candidate.secret().clone()).await?;

        let txn = begin(&self.db).await?;
        let account = store_hash(&txn, account, (hash, self.clock.now_ms())).await?;
        let account_id = AccountId(account.id);
        sessions::end_all_for_account(&txn, account_id).await?;
        txn.commit().await.map_err(storage("committing a second password"))?;
        tracing::info!(account_id = account.id, "second password set");
        let about = subject(tenant, Some(account_id), None);
        self.audit(caller, Event::SecondPasswordSet, about).await;
        Ok(())
    }

    /// Changing the second password while signed in (manual 2.4b): the current one first,
    /// the same rules as setup, and not the current one again. Every other session of the
    /// student ends, every unused link of the account is void, and the registered address is
    /// told.
    #[tracing::instrument(skip_all, fields(tenant = %at.tenant.slug))]
    pub async fn change_second_password(
        &self,
        caller: &Caller,
        at: &StudentSession,
        change: PasswordChange,
    ) -> Result<()> {
        let PasswordChange { current, new } = change;
        let tenant = &at.tenant;
        let account = account_by_id(&self.db, at.session.account_id).await?;
        self.reauthenticate(caller, at, &account, current.clone()).await?;
        let candidate = self.check_new_second_password(tenant, &account.user_id_key, &new).await?;
        if candidate.secret().expose_secret() == current.expose_secret() {
            return Err(AccountError::NewSecondPassword(
                FieldMsg::PasswordSameAsCurrent,
            ));
        }
        let hash = self.passwords.hash(candidate.secret().clone()).await?;

        let txn = begin(&self.db).await?;
        let account = store_hash(&txn, account, (hash, self.clock.now_ms())).await?;
        let account_id = AccountId(account.id);
        sessions::end_others_for_account(&txn, account_id, &at.cookie).await?;
        let texts = (
            MailMsg::MailSecondPasswordChangedSubject,
            MailMsg::MailSecondPasswordChangedBody,
        );
        let told = (texts, caller.lang, self.clock.now_ms());
        notify_account(&txn, tenant, &account, told).await?;
        txn.commit().await.map_err(storage("committing a second password"))?;
        self.outbox.wake();
        tracing::info!(account_id = account.id, "second password changed");
        let about = subject(tenant, Some(account_id), None);
        self.audit(caller, Event::SecondPasswordChanged, about).await;
        Ok(())
    }

    /// Forgotten second password (manual 2.4c), step 1. The answer is the same whether or
    /// not the address is registered, and the mail is only queued, so the time does not tell
    /// either. Requests past the limits are dropped silently.
    #[tracing::instrument(skip_all, fields(tenant = %slug))]
    pub async fn request_second_password_reset(
        &self,
        caller: &Caller,
        slug: &str,
        email: &EmailAddress,
    ) -> Result<()> {
        let tenant = self.tenant(slug).await?;
        let client_allowed = self.reset_requests.allow(&caller.client_key);
        let account_id = self.queue_reset(caller, &tenant, email, client_allowed).await?;
        self.outbox.wake();
        let about = subject(&tenant, account_id, None);
        self.audit(caller, Event::SecondPasswordResetRequested, about).await;
        Ok(())
    }

    async fn queue_reset(
        &self,
        caller: &Caller,
        tenant: &tenant::Model,
        email: &EmailAddress,
        client_allowed: bool,
    ) -> Result<Option<AccountId>> {
        let account = account::Entity::find()
            .filter(account::Column::TenantId.eq(tenant.id))
            .filter(account::Column::Email.eq(email.as_str()))
            .one(&self.db)
            .await
            .map_err(storage("finding an account by address"))?
            .filter(|account| account.email_verified_at.is_some());
        let Some(account) = account else {
            tracing::info!("reset requested for an address that is not registered");
            return Ok(None);
        };
        let account_id = AccountId(account.id);
        if !client_allowed {
            tracing::warn!(
                account_id = account.id,
                "reset mail limited for the client address"
            );
            return Ok(Some(account_id));
        }
        let txn = begin(&self.db).await?;
        // Counted inside the transaction that issues the link, on the account row locked for
        // update: simultaneous requests cannot all see room under the limit.
        let sending = Sending {
            purpose: Purpose::SecondPasswordReset,
            account_id,
            to: email.as_str(),
            lang: caller.lang,
        };
        let sent = self.send_link(&txn, tenant, sending).await?;
        txn.commit().await.map_err(storage("committing a reset mail"))?;
        if sent.is_none() {
            tracing::warn!(
                account_id = account.id,
                "reset mail limited for the account"
            );
            return Ok(Some(account_id));
        }
        tracing::info!(account_id = account.id, "reset mail queued");
        Ok(Some(account_id))
    }

    /// Forgotten second password, step 2: the link's form. The rules are checked before the
    /// link is used, so a refused password leaves the link working. No automatic login:
    /// every session of the student ends, and the registered address is told.
    #[tracing::instrument(skip_all, fields(tenant = %slug))]
    pub async fn reset_second_password(
        &self,
        caller: &Caller,
        slug: &str,
        reset: PasswordReset,
    ) -> Result<()> {
        let PasswordReset {
            token,
            new,
            browser_sessions,
        } = reset;
        let tenant = self.tenant(slug).await?;
        let purpose = Purpose::SecondPasswordReset;
        let now = self.clock.now_ms();
        let (_, account) = links::peek(&self.db, &tenant, (purpose, &token, now)).await?;
        let candidate = self.check_new_second_password(&tenant, &account.user_id_key, &new).await?;
        let hash = self.passwords.hash(candidate.secret().clone()).await?;

        let txn = begin(&self.db).await?;
        // Used up inside the transaction: of two uses at once, one wins.
        links::claim(&txn, &tenant, (purpose, &token, now)).await?;
        let account = store_hash(&txn, account, (hash, self.clock.now_ms())).await?;
        let account_id = AccountId(account.id);
        sessions::end_all_for_account(&txn, account_id).await?;
        let texts = (MailMsg::MailResetDoneSubject, MailMsg::MailResetDoneBody);
        let told = (texts, caller.lang, self.clock.now_ms());
        notify_account(&txn, &tenant, &account, told).await?;
        txn.commit().await.map_err(storage("committing a reset"))?;
        self.outbox.wake();
        tracing::info!(account_id = account.id, "second password reset");
        let about = subject(&tenant, Some(account_id), None);
        self.audit(caller, Event::SecondPasswordReset, about).await;
        // A session of this browser (of another student, say) ends too.
        self.end_sessions(&browser_sessions).await
    }
}

async fn store_hash(
    db: &impl ConnectionTrait,
    account: account::Model,
    (hash, now): (PasswordHash, i64),
) -> Result<account::Model> {
    let mut update: account::ActiveModel = account.into();
    update.second_password_hash = Set(Some(hash));
    update.updated_at = Set(now);
    let account = update.update(db).await.map_err(storage("storing a second password"))?;
    // No link sent before the change may act on the account afterwards.
    tokens::void_all_unused(db, account.id, now).await?;
    Ok(account)
}
