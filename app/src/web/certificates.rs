//! The certificate application's views, built from the certificates context's services for
//! the signed-in student, and what its refusals say.

use super::state::AppState;
use crate::api::certificates::{
    ApplicationView, ConfirmView, DeliveryView, DetailView, HistoryView, LineForm, LineView,
    OfferView, OffersView,
};
use crate::error::{AppError, Field};
use backend::account::StudentSession;
use backend::certificates::{self, ApplicationRecord, ApplicationRequest, ApplyError, Quote};
use backend::platform::clock::jst_minute;
use backend::registry::RegistryStudent;
use backend::wallet::{ledger, IdempotencyKey};
use domain::i18n::{CertificateMsg, FieldMsg, Lang};
use domain::{Address, AddressField, AddressForm, CatalogueCode, DeliveryKind, OrderLine, Yen};

impl From<ApplyError> for AppError {
    fn from(err: ApplyError) -> Self {
        let refused = |msg: CertificateMsg| AppError::Refused(msg.into());
        match err {
            ApplyError::NotAStudent => AppError::NotSignedIn,
            ApplyError::NoLines | ApplyError::TooManyLines | ApplyError::LineTwice(_) => {
                refused(CertificateMsg::NoLines)
            }
            ApplyError::UnknownType(_) | ApplyError::NotOrderable { .. } => {
                refused(CertificateMsg::RefusedNotOrderable)
            }
            ApplyError::LanguageNotOffered(_) => refused(CertificateMsg::RefusedLanguage),
            ApplyError::TooManyCopies { .. } => {
                AppError::invalid(Field::Copies, FieldMsg::CopiesTooMany)
            }
            ApplyError::UnknownDelivery => refused(CertificateMsg::ChooseDelivery),
            ApplyError::DeliveryNotAllowed(_) => refused(CertificateMsg::RefusedDelivery),
            ApplyError::AddressNeeded => refused(CertificateMsg::AddressNeeded),
            ApplyError::InsufficientBalance { .. } => refused(CertificateMsg::InsufficientBalance),
            ApplyError::KeyReused => refused(CertificateMsg::KeyReused),
            ApplyError::Storage => AppError::Internal,
        }
    }
}

fn address_field(field: AddressField) -> Field {
    match field {
        AddressField::PostalCode => Field::PostalCode,
        AddressField::Prefecture => Field::Prefecture,
        AddressField::City => Field::City,
        AddressField::Street => Field::Street,
        AddressField::Building => Field::Building,
        AddressField::Recipient => Field::Recipient,
        AddressField::Country => Field::Country,
    }
}

async fn student(state: &AppState, at: &StudentSession) -> Result<RegistryStudent, AppError> {
    Ok(state.accounts.registry_student(at).await?)
}

async fn balance(
    state: &AppState,
    at: &StudentSession,
    student: &RegistryStudent,
) -> Result<Yen, AppError> {
    Ok(ledger::balance(&state.db, at.tenant.id, student.id).await?)
}

pub async fn offers(state: &AppState, at: &StudentSession) -> Result<OffersView, AppError> {
    let student = student(state, at).await?;
    let today = state.applications.today();
    let catalogue = certificates::current(&state.db, at.tenant.id, today).await?;
    let offers = certificates::offers(&state.db, at.tenant.id, student.id, today)
        .await?
        .ok_or(AppError::NotSignedIn)?;
    let delivery_names = |codes: &[CatalogueCode]| {
        catalogue
            .deliveries
            .iter()
            .filter(|d| codes.contains(&d.code))
            .map(|d| (d.name_ja.clone(), d.name_en.clone()))
            .collect()
    };
    let offers = offers
        .into_iter()
        .map(|offer| OfferView {
            code: offer.kind.code.to_string(),
            name_ja: offer.kind.name_ja.clone(),
            name_en: offer.kind.name_en.clone(),
            languages: offer.kind.languages.clone(),
            fee: offer.kind.fee,
            max_copies: offer.kind.max_copies,
            deliveries: delivery_names(&offer.kind.deliveries),
            refusal: offer.refusal,
            ready_by: offer.expected_on.format("%Y-%m-%d").to_string(),
        })
        .collect();
    let deliveries = catalogue.deliveries.iter().map(delivery_view).collect();
    Ok(OffersView {
        tenant: at.tenant.clone().into(),
        offers,
        deliveries,
        balance: balance(state, at, &student).await?,
    })
}

fn delivery_view(method: &certificates::DeliveryMethod) -> DeliveryView {
    DeliveryView {
        code: method.code.to_string(),
        kind: method.kind,
        name_ja: method.name_ja.clone(),
        name_en: method.name_en.clone(),
        fee: method.fee,
    }
}

/// What the order form sent, as typed.
pub struct Order<'a> {
    pub lines: &'a [LineForm],
    pub delivery: &'a str,
    pub address: &'a AddressForm,
    pub purpose: &'a str,
}

