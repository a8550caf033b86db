use sea_orm::entity::prelude::*;

/// A catalogue edited in the staff console, between its preview and its saving.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "catalogue_drafts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub tenant_id: i32,
    /// Who wrote it: only they preview and save it.
    pub staff_id: i32,
    /// The catalogue as TOML, in the format of `shomei catalogue import`.
    #[sea_orm(column_type = "Text")]
    pub text: String,
    /// The version of the catalogue the editor was opened on (`catalogue_console::version`).
    pub catalogue_version: String,
    pub created_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
