use super::{use_token, GoToLoginButton, LinkGate, Notes, StageGate};
use crate::api::email::{check_email_fields, email_link_state, ConfirmEmail, RegisterEmail};
use crate::api::views::{Stage, TenantView};
use crate::components::{Field, FormAlert, Frame, TenantGate};
use crate::domain::EmailAddress;
use crate::error::Field as F;
use crate::i18n::{t, Msg};
use leptos::prelude::*;

/// First login, step 1 (manual 2.1): the email registration screen.
#[component]
pub fn RegisterEmailPage() -> impl IntoView {
    view! {
        <TenantGate let:tenant>
            <StageGate stage=Stage::NeedsEmail>
                <RegisterEmailForm tenant=tenant.clone()/>
            </StageGate>
        </TenantGate>
    }
}

#[component]
fn RegisterEmailForm(tenant: TenantView) -> impl IntoView {
    let action = ServerAction::<RegisterEmail>::new();
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let field_error =
        move |field| Signal::derive(move || error.get().and_then(|e| e.field_message(field)));
    let email = RwSignal::new(String::new());
    let confirmation = RwSignal::new(String::new());
    view! {
        <Frame title=Msg::RegisterEmailTitle tenant=tenant.clone()>
            <h1>{t(Msg::RegisterEmailTitle)}</h1>
            <p class="lead">{t(Msg::RegisterEmailLead)}</p>
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
                    server_error=field_error(F::Email)
                />
                <Field
                    label=Msg::EmailConfirm
                    name="email_confirmation"
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

/// Shown after the registration form: the mail is on its way.
#[component]
pub fn EmailSentPage() -> impl IntoView {
    view! {
        <TenantGate let:tenant>
            <Frame title=Msg::EmailSentTitle tenant=tenant>
                <h1>{t(Msg::EmailSentTitle)}</h1>
                <p role="status" class="notice">{t(Msg::EmailSentBody)}</p>
            </Frame>
        </TenantGate>
    }
}

/// The page the one-time URL opens. Opening it changes nothing; its button does.
#[component]
pub fn ConfirmEmailPage() -> impl IntoView {
    view! { <TenantGate let:tenant><ConfirmEmailView tenant/></TenantGate> }
}

#[component]
fn ConfirmEmailView(tenant: TenantView) -> impl IntoView {
    let token = use_token();
    let action = ServerAction::<ConfirmEmail>::new();
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let slug = tenant.slug.clone();
    let gate_tenant = tenant.clone();
    view! {
        <Frame title=Msg::ConfirmEmailTitle tenant>
            <h1>{t(Msg::ConfirmEmailTitle)}</h1>
            <LinkGate tenant=gate_tenant inspect=email_link_state start_again=Msg::LinkStartAgain>
                <p class="lead">{t(Msg::ConfirmEmailLead)}</p>
                <FormAlert error/>
                <ActionForm action=action clone:slug>
                    <input type="hidden" name="tenant" value=slug.clone()/>
                    <input type="hidden" name="token" value=token.get_untracked()/>
                    <div class="actions">
                        <button type="submit" class="primary">{t(Msg::ConfirmEmailButton)}</button>
                    </div>
                </ActionForm>
            </LinkGate>
        </Frame>
    }
}

/// `メールアドレス設定完了`.
#[component]
pub fn EmailDonePage() -> impl IntoView {
    view! {
        <TenantGate let:tenant>
            <Frame title=Msg::EmailDoneTitle tenant=tenant.clone()>
                <h1>{t(Msg::EmailDoneTitle)}</h1>
                <p role="status" class="notice">{t(Msg::EmailDoneBody)}</p>
                <GoToLoginButton slug=tenant.slug.clone()/>
            </Frame>
        </TenantGate>
    }
}
