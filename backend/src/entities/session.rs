use crate::platform::passwords::PasswordHash;
use domain::Stage;
use sea_orm::entity::prelude::*;

/// A server-side session. Only the SHA-256 of the cookie value is stored.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sessions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id_hash: String,
    pub tenant_id: i32,
    pub account_id: i32,
    pub stage: Stage,
    pub created_at: i64,
    pub last_seen_at: i64,
    /// Wrong current second passwords typed in this session (email or password change).
    pub reauth_failures: i32,
    /// At the second-password setup stage only: the university password typed at the login
    /// that opened it, argon2id-hashed, so the new second password can be compared with it
    /// without asking the directory.
    #[sea_orm(column_type = "Text", nullable)]
    pub university_password_hash: Option<PasswordHash>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
