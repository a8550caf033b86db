//! The staff console's certificate applications: `/{tenant}/staff/applications` (the queue,
//! oldest first, filtered by status, certificate, delivery, date and student) and
//! `/{tenant}/staff/application?no=…` (one application with its student, its history and the
//! actions this member may take on it now). Plain forms, posted natively.

use crate::api::certificates::{by_lang, ApplicationView, LineView};
use crate::api::staff_applications::{
    staff_application, staff_applications, IssuedCertificateView, QueueQuery, QueueView,
    RevokeCertificate, StaffApplicationAction, StaffApplicationView,
};
use crate::components::{
    query_encoded, refusal, scroll_table, server_messages, staff_page, use_tenant_slug, yen,
    Column, FormAlert, Frame, RegionName,
};
use crate::error::Field;
use crate::i18n::{t, use_lang, CertificateMsg, FieldMsg, Lang, StaffMsg};
use crate::routes::{certificate_pdf_href, Page, STAFF_APPLICATIONS_CSV, STAFF_CERTIFICATE_PDF};
use domain::{ApplicationStatus, RevocationReason};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// One line of an application: `成績証明書（英文）×1`.
fn line_text(line: &LineView, lang: Lang) -> String {
    let language = CertificateMsg::language(line.lang).text(lang);
    format!("{}（{language}）×{}", line.name(lang), line.copies)
}

/// The certificates of an application on one line.
fn contents(application: &ApplicationView, lang: Lang) -> String {
    application
        .lines
        .iter()
        .map(|line| line_text(line, lang))
        .collect::<Vec<_>>()
        .join(if lang == Lang::Ja { "、" } else { "; " })
}

#[component]
pub fn StaffApplicationsPage() -> impl IntoView {
    let slug = use_tenant_slug();
    let query = use_query_map();
    let loaded = Resource::new(
        move || {
            query.with(|q| {
                let text = |name| q.get(name).unwrap_or_default();
                let filter = QueueQuery {
                    status: text("status"),
                    certificate: text("certificate"),
                    delivery: text("delivery"),
                    from: text("from"),
                    until: text("until"),
                    student: text("student"),
                };
                (slug.get(), filter)
            })
        },
        |(slug, filter)| staff_applications(slug, filter),
    );
    staff_page(slug, loaded, |view| view! { <QueueContent view/> })
}

/// A `<select>` of the filter: any, or one of `choices` (value, label).
fn choice_field(
    id: &'static str,
    label: CertificateMsg,
    chosen: &str,
    choices: Vec<(String, String)>,
) -> impl IntoView {
    let options = choices
        .into_iter()
        .map(|(value, label)| {
            let selected = value == chosen;
            view! { <option value=value selected=selected>{label}</option> }
        })
        .collect_view();
    view! {
        <div class="field">
            <label for=id>{t(label)}</label>
            <select id=id name=id>
                <option value="">{t(CertificateMsg::FilterAny)}</option>
                {options}
            </select>
        </div>
    }
}

fn text_field(
    id: &'static str,
    label: CertificateMsg,
    kind: &'static str,
    value: String,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{t(label)}</label>
            <input id=id name=id type=kind value=value autocomplete="off"/>
        </div>
    }
}

