use crate::api::manual::manual;
use crate::api::views::TenantView;
use crate::components::{Frame, TenantGate};
use crate::i18n::{t, CommonMsg};
use leptos::prelude::*;

/// The student manual (manual 3.1), from the menu and the login page.
#[component]
pub fn ManualPage() -> impl IntoView {
    view! { <TenantGate let:tenant><ManualView tenant/></TenantGate> }
}

#[component]
fn ManualView(tenant: TenantView) -> impl IntoView {
    let slug = tenant.slug.clone();
    let html = Resource::new(move || slug.clone(), manual);
    view! {
        <Frame title=CommonMsg::ManualTitle tenant>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match html.await {
                        // Rendered on the server from the repository's Markdown, with the
                        // university's texts escaped.
                        Ok(html) => view! { <article class="manual" inner_html=html></article> }.into_any(),
                        Err(_) => view! { <p class="form-alert" role="alert">{t(CommonMsg::InternalError)}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </Frame>
    }
}
