//! `各種証明書のオンライン申請`: the catalogue with what this student may order (a type they
//! may not order is shown with the reason), the order form, its confirmation with every
//! figure, the accepted application, and `申請履歴`. Every form works before the WASM has
//! loaded: plain inputs posted natively.

use crate::api::certificates::{
    application_detail, application_history, application_review, certificate_offers,
    ApplicationView, CancelApplication, ConfirmView, DetailView, HistoryView, LineView, OfferView,
    OffersView, PaymentView, ReviewApplication, SubmitApplication,
};
use crate::components::{refusal, scroll_table, server_messages, signed_in_page, SettleWatch};
use crate::components::{signed_in_page_or, use_tenant_slug, yen, Column, RegionName};
use crate::components::{Check, CheckedField, FieldSpec, FormAlert, Frame};
use crate::error::Field;
use crate::i18n::{t, use_lang, CertificateMsg, CommonMsg, FieldMsg, Lang, WalletMsg};
use crate::routes::{certificate_pdf_href, Page, CERTIFICATE_CREDENTIAL, CERTIFICATE_PDF};
use domain::PREFECTURES;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

fn query(name: &'static str) -> Memo<String> {
    let query = use_query_map();
    Memo::new(move |_| query.read().get(name).unwrap_or_default())
}

/// `{card}` in a message replaced by the university's name of its card.
fn with_card(msg: CertificateMsg, card: &str, lang: Lang) -> String {
    msg.text(lang).replace("{card}", card)
}

/// The order form.
#[component]
pub fn CertificatesPage() -> impl IntoView {
    let slug = use_tenant_slug();
    let loaded = Resource::new(move || slug.get(), certificate_offers);
    signed_in_page(slug, loaded, |view| view! { <OffersContent view/> })
}

/// One type of the catalogue: its terms, and a copies field per language, or why not.
fn offer_fieldset(offer: &OfferView, first_line: usize, lang: Lang) -> impl IntoView {
    let terms = format!(
        "{} · {} · {}",
        CertificateMsg::FeePerCopy.text(lang).replace("{fee}", &yen(offer.fee, lang)),
        CertificateMsg::MostCopies
            .text(lang)
            .replace("{max}", &offer.max_copies.to_string()),
        CertificateMsg::ReadyBy.text(lang).replace("{date}", &offer.ready_by),
    );
    let deliveries = offer
        .deliveries
        .iter()
        .map(|(ja, en)| {
            if lang == Lang::Ja {
                ja.as_str()
            } else {
                en.as_str()
            }
        })
        .collect::<Vec<_>>()
        .join(if lang == Lang::Ja { "・" } else { ", " });
    let deliveries = CertificateMsg::Deliveries.text(lang).replace("{list}", &deliveries);
    let body = match offer.refusal {
        Some(refusal) => view! {
            <p class="refusal"><strong>{t(CertificateMsg::NotOrderable)}</strong>": "{refusal.text(lang)}</p>
        }
        .into_any(),
        None => offer
            .languages
            .iter()
            .enumerate()
            .map(|(n, language)| {
                let index = first_line + n;
                let id = format!("copies-{}-{}", offer.code, language.code());
                let label = CertificateMsg::CopiesIn.text(lang).replace("{lang}", t(CertificateMsg::language(*language)));
                view! {
                    <div class="field copies">
                        <label for=id.clone()>{label}</label>
                        <input type="hidden" name=format!("lines[{index}][code]") value=offer.code.clone()/>
                        <input type="hidden" name=format!("lines[{index}][lang]") value=language.code()/>
                        <input id=id type="number" inputmode="numeric" min="0" max=offer.max_copies.to_string()
                            name=format!("lines[{index}][copies]") value="0"/>
                    </div>
                }
            })
            .collect_view()
            .into_any(),
    };
    view! {
        <fieldset class="offer">
            <legend>{offer.name(lang).to_owned()}</legend>
            <p class="terms">{terms}</p>
            <p class="terms">{deliveries}</p>
            {body}
        </fieldset>
    }
}

