use sea_orm::entity::prelude::*;

/// A certificate a university issues, as its catalogue describes it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "certificate_types")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub tenant_id: i32,
    pub code: String,
    pub name_ja: String,
    pub name_en: String,
    /// Language codes joined by commas (`ja,en`).
    pub languages: String,
    /// Per copy, in yen (certificate fees are outside consumption tax).
    pub fee_yen: i64,
    pub max_copies: i32,
    /// Registry status codes joined by commas.
    pub statuses: String,
    /// An `OrderRule` code.
    pub rule: Option<String>,
    /// Delivery method codes joined by commas.
    pub deliveries: String,
    pub working_days: i32,
    /// Days a certificate of this type is valid after its issue date; `None`: no end.
    pub valid_days: Option<i32>,
    /// A `CertificateContent` code: which facts the certificate states.
    pub content: Option<String>,
    pub position: i32,
    /// Set when a later catalogue no longer lists it: kept for the applications that used it.
    pub withdrawn_at: Option<i64>,
    pub updated_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
