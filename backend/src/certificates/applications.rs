//! A student's application for certificates (各種証明書のオンライン申請): checked against the
//! catalogue and the student's registry record, priced, and paid from the card in the same
//! transaction that writes it. One application per idempotency key: a double click, a reload
//! or a second tab of one confirmation page pays once.

use super::calendar::expected_on;
use super::catalogue::{closures_from, delivery_of, type_of, CertificateType, DeliveryMethod};
use super::eligibility::refusal;
use super::issuance::CertificateRenderer;
use crate::account;
use crate::entities::{
    application, application_draft, application_event, application_line, certificate_type,
    delivery_method, tenant,
};
use crate::platform::audit::{self, Actor, Event, Subject};
use crate::platform::clock::{to_jst, Clock};
use crate::platform::mail_messages::MailMsg;
use crate::platform::outbox::{enqueue, statement_mail};
use crate::platform::secrets::{random_secret, sha256_hex};
use crate::platform::{begin, is_unique_violation, storage, Db, StorageError};
use crate::registry::{self, RegistryStudent};
use crate::tenancy;
use crate::wallet::{IdempotencyKey, Payment, Wallet, WalletError};
use chrono::NaiveDate;
use domain::i18n::Lang;
use domain::{
    application_number, Address, ApplicationStatus, CatalogueCode, DeliveryKind, OrderLine,
    OrderRefusal, StudentId, Yen, MAX_LINES,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

/// What a student asks for, parsed.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ApplicationRequest {
    pub lines: Vec<OrderLine>,
    pub purpose: Option<String>,
    pub delivery: CatalogueCode,
    pub address: Option<Address>,
    /// The language of the pages it was made in: that of its mails.
    pub lang: Lang,
}

/// Why an application is refused. Nothing is written for any of them.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ApplyError {
    #[error("no such student at this university")]
    NotAStudent,
    #[error("no certificate chosen")]
    NoLines,
    #[error("more than {MAX_LINES} lines")]
    TooManyLines,
    #[error("{0} in one language appears twice")]
    LineTwice(CatalogueCode),
    #[error("{0} is not in the catalogue")]
    UnknownType(CatalogueCode),
    #[error("{code} may not be ordered by this student")]
    NotOrderable {
        code: CatalogueCode,
        refusal: OrderRefusal,
    },
    #[error("{0} is not issued in that language")]
    LanguageNotOffered(CatalogueCode),
    #[error("at most {max} copies of {code}")]
    TooManyCopies { code: CatalogueCode, max: u32 },
    #[error("no such delivery method")]
    UnknownDelivery,
    #[error("{0} cannot be delivered that way")]
    DeliveryNotAllowed(CatalogueCode),
    #[error("this delivery needs an address of its kind")]
    AddressNeeded,
    #[error("the balance ({balance} yen) is {shortfall} yen short")]
    InsufficientBalance { balance: Yen, shortfall: Yen },
    #[error("this idempotency key was used for another application")]
    KeyReused,
    /// The catalogue's prices changed after the confirmation page showed its total: nothing
    /// is charged until the student has seen the new one.
    #[error("the total is {now} yen now, not the {shown} yen shown")]
    PriceChanged { shown: Yen, now: Yen },
    #[error("storage failed")]
    Storage,
}

impl From<StorageError> for ApplyError {
    fn from(StorageError: StorageError) -> Self {
        ApplyError::Storage
    }
}

/// One line as it would be bought.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuotedLine {
    pub type_id: i32,
    pub kind: CertificateType,
    pub lang: Lang,
    pub copies: u32,
    pub amount: Yen,
}

/// An application checked and priced, for the confirmation page and for paying it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Quote {
    pub lines: Vec<QuotedLine>,
    pub delivery_id: i32,
    pub delivery: DeliveryMethod,
    pub total: Yen,
    pub expected_on: NaiveDate,
}

/// An application that was accepted (now, or before under the same key).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Applied {
    pub id: i32,
    pub number: String,
    pub total: Yen,
    /// The card's balance after paying; `None` for a replay, which moved nothing.
    pub balance: Option<Yen>,
    pub replayed: bool,
}