/// A plain text field with the server's message under it.
fn text_field(
    label: FieldMsg,
    name: &'static str,
    autocomplete: &'static str,
    message: Option<FieldMsg>,
    lang: Lang,
) -> impl IntoView {
    let message_id = format!("{name}-message");
    view! {
        <div class="field">
            <label for=name>{label.text(lang)}</label>
            <input id=name name=name autocomplete=autocomplete aria-describedby=message_id.clone()
                aria-invalid=if message.is_some() { "true" } else { "false" }/>
            <p class="field-message" id=message_id>{message.map(|msg| msg.text(lang))}</p>
        </div>
    }
}

#[component]
fn OffersContent(view: OffersView) -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<ReviewApplication>::new();
    let error = refusal(action.value());
    let [copies, postal_code, prefecture, city, street, building, recipient, country, purpose] =
        server_messages(
            &error,
            [
                Field::Copies,
                Field::PostalCode,
                Field::Prefecture,
                Field::City,
                Field::Street,
                Field::Building,
                Field::Recipient,
                Field::Country,
                Field::Purpose,
            ],
        );
    let tenant = view.tenant.clone();
    let card = tenant.card_name(lang).to_owned();
    let mut first_line = 0;
    let offers = view
        .offers
        .iter()
        .map(|offer| {
            let fieldset = offer_fieldset(offer, first_line, lang);
            if offer.refusal.is_none() {
                first_line += offer.languages.len();
            }
            fieldset
        })
        .collect_view();
    let deliveries = view
        .deliveries
        .iter()
        .enumerate()
        .map(|(n, delivery)| {
            let id = format!("delivery-{}", delivery.code);
            let fee = CertificateMsg::DeliveryFee.text(lang).replace("{fee}", &yen(delivery.fee, lang));
            view! {
                <div class="choice">
                    <input type="radio" id=id.clone() name="delivery" value=delivery.code.clone() checked=n == 0/>
                    <label for=id>{format!("{} ({fee})", delivery.name(lang))}</label>
                </div>
            }
        })
        .collect_view();
    let prefectures = PREFECTURES
        .iter()
        .map(|name| view! { <option value=*name>{*name}</option> })
        .collect_view();
    let prefecture_message = prefecture.map(|msg| msg.text(lang));
    let slug = tenant.slug.clone();
    let form = (!view.offers.is_empty()).then(move || view! {
        <ActionForm action=action>
            <input type="hidden" name="tenant" value=slug/>
            {copies.map(|msg| view! { <p class="form-alert" role="alert">{msg.text(lang)}</p> })}
            {offers}
            <fieldset class="choices">
                <legend>{t(CertificateMsg::DeliveryLegend)}</legend>
                {deliveries}
            </fieldset>
            <fieldset class="address">
                <legend>{t(CertificateMsg::AddressLegend)}</legend>
                <p class="hint">{t(CertificateMsg::AddressHint)}</p>
                <CheckedField
                    spec=FieldSpec::new(FieldMsg::PostalCode, "address[postal_code]", "text", "postal-code")
                    check=Check::PostalCode
                    server_message=postal_code
                />
                <div class="field">
                    <label for="prefecture">{t(FieldMsg::Prefecture)}</label>
                    <select id="prefecture" name="address[prefecture]" autocomplete="address-level1"
                        aria-describedby="prefecture-message" aria-invalid=if prefecture_message.is_some() { "true" } else { "false" }>
                        <option value="">{t(CertificateMsg::ChoosePrefecture)}</option>
                        {prefectures}
                    </select>
                    <p class="field-message" id="prefecture-message">{prefecture_message}</p>
                </div>
                {text_field(FieldMsg::City, "address[city]", "address-level2", city, lang)}
                {text_field(FieldMsg::Street, "address[street]", "address-line1", street, lang)}
                {text_field(FieldMsg::Building, "address[building]", "address-line2", building, lang)}
                {text_field(FieldMsg::Recipient, "address[recipient]", "name", recipient, lang)}
                {text_field(FieldMsg::Country, "address[country]", "country-name", country, lang)}
            </fieldset>
            {text_field(FieldMsg::Purpose, "purpose", "off", purpose, lang)}
            <div class="actions">
                <button type="submit" class="primary">{t(CertificateMsg::ReviewButton)}</button>
            </div>
        </ActionForm>
    });
    view! {
        <Frame title=CertificateMsg::ApplyTitle tenant=tenant.clone() signed_in=true>
            <h1>{t(CertificateMsg::ApplyTitle)}</h1>
            <p class="lead">{with_card(if view.gateway { CertificateMsg::ApplyLeadGateway } else { CertificateMsg::ApplyLead }, &card, lang)}</p>
            <dl class="balance">
                <dt>{with_card(CertificateMsg::PayFromBalance, &card, lang)}</dt>
                <dd>{yen(view.balance, lang)}</dd>
            </dl>
            <FormAlert error=error.clone()/>
            {if view.offers.is_empty() {
                Some(view! { <p class="notice" role="status">{t(CertificateMsg::NoCatalogue)}</p> })
            } else {
                None
            }}
            {form}
            <p class="secondary-links">
                <a href=Page::CertificatesHistory.href(&tenant.slug)>{t(CertificateMsg::HistoryTitle)}</a>
                <a href=Page::Home.href(&tenant.slug)>{t(CommonMsg::BackToHome)}</a>
            </p>
        </Frame>
    }
}

