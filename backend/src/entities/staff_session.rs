use sea_orm::entity::prelude::*;

/// A staff member's session, kept apart from students' sessions: neither cookie opens the
/// other's pages. Only the SHA-256 of the cookie value is stored.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "staff_sessions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id_hash: String,
    pub tenant_id: i32,
    pub staff_id: i32,
    /// `second_factor_setup` (password right, no authenticator yet) or `signed_in`.
    pub stage: String,
    pub created_at: i64,
    pub last_seen_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
