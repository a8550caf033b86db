use crate::api::login::session_stage;
use crate::api::manual::manual;
use crate::api::views::TenantView;
use crate::components::{Frame, TenantGate};
use crate::i18n::{t, CommonMsg};
use crate::routes::Page;
use domain::Stage;
use leptos::prelude::*;

/// The student manual (manual 3.1), from the menu and the login page. A signed-in student
/// keeps the menu (the manual tells them to log out from it) and a way home.
#[component]
pub fn ManualPage() -> impl IntoView {
    view! { <TenantGate let:tenant><ManualView tenant/></TenantGate> }
}

#[component]
fn ManualView(tenant: TenantView) -> impl IntoView {
    let slug = tenant.slug.clone();
    let html = Resource::new(
        {
            let slug = slug.clone();
            move || slug.clone()
        },
        manual,
    );
    let stage = Resource::new(move || slug.clone(), session_stage);
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let tenant = tenant.clone();
                Suspend::new(async move {
                    let signed_in = matches!(stage.await, Ok(Some(Stage::SignedIn)));
                    let home = signed_in.then(|| view! {
                        <p class="secondary-links">
                            <a href=Page::Home.href(&tenant.slug)>{t(CommonMsg::BackToHome)}</a>
                        </p>
                    });
                    let body = match html.await {
                        // Rendered on the server from the repository's Markdown, with the
                        // university's texts escaped.
                        Ok(html) => view! { <article class="manual" inner_html=html></article> }.into_any(),
                        Err(_) => view! { <p class="form-alert" role="alert">{t(CommonMsg::InternalError)}</p> }.into_any(),
                    };
                    view! {
                        <Frame title=CommonMsg::ManualTitle tenant signed_in>
                            {home}
                            {body}
                        </Frame>
                    }
                })
            }}
        </Suspense>
    }
}
