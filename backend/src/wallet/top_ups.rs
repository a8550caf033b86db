//! Top-ups: the student chooses an amount and a method, the gateway takes the money, and the
//! gateway's notice credits the card, exactly once, whatever the notices do (come twice, late,
//! out of order, before the student is back, after a restart).
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
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use std::sync::Arc;

/// Where a top-up is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TopUpState {
    Creating,
    AwaitingPayment,
    Paid,
    Declined,
    Expired,
    Failed,
}

impl TopUpState {
    const ALL: [TopUpState; 6] = [
        TopUpState::Creating,
        TopUpState::AwaitingPayment,
        TopUpState::Paid,
        TopUpState::Declined,
        TopUpState::Expired,
        TopUpState::Failed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            TopUpState::Creating => "creating",
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
        matches!(self, TopUpState::Creating | TopUpState::AwaitingPayment)
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

        let checkout = gateway
            .create_checkout(CheckoutRequest {
                reference: reference.clone(),
                amount: new.amount,
                method: new.method,
                return_url: (new.return_url)(&reference),
                notify_url: new.notify_url,
            })
            .await;
        let mut row: top_up::ActiveModel = row.into();
        row.updated_at = Set(self.clock.now_ms());
        match checkout {
            Ok(Checkout {
                payment_id,
                redirect_url,
            }) => {
                if new.method == PaymentMethod::Konbini {
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
            .one(&self.db)
            .await
            .map_err(storage("reading a top-up"))?
            .ok_or(TopUpError::Unknown)?;
        match TopUp::from_row(row)? {
            top_up if top_up.state == TopUpState::Failed => Err(TopUpError::GatewayUnavailable),
            top_up => Ok(top_up),
        }
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
                top_up::Entity::update_many()
                    .col_expr(
                        top_up::Column::TransactionId,
                        Expr::value(posted.transaction_id),
                    )
                    .filter(top_up::Column::Id.eq(row.id))
                    .exec(txn)
                    .await
                    .map_err(storage("linking a top-up to its transaction"))?;
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
