use super::field::FormAlert;
use super::frame::{ErrorView, Frame, NotFoundView};
use super::notice::GoToLoginButton;
use crate::api::login::{next_page, session_stage};
use crate::api::tenants::tenant;
use crate::api::views::TenantView;
use crate::error::AppError;
use crate::i18n::{t, AccountMsg, CommonMsg, Msg};
use crate::routes::Page;
use domain::{LinkState, Stage};
use leptos::prelude::*;
use leptos_router::components::Redirect;
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

/// Renders `children` only for a session at `stage`; any other visitor goes to the page of
/// their own stage, or to the login page.
#[component]
pub fn StageGate(stage: Stage, children: ChildrenFn) -> impl IntoView {
    let slug = use_tenant_slug();
    let current = Resource::new(move || slug.get(), session_stage);
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let children = children.clone();
                Suspend::new(async move {
                    let slug = slug.get_untracked();
                    match current.await {
                        Ok(Some(found)) if found == stage => children().into_any(),
                        Ok(Some(other)) => view! { <Redirect path=next_page(&slug, other)/> }.into_any(),
                        _ => view! { <Redirect path=Page::Login.href(&slug)/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// Renders `children` with the token while the one-time URL of this page can still be used;
/// otherwise says why not (expired, used, replaced, unknown) and how to start again.
#[component]
pub fn LinkGate<F, Fut, C, V>(
    tenant: TenantView,
    inspect: F,
    #[prop(into)] start_again: Msg,
    children: C,
) -> impl IntoView
where
    F: Fn(String, String) -> Fut + Copy + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<LinkState, crate::error::AppError>> + Send + 'static,
    C: Fn(String) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let slug = tenant.slug.clone();
    let state = Resource::new(
        move || slug.clone(),
        move |slug| async move {
            let token = crate::api::links::link_token().await?;
            inspect(slug, token.clone()).await.map(|state| (token, state))
        },
    );
    let slug = tenant.slug.clone();
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let children = children.clone();
                let slug = slug.clone();
                Suspend::new(async move {
                    match state.await {
                        Ok((token, LinkState::Valid)) => children(token).into_any(),
                        Ok((_, other)) => view! {
                            <p class="form-alert" role="alert">{t(other.refusal().unwrap_or(CommonMsg::LinkUnknown))}</p>
                            <p>{t(start_again)}</p>
                            <GoToLoginButton slug/>
                        }.into_any(),
                        Err(_) => view! { <p class="form-alert" role="alert">{t(CommonMsg::InternalError)}</p> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// What a link's page says: its title, what confirming does, its button, and what to do when
/// the link can no longer be used.
#[derive(Clone, Copy, Debug)]
pub struct LinkPageTexts {
    pub title: AccountMsg,
    pub lead: AccountMsg,
    pub button: AccountMsg,
    pub start_again: AccountMsg,
}

/// The page a one-time link opens. Opening it changes nothing: its button does, in `form`
/// (the page's server action around the fields it is given), while the link can be used.
#[component]
pub fn ConfirmLinkView<F, Fut, Form, V>(
    tenant: TenantView,
    texts: LinkPageTexts,
    inspect: F,
    /// The answer to the last press of the button, if it was refused.
    error: Option<AppError>,
    form: Form,
) -> impl IntoView
where
    F: Fn(String, String) -> Fut + Copy + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<LinkState, AppError>> + Send + 'static,
    Form: Fn(AnyView) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let slug = tenant.slug.clone();
    let gate_tenant = tenant.clone();
    view! {
        <Frame title=texts.title tenant>
            <h1>{t(texts.title)}</h1>
            <LinkGate tenant=gate_tenant inspect start_again=texts.start_again let:token>
                <p class="lead">{t(texts.lead)}</p>
                <FormAlert error=error.clone()/>
                {form(view! {
                    <input type="hidden" name="tenant" value=slug.clone()/>
                    <input type="hidden" name="token" value=token/>
                    <div class="actions">
                        <button type="submit" class="primary">{t(texts.button)}</button>
                    </div>
                }.into_any())}
            </LinkGate>
        </Frame>
    }
}
