use sea_orm::entity::prelude::*;

/// A student's top-up of the card through the payment gateway, from the checkout to paid,
/// declined or expired. Credited to the card once, by the transaction it names.
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
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