/// The order form parsed: every field's own rule first, then the catalogue's.
fn parse(
    order: &Order<'_>,
    delivery: Option<DeliveryKind>,
    lang: Lang,
) -> Result<ApplicationRequest, AppError> {
    let mut lines = Vec::new();
    for line in order.lines {
        let copies = line.copies.trim();
        if copies.is_empty() || copies == "0" {
            continue;
        }
        let copies = domain::copies(copies)
            .ok_or(AppError::invalid(Field::Copies, FieldMsg::CopiesInvalid))?;
        let code = CatalogueCode::parse(&line.code).ok_or(AppError::Refused(
            CertificateMsg::RefusedNotOrderable.into(),
        ))?;
        let lang = Lang::from_code(&line.lang)
            .ok_or(AppError::Refused(CertificateMsg::RefusedLanguage.into()))?;
        lines.push(OrderLine { code, lang, copies });
    }
    let purpose =
        domain::purpose(order.purpose).map_err(|msg| AppError::invalid(Field::Purpose, msg))?;
    let address = match delivery {
        Some(DeliveryKind::Post) => Some(Address::japan(order.address)),
        Some(DeliveryKind::Ems) => Some(Address::abroad(order.address)),
        _ => None,
    }
    .transpose()
    .map_err(|faults| {
        let (field, msg) = faults[0];
        AppError::invalid(address_field(field), msg)
    })?;
    let delivery = CatalogueCode::parse(order.delivery)
        .ok_or(AppError::Refused(CertificateMsg::ChooseDelivery.into()))?;
    Ok(ApplicationRequest {
        lines,
        purpose,
        delivery,
        address,
        lang,
    })
}

/// Checks the order and keeps it; the key of its confirmation page.
pub async fn review(
    state: &AppState,
    at: &StudentSession,
    order: Order<'_>,
    lang: Lang,
) -> Result<String, AppError> {
    let student = student(state, at).await?;
    let catalogue =
        certificates::current(&state.db, at.tenant.id, state.applications.today()).await?;
    let kind = catalogue
        .deliveries
        .iter()
        .find(|d| d.code.as_str() == order.delivery)
        .map(|d| d.kind);
    let request = parse(&order, kind, lang)?;
    let (key, _) = state.applications.draft(at.tenant.id, &student, &request).await?;
    Ok(key)
}

fn line_views(quote: &Quote) -> Vec<LineView> {
    quote
        .lines
        .iter()
        .map(|line| LineView {
            name_ja: line.kind.name_ja.clone(),
            name_en: line.kind.name_en.clone(),
            lang: line.lang,
            copies: line.copies,
            amount: line.amount,
        })
        .collect()
}

pub async fn confirmation(
    state: &AppState,
    at: &StudentSession,
    key: &str,
) -> Result<ConfirmView, AppError> {
    let student = student(state, at).await?;
    let (request, quote) = state
        .applications
        .draft_of(at.tenant.id, &student, key)
        .await?
        .ok_or(AppError::Refused(CertificateMsg::DraftGone.into()))?;
    let quote = quote?;
    let balance = balance(state, at, &student).await?;
    let shortfall = Yen::new(quote.total.get() - balance.get()).filter(|short| *short > Yen::ZERO);
    Ok(ConfirmView {
        tenant: at.tenant.clone().into(),
        key: key.to_owned(),
        lines: line_views(&quote),
        delivery: delivery_view(&quote.delivery),
        total: quote.total,
        ready_by: quote.expected_on.format("%Y-%m-%d").to_string(),
        purpose: request.purpose.clone(),
        address: request.address.as_ref().map(Address::lines).unwrap_or_default(),
        balance,
        shortfall,
    })
}

/// Pays and makes the application of draft `key`; its number.
pub async fn submit(state: &AppState, at: &StudentSession, key: &str) -> Result<String, AppError> {
    let student = student(state, at).await?;
    let key =
        IdempotencyKey::parse(key).ok_or(AppError::Refused(CertificateMsg::DraftGone.into()))?;
    let actor = super::request::actor();
    let applied = state
        .applications
        .apply_draft(&actor, &at.tenant, student.id, &key)
        .await?
        .ok_or(AppError::Refused(CertificateMsg::DraftGone.into()))?;
    Ok(applied.number)
}

fn application_view(record: ApplicationRecord) -> ApplicationView {
    ApplicationView {
        number: record.number,
        status: record.status,
        applied_at: jst_minute(record.created_at),
        lines: record
            .lines
            .into_iter()
            .map(|line| LineView {
                name_ja: line.name_ja,
                name_en: line.name_en,
                lang: line.lang,
                copies: line.copies,
                amount: line.amount,
            })
            .collect(),
        delivery_name_ja: record.delivery_name_ja,
        delivery_name_en: record.delivery_name_en,
        delivery_fee: record.delivery_fee,
        total: record.total,
        ready_by: record.expected_on,
        purpose: record.purpose,
        address: record.address.as_ref().map(Address::lines).unwrap_or_default(),
        tracking_number: record.tracking_number,
        timeline: record
            .timeline
            .into_iter()
            .map(|(status, at)| (status, jst_minute(at)))
            .collect(),
    }
}

pub async fn history(state: &AppState, at: &StudentSession) -> Result<HistoryView, AppError> {
    let student = student(state, at).await?;
    let records = state.applications.of_student(at.tenant.id, student.id).await?;
    Ok(HistoryView {
        tenant: at.tenant.clone().into(),
        applications: records.into_iter().map(application_view).collect(),
    })
}

pub async fn detail(
    state: &AppState,
    at: &StudentSession,
    number: &str,
) -> Result<DetailView, AppError> {
    let student = student(state, at).await?;
    let id = domain::parse_application_number(number).ok_or(AppError::NotFound)?;
    let record = state
        .applications
        .one_of_student(at.tenant.id, student.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(DetailView {
        tenant: at.tenant.clone().into(),
        application: application_view(record),
    })
}
