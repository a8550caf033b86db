use crate::platform::passwords::PasswordHash;
use sea_orm::entity::prelude::*;

/// The service's own account of a student: the registered email and the second password.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "accounts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub tenant_id: i32,
    pub user_id_key: String,
    pub email: Option<String>,
    pub email_verified_at: Option<i64>,
    pub second_password_hash: Option<PasswordHash>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
