//! Top-ups: the student chooses an amount and a method, the gateway takes the money, and the
//! gateway's notice credits the card, exactly once, whatever the notices do (come twice, late,
//! out of order, before the student is back, after a restart).
//!
//! The same rows carry an application's fees paid through the gateway (`application_id`): its
//! payment is written in the application's transaction, and when the gateway settles it the
//! certificates context ([`PaidApplications`]) accepts the application and books the fees in
//! the notice's transaction, or ends it unpaid. A cancelled application paid this way is owed
//! back through the gateway ([`owe_refund`]); [`TopUps::send_due_refunds`] sends what is owed.
//!
//! States: `creating` (written before the gateway is asked, so a crash leaves a trace and no
//! charge) → `awaiting_payment` → `paid` | `declined` | `expired`; `failed` when the gateway
//! could not be reached to open the checkout.

use super::gateway::{
    Checkout, CheckoutRequest, Gateway, GatewayError, PaymentMethod, PaymentState,
};
use super::idempotency::{self, IdempotencyKey, Scope, Stored};
use super::ledger::{self, Account, Kind};
use super::mails::{self, TopUpMail};
use super::webhook_signature::SignedNotice;
use super::WalletError;
use crate::entities::{payment_notice, tenant, top_up};
use crate::platform::audit::{self, Actor, Event, Subject};
use crate::platform::clock::Clock;
use crate::platform::outbox::Outbox;
use crate::platform::{begin, storage, Db, StorageError};
use domain::i18n::Lang;
use domain::{StudentId, Yen};
use rand::Rng;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use std::sync::Arc;

/// Where a top-up is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TopUpState {
    Creating,
    /// An application's payment whose checkout one request is opening now (the others that
    /// carry its key wait for it instead of opening a second).
    Opening,
    AwaitingPayment,
    Paid,
    Declined,
    Expired,
    Failed,
}

impl TopUpState {
    const ALL: [TopUpState; 7] = [
        TopUpState::Creating,
        TopUpState::Opening,
        TopUpState::AwaitingPayment,
        TopUpState::Paid,
        TopUpState::Declined,
        TopUpState::Expired,
        TopUpState::Failed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            TopUpState::Creating => "creating",
            TopUpState::Opening => "opening",
            TopUpState::AwaitingPayment => "awaiting_payment",
            TopUpState::Paid => "paid",
            TopUpState::Declined => "declined",
            TopUpState::Expired => "expired",
            TopUpState::Failed => "failed",
        }
    }

    pub fn from_code(code: &str) -> Option<TopUpState> {
        Self::ALL.into_iter().find(|state| state.code() == code)
    }

    /// Still waiting for the gateway: counts against the maximum balance.
    fn is_open(self) -> bool {
        matches!(
            self,
            TopUpState::Creating | TopUpState::Opening | TopUpState::AwaitingPayment
        )
    }
}

/// A university's limits on top-ups, shown before payment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    pub min: Yen,
    pub max: Yen,
    pub balance_max: Yen,
}

impl Limits {
    pub fn of(tenant: &tenant::Model) -> Limits {
        let yen = |value: i64| Yen::new(value).unwrap_or(Yen::ZERO);
        Limits {
            min: yen(tenant.top_up_min),
            max: yen(tenant.top_up_max),
            balance_max: yen(tenant.balance_max),
        }
    }
}

/// Why a top-up cannot start, or what became of a notice.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TopUpError {
    #[error("online top-up is not available at this university yet")]
    NotAvailable,
    #[error("the amount is below the minimum of {min} yen")]
    BelowMinimum { min: Yen },
    #[error("the amount is above the maximum of {max} yen")]
    AboveMaximum { max: Yen },
    #[error("the balance would pass its maximum; {room} yen more is possible")]
    PastMaximumBalance { room: Yen },
    #[error("the payment gateway could not be reached")]
    GatewayUnavailable,
    #[error("this idempotency key was used for another request")]
    KeyReused,
    #[error("no such top-up")]
    Unknown,
    #[error("the notice's signature or timestamp does not hold")]
    BadNotice,
    #[error("storage failed")]
    Storage,
}

