use sea_orm::entity::prelude::*;

/// The PDF of one line of an application delivered as PDF, exactly as it was issued.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "issued_documents")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub tenant_id: i32,
    pub application_id: i32,
    pub position: i32,
    pub lang: String,
    /// The facts it states, as JSON (`certificates::CertificateDocument`).
    pub facts: String,
    pub pdf: Vec<u8>,
    pub sha256: String,
    pub issued_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
