//! The built-in development gateway: it imitates a hosted payment page so the whole top-up can
//! be walked without a provider. It mints money for anyone who types a test card number, so
//! it is on only when `SHOMEI_PAYMENT_GATEWAY=dev` is set, never with an https public URL, and
//! every screen it shows says what it is.
//!
//! - Card: its own page (`/dev/gateway/pay/{payment}`) takes a test card number: one succeeds,
//!   one is declined, one fails as insufficient funds.
//! - Konbini: a payment number and a deadline; paid by `shomei dev-gateway pay <payment>` or a
//!   button on its page, expired after the deadline.
//! - Notices: signed like Standard Webhooks and POSTed to shomei's webhook endpoint by the
//!   server's worker, retried with backoff until answered 2xx. Tests also sign notices
//!   themselves ([`DevGateway::signed_notice`]) to send them twice, late or out of order.

use super::gateway::{
    Checkout, CheckoutRequest, Decline, Gateway, GatewayError, KonbiniSlip, Notice, NoticeError,
    PaymentMethod, PaymentState,
};
use super::webhook_signature::{self, SignedNotice};
use crate::entities::{dev_gateway_notice, dev_gateway_payment};
use crate::platform::clock::Clock;
use crate::platform::{storage, Db, StorageError};
use domain::Yen;
use rand::Rng;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// A test card number that pays.
pub const CARD_SUCCEEDS: &str = "4242424242424242";
/// A test card number the issuer declines.
pub const CARD_DECLINED: &str = "4000000000000002";
/// A test card number that fails as insufficient funds.
pub const CARD_INSUFFICIENT_FUNDS: &str = "4000000000009995";
/// How long a konbini slip may be paid.
pub const KONBINI_DAYS: i64 = 3;
/// Where the gateway's pages are; a payment's is `{PREFIX}/pay/{payment}`.
pub const PREFIX: &str = "/dev/gateway";

/// Switches a test turns to see how the service copes.
#[derive(Debug, Default)]
pub struct Switches {
    /// Every call fails as if the gateway could not be reached.
    pub unreachable: AtomicBool,
}

#[derive(Clone)]
pub struct DevGateway {
    pub db: Db,
    pub clock: Clock,
    secret: SecretString,
    pub switches: Arc<Switches>,
}

/// What the card form came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CardOutcome {
    Paid,
    Declined(Decline),
    /// Not one of the test card numbers: the form is shown again.
    NotATestCard,
    /// The payment is not waiting for a card (paid already, expired, or a konbini one).
    NotPayable,
}

/// The body of a notice: which payment, and what the gateway says happened (which shomei reads
/// again from the gateway rather than trust the order notices arrive in).
#[derive(Serialize, Deserialize)]
struct NoticeBody {
    #[serde(rename = "type")]
    kind: String,
    data: NoticeData,
}

#[derive(Serialize, Deserialize)]
struct NoticeData {
    payment_id: String,
    reference: String,
}

fn random_id(prefix: &str) -> String {
    let bytes: [u8; 12] = rand::thread_rng().gen();
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("{prefix}{hex}")
}

impl DevGateway {
    pub fn new(db: Db, clock: Clock, secret: SecretString) -> Self {
        Self {
            db,
            clock,
            secret,
            switches: Arc::default(),
        }
    }

    fn reachable(&self) -> Result<(), GatewayError> {
        if self.switches.unreachable.load(Ordering::SeqCst) {
            Err(GatewayError::Unreachable)
        } else {
            Ok(())
        }
    }

    /// A payment of the gateway's own records.
    pub async fn find(
        &self,
        payment_id: &str,
    ) -> Result<Option<dev_gateway_payment::Model>, StorageError> {
        dev_gateway_payment::Entity::find_by_id(payment_id.to_owned())
            .one(&self.db)
            .await
            .map_err(storage("reading a development gateway payment"))
    }

    /// Moves a pending payment to `state` (once: a second call finds it no longer pending) and
    /// queues the notice that says so.
    async fn settle(
        &self,
        payment: &dev_gateway_payment::Model,
        state: &str,
        decline: Option<Decline>,
    ) -> Result<bool, StorageError> {
        use dev_gateway_payment::Column;
        let now = self.clock.now_ms();
        let txn = crate::platform::begin(&self.db).await?;
        let moved = dev_gateway_payment::Entity::update_many()
            .col_expr(Column::State, Expr::value(state))
            .col_expr(
                Column::DeclineReason,
                Expr::value(decline.map(Decline::code)),
            )
            .col_expr(Column::UpdatedAt, Expr::value(now))
            .filter(Column::Id.eq(&payment.id))
            .filter(Column::State.eq("pending"))
            .exec(&txn)
            .await
            .map_err(storage("settling a development gateway payment"))?;
        if moved.rows_affected == 0 {
            return Ok(false);
        }
        let kind = match state {
            "paid" => "payment.succeeded",
            "expired" => "payment.expired",
            _ => "payment.failed",
        };
        self.queue_notice(&txn, payment, kind, now).await?;
        txn.commit().await.map_err(storage("settling a development gateway payment"))?;
        Ok(true)
    }

