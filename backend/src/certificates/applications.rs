//! A student's application for certificates (各種証明書のオンライン申請): checked against the
//! catalogue and the student's registry record, priced, and paid from the card in the same
//! transaction that writes it, or through the payment gateway (a card, a konbini slip): then it
//! waits (支払待ち) for the gateway's notice, which accepts it (`PaidApplications`) or ends it
//! unpaid. One application per idempotency key: a double click, a reload or a second tab of one
//! confirmation page pays once.

use super::apply_statement;
use super::calendar::expected_on;
use super::catalogue::{CertificateType, DeliveryMethod};
use super::catalogue_cache::{stamp_of, Offer};
use super::eligibility::refusal;
use super::issuance::{CertificateRenderer, Issuing};
use super::processing::{queue_status_mail, StatusNotice};
use super::signing::SigningKeys;
use crate::account;
use crate::entities::{
    application, application_draft, application_event, application_line, tenant,
};
use crate::platform::audit::{self, Actor, Event, Subject};
use crate::platform::clock::{to_jst, Clock};
use crate::platform::mail_messages::MailMsg;
use crate::platform::outbox::{enqueue, statement_mail, OutgoingMail};
use crate::platform::secrets::{random_secret, sha256_hex};
use crate::platform::{begin, is_unique_violation, storage, Db, StorageError};
use crate::registry::{self, RegistryStudent};
use crate::tenancy;
use crate::wallet::{
    ApplicationPayment, IdempotencyKey, PaidApplications, Payment, PaymentMethod, TopUp,
    TopUpError, TopUps, Wallet, WalletError,
};
use chrono::NaiveDate;
use domain::i18n::Lang;
use domain::{
    application_number, Address, ApplicationStatus, CatalogueCode, DeliveryKind, OrderLine,
    OrderRefusal, PayBy, StudentId, Yen, MAX_LINES,
};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    QueryOrder, Set,
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
    /// No gateway is configured, or it could not be reached to open the payment: nothing is
    /// charged (an application written before the gateway failed ends unpaid).
    #[error("the payment gateway is not available")]
    GatewayUnavailable,
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
    /// Paid through the gateway: its payment, to be paid on its page or at a konbini.
    pub payment: Option<TopUp>,
}

/// How an application is to be paid, with the addresses the gateway needs for a card or a
/// konbini slip.
pub struct PayWith<'a> {
    pub pay_by: PayBy,
    /// Where the gateway sends the student back to, given the application's number.
    pub return_url: &'a (dyn Fn(&str) -> String + Sync),
    /// Where the gateway sends its notices.
    pub notify_url: String,
}

impl PayWith<'static> {
    /// From the card's balance: no gateway is involved.
    pub fn balance() -> Self {
        fn nowhere(_: &str) -> String {
            String::new()
        }
        PayWith {
            pay_by: PayBy::Balance,
            return_url: &nowhere,
            notify_url: String::new(),
        }
    }
}

fn gateway_method(pay_by: PayBy) -> Option<PaymentMethod> {
    match pay_by {
        PayBy::Balance => None,
        PayBy::Card => Some(PaymentMethod::Card),
        PayBy::Konbini => Some(PaymentMethod::Konbini),
    }
}

