use sea_orm::entity::prelude::*;

/// One opening of a share, as its student sees it in the share's access log.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "certificate_share_views")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub share_id: i32,
    pub at: i64,
    /// `shown`, `downloaded`, `expired` or `revoked` (`certificates::ShareOutcome`).
    pub outcome: String,
    /// The client's address, truncated (`203.0.113.x`, `2001:db8:1::/48`).
    pub address: String,
    /// The browser and platform, as a short name (`Safari · iPhone`), never the whole header.
    pub browser: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
