//! One module per screen of the student manual.

mod dev_mailbox;
mod email;
mod email_change;
mod home;
mod login;
mod manual;
mod root;
mod second_password;
mod second_password_change;

pub use dev_mailbox::DevMailboxPage;
pub use email::{ConfirmEmailPage, EmailDonePage, EmailSentPage, RegisterEmailPage};
pub use email_change::{
    ChangeEmailPage, ChangeEmailSentPage, ConfirmEmailChangePage, EmailChangedPage,
};
pub use home::HomePage;
pub use login::LoginPage;
pub use manual::ManualPage;
pub use root::RootPage;
pub use second_password::{SecondPasswordDonePage, SetupSecondPasswordPage};
pub use second_password_change::{
    ChangeSecondPasswordPage, ForgotSecondPasswordPage, ForgotSentPage, ResetDonePage,
    ResetSecondPasswordPage, SecondPasswordChangedPage,
};

use crate::api::login::{next_page, session_stage};
use crate::api::views::{LinkState, Stage, TenantView};
use crate::components::{use_tenant_slug, Frame, TenantGate};
use crate::error::Field as ErrorField;
use crate::i18n::{t, Msg};
use crate::routes::Page;
use leptos::prelude::*;
use leptos_router::components::Redirect;

/// The fields of a new second password and its confirmation, in the order the forms show them.
const NEW_PASSWORD_FIELDS: [ErrorField; 2] = [
    ErrorField::SecondPassword,
    ErrorField::SecondPasswordConfirm,
];

/// Renders `children` only for a session at `stage`; any other visitor goes to the page of
/// their own stage, or to the login page.
#[component]
fn StageGate(stage: Stage, children: ChildrenFn) -> impl IntoView {
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

/// The university's notes (`注意事項`) block, shown on every form of the manual.
#[component]
fn Notes(tenant: TenantView) -> impl IntoView {
    let lang = crate::i18n::use_lang();
    view! {
        <section class="notes" aria-labelledby="notes-heading">
            <h2 id="notes-heading">{t(Msg::Notes)}</h2>
            <p>{tenant.notes(lang)}</p>
        </section>
    }
}

/// A button (not a link) back to the login page, as the manual's screens have.
#[component]
fn GoToLoginButton(slug: String) -> impl IntoView {
    view! { <ButtonLink href=Page::Login.href(&slug) label=Msg::GoToLogin/> }
}

/// A page that tells the student how a step ended, with a button to go on (`next`: the page
/// and the button's label).
#[component]
fn NoticePage(
    title: Msg,
    body: Msg,
    #[prop(optional)] next: Option<(Page, Msg)>,
    #[prop(optional)] signed_in: bool,
) -> impl IntoView {
    view! {
        <TenantGate let:tenant>
            <Frame title tenant=tenant.clone() signed_in>
                <h1>{t(title)}</h1>
                <p role="status" class="notice">{t(body)}</p>
                {next.map(|(page, label)| view! {
                    <ButtonLink href=page.href(&tenant.slug) label/>
                })}
            </Frame>
        </TenantGate>
    }
}

/// A button that leads to another page: a GET form, so it works without JavaScript.
#[component]
fn ButtonLink(href: String, label: Msg) -> impl IntoView {
    view! {
        <form method="get" action=href class="actions">
            <button type="submit" class="primary">{t(label)}</button>
        </form>
    }
}

/// Renders `children` with the token while the one-time URL of this page can still be used;
/// otherwise says why not (expired, used, replaced, unknown) and how to start again.
#[component]
fn LinkGate<F, Fut, C, V>(
    tenant: TenantView,
    inspect: F,
    start_again: Msg,
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
            inspect(slug, token.clone())
                .await
                .map(|state| (token, state))
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
                            <p class="form-alert" role="alert">{t(other.refusal().unwrap_or(Msg::LinkUnknown))}</p>
                            <p>{t(start_again)}</p>
                            <GoToLoginButton slug/>
                        }.into_any(),
                        Err(_) => view! { <p class="form-alert" role="alert">{t(Msg::InternalError)}</p> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}
