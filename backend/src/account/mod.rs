//! The student's account with this service: login and its delays, re-authentication, the
//! one-time links by mail, registering and changing the email address, and the second
//! password. Everything here runs through one handle, [`Accounts`], built once at start-up.

mod devices;
mod email_change;
mod email_registration;
mod help_desk;
mod links;
mod login;
mod notices;
pub mod password_rules;
mod reauth;
mod second_password;

pub use devices::DEVICE_LIFETIME_SECONDS;
pub use email_change::ChangeRequest;
pub use help_desk::{AccountState, OnStudent};
pub use links::{LinkPages, Purpose};
pub use login::{LoggedIn, LoginAttempt};
pub use reauth::FAILURES_PER_SESSION;
pub use second_password::{NewSecondPassword, PasswordChange, PasswordReset};

use crate::entities::{account, student, tenant};
use crate::platform::audit::{self, Actor, Event, Subject};
use crate::platform::clock::Clock;
use crate::platform::one_time_tokens::TokenError;
use crate::platform::outbox::Outbox;
use crate::platform::passwords::{HashError, Passwords};
use crate::platform::rate_limit::WindowLimiter;
use crate::platform::sessions::{self, Session};
use crate::platform::settings::Settings;
use crate::platform::{storage, StorageError};
use crate::registry::RegistryStudent;
use crate::registry::{Directory, DirectoryError, DirectoryStudent, RegistryDirectory};
use crate::tenancy::{self, TenantError};
use domain::i18n::{FieldMsg, Lang};
use domain::{AccountId, LinkState, Stage};
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter};
use std::sync::Arc;

/// The address a student registered and verified, if any: where other contexts' mails go
/// (a top-up's receipt).
pub async fn registered_email(
    db: &impl ConnectionTrait,
    tenant_id: i32,
    user_id_key: &str,
) -> std::result::Result<Option<String>, StorageError> {
    Ok(login::find_account(db, tenant_id, user_id_key)
        .await?
        .filter(|account| account.email_verified_at.is_some())
        .and_then(|account| account.email))
}

/// [`registered_email`] as a query for one larger PostgreSQL statement: one row with its
/// `email`, or none. `tenant_id` and `user_id_key` are SQL expressions.
pub fn postgres_registered_email(tenant_id: &str, user_id_key: &str) -> String {
    format!(
        "SELECT email FROM accounts WHERE tenant_id = {tenant_id} \
         AND user_id_key = {user_id_key} AND email IS NOT NULL \
         AND email_verified_at IS NOT NULL"
    )
}

/// The registered address of the registry's student `student` (by id), if any: where the
/// wallet's and the certificates' mails to a student go.
pub async fn registered_email_of(
    db: &impl ConnectionTrait,
    tenant_id: i32,
    student: domain::StudentId,
) -> std::result::Result<Option<String>, StorageError> {
    let Some(found) = crate::registry::by_id(db, tenant_id, student).await? else {
        return Ok(None);
    };
    let Ok(user_id) = domain::UserId::parse(&found.user_id) else {
        return Ok(None);
    };
    registered_email(db, tenant_id, &user_id.key()).await
}

/// The account of a user ID at a university, if the student has logged in once: what the
/// audit log's student filter needs besides the user ID.
pub async fn account_id_of(
    db: &impl ConnectionTrait,
    tenant_id: i32,
    user_id_key: &str,
) -> std::result::Result<Option<AccountId>, StorageError> {
    Ok(login::find_account(db, tenant_id, user_id_key)
        .await?
        .map(|account| AccountId(account.id)))
}

/// What the account services need, built once at start-up and shared by every request.
#[derive(Clone)]
pub struct Accounts {
    pub db: DatabaseConnection,
    pub settings: Arc<Settings>,
    pub passwords: Passwords,
    pub directory: Arc<dyn Directory>,
    pub outbox: Outbox,
    /// Where time comes from: the system's, or one a test moves.
    pub clock: Clock,
    /// Where the page of each kind of link is: the web layer knows its paths.
    pub link_pages: Arc<dyn LinkPages>,
    /// Reset mails a client address may cause (in memory, per instance).
    pub reset_requests: WindowLimiter,
}

/// Reset mails one client address may cause per 15 minutes; more are dropped silently.
/// Generous: a campus network may put many students behind one address.
pub const RESET_REQUESTS_PER_CLIENT: usize = 20;

