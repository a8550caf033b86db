use sea_orm::entity::prelude::*;

/// A student's application for certificates: what it costs, how it is delivered, where it is.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "applications")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub tenant_id: i32,
    pub student_id: i32,
    /// An `ApplicationStatus` code.
    pub status: String,
    pub delivery_method_id: i32,
    pub delivery_code: String,
    pub delivery_kind: String,
    pub delivery_name_ja: String,
    pub delivery_name_en: String,
    pub delivery_fee_yen: i64,
    pub total_yen: i64,
    pub purpose: Option<String>,
    /// `domain::Address` as JSON.
    pub address: Option<String>,
    pub lang: String,
    /// `YYYY-MM-DD`, JST.
    pub expected_on: String,
    pub request_key: String,
    pub request_hash: String,
    pub paid_transaction_id: Option<i32>,
    /// A `PayBy` code.
    pub pay_by: String,
    pub tracking_number: Option<String>,
    pub cancel_reason: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
