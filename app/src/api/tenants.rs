use super::views::TenantView;
use crate::error::AppError;
use leptos::prelude::*;

/// The university behind `/{tenant}/…`, or `NotFound`.
#[server(endpoint = "tenant")]
pub async fn tenant(slug: String) -> Result<TenantView, AppError> {
    use crate::backend::{request, tenants};
    let state = request::state()?;
    Ok(tenants::require(&state.db, &slug).await?.into())
}

/// Every university of this deployment, for the service's front page.
#[server(endpoint = "tenants")]
pub async fn tenants() -> Result<Vec<TenantView>, AppError> {
    use crate::backend::{request, tenants};
    let state = request::state()?;
    Ok(tenants::list(&state.db)
        .await?
        .into_iter()
        .map(TenantView::from)
        .collect())
}