impl From<StorageError> for TopUpError {
    fn from(StorageError: StorageError) -> Self {
        TopUpError::Storage
    }
}

impl From<WalletError> for TopUpError {
    fn from(err: WalletError) -> Self {
        match err {
            WalletError::KeyReusedForAnotherRequest => TopUpError::KeyReused,
            _ => TopUpError::Storage,
        }
    }
}

/// A top-up as the student's pages show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TopUp {
    pub reference: String,
    pub amount: Yen,
    pub method: PaymentMethod,
    pub state: TopUpState,
    pub redirect_url: Option<String>,
    pub konbini_number: Option<String>,
    pub konbini_deadline: Option<i64>,
    pub decline_reason: Option<String>,
    pub created_at: i64,
}

impl TopUp {
    fn from_row(row: top_up::Model) -> Result<TopUp, StorageError> {
        Ok(TopUp {
            amount: Yen::new(row.amount).ok_or(StorageError)?,
            method: PaymentMethod::from_code(&row.method).ok_or(StorageError)?,
            state: TopUpState::from_code(&row.state).ok_or(StorageError)?,
            reference: row.reference,
            redirect_url: row.redirect_url,
            konbini_number: row.konbini_number,
            konbini_deadline: row.konbini_deadline,
            decline_reason: row.decline_reason,
            created_at: row.created_at,
        })
    }
}

/// A top-up the student asked for.
pub struct NewTopUp<'a> {
    pub tenant: &'a tenant::Model,
    pub student: StudentId,
    pub amount: Yen,
    pub method: PaymentMethod,
    pub key: &'a IdempotencyKey,
    pub lang: Lang,
    /// Where the gateway sends the student back to, given the top-up's reference.
    pub return_url: &'a (dyn Fn(&str) -> String + Sync),
    /// Where the gateway sends its notices.
    pub notify_url: String,
}

/// What a notice came to (all answered 2xx: the gateway stops sending it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoticeOutcome {
    /// The card was credited now.
    Credited,
    /// An application's fees came in now and it was accepted.
    ApplicationPaid,
    /// The top-up moved to another state (declined, expired) or stays as it is.
    Recorded,
    /// This notice was handled before.
    AlreadyHandled,
    /// No top-up of this university has this payment.
    Ignored,
}

/// The top-up services, built once at start-up.
#[derive(Clone)]
pub struct TopUps {
    pub db: Db,
    pub clock: Clock,
    /// None: no gateway is configured, and online top-up is not offered.
    pub gateway: Option<Arc<dyn Gateway>>,
    /// Woken once a receipt is queued.
    pub outbox: Outbox,
    /// What an application's settled payment does to it; `None` where no notice of one is
    /// received (a handle that only opens checkouts): such money goes onto the card.
    pub applications: Option<Arc<dyn PaidApplications>>,
}

/// What becomes of an application when the gateway settles its payment. The certificates
/// context implements it; it runs inside the notice's transaction, so the money and the
/// application move together or not at all.
#[async_trait::async_trait]
pub trait PaidApplications: Send + Sync {
    /// The payment of `application_id` came in. If the application still waits for it, it is
    /// accepted and its fees booked from the gateway: that ledger transaction. `None` if it no
    /// longer waits; the money then goes onto the student's card like a top-up.
    async fn paid(
        &self,
        txn: &DatabaseTransaction,
        tenant: &tenant::Model,
        application_id: i32,
        amount: Yen,
    ) -> Result<Option<i32>, StorageError>;

    /// The payment was declined or expired: the application, if it still waits, ends unpaid.
    async fn unpaid(
        &self,
        txn: &DatabaseTransaction,
        tenant: &tenant::Model,
        application_id: i32,
    ) -> Result<(), StorageError>;
}

