use super::views::LinkState;
use crate::domain::{emails_match, EmailAddress};
use crate::error::{AppError, Field};
#[cfg(feature = "ssr")]
use crate::routes::Page;
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
    use crate::backend::{audit::Event, email_registration, request, sessions::Stage};
    let state = request::state()?;
    let (tenant, session) = request::require_stage(&state, &tenant, Stage::NeedsEmail).await?;
    let email = check_email_fields(&email, &email_confirmation)?;
    email_registration::request(
        &state.db,
        &state.settings,
        &tenant,
        session.account_id,
        &email,
        request::lang(),
    )
    .await?;
    state.mail_queued.notify_one();
    let event = Event::EmailRegistrationRequested;
    request::audit(&state, event, &tenant, Some(session.account_id)).await;
    leptos_axum::redirect(&Page::EmailSent.href(&tenant.slug));
    Ok(())
}

/// What the one-time URL's page should show, without using the link up.
#[server(endpoint = "email_link_state")]
pub async fn email_link_state(tenant: String, token: String) -> Result<LinkState, AppError> {
    use crate::backend::{email_registration, request, tenants};
    let state = request::state()?;
    let tenant = tenants::require(&state.db, &tenant).await?;
    email_registration::inspect(&state.db, &tenant, &token).await
}

/// The button on the one-time URL's page: a POST, so a mail scanner that fetches the link
/// cannot use it up.
#[server(endpoint = "confirm_email")]
pub async fn confirm_email(tenant: String, token: String) -> Result<(), AppError> {
    use crate::backend::{audit::Event, email_registration, request, tenants, tokens::Purpose};
    let state = request::state()?;
    let tenant = tenants::require(&state.db, &tenant).await?;
    let account_id = email_registration::confirm(&state.db, &tenant, &token).await?;
    request::spend_link_cookie(&state, &tenant, Purpose::EmailRegistration);
    request::audit(&state, Event::EmailRegistered, &tenant, Some(account_id)).await;
    leptos_axum::redirect(&Page::EmailDone.href(&tenant.slug));
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
    use crate::backend::sessions::Stage;
    use crate::backend::{audit::Event, email_change, request};
    use secrecy::SecretString;
    let current = SecretString::from(current_second_password);
    let state = request::state()?;
    let (tenant, session) = request::require_stage(&state, &tenant, Stage::SignedIn).await?;
    let reauth = request::reauth(&state)?;
    let email = check_email_fields(&new_email, &new_email_confirmation)?;
    let change = email_change::ChangeRequest {
        new_email: email,
        current_second_password: current,
    };
    let requested = email_change::request(
        &state.db,
        &state.settings,
        &reauth,
        &tenant,
        session.account_id,
        change,
        request::lang(),
    )
    .await;
    request::with_status(requested)?;
    state.mail_queued.notify_one();
    let event = Event::EmailChangeRequested;
    request::audit(&state, event, &tenant, Some(session.account_id)).await;
    leptos_axum::redirect(&Page::EmailChangeSent.href(&tenant.slug));
    Ok(())
}

#[server(endpoint = "email_change_link_state")]
pub async fn email_change_link_state(tenant: String, token: String) -> Result<LinkState, AppError> {
    use crate::backend::{email_change, request, tenants};
    let state = request::state()?;
    let tenant = tenants::require(&state.db, &tenant).await?;
    email_change::inspect(&state.db, &tenant, &token).await
}

/// The button on the email-change link's page.
#[server(endpoint = "confirm_email_change")]
pub async fn confirm_email_change(tenant: String, token: String) -> Result<(), AppError> {
    use crate::backend::{audit::Event, email_change, request, tenants, tokens::Purpose};
    let state = request::state()?;
    let tenant = tenants::require(&state.db, &tenant).await?;
    let account_id = email_change::confirm(&state.db, &tenant, &token, request::lang()).await?;
    request::spend_link_cookie(&state, &tenant, Purpose::EmailChange);
    request::audit(&state, Event::EmailChanged, &tenant, Some(account_id)).await;
    state.mail_queued.notify_one();
    leptos_axum::redirect(&Page::EmailChangeDone.href(&tenant.slug));
    Ok(())
}
