use super::{use_token, ButtonLink, LinkGate, Notes, StageGate};
use crate::api::email::{
    check_email_fields, email_change_link_state, ConfirmEmailChange, RequestEmailChange,
};
use crate::api::views::{Stage, TenantView};
use crate::components::{Field, FormAlert, Frame, TenantGate};
use crate::domain::EmailAddress;
use crate::error::Field as F;
use crate::i18n::{t, Msg};
use leptos::prelude::*;

/// Email change (manual 2.4a), from the menu.
#[component]
pub fn ChangeEmailPage() -> impl IntoView {
    view! {
        <TenantGate let:tenant>
            <StageGate stage=Stage::SignedIn>
                <ChangeEmailForm tenant=tenant.clone()/>
            </StageGate>
        </TenantGate>
    }
}

#[component]
fn ChangeEmailForm(tenant: TenantView) -> impl IntoView {
    let action = ServerAction::<RequestEmailChange>::new();
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let field_error =
        move |field| Signal::derive(move || error.get().and_then(|e| e.field_message(field)));
    let email = RwSignal::new(String::new());
    let confirmation = RwSignal::new(String::new());
    let current = RwSignal::new(String::new());
    view! {
        <Frame title=Msg::ChangeEmailTitle tenant=tenant.clone() signed_in=true>
            <h1>{t(Msg::ChangeEmailTitle)}</h1>
            <p class="lead">{t(Msg::ChangeEmailLead)}</p>
            <FormAlert error/>
            <ActionForm action=action>
                <input type="hidden" name="tenant" value=tenant.slug.clone()/>
                <Field
                    label=Msg::NewEmail
                    name="new_email"
                    input_type="email"
                    autocomplete="email"
                    value=email
                    check=Signal::derive(move || EmailAddress::parse(&email.get()).err())
                    server_error=field_error(F::Email)
                />
                <Field
                    label=Msg::NewEmailConfirm
                    name="new_email_confirmation"
                    input_type="email"
                    autocomplete="email"
                    value=confirmation
                    check=Signal::derive(move || {
                        check_email_fields(&email.get(), &confirmation.get())
                            .err()
                            .and_then(|e| e.field_message(F::EmailConfirm))
                    })
                    server_error=field_error(F::EmailConfirm)
                />
                <Field
                    label=Msg::CurrentSecondPassword
                    name="current_second_password"
                    input_type="password"
                    autocomplete="current-password"
                    value=current
                    check=Signal::derive(move || current.get().is_empty().then_some(Msg::Required))
                    server_error=field_error(F::CurrentSecondPassword)
                />
                <Notes tenant=tenant.clone()/>
                <div class="actions">
                    <button type="submit" class="primary" aria-busy=move || action.pending().get().to_string()>
                        {t(Msg::ConfirmButton)}
                    </button>
                </div>
            </ActionForm>
        </Frame>
    }
}

#[component]
pub fn ChangeEmailSentPage() -> impl IntoView {
    view! {
        <TenantGate let:tenant>
            <Frame title=Msg::ChangeEmailSentTitle tenant=tenant.clone() signed_in=true>
                <h1>{t(Msg::ChangeEmailSentTitle)}</h1>
                <p role="status" class="notice">{t(Msg::ChangeEmailSentBody)}</p>
                <ButtonLink href=format!("/{}/home", tenant.slug) label=Msg::BackToHome/>
            </Frame>
        </TenantGate>
    }
}

/// The page the email-change link opens; its button makes the change.
#[component]
pub fn ConfirmEmailChangePage() -> impl IntoView {
    view! { <TenantGate let:tenant><ConfirmEmailChangeView tenant/></TenantGate> }
}

#[component]
fn ConfirmEmailChangeView(tenant: TenantView) -> impl IntoView {
    let token = use_token();
    let action = ServerAction::<ConfirmEmailChange>::new();
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let slug = tenant.slug.clone();
    let gate_tenant = tenant.clone();
    view! {
        <Frame title=Msg::ConfirmEmailChangeTitle tenant>
            <h1>{t(Msg::ConfirmEmailChangeTitle)}</h1>
            <LinkGate tenant=gate_tenant inspect=email_change_link_state start_again=Msg::StartAgainEmailChange>
                <p class="lead">{t(Msg::ConfirmEmailChangeLead)}</p>
                <FormAlert error/>
                <ActionForm action=action clone:slug>
                    <input type="hidden" name="tenant" value=slug.clone()/>
                    <input type="hidden" name="token" value=token.get_untracked()/>
                    <div class="actions">
                        <button type="submit" class="primary">{t(Msg::ConfirmEmailChangeButton)}</button>
                    </div>
                </ActionForm>
            </LinkGate>
        </Frame>
    }
}

#[component]
pub fn EmailChangedPage() -> impl IntoView {
    view! {
        <TenantGate let:tenant>
            <Frame title=Msg::EmailChangedTitle tenant=tenant.clone()>
                <h1>{t(Msg::EmailChangedTitle)}</h1>
                <p role="status" class="notice">{t(Msg::EmailChangedBody)}</p>
                <ButtonLink href=format!("/{}/home", tenant.slug) label=Msg::OkButton/>
            </Frame>
        </TenantGate>
    }
}