    async fn queue_notice(
        &self,
        db: &impl sea_orm::ConnectionTrait,
        payment: &dev_gateway_payment::Model,
        kind: &str,
        now: i64,
    ) -> Result<(), StorageError> {
        let body = NoticeBody {
            kind: kind.to_owned(),
            data: NoticeData {
                payment_id: payment.id.clone(),
                reference: payment.reference.clone(),
            },
        };
        dev_gateway_notice::ActiveModel {
            notice_id: Set(random_id("msg_")),
            payment_id: Set(payment.id.clone()),
            notify_url: Set(payment.notify_url.clone()),
            body: Set(serde_json::to_string(&body).unwrap_or_default()),
            attempts: Set(0),
            next_attempt_at: Set(now),
            delivered_at: Set(None),
            ..Default::default()
        }
        .insert(db)
        .await
        .map_err(storage("queueing a development gateway notice"))?;
        Ok(())
    }

    /// The card form was sent with `card_number`.
    pub async fn pay_with_card(
        &self,
        payment_id: &str,
        card_number: &str,
    ) -> Result<CardOutcome, StorageError> {
        let Some(payment) = self.find(payment_id).await? else {
            return Ok(CardOutcome::NotPayable);
        };
        if payment.method != PaymentMethod::Card.code() || payment.state != "pending" {
            return Ok(CardOutcome::NotPayable);
        }
        let digits: String = card_number.chars().filter(|c| c.is_ascii_digit()).collect();
        let (state, outcome) = match digits.as_str() {
            CARD_SUCCEEDS => ("paid", CardOutcome::Paid),
            CARD_DECLINED => ("declined", CardOutcome::Declined(Decline::Declined)),
            CARD_INSUFFICIENT_FUNDS => (
                "declined",
                CardOutcome::Declined(Decline::InsufficientFunds),
            ),
            _ => return Ok(CardOutcome::NotATestCard),
        };
        let decline = match outcome {
            CardOutcome::Declined(reason) => Some(reason),
            _ => None,
        };
        if self.settle(&payment, state, decline).await? {
            Ok(outcome)
        } else {
            Ok(CardOutcome::NotPayable)
        }
    }

    /// A konbini slip paid at the store (`shomei dev-gateway pay`, or the gateway page's
    /// button), named by its payment id or by the payment number the student was given.
    /// False if it is not a pending konbini payment or its deadline has passed.
    pub async fn pay_konbini(&self, payment: &str) -> Result<bool, StorageError> {
        let by_number = dev_gateway_payment::Entity::find()
            .filter(dev_gateway_payment::Column::KonbiniNumber.eq(payment))
            .one(&self.db)
            .await
            .map_err(storage("reading a development gateway payment"))?;
        let Some(payment) = by_number.or(self.find(payment).await?) else {
            return Ok(false);
        };
        let in_time = payment.deadline.is_some_and(|deadline| self.clock.now_ms() <= deadline);
        if payment.method != PaymentMethod::Konbini.code() || !in_time {
            return Ok(false);
        }
        self.settle(&payment, "paid", None).await
    }

    /// Expires konbini slips past their deadline; returns how many.
    pub async fn expire_due(&self) -> Result<usize, StorageError> {
        use dev_gateway_payment::Column;
        let due = dev_gateway_payment::Entity::find()
            .filter(Column::State.eq("pending"))
            .filter(Column::Deadline.lt(self.clock.now_ms()))
            .all(&self.db)
            .await
            .map_err(storage("finding expired development gateway payments"))?;
        let mut expired = 0;
        for payment in due {
            if self.settle(&payment, "expired", None).await? {
                expired += 1;
            }
        }
        Ok(expired)
    }

    /// Notices waiting to be sent now.
    pub async fn due_notices(
        &self,
        limit: u64,
    ) -> Result<Vec<dev_gateway_notice::Model>, StorageError> {
        use dev_gateway_notice::Column;
        dev_gateway_notice::Entity::find()
            .filter(Column::DeliveredAt.is_null())
            .filter(Column::NextAttemptAt.lte(self.clock.now_ms()))
            .order_by_asc(Column::Id)
            .limit(limit)
            .all(&self.db)
            .await
            .map_err(storage("reading due development gateway notices"))
    }

