use crate::api::home::home;
use crate::api::views::HomeView;
use crate::components::{use_tenant_slug, Frame, NotFoundView};
use crate::error::AppError;
use crate::i18n::{t, use_lang, AccountMsg, FieldMsg, Lang, Msg};
use crate::routes::Page;
use leptos::prelude::*;
use leptos_router::components::Redirect;

/// The signed-in student's home page.
#[component]
pub fn HomePage() -> impl IntoView {
    let slug = use_tenant_slug();
    let loaded = Resource::new(move || slug.get(), home);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match loaded.await {
                    Ok(view) => view! { <HomeContent view/> }.into_any(),
                    Err(AppError::NotFound) => view! { <NotFoundView/> }.into_any(),
                    Err(_) => {
                        view! { <Redirect path=Page::Login.href(&slug.get_untracked())/> }.into_any()
                    }
                }
            })}
        </Suspense>
    }
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
        </Frame>
    }
}
