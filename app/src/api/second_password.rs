use crate::error::AppError;
use leptos::prelude::*;

/// First login, step 2: sets the second password.
#[server(endpoint = "setup_second_password")]
pub async fn setup_second_password(
    tenant: String,
    second_password: String,
    second_password_confirmation: String,
) -> Result<(), AppError> {
    use crate::backend::{request, second_password, sessions::Stage};
    use secrecy::SecretString;
    let password = SecretString::from(second_password);
    let confirmation = SecretString::from(second_password_confirmation);
    let state = request::state()?;
    let (tenant, session) =
        request::require_stage(&state, &tenant, Stage::NeedsSecondPassword).await?;
    second_password::set_first(
        &state.db,
        state.directory.as_ref(),
        &state.passwords,
        &tenant,
        session.account_id,
        password,
        confirmation,
    )
    .await?;
    request::end_session(&state).await?;
    leptos_axum::redirect(&format!("/{}/second-password/done", tenant.slug));
    Ok(())
}
