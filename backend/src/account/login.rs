//! Login (manual 2.3) and the first-login branches (2.1, 2.2). Every wrong credential gets
//! the same answer, and the directory is asked even for malformed IDs, so neither the text
//! nor the time tells which part was wrong.

use super::{devices, subject, AccountError, Accounts, Caller, Result, SessionCookies};
use crate::entities::{account, tenant};
use crate::platform::audit::Event;
use crate::platform::begin;
use crate::platform::login_delays::{self, Gate, UserKey};
use crate::platform::sessions::{self, Session};
use crate::platform::{storage, StorageError};
use crate::tenancy;
use domain::{AccountId, Stage, UserId};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use secrecy::{ExposeSecret, SecretString};

pub struct LoginAttempt {
    pub user_id: String,
    pub password: SecretString,
    pub second_password: SecretString,
    /// The browser's device cookie, if it sent one.
    pub device: Option<String>,
    /// The sessions the browser had: a new session id at every login, so a session fixed
    /// before login is worth nothing.
    pub sessions: SessionCookies,
}

#[derive(Debug)]
pub struct LoggedIn {
    pub stage: Stage,
    /// The new session's cookie value.
    pub session: String,
    /// A new device cookie for this browser, when it was not yet known for this student.
    pub new_device: Option<String>,
}

impl Accounts {
    #[tracing::instrument(skip_all, fields(tenant = %slug))]
    pub async fn log_in(
        &self,
        caller: &Caller,
        slug: &str,
        attempt: LoginAttempt,
    ) -> Result<LoggedIn> {
        let tenant = self.tenant(slug).await?;
        let db = &self.db;
        let throttle = &self.settings.login_throttle;
        let parsed = UserId::parse(&attempt.user_id);
        // Each attempt is counted before anything is hashed: through the browser's device
        // cookie if it logged in as this student before, else against the user ID, whose
        // delay refuses it before the directory is asked (so guessing here never counts
        // towards the university's own lockout).
        let now = self.clock.now_ms();
        let mut via_device = None;
        if let Ok(user_id) = &parsed {
            let user_id_key = user_id.key();
            let key = UserKey {
                tenant_id: tenant.id,
                user_id_key: &user_id_key,
            };
            if let Some(raw) = attempt.device.as_deref() {
                via_device = devices::admit(db, throttle, key, (raw, now)).await?;
            }
            if via_device.is_none()
                && login_delays::reserve(db, throttle, key, now).await? == Gate::Closed
            {
                let key = user_id.key();
                let about = subject(&tenant, None, Some(&key));
                self.audit(caller, Event::LoginThrottled, about).await;
                return Err(AccountError::LoginDelayed);
            }
        }
        let known = match &parsed {
            Ok(user_id) => self.directory.authenticate(&tenant, user_id, &attempt.password).await?,
            // A malformed ID names no student and is never reserved above, so it must not
            // reach the directory (an LDAP server would count every guess against one name);
            // it costs the hash an unknown ID costs.
            Err(_) => {
                self.passwords.verify(None, attempt.password.clone()).await?;
                None
            }
        };
        let account = match (&parsed, &known) {
            (Ok(user_id), Some(_)) => {
                Some(find_or_create_account(db, tenant.id, user_id, now).await?)
            }
            _ => None,
        };
        // A typed second password always costs a second hash, the account's or the dummy's,
        // so the time does not tell whether the university password was right.
        let second_typed = !attempt.second_password.expose_secret().is_empty();
        let second_ok = if second_typed {
            let hash = account.as_ref().and_then(|account| account.second_password_hash.clone());
            self.passwords.verify(hash, attempt.second_password.clone()).await?
        } else {
            false
        };
        let Ok(user_id) = parsed else {
            tracing::info!("login refused");
            return Err(AccountError::WrongCredentials);
        };
        let Some(account) = account else {
            return self.refuse(caller, &tenant, None, &user_id).await;
        };

        let stage = if account.email_verified_at.is_none() {
            Stage::NeedsEmail
        } else if account.second_password_hash.is_none() {
            Stage::NeedsSecondPassword
        } else if second_ok {
            Stage::SignedIn
        } else {
            return self.refuse(caller, &tenant, Some(account.id), &user_id).await;
        };
        // At the setup step, the university password just typed, hashed, so that setup can
        // refuse it without asking the directory.
        let university_password_hash = match stage {
            Stage::NeedsSecondPassword => {
                Some(self.passwords.hash(attempt.password.clone()).await?)
            }
            _ => None,
        };
        let user_id_key = user_id.key();
        let key = UserKey {
            tenant_id: tenant.id,
            user_id_key: &user_id_key,
        };
        let txn = begin(db).await?;
        let new_device = match via_device {
            // The streak against the user ID may be an attacker's; a student's own browser
            // leaves it alone and clears only its own count.
            Some(admitted) => {
                devices::succeeded(&txn, admitted, now).await?;
                None
            }
            None => {
                login_delays::clear(&txn, key).await?;
                Some(devices::remember(&txn, key, now).await?)
            }
        };
        txn.commit().await.map_err(storage("committing a login"))?;
        let key = user_id.key();
        let about = subject(&tenant, Some(AccountId(account.id)), Some(&key));
        self.audit(caller, Event::LoginSucceeded, about).await;
        tracing::info!(account_id = account.id, ?stage, "login accepted");
        self.end_sessions(&attempt.sessions).await?;
        let session = sessions::start(
            db,
            &self.settings,
            Session {
                tenant_id: tenancy::id(&tenant),
                account_id: AccountId(account.id),
                stage,
                university_password_hash,
            },
            self.clock.now_ms(),
        )
        .await?;
        Ok(LoggedIn {
            stage,
            session,
            new_device,
        })
    }

    /// The attempt was counted when it was admitted; the answer is the same whichever part
    /// was wrong.
    async fn refuse<T>(
        &self,
        caller: &Caller,
        tenant: &tenant::Model,
        account_id: Option<i32>,
        user_id: &UserId,
    ) -> Result<T> {
        tracing::info!(account_id, "login refused");
        let key = user_id.key();
        let about = subject(tenant, account_id.map(AccountId), Some(&key));
        self.audit(caller, Event::LoginFailed, about).await;
        Err(AccountError::WrongCredentials)
    }
}

pub async fn find_account(
    db: &impl ConnectionTrait,
    tenant_id: i32,
    user_id_key: &str,
) -> Result<Option<account::Model>, StorageError> {
    account::Entity::find()
        .filter(account::Column::TenantId.eq(tenant_id))
        .filter(account::Column::UserIdKey.eq(user_id_key))
        .one(db)
        .await
        .map_err(storage("reading an account"))
}

async fn find_or_create_account(
    db: &impl ConnectionTrait,
    tenant_id: i32,
    user_id: &UserId,
    now: i64,
) -> Result<account::Model, StorageError> {
    if let Some(found) = find_account(db, tenant_id, &user_id.key()).await? {
        return Ok(found);
    }
    let created = account::ActiveModel {
        tenant_id: Set(tenant_id),
        user_id_key: Set(user_id.key()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await;
    match created {
        Ok(account) => Ok(account),
        // Two first logins at once: the other one created it.
        Err(_) => find_account(db, tenant_id, &user_id.key()).await?.ok_or(StorageError),
    }
}