impl Accounts {
    /// The account services over `db`: the registry in that database as the directory, the
    /// system's clock (a test may set another on the handle), and an outbox the mail worker
    /// listens to.
    pub fn new(
        db: DatabaseConnection,
        settings: Arc<Settings>,
        passwords: Passwords,
        link_pages: Arc<dyn LinkPages>,
    ) -> Self {
        Self {
            directory: Arc::new(RegistryDirectory::new(db.clone(), passwords.clone())),
            db,
            settings,
            passwords,
            outbox: Outbox::default(),
            clock: Clock::system(),
            link_pages,
            reset_requests: WindowLimiter::new(
                RESET_REQUESTS_PER_CLIENT,
                std::time::Duration::from_secs(15 * 60),
            ),
        }
    }
}

/// Who asks, as the request tells: for the audit log, the language of mails, and the limits
/// per client.
#[derive(Clone, Debug, Default)]
pub struct Caller {
    pub actor: Actor,
    pub lang: Lang,
    /// The key this client is limited by (an IPv6 client by its /64).
    pub client_key: String,
}

/// The session cookies a request carries.
#[derive(Clone, Debug, Default)]
pub struct SessionCookies {
    /// The session cookie's value; `None` also when the request carried two (one planted
    /// beside the real one, to fix a session or to confuse which is read).
    pub current: Option<String>,
    /// Every session cookie value it carried: all of them end at login and logout.
    pub all: Vec<String>,
}

/// A student's session at one university, at a known stage.
#[derive(Clone, Debug)]
pub struct StudentSession {
    pub tenant: tenant::Model,
    pub session: Session,
    /// The session cookie's value.
    pub cookie: String,
}

/// What went wrong, in the account's words. The web layer picks the message, the form field
/// and the HTTP status.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AccountError {
    #[error("no university has this address")]
    UnknownUniversity,
    #[error("no session at this step")]
    NotSignedIn,
    /// One answer for every wrong part of a login.
    #[error("wrong credentials")]
    WrongCredentials,
    /// Logins for this user ID wait after repeated failures.
    #[error("login delayed")]
    LoginDelayed,
    /// Password hashing is saturated; come back in a moment.
    #[error("busy")]
    Busy,
    /// The link is unknown here, used, voided or expired.
    #[error("link refused: {0:?}")]
    Link(LinkState),
    #[error("too many link mails in the last hour")]
    TooManyLinkMails,
    /// The acting staff member's role or university does not allow it (audited).
    #[error("not allowed")]
    Forbidden,
    /// The help desk was asked to resend a registration link no student asked for.
    #[error("no email registration is waiting")]
    NothingToResend,
    #[error("the address belongs to another account")]
    EmailTaken,
    #[error("the new address is the current one")]
    EmailUnchanged,
    #[error("wrong current second password")]
    WrongCurrentSecondPassword,
    /// The last allowed wrong current second password ended the session.
    #[error("session ended after wrong second passwords")]
    LoggedOutAfterReauthentication,
    /// The new second password breaks the rule the message names.
    #[error("new second password refused: {0:?}")]
    NewSecondPassword(FieldMsg),
    /// Its confirmation does not match.
    #[error("confirmation refused: {0:?}")]
    Confirmation(FieldMsg),
    /// Storage, the directory or hashing failed (logged where it happened).
    #[error("internal failure")]
    Internal,
}

impl From<StorageError> for AccountError {
    fn from(StorageError: StorageError) -> Self {
        AccountError::Internal
    }
}

impl From<HashError> for AccountError {
    fn from(err: HashError) -> Self {
        match err {
            HashError::Busy => AccountError::Busy,
            HashError::Failed => AccountError::Internal,
        }
    }
}

impl From<DirectoryError> for AccountError {
    fn from(err: DirectoryError) -> Self {
        match err {
            DirectoryError::Busy => AccountError::Busy,
            DirectoryError::Unavailable => AccountError::Internal,
        }
    }
}

impl From<TenantError> for AccountError {
    fn from(err: TenantError) -> Self {
        match err {
            TenantError::Unknown(_) => AccountError::UnknownUniversity,
            _ => AccountError::Internal,
        }
    }
}

impl From<TokenError> for AccountError {
    fn from(err: TokenError) -> Self {
        match err {
            TokenError::Unusable(state) => AccountError::Link(state),
            TokenError::Storage(_) => AccountError::Internal,
        }
    }
}

pub type Result<T, E = AccountError> = std::result::Result<T, E>;

