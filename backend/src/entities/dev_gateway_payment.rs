use sea_orm::entity::prelude::*;

/// A payment at the built-in development gateway (its own records, as a provider keeps them).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "dev_gateway_payments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub reference: String,
    pub amount: i64,
    pub method: String,
    /// `pending`, `paid`, `declined`, `expired`.
    pub state: String,
    pub decline_reason: Option<String>,
    pub konbini_number: Option<String>,
    pub deadline: Option<i64>,
    pub return_url: String,
    pub notify_url: String,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
