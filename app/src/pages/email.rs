use super::{GoToLoginButton, Notes, StageGate};
use crate::api::email::{check_email_fields, email_link_state, ConfirmEmail, RegisterEmail};
use crate::api::views::{LinkState, Stage, TenantView};
use crate::components::{Field, FormAlert, Frame, TenantGate};
use crate::domain::EmailAddress;
use crate::error::Field as F;
use crate::i18n::{t, Msg};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

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
    let query = use_query_map();
    let token = Memo::new(move |_| query.read().get("token").unwrap_or_default());
    let slug = tenant.slug.clone();
    let state = Resource::new(
        move || (slug.clone(), token.get()),
        |(slug, token)| email_link_state(slug, token),
    );
    let action = ServerAction::<ConfirmEmail>::new();
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let tenant_for_view = tenant.clone();
    view! {
        <Frame title=Msg::ConfirmEmailTitle tenant=tenant.clone()>
            <h1>{t(Msg::ConfirmEmailTitle)}</h1>
            <Suspense fallback=|| ()>
                {move || {
                    let tenant = tenant_for_view.clone();
                    Suspend::new(async move {
                        match state.await {
                            Ok(LinkState::Valid) => view! {
                                <p class="lead">{t(Msg::ConfirmEmailLead)}</p>
                                <FormAlert error/>
                                <ActionForm action=action>
                                    <input type="hidden" name="tenant" value=tenant.slug.clone()/>
                                    <input type="hidden" name="token" value=token.get_untracked()/>
                                    <div class="actions">
                                        <button type="submit" class="primary">{t(Msg::ConfirmEmailButton)}</button>
                                    </div>
                                </ActionForm>
                            }.into_any(),
                            Ok(other) => view! {
                                <LinkRefused reason=other.refusal().unwrap_or(Msg::LinkUnknown) slug=tenant.slug.clone()/>
                            }.into_any(),
                            Err(_) => view! { <p class="form-alert" role="alert">{t(Msg::InternalError)}</p> }.into_any(),
                        }
                    })
                }}
            </Suspense>
        </Frame>
    }
}

/// Why a one-time URL no longer works, and how to start again.
#[component]
pub fn LinkRefused(reason: Msg, slug: String) -> impl IntoView {
    view! {
        <p class="form-alert" role="alert">{t(reason)}</p>
        <p>{t(Msg::LinkStartAgain)}</p>
        <GoToLoginButton slug/>
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
