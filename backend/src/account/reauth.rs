//! Re-authentication: the current second password asked before an email or second-password
//! change. A stolen session must not be a place to guess it: every attempt is counted on the
//! session before the password is hashed, a few wrong ones end the session, and each is
//! audited.

use super::{subject, AccountError, Accounts, Caller, Result, StudentSession};
use crate::entities::account;
use crate::platform::audit::Event;
use crate::platform::sessions;
use domain::AccountId;
use secrecy::SecretString;

/// Wrong current second passwords one session may type; the next ends it.
pub const FAILURES_PER_SESSION: i32 = 3;

impl Accounts {
    /// Checks the current second password of `account`, the student of `at`. Refused while
    /// the session has attempts left; once it has none, the session is ended and the refusal
    /// says so.
    pub(super) async fn reauthenticate(
        &self,
        caller: &Caller,
        at: &StudentSession,
        account: &account::Model,
        current: SecretString,
    ) -> Result<()> {
        let db = &self.db;
        // Counted as a failure before hashing: simultaneous guesses cannot pass the limit.
        let admitted =
            sessions::admit_reauthentication(db, &at.cookie, FAILURES_PER_SESSION).await?;
        if !admitted {
            return self.end_reauthenticating_session(caller, at, account).await;
        }
        let matches = self.passwords.verify(account.second_password_hash.clone(), current).await?;
        if matches {
            sessions::clear_reauthentication_failures(db, &at.cookie).await?;
            return Ok(());
        }
        tracing::info!(account_id = account.id, "re-authentication refused");
        self.record_reauth(caller, Event::ReauthenticationFailed, at, account).await;
        let used_up = sessions::reauthentication_failures(db, &at.cookie)
            .await?
            .is_none_or(|failures| failures >= FAILURES_PER_SESSION);
        if used_up {
            return self.end_reauthenticating_session(caller, at, account).await;
        }
        Err(AccountError::WrongCurrentSecondPassword)
    }

    async fn end_reauthenticating_session(
        &self,
        caller: &Caller,
        at: &StudentSession,
        account: &account::Model,
    ) -> Result<()> {
        sessions::end(&self.db, &at.cookie).await?;
        tracing::warn!(
            account_id = account.id,
            "session ended after wrong second passwords"
        );
        let event = Event::SessionEndedByReauthentication;
        self.record_reauth(caller, event, at, account).await;
        Err(AccountError::LoggedOutAfterReauthentication)
    }

    async fn record_reauth(
        &self,
        caller: &Caller,
        event: Event,
        at: &StudentSession,
        account: &account::Model,
    ) {
        let account_id = Some(AccountId(account.id));
        let about = subject(&at.tenant, account_id, Some(&account.user_id_key));
        self.audit(caller, event, about).await;
    }
}
