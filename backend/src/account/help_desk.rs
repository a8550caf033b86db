//! The help desk: what the registrar's office sees of a student's account, and what it may do
//! for a student who is stuck: end the login delays, send the email registration link again,
//! end every session (a lost phone). Each checks the member's permission itself and lands in
//! the audit log with the member. Staff never choose a student's address or password here.

use super::links::{Purpose, Sending};
use super::{AccountError, Accounts, Result};
use crate::entities::account;
use crate::platform::audit::{self, Actor, Event, Subject};
use crate::platform::login_delays::{self, Streak, UserKey};
use crate::platform::permissions::{self, Forbidden};
use crate::platform::{begin, one_time_tokens as tokens, sessions, storage};
use crate::tenancy;
use domain::i18n::Lang;
use domain::{AccountId, Permission, StaffMember};

/// A student's account as the help desk sees it. No password, hash or token.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AccountState {
    /// `None` until the student's first login.
    pub account_id: Option<AccountId>,
    pub opened_at: Option<i64>,
    /// The registered (verified) address.
    pub email: Option<String>,
    /// Before an address is registered: the one the student last asked for, and until when
    /// its newest link works (it may have passed: the desk can send a new one).
    pub pending_email: Option<(String, i64)>,
    pub second_password_set: bool,
    /// Failed logins counted against the user ID, and any delay they earned.
    pub login_failures: Option<Streak>,
    pub live_sessions: u64,
}

/// The member acting, and the student they act on (by the registry's user ID key).
pub type OnStudent<'a> = ((&'a StaffMember, &'a Actor), UserKey<'a>);

impl From<Forbidden> for AccountError {
    fn from(Forbidden: Forbidden) -> Self {
        AccountError::Forbidden
    }
}

impl Accounts {
    /// What the help desk sees of the student's account.
    pub async fn account_state(&self, (by, student): OnStudent<'_>) -> Result<AccountState> {
        permissions::require(&self.db, by, Permission::ReadStudents, student.tenant_id).await?;
        let now = self.clock.now_ms();
        let login_failures = login_delays::streak(&self.db, student).await?;
        let Some(account) = self.account_of(student).await? else {
            return Ok(AccountState {
                login_failures,
                ..Default::default()
            });
        };
        let id = AccountId(account.id);
        let live_sessions =
            sessions::count_live_for_account(&self.db, &self.settings, id, now).await?;
        let pending_email = match account.email_verified_at {
            Some(_) => None,
            None => self
                .pending_registration(id)
                .await?
                .and_then(|token| Some((token.email?, token.expires_at))),
        };
        Ok(AccountState {
            account_id: Some(id),
            opened_at: Some(account.created_at),
            email: account.email.filter(|_| account.email_verified_at.is_some()),
            pending_email,
            second_password_set: account.second_password_hash.is_some(),
            login_failures,
            live_sessions,
        })
    }

    /// Ends the student's login delays at once (the student phoned the office).
    pub async fn clear_login_delays(&self, (by, student): OnStudent<'_>) -> Result<()> {
        permissions::require(&self.db, by, Permission::ActOnStudents, student.tenant_id).await?;
        login_delays::clear(&self.db, student).await?;
        let account_id = self.account_of(student).await?.map(|a| a.id);
        self.desk_audit(by, Event::StaffClearedLoginDelays, student, account_id).await;
        Ok(())
    }

    /// Ends every session of the student; returns how many there were.
    pub async fn end_student_sessions(&self, (by, student): OnStudent<'_>) -> Result<u64> {
        permissions::require(&self.db, by, Permission::ActOnStudents, student.tenant_id).await?;
        let Some(account) = self.account_of(student).await? else {
            return Ok(0);
        };
        let ended = sessions::end_all_for_account(&self.db, AccountId(account.id)).await?;
        self.desk_audit(
            by,
            Event::StaffEndedStudentSessions,
            student,
            Some(account.id),
        )
        .await;
        Ok(ended)
    }

    /// Sends a new email registration link to the address the student last asked to register
    /// (the older link stops working), within the same hourly limit as the student's own
    /// requests. Refused when the student has no registration waiting: the office never
    /// chooses an address. Returns the new link's expiry.
    pub async fn resend_email_registration(&self, (by, student): OnStudent<'_>) -> Result<i64> {
        permissions::require(&self.db, by, Permission::ActOnStudents, student.tenant_id).await?;
        let account = self
            .account_of(student)
            .await?
            .filter(|account| account.email_verified_at.is_none())
            .ok_or(AccountError::NothingToResend)?;
        let id = AccountId(account.id);
        let to = self
            .pending_registration(id)
            .await?
            .and_then(|token| token.email)
            .ok_or(AccountError::NothingToResend)?;
        let tenant = tenancy::find_by_id(&self.db, student.tenant_id)
            .await?
            .ok_or(AccountError::UnknownUniversity)?;
        let txn = begin(&self.db).await?;
        let sending = Sending {
            purpose: Purpose::EmailRegistration,
            account_id: id,
            to: &to,
            // The language the student used is not kept; the university's own comes first.
            lang: Lang::Ja,
        };
        let expires_at = self
            .send_link(&txn, &tenant, sending)
            .await?
            .ok_or(AccountError::TooManyLinkMails)?;
        txn.commit().await.map_err(storage("committing a mail"))?;
        self.outbox.wake();
        self.desk_audit(by, Event::StaffResentEmailLink, student, Some(account.id))
            .await;
        Ok(expires_at)
    }

    async fn account_of(&self, student: UserKey<'_>) -> Result<Option<account::Model>> {
        Ok(super::login::find_account(&self.db, student.tenant_id, student.user_id_key).await?)
    }

    async fn pending_registration(
        &self,
        account_id: AccountId,
    ) -> Result<Option<crate::entities::one_time_token::Model>> {
        let purpose = Purpose::EmailRegistration.code();
        Ok(tokens::newest_for_account(&self.db, purpose, account_id.0).await?)
    }

    async fn desk_audit(
        &self,
        (by, actor): (&StaffMember, &Actor),
        event: Event,
        student: UserKey<'_>,
        account_id: Option<i32>,
    ) {
        let about = Subject {
            tenant_id: Some(student.tenant_id),
            account_id,
            user_id_key: Some(student.user_id_key),
            staff_id: Some(by.id),
            detail: None,
        };
        audit::record(&self.db, actor, event, about).await;
    }
}
