use crate::api::tenants::tenants;
use crate::components::Frame;
use crate::i18n::{t, use_lang, CommonMsg};
use crate::routes::Page;
use leptos::prelude::*;

/// The service's front page: the universities it serves.
#[component]
pub fn RootPage() -> impl IntoView {
    let lang = use_lang();
    let list = Resource::new(|| (), |_| tenants());
    view! {
        <Frame title=CommonMsg::ServiceName>
            <h1>{t(CommonMsg::ServiceName)}</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(all) if all.is_empty() => view! { <p>{t(CommonMsg::NoUniversities)}</p> }.into_any(),
                        Ok(all) => view! {
                            <p>{t(CommonMsg::ChooseUniversity)}</p>
                            <ul class="university-list">
                                {all.into_iter().map(|tenant| view! {
                                    <li><a href=Page::Login.href(&tenant.slug)>{tenant.display_name(lang).to_owned()}</a></li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(_) => view! { <p class="form-alert" role="alert">{t(CommonMsg::InternalError)}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </Frame>
    }
}
