//! University staff: accounts with a role, a password and a second factor (TOTP), their
//! sign-in, and sessions kept apart from students'. What a role may do is `domain::StaffRole`;
//! every service that acts for a staff member checks it itself ([`Staff::require`]). Stands on
//! `tenancy` alone.

mod accounts;
mod sign_in;
pub mod totp;

pub use accounts::{check_password, NewStaff, SetUpLink};
pub use sign_in::{PendingFactor, SignIn, SignedIn, StaffStage, RECOVERY_CODES};

use crate::entities::staff_member;
use crate::platform::audit::{self, Actor, Event, Subject};
use crate::platform::clock::Clock;
use crate::platform::outbox::Outbox;
use crate::platform::passwords::{HashError, Passwords};
use crate::platform::permissions::{self, Forbidden};
use crate::platform::settings::LoginThrottle;
use crate::platform::{Db, StorageError};
use domain::i18n::FieldMsg;
use domain::{LinkState, Permission, StaffMember, StaffRole};
use std::sync::Arc;

/// What the staff context needs, built once at start-up.
#[derive(Clone)]
pub struct Staff {
    pub db: Db,
    pub clock: Clock,
    pub passwords: Passwords,
    pub throttle: LoginThrottle,
    pub policy: StaffPolicy,
    pub outbox: Outbox,
    /// The absolute URL of the set-up page of a university (by slug), without its token: the
    /// web layer knows its paths.
    pub set_up_page: Arc<dyn Fn(&str) -> String + Send + Sync>,
}

/// Timeouts and lifetimes of staff sign-ins: shorter than students', since a staff session
/// reaches every student of the university.
#[derive(Clone, Copy, Debug)]
pub struct StaffPolicy {
    pub session_idle_seconds: i64,
    pub session_absolute_seconds: i64,
    pub set_up_link_seconds: i64,
}

impl Default for StaffPolicy {
    fn default() -> Self {
        Self {
            session_idle_seconds: 15 * 60,
            session_absolute_seconds: 8 * 3600,
            set_up_link_seconds: 24 * 3600,
        }
    }
}

/// What went wrong, in the staff context's words.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum StaffError {
    /// The one answer to every wrong sign-in: login ID, password, code, or a disabled member.
    #[error("the login ID, the password or the code is wrong")]
    WrongCredentials,
    #[error("too many failed sign-ins for this login ID; try again later")]
    SignInDelayed,
    /// The acting member's role or university does not allow it (audited).
    #[error("not allowed")]
    Forbidden,
    #[error("a staff member of this university already has this login ID")]
    LoginIdTaken,
    #[error("no such staff member at this university")]
    UnknownMember,
    /// An admin may not disable themselves or change their own role: a university is never
    /// left without an admin by a slip.
    #[error("not on one's own account")]
    OwnAccount,
    #[error("the set-up link cannot be used: {0:?}")]
    LinkUnusable(LinkState),
    /// Input broke a rule: which field, and the field catalogue's message.
    #[error("{field:?}: {msg:?}")]
    Invalid { field: StaffField, msg: FieldMsg },
    #[error("the session has ended")]
    NotSignedIn,
    #[error("hashing is busy; try again in a moment")]
    Busy,
    #[error("storage failed")]
    Storage,
}

/// The fields of the staff forms a refusal can belong to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StaffField {
    LoginId,
    Name,
    Email,
    Password,
    PasswordConfirm,
}

impl From<StorageError> for StaffError {
    fn from(StorageError: StorageError) -> Self {
        StaffError::Storage
    }
}

impl From<HashError> for StaffError {
    fn from(err: HashError) -> Self {
        match err {
            HashError::Busy => StaffError::Busy,
            HashError::Failed => StaffError::Storage,
        }
    }
}

pub type Result<T, E = StaffError> = std::result::Result<T, E>;

impl Staff {
    pub fn new(
        db: Db,
        passwords: Passwords,
        outbox: Outbox,
        set_up_page: Arc<dyn Fn(&str) -> String + Send + Sync>,
    ) -> Self {
        Self {
            db,
            clock: Clock::system(),
            passwords,
            throttle: LoginThrottle::default(),
            policy: StaffPolicy::default(),
            outbox,
            set_up_page,
        }
    }

    /// Refuses, and audits the refusal, unless `by` may do `permission` at `tenant_id`.
    pub async fn require(
        &self,
        by: &StaffMember,
        actor: &Actor,
        permission: Permission,
        tenant_id: i32,
    ) -> Result<()> {
        permissions::require(&self.db, (by, actor), permission, tenant_id)
            .await
            .map_err(|Forbidden| StaffError::Forbidden)
    }

    async fn audit(&self, actor: &Actor, event: Event, tenant_id: i32, staff_id: Option<i32>) {
        let about = Subject {
            tenant_id: Some(tenant_id),
            staff_id,
            ..Default::default()
        };
        audit::record(&self.db, actor, event, about).await;
    }
}

/// The member as services see them; `None` for a row whose role is not one we know.
fn member(row: &staff_member::Model) -> Option<StaffMember> {
    Some(StaffMember {
        id: row.id,
        tenant_id: row.tenant_id,
        login_id: row.login_id.clone(),
        role: StaffRole::from_code(&row.role)?,
    })
}