/// The lines of an application as a table.
fn lines_table(lines: &[LineView], lang: Lang) -> impl IntoView {
    let columns: [Column; 4] = [
        (CertificateMsg::ColCertificate.into(), false),
        (CertificateMsg::ColLanguage.into(), false),
        (CertificateMsg::ColCopies.into(), true),
        (CertificateMsg::ColAmount.into(), true),
    ];
    let rows = lines
        .iter()
        .map(|line| {
            view! {
                <tr>
                    <td>{line.name(lang).to_owned()}</td>
                    <td>{t(CertificateMsg::language(line.lang))}</td>
                    <td class="number">{line.copies}</td>
                    <td class="number">{yen(line.amount, lang)}</td>
                </tr>
            }
        })
        .collect_view();
    scroll_table(
        RegionName::Text(t(CertificateMsg::ColContents).to_owned()),
        &columns,
        rows,
    )
}

fn row(label: CertificateMsg, value: impl IntoView + 'static) -> impl IntoView {
    view! { <div class="profile-row"><dt>{t(label)}</dt><dd>{value}</dd></div> }
}

fn address_lines(lines: &[String]) -> Option<impl IntoView> {
    (!lines.is_empty()).then(|| {
        let lines = lines
            .iter()
            .map(|line| view! { <span class="address-line">{line.clone()}</span> })
            .collect_view();
        row(CertificateMsg::AddressRow, lines)
    })
}

/// The confirmation: every line, the delivery fee, the total, the day it is expected and how
/// it is paid; `申請する` pays.
#[component]
pub fn CertificatesConfirmPage() -> impl IntoView {
    let slug = use_tenant_slug();
    let key = query("key");
    let loaded = Resource::new(
        move || (slug.get(), key.get()),
        |(slug, key)| application_review(slug, key),
    );
    // A key that is gone (or never was this student's) goes back to the form.
    signed_in_page_or(
        slug,
        loaded,
        Page::Certificates,
        |view| view! { <ConfirmContent view/> },
    )
}

