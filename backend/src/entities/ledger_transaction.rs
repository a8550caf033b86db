use sea_orm::entity::prelude::*;

/// One movement of money: two or more postings that sum to zero. Never changed or removed
/// (the database refuses); a mistake is corrected by a new transaction naming it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "ledger_transactions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub tenant_id: i32,
    /// `TransactionKind::code`.
    pub kind: String,
    pub description: String,
    /// Who moved the money: `student`, `machine:<id>`, `operator`, `gateway`.
    pub actor: String,
    pub corrects_id: Option<i32>,
    pub created_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
