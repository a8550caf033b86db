//! Changing the registered email address (manual 2.4a).

use crate::api::email::{email_change_link_state, ConfirmEmailChange, RequestEmailChange};
use crate::api::views::TenantView;
use crate::components::{refusal, server_messages, FieldPair, FormAlert, Frame, Pair, TenantGate};
use crate::components::{ConfirmLinkView, CurrentPasswordField, LinkPageTexts};
use crate::components::{Notes, NoticePage, StageGate};
use crate::error::Field as F;
use crate::i18n::{t, AccountMsg, CommonMsg, FieldMsg};
use crate::routes::Page;
use domain::Stage;
use leptos::prelude::*;

/// From the menu: the new address twice and the current second password.
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
    let error = refusal(action.value());
    view! {
        <Frame title=AccountMsg::ChangeEmailTitle tenant=tenant.clone() signed_in=true>
            <h1>{t(AccountMsg::ChangeEmailTitle)}</h1>
            <p class="lead">{t(AccountMsg::ChangeEmailLead)}</p>
            <FormAlert error=error.clone()/>
            <ActionForm action=action>
                <input type="hidden" name="tenant" value=tenant.slug.clone()/>
                <FieldPair
                    pair=Pair::Email
                    names=["new_email".into(), "new_email_confirmation".into()]
                    labels=[FieldMsg::NewEmail, FieldMsg::NewEmailConfirm]
                    server_messages=server_messages(&error, [F::Email, F::EmailConfirm])
                />
                <CurrentPasswordField error=error.clone()/>
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

#[component]
pub fn ChangeEmailSentPage() -> impl IntoView {
    view! {
        <NoticePage
            title=AccountMsg::ChangeEmailSentTitle
            body=AccountMsg::ChangeEmailSentBody
            next=(Page::Home, CommonMsg::BackToHome)
            signed_in=true
        />
    }
}

/// The page the email-change link opens; its button makes the change.
#[component]
pub fn ConfirmEmailChangePage() -> impl IntoView {
    view! { <TenantGate let:tenant><ConfirmEmailChangeView tenant/></TenantGate> }
}

#[component]
fn ConfirmEmailChangeView(tenant: TenantView) -> impl IntoView {
    let action = ServerAction::<ConfirmEmailChange>::new();
    let error = refusal(action.value());
    let texts = LinkPageTexts {
        title: AccountMsg::ConfirmEmailChangeTitle,
        lead: AccountMsg::ConfirmEmailChangeLead,
        button: AccountMsg::ConfirmEmailChangeButton,
        start_again: AccountMsg::StartAgainEmailChange,
    };
    let form = move |fields: AnyView| view! { <ActionForm action>{fields}</ActionForm> };
    view! { <ConfirmLinkView tenant texts inspect=email_change_link_state error form/> }
}

#[component]
pub fn EmailChangedPage() -> impl IntoView {
    view! {
        <NoticePage title=AccountMsg::EmailChangedTitle body=AccountMsg::EmailChangedBody next=(Page::Home, CommonMsg::OkButton)/>
    }
}
