use super::Notes;
use crate::api::login::Login;
use crate::api::views::TenantView;
use crate::components::{Field, FormAlert, Frame, TenantGate};
use crate::domain::UserId;
use crate::error::Field as F;
use crate::i18n::{t, Msg};
use leptos::prelude::*;

/// `在学生ログイン` (manual 2.1–2.3): the page the university's homepage links to.
#[component]
pub fn LoginPage() -> impl IntoView {
    view! { <TenantGate let:tenant><LoginForm tenant/></TenantGate> }
}

#[component]
fn LoginForm(tenant: TenantView) -> impl IntoView {
    let action = ServerAction::<Login>::new();
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let field_error =
        move |field| Signal::derive(move || error.get().and_then(|e| e.field_message(field)));
    let user_id = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let second_password = RwSignal::new(String::new());
    let required = |value: RwSignal<String>| {
        Signal::derive(move || value.get().trim().is_empty().then_some(Msg::Required))
    };
    let forgot_href = format!("/{}/second-password/forgot", tenant.slug);
    let manual_href = format!("/{}/manual", tenant.slug);
    view! {
        <Frame title=Msg::LoginTitle tenant=tenant.clone()>
            <h1>{t(Msg::LoginTitle)}</h1>
            <p class="lead">{t(Msg::SecondPasswordFirstLoginHint)}</p>
            <FormAlert error/>
            <ActionForm action=action>
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
                    <button type="submit" class="primary" aria-busy=move || action.pending().get().to_string()>
                        {t(Msg::LoginButton)}
                    </button>
                </div>
            </ActionForm>
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
