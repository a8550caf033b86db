//! Setting the second password at first login (manual 2.2).

use crate::api::second_password::SetupSecondPassword;
use crate::api::views::TenantView;
use crate::components::{refusal, server_messages, FieldPair, FormAlert, Frame, Pair, TenantGate};
use crate::components::{Notes, NoticePage, StageGate, NEW_PASSWORD_FIELDS};
use crate::i18n::{t, AccountMsg, CommonMsg, FieldMsg};
use crate::routes::Page;
use domain::Stage;
use leptos::prelude::*;

/// The second-password setup screen.
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
    let error = refusal(action.value());
    view! {
        <Frame title=AccountMsg::SetupSecondPasswordTitle tenant=tenant.clone()>
            <h1>{t(AccountMsg::SetupSecondPasswordTitle)}</h1>
            <p class="lead">{t(AccountMsg::SetupSecondPasswordLead)}</p>
            <FormAlert error=error.clone()/>
            <ActionForm action=action>
                <input type="hidden" name="tenant" value=tenant.slug.clone()/>
                <FieldPair
                    names=["second_password".into(), "second_password_confirmation".into()]
                    labels=[FieldMsg::SecondPassword, FieldMsg::SecondPasswordConfirm]
                    pair=Pair::NewPassword(tenant.password_policy)
                    server_messages=server_messages(&error, NEW_PASSWORD_FIELDS)
                />
                <Notes tenant=tenant.clone()/>
                <div class="actions">
                    <button type="submit" class="primary">
                        {t(AccountMsg::SetButton)}
                    </button>
                </div>
            </ActionForm>
        </Frame>
    }
}

#[component]
pub fn SecondPasswordDonePage() -> impl IntoView {
    view! {
        <NoticePage
            title=AccountMsg::SecondPasswordDoneTitle
            body=AccountMsg::SecondPasswordDoneBody
            next=(Page::Login, CommonMsg::GoToLogin)
        />
    }
}
