use sea_orm::entity::prelude::*;

/// One certificate type of an application, priced as the catalogue priced it that day.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "application_lines")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub application_id: i32,
    pub position: i32,
    pub certificate_type_id: i32,
    pub type_code: String,
    pub name_ja: String,
    pub name_en: String,
    pub lang: String,
    pub copies: i32,
    pub fee_yen: i64,
    pub amount_yen: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
