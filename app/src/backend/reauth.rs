//! Re-authentication: the current second password asked before an email or second-password
//! change. A stolen session must not be a place to guess it: every attempt is counted on the
//! session before the password is hashed, a few wrong ones end the session, and each is
//! audited.

use super::audit::{self, Actor, Event, Subject};
use super::entities::{account, session, tenant};
use super::internal;
use super::passwords::Passwords;
use super::sessions;
use super::tokens::sha256_hex;
use crate::error::{AppError, Field};
use crate::i18n::Msg;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use secrecy::SecretString;

/// Wrong current second passwords one session may type; the next ends it.
pub const FAILURES_PER_SESSION: i32 = 3;

/// Who asks to re-authenticate: the signed-in session (its cookie value) and the request's
/// sender, for the audit log.
pub struct Reauth<'a> {
    pub passwords: &'a Passwords,
    /// The session cookie's value.
    pub session: String,
    pub actor: Actor,
}

/// Checks the current second password of `account`. Refused with the form's message while
/// the session has attempts left; once it has none, the session is ended and the refusal
/// says so.
pub async fn check(
    db: &DatabaseConnection,
    reauth: &Reauth<'_>,
    tenant: &tenant::Model,
    account: &account::Model,
    current: SecretString,
) -> Result<(), AppError> {
    let id_hash = sha256_hex(&reauth.session);
    // Counted as a failure before hashing, in one conditional update: simultaneous guesses
    // cannot pass the limit.
    let admitted = session::Entity::update_many()
        .col_expr(
            session::Column::ReauthFailures,
            Expr::col(session::Column::ReauthFailures).add(1),
        )
        .filter(session::Column::IdHash.eq(id_hash.as_str()))
        .filter(session::Column::ReauthFailures.lt(FAILURES_PER_SESSION))
        .exec(db)
        .await
        .map_err(internal("counting a re-authentication"))?
        .rows_affected
        == 1;
    if !admitted {
        return end_session(db, reauth, tenant, account).await;
    }
    let matches = reauth
        .passwords
        .verify(account.second_password_hash.clone(), current)
        .await?;
    if matches {
        session::Entity::update_many()
            .col_expr(session::Column::ReauthFailures, Expr::value(0))
            .filter(session::Column::IdHash.eq(id_hash.as_str()))
            .exec(db)
            .await
            .map_err(internal("clearing re-authentication failures"))?;
        return Ok(());
    }
    tracing::info!(account_id = account.id, "re-authentication refused");
    record(db, reauth, Event::ReauthenticationFailed, tenant, account).await;
    let used_up = session::Entity::find_by_id(id_hash)
        .one(db)
        .await
        .map_err(internal("reading a session"))?
        .is_none_or(|row| row.reauth_failures >= FAILURES_PER_SESSION);
    if used_up {
        return end_session(db, reauth, tenant, account).await;
    }
    Err(AppError::invalid(
        Field::CurrentSecondPassword,
        Msg::WrongSecondPassword,
    ))
}

async fn end_session(
    db: &DatabaseConnection,
    reauth: &Reauth<'_>,
    tenant: &tenant::Model,
    account: &account::Model,
) -> Result<(), AppError> {
    sessions::end(db, &reauth.session).await?;
    tracing::warn!(
        account_id = account.id,
        "session ended after wrong second passwords"
    );
    record(
        db,
        reauth,
        Event::SessionEndedByReauthentication,
        tenant,
        account,
    )
    .await;
    Err(AppError::Refused(Msg::ReauthenticationLoggedOut))
}

async fn record(
    db: &DatabaseConnection,
    reauth: &Reauth<'_>,
    event: Event,
    tenant: &tenant::Model,
    account: &account::Model,
) {
    let subject = Subject {
        tenant_id: Some(tenant.id),
        account_id: Some(account.id),
        user_id_key: Some(&account.user_id_key),
    };
    audit::record(db, &reauth.actor, event, subject).await;
}
