//! Changing the second password (manual 2.4b) and resetting a forgotten one (2.4c).

use super::{use_token, ButtonLink, LinkGate, Notes, StageGate};
use crate::api::second_password::{
    reset_link_state, ChangeSecondPassword, RequestSecondPasswordReset, ResetSecondPassword,
};
use crate::api::views::{Stage, TenantView};
use crate::components::{Field, FormAlert, Frame, TenantGate};
use crate::domain::{passwords_match, EmailAddress, SecondPassword};
use crate::error::{AppError, Field as F};
use crate::i18n::{t, Msg};
use leptos::prelude::*;

/// The two fields of a new second password, checked as the server checks them.
#[component]
fn NewPasswordFields(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    let password = RwSignal::new(String::new());
    let confirmation = RwSignal::new(String::new());
    let field_error =
        move |field| Signal::derive(move || error.get().and_then(|e| e.field_message(field)));
    view! {
        <Field
            label=Msg::NewSecondPassword
            name="new_second_password"
            input_type="password"
            autocomplete="new-password"
            hint=Msg::SecondPasswordRule
            value=password
            check=Signal::derive(move || SecondPassword::parse(&password.get()).err())
            server_error=field_error(F::SecondPassword)
        />
        <Field
            label=Msg::NewSecondPasswordConfirm
            name="new_second_password_confirmation"
            input_type="password"
            autocomplete="new-password"
            value=confirmation
            check=Signal::derive(move || passwords_match(&password.get(), &confirmation.get()).err())
            server_error=field_error(F::SecondPasswordConfirm)
        />
    }
}

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
                <Field
                    label=Msg::CurrentSecondPassword
                    name="current_second_password"
                    input_type="password"
                    autocomplete="current-password"
                    value=current
                    check=Signal::derive(move || current.get().is_empty().then_some(Msg::Required))
                    server_error=Signal::derive(move || error.get().and_then(|e| e.field_message(F::CurrentSecondPassword)))
                />
                <NewPasswordFields error/>
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
        <TenantGate let:tenant>
            <Frame title=Msg::SecondPasswordChangedTitle tenant=tenant.clone() signed_in=true>
                <h1>{t(Msg::SecondPasswordChangedTitle)}</h1>
                <p role="status" class="notice">{t(Msg::SecondPasswordChangedBody)}</p>
                <ButtonLink href=format!("/{}/home", tenant.slug) label=Msg::OkButton/>
            </Frame>
        </TenantGate>
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
        <TenantGate let:tenant>
            <Frame title=Msg::ForgotSentTitle tenant=tenant.clone()>
                <h1>{t(Msg::ForgotSentTitle)}</h1>
                <p role="status" class="notice">{t(Msg::ForgotSentBody)}</p>
                <ButtonLink href=format!("/{}/login", tenant.slug) label=Msg::GoToLogin/>
            </Frame>
        </TenantGate>
    }
}

/// The page the reset link opens: the new second password's form.
#[component]
pub fn ResetSecondPasswordPage() -> impl IntoView {
    view! { <TenantGate let:tenant><ResetView tenant/></TenantGate> }
}

#[component]
fn ResetView(tenant: TenantView) -> impl IntoView {
    let token = use_token();
    let action = ServerAction::<ResetSecondPassword>::new();
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let gate_tenant = tenant.clone();
    let notes_tenant = tenant.clone();
    let slug = tenant.slug.clone();
    view! {
        <Frame title=Msg::ResetTitle tenant>
            <h1>{t(Msg::ResetTitle)}</h1>
            <LinkGate tenant=gate_tenant inspect=reset_link_state start_again=Msg::StartAgainReset>
                <p class="lead">{t(Msg::ResetLead)}</p>
                <FormAlert error/>
                <ActionForm action=action clone:slug clone:notes_tenant>
                    <input type="hidden" name="tenant" value=slug.clone()/>
                    <input type="hidden" name="token" value=token.get_untracked()/>
                    <NewPasswordFields error/>
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
        <TenantGate let:tenant>
            <Frame title=Msg::ResetDoneTitle tenant=tenant.clone()>
                <h1>{t(Msg::ResetDoneTitle)}</h1>
                <p role="status" class="notice">{t(Msg::ResetDoneBody)}</p>
                <ButtonLink href=format!("/{}/login", tenant.slug) label=Msg::OkButton/>
            </Frame>
        </TenantGate>
    }
}