/// An application's fees to be paid through the gateway.
pub struct ApplicationPayment<'a> {
    pub tenant: &'a tenant::Model,
    pub student: StudentId,
    pub application_id: i32,
    pub amount: Yen,
    pub method: PaymentMethod,
    pub lang: Lang,
}

/// How long a request may take to open an application's checkout before another may.
const CLAIM_LAPSES_AFTER_MS: i64 = 2 * 60 * 1000;

/// Refund states of a payment owed back.
const REFUND_DUE: &str = "due";
const REFUND_DONE: &str = "done";

/// Marks the gateway's payment of `application_id` as owed back, in the cancellation's
/// transaction; false if it has none that was paid. Sent by [`TopUps::send_due_refunds`].
pub async fn owe_refund(
    txn: &impl ConnectionTrait,
    application_id: i32,
    now: i64,
) -> Result<bool, StorageError> {
    let marked = top_up::Entity::update_many()
        .col_expr(top_up::Column::RefundState, Expr::value(REFUND_DUE))
        .col_expr(top_up::Column::RefundNextAt, Expr::value(now))
        .col_expr(top_up::Column::UpdatedAt, Expr::value(now))
        .filter(top_up::Column::ApplicationId.eq(application_id))
        .filter(top_up::Column::State.eq(TopUpState::Paid.code()))
        .filter(top_up::Column::RefundState.is_null())
        .exec(txn)
        .await
        .map_err(storage("owing a refund"))?;
    Ok(marked.rows_affected == 1)
}

