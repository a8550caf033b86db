use sea_orm::entity::prelude::*;

/// A payment through the gateway, from the checkout to paid, declined or expired: a student's
/// top-up of the card (credited once, by the transaction it names), or the fees of one
/// application (`application_id`), booked to the certificate fees once.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "top_ups")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub tenant_id: i32,
    pub student_id: i32,
    /// Random: the top-up's name in addresses and at the gateway.
    #[sea_orm(unique)]
    pub reference: String,
    pub amount: i64,
    /// `PaymentMethod::code`.
    pub method: String,
    /// `TopUpState::code`.
    pub state: String,
    /// The gateway's `code`.
    pub gateway: String,
    pub payment_id: Option<String>,
    /// The gateway's payment page for this top-up.
    pub redirect_url: Option<String>,
    pub konbini_number: Option<String>,
    pub konbini_deadline: Option<i64>,
    pub decline_reason: Option<String>,
    pub transaction_id: Option<i32>,
    /// The student's language when paying: for the receipt mail.
    pub lang: String,
    /// The application this payment pays; `None` for a top-up of the card.
    pub application_id: Option<i32>,
    /// `due` once the payment is owed back through the gateway, `done` once it took it.
    pub refund_state: Option<String>,
    pub refund_attempts: i32,
    pub refund_next_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
