use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::routes::Page;
use domain::LinkState;
use leptos::prelude::*;

/// A new second password and its confirmation, as the services take them.
#[cfg(feature = "ssr")]
fn second_password_pair(
    password: String,
    confirmation: String,
) -> backend::account::NewSecondPassword {
    backend::account::NewSecondPassword {
        password: password.into(),
        confirmation: confirmation.into(),
    }
}

/// First login, step 2: sets the second password.
#[server(endpoint = "setup_second_password")]
pub async fn setup_second_password(
    tenant: String,
    second_password: String,
    second_password_confirmation: String,
) -> Result<(), AppError> {
    use crate::web::{request, respond};
    let (state, caller) = (request::state()?, request::caller());
    let new = second_password_pair(second_password, second_password_confirmation);
    let at = request::student_at(&state, &tenant, domain::Stage::NeedsSecondPassword).await?;
    respond(state.accounts.set_first_second_password(&caller, &at, new).await)?;
    request::clear_session_cookie(&state);
    leptos_axum::redirect(&Page::SecondPasswordDone.href(&tenant));
    Ok(())
}

/// Second-password change (manual 2.4b).
#[server(endpoint = "change_second_password")]
pub async fn change_second_password(
    tenant: String,
    current_second_password: String,
    new_second_password: String,
    new_second_password_confirmation: String,
) -> Result<(), AppError> {
    use crate::web::{request, respond};
    let (state, caller) = (request::state()?, request::caller());
    let change = backend::account::PasswordChange {
        current: current_second_password.into(),
        new: second_password_pair(new_second_password, new_second_password_confirmation),
    };
    let at = request::student_at(&state, &tenant, domain::Stage::SignedIn).await?;
    respond(state.accounts.change_second_password(&caller, &at, change).await)?;
    leptos_axum::redirect(&Page::SecondPasswordChanged.href(&tenant));
    Ok(())
}

/// Forgotten second password (manual 2.4c), step 1: always the same answer.
#[server(endpoint = "request_second_password_reset")]
pub async fn request_second_password_reset(tenant: String, email: String) -> Result<(), AppError> {
    use crate::web::{request, respond};
    let (state, caller) = (request::state()?, request::caller());
    let email = domain::EmailAddress::parse(&email)
        .map_err(|msg| AppError::invalid(crate::error::Field::Email, msg))?;
    let accounts = &state.accounts;
    respond(accounts.request_second_password_reset(&caller, &tenant, &email).await)?;
    leptos_axum::redirect(&Page::SecondPasswordForgotSent.href(&tenant));
    Ok(())
}

#[server(endpoint = "reset_link_state")]
pub async fn reset_link_state(tenant: String, token: String) -> Result<LinkState, AppError> {
    use backend::account::Purpose::SecondPasswordReset;
    let state = crate::web::request::state()?;
    let link_state = state.accounts.link_state(&tenant, SecondPasswordReset, &token);
    crate::web::respond(link_state.await)
}

/// Forgotten second password, step 2: the form of the reset link's page. No automatic login:
/// the link's cookie and this browser's session go.
#[server(endpoint = "reset_second_password")]
pub async fn reset_second_password(
    tenant: String,
    token: String,
    new_second_password: String,
    new_second_password_confirmation: String,
) -> Result<(), AppError> {
    use crate::web::{request, respond};
    use backend::account::PasswordReset;
    let (state, caller) = (request::state()?, request::caller());
    let reset = PasswordReset {
        token,
        new: second_password_pair(new_second_password, new_second_password_confirmation),
        browser_sessions: request::session_cookies(&state),
    };
    respond(state.accounts.reset_second_password(&caller, &tenant, reset).await)?;
    request::forget_reset_link_and_session(&state, &tenant);
    leptos_axum::redirect(&Page::SecondPasswordResetDone.href(&tenant));
    Ok(())
}
