//! `各種証明書のオンライン申請` and `申請履歴`: what the pages show, and the two forms of an
//! application (the order, then its confirmation), each a thin adapter over the certificates
//! context's services.

use super::views::TenantView;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::routes::Page;
use domain::i18n::Lang;
use domain::{ApplicationStatus, DeliveryKind, OrderRefusal, PayBy, Yen};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The text of `lang` of a name kept in both.
pub fn by_lang<'a>(lang: Lang, ja: &'a str, en: &'a str) -> &'a str {
    match lang {
        Lang::Ja => ja,
        Lang::En => en,
    }
}

/// A certificate type as the student sees it: open to them, or with why not.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfferView {
    pub code: String,
    pub name_ja: String,
    pub name_en: String,
    pub languages: Vec<Lang>,
    pub fee: Yen,
    pub max_copies: u32,
    /// The names of the delivery methods it allows, in both languages.
    pub deliveries: Vec<(String, String)>,
    pub refusal: Option<OrderRefusal>,
    /// `YYYY-MM-DD`
    pub ready_by: String,
}

impl OfferView {
    pub fn name(&self, lang: Lang) -> &str {
        by_lang(lang, &self.name_ja, &self.name_en)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryView {
    pub code: String,
    pub kind: DeliveryKind,
    pub name_ja: String,
    pub name_en: String,
    pub fee: Yen,
}

impl DeliveryView {
    pub fn name(&self, lang: Lang) -> &str {
        by_lang(lang, &self.name_ja, &self.name_en)
    }
}

/// The application page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OffersView {
    pub tenant: TenantView,
    pub offers: Vec<OfferView>,
    pub deliveries: Vec<DeliveryView>,
    pub balance: Yen,
    /// A card and a konbini slip can pay too.
    pub gateway: bool,
}

/// One line of an application, as priced.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineView {
    pub name_ja: String,
    pub name_en: String,
    pub lang: Lang,
    pub copies: u32,
    pub amount: Yen,
}

impl LineView {
    pub fn name(&self, lang: Lang) -> &str {
        by_lang(lang, &self.name_ja, &self.name_en)
    }
}

/// The confirmation page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfirmView {
    pub tenant: TenantView,
    pub key: String,
    pub lines: Vec<LineView>,
    pub delivery: DeliveryView,
    pub total: Yen,
    pub ready_by: String,
    pub purpose: Option<String>,
    pub address: Vec<String>,
    pub balance: Yen,
    /// How much the balance lacks, when it does.
    pub shortfall: Option<Yen>,
    /// A card and a konbini slip can pay too (a payment gateway is configured).
    pub gateway: bool,
}

/// The gateway's payment of an application, while it waits for it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentView {
    /// The payment's reference, for asking whether it has settled.
    pub reference: String,
    /// The gateway's payment page, for a card.
    pub payment_page: Option<String>,
    /// Paid at a convenience store: its slip's number and deadline once the gateway gave them.
    pub konbini: bool,
    pub konbini_number: Option<String>,
    /// In Japan time, written for the page's language.
    pub konbini_deadline: Option<String>,
}

/// An application in the history and on its own page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationView {
    pub number: String,
    pub status: ApplicationStatus,
    /// JST, to the minute.
    pub applied_at: String,
    pub lines: Vec<LineView>,
    pub delivery_name_ja: String,
    pub delivery_name_en: String,
    pub delivery_fee: Yen,
    pub total: Yen,
    pub ready_by: String,
    pub purpose: Option<String>,
    pub address: Vec<String>,
    pub tracking_number: Option<String>,
    pub timeline: Vec<(ApplicationStatus, String)>,
    /// Each line has its signed document: a PDF's once issued, a campus machine's once ready,
    /// paper's once the office started on it (it prints them).
    pub documents_made: bool,
    pub pay_by: PayBy,
    /// While it waits for the gateway: how to pay.
    pub payment: Option<PaymentView>,
}

impl ApplicationView {
    pub fn delivery_name(&self, lang: Lang) -> &str {
        by_lang(lang, &self.delivery_name_ja, &self.delivery_name_en)
    }

