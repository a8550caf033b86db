//! Blocks and pages that tell the student something: the university's notes, how a step
//! ended, and buttons that lead on.

use super::frame::Frame;
use super::gate::TenantGate;
use crate::api::views::TenantView;
use crate::i18n::{t, CommonMsg, Msg};
use crate::routes::Page;
use leptos::prelude::*;

/// The university's notes (`注意事項`) block, shown on every form of the manual.
#[component]
pub fn Notes(tenant: TenantView) -> impl IntoView {
    let lang = crate::i18n::use_lang();
    view! {
        <section class="notes" aria-labelledby="notes-heading">
            <h2 id="notes-heading">{t(CommonMsg::Notes)}</h2>
            <p>{tenant.notes(lang)}</p>
        </section>
    }
}

/// A button (not a link) back to the login page, as the manual's screens have.
#[component]
pub fn GoToLoginButton(slug: String) -> impl IntoView {
    view! { <ButtonLink href=Page::Login.href(&slug) label=CommonMsg::GoToLogin/> }
}

/// A page that tells the student how a step ended, with a button to go on (`next`: the page
/// and the button's label).
#[component]
pub fn NoticePage(
    #[prop(into)] title: Msg,
    #[prop(into)] body: Msg,
    #[prop(optional)] next: Option<(Page, CommonMsg)>,
    #[prop(optional)] signed_in: bool,
) -> impl IntoView {
    view! {
        <TenantGate let:tenant>
            <Frame title tenant=tenant.clone() signed_in>
                <h1>{t(title)}</h1>
                <p role="status" class="notice">{t(body)}</p>
                {next.map(|(page, label)| view! {
                    <ButtonLink href=page.href(&tenant.slug) label/>
                })}
            </Frame>
        </TenantGate>
    }
}

/// A button that leads to another page: a GET form, so it works without JavaScript.
#[component]
pub fn ButtonLink(href: String, #[prop(into)] label: Msg) -> impl IntoView {
    view! {
        <form method="get" action=href class="actions">
            <button type="submit" class="primary">{t(label)}</button>
        </form>
    }
}
