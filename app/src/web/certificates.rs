//! The certificate application's views, built from the certificates context's services for
//! the signed-in student, and what its refusals say.

use super::state::AppState;
use crate::api::certificates::{
    ApplicationView, ConfirmView, DeliveryView, DetailView, HistoryView, LineForm, LineView,
    OfferView, OffersView, PaymentView,
};
use crate::api::staff_applications::{
    IssuedCertificateView, QueueQuery, QueueRowView, QueueView, StaffApplicationView,
};
use crate::error::{AppError, Field};
use backend::account::StudentSession;
use backend::certificates::{
    self, ActionError, ApplicationRecord, ApplicationRequest, ApplyError, PayWith, QueueFilter,
    Quote, StaffAction,
};
use backend::entities::tenant;
use backend::platform::clock::jst_day_start;
use backend::platform::clock::jst_minute;
use backend::platform::outbox::format_jst;
use backend::registry::RegistryStudent;
use backend::wallet::gateway::PaymentMethod;
use backend::wallet::top_ups::TopUp;
use backend::wallet::{ledger, IdempotencyKey};
use domain::i18n::{CertificateMsg, FieldMsg, Lang};
use domain::{
    Address, AddressField, AddressForm, ApplicationStatus, CatalogueCode, DeliveryKind, OrderLine,
    PayBy, Permission, StaffMember, UserId, Yen,
};

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
            ApplyError::PriceChanged { .. } => refused(CertificateMsg::PriceChanged),
            ApplyError::GatewayUnavailable => refused(CertificateMsg::GatewayUnavailable),
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
    let catalogue = state.applications.catalogue(at.tenant.id).await?;
    let offers = certificates::offers_from(&catalogue, &student, today);
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
        gateway: state.applications.takes_gateway_payments(),
    })
}

pub(super) fn delivery_view(method: &certificates::DeliveryMethod) -> DeliveryView {
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
    let catalogue = state.applications.catalogue(at.tenant.id).await?;
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
        gateway: state.applications.takes_gateway_payments(),
    })
}

/// What `申請する` came to.
pub enum Submitted {
    /// Paid from the balance: its number.
    Accepted(String),
    /// Paid by card: the gateway's payment page.
    PayAt(String),
    /// Waiting for a konbini payment (or a card payment whose page is not known): its number.
    AwaitingPayment(String),
}

/// Makes the application of draft `key` at the total its page showed (`shown`, in yen as the
/// form carries it), paid as `pay_by` says (empty: from the balance).
pub async fn submit(
    state: &AppState,
    at: &StudentSession,
    key: &str,
    (shown, pay_by): (&str, &str),
) -> Result<Submitted, AppError> {
    let student = student(state, at).await?;
    let key =
        IdempotencyKey::parse(key).ok_or(AppError::Refused(CertificateMsg::DraftGone.into()))?;
    let shown = shown.trim().parse::<i64>().ok().and_then(Yen::new);
    let pay_by = match pay_by.trim() {
        "" => PayBy::Balance,
        code => {
            PayBy::from_code(code).ok_or(AppError::Refused(CertificateMsg::ChoosePayment.into()))?
        }
    };
    let slug = at.tenant.slug.clone();
    let settings = state.settings.clone();
    let return_url = move |number: &str| {
        let page = crate::routes::Page::CertificatesApplication.href(&slug);
        settings.link(&format!("{page}?no={number}"))
    };
    let pay = PayWith {
        pay_by,
        return_url: &return_url,
        notify_url: super::wallet::notify_url(state, &at.tenant.slug),
    };
    let actor = super::request::actor();
    let applied = state
        .applications
        .apply_draft(&actor, &at.tenant, (student.id, &key), (shown, pay))
        .await?
        .ok_or(AppError::Refused(CertificateMsg::DraftGone.into()))?;
    Ok(match applied.payment {
        Some(TopUp {
            method: PaymentMethod::Card,
            redirect_url: Some(page),
            state: backend::wallet::top_ups::TopUpState::AwaitingPayment,
            ..
        }) => Submitted::PayAt(page),
        Some(_) => Submitted::AwaitingPayment(applied.number),
        None => Submitted::Accepted(applied.number),
    })
}

