//! Registering the email address at first login (manual 2.1).

use crate::api::email::{email_link_state, ConfirmEmail, RegisterEmail};
use crate::api::views::TenantView;
use crate::components::{refusal, server_messages, FieldPair, FormAlert, Frame, Pair, TenantGate};
use crate::components::{ConfirmLinkView, LinkPageTexts, Notes, NoticePage, StageGate};
use crate::error::Field as F;
use crate::i18n::{t, AccountMsg, CommonMsg, FieldMsg};
use crate::routes::Page;
use domain::Stage;
use leptos::prelude::*;

/// The email registration screen.
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
    let error = refusal(action.value());
    view! {
        <Frame title=AccountMsg::RegisterEmailTitle tenant=tenant.clone()>
            <h1>{t(AccountMsg::RegisterEmailTitle)}</h1>
            <p class="lead">{t(AccountMsg::RegisterEmailLead)}</p>
            <FormAlert error=error.clone()/>
            <ActionForm action=action>
                <input type="hidden" name="tenant" value=tenant.slug.clone()/>
                <FieldPair
                    pair=Pair::Email
                    names=["email".into(), "email_confirmation".into()]
                    labels=[FieldMsg::Email, FieldMsg::EmailConfirm]
                    server_messages=server_messages(&error, [F::Email, F::EmailConfirm])
                />
                <Notes tenant=tenant.clone()/>
                <div class="actions">
                    <button type="submit" class="primary">
                        {t(AccountMsg::ConfirmButton)}
                    </button>
                </div>
            </ActionForm>
        </Frame>
    }
}

/// Shown after the registration form: the mail is on its way.
#[component]
pub fn EmailSentPage() -> impl IntoView {
    view! { <NoticePage title=AccountMsg::EmailSentTitle body=AccountMsg::EmailSentBody/> }
}

/// The page the one-time URL opens. Opening it changes nothing; its button does.
#[component]
pub fn ConfirmEmailPage() -> impl IntoView {
    view! { <TenantGate let:tenant><ConfirmEmailView tenant/></TenantGate> }
}

#[component]
fn ConfirmEmailView(tenant: TenantView) -> impl IntoView {
    let action = ServerAction::<ConfirmEmail>::new();
    let error = refusal(action.value());
    let texts = LinkPageTexts {
        title: AccountMsg::ConfirmEmailTitle,
        lead: AccountMsg::ConfirmEmailLead,
        button: AccountMsg::ConfirmEmailButton,
        start_again: AccountMsg::LinkStartAgain,
    };
    let form = move |fields: AnyView| view! { <ActionForm action>{fields}</ActionForm> };
    view! { <ConfirmLinkView tenant texts inspect=email_link_state error form/> }
}

/// `メールアドレス設定完了`.
#[component]
pub fn EmailDonePage() -> impl IntoView {
    view! {
        <NoticePage title=AccountMsg::EmailDoneTitle body=AccountMsg::EmailDoneBody next=(Page::Login, CommonMsg::GoToLogin)/>
    }
}
