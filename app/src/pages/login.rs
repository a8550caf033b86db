use crate::api::login::{login_framed, Login};
use crate::api::views::TenantView;
use crate::components::Notes;
use crate::components::{
    refusal, server_messages, Check, CheckedField, FieldSpec, FormAlert, Frame, TenantGate,
};
use crate::error::{AppError, Field as F};
use crate::i18n::{t, AccountMsg, CommonMsg, FieldMsg};
use crate::routes::Page;
use leptos::prelude::*;

/// `在学生ログイン` (manual 2.1–2.3): the page the university's homepage links to.
#[component]
pub fn LoginPage() -> impl IntoView {
    view! { <TenantGate let:tenant><LoginForm tenant/></TenantGate> }
}

const LOGIN_URL: &str = <Login as leptos::server_fn::ServerFn>::PATH;

#[component]
fn LoginForm(tenant: TenantView) -> impl IntoView {
    let error = refusal(ServerAction::<Login>::new().value());
    let framed = Resource::new(|| (), |_| login_framed());
    let forgot_href = Page::SecondPasswordForgot.href(&tenant.slug);
    let manual_href = Page::Manual.href(&tenant.slug);
    let login_href = Page::Login.href(&tenant.slug);
    let form_tenant = tenant.clone();
    view! {
        <Frame title=AccountMsg::LoginTitle tenant=tenant.clone()>
            <h1>{t(AccountMsg::LoginTitle)}</h1>
            <p class="lead">{t(AccountMsg::SecondPasswordFirstLoginHint)}</p>
            <FormAlert error=error.clone()/>
            <Suspense fallback=|| ()>
                {move || {
                    let tenant = form_tenant.clone();
                    let login_href = login_href.clone();
                    let error = error.clone();
                    Suspend::new(async move {
                        // Inside the portal's frame the session cookie would be a third-party
                        // cookie, which browsers refuse: the form leaves the frame and the
                        // student goes on in the whole window.
                        let framed = framed.await.unwrap_or(false);
                        let new_tab_hint = framed.then(|| view! {
                            <p class="notice">
                                {t(AccountMsg::FramedLoginHint)}" "
                                <a href=login_href target="_blank" rel="noopener">{t(AccountMsg::OpenInNewTab)}</a>
                            </p>
                        });
                        view! {
                            {new_tab_hint}
                            <form method="post" action=LOGIN_URL target=framed.then_some("_top")>
                                <LoginFields tenant error/>
                            </form>
                        }
                    })
                }}
            </Suspense>
            <p class="secondary-links">
                <a href=forgot_href>{t(AccountMsg::ForgotSecondPassword)}</a>
                <a href=manual_href>{t(CommonMsg::MenuManual)}</a>
            </p>
            <section class="browsers" aria-labelledby="browsers-heading">
                <h2 id="browsers-heading">{t(AccountMsg::SupportedBrowsers)}</h2>
                <p>{t(AccountMsg::SupportedBrowsersText)}</p>
            </section>
        </Frame>
    }
}

#[component]
fn LoginFields(tenant: TenantView, error: Option<AppError>) -> impl IntoView {
    let [user_id, password, second_password] =
        server_messages(&error, [F::UserId, F::Password, F::SecondPassword]);
    view! {
        <input type="hidden" name="tenant" value=tenant.slug.clone()/>
        <CheckedField
            spec=FieldSpec::new(FieldMsg::UserId, "user_id", "text", "username")
            check=Check::UserId
            server_message=user_id
        />
        <CheckedField
            spec=FieldSpec::new(FieldMsg::Password, "password", "password", "current-password")
            check=Check::Required
            server_message=password
        />
        <CheckedField
            spec=FieldSpec::new(FieldMsg::SecondPassword, "second_password", "password", "off")
            check=Check::ServerOnly
            server_message=second_password
        />
        // The button before the notes: on a 390 × 844 phone it is on the first screen.
        <div class="actions">
            <button type="submit" class="primary">{t(AccountMsg::LoginButton)}</button>
        </div>
        <Notes tenant=tenant.clone()/>
    }
}
