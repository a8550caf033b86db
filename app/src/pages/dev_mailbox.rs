use crate::api::dev_mailbox::dev_mailbox;
use crate::components::{Frame, NotFoundView};
use crate::error::AppError;
use crate::i18n::{t, CommonMsg};
use leptos::prelude::*;

/// Outgoing mail, shown instead of sent while no SMTP server is configured, so every flow
/// can be walked on one machine.
#[component]
pub fn DevMailboxPage() -> impl IntoView {
    let mails = Resource::new(|| (), |_| dev_mailbox());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match mails.await {
                    Err(AppError::NotFound) => view! { <NotFoundView/> }.into_any(),
                    Err(_) => view! { <Frame title=CommonMsg::DevMailboxTitle><p role="alert">{t(CommonMsg::InternalError)}</p></Frame> }.into_any(),
                    Ok(mails) => view! {
                        <Frame title=CommonMsg::DevMailboxTitle>
                            <h1>{t(CommonMsg::DevMailboxTitle)}</h1>
                            <p class="lead">{t(CommonMsg::DevMailboxLead)}</p>
                            {mails.is_empty().then(|| view! { <p>{t(CommonMsg::DevMailboxEmpty)}</p> })}
                            <ol class="mailbox">
                                {mails.into_iter().map(|mail| view! {
                                    <li class="mail">
                                        <dl>
                                            <dt>{t(CommonMsg::MailTo)}</dt><dd>{mail.to}</dd>
                                            <dt>{t(CommonMsg::MailSubject)}</dt><dd>{mail.subject}</dd>
                                            <dt>{t(CommonMsg::MailCreatedAt)}</dt><dd>{mail.created_at}</dd>
                                        </dl>
                                        <MailBody text=mail.body_text/>
                                    </li>
                                }).collect_view()}
                            </ol>
                        </Frame>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The mail's text, with its links clickable.
#[component]
fn MailBody(text: String) -> impl IntoView {
    let lines = text
        .lines()
        .map(|line| {
            let line = line.to_owned();
            if line.starts_with("http://") || line.starts_with("https://") {
                view! { <a href=line.clone()>{line.clone()}</a><br/> }.into_any()
            } else {
                view! { {line}<br/> }.into_any()
            }
        })
        .collect_view();
    view! { <p class="mail-body">{lines}</p> }
}