#[component]
fn ConfirmContent(view: ConfirmView) -> impl IntoView {
    let lang = use_lang();
    let changed = query("changed").get_untracked() == "1";
    let action = ServerAction::<SubmitApplication>::new();
    let error = refusal(action.value());
    let tenant = view.tenant.clone();
    let card = tenant.card_name(lang).to_owned();
    let delivery = format!(
        "{} ({})",
        view.delivery.name(lang),
        CertificateMsg::DeliveryFee
            .text(lang)
            .replace("{fee}", &yen(view.delivery.fee, lang))
    );
    let balance_after = view
        .balance
        .get()
        .checked_sub(view.total.get())
        .and_then(domain::Yen::new)
        .map(|after| yen(after, lang));
    let slug = tenant.slug.clone();
    let pay = if view.gateway {
        pay_choices(&view, action, &card, lang).into_any()
    } else {
        match view.shortfall {
        Some(shortfall) => view! {
            <p class="notice warning" role="status">
                {CertificateMsg::Shortfall.text(lang).replace("{shortfall}", &yen(shortfall, lang))}
            </p>
            <p class="secondary-links"><a href=Page::Card.href(&tenant.slug)>{t(CertificateMsg::TopUpLink)}</a></p>
        }
        .into_any(),
        None => view! {
            <ActionForm action=action>
                <input type="hidden" name="tenant" value=slug/>
                <input type="hidden" name="key" value=view.key.clone()/>
                // What the student agreed to pay: a catalogue changed since is not charged.
                <input type="hidden" name="total" value=view.total.get().to_string()/>
                <div class="actions">
                    <button type="submit" class="primary">{t(CertificateMsg::SubmitButton)}</button>
                </div>
            </ActionForm>
        }
        .into_any(),
        }
    };
    let lead = if view.gateway {
        t(CertificateMsg::ConfirmLeadChoose).to_owned()
    } else {
        with_card(CertificateMsg::ConfirmLead, &card, lang)
    };
    let payment_row = (!view.gateway).then(|| {
        row(
            CertificateMsg::PaymentRow,
            with_card(CertificateMsg::PayFromBalance, &card, lang),
        )
    });
    view! {
        <Frame title=CertificateMsg::ConfirmTitle tenant=tenant.clone() signed_in=true>
            <h1>{t(CertificateMsg::ConfirmTitle)}</h1>
            {changed.then(|| view! { <p class="notice warning" role="alert">{t(CertificateMsg::PriceChanged)}</p> })}
            <p class="lead">{lead}</p>
            <FormAlert error=error.clone()/>
            {lines_table(&view.lines, lang)}
            <dl class="profile">
                {row(CertificateMsg::DeliveryRow, delivery)}
                {address_lines(&view.address)}
                {view.purpose.clone().map(|purpose| row(CertificateMsg::PurposeRow, purpose))}
                {row(CertificateMsg::TotalRow, yen(view.total, lang))}
                {row(CertificateMsg::ExpectedRow, view.ready_by.clone())}
                {payment_row}
                {row(CertificateMsg::BalanceRow, yen(view.balance, lang))}
                {balance_after.map(|after| row(CertificateMsg::BalanceAfterRow, after))}
            </dl>
            {pay}
            <p class="secondary-links">
                <a href=Page::Certificates.href(&tenant.slug)>{t(CertificateMsg::ChangeLink)}</a>
            </p>
        </Frame>
    }
}

