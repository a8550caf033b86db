use crate::error::AppError;
use leptos::prelude::*;

/// The student manual of `tenant` as HTML, in the request's language.
#[server(endpoint = "manual")]
pub async fn manual(tenant: String) -> Result<String, AppError> {
    use crate::web::{manual, request};
    let state = request::state()?;
    let tenant = backend::tenancy::require(&state.db, &tenant).await?;
    Ok(manual::render(&tenant.into(), request::lang()))
}
