use crate::error::AppError;
use crate::routes::Page;
use domain::Stage;
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
    use crate::web::{request, respond};
    let (state, caller) = (request::state()?, request::caller());
    let attempt = request::login_attempt(&state, user_id, password, second_password);
    let logged_in = respond(state.accounts.log_in(&caller, &tenant, attempt).await)?;
    request::set_login_cookies(&state, &logged_in);
    leptos_axum::redirect(&next_page(&tenant, logged_in.stage));
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
    use crate::web::{request, respond};
    let state = request::state()?;
    let cookies = request::session_cookies(&state);
    respond(state.accounts.log_out(&request::caller(), &tenant, &cookies).await)?;
    request::clear_session_cookie(&state);
    leptos_axum::redirect(&Page::Login.href(&tenant));
    Ok(())
}

/// The stage of this browser's session with `tenant`, if it has one.
#[server(endpoint = "session_stage")]
pub async fn session_stage(tenant: String) -> Result<Option<Stage>, AppError> {
    use crate::web::{request, respond};
    let state = request::state()?;
    let cookie = request::session_cookie(&state);
    respond(state.accounts.stage(&tenant, cookie.as_deref()).await)
}

/// Whether the page being rendered is shown inside a frame (the university portal). Read
/// from the page request's `Sec-Fetch-Dest` while it renders; the browser's own calls are
/// never framed.
#[server(endpoint = "login_framed")]
pub async fn login_framed() -> Result<bool, AppError> {
    Ok(leptos::prelude::use_context::<http::request::Parts>()
        .is_some_and(|parts| crate::web::request::is_framed(&parts.headers)))
}