    /// The headers of a notice, signed now: (`webhook-id`, `webhook-timestamp`,
    /// `webhook-signature`).
    pub fn signed_notice(&self, notice_id: &str, body: &str) -> (String, String, String) {
        let timestamp = self.clock.now_ms() / 1000;
        let signature =
            webhook_signature::sign(&self.secret, notice_id, timestamp, body.as_bytes());
        (notice_id.to_owned(), timestamp.to_string(), signature)
    }

    /// Records how a delivery went: answered 2xx, or tried again later (after 2, 4, 8 …
    /// seconds, at most an hour apart).
    pub async fn delivered(
        &self,
        notice: &dev_gateway_notice::Model,
        answered: bool,
    ) -> Result<(), StorageError> {
        let now = self.clock.now_ms();
        let mut row: dev_gateway_notice::ActiveModel = notice.clone().into();
        row.attempts = Set(notice.attempts + 1);
        if answered {
            row.delivered_at = Set(Some(now));
        } else {
            row.next_attempt_at = Set(now + super::retry_after_ms(notice.attempts + 1));
        }
        row.update(&self.db)
            .await
            .map_err(storage("recording a development gateway delivery"))?;
        Ok(())
    }
}

#[async_trait::async_trait]
impl Gateway for DevGateway {
    fn code(&self) -> &'static str {
        "dev"
    }

    fn is_development(&self) -> bool {
        true
    }

    async fn create_checkout(&self, request: CheckoutRequest) -> Result<Checkout, GatewayError> {
        self.reachable()?;
        let now = self.clock.now_ms();
        let id = random_id("pay_");
        let konbini = request.method == PaymentMethod::Konbini;
        let number: u64 = rand::thread_rng().gen_range(100_000_000_000..1_000_000_000_000);
        dev_gateway_payment::ActiveModel {
            id: Set(id.clone()),
            reference: Set(request.reference),
            amount: Set(request.amount.get()),
            method: Set(request.method.code().to_owned()),
            state: Set("pending".to_owned()),
            decline_reason: Set(None),
            konbini_number: Set(konbini.then(|| number.to_string())),
            deadline: Set(konbini.then_some(now + KONBINI_DAYS * 24 * 3_600_000)),
            return_url: Set(request.return_url),
            notify_url: Set(request.notify_url),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(&self.db)
        .await
        .map_err(|_| GatewayError::Unreachable)?;
        Ok(Checkout {
            redirect_url: format!("{PREFIX}/pay/{id}"),
            payment_id: id,
        })
    }

    async fn payment(&self, payment_id: &str) -> Result<PaymentState, GatewayError> {
        self.reachable()?;
        let payment = self
            .find(payment_id)
            .await
            .map_err(|_| GatewayError::Unreachable)?
            .ok_or(GatewayError::UnknownPayment)?;
        let amount = Yen::new(payment.amount).ok_or(GatewayError::UnknownPayment)?;
        Ok(match payment.state.as_str() {
            "paid" => PaymentState::Paid { amount },
            "expired" => PaymentState::Expired,
            "declined" => PaymentState::Declined(
                payment
                    .decline_reason
                    .as_deref()
                    .and_then(Decline::from_code)
                    .unwrap_or(Decline::Declined),
            ),
            _ => PaymentState::Pending {
                konbini: payment.konbini_number.map(|number| KonbiniSlip {
                    number,
                    deadline: payment.deadline.unwrap_or_default(),
                }),
            },
        })
    }

    fn verify_notice(&self, notice: SignedNotice<'_>, now_ms: i64) -> Result<Notice, NoticeError> {
        webhook_signature::verify(&self.secret, notice, now_ms)
            .map_err(|_| NoticeError::BadSignature)?;
        let body: NoticeBody =
            serde_json::from_slice(notice.body).map_err(|_| NoticeError::Malformed)?;
        Ok(Notice {
            id: notice.id.to_owned(),
            payment_id: body.data.payment_id,
        })
    }

    async fn refund(&self, payment_id: &str, _amount: Yen) -> Result<(), GatewayError> {
        self.reachable()?;
        match self.payment(payment_id).await? {
            PaymentState::Paid { .. } => Ok(()),
            _ => Err(GatewayError::Refused(
                "only a paid payment is refunded".to_owned(),
            )),
        }
    }
}
