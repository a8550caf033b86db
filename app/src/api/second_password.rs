use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::routes::Page;
use leptos::prelude::*;

/// First login, step 2: sets the second password.
#[server(endpoint = "setup_second_password")]
pub async fn setup_second_password(
    tenant: String,
    second_password: String,
    second_password_confirmation: String,
) -> Result<(), AppError> {
    use crate::backend::second_password::{self, NewSecondPassword};
    use crate::backend::{audit::Event, request, sessions::Stage};
    use secrecy::SecretString;
    let new = NewSecondPassword {
        password: SecretString::from(second_password),
        confirmation: SecretString::from(second_password_confirmation),
    };
    let state = request::state()?;
    let (tenant, session) =
        request::require_stage(&state, &tenant, Stage::NeedsSecondPassword).await?;
    let set = second_password::set_first(
        &state.db,
        state.directory.as_ref(),
        &state.passwords,
        &tenant,
        &session,
        new,
    )
    .await;
    request::with_status(set)?;
    let event = Event::SecondPasswordSet;
    request::audit(&state, event, &tenant, Some(session.account_id)).await;
    request::end_session(&state).await?;
    leptos_axum::redirect(&Page::SecondPasswordDone.href(&tenant.slug));
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
    use crate::backend::second_password::{self, NewSecondPassword};
    use crate::backend::sessions::Stage;
    use crate::backend::{audit::Event, request};
    use secrecy::SecretString;
    let current = SecretString::from(current_second_password);
    let new = NewSecondPassword {
        password: SecretString::from(new_second_password),
        confirmation: SecretString::from(new_second_password_confirmation),
    };
    let state = request::state()?;
    let (tenant, session) = request::require_stage(&state, &tenant, Stage::SignedIn).await?;
    let reauth = request::reauth(&state)?;
    let changed = second_password::change(
        &state.db,
        state.directory.as_ref(),
        &reauth,
        &tenant,
        session.account_id,
        current,
        new,
        request::lang(),
    )
    .await;
    request::with_status(changed)?;
    state.mail_queued.notify_one();
    let event = Event::SecondPasswordChanged;
    request::audit(&state, event, &tenant, Some(session.account_id)).await;
    leptos_axum::redirect(&Page::SecondPasswordChanged.href(&tenant.slug));
    Ok(())
}

/// Forgotten second password (manual 2.4c), step 1: always the same answer.
#[server(endpoint = "request_second_password_reset")]
pub async fn request_second_password_reset(tenant: String, email: String) -> Result<(), AppError> {
    use crate::backend::{audit::Event, request, second_password, tenants};
    use crate::domain::EmailAddress;
    use crate::error::Field;
    let state = request::state()?;
    let tenant = tenants::require(&state.db, &tenant).await?;
    let email = EmailAddress::parse(&email).map_err(|msg| AppError::invalid(Field::Email, msg))?;
    let client = request::client_limit_key();
    let client_allowed = state.reset_requests.allow(&client);
    let account_id = second_password::request_reset(
        &state.db,
        &state.settings,
        &tenant,
        &email,
        client_allowed,
        request::lang(),
    )
    .await?;
    state.mail_queued.notify_one();
    let event = Event::SecondPasswordResetRequested;
    request::audit(&state, event, &tenant, account_id).await;
    leptos_axum::redirect(&Page::SecondPasswordForgotSent.href(&tenant.slug));
    Ok(())
}

#[server(endpoint = "reset_link_state")]
pub async fn reset_link_state(
    tenant: String,
    token: String,
) -> Result<super::views::LinkState, AppError> {
    use crate::backend::{request, second_password, tenants};
    let state = request::state()?;
    let tenant = tenants::require(&state.db, &tenant).await?;
    second_password::inspect_reset(&state.db, &tenant, &token).await
}

/// Forgotten second password, step 2: the form of the reset link's page.
#[server(endpoint = "reset_second_password")]
pub async fn reset_second_password(
    tenant: String,
    token: String,
    new_second_password: String,
    new_second_password_confirmation: String,
) -> Result<(), AppError> {
    use crate::backend::second_password::{self, NewSecondPassword};
    use crate::backend::{audit::Event, request, tenants};
    use secrecy::SecretString;
    let new = NewSecondPassword {
        password: SecretString::from(new_second_password),
        confirmation: SecretString::from(new_second_password_confirmation),
    };
    let state = request::state()?;
    let tenant = tenants::require(&state.db, &tenant).await?;
    let reset = second_password::reset(
        &state.db,
        state.directory.as_ref(),
        &state.passwords,
        &tenant,
        &token,
        new,
        request::lang(),
    )
    .await;
    let account_id = request::with_status(reset)?;
    let purpose = crate::backend::tokens::Purpose::SecondPasswordReset;
    request::spend_link_cookie(&state, &tenant, purpose);
    state.mail_queued.notify_one();
    request::audit(
        &state,
        Event::SecondPasswordReset,
        &tenant,
        Some(account_id),
    )
    .await;
    // No automatic login; a session of this browser, if any, ended with all the others.
    request::end_session(&state).await?;
    leptos_axum::redirect(&Page::SecondPasswordResetDone.href(&tenant.slug));
    Ok(())
}