    /// How it was paid, as its pages say it (`card`: the university's name of its card).
    pub fn paid_by(&self, card: &str, lang: Lang) -> String {
        use domain::i18n::CertificateMsg;
        match self.pay_by {
            PayBy::Balance => CertificateMsg::PayFromBalance.text(lang).replace("{card}", card),
            PayBy::Card => CertificateMsg::PayByCard.text(lang).to_owned(),
            PayBy::Konbini => CertificateMsg::PayByKonbini.text(lang).to_owned(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryView {
    pub tenant: TenantView,
    pub applications: Vec<ApplicationView>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DetailView {
    pub tenant: TenantView,
    pub application: ApplicationView,
}

/// One row of the order form: a type in one language, and the copies typed (empty or 0: none).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineForm {
    pub code: String,
    pub lang: String,
    #[serde(default)]
    pub copies: String,
}

/// The catalogue as this student may order from it, and the card's balance.
#[server(endpoint = "certificate_offers")]
pub async fn certificate_offers(tenant: String) -> Result<OffersView, AppError> {
    use crate::web::{certificates, request, respond};
    let state = request::state()?;
    let at = request::student_at(&state, &tenant, domain::Stage::SignedIn).await?;
    respond(certificates::offers(&state, &at).await)
}

/// `確認画面へ`: checks the order and keeps it for the confirmation page, whose address
/// carries only its key (the key of the application it becomes: a reload or a second tab of
/// it never pays twice).
#[server(endpoint = "review_application")]
pub async fn review_application(
    tenant: String,
    #[server(default)] lines: Vec<LineForm>,
    #[server(default)] delivery: String,
    #[server(default)] address: domain::AddressForm,
    #[server(default)] purpose: String,
) -> Result<(), AppError> {
    use crate::web::{certificates, request, respond};
    let state = request::state()?;
    let at = request::student_at(&state, &tenant, domain::Stage::SignedIn).await?;
    let order = certificates::Order {
        lines: &lines,
        delivery: &delivery,
        address: &address,
        purpose: &purpose,
    };
    let key = respond(certificates::review(&state, &at, order, request::lang()).await)?;
    leptos_axum::redirect(&format!(
        "{}?key={key}",
        Page::CertificatesConfirm.href(&tenant)
    ));
    Ok(())
}

/// The confirmation page's data.
#[server(endpoint = "application_review")]
pub async fn application_review(tenant: String, key: String) -> Result<ConfirmView, AppError> {
    use crate::web::{certificates, request, respond};
    let state = request::state()?;
    let at = request::student_at(&state, &tenant, domain::Stage::SignedIn).await?;
    respond(certificates::confirmation(&state, &at, &key).await)
}

/// `申請する`: makes the application (once per key) and pays it from the balance, then shows
/// it; or, paid by card, sends the student to the gateway's payment page (a konbini slip is
/// shown on the application's page).
#[server(endpoint = "submit_application")]
pub async fn submit_application(
    tenant: String,
    key: String,
    #[server(default)] total: String,
    #[server(default)] pay_by: String,
) -> Result<(), AppError> {
    use crate::web::{certificates, request, respond};
    let state = request::state()?;
    let at = request::student_at(&state, &tenant, domain::Stage::SignedIn).await?;
    let submitted = certificates::submit(&state, &at, &key, (&total, &pay_by)).await;
    if let Err(AppError::Refused(msg)) = &submitted {
        if *msg == domain::i18n::CertificateMsg::PriceChanged.into() {
            // The page again, with the new total and why it is shown again.
            let page = Page::CertificatesConfirm.href(&tenant);
            leptos_axum::redirect(&format!("{page}?key={key}&changed=1"));
            return Ok(());
        }
    }
    let next = match respond(submitted)? {
        certificates::Submitted::Accepted(number) => format!(
            "{}?no={number}&accepted=1",
            Page::CertificatesApplication.href(&tenant)
        ),
        certificates::Submitted::PayAt(page) => page,
        certificates::Submitted::AwaitingPayment(number) => format!(
            "{}?no={number}",
            Page::CertificatesApplication.href(&tenant)
        ),
    };
    leptos_axum::redirect(&next);
    Ok(())
}

/// `申請履歴`: every application of the student, newest first.
#[server(endpoint = "application_history")]
pub async fn application_history(tenant: String) -> Result<HistoryView, AppError> {
    use crate::web::{certificates, request, respond};
    let state = request::state()?;
    let at = request::student_at(&state, &tenant, domain::Stage::SignedIn).await?;
    respond(certificates::history(&state, &at).await)
}

/// One application of the student; another's number is not found.
#[server(endpoint = "application_detail")]
pub async fn application_detail(tenant: String, number: String) -> Result<DetailView, AppError> {
    use crate::web::{certificates, request, respond};
    let state = request::state()?;
    let at = request::student_at(&state, &tenant, domain::Stage::SignedIn).await?;
    respond(certificates::detail(&state, &at, &number).await)
}

/// `申請を取り消す`: while it is 受付済, the whole amount goes back to the card; then its page.
#[server(endpoint = "cancel_application")]
pub async fn cancel_application(tenant: String, number: String) -> Result<(), AppError> {
    use crate::web::{certificates, request, respond};
    let state = request::state()?;
    let at = request::student_at(&state, &tenant, domain::Stage::SignedIn).await?;
    respond(certificates::cancel(&state, &at, &number).await)?;
    leptos_axum::redirect(&format!(
        "{}?no={number}&cancelled=1",
        Page::CertificatesApplication.href(&tenant)
    ));
    Ok(())
}
