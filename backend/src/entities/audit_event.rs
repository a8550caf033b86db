use sea_orm::entity::prelude::*;

/// One security-relevant event. Never holds a password, a token or a link.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub at: i64,
    pub tenant_id: Option<i32>,
    pub account_id: Option<i32>,
    pub user_id_key: Option<String>,
    /// The staff member who acted or was acted on (issue #15).
    pub staff_id: Option<i32>,
    pub event: String,
    pub client_address: String,
    pub user_agent: String,
    /// What the event changed, as JSON (a university's settings before and after).
    #[sea_orm(column_type = "Text", nullable)]
    pub detail: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