fn new_reference() -> String {
    let bytes: [u8; 16] = rand::thread_rng().gen();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl TopUps {
    fn gateway(&self) -> Result<&Arc<dyn Gateway>, TopUpError> {
        self.gateway.as_ref().ok_or(TopUpError::NotAvailable)
    }

    /// Money on the card plus top-ups still open.
    async fn committed(
        db: &impl ConnectionTrait,
        tenant_id: i32,
        student: StudentId,
    ) -> Result<Yen, StorageError> {
        let balance = ledger::balance(db, tenant_id, student).await?;
        let open: Vec<i64> = top_up::Entity::find()
            .select_only()
            .column(top_up::Column::Amount)
            .filter(top_up::Column::TenantId.eq(tenant_id))
            .filter(top_up::Column::StudentId.eq(student.0))
            .filter(top_up::Column::ApplicationId.is_null())
            .filter(top_up::Column::State.is_in([
                TopUpState::Creating.code(),
                TopUpState::AwaitingPayment.code(),
            ]))
            .into_tuple()
            .all(db)
            .await
            .map_err(storage("reading open top-ups"))?;
        let open: i64 = open.into_iter().sum();
        Yen::new(balance.get() + open).ok_or(StorageError)
    }

    /// How much more may still be topped up (the maximum balance less the balance and the
    /// top-ups still open).
    pub async fn room(
        &self,
        tenant: &tenant::Model,
        student: StudentId,
    ) -> Result<Yen, TopUpError> {
        Self::room_in(&self.db, tenant, student).await
    }

    async fn room_in(
        db: &impl ConnectionTrait,
        tenant: &tenant::Model,
        student: StudentId,
    ) -> Result<Yen, TopUpError> {
        let committed = Self::committed(db, tenant.id, student).await?;
        Ok(Limits::of(tenant).balance_max.saturating_sub(committed))
    }

    /// Checks an amount against the university's limits and the card's room.
    pub async fn check(
        &self,
        tenant: &tenant::Model,
        student: StudentId,
        amount: Yen,
    ) -> Result<(), TopUpError> {
        Self::check_in(&self.db, tenant, student, amount).await
    }

    async fn check_in(
        db: &impl ConnectionTrait,
        tenant: &tenant::Model,
        student: StudentId,
        amount: Yen,
    ) -> Result<(), TopUpError> {
        let limits = Limits::of(tenant);
        if amount < limits.min {
            return Err(TopUpError::BelowMinimum { min: limits.min });
        }
        if amount > limits.max {
            return Err(TopUpError::AboveMaximum { max: limits.max });
        }
        let room = Self::room_in(db, tenant, student).await?;
        if amount > room {
            return Err(TopUpError::PastMaximumBalance { room });
        }
        Ok(())
    }

    /// Starts a top-up, once per idempotency key: the same key again gives the same top-up
    /// (and its payment page), never a second checkout.
    pub async fn start(&self, new: NewTopUp<'_>) -> Result<TopUp, TopUpError> {
        let gateway = self.gateway()?.clone();
        let request = idempotency::Request {
            tenant_id: new.tenant.id,
            scope: Scope::Student(new.student.0),
            key: new.key,
            fingerprint: format!("top_up\n{}\n{}", new.amount.get(), new.method.code()),
        };
        if let Some(reference) = idempotency::replay(&self.db, &request).await? {
            return self.find(new.tenant.id, new.student, &reference).await;
        }
        let now = self.clock.now_ms();
        let reference = new_reference();
        let txn = begin(&self.db).await?;
        // Checked under the card's lock: two confirmations sent at once (two tabs, each with
        // its own key) cannot both pass the room that only one of them fits.
        ledger::lock_card(&txn, new.tenant.id, new.student, now).await?;
        Self::check_in(&txn, new.tenant, new.student, new.amount).await?;
        let row = top_up::ActiveModel {
            tenant_id: Set(new.tenant.id),
            student_id: Set(new.student.0),
            reference: Set(reference.clone()),
            amount: Set(new.amount.get()),
            method: Set(new.method.code().to_owned()),
            state: Set(TopUpState::Creating.code().to_owned()),
            gateway: Set(gateway.code().to_owned()),
            lang: Set(new.lang.code().to_owned()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await
        .map_err(storage("writing a top-up"))?;
        match idempotency::store(&txn, &request, &reference, now).await? {
            Stored::Stored => txn.commit().await.map_err(storage("committing a top-up"))?,
            Stored::Taken => {
                txn.rollback().await.map_err(storage("rolling back a duplicate top-up"))?;
                let reference =
                    idempotency::replay(&self.db, &request).await?.ok_or(TopUpError::Storage)?;
                return self.find(new.tenant.id, new.student, &reference).await;
            }
        }

        let return_url = (new.return_url)(&reference);
        self.open_checkout(&gateway, row, return_url, new.notify_url).await
    }

    /// Asks the gateway for the checkout of a payment written as `creating`, and keeps what it
    /// answers; `failed` (and `GatewayUnavailable`) when it cannot be reached.
    async fn open_checkout(
        &self,
        gateway: &Arc<dyn Gateway>,
        row: top_up::Model,
        return_url: String,
        notify_url: String,
    ) -> Result<TopUp, TopUpError> {
        let method = PaymentMethod::from_code(&row.method).ok_or(TopUpError::Storage)?;
        let checkout = gateway
            .create_checkout(CheckoutRequest {
                reference: row.reference.clone(),
                amount: Yen::new(row.amount).ok_or(TopUpError::Storage)?,
                method,
                return_url,
                notify_url,
            })
            .await;
        let mut row: top_up::ActiveModel = row.into();
        row.updated_at = Set(self.clock.now_ms());
        match checkout {
            Ok(Checkout {
                payment_id,
                redirect_url,
            }) => {
                if method == PaymentMethod::Konbini {
                    if let Ok(PaymentState::Pending {
                        konbini: Some(slip),
                    }) = gateway.payment(&payment_id).await
                    {
                        row.konbini_number = Set(Some(slip.number));
                        row.konbini_deadline = Set(Some(slip.deadline));
                    }
                }
                row.payment_id = Set(Some(payment_id));
                row.redirect_url = Set(Some(redirect_url));
                row.state = Set(TopUpState::AwaitingPayment.code().to_owned());
                let row = row.update(&self.db).await.map_err(storage("opening a top-up"))?;
                Ok(TopUp::from_row(row)?)
            }
            Err(err) => {
                tracing::warn!(error = %err, "the payment gateway did not open a checkout");
                row.state = Set(TopUpState::Failed.code().to_owned());
                row.update(&self.db).await.map_err(storage("failing a top-up"))?;
                Err(TopUpError::GatewayUnavailable)
            }
        }
    }

    /// Writes the gateway's payment of an application as `creating`, in the application's
    /// transaction: its reference, for [`TopUps::checkout_for_application`] once that commits.
    /// No limit of top-ups applies: the money only passes to the certificate fees.
    pub async fn open_for_application(
        &self,
        txn: &impl ConnectionTrait,
        payment: ApplicationPayment<'_>,
    ) -> Result<String, TopUpError> {
        let gateway = self.gateway()?;
        let now = self.clock.now_ms();
        let reference = new_reference();
        top_up::ActiveModel {
            tenant_id: Set(payment.tenant.id),
            student_id: Set(payment.student.0),
            reference: Set(reference.clone()),
            amount: Set(payment.amount.get()),
            method: Set(payment.method.code().to_owned()),
            state: Set(TopUpState::Creating.code().to_owned()),
            gateway: Set(gateway.code().to_owned()),
            lang: Set(payment.lang.code().to_owned()),
            application_id: Set(Some(payment.application_id)),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(txn)
        .await
        .map_err(storage("writing an application's payment"))?;
        Ok(reference)
    }

    /// Opens the checkout of an application's payment written by
    /// [`TopUps::open_for_application`], once: the request that claims it opens it; one that
    /// comes meanwhile (the same confirmation sent twice) gets the payment as it stands. A claim
    /// older than two minutes died with its request and may be taken again.
    pub async fn checkout_for_application(
        &self,
        application_id: i32,
        return_url: String,
        notify_url: String,
    ) -> Result<TopUp, TopUpError> {
        let gateway = self.gateway()?.clone();
        let row = self.payment_row(application_id).await?.ok_or(TopUpError::Unknown)?;
        if TopUpState::from_code(&row.state) == Some(TopUpState::Failed) {
            return Err(TopUpError::GatewayUnavailable);
        }
        let now = self.clock.now_ms();
        let claimed = top_up::Entity::update_many()
            .col_expr(
                top_up::Column::State,
                Expr::value(TopUpState::Opening.code()),
            )
            .col_expr(top_up::Column::UpdatedAt, Expr::value(now))
            .filter(top_up::Column::Id.eq(row.id))
            .filter(
                sea_orm::Condition::any()
                    .add(top_up::Column::State.eq(TopUpState::Creating.code()))
                    .add(
                        sea_orm::Condition::all()
                            .add(top_up::Column::State.eq(TopUpState::Opening.code()))
                            .add(top_up::Column::UpdatedAt.lt(now - CLAIM_LAPSES_AFTER_MS)),
                    ),
            )
            .exec(&self.db)
            .await
            .map_err(storage("claiming an application's checkout"))?;
        if claimed.rows_affected == 1 {
            return self.open_checkout(&gateway, row, return_url, notify_url).await;
        }
        let row = self.payment_row(application_id).await?.ok_or(TopUpError::Unknown)?;
        match TopUpState::from_code(&row.state) {
            Some(TopUpState::Failed) => Err(TopUpError::GatewayUnavailable),
            _ => Ok(TopUp::from_row(row)?),
        }
    }

    async fn payment_row(
        &self,
        application_id: i32,
    ) -> Result<Option<top_up::Model>, StorageError> {
        top_up::Entity::find()
            .filter(top_up::Column::ApplicationId.eq(application_id))
            .one(&self.db)
            .await
            .map_err(storage("reading an application's payment"))
    }

    /// The gateway's payment of application `id` (the caller has checked whose it is).
    pub async fn of_application(&self, application_id: i32) -> Result<Option<TopUp>, TopUpError> {
        match self.payment_row(application_id).await? {
            Some(row) => Ok(Some(TopUp::from_row(row)?)),
            None => Ok(None),
        }
    }

    /// Sends the refunds owed now to the gateway, each once it takes it (a refund the gateway
    /// did not take is tried again after 2, 4, 8 … seconds, at most an hour apart); how many
    /// it took. The gateway knows a refund by its payment: the whole of one payment, once.
    pub async fn send_due_refunds(&self) -> Result<usize, TopUpError> {
        let gateway = self.gateway()?.clone();
        let now = self.clock.now_ms();
        let due = top_up::Entity::find()
            .filter(top_up::Column::RefundState.eq(REFUND_DUE))
            .filter(top_up::Column::RefundNextAt.lte(now))
            .order_by_asc(top_up::Column::Id)
            .limit(20)
            .all(&self.db)
            .await
            .map_err(storage("reading refunds owed"))?;
        let mut sent = 0;
        for row in due {
            let (Some(payment_id), Some(amount)) = (&row.payment_id, Yen::new(row.amount)) else {
                continue;
            };
            let update = top_up::Entity::update_many()
                .filter(top_up::Column::Id.eq(row.id))
                .filter(top_up::Column::RefundState.eq(REFUND_DUE));
            match gateway.refund(payment_id, amount).await {
                Ok(()) => {
                    update
                        .col_expr(top_up::Column::RefundState, Expr::value(REFUND_DONE))
                        .col_expr(top_up::Column::UpdatedAt, Expr::value(self.clock.now_ms()))
                        .exec(&self.db)
                        .await
                        .map_err(storage("recording a refund"))?;
                    sent += 1;
                }
                Err(err) => {
                    tracing::warn!(error = %err, top_up = row.id, "a refund the gateway did not take, sent again later");
                    update
                        .col_expr(
                            top_up::Column::RefundAttempts,
                            Expr::value(row.refund_attempts + 1),
                        )
                        .col_expr(
                            top_up::Column::RefundNextAt,
                            Expr::value(now + super::retry_after_ms(row.refund_attempts + 1)),
                        )
                        .exec(&self.db)
                        .await
                        .map_err(storage("postponing a refund"))?;
                }
            }
        }
        Ok(sent)
    }

    /// A top-up of this student, by its reference (another student's is unknown).
    pub async fn find(
        &self,
        tenant_id: i32,
        student: StudentId,
        reference: &str,
    ) -> Result<TopUp, TopUpError> {
        let row = top_up::Entity::find()
            .filter(top_up::Column::TenantId.eq(tenant_id))
            .filter(top_up::Column::StudentId.eq(student.0))
            .filter(top_up::Column::Reference.eq(reference))
            .filter(top_up::Column::ApplicationId.is_null())
            .one(&self.db)
            .await
            .map_err(storage("reading a top-up"))?
            .ok_or(TopUpError::Unknown)?;
        match TopUp::from_row(row)? {
            top_up if top_up.state == TopUpState::Failed => Err(TopUpError::GatewayUnavailable),
            top_up => Ok(top_up),
        }
    }

    /// Whether a payment of this student, a top-up or an application's, is no longer open
    /// (another student's reference is unknown).
    pub async fn settled(
        &self,
        tenant_id: i32,
        student: StudentId,
        reference: &str,
    ) -> Result<bool, TopUpError> {
        let row = top_up::Entity::find()
            .filter(top_up::Column::TenantId.eq(tenant_id))
            .filter(top_up::Column::StudentId.eq(student.0))
            .filter(top_up::Column::Reference.eq(reference))
            .one(&self.db)
            .await
            .map_err(storage("reading a payment"))?
            .ok_or(TopUpError::Unknown)?;
        let state = TopUpState::from_code(&row.state).ok_or(TopUpError::Storage)?;
        Ok(!state.is_open())
    }

    /// A student's konbini top-ups still waiting to be paid, newest first.
    pub async fn open_konbini(
        &self,
        tenant_id: i32,
        student: StudentId,
    ) -> Result<Vec<TopUp>, TopUpError> {
        let rows = top_up::Entity::find()
            .filter(top_up::Column::TenantId.eq(tenant_id))
            .filter(top_up::Column::StudentId.eq(student.0))
            .filter(top_up::Column::Method.eq(PaymentMethod::Konbini.code()))
            .filter(top_up::Column::ApplicationId.is_null())
            .filter(top_up::Column::State.eq(TopUpState::AwaitingPayment.code()))
            .order_by_desc(top_up::Column::Id)
            .all(&self.db)
            .await
            .map_err(storage("reading open top-ups"))?;
        Ok(rows.into_iter().map(TopUp::from_row).collect::<Result<_, _>>()?)
    }

    /// A notice from the gateway, for the university `tenant`. Its signature and timestamp are
    /// checked before anything else; then the payment's state is read from the gateway (not
    /// from the notice), and the card is credited at most once.
    pub async fn receive_notice(
        &self,
        tenant: &tenant::Model,
        notice: SignedNotice<'_>,
    ) -> Result<NoticeOutcome, TopUpError> {
        let gateway = self.gateway()?.clone();
        let notice = gateway
            .verify_notice(notice, self.clock.now_ms())
            .map_err(|_| TopUpError::BadNotice)?;
        let handled = payment_notice::Entity::find()
            .filter(payment_notice::Column::NoticeId.eq(&notice.id))
            .one(&self.db)
            .await
            .map_err(storage("reading handled notices"))?;
        if handled.is_some() {
            return Ok(NoticeOutcome::AlreadyHandled);
        }
        let found = top_up::Entity::find()
            .filter(top_up::Column::Gateway.eq(gateway.code()))
            .filter(top_up::Column::PaymentId.eq(&notice.payment_id))
            .filter(top_up::Column::TenantId.eq(tenant.id))
            .one(&self.db)
            .await
            .map_err(storage("finding a notice's top-up"))?;
        let Some(row) = found else {
            tracing::warn!(payment = %notice.payment_id, "a notice for no top-up of this university");
            return Ok(NoticeOutcome::Ignored);
        };
        let state = match gateway.payment(&notice.payment_id).await {
            Ok(state) => state,
            // Nothing is credited until the payment can be read; the gateway sends again.
            Err(GatewayError::Unreachable) => return Err(TopUpError::GatewayUnavailable),
            Err(err) => {
                tracing::error!(error = %err, "the gateway does not know a notice's payment");
                return Ok(NoticeOutcome::Ignored);
            }
        };

        let txn = begin(&self.db).await?;
        let first = payment_notice::Entity::insert(payment_notice::ActiveModel {
            notice_id: Set(notice.id.clone()),
            received_at: Set(self.clock.now_ms()),
            ..Default::default()
        })
        .exec(&txn)
        .await;
        if let Err(err) = first {
            txn.rollback().await.map_err(storage("rolling back a notice"))?;
            if crate::platform::is_unique_violation(&err) {
                return Ok(NoticeOutcome::AlreadyHandled);
            }
            return Err(storage("recording a notice")(err).into());
        }
        let outcome = self.apply(&txn, tenant, &row, state).await?;
        txn.commit().await.map_err(storage("committing a notice"))?;
        self.outbox.wake();
        if outcome == NoticeOutcome::Credited {
            let gateway = Actor::new(String::new(), "payment gateway");
            let about = Subject {
                tenant_id: Some(tenant.id),
                ..Default::default()
            };
            audit::record(&self.db, &gateway, Event::TopUpCredited, about).await;
        }
        Ok(outcome)
    }

    /// Moves an open top-up to what the gateway says, in `txn`. The state change is the
    /// claim: only the one transaction that moves it from open credits the card.
    async fn apply(
        &self,
        txn: &sea_orm::DatabaseTransaction,
        tenant: &tenant::Model,
        row: &top_up::Model,
        state: PaymentState,
    ) -> Result<NoticeOutcome, TopUpError> {
        let now = self.clock.now_ms();
        let student = StudentId(row.student_id);
        let lang = Lang::from_code(&row.lang).unwrap_or_default();
        let (next, decline) = match state {
            PaymentState::Pending { .. } => return Ok(NoticeOutcome::Recorded),
            PaymentState::Paid { amount } if amount.get() != row.amount => {
                tracing::error!(
                    top_up = row.id,
                    paid = amount.get(),
                    asked = row.amount,
                    "a payment of another amount than its top-up: not credited"
                );
                return Ok(NoticeOutcome::Recorded);
            }
            PaymentState::Paid { .. } => (TopUpState::Paid, None),
            PaymentState::Declined(reason) => (TopUpState::Declined, Some(reason.code())),
            PaymentState::Expired => (TopUpState::Expired, None),
        };
        let claimed = top_up::Entity::update_many()
            .col_expr(top_up::Column::State, Expr::value(next.code()))
            .col_expr(top_up::Column::DeclineReason, Expr::value(decline))
            .col_expr(top_up::Column::UpdatedAt, Expr::value(now))
            .filter(top_up::Column::Id.eq(row.id))
            .filter(
                top_up::Column::State
                    .is_in(TopUpState::ALL.iter().filter(|s| s.is_open()).map(|s| s.code())),
            )
            .exec(txn)
            .await
            .map_err(storage("moving a top-up"))?;
        if claimed.rows_affected == 0 {
            return Ok(NoticeOutcome::Recorded);
        }
        let amount = Yen::new(row.amount).ok_or(TopUpError::Storage)?;
        let applications = row.application_id.zip(self.applications.as_ref());
        if let Some((application_id, applications)) = applications {
            match next {
                TopUpState::Paid => {
                    if let Some(transaction_id) =
                        applications.paid(txn, tenant, application_id, amount).await?
                    {
                        link_transaction(txn, row.id, transaction_id).await?;
                        return Ok(NoticeOutcome::ApplicationPaid);
                    }
                    // The application no longer waits: the money is the student's, on the card.
                }
                TopUpState::Declined | TopUpState::Expired => {
                    applications.unpaid(txn, tenant, application_id).await?;
                    return Ok(NoticeOutcome::Recorded);
                }
                _ => {}
            }
        }
        match next {
            TopUpState::Paid => {
                let description = format!("top-up {}", row.reference);
                let posted = ledger::post(
                    txn,
                    ledger::Entry {
                        tenant_id: tenant.id,
                        kind: Kind::TopUp,
                        description: &description,
                        actor: "gateway",
                        corrects: None,
                        postings: vec![
                            (Account::Card(student), amount.get()),
                            (Account::GatewayClearing, -amount.get()),
                        ],
                        at: now,
                    },
                )
                .await?;
                link_transaction(txn, row.id, posted.transaction_id).await?;
                let balance =
                    posted.card_balances.first().map_or(Yen::ZERO, |(_, balance)| *balance);
                let receipt = TopUpMail::Receipt {
                    amount,
                    balance,
                    reference: row.reference.clone(),
                };
                mails::queue(txn, tenant, student, (receipt, lang, now)).await?;
                Ok(NoticeOutcome::Credited)
            }
            TopUpState::Expired => {
                let mail = TopUpMail::KonbiniExpired { amount };
                mails::queue(txn, tenant, student, (mail, lang, now)).await?;
                Ok(NoticeOutcome::Recorded)
            }
            _ => Ok(NoticeOutcome::Recorded),
        }
    }
}

async fn link_transaction(
    txn: &impl ConnectionTrait,
    top_up_id: i32,
    transaction_id: i32,
) -> Result<(), StorageError> {
    top_up::Entity::update_many()
        .col_expr(top_up::Column::TransactionId, Expr::value(transaction_id))
        .filter(top_up::Column::Id.eq(top_up_id))
        .exec(txn)
        .await
        .map_err(storage("linking a payment to its transaction"))?;
    Ok(())
}
