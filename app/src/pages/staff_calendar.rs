//! `/{tenant}/staff/calendar`: the office's closure days from today on. Every member reads
//! them; an admin adds a day with its reason or removes one. Plain forms, posted natively.

use crate::api::staff_calendar::{staff_calendar, CalendarView, CloseDay, ReopenDay};
use crate::components::{refusal, staff_page, use_tenant_slug, FormAlert, Frame};
use crate::i18n::{t, use_lang, CertificateMsg, StaffMsg};
use crate::routes::Page;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn StaffCalendarPage() -> impl IntoView {
    let slug = use_tenant_slug();
    let loaded = Resource::new(move || slug.get(), staff_calendar);
    staff_page(slug, loaded, |view| view! { <CalendarContent view/> })
}

#[component]
fn CalendarContent(view: CalendarView) -> impl IntoView {
    let lang = use_lang();
    let done = use_query_map().with_untracked(|q| q.get("done"));
    let done = match done.as_deref() {
        Some("closed") => Some(CertificateMsg::ClosureAdded),
        Some("reopened") => Some(CertificateMsg::ClosureRemoved),
        _ => None,
    };
    let close = ServerAction::<CloseDay>::new();
    let reopen = ServerAction::<ReopenDay>::new();
    let close_error = refusal(close.value());
    let reopen_error = refusal(reopen.value());
    let slug = view.tenant.slug.clone();
    let editable = view.editable;
    let empty = view.days.is_empty();
    let row_slug = slug.clone();
    let days = view
        .days
        .into_iter()
        .map(move |closure| {
            let slug = row_slug.clone();
            let day = closure.day.clone();
            let remove = editable.then(move || {
                let label = format!("{} {day}", t(CertificateMsg::ReopenDayButton));
                view! {
                    <ActionForm action=reopen attr:class="inline-form">
                        <input type="hidden" name="tenant" value=slug/>
                        <input type="hidden" name="day" value=day/>
                        <button type="submit" class="secondary" aria-label=label>
                            {t(CertificateMsg::ReopenDayButton)}
                        </button>
                    </ActionForm>
                }
            });
            view! {
                <li>
                    <time datetime=closure.day.clone()>{closure.day.clone()}</time>
                    " "{closure.note.clone()}
                    {remove}
                </li>
            }
        })
        .collect_view();
    let list = if empty {
        view! { <p>{t(CertificateMsg::CalendarEmpty)}</p> }.into_any()
    } else {
        view! { <ul class="closure-days" aria-labelledby="calendar-heading">{days}</ul> }.into_any()
    };
    let add_slug = slug.clone();
    let add = editable.then(move || {
        view! {
            <ActionForm action=close>
                <input type="hidden" name="tenant" value=add_slug/>
                <div class="field">
                    <label for="closure-day">{t(CertificateMsg::ClosureDayLabel)}</label>
                    <input id="closure-day" name="day" type="date" required=true min=view.today.clone()/>
                </div>
                <div class="field">
                    <label for="closure-note">{t(CertificateMsg::ClosureNoteLabel)}</label>
                    <input id="closure-note" name="note" type="text" maxlength="100"/>
                </div>
                <div class="actions">
                    <button type="submit">{t(CertificateMsg::CloseDayButton)}</button>
                </div>
            </ActionForm>
        }
    });
    view! {
        <Frame title=CertificateMsg::CalendarTitle tenant=view.tenant.clone()>
            <h1>{t(CertificateMsg::CalendarTitle)}</h1>
            {done.map(|msg| view! { <p class="notice" role="status">{msg.text(lang)}</p> })}
            <FormAlert error=close_error.clone()/>
            <FormAlert error=reopen_error.clone()/>
            <p>{t(CertificateMsg::CalendarLead)}</p>
            <h2 id="calendar-heading">{t(CertificateMsg::CalendarTitle)}</h2>
            {list}
            {add}
            <p class="secondary-links">
                <a href=Page::StaffHome.href(&slug)>{t(StaffMsg::HomeTitle)}</a>
            </p>
        </Frame>
    }
}
