//! Staff sign-in: login ID, password and a code from an authenticator app (or one of ten
//! single-use recovery codes). The same protections as the students' login: one answer for
//! every wrong input, a growing delay per login ID counted before anything is hashed (a delay
//! ends by itself, so guessing cannot lock a member out for good), a new session id at every
//! sign-in. The first sign-in after a set-up link has no code yet: it opens a session that can
//! only set up the authenticator.

use super::accounts::end_sessions;
use super::totp::TotpSecret;
use super::{member, Result, Staff, StaffError};
use crate::entities::{staff_member, staff_recovery_code, staff_session, tenant};
use crate::platform::audit::{Actor, Event};
use crate::platform::login_delays::{self, Gate, UserKey};
use crate::platform::secrets::{random_secret, sha256_hex};
use crate::platform::sessions::{self, Liveness};
use crate::platform::{begin, storage, StorageError};
use domain::{StaffMember, UserId};
use rand::Rng;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait};
use sea_orm::{QueryFilter, Set};
use secrecy::{ExposeSecret, SecretString};

/// How many recovery codes a member gets, each usable once.
pub const RECOVERY_CODES: usize = 10;
/// Recovery codes use letters and digits that cannot be mistaken for each other.
const RECOVERY_ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";

/// A sign-in attempt as typed.
pub struct SignIn<'a> {
    pub tenant_id: i32,
    pub login_id: &'a str,
    pub password: SecretString,
    /// The authenticator's 6 digits or a recovery code; empty at the first sign-in.
    pub code: &'a str,
    /// The staff session the browser had, ended at sign-in.
    pub old_session: Option<&'a str>,
}

/// What a session may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StaffStage {
    /// The password was right and no authenticator is set up yet: only its set-up page.
    SecondFactorSetup,
    /// The authenticator was just set up: the recovery codes' page comes first, once.
    RecoveryCodes,
    SignedIn,
}

impl StaffStage {
    fn code(self) -> &'static str {
        match self {
            StaffStage::SecondFactorSetup => "second_factor_setup",
            StaffStage::RecoveryCodes => "recovery_codes",
            StaffStage::SignedIn => "signed_in",
        }
    }

    fn from_code(code: &str) -> Option<Self> {
        [
            StaffStage::SecondFactorSetup,
            StaffStage::RecoveryCodes,
            StaffStage::SignedIn,
        ]
        .into_iter()
        .find(|stage| stage.code() == code)
    }
}

pub struct SignedIn {
    /// The new session's cookie value.
    pub session: SecretString,
    pub stage: StaffStage,
}

/// An authenticator being set up: what the page shows (a QR code of the URI, and the secret
/// for typing in by hand).
pub struct PendingFactor {
    pub secret: SecretString,
    pub uri: SecretString,
}

impl Staff {
    pub async fn sign_in(&self, actor: &Actor, attempt: SignIn<'_>) -> Result<SignedIn> {
        let tenant_id = attempt.tenant_id;
        let Ok(login_id) = UserId::parse(attempt.login_id) else {
            // Names no one and is never counted: it costs the hash an unknown ID costs.
            self.passwords.verify(None, attempt.password).await?;
            return Err(StaffError::WrongCredentials);
        };
        let now = self.clock.now_ms();
        let delay_key = login_delays::staff_key(&login_id.key());
        let key = UserKey {
            tenant_id,
            user_id_key: &delay_key,
        };
        if login_delays::reserve(&self.db, &self.throttle, key, now).await? == Gate::Closed {
            self.audit(actor, Event::StaffSignInThrottled, tenant_id, None).await;
            return Err(StaffError::SignInDelayed);
        }
        let row = staff_member::Entity::find()
            .filter(staff_member::Column::TenantId.eq(tenant_id))
            .filter(staff_member::Column::LoginKey.eq(login_id.key()))
            .one(&self.db)
            .await
            .map_err(storage("reading a staff member"))?;
        let usable = row.filter(|row| row.disabled_at.is_none());
        let hash = usable.as_ref().and_then(|row| row.password_hash.clone());
        let password_ok = self.passwords.verify(hash, attempt.password).await?;
        let (Some(row), true) = (usable, password_ok) else {
            return self.refuse(actor, tenant_id, None).await;
        };
        let stage = match (&row.totp_secret, row.totp_enabled_at) {
            (Some(secret), Some(_)) => {
                if !self.second_factor_ok(&row, secret, attempt.code, now).await? {
                    return self.refuse(actor, tenant_id, Some(row.id)).await;
                }
                StaffStage::SignedIn
            }
            _ => StaffStage::SecondFactorSetup,
        };
        login_delays::clear(&self.db, key).await?;
        if let Some(old) = attempt.old_session {
            self.sign_out(old).await?;
        }
        let session = self.start_session(&self.db, &row, stage, now).await?;
        self.audit(actor, Event::StaffSignedIn, tenant_id, Some(row.id)).await;
        Ok(SignedIn { session, stage })
    }

    async fn refuse<T>(&self, actor: &Actor, tenant_id: i32, staff_id: Option<i32>) -> Result<T> {
        self.audit(actor, Event::StaffSignInFailed, tenant_id, staff_id).await;
        Err(StaffError::WrongCredentials)
    }

