use sea_orm::entity::prelude::*;

/// A CSV uploaded in the staff console (the registry, or course results), between its preview
/// and its application.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "registry_uploads")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub tenant_id: i32,
    /// Who uploaded it: only they preview and apply it.
    pub staff_id: i32,
    /// `registry` or `grades` (`UploadKind::code`).
    pub kind: String,
    pub file_name: String,
    #[sea_orm(column_type = "Text")]
    pub csv: String,
    /// The version of what it replaces (the registry, or the course results) the preview was
    /// made against.
    pub registry_version: String,
    pub created_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
