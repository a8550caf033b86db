use sea_orm::entity::prelude::*;

/// A day a university's office is closed (besides Saturdays and Sundays): no working day.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "closure_days")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: i32,
    /// `YYYY-MM-DD` in JST.
    #[sea_orm(primary_key, auto_increment = false)]
    pub day: String,
    pub note: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
