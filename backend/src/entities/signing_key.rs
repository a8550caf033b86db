use sea_orm::entity::prelude::*;

/// One of a university's Ed25519 signing keys (`certificates::SigningKeys`): the current one
/// has no `retired_at`; retired ones stay, so what they signed still verifies.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "signing_keys")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub tenant_id: i32,
    /// The key's public id: in every record it signed, the JWKS and the DID document.
    pub kid: String,
    /// The 32 bytes of the public key, base64url.
    pub public_key: String,
    /// The private key sealed with the configured key secret (nonce and ciphertext,
    /// base64url); the university and the kid are its associated data.
    pub sealed_private_key: String,
    pub created_at: i64,
    pub retired_at: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
