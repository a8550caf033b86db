//! One module per screen of the student manual.

mod dev_mailbox;
mod email;
mod home;
mod login;
mod root;
mod second_password;

pub use dev_mailbox::DevMailboxPage;
pub use email::{ConfirmEmailPage, EmailDonePage, EmailSentPage, RegisterEmailPage};
pub use home::HomePage;
pub use login::LoginPage;
pub use root::RootPage;
pub use second_password::{SecondPasswordDonePage, SetupSecondPasswordPage};

use crate::api::login::{next_page, session_stage};
use crate::api::views::{Stage, TenantView};
use crate::components::use_tenant_slug;
use crate::i18n::{t, Msg};
use leptos::prelude::*;
use leptos_router::components::Redirect;

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
                        _ => view! { <Redirect path=format!("/{slug}/login")/> }.into_any(),
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

/// A button (not a link) back to the login page, as the manual's screens have; a GET form,
/// so it works without JavaScript.
#[component]
fn GoToLoginButton(slug: String) -> impl IntoView {
    view! {
        <form method="get" action=format!("/{slug}/login") class="actions">
            <button type="submit" class="primary">{t(Msg::GoToLogin)}</button>
        </form>
    }
}
