use super::frame::{ErrorView, NotFoundView};
use crate::api::tenants::tenant;
use crate::api::views::TenantView;
use crate::error::AppError;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// The tenant slug of the current URL (`/{tenant}/…`).
pub fn use_tenant_slug() -> Memo<String> {
    let params = use_params_map();
    Memo::new(move |_| params.read().get("tenant").unwrap_or_default())
}

/// Loads the university named in the URL and renders `children` with it; an unknown one
/// gets the 404 page.
#[component]
pub fn TenantGate<F, V>(children: F) -> impl IntoView
where
    F: Fn(TenantView) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let slug = use_tenant_slug();
    let loaded = Resource::new(move || slug.get(), tenant);
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let children = children.clone();
                Suspend::new(async move {
                    match loaded.await {
                        Ok(found) => children(found).into_any(),
                        Err(AppError::NotFound) => view! { <NotFoundView/> }.into_any(),
                        Err(err) => view! { <ErrorView error=err/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}
