use super::views::TenantView;
use crate::error::AppError;
use leptos::prelude::*;

/// The university behind `/{tenant}/…`, or `NotFound`.
#[server(endpoint = "tenant")]
pub async fn tenant(slug: String) -> Result<TenantView, AppError> {
    let state = crate::web::request::state()?;
    Ok(backend::tenancy::require(&state.db, &slug).await?.into())
}

/// Every university of this deployment, for the service's front page.
#[server(endpoint = "tenants")]
pub async fn tenants() -> Result<Vec<TenantView>, AppError> {
    let state = crate::web::request::state()?;
    let tenants = backend::tenancy::list(&state.db).await?;
    Ok(tenants.into_iter().map(TenantView::from).collect())
}