    /// A code of the authenticator, accepted once (the step it matched is stored by a
    /// conditional update, so the same code sent twice at once passes once), or an unused
    /// recovery code, used up the same way.
    async fn second_factor_ok(
        &self,
        row: &staff_member::Model,
        secret: &str,
        code: &str,
        now: i64,
    ) -> Result<bool, StorageError> {
        let code: String = code.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
        if code.len() == super::totp::DIGITS as usize && code.bytes().all(|b| b.is_ascii_digit()) {
            let Some(secret) = TotpSecret::from_base32(secret) else {
                tracing::error!(staff_id = row.id, "a stored TOTP secret is unreadable");
                return Err(StorageError);
            };
            let Some(step) = secret.verify(&code, now, row.totp_used_step) else {
                return Ok(false);
            };
            let taken = staff_member::Entity::update_many()
                .col_expr(staff_member::Column::TotpUsedStep, Expr::value(step))
                .filter(staff_member::Column::Id.eq(row.id))
                .filter(
                    Condition::any()
                        .add(staff_member::Column::TotpUsedStep.is_null())
                        .add(staff_member::Column::TotpUsedStep.lt(step)),
                )
                .exec(&self.db)
                .await
                .map_err(storage("using a TOTP step"))?;
            return Ok(taken.rows_affected == 1);
        }
        let used = staff_recovery_code::Entity::update_many()
            .col_expr(staff_recovery_code::Column::UsedAt, Expr::value(now))
            .filter(staff_recovery_code::Column::StaffId.eq(row.id))
            .filter(staff_recovery_code::Column::CodeHash.eq(sha256_hex(code.to_lowercase())))
            .filter(staff_recovery_code::Column::UsedAt.is_null())
            .exec(&self.db)
            .await
            .map_err(storage("using a recovery code"))?;
        Ok(used.rows_affected == 1)
    }

    async fn start_session(
        &self,
        db: &impl ConnectionTrait,
        row: &staff_member::Model,
        stage: StaffStage,
        now: i64,
    ) -> Result<SecretString, StorageError> {
        let raw = random_secret();
        staff_session::ActiveModel {
            id_hash: Set(sha256_hex(&raw)),
            tenant_id: Set(row.tenant_id),
            staff_id: Set(row.id),
            stage: Set(stage.code().to_owned()),
            created_at: Set(now),
            last_seen_at: Set(now),
        }
        .insert(db)
        .await
        .map_err(storage("starting a staff session"))?;
        Ok(SecretString::from(raw))
    }

    /// The member and stage of a live session at this university. A session past its idle
    /// or absolute timeout, of a disabled member, or of another university is none.
    pub async fn session(
        &self,
        tenant_id: i32,
        raw: &str,
    ) -> Result<Option<(StaffMember, StaffStage)>> {
        let id_hash = sha256_hex(raw);
        let Some(found) = staff_session::Entity::find_by_id(id_hash.clone())
            .one(&self.db)
            .await
            .map_err(storage("reading a staff session"))?
        else {
            return Ok(None);
        };
        let now = self.clock.now_ms();
        let timeouts = (
            self.policy.session_idle_seconds,
            self.policy.session_absolute_seconds,
        );
        let refresh =
            match sessions::liveness((found.created_at, found.last_seen_at), timeouts, now) {
                Liveness::Expired => {
                    self.sign_out(raw).await?;
                    return Ok(None);
                }
                Liveness::Live { refresh } => refresh,
            };
        if found.tenant_id != tenant_id {
            return Ok(None);
        }
        let Some(row) = self.row(tenant_id, found.staff_id).await? else {
            return Ok(None);
        };
        let (Some(member), Some(stage), None) = (
            member(&row),
            StaffStage::from_code(&found.stage),
            row.disabled_at,
        ) else {
            return Ok(None);
        };
        if refresh {
            let mut active: staff_session::ActiveModel = found.into();
            active.last_seen_at = Set(now);
            active.update(&self.db).await.map_err(storage("refreshing a staff session"))?;
        }
        Ok(Some((member, stage)))
    }

    pub async fn sign_out(&self, raw: &str) -> Result<()> {
        staff_session::Entity::delete_by_id(sha256_hex(raw))
            .exec(&self.db)
            .await
            .map_err(storage("ending a staff session"))?;
        Ok(())
    }

    /// The authenticator to set up, for a session at the set-up stage: the same secret until
    /// it is confirmed, so reloading the page shows the same QR code. `tenant` is the
    /// university of the page (its name labels the entry in the authenticator app).
    pub async fn pending_factor(&self, tenant: &tenant::Model, raw: &str) -> Result<PendingFactor> {
        let row = self.setup_session_member(tenant.id, raw).await?;
        let secret = match row.totp_secret.as_deref().and_then(TotpSecret::from_base32) {
            Some(secret) => secret,
            None => {
                let secret = TotpSecret::generate();
                staff_member::Entity::update_many()
                    .col_expr(
                        staff_member::Column::TotpSecret,
                        Expr::value(secret.to_base32().expose_secret().to_owned()),
                    )
                    .filter(staff_member::Column::Id.eq(row.id))
                    .filter(staff_member::Column::TotpEnabledAt.is_null())
                    .exec(&self.db)
                    .await
                    .map_err(storage("storing a TOTP secret"))?;
                secret
            }
        };
        Ok(PendingFactor {
            secret: secret.to_base32(),
            uri: secret.uri(&format!("shomei {}", tenant.name), &row.login_id),
        })
    }

