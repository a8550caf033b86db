use crate::platform::passwords::PasswordHash;
use sea_orm::entity::prelude::*;

/// A staff member of one university. Disabled, never deleted, when someone leaves: the audit
/// log keeps naming them.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "staff_members")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub tenant_id: i32,
    pub login_id: String,
    /// The login ID in lower case: what sign-ins and uniqueness compare.
    pub login_key: String,
    pub name: String,
    pub email: String,
    /// `viewer`, `clerk` or `admin` (`domain::StaffRole`).
    pub role: String,
    /// Argon2id; none until the set-up link is used.
    #[sea_orm(column_type = "Text", nullable)]
    pub password_hash: Option<PasswordHash>,
    /// The TOTP secret in Base32; working once `totp_enabled_at` is set.
    pub totp_secret: Option<String>,
    pub totp_enabled_at: Option<i64>,
    /// The last time step a code was accepted for.
    pub totp_used_step: Option<i64>,
    pub disabled_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
