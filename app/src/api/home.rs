use super::views::HomeView;
use crate::error::AppError;
use leptos::prelude::*;

/// The signed-in student's home page, or `NotSignedIn`.
#[server(endpoint = "home")]
pub async fn home(tenant: String) -> Result<HomeView, AppError> {
    use crate::backend::{login::account_by_id, request, sessions::Stage};
    let state = request::state()?;
    let (tenant, session) = request::require_stage(&state, &tenant, Stage::SignedIn).await?;
    let account = account_by_id(&state.db, session.account_id).await?;
    let student = state
        .directory
        .find(&tenant, &account.user_id_key)
        .await?
        // Removed from the registry since logging in: no longer a student of this service.
        .ok_or(AppError::NotSignedIn)?;
    Ok(HomeView {
        tenant: tenant.into(),
        user_id: student.user_id,
        name: student.name,
        name_en: student.name_en,
        student_number: student.student_number,
        faculty: student.faculty,
        department: student.department,
        status: student.status,
        email: account.email,
    })
}
