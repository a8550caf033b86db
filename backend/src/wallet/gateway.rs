//! The payment gateway, as the wallet sees any of them: create a checkout, read a payment's
//! state, verify and read a notice, refund. The development gateway (`dev_gateway`) is one
//! implementation; a real provider is another, chosen by `SHOMEI_PAYMENT_GATEWAY`.

use super::webhook_signature::SignedNotice;
use domain::Yen;

/// How the student pays a top-up.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PaymentMethod {
    /// クレジットカード
    Card,
    /// コンビニ払い: a payment number, paid at a store before a deadline.
    Konbini,
}

impl PaymentMethod {
    pub const ALL: [PaymentMethod; 2] = [PaymentMethod::Card, PaymentMethod::Konbini];

    pub fn code(self) -> &'static str {
        match self {
            PaymentMethod::Card => "card",
            PaymentMethod::Konbini => "konbini",
        }
    }

    pub fn from_code(code: &str) -> Option<PaymentMethod> {
        Self::ALL.into_iter().find(|method| method.code() == code)
    }
}

/// What the wallet asks the gateway for.
#[derive(Clone, Debug)]
pub struct CheckoutRequest {
    /// The top-up's own reference: the gateway keeps it with the payment.
    pub reference: String,
    pub amount: Yen,
    pub method: PaymentMethod,
    /// Where the student comes back to after paying (or not).
    pub return_url: String,
    /// Where the gateway sends its notices.
    pub notify_url: String,
}

/// A checkout the gateway opened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checkout {
    pub payment_id: String,
    /// The gateway's payment page.
    pub redirect_url: String,
}

/// A konbini payment's slip: what the student takes to the store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KonbiniSlip {
    pub number: String,
    pub deadline: i64,
}

/// Why a card was declined.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decline {
    Declined,
    InsufficientFunds,
}

impl Decline {
    pub fn code(self) -> &'static str {
        match self {
            Decline::Declined => "declined",
            Decline::InsufficientFunds => "insufficient_funds",
        }
    }

    pub fn from_code(code: &str) -> Option<Decline> {
        [Decline::Declined, Decline::InsufficientFunds]
            .into_iter()
            .find(|d| d.code() == code)
    }
}

/// A payment as the gateway knows it now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PaymentState {
    /// Not paid yet (a card form not sent, a konbini slip not paid).
    Pending {
        konbini: Option<KonbiniSlip>,
    },
    Paid {
        amount: Yen,
    },
    Declined(Decline),
    Expired,
}

/// A notice whose signature held: which payment it is about. What it says of the payment is
/// not trusted (notices come late and out of order); its state is read from the gateway.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub id: String,
    pub payment_id: String,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum GatewayError {
    #[error("the payment gateway could not be reached")]
    Unreachable,
    #[error("the payment gateway knows no such payment")]
    UnknownPayment,
    #[error("the payment gateway refused: {0}")]
    Refused(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NoticeError {
    #[error("the notice's signature or timestamp does not hold")]
    BadSignature,
    #[error("the notice's body is not what the gateway sends")]
    Malformed,
}

#[async_trait::async_trait]
pub trait Gateway: Send + Sync {
    /// `dev`, or the provider's name.
    fn code(&self) -> &'static str;

    /// The development gateway: every screen says so.
    fn is_development(&self) -> bool;

    async fn create_checkout(&self, request: CheckoutRequest) -> Result<Checkout, GatewayError>;

    async fn payment(&self, payment_id: &str) -> Result<PaymentState, GatewayError>;

    /// Verifies a notice's signature and timestamp and reads which payment it is about.
    fn verify_notice(&self, notice: SignedNotice<'_>, now_ms: i64) -> Result<Notice, NoticeError>;

    async fn refund(&self, payment_id: &str, amount: Yen) -> Result<(), GatewayError>;
}