#[component]
fn QueueContent(view: QueueView) -> impl IntoView {
    let lang = use_lang();
    let slug = view.tenant.slug.clone();
    let here = Page::StaffApplications.href(&slug);
    let one = Page::StaffApplication.href(&slug);
    let query = view.query.clone();
    let filter = [
        ("status", &query.status),
        ("certificate", &query.certificate),
        ("delivery", &query.delivery),
        ("from", &query.from),
        ("until", &query.until),
        ("student", &query.student),
    ]
    .iter()
    .map(|(name, value)| format!("{name}={}", query_encoded(value)))
    .collect::<Vec<_>>()
    .join("&");
    let csv = format!("/{slug}/{STAFF_APPLICATIONS_CSV}?{filter}");
    let statuses = ApplicationStatus::ALL
        .into_iter()
        .map(|status| (status.code().to_owned(), status.msg().text(lang).to_owned()))
        .collect();
    let named = move |list: &[(String, String, String)]| {
        list.iter()
            .map(|(code, ja, en)| (code.clone(), by_lang(lang, ja, en).to_owned()))
            .collect::<Vec<_>>()
    };
    let columns: [Column; 6] = [
        (CertificateMsg::ColNumber.into(), false),
        (CertificateMsg::ColDate.into(), false),
        (CertificateMsg::ColStudent.into(), false),
        (CertificateMsg::ColContents.into(), false),
        (CertificateMsg::FilterDelivery.into(), false),
        (CertificateMsg::ColStatus.into(), false),
    ];
    let rows = view
        .rows
        .iter()
        .map(|row| {
            let application = &row.application;
            let href = format!("{one}?no={}", application.number);
            view! {
                <tr>
                    <td><a href=href>{application.number.clone()}</a></td>
                    <td>{application.applied_at.clone()}</td>
                    <td>{format!("{} {}", row.user_id, row.name)}</td>
                    <td>{contents(application, lang)}</td>
                    <td>{application.delivery_name(lang).to_owned()}</td>
                    <td>{application.status.msg().text(lang)}</td>
                </tr>
            }
        })
        .collect_view();
    let count = CertificateMsg::QueueCount
        .text(lang)
        .replace("{count}", &view.rows.len().to_string());
    let table = if view.rows.is_empty() {
        view! { <p class="notice" role="status">{t(CertificateMsg::QueueEmpty)}</p> }.into_any()
    } else {
        scroll_table(RegionName::Heading("queue-heading"), &columns, rows).into_any()
    };
    view! {
        <Frame title=CertificateMsg::QueueTitle tenant=view.tenant.clone()>
            <h1 id="queue-heading">{t(CertificateMsg::QueueTitle)}</h1>
            <p class="lead">{t(CertificateMsg::QueueLead)}</p>
            {view.problem.map(|msg| view! { <p class="form-alert" role="alert">{t(msg)}</p> })}
            <form method="get" action=here class="audit-filter">
                {choice_field("status", CertificateMsg::FilterStatus, &query.status, statuses)}
                {choice_field("certificate", CertificateMsg::FilterType, &query.certificate, named(&view.types))}
                {choice_field("delivery", CertificateMsg::FilterDelivery, &query.delivery, named(&view.deliveries))}
                {text_field("from", CertificateMsg::FilterFrom, "date", query.from.clone())}
                {text_field("until", CertificateMsg::FilterUntil, "date", query.until.clone())}
                {text_field("student", CertificateMsg::FilterUserId, "text", query.student.clone())}
                <div class="actions">
                    <button type="submit" class="primary">{t(CertificateMsg::FilterButton)}</button>
                </div>
            </form>
            <p>{count}</p>
            {table}
            <p class="secondary-links">
                <a href=csv download="">{t(CertificateMsg::QueueCsv)}</a>
                <a href=Page::StaffHome.href(&slug)>{t(StaffMsg::HomeTitle)}</a>
            </p>
        </Frame>
    }
}

#[component]
pub fn StaffApplicationPage() -> impl IntoView {
    let slug = use_tenant_slug();
    let query = use_query_map();
    let loaded = Resource::new(
        move || (slug.get(), query.with(|q| q.get("no").unwrap_or_default())),
        |(slug, number)| staff_application(slug, number),
    );
    staff_page(slug, loaded, |view| view! { <ApplicationContent view/> })
}

fn row(label: CertificateMsg, value: impl IntoView + 'static) -> impl IntoView {
    view! { <div class="profile-row"><dt>{t(label)}</dt><dd>{value}</dd></div> }
}

/// The form of one action: its button, and the field it needs.
fn action_form(
    action: ServerAction<StaffApplicationAction>,
    (slug, number): (String, String),
    name: String,
    messages: [Option<FieldMsg>; 2],
    lang: Lang,
) -> impl IntoView {
    let [tracking_message, reason_message] = messages;
    let (label, field) = match name.as_str() {
        "start" => (CertificateMsg::ActionStart, None),
        "issue" => (CertificateMsg::ActionIssue, None),
        "send" => (
            CertificateMsg::ActionSend,
            Some(("tracking", FieldMsg::TrackingNumber, tracking_message)),
        ),
        "ready" => (CertificateMsg::ActionReady, None),
        "collect" => (CertificateMsg::ActionCollect, None),
        _ => (
            CertificateMsg::ActionCancel,
            Some(("reason", FieldMsg::CorrectionReason, reason_message)),
        ),
    };
    let field = field.map(|(id, label, message)| {
        let message_id = format!("{id}-message");
        view! {
            <div class="field">
                <label for=id>{label.text(lang)}</label>
                <input id=id name=id type="text" autocomplete="off" aria-describedby=message_id.clone()
                    aria-invalid=if message.is_some() { "true" } else { "false" }/>
                <p class="field-message" id=message_id>{message.map(|msg| msg.text(lang))}</p>
            </div>
        }
    });
    let class = if name == "cancel" {
        "secondary"
    } else {
        "primary"
    };
    view! {
        <ActionForm action=action>
            <input type="hidden" name="tenant" value=slug/>
            <input type="hidden" name="number" value=number/>
            <input type="hidden" name="action" value=name/>
            {field}
            <div class="actions">
                <button type="submit" class=class>{t(label)}</button>
            </div>
        </ActionForm>
    }
}

