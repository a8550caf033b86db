use sea_orm::entity::prelude::*;

/// The seal image a university's certificates print (`certificates::seal`), one a university.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "university_seals")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: i32,
    /// A PNG, decoded whole when it was uploaded.
    pub png: Vec<u8>,
    /// SHA-256 of `png`, hex: the console's image address changes with it.
    pub sha256: String,
    pub width: i32,
    pub height: i32,
    pub uploaded_at: i64,
    /// The staff member who uploaded it.
    pub uploaded_by: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
