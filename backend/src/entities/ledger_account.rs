use sea_orm::entity::prelude::*;

/// A named account of a university's ledger: a student's card (`card:<student id>`), the
/// payment gateway's clearing account, sales on campus machines, staff adjustments.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "ledger_accounts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub tenant_id: i32,
    pub code: String,
    /// The student whose card this is; none for the university's own accounts.
    pub student_id: Option<i32>,
    pub created_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