#[component]
fn ApplicationContent(view: StaffApplicationView) -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let done_code = query.with_untracked(|q| q.get("done")).unwrap_or_default();
    let revoked_now = done_code == "revoked";
    let done = ApplicationStatus::from_code(&done_code);
    let action = ServerAction::<StaffApplicationAction>::new();
    let error = refusal(action.value());
    let messages = server_messages(&error, [Field::Tracking, Field::Reason]);
    let slug = view.tenant.slug.clone();
    let application = view.application.clone();
    let number = application.number.clone();
    let lines = application
        .lines
        .iter()
        .enumerate()
        .map(|(index, line)| {
            let pdf = application.documents_made.then(|| {
                let href = certificate_pdf_href(&slug, STAFF_CERTIFICATE_PDF, &number, index);
                view! { " " <a href=href download="">{t(CertificateMsg::DownloadPdf)}</a> }
            });
            view! { <li>{contents_line(line, lang)}{pdf}</li> }
        })
        .collect_view();
    let timeline = application
        .timeline
        .iter()
        .map(|(status, at)| view! { <li><span class="status">{status.msg().text(lang)}</span>" "{at.clone()}</li> })
        .collect_view();
    let address = (!application.address.is_empty()).then(|| {
        let lines = application
            .address
            .iter()
            .map(|line| view! { <span class="address-line">{line.clone()}</span> })
            .collect_view();
        row(CertificateMsg::AddressRow, lines)
    });
    let forms = if view.actions.is_empty() {
        view! { <p>{t(CertificateMsg::NoActions)}</p> }.into_any()
    } else {
        view.actions
            .iter()
            .map(|name| {
                action_form(
                    action,
                    (slug.clone(), number.clone()),
                    name.clone(),
                    messages,
                    lang,
                )
            })
            .collect_view()
            .into_any()
    };
    view! {
        <Frame title=CertificateMsg::StaffApplicationTitle tenant=view.tenant.clone()>
            <h1>{format!("{} {}", t(CertificateMsg::StaffApplicationTitle), number)}</h1>
            {done.map(|status| view! {
                <p class="notice" role="status">
                    {CertificateMsg::ActionDone.text(lang).replace("{status}", status.msg().text(lang))}
                </p>
            })}
            {revoked_now.then(|| view! { <p class="notice" role="status">{t(CertificateMsg::DoneRevoked)}</p> })}
            <FormAlert error=error.clone()/>
            <dl class="profile">
                {row(CertificateMsg::StatusRow, application.status.msg().text(lang))}
                {row(CertificateMsg::StudentRow, format!("{} {}", view.user_id, view.name))}
                {view.student_number.clone().map(|number| row(CertificateMsg::StudentNumberRow, number))}
                {row(CertificateMsg::RegistryStatusRow, view.registry_status.msg().text(lang))}
                {row(CertificateMsg::DateRow, application.applied_at.clone())}
                {row(CertificateMsg::DeliveryRow, application.delivery_name(lang).to_owned())}
                {address}
                {application.tracking_number.clone().map(|number| row(CertificateMsg::TrackingRow, number))}
                {application.purpose.clone().map(|purpose| row(CertificateMsg::PurposeRow, purpose))}
                {view.cancel_reason.clone().map(|reason| row(CertificateMsg::ReasonRow, reason))}
                {row(CertificateMsg::TotalRow, yen(application.total, lang))}
                {row(CertificateMsg::PaidByRow, application.paid_by(view.tenant.card_name(lang), lang))}
                {row(CertificateMsg::ExpectedRow, application.ready_by.clone())}
            </dl>
            <h2 id="contents-heading">{t(CertificateMsg::ColContents)}</h2>
            <ul aria-labelledby="contents-heading">{lines}</ul>
            <IssuedCertificates view=view.clone()/>
            <h2 id="timeline-heading">{t(CertificateMsg::TimelineHeading)}</h2>
            <ol class="timeline" aria-labelledby="timeline-heading">{timeline}</ol>
            <h2>{t(CertificateMsg::ActionsHeading)}</h2>
            {forms}
            <p class="secondary-links">
                <a href=Page::StaffApplications.href(&slug)>{t(CertificateMsg::BackToQueue)}</a>
                <a href=Page::StaffHome.href(&slug)>{t(StaffMsg::HomeTitle)}</a>
            </p>
        </Frame>
    }
}