    /// Confirms the authenticator with its first code: it works from now on, and the set-up
    /// session gives way to a new one (a new id) whose first page shows the recovery codes.
    pub async fn confirm_factor(
        &self,
        actor: &Actor,
        tenant_id: i32,
        raw: &str,
        code: &str,
    ) -> Result<SignedIn> {
        let row = self.setup_session_member(tenant_id, raw).await?;
        let now = self.clock.now_ms();
        let secret = row.totp_secret.as_deref().and_then(TotpSecret::from_base32);
        let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
        let Some(step) = secret.and_then(|secret| secret.verify(&code, now, None)) else {
            return Err(StaffError::WrongCredentials);
        };
        let txn = begin(&self.db).await?;
        let enabled = staff_member::Entity::update_many()
            .col_expr(staff_member::Column::TotpEnabledAt, Expr::value(now))
            .col_expr(staff_member::Column::TotpUsedStep, Expr::value(step))
            .col_expr(staff_member::Column::UpdatedAt, Expr::value(now))
            .filter(staff_member::Column::Id.eq(row.id))
            .filter(staff_member::Column::TotpEnabledAt.is_null())
            .exec(&txn)
            .await
            .map_err(storage("enabling a second factor"))?;
        if enabled.rows_affected != 1 {
            return Err(StaffError::NotSignedIn);
        }
        end_sessions(&txn, row.id).await?;
        let stage = StaffStage::RecoveryCodes;
        let session = self.start_session(&txn, &row, stage, now).await?;
        txn.commit().await.map_err(storage("committing a second factor"))?;
        self.audit(
            actor,
            Event::StaffSecondFactorEnabled,
            tenant_id,
            Some(row.id),
        )
        .await;
        Ok(SignedIn { session, stage })
    }

    /// The member's ten recovery codes, made now and returned this once, for a session that
    /// has just set up its authenticator; the session may act from then on. `None` once
    /// they were shown (a reload shows them no more).
    pub async fn take_recovery_codes(
        &self,
        tenant_id: i32,
        raw: &str,
    ) -> Result<Option<Vec<SecretString>>> {
        let Some((member, StaffStage::RecoveryCodes)) = self.session(tenant_id, raw).await? else {
            return Ok(None);
        };
        let codes: Vec<SecretString> = (0..RECOVERY_CODES).map(|_| new_recovery_code()).collect();
        let txn = begin(&self.db).await?;
        // Of two loads at once, one moves the session on and shows the codes.
        let moved = staff_session::Entity::update_many()
            .col_expr(
                staff_session::Column::Stage,
                Expr::value(StaffStage::SignedIn.code()),
            )
            .filter(staff_session::Column::IdHash.eq(sha256_hex(raw)))
            .filter(staff_session::Column::Stage.eq(StaffStage::RecoveryCodes.code()))
            .exec(&txn)
            .await
            .map_err(storage("moving a staff session on"))?;
        if moved.rows_affected != 1 {
            return Ok(None);
        }
        staff_recovery_code::Entity::delete_many()
            .filter(staff_recovery_code::Column::StaffId.eq(member.id))
            .exec(&txn)
            .await
            .map_err(storage("replacing recovery codes"))?;
        let hashed = codes.iter().map(|code| staff_recovery_code::ActiveModel {
            staff_id: Set(member.id),
            code_hash: Set(sha256_hex(code.expose_secret().replace('-', ""))),
            ..Default::default()
        });
        staff_recovery_code::Entity::insert_many(hashed)
            .exec_without_returning(&txn)
            .await
            .map_err(storage("storing recovery codes"))?;
        txn.commit().await.map_err(storage("committing recovery codes"))?;
        Ok(Some(codes))
    }

    async fn setup_session_member(&self, tenant_id: i32, raw: &str) -> Result<staff_member::Model> {
        match self.session(tenant_id, raw).await? {
            Some((member, StaffStage::SecondFactorSetup)) => {
                self.row(tenant_id, member.id).await?.ok_or(StaffError::NotSignedIn)
            }
            _ => Err(StaffError::NotSignedIn),
        }
    }
}

/// Ten characters in two groups (`k7m2p-9xq4w`): about 50 bits, from the OS's generator.
fn new_recovery_code() -> SecretString {
    let mut rng = rand::rngs::OsRng;
    let mut code = String::with_capacity(11);
    for i in 0..10 {
        if i == 5 {
            code.push('-');
        }
        let index = rng.gen_range(0..RECOVERY_ALPHABET.len());
        code.push(char::from(RECOVERY_ALPHABET[index]));
    }
    SecretString::from(code)
}