impl Accounts {
    /// The university of `slug`.
    pub async fn tenant(&self, slug: &str) -> Result<tenant::Model> {
        Ok(tenancy::require(&self.db, slug).await?)
    }

    /// This browser's session at `tenant`, at any stage.
    pub async fn session(
        &self,
        tenant: &tenant::Model,
        cookie: Option<&str>,
    ) -> Result<Option<Session>> {
        let Some(raw) = cookie else {
            return Ok(None);
        };
        Ok(
            sessions::find(&self.db, &self.settings, raw, self.clock.now_ms())
                .await?
                .filter(|session| session.tenant_id == tenancy::id(tenant)),
        )
    }

    /// The stage of this browser's session at the university of `slug`, if it has one.
    pub async fn stage(&self, slug: &str, cookie: Option<&str>) -> Result<Option<Stage>> {
        let tenant = self.tenant(slug).await?;
        Ok(self.session(&tenant, cookie).await?.map(|s| s.stage))
    }

    /// The university of `slug` and this browser's session there at exactly `stage`.
    pub async fn require(
        &self,
        slug: &str,
        cookie: Option<&str>,
        stage: Stage,
    ) -> Result<StudentSession> {
        let tenant = self.tenant(slug).await?;
        match (self.session(&tenant, cookie).await?, cookie) {
            (Some(session), Some(cookie)) if session.stage == stage => Ok(StudentSession {
                tenant,
                session,
                cookie: cookie.to_owned(),
            }),
            _ => Err(AccountError::NotSignedIn),
        }
    }

    /// The signed-in student's row of the registry: whose card the balance is. One query,
    /// the account's user ID inside it: every page of a signed-in student reads it first.
    pub async fn registry_student(&self, at: &StudentSession) -> Result<RegistryStudent> {
        let user_id_key = Query::select()
            .column(account::Column::UserIdKey)
            .from(account::Entity)
            .and_where(account::Column::Id.eq(at.session.account_id.0))
            .and_where(account::Column::TenantId.eq(at.tenant.id))
            .to_owned();
        student::Entity::find()
            .filter(student::Column::TenantId.eq(at.tenant.id))
            .filter(student::Column::UserIdKey.in_subquery(user_id_key))
            .one(&self.db)
            .await
            .map_err(storage("reading the signed-in student"))?
            .map(RegistryStudent::from)
            .ok_or(AccountError::NotSignedIn)
    }

    /// What the signed-in student's home page shows: the account and the registry's data.
    pub async fn home(&self, at: &StudentSession) -> Result<(account::Model, DirectoryStudent)> {
        let account = account_by_id(&self.db, at.session.account_id).await?;
        let student = self
            .directory
            .find(&at.tenant, &account.user_id_key)
            .await?
            // Removed from the registry since logging in: no longer a student of this service.
            .ok_or(AccountError::NotSignedIn)?;
        Ok((account, student))
    }

    /// Ends every session the request carried; the audit log hears of the one it was using.
    pub async fn log_out(
        &self,
        caller: &Caller,
        slug: &str,
        cookies: &SessionCookies,
    ) -> Result<()> {
        let tenant = self.tenant(slug).await?;
        if let Some(session) = self.session(&tenant, cookies.current.as_deref()).await? {
            let subject = subject(&tenant, Some(session.account_id), None);
            self.audit(caller, Event::Logout, subject).await;
        }
        self.end_sessions(cookies).await
    }

    /// Ends every session the request carried.
    pub async fn end_sessions(&self, cookies: &SessionCookies) -> Result<()> {
        for raw in &cookies.all {
            sessions::end(&self.db, raw).await?;
        }
        Ok(())
    }

    async fn audit(&self, caller: &Caller, event: Event, subject: Subject<'_>) {
        audit::record(&self.db, &caller.actor, event, subject).await;
    }
}

/// What an event of an account of `tenant` is about.
fn subject<'a>(
    tenant: &tenant::Model,
    account_id: Option<AccountId>,
    user_id_key: Option<&'a str>,
) -> Subject<'a> {
    Subject {
        tenant_id: Some(tenant.id),
        account_id: account_id.map(|id| id.0),
        user_id_key,
        ..Default::default()
    }
}

pub(crate) async fn account_by_id(
    db: &impl ConnectionTrait,
    id: AccountId,
) -> Result<account::Model> {
    account::Entity::find_by_id(id.0)
        .one(db)
        .await
        .map_err(storage("reading an account"))?
        .ok_or(AccountError::NotSignedIn)
}