/// The application's certificates issued as PDF: each one's verification page and standing,
/// and for an admin, a form to revoke it with a reason.
#[component]
fn IssuedCertificates(view: StaffApplicationView) -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<RevokeCertificate>::new();
    let error = refusal(action.value());
    let [reason_message] = server_messages(&error, [Field::Reason]);
    let slug = view.tenant.slug.clone();
    let number = view.application.number.clone();
    let items = view
        .certificates
        .iter()
        .map(|issued| {
            let IssuedCertificateView { index, page, revoked } = issued.clone();
            let name = view
                .application
                .lines
                .get(index)
                .map(|line| line_text(line, lang))
                .unwrap_or_default();
            let standing = match (&page, &revoked) {
                (None, _) => t(CertificateMsg::DocumentUnsigned).to_owned(),
                (Some(_), Some((on, reason))) => t(CertificateMsg::RevokedOn)
                    .replace("{date}", on)
                    .replace("{reason}", reason.msg().text(lang)),
                (Some(_), None) => t(CertificateMsg::DocumentValid).to_owned(),
            };
            let link = page.clone().map(|href| {
                view! { " " <a href=href rel="noopener" target="_blank">{t(CertificateMsg::VerifyPageLink)}</a> }
            });
            let (slug, number, line_name) = (slug.clone(), number.clone(), name.clone());
            let form = (view.may_revoke && page.is_some() && revoked.is_none()).then(move || {
                let id = format!("revoke-reason-{}", index + 1);
                let message_id = format!("{id}-message");
                let options = RevocationReason::ALL
                    .into_iter()
                    .filter(|reason| *reason != RevocationReason::Cancelled)
                    .map(|reason| view! { <option value=reason.code()>{reason.msg().text(lang)}</option> })
                    .collect_view();
                view! {
                    <ActionForm action>
                        <input type="hidden" name="tenant" value=slug/>
                        <input type="hidden" name="number" value=number/>
                        <input type="hidden" name="line" value=(index + 1).to_string()/>
                        <div class="field">
                            <label for=id.clone()>{format!("{} — {line_name}", t(CertificateMsg::RevokeReasonLabel))}</label>
                            <select id=id name="reason" aria-describedby=message_id.clone()
                                aria-invalid=if reason_message.is_some() { "true" } else { "false" }>
                                <option value="">{t(CertificateMsg::ChooseReason)}</option>
                                {options}
                            </select>
                            <p class="field-message" id=message_id>{reason_message.map(|msg| msg.text(lang))}</p>
                        </div>
                        <div class="actions">
                            <button type="submit" class="secondary">{format!("{} — {line_name}", t(CertificateMsg::RevokeButton))}</button>
                        </div>
                    </ActionForm>
                }
            });
            view! {
                <li class="issued-certificate">
                    <p>{name}": "<span class="standing-text">{standing}</span>{link}</p>
                    {form}
                </li>
            }
        })
        .collect_view();
    (!view.certificates.is_empty()).then(|| {
        view! {
            <h2 id="issued-heading">{t(CertificateMsg::RevokeHeading)}</h2>
            {view.may_revoke.then(|| view! { <p class="hint">{t(CertificateMsg::RevokeLead)}</p> })}
            <FormAlert error=error.clone()/>
            <ul class="issued-certificates" aria-labelledby="issued-heading">{items}</ul>
        }
    })
}

fn contents_line(line: &LineView, lang: Lang) -> String {
    format!("{} {}", line_text(line, lang), yen(line.amount, lang))
}
