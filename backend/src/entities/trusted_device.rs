use sea_orm::entity::prelude::*;

/// A browser that logged in as a student before (OWASP's device cookie). Only the SHA-256 of
/// the cookie value is stored.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "trusted_devices")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub tenant_id: i32,
    pub user_id_key: String,
    pub token_hash: String,
    /// Failed logins through this cookie since its last success.
    pub failures: i32,
    pub created_at: i64,
    pub last_used_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
