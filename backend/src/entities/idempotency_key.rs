use sea_orm::entity::prelude::*;

/// A request that moved (or was refused to move) money, by the key its sender gave: the same
/// key again gets the stored outcome instead of a second movement.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "idempotency_keys")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub tenant_id: i32,
    /// Whose key space: `student:<id>`, `machine:<id>`.
    pub scope: String,
    pub key: String,
    /// SHA-256 of what the request asked for: the same key with another request is refused.
    pub request_hash: String,
    /// The outcome as JSON.
    pub outcome: String,
    pub created_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
