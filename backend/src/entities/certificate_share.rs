use sea_orm::entity::prelude::*;

/// A student's share of one issued certificate with a named recipient
/// (`certificates::shares`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "certificate_shares")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub tenant_id: i32,
    pub student_id: i32,
    pub issued_document_id: i32,
    /// The keyed hash of the link's token, by which a recipient's request finds it.
    pub token_hash: String,
    /// The token sealed with the key secret, so its student can copy the link again.
    pub sealed_token: String,
    /// Whom the student made it for, as they typed it.
    pub recipient: String,
    pub created_at: i64,
    pub expires_at: i64,
    pub revoked_at: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
