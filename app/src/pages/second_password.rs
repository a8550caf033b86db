use super::{GoToLoginButton, Notes, StageGate};
use crate::api::second_password::SetupSecondPassword;
use crate::api::views::{Stage, TenantView};
use crate::components::{Field, FormAlert, Frame, TenantGate};
use crate::domain::{passwords_match, SecondPassword};
use crate::error::Field as F;
use crate::i18n::{t, Msg};
use leptos::prelude::*;

/// First login, step 2 (manual 2.2): the second-password setup screen.
#[component]
pub fn SetupSecondPasswordPage() -> impl IntoView {
    view! {
        <TenantGate let:tenant>
            <StageGate stage=Stage::NeedsSecondPassword>
                <SetupForm tenant=tenant.clone()/>
            </StageGate>
        </TenantGate>
    }
}

#[component]
fn SetupForm(tenant: TenantView) -> impl IntoView {
    let action = ServerAction::<SetupSecondPassword>::new();
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let field_error =
        move |field| Signal::derive(move || error.get().and_then(|e| e.field_message(field)));
    let password = RwSignal::new(String::new());
    let confirmation = RwSignal::new(String::new());
    view! {
        <Frame title=Msg::SetupSecondPasswordTitle tenant=tenant.clone()>
            <h1>{t(Msg::SetupSecondPasswordTitle)}</h1>
            <p class="lead">{t(Msg::SetupSecondPasswordLead)}</p>
            <FormAlert error/>
            <ActionForm action=action>
                <input type="hidden" name="tenant" value=tenant.slug.clone()/>
                <Field
                    label=Msg::SecondPassword
                    name="second_password"
                    input_type="password"
                    autocomplete="new-password"
                    hint=Msg::SecondPasswordRule
                    value=password
                    check=Signal::derive(move || SecondPassword::parse(&password.get()).err())
                    server_error=field_error(F::SecondPassword)
                />
                <Field
                    label=Msg::SecondPasswordConfirm
                    name="second_password_confirmation"
                    input_type="password"
                    autocomplete="new-password"
                    value=confirmation
                    check=Signal::derive(move || passwords_match(&password.get(), &confirmation.get()).err())
                    server_error=field_error(F::SecondPasswordConfirm)
                />
                <Notes tenant=tenant.clone()/>
                <div class="actions">
                    <button type="submit" class="primary" aria-busy=move || action.pending().get().to_string()>
                        {t(Msg::SetButton)}
                    </button>
                </div>
            </ActionForm>
        </Frame>
    }
}

#[component]
pub fn SecondPasswordDonePage() -> impl IntoView {
    view! {
        <TenantGate let:tenant>
            <Frame title=Msg::SecondPasswordDoneTitle tenant=tenant.clone()>
                <h1>{t(Msg::SecondPasswordDoneTitle)}</h1>
                <p role="status" class="notice">{t(Msg::SecondPasswordDoneBody)}</p>
                <GoToLoginButton slug=tenant.slug.clone()/>
            </Frame>
        </TenantGate>
    }
}
