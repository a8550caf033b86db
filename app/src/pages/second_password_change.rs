//! Changing the second password (manual 2.4b) and resetting a forgotten one (2.4c).

use crate::api::second_password::{
    reset_link_state, ChangeSecondPassword, RequestSecondPasswordReset, ResetSecondPassword,
};
use crate::api::views::TenantView;
use crate::components::{
    refusal, server_messages, Check, CheckedField, FieldPair, FieldSpec, FormAlert, Frame, Pair,
    TenantGate,
};
use crate::components::{
    CurrentPasswordField, LinkGate, Notes, NoticePage, StageGate, NEW_PASSWORD_FIELDS,
};
use crate::error::Field as F;
use crate::i18n::{t, AccountMsg, CommonMsg, FieldMsg};
use crate::routes::Page;
use domain::Stage;
use leptos::prelude::*;

fn new_password_names() -> [String; 2] {
    [
        "new_second_password".into(),
        "new_second_password_confirmation".into(),
    ]
}
const NEW_PASSWORD_LABELS: [FieldMsg; 2] = [
    FieldMsg::NewSecondPassword,
    FieldMsg::NewSecondPasswordConfirm,
];

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
    let error = refusal(action.value());
    view! {
        <Frame title=AccountMsg::ChangeSecondPasswordTitle tenant=tenant.clone() signed_in=true>
            <h1>{t(AccountMsg::ChangeSecondPasswordTitle)}</h1>
            <p class="lead">{t(AccountMsg::ChangeSecondPasswordLead)}</p>
            <FormAlert error=error.clone()/>
            <ActionForm action=action>
                <input type="hidden" name="tenant" value=tenant.slug.clone()/>
                <CurrentPasswordField error=error.clone()/>
                <FieldPair
                    names=new_password_names()
                    labels=NEW_PASSWORD_LABELS
                    pair=Pair::NewPassword(tenant.password_policy)
                    server_messages=server_messages(&error, NEW_PASSWORD_FIELDS)
                />
                <Notes tenant=tenant.clone()/>
                <div class="actions">
                    <button type="submit" class="primary">
                        {t(AccountMsg::ChangeButton)}
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
            title=AccountMsg::SecondPasswordChangedTitle
            body=AccountMsg::SecondPasswordChangedBody
            next=(Page::Home, CommonMsg::OkButton)
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
    let error = refusal(action.value());
    view! {
        <Frame title=AccountMsg::ForgotTitle tenant=tenant.clone()>
            <h1>{t(AccountMsg::ForgotTitle)}</h1>
            <p class="lead">{t(AccountMsg::ForgotLead)}</p>
            <FormAlert error=error.clone()/>
            <ActionForm action=action>
                <input type="hidden" name="tenant" value=tenant.slug.clone()/>
                <CheckedField
                    spec=FieldSpec::new(FieldMsg::Email, "email", "email", "email")
                    check=Check::Email
                    server_message=server_messages(&error, [F::Email])[0]
                />
                <Notes tenant=tenant.clone()/>
                <div class="actions">
                    <button type="submit" class="primary">
                        {t(AccountMsg::SendButton)}
                    </button>
                </div>
            </ActionForm>
        </Frame>
    }
}

#[component]
pub fn ForgotSentPage() -> impl IntoView {
    view! {
        <NoticePage title=AccountMsg::ForgotSentTitle body=AccountMsg::ForgotSentBody next=(Page::Login, CommonMsg::GoToLogin)/>
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
    let error = refusal(action.value());
    let gate_tenant = tenant.clone();
    let notes_tenant = tenant.clone();
    let slug = tenant.slug.clone();
    view! {
        <Frame title=AccountMsg::ResetTitle tenant>
            <h1>{t(AccountMsg::ResetTitle)}</h1>
            <LinkGate tenant=gate_tenant inspect=reset_link_state start_again=AccountMsg::StartAgainReset let:token>
                <p class="lead">{t(AccountMsg::ResetLead)}</p>
                <FormAlert error=error.clone()/>
                <ActionForm action=action clone:slug clone:notes_tenant clone:error>
                    <input type="hidden" name="tenant" value=slug.clone()/>
                    <input type="hidden" name="token" value=token.clone()/>
                    <FieldPair
                        names=new_password_names()
                        labels=NEW_PASSWORD_LABELS
                        pair=Pair::NewPassword(notes_tenant.password_policy)
                        server_messages=server_messages(&error, NEW_PASSWORD_FIELDS)
                    />
                    <Notes tenant=notes_tenant.clone()/>
                    <div class="actions">
                        <button type="submit" class="primary">
                            {t(AccountMsg::ChangeButton)}
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
        <NoticePage title=AccountMsg::ResetDoneTitle body=AccountMsg::ResetDoneBody next=(Page::Login, CommonMsg::OkButton)/>
    }
}
