use crate::error::{AppError, Field};
#[cfg(feature = "ssr")]
use crate::routes::Page;
use domain::{emails_match, EmailAddress, LinkState};
use leptos::prelude::*;

/// Checks both email fields the way the browser does before sending.
pub fn check_email_fields(email: &str, confirmation: &str) -> Result<EmailAddress, AppError> {
    let parsed = EmailAddress::parse(email).map_err(|msg| AppError::invalid(Field::Email, msg))?;
    emails_match(email, confirmation).map_err(|msg| AppError::invalid(Field::EmailConfirm, msg))?;
    Ok(parsed)
}

/// First login, step 1: sends the one-time URL to the address.
#[server(endpoint = "register_email")]
pub async fn register_email(
    tenant: String,
    email: String,
    email_confirmation: String,
) -> Result<(), AppError> {
    use crate::web::{request, respond};
    let (state, caller) = (request::state()?, request::caller());
    let at = request::student_at(&state, &tenant, domain::Stage::NeedsEmail).await?;
    let email = check_email_fields(&email, &email_confirmation)?;
    let accounts = &state.accounts;
    respond(accounts.request_email_registration(&caller, &at, &email).await)?;
    leptos_axum::redirect(&Page::EmailSent.href(&tenant));
    Ok(())
}

/// What the one-time URL's page should show, without using the link up.
#[server(endpoint = "email_link_state")]
pub async fn email_link_state(tenant: String, token: String) -> Result<LinkState, AppError> {
    use backend::account::Purpose::EmailRegistration;
    let state = crate::web::request::state()?;
    let link_state = state.accounts.link_state(&tenant, EmailRegistration, &token);
    crate::web::respond(link_state.await)
}

/// The button on the one-time URL's page: a POST, so a mail scanner that fetches the link
/// cannot use it up.
#[server(endpoint = "confirm_email")]
pub async fn confirm_email(tenant: String, token: String) -> Result<(), AppError> {
    use crate::web::{request, respond};
    use backend::account::Purpose::EmailRegistration;
    let (state, caller) = (request::state()?, request::caller());
    let accounts = &state.accounts;
    respond(accounts.confirm_email_registration(&caller, &tenant, &token).await)?;
    request::spend_link_cookie(&state, &tenant, EmailRegistration);
    leptos_axum::redirect(&Page::EmailDone.href(&tenant));
    Ok(())
}

/// Email change (manual 2.4a): re-authenticates, then sends the one-time URL to the new
/// address.
#[server(endpoint = "request_email_change")]
pub async fn request_email_change(
    tenant: String,
    new_email: String,
    new_email_confirmation: String,
    current_second_password: String,
) -> Result<(), AppError> {
    use crate::web::{request, respond};
    let (state, caller) = (request::state()?, request::caller());
    let at = request::student_at(&state, &tenant, domain::Stage::SignedIn).await?;
    let change = backend::account::ChangeRequest {
        new_email: check_email_fields(&new_email, &new_email_confirmation)?,
        current_second_password: current_second_password.into(),
    };
    respond(state.accounts.request_email_change(&caller, &at, change).await)?;
    leptos_axum::redirect(&Page::EmailChangeSent.href(&tenant));
    Ok(())
}

#[server(endpoint = "email_change_link_state")]
pub async fn email_change_link_state(tenant: String, token: String) -> Result<LinkState, AppError> {
    use backend::account::Purpose::EmailChange;
    let state = crate::web::request::state()?;
    let link_state = state.accounts.link_state(&tenant, EmailChange, &token);
    crate::web::respond(link_state.await)
}

/// The button on the email-change link's page.
#[server(endpoint = "confirm_email_change")]
pub async fn confirm_email_change(tenant: String, token: String) -> Result<(), AppError> {
    use crate::web::{request, respond};
    use backend::account::Purpose::EmailChange;
    let (state, caller) = (request::state()?, request::caller());
    respond(state.accounts.confirm_email_change(&caller, &tenant, &token).await)?;
    request::spend_link_cookie(&state, &tenant, EmailChange);
    leptos_axum::redirect(&Page::EmailChangeDone.href(&tenant));
    Ok(())
}
