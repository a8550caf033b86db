use super::views::Stage;
use crate::error::AppError;
use crate::routes::Page;
use leptos::prelude::*;

/// Login with the university's credentials and the second password (empty at first login).
/// Leads to the step the student is at: email registration, second-password setup or home.
#[server(endpoint = "login")]
pub async fn login(
    tenant: String,
    user_id: String,
    password: String,
    second_password: String,
) -> Result<(), AppError> {
    use crate::backend::login::{log_in, LoginAttempt, LoginContext};
    use crate::backend::{devices, request, sessions, tenants};
    use secrecy::SecretString;

    let attempt = LoginAttempt {
        user_id,
        password: SecretString::from(password),
        second_password: SecretString::from(second_password),
        device: request::cookie(devices::DEVICE_COOKIE),
    };
    let state = request::state()?;
    let tenant = tenants::require(&state.db, &tenant).await?;
    let actor = request::actor();
    let context = LoginContext {
        directory: state.directory.as_ref(),
        passwords: &state.passwords,
        throttle: &state.settings.login_throttle,
        actor: &actor,
    };
    let logged_in = request::with_status(log_in(&state.db, &context, &tenant, attempt).await)?;
    // A new session id at every login: a session fixed before login is worth nothing.
    request::forget_session(&state).await?;
    let raw = sessions::start(
        &state.db,
        &state.settings,
        tenant.id,
        logged_in.account.id,
        logged_in.stage,
        logged_in.university_password_hash,
    )
    .await?;
    request::set_cookie(&sessions::cookie(&state.settings, &raw));
    if let Some(device) = &logged_in.new_device {
        request::set_cookie(&devices::cookie(&state.settings, device));
    }
    leptos_axum::redirect(&next_page(&tenant.slug, logged_in.stage));
    Ok(())
}

pub fn next_page(tenant: &str, stage: Stage) -> String {
    let page = match stage {
        Stage::NeedsEmail => Page::EmailRegister,
        Stage::NeedsSecondPassword => Page::SecondPasswordSetup,
        Stage::SignedIn => Page::Home,
    };
    page.href(tenant)
}

#[server(endpoint = "logout")]
pub async fn logout(tenant: String) -> Result<(), AppError> {
    use crate::backend::{request, tenants};
    let state = request::state()?;
    let tenant = tenants::require(&state.db, &tenant).await?;
    if let Some(session) = request::session(&state, &tenant).await? {
        let event = crate::backend::audit::Event::Logout;
        request::audit(&state, event, &tenant, Some(session.account_id)).await;
    }
    request::end_session(&state).await?;
    leptos_axum::redirect(&Page::Login.href(&tenant.slug));
    Ok(())
}

/// The stage of this browser's session with `tenant`, if it has one.
#[server(endpoint = "session_stage")]
pub async fn session_stage(tenant: String) -> Result<Option<Stage>, AppError> {
    use crate::backend::{request, tenants};
    let state = request::state()?;
    let tenant = tenants::require(&state.db, &tenant).await?;
    Ok(request::session(&state, &tenant).await?.map(|s| s.stage))
}

/// Whether the page being rendered is shown inside a frame (the university portal). Read
/// from the page request's `Sec-Fetch-Dest` while it renders; the browser's own calls are
/// never framed.
#[server(endpoint = "login_framed")]
pub async fn login_framed() -> Result<bool, AppError> {
    Ok(leptos::prelude::use_context::<http::request::Parts>()
        .is_some_and(|parts| crate::backend::request::is_framed(&parts.headers)))
}