/// The ways to pay where a gateway takes cards and konbini slips too: the balance (not
/// offered when it is short, with the shortfall and a top-up link), a card, a konbini slip.
fn pay_choices(
    view: &ConfirmView,
    action: ServerAction<SubmitApplication>,
    card: &str,
    lang: Lang,
) -> impl IntoView {
    let short = view.shortfall.is_some();
    let choice = |code: &'static str, label: String, checked: bool, disabled: bool| {
        let id = format!("pay-by-{code}");
        view! {
            <div class="choice">
                <input type="radio" id=id.clone() name="pay_by" value=code checked=checked disabled=disabled/>
                <label for=id>{label}</label>
            </div>
        }
    };
    let balance_label = format!(
        "{} ({})",
        with_card(CertificateMsg::PayFromBalance, card, lang),
        yen(view.balance, lang)
    );
    let card_page = Page::Card.href(&view.tenant.slug);
    let shortfall = view.shortfall.map(|shortfall| view! {
        <p class="notice warning" role="status">
            {CertificateMsg::ShortfallGateway.text(lang).replace("{shortfall}", &yen(shortfall, lang))}
        </p>
        <p class="secondary-links"><a href=card_page>{t(CertificateMsg::TopUpLink)}</a></p>
    });
    let (slug, key, total) = (
        view.tenant.slug.clone(),
        view.key.clone(),
        view.total.get().to_string(),
    );
    view! {
        {shortfall}
        <ActionForm action=action>
            <input type="hidden" name="tenant" value=slug/>
            <input type="hidden" name="key" value=key/>
            // What the student agreed to pay: a catalogue changed since is not charged.
            <input type="hidden" name="total" value=total/>
            <fieldset class="choices">
                <legend>{t(CertificateMsg::PayByLegend)}</legend>
                {choice("balance", balance_label, !short, short)}
                {choice("card", t(CertificateMsg::PayByCard).to_owned(), short, false)}
                {choice("konbini", t(CertificateMsg::PayByKonbini).to_owned(), false, false)}
            </fieldset>
            <p class="hint">{t(CertificateMsg::PayByGatewayNote)}</p>
            <div class="actions">
                <button type="submit" class="primary">{t(CertificateMsg::SubmitButton)}</button>
            </div>
        </ActionForm>
    }
}

/// `申請履歴`: every application, newest first, each linking to its page.
#[component]
pub fn CertificatesHistoryPage() -> impl IntoView {
    let slug = use_tenant_slug();
    let loaded = Resource::new(move || slug.get(), application_history);
    signed_in_page(slug, loaded, |view| view! { <HistoryContent view/> })
}

fn contents(application: &ApplicationView, lang: Lang) -> String {
    application
        .lines
        .iter()
        .map(|line| {
            format!(
                "{}（{}）{}",
                line.name(lang),
                t(CertificateMsg::language(line.lang)),
                CertificateMsg::CopiesCount
                    .text(lang)
                    .replace("{copies}", &line.copies.to_string())
            )
        })
        .collect::<Vec<_>>()
        .join(if lang == Lang::Ja { "、" } else { "; " })
}

#[component]
fn HistoryContent(view: HistoryView) -> impl IntoView {
    let lang = use_lang();
    let tenant = view.tenant.clone();
    let columns: [Column; 5] = [
        (CertificateMsg::ColNumber.into(), false),
        (CertificateMsg::ColDate.into(), false),
        (CertificateMsg::ColContents.into(), false),
        (CertificateMsg::TotalRow.into(), true),
        (CertificateMsg::ColStatus.into(), false),
    ];
    let base = Page::CertificatesApplication.href(&tenant.slug);
    let rows = view
        .applications
        .iter()
        .map(|application| {
            let href = format!("{base}?no={}", application.number);
            view! {
                <tr>
                    <td><a href=href>{application.number.clone()}</a></td>
                    <td>{application.applied_at.clone()}</td>
                    <td>{contents(application, lang)}</td>
                    <td class="number">{yen(application.total, lang)}</td>
                    <td>{application.status.msg().text(lang)}</td>
                </tr>
            }
        })
        .collect_view();
    let body = if view.applications.is_empty() {
        view! { <p class="notice" role="status">{t(CertificateMsg::NoApplications)}</p> }.into_any()
    } else {
        scroll_table(RegionName::Heading("history-heading"), &columns, rows).into_any()
    };
    view! {
        <Frame title=CertificateMsg::HistoryTitle tenant=tenant.clone() signed_in=true>
            <h1 id="history-heading">{t(CertificateMsg::HistoryTitle)}</h1>
            {body}
            <p class="secondary-links">
                <a href=Page::Certificates.href(&tenant.slug)>{t(CertificateMsg::ApplyTitle)}</a>
                <a href=Page::Home.href(&tenant.slug)>{t(CommonMsg::BackToHome)}</a>
            </p>
        </Frame>
    }
}