/// Checks `request` of `student` on `today` against the university's catalogue as `offer`
/// holds it, and prices it.
pub fn quote(
    offer: &Offer,
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
    let catalogue = &offer.catalogue;
    let mut seen = BTreeSet::new();
    let mut lines = Vec::new();
    let mut total = Yen::ZERO;
    for line in &request.lines {
        if !seen.insert((line.code.clone(), line.lang.code())) {
            return Err(ApplyError::LineTwice(line.code.clone()));
        }
        let (type_id, kind) = catalogue
            .types
            .iter()
            .find(|kind| kind.code == line.code)
            .and_then(|kind| Some((*offer.ids.types.get(kind.code.as_str())?, kind.clone())))
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
    let (delivery_id, delivery) = catalogue
        .deliveries
        .iter()
        .find(|delivery| delivery.code == request.delivery)
        .and_then(|delivery| {
            Some((
                *offer.ids.deliveries.get(delivery.code.as_str())?,
                delivery.clone(),
            ))
        })
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
    let closed: BTreeSet<NaiveDate> =
        catalogue.closures.iter().flatten().map(|closure| closure.day).collect();
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
    /// Opens the gateway's payments of applications paid by card or konbini; `None`: only the
    /// balance pays.
    pub payments: Option<TopUps>,
    /// Each university's catalogue as its pages show it.
    pub catalogues: super::CatalogueCache,
    /// What signs issued certificates, and where they are verified.
    pub issuing: Issuing,
}

impl Applications {
    pub fn new(db: Db, wallet: Wallet, renderer: Arc<dyn CertificateRenderer>) -> Self {
        let keys = SigningKeys {
            db: db.clone(),
            clock: Clock::system(),
            secret: None,
        };
        Self {
            db,
            clock: Clock::system(),
            wallet,
            renderer,
            payments: None,
            catalogues: super::CatalogueCache::default(),
            issuing: Issuing {
                keys,
                public_url: url::Url::parse("http://127.0.0.1:3000/").expect("a URL"),
            },
        }
    }

    /// The same, signing certificates as `issuing` says (without it, none can be issued).
    pub fn with_issuing(mut self, issuing: Issuing) -> Self {
        self.issuing = issuing;
        self
    }

    /// University `tenant_id`'s catalogue as a page shows it today (kept between requests
    /// until it changes; closures from today on).
    pub async fn catalogue(&self, tenant_id: i32) -> Result<Arc<super::Catalogue>, StorageError> {
        self.catalogues.current(&self.db, tenant_id, self.today()).await
    }

    /// The same, with applications paid through the gateway of `payments`.
    pub fn with_payments(mut self, payments: TopUps) -> Self {
        self.payments = Some(payments);
        self
    }

    /// Whether applications can be paid through a gateway here.
    pub fn takes_gateway_payments(&self) -> bool {
        self.payments.as_ref().is_some_and(|payments| payments.gateway.is_some())
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
        let shown = None;
        self.apply_at_total(
            actor,
            tenant,
            (student, request, key),
            (shown, PayWith::balance()),
        )
        .await
    }

    /// [`Applications::apply`] paid as `pay` says, refused with `PriceChanged` unless the
    /// total is `shown`.
    async fn apply_at_total(
        &self,
        actor: &Actor,
        tenant: &tenant::Model,
        (student, request, key): (StudentId, &ApplicationRequest, &IdempotencyKey),
        (shown, pay): (Option<Yen>, PayWith<'_>),
    ) -> Result<Applied, ApplyError> {
        let asked = Asked {
            student,
            request,
            key,
            hash: fingerprint(student, request)?,
        };
        // Priced again when the catalogue changed between the price and the write; one that
        // changes again under each try is taken as a fault.
        for attempt in 0..3 {
            let fresh = attempt > 0;
            let tried = self.try_apply(actor, tenant, &asked, (shown, &pay), fresh).await?;
            if let Some(applied) = tried {
                return Ok(applied);
            }
        }
        tracing::error!("the catalogue changed under every try of an application");
        Err(ApplyError::Storage)
    }

    /// One try of [`Applications::apply_at_total`]: `None` when the catalogue changed since it
    /// was priced (nothing was written). The first try prices from the catalogue kept in
    /// memory without asking the database whether it is current, since the write checks
    /// that anyway: one round trip less for every application. A refusal by that catalogue is
    /// not given before a `fresh` try confirms it.
    async fn try_apply(
        &self,
        actor: &Actor,
        tenant: &tenant::Model,
        asked: &Asked<'_>,
        (shown, pay): (Option<Yen>, &PayWith<'_>),
        fresh: bool,
    ) -> Result<Option<Applied>, ApplyError> {
        let (student, request) = (asked.student, asked.request);
        // The key is not looked up first: the application's unique key finds an earlier one
        // when it is written, and a refusal looks for one (`earlier_or`) before it is given.
        let method = gateway_method(pay.pay_by);
        let payments = match method {
            Some(_) => match self.payments.as_ref().filter(|_| self.takes_gateway_payments()) {
                Some(payments) => Some(payments),
                None => {
                    return self
                        .earlier_or(tenant, asked, pay, ApplyError::GatewayUnavailable)
                        .await
                }
            },
            None => None,
        };
        let Some(found) = registry::by_id(&self.db, tenant.id, student).await? else {
            return self.earlier_or(tenant, asked, pay, ApplyError::NotAStudent).await;
        };
        let now = self.clock.now_ms();
        let today = jst_date(now);
        let (offer, checked) = match fresh {
            true => (
                self.catalogues.offer(&self.db, tenant.id, today).await?,
                true,
            ),
            false => self.catalogues.kept_offer(&self.db, tenant.id, today).await?,
        };
        let priced = quote(&offer, &found, request, today);
        let price_differs = matches!((&priced, shown), (Ok(q), Some(s)) if q.total != s);
        if !checked && (priced.is_err() || price_differs) {
            return Ok(None);
        }
        let quote = match priced {
            Ok(quote) => quote,
            Err(refused) => return self.earlier_or(tenant, asked, pay, refused).await,
        };
        if let Some(shown) = shown.filter(|shown| *shown != quote.total) {
            let refused = ApplyError::PriceChanged {
                shown,
                now: quote.total,
            };
            return self.earlier_or(tenant, asked, pay, refused).await;
        }

        // Nothing to pay is accepted at once, whatever was chosen.
        let (pay_by, payments) = match payments.filter(|_| quote.total > Yen::ZERO) {
            Some(payments) => (pay.pay_by, Some(payments)),
            None => (PayBy::Balance, None),
        };
        if payments.is_none() && quote.total > Yen::ZERO && apply_statement::available(&self.db) {
            let priced = Priced {
                found: &found,
                stamp: offer.stamp,
                quote: &quote,
                now,
            };
            return self.apply_in_one_statement(actor, tenant, asked, priced, pay).await;
        }
        let status = match payments {
            Some(_) => ApplicationStatus::AwaitingPayment,
            None => ApplicationStatus::Accepted,
        };

        let txn = begin(&self.db).await?;
        if stamp_of(&txn, tenant.id).await? != offer.stamp {
            txn.rollback().await.map_err(storage("rolling back a stale application"))?;
            return Ok(None);
        }
        // The row first: a second request with the key waits here for the first to end,
        // then finds it, instead of paying again.
        let written = application::ActiveModel {
            tenant_id: Set(tenant.id),
            student_id: Set(student.0),
            status: Set(status.code().to_owned()),
            pay_by: Set(pay_by.code().to_owned()),
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
            request_key: Set(asked.key.as_str().to_owned()),
            request_hash: Set(asked.hash.clone()),
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
                return self.earlier(tenant, asked, pay).await.map(Some);
            }
            Err(err) => return Err(storage("writing an application")(err).into()),
        };
        let number = application_number(row.id);
        let mut balance = None;
        if let (Some(payments), Some(method)) = (payments, method) {
            let payment = ApplicationPayment {
                tenant,
                student,
                application_id: row.id,
                amount: quote.total,
                method,
                lang: request.lang,
            };
            payments
                .open_for_application(&txn, payment)
                .await
                .map_err(|_| ApplyError::GatewayUnavailable)?;
        } else if quote.total > Yen::ZERO {
            let description = format!("No. {number}");
            let payment = Payment {
                tenant_id: tenant.id,
                student,
                amount: quote.total,
                description: &description,
                at: now,
                through_gateway: false,
            };
            let paid = match self.wallet.pay_within(&txn, payment).await {
                Ok(paid) => paid,
                Err(WalletError::InsufficientBalance { balance }) => {
                    txn.rollback().await.map_err(storage("rolling back an unpaid application"))?;
                    return Err(too_little(&quote, balance));
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
        record_status(&txn, row.id, status, ("student", None), now).await?;
        if status == ApplicationStatus::Accepted {
            let balance = balance.map_or_else(|| "-".to_owned(), |yen| yen.to_string());
            let receipt = receipt_of(&quote, &number, PaidWith::Balance(balance), request.lang);
            queue_receipt(&txn, tenant, found.id, &receipt, now).await?;
        }
        let detail =
            serde_json::json!({ "application": number, "total": quote.total.get() }).to_string();
        let about = Subject {
            tenant_id: Some(tenant.id),
            detail: Some(&detail),
            ..Default::default()
        };
        audit::record(&txn, actor, Event::ApplicationSubmitted, about).await;
        txn.commit().await.map_err(storage("committing an application"))?;
        let payment = self.checkout(tenant, &row, pay).await?;
        Ok(Some(Applied {
            id: row.id,
            number,
            total: quote.total,
            balance,
            replayed: false,
            payment,
        }))
    }

    /// PostgreSQL, paid from the balance: one statement (`apply_statement`).
    async fn apply_in_one_statement(
        &self,
        actor: &Actor,
        tenant: &tenant::Model,
        asked: &Asked<'_>,
        priced: Priced<'_>,
        pay: &PayWith<'_>,
    ) -> Result<Option<Applied>, ApplyError> {
        let (quote, request) = (priced.quote, asked.request);
        let receipt = receipt_of(
            quote,
            apply_statement::NUMBER_MARKER,
            PaidWith::Balance(apply_statement::BALANCE_MARKER.to_owned()),
            request.lang,
        );
        let mail = receipt_mail(tenant, "", &receipt, priced.now);
        let address = kept_address(quote, request)?;
        let accepting = || apply_statement::Accepting {
            tenant_id: tenant.id,
            student: asked.student,
            user_id_key: domain::UserId::parse(&priced.found.user_id).ok().map(|id| id.key()),
            stamp: priced.stamp,
            quote,
            purpose: request.purpose.clone(),
            address: address.clone(),
            lang: request.lang.code(),
            key: asked.key.as_str(),
            hash: &asked.hash,
            receipt: apply_statement::ReceiptText {
                subject: mail.subject.clone(),
                body_text: mail.body_text.clone(),
                body_html: mail.body_html.clone(),
            },
            at: priced.now,
        };
        let mut ran = apply_statement::run(&self.db, actor, accepting()).await?;
        if matches!(ran, apply_statement::Ran::NotOpened) {
            self.wallet.open_for_card_fee(tenant.id, asked.student).await?;
            ran = apply_statement::run(&self.db, actor, accepting()).await?;
        }
        match ran {
            apply_statement::Ran::Accepted { id, balance } => {
                let detail = serde_json::json!({ "application": application_number(id) });
                let about = Subject {
                    tenant_id: Some(tenant.id),
                    detail: Some(&detail.to_string()),
                    ..Default::default()
                };
                audit::trace(actor, Event::ApplicationSubmitted, about);
                Ok(Some(Applied {
                    id,
                    number: application_number(id),
                    total: quote.total,
                    balance: Some(balance),
                    replayed: false,
                    payment: None,
                }))
            }
            apply_statement::Ran::Refused => {
                let balance = self
                    .wallet
                    .balance(tenant.id, asked.student)
                    .await
                    .map_err(|_| ApplyError::Storage)?;
                self.earlier_or(tenant, asked, pay, too_little(quote, balance)).await
            }
            apply_statement::Ran::KeyTaken => self.earlier(tenant, asked, pay).await.map(Some),
            apply_statement::Ran::Stale => Ok(None),
            apply_statement::Ran::NotOpened => {
                tracing::error!("the accounts of an application are not there after opening them");
                Err(ApplyError::Storage)
            }
        }
    }

    /// The application made earlier with `asked`'s key (refused when it was another request),
    /// with its gateway checkout; `refused` when there is none.
    async fn earlier_or(
        &self,
        tenant: &tenant::Model,
        asked: &Asked<'_>,
        pay: &PayWith<'_>,
        refused: ApplyError,
    ) -> Result<Option<Applied>, ApplyError> {
        let Some(earlier) = self.by_key(tenant.id, asked.student, asked.key).await? else {
            return Err(refused);
        };
        let mut applied = replay(&earlier, &asked.hash)?;
        applied.payment = self.checkout(tenant, &earlier, pay).await?;
        Ok(Some(applied))
    }

    /// The application made earlier with `asked`'s key, which is there.
    async fn earlier(
        &self,
        tenant: &tenant::Model,
        asked: &Asked<'_>,
        pay: &PayWith<'_>,
    ) -> Result<Applied, ApplyError> {
        self.earlier_or(tenant, asked, pay, ApplyError::Storage)
            .await?
            .ok_or(ApplyError::Storage)
    }

    /// The gateway's checkout of an application paid through it, opened once (again for a
    /// request whose first try stopped before it). When the gateway cannot open it, the
    /// application ends unpaid and `GatewayUnavailable` says so; nothing was charged.
    async fn checkout(
        &self,
        tenant: &tenant::Model,
        row: &application::Model,
        pay: &PayWith<'_>,
    ) -> Result<Option<TopUp>, ApplyError> {
        if gateway_method_of(row).is_none() {
            return Ok(None);
        }
        let payments = self.payments.as_ref().ok_or(ApplyError::GatewayUnavailable)?;
        let number = application_number(row.id);
        let opened = payments
            .checkout_for_application(row.id, (pay.return_url)(&number), pay.notify_url.clone())
            .await;
        match opened {
            Ok(payment) => Ok(Some(payment)),
            Err(TopUpError::GatewayUnavailable) => {
                let txn = begin(&self.db).await?;
                self.end_unpaid(&txn, tenant, row.id, "student").await?;
                txn.commit().await.map_err(storage("ending an application unpaid"))?;
                Err(ApplyError::GatewayUnavailable)
            }
            Err(_) => Err(ApplyError::Storage),
        }
    }

    /// Application `id`, if it still waits for its payment, ends unpaid (its event and mail
    /// in `txn`).
    async fn end_unpaid(
        &self,
        txn: &DatabaseTransaction,
        tenant: &tenant::Model,
        id: i32,
        actor_label: &str,
    ) -> Result<(), StorageError> {
        let now = self.clock.now_ms();
        let Some(row) = self
            .waiting_for_payment(txn, tenant.id, id, ApplicationStatus::Unpaid, now)
            .await?
        else {
            return Ok(());
        };
        record_status(txn, id, ApplicationStatus::Unpaid, (actor_label, None), now).await?;
        let notice = StatusNotice::of(&row, ApplicationStatus::Unpaid);
        queue_status_mail(txn, tenant, StudentId(row.student_id), &notice, now).await
    }

    /// Moves application `id` from 支払待ち to `to` (once: the update is the claim); the row
    /// as it was, or `None` when it no longer waits.
    async fn waiting_for_payment(
        &self,
        txn: &DatabaseTransaction,
        tenant_id: i32,
        id: i32,
        to: ApplicationStatus,
        now: i64,
    ) -> Result<Option<application::Model>, StorageError> {
        let moved = application::Entity::update_many()
            .col_expr(application::Column::Status, Expr::value(to.code()))
            .col_expr(application::Column::UpdatedAt, Expr::value(now))
            .filter(application::Column::Id.eq(id))
            .filter(application::Column::TenantId.eq(tenant_id))
            .filter(application::Column::Status.eq(ApplicationStatus::AwaitingPayment.code()))
            .exec(txn)
            .await
            .map_err(storage("settling an application's payment"))?;
        if moved.rows_affected != 1 {
            return Ok(None);
        }
        application::Entity::find_by_id(id)
            .one(txn)
            .await
            .map_err(storage("reading a paid application"))
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
        let today = jst_date(now);
        let offer = self.catalogues.offer(&self.db, tenant_id, today).await?;
        let quote = quote(&offer, student, request, today)?;
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
        let today = self.today();
        let offer = self.catalogues.offer(&self.db, tenant_id, today).await?;
        let quote = quote(&offer, student, &request, today);
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
        (shown, pay): (Option<Yen>, PayWith<'_>),
    ) -> Result<Option<Applied>, ApplyError> {
        let Some(request) = self.drafted(tenant.id, student, key.as_str()).await? else {
            return Ok(None);
        };
        self.apply_at_total(actor, tenant, (student, &request, key), (shown, pay))
            .await
            .map(Some)
    }

    /// The gateway's payment of an application read through [`Applications::one_of_student`]
    /// (which is what makes it the student's): a card's payment page, a konbini number and
    /// deadline; `None` for one paid from the balance.
    pub async fn payment_of(
        &self,
        record: &ApplicationRecord,
    ) -> Result<Option<TopUp>, StorageError> {
        match &self.payments {
            Some(payments) if record.pay_by.is_gateway() => {
                payments.of_application(record.id).await.map_err(|_| StorageError)
            }
            _ => Ok(None),
        }
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
    pub pay_by: PayBy,
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
            pay_by: PayBy::from_code(&row.pay_by).unwrap_or(PayBy::Balance),
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
        payment: None,
    })
}

/// What a student asked for, under which key.
struct Asked<'a> {
    student: StudentId,
    request: &'a ApplicationRequest,
    key: &'a IdempotencyKey,
    /// The request's fingerprint, kept with the application.
    hash: String,
}

/// An application checked and priced from the catalogue of `stamp`, at `now`.
struct Priced<'a> {
    found: &'a RegistryStudent,
    stamp: i64,
    quote: &'a Quote,
    now: i64,
}

/// The refusal of `quote` for a card that holds `balance`.
fn too_little(quote: &Quote, balance: Yen) -> ApplyError {
    let shortfall = Yen::new(quote.total.get() - balance.get()).unwrap_or(quote.total);
    ApplyError::InsufficientBalance { balance, shortfall }
}

/// The receipt of an application just accepted.
fn receipt_of<'a>(quote: &'a Quote, number: &'a str, paid: PaidWith, lang: Lang) -> Receipt<'a> {
    Receipt {
        number,
        lines: quote.lines.iter().map(ReceiptLine::quoted).collect(),
        delivery: (&quote.delivery.name_ja, &quote.delivery.name_en),
        delivery_fee: quote.delivery.fee,
        total: quote.total,
        expected_on: quote.expected_on.format("%Y-%m-%d").to_string(),
        paid,
        lang,
    }
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

/// One line of a receipt.
struct ReceiptLine {
    name_ja: String,
    name_en: String,
    lang: Lang,
    copies: u32,
    amount: Yen,
}

impl ReceiptLine {
    fn quoted(line: &QuotedLine) -> Self {
        ReceiptLine {
            name_ja: line.kind.name_ja.clone(),
            name_en: line.kind.name_en.clone(),
            lang: line.lang,
            copies: line.copies,
            amount: line.amount,
        }
    }

    fn stored(line: application_line::Model) -> Self {
        ReceiptLine {
            name_ja: line.name_ja,
            name_en: line.name_en,
            lang: Lang::from_code(&line.lang).unwrap_or_default(),
            copies: u32::try_from(line.copies).unwrap_or(0),
            amount: Yen::new(line.amount_yen).unwrap_or(Yen::ZERO),
        }
    }
}

/// How a receipt says the application was paid.
enum PaidWith {
    /// From the card, with the balance after it as the mail writes it.
    Balance(String),
    /// Through the gateway.
    Gateway(PaymentMethod),
}

struct Receipt<'a> {
    number: &'a str,
    lines: Vec<ReceiptLine>,
    delivery: (&'a str, &'a str),
    delivery_fee: Yen,
    total: Yen,
    /// `YYYY-MM-DD`
    expected_on: String,
    paid: PaidWith,
    lang: Lang,
}

/// The receipt mail, queued in the transaction that accepts the application (no registered
/// address: none).
async fn queue_receipt(
    db: &impl ConnectionTrait,
    tenant: &tenant::Model,
    student: StudentId,
    receipt: &Receipt<'_>,
    at: i64,
) -> Result<(), StorageError> {
    let Some(to) = account::registered_email_of(db, tenant.id, student).await? else {
        return Ok(());
    };
    enqueue(db, receipt_mail(tenant, &to, receipt, at), at).await
}

/// The receipt mail to `to`.
fn receipt_mail(tenant: &tenant::Model, to: &str, receipt: &Receipt<'_>, at: i64) -> OutgoingMail {
    let lang = receipt.lang;
    let yen = |amount: Yen| match lang {
        Lang::Ja => format!("{amount}円"),
        Lang::En => format!("{amount} yen"),
    };
    let lines: Vec<String> = receipt
        .lines
        .iter()
        .map(|line| {
            let name = match lang {
                Lang::Ja => &line.name_ja,
                Lang::En => &line.name_en,
            };
            format!(
                "- {name} ({}) × {}: {}",
                line.lang.native_name(),
                line.copies,
                yen(line.amount)
            )
        })
        .collect();
    let delivery = match lang {
        Lang::Ja => receipt.delivery.0,
        Lang::En => receipt.delivery.1,
    };
    let card = tenancy::card_name(tenant, lang);
    let (paid, refund) = match &receipt.paid {
        PaidWith::Balance(balance) => (
            MailMsg::MailApplicationPaidFromBalance
                .text(lang)
                .replace("{card}", card)
                .replace("{balance}", balance),
            MailMsg::MailApplicationCancelToBalance.text(lang),
        ),
        PaidWith::Gateway(pay_by) => (
            MailMsg::MailApplicationPaidThrough
                .text(lang)
                .replace("{method}", pay_by_name(*pay_by, lang)),
            MailMsg::MailApplicationCancelToGateway.text(lang),
        ),
    };
    let lead = MailMsg::MailApplicationBody
        .text(lang)
        .replace("{number}", receipt.number)
        .replace("{lines}", &lines.join("\n"))
        .replace("{delivery}", delivery)
        .replace("{delivery_fee}", &receipt.delivery_fee.to_string())
        .replace("{total}", &receipt.total.to_string())
        .replace("{paid}", &paid)
        .replace("{refund}", refund)
        .replace("{expected}", &receipt.expected_on);
    let university = tenancy::display_name(tenant, lang);
    statement_mail(
        lang,
        university,
        to,
        MailMsg::MailApplicationSubject,
        &lead,
        at,
    )
}

/// What a way of paying through the gateway is called in a mail.
pub(super) fn pay_by_name(method: PaymentMethod, lang: Lang) -> &'static str {
    match method {
        PaymentMethod::Card => domain::i18n::CertificateMsg::PayByCard.text(lang),
        PaymentMethod::Konbini => domain::i18n::CertificateMsg::PayByKonbini.text(lang),
    }
}

/// The gateway's way of paying of a stored application; `None` for the balance.
pub(super) fn gateway_method_of(row: &application::Model) -> Option<PaymentMethod> {
    PayBy::from_code(&row.pay_by).and_then(gateway_method)
}

#[async_trait::async_trait]
impl PaidApplications for Applications {
    async fn paid(
        &self,
        txn: &DatabaseTransaction,
        tenant: &tenant::Model,
        application_id: i32,
        amount: Yen,
    ) -> Result<Option<i32>, StorageError> {
        let now = self.clock.now_ms();
        let Some(row) = self
            .waiting_for_payment(
                txn,
                tenant.id,
                application_id,
                ApplicationStatus::Accepted,
                now,
            )
            .await?
        else {
            return Ok(None);
        };
        if row.total_yen != amount.get() {
            // Never the case with the amount we asked for; the notice's transaction is undone
            // by the caller's error, and the money is not booked to the wrong thing.
            tracing::error!(
                application = row.id,
                paid = amount.get(),
                total = row.total_yen,
                "a gateway payment of another amount than its application"
            );
            return Err(StorageError);
        }
        let number = application_number(row.id);
        let description = format!("No. {number}");
        let student = StudentId(row.student_id);
        let payment = Payment {
            tenant_id: tenant.id,
            student,
            amount,
            description: &description,
            at: now,
            through_gateway: true,
        };
        let paid = self.wallet.pay_within(txn, payment).await.map_err(|_| StorageError)?;
        application::Entity::update_many()
            .col_expr(
                application::Column::PaidTransactionId,
                Expr::value(paid.transaction_id),
            )
            .filter(application::Column::Id.eq(row.id))
            .exec(txn)
            .await
            .map_err(storage("recording a payment"))?;
        record_status(
            txn,
            row.id,
            ApplicationStatus::Accepted,
            ("gateway", None),
            now,
        )
        .await?;
        let lines = application_line::Entity::find()
            .filter(application_line::Column::ApplicationId.eq(row.id))
            .order_by_asc(application_line::Column::Position)
            .all(txn)
            .await
            .map_err(storage("reading application lines"))?;
        let receipt = Receipt {
            number: &number,
            lines: lines.into_iter().map(ReceiptLine::stored).collect(),
            delivery: (&row.delivery_name_ja, &row.delivery_name_en),
            delivery_fee: Yen::new(row.delivery_fee_yen).unwrap_or(Yen::ZERO),
            total: amount,
            expected_on: row.expected_on.clone(),
            paid: PaidWith::Gateway(gateway_method_of(&row).unwrap_or(PaymentMethod::Card)),
            lang: Lang::from_code(&row.lang).unwrap_or_default(),
        };
        queue_receipt(txn, tenant, student, &receipt, now).await?;
        let gateway = Actor::new(String::new(), "payment gateway");
        let detail = serde_json::json!({
            "application": number,
            "status": ApplicationStatus::Accepted.code(),
            "by": "gateway",
        })
        .to_string();
        let about = Subject {
            tenant_id: Some(tenant.id),
            detail: Some(&detail),
            ..Default::default()
        };
        audit::record(txn, &gateway, Event::ApplicationStatusChanged, about).await;
        Ok(Some(paid.transaction_id))
    }

    async fn unpaid(
        &self,
        txn: &DatabaseTransaction,
        tenant: &tenant::Model,
        application_id: i32,
    ) -> Result<(), StorageError> {
        self.end_unpaid(txn, tenant, application_id, "gateway").await
    }
}