/// Checks `request` of `student` on `today` against the university's catalogue, and prices it.
pub async fn quote(
    db: &impl ConnectionTrait,
    student: &RegistryStudent,
    request: &ApplicationRequest,
    today: NaiveDate,
) -> Result<Quote, ApplyError> {
    if request.lines.is_empty() {
        return Err(ApplyError::NoLines);
    }
    if request.lines.len() > MAX_LINES {
        return Err(ApplyError::TooManyLines);
    }
    let tenant_id = student.tenant_id;
    let types = certificate_type::Entity::find()
        .filter(certificate_type::Column::TenantId.eq(tenant_id))
        .filter(certificate_type::Column::WithdrawnAt.is_null())
        .all(db)
        .await
        .map_err(storage("reading certificate types"))?;
    let mut seen = BTreeSet::new();
    let mut lines = Vec::new();
    let mut total = Yen::ZERO;
    for line in &request.lines {
        if !seen.insert((line.code.clone(), line.lang.code())) {
            return Err(ApplyError::LineTwice(line.code.clone()));
        }
        let (type_id, kind) = types
            .iter()
            .find(|row| row.code == line.code.as_str())
            .and_then(|row| Some((row.id, type_of(row.clone())?)))
            .ok_or_else(|| ApplyError::UnknownType(line.code.clone()))?;
        if let Some(refusal) = refusal(&kind, student, today) {
            return Err(ApplyError::NotOrderable {
                code: line.code.clone(),
                refusal,
            });
        }
        if !kind.languages.contains(&line.lang) {
            return Err(ApplyError::LanguageNotOffered(line.code.clone()));
        }
        if line.copies == 0 || line.copies > kind.max_copies {
            return Err(ApplyError::TooManyCopies {
                code: line.code.clone(),
                max: kind.max_copies,
            });
        }
        let amount = times(kind.fee, line.copies).ok_or(ApplyError::Storage)?;
        total = total.checked_add(amount).ok_or(ApplyError::Storage)?;
        lines.push(QuotedLine {
            type_id,
            kind,
            lang: line.lang,
            copies: line.copies,
            amount,
        });
    }
    let (delivery_id, delivery) = delivery_method::Entity::find()
        .filter(delivery_method::Column::TenantId.eq(tenant_id))
        .filter(delivery_method::Column::WithdrawnAt.is_null())
        .filter(delivery_method::Column::Code.eq(request.delivery.as_str()))
        .one(db)
        .await
        .map_err(storage("reading a delivery method"))?
        .and_then(|row| Some((row.id, delivery_of(row)?)))
        .ok_or(ApplyError::UnknownDelivery)?;
    if let Some(line) = lines.iter().find(|line| !line.kind.deliveries.contains(&delivery.code)) {
        return Err(ApplyError::DeliveryNotAllowed(line.kind.code.clone()));
    }
    let address_fits = match (delivery.kind, &request.address) {
        (DeliveryKind::Post, Some(Address::Japan { .. })) => true,
        (DeliveryKind::Ems, Some(Address::Abroad { .. })) => true,
        (DeliveryKind::Post | DeliveryKind::Ems, _) => false,
        // An address given for a delivery that needs none is not kept.
        _ => true,
    };
    if !address_fits {
        return Err(ApplyError::AddressNeeded);
    }
    total = total.checked_add(delivery.fee).ok_or(ApplyError::Storage)?;
    let closed: BTreeSet<NaiveDate> = closures_from(db, tenant_id, today)
        .await?
        .into_iter()
        .map(|closure| closure.day)
        .collect();
    let slowest = lines.iter().map(|line| line.kind.working_days).max().unwrap_or(0);
    Ok(Quote {
        lines,
        delivery_id,
        delivery,
        total,
        expected_on: expected_on(today, slowest, &closed),
    })
}

fn times(fee: Yen, copies: u32) -> Option<Yen> {
    Yen::new(fee.get().checked_mul(i64::from(copies))?)
}