/// One application: its lines, delivery, total, status and the history of its status.
#[component]
pub fn CertificatesApplicationPage() -> impl IntoView {
    let slug = use_tenant_slug();
    let number = query("no");
    let loaded = Resource::new(
        move || (slug.get(), number.get()),
        |(slug, number)| application_detail(slug, number),
    );
    signed_in_page(slug, loaded, |view| view! { <DetailContent view/> })
}

#[component]
fn DetailContent(view: DetailView) -> impl IntoView {
    let lang = use_lang();
    let accepted = query("accepted").get_untracked() == "1";
    let cancelled = query("cancelled").get_untracked() == "1";
    let action = ServerAction::<CancelApplication>::new();
    let error = refusal(action.value());
    let tenant = view.tenant.clone();
    let application = view.application;
    let card = tenant.card_name(lang).to_owned();
    let through_gateway = application.pay_by.is_gateway();
    let cancel = (application.status == domain::ApplicationStatus::Accepted).then(|| {
        let (slug, number) = (tenant.slug.clone(), application.number.clone());
        let note = if through_gateway {
            t(CertificateMsg::CancelNoteGateway).to_owned()
        } else {
            with_card(CertificateMsg::CancelNote, &card, lang)
        };
        view! {
            <p class="notice">{note}</p>
            <ActionForm action=action>
                <input type="hidden" name="tenant" value=slug/>
                <input type="hidden" name="number" value=number/>
                <div class="actions">
                    <button type="submit" class="secondary">{t(CertificateMsg::CancelButton)}</button>
                </div>
            </ActionForm>
        }
    });
    let timeline = application
        .timeline
        .iter()
        .map(|(status, at)| view! { <li><span class="status">{status.msg().text(lang)}</span>" "{at.clone()}</li> })
        .collect_view();
    // Only a PDF delivery reaches 発行済: paper and campus print give the student no file.
    let downloads = (application.documents_made
        && application.status == domain::ApplicationStatus::Issued)
        .then(|| {
            let links = application
                .lines
                .iter()
                .enumerate()
                .map(|(index, line)| {
                    let href = certificate_pdf_href(
                        &tenant.slug,
                        CERTIFICATE_PDF,
                        &application.number,
                        index,
                    );
                    // `PDFをダウンロード — 在学証明書（和文）`.
                    let labelled = |msg: CertificateMsg| {
                        format!(
                            "{} — {}（{}）",
                            t(msg),
                            line.name(lang),
                            t(CertificateMsg::language(line.lang))
                        )
                    };
                    let label = labelled(CertificateMsg::DownloadPdf);
                    let share = format!(
                        "{}?no={}&line={}",
                        Page::CertificatesShares.href(&tenant.slug),
                        application.number,
                        index + 1
                    );
                    let share_label = labelled(CertificateMsg::ShareMake);
                    let credential = certificate_pdf_href(
                        &tenant.slug,
                        CERTIFICATE_CREDENTIAL,
                        &application.number,
                        index,
                    );
                    let credential_label = labelled(CertificateMsg::DownloadCredential);
                    view! {
                        <li>
                            <a href=href download="">{label}</a>
                            " · "
                            <a href=credential download="">{credential_label}</a>
                            " · "
                            <a href=share>{share_label}</a>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <p class="notice" role="status">{t(CertificateMsg::PdfReady)}</p>
                <ul class="downloads">{links}</ul>
                <p class="hint">{t(CertificateMsg::CredentialNote)}</p>
                <p><a href=Page::CertificatesShares.href(&tenant.slug)>{t(CertificateMsg::SharesLink)}</a></p>
            }
        });
    let delivery = format!(
        "{} ({})",
        application.delivery_name(lang),
        CertificateMsg::DeliveryFee
            .text(lang)
            .replace("{fee}", &yen(application.delivery_fee, lang))
    );
    let cancelled_notice = if through_gateway {
        CertificateMsg::CancelledNoticeGateway
    } else {
        CertificateMsg::CancelledNotice
    };
    let paid_by = application.paid_by(&card, lang);
    let unpaid = (application.status == domain::ApplicationStatus::Unpaid)
        .then(|| view! { <p class="notice" role="status">{t(CertificateMsg::UnpaidNotice)}</p> });
    let payment = application
        .payment
        .clone()
        .map(|payment| awaiting_payment(&tenant.slug, &application.number, payment));
    view! {
        <Frame title=CertificateMsg::ApplicationTitle tenant=tenant.clone() signed_in=true>
            <h1>{t(CertificateMsg::ApplicationTitle)}</h1>
            {accepted.then(|| view! { <p class="notice" role="status">{t(CertificateMsg::AcceptedNotice)}</p> })}
            {cancelled.then(|| view! { <p class="notice" role="status">{t(cancelled_notice)}</p> })}
            <FormAlert error=error.clone()/>
            {payment}
            {unpaid}
            {downloads}
            <dl class="profile">
                {row(CertificateMsg::NumberRow, application.number.clone())}
                {row(CertificateMsg::DateRow, application.applied_at.clone())}
                {row(CertificateMsg::StatusRow, application.status.msg().text(lang))}
                {application.tracking_number.clone().map(|number| row(CertificateMsg::TrackingRow, number))}
                {row(CertificateMsg::DeliveryRow, delivery)}
                {address_lines(&application.address)}
                {application.purpose.clone().map(|purpose| row(CertificateMsg::PurposeRow, purpose))}
                {row(CertificateMsg::TotalRow, yen(application.total, lang))}
                {row(CertificateMsg::PaidByRow, paid_by)}
                {row(CertificateMsg::ExpectedRow, application.ready_by.clone())}
            </dl>
            {lines_table(&application.lines, lang)}
            <h2 id="timeline-heading">{t(CertificateMsg::TimelineHeading)}</h2>
            <ol class="timeline" aria-labelledby="timeline-heading">{timeline}</ol>
            {cancel}
            <p class="secondary-links">
                <a href=Page::CertificatesHistory.href(&tenant.slug)>{t(CertificateMsg::HistoryTitle)}</a>
                <a href=Page::Certificates.href(&tenant.slug)>{t(CertificateMsg::BackToApply)}</a>
                <a href=Page::Home.href(&tenant.slug)>{t(CommonMsg::BackToHome)}</a>
            </p>
        </Frame>
    }
}

/// How to pay an application that waits for the gateway: the card's payment page (the page
/// loads itself again once the payment has settled), or the konbini slip's number and deadline.
fn awaiting_payment(slug: &str, number: &str, payment: PaymentView) -> impl IntoView {
    let here = Page::CertificatesApplication.href(slug);
    let reload = view! {
        <form method="get" action=here class="actions">
            <input type="hidden" name="no" value=number.to_owned()/>
            <button type="submit" class="secondary">{t(WalletMsg::ReloadButton)}</button>
        </form>
    };
    match (payment.konbini_number, payment.konbini_deadline) {
        (Some(number), Some(deadline)) => view! {
            <p class="notice" role="status">{t(CertificateMsg::AwaitingKonbiniNotice)}</p>
            <dl class="profile">
                {row(CertificateMsg::KonbiniNumberRow, view! { <span class="slip-number">{number}</span> })}
                {row(CertificateMsg::KonbiniDeadlineRow, deadline)}
            </dl>
            {reload}
        }
        .into_any(),
        // The slip is being opened at the gateway: its number comes in a moment.
        _ if payment.konbini => view! {
            <p class="notice" role="status">{t(CertificateMsg::AwaitingSlipNotice)}</p>
            {reload}
        }
        .into_any(),
        _ => view! {
            <SettleWatch tenant=slug.to_owned() reference=payment.reference.clone()/>
            <p class="notice" role="status">{t(CertificateMsg::AwaitingCardNotice)}</p>
            {reload}
            {payment.payment_page.map(|page| view! {
                <p class="secondary-links"><a href=page>{t(CertificateMsg::PaymentPageLink)}</a></p>
            })}
        }
        .into_any(),
    }
}
