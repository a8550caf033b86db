use super::Notes;
use crate::api::login::{login_framed, Login};
use crate::api::views::TenantView;
use crate::components::{Field, FormAlert, Frame, TenantGate};
use crate::domain::UserId;
use crate::error::{AppError, Field as F};
use crate::i18n::{t, Msg};
use leptos::prelude::*;

/// `在学生ログイン` (manual 2.1–2.3): the page the university's homepage links to.
#[component]
pub fn LoginPage() -> impl IntoView {
    view! { <TenantGate let:tenant><LoginForm tenant/></TenantGate> }
}

const LOGIN_URL: &str = <Login as leptos::server_fn::ServerFn>::PATH;

#[component]
fn LoginForm(tenant: TenantView) -> impl IntoView {
    let action = ServerAction::<Login>::new();
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let framed = Resource::new(|| (), |_| login_framed());
    let forgot_href = format!("/{}/second-password/forgot", tenant.slug);
    let manual_href = format!("/{}/manual", tenant.slug);
    let login_href = format!("/{}/login", tenant.slug);
    let form_tenant = tenant.clone();
    view! {
        <Frame title=Msg::LoginTitle tenant=tenant.clone()>
            <h1>{t(Msg::LoginTitle)}</h1>
            <p class="lead">{t(Msg::SecondPasswordFirstLoginHint)}</p>
            <FormAlert error/>
            <Suspense fallback=|| ()>
                {move || {
                    let tenant = form_tenant.clone();
                    let login_href = login_href.clone();
                    Suspend::new(async move {
                        if framed.await.unwrap_or(false) {
                            // Inside the portal's frame the session cookie would be a
                            // third-party cookie, which browsers refuse: the form leaves the
                            // frame and the student goes on in the whole window.
                            view! {
                                <p class="notice">
                                    {t(Msg::FramedLoginHint)}" "
                                    <a href=login_href target="_blank" rel="noopener">{t(Msg::OpenInNewTab)}</a>
                                </p>
                                <form method="post" action=LOGIN_URL target="_top">
                                    <LoginFields tenant error pending=Signal::stored(false)/>
                                </form>
                            }
                            .into_any()
                        } else {
                            view! {
                                <ActionForm action=action>
                                    <LoginFields tenant error pending=action.pending().into()/>
                                </ActionForm>
                            }
                            .into_any()
                        }
                    })
                }}
            </Suspense>
            <p class="secondary-links">
                <a href=forgot_href>{t(Msg::ForgotSecondPassword)}</a>
                <a href=manual_href>{t(Msg::MenuManual)}</a>
            </p>
            <section class="browsers" aria-labelledby="browsers-heading">
                <h2 id="browsers-heading">{t(Msg::SupportedBrowsers)}</h2>
                <p>{t(Msg::SupportedBrowsersText)}</p>
            </section>
        </Frame>
    }
}

#[component]
fn LoginFields(
    tenant: TenantView,
    error: Signal<Option<AppError>>,
    pending: Signal<bool>,
) -> impl IntoView {
    let field_error =
        move |field| Signal::derive(move || error.get().and_then(|e| e.field_message(field)));
    let user_id = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let second_password = RwSignal::new(String::new());
    let required = |value: RwSignal<String>| {
        Signal::derive(move || value.get().trim().is_empty().then_some(Msg::Required))
    };
    view! {
        <input type="hidden" name="tenant" value=tenant.slug.clone()/>
        <Field
            label=Msg::UserId
            name="user_id"
            autocomplete="username"
            value=user_id
            check=Signal::derive(move || UserId::parse(&user_id.get()).err())
            server_error=field_error(F::UserId)
        />
        <Field
            label=Msg::Password
            name="password"
            input_type="password"
            autocomplete="current-password"
            value=password
            check=required(password)
            server_error=field_error(F::Password)
        />
        <Field
            label=Msg::SecondPassword
            name="second_password"
            input_type="password"
            autocomplete="off"
            value=second_password
            check=Signal::derive(|| None)
            server_error=field_error(F::SecondPassword)
        />
        <Notes tenant=tenant.clone()/>
        <div class="actions">
            <button type="submit" class="primary" aria-busy=move || pending.get().to_string()>
                {t(Msg::LoginButton)}
            </button>
        </div>
    }
}
