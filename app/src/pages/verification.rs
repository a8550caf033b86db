//! `/v/{document id}`, the QR code's target: anyone checks a certificate here, phone first.
//! The id alone shows the university, the type, the issue date and the status; the
//! verification code (typed, or taken from the address's fragment by the island below, so it
//! never reaches a server log or a Referer) shows exactly what was printed, and a PDF chosen
//! or dropped on the page is hashed in the browser and compared with the signed record.
//! Every form works without JavaScript; only the fragment and the PDF need it.

use crate::api::shares::{shared_certificate, SharedDocument, SharedView};
use crate::api::verification::{
    verification, CoursesView, DocumentView, RecordView, StandingView, VerificationView, VerifyCode,
};
use crate::components::{refusal, ErrorView, FormAlert, Frame};
use crate::error::Field;
use crate::i18n::{t, use_lang, CertificateMsg, FieldMsg, Lang};
use leptos::prelude::*;
use leptos_meta::Meta;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

/// The id of the code's input, which the fragment's island fills in.
const CODE_INPUT: &str = "verification-code";

#[component]
pub fn VerificationPage() -> impl IntoView {
    let params = use_params_map();
    let document = Memo::new(move |_| params.read().get("document").unwrap_or_default());
    let loaded = Resource::new(move || document.get(), verification);
    view! {
        // Certificates are found by their QR codes, never by a search engine.
        <Meta name="robots" content="noindex, nofollow"/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match loaded.await {
                    Ok(VerificationView::Found(found)) => view! { <DocumentPage found=*found/> }.into_any(),
                    Ok(VerificationView::NotFound) => without_certificate(404, CertificateMsg::VerifyNotFound, CertificateMsg::VerifyNotFoundLead).into_any(),
                    Ok(VerificationView::Malformed) => without_certificate(404, CertificateMsg::VerifyMalformed, CertificateMsg::VerifyMalformedLead).into_any(),
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// A page with nothing of a certificate on it, answered `status`: no certificate at this
/// address (404), or a share that has ended (410).
fn without_certificate(status: u16, title: CertificateMsg, lead: CertificateMsg) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let (Some(response), Ok(status)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::StatusCode::from_u16(status),
    ) {
        response.set_status(status);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = status;
    view! {
        <Frame title=title>
            <h1>{t(title)}</h1>
            <p class="lead">{t(lead)}</p>
        </Frame>
    }
}

/// `/s/{token}`: a share's recipient sees the certificate as a right code shows it, with its
/// PDF; an ended share shows nothing of it.
#[component]
pub fn SharePage() -> impl IntoView {
    let params = use_params_map();
    let token = Memo::new(move |_| params.read().get("token").unwrap_or_default());
    let loaded = Resource::new(move || token.get(), shared_certificate);
    view! {
        <Meta name="robots" content="noindex, nofollow"/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match loaded.await {
                    Ok(SharedView::Open(open)) => {
                        let SharedDocument { document, recipient, until, pdf_href, credential_href } = *open;
                        let banner = ShareBanner { recipient, until, pdf_href, credential_href };
                        view! { <DocumentPage found=document shared=banner/> }.into_any()
                    }
                    Ok(SharedView::NotFound) => without_certificate(404, CertificateMsg::SharedNotFound, CertificateMsg::SharedNotFoundLead).into_any(),
                    Ok(SharedView::Expired) => without_certificate(410, CertificateMsg::SharedExpired, CertificateMsg::SharedEndedLead).into_any(),
                    Ok(SharedView::Revoked) => without_certificate(410, CertificateMsg::SharedRevoked, CertificateMsg::SharedEndedLead).into_any(),
                    Err(error) => view! { <ErrorView error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// What a share's page says above the certificate, and where its PDF and credential are.
#[derive(Clone)]
struct ShareBanner {
    recipient: String,
    until: String,
    pdf_href: String,
    credential_href: String,
}

#[component]
fn DocumentPage(
    found: DocumentView,
    #[prop(optional)] shared: Option<ShareBanner>,
) -> impl IntoView {
    let lang = use_lang();
    let DocumentView {
        document,
        tenant,
        title,
        lang: printed_in,
        issued_on,
        valid_until,
        standing,
        record,
    } = found;
    let university = tenant.display_name(lang).to_owned();
    let printed_in = Lang::from_code(&printed_in)
        .map(|language| t(CertificateMsg::language(language)).to_owned())
        .unwrap_or(printed_in);
    // A revoked certificate, or one whose record fails, is vouched for by no new credential.
    let vouched = matches!(standing, StandingView::Valid | StandingView::Expired { .. });
    let banner = shared.as_ref().map(|banner| {
        let text = t(CertificateMsg::SharedBanner)
            .replace("{recipient}", &banner.recipient)
            .replace("{date}", &banner.until);
        let credential = vouched.then(|| view! {
            " "
            <a class="button-like secondary" href=banner.credential_href.clone() download="">{t(CertificateMsg::DownloadCredential)}</a>
        });
        view! {
            <p class="notice">{text}</p>
            <p><a class="button-like" href=banner.pdf_href.clone() download="">{t(CertificateMsg::DownloadPdf)}</a>{credential}</p>
        }
    });
    let body = match (record, shared.is_some()) {
        (Some(record), _) => view! { <RecordSection record/> }.into_any(),
        // A share stands for the code; without a record (its signature failed) nothing more.
        (None, true) => ().into_any(),
        (None, false) => view! { <CodeForm document=document.clone()/> }.into_any(),
    };
    view! {
        <Frame title=CertificateMsg::VerifyTitle tenant>
            <h1>{t(CertificateMsg::VerifyTitle)}</h1>
            <StandingNote standing/>
            {banner}
            <dl class="facts verification-summary">
                <dt>{t(CertificateMsg::VerifyUniversity)}</dt><dd>{university}</dd>
                <dt>{t(CertificateMsg::VerifyCertificate)}</dt><dd>{title}</dd>
                <dt>{t(CertificateMsg::VerifyLanguage)}</dt><dd>{printed_in}</dd>
                <dt>{t(CertificateMsg::VerifyIssuedOn)}</dt><dd>{issued_on}</dd>
                <dt>{t(CertificateMsg::VerifyValidUntil)}</dt>
                <dd>{valid_until.unwrap_or_else(|| t(CertificateMsg::VerifyNoExpiry).to_owned())}</dd>
                <dt>{t(CertificateMsg::VerifyDocumentId)}</dt><dd class="document-id">{document}</dd>
            </dl>
            {body}
        </Frame>
    }
}

/// What the certificate is now, first on the page and announced to screen readers.
#[component]
fn StandingNote(standing: StandingView) -> impl IntoView {
    let (class, text) = match standing {
        StandingView::Valid => ("standing valid", t(CertificateMsg::VerifyValid).to_owned()),
        StandingView::Expired { on } => (
            "standing expired",
            t(CertificateMsg::VerifyExpired).replace("{date}", &on),
        ),
        StandingView::Revoked { on, reason } => (
            "standing revoked",
            t(CertificateMsg::VerifyRevoked)
                .replace("{date}", &on)
                .replace("{reason}", t(reason.msg())),
        ),
        StandingView::SignatureInvalid => (
            "standing invalid",
            t(CertificateMsg::VerifySignatureInvalid).to_owned(),
        ),
    };
    view! {
        <p class=class role="status">
            <span class="standing-label">{t(CertificateMsg::VerifyStatus)}": "</span>
            {text}
        </p>
    }
}

/// The code's form. A plain input, not a checked field: those keep what was typed in the
/// tab's storage across a refused submission, and a code is kept nowhere.
#[component]
fn CodeForm(document: String) -> impl IntoView {
    let action = ServerAction::<VerifyCode>::new();
    let error = refusal(action.value());
    let message = error.as_ref().and_then(|e| e.field_message(Field::VerificationCode));
    let message_id = format!("{CODE_INPUT}-message");
    view! {
        <p class="lead">{t(CertificateMsg::VerifyLead)}</p>
        <FormAlert error=error.clone()/>
        <ActionForm action>
            <input type="hidden" name="document" value=document/>
            <div class="field">
                <label for=CODE_INPUT>{t(FieldMsg::VerificationCode)}</label>
                <input
                    id=CODE_INPUT
                    name="code"
                    type="text"
                    class="verification-code"
                    autocomplete="off"
                    autocapitalize="characters"
                    spellcheck="false"
                    maxlength="24"
                    placeholder="XXXX-XXXX-XXXX"
                    aria-describedby=message_id.clone()
                    aria-invalid=if message.is_some() { "true" } else { "false" }
                />
                <p class="field-message" id=message_id aria-live="polite">
                    {message.map(t)}
                </p>
            </div>
            <div class="actions">
                <button type="submit" class="primary">{t(CertificateMsg::VerifyButton)}</button>
            </div>
        </ActionForm>
        <CodeFromFragment input=CODE_INPUT.to_owned()/>
    }
}

/// Exactly what the certificate printed, and the PDF check.
#[component]
fn RecordSection(record: RecordView) -> impl IntoView {
    let lang = use_lang();
    let RecordView {
        number,
        facts,
        statement,
        courses,
        pdf_sha256,
    } = record;
    let facts = facts
        .into_iter()
        .map(|(label, value)| view! { <dt>{label}</dt><dd>{value}</dd> })
        .collect_view();
    view! {
        <section class="printed" aria-labelledby="printed-heading">
            <h2 id="printed-heading">{t(CertificateMsg::VerifyContentHeading)}</h2>
            <p class="lead">{t(CertificateMsg::VerifyContentLead)}</p>
            <dl class="facts">
                <dt>{t(CertificateMsg::VerifyNumber)}</dt><dd>{number}</dd>
                {facts}
            </dl>
            {courses.map(courses_table)}
            <p class="statement">{statement}</p>
        </section>
        <section class="pdf-check" aria-labelledby="pdf-heading">
            <h2 id="pdf-heading">{t(CertificateMsg::VerifyPdfHeading)}</h2>
            <PdfCheck expected=pdf_sha256.clone() texts=PdfCheckTexts::new(lang)/>
            <p class="hint">
                {t(CertificateMsg::VerifyPdfHash)}": "
                <code class="digest">{pdf_sha256}</code>
            </p>
        </section>
    }
}

/// A transcript's results as printed: the headings, every course, then the totals.
fn courses_table(courses: CoursesView) -> impl IntoView {
    let CoursesView {
        headings,
        rows,
        totals,
        empty,
    } = courses;
    let headings = headings
        .into_iter()
        .map(|heading| view! { <th scope="col">{heading}</th> })
        .collect_view();
    let body = if rows.is_empty() {
        view! { <p>{empty}</p> }.into_any()
    } else {
        let rows = rows
            .into_iter()
            .map(|row| {
                let cells = row.into_iter().map(|cell| view! { <td>{cell}</td> }).collect_view();
                view! { <tr>{cells}</tr> }
            })
            .collect_view();
        view! {
            <div class="table-scroll" role="region" aria-labelledby="printed-heading" tabindex="0">
                <table>
                    <thead><tr>{headings}</tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    let totals = totals
        .into_iter()
        .map(|(label, value)| view! { <dt>{label}</dt><dd>{value}</dd> })
        .collect_view();
    view! {
        {body}
        <dl class="facts totals">{totals}</dl>
    }
}

/// The QR code's address carries the code in its fragment, which browsers never send: the
/// island takes it out of the address (so it stays in no history or bookmark), puts it in the
/// form and sends the form, as if it had been typed.
#[island]
fn CodeFromFragment(input: String) -> impl IntoView {
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        fragment::submit(&input);
        #[cfg(not(feature = "hydrate"))]
        let _ = &input;
    });
}

#[cfg(feature = "hydrate")]
mod fragment {
    use wasm_bindgen::JsCast;

    pub fn submit(input: &str) -> Option<()> {
        let window = web_sys::window()?;
        let location = window.location();
        let hash = location.hash().ok()?;
        let typed = hash.trim_start_matches('#');
        if typed.is_empty() {
            return None;
        }
        let address = format!("{}{}", location.pathname().ok()?, location.search().ok()?);
        let _ = window.history().ok()?.replace_state_with_url(
            &wasm_bindgen::JsValue::NULL,
            "",
            Some(&address),
        );
        let code = domain::VerificationCode::parse(typed)?;
        let field = window
            .document()?
            .get_element_by_id(input)?
            .dyn_into::<web_sys::HtmlInputElement>()
            .ok()?;
        field.set_value(&code.grouped());
        field.form()?.request_submit().ok()
    }
}

/// The PDF check's texts, taken from the catalogue on the server and handed to the island as
/// its props: the island links no page catalogue into the WASM.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PdfCheckTexts {
    lead: String,
    choose: String,
    matched: String,
    mismatched: String,
    unreadable: String,
}

impl PdfCheckTexts {
    fn new(lang: Lang) -> Self {
        let text = |msg: CertificateMsg| msg.text(lang).to_owned();
        Self {
            lead: text(CertificateMsg::VerifyPdfLead),
            choose: text(CertificateMsg::VerifyPdfChoose),
            matched: text(CertificateMsg::VerifyPdfMatch),
            mismatched: text(CertificateMsg::VerifyPdfMismatch),
            unreadable: text(CertificateMsg::VerifyPdfUnreadable),
        }
    }
}

/// What the check found of the file last chosen or dropped (found in the browser only).
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PdfOutcome {
    Match,
    Mismatch,
    Unreadable,
}

/// A PDF chosen or dropped here is hashed (SHA-256) in the browser, never uploaded, and its
/// hash compared with the signed record's.
#[island]
fn PdfCheck(expected: String, texts: PdfCheckTexts) -> impl IntoView {
    let outcome = RwSignal::new(None::<PdfOutcome>);
    let dragging = RwSignal::new(false);
    let PdfCheckTexts {
        lead,
        choose,
        matched,
        mismatched,
        unreadable,
    } = texts;
    let said = move || {
        outcome.get().map(|found| match found {
            PdfOutcome::Match => ("pdf-outcome match", matched.clone()),
            PdfOutcome::Mismatch => ("pdf-outcome mismatch", mismatched.clone()),
            PdfOutcome::Unreadable => ("pdf-outcome unreadable", unreadable.clone()),
        })
    };
    #[cfg(feature = "hydrate")]
    let check = {
        let expected = expected.clone();
        move |file: Option<web_sys::File>| {
            let expected = expected.clone();
            outcome.set(None);
            leptos::task::spawn_local(async move {
                let found = match file {
                    Some(file) => pdf_digest::sha256_hex(file).await,
                    None => None,
                };
                outcome.set(Some(match found {
                    Some(digest) if digest == expected => PdfOutcome::Match,
                    Some(_) => PdfOutcome::Mismatch,
                    None => PdfOutcome::Unreadable,
                }));
            });
        }
    };
    #[cfg(not(feature = "hydrate"))]
    let _ = &expected;
    #[cfg(feature = "hydrate")]
    let check_dropped = check.clone();
    let on_change = move |_ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        check(pdf_digest::chosen(&_ev));
    };
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        #[cfg(feature = "hydrate")]
        check_dropped(ev.data_transfer().and_then(|t| t.files()).and_then(|f| f.get(0)));
    };
    view! {
        <div
            class="drop-zone"
            class:dragging=move || dragging.get()
            on:dragover=move |ev: leptos::ev::DragEvent| {
                ev.prevent_default();
                dragging.set(true);
            }
            on:dragleave=move |_| dragging.set(false)
            on:drop=on_drop
        >
            <p>{lead}</p>
            <label for="pdf-file" class="button-like">{choose}</label>
            <input id="pdf-file" type="file" accept="application/pdf,.pdf" on:change=on_change/>
        </div>
        <p class="pdf-result" role="status" aria-live="polite">
            {move || said().map(|(class, text)| view! { <strong class=class>{text}</strong> })}
        </p>
    }
}

#[cfg(feature = "hydrate")]
mod pdf_digest {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;

    /// The file chosen in the input that sent `ev`.
    pub fn chosen(ev: &leptos::ev::Event) -> Option<web_sys::File> {
        let input = ev.target()?.dyn_into::<web_sys::HtmlInputElement>().ok()?;
        input.files()?.get(0)
    }

    /// SHA-256 of `file`, lower-case hex, by the browser's own crypto; `None` when the file
    /// cannot be read (or the page is not in a secure context, where browsers hide it).
    pub async fn sha256_hex(file: web_sys::File) -> Option<String> {
        let bytes = JsFuture::from(file.array_buffer()).await.ok()?;
        let subtle = web_sys::window()?.crypto().ok()?.subtle();
        let bytes = bytes.dyn_into::<js_sys::ArrayBuffer>().ok()?;
        let digest = subtle.digest_with_str_and_buffer_source("SHA-256", &bytes).ok()?;
        let digest = JsFuture::from(digest).await.ok()?;
        let digest = js_sys::Uint8Array::new(&digest).to_vec();
        Some(digest.iter().map(|byte| format!("{byte:02x}")).collect())
    }
}