/// The day in JST of `now_ms`.
pub fn jst_date(now_ms: i64) -> NaiveDate {
    to_jst(now_ms).date_naive()
}

/// How long a checked application waits for its confirmation.
const DRAFT_KEPT_FOR_MS: i64 = 24 * 60 * 60 * 1000;

/// Students' applications: made, paid and read back.
#[derive(Clone)]
pub struct Applications {
    pub db: Db,
    pub clock: Clock,
    pub wallet: Wallet,
    /// Makes the PDF of a certificate issued electronically.
    pub renderer: Arc<dyn CertificateRenderer>,
}

impl Applications {
    pub fn new(db: Db, wallet: Wallet, renderer: Arc<dyn CertificateRenderer>) -> Self {
        Self {
            db,
            clock: Clock::system(),
            wallet,
            renderer,
        }
    }

    /// Today in JST, by this handle's clock.
    pub fn today(&self) -> NaiveDate {
        jst_date(self.clock.now_ms())
    }

    /// Checks, prices and pays `request` of `student` from the card, once per `key`: the same
    /// key again answers with the application it made; with another request it is refused.
    pub async fn apply(
        &self,
        actor: &Actor,
        tenant: &tenant::Model,
        student: StudentId,
        request: &ApplicationRequest,
        key: &IdempotencyKey,
    ) -> Result<Applied, ApplyError> {
        self.apply_at_total(actor, tenant, (student, request, key), None).await
    }