fn payment_view(payment: TopUp, lang: Lang) -> Option<PaymentView> {
    use backend::wallet::top_ups::TopUpState;
    let waiting = matches!(
        payment.state,
        TopUpState::Creating | TopUpState::Opening | TopUpState::AwaitingPayment
    );
    waiting.then(|| PaymentView {
        reference: payment.reference,
        payment_page: payment.redirect_url.filter(|_| payment.method == PaymentMethod::Card),
        konbini: payment.method == PaymentMethod::Konbini,
        konbini_number: payment.konbini_number,
        konbini_deadline: payment.konbini_deadline.map(|at| format_jst(at, lang)),
    })
}

fn application_view(record: ApplicationRecord) -> ApplicationView {
    // The status at which its certificates were made and signed (see `StaffAction`).
    let made_at = match record.delivery_kind {
        Some(DeliveryKind::Pdf) => Some(ApplicationStatus::Issued),
        Some(DeliveryKind::CampusPrint) => Some(ApplicationStatus::Ready),
        Some(DeliveryKind::Post | DeliveryKind::Ems | DeliveryKind::Pickup) => {
            Some(ApplicationStatus::Processing)
        }
        None => None,
    };
    let documents_made = record.timeline.iter().any(|(status, _)| Some(*status) == made_at);
    ApplicationView {
        documents_made,
        pay_by: record.pay_by,
        payment: None,
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
    let payment = match record.status {
        ApplicationStatus::AwaitingPayment => state.applications.payment_of(&record).await?,
        _ => None,
    };
    let mut application = application_view(record);
    let lang = super::request::lang();
    application.payment = payment.and_then(|payment| payment_view(payment, lang));
    Ok(DetailView {
        tenant: at.tenant.clone().into(),
        application,
    })
}

impl From<ActionError> for AppError {
    fn from(err: ActionError) -> Self {
        match err {
            ActionError::Forbidden => AppError::Forbidden,
            ActionError::NotFound => AppError::NotFound,
            ActionError::NotNow(_) => AppError::Refused(CertificateMsg::ChangedMeanwhile.into()),
            ActionError::WrongDelivery => AppError::Refused(CertificateMsg::WrongDelivery.into()),
            ActionError::BadTracking => {
                AppError::invalid(Field::Tracking, FieldMsg::TrackingInvalid)
            }
            ActionError::BadReason => AppError::invalid(Field::Reason, FieldMsg::BadReason),
            ActionError::MissingFact(fact) => AppError::RefusedNaming {
                msg: CertificateMsg::IssueMissingFact.into(),
                detail: [
                    fact.text(Lang::Ja).to_owned(),
                    fact.text(Lang::En).to_owned(),
                ],
            },
            ActionError::NoContent => AppError::Refused(CertificateMsg::IssueNoContent.into()),
            ActionError::Unprintable(c) => {
                let named = format!("「{c}」(U+{:04X})", u32::from(c));
                AppError::RefusedNaming {
                    msg: CertificateMsg::IssueUnprintable.into(),
                    detail: [named.clone(), named],
                }
            }
            ActionError::NotSigned => AppError::Refused(CertificateMsg::IssueNotSigned.into()),
            ActionError::AlreadyRevoked => {
                AppError::Refused(CertificateMsg::RefusedAlreadyRevoked.into())
            }
            ActionError::Storage => AppError::Internal,
        }
    }
}

/// Which line of an application a download asks for: 1-based in the address, as the page
/// counts them.
pub(super) fn line_position(line: &str) -> Result<i32, AppError> {
    match line.trim().parse::<i32>() {
        Ok(n) if (1..=domain::MAX_LINES as i32).contains(&n) => Ok(n - 1),
        _ => Err(AppError::NotFound),
    }
}

/// The PDF of line `line` of the signed-in student's application `number`, while it stands
/// issued; another student's answers as one that does not exist.
pub async fn student_pdf(
    state: &AppState,
    at: &StudentSession,
    which: (&str, &str),
) -> Result<certificates::IssuedPdf, AppError> {
    let (student, id, position) = student_line(state, at, which).await?;
    state
        .applications
        .pdf_of_student(at.tenant.id, student, id, position)
        .await?
        .ok_or(AppError::NotFound)
}

/// The Verifiable Credential of the same certificate, on the same terms; a revoked one has
/// none.
pub async fn student_credential(
    state: &AppState,
    at: &StudentSession,
    which: (&str, &str),
) -> Result<certificates::IssuedCredential, AppError> {
    let (student, id, position) = student_line(state, at, which).await?;
    let document = state
        .applications
        .document_of_student(at.tenant.id, student, id, position)
        .await?
        .ok_or(AppError::NotFound)?;
    state.verifications.credential(&document).await?.ok_or(AppError::NotFound)
}

/// The signed-in student, and the application and line a download names.
async fn student_line(
    state: &AppState,
    at: &StudentSession,
    (number, line): (&str, &str),
) -> Result<(domain::StudentId, i32, i32), AppError> {
    let student = student(state, at).await?;
    let id = domain::parse_application_number(number).ok_or(AppError::NotFound)?;
    Ok((student.id, id, line_position(line)?))
}

/// The same PDF for a signed-in staff member who may read the university's students.
pub async fn staff_pdf(
    state: &AppState,
    (slug, raw): (&str, Option<String>),
    actor: &backend::platform::audit::Actor,
    (number, line): (&str, &str),
) -> Result<certificates::IssuedPdf, AppError> {
    let (tenant, member, _) =
        super::staff::member_with(state, slug, raw, backend::staff::StaffStage::SignedIn).await?;
    let id = domain::parse_application_number(number).ok_or(AppError::NotFound)?;
    let position = line_position(line)?;
    state
        .applications
        .pdf_for_staff((&member, actor), tenant.id, id, position)
        .await?
        .ok_or(AppError::NotFound)
}

/// `申請を取り消す` of the signed-in student's application `number`.
pub async fn cancel(state: &AppState, at: &StudentSession, number: &str) -> Result<(), AppError> {
    let student = student(state, at).await?;
    let id = domain::parse_application_number(number).ok_or(AppError::NotFound)?;
    let actor = super::request::actor();
    match state.applications.cancel_by_student(&actor, &at.tenant, student.id, id).await {
        Ok(_) => Ok(()),
        Err(ActionError::NotNow(_)) => Err(AppError::Refused(CertificateMsg::CancelTooLate.into())),
        Err(other) => Err(other.into()),
    }
}

/// The queue's filter from the address's, and a date that could not be read (left out).
fn queue_filter(query: &QueueQuery) -> (QueueFilter, Option<CertificateMsg>) {
    let mut problem = None;
    let mut day = |text: &str, after: i64| {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        let start = jst_day_start(text);
        if start.is_none() {
            problem = Some(CertificateMsg::BadDate);
        }
        start.map(|ms| ms + after)
    };
    let from_ms = day(&query.from, 0);
    let until_ms = day(&query.until, 24 * 60 * 60 * 1000);
    let filter = QueueFilter {
        status: ApplicationStatus::from_code(query.status.trim()),
        type_code: Some(query.certificate.trim().to_owned()).filter(|code| !code.is_empty()),
        delivery_code: Some(query.delivery.trim().to_owned()).filter(|code| !code.is_empty()),
        from_ms,
        until_ms,
        user_id: UserId::parse(query.student.trim()).ok(),
    };
    (filter, problem)
}

/// The queue for a staff member, filtered as `query` says (a date that cannot be read is
/// left out, and said so).
pub async fn queue(
    state: &AppState,
    (tenant, member): (tenant::Model, &StaffMember),
    query: QueueQuery,
) -> Result<QueueView, AppError> {
    let actor = super::request::actor();
    let (filter, problem) = queue_filter(&query);
    let rows = state.applications.queue((member, &actor), tenant.id, &filter).await?;
    let catalogue = state.applications.catalogue(tenant.id).await?;
    Ok(QueueView {
        tenant: tenant.into(),
        query,
        rows: rows
            .into_iter()
            .map(|row| QueueRowView {
                application: application_view(row.record),
                user_id: row.student.user_id,
                name: row.student.name,
            })
            .collect(),
        types: catalogue
            .types
            .iter()
            .map(|kind| {
                (
                    kind.code.to_string(),
                    kind.name_ja.clone(),
                    kind.name_en.clone(),
                )
            })
            .collect(),
        deliveries: catalogue
            .deliveries
            .iter()
            .map(|d| (d.code.to_string(), d.name_ja.clone(), d.name_en.clone()))
            .collect(),
        problem,
    })
}

/// What `member` may do to an application in `status` delivered by `kind`, as the form's
/// action names.
fn open_actions(
    member: &StaffMember,
    tenant_id: i32,
    status: ApplicationStatus,
    kind: Option<DeliveryKind>,
) -> Vec<String> {
    use ApplicationStatus::*;
    if !member.may(Permission::ProcessApplications, tenant_id) {
        return Vec::new();
    }
    let mut actions: Vec<&str> = match (status, kind) {
        (Accepted, _) => vec!["start"],
        (Processing, Some(DeliveryKind::Pdf)) => vec!["issue"],
        (Processing, Some(DeliveryKind::Post | DeliveryKind::Ems)) => vec!["send"],
        (Processing, Some(DeliveryKind::Pickup | DeliveryKind::CampusPrint)) => vec!["ready"],
        (Ready, _) => vec!["collect"],
        _ => vec![],
    };
    let cancellable = match status {
        Accepted | Processing => true,
        Issued | Sent | Ready => member.may(Permission::CancelIssuedApplications, tenant_id),
        AwaitingPayment | Unpaid | Collected | Cancelled => false,
    };
    if cancellable {
        actions.push("cancel");
    }
    actions.into_iter().map(str::to_owned).collect()
}

pub async fn for_staff(
    state: &AppState,
    (tenant, member): (tenant::Model, &StaffMember),
    number: &str,
) -> Result<StaffApplicationView, AppError> {
    let actor = super::request::actor();
    let id = domain::parse_application_number(number).ok_or(AppError::NotFound)?;
    let row = state
        .applications
        .for_staff((member, &actor), tenant.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let actions = open_actions(
        member,
        tenant.id,
        row.record.status,
        row.record.delivery_kind,
    );
    let cancel_reason = row.record.cancel_reason.clone();
    let issued = state.applications.issued_certificates((member, &actor), tenant.id, id);
    let certificates = issued.await?.into_iter().map(issued_certificate_view).collect();
    let may_revoke = member.may(Permission::CancelIssuedApplications, tenant.id);
    Ok(StaffApplicationView {
        tenant: tenant.into(),
        application: application_view(row.record),
        cancel_reason,
        user_id: row.student.user_id,
        name: row.student.name,
        student_number: row.student.student_number,
        registry_status: row.student.status,
        actions,
        certificates,
        may_revoke,
    })
}

fn issued_certificate_view(issued: certificates::IssuedCertificate) -> IssuedCertificateView {
    IssuedCertificateView {
        index: usize::try_from(issued.position).unwrap_or_default(),
        page: issued.document_id.as_deref().map(crate::routes::verification_href),
        revoked: issued.revoked.map(|(at, reason)| {
            (
                certificates::jst_date(at).format("%Y-%m-%d").to_string(),
                reason,
            )
        }),
    }
}

/// Revokes line `line` (1-based) of application `number` with reason `reason` (a
/// `RevocationReason` code), for an admin.
pub async fn revoke(
    state: &AppState,
    (tenant, member): (tenant::Model, &StaffMember),
    number: &str,
    (line, reason): (&str, &str),
) -> Result<(), AppError> {
    let actor = super::request::actor();
    let id = domain::parse_application_number(number).ok_or(AppError::NotFound)?;
    let position = line_position(line)?;
    let reason = domain::RevocationReason::from_code(reason.trim()).ok_or(AppError::invalid(
        Field::Reason,
        FieldMsg::ChooseRevocationReason,
    ))?;
    let by = (member, &actor);
    Ok(state.applications.revoke(by, &tenant, id, position, reason).await?)
}

pub async fn staff_act(
    state: &AppState,
    (tenant, member): (tenant::Model, &StaffMember),
    number: &str,
    action: &str,
    (tracking, reason): (String, String),
) -> Result<ApplicationStatus, AppError> {
    let actor = super::request::actor();
    let id = domain::parse_application_number(number).ok_or(AppError::NotFound)?;
    let action = match action {
        "start" => StaffAction::Start,
        "issue" => StaffAction::Issue,
        "send" => StaffAction::Send { tracking },
        "ready" => StaffAction::MakeReady,
        "collect" => StaffAction::Collect,
        "cancel" => StaffAction::Cancel { reason },
        _ => return Err(AppError::NotFound),
    };
    Ok(state.applications.act((member, &actor), &tenant, id, action).await?)
}

/// The queue as CSV (the page's filter), for a signed-in member who may read it; with a
/// byte-order mark so spreadsheet programs read UTF-8.
pub async fn queue_csv(
    state: &AppState,
    (slug, raw): (&str, Option<String>),
    actor: &backend::platform::audit::Actor,
    query: QueueQuery,
    lang: Lang,
) -> Result<String, AppError> {
    use super::staff::{csv_field, member_with};
    let (tenant, member, _) =
        member_with(state, slug, raw, backend::staff::StaffStage::SignedIn).await?;
    let filter = queue_filter(&query).0;
    let rows = state.applications.queue((&member, actor), tenant.id, &filter).await?;
    let header = [
        CertificateMsg::ColNumber,
        CertificateMsg::ColDate,
        CertificateMsg::ColStatus,
        CertificateMsg::FilterUserId,
        CertificateMsg::ColStudent,
        CertificateMsg::ColContents,
        CertificateMsg::FilterDelivery,
        CertificateMsg::AddressRow,
        CertificateMsg::TrackingRow,
        CertificateMsg::TotalRow,
    ]
    .map(|msg| csv_field(msg.text(lang)));
    let mut out = format!("\u{feff}{}\r\n", header.join(","));
    for row in rows {
        let view = application_view(row.record);
        let contents = view
            .lines
            .iter()
            .map(|line| {
                format!(
                    "{} ({}) x{}",
                    line.name(lang),
                    line.lang.code(),
                    line.copies
                )
            })
            .collect::<Vec<_>>()
            .join("; ");
        let fields = [
            view.number.clone(),
            view.applied_at.clone(),
            view.status.msg().text(lang).to_owned(),
            row.student.user_id.clone(),
            row.student.name.clone(),
            contents,
            view.delivery_name(lang).to_owned(),
            view.address.join(" "),
            view.tracking_number.clone().unwrap_or_default(),
            view.total.get().to_string(),
        ]
        .map(|field| csv_field(&field));
        out.push_str(&fields.join(","));
        out.push_str("\r\n");
    }
    Ok(out)
}

impl From<certificates::ClosureError> for AppError {
    fn from(err: certificates::ClosureError) -> Self {
        use certificates::ClosureError;
        let refused = |msg: CertificateMsg| AppError::Refused(msg.into());
        match err {
            ClosureError::Forbidden => AppError::Forbidden,
            ClosureError::Past => refused(CertificateMsg::ClosurePast),
            ClosureError::AlreadyClosed => refused(CertificateMsg::ClosureTwice),
            ClosureError::NotClosed => AppError::NotFound,
            ClosureError::BadNote => refused(CertificateMsg::ClosureBadNote),
            ClosureError::Storage(_) => AppError::Internal,
        }
    }
}

/// The office's closure days from today (JST) on, for a member who may read the settings.
pub async fn calendar(
    state: &AppState,
    (tenant, member): (tenant::Model, &StaffMember),
) -> Result<crate::api::staff_calendar::CalendarView, AppError> {
    use crate::api::staff_calendar::{CalendarView, ClosureView};
    let actor = super::request::actor();
    let today = state.applications.today();
    let days = certificates::calendar(&state.db, (member, &actor), tenant.id, today).await?;
    Ok(CalendarView {
        editable: member.may(Permission::ChangeSettings, tenant.id),
        tenant: tenant.into(),
        days: days
            .into_iter()
            .map(|closure| ClosureView {
                day: closure.day.format("%Y-%m-%d").to_string(),
                note: closure.note,
            })
            .collect(),
        today: today.format("%Y-%m-%d").to_string(),
    })
}

pub async fn close_day(
    state: &AppState,
    (tenant, member): (tenant::Model, &StaffMember),
    day: &str,
    note: &str,
) -> Result<(), AppError> {
    let actor = super::request::actor();
    let day = certificates::parse_day(day)
        .ok_or(AppError::Refused(CertificateMsg::ClosureBadDay.into()))?;
    let today = state.applications.today();
    let by = (member, &actor);
    Ok(certificates::close_day(&state.db, by, tenant.id, (day, note), today).await?)
}

pub async fn reopen_day(
    state: &AppState,
    (tenant, member): (tenant::Model, &StaffMember),
    day: &str,
) -> Result<(), AppError> {
    let actor = super::request::actor();
    let day = certificates::parse_day(day)
        .ok_or(AppError::Refused(CertificateMsg::ClosureBadDay.into()))?;
    let today = state.applications.today();
    Ok(certificates::reopen_day(&state.db, (member, &actor), tenant.id, day, today).await?)
}
