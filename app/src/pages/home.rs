use crate::api::home::home;
use crate::api::views::HomeView;
use crate::components::{signed_in_page, use_tenant_slug, Frame};
use crate::i18n::{t, use_lang, AccountMsg, CertificateMsg, FieldMsg, Lang, Msg, WalletMsg};
use crate::routes::Page;
use leptos::prelude::*;

/// The signed-in student's home page.
#[component]
pub fn HomePage() -> impl IntoView {
    let slug = use_tenant_slug();
    let loaded = Resource::new(move || slug.get(), home);
    signed_in_page(slug, loaded, |view| view! { <HomeContent view/> })
}

#[component]
fn HomeContent(view: HomeView) -> impl IntoView {
    let lang = use_lang();
    let name = match lang {
        Lang::En => view.name_en.clone().unwrap_or_else(|| view.name.clone()),
        Lang::Ja => view.name.clone(),
    };
    let affiliation = [view.faculty.clone(), view.department.clone()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let row = |label: Msg, value: Option<String>| {
        value.filter(|v| !v.is_empty()).map(|value| {
            view! {
                <div class="profile-row">
                    <dt>{t(label)}</dt>
                    <dd>{value}</dd>
                </div>
            }
        })
    };
    view! {
        <Frame title=AccountMsg::HomeTitle tenant=view.tenant.clone() signed_in=true>
            <h1>{format!("{} {}", t(AccountMsg::Welcome), name)}</h1>
            <section aria-labelledby="profile-heading">
                <h2 id="profile-heading">{t(AccountMsg::ProfileHeading)}</h2>
                <dl class="profile">
                    {row(FieldMsg::UserId.into(), Some(view.user_id.clone()))}
                    {row(AccountMsg::ProfileName.into(), Some(name.clone()))}
                    {row(AccountMsg::ProfileStudentNumber.into(), view.student_number.clone())}
                    {row(AccountMsg::ProfileAffiliation.into(), Some(affiliation))}
                    {row(AccountMsg::ProfileStatus.into(), Some(view.status.msg().text(lang).to_owned()))}
                    {row(AccountMsg::ProfileEmail.into(), view.email.clone())}
                </dl>
            </section>
            <section aria-labelledby="functions-heading">
                <h2 id="functions-heading">{t(WalletMsg::HomeFunctions)}</h2>
                <ul class="functions">
                    <li>
                        <a href=Page::Certificates.href(&view.tenant.slug)>{t(CertificateMsg::ApplyTitle)}</a>
                    </li>
                    <li>
                        <a href=Page::Card.href(&view.tenant.slug)>
                            {WalletMsg::TopUpTitle.text(lang).replace("{card}", view.tenant.card_name(lang))}
                        </a>
                    </li>
                    <li>
                        <a href=Page::CardHistory.href(&view.tenant.slug)>{t(WalletMsg::HistoryTitle)}</a>
                    </li>
                    <li>
                        <a href=Page::CertificatesHistory.href(&view.tenant.slug)>{t(CertificateMsg::HistoryTitle)}</a>
                    </li>
                </ul>
            </section>
        </Frame>
    }
}