    /// [`Applications::apply`], refused with `PriceChanged` unless the total is `shown`.
    async fn apply_at_total(
        &self,
        actor: &Actor,
        tenant: &tenant::Model,
        (student, request, key): (StudentId, &ApplicationRequest, &IdempotencyKey),
        shown: Option<Yen>,
    ) -> Result<Applied, ApplyError> {
        let hash = fingerprint(student, request)?;
        if let Some(earlier) = self.by_key(tenant.id, student, key).await? {
            return replay(&earlier, &hash);
        }
        let found = registry::by_id(&self.db, tenant.id, student)
            .await?
            .ok_or(ApplyError::NotAStudent)?;
        let now = self.clock.now_ms();
        let quote = quote(&self.db, &found, request, jst_date(now)).await?;
        if let Some(shown) = shown.filter(|shown| *shown != quote.total) {
            return Err(ApplyError::PriceChanged {
                shown,
                now: quote.total,
            });
        }

        let txn = begin(&self.db).await?;
        // The row first: a second request with the key waits here for the first to end,
        // then finds it, instead of paying again.
        let written = application::ActiveModel {
            tenant_id: Set(tenant.id),
            student_id: Set(student.0),
            status: Set(ApplicationStatus::Accepted.code().to_owned()),
            delivery_method_id: Set(quote.delivery_id),
            delivery_code: Set(quote.delivery.code.to_string()),
            delivery_kind: Set(quote.delivery.kind.code().to_owned()),
            delivery_name_ja: Set(quote.delivery.name_ja.clone()),
            delivery_name_en: Set(quote.delivery.name_en.clone()),
            delivery_fee_yen: Set(quote.delivery.fee.get()),
            total_yen: Set(quote.total.get()),
            purpose: Set(request.purpose.clone()),
            address: Set(kept_address(&quote, request)?),
            lang: Set(request.lang.code().to_owned()),
            expected_on: Set(quote.expected_on.format("%Y-%m-%d").to_string()),
            request_key: Set(key.as_str().to_owned()),
            request_hash: Set(hash.clone()),
            paid_transaction_id: Set(None),
            tracking_number: Set(None),
            cancel_reason: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await;
        let row = match written {
            Ok(row) => row,
            Err(err) if is_unique_violation(&err) => {
                txn.rollback().await.map_err(storage("rolling back a duplicate application"))?;
                let earlier =
                    self.by_key(tenant.id, student, key).await?.ok_or(ApplyError::Storage)?;
                return replay(&earlier, &hash);
            }
            Err(err) => return Err(storage("writing an application")(err).into()),
        };
        let number = application_number(row.id);
        let mut balance = None;
        if quote.total > Yen::ZERO {
            let description = format!("No. {number}");
            let payment = Payment {
                tenant_id: tenant.id,
                student,
                amount: quote.total,
                description: &description,
                at: now,
            };
            let paid = match self.wallet.pay_within(&txn, payment).await {
                Ok(paid) => paid,
                Err(WalletError::InsufficientBalance { balance }) => {
                    txn.rollback().await.map_err(storage("rolling back an unpaid application"))?;
                    let shortfall =
                        Yen::new(quote.total.get() - balance.get()).unwrap_or(quote.total);
                    return Err(ApplyError::InsufficientBalance { balance, shortfall });
                }
                Err(_) => return Err(ApplyError::Storage),
            };
            let mut paid_row: application::ActiveModel = row.clone().into();
            paid_row.paid_transaction_id = Set(Some(paid.transaction_id));
            paid_row.update(&txn).await.map_err(storage("recording a payment"))?;
            balance = Some(paid.balance);
        }
        for (position, line) in quote.lines.iter().enumerate() {
            application_line::ActiveModel {
                application_id: Set(row.id),
                position: Set(i32::try_from(position).unwrap_or(i32::MAX)),
                certificate_type_id: Set(line.type_id),
                type_code: Set(line.kind.code.to_string()),
                name_ja: Set(line.kind.name_ja.clone()),
                name_en: Set(line.kind.name_en.clone()),
                lang: Set(line.lang.code().to_owned()),
                copies: Set(i32::try_from(line.copies).unwrap_or(i32::MAX)),
                fee_yen: Set(line.kind.fee.get()),
                amount_yen: Set(line.amount.get()),
                ..Default::default()
            }
            .insert(&txn)
            .await
            .map_err(storage("writing an application line"))?;
        }
        record_status(
            &txn,
            row.id,
            ApplicationStatus::Accepted,
            ("student", None),
            now,
        )
        .await?;
        let receipt = Receipt {
            number: &number,
            quote: &quote,
            balance,
            lang: request.lang,
        };
        queue_receipt(&txn, tenant, &found, &receipt, now).await?;
        let detail =
            serde_json::json!({ "application": number, "total": quote.total.get() }).to_string();
        let about = Subject {
            tenant_id: Some(tenant.id),
            detail: Some(&detail),
            ..Default::default()
        };
        audit::record(&txn, actor, Event::ApplicationSubmitted, about).await;
        txn.commit().await.map_err(storage("committing an application"))?;
        Ok(Applied {
            id: row.id,
            number,
            total: quote.total,
            balance,
            replayed: false,
        })
    }

    /// Checks `request` and keeps it for its confirmation page: the key it returns names it
    /// there and becomes the application's idempotency key. The student's drafts older than a
    /// day are forgotten.
    pub async fn draft(
        &self,
        tenant_id: i32,
        student: &RegistryStudent,
        request: &ApplicationRequest,
    ) -> Result<(String, Quote), ApplyError> {
        let now = self.clock.now_ms();
        let quote = quote(&self.db, student, request, jst_date(now)).await?;
        let json = serde_json::to_string(request).map_err(|_| ApplyError::Storage)?;
        let key = random_secret();
        application_draft::Entity::delete_many()
            .filter(application_draft::Column::StudentId.eq(student.id.0))
            .filter(application_draft::Column::CreatedAt.lt(now - DRAFT_KEPT_FOR_MS))
            .exec(&self.db)
            .await
            .map_err(storage("forgetting old drafts"))?;
        application_draft::ActiveModel {
            tenant_id: Set(tenant_id),
            student_id: Set(student.id.0),
            key: Set(key.clone()),
            request: Set(json),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&self.db)
        .await
        .map_err(storage("keeping a draft"))?;
        Ok((key, quote))
    }

    /// The draft `key` of `student` with its price as of now; `None` when there is none of
    /// theirs under that key (another student's key answers the same).
    pub async fn draft_of(
        &self,
        tenant_id: i32,
        student: &RegistryStudent,
        key: &str,
    ) -> Result<Option<(ApplicationRequest, Result<Quote, ApplyError>)>, StorageError> {
        let Some(request) = self.drafted(tenant_id, student.id, key).await? else {
            return Ok(None);
        };
        let quote = quote(&self.db, student, &request, jst_date(self.clock.now_ms())).await;
        Ok(Some((request, quote)))
    }

    async fn drafted(
        &self,
        tenant_id: i32,
        student: StudentId,
        key: &str,
    ) -> Result<Option<ApplicationRequest>, StorageError> {
        let row = application_draft::Entity::find()
            .filter(application_draft::Column::TenantId.eq(tenant_id))
            .filter(application_draft::Column::StudentId.eq(student.0))
            .filter(application_draft::Column::Key.eq(key))
            .one(&self.db)
            .await
            .map_err(storage("reading a draft"))?;
        Ok(row.and_then(|row| serde_json::from_str(&row.request).ok()))
    }

    /// Applies the draft `key` at the total its confirmation page showed (`None`: whatever
    /// it is now): the application it becomes, once however often it is sent. `None` when
    /// `student` has no draft under that key.
    pub async fn apply_draft(
        &self,
        actor: &Actor,
        tenant: &tenant::Model,
        (student, key): (StudentId, &IdempotencyKey),
        shown: Option<Yen>,
    ) -> Result<Option<Applied>, ApplyError> {
        let Some(request) = self.drafted(tenant.id, student, key.as_str()).await? else {
            return Ok(None);
        };
        self.apply_at_total(actor, tenant, (student, &request, key), shown)
            .await
            .map(Some)
    }

    async fn by_key(
        &self,
        tenant_id: i32,
        student: StudentId,
        key: &IdempotencyKey,
    ) -> Result<Option<application::Model>, StorageError> {
        application::Entity::find()
            .filter(application::Column::TenantId.eq(tenant_id))
            .filter(application::Column::StudentId.eq(student.0))
            .filter(application::Column::RequestKey.eq(key.as_str()))
            .one(&self.db)
            .await
            .map_err(storage("reading an application by its key"))
    }

    /// The applications of `student`, newest first.
    pub async fn of_student(
        &self,
        tenant_id: i32,
        student: StudentId,
    ) -> Result<Vec<ApplicationRecord>, StorageError> {
        let rows = application::Entity::find()
            .filter(application::Column::TenantId.eq(tenant_id))
            .filter(application::Column::StudentId.eq(student.0))
            .order_by_desc(application::Column::Id)
            .all(&self.db)
            .await
            .map_err(storage("reading a student's applications"))?;
        self.records_of(rows).await
    }

    /// Application `id` of `student`; `None` for one of anybody else, so another student's
    /// number answers exactly as a number that does not exist.
    pub async fn one_of_student(
        &self,
        tenant_id: i32,
        student: StudentId,
        id: i32,
    ) -> Result<Option<ApplicationRecord>, StorageError> {
        let row = application::Entity::find_by_id(id)
            .filter(application::Column::TenantId.eq(tenant_id))
            .filter(application::Column::StudentId.eq(student.0))
            .one(&self.db)
            .await
            .map_err(storage("reading an application"))?;
        match row {
            Some(row) => Ok(Some(self.record_of(row).await?)),
            None => Ok(None),
        }
    }

    /// The records of `rows`, in their order, with two more queries however many there are
    /// (the queue and the history page list up to hundreds).
    pub(super) async fn records_of(
        &self,
        rows: Vec<application::Model>,
    ) -> Result<Vec<ApplicationRecord>, StorageError> {
        let ids: Vec<i32> = rows.iter().map(|row| row.id).collect();
        let mut lines: HashMap<i32, Vec<application_line::Model>> = HashMap::new();
        let mut events: HashMap<i32, Vec<application_event::Model>> = HashMap::new();
        // Bound the IN list: SQLite allows 32,766 parameters, PostgreSQL 65,535.
        for chunk in ids.chunks(1000) {
            let found = application_line::Entity::find()
                .filter(application_line::Column::ApplicationId.is_in(chunk.to_vec()))
                .order_by_asc(application_line::Column::Position)
                .all(&self.db)
                .await
                .map_err(storage("reading application lines"))?;
            for line in found {
                lines.entry(line.application_id).or_default().push(line);
            }
            let found = application_event::Entity::find()
                .filter(application_event::Column::ApplicationId.is_in(chunk.to_vec()))
                .order_by_asc(application_event::Column::Id)
                .all(&self.db)
                .await
                .map_err(storage("reading applications' history"))?;
            for event in found {
                events.entry(event.application_id).or_default().push(event);
            }
        }
        Ok(rows
            .into_iter()
            .map(|row| {
                let (id_lines, id_events) = (
                    lines.remove(&row.id).unwrap_or_default(),
                    events.remove(&row.id).unwrap_or_default(),
                );
                ApplicationRecord::from_rows(row, id_lines, id_events)
            })
            .collect())
    }

    pub(super) async fn record_of(
        &self,
        row: application::Model,
    ) -> Result<ApplicationRecord, StorageError> {
        let lines = application_line::Entity::find()
            .filter(application_line::Column::ApplicationId.eq(row.id))
            .order_by_asc(application_line::Column::Position)
            .all(&self.db)
            .await
            .map_err(storage("reading application lines"))?;
        let events = application_event::Entity::find()
            .filter(application_event::Column::ApplicationId.eq(row.id))
            .order_by_asc(application_event::Column::Id)
            .all(&self.db)
            .await
            .map_err(storage("reading an application's history"))?;
        Ok(ApplicationRecord::from_rows(row, lines, events))
    }
}

/// An application as its pages show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApplicationRecord {
    pub id: i32,
    pub number: String,
    pub status: ApplicationStatus,
    pub lines: Vec<RecordLine>,
    pub delivery_name_ja: String,
    pub delivery_name_en: String,
    pub delivery_kind: Option<DeliveryKind>,
    pub delivery_fee: Yen,
    pub total: Yen,
    pub purpose: Option<String>,
    pub address: Option<Address>,
    pub expected_on: String,
    pub tracking_number: Option<String>,
    pub cancel_reason: Option<String>,
    pub created_at: i64,
    /// Every change of status, oldest first.
    pub timeline: Vec<(ApplicationStatus, i64)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordLine {
    pub code: String,
    pub name_ja: String,
    pub name_en: String,
    pub lang: Lang,
    pub copies: u32,
    pub fee: Yen,
    pub amount: Yen,
}

impl ApplicationRecord {
    fn from_rows(
        row: application::Model,
        lines: Vec<application_line::Model>,
        events: Vec<application_event::Model>,
    ) -> Self {
        let yen = |amount: i64| Yen::new(amount).unwrap_or(Yen::ZERO);
        Self {
            id: row.id,
            number: application_number(row.id),
            status: ApplicationStatus::from_code(&row.status)
                .unwrap_or(ApplicationStatus::Accepted),
            lines: lines
                .into_iter()
                .map(|line| RecordLine {
                    code: line.type_code,
                    name_ja: line.name_ja,
                    name_en: line.name_en,
                    lang: Lang::from_code(&line.lang).unwrap_or_default(),
                    copies: u32::try_from(line.copies).unwrap_or(0),
                    fee: yen(line.fee_yen),
                    amount: yen(line.amount_yen),
                })
                .collect(),
            delivery_name_ja: row.delivery_name_ja,
            delivery_name_en: row.delivery_name_en,
            delivery_kind: DeliveryKind::from_code(&row.delivery_kind),
            delivery_fee: yen(row.delivery_fee_yen),
            total: yen(row.total_yen),
            purpose: row.purpose,
            address: row.address.as_deref().and_then(|json| serde_json::from_str(json).ok()),
            expected_on: row.expected_on,
            tracking_number: row.tracking_number,
            cancel_reason: row.cancel_reason,
            created_at: row.created_at,
            timeline: events
                .into_iter()
                .filter_map(|event| Some((ApplicationStatus::from_code(&event.status)?, event.at)))
                .collect(),
        }
    }
}

/// What the request asked, hashed: the same key must come with the same application.
fn fingerprint(student: StudentId, request: &ApplicationRequest) -> Result<String, ApplyError> {
    let json = serde_json::to_string(request).map_err(|_| ApplyError::Storage)?;
    Ok(sha256_hex(format!("{}\n{json}", student.0)))
}

fn replay(earlier: &application::Model, hash: &str) -> Result<Applied, ApplyError> {
    if earlier.request_hash != hash {
        return Err(ApplyError::KeyReused);
    }
    Ok(Applied {
        id: earlier.id,
        number: application_number(earlier.id),
        total: Yen::new(earlier.total_yen).ok_or(ApplyError::Storage)?,
        balance: None,
        replayed: true,
    })
}

/// The address, kept only for a delivery that posts.
fn kept_address(quote: &Quote, request: &ApplicationRequest) -> Result<Option<String>, ApplyError> {
    match (quote.delivery.kind, &request.address) {
        (DeliveryKind::Post | DeliveryKind::Ems, Some(address)) => {
            serde_json::to_string(address).map(Some).map_err(|_| ApplyError::Storage)
        }
        _ => Ok(None),
    }
}

pub(super) async fn record_status(
    db: &impl ConnectionTrait,
    application_id: i32,
    status: ApplicationStatus,
    (actor, note): (&str, Option<String>),
    at: i64,
) -> Result<(), StorageError> {
    application_event::ActiveModel {
        application_id: Set(application_id),
        status: Set(status.code().to_owned()),
        actor: Set(actor.to_owned()),
        note: Set(note),
        at: Set(at),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(storage("recording an application's status"))?;
    Ok(())
}

struct Receipt<'a> {
    number: &'a str,
    quote: &'a Quote,
    balance: Option<Yen>,
    lang: Lang,
}

/// The receipt mail, queued in the application's transaction (no registered address: none).
async fn queue_receipt(
    db: &impl ConnectionTrait,
    tenant: &tenant::Model,
    student: &RegistryStudent,
    receipt: &Receipt<'_>,
    at: i64,
) -> Result<(), StorageError> {
    let Some(to) = account::registered_email_of(db, tenant.id, student.id).await? else {
        return Ok(());
    };
    let lang = receipt.lang;
    let quote = receipt.quote;
    let lines: Vec<String> = quote
        .lines
        .iter()
        .map(|line| {
            let name = match lang {
                Lang::Ja => &line.kind.name_ja,
                Lang::En => &line.kind.name_en,
            };
            let amount = match lang {
                Lang::Ja => format!("{}円", line.amount),
                Lang::En => format!("{} yen", line.amount),
            };
            format!(
                "- {name} ({}) × {}: {amount}",
                line.lang.native_name(),
                line.copies
            )
        })
        .collect();
    let delivery = match lang {
        Lang::Ja => &quote.delivery.name_ja,
        Lang::En => &quote.delivery.name_en,
    };
    let balance = receipt.balance.map_or_else(|| "-".to_owned(), |yen| yen.to_string());
    let lead = MailMsg::MailApplicationBody
        .text(lang)
        .replace("{number}", receipt.number)
        .replace("{lines}", &lines.join("\n"))
        .replace("{delivery}", delivery)
        .replace("{delivery_fee}", &quote.delivery.fee.to_string())
        .replace("{total}", &quote.total.to_string())
        .replace("{card}", tenancy::card_name(tenant, lang))
        .replace("{balance}", &balance)
        .replace(
            "{expected}",
            &quote.expected_on.format("%Y-%m-%d").to_string(),
        );
    let university = tenancy::display_name(tenant, lang);
    enqueue(
        db,
        statement_mail(
            lang,
            university,
            &to,
            MailMsg::MailApplicationSubject,
            &lead,
            at,
        ),
        at,
    )
    .await
}
