use sea_orm::entity::prelude::*;

/// A card's balance, cached for reads: written in the same transaction as the postings, kept
/// at zero or more by a CHECK constraint, recomputed from the postings by `ledger verify`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "card_balances")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub account_id: i32,
    pub tenant_id: i32,
    pub balance: i64,
    pub updated_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
