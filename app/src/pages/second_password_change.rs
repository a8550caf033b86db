//! Changing the second password (manual 2.4b) and resetting a forgotten one (2.4c).

use super::email_change::CurrentPasswordField;
use super::{LinkGate, Notes, NoticePage, StageGate};
use crate::api::second_password::{
    reset_link_state, ChangeSecondPassword, RequestSecondPasswordReset, ResetSecondPassword,
};
use crate::api::views::{Stage, TenantView};
use crate::components::{Field, FormAlert, Frame, NewPasswordPair, TenantGate};
use crate::domain::EmailAddress;
use crate::error::Field as F;
use crate::i18n::{t, Msg};
use leptos::prelude::*;

const NEW_PASSWORD_NAMES: [&str; 2] = ["new_second_password", "new_second_password_confirmation"];
const NEW_PASSWORD_LABELS: [Msg; 2] = [Msg::NewSecondPassword, Msg::NewSecondPasswordConfirm];

#[component]
pub fn ChangeSecondPasswordPage() -> impl IntoView {
    view! {
        <TenantGate let:tenant>
            <StageGate stage=Stage::SignedIn>
                <ChangeForm tenant=tenant.clone()/>
            </StageGate>
        </TenantGate>
    }
}

#[component]
fn ChangeForm(tenant: TenantView) -> impl IntoView {
    let action = ServerAction::<ChangeSecondPassword>::new();
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let current = RwSignal::new(String::new());
    view! {
        <Frame title=Msg::ChangeSecondPasswordTitle tenant=tenant.clone() signed_in=true>
            <h1>{t(Msg::ChangeSecondPasswordTitle)}</h1>
            <p class="lead">{t(Msg::ChangeSecondPasswordLead)}</p>
            <FormAlert error/>
            <ActionForm action=action>
                <input type="hidden" name="tenant" value=tenant.slug.clone()/>
                <CurrentPasswordField value=current error/>
                <NewPasswordPair names=NEW_PASSWORD_NAMES labels=NEW_PASSWORD_LABELS policy=tenant.password_policy error/>
                <Notes tenant=tenant.clone()/>
                <div class="actions">
                    <button type="submit" class="primary" aria-busy=move || action.pending().get().to_string()>
                        {t(Msg::ChangeButton)}
                    </button>
                </div>
            </ActionForm>
        </Frame>
    }
}

#[component]
pub fn SecondPasswordChangedPage() -> impl IntoView {
    view! {
        <NoticePage
            title=Msg::SecondPasswordChangedTitle
            body=Msg::SecondPasswordChangedBody
            next=("home", Msg::OkButton)
            signed_in=true
        />
    }
}

/// `第2パスワードを忘れた場合`, from the login page.
#[component]
pub fn ForgotSecondPasswordPage() -> impl IntoView {
    view! { <TenantGate let:tenant><ForgotForm tenant/></TenantGate> }
}

#[component]
fn ForgotForm(tenant: TenantView) -> impl IntoView {
    let action = ServerAction::<RequestSecondPasswordReset>::new();
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let email = RwSignal::new(String::new());
    view! {
        <Frame title=Msg::ForgotTitle tenant=tenant.clone()>
            <h1>{t(Msg::ForgotTitle)}</h1>
            <p class="lead">{t(Msg::ForgotLead)}</p>
            <FormAlert error/>
            <ActionForm action=action>
                <input type="hidden" name="tenant" value=tenant.slug.clone()/>
                <Field
                    label=Msg::Email
                    name="email"
                    input_type="email"
                    autocomplete="email"
                    value=email
                    check=Signal::derive(move || EmailAddress::parse(&email.get()).err())
                    server_error=Signal::derive(move || error.get().and_then(|e| e.field_message(F::Email)))
                />
                <Notes tenant=tenant.clone()/>
                <div class="actions">
                    <button type="submit" class="primary" aria-busy=move || action.pending().get().to_string()>
                        {t(Msg::SendButton)}
                    </button>
                </div>
            </ActionForm>
        </Frame>
    }
}

#[component]
pub fn ForgotSentPage() -> impl IntoView {
    view! {
        <NoticePage title=Msg::ForgotSentTitle body=Msg::ForgotSentBody next=("login", Msg::GoToLogin)/>
    }
}

/// The page the reset link opens: the new second password's form.
#[component]
pub fn ResetSecondPasswordPage() -> impl IntoView {
    view! { <TenantGate let:tenant><ResetView tenant/></TenantGate> }
}

#[component]
fn ResetView(tenant: TenantView) -> impl IntoView {
    let action = ServerAction::<ResetSecondPassword>::new();
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let gate_tenant = tenant.clone();
    let notes_tenant = tenant.clone();
    let slug = tenant.slug.clone();
    view! {
        <Frame title=Msg::ResetTitle tenant>
            <h1>{t(Msg::ResetTitle)}</h1>
            <LinkGate tenant=gate_tenant inspect=reset_link_state start_again=Msg::StartAgainReset let:token>
                <p class="lead">{t(Msg::ResetLead)}</p>
                <FormAlert error/>
                <ActionForm action=action clone:slug clone:notes_tenant>
                    <input type="hidden" name="tenant" value=slug.clone()/>
                    <input type="hidden" name="token" value=token.clone()/>
                    <NewPasswordPair names=NEW_PASSWORD_NAMES labels=NEW_PASSWORD_LABELS policy=notes_tenant.password_policy error/>
                    <Notes tenant=notes_tenant.clone()/>
                    <div class="actions">
                        <button type="submit" class="primary" aria-busy=move || action.pending().get().to_string()>
                            {t(Msg::ChangeButton)}
                        </button>
                    </div>
                </ActionForm>
            </LinkGate>
        </Frame>
    }
}

#[component]
pub fn ResetDonePage() -> impl IntoView {
    view! {
        <NoticePage title=Msg::ResetDoneTitle body=Msg::ResetDoneBody next=("login", Msg::OkButton)/>
    }
}
