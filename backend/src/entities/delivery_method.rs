use sea_orm::entity::prelude::*;

/// A way a university delivers certificates, with its fee (`shomei catalogue import`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "delivery_methods")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub tenant_id: i32,
    pub code: String,
    /// A `DeliveryKind` code.
    pub kind: String,
    pub name_ja: String,
    pub name_en: String,
    pub fee_yen: i64,
    pub position: i32,
    /// Set when a later catalogue no longer offers it: kept for the applications that used it.
    pub withdrawn_at: Option<i64>,
    pub updated_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
