//! Server-side sessions in the database, so several instances can share them. The cookie
//! holds 32 random bytes; the table holds only their SHA-256.

use super::clock::now_ms;
use super::entities::session;
use super::internal;
use super::settings::Settings;
use super::tokens::{random_secret, sha256_hex};
pub use crate::api::views::Stage;
use crate::error::AppError;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, Set,
    TransactionTrait,
};

/// The session cookie's name over plain http (development, tests).
pub const SESSION_COOKIE: &str = "shomei_session";
/// Over https: the `__Host-` prefix makes browsers accept the cookie only with `Secure`,
/// `Path=/` and no `Domain`, so a sibling subdomain cannot plant or shadow it.
pub const SECURE_SESSION_COOKIE: &str = "__Host-shomei_session";

/// The name of the session cookie under these settings.
pub fn cookie_name(settings: &Settings) -> &'static str {
    if settings.secure_cookies() {
        SECURE_SESSION_COOKIE
    } else {
        SESSION_COOKIE
    }
}

impl Stage {
    fn as_str(self) -> &'static str {
        match self {
            Stage::NeedsEmail => "needs_email",
            Stage::NeedsSecondPassword => "needs_second_password",
            Stage::SignedIn => "signed_in",
        }
    }

    fn parse(value: &str) -> Option<Stage> {
        match value {
            "needs_email" => Some(Stage::NeedsEmail),
            "needs_second_password" => Some(Stage::NeedsSecondPassword),
            "signed_in" => Some(Stage::SignedIn),
            _ => None,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Session {
    pub tenant_id: i32,
    pub account_id: i32,
    pub stage: Stage,
    /// At the second-password setup stage: the university password of the login, hashed.
    pub university_password_hash: Option<String>,
}

/// Starts a session and returns the cookie value (shown to no one but the browser).
pub async fn start(
    db: &impl TransactionTrait,
    settings: &Settings,
    tenant_id: i32,
    account_id: i32,
    stage: Stage,
    university_password_hash: Option<String>,
) -> Result<String, AppError> {
    let raw = random_secret();
    let now = now_ms();
    let txn = db
        .begin()
        .await
        .map_err(internal("starting a transaction"))?;
    // Sessions past their timeouts go, abandoned ones included: a first login left at the
    // setup step must not keep its university password hash.
    session::Entity::delete_many()
        .filter(
            Condition::any()
                .add(session::Column::CreatedAt.lt(now - settings.session_absolute_seconds * 1000))
                .add(session::Column::LastSeenAt.lt(now - settings.session_idle_seconds * 1000)),
        )
        .exec(&txn)
        .await
        .map_err(internal("forgetting old sessions"))?;
    session::ActiveModel {
        id_hash: Set(sha256_hex(&raw)),
        tenant_id: Set(tenant_id),
        account_id: Set(account_id),
        stage: Set(stage.as_str().to_owned()),
        created_at: Set(now),
        last_seen_at: Set(now),
        reauth_failures: Set(0),
        university_password_hash: Set(university_password_hash),
    }
    .insert(&txn)
    .await
    .map_err(internal("starting a session"))?;
    txn.commit()
        .await
        .map_err(internal("committing a session"))?;
    Ok(raw)
}

/// The live session for this cookie value. Sessions past their idle or absolute timeout are
/// deleted on sight.
pub async fn find(
    db: &impl ConnectionTrait,
    settings: &Settings,
    raw: &str,
) -> Result<Option<Session>, AppError> {
    let id_hash = sha256_hex(raw);
    let Some(row) = session::Entity::find_by_id(id_hash.clone())
        .one(db)
        .await
        .map_err(internal("reading a session"))?
    else {
        return Ok(None);
    };
    let now = now_ms();
    let idle_expired = now - row.last_seen_at > settings.session_idle_seconds * 1000;
    let absolute_expired = now - row.created_at > settings.session_absolute_seconds * 1000;
    let stage = Stage::parse(&row.stage);
    if idle_expired || absolute_expired || stage.is_none() {
        end(db, raw).await?;
        return Ok(None);
    }
    // Refresh at most once a minute: reading a page should rarely cost a write.
    if now - row.last_seen_at > 60_000 {
        let mut active: session::ActiveModel = row.clone().into();
        active.last_seen_at = Set(now);
        active
            .update(db)
            .await
            .map_err(internal("refreshing a session"))?;
    }
    Ok(Some(Session {
        tenant_id: row.tenant_id,
        account_id: row.account_id,
        stage: stage.expect("checked above"),
        university_password_hash: row.university_password_hash,
    }))
}

pub async fn end(db: &impl ConnectionTrait, raw: &str) -> Result<(), AppError> {
    session::Entity::delete_by_id(sha256_hex(raw))
        .exec(db)
        .await
        .map_err(internal("ending a session"))?;
    Ok(())
}

pub async fn end_all_for_account(
    db: &impl ConnectionTrait,
    account_id: i32,
) -> Result<(), AppError> {
    session::Entity::delete_many()
        .filter(session::Column::AccountId.eq(account_id))
        .exec(db)
        .await
        .map_err(internal("ending an account's sessions"))?;
    Ok(())
}

/// Ends every session of the account but the one whose cookie value is `keep`.
pub async fn end_others_for_account(
    db: &impl ConnectionTrait,
    account_id: i32,
    keep: &str,
) -> Result<(), AppError> {
    session::Entity::delete_many()
        .filter(session::Column::AccountId.eq(account_id))
        .filter(session::Column::IdHash.ne(sha256_hex(keep)))
        .exec(db)
        .await
        .map_err(internal("ending an account's other sessions"))?;
    Ok(())
}

/// `Set-Cookie` value for a new session: HttpOnly, SameSite=Lax, Secure behind https, and
/// no expiry of its own (the server's timeouts decide).
pub fn cookie(settings: &Settings, raw: &str) -> String {
    let secure = settings.secure_attribute();
    let name = cookie_name(settings);
    format!("{name}={raw}; Path=/; HttpOnly; SameSite=Lax{secure}")
}

pub fn clearing_cookie(settings: &Settings) -> String {
    let secure = settings.secure_attribute();
    let name = cookie_name(settings);
    format!("{name}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}")
}
