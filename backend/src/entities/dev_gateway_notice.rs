use sea_orm::entity::prelude::*;

/// A notice the development gateway sends (and sends again until answered 2xx).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "dev_gateway_notices")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub notice_id: String,
    pub payment_id: String,
    pub notify_url: String,
    pub body: String,
    pub attempts: i32,
    pub next_attempt_at: i64,
    pub delivered_at: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
