use super::views::HomeView;
use crate::error::AppError;
use leptos::prelude::*;

/// The signed-in student's home page, or `NotSignedIn`.
#[server(endpoint = "home")]
pub async fn home(tenant: String) -> Result<HomeView, AppError> {
    use crate::web::{request, respond, views};
    let state = request::state()?;
    let at = request::student_at(&state, &tenant, domain::Stage::SignedIn).await?;
    let (account, student) = respond(state.accounts.home(&at).await)?;
    Ok(views::home(at.tenant, account, student))
}
